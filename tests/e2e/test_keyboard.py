"""Main journeys walked with the keyboard alone: Tab, Enter, Space and typing, never a click (issue 16 item 6).

Every element the Tab key lands on must show a visible focus ring (an outline or a box shadow), and each
journey ends with its result on the page and in the database.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from awards.models import AnswerCount, Nomination, NominationAction, Outcome, Report, Step

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

MAX_TABS = 250

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== "none";
  return {tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute("name") || "", type: e.type || "",
          value: e.value || "", href: e.getAttribute("href") || "", testid: e.dataset.testid || "",
          text: (e.innerText || e.getAttribute("aria-label") || "").trim().slice(0, 60), ring: outline || shadow,
          className: e.className || "", inMyWork: !!e.closest("[data-testid=my-work]")};
}"""


class Keyboard:
    """Tab through the page until the focused element is the one wanted, checking each one's focus ring."""

    def __init__(self, page: Page):
        self.page = page
        self.no_ring: list[str] = []

    def tab_to(self, wanted, what: str) -> dict:
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Tab")
            focused = self.page.evaluate(FOCUSED)
            if focused is None:
                continue
            if not focused["ring"]:
                self.no_ring.append(f"{self.page.url} {focused['tag']} {focused['id'] or focused['text']}")
            if wanted(focused):
                return focused
        raise AssertionError(f"{what}: not reached with {MAX_TABS} presses of Tab on {self.page.url}")

    def press(self, key: str) -> None:
        """Enter or Space on the focused element; waits for the page that comes back when it navigates."""
        self.page.evaluate("() => { window.__kbOldPage = true; }")
        self.page.keyboard.press(key)
        self.page.wait_for_function("() => !window.__kbOldPage")
        self.page.wait_for_load_state()

    def log_in(self, username: str, password: str) -> None:
        self.page.goto("/accounts/login/")
        self.tab_to(lambda f: f["id"] == "id_username", "the user name")
        self.page.keyboard.type(username)
        self.tab_to(lambda f: f["id"] == "id_password", "the password")
        self.page.keyboard.type(password)
        self.tab_to(lambda f: f["tag"] == "button" and f["type"] == "submit", "the log-in button")
        self.press("Enter")
        expect(self.page.get_by_test_id("who")).to_be_visible()

    def act(self, outcome: str, comment: str) -> dict:
        """The nomination's act form: Space on the outcome's radio, the comment typed, Enter on "Xác nhận"."""
        radio = self.tab_to(lambda f: f["name"] == "outcome" and f["value"] == outcome, f"the radio {outcome}")
        self.page.keyboard.press("Space")
        self.tab_to(lambda f: f["id"] == "id_comment", "the comment")
        self.page.keyboard.type(comment)
        self.tab_to(lambda f: f["testid"] == "act-submit", "the confirm button")
        self.press("Enter")
        return radio

    def assert_rings(self) -> None:
        assert not self.no_ring, "focused without a visible focus ring:\n" + "\n".join(self.no_ring)


@pytest.fixture
def keyboard(page: Page) -> Keyboard:
    return Keyboard(page)


def test_leader_approves_a_nomination_from_my_work_with_the_keyboard(page: Page, keyboard: Keyboard, demo, shot):
    nomination = Nomination.objects.get(holder__code="UBND-DN", step=Step.LEADER_APPROVAL)
    keyboard.log_in("ubnd.lanhdao", demo)

    # Home, "Công việc của tôi": its first item, then (in the inbox it opens) the nomination's name.
    keyboard.tab_to(lambda f: f["tag"] == "a" and f["inMyWork"], "the first item of my work")
    keyboard.press("Enter")
    if not re.search(rf"/nominations/{nomination.pk}/$", page.url):
        keyboard.tab_to(lambda f: f["href"] == f"/nominations/{nomination.pk}/", "the nomination's name")
        keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/nominations/{nomination.pk}/$"))

    # The act form: the "Đồng ý" radio (Space), a comment, then Enter on "Xác nhận".
    keyboard.act(Outcome.APPROVED, "Đồng ý, trình Chủ tịch tặng Bằng khen.")

    expect(page.locator("ul.messages")).to_contain_text(f"Đã đồng ý “{nomination.name}”")
    shot(page, "keyboard-ubnd.lanhdao-approved")
    keyboard.assert_rings()
    nomination.refresh_from_db()
    assert nomination.step == Step.AWAITING_DECISION
    action = NominationAction.objects.filter(nomination=nomination).latest("pk")
    assert (action.outcome, action.actor.username, action.comment) == (
        Outcome.APPROVED, "ubnd.lanhdao", "Đồng ý, trình Chủ tịch tặng Bằng khen."
    )  # fmt: skip


