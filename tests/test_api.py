"""The REST API (awards/api): each endpoint's scoping and rules are the pages', tokens expire and are revoked,
bodies are strict, errors have one Vietnamese shape, and an Idempotency-Key makes a retried action act once."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from awards import services
from awards.models import ApiToken, AuditEvent, IdempotencyKey, NominationAction, NominationStatus, Step
from awards.services import api as api_services
from awards.services import decisions as decision_services
from awards.services import reports as report_services
from tests.test_decisions import awaiting, scan
from tests.test_nominations import nominate, refreshed, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def token_for(org, persona: str, days: int = 30) -> str:
    _token, secret = api_services.token_create(by=org.actor(persona), name="Hệ thống văn bản", days=days)
    return secret


def api(secret: str | None = None) -> Client:
    return Client(headers={"Authorization": f"Token {secret}"} if secret else {})


def post(client: Client, url: str, body: dict | None = None, **headers):
    return client.post(url, json.dumps(body or {}), content_type="application/json", headers=headers)


def patch(client: Client, url: str, body: dict):
    return client.patch(url, json.dumps(body), content_type="application/json")


def errors(response) -> list[dict]:
    body = response.json()
    assert set(body) == {"errors"}
    for item in body["errors"]:
        assert set(item) == {"field", "code", "message"} and item["message"]
    return body["errors"]


@pytest.fixture
def sent(org, world):
    """Unit A's Giấy khen nomination, sent to the police's appraising office."""
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"], name="Trần Thị Bình", gender="female", id_number="")
    send(org, campaign, tiers["director"], [nomination])
    return refreshed(nomination)


# Authentication --------------------------------------------------------------------------------------------


def test_without_credentials_the_api_answers_401_in_its_own_shape_never_a_redirect(org, world):
    response = api().get("/api/v1/nominations/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert errors(response)[0]["code"] == "not_authenticated"
    assert api("tdkt_not-a-real-token").get("/api/v1/nominations/").status_code == 401
    assert api().get("/api/v1/no-such-endpoint/").json()["errors"][0]["code"] == "not_found"


def test_a_token_is_stored_hashed_shown_once_and_each_use_is_audited(org, world):
    token, secret = api_services.token_create(by=org.actor("officer_a"), name="Hệ thống văn bản", days=30)
    assert secret.startswith("tdkt_") and secret not in (token.digest, token.token_key)
    assert ApiToken.objects.filter(digest__contains=secret).count() == 0
    assert api(secret).get("/api/v1/campaigns/").status_code == 200
    assert api(secret).get("/api/v1/units/").status_code == 200
    used = AuditEvent.objects.filter(action="api_token_used", object_id=str(token.pk))
    assert used.count() == 2
    assert {e.detail["path"] for e in used} == {"/api/v1/campaigns/", "/api/v1/units/"}
    assert {e.membership_id for e in used} == {org.memberships["officer_a"].pk}
    assert AuditEvent.objects.filter(action="api_token_created", object_id=str(token.pk)).exists()


def test_an_expired_token_is_refused_with_a_clear_message(org, world):
    secret = token_for(org, "officer_a", days=1)
    ApiToken.objects.update(expiry=timezone.now() - dt.timedelta(seconds=1))
    response = api(secret).get("/api/v1/campaigns/")
    assert response.status_code == 401
    assert errors(response)[0]["code"] == "token_expired"


def test_its_owner_revokes_a_token_on_the_tokens_page_and_it_stops_working(org, world):
    browser = org.client("officer_a")
    page = browser.post("/account/api-tokens/", {"name": "Phần mềm báo cáo", "days": "7"})
    assert page.status_code == 200
    secret = page.context["created"]["secret"]
    assert secret in page.content.decode()
    assert api(secret).get("/api/v1/campaigns/").status_code == 200
    token = ApiToken.objects.get(user=org.users["officer_a"])
    assert browser.get("/account/api-tokens/").content.decode().count(secret) == 0  # shown once only
    assert org.client("officer_b").post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 403
    assert browser.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 302
    response = api(secret).get("/api/v1/campaigns/")
    assert response.status_code == 401 and errors(response)[0]["code"] == "token_invalid"
    assert AuditEvent.objects.filter(action="api_token_revoked", object_id=str(token.pk),
                                     actor=org.users["officer_a"]).exists()  # fmt: skip


def test_the_administrator_revokes_a_token_in_the_admin(org, world):
    secret = token_for(org, "officer_a")
    token = ApiToken.objects.get()
    admin = org.client("admin")
    assert admin.get("/admin/awards/apitoken/").status_code == 200
    assert secret not in admin.get(f"/admin/awards/apitoken/{token.pk}/change/").content.decode()
    response = admin.post(f"/admin/awards/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    assert api(secret).get("/api/v1/campaigns/").status_code == 401
    assert AuditEvent.objects.filter(action="api_token_revoked", actor=org.users["admin"]).count() == 1


def test_a_token_acts_as_its_membership_and_ends_with_it(org, world):
    """An acting membership's token expires with it; any token stops when its membership ends."""
    today = timezone.localdate()
    acting = services.membership_grant_acting(by=None, user=org.users["officer_b"],
                                              acting_for=org.memberships["head_a"], valid_from=today,
                                              valid_to=today + dt.timedelta(days=3))  # fmt: skip
    token, secret = api_services.token_create(by=org.actor("officer_b").__class__(
        user=org.users["officer_b"], membership=acting), name="Tạm", days=30)  # fmt: skip
    assert timezone.localtime(token.expiry).date() == today + dt.timedelta(days=4)
    mine = api(secret).get("/api/v1/units/").json()["results"]
    assert {u["id"] for u in mine} == {org.units["a"].pk}  # unit A's scope, not unit B's
    services.membership_end(by=None, membership=org.memberships["officer_a"])
    other = token_for(org, "officer_b")
    services.membership_end(by=None, membership=org.memberships["officer_b"], last_day=today - dt.timedelta(days=1))
    response = api(other).get("/api/v1/units/")
    assert response.status_code == 401 and errors(response)[0]["code"] == "token_role_ended"


