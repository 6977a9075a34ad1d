"""In the browser, the whole path: a unit nominates, the police and the director approve, the director drafts
the Giấy khen decision, reads its generated files, issues it with the signed scan, prints the certificates;
the unit is told and downloads its own awardees, and nobody else's."""

import io
import re
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from awards.models import Campaign, Decision, Nomination, NominationStatus, NomineeKind
from awards.selectors.prizes import base_salary_on, round_up
from tests.e2e.test_nomination_journey import (
    HEAD,
    OFFICER,
    act,
    as_user,
    hand_off,
    nominate,
    send_dossier,
    status_of,
)  # fmt: skip
from tests.e2e.test_report_journey import press
from tests.test_attachments import pdf_bytes

GIAY_KHEN = "Giấy khen của Giám đốc Công an tỉnh"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def downloaded(page: Page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    return open(info.value.path(), "rb").read()


def test_a_nominee_runs_from_nomination_to_issued_decision_and_certificate(page: Page, demo, media, shot):
    campaign = Campaign.objects.get(plan_number="181")
    as_user(page, OFFICER, demo)
    person = nominate(page, campaign, GIAY_KHEN, "individual", name="Trịnh Văn Khải", gender="Nam",
                      birth_date="14/02/1980", position="Chủ tịch UBND phường", workplace="UBND phường Xuân An",
                      id_number="075080123456", achievement="Có thành tích xuất sắc trong 10 năm thực hiện Chỉ thị 07")  # fmt: skip
    as_user(page, HEAD, demo)
    send_dossier(page, campaign, GIAY_KHEN, "32/TTr-UBND")
    as_user(page, "congan.canbo", demo)
    hand_off(page, person, "139/TTr-PV01")  # the appraising office's tờ trình to the director
    as_user(page, "congan.giamdoc", demo)
    act(page, person, "Đồng ý")
    expect(status_of(page, person)).to_have_text("Chờ quyết định")

    # The director drafts the decision from what awaits one (the demo's Biên Hòa and Agribank nominees too).
    waiting = list(Nomination.objects.filter(award_type__code="GK-CAT", status=NominationStatus.AWAITING_DECISION))
    people = sum(n.kind == NomineeKind.INDIVIDUAL for n in waiting)
    teams = len(waiting) - people
    assert people >= 2 and teams >= 1
    page.goto(f"/campaigns/{campaign.pk}/decisions/")
    expect(page.get_by_test_id("decide")).to_contain_text(f"{len(waiting)} hồ sơ chờ quyết định")
    page.get_by_test_id("decision-new-GK-CAT").click()
    form = page.get_by_test_id("decision-form")
    expect(form).to_contain_text("Trịnh Văn Khải")
    form.locator("#id_signer").fill("Huỳnh Văn Tài")
    form.locator("#id_signer_title").fill("Giám đốc")
    form.locator("#id_funding_source").fill("Quỹ thi đua, khen thưởng của Công an tỉnh")
    press(page, form.get_by_role("button", name="Lưu dự thảo", exact=True))
    expect(page.get_by_test_id("decision-title")).to_have_text("Dự thảo quyết định")
    expect(page.get_by_test_id("document-decision_docx")).to_contain_text("Tải về")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(downloaded(
        page, page.get_by_test_id("document-decision_docx").get_by_role("link", name="Tải về")))).paragraphs)  # fmt: skip
    assert "Về việc tặng Giấy khen của Giám đốc Công an tỉnh" in text
    assert f"cho {teams} tập thể và {people} cá nhân" in text
    # the proposals: the office's tờ trình that brought the demo's nominees and the one sent above
    proposal = next(line for line in text.splitlines() if line.startswith("Xét đề nghị"))
    assert "Trưởng phòng Tham mưu Công an tỉnh tại Tờ trình số 121/TTr-PV01 ngày 20 tháng 9 năm 2024" in proposal
    assert "Trưởng phòng Tham mưu Công an tỉnh tại Tờ trình số 139/TTr-PV01" in proposal
    shot(page, "decision-draft")

    # Issued with its number (proposed), the date and the signed scan.
    issue = page.get_by_test_id("issue-form")
    expect(issue.locator("#id_number")).to_have_value("1")
    issue.locator("#id_scan").set_input_files(
        files=[{"name": "qd-01-da-ky.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    press(page, issue.get_by_role("button", name="Ban hành quyết định", exact=True))
    expect(page.get_by_test_id("decision-title")).to_have_text("Quyết định số 01/QĐ-CAT")
    expect(page.get_by_test_id("decision-status")).to_have_text("Đã ban hành")
    # people × 0.3 and collectives × 0.6 × the base salary in force on the decision's date (today), rounded up
    salary = base_salary_on(timezone.localdate()).amount
    total = people * round_up(Decimal("0.3") * salary) + teams * round_up(Decimal("0.6") * salary)
    expect(page.get_by_test_id("decision-total")).to_contain_text(f"{total:,}".replace(",", "."))
    certificates = PdfReader(io.BytesIO(downloaded(
        page, page.get_by_test_id("document-certificates_pdf").get_by_role("link", name="Tải về"))))  # fmt: skip
    pages = [p.extract_text() for p in certificates.pages]
    assert len(pages) == len(waiting) and any("Trịnh Văn Khải" in p and "01/QĐ-CAT" in p for p in pages)
    shot(page, "decision-issued")
    decision = Decision.objects.get()
    assert decision.items.count() == len(waiting) and status_of(page, person).inner_text() == "Đã được khen thưởng"

    # Long Khánh is told, sees its own awardee only, and downloads its list.
    as_user(page, OFFICER, demo)
    page.goto("/notifications/")
    expect(page.get_by_role("main")).to_contain_text("01/QĐ-CAT")
    page.goto(f"/decisions/{decision.pk}/")
    items = page.get_by_test_id("decision-items")
    expect(items).to_contain_text("Trịnh Văn Khải")
    assert items.locator("tbody tr").count() == 1
    # the unit is sent the decision as signed (PDF, scan); the editable files and certificates are the agencies'
    expect(page.get_by_test_id("documents").locator("li")).to_have_count(1)
    expect(page.get_by_test_id("document-decision_pdf")).to_contain_text("Tải về")
    page.goto(f"/campaigns/{campaign.pk}/decisions/")
    workbook = openpyxl.load_workbook(io.BytesIO(downloaded(page, page.get_by_test_id("awardees-xlsx"))))
    rows = [[c.value for c in row] for row in workbook.active.iter_rows()]
    names = [row[2] for row in rows if isinstance(row[0], int)]
    assert names == ["Trịnh Văn Khải"] and any(re.fullmatch(r"01/QĐ-CAT", str(v)) for row in rows for v in row)
    shot(page, "decision-unit-awardees")
