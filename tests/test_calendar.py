"""Working days in Vietnam: weekends, public holidays (lunar ones too) and the administrator's swaps."""

import datetime as dt

import pytest

from awards.calendar import add_working_days, working_days_between
from awards.models import DayKind, WorkdayChange

pytestmark = pytest.mark.django_db


def test_a_weekend_inside_the_limit_is_skipped():
    friday = dt.date(2026, 11, 27)
    assert add_working_days(friday, 1) == dt.date(2026, 11, 30)  # Monday
    assert add_working_days(friday, 5) == dt.date(2026, 12, 4)
    assert working_days_between(friday, dt.date(2026, 12, 4)) == 5


def test_tet_and_national_day_are_not_working_days():
    # Tết 2026: Monday 16/02 to Friday 20/02 are holidays (lunar calendar).
    assert add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 23)
    # National Day 2026: 31/08 (day off), 01/09 and 02/09.
    assert add_working_days(dt.date(2026, 8, 28), 1) == dt.date(2026, 9, 3)


def test_a_swapped_working_saturday_and_an_extra_day_off_move_the_due_date():
    start = dt.date(2027, 3, 4)  # a Thursday
    assert add_working_days(start, 2) == dt.date(2027, 3, 8)  # Friday, then Monday
    WorkdayChange.objects.create(day=dt.date(2027, 3, 6), kind=DayKind.WORKING, note="Làm bù")
    assert add_working_days(start, 2) == dt.date(2027, 3, 6)  # Friday, then the Saturday worked
    WorkdayChange.objects.create(day=dt.date(2027, 3, 5), kind=DayKind.DAY_OFF, note="Nghỉ bù")
    assert add_working_days(start, 2) == dt.date(2027, 3, 8)  # Saturday worked, Friday off, then Monday