# Reading: the pages' scope, the pages' 403 --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "draft", "sent_one"),
    [("officer_a", 200, 200), ("officer_b", 403, 403), ("police", 403, 200), ("home", 403, 403),
     ("outsider", 403, 403)],
)  # fmt: skip
def test_a_nomination_answers_the_api_exactly_as_its_page(org, world, sent, persona, draft, sent_one):
    campaign, tiers = world
    mine = nominate(org, campaign, tiers["director"])
    client = org.client(persona)
    for nomination, expected in ((mine, draft), (sent, sent_one)):
        assert client.get(f"/nominations/{nomination.pk}/").status_code == expected
        assert client.get(f"/api/v1/nominations/{nomination.pk}/").status_code == expected
    if persona != "outsider":
        assert api(token_for(org, persona)).get(f"/api/v1/nominations/{mine.pk}/").status_code == draft
    assert client.get("/api/v1/nominations/999999/").status_code == 403


def test_lists_show_only_what_the_pages_show_with_the_inbox_filters_and_search(org, world, sent):
    campaign, tiers = world
    nominate(org, campaign, tiers["director"], name="Nguyễn Văn An")
    officer_a = api(token_for(org, "officer_a"))
    names = {n["name"] for n in officer_a.get("/api/v1/nominations/").json()["results"]}
    assert names == {"Nguyễn Văn An", "Trần Thị Bình"}
    found = officer_a.get("/api/v1/nominations/", {"q": "tran thi"}).json()["results"]
    assert [n["name"] for n in found] == ["Trần Thị Bình"]
    assert officer_a.get("/api/v1/nominations/", {"status": "draft"}).json()["count"] == 1
    assert api(token_for(org, "officer_b")).get("/api/v1/nominations/").json()["results"] == []
    police = api(token_for(org, "police"))
    assert [n["id"] for n in police.get("/api/v1/nominations/").json()["results"]] == [sent.pk]
    inbox = police.get("/api/v1/nominations/inbox/", {"campaign": campaign.pk, "award_type": tiers["director"].pk})
    assert [n["id"] for n in inbox.json()["results"]] == [sent.pk]
    assert police.get("/api/v1/nominations/inbox/", {"mine": "1"}).json()["results"] == []
    listed = officer_a.get("/api/v1/nominations/", {"page_size": "1"}).json()
    assert (listed["count"], len(listed["results"]), listed["page_size"]) == (2, 1, 1) and listed["next"]
    assert officer_a.get("/api/v1/nominations/", {"page_size": "5000"}).json()["page_size"] == 100


