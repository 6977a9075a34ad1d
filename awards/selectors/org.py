"""Reads. The scoping functions here decide what an actor may see; every view goes through them."""

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from ..actor import Actor
from ..audit import refusal_tally
from ..models import AuditEvent, Membership, Unit, UnitKind, UnitLineage, User
from ..permissions import Cap
from .audit import audit_events

security_log = logging.getLogger("tdkt.security")


def today() -> dt.date:
    return timezone.localdate()


def memberships_valid(*, user: User, on: dt.date | None = None) -> QuerySet[Membership]:
    """The memberships a user may work under on a day (the unit must exist that day too)."""
    day = on or today()
    if not user.is_authenticated or not user.is_active:
        return Membership.objects.none()
    units_open = Unit.objects.valid_on(day)
    return (
        Membership.objects.valid_on(day)
        .filter(user=user, unit__in=units_open)
        .select_related("unit", "acting_for__user")
        .order_by("acting_for_id", "unit__sort_key", "role", "pk")
    )


def actor_for(*, user: User, membership_id: int | None = None, on: dt.date | None = None) -> Actor:
    """The membership asked for if still valid, else the user's first valid one."""
    valid = list(memberships_valid(user=user, on=on)) if user.is_authenticated else []
    chosen = next((m for m in valid if m.pk == membership_id), None) if membership_id else None
    if chosen is None and valid:
        # Prefer the user's own memberships over acting ones when nothing was chosen.
        chosen = valid[0]
    return Actor(user=user, membership=chosen, memberships=tuple(valid))


def unit_descendant_ids(root_ids: set[int], *, kinds: set[str] | None = None) -> set[int]:
    """The roots and every unit below them (one query per level; the hierarchy is shallow)."""
    found, frontier = set(root_ids), set(root_ids)
    while frontier:
        children = Unit.objects.filter(parent_id__in=frontier).exclude(pk__in=found)
        if kinds:
            children = children.filter(kind__in=kinds)
        frontier = set(children.values_list("pk", flat=True))
        found |= frontier
    return found


def _province_root_id(unit: Unit) -> int:
    """The province a unit belongs to: its provincial People's Committee, or the top of its tree when it has
    none (the Ministry). An installation holding several provinces under one national root keeps each
    province-wide role inside its own province."""
    node = unit
    while node.kind != UnitKind.PROVINCIAL_COMMITTEE and node.parent_id is not None:
        node = node.parent
    return node.pk


def unit_scope_ids(*, actor: Actor) -> set[int]:
    """Ids of the units whose data the actor may see. The one rule every tenant query uses."""
    if actor.scope_cache is None:
        actor.scope_cache = frozenset(_unit_scope_ids(actor))
    return set(actor.scope_cache)


def _unit_scope_ids(actor: Actor) -> set[int]:
    unit = actor.unit
    if unit is None or not actor.user.is_active:
        return set()
    if actor.can(Cap.VIEW_PROVINCE):
        return unit_descendant_ids({_province_root_id(unit)})
    ids = units_granted_ids(user=actor.user)
    if actor.can(Cap.VIEW_OWN_UNIT):
        ids.add(unit.pk)
    if actor.can(Cap.VIEW_SUBORDINATE_COMMUNES) and unit.kind == UnitKind.DISTRICT_COMMITTEE:
        ids |= unit_descendant_ids({unit.pk}, kinds={UnitKind.COMMUNE_COMMITTEE})
    return ids


def units_granted_ids(*, user: User) -> set[int]:
    """Per-object exceptions granted with guardian (e.g. an inspector given one unit).

    accept_global_perms=False: a model-wide ``view_unit`` must never widen anyone's scope
    (docs/architecture.md, fact 3).
    """
    granted = get_objects_for_user(
        user, "awards.view_unit", klass=Unit, accept_global_perms=False, with_superuser=False
    )
    return set(granted.values_list("pk", flat=True))


def scope(queryset: QuerySet, *, actor: Actor, unit_field: str = "unit") -> QuerySet:
    """Restrict any tenant queryset (rows carrying a unit foreign key) to the actor's scope."""
    return queryset.filter(**{f"{unit_field}__in": unit_scope_ids(actor=actor)})


def deny(*, actor: Actor, what: str, object_id: object, ip: str | None = None) -> PermissionDenied:
    """Log and audit a refused access, and return the exception for the caller to raise."""
    security_log.warning(
        "access denied: user=%s membership=%s %s=%s",
        actor.user.pk,
        getattr(actor.membership, "pk", None),
        what,
        object_id,
    )
    refusal_tally(actor=actor, what=what, object_id=object_id, ip=ip)  # audited once per user, object and hour
    return PermissionDenied()


def units_visible(*, actor: Actor, query: str = "", kind: str = "") -> QuerySet[Unit]:
    units = scope(Unit.objects.select_related("parent"), actor=actor, unit_field="pk")
    if kind:
        units = units.filter(kind=kind)
    if query:
        units = units.filter(name__icontains=query) | units.filter(code__icontains=query)
    return units.in_display_order()


def unit_get(*, actor: Actor, pk: int, ip: str | None = None) -> Unit:
    """A unit the actor may see, or 403 (logged). Existence is not revealed to outsiders."""
    if pk not in unit_scope_ids(actor=actor):
        raise deny(actor=actor, what="unit", object_id=pk, ip=ip)
    return Unit.objects.select_related("parent").get(pk=pk)


def unit_detail(*, actor: Actor, unit: Unit) -> dict:
    scope_ids = unit_scope_ids(actor=actor)
    members = Membership.objects.none()
    if actor.unit and (actor.unit.pk == unit.pk or actor.can(Cap.VIEW_PROVINCE)):
        members = Membership.objects.valid_on(today()).filter(unit=unit).select_related("user", "acting_for__user")
    return {
        "children": Unit.objects.filter(parent=unit, pk__in=scope_ids).in_display_order(),
        "predecessors": UnitLineage.objects.filter(successor=unit).select_related("predecessor"),
        "successors": UnitLineage.objects.filter(predecessor=unit).select_related("successor"),
        "members": members.order_by("role", "user__sort_key"),
    }


def audit_events_visible(*, actor: Actor) -> QuerySet[AuditEvent]:
    events = audit_events()  # each row shows its object's current name (awards.selectors.audit)
    if actor.can(Cap.VIEW_AUDIT):
        return scope(events, actor=actor)
    return events.filter(actor=actor.user)
