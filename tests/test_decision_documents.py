"""The Quyết định with its Danh sách (awards.documents.decision), read back from DOCX and PDF: the
Decree 30/2020 lines, citations' punctuation, counts, the annex caption, sections, order. No database."""

import io
import unicodedata
from datetime import date

import docx
import pytest
from pypdf import PdfReader

from awards.documents import build_docx, build_pdf
from awards.documents.decision import DecisionText, decision_document, decision_list_document, punctuated_citations
from awards.documents.submission import COLLECTIVE, INDIVIDUAL, Nominee

UNIT = "Công an huyện Nhơn Trạch"
DECISION = DecisionText(
    issuer_superior="BỘ CÔNG AN",
    issuer="CÔNG AN TỈNH ĐỒNG NAI",
    number=5,
    symbol="QĐ-CAT",
    place="Đồng Nai",
    date=date(2025, 1, 5),
    award_title="Giấy khen của Giám đốc Công an tỉnh",
    decider="GIÁM ĐỐC CÔNG AN TỈNH ĐỒNG NAI",
    decider_name="Giám đốc Công an tỉnh Đồng Nai",
    citations=[
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ;",
    ],  # fmt: skip
    proposals=["Trưởng phòng Tham mưu tại Tờ trình số 112/TTr-PV01 ngày 28 tháng 12 năm 2024"],
    achievement="đã có thành tích xuất sắc trong 10 năm thực hiện Chỉ thị 07/CT-BCA-V28",
    nominees=[
        Nominee(INDIVIDUAL, "Lê Văn Đức", "Trưởng Công an xã", UNIT, "Phát hiện 3 vụ trộm cắp", amount=710_000),
        Nominee(
            INDIVIDUAL,
            unicodedata.normalize("NFD", "Trần  Thị Bình "),
            "Cán bộ",
            UNIT,  # decomposed, spaces
            "Tuyên truyền 40 buổi",
            amount=710_000,
        ),
        Nominee(
            COLLECTIVE,
            "Đội Cảnh sát quản lý hành chính về trật tự xã hội",
            unit_name=UNIT,
            achievement="Hoàn thành xuất sắc nhiệm vụ",
            amount=1_410_000,
        ),
    ],
    prize_text="Tiền thưởng: 710.000 đồng mỗi cá nhân, 1.410.000 đồng mỗi tập thể, từ quỹ thi đua, khen thưởng của Công an tỉnh.",
    executors="Chánh Văn phòng Công an tỉnh, Thủ trưởng các đơn vị có liên quan và các tập thể, cá nhân có tên tại Điều 1",
    signer_title="GIÁM ĐỐC",
    signer_name="Nguyễn Văn Giám",
    authority="KT. GIÁM ĐỐC",
    recipients=["Như Điều 3;", "Lưu: VT, PV01."],
)


@pytest.fixture(scope="module")
def word():
    return docx.Document(io.BytesIO(build_docx(decision_document(DECISION))))


def texts(document) -> list[str]:
    found = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            found += [cell.text for cell in row.cells]
    return found


def test_the_decision_reads_as_decree_30_lays_it_out(word):
    every = "\n".join(texts(word))
    for line in ("Số: 05/QĐ-CAT", "Đồng Nai, ngày 05 tháng 01 năm 2025", "QUYẾT ĐỊNH", "QUYẾT ĐỊNH:",
                 "Về việc tặng Giấy khen của Giám đốc Công an tỉnh", "GIÁM ĐỐC CÔNG AN TỈNH ĐỒNG NAI", "Nơi nhận:",
                 "KT. GIÁM ĐỐC", "Nguyễn Văn Giám"):  # fmt: skip
        assert line in every, line
    paragraphs = [p.text for p in word.paragraphs]
    assert (
        "Điều 1. Tặng Giấy khen của Giám đốc Công an tỉnh cho 1 tập thể và 2 cá nhân (có danh sách kèm theo)"
        in "\n".join(paragraphs)
    )
    assert any(p.startswith("Điều 2.") for p in paragraphs) and any(
        p.endswith("thi hành Quyết định này./.") for p in paragraphs
    )
    citations = [p for p in word.paragraphs if p.text.startswith("Căn cứ")]
    assert [p.text[-1] for p in citations] == [";", ";"] and all(p.runs[0].italic for p in citations)
    [proposal] = [p for p in paragraphs if p.startswith("Xét đề nghị")]  # it ends the bases, with a period
    assert proposal.startswith("Xét đề nghị của Trưởng phòng Tham mưu tại Tờ trình số 112/TTr-PV01")
    assert proposal.endswith(".") and paragraphs.index(proposal) == paragraphs.index(citations[-1].text) + 1
    section = word.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297  # A4


