"""The neutral document model: plain dataclasses that the DOCX and PDF builders both render.

A `Document` is a title, a `Meta` (author and creation date: the only date that reaches the files)
and a flat list of blocks. Blocks carry what the text *is* (a heading, a justified paragraph, a table,
the Decree 30 header, a signature); page geometry and typography live in `layout`, so both formats
agree without the caller repeating them.

Text may be `str` or a sequence of `Run`s (for mixed bold/italic inside one paragraph). Every text is
normalised to NFC and stripped of characters that XML cannot hold before it is written (`plain`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

Align = Literal["left", "center", "right", "justify"]
ALIGNMENTS: frozenset[str] = frozenset({"left", "center", "right", "justify"})

# C0 controls other than tab/newline/carriage return, and the two non-characters: XML 1.0 forbids them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def plain(value: object) -> str:
    """Cell or run value -> text as written: None is empty, NFC (Vietnamese keyboards on Windows can
    send decomposed tone marks, which PDF fonts would draw apart), line ends as "\\n", no XML-illegal
    control characters."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL.sub("", text) if _XML_ILLEGAL.search(text) else text


def _check_align(align: str) -> None:
    if align not in ALIGNMENTS:
        raise ValueError(f"align must be one of {sorted(ALIGNMENTS)}, not {align!r}")


@dataclass(frozen=True)
class Run:
    """A piece of text with its own emphasis. `size_pt=None` inherits the block's size."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    size_pt: float | None = None


Inline = str | Run


def as_run(item: Inline) -> Run:
    return item if isinstance(item, Run) else Run(item)


@dataclass(frozen=True)
class Meta:
    """File metadata. `created` is required on purpose: no builder reads the clock, so the same input
    gives the same bytes tomorrow. A `date` means midnight; an aware `datetime` is converted to UTC."""

    created: date | datetime
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    language: str = "vi-VN"

    def created_utc(self) -> datetime:
        """Naive UTC datetime, second precision (what DOCX, XLSX and PDF store)."""
        value = self.created
        if not isinstance(value, datetime):
            return datetime(value.year, value.month, value.day)
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.replace(microsecond=0)


@dataclass(frozen=True)
class Heading:
    """An outline heading; how each level looks is in `layout.HEADINGS` (levels beyond 4 look like 4)."""

    text: str
    level: int = 1

    def __post_init__(self) -> None:
        if self.level < 1:
            raise ValueError("heading level starts at 1")


@dataclass(frozen=True)
class Paragraph:
    """Body text. `content` is a string or a sequence of strings/`Run`s; the paragraph's bold, italic
    and size apply to every run (a run can add emphasis, not remove it). Decree 30 body text is
    justified with a 1–1.27 cm first-line indent and at least 6 pt between paragraphs; the indent is
    applied to left/justified paragraphs only (a centred title with an indent would sit off-centre)."""

    content: str | Sequence[Inline]
    align: Align = "justify"
    bold: bool = False
    italic: bool = False
    size_pt: float | None = None
    first_line_indent_cm: float = 1.0
    space_after_pt: float = 6.0
    # A short centred rule under it, this share of its text's width (at most half the text width): Decree 30
    # draws one of 1/3 to 1/2 of the line under a document's subject (trích yếu). 0: none.
    rule_below: float = 0.0
    # Kept on the page of the block that follows (the last article with the signature, never a signature alone).
    keep_with_next: bool = False

    def __post_init__(self) -> None:
        _check_align(self.align)
        if not 0 <= self.rule_below <= 1:
            raise ValueError("rule_below is a share of the text's width, from 0 to 1")

    def runs(self) -> tuple[Run, ...]:
        items = [self.content] if isinstance(self.content, str) else list(self.content)
        return tuple(
            Run(
                run.text,
                bold=run.bold or self.bold,
                italic=run.italic or self.italic,
                underline=run.underline,
                size_pt=run.size_pt if run.size_pt is not None else self.size_pt,
            )
            for run in map(as_run, items)
        )

    @property
    def indent_cm(self) -> float:
        return self.first_line_indent_cm if self.align in ("left", "justify") else 0.0


@dataclass(frozen=True)
class Column:
    """A table or sheet column. `num_format` is used by XLSX only (e.g. "#,##0" or "dd/mm/yyyy")."""

    title: str
    width_cm: float = 3.0
    align: Align = "left"
    num_format: str | None = None

    def __post_init__(self) -> None:
        _check_align(self.align)
        if self.width_cm <= 0:
            raise ValueError("column width must be positive")


@dataclass(frozen=True)
class Table:
    """A ruled table. Cells are strings (other values go through `str`, None is empty, "\\n" breaks a
    line); a row shorter than the columns is padded, a longer one is an error. With `header_repeat`
    the header row is repeated on every page. Each builder reads `rows` once, in order, so it may be
    a generator (e.g. over a queryset's iterator()), but then the document renders only once."""

    columns: Sequence[Column]
    rows: Iterable[Sequence[object]] = ()
    header_repeat: bool = True
    size_pt: float | None = None

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError("a table needs at least one column")


@dataclass(frozen=True)
class PageBreak:
    """Start the next block on a new page."""


@dataclass(frozen=True)
class TwoColumnHeader:
    """The Decree 30 header: issuing body on the left, national name and motto on the right, lines
    centred in each column. A short rule is drawn under line `left_rule_after` / `right_rule_after`
    (0-based index, None for no rule), `*_rule_ratio` times as long as that line: Decree 30 asks for
    1/3–1/2 of the body's name and exactly the motto's length. `vn.decree30_header` fills it in."""

    left_lines: Sequence[Inline]
    right_lines: Sequence[Inline]
    left_rule_after: int | None = None
    right_rule_after: int | None = 1
    left_rule_ratio: float = 0.4
    right_rule_ratio: float = 1.0
    left_width_cm: float = 6.5
    size_pt: float = 13.0


@dataclass(frozen=True)
class Signature:
    """The signature block: `lines` centred in a column on the right (authority, title, blank lines
    for the signature and seal, name), optionally with `left_lines` ("Nơi nhận:" and the recipients)
    on the left, as Decree 30 lays out the end of a document. Kept on one page."""

    lines: Sequence[Inline]
    left_lines: Sequence[Inline] = ()
    right_width_cm: float = 9.0
    size_pt: float = 14.0


Block = Heading | Paragraph | Table | PageBreak | TwoColumnHeader | Signature


@dataclass(frozen=True)
class Document:
    """What `build_docx` and `build_pdf` render. `page_numbers` puts the page number at the top centre
    of every page but the first (Decree 30)."""

    title: str
    blocks: Sequence[Block]
    meta: Meta
    page_numbers: bool = True
