"""Notifications: in the app always, by e-mail when the recipient wants it and has an address.

Each row is one message to one user, unique by its dedupe key for that user, so a job that runs twice
(a redelivered Celery task, a retried reminder scan) finds the row and sends nothing more.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import NFCCharField, NFCTextField
from .org import Unit


class NotificationKind(models.TextChoices):
    TASK_ARRIVED = "task_arrived", _("A task arrives for me or my role")
    RETURNED = "returned", _("A file is returned for revision")
    NOMINATION_DECIDED = "nomination_decided", _("My unit's nomination is approved or rejected")
    REPORT_REVIEWED = "report_reviewed", _("My unit's report is accepted or returned")
    DECISION_ISSUED = "decision_issued", _("A decision is issued or recorded for my unit")
    DEADLINE = "deadline", _("A campaign deadline approaches or has passed")
    STEP_LATE = "step_late", _("A file is held past its time limit")
    ACCOUNT = "account", _("An administrator sets my password")


class EmailStatus(models.TextChoices):
    NOT_SENT = "none", _("Not by e-mail")  # switched off, or the user has no address
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    # What makes it one message, e.g. "deadline:3:report:41:before-3"; unique per recipient.
    dedupe_key = models.CharField(_("dedupe key"), max_length=200)
    subject = NFCCharField(_("subject"), max_length=255)
    body = NFCTextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=255, blank=True)
    # The unit the message is about (a report's or nomination's unit), for the record.
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.NOT_SENT
    )
    email_attempts = models.PositiveIntegerField(_("attempts"), default=0)
    email_next_try_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    email_error = models.TextField(_("last error"), blank=True)
    email_sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notification_once_per_recipient")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["email_status", "email_next_try_at"], name="notification_email_due"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"

    @property
    def message_id(self) -> str:
        """Stable across retries, so a mail system that sees a message twice can tell."""
        return f"<notification-{self.pk}@tdkt>"


class NotificationPreference(models.Model):
    """A user's choice of e-mail for one kind; no row means e-mail on."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs")
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.email}"


EMBEDDED_LOOP = "embedded_loop"  # the run the embedded scheduler (manage.py run_periodic_jobs) ticks
JOB_LABELS = {
    "email_sweep": _("Send waiting e-mails"),
    "documents_sweep": _("Generate documents whose job was lost"),
    "escalate_late_steps": _("Escalate late files"),
    "campaign_reminders": _("Deadline reminders"),
    "audit_seal": _("Seal the audit trail"),
    "audit_refusals": _("Record the refused accesses of past hours"),
    "reorganisations_due": _("Apply reorganisations whose date has come"),
    EMBEDDED_LOOP: _("In-process scheduler"),
}
# What each figure of a job's result means, for the health page (the raw result stays in the admin).
JOB_RESULT_LABELS = {
    "count": _("done"),
    "applied": _("applied"),
    "enqueued": _("sent to the workers"),
    "deleted": _("deleted"),
    "sealed": _("audit rows sealed"),
    "waiting_for": _("waiting for the transaction of row"),
    "head": _("last sealed row"),
    "more": _("more to seal"),
    "seconds": _("seconds"),
    "written": _("written"),
    "refusals": _("refused accesses"),
    "campaigns": _("campaigns"),
    "units": _("units reminded"),
    "units_without_recipients": _("units with nobody to remind"),
}


class JobRun(models.Model):
    """The last run of each periodic job, for the health page (whoever ran it: beat or the embedded loop)."""

    name = models.CharField(_("job"), max_length=64, unique=True)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return str(JOB_LABELS.get(self.name, self.name))

    @property
    def result_lines(self) -> list[tuple[str, object]]:
        """The result in words: ("sent to the workers", 3), …; a figure with no label keeps its key."""
        result = self.result if isinstance(self.result, dict) else {"count": self.result}
        return [(str(JOB_RESULT_LABELS.get(key, key)), value) for key, value in result.items()]
