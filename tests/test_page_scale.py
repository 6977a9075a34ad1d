"""No page grows with the data: the pages people open all day make the same number of queries on the
demo (a few dozen nominations) and on the 10,000-nomination `scale_world` (tests/scale.py), and no list
returns more rows than its page.

The demo's counts are measured in a first test on the demo alone; the world's in the next, on the world
(built once per worker, the module's own transaction). Both must equal `QUERIES`, so a page whose queries
grow with its rows fails one of them.
"""

import re

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from awards.models import Campaign, Nomination, User
from awards.views.nominations import INBOX_PAGE, LIST_PAGE
from tests.scale import scale_snapshot, scale_world  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="scale_world is PostgreSQL only",
    ),
]

# page → (persona, url, rows per page, queries behind the page)
PAGES = {
    "home, police": ("congan.canbo", "/", None),
    "home, city officer": ("canbo.bienhoa", "/", None),
    "home, provincial leader": ("ubnd.lanhdao", "/", None),
    "inbox, police": ("congan.canbo", "/nominations/", INBOX_PAGE),
    "inbox, police, page 2": ("congan.canbo", "/nominations/?page=2", INBOX_PAGE),
    "inbox, Home Affairs": ("noivu.canbo", "/nominations/", INBOX_PAGE),
    "campaign list, police": ("congan.canbo", "/campaigns/{current}/nominations/", LIST_PAGE),
    "campaign list, city officer": ("canbo.bienhoa", "/campaigns/{plan}/nominations/", LIST_PAGE),
    "lateness, leader": ("ubnd.lanhdao", "/lateness/?campaign={plan}", None),
    "statistics, police": ("congan.canbo", "/campaigns/{plan}/statistics/", None),
    "statistics, provincial leader": ("ubnd.lanhdao", "/campaigns/{plan}/statistics/", None),
    "statistics, city officer": ("canbo.bienhoa", "/campaigns/{plan}/statistics/", None),
    "consolidation, police": ("congan.canbo", "/campaigns/{plan}/consolidation/", None),
    "activity, administrator": ("quantri", "/activity/", 50),
    "units, police": ("congan.canbo", "/units/", 50),
    "notifications, police": ("congan.canbo", "/notifications/", 30),
}
ROW = re.compile(r"<tr>\s*<td")


def measure() -> dict[str, tuple[int, int]]:
    """Each page's (queries, table rows), the second request of each persona (the first loads its session)."""
    plan = Campaign.objects.get(plan_number="181", plan_symbol="KH-UBND")
    current = Campaign.objects.exclude(pk=plan.pk).order_by("-report_deadline", "-pk").first()
    clients: dict[str, Client] = {}
    found = {}
    for label, (persona, url, _size) in PAGES.items():
        if persona not in clients:
            clients[persona] = Client()
            clients[persona].force_login(User.objects.get(username=persona))
            clients[persona].get("/")
        address = url.format(plan=plan.pk, current=current.pk)
        with CaptureQueriesContext(connection) as queries:
            response = clients[persona].get(address)
        assert response.status_code == 200, (label, response.status_code)
        found[label] = (len(queries), len(ROW.findall(response.content.decode())))
    return found


def check(found: dict[str, tuple[int, int]]) -> dict[str, int]:
    for label, (_persona, _url, size) in PAGES.items():
        if size is not None:
            assert found[label][1] <= size, (label, found[label][1], size)  # never more than a page
    return {label: queries for label, (queries, _rows) in found.items()}


@pytest.fixture(scope="module")
def demo_counts(django_db_setup, django_db_blocker) -> dict[str, int]:
    """The demo alone, measured in a transaction rolled back before the world is loaded."""
    with django_db_blocker.unblock(), connection.cursor():
        from django.db import transaction

        with transaction.atomic():
            call_command("seed_demo", verbosity=0)
            counts = check(measure())
            transaction.set_rollback(True)
    return counts


@pytest.mark.usefixtures("scale_world")
def test_the_pages_make_the_same_queries_on_the_demo_and_on_ten_thousand_nominations(demo_counts, db):
    assert Nomination.objects.count() >= 10_000
    found = measure()
    world = check(found)
    assert found["inbox, police"][1] == INBOX_PAGE  # the world fills a page
    assert found["campaign list, police"][1] == LIST_PAGE
    assert world == demo_counts
    leader = Client()
    leader.force_login(User.objects.get(username="ubnd.lanhdao"))
    home = leader.get("/").content.decode()  # the province has a thousand units: twelve, and a link to all
    assert len(re.findall(r'<li><a href="/units/\d+/">', home)) == 12 and "Xem tất cả" in home
