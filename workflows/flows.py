"""Flows read like their diagrams; the steps' rules live in awards' services, which drive them."""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from .models import ReportProcess


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
