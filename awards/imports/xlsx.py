"""Reading an uploaded workbook: bounded first, then streamed by openpyxl in read-only mode, one row at a time.

What keeps a hostile or broken file harmless (docs/architecture.md, fact 8; docs/imports.md):

- the caller has run ``awards.uploads.validate_upload`` (extension, magic bytes, the ZIP's declared sizes, entry
  count and ratios summed from its central directory before anything is decompressed, macros refused, an OLE2
  ``.xls`` refused with a message asking for ``.xlsx``); ``check_archive`` then bounds the decompressed total
  again with the import's own, smaller limit,
- openpyxl parses the sheets and shared strings with defusedxml (installed: ``openpyxl.DEFUSEDXML``) and the
  styles with lxml without entity resolution, so DTDs, entity bombs and external entities are refused,
- read-only mode streams rows instead of building the sheet; the sheet's declared dimensions are ignored (a lying
  ``<dimension>`` cannot make it yield a million empty rows), columns past ``MAX_COLUMNS`` are never built, and
  reading stops at ``max_rows`` data rows or after ``EMPTY_ROWS_STOP`` empty rows in a row,
- formulas are never evaluated: openpyxl returns a formula's text (``data_only=False``), which is kept as text,
  marked, never its cached result,
- merged cells: the top-left value is filled down into the rows its range covers, in its column.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..text import group_digits
from .cells import as_text, header_key
from .legacy import Legacy, decode, font_encoding

MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # a 10,000-row list of 12 columns is about 6 MB of XML
MAX_COLUMNS = 60  # columns looked at; a cell in column XFD does not make every row 16,384 cells wide
HEADER_ROWS = 10  # the header is looked for in the first rows (a title may sit above it)
EMPTY_ROWS_STOP = 1000  # that many empty rows in a row end the list (formatting dragged down to row 1,048,576)
MAX_MERGED_RANGES = 20_000
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')


@dataclass(frozen=True)
class Column:
    """A column an import understands: its key, the template's header and other headers people write."""

    key: str
    title: str
    aliases: tuple[str, ...] = ()
    required: bool = False  # the column must be in the file (a value may still be optional)

    def header_keys(self) -> set[str]:
        return {header_key(self.title), *(header_key(alias) for alias in self.aliases)}


def row_limit_check(count: int, max_rows: int) -> None:
    """Refuses the file once its `count`-th non-empty row passes the limit (workbooks and CSV alike)."""
    if count > max_rows:
        raise TooManyRows(
            _("The file has more than %(limit)s rows: split it into files of at most %(limit)s rows."),
            code="too_many_rows", params={"limit": group_digits(max_rows)},
        )  # fmt: skip


@dataclass
class Cell:
    value: object  # as read; legacy text converted to Unicode NFC
    original: str | None = None  # the legacy text as it was, when converted
    legacy: Legacy | None = None
    formula: bool = False  # a formula, kept as its text
    merged: bool = False  # filled from the merged range above

    def shown(self) -> dict:
        """What a preview shows of the cell: its text (v), the legacy original (o) and its encoding (l), flags
        for a formula (f) or a merged range (m), and notes (n) saying so."""
        shown: dict = {"v": as_text(self.value)}
        if self.original is not None:
            shown["o"], shown["l"] = self.original, self.legacy.label
        if self.formula:
            shown["f"] = 1
            shown.setdefault("n", []).append(str(_("A formula: its text is kept, it is not calculated.")))
        if self.merged:
            shown["m"] = 1
            shown.setdefault("n", []).append(str(_("Filled from the merged cell above.")))
        return shown


@dataclass
class Row:
    number: int  # the row number Excel shows
    cells: dict[str, Cell]

    def value(self, key: str) -> object:
        cell = self.cells.get(key)
        return None if cell is None else cell.value


@dataclass
class Sheet:
    """A worksheet whose header was found: which column holds which key, and its rows (a generator)."""

    name: str
    header_row: int
    positions: dict[str, int]  # key -> column number (1-based)
    ignored: list[str]  # headers of columns nobody asked for
    date1904: bool
    rows: Iterator[Row] = field(repr=False)


class TooManyRows(ValidationError):
    pass


