"""Clicks per task (issue 16): each persona's main task walked from the home page, in Chromium at 1366 px and
375 px, counting what the user does.

The counter (`Walk`) wraps what a user does with the mouse or the keyboard's Enter: a click on a link or a
button, ticking a box or a radio, choosing in a drop-down, choosing a file, pressing Enter. Each is one
click. Typing into a field is not a click: those are counted as fields. Nothing is reached by a typed
address: the only `page.goto` is the home page "/" (where the login page sends each persona back); every
other page is reached by clicking what the user sees. A step that could only be reached by typing an address
would go through `Walk.typed_url`, counted as such (none is needed today).

Logging in (and out, between personas) is not counted: each persona starts on the home page, logged in.
A choice already made for the user (the default option, the box ticked in advance, today's date filled in)
costs nothing. At 375 px the menu is behind the hamburger button: opening it is a click.

Each test checks the task was done (on the page and in the database) and that it took at most the clicks
recorded in MAX_CLICKS: the figures measured before the navigation work of issue 16 (docs/ux.md). Lower them
as the pages improve. `-s` prints each walk, step by step.
"""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from awards.models import (
    Campaign,
    Decision,
    DecisionStatus,
    HandOff,
    Nomination,
    NominationAction,
    NominationFileKind,
    NominationStatus,
    NomineeKind,
    Outcome,
    Step,
)
from tests.test_attachments import pdf_bytes

pytestmark = pytest.mark.slow

HEIGHT = 800
WIDTHS = (1366, 375)
TIMEOUT_MS = 30_000  # two cores shared with a CI run: the pages are slower than on a desk
DOCUMENTS_MS = 120_000  # a decision's files are built in the background before it is issued

# The clicks each task took before issue 16's changes (aa68513; docs/ux.md), and the most it may take now.
BEFORE = {
    ("send_nomination", 1366): 16,
    ("send_nomination", 375): 17,
    ("return_and_resubmit", 1366): 13,
    ("return_and_resubmit", 375): 14,
    ("approve_handoff", 1366): 3,
    ("approve_handoff", 375): 4,
    ("issue_decision", 1366): 7,
    ("issue_decision", 375): 8,
}
MAX_CLICKS = {
    **BEFORE,
    ("send_nomination", 1366): 13,  # the head sends from "My work" on the home page
    ("send_nomination", 375): 14,
    ("issue_decision", 1366): 4,  # the director drafts from "My work"
    ("issue_decision", 375): 4,
    # Each file is opened from "My work" (named there), the returned one with its comment on top; no menu, no bell.
    ("return_and_resubmit", 1366): 10,
    ("return_and_resubmit", 375): 10,
    ("approve_handoff", 1366): 2,
    ("approve_handoff", 375): 2,
}
# Typed addresses each task needs today (the goal: none).
MAX_TYPED_URLS = dict.fromkeys(MAX_CLICKS, 0)

GIAY_KHEN = "Giấy khen của Giám đốc Công an tỉnh"
PLAN = "181/KH-UBND"
POLICE = "Công an tỉnh Đồng Nai"
# Biên Hòa's officer and head: its Plan 181 report is accepted; since 01/7/2025 they work for phường Trấn Biên,
# which continues its open files (the 2025 reorganisation), its report still their evidence.
OFFICER, HEAD = "canbo.bienhoa", "thutruong.bienhoa"
WARD = "UBND-P-TRANBIEN"
REVIEWER, DIRECTOR = "congan.canbo", "congan.giamdoc"

# Labels as the Vietnamese pages print them (config/locale/vi/LC_MESSAGES/django.po).
NAV_CAMPAIGNS = "Đợt khen thưởng và báo cáo"
UNDER_REVIEW = "Đang thẩm định"
BEING_PREPARED = "Đang chuẩn bị"


# ---------------------------------------------------------------------------------------------------
# The counter
# ---------------------------------------------------------------------------------------------------


