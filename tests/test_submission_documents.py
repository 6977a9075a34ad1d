"""The tờ trình with its danh sách (awards.documents.submission): text, numbering, date words, sections,
Vietnamese order, determinism, fonts, XLSX and a long list. No database."""

import dataclasses
import io
import re
from datetime import date

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from awards.documents import build_docx, build_pdf
from awards.documents.submission import (
    COLLECTIVE,
    INDIVIDUAL,
    Nominee,
    Submission,
    submission_document,
    submission_list_sheets,
    submission_xlsx,
)

AWARD = "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
CAMPAIGN = "10 năm thực hiện Chỉ thị 07/CT-BCA-V28"
SUBJECT = f"Về việc đề nghị tặng {AWARD}"
ANNEX = "(Kèm theo Tờ trình số 07/TTr-CAT ngày 05 tháng 01 năm 2025 của Công an tỉnh Đồng Nai)"
UNIT = "Công an huyện Nhơn Trạch"

COLLECTIVE_NOMINEE = Nominee(
    COLLECTIVE,
    "Đội Cảnh sát quản lý hành chính về trật tự xã hội",
    unit_name=UNIT,
    achievement="Hoàn thành xuất sắc nhiệm vụ xây dựng phong trào",
)
# Out of order on purpose: given names Bình < Cường < Đức (d < đ).
PEOPLE = [
    Nominee(INDIVIDUAL, "Lê Văn Đức", "Trưởng Công an xã", UNIT, "Có nhiều đóng góp"),
    Nominee(INDIVIDUAL, "Nguyễn Văn Cường", "Phó Trưởng phòng", UNIT, "Phát hiện, cung cấp nhiều tin có giá trị"),
    Nominee(INDIVIDUAL, "Trần Thị Bình", "Cán bộ", UNIT, "Tích cực tuyên truyền"),
]
SORTED_PEOPLE = ["Trần Thị Bình", "Nguyễn Văn Cường", "Lê Văn Đức"]


def submission(nominees=None, number=7) -> Submission:
    return Submission(
        sender_superior="BỘ CÔNG AN",
        sender="CÔNG AN TỈNH ĐỒNG NAI",
        sender_name="Công an tỉnh Đồng Nai",
        number=number,
        symbol="TTr-CAT",
        place="Đồng Nai",
        date=date(2025, 1, 5),
        recipient="Sở Nội vụ tỉnh Đồng Nai",
        award_title=AWARD,
        campaign_title=CAMPAIGN,
        basis=[
            "Căn cứ Luật Thi đua, Khen thưởng ngày 15 tháng 6 năm 2022;",
            "Căn cứ Kế hoạch số 181/KH-UBND ngày 21/5/2024 của Ủy ban nhân dân tỉnh Đồng Nai;",
        ],
        council_note=(
            "Căn cứ Biên bản họp Hội đồng Thi đua – Khen thưởng ngày 02/01/2025 "
            "(có mặt 7/9 thành viên, 7/7 biểu quyết tán thành),"
        ),
        nominees=[PEOPLE[0], COLLECTIVE_NOMINEE, PEOPLE[1], PEOPLE[2]] if nominees is None else nominees,
        signer_title="GIÁM ĐỐC",
        signer_name="Nguyễn Văn Hơn",
        authority="KT. GIÁM ĐỐC",
        recipients=["Như trên;", "Lưu: VT, PV01."],
    )


def one_collective_two_people() -> Submission:
    """1 collective + 2 individuals (Đức and Cường, given in the wrong order)."""
    return submission([PEOPLE[0], COLLECTIVE_NOMINEE, PEOPLE[1]])


