"""Who sees which award decisions, their awardees and their files. Every decision page reads through here.

- The issuing body (the police for Giấy khen, the provincial committee for the Chairman's Bằng khen,
  the Ministry's liaison for what it records) sees its drafts and its issued decisions.
- The agencies on a tier's route (police, Home Affairs, the provincial leader) see the tier's issued
  decisions, whole.
- A nominating unit (a district also for its communes) sees the issued decisions that award its own
  nominees, and in them only its own awardees; never a draft.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from ..actor import Actor
from ..models import (
    AwardStep,
    Campaign,
    Decision,
    DecisionItem,
    DecisionKind,
    DecisionStatus,
    DocumentKind,
    GeneratedDocument,
    HandOff,
    Nomination,
    NominationStatus,
    Route,
    Step,
    Unit,
    UnitKind,
    parent_on,
)
from ..permissions import Cap
from ..text import nfc, sort_key
from .nominations import award_types_on_route
from .org import deny, unit_scope_ids


def _agency(actor: Actor) -> bool:
    """Staff of an agency acting on the tiers (not, say, a unit officer who happens to sit in the police)."""
    return actor.can(Cap.VIEW_PROVINCE) or actor.can(Cap.RECORD_MINISTRY_OUTCOME)


def _sees_whole(actor: Actor) -> Q:
    """The decisions the actor sees with every awardee: its own body's, and issued ones of its tiers."""
    if not _agency(actor):
        return Q(pk__in=[])
    whole = Q(issuer=actor.unit)
    if actor.can(Cap.VIEW_PROVINCE):
        whole |= Q(status=DecisionStatus.ISSUED, award_type__in=award_types_on_route(actor))
    return whole


def _own_units(actor: Actor):
    """The units whose awardees are the actor's own: an agency's own unit; a district also its communes'."""
    return [actor.unit.pk] if actor.can(Cap.VIEW_PROVINCE) else unit_scope_ids(actor=actor)


def decisions_visible(*, actor: Actor) -> QuerySet[Decision]:
    if not actor.can(Cap.VIEW_NOMINATIONS) or actor.unit is None:
        return Decision.objects.none()
    own_awardees = Q(status=DecisionStatus.ISSUED, items__nomination__unit__in=_own_units(actor))
    seen = Decision.objects.filter(_sees_whole(actor) | own_awardees).values("pk")
    return Decision.objects.filter(pk__in=seen).select_related("campaign", "award_type", "issuer", "refers_to")


def decision_get(*, actor: Actor, pk: int, ip: str | None = None) -> Decision:
    decision = decisions_visible(actor=actor).filter(pk=pk).first()
    if decision is None:
        raise deny(actor=actor, what="decision", object_id=pk, ip=ip)
    return decision


def sees_whole_decision(actor: Actor, decision: Decision) -> bool:
    """Whether the actor sees every awardee and the decision's files, or only its own unit's awardees."""
    if actor.unit is None:
        return False
    return Decision.objects.filter(_sees_whole(actor), pk=decision.pk).exists()


def decision_items_visible(*, actor: Actor, decision: Decision) -> QuerySet[DecisionItem]:
    items = decision.items.select_related(
        "nomination", "nomination__unit", "nomination__parent_unit", "revoked_by", "corrected_by"
    ).order_by("nomination__unit__sort_key", "nomination__sort_key", "pk")
    if sees_whole_decision(actor, decision):
        return items
    return items.filter(nomination__unit__in=_own_units(actor), decision__status=DecisionStatus.ISSUED)


# What a nominating unit named in an issued decision receives (it is on the "Nơi nhận"): the signed document.
RECIPIENT_KINDS = (DocumentKind.DECISION_PDF,)


def receives_decision(actor: Actor, decision: Decision) -> bool:
    """A unit whose awardees an issued decision names receives it: its PDF and signed scan."""
    if actor.unit is None or not actor.can(Cap.VIEW_NOMINATIONS) or decision.status != DecisionStatus.ISSUED:
        return False
    return decision.items.filter(nomination__unit__in=_own_units(actor)).exists()


def decision_documents_visible(*, actor: Actor, decision: Decision) -> QuerySet[GeneratedDocument]:
    if sees_whole_decision(actor, decision):
        return decision.documents.all()
    if receives_decision(actor, decision):
        return decision.documents.filter(kind__in=RECIPIENT_KINDS)
    return GeneratedDocument.objects.none()


def decision_scan_visible(actor: Actor, decision: Decision) -> bool:
    return bool(decision.scan_path) and (sees_whole_decision(actor, decision) or receives_decision(actor, decision))


def nomination_award(*, nomination: Nomination) -> DecisionItem | None:
    """The issued award decision that names the nomination (with its revocation, if any): what its page
    shows once decided. The caller has already been allowed to see the nomination."""
    return (
        DecisionItem.objects.filter(nomination=nomination, decision__status=DecisionStatus.ISSUED,
                                    decision__kind=DecisionKind.AWARD)
        .select_related("decision", "revoked_by")
        .order_by("-decision__date", "-pk")
        .first()
    )  # fmt: skip


