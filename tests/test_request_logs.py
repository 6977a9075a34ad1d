"""Every request has an id, in the X-Request-ID header and in each log line written while it runs; with
LOG_FORMAT=json the lines are JSON objects."""

import io
import json
import logging

import pytest
from django.test import Client

from config.logs import JsonFormatter, RequestIdFilter
from tests.test_settings import run_python

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """What the console handler would write under LOG_FORMAT=json, captured from the product's loggers."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("tdkt")
    logger.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)


def test_a_request_logs_json_lines_carrying_its_id(org, json_lines, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's address: our proxy names the request
    response = org.client("officer_a").get("/units/999999/", HTTP_X_REQUEST_ID="lb-7f3a.1")
    assert response.status_code == 403
    assert response["X-Request-ID"] == "lb-7f3a.1"
    (line,) = [line for line in json_lines() if line["logger"] == "tdkt.security"]
    assert line["request_id"] == "lb-7f3a.1"
    assert line["level"] == "WARNING"
    assert line["message"].startswith("access denied: ")


def test_each_request_gets_a_fresh_id_and_lines_outside_requests_say_so(org, json_lines):
    client = org.client("officer_a")
    first, second = (client.get("/units/999999/")["X-Request-ID"] for _ in range(2))
    assert first != second and len(first) == 32 and int(first, 16) >= 0
    logging.getLogger("tdkt.test").warning("outside a request")
    assert [line["request_id"] for line in json_lines()] == [first, second, "-"]


def test_a_clients_own_id_is_not_taken(settings):
    settings.TRUSTED_PROXIES = []
    returned = Client().get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.1")["X-Request-ID"]
    assert returned != "lb-7f3a.1" and len(returned) == 32


@pytest.mark.parametrize("incoming", ["a b", "x" * 65, "id\nforged log line", "ä", ""])
def test_an_incoming_id_that_is_not_a_plain_token_is_replaced(incoming, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    returned = Client().get("/healthz", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"]
    assert returned != incoming
    assert len(returned) == 32


def test_log_format_json_switches_the_console_to_json_lines():
    code = "import django, logging; django.setup(); logging.getLogger('tdkt.x').warning('xin chào %s', 1)\n"
    result = run_python(code, DEBUG="1", LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert (line["logger"], line["message"], line["request_id"]) == ("tdkt.x", "xin chào 1", "-")
    plain = run_python(code, DEBUG="1")
    assert plain.stderr.strip().splitlines()[-1].endswith("WARNING tdkt.x xin chào 1")


def test_an_unknown_log_format_refuses_to_start():
    result = run_python("import django; django.setup()", DEBUG="1", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT" in result.stderr
