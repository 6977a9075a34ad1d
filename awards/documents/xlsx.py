"""XLSX builder: XlsxWriter in `constant_memory` mode, so a 10,000-row export keeps one row in memory
at a time (rows are written in order and may come from a generator, e.g. a queryset's iterator()).

Values keep their type: int and float (and Decimal) are numbers, bool a boolean, date/datetime a date
cell, None an empty cell; everything else is written as text, never as a formula (a name starting
with "=" stays a name, and carries Excel's quote prefix: FORMULA_STARTS).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

import xlsxwriter

from . import _zip
from .model import Column, Meta, plain
from .typeface import text_width_pt

_PX_PER_CM = 96 / 2.54  # Excel lays columns out at 96 dpi
_FONT = {"font_name": "Times New Roman", "font_size": 12}
_DATE_FORMAT = "dd/mm/yyyy"
_TEXT_CACHE = 4096  # distinct cell strings remembered per sheet (cleaned once each)
# Text a spreadsheet would take for a formula when typed: written as text (never a formula) with Excel's quote
# prefix, so it stays text even when someone edits the cell or the file is saved as CSV and opened again.
FORMULA_STARTS = frozenset("=+-@\t\r")


@dataclass(frozen=True)
class Sheet:
    """One worksheet: an optional `title` line above a bold, frozen, filterable header row."""

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]] = ()
    title: str | None = None


def build_xlsx(sheets: Sequence[Sheet], meta: Meta, *, title: str = "") -> bytes:
    """Write the sheets in order into one workbook. Same input, same bytes."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "remove_timezone": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    workbook.set_properties(
        {
            "title": plain(title),
            "author": plain(meta.author),
            "subject": plain(meta.subject),
            "keywords": ", ".join(plain(k) for k in meta.keywords),
            "comments": "",
            "created": meta.created_utc(),
        }
    )
    for sheet in sheets:
        _write_sheet(workbook, sheet)
    workbook.close()
    # XlsxWriter's zip depends on its temp files (dated 1980-01-31 in local time, their modes) and
    # entry order; restamping gives DOCX and XLSX one rule (entry order, dates, permissions) without
    # deflating the sheets a second time (what `normalise` would do, with the same bytes as a result).
    return _zip.restamp(out.getvalue())


_TITLE_PT = 14


def _title_height(title: str, width_cm: float) -> float:
    """Points for a title row: its lines once wrapped to the merged width (with a margin for Excel's own
    metrics), each 1.3 times the font size."""
    room = width_cm * 72 / 2.54 * 0.9
    lines = sum(max(1, math.ceil(text_width_pt(part, _TITLE_PT, bold=True) / room)) for part in title.split("\n"))
    return round(lines * _TITLE_PT * 1.3 + 4, 1)


def _write_sheet(workbook, sheet: Sheet) -> None:
    if not sheet.columns:
        raise ValueError(f"sheet {sheet.name!r} has no columns")
    ws = workbook.add_worksheet(sheet.name)
    n = len(sheet.columns)
    ws.set_paper(9)  # A4
    border = {**_FONT, "border": 1, "valign": "top", "text_wrap": True}
    header_fmt = workbook.add_format({**border, "bold": True, "align": "center", "valign": "vcenter"})
    cell_fmts = []
    date_fmts = []
    for index, column in enumerate(sheet.columns):
        align = {"justify": "left"}.get(column.align, column.align)
        props = {**border, "align": align}
        cell_fmts.append(
            workbook.add_format({**props, **({"num_format": column.num_format} if column.num_format else {})})
        )
        date_fmts.append(workbook.add_format({**props, "num_format": column.num_format or _DATE_FORMAT}))
        ws.set_column_pixels(index, index, round(column.width_cm * _PX_PER_CM))

    row = 0
    if sheet.title:
        title_fmt = workbook.add_format(
            {**_FONT, "bold": True, "font_size": _TITLE_PT, "align": "center", "valign": "vcenter", "text_wrap": True}
        )
        # Excel never fits a merged row's height to its text: the row is made as tall as the wrapped title.
        ws.set_row(0, _title_height(_text(sheet.title), sum(c.width_cm for c in sheet.columns)))
        if n > 1:
            ws.merge_range(0, 0, 0, n - 1, _text(sheet.title), title_fmt)
        else:
            ws.write_string(0, 0, _text(sheet.title), title_fmt)
        row = 1
    header_row = row
    for index, column in enumerate(sheet.columns):
        ws.write_string(header_row, index, _text(column.title), header_fmt)
    row += 1

    # The inner loop of a 10,000-row export: text (most cells) is written here, each distinct string
    # cleaned once (names of units and positions repeat), and integers (STT); the rest go through `_write`.
    write_string, write_number, write_blank = ws.write_string, ws.write_number, ws.write_blank
    texts: dict[str, str] = {}
    quoted: dict[int, object] = {}  # a column's format with Excel's quote prefix, made when first needed

    def quoted_fmt(col: int):
        if col not in quoted:
            column = sheet.columns[col]
            align = {"justify": "left"}.get(column.align, column.align)
            quoted[col] = workbook.add_format({**border, "align": align, "quote_prefix": True})
        return quoted[col]

    for values in sheet.rows:
        if len(values) > n:
            raise ValueError(f"sheet {sheet.name!r} row {row - header_row} has {len(values)} cells for {n} columns")
        for col, value in enumerate(values):
            if isinstance(value, str):
                text = texts.get(value)
                if text is None:
                    if len(texts) >= _TEXT_CACHE:
                        texts.clear()  # a bound, so that a long generator keeps constant memory
                    text = texts[value] = _text(value)
                if text:
                    write_string(row, col, text, quoted_fmt(col) if text[0] in FORMULA_STARTS else cell_fmts[col])
                else:
                    write_blank(row, col, None, cell_fmts[col])
            elif type(value) is int:  # not a bool
                write_number(row, col, value, cell_fmts[col])
            else:
                _write(ws, row, col, value, cell_fmts[col], date_fmts[col])
        for col in range(len(values), n):
            write_blank(row, col, None, cell_fmts[col])
        row += 1

    ws.freeze_panes(header_row + 1, 0)
    ws.repeat_rows(header_row)
    ws.autofilter(header_row, 0, max(row - 1, header_row), n - 1)


def _text(value: object) -> str:
    """`plain(value)`, kept literal: in constant_memory mode XlsxWriter copies a string that starts
    with "<r>" and ends with "</r>" into the sheet XML unescaped (as a rich string), so such a text
    could add cells or formulas; it is written as one escaped run instead, which reads the same."""
    text = plain(value)
    if text.startswith("<r>") and text.endswith("</r>"):
        text = f'<r><t xml:space="preserve">{escape(text)}</t></r>'
    return text


def _write(ws, row: int, col: int, value: object, fmt, date_fmt) -> None:
    """A cell other than text or an int (which the row loop writes itself)."""
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, Decimal):
        ws.write_number(row, col, float(value), fmt)
    elif isinstance(value, datetime | date):
        ws.write_datetime(row, col, value, date_fmt)
    else:
        ws.write_string(row, col, _text(value), fmt)
