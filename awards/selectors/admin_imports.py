"""The administrator's imports and exports of units and accounts: who sees which import, its rows, and what the
exports read (every unit; every account with its own memberships, one per unit and role)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from ..actor import Actor
from ..models import AdminImport, AdminImportRow, Membership, RowAction, Unit, User
from ..permissions import IMPORT_CAPS, may_import
from .org import deny


def admin_imports_visible(*, actor: Actor, kind: str | None = None) -> QuerySet[AdminImport]:
    """Every administrator sees every import of the kinds they manage (whoever of them uploaded it)."""
    kinds = [k for k in IMPORT_CAPS if may_import(actor, k) and (kind is None or k == kind)]
    return AdminImport.objects.filter(kind__in=kinds).select_related("user", "confirmed_by")


def admin_import_get(*, actor: Actor, pk: int, ip: str | None = None) -> AdminImport:
    found = admin_imports_visible(actor=actor).filter(pk=pk).first()
    if found is None:
        raise deny(actor=actor, what="admin_import", object_id=pk, ip=ip)
    return found


def admin_import_rows(admin_import: AdminImport, *, problems_only: bool = False) -> QuerySet[AdminImportRow]:
    """The rows in the file's order; with `problems_only`, those with an error or a warning."""
    rows = admin_import.rows.order_by("position")
    if problems_only:
        rows = rows.filter(Q(action=RowAction.ERROR) | ~Q(warnings=[]))
    return rows


def membership_pick(candidates: Iterable[Membership], *, day: dt.date | None = None) -> Membership | None:
    """Of a user's own memberships in one unit with one role (an import's row names no more), the one a row stands
    for: the one in force today, else the active one that began last, else the latest. The export writes the same
    one, so an exported file imported again finds what it was read from."""
    day = day or timezone.localdate()

    def rank(m: Membership):
        return (m.is_valid_on(day), m.is_active, m.valid_from or dt.date.min, m.created_at, m.pk)

    return max(candidates, key=rank, default=None)


def memberships_by_key(users: Iterable[User]) -> dict[tuple[int, int, str], Membership]:
    """(user id, unit id, role) -> the membership a row stands for (acting memberships are not rows)."""
    grouped: dict[tuple[int, int, str], list[Membership]] = {}
    for membership in Membership.objects.filter(user__in=list(users), acting_for__isnull=True).select_related("unit"):
        grouped.setdefault((membership.user_id, membership.unit_id, membership.role), []).append(membership)
    return {key: membership_pick(found) for key, found in grouped.items()}


def units_for_export(*, actor: Actor) -> QuerySet[Unit]:
    """Every unit, closed ones too, in the lists' order, with the codes of its parent and governing body."""
    if not may_import(actor, "units"):
        raise deny(actor=actor, what="units_export", object_id="")
    return Unit.objects.select_related("parent", "governing_body").in_display_order()


def accounts_for_export(*, actor: Actor) -> list[tuple[User, Membership | None]]:
    """Every account, with each of its own memberships (one per unit and role, as a row stands for); an account
    without any on a row of its own. In the order of the users' list."""
    if not may_import(actor, "accounts"):
        raise deny(actor=actor, what="accounts_export", object_id="")
    users = list(User.objects.order_by("sort_key", "username"))
    picked = memberships_by_key(users)
    by_user: dict[int, list[Membership]] = {}
    for membership in picked.values():
        by_user.setdefault(membership.user_id, []).append(membership)
    rows: list[tuple[User, Membership | None]] = []
    for user in users:
        held = sorted(by_user.get(user.pk, []), key=lambda m: (m.unit.sort_key, m.unit.code, m.role))
        if held:
            rows.extend((user, membership) for membership in held)
        else:
            rows.append((user, None))
    return rows
