"""Behind a reverse proxy: the client's address and protocol come from the forwarded headers only when the
request came straight from a trusted proxy; the audit trail and the login lockout use the same address."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory, override_settings

from awards.audit import refusals_record
from awards.middleware import ForwardedHeadersMiddleware
from awards.models import AuditEvent
from awards.views.http import client_ip
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROXY, OTHER_PROXY, OUTSIDER = "10.0.0.5", "10.0.0.6", "198.51.100.9"
CLIENT, NEIGHBOUR = "203.0.113.7", "203.0.113.8"


@pytest.fixture(autouse=True)
def behind_proxy(settings, tmp_path):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.MEDIA_ROOT = tmp_path  # readyz writes its probe file there
    settings.REDIS_URL = ""


def via(proxy: str, forwarded_for: str | None = None, proto: str | None = None) -> dict[str, str]:
    headers = {"REMOTE_ADDR": proxy}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    if proto is not None:
        headers["HTTP_X_FORWARDED_PROTO"] = proto
    return headers


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        (via(OUTSIDER), OUTSIDER),
        (via(PROXY), PROXY),  # the proxy itself asking, without a header
        (via(PROXY, CLIENT), CLIENT),
        (via(PROXY, f"{CLIENT}, {OTHER_PROXY}"), CLIENT),  # two proxies of ours in a row
        (via(PROXY, f"192.0.2.66, {CLIENT}"), CLIENT),  # the client wrote the leftmost address itself
        (via(PROXY, f"{OTHER_PROXY}"), OTHER_PROXY),  # every hop is ours: the first one
        (via(PROXY, f"{CLIENT}, not-an-address"), PROXY),  # garbage from our proxy: the last address we trust
        (via(OUTSIDER, CLIENT), OUTSIDER),  # a forged header from a peer we do not trust
        (via(PROXY, "2001:db8::7"), "2001:db8::7"),
    ],
)
def test_client_ip_is_the_rightmost_address_that_is_not_a_trusted_proxy(meta, expected):
    assert client_ip(RequestFactory().get("/", **meta)) == expected


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(RequestFactory().get("/", **via(PROXY, CLIENT))) == PROXY


def test_the_audit_trail_records_the_client_behind_the_proxy_not_the_proxy(org):
    org.client("officer_a").get("/units/999999/", **via(PROXY, CLIENT))
    refusals_record(now=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1, minutes=2))  # written when the hour closes
    assert AuditEvent.objects.get(action="access_denied").ip_address == CLIENT


def test_a_forwarded_address_from_an_untrusted_peer_is_not_believed(org):
    org.client("officer_a").get("/units/999999/", **via(OUTSIDER, CLIENT))
    refusals_record(now=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1, minutes=2))
    assert AuditEvent.objects.get(action="access_denied").ip_address == OUTSIDER


def login(client: Client, password: str, headers: dict[str, str]):
    return client.post("/accounts/login/", {"username": "officer_a", "password": password}, **headers)


def test_five_failures_lock_the_client_behind_the_proxy_but_not_its_neighbour(org):
    for _ in range(5):
        login(Client(), "sai-mat-khau", via(PROXY, CLIENT))
    assert login(Client(), PASSWORD, via(PROXY, CLIENT)).status_code == 429
    assert login(Client(), PASSWORD, via(OTHER_PROXY, CLIENT)).status_code == 429  # another node's proxy
    assert login(Client(), PASSWORD, via(PROXY, NEIGHBOUR)).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT}


def test_a_client_cannot_escape_the_lockout_by_forging_the_header(org):
    for attempt in range(5):
        login(Client(), "sai-mat-khau", via(OUTSIDER, f"192.0.2.{attempt}"))
    assert login(Client(), PASSWORD, via(OUTSIDER, "192.0.2.200")).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OUTSIDER}


def test_https_redirect_believes_the_protocol_only_from_a_trusted_proxy():
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert Client().get("/accounts/login/", **via(PROXY, CLIENT, proto="https")).status_code == 200
        forged = Client().get("/accounts/login/", **via(OUTSIDER, proto="https"))
        assert forged.status_code == 301
        assert forged["Location"] == "https://testserver/accounts/login/"
        assert Client().get("/accounts/login/", **via(PROXY, CLIENT, proto="http")).status_code == 301


def test_health_paths_are_not_redirected_to_https():
    with override_settings(SECURE_SSL_REDIRECT=True):
        for path in ("/healthz", "/readyz"):
            assert Client().get(path, **via(OUTSIDER)).status_code == 200, path
            assert Client().get(path, **via(PROXY, CLIENT, proto="http")).status_code == 200, path


def test_a_mistyped_trusted_proxy_stops_the_server_at_start(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.300"]
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        ForwardedHeadersMiddleware(lambda request: None)


def test_a_proxy_seen_as_an_ipv4_mapped_address_is_still_trusted(settings):
    from awards.middleware import is_trusted_proxy

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert is_trusted_proxy("::ffff:10.0.0.5") and is_trusted_proxy("10.0.0.5")
    assert not is_trusted_proxy("::ffff:192.0.2.1")
