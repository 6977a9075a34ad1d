"""The report form that helps, in a real browser: numbers grouped as they are typed and checked before
saving, the completion list that jumps to what is missing, and the confirmation before sending."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from awards.models import Report, ReportStatus
from tests.e2e.test_report_journey import (
    HEAD,
    OFFICER,
    field,
    fresh_campaign,
    item_block,
    log_in,
    messages,
    path_is,
    press,
    start_report,
    status_badge,
)

pytestmark = pytest.mark.e2e

WIDE, NARROW = {"width": 1366, "height": 900}, {"width": 375, "height": 800}
NOT_A_NUMBER = "không phải số nguyên"
# phường Trấn Biên (a commune-level unit, since 01/7/2025 reporting itself) must answer these; the test fills all
# but the conclusions first.
FIRST_PART = {"a-II.1.a": "Tuyên truyền trên loa phường.", "a-II.1.h": "45"}
CONCLUSIONS = {"a-III.1": "Nhiều ưu điểm.", "a-III.2": "Còn hạn chế ở khu công nghiệp.", "a-III.3": "Bài học phối hợp.",
               "a-IV.1": "Tiếp tục thực hiện Chỉ thị 07."}  # fmt: skip


def vi(text: str) -> str:
    """A message as the pages show it, whether or not the catalogue translates it yet."""
    with translation.override("vi"):
        return translation.gettext(text)


def both_widths(page: Page, shot, name: str) -> None:
    for size in (WIDE, NARROW):
        page.set_viewport_size(size)
        shot(page, f"{name}-{size['width']}")
    page.set_viewport_size(WIDE)


def test_numbers_completion_and_confirmation(page: Page, browser, live_server, demo, shot):
    password = demo
    campaign = fresh_campaign()
    page.set_viewport_size(WIDE)
    log_in(page, OFFICER, password)
    report = start_report(page, campaign)
    edit_path, detail_path = f"/reports/{report.pk}/edit/", f"/reports/{report.pk}/"

    # Typed digit by digit, the number is grouped as it grows; the caret stays at the end.
    people = field(page, "a-II.1.j")
    people.click()
    people.press_sequentially("1234567")
    expect(people).to_have_value("1.234.567")
    people.press_sequentially("8")
    expect(people).to_have_value("12.345.678")
    people.press("Backspace")
    expect(people).to_have_value("1.234.567")
    # A digit typed in the middle keeps the caret after it.
    people.press("Home")
    people.press("ArrowRight")
    people.press_sequentially("9")
    expect(people).to_have_value("19.234.567")
    assert people.evaluate("el => el.selectionStart") == 2
    people.press("Backspace")
    expect(people).to_have_value("1.234.567")

    # Letters are flagged next to the field at once, before any Save, and kept as typed.
    sessions = field(page, "a-II.1.h")
    sessions.press_sequentially("12a")
    live = item_block(page, "II.1.h").locator(".field__error--live")
    expect(live).to_be_visible()
    expect(live).to_contain_text(f"“12a” {NOT_A_NUMBER}")
    expect(sessions).to_have_attribute("aria-invalid", "true")
    expect(sessions).to_have_attribute("aria-describedby", re.compile(r"\blive-item-II\.1\.h\b"))
    expect(sessions).to_have_value("12a")
    expect(page).to_have_url(path_is(edit_path))  # nothing was posted
    shot(page, "report-helps-inline-error")
    sessions.fill("45")
    expect(live).to_be_hidden()
    expect(sessions).not_to_have_attribute("aria-invalid", "true")

    for name, value in FIRST_PART.items():
        field(page, name).fill(value)
    press(page, page.get_by_role("button", name="Lưu", exact=True))
    expect(messages(page)).to_contain_text("Đã lưu.")
    expect(field(page, "a-II.1.j")).to_have_value("1.234.567")

    # The completion list names what is missing and jumps to it.
    completion = page.get_by_test_id("completion")
    expect(completion.get_by_role("heading")).to_contain_text("3/7")
    missing = completion.get_by_test_id("completion-missing").get_by_role("link")
    expect(missing).to_have_text(["III.1 Ưu điểm", "III.2 Tồn tại, hạn chế", "III.3 Bài học kinh nghiệm",
                                  re.compile(r"^IV\.1 Phương hướng")])  # fmt: skip
    both_widths(page, shot, "report-helps-editor")
    missing.filter(has_text="III.3").click()
    expect(page).to_have_url(path_is(edit_path + "#item-III.3"))
    expect(item_block(page, "III.3")).to_be_in_viewport()

    # The unit head's report page: the same list, linking into the editor.
    head_context = browser.new_context(base_url=live_server.url, locale="en-US", viewport=WIDE)
    head = head_context.new_page()
    log_in(head, HEAD, password)
    head.goto(detail_path)
    expect(head.get_by_test_id("completion").get_by_role("heading")).to_contain_text("3/7")
    expect(item_block(head, "II.1.j").locator(".outline__answer strong")).to_have_text("1.234.567")
    both_widths(head, shot, "report-helps-detail-incomplete")
    head.get_by_test_id("completion-missing").get_by_role("link", name=re.compile(r"^IV\.1")).click()
    expect(head).to_have_url(path_is(edit_path + "#item-IV.1"))
    expect(item_block(head, "IV.1")).to_be_in_viewport()

    # The conclusions written, the report is complete.
    for name, value in CONCLUSIONS.items():
        field(head, name).fill(value)
    press(head, head.get_by_role("button", name="Lưu", exact=True))
    expect(head.get_by_test_id("completion").get_by_role("heading")).to_contain_text("7/7")
    head.goto(detail_path)
    both_widths(head, shot, "report-helps-detail-complete")

    # Ký và gửi báo cáo asks first; cancelling sends nothing.
    head.get_by_role("link", name="Ký và gửi báo cáo", exact=True).click()
    expect(head).to_have_url(path_is(f"/reports/{report.pk}/submit/"))
    confirmation = head.get_by_test_id("submit-confirmation")
    warning = vi(
        "Once sent, the report goes to %(unit)s and cannot be changed or withdrawn. Only a return for revision by "
        "the reviewer opens a new version."
    ) % {"unit": campaign.reviewer.name}  # fmt: skip
    expect(confirmation.get_by_test_id("cannot-undo")).to_have_text(warning)
    expect(confirmation).to_contain_text("phiên bản 1")
    expect(confirmation.get_by_test_id("completion").get_by_role("heading")).to_contain_text("7/7")
    both_widths(head, shot, "report-helps-confirmation")
    head.get_by_test_id("cancel-submit").click()
    expect(head).to_have_url(path_is(detail_path))
    expect(status_badge(head)).to_have_text("Đang soạn")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT

    # Confirming sends it.
    head.get_by_role("link", name="Ký và gửi báo cáo", exact=True).click()
    press(head, head.get_by_test_id("confirm-submit"))
    expect(head).to_have_url(path_is(detail_path))
    expect(status_badge(head)).to_have_text("Đã gửi")
    expect(head.get_by_test_id("completion")).to_have_count(0)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    head_context.close()
