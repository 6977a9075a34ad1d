"""The report pages as a unit officer, a unit head and a reviewer use them."""

import json

import pytest

from awards.models import AnswerCount, AnswerRatio, AnswerText, ReportStatus
from awards.services import reports as svc
from tests.conftest import build_campaign
from tests.test_reports import REQUIRED_ENTERPRISE

pytestmark = pytest.mark.django_db


def start(org, campaign, persona="officer_a"):
    client = org.client(persona)
    response = client.post(f"/campaigns/{campaign.pk}/report/")
    report = campaign.reports.get(unit=org.actor(persona).unit)
    assert response["Location"] == f"/reports/{report.pk}/edit/"
    return client, report


def test_the_edit_page_shows_every_question_of_the_units_outline(org, campaign):
    client, report = start(org, campaign)
    page = client.get(f"/reports/{report.pk}/edit/").content.decode()
    assert "Số lượng văn bản?" in page  # a provincial body's question
    assert "Tổng số đơn vị hành chính cấp xã?" not in page  # a district's question
    assert 'name="a-II.5.a-2014"' in page and 'name="a-II.5.a-2024"' in page and 'name="a-II.5.a-2013"' not in page


def test_bad_input_is_explained_in_vietnamese_kept_on_the_page_and_the_rest_saved(org, campaign):
    client, report = start(org, campaign)
    response = client.post(
        f"/reports/{report.pk}/edit/",
        {"seq": "0", "a-II.1.h": "-5", "a-II.1.j": "1.234", "a-I.1.a": "mười hai", "a-III.1": "Ưu điểm nổi bật",
         "a-II.4.a-2015": "7", "a-II.1.b": "²"},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nhập một số nguyên không âm." in page
    assert "“mười hai” không phải số nguyên" in page and "“²” không phải số nguyên" in page  # not a 500
    assert 'value="-5"' in page and 'value="mười hai"' in page  # what was typed stays
    version = report.versions.get()
    assert AnswerCount.objects.get(version=version, item__code="II.1.j").value == 1234
    assert AnswerText.objects.get(version=version, item__code="III.1").text == "Ưu điểm nổi bật"
    assert not AnswerCount.objects.filter(version=version, item__code="II.1.h").exists()


def test_thousands_typed_either_way_are_the_same_number(org, campaign):
    client, report = start(org, campaign)
    client.post(f"/reports/{report.pk}/edit/", {"seq": "0", "a-II.1.j": "1,234", "a-II.1.h": "12 345"})
    version = report.versions.get()
    assert AnswerCount.objects.get(version=version, item__code="II.1.j").value == 1234
    assert AnswerCount.objects.get(version=version, item__code="II.1.h").value == 12345


def test_a_ratio_above_its_total_is_refused_for_a_district(org):
    campaign = build_campaign(org)
    client, report = start(org, campaign, "district")
    response = client.post(f"/reports/{report.pk}/edit/", {"seq": "0", "a-I.2.b-x": "16", "a-I.2.b-y": "15"})
    assert "Số thứ nhất (16) không được lớn hơn số thứ hai (15)." in response.content.decode()
    response = client.post(f"/reports/{report.pk}/edit/", {"seq": "0", "a-I.2.b-x": "13", "a-I.2.b-y": "15"})
    assert response.status_code == 302
    assert AnswerRatio.objects.get(item__code="I.2.b").numerator == 13


def test_autosave_answers_json_and_a_stale_save_is_refused_not_overwritten(org, campaign):
    client, report = start(org, campaign)
    other = org.client("head_a")
    first = client.post(f"/reports/{report.pk}/edit/", {"seq": "0", "a-III.1": "Bản của cán bộ"}, HTTP_X_AUTOSAVE="1")
    assert first.status_code == 200
    assert json.loads(first.content)["seq"] == 1
    stale = other.post(
        f"/reports/{report.pk}/edit/", {"seq": "0", "a-III.1": "Bản của thủ trưởng"}, HTTP_X_AUTOSAVE="1"
    )
    assert stale.status_code == 409
    body = json.loads(stale.content)
    assert body["conflict"] is True and "Người dùng officer_a đã lưu báo cáo này" in body["error"]
    assert AnswerText.objects.get(item__code="III.1").text == "Bản của cán bộ"


def test_an_expired_session_sends_autosave_to_the_login_page_and_saves_nothing(org, campaign):
    client, report = start(org, campaign)
    client.logout()
    response = client.post(f"/reports/{report.pk}/edit/", {"seq": "0", "a-III.1": "x"}, HTTP_X_AUTOSAVE="1")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not AnswerText.objects.exists()


def test_only_the_head_submits_then_the_police_returns_with_a_comment_per_section(org, campaign):
    client, report = start(org, campaign)
    svc.report_save_draft(by=org.actor("officer_a"), report=report, expected_seq=0, answers=REQUIRED_ENTERPRISE)
    assert client.post(f"/reports/{report.pk}/submit/").status_code == 403
    head = org.client("head_a")
    confirmation = head.get(f"/reports/{report.pk}/submit/").context["confirmation"]  # the confirmation step
    response = head.post(f"/reports/{report.pk}/submit/", {"confirm": confirmation}, follow=True)
    assert "Đã gửi báo cáo, trễ hạn" in response.content.decode()  # the test campaign's deadline has passed
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    police = org.client("police")
    page = police.get(f"/reports/{report.pk}/").content.decode()
    assert 'data-testid="review-form"' in page
    police.post(f"/reports/{report.pk}/review/", {"decision": "return", "comment-II.1": "Bổ sung số liệu theo năm"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    edit = client.get(f"/reports/{report.pk}/edit/").content.decode()
    assert "Ý kiến cần chỉnh sửa" in edit and "Bổ sung số liệu theo năm" in edit


def test_a_submitted_report_cannot_be_edited_by_its_unit(org, campaign):
    client, report = start(org, campaign)
    svc.report_save_draft(by=org.actor("officer_a"), report=report, expected_seq=0, answers=REQUIRED_ENTERPRISE)
    svc.report_submit(by=org.actor("head_a"), report=report)
    response = client.post(f"/reports/{report.pk}/edit/", {"seq": "1", "a-III.1": "Sửa sau khi gửi"}, follow=True)
    assert "Báo cáo đã được gửi, không thể chỉnh sửa." in response.content.decode()
    assert AnswerText.objects.get(item__code="III.1").text == "Nhiều ưu điểm"


def test_a_revision_can_be_compared_with_the_version_that_was_returned(org, campaign):
    client, report = start(org, campaign)
    svc.report_save_draft(by=org.actor("officer_a"), report=report, expected_seq=0, answers=REQUIRED_ENTERPRISE)
    svc.report_submit(by=org.actor("head_a"), report=report)
    svc.report_return(by=org.actor("police"), report=report, comments={None: "Bổ sung"})
    client.post(f"/reports/{report.pk}/edit/", {"seq": "0", "a-II.1.h": "48", "a-III.1": "Nhiều ưu điểm"})
    svc.report_submit(by=org.actor("head_a"), report=report)
    page = org.client("police").get(f"/reports/{report.pk}/compare/2/")
    assert page.status_code == 200
    rows = [(row["item"].code, row["old"], row["new"]) for row in page.context["rows"]]
    assert rows == [("II.1.h", 40, 48)]  # the unchanged narrative is not listed
    assert "1 câu trả lời đã thay đổi." in page.content.decode()
    assert org.client("officer_b").get(f"/reports/{report.pk}/compare/2/").status_code == 403
    assert org.client("police").get(f"/reports/{report.pk}/compare/1/").status_code == 404  # nothing before v1
