"""Reads of reorganisations: what an applied one changed, from the rows it wrote (lineage, earlier names and
placements point to it) and its record (closed units, memberships, files moved) — never recomputed from today's
state, which the reorganisation itself has changed."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from ..models import Membership, Nomination, Reorganisation, Unit, UnitLineage, UnitName, UnitPlacement

EXAMPLES = 20  # files named per unit; the counts are complete


@dataclass
class UnitFiles:
    """A closing unit's open files: counts, the first few named, where they go (None: nowhere — refused)."""

    unit: Unit
    to: Unit | None
    nominations: int = 0
    examples: list = field(default_factory=list)


@dataclass
class Summary:
    """What a reorganisation changes: the preview of a draft (awards.services.reorganisations.Preview adds its
    refusals) or, once applied, what it did (`reorganisation_outcome`). One page shows both."""

    reorganisation: Reorganisation
    closed: list = field(default_factory=list)  # (unit, [successors], lineage kind or "")
    renamed: list = field(default_factory=list)  # (unit, old name, new name)
    moved: list = field(default_factory=list)  # (unit, old parent, new parent)
    members_moved: list = field(default_factory=list)  # (membership ended, unit joined)
    members_ended: list = field(default_factory=list)  # memberships
    files: list = field(default_factory=list)  # UnitFiles
    reports_left: list = field(default_factory=list)  # open reports that stay with a closing unit
    problems: list = field(default_factory=list)  # sentences: applying is refused while there are any

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def last_day(self) -> dt.date:
        return self.reorganisation.effective_on - dt.timedelta(days=1)


def reorganisation_outcome(*, reorganisation: Reorganisation) -> Summary:
    outcome, record = Summary(reorganisation=reorganisation), reorganisation.record or {}
    links = UnitLineage.objects.filter(reorganisation=reorganisation).select_related("predecessor", "successor")
    successors: dict[int, list[Unit]] = defaultdict(list)
    kinds, units = {}, {}
    for link in links.order_by("predecessor__sort_key", "successor__sort_key"):
        successors[link.predecessor_id].append(link.successor)
        kinds[link.predecessor_id], units[link.predecessor_id] = link.kind, link.predecessor
    closed_ids = [int(pk) for pk in record.get("closed", {})]
    for unit in Unit.objects.filter(pk__in=closed_ids).order_by("sort_key"):
        outcome.closed.append((unit, successors.get(unit.pk, []), kinds.get(unit.pk, "")))
    for name in UnitName.objects.filter(reorganisation=reorganisation).select_related("unit"):
        outcome.renamed.append((name.unit, name.name, name.unit.name))
    for placement in UnitPlacement.objects.filter(reorganisation=reorganisation).select_related("unit", "parent"):
        outcome.moved.append((placement.unit, placement.parent, placement.unit.parent))
    created = list(Membership.objects.filter(pk__in=record.get("created", [])).select_related("unit"))
    joined = {(m.user_id, m.role): m.unit for m in created}
    ended = Membership.objects.filter(pk__in=[int(pk) for pk in record.get("ended", {})]).select_related("user", "unit")
    for membership in ended.order_by("unit__sort_key", "user__sort_key"):
        to = joined.get((membership.user_id, membership.role))
        if to is not None:
            outcome.members_moved.append((membership, to))
        else:
            outcome.members_ended.append(membership)
    moved: dict[tuple[int, int], list[int]] = defaultdict(list)
    for pk, from_id, to_id, _holder in record.get("nominations", []):
        moved[(from_id, to_id)].append(pk)
    names = Unit.objects.in_bulk({pk for pair in moved for pk in pair})
    for (from_id, to_id), ids in moved.items():
        examples = list(Nomination.objects.filter(pk__in=ids[:EXAMPLES]).select_related("campaign").order_by("pk"))
        outcome.files.append(UnitFiles(unit=names[from_id], to=names[to_id], nominations=len(ids), examples=examples))
    return outcome
