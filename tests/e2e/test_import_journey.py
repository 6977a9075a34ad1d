"""In the browser: an officer downloads the import template, fills it with openpyxl, uploads it, sees the row with an
impossible date, corrects the file and uploads it again, confirms, follows the job and finds the nominations in
the campaign's list. The job runs in-process on commit, as on the embedded default (tests/test_import_jobs.py runs
it on a real Celery worker)."""

import io

import openpyxl
from playwright.sync_api import Page, expect

from awards.models import Campaign, Nomination
from tests.e2e.test_report_journey import log_in, press

OFFICER = "canbo.bienhoa"
PEOPLE = [
    ["Cá nhân", "Phạm Thị Nhập Một", "Nữ", "05/01/1985", "", "Kế toán viên", "Phòng Tài chính – Kế hoạch", "", "",
     "Hoàn thành xuất sắc nhiệm vụ năm 2024"],
    ["Cá nhân", "Võ Văn Nhập Hai", "Nam", "31/02/1986", "", "Chuyên viên", "Phòng Nội vụ", "", "",
     "Có thành tích xuất sắc trong phong trào"],
]  # fmt: skip


def filled(template: bytes, rows) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    for row in rows:
        workbook["Danh sách"].append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(page: Page, data: bytes) -> None:
    form = page.get_by_test_id("import-form")
    form.locator("#id_file").set_input_files(files=[{"name": "danh-sach.xlsx", "buffer": data,
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])  # fmt: skip
    press(page, page.get_by_test_id("import-upload"))
    expect(page.get_by_test_id("import-rows")).to_be_visible()


def test_an_officer_imports_a_list_fixes_an_error_and_finds_the_nominations(page: Page, demo):
    campaign = Campaign.objects.get(plan_number="181", plan_symbol="KH-UBND")
    log_in(page, OFFICER, demo)
    page.goto(f"/campaigns/{campaign.pk}/nominations/")
    page.get_by_test_id("import-nominees").click()
    with page.expect_download() as download:
        page.get_by_test_id("template-links").get_by_role("link").first.click()
    template = open(download.value.path(), "rb").read()  # noqa: SIM115 - Playwright's temporary file
    assert download.value.suggested_filename.endswith(".xlsx")

    upload(page, filled(template, PEOPLE))
    bad = page.get_by_test_id("import-row-3")
    expect(bad.locator(".cell--error")).to_contain_text("31/02/1986")
    expect(page.get_by_test_id("import-row-2")).not_to_contain_text("31/02")
    assert not Nomination.objects.filter(name__contains="Nhập").exists()  # nothing saved before confirming

    PEOPLE[1][3] = "28/02/1986"  # the officer corrects the date and uploads the file again
    page.get_by_test_id("import-again").click()
    upload(page, filled(template, PEOPLE))
    expect(page.locator(".cell--error")).to_have_count(0)
    press(page, page.get_by_test_id("import-confirm"))
    expect(page.get_by_test_id("import-status")).to_contain_text("2")
    page.get_by_test_id("import-nominations").click()
    table = page.get_by_test_id("nomination-table")
    expect(table).to_contain_text("Phạm Thị Nhập Một")
    expect(table).to_contain_text("Võ Văn Nhập Hai")
    made = Nomination.objects.filter(name__contains="Nhập")
    assert made.count() == 2 and {n.unit.code for n in made} == {Nomination.objects.filter(
        created_by__username=OFFICER).first().unit.code}  # fmt: skip
