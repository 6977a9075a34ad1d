"""PDF builder: ReportLab platypus with the vendored Liberation Serif (Times New Roman metrics, full
Vietnamese), `invariant=1` and the creation date taken from `doc.meta`, so the bytes never depend on
the clock.

Long tables go through `_LongTable`: every cell is wrapped into lines and every row measured once, up
front, with the font metrics (each distinct text once per column); splitting at a page end is a
binary search in the running row heights, and each page's `_TableSlice` draws its ruling as one path
and its text as one text object, with the header row on top of every page. The textbook ReportLab
way, a `LongTable` of `Paragraph` cells, took 10–16 times the CPU time on 10,000 rows and grows faster
than the row count (figures: docs/documents.md).
"""

from __future__ import annotations

import calendar
import hashlib
import io
import time
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, KeepTogether, PageTemplate, Spacer
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus.flowables import Flowable

from . import layout, typeface
from .model import (
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Run,
    Signature,
    Table,
    TwoColumnHeader,
    as_run,
    plain,
)

# Streams are Flate-compressed; ReportLab would also ASCII85-encode them (7-bit-safe PDFs, a legacy of
# e-mail gateways) in pure Python: ~15% of a long table's build time and ~20% more bytes. This is
# ReportLab's documented process-wide setting; this toolkit is the project's only ReportLab user.
rl_config.useA85 = 0

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
_PAD_V = layout.CELL_PAD_V_PT
_PAD_H = layout.CELL_PAD_H_PT


