"""A campaign's consolidation read by today's units, across the 2025 reorganisation.

The consolidation (`selectors.consolidation`) counts every report under the hierarchy of the campaign's
reference date, and stays so. This second reading maps each counted report's unit to the units that carry
its work today, following `UnitLineage` transitively with links effective on or before today (A renamed to
B, B merged into C: C). Nothing is counted twice and nothing is divided:

- a unit whose chain ends in one unit adds its figures to that unit's row (two communes merged into a
  ward: one row, the ward's, naming both);
- a unit split into several cannot be divided: it keeps its own row, naming the units it was split into
  (a unit merged into it first goes there too);
- a unit without successor keeps its own row, marked closed when it has closed.

Every counted report therefore lands in exactly one row, and the rows add up to the consolidation's totals.
Reads: the counted reports with their units, the lineage links (a small table), the outline's items, and
one grouped query per kind of figure (counts, ratios, per-year tables), grouped in the database by the
row each unit lands in: the number of queries does not grow with the number of units.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Case, F, QuerySet, Sum, Value, When

from ..models import AnswerCount, AnswerRatio, AnswerYear, Campaign, ItemKind, Report, Unit, UnitKind, UnitLineage
from .org import today

CURRENT, CLOSED, SPLIT = "current", "closed", "split"


@dataclass(frozen=True)
class Lineage:
    """The lineage links effective on a day, as a graph of unit ids, with the units they name."""

    day: dt.date
    successors: dict[int, tuple[int, ...]]
    predecessors: dict[int, tuple[int, ...]]
    kinds: dict[tuple[int, int], str]  # (predecessor, successor) -> LineageKind
    units: dict[int, Unit]  # every unit a link names (name, kind, validity as they are today)

    def row_of(self, unit_id: int) -> int:
        """Where a unit's figures land: along single successors to the unit with none, or to the first one
        split into several (whose figures cannot be divided)."""
        current, seen = unit_id, set()
        while current not in seen:
            following = self.successors.get(current, ())
            if len(following) != 1:
                return current
            seen.add(current)
            current = following[0]
        return current  # a cycle in the data: stop where it closes

    def today_ids(self, unit_id: int) -> set[int]:
        """The units that carry a unit's work today: the ends of every chain from it (itself if none)."""
        found, stack, seen = set(), [unit_id], set()
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            following = self.successors.get(current, ())
            if following:
                stack.extend(following)
            else:
                found.add(current)
        return found or {unit_id}

    def change_of(self, unit_id: int) -> str:
        """How a unit's work reached today's units: "" (unchanged), "renamed" (renamings only), "merged"
        (into one unit, a merger on the way) or "split" (into several)."""
        if not self.successors.get(unit_id):
            return ""
        if len(self.today_ids(unit_id)) > 1:
            return SPLIT
        current, kinds, seen = unit_id, set(), set()
        while self.successors.get(current) and current not in seen:
            seen.add(current)
            following = self.successors[current][0]
            kinds.add(self.kinds[(current, following)])
            current = following
        return "renamed" if kinds == {"renamed"} else "merged"

    def family_ids(self, unit_id: int) -> set[int]:
        """A unit and every predecessor of it, at any depth (the units whose work it carries on)."""
        found, stack = set(), [unit_id]
        while stack:
            current = stack.pop()
            if current in found:
                continue
            found.add(current)
            stack.extend(self.predecessors.get(current, ()))
        return found

    def names(self, ids) -> list[str]:
        """Today's names of units the links name, in Vietnamese order."""
        units = [self.units[pk] for pk in ids if pk in self.units]
        return [u.name for u in sorted(units, key=lambda u: (u.sort_key, u.code))]


UNIT_FIELDS = ("code", "name", "kind", "sort_key", "valid_to")


def lineage_on(day: dt.date | None = None) -> Lineage:
    """Every lineage link effective on `day` (today by default), in one query. The table holds one row per
    predecessor and successor of a reorganisation: a few hundred for a province."""
    day = day or today()
    links = (
        UnitLineage.objects.filter(effective_on__lte=day)
        .select_related("predecessor", "successor")
        .only(
            "kind",
            "predecessor",
            "successor",
            *(f"{end}__{name}" for end in ("predecessor", "successor") for name in UNIT_FIELDS),
        )
        .order_by("pk")
    )
    successors: dict[int, list[int]] = defaultdict(list)
    predecessors: dict[int, list[int]] = defaultdict(list)
    kinds: dict[tuple[int, int], str] = {}
    units: dict[int, Unit] = {}
    for link in links:
        a, b = link.predecessor_id, link.successor_id
        successors[a].append(b)
        predecessors[b].append(a)
        kinds[(a, b)] = link.kind
        units[a], units[b] = link.predecessor, link.successor
    return Lineage(
        day=day,
        successors={pk: tuple(sorted(set(v))) for pk, v in successors.items()},
        predecessors={pk: tuple(sorted(set(v))) for pk, v in predecessors.items()},
        kinds=kinds,
        units=units,
    )