def handoff_get(*, actor: Actor, pk: int, ip: str | None = None) -> HandOff:
    """A hand-off's tờ trình is the agencies': the sender, the receiver and those on the tier's route."""
    handoff = None
    if actor.unit is not None and actor.can(Cap.VIEW_NOMINATIONS) and _agency(actor):
        seen = Q(from_unit=actor.unit) | Q(to_unit=actor.unit)
        if actor.can(Cap.VIEW_PROVINCE):
            seen |= Q(award_type__in=award_types_on_route(actor))
        handoff = HandOff.objects.filter(seen, pk=pk).select_related("from_unit", "to_unit").first()
    if handoff is None:
        raise deny(actor=actor, what="handoff", object_id=pk, ip=ip)
    return handoff


def decision_candidates(*, campaign: Campaign, award_type) -> QuerySet[Nomination]:
    """Nominations awaiting a decision at their final step, in no other decision (a revoked award's
    item does not count)."""
    taken = DecisionItem.objects.filter(revoked_by__isnull=True, decision__kind=DecisionKind.AWARD)
    return (
        Nomination.objects.filter(
            campaign=campaign, award_type=award_type, status=NominationStatus.AWAITING_DECISION,
            step=Step.AWAITING_DECISION,
        )
        .exclude(pk__in=taken.values("nomination"))
        .select_related("unit", "parent_unit")
        .order_by("unit__sort_key", "sort_key", "pk")
    )  # fmt: skip


def awardees_visible(*, actor: Actor, campaign: Campaign) -> QuerySet[DecisionItem]:
    """The actor's own unit's awards in a campaign (a district: also its communes'), revoked ones flagged."""
    if not actor.can(Cap.VIEW_NOMINATIONS) or actor.unit is None:
        return DecisionItem.objects.none()
    return (
        DecisionItem.objects.filter(
            decision__campaign=campaign, decision__status=DecisionStatus.ISSUED, decision__kind=DecisionKind.AWARD,
            nomination__unit__in=_own_units(actor),
        )
        .select_related("decision", "decision__award_type", "nomination", "nomination__unit",
                        "nomination__parent_unit", "revoked_by", "corrected_by")
        .order_by("decision__award_type__position", "nomination__unit__sort_key", "nomination__sort_key", "pk")
    )  # fmt: skip


@dataclass
class DecisionCounts:
    """Awards in force in a campaign, for the reviewers: per tier, per kind of unit and per district of the
    campaign's intermediate level (empty when it has none: the two-tier structure, from 1/7/2025)."""

    by_tier: list[tuple[str, int, int]]  # (tier, collectives, individuals)
    by_unit_kind: list[tuple[str, int]]
    by_district: list[tuple[str, int]]
    total: int


def decision_counts(*, actor: Actor, campaign: Campaign) -> DecisionCounts:
    """Counted over the awardees the actor may see whole (one query, then the campaign's intermediate level).
    A unit counts under the district it, or its parent, was on the campaign's reference date, not today."""
    if actor.unit is None:
        return DecisionCounts([], [], [], 0)
    parent_then = parent_on(unit=OuterRef("nomination__unit_id"), day=campaign.reference_date,
                            current=F("nomination__unit__parent_id"))  # fmt: skip
    rows = list(
        DecisionItem.objects.filter(
            decision__in=decisions_visible(actor=actor).filter(_sees_whole(actor), campaign=campaign),
            decision__status=DecisionStatus.ISSUED, decision__kind=DecisionKind.AWARD, revoked_by__isnull=True,
        ).annotate(up=parent_then).values_list(
            "decision__award_type__position", "decision__award_type__name", "nomination__kind",
            "nomination__unit__kind", "nomination__unit_id", "up",
        )
    )  # fmt: skip
    level = campaign.intermediate_level().in_bulk() if rows else {}
    tiers: dict[tuple[int, str], list[int]] = {}
    kinds: Counter = Counter()
    districts: Counter = Counter()
    labels = dict(UnitKind.choices)
    for position, tier, kind, unit_kind, unit_id, up in rows:
        counts = tiers.setdefault((position, tier), [0, 0])
        counts[0 if kind == "collective" else 1] += 1
        kinds[str(labels.get(unit_kind, unit_kind))] += 1
        if unit_id in level:
            districts[level[unit_id].name] += 1
        elif up in level:
            districts[level[up].name] += 1
        else:
            districts[_("Provincial level")] += 1
    return DecisionCounts(
        by_tier=[(tier, c, i) for (_position, tier), (c, i) in sorted(tiers.items())],
        by_unit_kind=sorted(kinds.items(), key=lambda kv: sort_key(kv[0])),
        by_district=sorted(districts.items(), key=lambda kv: sort_key(kv[0])) if level else [],
        total=len(rows),
    )


def _unit_line(name: str) -> str:
    return " ".join(nfc(name).split()).casefold()


