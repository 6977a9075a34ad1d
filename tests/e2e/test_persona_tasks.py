"""One real task per demo persona, in the browser, on the seeded demo nominations (`awards/demo_nominations.py`).

Each persona logs in on the login page, finds their work as the demo leaves it (the test looks it up in the
database, then drives the screens to it), does it, and the test checks what the person sees afterwards
(status, holder, message) and what the database now holds. The `demo` fixture reseeds for every test.
"""

import re

from playwright.sync_api import Page, expect

from awards.models import (
    AwardStep,
    Campaign,
    Dossier,
    HandOff,
    Nomination,
    NominationAction,
    NominationFileKind,
    NominationStatus,
    NomineeKind,
    Outcome,
    Step,
)
from tests.e2e.test_report_journey import log_in, press
from tests.test_attachments import pdf_bytes

BIEN_HOA = "Ủy ban nhân dân thành phố Biên Hòa"
POLICE = "Công an tỉnh Đồng Nai"
PROVINCE = "Ủy ban nhân dân tỉnh Đồng Nai"
MINISTRY = "Bộ Công an"

# Statuses and steps as the badge and the muted step line print them (config/locale/vi/LC_MESSAGES/django.po).
BEING_PREPARED = "Đang chuẩn bị"
UNDER_REVIEW = "Đang thẩm định"
AWAITS = "Chờ quyết định"
HEAD_SUBMITS = "Thủ trưởng đơn vị trình"
DIRECTOR_APPROVES = "Giám đốc Công an tỉnh phê duyệt"
LEADER_APPROVES = "Lãnh đạo UBND tỉnh phê duyệt"
APPROVED = "Đồng ý"  # the outcome's label, also the message after acting


def plan_181() -> Campaign:
    return Campaign.objects.get(plan_number="181", plan_symbol="KH-UBND")


def messages(page: Page):
    return page.locator("ul.messages")


def status(page: Page):
    return page.get_by_test_id("nomination-status")


def step_line(page: Page):
    """The step shown next to the status badge when it says more than the status."""
    return page.get_by_test_id("nomination-status").locator("xpath=following-sibling::span[1]")


