"""One real task per demo persona, in the browser, on the seeded demo nominations (`awards/demo/nominations.py`).

Each persona logs in on the login page, finds their work as the demo leaves it (the test looks it up in the
database, then drives the screens to it), does it, and the test checks what the person sees afterwards
(status, holder, message) and what the database now holds. The `demo` fixture reseeds for every test.
"""

import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from awards.models import (
    AwardStep,
    Campaign,
    Dossier,
    HandOff,
    Nomination,
    NominationAction,
    NominationFile,
    NominationFileKind,
    NominationStatus,
    NomineeKind,
    Outcome,
    Report,
    Step,
)
from tests.e2e.test_report_journey import log_in, press
from tests.test_attachments import pdf_bytes

# Biên Hòa's committee closed on 30/6/2025; its officer and head, and its open Plan 181 files, moved to the ward
# that took them (the 2025 reorganisation, awards/demo/reorganisation.py).
TRAN_BIEN, WARD = "Ủy ban nhân dân phường Trấn Biên", "UBND-P-TRANBIEN"
BINH_AN, COMMUNE = "Ủy ban nhân dân xã Bình An", "UBND-X-BINHAN"
TIN_NGHIA = "Tổng Công ty Tín Nghĩa"
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
POLICE_APPRAISE = "Công an tỉnh thẩm định"
APPROVED = "Đồng ý"  # the outcome's label, also the message after acting
GIAY_KHEN = "Giấy khen của Giám đốc Công an tỉnh"


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


