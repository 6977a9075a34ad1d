"""The award decision (Quyết định) and its list (Danh sách), laid out per Decree 30/2020/NĐ-CP.

Like `documents.submission`, built from a plain frozen dataclass the caller fills from its records, so
the same decision always gives the same bytes (the only date in the files is the decision's):

    doc = decision_document(dec)
    build_docx(doc), build_pdf(doc)

The decision: header, "QUYẾT ĐỊNH", "Về việc tặng …", the deciding title, the citations (italic, one
per line, ";" and the last "."), "Xét đề nghị của …", "QUYẾT ĐỊNH:", Điều 1 (the award, the counts,
the prize money and its source), Điều 2 (effect), Điều 3 (who executes it), the signature with
"Nơi nhận". Then, on a new page, the list: "DANH SÁCH", the award, "(Kèm theo Quyết định số … ngày …
tháng … năm … của …)", "I. TẬP THỂ" / "II. CÁ NHÂN" with STT, name, position, unit, achievement and (for
awards and revocations) the prize money with a "Cộng" row and the "Tổng cộng", ordered by unit and then by
name (people by given name first).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Campaign,
    Decision,
    DecisionItem,
    DecisionKind,
    DecisionStatus,
    HandOff,
    LegalBasis,
    Nomination,
    NomineeKind,
    Unit,
    UnitKind,
)
from ..selectors.decisions import decision_unit_order
from ..selectors.legal_bases import bases_in_force, bases_ordered
from ..selectors.prizes import prize_money
from ..text import nfc, person_sort_key, sort_key
from . import (
    Column,
    Document,
    Heading,
    Meta,
    PageBreak,
    Paragraph,
    Run,
    Sheet,
    Table,
    build_xlsx,
    counts_text,
    date_line,
    date_words,
    decree30_header,
    doc_number,
    format_int,
    number_text,
    signature,
)
from .submission import COLLECTIVE, INDIVIDUAL, Nominee, nominees_in_order
from .vn import SUBJECT_RULE

_CENTRED = {"align": "center", "first_line_indent_cm": 0}
_MONEY_CM = 2.3
# Widths add up to the text width (16.5 cm) with the prize-money column; without it, the achievement widens.
_LIST_COLUMNS = {
    COLLECTIVE: (Column("STT", 1.0, "center"), Column("Tên tập thể", 4.4), Column("Đơn vị", 3.8),
                 Column("Thành tích", 5.0)),
    INDIVIDUAL: (Column("STT", 1.0, "center"), Column("Họ và tên", 3.3), Column("Chức vụ", 2.6), Column("Đơn vị", 3.3),
                 Column("Thành tích", 4.0)),
}  # fmt: skip


def _columns(kind: str, money: bool) -> tuple[Column, ...]:
    *first, achievement = _LIST_COLUMNS[kind]
    if money:
        return (*first, achievement, Column("Tiền thưởng (đồng)", _MONEY_CM, "right", num_format="#,##0"))
    return (*first, Column(achievement.title, achievement.width_cm + _MONEY_CM))


def _has_money(dec: DecisionText) -> bool:
    """Awards and revocations list each awardee's money (paid, or to pay back); corrections list none."""
    return all(n.amount is not None for n in dec.nominees)


_HEADINGS = {COLLECTIVE: "TẬP THỂ", INDIVIDUAL: "CÁ NHÂN"}


@dataclass(frozen=True)
class Amendment:
    """A decision revoking awards of an earlier one, or correcting its list: the earlier decision's
    reference ("05/QĐ-CAT ngày 05 tháng 01 năm 2025"), and why."""

    reference: str
    reason: str
    revokes: bool = True  # False: corrects the names, positions or units printed in the earlier list


@dataclass(frozen=True)
class DecisionText:
    """What a decision says. `issuer` as printed in the header (capitals); `decider` is the deciding
    title in capitals ("GIÁM ĐỐC CÔNG AN TỈNH ĐỒNG NAI"), `decider_name` the same in running text
    ("Giám đốc Công an tỉnh Đồng Nai") for the annex line. `citations` are printed one per line,
    punctuated here. `proposals` are "Giám đốc Sở Nội vụ tỉnh Đồng Nai tại Tờ trình số 45/TTr-SNV ngày …"."""

    issuer_superior: str | None
    issuer: str
    number: int | None
    symbol: str
    place: str
    date: dt.date
    award_title: str  # "Giấy khen của Giám đốc Công an tỉnh"
    decider: str
    decider_name: str
    citations: Sequence[str]
    proposals: Sequence[str]
    achievement: str  # "đã có thành tích xuất sắc trong …"
    nominees: Sequence[Nominee]
    prize_text: str  # "Tiền thưởng kèm theo thực hiện theo quy định …" or the amounts
    executors: str  # "Chánh Văn phòng Công an tỉnh, Thủ trưởng các đơn vị có liên quan và các tập thể, cá nhân …"
    signer_title: str
    signer_name: str
    authority: str = ""
    recipients: Sequence[str] = ()
    amends: Amendment | None = None  # a decision revoking awards of an earlier one, or correcting its list


