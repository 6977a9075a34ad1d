"""Official documents (reports, award decisions under Decree 30/2020/NĐ-CP, lists, exports) as DOCX,
PDF and XLSX.

This package holds the toolkit (`model`, `docx`, `pdf`, `xlsx`, `vn`, `layout`, `typeface`, `_zip`:
no database, nothing of the product) and one builder per document, named by what it makes:
`decision` (Quyết định + Danh sách, and its text from the records), `handoff` (an agency's tờ trình),
`submission` (a unit's tờ trình with its list), `certificate` (certificates on pre-printed blanks) and
`exports` (consolidation, report and lateness workbooks). `submission` and `certificate` are pure, like
the toolkit; the others read the records through the selectors (docs/architecture.md).

Design
------
Callers describe a document once with the neutral model in `model` (`Document` of `Heading`,
`Paragraph`, `Table`, `PageBreak`, `TwoColumnHeader`, `Signature` blocks, plus `Meta`), and render it
with `build_docx` or `build_pdf`; tabular exports use `build_xlsx` with `Sheet`s. `vn` holds the
Vietnamese conventions (date line, document number, thousands separator, the Decree 30 header and
signature blocks); `layout` the page geometry and type sizes both renderers share (A4, margins
20/20/30/15 mm, Times New Roman 13–14 pt, page number at the top centre from page 2).

Determinism rules (same input -> byte-identical file, on any day, in any process)
------------------------------------------------------------------------------
* No builder reads the clock. The only date in a file is `Meta.created` (required), used for the
  DOCX/XLSX core properties and the PDF CreationDate/ModDate (and PDF file ID).
* DOCX packages are re-zipped by `_zip.normalise`, XLSX ones restamped in place by `_zip.restamp`
  (same result, without recompressing): `[Content_Types].xml` first, then the
  entries by name, each dated 1980-01-01 00:00:00 with fixed permissions and compression level.
* PDFs are written with ReportLab `invariant=1` and the vendored Liberation Serif 2.1.5 TTFs in
  `fonts/` (never the system's fonts: Debian's older fonts-liberation 1.07 has no ơ/ư), so the
  embedded subsets do not depend on the machine.
* Text is normalised to NFC (`model.plain`), so decomposed input renders and compares the same.
  Byte identity across library upgrades (python-docx, XlsxWriter, ReportLab, zlib) is not promised.

Long tables
-----------
python-docx's `table.add_row()` is quadratic; the DOCX builder writes table rows as XML text and
splices them into the part. The PDF builder measures and wraps every cell once and paginates by
binary search over the row heights, repeating the header row. XLSX uses XlsxWriter's
`constant_memory` mode. Figures: docs/documents.md (reproduce with `bench/documents.py`).
"""

from .docx import build_docx
from .model import (
    Block,
    Column,
    Document,
    Heading,
    Meta,
    PageBreak,
    Paragraph,
    Run,
    Signature,
    Table,
    TwoColumnHeader,
)
from .pdf import build_pdf
from .vn import counts_text, date_line, date_words, decree30_header, doc_number, format_int, number_text, signature
from .xlsx import Sheet, build_xlsx

__all__ = [
    "Block",
    "Column",
    "Document",
    "Heading",
    "Meta",
    "PageBreak",
    "Paragraph",
    "Run",
    "Sheet",
    "Signature",
    "Table",
    "TwoColumnHeader",
    "build_docx",
    "build_pdf",
    "build_xlsx",
    "counts_text",
    "date_line",
    "date_words",
    "number_text",
    "decree30_header",
    "doc_number",
    "format_int",
    "signature",
]
