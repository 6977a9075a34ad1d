"""Inherited access: a successor's members may read their predecessors' files. Written here as guardian object
permissions (`awards.inherit_unit` on the predecessor unit, in the direct-FK table UnitUserObjectPermission),
one set per user, recomputed from the user's memberships whenever a membership or a reorganisation changes, so
members who join later inherit and leavers lose it. `awards.selectors.org.units_inherited_ids` reads them.

An administrator may revoke one member's access to one predecessor, or give it back, with a reason
(InheritedAccessOverride, audited); the recomputation honours it."""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..actor import Actor
from ..audit import audit_record
from ..models import InheritedAccessOverride, Membership, Unit, UnitUserObjectPermission, User
from ..selectors.org import predecessor_ids
from ..text import nfc


def _permission() -> Permission:
    return Permission.objects.get(content_type__app_label="awards", codename="inherit_unit")


def _member_units(user: User, day: dt.date) -> set[int]:
    """The units of the user's memberships not ended by `day` (current or starting later)."""
    memberships = Membership.objects.filter(user=user, is_active=True)
    return set(memberships.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).values_list("unit_id", flat=True))


def inheritable_ids(*, user: User, on: dt.date | None = None) -> set[int]:
    """The predecessors of every unit the user is (or will be) a member of, minus the administrator's revocations:
    what the user's guardian grants should be. Dates are read when the grant is used, not here."""
    if not user.is_active:
        return set()
    wanted = predecessor_ids(_member_units(user, on or timezone.localdate()))
    overrides = dict(InheritedAccessOverride.objects.filter(user=user).values_list("unit_id", "allowed"))
    return {pk for pk in wanted if overrides.get(pk, True)}


def inheritance_sync(*, users: Iterable[User]) -> tuple[int, int]:
    """Bring the users' `inherit_unit` grants in line with their memberships; returns (granted, removed)."""
    permission, granted, removed = _permission(), 0, 0
    for user in users:
        wanted = inheritable_ids(user=user)
        held = UnitUserObjectPermission.objects.filter(user=user, permission=permission)
        have = set(held.values_list("content_object_id", flat=True))
        if have - wanted:
            removed += held.filter(content_object_id__in=have - wanted).delete()[0]
        new = [UnitUserObjectPermission(user=user, permission=permission, content_object_id=pk) for pk in wanted - have]
        UnitUserObjectPermission.objects.bulk_create(new)
        granted += len(new)
    return granted, removed


def inheritance_sync_units(*, unit_ids: Iterable[int]) -> tuple[int, int]:
    """Resynchronise every user with a membership in these units (a reorganisation's successors)."""
    users = User.objects.filter(memberships__unit_id__in=list(unit_ids)).distinct()
    return inheritance_sync(users=users)


@transaction.atomic
def inherited_access_decide(*, by: Actor | None, user: User, unit: Unit, allowed: bool, reason: str) -> None:
    """Revoke (allowed=False) or give back (allowed=True) one user's inherited access to one predecessor."""
    reason = " ".join(nfc(reason).split())
    if not reason:
        raise ValidationError({"reason": _("Give the reason for this decision.")})
    if unit.pk not in predecessor_ids(_member_units(user, timezone.localdate())):
        raise ValidationError(
            _("%(user)s is a member of none of the successors of %(unit)s: there is no inherited access to decide.")
            % {"user": user.display_name, "unit": unit.name}
        )
    override, _created = InheritedAccessOverride.objects.update_or_create(
        user=user, unit=unit,
        defaults={"allowed": allowed, "reason": reason, "decided_by": by.user if by else None,
                  "decided_at": timezone.now()},
    )  # fmt: skip
    inheritance_sync(users=[user])
    audit_record(
        actor=by,
        action="inherited_access_granted" if allowed else "inherited_access_revoked",
        obj=unit,
        unit=unit,
        detail={"user": user.pk, "override": override.pk},  # the reason stays on the override
    )
