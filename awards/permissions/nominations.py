"""Who may do what to a nomination. Pure functions of the actor and the nomination (reading the tier's
step rules); the views ask them to offer an action, the services to refuse one."""

import datetime as dt

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    UNIT_STEPS,
    AwardStep,
    AwardType,
    Campaign,
    DecisionItem,
    DecisionStatus,
    Nomination,
    NominationAction,
    NominationQuota,
    NominationStatus,
    Outcome,
    Report,
    ReportVersion,
    Step,
    Unit,
    UnitLineage,
)
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


def may_remove_file(actor, nomination: Nomination, stored) -> bool:
    """A file may be removed by those who edit the nomination, until it has been sent with it: a file uploaded
    before the nomination's last sending stays, it is part of what the agencies received."""
    return stored.nomination_id == nomination.pk and stored.pk in removable_files(actor, nomination, [stored])


def removable_files(actor, nomination: Nomination, files) -> set[int]:
    """The ids of `files` (the nomination's) that `may_remove_file` allows, the last sending read once."""
    if not may_edit(actor, nomination):
        return set()
    sent = sent_at(nomination)
    return {f.pk for f in files if sent is None or f.uploaded_at > sent}


def sent_at(nomination: Nomination):
    """When the nomination was last sent up (in its dossier, or again after a return); None if never."""
    return (
        NominationAction.objects.filter(nomination=nomination, outcome=Outcome.SENT)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
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


# What must hold before a nomination is sent up: read by its page's checklist and by the services' refusal -------


def nominee_unit(nomination: Nomination) -> Unit:
    """The unit a nominee's merit was earned in: a collective's parent unit, else the nominating unit."""
    return nomination.parent_unit or nomination.unit


def evidence_for(*, campaign: Campaign, unit: Unit) -> Report | None:
    """The report that covers a unit: its own, or for a unit filing none (a commune), its parent's on
    the campaign's reference date (its district before 1/7/2025; on the two-tier structure a commune takes
    part and files its own, its parent then being the provincial committee)."""
    seen: set[int] = set()
    current: Unit | None = unit
    while current is not None and current.pk not in seen:
        report = Report.objects.filter(campaign=campaign, unit=current).first() or _predecessors_report(
            campaign, current
        )
        if report is not None:
            return report
        seen.add(current.pk)
        parent_id = current.parent_id_on(campaign.reference_date)
        current = Unit.objects.filter(pk=parent_id).first() if parent_id else None
    return None


def _predecessors_report(campaign: Campaign, unit: Unit) -> Report | None:
    """A successor continuing its predecessors' files is covered by their report (an accepted one first), the
    nearest generation first (lineage: merged, split, renamed into it)."""
    ids, seen = {unit.pk}, {unit.pk}
    while ids:
        ids = set(UnitLineage.objects.filter(successor_id__in=ids).values_list("predecessor_id", flat=True)) - seen
        seen |= ids
        reports = Report.objects.filter(campaign=campaign, unit_id__in=ids)
        report = reports.order_by(F("accepted_version_id").asc(nulls_last=True), "pk").first()
        if report is not None:
            return report
    return None


def evidence_expected(nomination: Nomination) -> tuple[bool, Report | None, ReportVersion | None]:
    """What sending would pin as evidence: (cites the provincial consolidation, the covering report, its
    accepted version or None). The police's own nominees cite the provincial consolidation."""
    if nomination.unit_id == nomination.campaign.reviewer_id:
        return True, None, None
    report = evidence_for(campaign=nomination.campaign, unit=nominee_unit(nomination))
    return False, report, report.accepted_version if report and report.accepted_version_id else None


def is_blocked_on(nomination: Nomination, today: dt.date) -> bool:
    return bool(nomination.block_reason) and (nomination.block_until is None or nomination.block_until > today)


def nomination_problems(nomination: Nomination, *, today: dt.date | None = None) -> list[str]:
    """Why a nomination (its evidence pinned) cannot be sent up now, in words the nominating unit may read."""
    today = today or timezone.localdate()
    problems = []
    if not nomination.cites_consolidation:
        if nomination.evidence_report is None:
            problems.append(_("No report of this campaign covers the nominee's unit yet."))
        elif nomination.evidence_version_id is None:
            problems.append(_("The report that covers the nominee's unit has not been accepted yet."))
    if is_blocked_on(nomination, today):
        problems.append(block_problem(nomination))
    return problems


def block_problem(nomination: Nomination) -> str:
    return _("%(reason)s: no award can be proposed until %(until)s.") % {
        "reason": nomination.get_block_reason_display(),
        "until": nomination.block_until.strftime("%d/%m/%Y") if nomination.block_until else _("it is lifted"),
    }


def quota_of(*, unit: Unit, campaign: Campaign, award_type: AwardType) -> NominationQuota | None:
    return NominationQuota.objects.filter(campaign=campaign, award_type=award_type, unit_kind=unit.kind).first()


def quota_used(*, unit: Unit, campaign: Campaign, award_type: AwardType) -> int:
    """The unit's nominations of the tier already sent in a dossier and still live: what its quota counts."""
    return (
        Nomination.objects.filter(campaign=campaign, award_type=award_type, unit=unit, dossier__isnull=False)
        .exclude(status__in=(NominationStatus.WITHDRAWN, NominationStatus.REJECTED))
        .count()
    )
