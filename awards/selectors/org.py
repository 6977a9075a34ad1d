"""Reads. The scoping functions here decide what an actor may see; every view goes through them."""

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from ..actor import Actor
from ..audit import refusal_tally
from ..models import (
    AuditEvent,
    InheritedAccessOverride,
    Membership,
    Unit,
    UnitKind,
    UnitLineage,
    UnitUserObjectPermission,
    User,
)
from ..permissions import Cap
from ..text import sort_key
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


@dataclass(frozen=True)
class UnitScope:
    """The units an actor may see, as `unit_scope` found them, in the form cheapest to filter by.

    Listed units (`ids`), or a province's tree as a span of ids: every id from `low` to `high` except the
    `holes` (ids in that span outside the tree — the Ministry, another province's units — and ids that no unit
    had). Both forms hold exactly the units found, no more: a unit created later has an id past `high` or in a
    hole. The span keeps a province-wide filter one range whatever the number of units (docs/scale.md), where
    the list would be an IN of every unit of the province in every query, planned and bound each time.
    """

    ids: frozenset[int] = frozenset()
    low: int | None = None
    high: int | None = None
    holes: frozenset[int] = frozenset()
    count: int = 0

    @property
    def is_span(self) -> bool:
        return self.low is not None

    def __contains__(self, pk: object) -> bool:
        if self.is_span:
            return isinstance(pk, int) and self.low <= pk <= self.high and pk not in self.holes
        return pk in self.ids

    def __iter__(self) -> Iterator[int]:
        if self.is_span:
            return (pk for pk in range(self.low, self.high + 1) if pk not in self.holes)
        return iter(self.ids)

    def __len__(self) -> int:
        return self.count

    def q(self, field: str = "unit") -> Q:
        """The filter on a unit foreign key (`unit`, `pk` of units): one range, or an IN of the listed units.
        `field` must lead to one unit per row (never through a to-many relation)."""
        if not self.is_span:
            return Q(**{f"{field}__in": self.ids})
        within = Q(**{f"{field}__gte": self.low, f"{field}__lte": self.high})  # NULL is never within
        return within & ~Q(**{f"{field}__in": self.holes}) if self.holes else within


# Past this many ids inside a province's span that are not its units (several provinces' units created
# interleaved in one installation), the province's units are listed instead.
MAX_SPAN_HOLES = 100


def _province_tree(root_id: int) -> UnitScope:
    """The root and every unit below it (as `unit_descendant_ids`), read in one recursive query (one snapshot;
    UNION stops at a unit met twice), as a span of ids with its holes, or as the list when it has too many.
    PostgreSQL only (generate_series, arrays): the embedded SQLite, one small province, lists the units."""
    if connection.vendor != "postgresql":
        return _province_listed(root_id)
    table = connection.ops.quote_name(Unit._meta.db_table)
    pk = connection.ops.quote_name(Unit._meta.pk.column)
    parent = connection.ops.quote_name(Unit._meta.get_field("parent").column)
    sql = f"""
        WITH RECURSIVE tree(id) AS (
            SELECT {pk} FROM {table} WHERE {pk} = %s
            UNION
            SELECT child.{pk} FROM {table} AS child JOIN tree ON child.{parent} = tree.id
        ), span AS (SELECT min(id) AS low, max(id) AS high, count(*) AS units FROM tree)
        SELECT low, high, units,
            CASE WHEN high - low + 1 - units <= %s
                THEN ARRAY(SELECT g FROM generate_series(low, high) AS g EXCEPT SELECT id FROM tree) END,
            CASE WHEN high - low + 1 - units > %s THEN ARRAY(SELECT id FROM tree) END
        FROM span
    """  # noqa: S608 (names from the model, values bound)
    with connection.cursor() as cursor:
        cursor.execute(sql, [root_id, MAX_SPAN_HOLES, MAX_SPAN_HOLES])
        low, high, count, holes, members = cursor.fetchone()
    if not count:
        return UnitScope()
    if members is not None:
        return UnitScope(ids=frozenset(members), count=count)
    return UnitScope(low=low, high=high, holes=frozenset(holes), count=count)


def _province_listed(root_id: int) -> UnitScope:
    ids = frozenset(unit_descendant_ids({root_id}))
    return UnitScope(ids=ids, count=len(ids))


def unit_scope(*, actor: Actor) -> UnitScope:
    """The units whose data the actor may see. The one rule every tenant query uses (through `scope`, or
    `unit_scope_ids` where the ids themselves are needed); read once per actor."""
    if not isinstance(actor.scope_cache, UnitScope):
        actor.scope_cache = _unit_scope(actor)
    return actor.scope_cache


def unit_scope_ids(*, actor: Actor) -> set[int]:
    """Ids of the units whose data the actor may see (`unit_scope` as a set)."""
    return set(unit_scope(actor=actor))


def _unit_scope(actor: Actor) -> UnitScope:
    unit = actor.unit
    if unit is None or not actor.user.is_active:
        return UnitScope()
    if actor.can(Cap.VIEW_PROVINCE):
        return _province_tree(_province_root_id(unit))
    ids = units_granted_ids(user=actor.user)
    if actor.can(Cap.VIEW_OWN_UNIT):
        ids.add(unit.pk)
        ids |= units_inherited_ids(actor=actor)
    if actor.can(Cap.VIEW_SUBORDINATE_COMMUNES) and unit.kind == UnitKind.DISTRICT_COMMITTEE:
        ids |= unit_descendant_ids({unit.pk}, kinds={UnitKind.COMMUNE_COMMITTEE})
    return UnitScope(ids=frozenset(ids), count=len(ids))


