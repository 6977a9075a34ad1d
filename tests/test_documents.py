"""The document toolkit: byte-identical output, Vietnamese text and fonts in PDFs, page layout, long
tables, XLSX types, and the Decree 30 helpers."""

import io
import re
import time
import unicodedata
import zipfile
from datetime import UTC, date, datetime

import docx
import openpyxl
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from pypdf import PdfReader

from awards.documents import (
    Column,
    Document,
    Heading,
    Meta,
    PageBreak,
    Paragraph,
    Run,
    Sheet,
    Table,
    build_docx,
    build_pdf,
    build_xlsx,
    date_line,
    decree30_header,
    doc_number,
    format_int,
    signature,
)
from awards.documents.typeface import text_width_pt

A4 = (595.27, 841.89)
MOTTO = "Độc lập - Tự do - Hạnh phúc"
NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
COLUMNS = [
    Column("STT", 1.2, "center"),
    Column("Họ và tên", 4.0),
    Column("Mã hồ sơ", 2.2, "center"),
    Column("Chức vụ", 3.7),
    Column("Đơn vị", 3.4),
    Column("Ghi chú", 2.0, "center"),
]
ROWS = 300
META = Meta(created=date(2025, 1, 5), author="Ủy ban nhân dân tỉnh Đồng Nai", subject="Khen thưởng")


def table_rows(n: int = ROWS) -> list[list[str]]:
    return [
        [
            str(i + 1),
            "Nguyễn Thị Thu Hà",
            f"HS-{i + 1:04d}",
            "Phó Trưởng phòng Cảnh sát quản lý hành chính",
            "Ủy ban nhân dân phường Tân Phong",
            "trễ hạn" if i % 5 == 0 else "đúng hạn",
        ]
        for i in range(n)
    ]


def decision(meta: Meta = META, rows: int = ROWS) -> Document:
    return Document(
        title="Quyết định tặng Bằng khen",
        meta=meta,
        blocks=[
            decree30_header(
                "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI",
                doc_number(5, "QĐ-UBND"),
                date_line("Đồng Nai", date(2025, 1, 5)),
            ),
            Heading("QUYẾT ĐỊNH"),
            Paragraph("Về việc tặng Bằng khen cho các tập thể, cá nhân", align="center", bold=True),
            Heading("I. KẾT QUẢ THỰC HIỆN", level=1),
            Heading("1. Tổng hợp hồ sơ", level=2),
            Paragraph(["Căn cứ đề nghị của ", Run("Ủy ban nhân dân phường Tân Phong", bold=True), "."]),
            Table(COLUMNS, table_rows(rows)),
            signature("CHỦ TỊCH", "Trần Văn Bình", authority="TM. ỦY BAN NHÂN DÂN", recipients=["Như Điều 3;"]),
            PageBreak(),
            Paragraph("Phụ lục kèm theo."),
        ],
    )


def sheets() -> list[Sheet]:
    columns = [Column("STT", 1.2, "center"), Column("Họ và tên", 5), Column("Tiền thưởng", 3, "right", "#,##0")]
    return [
        Sheet(
            "Danh sách",
            columns,
            ([i + 1, f"Nguyễn Thị Thu Hà {i + 1}", 1_490_000 * (i + 1)] for i in range(50)),  # a generator
            title="DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG",
        ),
        Sheet(
            "Tổng hợp",
            [Column("Đơn vị", 6), Column("Số hồ sơ", 2, "right"), Column("Tỷ lệ", 2, "right"), Column("Ngày", 3)],
            [
                ["Phường Tân Phong", 12, 0.75, date(2025, 1, 5)],
                ['=HYPERLINK("x")', None, 1.5, datetime(2025, 2, 9, 8, 30)],
                ["Thiếu ô"],
            ],
        ),
    ]


def build_all() -> dict[str, bytes]:
    return {"docx": build_docx(decision()), "pdf": build_pdf(decision()), "xlsx": build_xlsx(sheets(), META)}


@pytest.fixture(scope="module")
def pdf() -> PdfReader:
    return PdfReader(io.BytesIO(build_pdf(decision())))


