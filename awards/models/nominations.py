"""Award tiers, nominations, the dossiers that carry them and the hand-offs between agencies.

Which flow a tier follows is a code (`Route`); which role of which unit acts at each step, and the
step's time limit, are data (`AwardStep`), so that a province can re-staff a step without a deploy.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import NFCCharField, NFCTextField
from ..text import person_sort_key, sort_key
from .campaigns import Campaign, LegalBasis
from .org import Role, Unit, UnitKind
from .reports import Report, ReportVersion


class Route(models.TextChoices):
    DIRECTOR = "director", _("Giấy khen: the police director decides")
    CHAIRMAN = "chairman", _("Chairman's Bằng khen: the provincial leader decides")
    MINISTRY = "ministry", _("Ministry's Bằng khen: forwarded to the Ministry")


class Step(models.TextChoices):
    PREPARE = "prepare", _("Unit officer prepares")
    SUBMIT = "submit", _("Unit head submits")
    POLICE_APPRAISAL = "police_appraisal", _("Police appraisal")
    DIRECTOR_APPROVAL = "director_approval", _("Police director approves")
    HOME_AFFAIRS_APPRAISAL = "home_affairs_appraisal", _("Home-affairs appraisal")
    LEADER_APPROVAL = "leader_approval", _("Provincial leader approves")
    MINISTRY_FORWARD = "ministry_forward", _("Police director forwards to the Ministry")
    AWAITING_DECISION = "awaiting_decision", _("Awaits decision")


# The order of the steps of each route; the flows in workflows/flows.py draw the same diagrams.
ROUTE_STEPS: dict[str, tuple[str, ...]] = {
    Route.DIRECTOR: (Step.PREPARE, Step.SUBMIT, Step.POLICE_APPRAISAL, Step.DIRECTOR_APPROVAL, Step.AWAITING_DECISION),
    Route.CHAIRMAN: (
        Step.PREPARE, Step.SUBMIT, Step.POLICE_APPRAISAL, Step.HOME_AFFAIRS_APPRAISAL, Step.LEADER_APPROVAL,
        Step.AWAITING_DECISION,
    ),
    Route.MINISTRY: (
        Step.PREPARE, Step.SUBMIT, Step.POLICE_APPRAISAL, Step.HOME_AFFAIRS_APPRAISAL, Step.MINISTRY_FORWARD,
        Step.AWAITING_DECISION,
    ),
}  # fmt: skip
# Where the deciding side returns a file that awaits its decision: the previous agency, not its own approval step.
AWAITING_RETURNS_TO = {
    Route.DIRECTOR: Step.POLICE_APPRAISAL, Route.CHAIRMAN: Step.HOME_AFFAIRS_APPRAISAL, Route.MINISTRY: Step.MINISTRY_FORWARD,
}  # fmt: skip
UNIT_STEPS = frozenset({Step.PREPARE, Step.SUBMIT})  # held by the nominating unit itself


class NomineeKind(models.TextChoices):
    COLLECTIVE = "collective", _("Collective")
    INDIVIDUAL = "individual", _("Individual")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class AwardType(models.Model):
    """A tier a campaign can offer, e.g. the Chairman's Bằng khen."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = NFCCharField(_("name"), max_length=255, help_text=_("As printed: Bằng khen của Chủ tịch …"))
    authority = NFCCharField(_("deciding authority"), max_length=255)
    deciding_unit = models.ForeignKey(
        Unit, verbose_name=_("deciding unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    route = models.CharField(_("route"), max_length=16, choices=Route.choices)
    accepts_collectives = models.BooleanField(_("accepts collectives"), default=True)
    accepts_individuals = models.BooleanField(_("accepts individuals"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    decision_symbol = models.CharField(
        _("symbol of its decisions"), max_length=32, blank=True, help_text=_("e.g. QĐ-UBND, QĐ-CAT")
    )
    # Where the certificate's lines go on the pre-printed blank: overrides of awards.documents.certificate'
    # default layout for this tier, e.g. {"name": {"y_mm": 95, "size_pt": 24}}.
    certificate_layout = models.JSONField(
        _("certificate layout"), default=dict, blank=True,
        help_text=_("Positions of the printed lines on the blank, in millimetres from the top left; empty for the default."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("award type")
        verbose_name_plural = _("award types")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from ..documents.certificate import BANG_KHEN, GIAY_KHEN, default_layout, layout_from_dict

        base = default_layout(GIAY_KHEN if self.route == Route.DIRECTOR else BANG_KHEN)
        try:
            layout_from_dict(self.certificate_layout or {}, base=base)
        except (ValueError, TypeError) as error:
            # The detail names the JSON key and the limit, as the administrator typed them.
            raise ValidationError({"certificate_layout": _("This layout cannot be used: %(problem)s.")
                                   % {"problem": str(error).rstrip(".")}}) from error  # fmt: skip

    def accepts(self, kind: str) -> bool:
        return self.accepts_collectives if kind == NomineeKind.COLLECTIVE else self.accepts_individuals

    @property
    def steps(self) -> tuple[str, ...]:
        return ROUTE_STEPS[self.route]


class AwardStep(models.Model):
    """Who acts at one step of a tier's route, and in how many working days."""

    award_type = models.ForeignKey(AwardType, on_delete=models.CASCADE, related_name="step_rules")
    step = models.CharField(_("step"), max_length=32, choices=Step.choices)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("acting unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the nominating unit itself."),
    )
    time_limit_days = models.PositiveSmallIntegerField(_("time limit (working days)"), null=True, blank=True)

    class Meta:
        verbose_name = _("step of a route")
        verbose_name_plural = _("steps of the route")
        ordering = ["award_type", "pk"]
        constraints = [models.UniqueConstraint(fields=["award_type", "step"], name="award_step_unique")]

    def __str__(self) -> str:
        return f"{self.award_type}: {self.get_step_display()}"


class CampaignAwardType(models.Model):
    """A tier a campaign offers, with optional quotas per nominating unit kind."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="offers")
    award_type = models.ForeignKey(AwardType, verbose_name=_("award type"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("award offered")
        verbose_name_plural = _("awards offered")
        ordering = ["award_type__position", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "award_type"], name="campaign_award_unique")]

    def __str__(self) -> str:
        return str(self.award_type)


class NominationQuota(models.Model):
    """At most `limit` nominations per nominating unit of a kind, for one tier of one campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="quotas")
    award_type = models.ForeignKey(AwardType, verbose_name=_("award type"), on_delete=models.PROTECT)
    unit_kind = models.CharField(_("unit kind"), max_length=32, choices=UnitKind.choices)
    limit = models.PositiveIntegerField(_("at most, per unit"))

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "award_type", "unit_kind"], name="quota_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.award_type} / {self.get_unit_kind_display()}: {self.limit}"


class Dossier(models.Model):
    """A unit's submission of its nominations for one tier: its tờ trình and council minutes."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="dossiers")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="dossiers")
    award_type = models.ForeignKey(AwardType, verbose_name=_("award type"), on_delete=models.PROTECT)
    number = NFCCharField(_("submission number"), max_length=32, help_text=_("e.g. 15/TTr-UBND"))
    date = models.DateField(_("submission date"))
    signer = NFCCharField(_("signed by"), max_length=150)
    signer_title = NFCCharField(_("signer's title"), max_length=150, blank=True)
    council_members = models.PositiveSmallIntegerField(_("council members"))
    council_present = models.PositiveSmallIntegerField(_("members present"))
    votes_for = models.PositiveSmallIntegerField(_("votes in favour"))
    submitted_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    late_days = models.PositiveIntegerField(_("days late"), null=True, blank=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(council_present__lte=models.F("council_members")), name="dossier_present"
            ),
            models.CheckConstraint(condition=Q(votes_for__lte=models.F("council_present")), name="dossier_votes"),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.unit}"


class NominationStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    IN_REVIEW = "in_review", _("Under review")
    RETURNED = "returned", _("Returned for revision")
    AWAITING_DECISION = "awaiting_decision", _("Awaits decision")
    AWARDED = "awarded", _("Awarded")
    REVOKED = "revoked", _("Award revoked")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


NO_STEP_LIMIT = (
    "rejected",
    "withdrawn",
    "awaiting_decision",
    "awarded",
    "revoked",
)  # statuses where no step is running
OPEN_STATUSES = (NominationStatus.DRAFT, NominationStatus.IN_REVIEW, NominationStatus.RETURNED)
# Count for duplicates and quotas: one achievement, one award.
LIVE_STATUSES = (*OPEN_STATUSES, NominationStatus.AWAITING_DECISION, NominationStatus.AWARDED)


class BlockReason(models.TextChoices):
    DISCIPLINE = "discipline", _("Under discipline review")
    INVESTIGATION = "investigation", _("Under investigation")
    COMPLAINT = "complaint", _("Unresolved complaint or denunciation")


class Nomination(models.Model):
    """One collective or individual proposed for one tier. The workflow's subject."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="nominations")
    unit = models.ForeignKey(
        Unit, verbose_name=_("nominating unit"), on_delete=models.PROTECT, related_name="nominations"
    )
    award_type = models.ForeignKey(AwardType, verbose_name=_("award type"), on_delete=models.PROTECT)
    kind = models.CharField(_("nominee"), max_length=16, choices=NomineeKind.choices)
    name = NFCCharField(_("name"), max_length=255, help_text=_("The collective's name or the person's full name."))
    name_key = models.CharField(max_length=255, editable=False, db_index=True)
    sort_key = models.CharField(max_length=600, editable=False, db_index=True, default="")
    # A collective
    parent_unit = models.ForeignKey(
        Unit,
        verbose_name=_("belongs to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit the collective belongs to."),
    )
    women_percent = models.PositiveSmallIntegerField(_("women (%)"), null=True, blank=True)
    # An individual
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    position = NFCCharField(_("position"), max_length=255, blank=True)
    workplace = NFCCharField(_("workplace"), max_length=255, blank=True)
    id_number = models.CharField(_("citizen ID"), max_length=12, blank=True, db_index=True)
    # The merit
    achievement = NFCCharField(
        _("achievement summary"), max_length=500, help_text=_("The line the decision will print.")
    )
    achievement_text = NFCTextField(_("achievement report"), blank=True)
    evidence_report = models.ForeignKey(
        Report, verbose_name=_("evidence report"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evidence_version = models.ForeignKey(
        ReportVersion, verbose_name=_("evidence version"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    cites_consolidation = models.BooleanField(_("cites the provincial consolidation"), default=False)
    # Where it is
    status = models.CharField(
        _("status"), max_length=20, choices=NominationStatus.choices, default=NominationStatus.DRAFT
    )
    step = models.CharField(_("step"), max_length=32, choices=Step.choices, default=Step.PREPARE)
    holder = models.ForeignKey(
        Unit, verbose_name=_("held by"), on_delete=models.PROTECT, related_name="held_nominations", db_index=True
    )
    held_since = models.DateTimeField(_("held since"), default=timezone.now)
    # The last day of the step's time limit, in working days (empty when the step has none).
    step_due = models.DateField(_("step due on"), null=True, blank=True, db_index=True)
    # When the holding agency's leader was told the step is late (once per step visit).
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    # Who in the holding unit has claimed the step (viewflow's task owner, kept here to stay queryable).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handled by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), null=True, blank=True, on_delete=models.PROTECT, related_name="nominations"
    )
    # Rules
    block_reason = models.CharField(_("blocked because"), max_length=16, choices=BlockReason.choices, blank=True)
    block_until = models.DateField(_("blocked until"), null=True, blank=True)
    block_note = NFCCharField(_("block note"), max_length=255, blank=True)
    # Who recorded the block: that person, or the leader of their unit, lifts it (empty on blocks older than 0027).
    block_unit = models.ForeignKey(
        Unit, verbose_name=_("blocked by unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    block_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("blocked by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    duplicate_override = NFCTextField(_("duplicate allowed because"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["sort_key", "pk"]
        indexes = [
            models.Index(fields=["holder", "step", "status"]),
            models.Index(fields=["campaign", "name_key"]),
            # the campaign's list in Vietnamese order, a page at a time
            models.Index(fields=["campaign", "sort_key", "id"], name="nomination_campaign_sort_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(women_percent__isnull=True) | Q(women_percent__lte=100), name="nomination_women_percent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.set_keys()
        super().save(*args, **kwargs)

    def set_keys(self) -> None:
        """The name's search and sort keys, from the name (`save` sets them; a bulk insert calls this itself)."""
        from ..identity import name_key

        self.name_key = name_key(self.name)
        self.sort_key = person_sort_key(self.name) if self.kind == NomineeKind.INDIVIDUAL else sort_key(self.name)

    @property
    def printed_details(self) -> tuple[str, str, str]:
        """(name, position, unit line) as an award's list prints them today: a collective's unit line is the
        unit it belongs to, a person's their workplace (else the nominating unit)."""
        if self.kind == NomineeKind.COLLECTIVE:
            return self.name, "", (self.parent_unit or self.unit).name
        return self.name, self.position, self.workplace or self.unit.name

    @property
    def is_held(self) -> bool:
        """Someone still holds it (a step to act on, or the decision it awaits); decided or closed ones no longer."""
        return self.status in (*OPEN_STATUSES, NominationStatus.AWAITING_DECISION)

    @property
    def is_individual(self) -> bool:
        return self.kind == NomineeKind.INDIVIDUAL

    @property
    def is_blocked(self) -> bool:
        """A block (discipline, investigation, complaint) in force today: nothing moves it towards an award."""
        return bool(self.block_reason) and (self.block_until is None or self.block_until > timezone.localdate())

    @property
    def step_overdue(self) -> bool:
        return bool(self.step_due and self.status not in NO_STEP_LIMIT and timezone.localdate() > self.step_due)


class NominationFileKind(models.TextChoices):
    ACHIEVEMENT = "achievement", _("Achievement report")
    SUPPORTING = "supporting", _("Supporting file")
    MINUTES = "minutes", _("Council minutes")


class NominationFile(models.Model):
    """A file of a nomination (achievement report, supporting file) or of a dossier (minutes)."""

    nomination = models.ForeignKey(Nomination, null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=NominationFileKind.choices)
    stored_path = models.CharField(max_length=255, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    original_name = NFCCharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("nomination file")
        verbose_name_plural = _("nomination files")
        ordering = ["kind", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nomination__isnull=False, dossier__isnull=True)
                | Q(nomination__isnull=True, dossier__isnull=False),
                name="nomination_file_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class HandOff(models.Model):
    """A later agency's tờ trình passing nominations on (police → Home Affairs → Chairman; police → Ministry)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="handoffs")
    award_type = models.ForeignKey(AwardType, verbose_name=_("award type"), on_delete=models.PROTECT)
    from_unit = models.ForeignKey(Unit, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+")
    step = models.CharField(_("step"), max_length=32, choices=Step.choices)
    number = NFCCharField(_("submission number"), max_length=32)
    date = models.DateField(_("submission date"))
    signer = NFCCharField(_("signed by"), max_length=150)
    signer_title = NFCCharField(_("signer's title"), max_length=150, blank=True)
    nominations = models.ManyToManyField(Nomination, related_name="handoffs")
    # What its tờ trình's header and date line print, fixed when it is made from the sender's data.
    printed_superior = NFCCharField(_("governing body as printed"), max_length=255, blank=True)
    printed_place = NFCCharField(_("place as printed"), max_length=100, blank=True)
    # The legal bases its tờ trình cites, fixed when it is made.
    cited_bases = models.ManyToManyField(
        LegalBasis, verbose_name=_("legal bases cited"), blank=True, related_name="cited_by_handoffs"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("hand-off")
        verbose_name_plural = _("hand-offs")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} – {self.from_unit} → {self.to_unit}"


class Outcome(models.TextChoices):
    CREATED = "created", _("Created")
    HANDED = "handed", _("Handed to the unit head")
    SENT = "sent", _("Sent on")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for revision")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The outcomes that end an agency's handling of a step: what the lateness report counts.
HANDLED_OUTCOMES = (Outcome.APPROVED, Outcome.RETURNED, Outcome.REJECTED)


class NominationAction(models.Model):
    """One step's outcome: the nominating unit sees it with its comment; the internal note stays internal."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="actions")
    step = models.CharField(_("step"), max_length=32, choices=Step.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    comment = NFCTextField(_("comment"), blank=True)
    internal_note = NFCTextField(_("internal note"), blank=True)
    handoff = models.ForeignKey(
        "HandOff", verbose_name=_("hand-off"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    # When the step began and its due day: the lateness report counts from these.
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    due = models.DateField(_("due on"), null=True, blank=True)
    # Fixed when the step is done, so the lateness report sums in the database: working days from arrival
    # to this outcome, and whether it came after the due day (empty for steps with no arrival recorded).
    took_days = models.PositiveIntegerField(_("working days taken"), null=True, blank=True)
    late = models.BooleanField(_("late"), null=True, blank=True)

    class Meta:
        verbose_name = _("nomination step")
        verbose_name_plural = _("nomination steps")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["unit", "step", "actor"], name="action_lateness_idx")]

    def __str__(self) -> str:
        return f"{self.nomination}: {self.get_step_display()} – {self.get_outcome_display()}"


class LatenessTally(models.Model):
    """How one officer of one agency handled one step in one campaign, summed as each step is done (the
    lateness report reads these few rows, never the step records themselves)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    step = models.CharField(_("step"), max_length=32, choices=Step.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    handled = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    days_total = models.PositiveIntegerField(default=0)  # working days, summed
    worst = models.PositiveIntegerField(default=0)  # the longest, in working days

    class Meta:
        verbose_name = _("lateness tally")
        verbose_name_plural = _("lateness tallies")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit", "step", "actor"], name="lateness_tally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.step}/{self.actor_id}: {self.handled}"
