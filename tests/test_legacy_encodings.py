"""TCVN3 (ABC) and VNI text converted to Unicode, on strings as those encodings write them.

The legacy strings below are written out by hand from UniKey's tables (ukengine/data.cpp, cited in
awards/imports/legacy.py), not produced by the code under test: "NguyÔn V¨n An" is how a TCVN3 name looks in a
Unicode font, "Nguyeãn Vaên An" a VNI one. Then a workbook whose cells use .VnTime, .VnTimeH and VNI-Times fonts
goes through the reader."""

import io
import unicodedata

import openpyxl
import pytest
from openpyxl.styles import Font

from awards.imports.legacy import (
    UNICODE_TO_TCVN3,
    UNICODE_TO_VNI,
    Legacy,
    decode,
    encode,
    font_encoding,
    guess_encoding,
)
from awards.imports.xlsx import Column, open_sheet

# (Unicode, TCVN3 as typed with ABC, VNI as typed with VNI-Windows)
REAL = [
    ("Nguyễn Văn An", "NguyÔn V¨n An", "Nguyeãn Vaên An"),
    ("Đồng Nai", "§ång Nai", "Ñoàng Nai"),
    ("Trưởng phòng", "Tr\xadëng phßng", "Tröôûng phoøng"),
    ("Biên Hòa", "Biªn Hßa", "Bieân Hoøa"),
    ("Công an tỉnh", "C«ng an tØnh", "Coâng an tænh"),
    ("Lê Thị Hồng Nhung", "Lª ThÞ Hång Nhung", "Leâ Thò Hoàng Nhung"),
    ("Phó Giám đốc Sở Tư pháp", "Phã Gi¸m ®èc Së T\xad ph¸p", "Phoù Giaùm ñoác Sôû Tö phaùp"),
    ("Có thành tích xuất sắc", "Cã thµnh tÝch xuÊt s¾c", "Coù thaønh tích xuaát saéc"),
]


@pytest.mark.parametrize(("unicode", "tcvn3", "vni"), REAL)
def test_real_tcvn3_and_vni_strings_become_unicode_nfc(unicode, tcvn3, vni):
    assert decode(tcvn3, Legacy.TCVN3) == unicode
    assert decode(vni, Legacy.VNI) == unicode
    assert unicodedata.is_normalized("NFC", decode(vni, Legacy.VNI))
    # and the tables agree with the hand-written strings the other way too
    assert encode(unicode, Legacy.TCVN3) == tcvn3 and encode(unicode, Legacy.VNI) == vni


def test_a_capital_font_shows_the_lower_case_code_points_as_capitals():
    # Typed in .VnTimeH: the same code points as lower-case TCVN3, drawn as capitals.
    assert decode("nguyÔn v¨n an", Legacy.TCVN3_CAPITALS) == "NGUYỄN VĂN AN"
    assert decode("®ång nai", Legacy.TCVN3_CAPITALS) == "ĐỒNG NAI"


def test_every_vietnamese_letter_goes_there_and_back():
    letters = [c for c in UNICODE_TO_VNI if not c.isascii()]
    assert len(UNICODE_TO_VNI) == 146 and len(letters) == 134  # 12 vowels x 6 tones x 2 cases + đ, Đ; minus ASCII
    for letter in letters:
        assert decode(encode(letter, Legacy.VNI), Legacy.VNI) == letter
        expected = letter if letter in UNICODE_TO_TCVN3 else letter.lower()  # TCVN3 has no toned capitals
        assert decode(encode(letter, Legacy.TCVN3), Legacy.TCVN3) == expected


def test_unicode_text_in_a_legacy_font_is_left_alone():
    assert decode("Nguyễn Văn An", Legacy.TCVN3) == "Nguyễn Văn An"
    assert decode("Nguyễn Văn An", Legacy.VNI) == "Nguyễn Văn An"


def test_fonts_name_their_encoding():
    assert font_encoding(".VnTime") is Legacy.TCVN3
    assert font_encoding(".VnArial") is Legacy.TCVN3
    assert font_encoding(".VnArial Narrow") is Legacy.TCVN3
    assert font_encoding(".VnTimeH") is Legacy.TCVN3_CAPITALS
    assert font_encoding(".VnArialH") is Legacy.TCVN3_CAPITALS
    assert font_encoding("VNI-Times") is Legacy.VNI
    assert font_encoding("VNI-Helve") is Legacy.VNI
    assert font_encoding("Times New Roman") is None
    assert font_encoding(None) is None


def test_text_without_fonts_is_guessed_from_its_characters():
    for unicode, tcvn3, vni in REAL:
        assert guess_encoding(tcvn3) is Legacy.TCVN3, tcvn3
        assert guess_encoding(vni) is Legacy.VNI, vni
        assert guess_encoding(unicode) is None
    assert guess_encoding("Nguyen Van An") is None


def test_the_reader_converts_cells_by_their_font_and_keeps_the_original():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Họ và tên", "Chức vụ", "Nơi công tác"])
    sheet.append(["NguyÔn V¨n An", "Tr\xadëng phßng", "Ñoàng Nai"])
    sheet.append(["nguyÔn v¨n an", "Trưởng phòng", "Plain"])
    for cell in sheet[2][:2]:
        cell.font = Font(name=".VnTime")
    sheet["C2"].font = Font(name="VNI-Times")
    sheet["A3"].font = Font(name=".VnTimeH")
    sheet["B3"].font = Font(name=".VnTime")  # Unicode typed in an old font: left alone
    out = io.BytesIO()
    workbook.save(out)
    columns = [Column("name", "Họ và tên", required=True), Column("position", "Chức vụ"),
               Column("workplace", "Nơi công tác")]  # fmt: skip
    rows = list(open_sheet(io.BytesIO(out.getvalue()), columns=columns, max_rows=10).rows)
    first, second = rows
    assert (first.value("name"), first.value("position"), first.value("workplace")) == (
        "Nguyễn Văn An", "Trưởng phòng", "Đồng Nai")  # fmt: skip
    assert first.cells["name"].original == "NguyÔn V¨n An" and first.cells["name"].legacy is Legacy.TCVN3
    assert first.cells["workplace"].legacy is Legacy.VNI
    assert second.value("name") == "NGUYỄN VĂN AN" and second.cells["name"].legacy is Legacy.TCVN3_CAPITALS
    assert second.value("position") == "Trưởng phòng" and second.cells["position"].original is None
    assert second.value("workplace") == "Plain" and second.cells["workplace"].legacy is None