def _clean(text: str) -> str:
    return " ".join(nfc(text).split())


def person_name(name: str) -> str:
    """Every syllable capitalised, as Decree 30/2020 prints personal names: "trần thị  BÌNH" → "Trần Thị Bình"."""
    return " ".join(word.capitalize() for word in _clean(name).split())


def _rows(dec: DecisionText) -> list[tuple[str, list[list]]]:
    """(kind, rows without STT) for the sections that have rows: collectives, then individuals."""
    found = []
    # Units and positions (and many names) repeat across thousands of rows: clean each text once.
    names: dict[str, str] = {}
    texts: dict[str, str] = {}

    def name(text: str) -> str:
        if (value := names.get(text)) is None:
            value = names[text] = person_name(text)
        return value

    def clean(text: str) -> str:
        if (value := texts.get(text)) is None:
            value = texts[text] = _clean(text)
        return value

    money = _has_money(dec)
    for kind in (COLLECTIVE, INDIVIDUAL):
        ordered = nominees_in_order(dec.nominees, kind)
        if kind == INDIVIDUAL:
            rows = [[name(n.name), clean(n.position), clean(n.unit_name), clean(n.achievement)] for n in ordered]
        else:
            rows = [[clean(n.name), clean(n.unit_name), clean(n.achievement)] for n in ordered]
        if money:
            rows = [[*row, n.amount] for row, n in zip(rows, ordered, strict=True)]
        if rows:
            found.append((kind, rows))
    return found


def _total(rows: Sequence[Sequence]) -> int:
    return sum(row[-1] for row in rows)


def _printed(row: Sequence) -> list:
    """A list row for DOCX and PDF: the money with thousands separators."""
    return [format_int(cell) if isinstance(cell, int) else cell for cell in row]


def punctuated_citations(citations: Sequence[str], *, followed: bool = False) -> list[str]:
    """One per line, each ending ";" and the last "." (Decree 30/2020) — or ";" too when a "Xét đề nghị …"
    line follows and ends the bases."""
    lines = [_clean(c).rstrip(";.,") for c in citations if _clean(c)]
    last = ";" if followed else "."
    return [f"{line};" for line in lines[:-1]] + [f"{lines[-1]}{last}"] if lines else []


def decision_reference_text(dec: DecisionText) -> str:
    """ "05/QĐ-CAT ngày 05 tháng 01 năm 2025" (the blank "     /QĐ-CAT" for a draft)."""
    return f"{number_text(dec.number, dec.symbol)} {date_words(dec.date)}"


def _counts(nominees: Sequence[Nominee]) -> str:
    collectives = sum(1 for n in nominees if n.kind == COLLECTIVE)
    return counts_text(collectives, len(nominees) - collectives)


def _article(number: int, text: str, *, keep_with_next: bool = False) -> Paragraph:
    """ "Điều 1." in bold, then the article's text."""
    return Paragraph([Run(f"Điều {number}.", bold=True), f" {_clean(text)}"], keep_with_next=keep_with_next)


def _subject(dec: DecisionText) -> str:
    if dec.amends and dec.amends.revokes:
        return f"Về việc thu hồi {dec.award_title} đã tặng tại Quyết định số {_clean(dec.amends.reference)}"
    if dec.amends:
        return f"Về việc đính chính Quyết định số {_clean(dec.amends.reference)}"
    return f"Về việc tặng {dec.award_title}"


def _first_article(dec: DecisionText) -> str:
    if dec.amends:
        reason = _clean(dec.amends.reason).rstrip(".")
        if dec.amends.revokes:
            return (f"Thu hồi {dec.award_title} đã tặng tại Quyết định số {_clean(dec.amends.reference)} đối với "
                    f"{_counts(dec.nominees)} (có danh sách kèm theo). Lý do: {reason}.")  # fmt: skip
        return (f"Đính chính thông tin của {_counts(dec.nominees)} trong Danh sách kèm theo Quyết định số "
                f"{_clean(dec.amends.reference)} như danh sách kèm theo Quyết định này. Lý do: {reason}.")  # fmt: skip
    return f"Tặng {dec.award_title} cho {_counts(dec.nominees)} (có danh sách kèm theo) {_clean(dec.achievement)}."