def docx_text(data: bytes) -> list[str]:
    """Every paragraph of the body in document order, table cells included."""
    body = docx.Document(io.BytesIO(data)).element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def pdf_text(data: bytes) -> str:
    """All pages' text with every run of whitespace as one space (the PDF wraps paragraphs and cells)."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def word_bytes() -> bytes:
    return build_docx(submission_document(one_collective_two_people()))


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return build_pdf(submission_document(one_collective_two_people()))


# --- the letter -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_letter_text(fmt, word_bytes, pdf_bytes):
    flat = " ".join(docx_text(word_bytes)) if fmt == "docx" else pdf_text(pdf_bytes)
    for expected in (
        "TỜ TRÌNH",
        SUBJECT,
        "Kính gửi: Sở Nội vụ tỉnh Đồng Nai",
        "Số: 07/TTr-CAT",
        "Đồng Nai, ngày 05 tháng 01 năm 2025",
        "CÔNG AN TỈNH ĐỒNG NAI",
        "BỘ CÔNG AN",
        "Căn cứ Kế hoạch số 181/KH-UBND ngày 21/5/2024 của Ủy ban nhân dân tỉnh Đồng Nai;",
        "(có mặt 7/9 thành viên, 7/7 biểu quyết tán thành)",
        f"Công an tỉnh Đồng Nai kính đề nghị Sở Nội vụ tỉnh Đồng Nai xét, tặng {AWARD} cho 1 tập thể và 2 cá nhân "
        f"(có danh sách kèm theo) đã có thành tích xuất sắc trong {CAMPAIGN}.",
        "Kính đề nghị Sở Nội vụ tỉnh Đồng Nai xem xét, quyết định./.",
        "KT. GIÁM ĐỐC",
        "Nguyễn Văn Hơn",
        "Nơi nhận:",
        "- Lưu: VT, PV01.",
        "DANH SÁCH",
        f"Đề nghị tặng {AWARD}",
        ANNEX,
    ):
        assert expected in flat, expected


def test_docx_layout_of_title_subject_and_addressee(word_bytes):
    word = docx.Document(io.BytesIO(word_bytes))
    paragraphs = {p.text: p for p in word.paragraphs}
    assert paragraphs["TỜ TRÌNH"].style.name == "Heading 1"
    subject = paragraphs[SUBJECT]
    assert subject.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    assert all(run.bold for run in subject.runs)
    assert paragraphs["Kính gửi: Sở Nội vụ tỉnh Đồng Nai"].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    annex = paragraphs[ANNEX]
    assert all(run.italic for run in annex.runs)


def test_basis_then_council_note_then_proposal(word_bytes):
    lines = docx_text(word_bytes)
    starts = ["Căn cứ Luật", "Căn cứ Kế hoạch", "Căn cứ Biên bản", "Công an tỉnh Đồng Nai kính đề nghị", "Kính đề nghị"]
    positions = [next(i for i, line in enumerate(lines) if line.startswith(s)) for s in starts]
    assert positions == sorted(positions)


def test_annex_starts_on_a_new_page(pdf_bytes, word_bytes):
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages]
    annex_page = next(i for i, text in enumerate(pages) if "DANH SÁCH" in text)
    assert annex_page > 0
    assert "TỜ TRÌNH" not in pages[annex_page]
    body = list(docx.Document(io.BytesIO(word_bytes)).element.body)
    heading = next(i for i, el in enumerate(body) if "".join(t.text or "" for t in el.iter(qn("w:t"))) == "DANH SÁCH")
    assert [br.get(qn("w:type")) for br in body[heading - 1].iter(qn("w:br"))] == ["page"]


# --- the list ---------------------------------------------------------------------------------


def test_docx_sections_columns_and_rows(word_bytes):
    lines = docx_text(word_bytes)
    assert lines.index("I. TẬP THỂ") < lines.index("II. CÁ NHÂN")
    header, _signature, collectives, individuals = docx.Document(io.BytesIO(word_bytes)).tables
    assert [c.text for c in collectives.rows[0].cells] == ["STT", "Tên tập thể", "Đơn vị", "Thành tích"]
    assert [c.text for c in collectives.rows[1].cells] == [
        "1",
        COLLECTIVE_NOMINEE.name,
        UNIT,
        COLLECTIVE_NOMINEE.achievement,
    ]
    assert [c.text for c in individuals.rows[0].cells] == ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Thành tích"]
    assert [[c.text for c in row.cells][:3] for row in individuals.rows[1:]] == [
        ["1", "Nguyễn Văn Cường", "Phó Trưởng phòng"],
        ["2", "Lê Văn Đức", "Trưởng Công an xã"],
    ]
    assert [p.text for p in header.rows[0].cells[0].paragraphs if p.text] == [
        "BỘ CÔNG AN",
        "CÔNG AN TỈNH ĐỒNG NAI",
        "Số: 07/TTr-CAT",
    ]


def test_pdf_section_order_and_rows(pdf_bytes):
    text = pdf_text(pdf_bytes)
    annex = text[text.index("DANH SÁCH") :]
    assert annex.index("I. TẬP THỂ") < annex.index(COLLECTIVE_NOMINEE.name) < annex.index("II. CÁ NHÂN")
    assert annex.index("II. CÁ NHÂN") < annex.index("Nguyễn Văn Cường") < annex.index("Lê Văn Đức")


def test_individuals_sorted_by_given_name_d_before_dd():
    data = build_docx(submission_document(submission(PEOPLE)))
    table = docx.Document(io.BytesIO(data)).tables[-1]
    assert [row.cells[1].text for row in table.rows[1:]] == SORTED_PEOPLE
    assert [row.cells[0].text for row in table.rows[1:]] == ["1", "2", "3"]


def test_rows_ordered_by_unit_first_then_name():
    people = [
        Nominee(INDIVIDUAL, "Trần Thị An", unit_name="Ủy ban nhân dân xã Long Tân"),
        Nominee(INDIVIDUAL, "Lê Văn Bảo", unit_name="Công an huyện Định Quán"),
        Nominee(INDIVIDUAL, "Phạm Văn Ân", unit_name="Công an huyện Định Quán"),
        Nominee(INDIVIDUAL, "Võ Thị Châu", unit_name="Công an huyện Cẩm Mỹ"),
    ]
    sheet = submission_list_sheets(submission(people))[0]
    assert [(row[1], row[3]) for row in sheet.rows] == [
        ("Võ Thị Châu", "Công an huyện Cẩm Mỹ"),
        ("Phạm Văn Ân", "Công an huyện Định Quán"),
        ("Lê Văn Bảo", "Công an huyện Định Quán"),
        ("Trần Thị An", "Ủy ban nhân dân xã Long Tân"),
    ]


def test_caller_sort_key_wins_over_the_computed_one():
    people = [
        dataclasses.replace(PEOPLE[2], sort_key="2"),  # Bình would come first by name
        dataclasses.replace(PEOPLE[0], sort_key="1"),
    ]
    sheet = submission_list_sheets(submission(people))[0]
    assert [row[1] for row in sheet.rows] == ["Lê Văn Đức", "Trần Thị Bình"]


def test_only_individuals_omits_the_collective_section():
    sub = submission(PEOPLE[:2])
    lines = docx_text(build_docx(submission_document(sub)))
    text = "\n".join(lines)
    assert "I. CÁ NHÂN" in lines
    assert "TẬP THỂ" not in text and "Tên tập thể" not in text
    assert f"xét, tặng {AWARD} cho 2 cá nhân (có danh sách kèm theo)" in text
    assert "tập thể và" not in text
    assert [s.name for s in submission_list_sheets(sub)] == ["Cá nhân"]


def test_only_collectives():
    sub = submission([COLLECTIVE_NOMINEE])
    text = "\n".join(docx_text(build_docx(submission_document(sub))))
    assert "cho 1 tập thể (có danh sách kèm theo)" in text
    assert "I. TẬP THỂ" in text and "CÁ NHÂN" not in text


def test_no_nominees_is_an_error():
    with pytest.raises(ValueError, match="at least one nominee"):
        submission_document(submission([]))


def test_unknown_nominee_kind_is_an_error():
    with pytest.raises(ValueError, match="kind"):
        Nominee("team", "Đội A")


def test_missing_number_leaves_the_blank():
    data = build_docx(submission_document(submission(PEOPLE, number=None)))
    lines = docx_text(data)
    assert "Số:      /TTr-CAT" in lines
    assert "(Kèm theo Tờ trình số      /TTr-CAT ngày 05 tháng 01 năm 2025 của Công an tỉnh Đồng Nai)" in lines
    assert not any("Số: 0" in line for line in lines)


def test_number_ten_and_above_has_no_leading_zero():
    lines = docx_text(build_docx(submission_document(submission(PEOPLE, number=125))))
    assert "Số: 125/TTr-CAT" in lines
    assert any(line.startswith("(Kèm theo Tờ trình số 125/TTr-CAT ngày") for line in lines)


# --- determinism and fonts --------------------------------------------------------------------


def test_two_builds_are_byte_identical(word_bytes, pdf_bytes):
    sub = one_collective_two_people()
    assert build_docx(submission_document(sub)) == word_bytes
    assert build_pdf(submission_document(sub)) == pdf_bytes
    assert submission_xlsx(sub) == submission_xlsx(one_collective_two_people())


def test_pdf_keeps_horned_letters(pdf_bytes):
    text = pdf_text(pdf_bytes)
    assert "ư" in text and "ơ" in text
    for word in ("Nhơn Trạch", "Trưởng Công an xã", "Cường", "Hơn"):
        assert word in text, word


def test_pdf_uses_only_embedded_liberation_serif(pdf_bytes):
    seen = set()
    for page in PdfReader(io.BytesIO(pdf_bytes)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            name = str(font["/BaseFont"])
            assert re.fullmatch(r"/[A-Z]{6}\+LiberationSerif(-Bold|-Italic|-BoldItalic)?", name), name
            assert font["/Subtype"] == "/TrueType"
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), name
            seen.add(name.split("+")[1])
    assert {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"} <= seen


def test_pdf_metadata_date_is_the_letter_date(pdf_bytes):
    assert PdfReader(io.BytesIO(pdf_bytes)).metadata["/CreationDate"].startswith("D:20250105")


# --- XLSX -------------------------------------------------------------------------------------


def test_xlsx_one_sheet_per_section():
    book = openpyxl.load_workbook(io.BytesIO(submission_xlsx(submission())))
    assert book.sheetnames == ["Tập thể", "Cá nhân"]
    people = book["Cá nhân"]
    assert people["A1"].value == f"II. CÁ NHÂN ĐỀ NGHỊ TẶNG {AWARD.upper()}"
    assert [c.value for c in people[2]] == ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Thành tích"]
    assert [people.cell(row, 2).value for row in range(3, 6)] == SORTED_PEOPLE
    assert people["A3"].value == 1 and type(people["A3"].value) is int
    assert [c.value for c in book["Tập thể"][3]][:3] == [1, COLLECTIVE_NOMINEE.name, UNIT]


# --- a long list ------------------------------------------------------------------------------


def test_two_thousand_individuals():
    people = [
        Nominee(
            INDIVIDUAL,
            f"Nguyễn Văn {i:04d} Trường",
            "Cán bộ",
            f"Công an xã Phước Thiền {i % 17}",
            "Hoàn thành xuất sắc nhiệm vụ",
        )
        for i in range(2000)
    ]
    doc = submission_document(submission(people))
    table = docx.Document(io.BytesIO(build_docx(doc))).tables[-1]
    assert len(table.rows) == 1 + 2000
    assert table.rows[-1].cells[0].text == "2000"
    text = pdf_text(build_pdf(doc))
    assert "cho 2.000 cá nhân" in text
    assert sorted(re.findall(r"Nguyễn Văn (\d{4}) Trường", text)) == [f"{i:04d}" for i in range(2000)]
