"""Campaigns (đợt / kế hoạch khen thưởng), their legal bases and their versioned report outlines."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import NFCCharField, NFCTextField
from .org import Unit, UnitKind


class BasisScope(models.TextChoices):
    NATIONAL = "national", _("National: cited by every document in force on its date")
    CAMPAIGN = "campaign", _("One campaign's: cited by the campaigns that list it")


class BasisSlot(models.TextChoices):
    """What a basis is, in the order Decree 30/2020 documents cite them: the signer's competence first."""

    LOCAL_GOVERNMENT_LAW = "local_government_law", _("Law on the organisation of local government")
    POLICE_LAW = "police_law", _("Law on the People's Public Security")
    EMULATION_LAW = "emulation_law", _("Law on emulation and commendation")
    EMULATION_DECREE = "emulation_decree", _("Decree implementing the law on emulation and commendation")
    POLICE_RULES = "police_rules", _("Ministry of Public Security's rules on emulation and commendation")
    PLAN = "plan", _("Directive or plan")


# The slots that state who may sign: cited by decisions, not by the tờ trình that propose them.
COMPETENCE_SLOTS = (BasisSlot.LOCAL_GOVERNMENT_LAW, BasisSlot.POLICE_LAW)


class LegalBasis(models.Model):
    """A dated legal document (law, decree, circular, plan). Documents cite those in force on their date:
    every national one whose deciding bodies include the issuer, then the campaign's own."""

    number = NFCCharField(_("number and symbol"), max_length=64, help_text=_("e.g. 98/2023/NĐ-CP"))
    doc_type = NFCCharField(_("document type"), max_length=64, help_text=_("e.g. Nghị định, Luật, Thông tư"))
    issued_on = models.DateField(_("issued on"))
    issuer = NFCCharField(_("issuing body"), max_length=255, blank=True)
    title = NFCTextField(_("title"))
    in_force_from = models.DateField(_("in force from"))
    in_force_to = models.DateField(
        _("in force until"), null=True, blank=True,
        help_text=_("Set once, when the document stops being in force; it cannot end before a document that cited it."),
    )  # fmt: skip
    replaced_by = models.ForeignKey(
        "self", verbose_name=_("replaced by"), null=True, blank=True, on_delete=models.PROTECT, related_name="replaces"
    )
    scope = models.CharField(_("scope"), max_length=16, choices=BasisScope.choices, default=BasisScope.CAMPAIGN)
    slot = models.CharField(_("kind of basis"), max_length=32, choices=BasisSlot.choices, default=BasisSlot.PLAN)
    applies_to = models.JSONField(
        _("deciding bodies"), default=list, blank=True,
        help_text=_("Unit kinds whose documents cite it (empty: every issuing body)."),
    )  # fmt: skip
    amends = models.ForeignKey(
        "self", verbose_name=_("amends"), null=True, blank=True, on_delete=models.PROTECT, related_name="amendments",
        help_text=_("An amending act is cited on the same line as the act it amends."),
    )  # fmt: skip
    source = NFCCharField(_("public source"), max_length=500, blank=True, help_text=_("Where its text can be read."))

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["in_force_from", "number"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="legal_basis_unique_number"),
            models.CheckConstraint(
                condition=Q(in_force_to__isnull=True) | Q(in_force_to__gte=models.F("in_force_from")),
                name="legal_basis_force_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type} số {self.number}"

    def in_force_on(self, day) -> bool:
        return self.in_force_from <= day and (self.in_force_to is None or day <= self.in_force_to)

    def applies_to_kind(self, kind: str) -> bool:
        return not self.applies_to or kind in self.applies_to

    def clean(self) -> None:
        if self.scope == BasisScope.NATIONAL and self.slot == BasisSlot.PLAN:
            raise ValidationError({"slot": _("A directive or plan belongs to the campaigns that list it, not to every document.")})  # fmt: skip
        unknown = set(self.applies_to or []) - set(UnitKind.values)
        if unknown:
            raise ValidationError({"applies_to": _("Unknown unit kinds: %(kinds)s.") % {"kinds": ", ".join(sorted(unknown))}})  # fmt: skip
        if self.amends_id is not None and self.amends_id == self.pk:
            raise ValidationError({"amends": _("A document cannot amend itself.")})


class ReportOutline(models.Model):
    """A đề cương báo cáo, versioned: once a campaign has a draft on it, it never changes again."""

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    title = NFCCharField(_("title"), max_length=255)
    based_on = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.PROTECT, related_name="copies"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("report outline")
        verbose_name_plural = _("report outlines")
        ordering = ["code", "version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="outline_unique_version")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class ItemKind(models.TextChoices):
    SECTION = "section", _("Section heading")
    COUNT = "count", _("Count")
    RATIO = "ratio", _("Ratio x/y")
    YEARLY = "yearly", _("Count per year")
    DOCUMENTS = "documents", _("List of documents")
    CASES = "cases", _("List of notable cases")
    YES_NO = "yes_no", _("Yes/no with participants")
    NARRATIVE = "narrative", _("Narrative text")


NUMERIC_KINDS = (ItemKind.COUNT, ItemKind.RATIO, ItemKind.YEARLY)


class OutlineItem(models.Model):
    """One question of the outline (or a section heading), in the outline's order."""

    outline = models.ForeignKey(
        ReportOutline, verbose_name=_("outline"), on_delete=models.CASCADE, related_name="items"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("section"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("code"), max_length=32, help_text=_("Stable key, e.g. II.1.c"))
    number = models.CharField(_("number shown"), max_length=16, blank=True, help_text=_("e.g. 1, a), II"))
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    text = NFCTextField(_("question"))
    help_text = NFCTextField(_("guidance"), blank=True)
    unit_label = NFCCharField(_("counted in"), max_length=40, blank=True, help_text=_("e.g. văn bản, buổi, lượt người"))
    required = models.BooleanField(_("required"), default=False)
    # Empty: every unit kind answers it. Otherwise the UnitKind values that do.
    applies_to = models.JSONField(_("applies to unit kinds"), default=list, blank=True)

    class Meta:
        verbose_name = _("outline item")
        verbose_name_plural = _("outline items")
        ordering = ["outline", "position"]
        constraints = [
            models.UniqueConstraint(fields=["outline", "code"], name="outline_item_unique_code"),
            models.UniqueConstraint(fields=["outline", "position"], name="outline_item_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    def applies_to_kind(self, kind: str) -> bool:
        return not self.applies_to or kind in self.applies_to

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


def parse_reminder_days(text: str) -> list[int]:
    """'7, 3,1' -> [7, 3, 1]: whole days from 1 to 90, largest first, no repeats."""
    days = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        if not (part.isascii() and part.isdecimal()) or not 1 <= int(part) <= 90:
            raise ValidationError(
                _("Give whole numbers of days from 1 to 90, separated by commas, e.g. 7,3,1."), code="reminder_days"
            )
        days.append(int(part))
    return sorted(set(days), reverse=True)


def validate_reminder_days(text: str) -> None:
    parse_reminder_days(text)


class Campaign(models.Model):
    """One review-and-award round, e.g. Plan 181/KH-UBND. Everything specific to it is data here."""

    title = NFCTextField(_("title"))
    plan_number = models.CharField(_("plan number"), max_length=16, help_text=_("e.g. 181"))
    plan_symbol = models.CharField(_("plan symbol"), max_length=32, help_text=_("e.g. KH-UBND"))
    plan_date = models.DateField(_("plan date"))
    issuer = models.ForeignKey(Unit, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        Unit,
        verbose_name=_("receiving and reviewing unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Reports are sent to this unit (the provincial police)."),
    )
    directive = NFCTextField(_("directive reviewed"), blank=True)
    achievement = NFCCharField(
        _("achievement phrase of its decisions"), max_length=255, blank=True,
        help_text=_("How Điều 1 of its award decisions ends, e.g. “đã có thành tích xuất sắc trong phong trào toàn "
                    "dân bảo vệ an ninh Tổ quốc giai đoạn 2014–2024”."),
    )  # fmt: skip
    data_from = models.DateField(_("figures counted from"))
    data_to = models.DateField(_("figures counted until"))
    reference_date = models.DateField(
        _("reference date"), help_text=_("Reports roll up by the unit hierarchy valid on this date.")
    )
    report_deadline = models.DateTimeField(_("report deadline"))
    nomination_deadline = models.DateTimeField(_("nomination deadline"), null=True, blank=True)
    reminder_days = models.CharField(
        _("reminders before a deadline (days)"),
        max_length=64,
        default="7,3,1",
        validators=[validate_reminder_days],
        help_text=_("Days before each deadline on which units that have not submitted are reminded, e.g. 7,3,1."),
    )
    outline = models.ForeignKey(ReportOutline, verbose_name=_("report outline"), on_delete=models.PROTECT)
    participant_kinds = models.JSONField(_("participating unit kinds"), default=list, blank=True)
    communes_report = models.BooleanField(
        _("communes file their own reports"),
        default=False,
        help_text=_("If set, a commune-level unit that sat under a district-level committee on the reference date "
                    "(a campaign before 1/7/2025) sends its report to that district for review. A commune under no "
                    "district on that date sends it to the reviewer of commune-level reports."),
    )  # fmt: skip
    commune_reviewer = models.ForeignKey(
        Unit, verbose_name=_("reviewer of commune-level reports"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Who reviews the report of a commune-level unit that sits under no district on the reference "
                    "date (every commune from 1/7/2025, when the district level ended). Empty: the receiving and "
                    "reviewing unit above. Its unit officers and heads, or its police reviewers, review them."),
    )  # fmt: skip
    legal_bases = models.ManyToManyField(
        LegalBasis, verbose_name=_("legal bases"), through="CampaignLegalBasis", blank=True
    )
    award_types = models.ManyToManyField(
        "AwardType", verbose_name=_("award types offered"), through="CampaignAwardType", blank=True,
        related_name="campaigns",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-plan_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(data_to__gte=models.F("data_from")), name="campaign_data_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_number}/{self.plan_symbol}: {self.title[:80]}"

    @property
    def plan_reference(self) -> str:
        return f"{self.plan_number}/{self.plan_symbol}"

    @property
    def data_years(self) -> range:
        return range(self.data_from.year, self.data_to.year + 1)

    def participants(self) -> "models.QuerySet[Unit]":
        """Units of the campaign's kinds valid on its reference date, plus additions, minus removals."""
        changes = list(self.participant_changes.all())
        added = [c.unit_id for c in changes if c.included]
        removed = [c.unit_id for c in changes if not c.included]
        by_kind = Unit.objects.valid_on(self.reference_date).filter(kind__in=self.participant_kinds)
        return Unit.objects.filter(Q(pk__in=by_kind.values("pk")) | Q(pk__in=added)).exclude(pk__in=removed)

    def intermediate_level(self) -> "models.QuerySet[Unit]":
        """The campaign's intermediate level: the district-level committees valid on its reference date, or none (a
        campaign on the two-tier structure, from 1/7/2025). The one notion the report review rule, the
        participants' default, the inbox filter, the consolidation, the decisions' counts and the statistics use."""
        return Unit.objects.intermediate_on(self.reference_date)

    @property
    def reminder_day_list(self) -> list[int]:
        return parse_reminder_days(self.reminder_days)

    def has_participant(self, unit: Unit) -> bool:
        return self.participants().filter(pk=unit.pk).exists()


class CampaignLegalBasis(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE)
    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "legal_basis"], name="campaign_basis_unique")]

    def __str__(self) -> str:
        return str(self.legal_basis)


class CampaignParticipantChange(models.Model):
    """An explicit addition to, or removal from, the participants a campaign's unit kinds select."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participant_changes")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    included = models.BooleanField(_("included"), help_text=_("Unticked: removed from the participants."))
    note = NFCCharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("participant change")
        verbose_name_plural = _("participant changes")
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="participant_change_unique")]

    def __str__(self) -> str:
        return f"{'+' if self.included else '−'} {self.unit}"


# Plan 181's reporting units (2024): the provincial ones and the district-level committees.
PROVINCIAL_PARTICIPANT_KINDS = [
    UnitKind.DEPARTMENT,
    UnitKind.HOME_AFFAIRS,
    UnitKind.SOCIO_POLITICAL,
    UnitKind.ENTERPRISE,
    UnitKind.CREDIT_INSTITUTION,
]
DEFAULT_PARTICIPANT_KINDS = [*PROVINCIAL_PARTICIPANT_KINDS, UnitKind.DISTRICT_COMMITTEE]


def default_participant_kinds(day) -> list[str]:
    """The unit kinds taking part by default in a campaign whose reference date is `day`: the provincial ones, and
    the district-level committees while that level exists (`Campaign.intermediate_level`); with none (the two-tier
    structure, from 1/7/2025) the commune-level units, which then report to the province directly."""
    if Unit.objects.intermediate_on(day).exists():
        return list(DEFAULT_PARTICIPANT_KINDS)
    return [*PROVINCIAL_PARTICIPANT_KINDS, UnitKind.COMMUNE_COMMITTEE]
