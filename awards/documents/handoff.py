"""The tờ trình an agency sends with a hand-off (`HandOff`), with its danh sách, as DOCX, PDF and XLSX.

A hand-off passes approved nominations of one tier to the next agency: the provincial police to the
Department of Home Affairs (both Bằng khen routes), the Department of Home Affairs to the Chairman of
the Provincial People's Committee, the police director to the Minister of Public Security; and, inside
the police, the appraising office to the director (Giấy khen). Its letter
is the generic one of `awards.documents.submission`; this module maps the records onto it:

    sub = handoff_submission(handoff)          # a `Submission`, built by `services.documents`' jobs

What the letter says:

* Header: the sending unit in capitals under its governing body (`sender_lines`); a tờ trình inside one
  unit (the police's appraising office to its director, the Giấy khen route) is its office's, under the
  unit ("CÔNG AN TỈNH ĐỒNG NAI / PHÒNG THAM MƯU", from the signer's title). "Số: 112/TTr-CAT" split from
  `HandOff.number` (no "/" → the blank number before the whole text as symbol); "Đồng Nai, ngày …".
* "Kính gửi:" the receiving unit ("Sở Nội vụ tỉnh Đồng Nai") or, when it is the tier's deciding unit,
  its head by the tier's authority ("Chủ tịch Ủy ban nhân dân tỉnh Đồng Nai", "Bộ trưởng Bộ Công an").
  A receiving reviewer is asked to "thẩm định, trình … xét, tặng" (the Chairman's tier, where it
  forwards the nominations itself) or "thẩm định, cho ý kiến để trình … xét, tặng" (the Ministry's tier,
  which the police forward); the decider to "xét, tặng".
* Basis: the campaign's legal bases in force on the hand-off's date, in the campaign's order, then
  "Căn cứ Kế hoạch số 181/KH-UBND ngày … của …", punctuated as a decision's citations (";", last ".").
* "Xét đề nghị của …": the tờ trình that brought these nominations to the sender: for each nomination
  the latest earlier hand-off into the sender (so a nomination sent back and sent again cites the second
  one), or, for the reviewer that received the units' dossiers, the unit's own tờ trình.
* The nominees: the hand-off's nominations that are neither withdrawn nor rejected; personal names with
  every syllable capitalised (`documents.decision.person_name`), all text in NFC; ordered by the
  submission builder (by unit, then by name, people by given name).
* Signature: `HandOff.signer_title` in capitals (a deputy's "Phó Giám đốc" signs "KT. GIÁM ĐỐC"), else
  the head's title for the sending unit's kind; "Nơi nhận: Như trên; Lưu: VT.".

The only date in the files is the hand-off's, so the same hand-off always gives the same bytes (as long
as its nominations keep their status).
"""

from __future__ import annotations

from ..models import (
    AwardStep,
    HandOff,
    LegalBasis,
    Nomination,
    NominationStatus,
    NomineeKind,
    Route,
    Step,
)
from ..selectors.legal_bases import bases_in_force, bases_ordered
from ..text import is_ascii_digits, nfc
from . import date_words
from .decision import (
    DEFAULT_HEAD_TITLE,
    HEAD_TITLES,
    bare_title,
    citation_lines,
    handoff_proposal,
    person_name,
    proposer,
    punctuated_citations,
)
from .submission import COLLECTIVE, INDIVIDUAL, Nominee, Submission

__all__ = ["handoff_submission", "split_number"]

EXCLUDED_STATUSES = (NominationStatus.WITHDRAWN, NominationStatus.REJECTED)
RECIPIENTS = ("Như trên;", "Lưu: VT.")


def _clean(text: str | None) -> str:
    return " ".join(nfc(text).split())


def split_number(reference: str) -> tuple[int | str | None, str]:
    """ "112/TTr-CAT" → (112, "TTr-CAT"); "TTr-CAT" → (None, "TTr-CAT"), the blank number to fill in;
    "/TTr-CAT" → (None, "TTr-CAT"); a number that is not only digits stays text ("12a")."""
    reference = _clean(reference)
    if "/" not in reference:
        return None, reference
    number, symbol = (part.strip() for part in reference.split("/", 1))
    if not number:
        return None, symbol
    return (int(number) if is_ascii_digits(number) else number), symbol