def units_granted_ids(*, user: User) -> set[int]:
    """Per-object exceptions granted with guardian (e.g. an inspector given one unit).

    accept_global_perms=False: a model-wide ``view_unit`` must never widen anyone's scope
    (docs/architecture.md, fact 3).
    """
    granted = get_objects_for_user(
        user, "awards.view_unit", klass=Unit, accept_global_perms=False, with_superuser=False
    )
    return set(granted.values_list("pk", flat=True))


def predecessor_ids(unit_ids: set[int], *, on: dt.date | None = None) -> set[int]:
    """Every unit whose work continues in these units, following lineage back (A renamed B, B merged into C: both
    for C), effective by `on` (every date when None). One query per generation; lineage is a few levels deep."""
    found, frontier = set(), set(unit_ids)
    while frontier:
        links = UnitLineage.objects.filter(successor_id__in=frontier)
        if on is not None:
            links = links.filter(effective_on__lte=on)
        frontier = set(links.values_list("predecessor_id", flat=True)) - found - set(unit_ids)
        found |= frontier
    return found


def units_inherited_ids(*, actor: Actor) -> set[int]:
    """The predecessors of the actor's unit (merged or split into it, by today) whose files the actor may read: those
    guardian grants the user `inherit_unit` on (written per membership by awards.services.inheritance, revocable one
    by one by an administrator). Both must hold, so a grant never reaches beyond the membership acted under, nor
    before the change's date. Read only: every write rule asks for the actor's own unit."""
    if actor.unit is None:
        return set()
    candidates = predecessor_ids({actor.unit.pk}, on=today())
    if not candidates:
        return set()
    granted = get_objects_for_user(
        actor.user, "awards.inherit_unit", klass=Unit.objects.filter(pk__in=candidates),
        accept_global_perms=False, with_superuser=False,
    )  # fmt: skip
    return set(granted.values_list("pk", flat=True))


def scope(queryset: QuerySet, *, actor: Actor, unit_field: str = "unit") -> QuerySet:
    """Restrict any tenant queryset (rows carrying a unit foreign key) to the actor's scope."""
    return queryset.filter(unit_scope(actor=actor).q(unit_field))


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
    if pk not in unit_scope(actor=actor):
        raise deny(actor=actor, what="unit", object_id=pk, ip=ip)
    return Unit.objects.select_related("parent").get(pk=pk)


def unit_detail(*, actor: Actor, unit: Unit) -> dict:
    members = Membership.objects.none()
    if actor.unit and (actor.unit.pk == unit.pk or actor.can(Cap.VIEW_PROVINCE)):
        members = Membership.objects.valid_on(today()).filter(unit=unit).select_related("user", "acting_for__user")
    return {
        "children": Unit.objects.filter(parent=unit).filter(unit_scope(actor=actor).q("pk")).in_display_order(),
        "predecessors": UnitLineage.objects.filter(successor=unit).select_related("predecessor"),
        "successors": UnitLineage.objects.filter(predecessor=unit).select_related("successor"),
        "members": members.order_by("role", "user__sort_key"),
    }


def audit_events_visible(*, actor: Actor) -> QuerySet[AuditEvent]:
    events = audit_events()  # each row shows its object's current name (awards.selectors.audit)
    if actor.can(Cap.VIEW_AUDIT):
        return scope(events, actor=actor)
    return events.filter(actor=actor.user)


@dataclass(frozen=True)
class InheritedAccess:
    """One member of a successor and their access to a predecessor's files."""

    user: User
    via: tuple[str, ...]  # the successors they are a member of
    allowed: bool
    reason: str  # the administrator's, when an exception was decided


def inherited_access_rows(*, unit: Unit) -> list[InheritedAccess]:
    """Who reads this unit's files as a successor's member (guardian's `inherit_unit` grants), and whom an
    administrator has revoked, for the unit's page in the admin. Bounded by its successors' members."""
    successors = set(UnitLineage.objects.filter(predecessor=unit).values_list("successor_id", flat=True))
    frontier = set(successors)
    while frontier:  # later generations inherit too (A merged into B, B renamed into C)
        frontier = set(UnitLineage.objects.filter(predecessor_id__in=frontier).values_list("successor_id", flat=True))
        frontier -= successors
        successors |= frontier
    if not successors:
        return []
    granted = set(
        UnitUserObjectPermission.objects.filter(content_object=unit, permission__codename="inherit_unit")
        .values_list("user_id", flat=True)
    )  # fmt: skip
    overrides = {o.user_id: o for o in InheritedAccessOverride.objects.filter(unit=unit)}
    via: dict[int, set[str]] = {}
    members = Membership.objects.filter(unit_id__in=successors, user_id__in=granted | set(overrides))
    for user_id, name in members.values_list("user_id", "unit__name"):
        via.setdefault(user_id, set()).add(name)
    users = User.objects.filter(pk__in=granted | set(overrides)).order_by("sort_key", "username")
    return [
        InheritedAccess(
            user=user,
            via=tuple(sorted(via.get(user.pk, ()), key=sort_key)),
            allowed=user.pk in granted,
            reason=overrides[user.pk].reason if user.pk in overrides else "",
        )  # fmt: skip
        for user in users
    ]
