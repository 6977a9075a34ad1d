"""DOCX builder: python-docx for the package (styles, A4 section, page-number header, core properties);
the body is written as WordprocessingML text and spliced into word/document.xml.

Why text: filling a table through python-docx's objects (`table.add_row()`, `cell.text`) costs more
than a millisecond per 6-column row (2.6 s for 2,000 rows, 13 s for 10,000 here). Writing each row as
a string from per-column templates takes about 1/50 of that, and splicing the body into the
serialised part avoids building (and re-serialising) an lxml tree of every cell.
Figures: docs/documents.md.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from . import _zip, layout
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
from .typeface import paragraph_rule_pt, rule_width_pt

_MARKER = "TDKT-DOCUMENT-BODY-6f1c2a"
_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}
_ALIGNMENT = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
_TABLE_TEXT = "TableText"
_TABLE_HEADING = "TableHeading"
_CELL_MARGIN_TWIPS = round(layout.CELL_PAD_H_PT * 20)
_BORDER_SZ = round(layout.RULE_PT * 8)  # eighths of a point
# A short paragraph after each table: Word merges two adjacent tables, and it is the gap that follows.
_GAP_TWIPS = round(layout.BLOCK_GAP_PT * 20)
_GAP = f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="{_GAP_TWIPS}" w:lineRule="exact"/></w:pPr></w:p>'


def build_docx(doc: Document) -> bytes:
    """Render `doc` as a Word document. Same input, same bytes."""
    document = docx.Document()
    _drop_thumbnail(document)
    _set_styles(document, doc.meta.language)
    _set_section(document, doc.page_numbers)
    _set_core_properties(document, doc)
    document.add_paragraph(_MARKER)
    raw = io.BytesIO()
    document.save(raw)

    part = _read_part(raw.getvalue(), "word/document.xml")
    marker = f"<w:p><w:r><w:t>{_MARKER}</w:t></w:r></w:p>".encode()
    if part.count(marker) != 1:
        raise RuntimeError("python-docx serialised the body marker unexpectedly")
    body = "".join(_blocks_xml(doc.blocks)).encode()
    return _zip.normalise(raw.getvalue(), {"word/document.xml": part.replace(marker, body)})


def _read_part(package: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        return zf.read(name)


# --- package ------------------------------------------------------------------------------------


def _drop_thumbnail(document) -> None:
    """The template ships a thumbnail of some other page; file browsers would show it."""
    rels = document.part.package.rels
    for rid, rel in list(rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del rels[rid]


def _pin_fonts(fonts) -> None:
    """Times New Roman for every script slot of a `w:rFonts`, and no theme fonts (they would win)."""
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), layout.FONT_NAME)


def _set_styles(document, language: str) -> None:
    styles = document.styles
    root = styles.element
    defaults = root.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    half_points = round(layout.BODY_PT * 2)
    rpr.extend(
        parse_xml(f"<w:rPr {nsdecls('w')}>{xml}</w:rPr>")[0]
        for xml in (
            "<w:rFonts/>",
            f'<w:sz w:val="{half_points}"/>',
            f'<w:szCs w:val="{half_points}"/>',
            f'<w:lang w:val={quoteattr(language)} w:eastAsia="en-US" w:bidi="ar-SA"/>',
        )
    )
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(ppr):
        ppr.remove(child)
    ppr.append(parse_xml(f'<w:spacing {nsdecls("w")} w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'))
    # Every style of the template names theme fonts (Calibri, Cambria): pin them all.
    for fonts in list(root.iter(qn("w:rFonts"))):
        _pin_fonts(fonts)

    for level in layout.HEADINGS:
        spec = layout.heading_spec(level)
        style = styles[f"Heading {level}"]
        style.font.color.rgb = None
        style.font.bold = spec.bold
        style.font.italic = spec.italic
        style.font.size = Pt(spec.size_pt)
        fmt = style.paragraph_format
        fmt.space_before = Pt(spec.space_before_pt)
        fmt.space_after = Pt(spec.space_after_pt)
        fmt.first_line_indent = Cm(spec.indent_cm)
        fmt.alignment = _ALIGNMENT[spec.align]
        fmt.keep_with_next = True

    text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    text.base_style = styles["Normal"]
    text.font.size = Pt(layout.TABLE_PT)
    text.paragraph_format.keep_together = True
    heading = styles.add_style("Table Heading", WD_STYLE_TYPE.PARAGRAPH)
    heading.base_style = text
    heading.font.bold = True
    heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.keep_with_next = True
    if (text.style_id, heading.style_id) != (_TABLE_TEXT, _TABLE_HEADING):
        raise RuntimeError("python-docx named the table styles unexpectedly")


def _set_section(document, page_numbers: bool) -> None:
    section = document.sections[0]
    section.page_width = Cm(layout.PAGE_WIDTH_CM)
    section.page_height = Cm(layout.PAGE_HEIGHT_CM)
    section.top_margin = Cm(layout.MARGIN_TOP_CM)
    section.bottom_margin = Cm(layout.MARGIN_BOTTOM_CM)
    section.left_margin = Cm(layout.MARGIN_LEFT_CM)
    section.right_margin = Cm(layout.MARGIN_RIGHT_CM)
    section.header_distance = Cm(layout.HEADER_DISTANCE_CM)
    section.footer_distance = Cm(layout.HEADER_DISTANCE_CM)
    if not page_numbers:
        return
    # Decree 30: no number on the first page, then at the top centre.
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]._p
    for child in list(p):
        p.remove(child)
    size = round(layout.PAGE_NUMBER_PT * 2)
    rpr = f'<w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
    xml = (
        f'<w:p {nsdecls("w")}><w:pPr><w:jc w:val="center"/>{rpr}</w:pPr>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{rpr}<w:t>2</w:t></w:r>"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    for child in list(parse_xml(xml)):
        p.append(child)


# python-docx refuses a core property longer than this (a real campaign title has 262 characters).
PROPERTY_LIMIT = 255


def _property(text: str) -> str:
    text = plain(text)
    return text if len(text) <= PROPERTY_LIMIT else text[: PROPERTY_LIMIT - 1].rstrip() + "…"


def _set_core_properties(document, doc: Document) -> None:
    props = document.core_properties
    created = doc.meta.created_utc()
    props.title = _property(doc.title)
    props.author = _property(doc.meta.author)
    props.last_modified_by = _property(doc.meta.author)
    props.subject = _property(doc.meta.subject)
    props.keywords = _property(", ".join(plain(k) for k in doc.meta.keywords))
    props.comments = ""
    props.language = doc.meta.language
    props.revision = 1
    props.created = created
    props.modified = created


# --- body -------------------------------------------------------------------------------------


def _text_xml(text: str) -> str:
    """Run content: "\\n" becomes a line break, tab a tab."""
    text = plain(text)
    if "\n" not in text and "\t" not in text:
        return f'<w:t xml:space="preserve">{escape(text)}</w:t>' if text else ""
    parts = []
    for i, line in enumerate(text.split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, chunk in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if chunk:
                parts.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return "".join(parts)


def _rpr(bold: bool = False, italic: bool = False, underline: bool = False, size_pt: float | None = None) -> str:
    parts = []
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if size_pt is not None:
        half = round(size_pt * 2)
        parts.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    if underline:
        parts.append('<w:u w:val="single"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def _run_xml(run: Run, size_pt: float | None = None) -> str:
    size = run.size_pt if run.size_pt is not None else size_pt
    return f"<w:r>{_rpr(run.bold, run.italic, run.underline, size)}{_text_xml(run.text)}</w:r>"


def _ppr(
    align: str,
    *,
    style: str | None = None,
    first_line_cm: float = 0.0,
    left_twips: int = 0,
    right_twips: int = 0,
    before_pt: float = 0.0,
    after_pt: float = 0.0,
    keep_next: bool = False,
    keep_lines: bool = False,
    top_border: bool = False,
    exact_line_pt: float | None = None,
) -> str:
    # Children in schema order: pStyle, keepNext, keepLines, pBdr, spacing, ind, jc.
    parts = []
    if style:
        parts.append(f'<w:pStyle w:val="{style}"/>')
    if keep_next:
        parts.append("<w:keepNext/>")
    if keep_lines:
        parts.append("<w:keepLines/>")
    if top_border:
        parts.append(f'<w:pBdr><w:top w:val="single" w:sz="{_BORDER_SZ}" w:space="1" w:color="000000"/></w:pBdr>')
    if before_pt or after_pt or exact_line_pt:
        line = f' w:line="{round(exact_line_pt * 20)}" w:lineRule="exact"' if exact_line_pt else ""
        parts.append(f'<w:spacing w:before="{round(before_pt * 20)}" w:after="{round(after_pt * 20)}"{line}/>')
    first = layout.cm_to_twips(first_line_cm)
    if first or left_twips or right_twips:
        parts.append(f'<w:ind w:left="{left_twips}" w:right="{right_twips}" w:firstLine="{first}"/>')
    parts.append(f'<w:jc w:val="{_JC[align]}"/>')
    return f"<w:pPr>{''.join(parts)}</w:pPr>"


def _blocks_xml(blocks: Iterable) -> Iterable[str]:
    for block in blocks:
        if isinstance(block, Paragraph):
            runs = "".join(_run_xml(run) for run in block.runs())
            if block.rule_below:  # the rule takes the paragraph's space after it
                ppr = _ppr(block.align, first_line_cm=block.indent_cm, keep_next=True)
                yield f"<w:p>{ppr}{runs}</w:p>"
                yield _rule_xml(block)
            else:
                ppr = _ppr(block.align, first_line_cm=block.indent_cm, after_pt=block.space_after_pt,
                           keep_next=block.keep_with_next, keep_lines=block.keep_with_next)  # fmt: skip
                yield f"<w:p>{ppr}{runs}</w:p>"
        elif isinstance(block, Heading):
            style = f"Heading{min(block.level, max(layout.HEADINGS))}"
            yield f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r>{_text_xml(block.text)}</w:r></w:p>'
        elif isinstance(block, Table):
            yield from _table_xml(block)
        elif isinstance(block, PageBreak):
            yield '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
        elif isinstance(block, TwoColumnHeader):
            right_cm = layout.TEXT_WIDTH_CM - block.left_width_cm
            yield _side_by_side(
                (block.left_width_cm, block.left_lines, "center", block.left_rule_after, block.left_rule_ratio),
                (right_cm, block.right_lines, "center", block.right_rule_after, block.right_rule_ratio),
                block.size_pt,
            )
        elif isinstance(block, Signature):
            left_cm = layout.TEXT_WIDTH_CM - block.right_width_cm
            yield _GAP
            yield _side_by_side(
                (left_cm, block.left_lines, "left", None, 0.0),
                (block.right_width_cm, block.lines, "center", None, 0.0),
                block.size_pt,
            )
        else:
            raise TypeError(f"not a document block: {block!r}")


def _rule_xml(block: Paragraph) -> str:
    """An empty paragraph whose top border, inset from both sides, is the short rule under `block`."""
    text = layout.cm_to_twips(layout.TEXT_WIDTH_CM)
    rule = paragraph_rule_pt(block.runs(), block.size_pt or layout.BODY_PT, block.rule_below, text / 20)
    side = max(0, round((text - rule * 20) / 2))
    ppr = _ppr("center", left_twips=side, right_twips=side, top_border=True, exact_line_pt=6,
               after_pt=block.space_after_pt)  # fmt: skip
    return f"<w:p>{ppr}</w:p>"


def _side_by_side(left: tuple, right: tuple, size_pt: float) -> str:
    """A borderless one-row, two-cell table that is never split across pages (Decree 30 header,
    signature with recipients)."""
    cells = []
    widths = []
    for width_cm, lines, align, rule_after, ratio in (left, right):
        width = layout.cm_to_twips(width_cm)
        widths.append(width)
        inner = width - 2 * _CELL_MARGIN_TWIPS
        paragraphs = []
        for index, item in enumerate(lines):
            run = as_run(item)
            ppr = _ppr(align, keep_lines=True)
            paragraphs.append(f"<w:p>{ppr}{_run_xml(run, size_pt)}</w:p>")
            if index == rule_after:
                rule = rule_width_pt(run, size_pt, ratio)
                side = max(0, round((inner - rule * 20) / 2))
                ppr = _ppr("center", left_twips=side, right_twips=side, top_border=True, exact_line_pt=6)
                paragraphs.append(f"<w:p>{ppr}</w:p>")
        if not paragraphs:
            paragraphs.append("<w:p/>")
        cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{"".join(paragraphs)}</w:tc>')
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    margins = f'<w:tblCellMar><w:left w:w="{_CELL_MARGIN_TWIPS}" w:type="dxa"/><w:right w:w="{_CELL_MARGIN_TWIPS}" w:type="dxa"/></w:tblCellMar>'
    tblpr = f'<w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>{margins}</w:tblPr>'
    return f"<w:tbl>{tblpr}<w:tblGrid>{grid}</w:tblGrid><w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr></w:tbl>{_GAP}"


def _table_xml(table: Table) -> Iterable[str]:
    columns = table.columns
    widths = [layout.cm_to_twips(c.width_cm) for c in columns]
    size = "" if table.size_pt is None else _rpr(size_pt=table.size_pt)
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="{_BORDER_SZ}" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    margins = f'<w:tblCellMar><w:left w:w="{_CELL_MARGIN_TWIPS}" w:type="dxa"/><w:right w:w="{_CELL_MARGIN_TWIPS}" w:type="dxa"/></w:tblCellMar>'
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    yield (
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>{margins}</w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
    )
    header_trpr = (
        "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if table.header_repeat else "<w:trPr><w:cantSplit/></w:trPr>"
    )
    head_cells = "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{_TABLE_HEADING}"/></w:pPr><w:r>{size}{_text_xml(c.title)}</w:r></w:p></w:tc>'
        for c, w in zip(columns, widths, strict=True)
    )
    yield f"<w:tr>{header_trpr}{head_cells}</w:tr>"

    # Per-column text before and after the cell's runs; a row is then one join.
    opens = [
        f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{_TABLE_TEXT}"/><w:jc w:val="{_JC[c.align]}"/></w:pPr>'
        for c, w in zip(columns, widths, strict=True)
    ]
    close = "</w:p></w:tc>"
    run_open = f"<w:r>{size}"
    n = len(columns)
    empty = [""] * n
    for index, row in enumerate(table.rows):
        values = _fit_row(row, n, index)
        parts = ["<w:tr><w:trPr><w:cantSplit/></w:trPr>"]
        for open_, value in zip(opens, values or empty, strict=True):
            text = _text_xml(value) if value is not None and value != "" else ""
            parts.append(f"{open_}{run_open}{text}</w:r>{close}" if text else f"{open_}{close}")
        parts.append("</w:tr>")
        yield "".join(parts)
    yield f"</w:tbl>{_GAP}"


def _fit_row(row: Sequence[object], n: int, index: int) -> Sequence[object]:
    if len(row) == n:
        return row
    if len(row) > n:
        raise ValueError(f"table row {index} has {len(row)} cells for {n} columns")
    return list(row) + [""] * (n - len(row))
