"""The submission letter (tờ trình) a unit, or a later agency, sends to the next level with its award
nominations for one award tier, and the list (danh sách) attached to it.

Built from plain frozen dataclasses, not from models: the caller maps its records onto `Submission`
and `Nominee` and renders the result with the document toolkit:

    doc = submission_document(sub)
    build_docx(doc), build_pdf(doc)                     # the letter, then the list on a new page
    submission_xlsx(sub)                                # the list as a workbook (one sheet per section)

Layout per Decree 30/2020/NĐ-CP (header, "TỜ TRÌNH", subject line, "Kính gửi", body, signature with
"Nơi nhận"), then a page break and the annex: "DANH SÁCH", the award, "(Kèm theo Tờ trình số … ngày
… của …)", and the sections "I. TẬP THỂ" / "II. CÁ NHÂN" (only those that have rows, numbered in
that order). Rows are ordered by unit, then by name (people by given name first). The only date in
the files is `Submission.date`, so the same submission always gives the same bytes.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from ..text import person_sort_key, sort_key
from . import (
    Column,
    Document,
    Heading,
    Meta,
    PageBreak,
    Paragraph,
    Sheet,
    Table,
    build_xlsx,
    counts_text,
    date_line,
    date_words,
    decree30_header,
    doc_number,
    number_text,
    signature,
)
from .vn import SUBJECT_RULE

COLLECTIVE = "collective"
INDIVIDUAL = "individual"
KINDS = (COLLECTIVE, INDIVIDUAL)

_ROMAN = ("I", "II")


@dataclass(frozen=True)
class Nominee:
    """One nominated collective (tập thể) or individual (cá nhân). Names print as given (the caller
    capitalises personal names); `sort_key` is a precomputed collation key (for people: given name
    first, as `awards.text.person_sort_key` makes it); empty means computed from `name`."""

    kind: str  # COLLECTIVE or INDIVIDUAL
    name: str  # the collective's name or the person's full name
    position: str = ""  # chức vụ (individuals)
    unit_name: str = ""  # the unit the collective belongs to / the person's workplace
    achievement: str = ""  # short achievement line
    sort_key: str = ""
    amount: int | None = None  # prize money (đồng), for a decision's list
    unit_key: str = ""  # where the nominee's unit comes in the list; empty: by `unit_name`'s collation

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"nominee kind must be one of {KINDS}, not {self.kind!r}")


@dataclass(frozen=True)
class Submission:
    """What a tờ trình says. `sender` is the issuing body as printed in the header (capitals, "\\n"
    may break the line); `sender_name` is the same body in running text ("Công an tỉnh Đồng Nai"),
    used in the proposal sentence and the annex line. `recipient` is the body's name only ("Sở Nội vụ
    tỉnh Đồng Nai"; "Kính gửi:" is added). `request` is what the recipient is asked to do before the
    award title: the default "xét, tặng" suits a recipient that decides; a reviewer that forwards can
    be asked e.g. "thẩm định, trình Chủ tịch Ủy ban nhân dân tỉnh xét, tặng". `basis` and
    `council_note` are body paragraphs printed as given (the caller punctuates them); an empty
    `council_note` is left out. `recipients` are the "Nơi nhận" entries as `vn.signature` takes them
    ("Như trên;", "Lưu: VT, PV01.")."""

    sender_superior: str | None  # parent body line, e.g. "UBND TỈNH ĐỒNG NAI", or None
    sender: str  # issuing body in capitals, e.g. "CÔNG AN TỈNH ĐỒNG NAI"
    sender_name: str  # the same body in running text, e.g. "Công an tỉnh Đồng Nai"
    number: str | int | None  # None leaves the blank "Số:      /TTr-..."
    symbol: str  # e.g. "TTr-CAT"
    place: str  # e.g. "Đồng Nai"
    date: datetime.date
    recipient: str  # e.g. "Sở Nội vụ tỉnh Đồng Nai"
    award_title: str  # e.g. "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
    campaign_title: str  # e.g. "10 năm thực hiện Chỉ thị 07/CT-BCA-V28"
    basis: Sequence[str]
    council_note: str
    nominees: Sequence[Nominee]
    signer_title: str  # e.g. "GIÁM ĐỐC"
    signer_name: str
    authority: str = ""  # "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN", ...
    recipients: Sequence[str] = ()
    request: str = "xét, tặng"


# --- the list ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Section:
    kind: str
    heading: str  # "TẬP THỂ" / "CÁ NHÂN"
    sheet_name: str
    columns: tuple[Column, ...]


# Widths add up to the text width (16.5 cm).
_SECTIONS = (
    _Section(
        COLLECTIVE,
        "TẬP THỂ",
        "Tập thể",
        (
            Column("STT", 1.2, "center"),
            Column("Tên tập thể", 5.0),
            Column("Đơn vị", 4.3),
            Column("Thành tích", 6.0),
        ),
    ),
    _Section(
        INDIVIDUAL,
        "CÁ NHÂN",
        "Cá nhân",
        (
            Column("STT", 1.2, "center"),
            Column("Họ và tên", 3.8),
            Column("Chức vụ", 3.2),
            Column("Đơn vị", 3.8),
            Column("Thành tích", 4.5),
        ),
    ),
)


def _name_key(nominee: Nominee) -> str:
    if nominee.sort_key:
        return nominee.sort_key
    return person_sort_key(nominee.name) if nominee.kind == INDIVIDUAL else sort_key(nominee.name)


def nominees_in_order(nominees: Sequence[Nominee], kind: str) -> list[Nominee]:
    """By unit (its `unit_key`, else its name's collation), then by name; equal keys keep the caller's
    order (sorted() is stable)."""
    chosen = [n for n in nominees if n.kind == kind]
    unit_keys: dict[str, str] = {}
    for n in chosen:
        if n.unit_name not in unit_keys:
            unit_keys[n.unit_name] = sort_key(n.unit_name)
    return sorted(chosen, key=lambda n: (n.unit_key or unit_keys[n.unit_name], _name_key(n)))


def _cells(nominee: Nominee) -> list[str]:
    if nominee.kind == INDIVIDUAL:
        return [nominee.name, nominee.position, nominee.unit_name, nominee.achievement]
    return [nominee.name, nominee.unit_name, nominee.achievement]


def _present(sub: Submission) -> list[tuple[str, _Section, list[Nominee]]]:
    """The sections that have rows, numbered I, II in the order collectives, individuals."""
    found = []
    for section in _SECTIONS:
        rows = nominees_in_order(sub.nominees, section.kind)
        if rows:
            found.append((_ROMAN[len(found)], section, rows))
    return found


# --- the letter --------------------------------------------------------------------------------


def annex_reference(sub: Submission) -> str:
    """ "(Kèm theo Tờ trình số 07/TTr-CAT ngày 05 tháng 01 năm 2025 của Công an tỉnh Đồng Nai)"."""
    return f"(Kèm theo Tờ trình số {number_text(sub.number, sub.symbol)} {date_words(sub.date)} của {sub.sender_name})"


def proposal_sentence(sub: Submission) -> str:
    """The sentence that asks for the award, with the counts of collectives and individuals."""
    collectives = sum(1 for n in sub.nominees if n.kind == COLLECTIVE)
    individuals = len(sub.nominees) - collectives
    if not collectives and not individuals:
        raise ValueError("a submission needs at least one nominee")
    return (
        f"{sub.sender_name} kính đề nghị {sub.recipient} {sub.request} {sub.award_title} cho "
        f"{counts_text(collectives, individuals)} (có danh sách kèm theo) đã có thành tích xuất sắc "
        f"trong {sub.campaign_title}."
    )


def submission_meta(sub: Submission) -> Meta:
    """File metadata for every format: the letter's own date, never the clock."""
    return Meta(created=sub.date, author=sub.sender_name, subject=f"Đề nghị tặng {sub.award_title}")


def submission_document(sub: Submission) -> Document:
    """The tờ trình and, on a new page, its danh sách; render with `build_docx` / `build_pdf`."""
    proposal = proposal_sentence(sub)
    centred = {"align": "center", "first_line_indent_cm": 0}
    blocks: list = [
        decree30_header(
            sub.sender,
            doc_number(sub.number, sub.symbol),
            date_line(sub.place, sub.date),
            superior=sub.sender_superior,
        ),
        Heading("TỜ TRÌNH"),
        Paragraph(f"Về việc đề nghị tặng {sub.award_title}", bold=True, rule_below=SUBJECT_RULE, **centred),
        Paragraph(f"Kính gửi: {sub.recipient}", space_after_pt=12, **centred),
    ]
    blocks.extend(Paragraph(text.strip()) for text in sub.basis if text.strip())
    if sub.council_note.strip():
        blocks.append(Paragraph(sub.council_note.strip()))
    blocks.append(Paragraph(proposal))
    blocks.append(Paragraph(f"Kính đề nghị {sub.recipient} xem xét, quyết định./."))
    blocks.append(
        signature(sub.signer_title, sub.signer_name, authority=sub.authority or None, recipients=list(sub.recipients))
    )

    blocks += [
        PageBreak(),
        Heading("DANH SÁCH"),
        Paragraph(f"Đề nghị tặng {sub.award_title}", bold=True, space_after_pt=0, **centred),
        Paragraph(annex_reference(sub), italic=True, **centred),
    ]
    for numeral, section, rows in _present(sub):
        blocks.append(Heading(f"{numeral}. {section.heading}"))
        blocks.append(Table(section.columns, [[str(i), *_cells(n)] for i, n in enumerate(rows, 1)]))

    return Document(
        title=f"Tờ trình đề nghị tặng {sub.award_title}",
        blocks=blocks,
        meta=submission_meta(sub),
    )


# --- XLSX --------------------------------------------------------------------------------------


def submission_list_sheets(sub: Submission) -> list[Sheet]:
    """The list as worksheets, one per section that has rows ("Tập thể", "Cá nhân"), same columns and
    order as the document; STT is a number."""
    return [
        Sheet(
            section.sheet_name,
            section.columns,
            [[i, *_cells(n)] for i, n in enumerate(rows, 1)],
            title=f"{numeral}. {section.heading} ĐỀ NGHỊ TẶNG {sub.award_title.upper()}",
        )
        for numeral, section, rows in _present(sub)
    ]


def submission_xlsx(sub: Submission) -> bytes:
    """The list as a workbook, dated like the letter."""
    return build_xlsx(
        submission_list_sheets(sub),
        submission_meta(sub),
        title=f"Danh sách đề nghị tặng {sub.award_title}",
    )