def _lower_first(text: str) -> str:
    """Mid-sentence: "Tổng kết 10 năm …" → "tổng kết 10 năm …", but an acronym ("ANTQ …") stays."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _loaded(handoff: HandOff) -> HandOff:
    return HandOff.objects.select_related(
        "campaign__issuer", "award_type__deciding_unit", "from_unit__parent", "to_unit"
    ).get(pk=handoff.pk)


def _nominations(handoff: HandOff) -> list[Nomination]:
    return list(
        handoff.nominations.exclude(status__in=EXCLUDED_STATUSES)
        .select_related("unit", "parent_unit", "dossier__unit")
        .order_by("pk")
    )


def _nominee(nomination: Nomination) -> Nominee:
    if nomination.kind == NomineeKind.COLLECTIVE:
        unit = nomination.parent_unit or nomination.unit
        return Nominee(COLLECTIVE, _clean(nomination.name), unit_name=_clean(unit.name),
                       achievement=_clean(nomination.achievement), sort_key=nomination.sort_key)  # fmt: skip
    return Nominee(
        INDIVIDUAL, person_name(nomination.name), _clean(nomination.position),
        _clean(nomination.workplace or nomination.unit.name), _clean(nomination.achievement),
        sort_key=nomination.sort_key,
    )  # fmt: skip


def _deciding_unit_id(handoff: HandOff) -> int | None:
    award_type = handoff.award_type
    if award_type.deciding_unit_id:
        return award_type.deciding_unit_id
    rule = AwardStep.objects.filter(award_type=award_type, step=Step.AWAITING_DECISION).first()
    return rule.unit_id if rule else None


def _head_of(handoff: HandOff, unit_name: str) -> str:
    """The tier's deciding title on the unit: "Chủ tịch" + "Ủy ban nhân dân tỉnh Đồng Nai"."""
    head = " ".join(_clean(handoff.award_type.authority).split()[:2])
    return f"{head} {unit_name}" if head else unit_name


def _recipient_and_request(handoff: HandOff) -> tuple[str, str]:
    award_type = handoff.award_type
    deciding_id = _deciding_unit_id(handoff)
    if deciding_id is not None and deciding_id == handoff.to_unit_id:
        return _head_of(handoff, _clean(handoff.to_unit.name)), "xét, tặng"
    decider = (
        _head_of(handoff, _clean(award_type.deciding_unit.name))
        if award_type.deciding_unit_id
        else _clean(award_type.authority)
    )
    if award_type.route == Route.MINISTRY:  # Home Affairs gives its opinion; the police forward
        return _clean(handoff.to_unit.name), f"thẩm định, cho ý kiến để trình {decider} xét, tặng"
    return _clean(handoff.to_unit.name), f"thẩm định, trình {decider} xét, tặng"


def sender_lines(handoff: HandOff) -> tuple[str | None, str]:
    """(governing body line, place) of its tờ trình: as fixed when it was made, else the sender's now."""
    if handoff.printed_place:
        return handoff.printed_superior or None, handoff.printed_place
    return handoff.from_unit.header_superior(), handoff.from_unit.document_place()


HEAD_WORDS = ("trưởng", "chánh", "giám đốc")  # "Trưởng phòng Tham mưu" heads "Phòng Tham mưu"


def office_of(signer_title: str) -> str:
    """ "Trưởng phòng Tham mưu" / "Phó Trưởng phòng Tham mưu" → "Phòng Tham mưu"; "" when the title does
    not begin with a head's word."""
    words = _clean(signer_title).split()
    if words[:1] and words[0].casefold() == "phó":
        words = words[1:]
    text = " ".join(words)
    for head in HEAD_WORDS:
        if text.casefold().startswith(head + " "):
            rest = text[len(head) + 1 :]
            return rest[:1].upper() + rest[1:]
    return ""


def sender_header(handoff: HandOff) -> tuple[str | None, str, str]:
    """(governing body line, sender line, sender in running text). A tờ trình inside one unit is its
    office's, under the unit: "CÔNG AN TỈNH ĐỒNG NAI / PHÒNG THAM MƯU", when the signer's title names it."""
    sender = handoff.from_unit
    office = office_of(handoff.signer_title) if handoff.to_unit_id == sender.pk else ""
    if office:
        return _clean(sender.name).upper(), office.upper(), f"{office} {_clean(sender.name)}"
    superior, _place = sender_lines(handoff)
    return superior, _clean(sender.name).upper(), _clean(sender.name)