@dataclass
class RollupRow:
    unit: Unit  # the row's unit: a unit of today, one closed without successor, or one split since
    state: str  # CURRENT, CLOSED or SPLIT
    successors: list[str] = field(default_factory=list)  # SPLIT: today's units that share its work
    members: list[Unit] = field(default_factory=list)  # the reporting units counted here, under their own names
    values: dict[str, object] = field(default_factory=dict)  # item code -> int, (done, total) or {year: int}

    @property
    def predecessors(self) -> list[Unit]:
        """The members other than the row's own unit: the units whose work it carries on."""
        return [m for m in self.members if m.pk != self.unit.pk]


@dataclass
class Rollup:
    campaign: Campaign
    day: dt.date
    rows: list[RollupRow] = field(default_factory=list)
    totals: dict[str, object] = field(default_factory=dict)  # as Consolidation.totals: the rows' sums
    counted_reports: int = 0


def _row_expression(row_of: dict[int, int]):
    """The row each answer lands in, in SQL: the reporting unit's own id, or the row it moved to."""
    moved: dict[int, list[int]] = defaultdict(list)
    for unit_id, row in row_of.items():
        if unit_id != row:
            moved[row].append(unit_id)
    if not moved:
        return F("version__unit_id")
    return Case(
        *(When(version__unit_id__in=sorted(ids), then=Value(row)) for row, ids in sorted(moved.items())),
        default=F("version__unit_id"),
        output_field=BigIntegerField(),
    )


def _state(unit: Unit, lineage: Lineage, day: dt.date) -> str:
    if len(lineage.successors.get(unit.pk, ())) > 1:
        return SPLIT
    return CLOSED if unit.valid_to is not None and unit.valid_to < day else CURRENT


def rollup_build(
    *, campaign: Campaign, units: QuerySet[Unit], codes: list[str] | None = None, day: dt.date | None = None
) -> Rollup:
    """The consolidation of `units` (as `consolidation_units` gives them) by the units of `day` (today):
    one row per unit of today that carries counted work, per unit split since, and per unit closed without
    successor. `codes` limits the figures read to those items (all numeric items by default)."""
    day = day or today()
    counted = Report.objects.filter(campaign=campaign, unit__in=units, counted_version__isnull=False)
    reporters = {
        r.unit_id: r.unit
        for r in counted.select_related("unit").only("unit", *(f"unit__{name}" for name in UNIT_FIELDS))
    }
    lineage = lineage_on(day)
    row_of = {pk: lineage.row_of(pk) for pk in reporters}
    result = Rollup(campaign=campaign, day=day, counted_reports=len(reporters))
    rows: dict[int, RollupRow] = {}
    for pk, row_pk in row_of.items():
        unit = reporters.get(row_pk) or lineage.units[row_pk]
        row = rows.get(row_pk)
        if row is None:
            row = rows[row_pk] = RollupRow(unit=unit, state=_state(unit, lineage, day))
            if row.state == SPLIT:
                row.successors = lineage.names(lineage.today_ids(row_pk))
        row.members.append(reporters[pk])
    for row in rows.values():  # its own unit first, then the units merged into it, in Vietnamese order
        row.members.sort(key=lambda u: (u.pk != row.unit.pk, u.sort_key, u.code))
    items = campaign.outline.items.filter(kind__in=(ItemKind.COUNT, ItemKind.RATIO, ItemKind.YEARLY))
    if codes is not None:
        items = items.filter(code__in=codes)
    code_of, kinds = {}, set()
    for pk, code, kind in items.values_list("pk", "code", "kind"):
        code_of[pk] = code
        kinds.add(kind)
    versions = counted.values("counted_version")  # a subquery, as the consolidation reads them
    row_expression = _row_expression(row_of)

    def grouped(model, *extra):
        return (
            model.objects.filter(version__in=versions, item_id__in=list(code_of))
            .annotate(row=row_expression)
            .values("item_id", "row", *extra)
            .order_by()
        )

    if ItemKind.COUNT in kinds:
        for entry in grouped(AnswerCount).annotate(total=Sum("value")):
            code = code_of[entry["item_id"]]
            rows[entry["row"]].values[code] = entry["total"]
            result.totals[code] = result.totals.get(code, 0) + entry["total"]
    if ItemKind.RATIO in kinds:
        for entry in grouped(AnswerRatio).annotate(done=Sum("numerator"), total=Sum("denominator")):
            code = code_of[entry["item_id"]]
            rows[entry["row"]].values[code] = (entry["done"], entry["total"])
            done, total = result.totals.get(code, (0, 0))
            result.totals[code] = (done + entry["done"], total + entry["total"])
    if ItemKind.YEARLY in kinds:
        yearly: dict[str, dict[int, int]] = defaultdict(dict)
        for entry in grouped(AnswerYear, "year").annotate(total=Sum("value")):
            code, year = code_of[entry["item_id"]], entry["year"]
            years = rows[entry["row"]].values.setdefault(code, {})
            years[year] = years.get(year, 0) + entry["total"]
            yearly[code][year] = yearly[code].get(year, 0) + entry["total"]
        for code, years in yearly.items():
            result.totals[code] = dict(sorted(years.items()))
        for row in rows.values():
            for code in yearly:
                if code in row.values:
                    row.values[code] = dict(sorted(row.values[code].items()))
    result.rows = sorted(rows.values(), key=lambda r: (UnitKind.rank(r.unit.kind), r.unit.sort_key, r.unit.code))
    return result