def build_pdf(doc: Document) -> bytes:
    """Render `doc` as an A4 PDF. Same input, same bytes."""
    typeface.register()
    out = io.BytesIO()
    cm = layout.cm_to_pt
    width, height = cm(layout.PAGE_WIDTH_CM), cm(layout.PAGE_HEIGHT_CM)
    frame = Frame(
        cm(layout.MARGIN_LEFT_CM),
        cm(layout.MARGIN_BOTTOM_CM),
        cm(layout.TEXT_WIDTH_CM),
        cm(layout.TEXT_HEIGHT_CM),
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    on_page = _draw_page_number if doc.page_numbers else _no_op
    template = BaseDocTemplate(
        out,
        pagesize=(width, height),
        pageTemplates=[PageTemplate(id="page", frames=[frame], onPage=on_page)],
        leftMargin=cm(layout.MARGIN_LEFT_CM),
        rightMargin=cm(layout.MARGIN_RIGHT_CM),
        topMargin=cm(layout.MARGIN_TOP_CM),
        bottomMargin=cm(layout.MARGIN_BOTTOM_CM),
        title=plain(doc.title),
        author=plain(doc.meta.author),
        subject=plain(doc.meta.subject),
        keywords=[plain(k) for k in doc.meta.keywords],
        creator="TĐKT",
        lang=doc.meta.language,
        invariant=1,
        pageCompression=1,
        initialFontName=typeface.face(),
        initialFontSize=layout.BODY_PT,
        initialLeading=layout.BODY_PT * layout.LINE_HEIGHT,
    )
    story = _story(doc.blocks) or [Spacer(0, 0)]
    template.build(story, canvasmaker=canvas_maker(doc.meta.created_utc()))
    return out.getvalue()


def canvas_maker(created: datetime):
    """A canvas whose document carries `created` as CreationDate/ModDate. ReportLab's invariant mode
    pins the date to 2000-01-01 (or $SOURCE_DATE_EPOCH); we want the document's own date, and the
    file ID seeded from it, not from the environment."""
    seconds = calendar.timegm(created.timetuple())

    def make(*args, **kwargs) -> Canvas:
        canvas = Canvas(*args, **kwargs)
        stamp = TimeStamp(invariant=1)
        stamp.t = seconds
        stamp.lt = time.gmtime(seconds)
        stamp.YMDhms = tuple(stamp.lt)[:6]
        stamp.dhh = stamp.dmm = 0
        stamp.tzname = "UTC"
        pdf = canvas._doc
        pdf._timeStamp = stamp
        pdf.signature = hashlib.md5(usedforsecurity=False)
        pdf.signature.update(b"a reportlab document")
        pdf.signature.update(ascii(seconds).encode())
        return canvas

    return make


def _no_op(canvas, doc) -> None:
    return None


def _draw_page_number(canvas, doc) -> None:
    """Decree 30: the page number at the top centre, from the second page on."""
    number = canvas.getPageNumber()
    if number < 2:
        return
    canvas.saveState()
    canvas.setFont(typeface.face(), layout.PAGE_NUMBER_PT)
    x = layout.cm_to_pt(layout.MARGIN_LEFT_CM + layout.TEXT_WIDTH_CM / 2)
    y = layout.cm_to_pt(layout.PAGE_HEIGHT_CM - layout.PAGE_NUMBER_BASELINE_CM)
    canvas.drawCentredString(x, y, str(number))
    canvas.restoreState()


# --- blocks -----------------------------------------------------------------------------------


def _story(blocks: Iterable) -> list[Flowable]:
    """The flowables of every block; a paragraph kept with the next block shares that block's page."""
    story: list[Flowable] = []
    pending: list[Flowable] = []
    for block in blocks:
        own = list(_flowables([block]))
        if pending:
            story.append(KeepTogether([*pending, *own]))
            pending = []
        elif isinstance(block, Paragraph) and block.keep_with_next:
            pending = own
        else:
            story.extend(own)
    return story + pending


def _flowables(blocks: Iterable) -> Iterable[Flowable]:
    for block in blocks:
        if isinstance(block, Paragraph):
            size = block.size_pt or layout.BODY_PT
            yield _paragraph(
                block.runs(),
                align=block.align,
                size_pt=size,
                first_line_indent_cm=block.indent_cm,
                space_after_pt=0 if block.rule_below else block.space_after_pt,
            )
            if block.rule_below:
                text = layout.cm_to_pt(layout.TEXT_WIDTH_CM)
                rule = _Rule(typeface.paragraph_rule_pt(block.runs(), size, block.rule_below, text),
                             below=4.0 + block.space_after_pt)  # fmt: skip
                rule.hAlign = "CENTER"
                yield rule
        elif isinstance(block, Heading):
            spec = layout.heading_spec(block.level)
            yield _paragraph(
                (Run(block.text, bold=spec.bold, italic=spec.italic),),
                align=spec.align,
                size_pt=spec.size_pt,
                first_line_indent_cm=spec.indent_cm,
                space_before_pt=spec.space_before_pt,
                space_after_pt=spec.space_after_pt,
                keep_with_next=True,
            )
        elif isinstance(block, Table):
            yield _LongTable.from_table(block)
            yield Spacer(0, layout.BLOCK_GAP_PT)
        elif isinstance(block, PageBreak):
            yield RLPageBreak()
        elif isinstance(block, TwoColumnHeader):
            right_cm = layout.TEXT_WIDTH_CM - block.left_width_cm
            yield _side_by_side(
                (block.left_width_cm, block.left_lines, "center", block.left_rule_after, block.left_rule_ratio),
                (right_cm, block.right_lines, "center", block.right_rule_after, block.right_rule_ratio),
                block.size_pt,
            )
            yield Spacer(0, layout.BLOCK_GAP_PT)
        elif isinstance(block, Signature):
            left_cm = layout.TEXT_WIDTH_CM - block.right_width_cm
            yield Spacer(0, layout.BLOCK_GAP_PT)
            yield _side_by_side(
                (left_cm, block.left_lines, "left", None, 0.0),
                (block.right_width_cm, block.lines, "center", None, 0.0),
                block.size_pt,
            )
        else:
            raise TypeError(f"not a document block: {block!r}")


def _markup(run: Run) -> str:
    text = escape(plain(run.text)).replace("\t", "    ").replace("\n", "<br/>")
    if run.size_pt is not None:
        text = f'<font size="{run.size_pt:g}">{text}</font>'
    if run.underline:
        text = f"<u>{text}</u>"
    if run.italic:
        text = f"<i>{text}</i>"
    if run.bold:
        text = f"<b>{text}</b>"
    return text


def _paragraph(
    runs: Sequence[Run],
    *,
    align: str,
    size_pt: float,
    first_line_indent_cm: float = 0.0,
    space_before_pt: float = 0.0,
    space_after_pt: float = 0.0,
    keep_with_next: bool = False,
) -> Flowable:
    largest = max([size_pt, *(r.size_pt for r in runs if r.size_pt is not None)])
    leading = largest * layout.LINE_HEIGHT
    if not any(plain(r.text) for r in runs):
        return Spacer(0, leading + space_before_pt + space_after_pt)  # an empty line keeps its height
    style = ParagraphStyle(
        "p",
        fontName=typeface.face(),
        fontSize=size_pt,
        leading=leading,
        alignment=_ALIGN[align],
        firstLineIndent=layout.cm_to_pt(first_line_indent_cm),
        spaceBefore=space_before_pt,
        spaceAfter=space_after_pt,
        keepWithNext=int(keep_with_next),
    )
    return RLParagraph("".join(_markup(r) for r in runs), style)


def _side_by_side(left: tuple, right: tuple, size_pt: float) -> Flowable:
    """A borderless one-row, two-cell table that is never split (Decree 30 header, signature)."""
    cells = []
    widths = []
    for width_cm, lines, align, rule_after, ratio in (left, right):
        widths.append(layout.cm_to_pt(width_cm))
        cell: list[Flowable] = []
        for index, item in enumerate(lines):
            run = as_run(item)
            cell.append(_paragraph((run,), align=align, size_pt=size_pt))
            if index == rule_after:
                rule = typeface.rule_width_pt(run, size_pt, ratio)
                cell.append(_Rule(rule))
        cells.append(cell)
    table = RLTable([cells], colWidths=widths, hAlign="CENTER")
    table.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), typeface.face()),  # else ReportLab selects Helvetica per cell
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), _PAD_H),
            ("RIGHTPADDING", (0, 0), (-1, -1), _PAD_H),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return table