def test_the_list_masks_the_citizen_id_and_the_detail_shows_it_to_the_unit_logging_the_view(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    officer = api(token_for(org, "officer_a"))
    row = officer.get("/api/v1/nominations/").json()["results"][0]
    assert "id_number" not in row and row["id_number_masked"] != nomination.id_number
    detail = officer.get(f"/api/v1/nominations/{nomination.pk}/").json()
    assert (detail["id_number"], detail["birth_date"], detail["personal_data"]) == ("075085001234", "1985-03-02", True)
    assert detail["actions"] == ["edit"]
    assert AuditEvent.objects.filter(action="personal_data_viewed", object_id=str(nomination.pk)).count() == 1


def test_units_reports_campaigns_and_consolidation_follow_the_pages_scope(org, world):
    campaign, _tiers = world
    officer_b, police = org.client("officer_b"), org.client("police")
    assert officer_b.get(f"/api/v1/units/{org.units['a'].pk}/").status_code == 403
    assert officer_b.get(f"/api/v1/units/{org.units['b'].pk}/").status_code == 200
    report = campaign.reports.get(unit=org.units["a"])
    assert officer_b.get(f"/api/v1/reports/{report.pk}/").status_code == 403
    assert officer_b.get("/api/v1/reports/").json()["results"] == []
    read = police.get(f"/api/v1/reports/{report.pk}/").json()
    answers = {row["code"]: row["answer"] for row in read["answers"]}
    assert answers["I.1.a"] == 12 and answers["I.1.c"] == {"answer": True, "participants": "Ban Giám đốc, Công an tỉnh"}
    assert police.get(f"/api/v1/campaigns/{campaign.pk}/").json()["id"] == campaign.pk
    figures = police.get(f"/api/v1/campaigns/{campaign.pk}/consolidation/").json()
    assert figures["counted_reports"] == 1
    assert {i["code"]: i["total"] for i in figures["items"]}["II.1.h"] == 40
    assert org.client("officer_a").get(f"/api/v1/campaigns/{campaign.pk}/consolidation/").status_code == 403


def test_the_officer_saves_draft_answers_over_the_save_they_read(org, world):
    _campaign, _tiers = world
    from tests.conftest import build_campaign

    other = build_campaign(org, plan_number="190")
    report = report_services.report_start(by=org.actor("officer_a"), campaign=other, unit=org.units["a"])
    client = api(token_for(org, "officer_a"))
    url = f"/api/v1/reports/{report.pk}/answers/"
    saved = patch(client, url, {"seq": 0, "answers": {"I.1.a": 7, "I.1.c": {"answer": False, "participants": ""}}})
    assert saved.status_code == 200, saved.content
    assert saved.json()["versions"][-1]["edit_seq"] == 1
    assert {r["code"]: r["answer"] for r in saved.json()["answers"]}["I.1.a"] == 7
    stale = patch(client, url, {"seq": 0, "answers": {"I.1.a": 8}})
    assert stale.status_code == 409 and errors(stale)[0]["code"] == "concurrent_edit"
    wrong = patch(client, url, {"seq": 1, "answers": {"I.1.a": -3, "Z.9": 1}})
    assert wrong.status_code == 400
    assert {e["field"] for e in errors(wrong)} == {"answers.I.1.a", "answers.Z.9"}
    assert patch(api(token_for(org, "police")), url, {"seq": 1, "answers": {"I.1.a": 1}}).status_code == 403


# Writing: strict bodies, the services' rules, Vietnamese errors ------------------------------------------------


def nominee(campaign, tier, **fields) -> dict:
    return {"campaign": campaign.pk, "award_type": tier.pk, "kind": "individual", "name": "Lê Thị Hoa",
            "gender": "female", "birth_date": "1990-04-12", "position": "Kế toán", "workplace": "Công ty An Bình",
            "id_number": "", "achievement": "Hoàn thành xuất sắc nhiệm vụ", **fields}  # fmt: skip


def test_an_officer_creates_and_edits_a_draft_through_the_services(org, world):
    campaign, tiers = world
    client = api(token_for(org, "officer_a"))
    created = post(client, "/api/v1/nominations/", nominee(campaign, tiers["director"]))
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == NominationStatus.DRAFT
    assert AuditEvent.objects.filter(action="nomination_created", object_id=str(pk)).exists()
    edited = patch(client, f"/api/v1/nominations/{pk}/", {"position": "Kế toán trưởng"})
    assert edited.status_code == 200 and edited.json()["position"] == "Kế toán trưởng"
    assert patch(api(token_for(org, "officer_b")), f"/api/v1/nominations/{pk}/", {"position": "x"}).status_code == 403
    police = api(token_for(org, "police"))
    assert post(police, "/api/v1/nominations/", nominee(campaign, tiers["director"])).status_code == 403


def test_a_body_with_unknown_fields_is_refused_naming_them(org, world):
    campaign, tiers = world
    client = api(token_for(org, "officer_a"))
    response = post(client, "/api/v1/nominations/", nominee(campaign, tiers["director"], id_numer="075085001234"))
    assert response.status_code == 400
    assert errors(response) == [
        {"field": "id_numer", "code": "unknown_field", "message": errors(response)[0]["message"]}
    ]
    assert not NominationAction.objects.exists()


def test_errors_name_their_field_in_vietnamese(org, world, sent):
    campaign, tiers = world
    client = api(token_for(org, "officer_a"))
    missing = post(client, "/api/v1/nominations/", {**nominee(campaign, tiers["director"]), "name": ""})
    assert missing.status_code == 400
    assert [(e["field"], e["code"]) for e in errors(missing)] == [("name", "blank")]
    bad_id = post(client, "/api/v1/nominations/", nominee(campaign, tiers["director"], id_number="123"))
    assert bad_id.status_code == 400 and [e["field"] for e in errors(bad_id)] == ["id_number"]
    send_back = post(api(token_for(org, "police")), f"/api/v1/nominations/{sent.pk}/return/", {"comment": ""})
    assert send_back.status_code == 400
    assert errors(send_back) == [{"field": "comment", "code": "invalid",
                                  "message": "Hãy nêu nội dung còn thiếu: trả lại cần có ý kiến."}]  # fmt: skip


# Step actions and the Idempotency-Key ---------------------------------------------------------------------------


def test_the_police_send_on_with_their_submission_and_the_director_approves(org, world, sent):
    police = api(token_for(org, "police"))
    refused = post(police, f"/api/v1/nominations/{sent.pk}/approve/", {})
    assert refused.status_code == 400 and errors(refused)[0]["code"] == "handoff_needed"
    assert post(api(token_for(org, "officer_a")), f"/api/v1/nominations/{sent.pk}/approve/", {}).status_code == 403
    handed = post(police, f"/api/v1/nominations/{sent.pk}/handoff/", {
        "number": "121/TTr-PV01", "date": timezone.localdate().isoformat(), "signer": "Đỗ Minh Khoa"})  # fmt: skip
    assert handed.status_code == 200, handed.content
    assert handed.json()["nomination"]["step"] == Step.DIRECTOR_APPROVAL
    director = api(token_for(org, "director"))
    stale = post(director, f"/api/v1/nominations/{sent.pk}/approve/", {"step": Step.POLICE_APPRAISAL})
    assert stale.status_code == 400  # the step the caller saw has moved on: nothing is done
    approved = post(director, f"/api/v1/nominations/{sent.pk}/approve/", {"step": Step.DIRECTOR_APPROVAL})
    assert approved.status_code == 200 and approved.json()["status"] == NominationStatus.AWAITING_DECISION
    assert approved.json()["actions"] == ["return", "refuse"]


def test_one_action_sent_twice_with_the_same_key_acts_once(org, world, sent):
    police = api(token_for(org, "police"))
    body = {"number": "121/TTr-PV01", "date": timezone.localdate().isoformat(), "signer": "Đỗ Minh Khoa"}
    first = post(police, f"/api/v1/nominations/{sent.pk}/handoff/", body, **{"Idempotency-Key": "job-42"})
    again = post(police, f"/api/v1/nominations/{sent.pk}/handoff/", body, **{"Idempotency-Key": "job-42"})
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json() and again["Idempotency-Replayed"] == "true"
    assert sent.actions.filter(step=Step.POLICE_APPRAISAL).count() == 1
    other = post(police, f"/api/v1/nominations/{sent.pk}/handoff/", {**body, "number": "122/TTr-PV01"},
                 **{"Idempotency-Key": "job-42"})  # fmt: skip
    assert other.status_code == 422 and errors(other)[0]["code"] == "idempotency_key_reused"
    director = api(token_for(org, "director"))
    refuse = {"comment": "Chưa đủ tiêu chuẩn"}
    assert (
        post(director, f"/api/v1/nominations/{sent.pk}/refuse/", refuse, **{"Idempotency-Key": "job-42"}).status_code
        == 200
    )
    assert refreshed(sent).status == NominationStatus.REJECTED  # another user's key is theirs alone


def test_a_failed_action_keeps_no_key_so_the_corrected_retry_runs(org, world, sent):
    police = api(token_for(org, "police"))
    key = {"Idempotency-Key": "retour-1"}
    assert post(police, f"/api/v1/nominations/{sent.pk}/return/", {"comment": ""}, **key).status_code == 400
    assert not IdempotencyKey.objects.exists()
    fixed = post(police, f"/api/v1/nominations/{sent.pk}/return/", {"comment": "Thiếu biên bản"}, **key)
    assert fixed.status_code == 200 and fixed.json()["status"] == NominationStatus.RETURNED
    assert IdempotencyKey.objects.get().status_code == 200
    assert post(police, f"/api/v1/nominations/{sent.pk}/return/", {}, **{"Idempotency-Key": "a b"}).status_code == 400


# Dossiers, decisions and notifications ----------------------------------------------------------------------------


def test_dossiers_and_decisions_with_their_files_as_on_their_pages(org, world, sent, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    campaign, tiers = world
    for persona, expected in (("officer_a", 200), ("police", 200), ("officer_b", 403), ("home", 403)):
        assert org.client(persona).get(f"/api/v1/dossiers/{sent.dossier_id}/").status_code == expected
    nominee_a = awaiting(org, campaign, tiers["director"], name="Phan Văn Một", id_number="")
    director = org.actor("director")
    decision = decision_services.decision_draft(by=director, campaign=campaign, award_type=tiers["director"],
                                                nominations=[nominee_a], signer="Nguyễn Văn Giám")  # fmt: skip
    officer = api(token_for(org, "officer_a"))
    assert officer.get(f"/api/v1/decisions/{decision.pk}/").status_code == 403  # never a draft
    decision_services.decision_issue(by=director, decision=decision, number=1, date=timezone.localdate(), scan=scan())
    read = officer.get(f"/api/v1/decisions/{decision.pk}/").json()
    assert [i["name"] for i in read["items"]] == ["Phan Văn Một"] and read["whole"] is False
    assert [d["kind"] for d in read["documents"]] == ["decision_pdf"]
    assert officer.get(f"/api/v1/decisions/{decision.pk}/scan/")["Content-Type"] == "application/pdf"
    document = officer.get(read["documents"][0]["url"].removeprefix("http://testserver"))
    assert document.status_code in (200, 409)
    assert officer.get(f"/api/v1/decisions/{decision.pk}/documents/list_xlsx/").status_code == 403
    assert api(token_for(org, "officer_b")).get(f"/api/v1/decisions/{decision.pk}/").status_code == 403
    assert [d["id"] for d in officer.get("/api/v1/decisions/").json()["results"]] == [decision.pk]


def test_notifications_are_the_callers_own(org, world, sent):
    officer = api(token_for(org, "officer_a"))
    mine = officer.get("/api/v1/notifications/").json()["results"]
    assert mine
    other = api(token_for(org, "officer_b"))
    assert post(other, f"/api/v1/notifications/{mine[0]['id']}/read/").status_code == 404
    read = post(officer, f"/api/v1/notifications/{mine[0]['id']}/read/")
    assert read.status_code == 200 and read.json()["read_at"]
    assert post(officer, "/api/v1/notifications/read/").json()["marked"] == len(mine) - 1


def test_the_schema_and_its_documentation_are_served_from_the_product(org, world):
    browser = org.client("officer_a")
    schema = browser.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.")
    assert api().get("/api/schema/").status_code == 401
    for page in ("/api/docs/", "/api/redoc/"):
        html = browser.get(page)
        assert html.status_code == 200
        body = html.content.decode()
        assert "/static/drf_spectacular_sidecar/" in body and "https://" not in body  # no CDN
        assert "<style" not in body and "<script>" not in body  # nothing inline: the CSP allows none
        assert "'unsafe-inline'" in html["Content-Security-Policy"]  # for the styles these libraries inject
    assert "unsafe-inline" not in browser.get("/").headers["Content-Security-Policy"]
    assert api().get("/api/docs/").status_code == 302  # a page: to the login


def test_malformed_requests_answer_in_the_same_shape(org, world, sent):
    client = api(token_for(org, "police"))
    nul = client.get("/api/v1/nominations/", {"q": "a\x00b"})
    assert nul.status_code == 400 and errors(nul)[0]["code"] == "control_character"
    form = client.post(f"/api/v1/nominations/{sent.pk}/return/", {"comment": "Thiếu"})  # a form, not JSON
    assert form.status_code == 415 and errors(form)[0]["code"] == "unsupported_media_type"
    broken = client.post(f"/api/v1/nominations/{sent.pk}/return/", "{not json", content_type="application/json")
    assert broken.status_code == 400 and errors(broken)[0]["code"] == "parse_error"
    assert client.delete(f"/api/v1/nominations/{sent.pk}/").status_code == 405


def test_a_browser_session_must_send_its_csrf_token_to_write(org, world, sent):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(org.users["police"])
    refused = post(browser, f"/api/v1/nominations/{sent.pk}/return/", {"comment": "Thiếu biên bản"})
    assert refused.status_code == 403 and errors(refused)[0]["code"] == "permission_denied"
    assert refreshed(sent).status == NominationStatus.IN_REVIEW
    assert browser.get(f"/api/v1/nominations/{sent.pk}/").status_code == 200  # reading needs none
