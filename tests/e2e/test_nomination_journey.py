"""In the browser: a unit nominates a collective and two individuals across the three tiers, and every
route runs to "awaits decision", including a return and a resubmission; each agency acts in its turn."""

import re

from playwright.sync_api import Page, expect

from awards.models import Campaign, Nomination
from tests.e2e.test_report_journey import log_in, press
from tests.test_attachments import pdf_bytes

OFFICER, HEAD = "canbo.longkhanh", "thutruong.longkhanh"  # Long Khánh's Plan 181 report is accepted
AWAITS = "Chờ quyết định"


def as_user(page: Page, username: str, password: str) -> None:
    page.context.clear_cookies()
    log_in(page, username, password)


def nominate(page: Page, campaign: Campaign, tier: str, kind: str, **fields) -> Nomination:
    page.goto(f"/campaigns/{campaign.pk}/nominations/")
    page.get_by_test_id("new-nomination").click()
    form = page.get_by_test_id("nomination-form")
    form.locator("#id_award_type").select_option(label=tier)
    form.locator(f'input[name="kind"][value="{kind}"]').check()
    for name, value in fields.items():
        element = form.locator(f"#id_{name}")
        if name in ("gender", "parent_unit"):
            element.select_option(label=value)
        else:
            element.fill(value)
    press(page, form.get_by_role("button", name="Lưu", exact=True))
    expect(page.get_by_test_id("nomination-facts")).to_be_visible()
    press(page, page.get_by_test_id("prepared"))  # handed to the unit head
    expect(page.get_by_test_id("nomination-status")).to_have_text("Đang chuẩn bị")
    return Nomination.objects.get(pk=int(re.search(r"/nominations/(\d+)/", page.url).group(1)))


def send_dossier(page: Page, campaign: Campaign, tier_name: str, number: str) -> None:
    page.goto(f"/campaigns/{campaign.pk}/nominations/")
    page.get_by_role("link", name=f"Gửi hồ sơ đề nghị: {tier_name}").click()
    form = page.get_by_test_id("dossier-form")
    form.locator("#id_number").fill(number)
    form.locator("#id_date").fill("12/08/2024")
    form.locator("#id_signer").fill("Mai Thị Hồng")
    form.locator("#id_council_members").fill("7")
    form.locator("#id_council_present").fill("7")
    form.locator("#id_votes_for").fill("6")
    form.locator("#id_minutes").set_input_files(
        files=[{"name": "bien-ban-hoi-dong.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    press(page, form.get_by_role("button", name="Ký và gửi", exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)


def act(page: Page, nomination: Nomination, outcome_label: str, comment: str = "") -> None:
    page.goto(f"/nominations/{nomination.pk}/")
    box = page.get_by_test_id("act")
    box.get_by_label(outcome_label, exact=True).check()
    if comment:
        box.locator("#id_comment").fill(comment)
    press(page, box.get_by_test_id("act-submit"))


def hand_off(page: Page, nomination: Nomination, number: str) -> None:
    page.goto(f"/nominations/{nomination.pk}/")
    form = page.get_by_test_id("handoff-form")
    form.locator("#id_number").fill(number)
    form.locator("#id_signer").fill("Người ký")
    press(page, form.get_by_role("button", name="Trình", exact=True))


def status_of(page: Page, nomination: Nomination):
    page.goto(f"/nominations/{nomination.pk}/")
    return page.get_by_test_id("nomination-status")


def test_three_nominees_run_every_route_to_awaiting_decision(page: Page, demo, shot):
    campaign = Campaign.objects.get(plan_number="181")
    as_user(page, OFFICER, demo)
    collective = nominate(page, campaign, "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "collective",
                          name="Công an phường Xuân An", women_percent="40",
                          achievement="Có thành tích xuất sắc trong phong trào toàn dân bảo vệ ANTQ")  # fmt: skip
    person = nominate(page, campaign, "Giấy khen của Giám đốc Công an tỉnh", "individual",
                      name="Trịnh Văn Khải", gender="Nam", birth_date="14/02/1980", position="Chủ tịch UBND phường",
                      workplace="UBND phường Xuân An", id_number="075080123456",
                      achievement="Có thành tích xuất sắc trong 10 năm thực hiện Chỉ thị 07")  # fmt: skip
    second = nominate(page, campaign, "Bằng khen của Bộ trưởng Bộ Công an", "individual",
                      name="Lương Thị Diệu", gender="Nữ", birth_date="03/09/1987", position="Công chức Tư pháp",
                      workplace="UBND phường Suối Tre", achievement="Tiêu biểu trong xây dựng mô hình an ninh")  # fmt: skip
    shot(page, "nomination-created")
    as_user(page, HEAD, demo)
    send_dossier(page, campaign, "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "31/TTr-UBND")
    send_dossier(page, campaign, "Giấy khen của Giám đốc Công an tỉnh", "32/TTr-UBND")
    send_dossier(page, campaign, "Bằng khen của Bộ trưởng Bộ Công an", "33/TTr-UBND")
    expect(page.get_by_text("trễ hạn").first).to_be_visible()  # the 2024 deadline has passed

    # The police: send the Giấy khen to the director with the office's tờ trình, return the collective, send
    # the Ministry's on with a tờ trình.
    as_user(page, "congan.canbo", demo)
    page.goto("/nominations/")
    expect(page.get_by_test_id("inbox-table")).to_contain_text("Công an phường Xuân An")
    hand_off(page, person, "139/TTr-PV01")
    act(page, collective, "Trả lại để chỉnh sửa", comment="Bổ sung tỷ lệ nữ theo danh sách cán bộ")
    hand_off(page, second, "140/TTr-CAT-PV01")

    # The unit revises the returned collective and sends it back up: it returns to the police.
    as_user(page, OFFICER, demo)
    page.goto(f"/nominations/{collective.pk}/")
    expect(page.get_by_test_id("timeline")).to_contain_text("Bổ sung tỷ lệ nữ theo danh sách cán bộ")
    page.get_by_role("link", name="Sửa", exact=True).click()
    page.locator("#id_women_percent").fill("72")
    press(page, page.get_by_role("button", name="Lưu", exact=True))
    press(page, page.get_by_test_id("prepared"))
    as_user(page, HEAD, demo)
    page.goto(f"/nominations/{collective.pk}/")
    press(page, page.get_by_test_id("resubmit"))
    expect(page.get_by_test_id("holder")).to_contain_text("Công an tỉnh Đồng Nai")

    as_user(page, "congan.canbo", demo)
    hand_off(page, collective, "141/TTr-CAT-PV01")
    as_user(page, "congan.giamdoc", demo)
    act(page, person, "Đồng ý")
    as_user(page, "noivu.canbo", demo)
    hand_off(page, collective, "52/TTr-SNV")
    act(page, second, "Đồng ý")
    as_user(page, "ubnd.lanhdao", demo)
    act(page, collective, "Đồng ý")
    as_user(page, "congan.giamdoc", demo)
    hand_off(page, second, "150/TTr-CAT")
    for nomination in (collective, person, second):
        expect(status_of(page, nomination)).to_have_text(AWAITS)
    shot(page, "nomination-awaiting-decision")
    page.goto(f"/nominations/{second.pk}/")
    expect(page.get_by_test_id("holder")).to_contain_text("Bộ Công an")
