"""Lists cost the same whatever their size: a page never holds more than its size, the count stops at
1,000 ("hơn 1.000 mục"), and the number of queries behind a page does not grow with the rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awards.audit import audit_maintenance
from awards.models import AuditEvent
from awards.views.paging import COUNT_CAP, page_number, page_of

pytestmark = pytest.mark.django_db


def events(org, count: int) -> None:
    start = timezone.now() - dt.timedelta(days=30)
    AuditEvent.objects.bulk_create(
        AuditEvent(at=start + dt.timedelta(minutes=n), actor=org.users["admin"], unit=org.units["police"],
                   action="report_saved", object_type="report", object_id=str(n), object_repr=f"Báo cáo {n}")
        for n in range(count)
    )  # fmt: skip


def clear_trail() -> None:
    """The rows the personas' set-up wrote, removed as only maintenance may (the test's transaction rolls back)."""
    with audit_maintenance():
        AuditEvent.objects.all().delete()


def activity(client, page: str = "") -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        body = client.get(f"/activity/{'?page=' + page if page else ''}").content.decode()
    return body, len(queries)


@pytest.mark.parametrize(
    ("value", "number"), [(None, 1), ("", 1), ("3", 3), ("0", 1), ("-2", 1), ("abc", 1), ("²", 1), ("9" * 40, 1)]
)
def test_a_page_number_is_read_safely(value, number):
    assert page_number(value) == number


def test_the_activity_page_shows_fifty_rows_and_stops_counting_at_a_thousand(org):
    client = org.client("admin")
    activity(client)  # the first request after signing in also loads the session's membership
    clear_trail()  # only the rows made here
    events(org, 120)
    small, small_queries = activity(client)
    assert small.count("<tr><td data-label=") == 50 and "Trang 1 / 3 (120 mục)" in small
    events(org, COUNT_CAP + 200)
    large, large_queries = activity(client)
    assert large.count("<tr><td data-label=") == 50 and "Trang 1 (hơn 1.000 mục)" in large
    assert large_queries == small_queries  # the count is bounded; nothing else grows
    deep, deep_queries = activity(client, "25")  # past the cap, the pages go on
    assert "Trang 25 (hơn 1.000 mục)" in deep and deep_queries == small_queries
    # page 27 holds the oldest 20 of 1,320 events; page 28 has none: the first page, not an error
    assert "Trang 27 (hơn 1.000 mục)" in activity(client, "27")[0]
    assert "Trang 1 (hơn 1.000 mục)" in activity(client, "28")[0]


def test_page_of_never_returns_more_than_its_size_and_says_whether_more_follow(org):
    clear_trail()
    events(org, 7)
    rows = AuditEvent.objects.order_by("-at", "-pk")
    first = page_of(rows, size=3, number="1")
    assert (len(first), first.count, first.num_pages, first.has_next, first.has_previous) == (3, 7, 3, True, False)
    last = page_of(rows, size=3, number="3")
    assert (len(last), last.has_next, last.has_previous, last.start_index) == (1, False, True, 7)
    assert page_of(rows, size=3, number="99").number == 3  # past the end: the last page


def test_a_list_past_the_cap_is_read_no_deeper_than_a_little_past_it(org):
    clear_trail()
    events(org, COUNT_CAP + 200)
    rows = AuditEvent.objects.order_by("-at", "-pk")
    deepest = page_of(rows, size=10, number="999999")  # not an offset of ten million rows
    assert (deepest.number, len(deepest), deepest.has_next, deepest.count_capped) == (110, 10, False, True)
    assert page_of(rows, size=10, number="109").has_next
