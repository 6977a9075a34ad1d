"""Who may draft, issue, record, revoke or correct a decision: whoever holds the tier's "awaits
decision" step, in the decision's own issuing body."""

from ..models import AwardStep, AwardType, Decision, DecisionKind, DecisionStatus, Route, Step


def decider_rule(award_type: AwardType) -> AwardStep | None:
    """Who decides: the unit and role holding the route's "awaits decision" step (None: nobody set)."""
    return AwardStep.objects.select_related("unit").filter(award_type=award_type, step=Step.AWAITING_DECISION).first()


def _holds_decision_step(actor, award_type: AwardType) -> bool:
    rule = decider_rule(award_type) if actor.unit is not None else None
    return rule is not None and rule.unit_id == actor.unit.pk and rule.role == actor.role


def may_decide(actor, award_type: AwardType) -> bool:
    """Drafts and issues the tier's decisions (never the Ministry's: decided outside the province)."""
    return award_type.route != Route.MINISTRY and _holds_decision_step(actor, award_type)


def may_record(actor, award_type: AwardType) -> bool:
    """Records the Ministry's decision when it arrives: who holds the Ministry tier's last step."""
    return award_type.route == Route.MINISTRY and _holds_decision_step(actor, award_type)


def may_take_decisions(actor, award_type: AwardType) -> bool:
    """Drafts the tier's decisions or, for the Ministry's, records them."""
    return may_decide(actor, award_type) or may_record(actor, award_type)


def may_change(actor, decision: Decision) -> bool:
    """Edits, issues, revokes or corrects it: its own issuing body, holding the tier's deciding step."""
    return may_decide(actor, decision.award_type) and decision.issuer_id == actor.unit.pk


def is_amendable(decision: Decision) -> bool:
    """Only an issued award decision is revoked or corrected (by a new decision referring to it)."""
    return decision.status == DecisionStatus.ISSUED and decision.kind == DecisionKind.AWARD
