"""The API proved by its own schema: Schemathesis generates requests for every operation of /api/schema/ and sends
them to a live server (pytest-django's live_server) with two personas' tokens, a unit's officer and the police
reviewer. Every response must be a documented status (never a 500), of a documented content type, and its body must
match the schema. Bounded and reproducible: at most MAX_EXAMPLES per operation, derandomized, no shrinking.
Then each persona asks for the other side's objects, and the API answers exactly as the pages do."""

import datetime as dt
import os

import pytest
import requests
import schemathesis
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from awards.services import api as api_services
from awards.services import decisions as decision_services
from tests.test_decisions import awaiting, scan
from tests.test_nominations import nominate, refreshed, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Per operation (each example sent as both personas): 23 operations in about a minute on 2 cores.
MAX_EXAMPLES = int(os.environ.get("API_SCHEMA_EXAMPLES", "20"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
PERSONAS = ("officer_a", "police")


@pytest.fixture(autouse=True)
def _short_connections():
    """The live server's request threads close their database connections when they end (CONN_MAX_AGE would keep
    them open past the test, and the test database could not be dropped)."""
    from django.db import connections

    wanted = connections.settings["default"]
    kept = wanted.get("CONN_MAX_AGE", 0)
    wanted["CONN_MAX_AGE"] = 0
    yield
    wanted["CONN_MAX_AGE"] = kept


@pytest.fixture
def objects(org, world, settings, tmp_path):
    """What the personas' requests can find: unit A's draft and sent nominations, its dossier and report, an issued
    decision naming one of its nominees, and unit B's own draft (never visible to unit A's officer)."""
    settings.MEDIA_ROOT = tmp_path
    campaign, tiers = world
    draft = nominate(org, campaign, tiers["director"])
    sent = nominate(org, campaign, tiers["director"], name="Trần Thị Bình", gender="female", id_number="")
    send(org, campaign, tiers["director"], [sent])
    awarded = awaiting(org, campaign, tiers["director"], name="Phan Văn Một", id_number="")
    director = org.actor("director")
    decision = decision_services.decision_draft(by=director, campaign=campaign, award_type=tiers["director"],
                                                nominations=[awarded], signer="Nguyễn Văn Giám")  # fmt: skip
    decision_services.decision_issue(by=director, decision=decision, number=1, date=timezone.localdate(), scan=scan())
    other = nominate(org, campaign, tiers["director"], persona="officer_b", name="Lý Văn Bốn", id_number="")
    return {
        "campaign": campaign.pk, "draft": draft.pk, "sent": refreshed(sent).pk, "dossier": refreshed(sent).dossier_id,
        "report": campaign.reports.get(unit=org.units["a"]).pk, "decision": decision.pk, "other": other.pk,
        "units": [org.units[key].pk for key in ("a", "b", "police", "commune")],
    }  # fmt: skip


def known_ids(path: str, objects: dict) -> list[int]:
    """Ids of real objects for an operation's {id}, so that generated requests reach the objects, not only 403s."""
    for prefix, ids in (
        ("/api/v1/nominations/", [objects["draft"], objects["sent"], objects["other"]]),
        ("/api/v1/dossiers/", [objects["dossier"]]), ("/api/v1/reports/", [objects["report"]]),
        ("/api/v1/decisions/", [objects["decision"]]), ("/api/v1/campaigns/", [objects["campaign"]]),
        ("/api/v1/units/", objects["units"]), ("/api/v1/notifications/", [1, 2, 3]),
    ):  # fmt: skip
        if path.startswith(prefix):
            return ids
    return []


def test_every_operation_keeps_to_the_schema_for_two_personas(org, objects, live_server):
    tokens = {
        persona: api_services.token_create(by=org.actor(persona), name="Schemathesis", days=1)[1]
        for persona in PERSONAS
    }  # fmt: skip
    headers = {persona: {"Authorization": f"Token {token}"} for persona, token in tokens.items()}
    raw = requests.get(f"{live_server.url}/api/schema/?format=json", headers=headers["police"], timeout=30)
    assert raw.status_code == 200
    schema = schemathesis.openapi.from_dict(raw.json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    session = requests.Session()
    failures = []
    for operation in operations:
        strategy = operation.as_strategy()
        ids = known_ids(operation.path, objects) if "{id}" in operation.path else []
        if ids:
            strategy = st.one_of(strategy, *(operation.as_strategy(path_parameters={"id": pk}) for pk in ids))

        @given(case=strategy)
        @settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))  # fmt: skip
        def run(case):
            for persona in PERSONAS:
                response = case.call(base_url=live_server.url, session=session, headers=headers[persona])
                case.validate_response(response, checks=CHECKS, headers=headers[persona])

        try:
            run()
        except Exception as failure:  # every operation is tried; the failures are reported together
            failures.append(f"{operation.method.upper()} {operation.path}: {failure}")
    session.close()
    assert not failures, "\n\n".join(failures)


# (persona, object): unit B's officer and unit A's objects, unit A's officer and unit B's draft, the police and a draft.
FOREIGN = [("officer_b", "draft"), ("officer_b", "sent"), ("officer_a", "other"), ("officer_b", "report"),
           ("officer_b", "decision"), ("officer_b", "dossier"), ("police", "draft")]  # fmt: skip
PAGES = {
    "draft": ("/nominations/{}/", "/api/v1/nominations/{}/"), "sent": ("/nominations/{}/", "/api/v1/nominations/{}/"),
    "other": ("/nominations/{}/", "/api/v1/nominations/{}/"), "report": ("/reports/{}/", "/api/v1/reports/{}/"),
    "decision": ("/decisions/{}/", "/api/v1/decisions/{}/"), "dossier": ("/dossiers/{}/", "/api/v1/dossiers/{}/"),
}  # fmt: skip


def test_another_units_object_answers_as_its_page(org, objects, live_server):
    tokens = {persona: api_services.token_create(by=org.actor(persona), name="Hệ thống", days=1)[1]
              for persona in {p for p, _key in FOREIGN}}  # fmt: skip
    for persona, key in FOREIGN:
        page, api = PAGES[key]
        browser = Client()
        browser.force_login(org.users[persona])
        expected = browser.get(page.format(objects[key])).status_code
        response = requests.get(live_server.url + api.format(objects[key]),
                                headers={"Authorization": f"Token {tokens[persona]}"}, timeout=30)  # fmt: skip
        assert (persona, key, expected) == (persona, key, 403)
        assert (persona, key, response.status_code) == (persona, key, expected)
        assert response.json()["errors"][0]["code"] == "permission_denied"
    # Machines exchange ISO dates (2025-01-05), whatever the pages' dd/mm/yyyy.
    own = requests.get(f"{live_server.url}/api/v1/nominations/{objects['draft']}/",
                       headers={"Authorization": f"Token {tokens['officer_b']}"}, timeout=30)  # fmt: skip
    assert own.status_code == 403
    mine = api_services.token_create(by=org.actor("officer_a"), name="Hệ thống", days=1)[1]
    body = requests.get(f"{live_server.url}/api/v1/nominations/{objects['draft']}/",
                        headers={"Authorization": f"Token {mine}"}, timeout=30).json()  # fmt: skip
    assert body["birth_date"] == dt.date(1985, 3, 2).isoformat()