def check_archive(stream: BinaryIO, *, max_uncompressed: int = MAX_UNCOMPRESSED_BYTES) -> None:
    """The decompressed total, from the central directory, under the import's limit (validate_upload's is larger)."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise ValidationError(_("The Excel file is damaged or cannot be read."), code="damaged") from error
    finally:
        stream.seek(0)
    if total > max_uncompressed:
        raise ValidationError(
            _("The workbook expands to more than %(limit)s MB: split the list into several files."),
            code="archive_bomb", params={"limit": max_uncompressed // (1024 * 1024)},
        )  # fmt: skip


def open_sheet(stream: BinaryIO, *, columns: Sequence[Column], max_rows: int) -> Sheet:
    """The first worksheet whose header row names every required column. ValidationError (code "not_template")
    naming the missing columns when none does; the rows raise TooManyRows past `max_rows`."""
    from openpyxl import load_workbook

    check_archive(stream)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=False, keep_links=False, keep_vba=False)
    except ValidationError:
        raise
    except Exception as error:  # openpyxl, defusedxml and zipfile raise many types; all mean "cannot be read"
        raise _unreadable(error) from error
    date1904 = workbook.epoch.year == 1904
    best: tuple[int, list[str]] | None = None
    for worksheet in workbook.worksheets[:20]:
        if not hasattr(worksheet, "iter_rows") or worksheet.sheet_state != "visible":
            continue  # chart sheets; the template's hidden list of choices
        worksheet.reset_dimensions()
        try:
            found = _find_header(worksheet, columns)
        except Exception as error:
            raise _unreadable(error) from error
        if found is None:
            continue
        header_row, positions, ignored = found
        missing = [c.title for c in columns if c.required and c.key not in positions]
        if not missing:
            merges = _merged_ranges(workbook, worksheet)
            rows = _rows(worksheet, header_row=header_row, positions=positions, merges=merges, max_rows=max_rows)
            return Sheet(name=worksheet.title, header_row=header_row, positions=positions, ignored=ignored,
                         date1904=date1904, rows=rows)  # fmt: skip
        if best is None or len(positions) > best[0]:
            best = (len(positions), missing)
    raise not_template(columns, best[1] if best else None)


def _unreadable(error: BaseException) -> ValidationError:
    """openpyxl wraps what defusedxml refused (a DTD, an entity) in its own ValueError: the chain tells."""
    seen: BaseException | None = error
    for _depth in range(10):
        if seen is None:
            break
        if type(seen).__module__.startswith("defusedxml"):
            return ValidationError(_("The Excel file contains unsafe XML and was refused."), code="unsafe_xml")
        seen = seen.__cause__ or seen.__context__
    return ValidationError(_("The Excel file is damaged or cannot be read."), code="damaged")


def _find_header(worksheet, columns: Sequence[Column]) -> tuple[int, dict[str, int], list[str]] | None:
    return find_header(
        worksheet.iter_rows(min_row=1, max_row=HEADER_ROWS, max_col=MAX_COLUMNS, values_only=True), columns
    )


def find_header(
    lines: Iterable[Sequence[object]], columns: Sequence[Column]
) -> tuple[int, dict[str, int], list[str]] | None:
    """Among the first HEADER_ROWS lines (cell values), the one naming the most columns: (its number, key -> column
    number (1-based), the headers nobody asked for); None when no line names any. Any reader's rows (a worksheet's,
    a CSV file's) go through here, so headers match the same way whatever the file."""
    by_key = {key: column.key for column in columns for key in column.header_keys()}
    best = None
    for number, values in enumerate(lines, start=1):
        if number > HEADER_ROWS:
            break
        positions: dict[str, int] = {}
        ignored: list[str] = []
        for index, value in enumerate(values[:MAX_COLUMNS], start=1):
            if value is None or str(value).strip() == "":
                continue
            key = by_key.get(header_key(value))
            if key is not None and key not in positions:
                positions[key] = index
            else:
                ignored.append(" ".join(str(value).split()))
        if positions and (best is None or len(positions) > len(best[1])):
            best = (number, positions, ignored)
    return best


