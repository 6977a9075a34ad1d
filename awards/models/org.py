"""Organisation, people and roles; the audit trail. Rules touching several rows live in services."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from ..fields import NFCCharField, NFCTextField
from ..text import person_sort_key, sort_key


class User(AbstractUser):
    full_name = NFCCharField(_("full name"), max_length=150, blank=True)
    sort_key = models.CharField(max_length=600, editable=False, db_index=True, default="")

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["sort_key", "username"]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.sort_key = person_sort_key(self.full_name or self.username)
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class UnitKind(models.TextChoices):
    # Order matters: lists and documents group units in this order.
    MINISTRY = "ministry", _("Ministry")
    PROVINCIAL_COMMITTEE = "provincial_committee", _("Provincial People's Committee")
    PROVINCIAL_POLICE = "provincial_police", _("Provincial Police")
    HOME_AFFAIRS = "home_affairs", _("Department of Home Affairs")
    DEPARTMENT = "department", _("Provincial department or agency")
    SOCIO_POLITICAL = "socio_political", _("Socio-political organisation")
    DISTRICT_COMMITTEE = "district_committee", _("District-level People's Committee")
    COMMUNE_COMMITTEE = "commune_committee", _("Commune-level People's Committee / security council")
    ENTERPRISE = "enterprise", _("Enterprise")
    CREDIT_INSTITUTION = "credit_institution", _("Credit institution")
    EDUCATION = "education", _("Education institution")

    @classmethod
    def rank(cls, value: str) -> int:
        return cls.values.index(value)


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> "UnitQuerySet":
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def in_display_order(self) -> "UnitQuerySet":
        """By kind (in UnitKind order), then Vietnamese name order."""
        kind_rank = models.Case(
            *(models.When(kind=value, then=index) for index, value in enumerate(UnitKind.values)),
            output_field=models.IntegerField(),
        )
        return self.order_by(kind_rank, "sort_key", "code")

    def with_parent_on(self, day: dt.date) -> "UnitQuerySet":
        """Adds `parent_then`: the parent on `day`, the current one or an earlier placement."""
        return self.alias(parent_then=parent_on(unit=models.OuterRef("pk"), day=day, current=models.F("parent")))

    def placed_under(self, parent: "Unit", day: dt.date) -> "UnitQuerySet":
        return self.with_parent_on(day).filter(parent_then=parent.pk)

    def intermediate_on(self, day: dt.date) -> "UnitQuerySet":
        """The intermediate level of local government on `day`: the district-level committees valid then. Before
        1/7/2025 the province's districts; from that day none, local government having two levels, the province
        and its communes (docs/sources/dong-nai-2025-reorganisation.md, section 3), once the administrator has
        closed the districts (valid to 30/6/2025)."""
        return self.valid_on(day).filter(kind__in=INTERMEDIATE_KINDS)


def parent_on(*, unit, day, current) -> models.Case:
    """The parent on `day` of the unit `unit` refers to (expressions, e.g. OuterRef("unit_id") and
    OuterRef("campaign__reference_date")): its earliest placement ending on or after that day, else `current`,
    its parent today."""
    earlier = UnitPlacement.objects.filter(unit=unit, until__gte=day).order_by("until")
    return models.Case(
        models.When(models.Exists(earlier), then=models.Subquery(earlier.values("parent")[:1])),
        default=current,
        output_field=models.BigIntegerField(),
    )


# The kinds of the intermediate level between the province and its communes (`UnitQuerySet.intermediate_on`).
INTERMEDIATE_KINDS = frozenset({UnitKind.DISTRICT_COMMITTEE})

# Bodies whose documents carry their governing body above their name (Decree 30/2020: "tên của cơ quan,
# tổ chức chủ quản trực tiếp"): the police (Bộ Công an) and the province's departments (UBND tỉnh).
GOVERNED_KINDS = frozenset({UnitKind.PROVINCIAL_POLICE, UnitKind.DEPARTMENT, UnitKind.HOME_AFFAIRS})
COMMITTEE_KINDS = frozenset({UnitKind.PROVINCIAL_COMMITTEE, UnitKind.DISTRICT_COMMITTEE, UnitKind.COMMUNE_COMMITTEE})
_COMMITTEE_PREFIXES = ("ủy ban nhân dân ", "uỷ ban nhân dân ", "ubnd ")
_ADMINISTRATIVE_WORDS = ("thành phố ", "thị xã ", "thị trấn ", "huyện ", "tỉnh ", "phường ", "xã ", "quận ")


def committee_place(name: str) -> str:
    """ "Ủy ban nhân dân phường Tân Phong" → "Tân Phong" (Decree 30: the administrative unit's name; one named
    by a number keeps its full name, "Phường 3")."""
    place = " ".join(name.split())
    for prefix in _COMMITTEE_PREFIXES:
        if place.casefold().startswith(prefix):
            place = place[len(prefix) :]
            break
    for word in _ADMINISTRATIVE_WORDS:
        if place.casefold().startswith(word):
            rest = place[len(word) :]
            return place[:1].upper() + place[1:] if rest[:1].isdigit() else rest
    return place


class Unit(models.Model):
    """Any organisation in the hierarchy. Units are never deleted: they close (valid_to)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = NFCCharField(_("name"), max_length=255)
    short_name = NFCCharField(_("short name"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # What its documents print (Decree 30/2020): the line above its name, the place before the date, who
    # executes its decisions (Điều 3) and where they are sent.
    governing_body = models.ForeignKey(
        "self", verbose_name=_("governing body"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("The body printed above this one in its documents' header (cơ quan chủ quản trực tiếp), e.g. "
                    "Bộ Công an above a provincial police (Ủy ban nhân dân is printed UBND)."),
    )  # fmt: skip
    place_name = NFCCharField(
        _("place name"), max_length=100, blank=True,
        help_text=_("Printed before the date: the administrative unit where it sits, e.g. Đồng Nai, Tân Phong. "
                    "Empty: a People's Committee's own place, else its parent's."),
    )  # fmt: skip
    executing_office = NFCCharField(
        _("who executes its decisions"), max_length=255, blank=True,
        help_text=_("Named first in Điều 3 of its decisions, e.g. Chánh Văn phòng Ủy ban nhân dân tỉnh."),
    )  # fmt: skip
    recipients = NFCTextField(
        _("standard recipients"), blank=True,
        help_text=_("The “Nơi nhận” lines of its decisions, one per line (a decision may set its own)."),
    )  # fmt: skip
    sort_key = models.CharField(max_length=600, editable=False, db_index=True, default="")

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["sort_key", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_period_ordered",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="unit_not_own_parent"),
        ]
        # Granted with guardian, per unit, to each member of a successor: read this predecessor's files
        # (awards.services.inheritance; read by awards.selectors.org.unit_scope).
        permissions = [("inherit_unit", _("Read as a member of its successor"))]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.code = self.code.strip().upper()
        self.sort_key = sort_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("unit_detail", args=[self.pk])

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date must not be before the start date.")})
        ancestor, seen = self.parent, set()
        while ancestor is not None:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError({"parent": _("A unit cannot be placed under itself or its own sub-units.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    def header_superior(self) -> str | None:
        """The governing body's line above its name, in capitals; a kind that must have one and has none is
        refused, naming the unit (a document is never printed with half a header)."""
        if self.governing_body_id is not None:  # common phrases abbreviated, as Decree 30 allows on this line
            return " ".join(self.governing_body.name.split()).replace("Ủy ban nhân dân", "UBND").upper()
        if self.kind in GOVERNED_KINDS:
            raise ValidationError(
                _("%(unit)s has no governing body for its documents' header: an administrator sets it under Units.")
                % {"unit": self.name},
                code="no_governing_body",
            )
        return None

    def document_place(self) -> str:
        """The place its documents are dated from: its own, a People's Committee's administrative unit, or
        its parent's."""
        unit, seen = self, set()
        while unit is not None and unit.pk not in seen:
            if unit.place_name:
                return unit.place_name
            if unit.kind in COMMITTEE_KINDS:
                return committee_place(unit.name)
            seen.add(unit.pk)
            unit = unit.parent
        return ""

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def name_on(self, day: dt.date) -> str:
        """The name the unit had on `day`: `name` is today's; earlier ones are kept by renames (UnitName)."""
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("earlier_names")
        if prefetched is not None:  # prefetch_related("earlier_names"): no query per unit in a list
            earlier = min((n for n in prefetched if n.until >= day), key=lambda n: n.until, default=None)
        else:
            earlier = self.earlier_names.filter(until__gte=day).order_by("until").first()
        return earlier.name if earlier else self.name

    def parent_id_on(self, day: dt.date) -> int | None:
        """The parent the unit had on `day`: `parent` is today's; earlier ones are placements."""
        earlier = self.placements.filter(until__gte=day).order_by("until").first()
        return earlier.parent_id if earlier else self.parent_id


class UnitPlacement(models.Model):
    """An earlier parent of a unit, up to and including `until`. The next placement (or the unit's
    current parent) takes over the day after. Reports of a campaign roll up by the placement valid on
    its reference date: a commune moved out of an abolished district still counts under it in 2024."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="placements")
    parent = models.ForeignKey(
        Unit, verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    until = models.DateField(_("until"))
    note = NFCCharField(_("legal basis or note"), max_length=255, blank=True)
    reorganisation = models.ForeignKey(
        "Reorganisation", verbose_name=_("reorganisation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="placements",
    )  # fmt: skip

    class Meta:
        verbose_name = _("earlier placement")
        verbose_name_plural = _("earlier placements")
        ordering = ["unit", "until"]
        constraints = [models.UniqueConstraint(fields=["unit", "until"], name="placement_unique_end")]

    def __str__(self) -> str:
        return f"{self.unit} ⊂ {self.parent or '—'} (… {self.until:%d/%m/%Y})"


class LineageKind(models.TextChoices):
    MERGED = "merged", _("merged into")
    SPLIT = "split", _("split into")
    RENAMED = "renamed", _("renamed to")


class UnitLineage(models.Model):
    """A predecessor's work continues in a successor from a date (2025 mergers, splits, renamings)."""

    predecessor = models.ForeignKey(
        Unit, verbose_name=_("predecessor"), on_delete=models.PROTECT, related_name="successor_links"
    )
    successor = models.ForeignKey(
        Unit, verbose_name=_("successor"), on_delete=models.PROTECT, related_name="predecessor_links"
    )
    kind = models.CharField(_("change"), max_length=16, choices=LineageKind.choices)
    effective_on = models.DateField(_("effective on"))
    note = NFCCharField(_("legal basis or note"), max_length=255, blank=True)
    reorganisation = models.ForeignKey(
        "Reorganisation", verbose_name=_("reorganisation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="lineage",
    )  # fmt: skip

    class Meta:
        verbose_name = _("unit lineage")
        verbose_name_plural = _("unit lineage")
        ordering = ["effective_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="lineage_unique_pair"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="lineage_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class Role(models.TextChoices):
    UNIT_OFFICER = "unit_officer", _("Unit officer")
    UNIT_HEAD = "unit_head", _("Unit head")
    POLICE_REVIEWER = "police_reviewer", _("Police reviewer")
    POLICE_DIRECTOR = "police_director", _("Police director")
    HOME_AFFAIRS_REVIEWER = "home_affairs_reviewer", _("Home-affairs reviewer")
    PROVINCIAL_LEADER = "provincial_leader", _("Provincial leader")
    MINISTRY_LIAISON = "ministry_liaison", _("Ministry liaison")
    ADMINISTRATOR = "administrator", _("System administrator")


class MembershipQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> "MembershipQuerySet":
        return self.filter(is_active=True).filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Membership(models.Model):
    """A user's role in a unit. An acting membership stands in for another member for a period."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    title = NFCCharField(_("position"), max_length=120, blank=True, help_text=_("e.g. Deputy Director"))
    acting_for = models.ForeignKey(
        "self",
        verbose_name=_("acting for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="acting_memberships",
        help_text=_("The membership this one stands in for; start and end dates are then required."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit__sort_key", "role", "user__sort_key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(acting_for__isnull=True) | (Q(valid_from__isnull=False) & Q(valid_to__isnull=False)),
                name="acting_membership_has_period",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="membership_valid_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["user", "is_active"])]

    def __str__(self) -> str:
        label = f"{self.user} – {self.get_role_display()} – {self.unit}"
        if self.acting_for_id:
            return f"{label} ({_('acting for')} {self.acting_for.user})"
        return label

    def is_valid_on(self, day: dt.date) -> bool:
        return (
            self.is_active
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_to is None or day <= self.valid_to)
        )


ACTION_LABELS = {
    "unit_created": _("Unit created"),
    "unit_updated": _("Unit updated"),
    "unit_closed": _("Unit closed"),
    "lineage_recorded": _("Unit lineage recorded"),
    "lineage_updated": _("Unit lineage updated"),
    "reorganisation_created": _("Reorganisation recorded"),
    "reorganisation_changed": _("Reorganisation changed"),
    "reorganisation_applied": _("Reorganisation applied"),
    "reorganisation_undone": _("Reorganisation undone"),
    "reorganisation_files_moved": _("Open files moved to the successor"),
    "nomination_moved": _("Nomination moved to the successor unit"),
    "inherited_access_granted": _("Inherited access granted"),
    "inherited_access_revoked": _("Inherited access revoked"),
    "user_created": _("User created"),
    "user_changed": _("User changed"),
    "user_deactivated": _("User deactivated"),
    "membership_granted": _("Role granted"),
    "acting_membership_granted": _("Acting role granted"),
    "membership_changed": _("Role changed"),
    "membership_ended": _("Role ended"),
    "access_denied": _("Access denied"),
    "campaign_created": _("Campaign created"),
    "campaign_updated": _("Campaign updated"),
    "outline_created": _("Outline created"),
    "outline_item_updated": _("Outline item updated"),
    "report_started": _("Report started"),
    "report_saved": _("Report saved"),
    "report_submitted": _("Report submitted"),
    "report_returned": _("Report returned for revision"),
    "report_accepted": _("Report accepted"),
    "report_reopened": _("Report reopened"),
    "attachment_added": _("File attached"),
    "attachment_removed": _("Attachment removed"),
    "nomination_file_removed": _("Nomination file removed"),
    "nominations_imported": _("Nominations imported from a spreadsheet"),
    "units_imported": _("Units imported from a spreadsheet"),
    "accounts_imported": _("Accounts imported from a spreadsheet"),
    "set_password_link_sent": _("Set-password e-mail sent again"),
    "nominations_exported": _("Nominations exported to a spreadsheet"),
    "award_type_saved": _("Award type saved"),
    "prize_rates_set": _("Prize rates set"),
    "base_salary_saved": _("Base salary saved"),
    "decision_drafted": _("Decision drafted"),
    "decision_changed": _("Draft decision changed"),
    "decision_discarded": _("Draft decision discarded"),
    "decision_revocation_drafted": _("Revoking decision drafted"),
    "decision_correction_drafted": _("Correcting decision drafted"),
    "decision_issued": _("Decision issued"),
    "nomination_created": _("Nomination created"),
    "nomination_updated": _("Nomination updated"),
    "nomination_blocked": _("Nominee blocked from awards"),
    "nomination_unblocked": _("Nominee's block lifted"),
    "nomination_approved": _("Nomination approved at a step"),
    "nomination_handed": _("Nomination handed to the unit head"),
    "nomination_sent": _("Nomination sent up"),
    "nomination_returned": _("Nomination returned for revision"),
    "nomination_rejected": _("Nomination rejected"),
    "nomination_withdrawn": _("Nomination withdrawn"),
    "nomination_escalated": _("Late step escalated to the agency's leader"),
    "email_retried": _("Failed e-mails sent again"),
    "nomination_duplicate_allowed": _("Duplicate nomination allowed"),
    "nomination_duplicate_checked": _("Checked for a duplicate nominee"),
    "nomination_assigned": _("Nomination step claimed or handed to a colleague"),
    "personal_data_viewed": _("Personal data viewed"),
    "dossier_submitted": _("Dossier sent"),
    "handoff_sent": _("Submission to the next agency sent"),
    "password_set": _("Password set by an administrator"),
    "password_unset": _("Password sign-in disabled by an administrator"),
    "lockout_cleared": _("Login lockout cleared"),
    # The REST API (awards/api, docs/api.md): personal tokens, each use of one included.
    "api_token_created": _("API token created"),
    "api_token_revoked": _("API token revoked"),
    "api_token_used": _("API request with a token"),
}


class AuditEvent(models.Model):
    """Who did what, when, under which membership, from which state to which. Append-only: on PostgreSQL the
    database refuses UPDATE, DELETE and TRUNCATE of these rows (migration 0026), and every row is chained
    to the one before it by its seal (AuditSeal, docs/audit.md). It holds ids and codes, never a person's
    name: `object_repr` is a label such as "nomination #12" or a unit's code, and pages show the object's
    current name, read when the page is shown."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events_on_behalf",
        help_text=_("The member an acting membership stood in for."),
    )
    membership = models.ForeignKey(
        Membership, verbose_name=_("membership"), null=True, blank=True, on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    from_state = models.CharField(_("from state"), max_length=64, blank=True)
    to_state = models.CharField(_("to state"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # the activity pages, newest first: a unit's trail, a person's own
            models.Index(fields=["unit", "-at"], name="audit_unit_at_idx"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def subject_label(self) -> str:
        """The object's name as it is now when the page's selector read it (awards.selectors.audit), else the
        label the row keeps."""
        return self.__dict__.get("current_label") or self.object_repr


class AuditSeal(models.Model):
    """The seal of one audit row: sha256(the seal of the row sealed before it + this row's canonical content),
    written after the row committed, in id order, by the `audit_seal` job (awards.audit). Append-only like the
    rows: a separate table, so that sealing is an INSERT and the rows are never updated at all."""

    event = models.OneToOneField(AuditEvent, verbose_name=_("audit event"), on_delete=models.PROTECT,
                                 related_name="seal")  # fmt: skip
    # The id of the row sealed just before this one (None for the first): a removed row leaves a dangling link.
    follows = models.BigIntegerField(_("follows"), null=True, blank=True)
    hash = models.CharField(_("hash"), max_length=64)
    sealed_at = models.DateTimeField(_("sealed at"), default=timezone.now)

    class Meta:
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")

    def __str__(self) -> str:
        return f"#{self.event_id} {self.hash[:12]}"


class RefusedAccessTally(models.Model):
    """Refused accesses of one user to one object in one hour, counted as they happen (this table changes);
    once the hour has closed, the `audit_refusals` job writes them as one audit row and deletes the tally."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="+")  # fmt: skip
    membership = models.ForeignKey(
        Membership, verbose_name=_("membership"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    on_behalf_of = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("on behalf of"), null=True,
                                     blank=True, on_delete=models.CASCADE, related_name="+")  # fmt: skip
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    hour = models.DateTimeField(_("hour"))  # its start
    count = models.PositiveIntegerField(_("count"), default=1)
    first_at = models.DateTimeField(_("first at"))
    last_at = models.DateTimeField(_("last at"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)  # of the first

    class Meta:
        verbose_name = _("refused access tally")
        verbose_name_plural = _("refused access tallies")
        constraints = [
            models.UniqueConstraint(fields=["user", "object_type", "object_id", "hour"], name="refusal_tally_unique")
        ]
        indexes = [models.Index(fields=["hour"], name="refusal_tally_hour_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.object_type} {self.object_id} {self.hour:%Y-%m-%d %H}: {self.count}"


# guardian: direct-FK tables for per-object exceptions (fast joins, real foreign keys).
class UnitUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Unit, on_delete=models.CASCADE)


class UnitGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Unit, on_delete=models.CASCADE)
