"""Award certificates (Giấy khen, Bằng khen) printed onto pre-printed blanks.

The blanks officials feed into the printer already carry everything that never changes: the national
emblem, the national name and motto, the issuing authority and the award's heading ("BẰNG KHEN",
"GIẤY KHEN"), the decorative border, the signer's title and the places for the signature and the seal.
This module prints only the variable text, one page per awardee: the awardee's name, the unit line,
the achievement, the decision line ("Quyết định số ... ngày ..."), and optionally the place-date line
and the signer's name.

Every blank is a little different, so where each text goes is a `CertificateLayout`: one
`FieldPosition` per text (or None to leave it out), in millimetres from the page's TOP-left corner,
which is how one measures a blank with a ruler. `DEFAULT_LAYOUTS` (`default_layout(kind)`) holds
positions for A4 landscape Bằng khen and Giấy khen blanks; an administrator can store overrides per
award type as JSON (`layout_to_dict`, `layout_from_dict`, which validates and names the offending
field).

`build_certificates_pdf` is a pure function (no database, no clock): the PDF is written with ReportLab
`invariant=1`, the vendored Liberation Serif faces (`awards.documents.typeface`, never the system's
fonts) and `created` as its only date, so the same input gives the same bytes. Text is normalised to
NFC and its whitespace collapsed; a text too long for its box wraps within the box's width (a word
wider than the box is cut) and is set smaller until it fits the box's height (`max_lines` lines at
the field's size), down to a floor (60% of the size, at least 6 pt); past the floor it takes more
lines, and it never runs off the page. Fields are not checked against each other (`top_mm` and
`bottom_mm` tell a box's extent): a layout whose boxes overlap prints overlapping text.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from reportlab.lib.pagesizes import landscape, portrait
from reportlab.pdfbase import pdfmetrics

from awards.documents import layout as page_layout
from awards.documents import typeface
from awards.documents.model import Meta, plain
from awards.documents.pdf import canvas_maker, wrap_lines

PT_PER_MM = page_layout.PT_PER_CM / 10

# Paper sizes in millimetres, portrait (width, height).
PAGE_SIZES_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0)}
ORIENTATIONS = ("landscape", "portrait")
ALIGNMENTS = ("center", "left", "right")

SIZE_MIN_PT = 6.0
SIZE_MAX_PT = 48.0
# Baseline-to-baseline distance, in font sizes.
LEADING = 1.25
# A text taller than its box (`max_lines` lines at the field's size) is set smaller in steps of
# SHRINK_STEP_PT, down to SHRINK_FLOOR of its size (never below SIZE_MIN_PT); at the floor it takes more
# lines. Only a text that would otherwise run off the page's bottom edge is set smaller still, down to
# SIZE_MIN_PT.
SHRINK_STEP_PT = 0.5
SHRINK_FLOOR = 0.6
# How far Liberation Serif reaches above and below the baseline, in font sizes (ascent 0.891,
# descent 0.216 of the em), rounded up.
ASCENT = 0.9
DESCENT = 0.22

BANG_KHEN = "bang_khen"
GIAY_KHEN = "giay_khen"

FIELD_NAMES = ("name", "unit", "achievement", "decision_line", "place_date", "signer_name")


@dataclass(frozen=True)
class CertificateText:
    """What one certificate says. `name` is a person's full name or a collective's name, printed as
    given (capitalise it before); the other texts may be empty, and an empty text is not printed."""

    name: str
    unit: str
    achievement: str
    decision_line: str
    place_date: str = ""
    signer_name: str = ""


@dataclass(frozen=True)
class FieldPosition:
    """Where and how one text is printed. `x_mm` is the left edge of the text's box and `y_mm` the
    baseline of its first line, both in millimetres from the page's top-left corner; `width_mm` is the
    box's width, within which the text is wrapped and aligned ("center", "left" or "right"). The box is
    `max_lines` lines high at `size_pt`; a longer text is set smaller (see the module's docstring)."""

    x_mm: float
    y_mm: float
    width_mm: float
    size_pt: float
    bold: bool = False
    italic: bool = False
    align: str = "center"
    max_lines: int = 3

    def __post_init__(self) -> None:
        for key in ("x_mm", "y_mm", "width_mm", "size_pt"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ValueError(f"{key} must be a finite number, not {value!r}")
        for key in ("bold", "italic"):
            if not isinstance(getattr(self, key), bool):
                raise ValueError(f"{key} must be true or false, not {getattr(self, key)!r}")
        if self.x_mm < 0:
            raise ValueError(f"x_mm must not be negative, not {self.x_mm:g}")
        if self.y_mm < 0:
            raise ValueError(f"y_mm must not be negative, not {self.y_mm:g}")
        if self.width_mm <= 0:
            raise ValueError(f"width_mm must be positive, not {self.width_mm:g}")
        if not SIZE_MIN_PT <= self.size_pt <= SIZE_MAX_PT:
            raise ValueError(f"size_pt must be between {SIZE_MIN_PT:g} and {SIZE_MAX_PT:g} pt, not {self.size_pt:g}")
        if self.align not in ALIGNMENTS:
            raise ValueError(f"align must be one of {', '.join(ALIGNMENTS)}, not {self.align!r}")
        if isinstance(self.max_lines, bool) or not isinstance(self.max_lines, int) or self.max_lines < 1:
            raise ValueError(f"max_lines must be a whole number of at least 1, not {self.max_lines!r}")

    @property
    def top_mm(self) -> float:
        """Where the box's first line reaches up to, in millimetres from the page's top edge."""
        return self.y_mm - ASCENT * self.size_pt / PT_PER_MM

    @property
    def bottom_mm(self) -> float:
        """Where the box's last line (`max_lines`) reaches down to, from the page's top edge."""
        return self.y_mm + ((self.max_lines - 1) * LEADING + DESCENT) * self.size_pt / PT_PER_MM


@dataclass(frozen=True)
class CertificateLayout:
    """The blank's paper and where each text goes (None: not printed). Every box must lie on the page."""

    name: FieldPosition | None
    unit: FieldPosition | None
    achievement: FieldPosition | None
    decision_line: FieldPosition | None
    place_date: FieldPosition | None = None
    signer_name: FieldPosition | None = None
    page_size: str = "A4"
    orientation: str = "landscape"

    def __post_init__(self) -> None:
        if self.page_size not in PAGE_SIZES_MM:
            raise ValueError(f"page_size must be one of {', '.join(PAGE_SIZES_MM)}, not {self.page_size!r}")
        if self.orientation not in ORIENTATIONS:
            raise ValueError(f"orientation must be one of {', '.join(ORIENTATIONS)}, not {self.orientation!r}")
        width, height = self.page_mm
        for key in FIELD_NAMES:
            pos = getattr(self, key)
            if pos is None:
                continue
            if not isinstance(pos, FieldPosition):
                raise ValueError(f"field {key!r} must be a FieldPosition or None, not {type(pos).__name__}")
            right = pos.x_mm + pos.width_mm
            if right > width:
                raise ValueError(
                    f"field {key!r}: x_mm + width_mm = {right:g} mm runs past the right edge of the page "
                    f"({width:g} mm wide, {self.page_size} {self.orientation})"
                )
            if pos.y_mm > height:
                raise ValueError(
                    f"field {key!r}: y_mm = {pos.y_mm:g} mm is below the bottom of the page "
                    f"({height:g} mm high, {self.page_size} {self.orientation})"
                )
            if pos.top_mm < 0:
                raise ValueError(
                    f"field {key!r}: y_mm = {pos.y_mm:g} mm puts a {pos.size_pt:g} pt line above the top of the page"
                )
            if pos.bottom_mm > height:
                raise ValueError(
                    f"field {key!r}: {pos.max_lines} line(s) of {pos.size_pt:g} pt from y_mm = {pos.y_mm:g} mm run "
                    f"past the bottom of the page ({height:g} mm high, {self.page_size} {self.orientation})"
                )

    @property
    def page_mm(self) -> tuple[float, float]:
        """(width, height) in millimetres."""
        size = PAGE_SIZES_MM[self.page_size]
        return landscape(size) if self.orientation == "landscape" else portrait(size)

    @property
    def page_pt(self) -> tuple[float, float]:
        """(width, height) in points."""
        width, height = self.page_mm
        return width * PT_PER_MM, height * PT_PER_MM


# --- default layouts -------------------------------------------------------------------------------
# A4 landscape: 297 x 210 mm. The blanks print the emblem, national name, motto, authority and the
# award's heading in the top ~85 mm, inside a border some 15-20 mm from the edges; the signer's title,
# signature and seal sit at the bottom right. The name, unit and achievement boxes are 200 mm wide and
# centred (x = (297 - 200) / 2), one under the other with room for all their lines; the place-date
# (above the signer's title) and the signer's name (under the seal) share a 110 mm column on the right;
# the decision line is centred in a column at the bottom left. No two boxes overlap.

DEFAULT_LAYOUTS: dict[str, CertificateLayout] = {
    BANG_KHEN: CertificateLayout(
        name=FieldPosition(x_mm=48.5, y_mm=98, width_mm=200, size_pt=24, bold=True, max_lines=2),
        unit=FieldPosition(x_mm=48.5, y_mm=118, width_mm=200, size_pt=15, bold=True, max_lines=2),
        achievement=FieldPosition(x_mm=48.5, y_mm=132, width_mm=200, size_pt=14, max_lines=3),
        decision_line=FieldPosition(x_mm=25, y_mm=175, width_mm=115, size_pt=12, max_lines=2),
        place_date=FieldPosition(x_mm=162, y_mm=152, width_mm=110, size_pt=13, italic=True, max_lines=1),
        signer_name=FieldPosition(x_mm=162, y_mm=192, width_mm=110, size_pt=14, bold=True, max_lines=1),
    ),
    GIAY_KHEN: CertificateLayout(
        name=FieldPosition(x_mm=48.5, y_mm=94, width_mm=200, size_pt=22, bold=True, max_lines=2),
        unit=FieldPosition(x_mm=48.5, y_mm=113, width_mm=200, size_pt=14, bold=True, max_lines=2),
        achievement=FieldPosition(x_mm=48.5, y_mm=126, width_mm=200, size_pt=14, max_lines=3),
        decision_line=FieldPosition(x_mm=25, y_mm=172, width_mm=115, size_pt=12, max_lines=2),
        place_date=FieldPosition(x_mm=162, y_mm=148, width_mm=110, size_pt=13, italic=True, max_lines=1),
        signer_name=FieldPosition(x_mm=162, y_mm=190, width_mm=110, size_pt=14, bold=True, max_lines=1),
    ),
}


def default_layout(kind: str) -> CertificateLayout:
    """The default layout for `kind` ("bang_khen" or "giay_khen"). Layouts are immutable: share freely."""
    try:
        return DEFAULT_LAYOUTS[kind]
    except KeyError:
        raise ValueError(f"no default certificate layout for {kind!r}; kinds: {', '.join(DEFAULT_LAYOUTS)}") from None


# --- JSON ------------------------------------------------------------------------------------------

_POSITION_KEYS = tuple(f.name for f in fields(FieldPosition))
_POSITION_REQUIRED = ("x_mm", "y_mm", "width_mm", "size_pt")
_LAYOUT_KEYS = ("page_size", "orientation", *FIELD_NAMES)


def layout_to_dict(layout: CertificateLayout) -> dict[str, Any]:
    """A plain, JSON-able dict that `layout_from_dict` turns back into the same layout."""
    out: dict[str, Any] = {"page_size": layout.page_size, "orientation": layout.orientation}
    for key in FIELD_NAMES:
        pos = getattr(layout, key)
        out[key] = None if pos is None else _position_to_dict(pos)
    return out


def _position_to_dict(pos: FieldPosition) -> dict[str, Any]:
    return {
        "x_mm": float(pos.x_mm),
        "y_mm": float(pos.y_mm),
        "width_mm": float(pos.width_mm),
        "size_pt": float(pos.size_pt),
        "bold": pos.bold,
        "italic": pos.italic,
        "align": pos.align,
        "max_lines": pos.max_lines,
    }


def layout_from_dict(data: Mapping[str, Any], *, base: CertificateLayout | None = None) -> CertificateLayout:
    """Build and validate a layout from a dict as `layout_to_dict` makes it (e.g. an award type's JSON).

    Without `base` every field key must be present (null leaves the field out; page_size and
    orientation default to A4 landscape) and every field needs x_mm, y_mm, width_mm and size_pt. With
    `base`, whatever `data` leaves out is taken from `base`, down to single settings of a field: so
    `{"name": {"y_mm": 105}}` moves only the name. Raises ValueError naming the offending field."""
    if not isinstance(data, Mapping):
        raise ValueError(f"a certificate layout must be a JSON object, not {type(data).__name__}")
    unknown = sorted(str(k) for k in data if k not in _LAYOUT_KEYS)
    if unknown:
        raise ValueError(
            f"unknown key(s) in certificate layout: {', '.join(unknown)}; allowed: {', '.join(_LAYOUT_KEYS)}"
        )
    defaults = layout_to_dict(base) if base is not None else {"page_size": "A4", "orientation": "landscape"}
    values: dict[str, Any] = {}
    for key in ("page_size", "orientation"):
        value = data.get(key, defaults[key])
        if not isinstance(value, str):
            raise ValueError(f"{key} must be a string, not {value!r}")
        values[key] = value
    for key in FIELD_NAMES:
        if key in data:
            values[key] = _position_from_dict(key, data[key], defaults.get(key))
        elif base is not None:
            values[key] = getattr(base, key)
        else:
            raise ValueError(f"certificate layout is missing field {key!r} (use null to leave it out)")
    return CertificateLayout(**values)


def _position_from_dict(field: str, data: Any, default: Mapping[str, Any] | None) -> FieldPosition | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise ValueError(f"field {field!r} must be a JSON object or null, not {type(data).__name__}")
    unknown = sorted(str(k) for k in data if k not in _POSITION_KEYS)
    if unknown:
        raise ValueError(
            f"unknown key(s) in field {field!r}: {', '.join(unknown)}; allowed: {', '.join(_POSITION_KEYS)}"
        )
    merged = {**(default or {}), **data}
    missing = [k for k in _POSITION_REQUIRED if k not in merged]
    if missing:
        raise ValueError(f"field {field!r} is missing {', '.join(missing)}")
    try:
        return FieldPosition(**merged)
    except ValueError as error:
        raise ValueError(f"field {field!r}: {error}") from None


# --- PDF -------------------------------------------------------------------------------------------


def build_certificates_pdf(
    items: Sequence[CertificateText],
    layout: CertificateLayout,
    *,
    created: date | datetime,
    title: str = "",
) -> bytes:
    """One page per item, each text where `layout` puts it, for printing onto pre-printed blanks.

    `created` is the PDF's CreationDate (a date means midnight; an aware datetime is taken in UTC) and
    the only date in the file: same input, same bytes. Raises ValueError for no items, an item without
    a name, or a text that cannot fit on the page even at the smallest size."""
    if not items:
        raise ValueError("no certificate to print")
    typeface.register()
    width, height = layout.page_pt
    out = io.BytesIO()
    make = canvas_maker(Meta(created=created).created_utc())
    canvas = make(
        out,
        pagesize=(width, height),
        invariant=1,
        pageCompression=1,
        lang="vi-VN",
        initialFontName=typeface.face(),  # else every page's resources name Helvetica
        initialFontSize=page_layout.BODY_PT,
        initialLeading=page_layout.BODY_PT * LEADING,
    )
    canvas.setCreator("TĐKT")
    canvas.setAuthor("")
    canvas.setSubject("")
    canvas.setTitle(_clean(title))
    for index, item in enumerate(items):
        name = _clean(item.name)
        if not name:
            raise ValueError(f"certificate {index + 1} has no name")
        for key in FIELD_NAMES:
            pos = getattr(layout, key)
            text = _clean(getattr(item, key))
            if pos is None or not text:
                continue
            try:
                face, size, lines = _fit(text, pos, height)
            except ValueError as error:
                raise ValueError(f"certificate {index + 1} ({name}), field {key!r}: {error}") from None
            _draw(canvas, pos, face, size, lines, height)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _clean(value: object) -> str:
    """NFC, no XML-illegal characters, runs of whitespace (line breaks included) as one space, trimmed."""
    return " ".join(plain(value).split())


# An awardee's achievement line must read at this size or larger within ACHIEVEMENT_LINES lines; a longer
# one is refused at appraisal with a request to shorten it (the box would otherwise shrink it further).
ACHIEVEMENT_MIN_PT = 11.0
ACHIEVEMENT_LINES = 3


def fits(
    text: str, pos: FieldPosition, *, lines: int = ACHIEVEMENT_LINES, min_size: float = ACHIEVEMENT_MIN_PT
) -> bool:
    """Whether `text` wraps within `lines` lines of the box at `min_size` pt or larger."""
    font = pdfmetrics.getFont(typeface.face(pos.bold, pos.italic))
    size, text = min(pos.size_pt, SIZE_MAX_PT), _clean(text)
    while size >= min_size - 1e-6:
        if len(wrap_lines(text, font, size, pos.width_mm * PT_PER_MM)) <= lines:
            return True
        size -= SHRINK_STEP_PT
    return False


def _fit(text: str, pos: FieldPosition, page_height: float) -> tuple[str, float, list[str]]:
    """The face, size and lines `text` is printed in: wrapped to the box's width, smaller when it is
    taller than the box (down to the floor) or would run off the bottom of the page (down to
    SIZE_MIN_PT)."""
    face = typeface.face(pos.bold, pos.italic)
    font = pdfmetrics.getFont(face)
    box = pos.width_mm * PT_PER_MM
    top = pos.y_mm * PT_PER_MM
    room = (pos.max_lines - 1) * pos.size_pt * LEADING  # first baseline to last
    floor = min(pos.size_pt, max(SIZE_MIN_PT, pos.size_pt * SHRINK_FLOOR))
    size = pos.size_pt
    while True:
        lines = wrap_lines(text, font, size, box)
        depth = (len(lines) - 1) * size * LEADING
        on_page = top + depth + DESCENT * size <= page_height
        if on_page and (depth <= room + 1e-6 or size <= floor):
            return face, size, lines
        if size <= SIZE_MIN_PT:
            raise ValueError(f"{len(text)} characters do not fit on the page even at {SIZE_MIN_PT:g} pt")
        size = max(size - SHRINK_STEP_PT, floor if on_page else SIZE_MIN_PT)


def _draw(canvas, pos: FieldPosition, face: str, size: float, lines: list[str], page_height: float) -> None:
    left = pos.x_mm * PT_PER_MM
    box = pos.width_mm * PT_PER_MM
    y = page_height - pos.y_mm * PT_PER_MM
    canvas.setFont(face, size)
    for line in lines:
        used = pdfmetrics.stringWidth(line, face, size)
        if pos.align == "center":
            x = left + (box - used) / 2
        elif pos.align == "right":
            x = left + box - used
        else:
            x = left
        canvas.drawString(x, y, line)
        y -= size * LEADING
