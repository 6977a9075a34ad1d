"""Exports larger than a page: built in the background for the user who asked, under the membership they
asked with (its scope decides the rows), kept for `EXPORT_KEEP_DAYS` and then swept away."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import NFCCharField
from .campaigns import Campaign
from .decisions import DocumentStatus
from .org import Membership


class ExportKind(models.TextChoices):
    AWARDEES_XLSX = "awardees_xlsx", _("Awardees (XLSX)")
    CONSOLIDATION_XLSX = "consolidation_xlsx", _("Consolidated figures (XLSX)")
    NOMINATIONS_XLSX = "nominations_xlsx", _("Nominations (XLSX)")


class Export(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(_("kind"), max_length=32, choices=ExportKind.choices)
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="+")
    name = NFCCharField(_("file name"), max_length=255)  # as it downloads
    params = models.JSONField(default=dict, blank=True)  # the list's filters the file was asked with
    rows = models.PositiveIntegerField(default=0)  # counted when asked; the file holds the rows when built
    status = models.CharField(_("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    path = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["user", "membership", "-requested_at", "-id"], name="export_owner_recent")]

    def __str__(self) -> str:
        return self.name
