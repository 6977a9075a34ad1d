"""The report form that helps (issue 16, item 4): grouped numbers, completion before submission, a
confirmation step before the irreversible submit, and attachments removable until the report is sent."""

import re

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from awards.forms.reports import parse_count
from awards.models import AnswerCount, AuditEvent, ReportAttachment, ReportStatus
from awards.selectors.reports import report_completion
from awards.services import reports as svc
from tests.test_attachments import pdf_bytes
from tests.test_reports import REQUIRED_ENTERPRISE

pytestmark = pytest.mark.django_db

# Unit A (an enterprise) must answer these nine questions of Plan 181's outline.
REQUIRED = ["I.1.a", "I.1.c", "II.1.a", "II.1.h", "II.1.j", "III.1", "III.2", "III.3", "IV.1"]
WITHOUT_CONCLUSIONS = {code: value for code, value in REQUIRED_ENTERPRISE.items() if code[:3] not in ("III", "IV.")}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def vi(text: str) -> str:
    """A message as the (Vietnamese) pages show it, whether or not it is translated yet."""
    with translation.override("vi"):
        return translation.gettext(text)


def draft(org, campaign, answers=REQUIRED_ENTERPRISE):
    officer = org.actor("officer_a")
    report = svc.report_start(by=officer, campaign=campaign, unit=officer.unit)
    if answers:
        svc.report_save_draft(by=officer, report=report, expected_seq=0, answers=answers)
    report.refresh_from_db()
    return report


def attach(org, report, name="Báo cáo ký số.pdf"):
    return svc.attachment_add(by=org.actor("officer_a"), report=report, kind="scan",
                              uploaded_file=SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf"))  # fmt: skip


# 1. Numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number"),
    [("1.234.567", 1234567), ("1234567", 1234567), ("1 234 567", 1234567), ("1,234", 1234), ("0", 0), ("", None),
     (" 12.345 ", 12345)],
)  # fmt: skip
def test_grouped_and_plain_digits_are_the_same_number(typed, number):
    assert parse_count(typed) == number


@pytest.mark.parametrize("typed", ["1,5", "1.5", "12.34", "1.234,567", "1.2345", "mười", "12a", "1.234.56", "-3"])
def test_decimals_letters_and_misplaced_separators_are_refused(typed):
    with pytest.raises(forms.ValidationError):
        parse_count(typed)


