"""Award decisions (Quyết định) and the nominations each one awards.

A decision is drafted by the deciding side, then issued: its number (from the register of its issuing
body, symbol and year), date and signed scan are fixed there, with each awardee's prize money. An
issued decision never changes; a correction or revocation is a new decision that refers to it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import NFCCharField, NFCTextField
from .campaigns import Campaign, LegalBasis
from .nominations import AwardType, Nomination
from .org import Unit


class SigningAuthority(models.TextChoices):
    """The prefix before the signer's title (Decree 30/2020): in one's own right, or for another."""

    OWN = "", _("In one's own right")
    TM = "TM.", _("TM. (on behalf of the collective body)")
    KT = "KT.", _("KT. (a deputy signing for the head)")
    Q = "Q.", _("Q. (acting head)")
    TL = "TL.", _("TL. (by order of the head)")
    TUQ = "TUQ.", _("TUQ. (by authorisation of the head)")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


class DecisionKind(models.TextChoices):
    AWARD = "award", _("Award")
    CORRECTION = "correction", _("Correction of an earlier decision")
    REVOCATION = "revocation", _("Revocation of an earlier decision")


class Decision(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="decisions"
    )
    award_type = models.ForeignKey(AwardType, verbose_name=_("award type"), on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=16, choices=DecisionKind.choices, default=DecisionKind.AWARD)
    refers_to = models.ForeignKey(
        "self", verbose_name=_("corrects or revokes"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="followed_by",
    )  # fmt: skip
    issuer = models.ForeignKey(Unit, verbose_name=_("issuing body"), on_delete=models.PROTECT, related_name="+")
    # The register: one numbering per issuing body, symbol and year; the number is fixed at issue.
    symbol = models.CharField(_("symbol"), max_length=32, help_text=_("e.g. QĐ-UBND"))
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    signer = NFCCharField(_("signer"), max_length=120, blank=True)
    signer_title = NFCCharField(_("signer's title"), max_length=120, blank=True, help_text=_("e.g. PHÓ CHỦ TỊCH"))
    authority = models.CharField(
        _("signing authority"), max_length=8, choices=SigningAuthority.choices, default=SigningAuthority.OWN,
        blank=True,
    )  # fmt: skip
    funding_source = NFCTextField(_("funding source"), blank=True)
    # "Xét đề nghị của …" when no hand-off brought the nominations (the police's own Giấy khen route:
    # the office's internal tờ trình), e.g. "Trưởng phòng Tham mưu tại Tờ trình số 15/TTr-PV01 ngày …".
    proposal = NFCTextField(_("proposed by"), blank=True)
    reason = NFCTextField(_("reason"), blank=True, help_text=_("Why an earlier decision is corrected or revoked."))
    # The list's order of units as the issuing body sets it (one unit name per line); the units not named
    # follow by kind, then name.
    unit_order = NFCTextField(_("order of units in the list"), blank=True)
    recipients = NFCTextField(_("recipients (Nơi nhận)"), blank=True, help_text=_("One per line."))
    status = models.CharField(_("status"), max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    # What its header, date line and Điều 3 print, fixed at issue from its issuing body's data.
    printed_superior = NFCCharField(_("governing body as printed"), max_length=255, blank=True)
    printed_place = NFCCharField(_("place as printed"), max_length=100, blank=True)
    printed_executors = NFCTextField(_("Điều 3 as printed"), blank=True)
    # The legal bases it cites, fixed at issue (a draft cites those in force on the day it is printed).
    cited_bases = models.ManyToManyField(
        LegalBasis, verbose_name=_("legal bases cited"), blank=True, related_name="cited_by_decisions"
    )
    # The signed scan, stored at issue (awards.uploads: checked, under a generated name).
    scan_path = models.CharField(max_length=255, blank=True, editable=False)
    scan_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    scan_size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    scan_content_type = models.CharField(max_length=100, blank=True, editable=False)
    scan_name = NFCCharField(_("signed scan"), max_length=255, blank=True, editable=False)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-year", "-number", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "symbol", "year", "number"], condition=Q(number__isnull=False),
                name="decision_number_unique_in_register",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(number__isnull=False) & Q(date__isnull=False)),
                name="decision_issued_has_number_and_date",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.reference if self.number else f"{_('Draft decision')} – {self.award_type}"

    @property
    def reference(self) -> str:
        """ "05/QĐ-UBND": numbers below 10 take a leading zero (Decree 30/2020)."""
        return decision_reference(self.number, self.symbol) if self.number else ""


def decision_reference(number: int, symbol: str) -> str:
    return f"{number:02d}/{symbol}"


class DecisionItem(models.Model):
    """One nomination in a decision, with the prize money fixed when the decision is issued."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="items")
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="decision_items")
    prize_amount = models.PositiveBigIntegerField(_("prize money (đồng)"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        Decision, verbose_name=_("revoked by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    corrected_by = models.ForeignKey(
        Decision, verbose_name=_("corrected by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the decision's list prints for this awardee, fixed at issue (a correction's, when drafted), so an
    # issued decision's documents never change afterwards; empty while a draft: the nomination's own.
    printed_name = NFCCharField(_("name as printed"), max_length=255, blank=True)
    printed_position = NFCCharField(_("position as printed"), max_length=255, blank=True)
    printed_unit = NFCCharField(_("unit as printed"), max_length=255, blank=True)
    printed_achievement = NFCCharField(_("achievement as printed"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("awardee")
        verbose_name_plural = _("awardees")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["decision", "nomination"], name="decision_item_unique")]

    def __str__(self) -> str:
        return f"{self.decision}: {self.nomination}"

    @property
    def details(self) -> tuple[str, str, str]:
        """(name, position, unit line) as this decision prints them: fixed at issue; a draft's, today's."""
        if self.printed_name:
            return self.printed_name, self.printed_position, self.printed_unit
        return self.nomination.printed_details

    @property
    def achievement(self) -> str:
        """The awardee's achievement line as this decision prints it: fixed at issue; a draft's, today's."""
        return self.printed_achievement or self.nomination.achievement


class DocumentKind(models.TextChoices):
    DECISION_DOCX = "decision_docx", _("Decision and list (DOCX)")
    DECISION_PDF = "decision_pdf", _("Decision and list (PDF)")
    LIST_DOCX = "list_docx", _("List (DOCX)")
    LIST_PDF = "list_pdf", _("List (PDF)")
    LIST_XLSX = "list_xlsx", _("List (XLSX)")
    CERTIFICATES_PDF = "certificates_pdf", _("Certificates for printing (PDF)")
    HANDOFF_DOCX = "handoff_docx", _("Submission and list (DOCX)")
    HANDOFF_PDF = "handoff_pdf", _("Submission and list (PDF)")
    HANDOFF_XLSX = "handoff_xlsx", _("Submission's list (XLSX)")


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be generated")
    RUNNING = "running", _("Being generated")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class GeneratedDocument(models.Model):
    """A file generated in the background from a decision or a hand-off, stored under MEDIA_ROOT by
    its checksum. `fingerprint` is the hash of what the file says: when the records say something
    else, the file is generated again; the same input never makes a second file."""

    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.CASCADE, related_name="documents")
    handoff = models.ForeignKey(
        "awards.HandOff", null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("document"), max_length=32, choices=DocumentKind.choices)
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    path = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "kind"], condition=Q(decision__isnull=False),
                                    name="generated_document_one_per_decision_kind"),
            models.UniqueConstraint(fields=["handoff", "kind"], condition=Q(handoff__isnull=False),
                                    name="generated_document_one_per_handoff_kind"),
            models.CheckConstraint(condition=Q(decision__isnull=True) ^ Q(handoff__isnull=True),
                                   name="generated_document_has_one_source"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.decision or self.handoff}"