class Walk:
    """A user's walk through the pages: what they click, what they type, and any address they must type."""

    def __init__(self, page: Page, journey: str, width: int, password: str):
        self.page, self.journey, self.width, self.password = page, journey, width, password
        self.clicks = self.fields = self.typed_urls = 0
        self.persona = ""
        self.by_persona: dict[str, int] = {}
        self.steps: list[str] = []

    # Not counted: who is at the keyboard.
    def as_user(self, username: str) -> None:
        """Log in as `username` on a fresh session and stand on the home page (not counted)."""
        self.persona = username
        self.by_persona.setdefault(username, 0)
        page = self.page
        page.context.clear_cookies()
        page.goto("/")  # the login page, then back home
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(self.password)
        self._navigating(lambda: page.get_by_role("button", name="Đăng nhập", exact=True).click())
        expect(page.get_by_test_id("who")).to_be_visible()
        expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))

    # Counted.
    def _count(self, kind: str, what: str) -> None:
        self.clicks += 1
        self.by_persona[self.persona] += 1
        self.steps.append(f"{self.persona:<18} {kind:<7} {what}")

    def _free(self, kind: str, what: str) -> None:
        self.steps.append(f"{self.persona:<18} {kind:<7} {what} (already so: no click)")

    def _navigating(self, action) -> None:
        """Run `action` and wait for the page it loads (often at the same address, after a POST)."""
        self.page.evaluate("() => { window.__clickWalkOldPage = true; }")
        action()
        self.page.wait_for_function("() => !window.__clickWalkOldPage")
        self.page.wait_for_load_state()

    def click(self, target: Locator, what: str, *, navigates: bool = True) -> None:
        self._count("click", what)
        if navigates:
            self._navigating(target.click)
        else:
            target.click()

    def check(self, target: Locator, what: str) -> None:
        if target.is_checked():
            self._free("check", what)
            return
        self._count("check", what)
        target.check()

    def select(self, target: Locator, label: str, what: str) -> None:
        chosen = target.evaluate("s => s.selectedIndex >= 0 ? s.options[s.selectedIndex].text : ''")
        if chosen.strip() == label:
            self._free("select", what)
            return
        self._count("select", what)
        target.select_option(label=label)

    def upload(self, target: Locator, name: str, data: bytes, what: str) -> None:
        self._count("file", what)
        target.set_input_files(files=[{"name": name, "mimeType": "application/pdf", "buffer": data}])

    def enter(self, target: Locator, what: str) -> None:
        self._count("enter", what)
        self._navigating(lambda: target.press("Enter"))

    def fill(self, target: Locator, value: str, what: str) -> None:
        self.fields += 1
        self.steps.append(f"{self.persona:<18} {'type':<7} {what}")
        target.fill(value)

    def menu(self, label: str) -> None:
        """A link of the main menu; on a phone the menu opens with the hamburger button first."""
        toggle = self.page.locator("[data-menu-toggle]")
        if toggle.is_visible():
            self.click(toggle, "menu button (hamburger)", navigates=False)
        self.click(self.page.locator("#sidenav").get_by_role("link", name=label, exact=True), f"menu › {label}")

    def notification(self, text: str) -> None:
        """The bell, then "Mở" on the notification that names `text`."""
        self.click(self.page.get_by_test_id("bell"), "bell (notifications)")
        item = self.page.get_by_test_id("notification").filter(has_text=text).first
        self.click(item.get_by_role("button", name="Mở", exact=True), f"notification › Mở ({text})")

    def work_item(self, name: str) -> None:
        """A nomination named under "Công việc của tôi" on the home page: one click opens it."""
        mine = self.page.get_by_test_id("my-work").get_by_role("link", name=name, exact=True)
        self.click(mine.first, f"Công việc của tôi › {name}")

    def typed_url(self, path: str, why: str) -> None:
        """A page no link leads to: the user must type its address (counted apart from the clicks)."""
        self.typed_urls += 1
        self.steps.append(f"{self.persona:<18} {'URL':<7} {path} – {why}")
        self.page.goto(path)

    def report(self) -> str:
        people = ", ".join(f"{who} {n}" for who, n in self.by_persona.items())
        lines = [
            f"clicks: {self.journey} {self.width}: {self.clicks} clicks, {self.fields} fields, "
            f"{self.typed_urls} typed URLs ({people})",
            *(f"    {step}" for step in self.steps),
        ]
        return "\n".join(lines)

    def done(self, shot) -> None:
        shot(self.page, f"clicks-{self.journey}-{self.width}")
        print("\n" + self.report())
        key = (self.journey, self.width)
        assert self.typed_urls <= MAX_TYPED_URLS[key], self.report()
        assert self.clicks <= MAX_CLICKS[key], self.report()


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def width(request) -> int:
    return request.param


@pytest.fixture
def sized_page(browser, live_server, width):
    # locale en-US on purpose, as in conftest: the app answers in Vietnamese whatever the browser asks for.
    context = browser.new_context(base_url=live_server.url, locale="en-US",
                                  viewport={"width": width, "height": HEIGHT})  # fmt: skip
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def plan_181() -> Campaign:
    return Campaign.objects.get(plan_number="181", plan_symbol="KH-UBND")


def messages(page: Page) -> Locator:
    return page.locator("ul.messages")


def status(page: Page) -> Locator:
    return page.get_by_test_id("nomination-status")