def decision_unit_order(decision: Decision, units: Sequence[Unit]) -> list[Unit]:
    """The nominating units in the list's order: as the issuing body set it, then by kind and name."""
    named = {line: i for i, line in enumerate(map(_unit_line, decision.unit_order.splitlines())) if line}
    kinds = {kind: i for i, kind in enumerate(UnitKind.values)}
    distinct = {unit.pk: unit for unit in units}.values()
    return sorted(distinct, key=lambda u: (named.get(_unit_line(u.name), len(named)), kinds.get(u.kind, 99),
                                           u.sort_key))  # fmt: skip


DECIDING_CAP = 1000  # counted exactly up to here, then shown as "1.000+"


def decisions_waiting(*, actor: Actor) -> list[dict]:
    """The home page's decisions to take: per campaign and tier the actor decides (or records, for the Ministry's),
    the nominations awaiting a decision and in none, and the drafts of the actor's body to issue. One query per
    tier (at most DECIDING_CAP + 1 rows) and one for the drafts: it does not grow with the data."""
    if actor.unit is None or actor.role is None:
        return []
    tiers = [rule.award_type for rule in AwardStep.objects.filter(step=Step.AWAITING_DECISION, unit=actor.unit,
                                                                  role=actor.role).select_related("award_type")]  # fmt: skip
    taken = DecisionItem.objects.filter(revoked_by__isnull=True, decision__kind=DecisionKind.AWARD)
    groups: dict[tuple, dict] = {}
    for tier in tiers:
        rows = list(
            Nomination.objects.filter(award_type=tier, status=NominationStatus.AWAITING_DECISION,
                                      step=Step.AWAITING_DECISION)
            .exclude(pk__in=taken.values("nomination"))
            .order_by()  # counted, not listed: no sort
            .values_list("campaign_id", "campaign__plan_number", "campaign__plan_symbol")[: DECIDING_CAP + 1]
        )  # fmt: skip
        for campaign_id, number, symbol in rows:
            group = groups.setdefault((campaign_id, tier.pk), {
                "campaign_id": campaign_id, "plan": f"{number}/{symbol}", "award_type_id": tier.pk,
                "award_type": tier.name, "records": tier.route == Route.MINISTRY, "count": 0, "drafts": 0,
                "more": len(rows) > DECIDING_CAP,
            })  # fmt: skip
            group["count"] += 1
    drafts = (
        Decision.objects.filter(issuer=actor.unit, status=DecisionStatus.DRAFT, award_type__in=tiers)
        .order_by()
        .values_list("campaign_id", "campaign__plan_number", "campaign__plan_symbol", "award_type_id",
                     "award_type__name")[: DECIDING_CAP + 1]
    )  # fmt: skip
    for campaign_id, number, symbol, tier_id, tier_name in drafts:
        group = groups.setdefault((campaign_id, tier_id), {
            "campaign_id": campaign_id, "plan": f"{number}/{symbol}", "award_type_id": tier_id,
            "award_type": tier_name, "records": False, "count": 0, "drafts": 0, "more": False,
        })  # fmt: skip
        group["drafts"] += 1
    for group in groups.values():
        group["count"] = min(group["count"], DECIDING_CAP)
    return sorted(groups.values(), key=lambda g: (g["plan"], g["award_type"]))


def award_items_visible(*, actor: Actor) -> QuerySet[DecisionItem]:
    """The awardees of issued award decisions the actor sees, in every campaign, revoked ones included: every
    awardee of the decisions it sees whole, and in the others only its own units' (as `decision_items_visible`).
    A nominee's earlier awards (selectors.award_history) read through here, so they show no awardee the
    decision pages would not."""
    if not actor.can(Cap.VIEW_NOMINATIONS) or actor.unit is None:
        return DecisionItem.objects.none()
    whole = Decision.objects.filter(_sees_whole(actor)).values("pk")
    return DecisionItem.objects.filter(
        Q(decision__in=whole) | Q(nomination__unit__in=_own_units(actor)),
        decision__status=DecisionStatus.ISSUED,
        decision__kind=DecisionKind.AWARD,
    )


def awardees_in_force_visible(*, actor: Actor, campaign: Campaign) -> QuerySet[DecisionItem]:
    """The awardees of the campaign's issued award decisions that the actor sees, revoked ones left out:
    every awardee of the decisions it sees whole, and in the others only its own units' (as
    `decision_items_visible`). For counting: no select_related, no order."""
    if not actor.can(Cap.VIEW_NOMINATIONS) or actor.unit is None:
        return DecisionItem.objects.none()
    whole = Decision.objects.filter(_sees_whole(actor)).values("pk")
    return DecisionItem.objects.filter(
        Q(decision__in=whole) | Q(nomination__unit__in=_own_units(actor)),
        decision__campaign=campaign,
        decision__status=DecisionStatus.ISSUED,
        decision__kind=DecisionKind.AWARD,
        revoked_by__isnull=True,
    )
