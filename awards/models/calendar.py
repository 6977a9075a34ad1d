"""Working days: weekends and Vietnam's public holidays, corrected by the swaps an administrator keeps."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fields import NFCCharField


class DayKind(models.TextChoices):
    WORKING = "working", _("Working day (làm bù)")
    DAY_OFF = "day_off", _("Day off (nghỉ bù or an extra holiday)")


class WorkdayChange(models.Model):
    """One day whose status differs from the rule: a Saturday worked to make up a bridge, or a day off."""

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("this day is"), max_length=8, choices=DayKind.choices)
    note = NFCCharField(_("decision or note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("working-day change")
        verbose_name_plural = _("working-day changes")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}: {self.get_kind_display()}"