def open_campaign(walk: Walk) -> None:
    """Home › menu › Campaigns and reports › Plan 181."""
    walk.menu(NAV_CAMPAIGNS)
    walk.click(walk.page.get_by_test_id("campaign-table").get_by_role("link", name=PLAN, exact=True),
               f"campaign {PLAN}")  # fmt: skip
    expect(walk.page.get_by_role("heading", level=1)).to_have_text(f"Kế hoạch {PLAN}")


# ---------------------------------------------------------------------------------------------------
# 1. The unit officer creates an individual's nomination; the unit head sends it with the council minutes
# ---------------------------------------------------------------------------------------------------


def test_create_and_send_an_individuals_nomination(sized_page: Page, width, demo, media, shot):
    page, campaign = sized_page, plan_181()
    name = "Trương Minh Tuấn"
    number = "29/TTr-UBND"
    walk = Walk(page, "send_nomination", width, demo)

    # The officer: Campaigns › Plan 181 › Nominations › New nomination, the form, the achievement report, the head.
    walk.as_user(OFFICER)
    open_campaign(walk)
    walk.click(page.get_by_test_id("nominations-link"), "Đề nghị khen thưởng")
    walk.click(page.get_by_test_id("new-nomination"), "Đề nghị khen thưởng mới")
    form = page.get_by_test_id("nomination-form")
    walk.select(form.locator("#id_award_type"), GIAY_KHEN, "hình thức: Giấy khen")
    walk.check(form.get_by_label("Cá nhân", exact=True), "đối tượng: Cá nhân")
    walk.fill(form.locator("#id_name"), name, "họ tên")
    walk.select(form.locator("#id_gender"), "Nam", "giới tính")
    walk.fill(form.locator("#id_birth_date"), "21/06/1978", "ngày sinh")
    walk.fill(form.locator("#id_position"), "Trưởng khu phố 7", "chức vụ")
    walk.fill(form.locator("#id_workplace"), "Phường Tân Phong, thành phố Biên Hòa", "nơi công tác")
    walk.fill(form.locator("#id_id_number"), "075078001234", "số định danh")
    walk.fill(form.locator("#id_achievement"),
              "Có thành tích xuất sắc trong phong trào toàn dân bảo vệ an ninh Tổ quốc giai đoạn 2014 - 2024",
              "tóm tắt thành tích")  # fmt: skip
    walk.click(form.get_by_role("button", name="Lưu", exact=True), "Lưu")
    expect(messages(page)).to_contain_text("Đã lưu đề nghị khen thưởng.")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    # The achievement report (báo cáo thành tích): the law asks for one; the app does not insist.
    files = page.get_by_test_id("file-form")
    walk.select(files.locator("#id_kind"), "Báo cáo thành tích", "loại tệp: Báo cáo thành tích")
    walk.upload(files.locator("#id_file"), "bao-cao-thanh-tich.pdf", pdf_bytes(), "chọn tệp báo cáo thành tích")
    walk.click(files.get_by_role("button", name="Đính kèm", exact=True), "Đính kèm")
    expect(page.get_by_test_id("files")).to_contain_text("bao-cao-thanh-tich.pdf")
    walk.click(page.get_by_test_id("prepared"), "Chuyển thủ trưởng đơn vị")
    expect(messages(page)).to_contain_text("cho thủ trưởng đơn vị để ký gửi hồ sơ.")

    # The head: the home page's "My work" says what is to send, and opens the dossier form for it.
    walk.as_user(HEAD)
    to_send = page.get_by_test_id("work-nominations").filter(has_text=GIAY_KHEN).filter(has_text="đề nghị cần gửi")
    walk.click(to_send.get_by_role("link").first, "Công việc của tôi › đề nghị cần gửi (Giấy khen)")
    form = page.get_by_test_id("dossier-form")
    expect(form).to_contain_text(name)
    walk.check(form.get_by_label(re.compile(re.escape(name))), "chọn đề nghị")
    walk.fill(form.locator("#id_number"), number, "số tờ trình")
    expect(form.locator("#id_date")).not_to_be_empty()  # today
    walk.fill(form.locator("#id_signer"), "Trần Văn Dũng", "người ký")
    walk.fill(form.locator("#id_signer_title"), "Phó Chủ tịch", "chức vụ người ký")
    walk.fill(form.locator("#id_council_members"), "7", "số thành viên Hội đồng")
    walk.fill(form.locator("#id_council_present"), "7", "số có mặt")
    walk.fill(form.locator("#id_votes_for"), "7", "số phiếu tán thành")
    walk.upload(form.locator("#id_minutes"), "bien-ban-hop-hoi-dong.pdf", pdf_bytes(), "chọn biên bản họp Hội đồng")
    walk.click(form.get_by_role("button", name="Ký và gửi", exact=True), "Ký và gửi")

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {number}")
    expect(messages(page)).to_contain_text(re.compile(r"Đã gửi hồ sơ \S+ đến Công an tỉnh Đồng Nai với 1 đề nghị\."))
    walk.done(shot)

    nomination = Nomination.objects.get(campaign=campaign, unit__code=WARD, name=name)
    assert nomination.kind == NomineeKind.INDIVIDUAL and nomination.award_type.code == "GK-CAT"
    assert (nomination.step, nomination.status, nomination.holder.code) == (
        Step.POLICE_APPRAISAL, NominationStatus.IN_REVIEW, "CA-DN"
    )  # fmt: skip
    assert nomination.dossier.number == number
    assert nomination.dossier.files.filter(kind=NominationFileKind.MINUTES).count() == 1
    assert nomination.files.filter(kind=NominationFileKind.ACHIEVEMENT).count() == 1