def open_from_campaign(page: Page, campaign: Campaign, nomination: Nomination) -> None:
    """The nominating unit's way in: the campaign's nominations, then the nomination's name."""
    page.goto(f"/campaigns/{campaign.pk}/nominations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đề nghị khen thưởng")
    page.get_by_test_id("nomination-table").get_by_role("link", name=nomination.name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/nominations/{nomination.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(nomination.name)


def start_nomination(page: Page, campaign: Campaign, tier: str, kind: str) -> None:
    """From the campaign's nominations to a new nomination's form, with its tier and kind chosen."""
    page.goto(f"/campaigns/{campaign.pk}/nominations/")
    page.get_by_test_id("new-nomination").click()
    expect(page).to_have_url(re.compile(rf"/campaigns/{campaign.pk}/nominations/new/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đề nghị khen thưởng mới")
    form = page.get_by_test_id("nomination-form")
    form.locator("#id_award_type").select_option(label=tier)
    form.get_by_label(kind, exact=True).check()


def log_out(page: Page) -> None:
    press(page, page.get_by_test_id("logout"))
    expect(page.locator("#id_username")).to_be_visible()


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
    draft = Nomination.objects.get(campaign=campaign, unit__code=WARD, step=Step.PREPARE,
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
    expect(messages(page)).to_contain_text("cho thủ trưởng đơn vị để ký gửi hồ sơ.")
    expect(status(page)).to_have_text(BEING_PREPARED)
    expect(step_line(page)).to_have_text(HEAD_SUBMITS)
    expect(page.get_by_test_id("holder")).to_contain_text(TRAN_BIEN)
    expect(page.get_by_test_id("prepared")).to_have_count(0)
    shot(page, "persona-canbo.bienhoa-handed-to-head")

    draft.refresh_from_db()
    assert draft.position == new_position
    assert (draft.step, draft.status, draft.holder.code) == (Step.SUBMIT, NominationStatus.DRAFT, WARD)


def test_unit_head_sends_a_dossier_with_the_council_minutes(page: Page, demo, shot):
    campaign = plan_181()
    waiting = Nomination.objects.get(campaign=campaign, holder__code=WARD, step=Step.SUBMIT,
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
    form.locator("#id_date").fill(timezone.localdate().strftime("%d/%m/%Y"))  # the ward exists since 01/7/2025
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
    expect(messages(page)).to_contain_text(re.compile(r"Đã gửi hồ sơ \S+ đến Công an tỉnh Đồng Nai với 1 đề nghị\."))
    expect(page.get_by_role("link", name="Biên bản họp Hội đồng Thi đua – Khen thưởng", exact=True)).to_be_visible()
    shot(page, "persona-thutruong.bienhoa-dossier-sent")
    page.get_by_role("link", name=waiting.name, exact=True).click()
    expect(status(page)).to_have_text(UNDER_REVIEW)
    expect(step_line(page)).to_have_text("Công an tỉnh thẩm định")
    expect(page.get_by_test_id("holder")).to_contain_text(POLICE)
    expect(page.get_by_test_id("nomination-facts")).to_contain_text(number)

    dossier = Dossier.objects.get(campaign=campaign, unit__code=WARD, number=number)
    assert dossier.award_type == tier and dossier.submitted_by.username == "thutruong.bienhoa"
    assert (dossier.council_members, dossier.council_present, dossier.votes_for) == (7, 7, 6)
    assert dossier.files.filter(kind=NominationFileKind.MINUTES).count() == 1
    waiting.refresh_from_db()
    assert waiting.dossier == dossier
    assert (waiting.step, waiting.status, waiting.holder.code) == (
        Step.POLICE_APPRAISAL, NominationStatus.IN_REVIEW, "CA-DN"
    )  # fmt: skip


def test_enterprise_officer_proposes_a_person_and_the_head_sends_the_dossier(page: Page, demo, shot):
    campaign = plan_181()
    evidence = Report.objects.get(campaign=campaign, unit__code="DN-TINNGHIA")
    assert evidence.accepted_version_id is not None  # Tín Nghĩa's report was accepted (late)
    name, position = "Trần Quốc Việt", "Tổ trưởng Tổ Bảo vệ Cảng Phước An"
    id_number = "075085006271"  # Đồng Nai (075), a man born in the 1900s (0), in 1985 (85)
    number = "20/TTr-TCT"

    # The officer writes the nomination.
    log_in(page, "canbo.tinnghia", demo)
    start_nomination(page, campaign, GIAY_KHEN, "Cá nhân")
    form = page.get_by_test_id("nomination-form")
    form.locator("#id_name").fill(name)
    form.locator("#id_gender").select_option(label="Nam")
    form.locator("#id_birth_date").fill("14/03/1985")
    form.locator("#id_position").fill(position)
    form.locator("#id_workplace").fill(TIN_NGHIA)
    form.locator("#id_id_number").fill("075 085 006 271")  # typed in groups, stored as 12 digits
    form.locator("#id_achievement").fill(
        "Có thành tích xuất sắc trong công tác bảo vệ an ninh, trật tự tại doanh nghiệp (2014 - 2024)"
    )
    press(page, form.get_by_role("button", name="Lưu", exact=True))

    nomination = Nomination.objects.get(campaign=campaign, unit__code="DN-TINNGHIA", name=name)
    expect(page).to_have_url(re.compile(rf"/nominations/{nomination.pk}/$"))
    expect(messages(page)).to_contain_text("Đã lưu đề nghị khen thưởng.")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(status(page)).to_have_text(BEING_PREPARED)
    facts = page.get_by_test_id("nomination-facts")
    expect(facts).to_contain_text(GIAY_KHEN)
    expect(facts).to_contain_text(position)
    expect(page.get_by_test_id("id-number")).to_have_text(id_number)
    expect(page.get_by_test_id("birth-date")).to_have_text("14/03/1985")
    expect(page.get_by_test_id("evidence")).to_have_text(f"{TIN_NGHIA} · phiên bản {evidence.accepted_version.number}")
    expect(page.get_by_test_id("problem")).to_have_count(0)  # nothing stops it from being sent
    press(page, page.get_by_test_id("prepared"))
    expect(messages(page)).to_contain_text("cho thủ trưởng đơn vị để ký gửi hồ sơ.")
    expect(step_line(page)).to_have_text(HEAD_SUBMITS)
    shot(page, "persona-canbo.tinnghia-handed-to-head")
    log_out(page)

    # The head sends it with the council's minutes; nothing else of the tier goes with it.
    log_in(page, "thutruong.tinnghia", demo)
    page.goto(f"/campaigns/{campaign.pk}/nominations/")
    page.get_by_role("link", name=f"Gửi hồ sơ đề nghị: {GIAY_KHEN}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Gửi hồ sơ đề nghị: {GIAY_KHEN}")
    form = page.get_by_test_id("dossier-form")
    ours = form.get_by_label(f"{name} – Cá nhân", exact=True)
    expect(ours).to_be_checked()
    for box in form.locator('input[name="nominations"]').all():
        if box.get_attribute("value") != str(nomination.pk):
            box.uncheck()
    expect(form.locator('input[name="nominations"]:checked')).to_have_count(1)
    form.locator("#id_number").fill(number)
    form.locator("#id_signer").fill("Võ Minh Khang")
    form.locator("#id_signer_title").fill("Tổng Giám đốc")
    form.locator("#id_council_members").fill("9")
    form.locator("#id_council_present").fill("8")
    form.locator("#id_votes_for").fill("8")
    form.locator("#id_minutes").set_input_files(
        files=[{"name": "bien-ban-hop-hoi-dong-tct.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    press(page, form.get_by_role("button", name="Ký và gửi", exact=True))

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {number}")
    expect(messages(page)).to_contain_text(re.compile(r"Đã gửi hồ sơ \S+ đến Công an tỉnh Đồng Nai với 1 đề nghị\."))
    expect(page.get_by_text(re.compile(r"^\d+ ngày trễ hạn$"))).to_be_visible()  # the deadline was 15/8/2024
    expect(page.get_by_role("link", name="Biên bản họp Hội đồng Thi đua – Khen thưởng", exact=True)).to_be_visible()
    shot(page, "persona-thutruong.tinnghia-dossier-sent")
    page.get_by_role("link", name=name, exact=True).click()
    expect(status(page)).to_have_text(UNDER_REVIEW)
    expect(step_line(page)).to_have_text(POLICE_APPRAISE)
    expect(page.get_by_test_id("holder")).to_contain_text(POLICE)
    expect(page.get_by_test_id("nomination-facts")).to_contain_text(number)

    nomination.refresh_from_db()
    assert (nomination.kind, nomination.gender, nomination.id_number) == (NomineeKind.INDIVIDUAL, "male", id_number)
    assert nomination.created_by.username == "canbo.tinnghia" and nomination.award_type.code == "GK-CAT"
    assert nomination.evidence_version_id == evidence.accepted_version_id
    assert (nomination.step, nomination.status, nomination.holder.code) == (
        Step.POLICE_APPRAISAL, NominationStatus.IN_REVIEW, "CA-DN"
    )  # fmt: skip
    dossier = Dossier.objects.get(campaign=campaign, unit__code="DN-TINNGHIA", number=number)
    assert nomination.dossier == dossier and list(dossier.nominations.all()) == [nomination]
    assert dossier.submitted_by.username == "thutruong.tinnghia" and dossier.late_days >= 1
    assert (dossier.council_members, dossier.council_present, dossier.votes_for) == (9, 8, 8)
    assert dossier.files.filter(kind=NominationFileKind.MINUTES).count() == 1
    handed = NominationAction.objects.get(nomination=nomination, outcome=Outcome.HANDED)
    assert handed.actor.username == "canbo.tinnghia"


def test_commune_officer_proposes_a_collective_whose_evidence_is_its_own_report(page: Page, demo, shot):
    """Since 01/7/2025 a commune takes part itself (no district): xã Bình An's report was accepted by the
    police in the current campaign, and it is the evidence of the collective its officer proposes."""
    campaign = Campaign.objects.exclude(pk=plan_181().pk).get()
    own_report = Report.objects.get(campaign=campaign, unit__code=COMMUNE)
    assert own_report.accepted_version_id is not None and own_report.reviewer.code == "CA-DN"
    name = "Công an xã Bình An"

    log_in(page, "canbo.xabinhan", demo)
    expect(page.get_by_test_id("who-role")).to_contain_text(BINH_AN)
    start_nomination(page, campaign, GIAY_KHEN, "Tập thể")
    form = page.get_by_test_id("nomination-form")
    form.locator("#id_name").fill(name)
    expect(form.locator("#id_parent_unit option:checked")).to_have_text(BINH_AN)  # the officer's own commune
    form.locator("#id_women_percent").fill("18")
    form.locator("#id_achievement").fill(
        "Có thành tích xuất sắc trong xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc trên địa bàn xã"
    )
    press(page, form.get_by_role("button", name="Lưu", exact=True))

    nomination = Nomination.objects.get(campaign=campaign, name=name)
    expect(page).to_have_url(re.compile(rf"/nominations/{nomination.pk}/$"))
    expect(messages(page)).to_contain_text("Đã lưu đề nghị khen thưởng.")
    expect(status(page)).to_have_text(BEING_PREPARED)
    facts = page.get_by_test_id("nomination-facts")
    expect(facts.locator("dt", has_text="Thuộc đơn vị").locator("xpath=following-sibling::dd[1]")).to_have_text(BINH_AN)
    evidence_row = facts.locator("dt", has_text="Báo cáo làm căn cứ").locator("xpath=following-sibling::dd[1]")
    expect(evidence_row).to_have_text(f"{BINH_AN} · phiên bản {own_report.accepted_version.number}")
    expect(page.get_by_test_id("problem")).to_have_count(0)  # its own report is accepted: ready to send
    shot(page, "persona-canbo.xabinhan-collective")

    assert (nomination.kind, nomination.unit.code, nomination.parent_unit.code) == (
        NomineeKind.COLLECTIVE, COMMUNE, COMMUNE
    )  # fmt: skip
    assert nomination.women_percent == 18 and nomination.award_type.code == "GK-CAT"
    assert nomination.evidence_report == own_report
    assert nomination.evidence_version_id == own_report.accepted_version_id
    assert (nomination.step, nomination.status, nomination.holder.code) == (
        Step.PREPARE, NominationStatus.DRAFT, COMMUNE
    )  # fmt: skip


def test_unit_officer_attaches_the_achievement_report_and_downloads_it_back(page: Page, demo, shot):
    campaign = plan_181()
    draft = Nomination.objects.get(campaign=campaign, unit__code="NH-AGRIBANK-DN", step=Step.PREPARE,
                                   status=NominationStatus.DRAFT)  # fmt: skip
    assert not draft.files.exists()
    filename = "bao-cao-thanh-tich-phong-kiem-tra.pdf"
    content = pdf_bytes()

    log_in(page, "canbo.agribank", demo)
    open_from_campaign(page, campaign, draft)
    expect(page.get_by_role("heading", name="Tệp đính kèm", exact=True)).to_be_visible()
    expect(page.get_by_text("Chưa có tệp đính kèm.", exact=True)).to_be_visible()
    form = page.get_by_test_id("file-form")
    form.locator("#id_kind").select_option(label="Báo cáo thành tích")
    form.locator("#id_file").set_input_files(
        files=[{"name": filename, "mimeType": "application/pdf", "buffer": content}]
    )
    press(page, form.get_by_role("button", name="Đính kèm", exact=True))

    expect(page).to_have_url(re.compile(rf"/nominations/{draft.pk}/$"))
    expect(messages(page)).to_contain_text(f"Đã đính kèm “{filename}”.")
    files = page.get_by_test_id("files")
    expect(files.locator("li")).to_have_count(1)
    expect(files).to_contain_text("(Báo cáo thành tích,")
    shot(page, "persona-canbo.agribank-file-attached")

    with page.expect_download() as download_info:
        files.get_by_role("link", name=filename, exact=True).click()
    download = download_info.value
    assert download.suggested_filename == filename
    with open(download.path(), "rb") as handle:
        downloaded = handle.read()
    assert downloaded.startswith(b"%PDF-") and downloaded == content

    stored = NominationFile.objects.get(nomination=draft)
    assert (stored.kind, stored.original_name, stored.size) == (NominationFileKind.ACHIEVEMENT, filename, len(content))
    assert stored.content_type == "application/pdf" and stored.uploaded_by.username == "canbo.agribank"
    draft.refresh_from_db()
    assert (draft.step, draft.status) == (Step.PREPARE, NominationStatus.DRAFT)  # attaching changes nothing else


# ---------------------------------------------------------------------------------------------------
# The agencies
# ---------------------------------------------------------------------------------------------------


def test_police_reviewer_takes_a_giay_khen_from_the_inbox_and_approves_it(page: Page, demo, shot):
    nomination = Nomination.objects.get(campaign=plan_181(), holder__code="CA-DN", step=Step.POLICE_APPRAISAL,
                                        award_type__code="GK-CAT", kind=NomineeKind.INDIVIDUAL,
                                        status=NominationStatus.IN_REVIEW)  # fmt: skip
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
    # A Giấy khen goes to the director with the appraising office's tờ trình, the one the decision cites.
    fill_handoff(page, "130/TTr-PV01", "Đỗ Minh Khoa", "Trưởng phòng Tham mưu")

    expect_back_in_inbox_without(page, nomination, f"Đã chuyển “{nomination.name}” đến Công an tỉnh")
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
    assert (action.handoff.number, action.handoff.from_unit, action.handoff.to_unit) == (
        "130/TTr-PV01", nomination.holder, nomination.holder
    )  # fmt: skip


def test_police_director_signs_the_forwarding_to_the_ministry(page: Page, demo, shot):
    nomination = Nomination.objects.get(holder__code="CA-DN", step=Step.MINISTRY_FORWARD)
    number = "121/TTr-CAT-PV01"

    log_in(page, "congan.giamdoc", demo)
    open_from_inbox(page, nomination)
    expect(step_line(page)).to_have_text("Giám đốc Công an tỉnh ký trình Bộ Công an")
    expect(page.get_by_test_id("act")).to_contain_text("Đồng ý và trình tiếp, kèm tờ trình của cơ quan bạn")
    fill_handoff(page, number, "Huỳnh Văn Tài", "Giám đốc Công an tỉnh")

    expect_back_in_inbox_without(page, nomination, f"Đã chuyển “{nomination.name}” đến")
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


def test_acting_deputy_director_approves_a_giay_khen_for_the_director(page: Page, demo, shot):
    nomination = Nomination.objects.get(holder__code="CA-DN", step=Step.DIRECTOR_APPROVAL,
                                        award_type__code="GK-CAT", status=NominationStatus.IN_REVIEW)  # fmt: skip
    assert nomination.assignee is None

    log_in(page, "congan.phogiamdoc", demo)
    # The acting membership is the deputy's only role, so it is the one in use; no role switcher.
    expect(page.get_by_test_id("who")).to_contain_text("Lý Văn Phúc")
    expect(page.get_by_test_id("who-role")).to_have_text("Lãnh đạo Công an tỉnh · Công an tỉnh Đồng Nai")
    expect(page.get_by_test_id("who-acting")).to_have_text("Làm thay Huỳnh Văn Tài")
    expect(page.get_by_role("heading", name="Làm việc với vai trò", exact=True)).to_have_count(0)

    open_from_inbox(page, nomination)
    expect(status(page)).to_have_text(UNDER_REVIEW)
    expect(step_line(page)).to_have_text(DIRECTOR_APPROVES)
    box = page.get_by_test_id("act")
    expect(box.get_by_role("heading", level=2)).to_have_text(DIRECTOR_APPROVES)
    expect(page.get_by_test_id("handoff-form")).to_have_count(0)  # the director's Giấy khen goes nowhere else
    box.get_by_label(APPROVED, exact=True).check()
    box.locator("#id_comment").fill("Đồng ý tặng Giấy khen của Giám đốc Công an tỉnh.")
    press(page, box.get_by_test_id("act-submit"))

    expect_back_in_inbox_without(page, nomination, f"Đã đồng ý “{nomination.name}”")
    page.goto(f"/nominations/{nomination.pk}/")
    expect(status(page)).to_have_text(AWAITS)
    expect(page.get_by_test_id("holder")).to_contain_text(POLICE)
    # Awaiting the director's decision: issued from Award decisions; here only a return or a refusal is offered.
    expect(page.get_by_test_id("awaiting-note")).to_be_visible()
    expect(page.locator("input[name=outcome][value=approved]")).to_have_count(0)
    entry = page.get_by_test_id("timeline").locator("li", has_text=f"{DIRECTOR_APPROVES} – {APPROVED}")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(f"{POLICE}, Lý Văn Phúc (làm thay Huỳnh Văn Tài)")
    expect(entry).to_contain_text("Đồng ý tặng Giấy khen của Giám đốc Công an tỉnh.")
    shot(page, "persona-congan.phogiamdoc-approved")

    nomination.refresh_from_db()
    assert (nomination.step, nomination.status, nomination.holder.code) == (
        Step.AWAITING_DECISION, NominationStatus.AWAITING_DECISION, "CA-DN"
    )  # fmt: skip
    action = NominationAction.objects.filter(nomination=nomination).latest("pk")
    assert (action.step, action.outcome, action.actor.username, action.on_behalf_of.username) == (
        Step.DIRECTOR_APPROVAL, Outcome.APPROVED, "congan.phogiamdoc", "congan.giamdoc"
    )  # fmt: skip


def test_home_affairs_reviewer_sends_a_chairmans_nomination_on_to_the_chairman(page: Page, demo, shot):
    nomination = Nomination.objects.get(holder__code="SNV-DN", step=Step.HOME_AFFAIRS_APPRAISAL,
                                        award_type__code="BK-UBND", status=NominationStatus.IN_REVIEW)  # fmt: skip
    number = "46/TTr-SNV"

    log_in(page, "noivu.canbo", demo)
    open_from_inbox(page, nomination)
    expect(status(page)).to_have_text(UNDER_REVIEW)
    expect(step_line(page)).to_have_text("Sở Nội vụ thẩm định")
    fill_handoff(page, number, "Nguyễn Văn Hiền", "Giám đốc Sở Nội vụ")

    expect_back_in_inbox_without(page, nomination, f"Đã chuyển “{nomination.name}” đến")
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

    expect_back_in_inbox_without(page, nomination, f"Đã đồng ý “{nomination.name}”")
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


def test_ministry_liaison_sees_the_nomination_awaiting_the_ministry_and_may_only_return_or_refuse_it(
    page: Page, demo, shot
):
    # The Ministry's award is recorded with its decision (Award decisions); on the nomination's page the liaison
    # may only return it to the police director or record the Ministry's refusal.
    nomination = Nomination.objects.filter(holder__code="BCA", step=Step.AWAITING_DECISION).order_by("pk").first()

    log_in(page, "bca.lienlac", demo)
    page.goto(f"/nominations/{nomination.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(nomination.name)
    expect(status(page)).to_have_text(AWAITS)
    expect(page.get_by_test_id("holder")).to_contain_text(MINISTRY)
    expect(page.get_by_test_id("awaiting-note")).to_be_visible()
    expect(page.locator("input[name=outcome][value=approved]")).to_have_count(0)
    expect(page.locator("input[name=outcome][value=returned]")).to_have_count(1)
    expect(page.locator("input[name=outcome][value=rejected]")).to_have_count(1)
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