def test_the_list_has_its_caption_sections_columns_and_order(word):
    caption = "(Kèm theo Quyết định số 05/QĐ-CAT ngày 05 tháng 01 năm 2025 của Giám đốc Công an tỉnh Đồng Nai)"
    [annex] = [p for p in word.paragraphs if p.text == caption]
    assert annex.runs[0].italic
    headings = [p.text for p in word.paragraphs if p.text in ("I. TẬP THỂ", "II. CÁ NHÂN")]
    assert headings == ["I. TẬP THỂ", "II. CÁ NHÂN"]
    collectives, people = word.tables[-2], word.tables[-1]
    assert [c.text for c in collectives.rows[0].cells] == ["STT", "Tên tập thể", "Đơn vị", "Thành tích",
                                                           "Tiền thưởng (đồng)"]  # fmt: skip
    assert [c.text for c in people.rows[0].cells] == ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Thành tích",
                                                      "Tiền thưởng (đồng)"]  # fmt: skip
    names = [row.cells[1].text for row in people.rows[1:-1]]
    assert names == ["Trần Thị Bình", "Lê Văn Đức"]  # by given name; NFC and single spaces in the file
    assert unicodedata.is_normalized("NFC", names[0])
    assert [c.text for c in people.rows[1].cells[4:]] == ["Tuyên truyền 40 buổi", "710.000"]  # each one's own line
    assert [c.text for c in people.rows[-1].cells] == ["", "Cộng", "", "", "", "1.420.000"]
    assert [c.text for c in collectives.rows[-1].cells][-1] == "1.410.000"
    assert "Tổng cộng: 2.830.000 đồng." in [p.text for p in word.paragraphs]


