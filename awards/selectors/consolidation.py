"""Consolidation: who has reported, and the totals of every numeric item, in a few grouped queries.

Province view: every participant except the communes under a participating district on the campaign's
reference date, whose figures reach the province inside their district's report (section I.2 counts
its communes): nothing is counted twice. District view: the communes under it on that date. Totals
use each report's counted version (submitted or accepted).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet, Sum

from ..actor import Actor
from ..models import AnswerCount, AnswerRatio, AnswerYear, Campaign, ItemKind, Report, ReportStatus, Unit, UnitKind
from ..permissions import Cap
from .reports import campaign_participants


@dataclass
class Consolidation:
    campaign: Campaign
    scope_unit: Unit | None  # the district whose communes are shown, or None for the province
    board: list[dict] = field(default_factory=list)  # one row per participant: unit, report, state
    totals: dict[str, object] = field(default_factory=dict)  # item code -> int, (done, total) or {year: int}
    by_kind: dict[str, dict[str, object]] = field(default_factory=dict)  # item code -> kind -> value
    by_district: dict[str, dict[int, object]] = field(default_factory=dict)  # item code -> district pk -> value
    districts: dict[int, Unit] = field(default_factory=dict)  # the campaign's intermediate level; none: no breakdown
    counted_reports: int = 0


def consolidation_units(*, actor: Actor, campaign: Campaign) -> tuple[QuerySet[Unit], Unit | None] | None:
    """The units whose reports the actor consolidates, or None when the actor may not consolidate."""
    participants = campaign_participants(campaign=campaign)
    if actor.can(Cap.CONSOLIDATE) and actor.unit and actor.unit.pk == campaign.reviewer_id:
        return consolidation_province_units(campaign=campaign, participants=participants), None
    unit = actor.unit
    if (
        campaign.communes_report
        and unit is not None
        and unit.kind == UnitKind.DISTRICT_COMMITTEE
        and actor.can(Cap.VIEW_SUBORDINATE_COMMUNES)
    ):
        communes = participants.filter(kind=UnitKind.COMMUNE_COMMITTEE)
        return communes.placed_under(unit, campaign.reference_date), unit
    return None


def consolidation_province_units(*, campaign: Campaign, participants: QuerySet[Unit]) -> QuerySet[Unit]:
    """Every participant but the communes that, on the reference date, sat under a participating
    district: the district's report already counts them. Communes with no district then (after the
    2025 reform) report to the province directly and count there."""
    districts = participants.filter(kind=UnitKind.DISTRICT_COMMITTEE).values("pk")
    covered = (
        Unit.objects.filter(kind=UnitKind.COMMUNE_COMMITTEE)
        .with_parent_on(campaign.reference_date)
        .filter(parent_then__in=districts)
    )
    # Read once as a short list of ids (a province has a few hundred communes): as a subquery, the
    # placement lookup is parallel-restricted and PostgreSQL then plans every aggregate serially,
    # about 1.6x slower on bench/consolidation.py.
    return participants.exclude(pk__in=list(covered.values_list("pk", flat=True)))


def _value_rows(model, versions, group: str, extra: tuple[str, ...] = ()):
    # Grouped by item id, not code: joining the outline items onto every answer row costs a third
    # of the aggregate's time (bench/consolidation.py); the caller maps ids to codes.
    return model.objects.filter(version__in=versions).values("item_id", group, *extra)


def consolidation_build(*, campaign: Campaign, units: QuerySet[Unit], scope_unit: Unit | None) -> Consolidation:
    result = Consolidation(campaign=campaign, scope_unit=scope_unit)
    unit_list = list(units.only("pk", "code", "name", "kind", "sort_key").in_display_order())
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(campaign=campaign, unit__in=units).only(
            "pk", "unit_id", "status", "late_days", "first_submitted_at", "counted_version_id"
        )
    }
    for unit in unit_list:
        report = reports.get(unit.pk)
        result.board.append({"unit": unit, "report": report, "state": report.status if report else "missing"})
    counted = Report.objects.filter(campaign=campaign, unit__in=units, counted_version__isnull=False)
    result.counted_reports = sum(1 for r in reports.values() if r.counted_version_id)
    # A subquery, not a list of ids: PostgreSQL plans 5,000 literal ids worse (bench/consolidation.py).
    versions = counted.values("counted_version")
    kind_of = "version__unit__kind"
    code_of = dict(campaign.outline.items.values_list("pk", "code"))

    for row in _value_rows(AnswerCount, versions, kind_of).annotate(total=Sum("value")):
        code, kind = code_of[row["item_id"]], row[kind_of]
        result.totals[code] = result.totals.get(code, 0) + row["total"]
        result.by_kind.setdefault(code, {})[kind] = row["total"]
    # By district: a district committee's own report already includes its communes. A separate
    # query over the district reports only: folding it into the query above multiplies its groups.
    # The districts are the campaign's intermediate level (none on the two-tier structure: no breakdown).
    result.districts = campaign.intermediate_level().in_bulk()
    if result.districts:
        district_rows = AnswerCount.objects.filter(
            version__in=versions, version__unit__kind=UnitKind.DISTRICT_COMMITTEE
        ).values_list("item_id", "version__unit_id", "value")
        for item_id, district, value in district_rows:
            if district in result.districts:
                result.by_district.setdefault(code_of[item_id], {})[district] = value
    for row in _value_rows(AnswerRatio, versions, kind_of).annotate(done=Sum("numerator"), total=Sum("denominator")):
        code, kind = code_of[row["item_id"]], row[kind_of]
        done, total = result.totals.get(code, (0, 0))
        result.totals[code] = (done + row["done"], total + row["total"])
        result.by_kind.setdefault(code, {})[kind] = (row["done"], row["total"])
    yearly: dict[str, dict[int, int]] = defaultdict(dict)
    for row in _value_rows(AnswerYear, versions, kind_of, ("year",)).annotate(total=Sum("value")):
        code, kind, year = code_of[row["item_id"]], row[kind_of], row["year"]
        yearly[code][year] = yearly[code].get(year, 0) + row["total"]
        kind_years = result.by_kind.setdefault(code, {}).setdefault(kind, {})
        kind_years[year] = kind_years.get(year, 0) + row["total"]
    for code, years in yearly.items():
        result.totals[code] = dict(sorted(years.items()))
    return result


def consolidation_drilldown(*, campaign: Campaign, units: QuerySet[Unit], item_code: str, kind: str = "") -> list[dict]:
    """The units behind one total: each counted report's own value for the item."""
    item = campaign.outline.items.get(code=item_code)
    counted = Report.objects.filter(campaign=campaign, unit__in=units, counted_version__isnull=False)
    if kind:
        counted = counted.filter(unit__kind=kind)
    by_version = {r.counted_version_id: r for r in counted.select_related("unit")}
    values: dict[int, object] = {}
    if item.kind == ItemKind.COUNT:
        for row in AnswerCount.objects.filter(version__in=by_version, item=item):
            values[row.version_id] = row.value
    elif item.kind == ItemKind.RATIO:
        for row in AnswerRatio.objects.filter(version__in=by_version, item=item):
            values[row.version_id] = (row.numerator, row.denominator)
    elif item.kind == ItemKind.YEARLY:
        for row in AnswerYear.objects.filter(version__in=by_version, item=item):
            values.setdefault(row.version_id, {})[row.year] = row.value
    rows = [
        {"unit": report.unit, "report": report, "value": values[version_id]}
        for version_id, report in by_version.items()
        if version_id in values
    ]
    return sorted(rows, key=lambda r: r["unit"].sort_key)


STATE_ORDER = ["missing", ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]