def _list_caption(dec: DecisionText) -> str:
    if dec.amends:
        return f"Bị thu hồi {dec.award_title}" if dec.amends.revokes else "Được đính chính thông tin"
    return f"Được tặng {dec.award_title}"


def decision_document(dec: DecisionText) -> Document:
    if not dec.nominees:
        raise ValueError("a decision needs at least one awardee")
    blocks: list = [
        decree30_header(
            dec.issuer, doc_number(dec.number, dec.symbol), date_line(dec.place, dec.date), superior=dec.issuer_superior
        ),  # fmt: skip
        Heading("QUYẾT ĐỊNH"),
        Paragraph(_subject(dec), bold=True, rule_below=SUBJECT_RULE, **_CENTRED),
        Paragraph(_clean(dec.decider), bold=True, space_after_pt=12, **_CENTRED),
    ]
    proposals = [_clean(p).rstrip(".;") for p in dec.proposals if _clean(p)]
    blocks += [Paragraph(line, italic=True) for line in punctuated_citations(dec.citations, followed=bool(proposals))]
    if proposals:
        blocks.append(Paragraph(f"Xét đề nghị của {'; '.join(proposals)}.", italic=True))
    blocks.append(Paragraph("QUYẾT ĐỊNH:", bold=True, space_after_pt=12, **_CENTRED))
    blocks += [
        _article(1, _first_article(dec)),
        Paragraph(_clean(dec.prize_text)),
        _article(2, "Quyết định này có hiệu lực kể từ ngày ký."),
        # the last article stays with the signature: never a signature alone on a page
        _article(3, f"{_clean(dec.executors)} chịu trách nhiệm thi hành Quyết định này./.", keep_with_next=True),
        signature(dec.signer_title, dec.signer_name, authority=dec.authority or None, recipients=list(dec.recipients)),
        PageBreak(),
        *_annex(dec),
    ]
    return Document(title=f"Quyết định {_verb(dec).lower()} {dec.award_title}", blocks=blocks, meta=_meta(dec))


def _annex(dec: DecisionText) -> list:
    """The Danh sách: title, caption "(Kèm theo Quyết định số …)", then the sections."""
    blocks: list = [
        Heading("DANH SÁCH"),
        Paragraph(_list_caption(dec), bold=True, space_after_pt=0, **_CENTRED),
        Paragraph(f"(Kèm theo Quyết định số {decision_reference_text(dec)} của {_clean(dec.decider_name)})",
                  italic=True, **_CENTRED),
    ]  # fmt: skip
    money, sections = _has_money(dec), _rows(dec)
    for numeral, (kind, rows) in enumerate(sections, 1):
        blocks.append(Heading(f"{'I' * numeral}. {_HEADINGS[kind]}"))
        table = [[str(i), *_printed(row)] for i, row in enumerate(rows, 1)]
        if money:
            table.append(["", "Cộng", *[""] * (len(rows[0]) - 2), format_int(_total(rows))])
        blocks.append(Table(_columns(kind, money), table))
    if money:
        total = sum(_total(rows) for _kind, rows in sections)
        blocks.append(Paragraph(f"Tổng cộng: {format_int(total)} đồng.", bold=True))
    return blocks


def decision_list_document(dec: DecisionText) -> Document:
    """The Danh sách on its own (the same pages that follow the decision), for DOCX and PDF."""
    if not dec.nominees:
        raise ValueError("a decision needs at least one awardee")
    return Document(title=f"Danh sách {_list_caption(dec).lower()}", blocks=_annex(dec), meta=_meta(dec))


def _meta(dec: DecisionText) -> Meta:
    return Meta(created=dec.date, author=_clean(dec.decider_name), subject=f"{_verb(dec)} {dec.award_title}")


def _verb(dec: DecisionText) -> str:
    if dec.amends:
        return "Thu hồi" if dec.amends.revokes else "Đính chính"
    return "Tặng"


