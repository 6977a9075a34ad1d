"""Lateness: how long each agency, step and officer takes, from the steps' own records.

Every completed agency step (`NominationAction` with `arrived_at`) counts once, in working days from
the day it arrived to the day it was done (`took_days`, fixed when the step is done and added to its
officer's `LatenessTally`, so the report reads a few hundred sums, never the step records); it is late
when done after its due day. Nominations held at
a step now count as open, and late when past their due day. An agency's reviewers see their own
agency's rows; the provincial leader sees every agency's.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ..actor import Actor
from ..models import (
    UNIT_STEPS,
    Campaign,
    LatenessTally,
    Nomination,
    NominationAction,
    NominationStatus,
    Step,
    Unit,
    User,
)
from ..permissions import Cap


@dataclass
class LatenessRow:
    label: str
    agency: str = ""
    handled: int = 0
    late: int = 0
    open: int = 0
    open_late: int = 0
    days_total: int = 0
    worst_days: int | None = None

    @property
    def average_days(self) -> float | None:
        return round(self.days_total / self.handled, 1) if self.handled else None

    @property
    def late_percent(self) -> int | None:
        return round(100 * self.late / self.handled) if self.handled else None


@dataclass
class Lateness:
    campaign: Campaign | None
    by_agency: list[LatenessRow]
    by_step: list[LatenessRow]
    by_officer: list[LatenessRow]


def lateness_agency_ids(actor: Actor) -> set[int] | None:
    """The agencies whose rows the actor sees (None: all). Anyone else may not open the report at all."""
    if actor.can(Cap.VIEW_ALL_LATENESS):
        return None
    if actor.can(Cap.VIEW_LATENESS) and actor.unit is not None:
        return {actor.unit.pk}
    raise PermissionDenied


def lateness_report(*, actor: Actor, campaign: Campaign | None = None, today: dt.date | None = None) -> Lateness:
    """Four queries whatever the data: the tallies of the handled steps (`LatenessTally`, summed as each
    step is done) and the held nominations grouped in the database by agency, step and officer, then the
    names of those agencies and people."""
    today = today or timezone.localdate()
    agencies = lateness_agency_ids(actor)
    tallies = LatenessTally.objects.all()
    held = Nomination.objects.filter(
        status__in=(NominationStatus.IN_REVIEW, NominationStatus.RETURNED), step_due__isnull=False
    ).exclude(step__in=UNIT_STEPS)
    if campaign is not None:
        tallies = tallies.filter(campaign=campaign)
        held = held.filter(campaign=campaign)
    if agencies is not None:
        tallies = tallies.filter(unit_id__in=agencies)
        held = held.filter(holder_id__in=agencies)
    done = list(tallies.values("unit_id", "step", "actor_id", "handled", "late", "days_total", "worst"))
    waiting = list(
        held.values("holder_id", "step", "assignee_id")
        .annotate(open=Count("pk"), open_late=Count("pk", filter=Q(step_due__lt=today)))
        .order_by()
    )
    units = Unit.objects.in_bulk({g["unit_id"] for g in done} | {g["holder_id"] for g in waiting})
    people = User.objects.in_bulk({g["actor_id"] for g in done} | {g["assignee_id"] for g in waiting} - {None})
    by_agency: dict[int, LatenessRow] = {}
    by_step: dict[tuple[int, str], LatenessRow] = {}
    by_officer: dict[tuple[int, int], LatenessRow] = {}

    def rows_for(unit_id: int, step: str, person_id: int | None) -> list[LatenessRow]:
        unit = units[unit_id]
        rows = [
            by_agency.setdefault(unit_id, LatenessRow(label=unit.name)),
            by_step.setdefault((unit_id, step), LatenessRow(label=Step(step).label, agency=unit.name)),
        ]
        if person_id is not None:
            rows.append(by_officer.setdefault(
                (unit_id, person_id), LatenessRow(label=people[person_id].display_name, agency=unit.name)))  # fmt: skip
        return rows

    for group in done:
        for row in rows_for(group["unit_id"], group["step"], group["actor_id"]):
            row.handled += group["handled"]
            row.late += group["late"]
            row.days_total += group["days_total"]
            row.worst_days = max(row.worst_days or 0, group["worst"])
    for group in waiting:
        for row in rows_for(group["holder_id"], group["step"], group["assignee_id"]):
            row.open += group["open"]
            row.open_late += group["open_late"]

    def ordered(rows) -> list[LatenessRow]:
        return sorted(rows, key=lambda r: (-(r.late + r.open_late), r.agency, r.label))

    return Lateness(
        campaign=campaign,
        by_agency=ordered(by_agency.values()),
        by_step=ordered(by_step.values()),
        by_officer=ordered(by_officer.values()),
    )


def lateness_campaigns(actor: Actor) -> QuerySet[Campaign]:
    """Campaigns with agency steps the actor may count."""
    agencies = lateness_agency_ids(actor)
    campaigns = Campaign.objects.order_by("-plan_date", "-pk")
    if agencies is None:
        return campaigns
    held = Nomination.objects.filter(campaign=OuterRef("pk"), holder_id__in=agencies)
    acted = NominationAction.objects.filter(nomination__campaign=OuterRef("pk"), unit_id__in=agencies)
    return campaigns.filter(Exists(held) | Exists(acted))