def test_officer_saves_a_report_draft_with_the_keyboard(page: Page, keyboard: Keyboard, demo, shot):
    report = Report.objects.filter(unit__code="SGDDT-DN").order_by("-pk").first()
    keyboard.log_in("canbo.sgddt", demo)

    # Home, "Công việc của tôi": "Sửa lại báo cáo…", then "Sửa bản nháp" on the report's page.
    keyboard.tab_to(lambda f: f["inMyWork"] and f["href"] == f"/reports/{report.pk}/", "the report in my work")
    keyboard.press("Enter")
    keyboard.tab_to(lambda f: f["href"] == f"/reports/{report.pk}/edit/", "Sửa bản nháp")
    keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/reports/{report.pk}/edit/$"))

    field = keyboard.tab_to(lambda f: "input-number" in f["className"], "the first number")
    page.keyboard.press("Control+A")
    page.keyboard.type("77")
    keyboard.tab_to(lambda f: f["tag"] == "button" and f["type"] == "submit", "Lưu")
    keyboard.press("Space")

    expect(page.locator("ul.messages")).to_be_visible()
    shot(page, "keyboard-canbo.sgddt-saved")
    keyboard.assert_rings()
    report.refresh_from_db()
    answer = AnswerCount.objects.get(version=report.current_version, item__code=field["name"].removeprefix("a-"))
    assert answer.value == 77


def test_officer_creates_a_nomination_with_the_keyboard(page: Page, keyboard: Keyboard, demo, shot):
    from awards.models import Campaign

    campaign = Campaign.objects.get(plan_number="181", plan_symbol="KH-UBND")
    keyboard.log_in("canbo.bienhoa", demo)

    # The menu, the plan, its nominations, "new": Tab and Enter only.
    for href, what in (("/campaigns/", "the campaigns in the menu"), (f"/campaigns/{campaign.pk}/", "the plan"),
                       (f"/campaigns/{campaign.pk}/nominations/", "its nominations"),
                       (f"/campaigns/{campaign.pk}/nominations/new/", "a new nomination")):  # fmt: skip
        keyboard.tab_to(lambda f, href=href: f["href"] == href, what)
        keyboard.press("Enter")

    # The award: a drop-down chosen with the arrow keys; the individual is already chosen; the gender likewise.
    keyboard.tab_to(lambda f: f["name"] == "award_type", "the award")
    page.keyboard.press("ArrowDown")
    award = page.locator("#id_award_type").evaluate("s => s.options[s.selectedIndex].text")
    typed = {"name": "Lý Thị Bàn Phím", "birth_date": "12/09/1986", "position": "Cán bộ văn phòng",
             "workplace": "Văn phòng UBND thành phố Biên Hòa",
             "achievement": "Có thành tích trong phong trào toàn dân bảo vệ an ninh Tổ quốc"}  # fmt: skip
    for name in ("name", "gender", "birth_date", "position", "workplace", "achievement"):
        keyboard.tab_to(lambda f, name=name: f["name"] == name, name)
        if name == "gender":
            page.keyboard.press("ArrowDown")  # the first choice after "—"
        else:
            page.keyboard.type(typed[name])
    keyboard.tab_to(lambda f: f["tag"] == "button" and f["type"] == "submit" and f["text"] == "Lưu", "Lưu")
    keyboard.press("Enter")

    nomination = Nomination.objects.get(campaign=campaign, name="Lý Thị Bàn Phím")
    expect(page).to_have_url(re.compile(rf"/nominations/{nomination.pk}/$"))
    expect(page.get_by_test_id("send-checklist")).to_be_visible()  # what stands before sending, from the start
    shot(page, "keyboard-canbo.bienhoa-created")
    keyboard.assert_rings()
    assert (nomination.award_type.name, nomination.birth_date.strftime("%d/%m/%Y"), nomination.gender != "") == (
        award, "12/09/1986", True
    )  # fmt: skip


def test_reviewer_returns_a_nomination_from_my_work_with_the_keyboard(page: Page, keyboard: Keyboard, demo, shot):
    keyboard.log_in("congan.canbo", demo)
    # The first file named under "Công việc của tôi".
    first = keyboard.tab_to(lambda f: f["inMyWork"] and re.fullmatch(r"/nominations/\d+/", f["href"] or ""),
                            "the first file in my work")  # fmt: skip
    nomination = Nomination.objects.get(pk=int(first["href"].strip("/").split("/")[-1]))
    keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/nominations/{nomination.pk}/$"))

    # "Trả lại để chỉnh sửa" (Space on its radio), the comment, Enter on "Xác nhận".
    keyboard.act(Outcome.RETURNED, "Đề nghị bổ sung bản xác nhận thành tích.")

    expect(page.locator("ul.messages")).to_contain_text(f"Đã trả “{nomination.name}” về")
    shot(page, "keyboard-congan.canbo-returned")
    keyboard.assert_rings()
    action = NominationAction.objects.filter(nomination=nomination).latest("pk")
    assert (action.outcome, action.actor.username, action.comment) == (
        Outcome.RETURNED, "congan.canbo", "Đề nghị bổ sung bản xác nhận thành tích."
    )  # fmt: skip
