"""Reports (báo cáo tổng kết): one per unit and campaign, kept as numbered versions.

A version's figures are typed rows (one table per item kind) so that consolidation is plain SQL.
Only a DRAFT version is editable; submitting freezes it, and returning or reopening starts a new
draft copied from it, so every submitted version stays as it was sent.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import NFCCharField, NFCTextField
from ..uploads import UploadKind
from .campaigns import Campaign, OutlineItem
from .org import Unit


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", _("Accepted")


class Report(models.Model):
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="reports")
    # Fixed when the report starts, by the hierarchy valid on the campaign's reference date.
    reviewer = models.ForeignKey(
        Unit, verbose_name=_("reviewed by"), on_delete=models.PROTECT, related_name="reports_to_review"
    )
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    current_version = models.ForeignKey(
        "ReportVersion", verbose_name=_("current version"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_version = models.ForeignKey(
        "ReportVersion", verbose_name=_("accepted version"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # The version consolidation counts: the latest submitted or accepted one (not a returned one).
    counted_version = models.ForeignKey(
        "ReportVersion", verbose_name=_("counted version"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    late_days = models.PositiveIntegerField(_("days late"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["campaign", "unit__sort_key"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="report_one_per_unit_and_campaign")]
        indexes = [
            models.Index(fields=["campaign", "status"]),
            # the home page's work: a unit's reports to complete, the reports a unit reviews
            models.Index(fields=["unit", "status"], name="report_unit_status_idx"),
            models.Index(fields=["reviewer", "status"], name="report_reviewer_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.campaign.plan_reference}"

    @property
    def is_late(self) -> bool:
        return bool(self.late_days)


class ReportVersion(models.Model):
    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="versions")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+", db_index=True)
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    # Optimistic concurrency: a save must quote the sequence it started from.
    edit_seq = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(_("last saved"), null=True, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    late_days = models.PositiveIntegerField(_("days late"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = NFCTextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    @property
    def editable(self) -> bool:
        return self.status == ReportStatus.DRAFT


class AnswerBase(models.Model):
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(OutlineItem, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.version} {self.item.code}"


# The shapes of a documents or cases answer's rows, as services, forms and selectors pass them.
@dataclass(frozen=True)
class DocumentRow:
    number: str
    issued_on: dt.date | None
    issuer: str
    summary: str


@dataclass(frozen=True)
class CaseRow:
    title: str
    occurred_on: dt.date | None
    result: str


class AnswerCount(AnswerBase):
    value = models.PositiveBigIntegerField(_("value"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "item"], name="answer_count_unique")]


class AnswerRatio(AnswerBase):
    numerator = models.PositiveIntegerField(_("done"))
    denominator = models.PositiveIntegerField(_("out of"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "item"], name="answer_ratio_unique"),
            models.CheckConstraint(condition=Q(numerator__lte=models.F("denominator")), name="answer_ratio_x_le_y"),
        ]


class AnswerYear(AnswerBase):
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.PositiveBigIntegerField(_("value"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "item", "year"], name="answer_year_unique")]


class AnswerDocument(AnswerBase):
    position = models.PositiveIntegerField()
    number = NFCCharField(_("number and symbol"), max_length=64)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    issuer = NFCCharField(_("issuing body"), max_length=255, blank=True)
    summary = NFCTextField(_("summary"))

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["version", "item", "position"], name="answer_document_unique")]


class AnswerCase(AnswerBase):
    position = models.PositiveIntegerField()
    title = NFCTextField(_("case"))
    occurred_on = models.DateField(_("when"), null=True, blank=True)
    result = NFCTextField(_("result"), blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["version", "item", "position"], name="answer_case_unique")]


class AnswerYesNo(AnswerBase):
    answer = models.BooleanField(_("answer"))
    participants = NFCTextField(_("participants"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "item"], name="answer_yes_no_unique")]


class AnswerText(AnswerBase):
    text = NFCTextField(_("text"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "item"], name="answer_text_unique")]


class ReviewComment(models.Model):
    """A reviewer's comment on one section (or the whole report when item is empty) of a version."""

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="comments")
    item = models.ForeignKey(OutlineItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = NFCTextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ReportAttachment(models.Model):
    """The signed, stamped scan or a supporting file, attached to one version of a report.

    The file lives under a generated name (awards.uploads); `original_name` is only shown and used
    as the download name. A new draft carries the previous version's attachments over.
    """

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="attachments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=UploadKind.choices)
    stored_path = models.CharField(max_length=255, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    original_name = NFCCharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["kind", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