def open_from_inbox(page: Page, nomination: Nomination) -> None:
    """The reviewer's way in: the work inbox, then the nomination's name."""
    page.goto("/nominations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ khen thưởng cần xử lý")
    row = page.get_by_test_id("inbox-table").locator("tbody tr", has_text=nomination.name)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=nomination.name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/nominations/{nomination.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(nomination.name)


def fill_handoff(page: Page, number: str, signer: str, title: str) -> None:
    form = page.get_by_test_id("handoff-form")
    expect(form).to_be_visible()
    expect(form.locator("#id_date")).not_to_be_empty()  # today, ready to sign
    form.locator("#id_number").fill(number)
    form.locator("#id_signer").fill(signer)
    form.locator("#id_signer_title").fill(title)
    press(page, form.get_by_role("button", name="Trình", exact=True))


def expect_back_in_inbox_without(page: Page, nomination: Nomination, message: str) -> None:
    expect(page).to_have_url(re.compile(r"/nominations/$"))
    expect(messages(page)).to_contain_text(message)
    expect(page.get_by_role("link", name=nomination.name, exact=True)).to_have_count(0)


# ---------------------------------------------------------------------------------------------------
# The nominating unit
# ---------------------------------------------------------------------------------------------------


def test_unit_officer_revises_a_draft_and_hands_it_to_the_unit_head(page: Page, demo, shot):
    campaign = plan_181()
    draft = Nomination.objects.get(campaign=campaign, unit__code="UBND-BH", step=Step.PREPARE,
                                   status=NominationStatus.DRAFT)  # fmt: skip
    assert draft.kind == NomineeKind.INDIVIDUAL
    new_position = "Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam phường Tam Hiệp (nhiệm kỳ 2019 - 2024)"

    log_in(page, "canbo.bienhoa", demo)
    page.goto(f"/campaigns/{campaign.pk}/nominations/")
    page.get_by_test_id("nomination-table").get_by_role("link", name=draft.name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/nominations/{draft.pk}/$"))
    expect(status(page)).to_have_text(BEING_PREPARED)

    # Edit and save.
    page.get_by_role("link", name="Sửa", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/nominations/{draft.pk}/edit/$"))
    form = page.get_by_test_id("nomination-form")
    expect(form.locator("#id_name")).to_have_value(draft.name)
    form.locator("#id_position").fill(new_position)
    press(page, form.get_by_role("button", name="Lưu", exact=True))
    expect(page).to_have_url(re.compile(rf"/nominations/{draft.pk}/$"))
    expect(messages(page)).to_contain_text("Đã lưu đề nghị khen thưởng.")
    expect(page.get_by_test_id("nomination-facts")).to_contain_text(new_position)

    # Hand it to the unit head.
    handover = page.get_by_role("button", name="Chuyển thủ trưởng đơn vị", exact=True)
    expect(handover).to_be_visible()
    press(page, handover)
    expect(messages(page)).to_contain_text("Đã chuyển thủ trưởng đơn vị.")
    expect(status(page)).to_have_text(BEING_PREPARED)
    expect(step_line(page)).to_have_text(HEAD_SUBMITS)
    expect(page.get_by_test_id("holder")).to_contain_text(BIEN_HOA)
    expect(page.get_by_test_id("prepared")).to_have_count(0)
    shot(page, "persona-canbo.bienhoa-handed-to-head")

    draft.refresh_from_db()
    assert draft.position == new_position
    assert (draft.step, draft.status, draft.holder.code) == (Step.SUBMIT, NominationStatus.DRAFT, "UBND-BH")


def test_unit_head_sends_a_dossier_with_the_council_minutes(page: Page, demo, shot):
    campaign = plan_181()
    waiting = Nomination.objects.get(campaign=campaign, holder__code="UBND-BH", step=Step.SUBMIT,
                                     status=NominationStatus.DRAFT)  # fmt: skip
    tier = waiting.award_type
    number = "28/TTr-UBND"

    log_in(page, "thutruong.bienhoa", demo)
    page.goto(f"/campaigns/{campaign.pk}/nominations/")
    page.get_by_role("link", name=f"Gửi hồ sơ đề nghị: {tier.name}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Gửi hồ sơ đề nghị: {tier.name}")
    form = page.get_by_test_id("dossier-form")
    chosen = form.locator('input[name="nominations"]')
    expect(chosen).to_have_count(1)  # the only nomination of this tier waiting for the head
    expect(chosen).to_be_checked()
    expect(form).to_contain_text(waiting.name)
    form.locator("#id_number").fill(number)
    form.locator("#id_date").fill("12/08/2024")
    form.locator("#id_signer").fill("Trần Văn Dũng")
    form.locator("#id_signer_title").fill("Phó Chủ tịch")
    form.locator("#id_council_members").fill("7")
    form.locator("#id_council_present").fill("7")
    form.locator("#id_votes_for").fill("6")
    form.locator("#id_minutes").set_input_files(
        files=[{"name": "bien-ban-hop-hoi-dong.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    press(page, form.get_by_role("button", name="Ký và gửi", exact=True))

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {number}")
    expect(messages(page)).to_contain_text("Đã gửi hồ sơ: 1 đề nghị.")
    expect(page.get_by_role("link", name="Biên bản họp Hội đồng Thi đua – Khen thưởng", exact=True)).to_be_visible()
    shot(page, "persona-thutruong.bienhoa-dossier-sent")
    page.get_by_role("link", name=waiting.name, exact=True).click()
    expect(status(page)).to_have_text(UNDER_REVIEW)
    expect(step_line(page)).to_have_text("Công an tỉnh thẩm định")
    expect(page.get_by_test_id("holder")).to_contain_text(POLICE)
    expect(page.get_by_test_id("nomination-facts")).to_contain_text(number)

    dossier = Dossier.objects.get(campaign=campaign, unit__code="UBND-BH", number=number)
    assert dossier.award_type == tier and dossier.submitted_by.username == "thutruong.bienhoa"
    assert (dossier.council_members, dossier.council_present, dossier.votes_for) == (7, 7, 6)
    assert dossier.files.filter(kind=NominationFileKind.MINUTES).count() == 1
    waiting.refresh_from_db()
    assert waiting.dossier == dossier
    assert (waiting.step, waiting.status, waiting.holder.code) == (
        Step.POLICE_APPRAISAL, NominationStatus.IN_REVIEW, "CA-DN"
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------------
# The agencies
# ---------------------------------------------------------------------------------------------------


def test_police_reviewer_takes_a_giay_khen_from_the_inbox_and_approves_it(page: Page, demo, shot):
    nomination = Nomination.objects.get(holder__code="CA-DN", step=Step.POLICE_APPRAISAL, award_type__code="GK-CAT",
                                        kind=NomineeKind.INDIVIDUAL, status=NominationStatus.IN_REVIEW)  # fmt: skip
    assert nomination.assignee is None

    log_in(page, "congan.canbo", demo)
    page.goto("/nominations/")
    row = page.get_by_test_id("inbox-table").locator("tbody tr", has_text=nomination.name)
    expect(row).to_have_count(1)
    press(page, row.get_by_role("button", name="Nhận và mở", exact=True))

    expect(page).to_have_url(re.compile(rf"/nominations/{nomination.pk}/$"))
    expect(messages(page)).to_contain_text("Bạn đã nhận xử lý hồ sơ này.")
    expect(page.get_by_test_id("assignment")).to_contain_text("Người xử lý: Đặng Văn Hùng.")
    box = page.get_by_test_id("act")
    expect(box.get_by_role("heading", level=2)).to_have_text("Công an tỉnh thẩm định")
    expect(page.get_by_test_id("handoff-form")).to_have_count(0)  # a Giấy khen stays within the police
    box.get_by_label(APPROVED, exact=True).check()
    press(page, box.get_by_test_id("act-submit"))

    expect_back_in_inbox_without(page, nomination, APPROVED)
    page.goto(f"/nominations/{nomination.pk}/")
    expect(status(page)).to_have_text(UNDER_REVIEW)
    expect(step_line(page)).to_have_text(DIRECTOR_APPROVES)
    expect(page.get_by_test_id("holder")).to_contain_text(POLICE)
    expect(page.get_by_test_id("timeline")).to_contain_text("Đặng Văn Hùng")
    shot(page, "persona-congan.canbo-approved")

    nomination.refresh_from_db()
    assert (nomination.step, nomination.status, nomination.holder.code) == (
        Step.DIRECTOR_APPROVAL, NominationStatus.IN_REVIEW, "CA-DN"
    )  # fmt: skip
    assert nomination.assignee is None  # the director's step starts untaken
    action = NominationAction.objects.filter(nomination=nomination).latest("pk")
    assert (action.step, action.outcome, action.actor.username) == (
        Step.POLICE_APPRAISAL, Outcome.APPROVED, "congan.canbo"
    )  # fmt: skip


def test_police_director_signs_the_forwarding_to_the_ministry(page: Page, demo, shot):
    nomination = Nomination.objects.get(holder__code="CA-DN", step=Step.MINISTRY_FORWARD)
    number = "121/TTr-CAT-PV01"

    log_in(page, "congan.giamdoc", demo)
    open_from_inbox(page, nomination)
    expect(step_line(page)).to_have_text("Giám đốc Công an tỉnh ký trình Bộ Công an")
    expect(page.get_by_test_id("act")).to_contain_text("Đồng ý và trình kèm tờ trình của đơn vị")
    fill_handoff(page, number, "Huỳnh Văn Tài", "Giám đốc Công an tỉnh")

    expect_back_in_inbox_without(page, nomination, "Đã trình kèm tờ trình của đơn vị.")
    page.goto(f"/nominations/{nomination.pk}/")
    expect(status(page)).to_have_text(AWAITS)
    expect(page.get_by_test_id("holder")).to_contain_text(MINISTRY)
    expect(page.get_by_test_id("act")).to_have_count(0)
    shot(page, "persona-congan.giamdoc-forwarded")

    nomination.refresh_from_db()
    assert (nomination.step, nomination.status, nomination.holder.code) == (
        Step.AWAITING_DECISION, NominationStatus.AWAITING_DECISION, "BCA"
    )  # fmt: skip
    handoff = HandOff.objects.get(number=number)
    assert (handoff.from_unit.code, handoff.to_unit.code, handoff.step) == ("CA-DN", "BCA", Step.MINISTRY_FORWARD)
    assert list(handoff.nominations.all()) == [nomination]
    assert handoff.signer == "Huỳnh Văn Tài"


def test_home_affairs_reviewer_sends_a_chairmans_nomination_on_to_the_chairman(page: Page, demo, shot):
    nomination = Nomination.objects.get(holder__code="SNV-DN", step=Step.HOME_AFFAIRS_APPRAISAL,
                                        award_type__code="BK-UBND", status=NominationStatus.IN_REVIEW)  # fmt: skip
    number = "46/TTr-SNV"

    log_in(page, "noivu.canbo", demo)
    open_from_inbox(page, nomination)
    expect(status(page)).to_have_text(UNDER_REVIEW)
    expect(step_line(page)).to_have_text("Sở Nội vụ thẩm định")
    fill_handoff(page, number, "Nguyễn Văn Hiền", "Giám đốc Sở Nội vụ")

    expect_back_in_inbox_without(page, nomination, "Đã trình kèm tờ trình của đơn vị.")
    page.goto(f"/nominations/{nomination.pk}/")
    expect(status(page)).to_have_text(UNDER_REVIEW)
    expect(step_line(page)).to_have_text(LEADER_APPROVES)
    expect(page.get_by_test_id("holder")).to_contain_text(PROVINCE)
    shot(page, "persona-noivu.canbo-sent-to-chairman")

    nomination.refresh_from_db()
    assert (nomination.step, nomination.status, nomination.holder.code) == (
        Step.LEADER_APPROVAL, NominationStatus.IN_REVIEW, "UBND-DN"
    )  # fmt: skip
    handoff = HandOff.objects.get(number=number)
    assert (handoff.from_unit.code, handoff.to_unit.code) == ("SNV-DN", "UBND-DN")
    assert list(handoff.nominations.all()) == [nomination]


def test_provincial_leader_approves_a_chairmans_nomination(page: Page, demo, shot):
    nomination = Nomination.objects.get(holder__code="UBND-DN", step=Step.LEADER_APPROVAL)

    log_in(page, "ubnd.lanhdao", demo)
    open_from_inbox(page, nomination)
    expect(step_line(page)).to_have_text(LEADER_APPROVES)
    box = page.get_by_test_id("act")
    expect(page.get_by_test_id("handoff-form")).to_have_count(0)
    box.get_by_label(APPROVED, exact=True).check()
    box.locator("#id_comment").fill("Đồng ý trình Chủ tịch UBND tỉnh tặng Bằng khen.")
    press(page, box.get_by_test_id("act-submit"))

    expect_back_in_inbox_without(page, nomination, APPROVED)
    page.goto(f"/nominations/{nomination.pk}/")
    expect(status(page)).to_have_text(AWAITS)
    expect(page.get_by_test_id("holder")).to_contain_text(PROVINCE)
    expect(page.get_by_test_id("timeline")).to_contain_text("Đồng ý trình Chủ tịch UBND tỉnh tặng Bằng khen.")
    shot(page, "persona-ubnd.lanhdao-approved")

    nomination.refresh_from_db()
    assert (nomination.step, nomination.status, nomination.holder.code) == (
        Step.AWAITING_DECISION, NominationStatus.AWAITING_DECISION, "UBND-DN"
    )  # fmt: skip
    action = NominationAction.objects.filter(nomination=nomination).latest("pk")
    assert (action.step, action.outcome, action.actor.username) == (
        Step.LEADER_APPROVAL, Outcome.APPROVED, "ubnd.lanhdao"
    )  # fmt: skip


def test_ministry_liaison_sees_the_nomination_awaiting_the_ministry_and_has_nothing_to_act_on(page: Page, demo, shot):
    # The Ministry's decision is recorded in a later issue; until then the liaison can only follow it.
    nomination = Nomination.objects.get(holder__code="BCA", step=Step.AWAITING_DECISION)

    log_in(page, "bca.lienlac", demo)
    page.goto(f"/nominations/{nomination.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(nomination.name)
    expect(status(page)).to_have_text(AWAITS)
    expect(page.get_by_test_id("holder")).to_contain_text(MINISTRY)
    expect(page.get_by_test_id("act")).to_have_count(0)
    expect(page.get_by_test_id("assignment")).to_have_count(0)
    page.goto("/nominations/")
    expect(page.get_by_test_id("inbox-empty")).to_have_text("Không có hồ sơ nào chờ bạn xử lý.")
    shot(page, "persona-bca.lienlac-inbox")

    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.AWAITING_DECISION and nomination.holder.code == "BCA"


# ---------------------------------------------------------------------------------------------------
# The administrator
# ---------------------------------------------------------------------------------------------------


def test_administrator_changes_a_steps_time_limit_in_the_admin(page: Page, demo, shot):
    rule = AwardStep.objects.get(award_type__code="GK-CAT", step=Step.POLICE_APPRAISAL)
    tier = rule.award_type
    new_limit = (rule.time_limit_days or 0) + 3

    log_in(page, "quantri", demo)
    page.goto("/admin/")
    page.get_by_role("link", name="Hình thức khen thưởng", exact=True).click()
    page.get_by_role("link", name=tier.name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/admin/awards/awardtype/{tier.pk}/change/$"))

    # The inline row whose step is the police appraisal.
    inline_steps = page.locator('select[name^="step_rules-"][name$="-step"]')
    expect(inline_steps.first).to_be_visible()
    steps = inline_steps.evaluate_all("els => els.map(e => [e.name, e.value])")
    name = next(n for n, value in steps if value == Step.POLICE_APPRAISAL)
    limit = page.locator(f'input[name="{name.removesuffix("-step")}-time_limit_days"]')
    expect(limit).to_have_value(str(rule.time_limit_days or ""))
    limit.fill(str(new_limit))
    press(page, page.locator('input[type="submit"][name="_save"]'))

    expect(page).to_have_url(re.compile(r"/admin/awards/awardtype/$"))
    expect(page.locator("ul.messagelist")).to_have_text(
        f"Hình thức khen thưởng “{tier.name}” đã được thay đổi thành công."
    )
    shot(page, "persona-quantri-time-limit")
    page.get_by_role("link", name=tier.name, exact=True).first.click()  # the message links the tier too
    expect(page.locator(f'input[name="{name.removesuffix("-step")}-time_limit_days"]')).to_have_value(str(new_limit))

    rule.refresh_from_db()
    assert rule.time_limit_days == new_limit
