"""Who may do what to a nomination. Pure functions of the actor and the nomination (reading the tier's
step rules); the views ask them to offer an action, the services to refuse one."""

from ..models import UNIT_STEPS, AwardStep, DecisionItem, DecisionStatus, Nomination, NominationStatus, Step
from .roles import LEADER_ROLES, Cap


def step_rule(nomination: Nomination, step: str) -> AwardStep:
    return AwardStep.objects.select_related("unit").get(award_type_id=nomination.award_type_id, step=step)


def may_act(actor, nomination: Nomination) -> bool:
    """The actor's unit holds the nomination, the actor has the role the step's rule names, and nobody
    else has claimed it (someone acting for the claimant may: they stand in for them)."""
    if actor.unit is None or actor.unit.pk != nomination.holder_id or actor.role is None:
        return False
    if nomination.assignee_id and nomination.assignee_id not in (
        actor.user.pk,
        getattr(actor.on_behalf_of, "pk", None),
    ):
        return False
    if nomination.step == Step.PREPARE:
        return actor.can(Cap.DRAFT_NOMINATION)
    return actor.role == step_rule(nomination, nomination.step).role


def may_take(actor, nomination: Nomination) -> bool:
    """May claim or hand the step to a colleague: the right unit and role, whoever holds the claim now."""
    if nomination.step in UNIT_STEPS or nomination.status not in (
        NominationStatus.IN_REVIEW,
        NominationStatus.RETURNED,
    ):
        return False
    if actor.unit is None or actor.unit.pk != nomination.holder_id or actor.role is None:
        return False
    return actor.role == step_rule(nomination, nomination.step).role


def acts_on_route(actor, nomination: Nomination) -> bool:
    """The actor's role and unit hold some agency step of the nomination's route (not the unit's own)."""
    if actor.unit is None or actor.role is None:
        return False
    return AwardStep.objects.filter(award_type_id=nomination.award_type_id, unit=actor.unit, role=actor.role).exists()


def is_nominating_drafter(actor, nomination: Nomination) -> bool:
    """A member of the nominating unit who may draft nominations (its officer or head)."""
    return actor.unit is not None and actor.unit.pk == nomination.unit_id and actor.can(Cap.DRAFT_NOMINATION)


def is_nominating_head(actor, nomination: Nomination) -> bool:
    """The nominating unit's head (who sends, resubmits and withdraws)."""
    return actor.unit is not None and actor.unit.pk == nomination.unit_id and actor.can(Cap.SUBMIT_NOMINATION)


def may_withdraw(actor, nomination: Nomination) -> bool:
    """The unit's head, before a decision: not once awarded (a revocation decision undoes an award), nor while a
    draft decision lists it (the deciding body takes it out first)."""
    return (
        is_nominating_head(actor, nomination)
        and nomination.status not in (NominationStatus.REJECTED, NominationStatus.WITHDRAWN,
                                      NominationStatus.AWARDED, NominationStatus.REVOKED)
        and not in_draft_decision(nomination)
    )  # fmt: skip


def in_draft_decision(nomination: Nomination) -> bool:
    return DecisionItem.objects.filter(nomination=nomination, decision__status=DecisionStatus.DRAFT).exists()


def may_send(actor, nomination: Nomination) -> bool:
    """The unit's head sends it up in a dossier (prepared, never sent): offered on its page."""
    return (
        is_nominating_head(actor, nomination)
        and nomination.step == Step.SUBMIT
        and nomination.status == NominationStatus.DRAFT
        and nomination.dossier_id is None
    )


def may_resubmit(actor, nomination: Nomination) -> bool:
    return (
        is_nominating_head(actor, nomination)
        and nomination.step in UNIT_STEPS
        and nomination.dossier_id is not None
        and nomination.status == NominationStatus.RETURNED
    )


