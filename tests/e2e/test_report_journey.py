"""A commune-level unit's report in a real browser: filled, signed, returned with a comment, revised,
accepted; autosave that survives an expired session; and a wrong number that is explained without losing
anything.

Each test opens a fresh campaign on today's structure (since 01/7/2025 no district: the commune-level units
report straight to the police). The officer and head are the demo's Biên Hòa personas, who moved to phường
Trấn Biên with the 2025 reorganisation.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from awards.models import AnswerCount, AnswerText, ItemKind, Report, ReportOutline, ReportStatus, Unit
from awards.selectors.reports import report_items
from awards.services.campaigns import campaign_create

pytestmark = pytest.mark.e2e

LOGIN_PATH = "/accounts/login/"
DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 10_000
AUTOSAVE_MS = 8_000  # the save starts 2 s after the last keystroke

OFFICER, HEAD, POLICE = "canbo.bienhoa", "thutruong.bienhoa", "congan.canbo"
TRAN_BIEN, WARD = "Ủy ban nhân dân phường Trấn Biên", "UBND-P-TRANBIEN"

SAVED = "Đã lưu."
SAVED_AT = "Đã lưu lúc"
RESTORED = "Đã khôi phục nội dung chưa lưu từ trình duyệt này"
EXPIRED = "Phiên làm việc đã hết hạn. Nội dung bạn nhập vẫn được giữ trong trình duyệt này."
LOGIN_AGAIN = "Đăng nhập lại để lưu"
NOT_A_COUNT = "Nhập một số nguyên không âm."

EDIT_URL = re.compile(r"/reports/(\d+)/edit/$")


# ---------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------


@pytest.fixture
def another_page(browser, live_server):
    """another_page() opens a separate browser (own cookies and storage), like a second person's."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(base_url=live_server.url, locale="en-US", viewport=DESKTOP)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def path_is(path: str) -> re.Pattern:
    return re.compile(r"^https?://[^/]+" + re.escape(path) + "$")


def fresh_campaign():
    return campaign_create(
        by=None,
        title="Tổng kết thử nghiệm phong trào toàn dân bảo vệ an ninh Tổ quốc (kiểm thử trình duyệt)",
        plan_number="999",
        plan_symbol="KH-UBND",
        plan_date=timezone.localdate(),
        issuer=Unit.objects.get(code="UBND-DN"),
        reviewer=Unit.objects.get(code="CA-DN"),
        directive="Chỉ thị số 07/CT-BCA-V28 ngày 18/8/2014 của Bộ Công an",
        data_from=dt.date(2025, 7, 1),
        data_to=timezone.localdate() - dt.timedelta(days=1),
        reference_date=timezone.localdate() - dt.timedelta(days=1),
        report_deadline=timezone.now() + dt.timedelta(days=5),
        outline=ReportOutline.objects.get(code="DC-181", version=1),
        participant_kinds=["commune_committee", "enterprise"],
        communes_report=True,  # no district on its reference date: the police review them
    )


def log_in(page: Page, username: str, password: str) -> None:
    """Log in on the login page (opened unless the browser is already on it, e.g. with ?next=)."""
    if LOGIN_PATH not in page.url:
        page.goto(LOGIN_PATH)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    press(page, page.get_by_role("button", name="Đăng nhập", exact=True))
    expect(page.locator("[data-testid=who]")).to_be_visible()


