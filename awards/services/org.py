"""Writes. Every change to units, users and memberships goes through a function here and leaves an
audit row (who, under which membership, on whose behalf, what, from which state to which)."""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..actor import Actor
from ..audit import audit_record
from ..models import LineageKind, Membership, Role, Unit, UnitLineage, UnitPlacement, User
from ..permissions import role_allowed_in_unit_kind
from ..text import nfc
from .inheritance import inheritance_sync, inheritance_sync_units


def _validated(instance):
    instance.full_clean()
    instance.save()
    return instance


# Units -----------------------------------------------------------------------------------------


@transaction.atomic
def unit_create(
    *,
    by: Actor | None,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    short_name: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    email: str = "",
    governing_body: Unit | None = None,
    place_name: str = "",
    executing_office: str = "",
    recipients: str = "",
    import_id: int | None = None,
) -> Unit:
    """A new unit. `import_id`: the administrator's import it comes from (its audit row says so)."""
    unit = _validated(
        Unit(
            code=nfc(code).upper(),
            name=nfc(name),
            short_name=nfc(short_name),
            kind=kind,
            parent=parent,
            valid_from=valid_from,
            valid_to=valid_to,
            email=email,
            governing_body=governing_body,
            place_name=nfc(place_name).strip(),
            executing_office=" ".join(nfc(executing_office).split()),
            recipients=nfc(recipients).strip(),
        )
    )
    audit_record(actor=by, action="unit_created", obj=unit, unit=unit, detail=_from_import(import_id))
    return unit


def _from_import(import_id: int | None) -> dict:
    return {"import": import_id} if import_id else {}


UNIT_EDITABLE = (
    "code", "name", "short_name", "kind", "parent", "valid_from", "valid_to", "email", "governing_body", "place_name",
    "executing_office", "recipients",
)  # fmt: skip


@transaction.atomic
def unit_update(
    *, by: Actor | None, unit: Unit, parent_since: dt.date | None = None, import_id: int | None = None, **changes
) -> Unit:
    """Change a unit. A new parent with `parent_since` is a move: the old parent is kept as an earlier
    placement up to the day before, so campaigns dated before the move still roll up under it.
    Without the date a new parent corrects a mistake: the unit has always belonged to it."""
    unknown = set(changes) - set(UNIT_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = Unit.objects.get(pk=unit.pk)
    for field, value in changes.items():
        setattr(unit, field, value)
    _validated(unit)
    diff = {
        f: [str(getattr(before, f)), str(getattr(unit, f))]
        for f in UNIT_EDITABLE
        if getattr(before, f) != getattr(unit, f)
    }
    if "parent" in diff and parent_since is not None:
        _placement_record(unit=unit, parent_id=before.parent_id, since=parent_since)
        diff["parent_since"] = parent_since.isoformat()
    if diff:
        audit_record(actor=by, action="unit_updated", obj=unit, unit=unit, detail={**diff, **_from_import(import_id)})
    return unit


def unit_move_check(*, unit: Unit, since: dt.date) -> None:
    """A move must start after the unit's current placement began (its last move, or its creation)."""
    last = unit.placements.order_by("-until").first()
    starts = last.until + dt.timedelta(days=1) if last else unit.valid_from
    if starts is not None and since <= starts:
        raise ValidationError(
            {"parent_since": _("The move must be dated after %(date)s, when the unit's current placement began.")
             % {"date": starts.strftime("%d/%m/%Y")}}
        )  # fmt: skip


def _placement_record(*, unit: Unit, parent_id: int | None, since: dt.date) -> UnitPlacement:
    unit_move_check(unit=unit, since=since)
    return UnitPlacement.objects.create(unit=unit, parent_id=parent_id, until=since - dt.timedelta(days=1))


@transaction.atomic
def unit_close(
    *,
    by: Actor | None,
    unit: Unit,
    last_day: dt.date,
    successors: Iterable[Unit] = (),
    kind: str = LineageKind.MERGED,
    note: str = "",
) -> Unit:
    """Abolish, merge or split a unit: it stays with its history, and its successors carry on (their members
    inherit its files: awards.services.inheritance). A reorganisation does this for many units at once."""
    successors = list(successors)
    if unit.valid_from and last_day < unit.valid_from:
        raise ValidationError({"valid_to": _("The end date must not be before the start date.")})
    unit.valid_to = last_day
    _validated(unit)
    for successor in successors:
        UnitLineage.objects.update_or_create(
            predecessor=unit,
            successor=successor,
            defaults={"kind": kind, "effective_on": last_day + dt.timedelta(days=1), "note": nfc(note)},
        )
    audit_record(
        actor=by,
        action="unit_closed",
        obj=unit,
        unit=unit,
        to_state="closed",
        detail={"last_day": last_day.isoformat(), "successors": [s.code for s in successors], "kind": kind},
    )
    inheritance_sync_units(unit_ids=[s.pk for s in successors])
    return unit


@transaction.atomic
def lineage_record(
    *, by: Actor | None, predecessor: Unit, successor: Unit, kind: str, effective_on: dt.date, note: str = ""
) -> UnitLineage:
    link = _validated(
        UnitLineage(predecessor=predecessor, successor=successor, kind=kind, effective_on=effective_on, note=nfc(note))
    )
    audit_record(actor=by, action="lineage_recorded", obj=link, unit=predecessor)
    inheritance_sync_units(unit_ids=[successor.pk])
    return link


# Users and memberships -------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *, by: Actor | None, username: str, full_name: str, email: str = "", password: str | None = None,
    import_id: int | None = None,
) -> User:  # fmt: skip
    user = User(username=nfc(username), full_name=nfc(full_name), email=nfc(email))
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=by, action="user_created", obj=user, unit=by.unit if by else None,
                 detail=_from_import(import_id))  # fmt: skip
    return user


