"""Reorganisations: merges, splits, renames, moves and closures of units on a date, with their legal basis,
applied as one operation (awards.services.reorganisations) and undone as one. docs/reorganisations.md."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import NFCCharField, NFCTextField
from .org import Unit


class ReorganisationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPLIED = "applied", _("Applied")
    UNDONE = "undone", _("Undone")


class ChangeKind(models.TextChoices):
    MERGE = "merge", _("Merge: several units into one")
    SPLIT = "split", _("Split: one unit into several")
    RENAME = "rename", _("Rename (the same body under a new name)")
    MOVE = "move", _("Move under another parent")
    CLOSE = "close", _("Close without a successor")


class MemberAction(models.TextChoices):
    MOVE = "move", _("Move them to the successor")
    END = "end", _("End their roles the day before")
    KEEP = "keep", _("Leave them as they are")


class Reorganisation(models.Model):
    """One decision of a competent body reorganising units from a date. A draft is edited freely; applying
    writes the units' periods, placements, names, lineage and memberships together; undoing reverses them."""

    title = NFCCharField(_("title"), max_length=255)
    effective_on = models.DateField(_("effective on"), help_text=_("The first day of the new structure."))
    legal_basis = NFCCharField(
        _("legal basis"), max_length=255,
        help_text=_("The resolution or decision, e.g. Nghị quyết số 1662/NQ-UBTVQH15 ngày 16/6/2025."),
    )  # fmt: skip
    source = NFCCharField(
        _("source"), max_length=500, blank=True, help_text=_("Where its text was read: an address or a gazette.")
    )
    note = NFCTextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReorganisationStatus.choices, default=ReorganisationStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True, editable=False)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applied by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False,
    )  # fmt: skip
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True, editable=False)
    # What applying did that undoing must reverse and no other row records: earlier end dates of the closed
    # units, the memberships ended and created, the files moved (awards.services.reorganisations).
    record = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("reorganisation")
        verbose_name_plural = _("reorganisations")
        ordering = ["-effective_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.effective_on:%d/%m/%Y})"

    @property
    def editable(self) -> bool:
        """A draft, or an undone reorganisation being corrected; an applied one is undone first."""
        return self.status != ReorganisationStatus.APPLIED


class ReorganisationChange(models.Model):
    """One change of a reorganisation: which units go (predecessors) and which carry on (successors)."""

    reorganisation = models.ForeignKey(
        Reorganisation, verbose_name=_("reorganisation"), on_delete=models.CASCADE, related_name="changes"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("change"), max_length=16, choices=ChangeKind.choices)
    predecessors = models.ManyToManyField(
        Unit, verbose_name=_("units changed"), related_name="+",
        help_text=_("A merge names every unit merged (a surviving unit is the successor, not listed here); the "
                    "other changes name one unit."),
    )  # fmt: skip
    successors = models.ManyToManyField(
        Unit, verbose_name=_("successors"), related_name="+", blank=True,
        help_text=_("A merge names one successor, a split two or more; each must be open on the effective date "
                    "(create a new unit first, open from that date)."),
    )  # fmt: skip
    new_name = NFCCharField(_("new name"), max_length=255, blank=True)
    new_short_name = NFCCharField(_("new short name"), max_length=120, blank=True)
    new_parent = models.ForeignKey(
        Unit, verbose_name=_("new parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    members = models.CharField(
        _("members of the units that close"), max_length=8, choices=MemberAction.choices, default=MemberAction.MOVE
    )
    files_to = models.ForeignKey(
        Unit, verbose_name=_("open files go to"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("A split: the successor that continues the open files and receives the members."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class UnitName(models.Model):
    """An earlier name of a unit, used up to and including `until`: a rename keeps the same body (its files,
    members and code), and a document dated before the rename prints the name it had then."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="earlier_names")
    name = NFCCharField(_("name"), max_length=255)
    short_name = NFCCharField(_("short name"), max_length=120, blank=True)
    until = models.DateField(_("until"))
    reorganisation = models.ForeignKey(
        Reorganisation, verbose_name=_("reorganisation"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="names",
    )  # fmt: skip

    class Meta:
        verbose_name = _("earlier name")
        verbose_name_plural = _("earlier names")
        ordering = ["unit", "until"]
        constraints = [models.UniqueConstraint(fields=["unit", "until"], name="unit_name_unique_end")]

    def __str__(self) -> str:
        return f"{self.name} (… {self.until:%d/%m/%Y})"


class InheritedAccessOverride(models.Model):
    """An administrator's exception to inherited access: one member of a successor denied (or given back) the
    right to read one predecessor's files, with the reason. The grants themselves are guardian rows."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
                             related_name="+")  # fmt: skip
    unit = models.ForeignKey(Unit, verbose_name=_("predecessor"), on_delete=models.PROTECT, related_name="+")
    allowed = models.BooleanField(_("allowed"))
    reason = NFCCharField(_("reason"), max_length=255)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("inherited access exception")
        verbose_name_plural = _("inherited access exceptions")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="inherited_override_unique")]

    def __str__(self) -> str:
        return f"{self.user} {'+' if self.allowed else '−'} {self.unit}"