def decision_list_xlsx(dec: DecisionText) -> bytes:
    """The Danh sách as a workbook: one sheet per section, the annex caption above, STT as a number."""
    caption = f"DANH SÁCH {_list_caption(dec).upper()} (Kèm theo Quyết định số {decision_reference_text(dec)})"
    money = _has_money(dec)
    sheets = [
        Sheet(_HEADINGS[kind].capitalize(), _columns(kind, money),
              [[i, *row] for i, row in enumerate(rows, 1)]
              + ([[None, "Cộng", *[None] * (len(rows[0]) - 2), _total(rows)]] if money else []),
              title=f"{'I' * numeral}. {_HEADINGS[kind]} – {caption}")
        for numeral, (kind, rows) in enumerate(_rows(dec), 1)
    ]  # fmt: skip
    return build_xlsx(sheets, _meta(dec), title=f"Danh sách được tặng {dec.award_title}")


# From the records ---------------------------------------------------------------------------------------

SIGNING_PREFIXES_WITH_HEAD = ("KT.", "Q.", "TL.", "TUQ.")


# How a body's head is named: in "Xét đề nghị của …" (kinds with no fixed title: the body alone) and, when
# none is typed, above a tờ trình's signature (DEFAULT_HEAD_TITLE for those kinds).
DEFAULT_HEAD_TITLE = "Thủ trưởng đơn vị"
HEAD_TITLES = {
    UnitKind.PROVINCIAL_POLICE: "Giám đốc",
    UnitKind.HOME_AFFAIRS: "Giám đốc",
    UnitKind.DEPARTMENT: "Giám đốc",
    UnitKind.PROVINCIAL_COMMITTEE: "Chủ tịch",
    UnitKind.DISTRICT_COMMITTEE: "Chủ tịch",
    UnitKind.COMMUNE_COMMITTEE: "Chủ tịch",
    UnitKind.MINISTRY: "Bộ trưởng",
}


_BODY_WORDS = ("ủy ban nhân dân", "uỷ ban nhân dân", "ubnd")


def bare_title(title: str, unit: Unit) -> str:
    """A signer's title without the body's name, as the signature block prints it (Decree 30): "Phó Giám
    đốc Công an tỉnh" → "Phó Giám đốc", "Phó Chủ tịch UBND tỉnh" → "Phó Chủ tịch"."""
    title = _clean(title)
    folded = title.casefold()
    starts = [" ".join(_clean(unit.name).casefold().split()[:2]), *_BODY_WORDS]
    cuts = [i for i in (folded.find(" " + start) for start in starts) if i > 0]
    return title[: min(cuts)].strip() if cuts else title


def proposer(unit: Unit) -> str:
    """ "Giám đốc Sở Nội vụ tỉnh Đồng Nai": who proposes, as a decision's "Xét đề nghị của …" names them."""
    head = HEAD_TITLES.get(unit.kind)
    return f"{head} {_clean(unit.name)}" if head else _clean(unit.name)


def handoff_proposal(handoff: HandOff) -> str:
    """ "Giám đốc Sở Nội vụ tỉnh Đồng Nai tại Tờ trình số 112/TTr-SNV ngày …"; a tờ trình inside one unit
    (the police's appraising office to its director) is its office's, the one that executes its decisions:
    "Trưởng phòng Tham mưu Công an tỉnh tại Tờ trình số 121/TTr-PV01 ngày …"."""
    unit = handoff.from_unit
    who = _clean(unit.executing_office) if handoff.to_unit_id == unit.pk else ""
    return f"{who or proposer(unit)} tại Tờ trình số {handoff.number} {date_words(handoff.date)}"


def cited_act(basis: LegalBasis) -> str:
    """ "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022" / "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12
    năm 2023 của Chính phủ quy định …"."""
    if basis.doc_type.casefold() == "luật":
        return f"{_clean(basis.title)} {date_words(basis.issued_on)}"
    issuer = f" của {_clean(basis.issuer)}" if basis.issuer else ""
    title = _clean(basis.title)
    title = title[:1].lower() + title[1:]
    return f"{basis.doc_type} số {basis.number} {date_words(basis.issued_on)}{issuer} {title}"