def start_report(page: Page, campaign) -> Report:
    """From the campaign list to the edit page of phường Trấn Biên's new report."""
    page.goto("/campaigns/")
    page.get_by_role("link", name=campaign.plan_reference, exact=True).click()
    expect(page).to_have_url(path_is(f"/campaigns/{campaign.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Kế hoạch {campaign.plan_reference}")
    own = page.locator("[data-testid=own-report]")
    press(page, own.get_by_role("button", name="Bắt đầu báo cáo của đơn vị", exact=True))
    expect(page).to_have_url(EDIT_URL)
    report = Report.objects.get(campaign=campaign, unit__code=WARD)
    expect(page).to_have_url(path_is(f"/reports/{report.pk}/edit/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Báo cáo theo Kế hoạch {campaign.plan_reference}, phiên bản 1"
    )
    return report


def field(page: Page, name: str):
    return page.locator(f'form[data-autosave] [name="{name}"]')


def item_block(page: Page, code: str):
    return page.locator(f'[id="item-{code}"]')


def press(page: Page, button) -> None:
    """Click a button that posts a form, and wait for the page that comes back (often at the same URL)."""
    page.evaluate("() => { window.__e2eOldPage = true; }")
    button.click()
    page.wait_for_function("() => !window.__e2eOldPage")
    page.wait_for_load_state()


def sign_and_submit(page: Page) -> None:
    """Ký và gửi báo cáo, then confirm on the confirmation page."""
    page.get_by_role("link", name="Ký và gửi báo cáo", exact=True).click()
    expect(page).to_have_url(re.compile(r"/reports/\d+/submit/$"))
    press(page, page.get_by_test_id("confirm-submit"))


def status_badge(page: Page):
    return page.locator("[data-testid=report-status] .badge").first


def messages(page: Page):
    return page.locator("ul.messages")


def answer_plan(items, years) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """What the officer types in every question, and what the page must show once it is saved.

    Returns (typed, shown, radios): input name -> text typed; input name -> value shown after saving;
    radio name -> the value chosen.
    """
    typed: dict[str, str] = {}
    shown: dict[str, str] = {}
    radios: dict[str, str] = {}
    grouped_done = False
    for n, item in enumerate(items, 1):
        code = item.code
        name = f"a-{code}"
        if item.kind == ItemKind.COUNT:
            if not grouped_done:  # one number typed the Vietnamese way
                typed[name], shown[name] = "1234", "1.234"  # grouped as it is typed
                grouped_done = True
            else:
                typed[name] = shown[name] = str(n * 3)
        elif item.kind == ItemKind.RATIO:
            typed[f"{name}-x"] = shown[f"{name}-x"] = str(n)
            typed[f"{name}-y"] = shown[f"{name}-y"] = str(n + 10)
        elif item.kind == ItemKind.YEARLY:
            for offset, year in enumerate((years[0], years[-1])):
                typed[f"{name}-{year}"] = shown[f"{name}-{year}"] = str(n * 10 + offset)
        elif item.kind == ItemKind.DOCUMENTS:
            row = {
                "number": "12/KH-UBND",
                "date": "05/01/2020",
                "issuer": TRAN_BIEN,
                "summary": "Kế hoạch phối hợp bảo đảm an ninh, trật tự năm 2020",
            }
            for column, value in row.items():
                typed[f"{name}-0-{column}"] = shown[f"{name}-0-{column}"] = value
        elif item.kind == ItemKind.CASES:
            row = {
                "title": "Vụ trộm cắp tài sản tại Khu công nghiệp Biên Hòa 2",
                "date": "17/03/2021",
                "result": "Bắt giữ 3 đối tượng, thu hồi tài sản",
            }
            for column, value in row.items():
                typed[f"{name}-0-{column}"] = shown[f"{name}-0-{column}"] = value
        elif item.kind == ItemKind.YES_NO:
            radios[name] = "yes"
            typed[f"{name}-participants"] = shown[f"{name}-participants"] = "Lãnh đạo UBND, Công an thành phố"
        elif item.kind == ItemKind.NARRATIVE:
            typed[name] = shown[name] = f"Trả lời mục {code}: đã thực hiện đầy đủ, có số liệu kèm theo."
        else:
            pytest.fail(f"question {code} has a kind this test does not know how to fill: {item.kind}")
    return typed, shown, radios


# ---------------------------------------------------------------------------------------------------
# 1. The whole journey: fill, sign, return, revise, resubmit, accept
# ---------------------------------------------------------------------------------------------------


def test_ward_fills_every_section_head_submits_police_returns_then_accepts(page: Page, another_page, demo, shot):
    password = demo
    campaign = fresh_campaign()

    # The officer starts the report from the campaign page.
    log_in(page, OFFICER, password)
    report = start_report(page, campaign)
    edit_path, detail_path = f"/reports/{report.pk}/edit/", f"/reports/{report.pk}/"
    questions = [i for i in report_items(report) if i.kind != ItemKind.SECTION]
    kinds = {i.kind for i in questions}
    # Plan 181's only yes/no question (I.1.c) is for provincial bodies and its ratios (I.2) for districts; a
    # commune-level unit has every other kind.
    assert {ItemKind.COUNT, ItemKind.YEARLY, ItemKind.DOCUMENTS, ItemKind.CASES} <= kinds
    assert ItemKind.NARRATIVE in kinds
    years = list(campaign.data_years)
    typed, shown, radios = answer_plan(questions, years)

    # Every question of the report is on the page, and nothing else is.
    expect(page.locator("form[data-autosave] .outline__item")).to_have_count(len(questions))
    for item in questions:
        expect(item_block(page, item.code)).to_be_visible()
    expect(page.locator("[data-autosave-status]")).to_have_text("")  # nothing saved yet
    shot(page, "report-1-officer-empty-form")

    # Fill every question, each in its own block.
    for name, value in typed.items():
        code = re.match(r"^a-((?:[IVX]+)(?:\.[0-9a-z]+)*)", name).group(1)
        box = item_block(page, code).locator(f'[name="{name}"]')
        expect(box).to_have_count(1)
        box.fill(value)
    for name, value in radios.items():
        code = name.removeprefix("a-")
        item_block(page, code).locator(f'input[type=radio][name="{name}"][value="{value}"]').check()
    # A pause, as a person makes before pressing Save: the autosave runs first.
    expect(page.locator("[data-autosave-status]")).to_contain_text(SAVED_AT, timeout=AUTOSAVE_MS)
    shot(page, "report-1-officer-filled")

    press(page, page.get_by_role("button", name="Lưu", exact=True))
    expect(page).to_have_url(path_is(edit_path))
    expect(messages(page)).to_contain_text(SAVED)
    expect(page.locator("[data-testid=form-errors]")).to_have_count(0)
    expect(page.locator(".field__error")).to_have_count(0)
    expect(page.locator(".outline__item--error")).to_have_count(0)
    # A successful Save must not bring the browser's copy back (it once did: "1.234" vs the saved 1234).
    expect(page.locator("[data-autosave-status]")).not_to_contain_text(RESTORED)
    for name, value in shown.items():
        expect(field(page, name)).to_have_value(value)
    for name, value in radios.items():
        expect(page.locator(f'form[data-autosave] input[name="{name}"][value="{value}"]')).to_be_checked()
    shot(page, "report-1-officer-saved")

    # The unit head reads the report, with 1234 shown as 1.234, and signs it after confirming.
    head = another_page()
    log_in(head, HEAD, password)
    head.goto(detail_path)
    expect(head.get_by_role("heading", level=1)).to_have_text(f"Báo cáo của {TRAN_BIEN}")
    expect(status_badge(head)).to_have_text("Đang soạn")
    first_count = next(name for name, value in typed.items() if value == "1234")
    expect(item_block(head, first_count.removeprefix("a-")).locator(".outline__answer strong")).to_have_text("1.234")
    sign_and_submit(head)
    expect(head).to_have_url(path_is(detail_path))
    expect(status_badge(head)).to_have_text("Đã gửi")
    expect(messages(head)).to_contain_text("Đã gửi báo cáo đến Công an tỉnh Đồng Nai.")
    expect(head.get_by_role("link", name="Ký và gửi báo cáo", exact=True)).to_have_count(0)
    shot(head, "report-1-head-submitted")

    # The police reviewer returns it with a comment on section II.1.
    police = another_page()
    log_in(police, POLICE, password)
    police.goto(f"/campaigns/{campaign.pk}/")
    police.locator("[data-testid=report-table]").get_by_role("link", name=TRAN_BIEN, exact=True).click()
    expect(police).to_have_url(path_is(detail_path))
    expect(status_badge(police)).to_have_text("Đã gửi")
    comment = "Mục II.1: bổ sung số buổi tuyên truyền trong nhà trường năm 2024."
    police.locator('textarea[name="comment-II.1"]').fill(comment)
    shot(police, "report-1-police-commenting")
    press(police, police.get_by_role("button", name="Trả lại để chỉnh sửa", exact=True))
    expect(police).to_have_url(path_is(detail_path))
    expect(messages(police)).to_contain_text("Đã trả lại báo cáo để đơn vị chỉnh sửa.")
    expect(status_badge(police)).to_have_text("Trả lại để chỉnh sửa")
    expect(police.get_by_text(comment)).to_be_visible()
    shot(police, "report-1-police-returned")

    # The officer sees the comment on the edit page of version 2, changes one answer and saves.
    page.goto(edit_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Báo cáo theo Kế hoạch {campaign.plan_reference}, phiên bản 2"
    )
    comments = page.locator("section", has=page.get_by_role("heading", name="Ý kiến cần chỉnh sửa"))
    expect(comments).to_be_visible()
    expect(comments.locator("li")).to_have_text(re.compile(r"^II\.1: " + re.escape(comment)))
    for name, value in shown.items():  # version 2 starts from what was sent
        expect(field(page, name)).to_have_value(value)
    changed = "a-II.1.h"
    assert changed in typed, "II.1.h (sessions held) is one of the ward's questions"
    field(page, changed).fill("77")
    press(page, page.get_by_role("button", name="Lưu", exact=True))
    expect(messages(page)).to_contain_text(SAVED)
    expect(page.locator("[data-testid=form-errors]")).to_have_count(0)
    expect(field(page, changed)).to_have_value("77")
    shot(page, "report-1-officer-revised")

    # The head signs again; the reviewer accepts.
    head.goto(detail_path)
    expect(status_badge(head)).to_have_text("Trả lại để chỉnh sửa")
    expect(item_block(head, "II.1.h").locator(".outline__answer strong")).to_have_text("77")
    sign_and_submit(head)
    expect(status_badge(head)).to_have_text("Đã gửi")

    police.goto(detail_path)
    expect(status_badge(police)).to_have_text("Đã gửi")
    expect(item_block(police, "II.1.h").locator(".outline__answer strong")).to_have_text("77")
    press(police, police.get_by_role("button", name="Tiếp nhận", exact=True))
    expect(police).to_have_url(path_is(detail_path))
    expect(messages(police)).to_contain_text("Đã tiếp nhận báo cáo.")
    expect(status_badge(police)).to_have_text("Đã tiếp nhận")
    expect(police.locator("[data-testid=report-status]")).to_contain_text("phiên bản 2")
    versions = police.get_by_role("navigation", name="Các phiên bản")
    expect(versions.get_by_role("link")).to_have_text(["1", "2"])
    expect(versions.get_by_role("link", name="2", exact=True)).to_have_attribute("aria-current", "true")
    expect(police.get_by_role("button", name="Tiếp nhận", exact=True)).to_have_count(0)
    shot(police, "report-1-police-accepted")

    # Version 1 is still there as it was sent (returned, with the old figure and the comment).
    versions.get_by_role("link", name="1", exact=True).click()
    expect(police).to_have_url(path_is(detail_path + "?v=1"))
    expect(police.locator("[data-testid=report-status]")).to_contain_text("phiên bản 1")
    expect(item_block(police, "II.1.h").locator(".outline__answer strong")).to_have_text(shown[changed])
    expect(police.get_by_text(comment)).to_be_visible()

    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert report.accepted_version.number == 2


# ---------------------------------------------------------------------------------------------------
# 2. Autosave through an expired session
# ---------------------------------------------------------------------------------------------------


def test_autosave_keeps_typing_through_an_expired_session_and_restores_it_after_login(page: Page, demo, shot):
    password = demo
    campaign = fresh_campaign()
    log_in(page, OFFICER, password)
    report = start_report(page, campaign)
    edit_path = f"/reports/{report.pk}/edit/"
    storage_key = f"tdkt-report-{report.pk}-v1"
    status = page.locator("[data-autosave-status]")

    before = "Đã tổ chức 12 buổi tuyên truyền Chỉ thị 07 tại các phường."
    field(page, "a-II.1.a").fill(before)
    expect(status).to_contain_text(SAVED_AT, timeout=AUTOSAVE_MS)
    assert AnswerText.objects.get(version=report.current_version, item__code="II.1.a").text == before
    shot(page, "report-2-autosaved")

    # The session ends (the browser drops the session cookie after 30 idle minutes; the CSRF cookie stays).
    page.context.clear_cookies(name="sessionid")
    during = (
        "Nội dung các buổi tuyên truyền: pháp luật về an ninh quốc gia, phòng chống tội phạm (gõ khi đã hết phiên)."
    )
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(edit_path)) as autosave:
        field(page, "a-II.1.i").fill(during)
    assert autosave.value.status == 302, "the autosave of a logged-out user goes to the login page"
    assert autosave.value.headers["location"].startswith(LOGIN_PATH)
    expect(status).to_contain_text(EXPIRED)
    login_again = status.get_by_role("link", name=LOGIN_AGAIN, exact=True)
    expect(login_again).to_have_attribute("href", f"{LOGIN_PATH}?next={edit_path.replace('/', '%2F')}")
    kept = page.evaluate("key => localStorage.getItem(key)", storage_key)
    assert kept and during in kept, "what was typed while logged out is kept in this browser"
    assert not AnswerText.objects.filter(version=report.current_version, item__code="II.1.i").exists()
    shot(page, "report-2-session-expired")

    # Log in again through the link: back on the edit page, the text is restored and then saved.
    login_again.click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(re.escape(LOGIN_PATH) + r"\?next="))
    log_in(page, OFFICER, password)
    expect(page).to_have_url(path_is(edit_path))
    expect(field(page, "a-II.1.i")).to_have_value(during)
    expect(field(page, "a-II.1.a")).to_have_value(before)
    expect(status).to_contain_text(RESTORED)
    shot(page, "report-2-restored")
    expect(status).to_contain_text(SAVED_AT, timeout=AUTOSAVE_MS)
    assert AnswerText.objects.get(version=report.current_version, item__code="II.1.i").text == during
    assert AnswerText.objects.get(version=report.current_version, item__code="II.1.a").text == before
    assert page.evaluate("key => localStorage.getItem(key)", storage_key) is None, "the saved copy is dropped"

    # A fresh visit shows the saved text from the server, with no second restore.
    page.reload()
    expect(field(page, "a-II.1.i")).to_have_value(during)
    expect(status).not_to_contain_text(RESTORED)
    shot(page, "report-2-saved-after-login")