def not_template(columns: Sequence[Column], missing: Sequence[str] | None = None) -> ValidationError:
    """The file has no header naming the required columns: the message names those missing."""
    missing = missing if missing is not None else [c.title for c in columns if c.required]
    return ValidationError(
        _("This file is not the import template: no sheet has the columns %(missing)s. Download the template and "
          "copy the list into it (the columns may be in any order)."),
        code="not_template", params={"missing": ", ".join(f"“{title}”" for title in missing)},
    )  # fmt: skip


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters:
        number = number * 26 + char - 64
    return number


def _merged_ranges(workbook, worksheet) -> dict[tuple[int, int], tuple[int, int]]:
    """(row, column) -> the top-left (row, column) of its merged range, for the cells below a range's first row in
    its first column. Read-only mode does not parse <mergeCells>: the sheet's XML is scanned for them (they follow
    the rows), without building anything."""
    covered: dict[tuple[int, int], tuple[int, int]] = {}
    ranges = 0
    tail = b""
    with workbook._archive.open(worksheet._worksheet_path) as source:
        while chunk := source.read(1 << 20):
            data = tail + chunk
            for match in _MERGE_REF.finditer(data):
                first_col, first_row = _column_number(match.group(1)), int(match.group(2))
                last_row = int(match.group(4))
                ranges += 1
                if ranges > MAX_MERGED_RANGES or first_col > MAX_COLUMNS:
                    continue
                for row in range(first_row + 1, min(last_row, first_row + 100_000) + 1):
                    covered[(row, first_col)] = (first_row, first_col)
            tail = data[-200:]
    return covered


def _rows(worksheet, *, header_row: int, positions: dict[str, int], merges, max_rows: int) -> Iterator[Row]:
    last = max(positions.values())
    by_index = {index: key for key, index in positions.items()}
    wanted_tops = set(merges.values())
    top_values: dict[tuple[int, int], Cell] = {}
    encodings: dict[int, Legacy | None] = {}  # font id -> encoding
    fonts = worksheet.parent._fonts
    styles = worksheet.parent._cell_styles
    count = empty_streak = 0
    number = header_row
    for cells in worksheet.iter_rows(min_row=header_row + 1, max_col=last):
        number += 1
        read: dict[str, Cell] = {}
        for index, key in by_index.items():
            cell = _cell(cells[index - 1] if index - 1 < len(cells) else None, fonts, styles, encodings)
            if cell is not None:
                read[key] = cell
                if (number, index) in wanted_tops:
                    top_values[(number, index)] = cell
        if read and merges:  # a merged range fills the rows it covers, not the empty rows it spans
            for index, key in by_index.items():
                top = top_values.get(merges.get((number, index))) if key not in read else None
                if top is not None:
                    read[key] = Cell(value=top.value, original=top.original, legacy=top.legacy, formula=top.formula,
                                     merged=True)  # fmt: skip
        if not read:
            empty_streak += 1
            if empty_streak >= EMPTY_ROWS_STOP:
                return
            continue
        empty_streak = 0
        count += 1
        row_limit_check(count, max_rows)
        yield Row(number=number, cells=read)


def _cell(raw, fonts, styles, encodings) -> Cell | None:
    """A read-only cell -> Cell, None when empty (whitespace only counts as empty)."""
    if raw is None:
        return None
    value = getattr(raw, "value", None)
    if value is None:
        return None
    if isinstance(value, str):
        if not value.strip():
            return None
        formula = raw.data_type == "f"  # its text ("=SUM(A1:A3)"), never a computed result
        style_id = raw._style_id  # style 0 has a font too: an old workbook's Normal style may be .VnTime
        font_id = styles[style_id].fontId if style_id < len(styles) else 0
        if font_id not in encodings:
            encodings[font_id] = font_encoding(fonts[font_id].name) if font_id < len(fonts) else None
        encoding = encodings[font_id]
        if encoding is not None and not formula:
            converted = decode(value, encoding)
            if converted != unicodedata.normalize("NFC", value):
                return Cell(value=converted, original=value, legacy=encoding)
        return Cell(value=unicodedata.normalize("NFC", value), formula=formula)
    return Cell(value=value)