def citation_lines(bases: Sequence[LegalBasis], campaign: Campaign) -> list[str]:
    """One "Căn cứ …" per act, in the order given, an amending act on the line of the act it amends (both
    in force), then the campaign's own plan (punctuated by the document)."""
    cited = {basis.pk for basis in bases}
    lines = []
    for basis in bases:
        if basis.amends_id in cited:
            continue
        amendments = [cited_act(a) for a in bases if a.amends_id == basis.pk]
        lines.append("Căn cứ " + "; ".join([cited_act(basis), *amendments]))
    lines.append(f"Căn cứ Kế hoạch số {campaign.plan_reference} {date_words(campaign.plan_date)} của "
                 f"{_clean(campaign.issuer.name_on(campaign.plan_date))}")  # fmt: skip
    return lines


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def issuer_lines(decision: Decision) -> tuple[str | None, str, str]:
    """(governing body line, place, Điều 3's executors): as fixed at issue, else from the issuing body's
    data — refused, naming the body, when a part of it is missing."""
    if decision.status == DecisionStatus.ISSUED and decision.printed_place:
        return decision.printed_superior or None, decision.printed_place, decision.printed_executors
    issuer = decision.issuer
    if not issuer.executing_office:
        raise ValidationError(
            _("%(unit)s does not say who executes its decisions (Điều 3): an administrator sets it under Units.")
            % {"unit": issuer.name},
            code="no_executing_office",
        )
    executors = (f"{_clean(issuer.executing_office)}, Thủ trưởng các cơ quan, đơn vị có liên quan và các tập thể, cá "
                 "nhân có tên tại Điều 1")  # fmt: skip
    return issuer.header_superior(), issuer.document_place(), executors


def decision_bases(decision: Decision, day: dt.date) -> list[LegalBasis]:
    """What an issued decision cited, as fixed at issue; for a draft, what is in force on the day."""
    cited = list(decision.cited_bases.all()) if decision.status == DecisionStatus.ISSUED else []
    if cited:
        return bases_ordered(cited, campaign=decision.campaign)
    return bases_in_force(campaign=decision.campaign, issuer_kind=decision.issuer.kind, day=day, competence=True)


def decision_proposals(decision: Decision, nominations: Sequence[Nomination]) -> list[str]:
    """ "Giám đốc Sở Nội vụ tỉnh Đồng Nai tại Tờ trình số 112/TTr-SNV ngày …": the hand-offs that brought
    these nominations to the deciding unit (on the Giấy khen route, its appraising office's)."""
    handoffs = (
        HandOff.objects.filter(to_unit=decision.issuer, nominations__in=nominations)
        .select_related("from_unit")
        .distinct()
        .order_by("date", "pk")
    )
    return [handoff_proposal(h) for h in handoffs]


def item_amounts(decision: Decision, items: Sequence[DecisionItem], day: dt.date) -> dict[int, int | None]:
    """Each awardee's money by item: fixed at issue; a draft award's, the rate of the day (two queries per
    nominee kind); a revocation's, what the revoked decision paid; a correction's, none."""
    if decision.kind == DecisionKind.CORRECTION:
        return {item.pk: None for item in items}
    if decision.kind == DecisionKind.REVOCATION:
        paid = dict(decision.refers_to.items.filter(nomination__in=[i.nomination_id for i in items])
                    .values_list("nomination_id", "prize_amount"))  # fmt: skip
        return {item.pk: item.prize_amount if item.prize_amount is not None else paid.get(item.nomination_id) or 0
                for item in items}  # fmt: skip
    rates: dict[str, int] = {}
    amounts = {}
    for item in items:
        kind = item.nomination.kind
        if item.prize_amount is not None:
            amounts[item.pk] = item.prize_amount
        else:
            if kind not in rates:
                rates[kind] = prize_money(award_type=decision.award_type, kind=kind, day=day)
            amounts[item.pk] = rates[kind]
    return amounts


def _prize_text(decision: Decision, items: Sequence[DecisionItem], amounts: dict[int, int | None]) -> str:
    if decision.kind == DecisionKind.CORRECTION:
        return f"Các nội dung khác của Quyết định số {_earlier_reference(decision)} giữ nguyên."
    total = sum(amounts[item.pk] or 0 for item in items)
    if decision.kind == DecisionKind.REVOCATION:
        return ("Các tập thể, cá nhân có tên tại Điều 1 nộp lại số tiền thưởng đã nhận, tổng cộng "
                f"{format_int(total)} đồng.")  # fmt: skip
    each = {item.nomination.kind: amounts[item.pk] for item in items}
    parts = []
    if NomineeKind.INDIVIDUAL in each:
        parts.append(f"mỗi cá nhân {format_int(each[NomineeKind.INDIVIDUAL])} đồng")
    if NomineeKind.COLLECTIVE in each:
        parts.append(f"mỗi tập thể {format_int(each[NomineeKind.COLLECTIVE])} đồng")
    source = f", từ {decision.funding_source.rstrip('.')}" if decision.funding_source else ""
    return f"Kèm theo tiền thưởng: {', '.join(parts)}; tổng cộng {format_int(total)} đồng{source}."