def handoff_bases(handoff: HandOff) -> list[LegalBasis]:
    """What its tờ trình cites: as fixed when it was made (or, for one made before that was kept, what was
    in force on its date). A tờ trình proposes; it cites no competence to decide."""
    cited = list(handoff.cited_bases.all())
    if cited:
        return bases_ordered(cited, campaign=handoff.campaign)
    return bases_in_force(campaign=handoff.campaign, issuer_kind=handoff.from_unit.kind, day=handoff.date,
                          competence=False)  # fmt: skip


def _proposals(handoff: HandOff, nominations: list[Nomination]) -> list[str]:
    """ "Công an tỉnh Đồng Nai tại Tờ trình số 112/TTr-CAT ngày …": per nomination, the latest earlier
    hand-off into the sender, else its unit's dossier when the sender is the campaign's reviewer."""
    through = HandOff.nominations.through
    links = (
        through.objects.filter(
            nomination_id__in=[n.pk for n in nominations], handoff__to_unit_id=handoff.from_unit_id,
            handoff__campaign_id=handoff.campaign_id, handoff__award_type_id=handoff.award_type_id,
            handoff__pk__lt=handoff.pk,
        )
        .select_related("handoff__from_unit")
        .order_by("handoff__pk")
    )  # fmt: skip
    latest: dict[int, HandOff] = {}
    for link in links:
        latest[link.nomination_id] = link.handoff  # ascending: the last one wins
    sources: dict[tuple, str] = {}
    for nomination in nominations:
        earlier = latest.get(nomination.pk)
        if earlier is not None:
            key = (earlier.date, 0, earlier.pk)
            sources[key] = handoff_proposal(earlier)
        elif nomination.dossier_id and handoff.campaign.reviewer_id == handoff.from_unit_id:
            dossier = nomination.dossier
            key = (dossier.date, 1, dossier.pk)
            sources[key] = f"{proposer(dossier.unit)} tại Tờ trình số {dossier.number} {date_words(dossier.date)}"
    return [sources[key] for key in sorted(sources)]


def _signature(handoff: HandOff) -> tuple[str, str]:
    """(title, authority): "PHÓ GIÁM ĐỐC" signs for the head, "KT. GIÁM ĐỐC"."""
    # the head's title printed when the hand-off names none
    title = (bare_title(handoff.signer_title, handoff.from_unit)
             or HEAD_TITLES.get(handoff.from_unit.kind, DEFAULT_HEAD_TITLE)).upper()  # fmt: skip
    if title.startswith("PHÓ ") and len(title) > 4:
        return title, f"KT. {title[4:].strip()}"
    return title, ""


def handoff_submission(handoff: HandOff) -> Submission:
    """What the hand-off's tờ trình says (see the module's docstring). About five queries."""

    handoff = _loaded(handoff)
    nominations = _nominations(handoff)
    number, symbol = split_number(handoff.number)
    recipient, request = _recipient_and_request(handoff)
    proposals = _proposals(handoff, nominations)
    signer_title, authority = _signature(handoff)
    _superior, place = sender_lines(handoff)
    superior, sender_line, sender_name = sender_header(handoff)
    return Submission(
        sender_superior=superior,
        sender=sender_line, sender_name=sender_name,
        number=number, symbol=symbol, place=place, date=handoff.date,
        recipient=recipient, request=request,
        award_title=_clean(handoff.award_type.name),
        campaign_title=_lower_first(_clean(handoff.campaign.title)),
        basis=punctuated_citations(citation_lines(handoff_bases(handoff), handoff.campaign), followed=bool(proposals)),
        council_note=f"Xét đề nghị của {'; '.join(proposals)}." if proposals else "",
        nominees=[_nominee(n) for n in nominations],
        signer_title=signer_title, signer_name=_clean(handoff.signer), authority=authority,
        recipients=list(RECIPIENTS),
    )  # fmt: skip