def test_the_pdf_says_the_same_on_a4_with_a_vietnamese_font():
    data = build_pdf(decision_document(DECISION))
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Số: 05/QĐ-CAT" in text and "QUYẾT ĐỊNH:" in text and "Trần Thị Bình" in text
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]
    fonts = {str(f["/BaseFont"]) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert not any("Helvetica" in f or "Times-Roman" == f.strip("/") for f in fonts)


def test_same_decision_same_bytes_and_no_awardee_is_an_error():
    assert build_docx(decision_document(DECISION)) == build_docx(decision_document(DECISION))
    assert punctuated_citations(["a;", "b.", "c"]) == ["a;", "b;", "c."]
    with pytest.raises(ValueError):
        decision_document(DecisionText(**{**DECISION.__dict__, "nominees": []}))


def test_personal_names_print_with_every_syllable_capitalised():
    typed = DecisionText(**{**DECISION.__dict__, "nominees": [Nominee(INDIVIDUAL, "đặng  VĂN hùng", "Cán bộ", UNIT)]})
    word = docx.Document(io.BytesIO(build_docx(decision_document(typed))))
    assert word.tables[-1].rows[1].cells[1].text == "Đặng Văn Hùng"


def test_the_list_as_xlsx_has_one_sheet_per_section_with_the_caption():
    import openpyxl

    from awards.documents.decision import decision_list_xlsx

    book = openpyxl.load_workbook(io.BytesIO(decision_list_xlsx(DECISION)))
    assert book.sheetnames == ["Tập thể", "Cá nhân"]
    people = book["Cá nhân"]
    assert "(Kèm theo Quyết định số 05/QĐ-CAT ngày 05 tháng 01 năm 2025)" in people["A1"].value
    rows = [row for row in people.iter_rows(min_row=3, values_only=True) if any(row)]
    assert rows == [(1, "Trần Thị Bình", "Cán bộ", UNIT, "Tuyên truyền 40 buổi", 710_000),
                    (2, "Lê Văn Đức", "Trưởng Công an xã", UNIT, "Phát hiện 3 vụ trộm cắp", 710_000),
                    (None, "Cộng", None, None, None, 1_420_000)]  # money as numbers  # fmt: skip
    assert decision_list_xlsx(DECISION) == decision_list_xlsx(DECISION)


def test_margins_fonts_and_page_numbers_follow_decree_30(word):
    from tests.test_documents import _top_margin_text

    section = word.sections[0]
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [20, 20, 30, 15]  # fmt: skip
    assert section.different_first_page_header_footer  # no number on page 1
    fonts = {run.font.name for p in word.paragraphs for run in p.runs if run.font.name}
    assert fonts <= {"Times New Roman"}
    pdf = PdfReader(io.BytesIO(build_pdf(decision_document(DECISION))))
    assert len(pdf.pages) >= 2  # the list starts on a new page
    assert _top_margin_text(pdf.pages[0]) == [] and _top_margin_text(pdf.pages[1]) == ["2"]


def test_the_pdf_pages_render_as_an_a4_decision(tmp_path):
    """Turned into PNG (poppler's pdftoppm): A4 pages, ink in the header and the body, blank margins, the
    page number at the top of page 2 only."""
    import subprocess

    from PIL import Image

    (tmp_path / "qd.pdf").write_bytes(build_pdf(decision_document(DECISION)))
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-png", str(tmp_path / "qd.pdf"), str(tmp_path / "page")],
                   check=True, timeout=60)  # fmt: skip
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2
    first, second = (Image.open(p).convert("L") for p in pages)
    assert abs(first.width / first.height - 210 / 297) < 0.01

    def ink(image, box) -> int:  # dark pixels in a box given in fractions of the page
        w, h = image.size
        region = image.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))
        return sum(region.histogram()[:128])

    assert ink(first, (0.15, 0.06, 0.45, 0.14)) > 50  # issuing body and number, top left
    assert ink(first, (0.5, 0.06, 0.95, 0.14)) > 50  # national title and motto, top right
    assert ink(first, (0.15, 0.3, 0.95, 0.6)) > 500  # citations and articles
    assert ink(first, (0.0, 0.0, 1.0, 0.05)) == 0 and ink(first, (0.0, 0.0, 0.12, 1.0)) == 0  # margins, no number
    assert ink(second, (0.45, 0.0, 0.55, 0.06)) > 0  # "2" at the top centre


def test_the_list_on_its_own_is_the_annex_with_its_caption_and_no_decision():
    document = docx.Document(io.BytesIO(build_docx(decision_list_document(DECISION))))
    found = texts(document)
    assert found[0] == "DANH SÁCH" and "QUYẾT ĐỊNH:" not in found
    assert "(Kèm theo Quyết định số 05/QĐ-CAT ngày 05 tháng 01 năm 2025 của Giám đốc Công an tỉnh Đồng Nai)" in found
    assert [row.cells[1].text for row in document.tables[-1].rows[1:]] == ["Trần Thị Bình", "Lê Văn Đức", "Cộng"]
    pdf = PdfReader(io.BytesIO(build_pdf(decision_list_document(DECISION))))
    assert "Kèm theo Quyết định số 05/QĐ-CAT" in pdf.pages[0].extract_text()