def may_edit(actor, nomination: Nomination) -> bool:
    """The nominating unit's members edit while it is with the unit (prepared, or returned to it)."""
    return (
        is_nominating_drafter(actor, nomination)
        and nomination.step in UNIT_STEPS
        and nomination.status in (NominationStatus.DRAFT, NominationStatus.RETURNED)
    )


# Held at an agency's step: what it may need the full personal data for.
_AT_AGENCY = (NominationStatus.IN_REVIEW, NominationStatus.RETURNED, NominationStatus.AWAITING_DECISION)


def may_see_personal_data(actor, nomination: Nomination) -> bool:
    """The full citizen ID (and date of birth), on a need-to-know basis: the Law on Personal Data Protection
    (91/2025/QH15, in force from 1/1/2026) and Decree 356/2025/NĐ-CP (which replaced Decree 13/2023) allow
    processing only for its purpose, by those it needs. So: the nominating unit's drafters and head; an agency
    of the tier's route while the file is at one of its steps, or once it has acted on it (the file is then in
    its records) — not before it arrives, and not if it was withdrawn or returned before reaching the agency."""
    if actor.unit is None:
        return False
    if actor.unit.pk == nomination.unit_id:
        return actor.can(Cap.DRAFT_NOMINATION) or actor.can(Cap.SUBMIT_NOMINATION)
    steps = set(
        AwardStep.objects.filter(award_type_id=nomination.award_type_id, unit=actor.unit, role=actor.role)
        .values_list("step", flat=True)
    )  # fmt: skip
    if not steps:
        return False
    if nomination.holder_id == actor.unit.pk and nomination.step in steps and nomination.status in _AT_AGENCY:
        return True
    return nomination.actions.filter(unit=actor.unit, step__in=steps).exists()


def may_block(actor, nomination: Nomination) -> bool:
    """Records a block (discipline review, investigation, complaint): the agency holding the file (any of its
    members with a step on the tier's route) while it holds it; or, before sending and once the file came back to
    it, the nominating unit's drafters. Nobody blocks a decided, withdrawn or rejected file: an award is undone only
    by revocation. Changing a block in force is for whoever may lift it."""
    if nomination.is_blocked and not may_lift_block(actor, nomination):
        return False
    return _has_the_file(actor, nomination)


def may_lift_block(actor, nomination: Nomination) -> bool:
    """Lifts a block (with a reason): the person who recorded it, or the leader of the unit that did (its head, the
    police director, the provincial leader), while the file is still held. A block recorded before the recorder was
    kept (migration 0027) is lifted by whoever may record one now."""
    if not nomination.block_reason or not nomination.is_held or actor.unit is None:
        return False
    if nomination.block_unit_id is None:
        return _has_the_file(actor, nomination)
    if actor.unit.pk != nomination.block_unit_id:
        return False
    return actor.user.pk == nomination.block_by_id or actor.role in LEADER_ROLES


def may_read_block_note(actor, nomination: Nomination) -> bool:
    """A block's note may name a complainant or a case: only the unit that recorded the block reads it."""
    return actor.unit is not None and actor.unit.pk == nomination.block_unit_id


def _has_the_file(actor, nomination: Nomination) -> bool:
    """The nominating unit's drafters while it is with the unit, or the agency holding it at one of its steps."""
    return may_edit(actor, nomination) or (
        nomination.step not in UNIT_STEPS
        and nomination.status in _AT_AGENCY
        and actor.unit is not None
        and nomination.holder_id == actor.unit.pk
        and acts_on_route(actor, nomination)
    )


def may_act_awaiting(actor, nomination: Nomination) -> bool:
    """At "awaits decision": the deciding side (who holds that step: the police director, the provincial leader,
    the Ministry's liaison) may return the file to the previous agency or refuse it, with a reason; approving is
    issuing the decision. Not while a draft decision lists it (taken out of the draft first)."""
    return (
        nomination.step == Step.AWAITING_DECISION
        and nomination.status == NominationStatus.AWAITING_DECISION
        and may_act(actor, nomination)
    )
