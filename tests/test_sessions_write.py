"""The session row is written when its content changes or when the idle clock needs moving (at most once
every SESSION_TOUCH_INTERVAL), not on every request; the 30-minute idle and 12-hour limits still hold."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awards.middleware import SESSION_STARTED, SESSION_TOUCHED
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PAGES = ("/", "/units/", "/activity/", "/notifications/", "/")


def signed_in(org) -> Client:
    """Logged in, and on the home page: the login writes the session, the first page the role it chose."""
    client = Client()
    response = client.post("/accounts/login/", {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 302
    assert session_writes(client, ["/"]) == 1
    return client


def session_writes(client: Client, paths=PAGES) -> int:
    """UPDATEs and INSERTs of django_session while the client opens `paths`, each answering 200."""
    with CaptureQueriesContext(connection) as queries:
        for path in paths:
            assert client.get(path).status_code == 200, path
    return sum(
        q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]
        for q in queries.captured_queries
    )


def stored(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def rewind(client: Client, *, touched_ago: dt.timedelta, expires_in: dt.timedelta) -> None:
    """As if the last touch was `touched_ago` and the row's idle clock now ends in `expires_in`."""
    session = client.session
    session[SESSION_TOUCHED] = (timezone.now() - touched_ago).timestamp()
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() + expires_in)


def test_pages_opened_after_login_write_no_session_row(org):
    client = signed_in(org)
    assert session_writes(client) == 0


def test_a_session_started_elsewhere_is_written_once_then_left_alone(org):
    client = org.client("officer_a")  # force_login: no clocks, no role chosen yet
    assert session_writes(client, ["/"]) == 1
    assert session_writes(client) == 0


def test_the_idle_clock_moves_once_the_touch_interval_has_passed(org):
    client = signed_in(org)
    rewind(
        client,
        touched_ago=settings.SESSION_TOUCH_INTERVAL + dt.timedelta(seconds=5),
        expires_in=dt.timedelta(minutes=24),
    )
    assert session_writes(client) == 1
    remaining = stored(client).expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)


def test_within_the_touch_interval_the_idle_clock_is_not_moved(org):
    client = signed_in(org)
    rewind(client, touched_ago=dt.timedelta(minutes=4), expires_in=dt.timedelta(minutes=26))
    before = stored(client).expire_date
    assert session_writes(client) == 0
    assert stored(client).expire_date == before


def test_choosing_a_role_is_written_at_once(org):
    client = signed_in(org)
    with CaptureQueriesContext(connection) as queries:
        client.post("/role/", {"membership": org.memberships["officer_a"].pk})
    assert any(q["sql"].startswith("UPDATE") and "django_session" in q["sql"] for q in queries.captured_queries)


def test_a_session_idle_for_30_minutes_has_ended(org):
    client = signed_in(org)
    rewind(client, touched_ago=dt.timedelta(minutes=31), expires_in=-dt.timedelta(minutes=1))
    response = client.get("/units/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/units/"


def test_the_12_hour_limit_still_ends_an_active_session(org):
    client = signed_in(org)
    session = client.session
    session[SESSION_STARTED] = (timezone.now() - dt.timedelta(hours=12, minutes=1)).timestamp()
    session[SESSION_TOUCHED] = timezone.now().timestamp()  # active a moment ago
    session.save()
    response = client.get("/", follow=True)
    assert response.redirect_chain[0] == ("/accounts/login/?next=/", 302)
    assert "Phiên làm việc đã quá 12 giờ" in response.content.decode()
    assert client.get("/").status_code == 302
