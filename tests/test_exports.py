"""Exports read back: a unit's report as DOCX and PDF, the figures as XLSX, the draft summary as DOCX."""

import io

import docx
import openpyxl
import pypdf
import pytest

from tests.test_consolidation import world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_units_report_downloads_as_docx_and_pdf_with_its_answers(org, world):  # noqa: F811
    report = world.reports.get(unit=org.units["a"])
    client = org.client("officer_a")
    response = client.get(f"/reports/{report.pk}/report.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = docx_text(response.content)
    assert "CÔNG TY CỔ PHẦN AN BÌNH" in text and "BÁO CÁO" in text
    assert "Tổ chức bao nhiêu buổi tuyên truyền trong cơ quan, doanh nghiệp, nhà trường?" in text
    assert "40 buổi." in text and "3.200 lượt người." in text
    pdf = pypdf.PdfReader(io.BytesIO(client.get(f"/reports/{report.pk}/report.pdf").content))
    pdf_text = "".join(page.extract_text() for page in pdf.pages)
    assert "CÔNG TY CỔ PHẦN AN" in pdf_text and "3.200 lượt người." in pdf_text  # the name wraps in the header
    fonts = {font for page in pdf.pages for font in page["/Resources"]["/Font"].values()}
    assert all("LiberationSerif" in f.get_object()["/BaseFont"] for f in fonts)


def test_another_unit_cannot_download_the_report(org, world):  # noqa: F811
    report = world.reports.get(unit=org.units["a"])
    for persona in ("officer_b", "district", "admin"):
        assert org.client(persona).get(f"/reports/{report.pk}/report.docx").status_code == 403, persona
        assert org.client(persona).get(f"/reports/{report.pk}/report.pdf").status_code == 403, persona


def test_the_consolidated_figures_download_as_xlsx_with_the_totals(org, world):  # noqa: F811
    response = org.client("police").get(f"/campaigns/{world.pk}/consolidation.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tổng hợp", "Theo năm", "Tình hình báo cáo"]
    rows = {row[0]: row for row in book["Tổng hợp"].iter_rows(values_only=True) if row and row[0]}
    assert rows["II.1.h"][3] == 142 and rows["I.2.b"][3:5] == (13, 15)
    years = {row[0]: row for row in book["Theo năm"].iter_rows(values_only=True) if row and row[0]}
    header = next(row for row in book["Theo năm"].iter_rows(values_only=True) if row and row[0] == "Mã")
    assert years["II.4.a"][header.index("2016")] == 16
    board = [row for row in book["Tình hình báo cáo"].iter_rows(values_only=True) if row and isinstance(row[0], int)]
    assert ("Công ty Cổ phần An Bình", "Đã tiếp nhận") in {(row[1], row[3]) for row in board}
    assert org.client("officer_a").get(f"/campaigns/{world.pk}/consolidation.xlsx").status_code == 403


def test_the_draft_summary_report_fills_the_outline_with_the_provincial_totals(org, world):  # noqa: F811
    response = org.client("police").get(f"/campaigns/{world.pk}/summary.docx")
    text = docx_text(response.content)
    assert "CÔNG AN TỈNH THỬ" in text
    assert "Toàn tỉnh: 142 buổi." in text
    assert "[Nội dung do đơn vị hoàn thiện]" in text  # narratives are left for the police to write
    assert org.client("district").get(f"/campaigns/{world.pk}/summary.docx").status_code == 403


PLAN_181_TITLE = (
    "Tổng kết 10 năm thực hiện Chỉ thị số 07/CT-BCA-V28 ngày 18/8/2014 của Bộ Công an về “Đẩy mạnh phong trào "
    "toàn dân bảo vệ an ninh Tổ quốc trong cơ quan, doanh nghiệp, nhà trường đáp ứng yêu cầu, nhiệm vụ bảo đảm an "
    "ninh, trật tự trong tình hình mới” (2014 - 2024)"
)


def test_a_report_of_a_campaign_with_plan_181s_long_title_downloads_as_docx(org, world):  # noqa: F811
    assert len(PLAN_181_TITLE) > 255  # python-docx refuses a core property longer than 255 characters
    report = world.reports.get(unit=org.units["a"])
    report.campaign.title = PLAN_181_TITLE
    report.campaign.save(update_fields=["title"])
    response = org.client("officer_a").get(f"/reports/{report.pk}/report.docx")
    assert response.status_code == 200
    subject = docx.Document(io.BytesIO(response.content)).core_properties.subject
    assert len(subject) == 255 and subject.endswith("…") and PLAN_181_TITLE.startswith(subject[:-1])