# ---------------------------------------------------------------------------------------------------
# 2. The police reviewer returns a nomination with a comment; the unit adds what was asked and resubmits
# ---------------------------------------------------------------------------------------------------


def test_return_and_resubmit(sized_page: Page, width, demo, media, shot):
    page = sized_page
    nomination = Nomination.objects.get(unit__code=WARD, holder__code="CA-DN", step=Step.POLICE_APPRAISAL,
                                        award_type__code="GK-CAT", kind=NomineeKind.INDIVIDUAL,
                                        status=NominationStatus.IN_REVIEW)  # fmt: skip
    comment = "Đề nghị bổ sung xác nhận của Công an phường Tân Hiệp về thành tích cung cấp nguồn tin năm 2023."
    walk = Walk(page, "return_and_resubmit", width, demo)

    # The reviewer: the nomination from "My work", "return for revision" with the comment.
    walk.as_user(REVIEWER)
    walk.work_item(nomination.name)
    box = page.get_by_test_id("act")
    walk.check(box.get_by_label("Trả lại để chỉnh sửa", exact=True), "Trả lại để chỉnh sửa")
    walk.fill(box.locator("#id_comment"), comment, "ý kiến cho đơn vị")
    walk.click(box.get_by_test_id("act-submit"), "Xác nhận")
    expect(messages(page)).to_contain_text(f"Đã trả “{nomination.name}” về")

    # The officer: the returned file heads "My work"; attaches the confirmation asked for and hands it to the head.
    walk.as_user(OFFICER)
    walk.work_item(nomination.name)
    expect(page.get_by_test_id("open-return")).to_contain_text(comment)
    expect(page.get_by_role("heading", level=1)).to_have_text(nomination.name)
    expect(page.get_by_test_id("timeline")).to_contain_text(comment)
    files = page.get_by_test_id("file-form")
    walk.select(files.locator("#id_kind"), "Tài liệu kèm theo", "loại tệp: Tài liệu kèm theo")
    walk.upload(files.locator("#id_file"), "xac-nhan-cong-an-phuong.pdf", pdf_bytes(), "chọn tệp xác nhận")
    walk.click(files.get_by_role("button", name="Đính kèm", exact=True), "Đính kèm")
    expect(page.get_by_test_id("files")).to_contain_text("xac-nhan-cong-an-phuong.pdf")
    walk.click(page.get_by_test_id("prepared"), "Chuyển thủ trưởng đơn vị")
    expect(messages(page)).to_contain_text("cho thủ trưởng đơn vị để ký gửi hồ sơ.")

    # The head: the file is in "My work"; sends it back up.
    walk.as_user(HEAD)
    walk.work_item(nomination.name)
    expect(page.get_by_role("heading", level=1)).to_have_text(nomination.name)
    walk.click(page.get_by_test_id("resubmit"), "Trình lại")
    expect(messages(page)).to_contain_text("Đã trình lại đề nghị")
    expect(status(page)).to_have_text(UNDER_REVIEW)
    expect(page.get_by_test_id("holder")).to_contain_text(POLICE)
    walk.done(shot)

    nomination.refresh_from_db()
    assert (nomination.step, nomination.status, nomination.holder.code) == (
        Step.POLICE_APPRAISAL, NominationStatus.IN_REVIEW, "CA-DN"
    )  # fmt: skip
    returned = NominationAction.objects.filter(nomination=nomination, outcome=Outcome.RETURNED).latest("pk")
    assert (returned.step, returned.comment, returned.actor.username) == (Step.POLICE_APPRAISAL, comment, REVIEWER)
    assert nomination.files.filter(kind=NominationFileKind.SUPPORTING).count() == 1