class _Rule(Flowable):
    """The short Decree 30 rule under a header line, clear of that line's descenders."""

    def __init__(self, width: float, above: float = 3.0, below: float = 4.0) -> None:
        super().__init__()
        self.width, self._above, self._below = width, above, below

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self._above + layout.RULE_PT + self._below

    def draw(self) -> None:
        self.canv.setLineWidth(layout.RULE_PT)
        self.canv.line(0, self._below, self.width, self._below)


# --- long tables -----------------------------------------------------------------------------


def wrap_lines(text: str, font, size: float, width: float) -> list[str]:
    """Greedy line breaking at spaces with the font's metrics; a word wider than the cell is cut."""
    measure = font.stringWidth
    lines: list[str] = []
    for line in text.split("\n"):
        if measure(line, size) <= width:
            lines.append(line)
            continue
        space = measure(" ", size)
        current: list[str] = []
        used = 0.0
        for word in line.split():
            w = measure(word, size)
            if current and used + space + w <= width:
                current.append(word)
                used += space + w
                continue
            if current:
                lines.append(" ".join(current))
                current, used = [], 0.0
            while w > width and len(word) > 1:
                cut = _fitting_prefix(word, font, size, width)
                lines.append(word[:cut])
                word = word[cut:]
                w = measure(word, size)
            current, used = [word], w
        lines.append(" ".join(current))
    return lines


def _fitting_prefix(word: str, font, size: float, width: float) -> int:
    total = 0.0
    for i, char in enumerate(word):
        total += font.stringWidth(char, size)
        if total > width:
            return max(i, 1)
    return len(word)


class _LongTable(Flowable):
    """The rows of a `Table` from row `start` on, measured once (see the module docstring)."""

    def __init__(self, layout_: _TableLayout, start: int = 0) -> None:
        super().__init__()
        self._t = layout_
        self._start = start
        self.hAlign = "CENTER"
        self.width = layout_.width

    @classmethod
    def from_table(cls, table: Table) -> _LongTable:
        return cls(_TableLayout(table))

    def _has_header(self) -> bool:
        return self._start == 0 or self._t.header_repeat

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        t = self._t
        header = t.header_height if self._has_header() else 0.0
        self.height = header + t.cumulative[-1] - t.cumulative[self._start]
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        t = self._t
        room = avail_height - (t.header_height if self._has_header() else 0.0)
        end = bisect_right(t.cumulative, t.cumulative[self._start] + room + 1e-6) - 1
        end = min(end, len(t.cells))
        if end <= self._start:
            return []  # not even one row fits: ReportLab moves us to the next page
        if end >= len(t.cells):
            return [_TableSlice(t, self._start, len(t.cells), self._has_header())]
        return [_TableSlice(t, self._start, end, self._has_header()), _LongTable(t, end)]

    def draw(self) -> None:
        _TableSlice(self._t, self._start, len(self._t.cells), self._has_header()).drawOn(self.canv, 0, 0)


# A cell: its lines, each with its width in points (for centred and right-aligned columns).
_Cell = tuple[tuple[str, float], ...]


