"""Certificates printed onto pre-printed blanks (awards.documents.certificate), read back with pypdf and poppler:
one A4 landscape page per awardee, the texts where the layout puts them, long texts wrapped inside
their box, NFC, same bytes for the same input, and the layout's JSON form validated. No database."""

import io
import json
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from awards.documents.certificate import (
    BANG_KHEN,
    DEFAULT_LAYOUTS,
    FIELD_NAMES,
    GIAY_KHEN,
    PT_PER_MM,
    CertificateLayout,
    CertificateText,
    FieldPosition,
    build_certificates_pdf,
    default_layout,
    layout_from_dict,
    layout_to_dict,
)

CREATED = datetime(2025, 1, 5, 8, 30)
DECISION = "Quyết định số 05/QĐ-CAT ngày 05 tháng 01 năm 2025"
UNIT = "Phòng Cảnh sát hình sự, Công an tỉnh Đồng Nai"
ACHIEVEMENT = "Đã có thành tích xuất sắc trong thực hiện phong trào Toàn dân bảo vệ an ninh Tổ quốc năm 2024"
NAMES = ("Nguyễn Thị Ánh Tuyết", "Trần Văn Ơn", "Lê Thị Ưng")
# 300 characters, far wider than the 200 mm box at 15 pt.
LONG_UNIT = (
    "Đội Cảnh sát điều tra tội phạm về trật tự xã hội, Phòng Cảnh sát hình sự, Công an tỉnh Đồng Nai, "
    "đơn vị phối hợp với Công an các huyện Nhơn Trạch, Long Thành, Trảng Bom, Thống Nhất và Công an "
    "thành phố Biên Hòa trong đấu tranh, triệt phá các băng nhóm tội phạm có tổ chức, hoạt động liên tỉnh, ma túy"
)
assert len(LONG_UNIT) == 300


def certificate(name: str, **overrides) -> CertificateText:
    fields = {
        "name": name,
        "unit": UNIT,
        "achievement": ACHIEVEMENT,
        "decision_line": DECISION,
        "place_date": "Đồng Nai, ngày 05 tháng 01 năm 2025",
        "signer_name": "Nguyễn Văn Giám",
    }
    fields.update(overrides)
    return CertificateText(**fields)


ITEMS = [certificate(name) for name in NAMES]


