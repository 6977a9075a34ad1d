"""Imports of nominees from a spreadsheet: the uploaded file (kept by its checksum until confirmed), each row as
the preview showed it, and the job that turns the valid rows into draft nominations."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import NFCCharField
from .campaigns import Campaign
from .nominations import AwardType, Nomination
from .org import Membership, Unit


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Awaiting confirmation")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class NominationImport(models.Model):
    """One uploaded list for one campaign, tier and unit. Nothing becomes a nomination until it is confirmed."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="+")
    award_type = models.ForeignKey(AwardType, verbose_name=_("award type"), on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")  # fmt: skip
    confirmed_membership = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.PROTECT,
                                             related_name="+")  # fmt: skip
    original_name = NFCCharField(_("file name"), max_length=255)
    stored_path = models.CharField(max_length=255, blank=True)  # emptied when the file is swept away
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEW)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent of the valid rows done
    rows_total = models.PositiveIntegerField(default=0)
    rows_valid = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_failed = models.PositiveIntegerField(default=0)  # valid at the preview, refused when created
    sheet = NFCCharField(max_length=255, blank=True)
    ignored_columns = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nominee import")
        verbose_name_plural = _("nominee imports")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "campaign", "-created_at"], name="import_unit_recent"),
            models.Index(fields=["status", "created_at"], name="import_status"),
        ]

    def __str__(self) -> str:
        return self.original_name


class NominationImportRow(models.Model):
    """One row of the list as the preview shows it: each cell's value (and its legacy original), its problems,
    and the nomination made from it (set in the same transaction, so a job run again never makes it twice)."""

    nomination_import = models.ForeignKey(NominationImport, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField()  # 1, 2, 3… in the file's order
    number = models.PositiveIntegerField()  # the row number Excel shows
    kind = models.CharField(max_length=16, blank=True)
    award_type = models.ForeignKey(AwardType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(default=dict)  # the nominee's fields as nomination_create takes them (dates ISO)
    cells = models.JSONField(default=dict)  # column key -> {"v": shown, "o": legacy original, "e": [errors]…}
    errors = models.JSONField(default=list)  # problems of the row as a whole
    warnings = models.JSONField(default=list)
    valid = models.BooleanField(default=False)
    nomination = models.OneToOneField(Nomination, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    error = models.TextField(blank=True)  # refused when created

    class Meta:
        ordering = ["nomination_import", "position"]
        constraints = [
            models.UniqueConstraint(fields=["nomination_import", "position"], name="import_row_position"),
        ]

    def __str__(self) -> str:
        return f"{self.nomination_import_id}:{self.number}"


class AdminImportKind(models.TextChoices):
    UNITS = "units", _("Units")
    ACCOUNTS = "accounts", _("Accounts and memberships")


class RowAction(models.TextChoices):
    CREATE = "create", _("new")
    UPDATE = "update", _("changed")
    UNCHANGED = "unchanged", _("unchanged")
    ERROR = "error", _("error")


class AdminImport(models.Model):
    """An administrator's file of units, or of accounts with their memberships: read and compared with what is
    stored (the preview), applied through the services when confirmed. The file itself is not kept: its checksum
    and size are, and each row as the preview showed it (swept away after `KEEP`: names and e-mail addresses)."""

    kind = models.CharField(_("kind"), max_length=16, choices=AdminImportKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")  # fmt: skip
    original_name = NFCCharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    file_format = models.CharField(max_length=8)  # xlsx, csv
    encoding = models.CharField(max_length=40, blank=True)  # a CSV file's, as recognised
    encoding_recognised = models.BooleanField(default=True)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEW)
    columns = models.JSONField(default=list, blank=True)  # the keys of the columns the file has
    ignored_columns = models.JSONField(default=list, blank=True)
    sheet = NFCCharField(max_length=255, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_create = models.PositiveIntegerField(default=0)
    rows_update = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_error = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("administrator's import")
        verbose_name_plural = _("administrator's imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "-created_at"], name="admin_import_recent")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def rows_to_apply(self) -> int:
        return self.rows_create + self.rows_update


class AdminImportRow(models.Model):
    """One row as the preview shows it: its cells (value, legacy original, problems), what applying it does (a new
    unit or account, the changes to a stored one, nothing) and in which order (a parent before its children)."""

    admin_import = models.ForeignKey(AdminImport, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField()  # 1, 2, 3… in the file's order
    number = models.PositiveIntegerField()  # the row number Excel shows
    key = NFCCharField(max_length=160, blank=True)  # the unit's code, the account's user name
    data = models.JSONField(default=dict)  # the values read (dates ISO), before comparing
    cells = models.JSONField(default=dict)  # column key -> {"v": shown, "o": legacy original, "e": [errors]…}
    parsed = models.BooleanField(default=True)  # every cell could be read
    action = models.CharField(max_length=16, choices=RowAction.choices, default=RowAction.ERROR)
    changes = models.JSONField(default=dict, blank=True)  # column key -> [stored, in the file]
    problems = models.JSONField(default=dict, blank=True)  # column key -> [errors found by comparing]
    errors = models.JSONField(default=list, blank=True)  # problems of the row as a whole
    warnings = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)  # the order rows are applied in

    class Meta:
        ordering = ["admin_import", "position"]
        constraints = [
            models.UniqueConstraint(fields=["admin_import", "position"], name="admin_import_row_position"),
        ]

    def __str__(self) -> str:
        return f"{self.admin_import_id}:{self.number}"