USER_EDITABLE = ("full_name", "email")


@transaction.atomic
def user_update(*, by: Actor | None, user: User, import_id: int | None = None, **changes) -> User:
    """Change a user's full name or e-mail address; audited like the admin's change (the fields, not the values:
    they are personal data)."""
    unknown = set(changes) - set(USER_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    stored = User.objects.get(pk=user.pk)
    for field, value in changes.items():
        setattr(user, field, nfc(value))
    user.full_clean(exclude=["password"])
    changed = sorted(f for f in USER_EDITABLE if getattr(stored, f) != getattr(user, f))
    if changed:
        user.save(update_fields=[*changed, "sort_key"])
        audit_record(actor=by, action="user_changed", obj=user, unit=by.unit if by else None,
                     detail={"fields": changed, **_from_import(import_id)})  # fmt: skip
    return user


def user_sessions_end(*, user: User) -> int:
    """Delete every live session of a user. Live sessions are few: they expire after 30 idle minutes."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_deactivate(*, by: Actor | None, user: User) -> User:
    """Switch a user off and end their open sessions at once."""
    was_active = user.is_active
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = user_sessions_end(user=user)
    audit_record(
        actor=by,
        action="user_deactivated",
        obj=user,
        unit=by.unit if by else None,
        from_state="active" if was_active else "inactive",
        to_state="inactive",
        detail={"sessions_ended": ended},
    )
    inheritance_sync(users=[user])
    return user


def membership_rules_check(
    *,
    user: User | None,
    unit: Unit | None,
    role: str,
    acting_for: Membership | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> None:
    """The rules every membership obeys; forms call it too, so errors show next to the input."""
    if acting_for is not None:
        if not valid_from or not valid_to:
            raise ValidationError(_("An acting membership needs a start date and an end date."))
        if acting_for.acting_for_id:
            raise ValidationError(_("One cannot act for an acting membership; choose the member's own membership."))
        if user is not None and acting_for.user_id == user.pk:
            raise ValidationError(_("A member cannot act for themselves."))
        unit, role = acting_for.unit, acting_for.role
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end date must not be before the start date.")})
    if unit is not None and role and not role_allowed_in_unit_kind(role, unit.kind):
        raise ValidationError(
            {
                "role": _("The role “%(role)s” cannot be held in a unit of kind “%(kind)s”.")
                % {"role": Role(role).label, "kind": unit.get_kind_display()}
            }
        )


@transaction.atomic
def membership_grant(
    *,
    by: Actor | None,
    user: User,
    unit: Unit,
    role: str,
    title: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    import_id: int | None = None,
) -> Membership:
    membership_rules_check(user=user, unit=unit, role=role, valid_from=valid_from, valid_to=valid_to)
    membership = _validated(
        Membership(user=user, unit=unit, role=role, title=nfc(title), valid_from=valid_from, valid_to=valid_to)
    )
    audit_record(actor=by, action="membership_granted", obj=membership, unit=unit, to_state="active",
                 detail=_from_import(import_id))  # fmt: skip
    inheritance_sync(users=[user])
    return membership


@transaction.atomic
def membership_grant_acting(
    *, by: Actor | None, user: User, acting_for: Membership, valid_from: dt.date, valid_to: dt.date, title: str = ""
) -> Membership:
    """Let `user` stand in for the holder of `acting_for` from `valid_from` to `valid_to` inclusive."""
    membership_rules_check(
        user=user, unit=None, role="", acting_for=acting_for, valid_from=valid_from, valid_to=valid_to
    )
    membership = Membership(
        user=user,
        unit=acting_for.unit,
        role=acting_for.role,
        title=nfc(title) or acting_for.title,
        acting_for=acting_for,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    _validated(membership)
    audit_record(
        actor=by,
        action="acting_membership_granted",
        obj=membership,
        unit=acting_for.unit,
        to_state="active",
        detail={
            "acting_for": acting_for.pk,
            "from": valid_from.isoformat(),
            "to": valid_to.isoformat(),
        },
    )
    inheritance_sync(users=[user])
    return membership


MEMBERSHIP_EDITABLE = ("role", "title", "valid_from", "valid_to", "is_active")


@transaction.atomic
def membership_update(
    *, by: Actor | None, membership: Membership, import_id: int | None = None, **changes
) -> Membership:
    """Change a membership's role, position, period or active flag (its user and unit stay)."""
    unknown = set(changes) - set(MEMBERSHIP_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    # What is stored, not the instance: a form (the admin's) may have put the new values on it already.
    stored = Membership.objects.get(pk=membership.pk)
    before = {f: getattr(stored, f) for f in MEMBERSHIP_EDITABLE}
    for field, value in changes.items():
        setattr(membership, field, value)
    membership_rules_check(
        user=membership.user, unit=membership.unit, role=membership.role,
        valid_from=membership.valid_from, valid_to=membership.valid_to,
    )  # fmt: skip
    _validated(membership)
    diff = {
        f: [str(before[f]), str(getattr(membership, f))]
        for f in MEMBERSHIP_EDITABLE
        if before[f] != getattr(membership, f)
    }
    if diff:
        audit_record(actor=by, action="membership_changed", obj=membership, unit=membership.unit,
                     detail={**diff, **_from_import(import_id)})  # fmt: skip
    inheritance_sync(users=[membership.user])
    return membership


@transaction.atomic
def membership_end(*, by: Actor | None, membership: Membership, last_day: dt.date | None = None) -> Membership:
    membership.valid_to = last_day or timezone.localdate()
    if membership.valid_from and membership.valid_to < membership.valid_from:
        membership.valid_to = membership.valid_from
    _validated(membership)
    audit_record(actor=by, action="membership_ended", obj=membership, unit=membership.unit, to_state="ended")
    inheritance_sync(users=[membership.user])
    return membership


ADMIN_GROUP = "Quản trị hệ thống"
ADMIN_PERMISSIONS = [
    ("awards", "unit", ("add", "change", "view")),
    ("awards", "unitlineage", ("add", "change", "view")),
    ("awards", "unitplacement", ("view",)),  # shown on the unit; written only by unit_update
    ("awards", "reorganisation", ("add", "change", "view")),  # applied and undone through the services
    ("awards", "reorganisationchange", ("add", "change", "delete", "view")),  # a draft's changes
    ("awards", "membership", ("add", "change", "view")),
    ("awards", "user", ("add", "change", "view")),
    ("awards", "auditevent", ("view",)),
    ("axes", "accessattempt", ("view", "delete")),  # deleting a lockout record unlocks the account
    ("awards", "apitoken", ("view", "delete")),  # revoking a token (awards.services.api.token_revoke)
    ("awards", "campaign", ("add", "change", "view")),
    ("awards", "campaignlegalbasis", ("add", "change", "delete", "view")),
    ("awards", "campaignparticipantchange", ("add", "change", "delete", "view")),
    ("awards", "legalbasis", ("add", "change", "view")),
    ("awards", "reportoutline", ("add", "change", "view")),
    ("awards", "outlineitem", ("add", "change", "delete", "view")),
    ("awards", "awardtype", ("add", "change", "view")),
    ("awards", "awardstep", ("add", "change", "view")),
    ("awards", "campaignawardtype", ("add", "change", "delete", "view")),
    ("awards", "nominationquota", ("add", "change", "delete", "view")),
    ("awards", "workdaychange", ("add", "change", "delete", "view")),
    ("awards", "basesalary", ("add", "change", "view")),  # history: a decision cites the one of its date
    ("awards", "prizerate", ("add", "change", "delete", "view")),
]


def admin_group_ensure() -> Group:
    """The Django-admin permissions of system administrators (they manage units and users only)."""
    group, _created = Group.objects.get_or_create(name=ADMIN_GROUP)
    wanted = [
        Permission.objects.get(content_type__app_label=app, content_type__model=model, codename=f"{action}_{model}")
        for app, model, actions in ADMIN_PERMISSIONS
        for action in actions
    ]
    group.permissions.set(wanted)
    return group


@transaction.atomic
def administrator_grant(*, by: Actor | None, user: User, unit: Unit) -> Membership:
    """An administrator membership plus access to the Django admin for units and users."""
    membership = membership_grant(by=by, user=user, unit=unit, role=Role.ADMINISTRATOR)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(admin_group_ensure())
    return membership
