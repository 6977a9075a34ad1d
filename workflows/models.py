"""viewflow processes. Business facts stay on awards' models; a process records the steps."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process


class ReportProcess(Process):
    """One round of a report: drafted and submitted by the unit, reviewed by the campaign's reviewer.

    A reopened report starts a new process; earlier ones stay as the history of the steps.
    """

    report = models.ForeignKey(
        "awards.Report", verbose_name=_("report"), null=True, on_delete=models.PROTECT, related_name="processes"
    )
    unit = models.ForeignKey("awards.Unit", null=True, on_delete=models.PROTECT, related_name="+", db_index=True)
    accepted = models.BooleanField(_("accepted"), null=True)

    class Meta:
        verbose_name = _("report process")
        verbose_name_plural = _("report processes")


class NominationProcess(Process):
    """One nomination's way through its tier's route. A withdrawn nomination's process is cancelled."""

    nomination = models.ForeignKey(
        "awards.Nomination", verbose_name=_("nomination"), null=True, on_delete=models.PROTECT, related_name="processes"
    )
    unit = models.ForeignKey("awards.Unit", null=True, on_delete=models.PROTECT, related_name="+", db_index=True)
    # The outcome of the step just completed, read by the flow's switches.
    outcome = models.CharField(max_length=16, blank=True)

    class Meta:
        verbose_name = _("nomination process")
        verbose_name_plural = _("nomination processes")
