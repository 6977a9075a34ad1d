"""Working-day arithmetic for step time limits (Vietnam: weekends, public holidays incl. lunar ones,
and the swapped days an administrator records per year)."""

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import DayKind, WorkdayChange
from .models.calendar import is_working_by_rule


class WorkingCalendar:
    """Reads the administrator's changes for a span once, then answers without queries."""

    def __init__(self, start: dt.date, end: dt.date):
        self.changes = dict(WorkdayChange.objects.filter(day__range=(start, end)).values_list("day", "kind"))

    def is_working_day(self, day: dt.date) -> bool:
        change = self.changes.get(day)
        if change is not None:
            return change == DayKind.WORKING
        return is_working_by_rule(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The day a limit of `days` working days counted from the day after `start` ends on."""
    # A limit of N working days never spans more than N weeks plus the longest holiday (Tết).
    calendar = WorkingCalendar(start, start + dt.timedelta(days=days * 2 + 21))
    day, left = start, days
    while left > 0:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            left -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, *, calendar: WorkingCalendar | None = None) -> int:
    """Working days after `start` up to and including `end` (0 if `end` is not after `start`). Pass a
    `calendar` covering the span to count many spans with one query."""
    if end <= start:
        return 0
    calendar = calendar or WorkingCalendar(start, end)
    return sum(1 for n in range(1, (end - start).days + 1) if calendar.is_working_day(start + dt.timedelta(days=n)))


def deadline_words(value: dt.datetime | None) -> str:
    """A deadline as people write it: a midnight deadline is "before dd/mm/yyyy" (the plans' own wording,
    "trước ngày 30/6/2024"), any other moment its time and date ("17:00 on 30/06/2024")."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    day = date_format(local.date(), "SHORT_DATE_FORMAT")
    if local.time() == dt.time(0, 0):
        return _("before %(date)s") % {"date": day}
    return _("%(time)s on %(date)s") % {"time": local.strftime("%H:%M"), "date": day}