def read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def spans(page) -> list[tuple[str, float, float, str, float]]:
    """(text, x, baseline y, font face, size) of every piece of text drawn on `page`, in PDF points
    from the bottom-left corner."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            face = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
            found.append((text.strip(), x, y, face, size))

    page.extract_text(visitor_text=visit)
    return found


def baseline_of(page, text: str) -> float:
    [y] = [s[2] for s in spans(page) if s[0] == text]
    return y


# --- the PDF ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [BANG_KHEN, GIAY_KHEN])
def test_one_a4_landscape_page_per_awardee_with_name_and_decision(kind):
    pdf = read(build_certificates_pdf(ITEMS, default_layout(kind), created=CREATED))
    assert len(pdf.pages) == len(NAMES)
    for page, name in zip(pdf.pages, NAMES, strict=True):
        assert abs(float(page.mediabox.width) - 842) <= 1 and abs(float(page.mediabox.height) - 595) <= 1
        text = page.extract_text()
        assert name in text and DECISION in text and UNIT in text and ACHIEVEMENT in text
        assert "Nguyễn Văn Giám" in text and "Đồng Nai, ngày 05 tháng 01 năm 2025" in text
        assert [n for n in NAMES if n in text] == [name]  # each page carries its own awardee only


def test_only_the_vendored_liberation_serif_is_used_and_embedded():
    pdf = read(build_certificates_pdf(ITEMS, default_layout(BANG_KHEN), created=CREATED))
    for page in pdf.pages:
        fonts = list(page["/Resources"]["/Font"].values())
        assert fonts and all("LiberationSerif" in str(f["/BaseFont"]) for f in fonts)
        assert all("/FontFile2" in f["/FontDescriptor"] for f in fonts)  # TrueType, embedded
    faces = {s[3] for s in spans(pdf.pages[0])}
    assert faces == {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"}


def test_texts_sit_where_the_layout_puts_them_and_move_with_it():
    layout = default_layout(BANG_KHEN)
    page = read(build_certificates_pdf(ITEMS[:1], layout, created=CREATED)).pages[0]
    height = float(page.mediabox.height)
    [(_, x, y, face, size)] = [s for s in spans(page) if s[0] == NAMES[0]]
    assert y == pytest.approx(height - layout.name.y_mm * PT_PER_MM, abs=0.1)  # y_mm is the baseline
    assert (face, size) == ("LiberationSerif-Bold", 24)
    centre = x + stringWidth(NAMES[0], face, size) / 2
    assert centre == pytest.approx((layout.name.x_mm + layout.name.width_mm / 2) * PT_PER_MM, abs=0.1)
    place = [s for s in spans(page) if s[0].startswith("Đồng Nai, ngày")]
    assert place[0][3] == "LiberationSerif-Italic"

    moved = replace(layout, name=replace(layout.name, y_mm=layout.name.y_mm - 20))
    page = read(build_certificates_pdf(ITEMS[:1], moved, created=CREATED)).pages[0]
    assert baseline_of(page, NAMES[0]) - y == pytest.approx(20 * PT_PER_MM, abs=0.1)  # 20 mm higher
    assert baseline_of(page, DECISION) == pytest.approx(height - layout.decision_line.y_mm * PT_PER_MM, abs=0.1)

    left = replace(layout, name=replace(layout.name, align="left", x_mm=30))
    [(_, x, *_)] = [s for s in spans(read(build_certificates_pdf(ITEMS[:1], left, created=CREATED)).pages[0])
                    if s[0] == NAMES[0]]  # fmt: skip
    assert x == pytest.approx(30 * PT_PER_MM, abs=0.1)


def test_a_300_character_unit_wraps_inside_its_box_and_the_page():
    layout = default_layout(BANG_KHEN)
    box = layout.unit
    assert stringWidth(LONG_UNIT, "LiberationSerif-Bold", box.size_pt) > 2 * 842  # cannot fit on one line
    page = read(build_certificates_pdf([certificate("Trần Văn Ơn", unit=LONG_UNIT)], layout, created=CREATED)).pages[0]
    height = float(page.mediabox.height)
    top = height - box.y_mm * PT_PER_MM
    lines = [s for s in spans(page) if s[2] <= top + 0.1 and s[2] > height - layout.achievement.top_mm * PT_PER_MM]
    assert len({round(s[2], 1) for s in lines}) >= 3  # split across several lines ...
    assert " ".join(s[0] for s in lines).split() == LONG_UNIT.split()  # ... every word, in order
    for text, x, _y, face, size in lines:
        assert box.size_pt * 0.6 <= size < box.size_pt  # set smaller to stay in its box
        assert x >= box.x_mm * PT_PER_MM - 0.1
        assert x + stringWidth(text, face, size) <= (box.x_mm + box.width_mm) * PT_PER_MM + 0.1
    # No text anywhere reaches past the page's edges.
    for text, x, y, face, size in spans(page):
        assert 0 <= x and x + stringWidth(text, face, size) <= float(page.mediabox.width)
        assert 0 <= y <= height
    # Its lines end above the achievement's box: the boxes do not collide.
    assert min(s[2] for s in lines) - 0.22 * lines[0][4] >= height - layout.achievement.top_mm * PT_PER_MM


def test_a_long_word_is_cut_and_a_text_too_long_for_the_page_is_an_error():
    word = "Đ" * 200  # one "word" wider than the box
    page = read(build_certificates_pdf([certificate(word)], default_layout(GIAY_KHEN), created=CREATED)).pages[0]
    pieces = [s for s in spans(page) if set(s[0]) == {"Đ"}]
    assert len(pieces) >= 2 and sum(len(s[0]) for s in pieces) == 200
    assert all(s[1] + stringWidth(s[0], s[3], s[4]) <= 842 for s in pieces)
    with pytest.raises(ValueError, match="'achievement'.*do not fit"):
        build_certificates_pdf([certificate("Lê Thị Ưng", achievement="thành tích " * 3000)],
                               default_layout(GIAY_KHEN), created=CREATED)  # fmt: skip


def test_decomposed_input_and_stray_whitespace_give_the_same_pdf_as_nfc():
    nfd = [
        CertificateText(
            *(unicodedata.normalize("NFD", f"  {value.replace(' ', '  ')}\n") for value in item.__dict__.values())
        )
        for item in ITEMS
    ]
    assert not unicodedata.is_normalized("NFC", nfd[0].name)
    assert build_certificates_pdf(nfd, default_layout(BANG_KHEN), created=CREATED) == build_certificates_pdf(
        ITEMS, default_layout(BANG_KHEN), created=CREATED
    )


def test_same_input_same_bytes_and_created_is_the_only_date():
    layout = default_layout(GIAY_KHEN)
    first = build_certificates_pdf(ITEMS, layout, created=CREATED)
    assert first == build_certificates_pdf(ITEMS, layout, created=CREATED)
    assert first != build_certificates_pdf(ITEMS, layout, created=datetime(2025, 1, 6))
    assert build_certificates_pdf(ITEMS, layout, created=CREATED.replace(tzinfo=UTC)) == first
    meta = read(first).metadata
    assert meta.creation_date.replace(tzinfo=None) == CREATED
    assert meta.creator == "TĐKT"


def test_skipped_fields_and_empty_texts_are_not_printed():
    layout = replace(default_layout(BANG_KHEN), place_date=None, signer_name=None)
    item = certificate("Trần Văn Ơn", unit="", achievement="  ")
    page = read(build_certificates_pdf([item], layout, created=CREATED)).pages[0]
    assert [s[0] for s in spans(page)] == ["Trần Văn Ơn", DECISION]


def test_no_awardee_or_no_name_is_an_error():
    with pytest.raises(ValueError, match="no certificate"):
        build_certificates_pdf([], default_layout(BANG_KHEN), created=CREATED)
    with pytest.raises(ValueError, match="certificate 2 has no name"):
        build_certificates_pdf([ITEMS[0], certificate(" \n ")], default_layout(BANG_KHEN), created=CREATED)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed")
def test_the_page_renders_with_ink_in_the_name_field_and_none_in_the_blank_s_own_areas(tmp_path):
    """Turned into PNG: a landscape page, the name drawn where its field is, nothing over the blank's
    heading (emblem, national name, award title), its border or its signature and seal."""
    from PIL import Image

    layout = default_layout(BANG_KHEN)
    (tmp_path / "bk.pdf").write_bytes(build_certificates_pdf(ITEMS, layout, created=CREATED))
    subprocess.run(["pdftoppm", "-r", "50", "-gray", "-png", "-f", "1", "-l", "1", str(tmp_path / "bk.pdf"),
                    str(tmp_path / "page")], check=True, timeout=60)  # fmt: skip
    [png] = sorted(tmp_path.glob("page-*.png"))
    page = Image.open(png).convert("L")
    assert abs(page.width / page.height - 297 / 210) < 0.01

    def ink(box_mm) -> int:  # dark pixels in a box given in millimetres from the top-left corner
        w, h = page.size
        left, top, right, bottom = box_mm
        region = page.crop((int(left / 297 * w), int(top / 210 * h), int(right / 297 * w), int(bottom / 210 * h)))
        return sum(region.histogram()[:128])

    name = layout.name
    assert ink((name.x_mm, name.top_mm, name.x_mm + name.width_mm, name.y_mm + 2)) > 100
    assert ink((0, 0, 297, 85)) == 0  # the blank's heading
    assert ink((0, 0, 20, 210)) == 0 and ink((277, 0, 297, 210)) == 0  # left and right border
    assert ink((0, 196, 297, 210)) == 0  # bottom border
    assert ink((160, 157, 275, 185)) == 0  # signer's title, signature and seal


# --- layouts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [BANG_KHEN, GIAY_KHEN])
def test_default_layouts_are_a4_landscape_with_boxes_on_the_page_that_do_not_overlap(kind):
    layout = default_layout(kind)
    assert (layout.page_size, layout.orientation) == ("A4", "landscape")
    assert [round(v) for v in layout.page_pt] == [842, 595]
    assert 20 <= layout.name.size_pt <= 24 and layout.name.bold and layout.name.align == "center"
    assert layout.place_date.italic and layout.achievement.width_mm == 200
    boxes = [(key, getattr(layout, key)) for key in FIELD_NAMES]
    assert all(pos is not None for _, pos in boxes)
    for index, (key, a) in enumerate(boxes):
        assert a.top_mm > 85 and a.bottom_mm < 196 and a.x_mm >= 20 and a.x_mm + a.width_mm <= 277, key
        for other, b in boxes[index + 1 :]:
            side_by_side = a.x_mm + a.width_mm <= b.x_mm or b.x_mm + b.width_mm <= a.x_mm
            assert side_by_side or a.bottom_mm <= b.top_mm or b.bottom_mm <= a.top_mm, (key, other)
    assert layout.name.bottom_mm < layout.unit.top_mm and layout.unit.bottom_mm < layout.achievement.top_mm


def test_unknown_kind_is_an_error():
    assert set(DEFAULT_LAYOUTS) == {"bang_khen", "giay_khen"}
    with pytest.raises(ValueError, match="chien_si_thi_dua"):
        default_layout("chien_si_thi_dua")


@pytest.mark.parametrize("kind", [BANG_KHEN, GIAY_KHEN])
def test_layout_round_trips_through_plain_json(kind):
    layout = default_layout(kind)
    data = json.loads(json.dumps(layout_to_dict(layout)))
    assert data["name"]["size_pt"] == layout.name.size_pt and data["orientation"] == "landscape"
    assert layout_from_dict(data) == layout
    box = FieldPosition(x_mm=20, y_mm=150, width_mm=170, size_pt=20, bold=True, align="left", max_lines=2)
    portrait = CertificateLayout(box, replace(box, y_mm=170, size_pt=13.5), None, replace(box, y_mm=280, italic=True),
                                 orientation="portrait")  # fmt: skip
    assert layout_from_dict(json.loads(json.dumps(layout_to_dict(portrait)))) == portrait


def test_an_override_needs_only_what_it_changes():
    base = default_layout(BANG_KHEN)
    moved = layout_from_dict({"name": {"y_mm": 105, "size_pt": 22}, "signer_name": None}, base=base)
    assert moved.name == replace(base.name, y_mm=105, size_pt=22)
    assert moved.signer_name is None and moved.unit == base.unit and moved.page_size == "A4"
    page = read(build_certificates_pdf(ITEMS[:1], moved, created=CREATED)).pages[0]
    assert baseline_of(page, NAMES[0]) == pytest.approx(float(page.mediabox.height) - 105 * PT_PER_MM, abs=0.1)
    assert "Nguyễn Văn Giám" not in page.extract_text()


def _with(field: str, **changes) -> dict:
    data = layout_to_dict(default_layout(BANG_KHEN))
    data[field] = {**data[field], **changes}
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**layout_to_dict(default_layout(BANG_KHEN)), "colour": "red"}, "unknown key.*colour"),
        (_with("unit", colour="red"), "unknown key.*'unit'.*colour"),
        (_with("name", x_mm=-1), "'name'.*x_mm must not be negative"),
        (_with("achievement", y_mm=-5), "'achievement'.*y_mm must not be negative"),
        (_with("achievement", x_mm=100), "'achievement'.*right edge"),  # 100 + 200 mm > 297 mm
        (_with("decision_line", y_mm=250), "'decision_line'.*bottom of the page"),
        (_with("signer_name", y_mm=209.5), "'signer_name'.*bottom of the page"),  # its descenders would be cut
        (_with("name", y_mm=3), "'name'.*above the top of the page"),  # a 24 pt line needs ~7.6 mm
        (_with("name", size_pt=60), "'name'.*size_pt must be between 6 and 48 pt"),
        (_with("place_date", size_pt=5), "'place_date'.*size_pt must be between 6 and 48 pt"),
        (_with("unit", width_mm=0), "'unit'.*width_mm must be positive"),
        (_with("unit", align="justify"), "'unit'.*align must be one of"),
        (_with("unit", max_lines=0), "'unit'.*max_lines"),
        (_with("unit", bold="yes"), "'unit'.*bold must be true or false"),
        (_with("unit", x_mm="10"), "'unit'.*x_mm must be a finite number"),
        ({**layout_to_dict(default_layout(BANG_KHEN)), "orientation": "sideways"}, "orientation must be one of"),
        ({**layout_to_dict(default_layout(BANG_KHEN)), "page_size": "Letter"}, "page_size must be one of"),
        ({k: v for k, v in layout_to_dict(default_layout(BANG_KHEN)).items() if k != "unit"}, "missing field 'unit'"),
        (
            {**layout_to_dict(default_layout(BANG_KHEN)), "name": {"y_mm": 100}},
            "'name' is missing x_mm, width_mm, size_pt",
        ),
        ({**layout_to_dict(default_layout(BANG_KHEN)), "name": [1, 2]}, "'name' must be a JSON object"),
        ([], "must be a JSON object"),
    ],
)
def test_invalid_layouts_are_refused_with_the_field_named(data, message):
    with pytest.raises(ValueError, match=message):
        layout_from_dict(data)


def test_layouts_built_in_code_are_validated_too():
    with pytest.raises(ValueError, match="size_pt"):
        FieldPosition(x_mm=10, y_mm=50, width_mm=100, size_pt=49)
    with pytest.raises(ValueError, match="'name'.*right edge"):  # fits landscape, not portrait
        replace(default_layout(BANG_KHEN), orientation="portrait")
    assert isinstance(CertificateLayout(None, None, None, None, orientation="portrait"), CertificateLayout)
