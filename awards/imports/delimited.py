"""Reading an uploaded CSV file (comma, semicolon or tab separated), bounded like a workbook.

CSV has no fonts and no declared encoding, so the bytes must tell (``decode_bytes``):

- UTF-8, with or without the byte-order mark Excel's "CSV UTF-8" writes, and UTF-16 with its mark (Excel's
  "Unicode Text"), are read as they are;
- otherwise Windows-1258, the code page Excel uses to save "CSV" on a Vietnamese Windows, when the text it gives
  is Vietnamese: every tone mark lands on a vowel it composes with, and every letter beyond ASCII is a
  Vietnamese one;
- otherwise the bytes are taken as Windows' Western characters (what the legacy fonts drew as Vietnamese) and
  ``legacy.guess_encoding`` looks at the whole file for TCVN3 or VNI; each cell is converted and its original kept
  beside it, as a workbook's legacy cells are. With no evidence the text is read as Windows-1252 and the preview
  says the encoding was not recognised.

The header is found by name like a workbook's (``xlsx.find_header``); rows stop at ``max_rows`` (TooManyRows), a
file of more than ``MAX_COLUMNS`` columns is only read that far, and a field longer than ``MAX_FIELD`` characters
is refused. Nothing in a cell is ever evaluated: "=1+1" is the text "=1+1".
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .legacy import Legacy, decode, guess_encoding
from .xlsx import (
    EMPTY_ROWS_STOP,
    HEADER_ROWS,
    MAX_COLUMNS,
    Cell,
    Column,
    Row,
    Sheet,
    find_header,
    not_template,
    row_limit_check,
)

MAX_FIELD = 32_767  # Excel's own limit for one cell
SNIFF_BYTES = 64 * 1024

# Windows-1258 writes tones as combining marks after the letter; these are the marks Vietnamese uses.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", letter + tone)
    for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
    for letter in (base,)
    for tone in ("", *_TONE_MARKS)
) | frozenset("đĐ")


@dataclass(frozen=True)
class Decoded:
    text: str
    label: str  # shown on the preview: "UTF-8", "Windows-1258", "TCVN3 (ABC)"…
    legacy: Legacy | None = None  # each cell still to be converted
    recognised: bool = True


def _is_vietnamese_1258(text: str) -> bool:
    composed = unicodedata.normalize("NFC", text)
    if any(char in _TONE_MARKS for char in composed):
        return False  # a mark that composes with nothing: not Vietnamese text
    letters = [char for char in composed if not char.isascii() and char.isalpha()]
    return bool(letters) and all(char in _VIETNAMESE_LETTERS for char in letters)


def decode_bytes(data: bytes) -> Decoded:
    """The file's text and how it was recognised (see the module's docstring)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        return Decoded(_strict(data, "utf-8"), "UTF-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(_strict(data, "utf-16"), "UTF-16")
    try:
        return Decoded(unicodedata.normalize("NFC", data.decode("utf-8")), "UTF-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        text = ""
    if text and _is_vietnamese_1258(text):
        return Decoded(unicodedata.normalize("NFC", text), "Windows-1258")
    western = data.decode("latin-1")
    legacy = guess_encoding(western)
    if legacy is not None:
        return Decoded(western, legacy.label, legacy=legacy)
    return Decoded(data.decode("cp1252", errors="replace"), "Windows-1252", recognised=False)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return unicodedata.normalize("NFC", data.decode(encoding))
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The CSV file says it is %(encoding)s but is not: save it again as “CSV UTF-8”."),
            code="bad_encoding", params={"encoding": encoding.upper()},
        ) from error  # fmt: skip


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    sample = text[:SNIFF_BYTES]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def open_csv(data: bytes, *, columns: Sequence[Column], max_rows: int) -> tuple[Sheet, Decoded]:
    """The CSV file's header and rows, like ``xlsx.open_sheet``'s; ValidationError (code "not_template") naming
    the missing columns when no line among the first names them."""
    if b"\x00" in data[:SNIFF_BYTES] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ValidationError(_("This is not a text (CSV) file."), code="not_csv")
    decoded = decode_bytes(data)
    dialect = _dialect(decoded.text)
    head = list(_lines(decoded.text, dialect, limit=HEADER_ROWS))
    if decoded.legacy is not None:  # the header was typed in the same font as the rows
        head = [[decode(value, decoded.legacy) for value in line] for line in head]
    found = find_header(head, columns)
    if found is None:
        raise not_template(columns)
    header_row, positions, ignored = found
    missing = [c.title for c in columns if c.required and c.key not in positions]
    if missing:
        raise not_template(columns, missing)
    rows = _rows(decoded, dialect, header_row=header_row, positions=positions, max_rows=max_rows)
    return Sheet(name="CSV", header_row=header_row, positions=positions, ignored=ignored, date1904=False,
                 rows=rows), decoded  # fmt: skip


def _lines(text: str, dialect, *, limit: int | None = None) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for number, values in enumerate(reader, start=1):
            if limit is not None and number > limit:
                return
            if any(len(value) > MAX_FIELD for value in values):
                raise ValidationError(
                    _("Line %(line)s has a cell longer than %(limit)s characters."),
                    code="field_too_long", params={"line": number, "limit": f"{MAX_FIELD:,}".replace(",", ".")},
                )  # fmt: skip
            yield values[:MAX_COLUMNS]
    except csv.Error as error:
        raise ValidationError(
            _("The CSV file cannot be read (%(error)s): save it again from Excel as “CSV UTF-8”."),
            code="damaged", params={"error": str(error)[:200]},
        ) from error  # fmt: skip


def _rows(decoded: Decoded, dialect, *, header_row: int, positions: dict[str, int], max_rows: int) -> Iterator[Row]:
    by_index = {index: key for key, index in positions.items()}
    count = empty_streak = 0
    for number, values in enumerate(_lines(decoded.text, dialect), start=1):
        if number <= header_row:
            continue
        read: dict[str, Cell] = {}
        for index, key in by_index.items():
            raw = values[index - 1] if index - 1 < len(values) else ""
            if not raw.strip():
                continue
            if decoded.legacy is not None:
                converted = decode(raw, decoded.legacy)
                if converted != unicodedata.normalize("NFC", raw):
                    read[key] = Cell(value=converted, original=raw, legacy=decoded.legacy)
                    continue
            read[key] = Cell(value=unicodedata.normalize("NFC", raw))
        if not read:
            empty_streak += 1
            if empty_streak >= EMPTY_ROWS_STOP:
                return
            continue
        empty_streak = 0
        count += 1
        row_limit_check(count, max_rows)
        yield Row(number=number, cells=read)