# ---------------------------------------------------------------------------------------------------
# 3. A wrong number is explained, and the other answers are saved
# ---------------------------------------------------------------------------------------------------


def test_invalid_number_is_explained_and_nothing_is_lost(page: Page, demo, shot):
    password = demo
    campaign = fresh_campaign()
    log_in(page, OFFICER, password)
    report = start_report(page, campaign)
    edit_path = f"/reports/{report.pk}/edit/"

    narrative = "Đã tổ chức tuyên truyền trên Cổng thông tin điện tử và hệ thống loa truyền thanh phường."
    field(page, "a-II.1.b").fill("-5")
    field(page, "a-II.1.a").fill(narrative)
    press(page, page.get_by_role("button", name="Lưu", exact=True))

    expect(page).to_have_url(path_is(edit_path))
    expect(page.locator("[data-testid=form-errors]")).to_be_visible()
    bad = item_block(page, "II.1.b")
    expect(bad).to_have_class(re.compile(r"\boutline__item--error\b"))
    expect(bad.locator(".field__error")).to_have_text(NOT_A_COUNT)
    expect(page.locator(".field__error")).to_have_count(1)  # only the wrong field is flagged
    expect(field(page, "a-II.1.b")).to_have_value("-5")
    expect(field(page, "a-II.1.a")).to_have_value(narrative)
    expect(messages(page)).to_have_count(0)  # no "Đã lưu." while something is wrong
    shot(page, "report-3-invalid-number")

    version = report.current_version
    assert AnswerText.objects.get(version=version, item__code="II.1.a").text == narrative
    assert not AnswerCount.objects.filter(version=version, item__code="II.1.b").exists()

    # Corrected, everything is saved.
    field(page, "a-II.1.b").fill("5")
    press(page, page.get_by_role("button", name="Lưu", exact=True))
    expect(messages(page)).to_contain_text(SAVED)
    expect(page.locator(".field__error")).to_have_count(0)
    expect(field(page, "a-II.1.b")).to_have_value("5")
    expect(field(page, "a-II.1.a")).to_have_value(narrative)
    assert AnswerCount.objects.get(version=version, item__code="II.1.b").value == 5