def campaign_achievement(decision: Decision) -> str:
    """How Điều 1 ends: the phrase set on the campaign (an award needs it; amendments do not use it)."""
    phrase = _clean(decision.campaign.achievement)
    if not phrase and decision.kind == DecisionKind.AWARD:
        raise ValidationError(
            _("The campaign %(campaign)s has no achievement phrase for Điều 1 of its decisions: an administrator "
              "sets it on the campaign.") % {"campaign": decision.campaign.plan_reference},
            code="no_achievement_phrase",
        )  # fmt: skip
    return phrase


def decision_text(decision: Decision) -> DecisionText:
    """What the document says, from the records: a draft prints the blank number and today's date."""
    day = decision.date or timezone.localdate()
    items = list(decision.items.select_related("nomination", "nomination__unit", "nomination__parent_unit"))
    nominations = [i.nomination for i in items]
    unit_keys = decision_unit_keys(decision, [n.unit for n in nominations])
    amounts = item_amounts(decision, items, day)
    # The head's title is the authority's first two words ("Giám đốc", "Chủ tịch", "Bộ trưởng"), followed
    # by the issuing body: "Giám đốc Công an tỉnh Đồng Nai", "Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai".
    head_words = " ".join(decision.award_type.authority.split()[:2])
    issuer_name = decision.issuer.name_on(day)  # a renamed body prints the name it had on the date
    decider = f"{head_words} {issuer_name}"
    head = head_words.upper()
    if decision.authority in SIGNING_PREFIXES_WITH_HEAD:
        authority = f"{decision.authority} {head}"
    elif decision.authority:
        authority = f"{decision.authority} {issuer_name.upper()}"
    else:
        authority = ""
    superior, place, executors = issuer_lines(decision)
    recipients = _lines(decision.recipients) or _lines(decision.issuer.recipients) or ["Như Điều 3;", "Lưu: VT."]
    return DecisionText(
        issuer_superior=superior,
        issuer=issuer_name.upper(),
        number=decision.number, symbol=decision.symbol, place=place, date=day,
        award_title=decision.award_type.name,
        decider=decider.upper(), decider_name=decider,
        citations=citation_lines(decision_bases(decision, day), decision.campaign),
        proposals=_proposals(decision, nominations),
        achievement=campaign_achievement(decision),
        nominees=[_nominee(item, unit_keys, amounts[item.pk]) for item in items],
        prize_text=_prize_text(decision, items, amounts),
        executors=executors,
        signer_title=bare_title(decision.signer_title, decision.issuer).upper() or head, signer_name=decision.signer,
        authority=authority, recipients=recipients,
        amends=_amends(decision),
    )  # fmt: skip


def _proposals(decision: Decision, nominations: Sequence[Nomination]) -> list[str]:
    """What the decider typed wins; else, for an award, the hand-offs that brought the nominations."""
    if decision.proposal:
        return [decision.proposal]
    return decision_proposals(decision, nominations) if decision.kind == DecisionKind.AWARD else []


def _earlier_reference(decision: Decision) -> str:
    earlier = decision.refers_to
    return f"{earlier.reference} {date_words(earlier.date)}"


def _amends(decision: Decision) -> Amendment | None:
    if decision.kind == DecisionKind.AWARD or decision.refers_to is None:
        return None
    return Amendment(reference=_earlier_reference(decision), reason=decision.reason,
                     revokes=decision.kind == DecisionKind.REVOCATION)  # fmt: skip


def decision_unit_keys(decision: Decision, units: Sequence[Unit]) -> dict[int, str]:
    return {unit.pk: f"{rank:05d}" for rank, unit in enumerate(decision_unit_order(decision, units))}


def _nominee(item: DecisionItem, unit_keys: dict[int, str], amount: int | None) -> Nominee:
    """Listed under its nominating unit (in the decision's order), printed as fixed at issue (or today's)."""
    nomination = item.nomination
    name, position, unit = item.details
    kind = COLLECTIVE if nomination.kind == NomineeKind.COLLECTIVE else INDIVIDUAL
    if name == nomination.name:
        key = nomination.sort_key  # computed when saved
    else:
        key = person_sort_key(name) if kind == INDIVIDUAL else sort_key(name)
    return Nominee(kind, name, position, unit, item.achievement, sort_key=key, unit_key=unit_keys[nomination.unit_id],
                   amount=amount)  # fmt: skip
