"""Flows read like their diagrams; the steps' rules live in awards' services, which drive them."""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from .models import NominationProcess, ReportProcess


class ReportFlow(flow.Flow):
    """Unit drafts -> unit head submits -> reviewer accepts (end) or returns (back to the draft)."""

    process_class = ReportProcess
    process_title = _("Summary report")
    # viewflow's default is no lock: concurrent requests could complete one task twice.
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.begin).Next(this.draft)
    draft = flow.Handle(this.submitted).Next(this.review)
    review = flow.Handle(this.reviewed).Next(this.decision)
    decision = flow.If(this.is_accepted).Then(this.end).Else(this.draft)
    end = flow.End()

    def begin(self, activation, report):
        activation.process.report, activation.process.unit = report, report.unit
        activation.process.save()
        return activation.process

    def submitted(self, activation):
        activation.process.accepted = None
        activation.process.save()

    def reviewed(self, activation, accepted: bool):
        activation.process.accepted = accepted
        activation.process.save()

    def is_accepted(self, activation) -> bool:
        return bool(activation.process.accepted)


class _NominationSteps:
    """What every route shares: the subject, the lock, and the outcome each step leaves for its switch.

    The services (awards.services.nominations) decide and record; a step's Handle only moves the token.
    At "awaits decision" the deciding side may return the file to the previous agency (not to its own approval
    step: awards.models.AWAITING_RETURNS_TO names the same step as each flow's `after_decision`) or refuse it.
    """

    process_class = NominationProcess
    lock_impl = lock.select_for_update_lock

    def begin(self, activation, nomination):
        activation.process.nomination, activation.process.unit = nomination, nomination.unit
        activation.process.save()
        return activation.process

    def record(self, activation, outcome: str):
        activation.process.outcome = outcome
        activation.process.save()

    def is_returned(self, activation) -> bool:
        return activation.process.outcome == "returned"

    def is_rejected(self, activation) -> bool:
        return activation.process.outcome == "rejected"


class DirectorAwardFlow(_NominationSteps, flow.Flow):
    """Giấy khen: officer prepares → head submits → police appraise → police director approves →
    awaits the decision. A return goes back to the previous holder; a rejection ends it."""

    process_title = _("Nomination for the police director's Giấy khen")

    start = flow.StartHandle(this.begin).Next(this.prepare)
    prepare = flow.Handle(this.record).Next(this.submit)
    submit = flow.Handle(this.record).Next(this.after_submit)
    after_submit = flow.Switch().Case(this.prepare, this.is_returned).Default(this.police_appraisal)
    police_appraisal = flow.Handle(this.record).Next(this.after_police)
    after_police = (
        flow.Switch()
        .Case(this.rejected, this.is_rejected)
        .Case(this.prepare, this.is_returned)
        .Default(this.director_approval)
    )
    director_approval = flow.Handle(this.record).Next(this.after_director)
    after_director = (
        flow.Switch()
        .Case(this.rejected, this.is_rejected)
        .Case(this.police_appraisal, this.is_returned)
        .Default(this.awaiting_decision)
    )
    awaiting_decision = flow.Handle(this.record).Next(this.after_decision)  # completed by the decision's issue
    after_decision = (  # or the deciding side returns it to the previous agency, or refuses it
        flow.Switch()
        .Case(this.rejected, this.is_rejected)
        .Case(this.police_appraisal, this.is_returned)
        .Default(this.decided)
    )
    decided = flow.End()
    rejected = flow.End()


class ChairmanAwardFlow(_NominationSteps, flow.Flow):
    """Chairman's Bằng khen: … → police appraise → Home Affairs appraise → provincial leader approves →
    awaits the decision."""

    process_title = _("Nomination for the Chairman's Bằng khen")

    start = flow.StartHandle(this.begin).Next(this.prepare)
    prepare = flow.Handle(this.record).Next(this.submit)
    submit = flow.Handle(this.record).Next(this.after_submit)
    after_submit = flow.Switch().Case(this.prepare, this.is_returned).Default(this.police_appraisal)
    police_appraisal = flow.Handle(this.record).Next(this.after_police)
    after_police = (
        flow.Switch()
        .Case(this.rejected, this.is_rejected)
        .Case(this.prepare, this.is_returned)
        .Default(this.home_affairs_appraisal)
    )
    home_affairs_appraisal = flow.Handle(this.record).Next(this.after_home_affairs)
    after_home_affairs = (
        flow.Switch()
        .Case(this.rejected, this.is_rejected)
        .Case(this.police_appraisal, this.is_returned)
        .Default(this.leader_approval)
    )
    leader_approval = flow.Handle(this.record).Next(this.after_leader)
    after_leader = (
        flow.Switch()
        .Case(this.rejected, this.is_rejected)
        .Case(this.home_affairs_appraisal, this.is_returned)
        .Default(this.awaiting_decision)
    )
    awaiting_decision = flow.Handle(this.record).Next(this.after_decision)  # completed by the decision's issue
    after_decision = (  # or the deciding side returns it to the previous agency, or refuses it
        flow.Switch()
        .Case(this.rejected, this.is_rejected)
        .Case(this.home_affairs_appraisal, this.is_returned)
        .Default(this.decided)
    )
    decided = flow.End()
    rejected = flow.End()


class MinistryAwardFlow(_NominationSteps, flow.Flow):
    """Ministry's Bằng khen: … → police appraise → Home Affairs appraise → police director signs the
    forwarding to the Ministry → awaits the Ministry's decision."""

    process_title = _("Nomination for the Ministry's Bằng khen")

    start = flow.StartHandle(this.begin).Next(this.prepare)
    prepare = flow.Handle(this.record).Next(this.submit)
    submit = flow.Handle(this.record).Next(this.after_submit)
    after_submit = flow.Switch().Case(this.prepare, this.is_returned).Default(this.police_appraisal)
    police_appraisal = flow.Handle(this.record).Next(this.after_police)
    after_police = (
        flow.Switch()
        .Case(this.rejected, this.is_rejected)
        .Case(this.prepare, this.is_returned)
        .Default(this.home_affairs_appraisal)
    )
    home_affairs_appraisal = flow.Handle(this.record).Next(this.after_home_affairs)
    after_home_affairs = (
        flow.Switch()
        .Case(this.rejected, this.is_rejected)
        .Case(this.police_appraisal, this.is_returned)
        .Default(this.ministry_forward)
    )
    ministry_forward = flow.Handle(this.record).Next(this.after_forward)
    after_forward = (
        flow.Switch()
        .Case(this.rejected, this.is_rejected)
        .Case(this.home_affairs_appraisal, this.is_returned)
        .Default(this.awaiting_decision)
    )
    awaiting_decision = flow.Handle(this.record).Next(this.after_decision)  # completed by the decision's issue
    after_decision = (  # or the deciding side returns it to the previous agency, or refuses it
        flow.Switch()
        .Case(this.rejected, this.is_rejected)
        .Case(this.ministry_forward, this.is_returned)
        .Default(this.decided)
    )
    decided = flow.End()
    rejected = flow.End()


ROUTE_FLOWS = {"director": DirectorAwardFlow, "chairman": ChairmanAwardFlow, "ministry": MinistryAwardFlow}
