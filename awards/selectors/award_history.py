"""A nominee's earlier awards, followed across the 2025 reorganisation.

A person is the same person by citizen ID (else by name and date of birth, as the duplicate check matches
them); a collective is the same collective by name within the unit it belongs to or any predecessor of that
unit, and a unit nominated as a collective (its own name, belonging to itself) also by any predecessor of it
nominated the same way. Each award shows the name and unit line its decision printed, fixed at issue (the
unit as it was then), and, when that unit has since been renamed, merged, split or closed, what it is today.

Only awardees the actor already sees on the decision pages are shown (`decisions.award_items_visible`):
the history widens no one's view.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from ..actor import Actor
from ..identity import name_key
from ..models import DecisionItem, Nomination, NomineeKind, Unit
from .decisions import award_items_visible
from .org import today
from .rollup import SPLIT, Lineage, lineage_on

HISTORY_LIMIT = 50  # the newest awards shown; a nominee with more is very rare


@dataclass(frozen=True)
class PastAward:
    item: DecisionItem
    name: str  # as the decision printed it
    unit_line: str  # as the decision printed it: the unit at the time
    then: str  # the unit the award belongs to, by its own name (it may have closed since)
    now: str  # what that unit is today ("" when unchanged), a sentence
    revoked: bool

    @property
    def decision(self):
        return self.item.decision

    @property
    def line(self) -> str:
        """The awardee as the decision's list printed it: name and unit line (the name alone when the unit
        itself was awarded)."""
        return self.name if _same(self.name, self.unit_line) or not self.unit_line else f"{self.name}, {self.unit_line}"


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _now_text(unit: Unit, lineage: Lineage, *, named: bool) -> str:
    """What became of `unit`: "" when unchanged. `named`: the sentence names the unit (when the printed line
    does not already)."""
    change = lineage.change_of(unit.pk)
    names = ", ".join(lineage.names(lineage.today_ids(unit.pk)))
    params = {"unit": unit.name, "names": names}
    if change == "renamed":
        return (_("%(unit)s is now %(names)s") if named else _("now %(names)s")) % params
    if change == SPLIT:
        return (
            _("%(unit)s has since been split into %(names)s") if named else _("since split into %(names)s")
        ) % params
    if change:
        return (_("%(unit)s is now part of %(names)s") if named else _("now part of %(names)s")) % params
    if unit.valid_to is not None and unit.valid_to < lineage.day:
        return (_("%(unit)s has closed") if named else _("since closed")) % params
    return ""


def _past_awards(*, actor: Actor, match: Q, exclude: int | None, lineage: Lineage) -> list[PastAward]:
    items = (
        award_items_visible(actor=actor)
        .filter(match)
        .select_related("decision", "decision__award_type", "decision__issuer", "nomination__unit",
                        "nomination__parent_unit", "revoked_by")
        .order_by("-decision__date", "-decision__pk", "pk")
    )  # fmt: skip
    if exclude is not None:
        items = items.exclude(nomination_id=exclude)
    awards = []
    for item in items[:HISTORY_LIMIT]:
        nomination = item.nomination
        name, _position, unit_line = item.details  # fixed at issue: the names of that day
        unit = (
            nomination.unit if nomination.kind == NomineeKind.INDIVIDUAL else nomination.parent_unit or nomination.unit
        )
        named = not _same(unit_line, unit.name)
        awards.append(PastAward(item=item, name=name, unit_line=unit_line, then=unit.name,
                                now=_now_text(unit, lineage, named=named), revoked=item.revoked_by_id is not None))  # fmt: skip
    return awards


def _as_collective(units: list[Unit]) -> Q:
    """Units nominated as a collective: by their own name, belonging to themselves."""
    match = Q(pk__in=[])
    for unit in units:
        match |= Q(nomination__parent_unit=unit.pk, nomination__name_key=name_key(unit.name))
    return match


def nominee_history(*, actor: Actor, nomination: Nomination) -> list[PastAward]:
    """The nominee's earlier awards (newest first) that the actor may see, the nomination's own left out."""
    lineage = lineage_on(today())
    if nomination.kind == NomineeKind.INDIVIDUAL:
        if nomination.id_number:
            match = Q(nomination__id_number=nomination.id_number)
        elif nomination.birth_date:
            match = Q(nomination__name_key=nomination.name_key, nomination__birth_date=nomination.birth_date)
        else:
            return []  # nothing to tell the person from a namesake
        match &= Q(nomination__kind=NomineeKind.INDIVIDUAL)
    else:
        parent = nomination.parent_unit or nomination.unit
        family = lineage.family_ids(parent.pk)
        match = Q(nomination__parent_unit__in=family, nomination__name_key=nomination.name_key)
        if nomination.name_key == name_key(parent.name):  # the unit itself: its predecessors' awards too
            match |= _as_collective([parent, *(lineage.units[pk] for pk in family if pk != parent.pk)])
        match &= Q(nomination__kind=NomineeKind.COLLECTIVE)
    return _past_awards(actor=actor, match=match, exclude=nomination.pk, lineage=lineage)


def unit_history(*, actor: Actor, unit: Unit) -> list[PastAward]:
    """The awards of a unit nominated as a collective, and of every predecessor of it (newest first), that
    the actor may see."""
    lineage = lineage_on(today())
    family = [unit, *(lineage.units[pk] for pk in lineage.family_ids(unit.pk) if pk != unit.pk)]
    match = _as_collective(family) & Q(nomination__kind=NomineeKind.COLLECTIVE)
    return _past_awards(actor=actor, match=match, exclude=None, lineage=lineage)