@pytest.fixture(scope="module")
def word() -> docx.document.Document:
    return docx.Document(io.BytesIO(build_docx(decision())))


@pytest.fixture(scope="module")
def workbook() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(build_xlsx(sheets(), META, title="Danh sách khen thưởng")))


# --- determinism ------------------------------------------------------------------------------


def test_same_input_gives_identical_bytes_on_another_clock(monkeypatch):
    first = build_all()
    # Another day on the clocks zipfile and ReportLab read, and a real pause for datetime.now()
    # users (XlsxWriter's default "created"; zip times have a 2-second resolution).
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3 * 86400 + 7)
    time.sleep(2.1)
    second = build_all()
    for kind in ("docx", "pdf", "xlsx"):
        assert first[kind] == second[kind], kind


def test_zip_entries_have_fixed_dates_and_order():
    for data in (build_docx(decision(rows=3)), build_xlsx(sheets(), META)):
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_metadata_dates_come_from_meta_and_change_the_bytes():
    later = Meta(created=datetime(2025, 3, 9, 14, 30), author=META.author)
    reader = PdfReader(io.BytesIO(build_pdf(decision(later, rows=3))))
    assert reader.metadata["/CreationDate"].startswith("D:20250309143000")
    assert reader.metadata["/ModDate"].startswith("D:20250309143000")
    assert reader.metadata.title == "Quyết định tặng Bằng khen"
    props = docx.Document(io.BytesIO(build_docx(decision(later, rows=3)))).core_properties
    stored = datetime(2025, 3, 9, 14, 30, tzinfo=UTC)
    assert (props.created, props.modified, props.author) == (stored, stored, META.author)
    book = openpyxl.load_workbook(io.BytesIO(build_xlsx(sheets(), later)))
    assert book.properties.created == datetime(2025, 3, 9, 14, 30)
    assert build_pdf(decision(later, rows=3)) != build_pdf(decision(rows=3))
    assert build_docx(decision(later, rows=3)) != build_docx(decision(rows=3))


# --- PDF --------------------------------------------------------------------------------------


def test_pdf_text_keeps_vietnamese_letters(pdf):
    text = "\n".join(page.extract_text() for page in pdf.pages)
    for expected in (
        NATIONAL,
        MOTTO,
        "Ủy ban nhân dân phường Tân Phong",
        "Nguyễn Thị Thu Hà",
        "trễ hạn",
        "Đồng Nai, ngày 05 tháng 01 năm 2025",
        "Số: 05/QĐ-UBND",
        "Trần Văn Bình",
    ):
        assert expected in text, expected