class _TableLayout:
    """Wrapped cell text and row heights of one table, shared by all its page slices."""

    def __init__(self, table: Table) -> None:
        columns = table.columns
        self.size = size = table.size_pt or layout.TABLE_PT
        self.leading = leading = size * layout.LINE_HEIGHT
        self.regular, self.bold = typeface.face(), typeface.face(bold=True)
        self.col_widths = [layout.cm_to_pt(c.width_cm) for c in columns]
        self.width = sum(self.col_widths)
        self.aligns = [c.align for c in columns]
        self.header_repeat = table.header_repeat
        inner = [w - 2 * _PAD_H for w in self.col_widths]

        # Lists repeat their values (units, positions, award forms): each distinct text is measured once
        # per column.
        seen: dict[tuple[int, str], _Cell] = {}

        def fitted(index: int, text: str, font) -> _Cell:
            key = (index, text)
            cell = seen.get(key)
            if cell is None:
                width = inner[index]
                whole = font.stringWidth(text, size) if "\n" not in text else width + 1
                if whole <= width:
                    cell = ((text, whole),) if text else ()
                else:
                    cell = tuple((line, font.stringWidth(line, size)) for line in wrap_lines(text, font, size, width))
                seen[key] = cell
            return cell

        def measured(values: Sequence[object], font) -> tuple[list[_Cell], float]:
            cells = [fitted(index, plain(value), font) for index, value in enumerate(values)]
            lines = max(1, *map(len, cells))
            return cells, lines * leading + 2 * _PAD_V

        n = len(columns)
        self.header, self.header_height = measured([c.title for c in columns], pdfmetrics.getFont(self.bold))
        seen.clear()  # the header was measured in bold
        regular = pdfmetrics.getFont(self.regular)
        self.cells: list[list[_Cell]] = []
        self.cumulative = [0.0]
        page = layout.cm_to_pt(layout.TEXT_HEIGHT_CM) - self.header_height
        for index, row in enumerate(table.rows):
            if len(row) != n:
                if len(row) > n:
                    raise ValueError(f"table row {index} has {len(row)} cells for {n} columns")
                row = [*row, *[""] * (n - len(row))]
            cells, height = measured(row, regular)
            if height > page:
                raise ValueError(f"table row {index} is taller than a page; shorten its text")
            self.cells.append(cells)
            self.cumulative.append(self.cumulative[-1] + height)


class _TableSlice(Flowable):
    """Rows `start`..`end` of a measured table (and the header row), drawn directly: the ruling as
    one path, the text as one text object. Cells are top-aligned, header cells centred."""

    def __init__(self, layout_: _TableLayout, start: int, end: int, with_header: bool) -> None:
        super().__init__()
        self._t, self._start, self._end, self._with_header = layout_, start, end, with_header
        self.hAlign = "CENTER"
        self.width = layout_.width
        header = layout_.header_height if with_header else 0.0
        self.height = header + layout_.cumulative[end] - layout_.cumulative[start]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        t = self._t
        rows: list[tuple[list[_Cell], float, bool]] = []
        if self._with_header:
            rows.append((t.header, t.header_height, True))
        cumulative = t.cumulative
        rows.extend((t.cells[i], cumulative[i + 1] - cumulative[i], False) for i in range(self._start, self._end))

        lefts = [0.0]
        for width in t.col_widths:
            lefts.append(lefts[-1] + width)
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(layout.RULE_PT)
        rules = [(x, 0.0, x, self.height) for x in lefts]
        text = canvas.beginText()
        size, leading = t.size, t.leading
        top = self.height
        font = None
        for cells, height, is_header in rows:
            rules.append((0.0, top, self.width, top))
            wanted = t.bold if is_header else t.regular
            if wanted != font:
                font = wanted
                text.setFont(font, size, leading)
            for col, cell in enumerate(cells):
                if not cell:
                    continue
                if is_header:  # vertically centred, like ReportLab's MIDDLE
                    y = top - height + (height + len(cell) * leading) / 2 - size
                    align = "center"
                else:
                    y = top - _PAD_V - size
                    align = t.aligns[col]
                left, right = lefts[col], lefts[col + 1]
                for line, line_width in cell:
                    if align == "center":
                        x = (left + right - line_width) / 2
                    elif align == "right":
                        x = right - _PAD_H - line_width
                    else:
                        x = left + _PAD_H
                    text.setTextOrigin(x, y)
                    text.textOut(line)
                    y -= leading
            top -= height
        rules.append((0.0, top, self.width, top))
        canvas.lines(rules)
        canvas.drawText(text)
        canvas.restoreState()
