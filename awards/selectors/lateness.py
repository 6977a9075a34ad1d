"""Lateness: how long each agency, step and officer takes, from the steps' own records.

Every completed agency step (`NominationAction` with `arrived_at`) counts once, in working days from
the day it arrived to the day it was done; it is late when done after its due day. Nominations held at
a step now count as open, and late when past their due day. An agency's reviewers see their own
agency's rows; the provincial leader sees every agency's.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from ..actor import Actor
from ..calendar import WorkingCalendar, working_days_between
from ..models import UNIT_STEPS, Campaign, Nomination, NominationAction, NominationStatus, Outcome, Step
from ..permissions import Cap

DONE = (Outcome.APPROVED, Outcome.RETURNED, Outcome.REJECTED)


@dataclass
class LatenessRow:
    label: str
    agency: str = ""
    handled: int = 0
    late: int = 0
    open: int = 0
    open_late: int = 0
    days: list[int] = field(default_factory=list, repr=False)

    @property
    def average_days(self) -> float | None:
        return round(sum(self.days) / len(self.days), 1) if self.days else None

    @property
    def worst_days(self) -> int | None:
        return max(self.days) if self.days else None

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
    today = today or timezone.localdate()
    agencies = lateness_agency_ids(actor)
    actions = NominationAction.objects.filter(outcome__in=DONE, arrived_at__isnull=False).exclude(step__in=UNIT_STEPS)
    held = Nomination.objects.filter(
        status__in=(NominationStatus.IN_REVIEW, NominationStatus.RETURNED), step_due__isnull=False
    ).exclude(step__in=UNIT_STEPS)
    if campaign is not None:
        actions = actions.filter(nomination__campaign=campaign)
        held = held.filter(campaign=campaign)
    if agencies is not None:
        actions = actions.filter(unit_id__in=agencies)
        held = held.filter(holder_id__in=agencies)
    by_agency: dict[int, LatenessRow] = {}
    by_step: dict[tuple[int, str], LatenessRow] = {}
    by_officer: dict[tuple[int, int], LatenessRow] = {}

    def rows_for(unit, step: str, person) -> list[LatenessRow]:
        rows = [
            by_agency.setdefault(unit.pk, LatenessRow(label=unit.name)),
            by_step.setdefault((unit.pk, step), LatenessRow(label=Step(step).label, agency=unit.name)),
        ]
        if person is not None:
            rows.append(
                by_officer.setdefault((unit.pk, person.pk), LatenessRow(label=person.display_name, agency=unit.name))
            )
        return rows

    actions = list(actions.select_related("unit", "actor").order_by("pk"))
    days = [(timezone.localdate(a.arrived_at), timezone.localdate(a.at)) for a in actions]
    calendar = WorkingCalendar(min((a for a, _ in days), default=today), max((d for _, d in days), default=today))
    for action, (arrived, done) in zip(actions, days, strict=True):
        took = working_days_between(arrived, done, calendar=calendar)
        is_late = action.due is not None and done > action.due
        for row in rows_for(action.unit, action.step, action.actor):
            row.handled += 1
            row.days.append(took)
            row.late += is_late
    for nomination in held.select_related("holder", "assignee").order_by("pk"):
        for row in rows_for(nomination.holder, nomination.step, nomination.assignee):
            row.open += 1
            row.open_late += nomination.step_due < today

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
