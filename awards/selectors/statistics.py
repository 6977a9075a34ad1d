"""A campaign's figures as charts: reporting progress, awards decided, processing times.

Every figure is an aggregate computed in the database (GROUP BY) over rows the scoping selectors let the
actor see: reports through `reports_visible` (a unit sees its own, a district also its communes', the
province every report sent to it), participants through `unit_scope`, awardees through
`awardees_in_force_visible` and processing times through `lateness_report`. A constant number of queries whatever
the data: the Python loops below run over groups (unit kinds, tiers, units), never over nominations.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ..actor import Actor
from ..models import AwardType, Campaign, NomineeKind, ReportStatus, Unit, UnitKind
from ..permissions import Cap
from .decisions import awardees_in_force_visible
from .lateness import Lateness, lateness_report
from .org import unit_scope
from .reports import reports_visible

# The top of a province's tree: the units right under it are "directly under the province".
TOP_KINDS = frozenset({UnitKind.MINISTRY, UnitKind.PROVINCIAL_COMMITTEE})


@dataclass
class ProgressRow:
    kind: str
    participants: int = 0
    accepted: int = 0
    submitted: int = 0  # sent and waiting for review
    returned: int = 0
    late: int = 0

    @property
    def label(self) -> str:
        return UnitKind(self.kind).label

    @property
    def not_submitted(self) -> int:
        """Not started, or a draft never sent (reviewers do not see other units' drafts)."""
        return max(self.participants - self.accepted - self.submitted - self.returned, 0)


@dataclass
class AwardRow:
    label: str
    collectives: int = 0
    individuals: int = 0

    @property
    def total(self) -> int:
        return self.collectives + self.individuals


@dataclass
class CampaignStatistics:
    campaign: Campaign
    deadline_passed: bool
    progress: list[ProgressRow] | None = None  # None: the actor may not read reports
    awards_by_tier: list[AwardRow] | None = None  # None: the actor may not see decisions
    awards_by_kind: list[AwardRow] = field(default_factory=list)
    awards_by_level: list[AwardRow] = field(default_factory=list)  # empty: no intermediate level
    lateness: Lateness | None = None  # None: the actor may not see processing times

    @property
    def progress_total(self) -> ProgressRow:
        total = ProgressRow(kind="")
        for row in self.progress or []:
            total.participants += row.participants
            total.accepted += row.accepted
            total.submitted += row.submitted
            total.returned += row.returned
            total.late += row.late
        return total

    @property
    def awards_total(self) -> int:
        return sum(row.total for row in self.awards_by_tier or [])


def reporting_progress(*, actor: Actor, campaign: Campaign, now: dt.datetime | None = None) -> list[ProgressRow]:
    """Per unit kind: participants in the actor's scope, and their reports by state (two grouped queries).
    Late: sent after the deadline, or not sent once it has passed."""
    now = now or timezone.now()
    participants = campaign.participants().filter(unit_scope(actor=actor).q("pk"))
    rows = {
        group["kind"]: ProgressRow(kind=group["kind"], participants=group["n"])
        for group in participants.values("kind").annotate(n=Count("pk")).order_by()
    }
    reports = reports_visible(actor=actor, campaign=campaign).filter(unit__in=participants.values("pk"))
    counts = (
        reports.values("unit__kind")
        .annotate(
            accepted=Count("pk", filter=Q(status=ReportStatus.ACCEPTED)),
            submitted=Count("pk", filter=Q(status=ReportStatus.SUBMITTED)),
            returned=Count("pk", filter=Q(status=ReportStatus.RETURNED)),
            sent=Count("pk", filter=Q(first_submitted_at__isnull=False)),
            sent_late=Count("pk", filter=Q(late_days__gt=0)),
        )
        .order_by()
    )
    passed = now > campaign.report_deadline
    sent: Counter[str] = Counter()
    for group in counts:
        row = rows.setdefault(group["unit__kind"], ProgressRow(kind=group["unit__kind"]))
        row.accepted, row.submitted, row.returned = group["accepted"], group["submitted"], group["returned"]
        row.late = group["sent_late"]
        sent[row.kind] = group["sent"]
    if passed:
        for row in rows.values():
            row.late += max(row.participants - sent[row.kind], 0)
    return sorted(rows.values(), key=lambda r: UnitKind.rank(r.kind))


def awards_breakdown(*, actor: Actor, campaign: Campaign) -> dict:
    """The awardees of the campaign's issued award decisions the actor sees (revoked ones not counted),
    by tier, by the nominating unit's kind and by the intermediate level of the campaign's reference date.
    One grouped query over awardees (groups: tier × unit × collective or individual), then the tiers, the
    units' parents on the reference date and the intermediate units."""
    day = campaign.reference_date
    parent_then = Unit.objects.with_parent_on(day).filter(pk=OuterRef("nomination__unit_id"))
    groups = list(
        awardees_in_force_visible(actor=actor, campaign=campaign)
        .annotate(up=Subquery(parent_then.annotate(up=F("parent_then")).values("up")[:1]))
        .values("decision__award_type_id", "nomination__unit_id", "nomination__unit__kind", "nomination__kind", "up")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tiers = AwardType.objects.in_bulk({g["decision__award_type_id"] for g in groups})
    intermediate = campaign.intermediate_level().in_bulk() if groups else {}
    by_tier: dict[int, AwardRow] = {}
    by_kind: dict[str, AwardRow] = {}
    by_level: dict[int | None, AwardRow] = {}
    for group in groups:
        unit_id, up = group["nomination__unit_id"], group["up"]
        level = unit_id if unit_id in intermediate else up if up in intermediate else None
        tier = tiers[group["decision__award_type_id"]]
        kind = group["nomination__unit__kind"]
        rows = (
            by_tier.setdefault(tier.pk, AwardRow(label=tier.name)),
            by_kind.setdefault(kind, AwardRow(label=UnitKind(kind).label)),
            by_level.setdefault(level, AwardRow(label=intermediate[level].name if level else "")),
        )
        for row in rows:
            if group["nomination__kind"] == NomineeKind.COLLECTIVE:
                row.collectives += group["n"]
            else:
                row.individuals += group["n"]
    direct = by_level.pop(None, None)
    if direct is not None:
        direct.label = _("Not under an intermediate level")
    levels = sorted(by_level.items(), key=lambda kv: intermediate[kv[0]].sort_key)
    return {
        "awards_by_tier": [by_tier[pk] for pk in sorted(by_tier, key=lambda pk: (tiers[pk].position, pk))],
        "awards_by_kind": [by_kind[k] for k in sorted(by_kind, key=UnitKind.rank)],
        "awards_by_level": [row for _pk, row in levels] + ([direct] if levels and direct else []),
    }


def campaign_statistics(*, actor: Actor, campaign: Campaign, now: dt.datetime | None = None) -> CampaignStatistics:
    """What the actor may see of the campaign's figures; each part only when its capability allows it."""
    now = now or timezone.now()
    result = CampaignStatistics(campaign=campaign, deadline_passed=now > campaign.report_deadline)
    if actor.can(Cap.VIEW_REPORTS):
        result.progress = reporting_progress(actor=actor, campaign=campaign, now=now)
    if actor.can(Cap.VIEW_NOMINATIONS):
        for name, value in awards_breakdown(actor=actor, campaign=campaign).items():
            setattr(result, name, value)
    if actor.can(Cap.VIEW_LATENESS) or actor.can(Cap.VIEW_ALL_LATENESS):
        result.lateness = lateness_report(actor=actor, campaign=campaign, today=timezone.localdate(now))
    return result


def may_see_statistics(actor: Actor) -> bool:
    return actor.can(Cap.VIEW_REPORTS) or actor.can(Cap.VIEW_NOMINATIONS)