def test_a_refused_number_is_explained_and_kept_and_the_rest_is_saved(org, campaign):
    report = draft(org, campaign, answers=None)
    client = org.client("officer_a")
    response = client.post(f"/reports/{report.pk}/edit/", {"seq": "0", "a-II.1.h": "1,5", "a-II.1.j": "1.234.567"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "“1,5” không phải số nguyên" in page
    assert 'name="a-II.1.h" value="1,5"' in page  # what was typed stays
    # The wrong field says so to assistive technology, pointing at its message.
    field = re.search(r'<input name="a-II\.1\.h"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="errors-II.1.h"' in field
    assert 'id="errors-II.1.h"' in page
    assert AnswerCount.objects.get(version=report.current_version, item__code="II.1.j").value == 1234567


def test_saved_numbers_are_shown_grouped_in_the_editor_and_on_the_report_page(org, campaign):
    report = draft(org, campaign, answers={**REQUIRED_ENTERPRISE, "II.1.j": 1234567})
    editor = org.client("officer_a").get(f"/reports/{report.pk}/edit/").content.decode()
    assert re.search(r'<input name="a-II\.1\.j" value="1\.234\.567" inputmode="numeric"', editor)
    detail = org.client("officer_a").get(f"/reports/{report.pk}/").content.decode()
    answer = re.search(r'id="item-II\.1\.j".*?<strong>([^<]*)</strong>', detail, re.S).group(1)
    assert answer == "1.234.567"


def test_the_editor_carries_the_live_checks_wording_and_script(org, campaign):
    report = draft(org, campaign, answers=None)
    page = org.client("officer_a").get(f"/reports/{report.pk}/edit/").content.decode()
    assert 'data-msg-not-number="“{value}” không phải số nguyên' in page
    assert "tdkt/report-edit.js" in page and "tdkt/report.css" in page


# 2. Completion ----------------------------------------------------------------------------------


def test_completion_counts_the_required_items_and_names_the_missing_ones(org, campaign):
    report = draft(org, campaign, answers=None)
    completion = report_completion(report=report, version=report.current_version)
    assert (completion.filled, completion.total) == (0, 9)
    assert [item.code for item in completion.missing] == REQUIRED

    svc.report_save_draft(by=org.actor("officer_a"), report=report, expected_seq=0, answers=WITHOUT_CONCLUSIONS)
    completion = report_completion(report=report, version=report.current_version)
    assert (completion.filled, completion.total, completion.complete) == (5, 9, False)
    assert [(i.code, i.text) for i in completion.missing] == [
        ("III.1", "Ưu điểm"), ("III.2", "Tồn tại, hạn chế"), ("III.3", "Bài học kinh nghiệm"),
        ("IV.1", "Phương hướng nhiệm vụ trọng tâm thời gian tới"),
    ]  # fmt: skip

    svc.report_save_draft(by=org.actor("officer_a"), report=report, expected_seq=1, answers=REQUIRED_ENTERPRISE)
    completion = report_completion(report=report, version=report.current_version)
    assert (completion.filled, completion.total, completion.missing, completion.complete) == (9, 9, [], True)


def test_the_report_page_and_the_editor_list_the_missing_items_with_links_to_them(org, campaign):
    report = draft(org, campaign, answers=WITHOUT_CONCLUSIONS)
    title = vi("%(filled)s/%(total)s required items filled") % {"filled": 5, "total": 9}
    for persona in ("officer_a", "head_a"):
        detail = org.client(persona).get(f"/reports/{report.pk}/").content.decode()
        assert title in detail
        links = re.findall(r'<a href="([^"]*)"><strong>([^<]+)</strong> ([^<]+)</a>', detail)
        assert links == [
            (f"/reports/{report.pk}/edit/#item-III.1", "III.1", "Ưu điểm"),
            (f"/reports/{report.pk}/edit/#item-III.2", "III.2", "Tồn tại, hạn chế"),
            (f"/reports/{report.pk}/edit/#item-III.3", "III.3", "Bài học kinh nghiệm"),
            (f"/reports/{report.pk}/edit/#item-IV.1", "IV.1", "Phương hướng nhiệm vụ trọng tâm thời gian tới"),
        ]
    editor = org.client("officer_a").get(f"/reports/{report.pk}/edit/").content.decode()
    assert title in editor
    assert '<a href="#item-III.1"><strong>III.1</strong> Ưu điểm</a>' in editor
    assert 'id="item-III.1"' in editor  # the link's target
    # The reviewer sees no draft, and once sent no completion panel either.
    assert 'data-testid="completion"' not in org.client("officer_b").get(f"/reports/{report.pk}/").content.decode()


def test_submitting_an_incomplete_report_names_each_missing_item_by_code_and_title(org, campaign):
    report = draft(org, campaign, answers=WITHOUT_CONCLUSIONS)
    with pytest.raises(ValidationError) as refused:
        svc.report_submit(by=org.actor("head_a"), report=report)
    message = refused.value.messages[0]
    assert "III.1 “Ưu điểm”" in message and "IV.1 “Phương hướng nhiệm vụ trọng tâm thời gian tới”" in message
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT

    # Through the pages: the confirmation step shows what is missing and offers no way to send.
    head = org.client("head_a")
    page = head.get(f"/reports/{report.pk}/submit/")
    assert 'data-testid="submit-blocked"' in page.content.decode()
    assert 'data-testid="confirm-submit"' not in page.content.decode()
    response = head.post(f"/reports/{report.pk}/submit/", {"confirm": page.context["confirmation"]}, follow=True)
    assert "Cần trả lời các mục bắt buộc trước: III.1 “Ưu điểm”; III.2 “Tồn tại, hạn chế”" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


# 3. Confirmation --------------------------------------------------------------------------------


def test_sign_and_submit_leads_to_a_confirmation_page_and_not_to_a_post(org, campaign):
    report = draft(org, campaign)
    detail = org.client("head_a").get(f"/reports/{report.pk}/").content.decode()
    button = re.search(r'<a class="btn btn--primary" href="([^"]+)" data-testid="submit">', detail)
    assert button and button.group(1) == f"/reports/{report.pk}/submit/"
    assert f'action="/reports/{report.pk}/submit/"' not in detail


def test_the_confirmation_page_says_it_cannot_be_undone_and_shows_what_will_be_sent(org, campaign):
    report = draft(org, campaign)
    attach(org, report, "Báo cáo có chữ ký.pdf")
    response = org.client("head_a").get(f"/reports/{report.pk}/submit/")
    assert response.status_code == 200
    page = response.content.decode()
    with translation.override("vi"):
        warning = translation.gettext(
            "Once sent, the report goes to %(unit)s and cannot be changed or withdrawn. Only a return for revision "
            "by the reviewer opens a new version."
        ) % {"unit": campaign.reviewer.name}  # fmt: skip
    assert warning in page
    assert (vi("Report for plan %(ref)s, version %(n)s") % {"ref": campaign.plan_reference, "n": 1}) in page
    assert "Báo cáo có chữ ký.pdf" in page
    assert (vi("%(filled)s/%(total)s required items filled") % {"filled": 9, "total": 9}) in page
    assert 'name="confirm" value="1-1"' in page  # version 1 as saved once
    assert org.client("officer_a").get(f"/reports/{report.pk}/submit/").status_code == 403


def test_a_post_without_the_confirmation_sends_nothing(org, campaign):
    report = draft(org, campaign)
    head = org.client("head_a")
    for data in ({}, {"confirm": ""}, {"confirm": "yes"}, {"confirm": "1"}):
        response = head.post(f"/reports/{report.pk}/submit/", data)
        assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/submit/"
        report.refresh_from_db()
        assert report.status == ReportStatus.DRAFT and report.current_version.submitted_at is None
    assert not AuditEvent.objects.filter(action="report_submitted").exists()


def test_a_draft_changed_after_the_confirmation_page_is_not_sent(org, campaign):
    report = draft(org, campaign)
    head = org.client("head_a")
    confirmation = head.get(f"/reports/{report.pk}/submit/").context["confirmation"]
    svc.report_save_draft(by=org.actor("officer_a"), report=report, expected_seq=1, answers={"II.1.h": 41})
    response = head.post(f"/reports/{report.pk}/submit/", {"confirm": confirmation}, follow=True)
    expected = vi(
        "The report was changed after you opened the confirmation page, so it was not sent. Check it and confirm again."
    )
    assert expected in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_confirming_sends_the_report(org, campaign):
    report = draft(org, campaign)
    head = org.client("head_a")
    confirmation = head.get(f"/reports/{report.pk}/submit/").context["confirmation"]
    response = head.post(f"/reports/{report.pk}/submit/", {"confirm": confirmation})
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    # Sent: the confirmation page is gone, and a second confirmation sends nothing more.
    again = head.get(f"/reports/{report.pk}/submit/")
    assert again.status_code == 302 and again["Location"] == f"/reports/{report.pk}/"
    assert AuditEvent.objects.filter(action="report_submitted").count() == 1


# 4. Attachments ---------------------------------------------------------------------------------


def test_an_attachment_on_the_draft_is_removed_after_a_confirmation_and_audited(org, campaign):
    report = draft(org, campaign)
    attachment = attach(org, report, "Bản nháp sai.pdf")
    officer = org.client("officer_a")
    detail = officer.get(f"/reports/{report.pk}/").content.decode()
    remove = f"/reports/{report.pk}/attachments/{attachment.pk}/delete/"
    assert f'href="{remove}"' in detail  # a link to the confirmation, not a button that removes at once
    page = officer.get(remove)
    assert page.status_code == 200 and "Bản nháp sai.pdf" in page.content.decode()
    assert ReportAttachment.objects.filter(pk=attachment.pk).exists()  # asking removes nothing
    response = officer.post(remove, follow=True)
    assert (
        vi("“%(name)s” was removed from the draft report.") % {"name": "Bản nháp sai.pdf"} in response.content.decode()
    )
    assert not ReportAttachment.objects.filter(pk=attachment.pk).exists()
    event = AuditEvent.objects.get(action="attachment_removed")
    assert event.object_id == str(report.pk) and event.unit_id == org.units["a"].pk
    assert event.detail["attachment"] == attachment.pk and event.detail["version"] == 1
    assert "Bản nháp sai" not in str(event.detail)  # the audit detail never holds a file's (personal) name


def test_an_attachment_of_a_sent_report_cannot_be_removed(org, campaign):
    report = draft(org, campaign)
    attachment = attach(org, report, "Bản ký.pdf")
    svc.report_submit(by=org.actor("head_a"), report=report)
    officer = org.client("officer_a")
    remove = f"/reports/{report.pk}/attachments/{attachment.pk}/delete/"
    assert f'href="{remove}"' not in officer.get(f"/reports/{report.pk}/").content.decode()
    refusal = vi("“%(name)s” belongs to a version that was sent: it can no longer be removed.") % {"name": "Bản ký.pdf"}
    for method in (officer.get, officer.post):
        response = method(remove, follow=True)
        assert refusal in response.content.decode()
    assert ReportAttachment.objects.filter(pk=attachment.pk).exists()
    assert not AuditEvent.objects.filter(action="attachment_removed").exists()
    with pytest.raises(ValidationError):
        svc.attachment_remove(by=org.actor("officer_a"), attachment=attachment)
    # The reviewer reads the sent file but may not remove it.
    assert org.client("police").get(remove).status_code == 403
    assert org.client("police").post(remove).status_code == 403


def test_another_unit_can_neither_see_nor_remove_a_units_attachment(org, campaign):
    report = draft(org, campaign)
    attachment = attach(org, report)
    remove = f"/reports/{report.pk}/attachments/{attachment.pk}/delete/"
    for persona in ("officer_b", "head_b"):
        assert org.client(persona).get(remove).status_code == 403
        assert org.client(persona).post(remove).status_code == 403
    assert ReportAttachment.objects.filter(pk=attachment.pk).exists()


# 5. Buttons -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "path", "primary"), [
    ("head_a", "/reports/{pk}/", "Ký và gửi báo cáo"),
    ("officer_a", "/reports/{pk}/", "Sửa bản nháp"),
    ("officer_a", "/reports/{pk}/edit/", "Lưu"),
    ("head_a", "/reports/{pk}/submit/", None),
])  # fmt: skip
def test_each_report_page_has_one_primary_button(org, campaign, persona, path, primary):
    report = draft(org, campaign)
    page = org.client(persona).get(path.format(pk=report.pk)).content.decode()
    main = re.findall(r'class="btn btn--primary"[^>]*>([^<]+)<', page)
    assert len(main) == 1, main
    if primary:
        assert main[0] == primary
    assert re.findall(r'class="btn(?: btn--small)?"', page) == []  # every other button is secondary
