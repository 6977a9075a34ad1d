"""Input that gave a 500: each is refused with a Vietnamese message, what was typed stays on the page, the rest
is saved (the report's figures past their column, document numbers and issuing bodies past theirs, council
counts past a small integer, a NUL in the address or in typed text)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awards.models import AnswerCount, AnswerDocument, AnswerText, Dossier, ReportStatus, ReviewComment, Step
from awards.services import nominations as nomination_services
from awards.services import reports as svc
from tests.test_attachments import pdf_bytes
from tests.test_nominations import nominate, refreshed
from tests.test_nominations import world as world  # noqa: F401 - the fixture
from tests.test_report_views import start
from tests.test_reports import REQUIRED_ENTERPRISE

pytestmark = pytest.mark.django_db
TWENTY_DIGITS = "9" * 20


def test_a_figure_past_its_column_is_refused_and_what_was_typed_stays(org, campaign):
    client, report = start(org, campaign)
    response = client.post(f"/reports/{report.pk}/edit/",
                           {"seq": "0", "a-II.1.h": TWENTY_DIGITS, "a-II.1.j": "1.234", "a-III.1": "Ưu điểm"})  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "99.999.999.999.999.999.999 quá lớn: tối đa 9.223.372.036.854.775.807." in page
    assert f'value="{TWENTY_DIGITS}"' in page  # what was typed stays
    version = report.versions.get()
    assert AnswerCount.objects.get(version=version, item__code="II.1.j").value == 1234  # the rest is saved
    assert AnswerText.objects.get(version=version, item__code="III.1").text == "Ưu điểm"
    assert not AnswerCount.objects.filter(version=version, item__code="II.1.h").exists()


def test_autosave_of_a_figure_past_its_column_answers_with_the_error_and_saves_the_rest(org, campaign):
    client, report = start(org, campaign)
    response = client.post(f"/reports/{report.pk}/edit/", {"seq": "0", "a-II.4.a-2015": TWENTY_DIGITS,
                           "a-II.1.j": "7"}, HTTP_X_AUTOSAVE="1")  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False and "quá lớn" in body["errors"]["II.4.a"][0]
    assert AnswerCount.objects.get(version=report.versions.get(), item__code="II.1.j").value == 7


def test_a_ratio_past_its_column_is_refused(org, campaign):
    from tests.conftest import build_campaign

    district_campaign = build_campaign(org)
    client, report = start(org, district_campaign, "district")
    response = client.post(f"/reports/{report.pk}/edit/", {"seq": "0", "a-I.2.b-x": "3000000000", "a-I.2.b-y": "1"})
    assert response.status_code == 400 and "tối đa 2.147.483.647" in response.content.decode()


@pytest.mark.parametrize(("column", "length"), [("number", 65), ("issuer", 256)])
def test_a_document_number_or_issuing_body_past_its_column_is_refused(org, campaign, column, length):
    client, report = start(org, campaign)
    row = {"a-I.1.b-0-number": "12/KH-UBND", "a-I.1.b-0-summary": "Kế hoạch", "a-I.1.b-0-issuer": "UBND tỉnh"}
    row[f"a-I.1.b-0-{column}"] = "Đ" * length
    response = client.post(f"/reports/{report.pk}/edit/", {"seq": "0", **row})
    assert response.status_code == 400
    page = response.content.decode()
    limit = {"number": 64, "issuer": 255}[column]
    assert f"quá dài: tối đa {limit} ký tự" in page and "Đ" * length in page
    assert not AnswerDocument.objects.exists()
    row[f"a-I.1.b-0-{column}"] = "Đ" * limit  # the longest allowed is saved
    seq = re.search(r'name="seq" value="(\d+)"', page).group(1)  # the refused post saved the rest
    assert client.post(f"/reports/{report.pk}/edit/", {"seq": seq, **row}).status_code == 302
    assert AnswerDocument.objects.get().number.startswith("Đ" if column == "number" else "12/")


def test_council_counts_past_a_small_integer_are_refused_and_nothing_is_sent(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    nomination_services.nomination_prepared(by=org.actor("officer_a"), nomination=nomination)
    url = f"/campaigns/{campaign.pk}/dossiers/{tiers['director'].pk}/new/"
    data = {"nominations": [nomination.pk], "number": "25/TTr-CT", "date": "10/07/2024", "signer": "Lê Văn Bình",
            "signer_title": "Giám đốc", "council_members": 40000, "council_present": 32768, "votes_for": 6,
            "minutes": SimpleUploadedFile("bien-ban.pdf", pdf_bytes(), content_type="application/pdf")}  # fmt: skip
    response = org.client("head_a").post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Giá trị phải nhỏ hơn hoặc bằng 999.") == 2
    assert 'value="40000"' in page
    assert refreshed(nomination).step == Step.SUBMIT and not Dossier.objects.exists()


@pytest.mark.parametrize("path", ["/campaigns/{pk}/consolidation/%00/", "/campaigns/{pk}/nominations/?q=%00",
                                  "/nominations/?award=1%01"])  # fmt: skip
def test_a_control_character_in_the_address_is_a_400_that_says_why(org, campaign, path):
    response = org.client("police").get(path.format(pk=campaign.pk))
    assert response.status_code == 400
    assert "Địa chỉ không hợp lệ" in response.content.decode()


def test_a_nul_pasted_into_a_review_comment_is_dropped_and_the_comment_kept(org, campaign):
    _client, report = start(org, campaign)
    svc.report_save_draft(by=org.actor("officer_a"), report=report, expected_seq=0, answers=REQUIRED_ENTERPRISE)
    svc.report_submit(by=org.actor("head_a"), report=report)
    response = org.client("police").post(f"/reports/{report.pk}/review/",
                                         {"decision": "return", "comment": "Bổ sung\x00 số liệu"})  # fmt: skip
    assert response.status_code == 302
    assert ReviewComment.objects.get().text == "Bổ sung số liệu"
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
