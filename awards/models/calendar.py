"""Working days: weekends and Vietnam's public holidays, corrected by the swaps an administrator keeps."""

import datetime as dt
from functools import lru_cache

import holidays
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fields import NFCCharField


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def is_working_by_rule(day: dt.date) -> bool:
    """Monday to Friday and not a public holiday, before any administrator's change."""
    return day.weekday() < 5 and day not in _public_holidays(day.year)


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

    def clean(self) -> None:
        """A change must change something: a working day made working, or a holiday made a day off, is a
        typing error (usually the wrong year or month)."""
        if self.day is None or self.kind not in DayKind.values:
            return
        if self.kind == DayKind.WORKING and is_working_by_rule(self.day):
            raise ValidationError({"day": _("This day is already a working day: only a weekend or holiday can be made a working day.")})  # fmt: skip
        if self.kind == DayKind.DAY_OFF and not is_working_by_rule(self.day):
            raise ValidationError({"day": _("This day is already a weekend or public holiday: there is nothing to give off.")})  # fmt: skip