def test_a_300_character_unit_name_wraps_inside_the_page():
    from dataclasses import replace

    long_unit = " ".join(["Phòng Cảnh sát quản lý hành chính về trật tự xã hội"] * 6)[:300]
    decision = replace(DECISION, nominees=[Nominee(INDIVIDUAL, "Lê Văn Đức", "Cán bộ", long_unit)])
    pdf = PdfReader(io.BytesIO(build_pdf(decision_list_document(decision))))
    page = pdf.pages[0]
    width = float(page.mediabox.width)
    right_edge = []

    def visit(text, cm, tm, font, size):
        if text.strip() and font is not None:
            from reportlab.pdfbase.pdfmetrics import stringWidth

            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            face = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
            right_edge.append(x + stringWidth(text.rstrip(), face, size * tm[0]))

    text = page.extract_text(visitor_text=visit)
    assert " ".join(long_unit.split()) in " ".join(text.split())  # all of it, in order
    assert max(right_edge) <= width - 15 * 72 / 25.4 + 1  # within the right margin (15 mm)
    assert sum("Cảnh sát" in line or "trật tự" in line for line in text.splitlines()) >= 5  # wrapped, not cut


def test_a_short_rule_under_the_subject_a_third_to_half_its_line_in_docx_and_pdf(word):
    from docx.oxml.ns import qn

    from awards.documents.typeface import text_width_pt

    paragraphs = list(word.paragraphs)
    [subject] = [p for p in paragraphs if p.text == "Về việc tặng Giấy khen của Giám đốc Công an tỉnh"]
    rule = paragraphs[paragraphs.index(subject) + 1]
    ppr = rule._p.pPr
    assert rule.text == "" and ppr.find(qn("w:pBdr")) is not None  # an empty paragraph with a top border
    ind = ppr.find(qn("w:ind"))
    text_twips = 165 * 1440 / 25.4  # 16.5 cm
    length_pt = (text_twips - int(ind.get(qn("w:left"))) - int(ind.get(qn("w:right")))) / 20
    line_pt = text_width_pt(subject.text, 14, bold=True)
    assert line_pt / 3 <= length_pt <= line_pt / 2
    import re

    content = PdfReader(io.BytesIO(build_pdf(decision_document(DECISION)))).pages[0].get_contents().get_data()
    lines = re.findall(rb"(-?[\d.]+) (-?[\d.]+) m (-?[\d.]+) (-?[\d.]+) l", content)
    lengths = [float(x2) - float(x1) for x1, y1, x2, y2 in lines if y1 == y2]
    assert any(abs(length - 0.4 * line_pt) < 0.5 for length in lengths), lengths  # the same rule in the PDF


def test_the_signature_prints_the_title_without_the_bodys_name():
    from awards.documents.decision import bare_title
    from awards.models import Unit

    police = Unit(name="Công an tỉnh Đồng Nai")
    assert bare_title("Phó Giám đốc Công an tỉnh", police) == "Phó Giám đốc"
    assert bare_title("Phó Chủ tịch UBND tỉnh", Unit(name="Ủy ban nhân dân tỉnh Đồng Nai")) == "Phó Chủ tịch"
    assert bare_title("Tổng Giám đốc", Unit(name="Tổng Công ty Tín Nghĩa")) == "Tổng Giám đốc"


def test_an_xlsx_title_row_is_as_tall_as_its_wrapped_title():
    import openpyxl

    from awards.documents import Column, Meta, Sheet, build_xlsx
    from tests.test_exports import PLAN_181_TITLE

    columns = [Column("STT", 1.2), Column("Họ và tên", 5.0), Column("Đơn vị", 6.0)]
    book = openpyxl.load_workbook(io.BytesIO(build_xlsx(
        [Sheet("Dài", columns, [[1, "A", "B"]], title=PLAN_181_TITLE), Sheet("Ngắn", columns, [[1, "A", "B"]], title="Danh sách")],
        Meta(created=date(2025, 1, 5)))))  # fmt: skip
    long, short = book["Dài"].row_dimensions[1].height, book["Ngắn"].row_dimensions[1].height
    assert book["Dài"]["A1"].alignment.wrap_text
    assert short < 25 and long >= 5 * short  # 262 characters over 12.2 cm at 14 pt bold: six lines or more