# ---------------------------------------------------------------------------------------------------
# 3. The police reviewer approves a Giấy khen at the hand-off step, with the office's tờ trình
# ---------------------------------------------------------------------------------------------------


def test_approve_at_a_handoff_step(sized_page: Page, width, demo, media, shot):
    page = sized_page
    nomination = Nomination.objects.get(campaign=plan_181(), holder__code="CA-DN", step=Step.POLICE_APPRAISAL,
                                        award_type__code="GK-CAT", kind=NomineeKind.INDIVIDUAL,
                                        status=NominationStatus.IN_REVIEW)  # fmt: skip
    number = "131/TTr-PV01"
    walk = Walk(page, "approve_handoff", width, demo)

    walk.as_user(REVIEWER)
    walk.work_item(nomination.name)  # opening is enough: nobody else has taken it
    form = page.get_by_test_id("handoff-form")
    walk.fill(form.locator("#id_number"), number, "số tờ trình")
    expect(form.locator("#id_date")).not_to_be_empty()  # today
    walk.fill(form.locator("#id_signer"), "Đỗ Minh Khoa", "người ký")
    walk.fill(form.locator("#id_signer_title"), "Trưởng phòng Tham mưu", "chức vụ người ký")
    walk.click(form.get_by_role("button", name="Trình", exact=True), "Trình")
    expect(messages(page)).to_contain_text(f"Đã chuyển “{nomination.name}” đến")
    walk.done(shot)

    nomination.refresh_from_db()
    assert (nomination.step, nomination.status, nomination.holder.code) == (
        Step.DIRECTOR_APPROVAL, NominationStatus.IN_REVIEW, "CA-DN"
    )  # fmt: skip
    handoff = HandOff.objects.get(number=number)
    assert list(handoff.nominations.all()) == [nomination]


# ---------------------------------------------------------------------------------------------------
# 4. The police director drafts the Giấy khen decision from what awaits one and issues it
# ---------------------------------------------------------------------------------------------------


def test_draft_and_issue_a_decision(sized_page: Page, width, demo, media, shot):
    page, campaign = sized_page, plan_181()
    waiting = set(Nomination.objects.filter(campaign=campaign, award_type__code="GK-CAT",
                                            status=NominationStatus.AWAITING_DECISION).values_list("pk", flat=True))  # fmt: skip
    assert len(waiting) >= 2
    walk = Walk(page, "issue_decision", width, demo)

    walk.as_user(DIRECTOR)
    waiting_line = page.get_by_test_id("work-decisions").filter(has_text=GIAY_KHEN)
    walk.click(waiting_line.get_by_role("link").first, "Công việc của tôi › hồ sơ chờ bạn quyết định (Giấy khen)")
    form = page.get_by_test_id("decision-form")
    for box in form.locator('input[name="nominations"]').all():
        walk.check(box, "chọn đối tượng")
    walk.fill(form.locator("#id_signer"), "Huỳnh Văn Tài", "người ký")
    walk.fill(form.locator("#id_signer_title"), "Giám đốc", "chức vụ người ký")
    walk.fill(form.locator("#id_funding_source"), "Quỹ thi đua, khen thưởng của Công an tỉnh", "nguồn kinh phí")
    walk.click(form.get_by_role("button", name="Lưu dự thảo", exact=True), "Lưu dự thảo")
    expect(page.get_by_test_id("decision-title")).to_have_text("Dự thảo quyết định")
    # The files are built in the background; the page reloads itself when they are ready (not a click).
    expect(page.get_by_test_id("document-decision_docx")).to_contain_text("Tải về", timeout=DOCUMENTS_MS)

    issue = page.get_by_test_id("issue-form")
    expect(issue.locator("#id_number")).not_to_be_empty()  # the next free number, proposed
    expect(issue.locator("#id_date")).not_to_be_empty()  # today
    walk.upload(issue.locator("#id_scan"), "qd-da-ky.pdf", pdf_bytes(), "chọn bản quét đã ký")
    walk.click(issue.get_by_role("button", name="Ban hành quyết định", exact=True), "Ban hành quyết định")
    expect(page.get_by_test_id("decision-status")).to_have_text("Đã ban hành")
    walk.done(shot)

    decision = Decision.objects.get(campaign=campaign, award_type__code="GK-CAT")
    assert decision.status == DecisionStatus.ISSUED and decision.scan_path
    assert set(decision.items.values_list("nomination_id", flat=True)) == waiting
    assert set(Nomination.objects.filter(pk__in=waiting).values_list("status", flat=True)) == {NominationStatus.AWARDED}