def test_pdf_embeds_only_liberation_serif_subsets(pdf):
    seen = set()
    for page in pdf.pages:
        fonts = page["/Resources"]["/Font"]
        assert fonts, "a page without fonts"
        for ref in fonts.values():
            font = ref.get_object()
            name = str(font["/BaseFont"])
            assert re.fullmatch(r"/[A-Z]{6}\+LiberationSerif(-Bold|-Italic|-BoldItalic)?", name), name
            assert font["/Subtype"] == "/TrueType"
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), name
            seen.add(name.split("+")[1])
    assert {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"} <= seen


def test_pdf_pages_are_a4(pdf):
    for page in pdf.pages:
        box = page.mediabox
        assert float(box.width) == pytest.approx(A4[0], abs=1)
        assert float(box.height) == pytest.approx(A4[1], abs=1)


def test_pdf_long_table_spans_pages_with_the_header_on_each(pdf):
    pages = [page.extract_text() for page in pdf.pages]
    table_pages = [text for text in pages if "HS-" in text]
    assert len(table_pages) >= 5
    for text in table_pages:
        assert "Họ và tên" in text and "Mã hồ sơ" in text and "Ghi chú" in text
    codes = [code for text in table_pages for code in re.findall(r"HS-\d{4}", text)]
    assert sorted(codes) == [f"HS-{i:04d}" for i in range(1, ROWS + 1)]  # every row once, none lost


def _top_margin_text(page) -> list[str]:
    """Text drawn in the top margin (where Decree 30 puts the page number)."""
    found = []
    top = float(page.mediabox.height) - Mm(20).pt

    def visit(text, cm, tm, font, size):
        if text.strip() and cm[5] + tm[5] * cm[3] > top:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return found


def test_pdf_page_number_from_page_two_at_the_top(pdf):
    assert _top_margin_text(pdf.pages[0]) == []
    assert _top_margin_text(pdf.pages[1]) == ["2"]
    last = len(pdf.pages)
    assert _top_margin_text(pdf.pages[last - 1]) == [str(last)]


def test_pdf_page_break_starts_a_new_page(pdf):
    last = pdf.pages[-1].extract_text()
    assert "Phụ lục kèm theo." in last
    assert "HS-" not in last


def test_decomposed_input_is_written_as_nfc():
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Thu Hà")
    doc = Document("t", [Paragraph(nfd)], META)
    assert "Nguyễn Thị Thu Hà" in PdfReader(io.BytesIO(build_pdf(doc))).pages[0].extract_text()
    assert docx.Document(io.BytesIO(build_docx(doc))).paragraphs[0].text == "Nguyễn Thị Thu Hà"


def test_table_row_with_too_many_cells_is_an_error():
    doc = Document("t", [Table([Column("A")], [["1", "2"]])], META)
    with pytest.raises(ValueError, match="row 0"):
        build_pdf(doc)
    with pytest.raises(ValueError, match="row 0"):
        build_docx(doc)


# --- DOCX -------------------------------------------------------------------------------------


def test_docx_holds_the_text_and_the_whole_table(word):
    paragraphs = [p.text for p in word.paragraphs]
    assert "QUYẾT ĐỊNH" in paragraphs
    assert "Căn cứ đề nghị của Ủy ban nhân dân phường Tân Phong." in paragraphs
    header, table, sign = word.tables
    assert [c.text for c in header.rows[0].cells[1].paragraphs][:2] == [NATIONAL, MOTTO]
    assert header.rows[0].cells[1].paragraphs[-1].text == "Đồng Nai, ngày 05 tháng 01 năm 2025"
    assert len(table.rows) == 1 + ROWS
    assert [c.text for c in table.rows[0].cells] == [c.title for c in COLUMNS]
    assert [c.text for c in table.rows[ROWS].cells] == table_rows()[-1]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
    assert "Trần Văn Bình" in [p.text for p in sign.rows[0].cells[1].paragraphs]


def _text_of(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def test_docx_page_break_before_the_appendix(word):
    body = list(word.element.body)
    appendix = next(i for i, el in enumerate(body) if _text_of(el) == "Phụ lục kèm theo.")
    breaks = body[appendix - 1].findall(f".//{qn('w:br')}")
    assert [br.get(qn("w:type")) for br in breaks] == ["page"]


def test_docx_page_is_a4_with_decree_30_margins(word):
    section = word.sections[0]
    for actual, expected in (
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 20),
        (section.bottom_margin, 20),
        (section.left_margin, 30),
        (section.right_margin, 15),
    ):
        assert actual.mm == pytest.approx(expected, abs=0.1)


def test_docx_fonts_are_times_new_roman_everywhere(word):
    styles = word.styles.element
    all_fonts = list(styles.iter(qn("w:rFonts")))
    assert all_fonts
    for fonts in all_fonts:
        attrs = {k.split("}")[1]: v for k, v in fonts.attrib.items()}
        assert attrs == dict.fromkeys(("ascii", "hAnsi", "eastAsia", "cs"), "Times New Roman")
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:sz")).get(qn("w:val")) == "28"  # 14 pt
    assert not list(word.element.body.iter(qn("w:rFonts")))  # no run overrides the font


def test_docx_page_number_in_header_except_first_page(word):
    section = word.sections[0]
    assert section.different_first_page_header_footer

    def instructions(part) -> str:
        return "".join(i.text for i in part._element.iter(qn("w:instrText")))

    assert instructions(section.header).strip() == "PAGE"
    assert instructions(section.first_page_header) == ""


def test_docx_body_paragraph_is_justified_with_first_line_indent(word):
    paragraph = next(p for p in word.paragraphs if p.text.startswith("Căn cứ"))
    assert paragraph.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert paragraph.paragraph_format.first_line_indent.cm == pytest.approx(1.0, abs=0.01)
    assert [r.bold for r in paragraph.runs] == [None, True, None]


def test_docx_motto_rule_is_as_long_as_the_motto(word):
    cell = word.tables[0].rows[0].cells[1]
    rule = next(p for p in cell.paragraphs if p._p.pPr.find(qn("w:pBdr")) is not None)
    ind = rule._p.pPr.find(qn("w:ind"))
    inner_twips = cell.width.twips - 2 * 80
    length_pt = (inner_twips - int(ind.get(qn("w:left"))) - int(ind.get(qn("w:right")))) / 20
    assert length_pt == pytest.approx(text_width_pt(MOTTO, 13, bold=True), abs=0.5)


# --- XLSX -------------------------------------------------------------------------------------


def test_xlsx_sheets_header_and_typed_values(workbook):
    assert workbook.sheetnames == ["Danh sách", "Tổng hợp"]
    people = workbook["Danh sách"]
    assert people["A1"].value == "DANH SÁCH CÁ NHÂN ĐƯỢC KHEN THƯỞNG"
    assert [c.value for c in people[2]] == ["STT", "Họ và tên", "Tiền thưởng"]
    assert all(c.font.b for c in people[2])
    assert [c.value for c in people[3]] == [1, "Nguyễn Thị Thu Hà 1", 1_490_000]
    assert type(people["A3"].value) is int and type(people["C52"].value) is int
    assert people["C52"].value == 74_500_000 and people["C52"].number_format == "#,##0"
    assert people.max_row == 52
    assert people.freeze_panes == "A3"
    summary = workbook["Tổng hợp"]
    assert summary.freeze_panes == "A2"
    assert [c.value for c in summary[2]] == ["Phường Tân Phong", 12, 0.75, datetime(2025, 1, 5)]
    assert summary["A3"].value == '=HYPERLINK("x")' and summary["A3"].data_type == "s"  # text, not a formula
    assert summary["B3"].value is None and summary["C3"].value == 1.5
    assert summary["D3"].number_format == "dd/mm/yyyy"
    assert [c.value for c in summary[4]] == ["Thiếu ô", None, None, None]


def test_xlsx_column_widths_follow_the_columns(workbook):
    widths = workbook["Danh sách"].column_dimensions
    assert widths["B"].width > widths["C"].width > widths["A"].width


def test_xlsx_properties(workbook):
    assert workbook.properties.title == "Danh sách khen thưởng"
    assert workbook.properties.creator == META.author


# --- Vietnamese conventions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 1, 5), "Đồng Nai, ngày 05 tháng 01 năm 2025"),
        (date(2024, 6, 30), "Đồng Nai, ngày 30 tháng 6 năm 2024"),
        (date(2024, 2, 9), "Đồng Nai, ngày 09 tháng 02 năm 2024"),
        (date(2024, 12, 10), "Đồng Nai, ngày 10 tháng 12 năm 2024"),
        (date(2024, 3, 1), "Đồng Nai, ngày 01 tháng 3 năm 2024"),
    ],
)
def test_date_line(day, expected):
    assert date_line("Đồng Nai", day) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("125", "Số: 125/QĐ-UBND"),
        ("5", "Số: 05/QĐ-UBND"),
        (5, "Số: 05/QĐ-UBND"),
        ("10", "Số: 10/QĐ-UBND"),
        ("07", "Số: 07/QĐ-UBND"),
        (None, "Số:      /QĐ-UBND"),
    ],
)
def test_doc_number(number, expected):
    assert doc_number(number, "QĐ-UBND") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1234567, "1.234.567"), (0, "0"), (999, "999"), (1000, "1.000"), (-1234567, "-1.234.567")],
)
def test_format_int(value, expected):
    assert format_int(value) == expected


def test_format_int_rejects_non_integers():
    with pytest.raises(TypeError):
        format_int(1.5)
