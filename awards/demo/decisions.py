"""The demo's decisions (`seed_demo --full`): the nominations awaiting a decision in Plan 181 are awarded —
the director's Giấy khen and the Chairman's Bằng khen drafted, generated and issued with a signed scan,
and the Ministry's Bằng khen recorded as it arrived. Their files are generated after the seed commits."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from ..documents import build_pdf, vn
from ..documents.decision import decision_document, decision_text
from ..models import AwardType, Campaign, Decision, Route
from ..selectors.decisions import decision_candidates
from ..services import decisions as svc
from .campaigns import _actor
from .nominations import one_page_pdf

# (award code, decider's user name, signer, signer's title, signing authority, funding source, recipients)
DECIDERS = {
    "GK-CAT": ("congan.giamdoc", "Huỳnh Văn Tài", "Giám đốc", "", "Quỹ thi đua, khen thưởng của Công an tỉnh Đồng Nai",
               "Như Điều 3;\nBan Giám đốc Công an tỉnh;\nLưu: VT, PV01."),
    "BK-UBND": ("ubnd.lanhdao", "Ngô Thanh Sơn", "Phó Chủ tịch", "KT.",
                "Quỹ thi đua, khen thưởng tỉnh Đồng Nai",
                "Như Điều 3;\nTT. Tỉnh ủy, TT. HĐND tỉnh (b/c);\nCT, các PCT UBND tỉnh;\nLưu: VT, SNV."),
}  # fmt: skip
# Plan 181's decisions, dated in the third quarter of 2024: they cite the law in force then (Decree
# 98/2023/NĐ-CP) and pay from the base salary of that date (2,340,000 đồng).
DECIDED_ON = {"GK-CAT": dt.date(2024, 9, 27), "BK-UBND": dt.date(2024, 9, 30), "BK-BCA": dt.date(2024, 9, 30)}


def _signed(decision: Decision, number: int, day: dt.date) -> SimpleUploadedFile:
    """The demo's "signed scan": the decision's own PDF with its number and date."""
    decision.number, decision.date = number, day  # not saved: issuing fixes them
    data = build_pdf(decision_document(decision_text(decision)))
    return SimpleUploadedFile(f"qd-{number:02d}-da-ky.pdf", data, "application/pdf")


def seed_decisions() -> int:
    """Decide what awaits a decision in Plan 181, once; returns how many decisions were made."""
    campaign = Campaign.objects.get(plan_number="181", plan_symbol="KH-UBND")
    if Decision.objects.filter(campaign=campaign).exists():
        return 0
    made = 0
    for tier in AwardType.objects.filter(code__in=["GK-CAT", "BK-UBND", "BK-BCA"]).order_by("position"):
        waiting = list(decision_candidates(campaign=campaign, award_type=tier))
        if not waiting:
            continue
        if tier.route == Route.MINISTRY:
            liaison = _actor("bca.lienlac")
            svc.decision_record(by=liaison, campaign=campaign, award_type=tier, nominations=waiting, number=1432,
                                symbol="QĐ-BCA", date=DECIDED_ON[tier.code], signer="Lương Tam Quang",
                                signer_title="Bộ trưởng", scan=SimpleUploadedFile(
                                    "qd-1432-bca.pdf", _ministry_scan(DECIDED_ON[tier.code]), "application/pdf"))  # fmt: skip
        else:
            username, signer, title, authority, funding, recipients = DECIDERS[tier.code]
            decider = _actor(username)
            draft = svc.decision_draft(
                by=decider, campaign=campaign, award_type=tier, nominations=waiting, signer=signer,
                signer_title=title, authority=authority, funding_source=funding, recipients=recipients,
            )  # fmt: skip
            day = DECIDED_ON[tier.code]
            number = svc.decision_next_number(issuer_id=draft.issuer_id, symbol=draft.symbol, year=day.year)
            svc.decision_issue(by=decider, decision=draft, number=number, date=day,
                               scan=_signed(Decision.objects.get(pk=draft.pk), number, day))  # fmt: skip
        made += 1
    return made


def _ministry_scan(day: dt.date) -> bytes:
    """A one-page PDF standing for the Ministry's signed decision as it arrived."""
    lines = ["BỘ CÔNG AN", vn.NATIONAL_NAME, vn.MOTTO, "Số: 1432/QĐ-BCA", vn.date_line("Hà Nội", day), "QUYẾT ĐỊNH",
             "Về việc tặng Bằng khen của Bộ trưởng Bộ Công an"]  # fmt: skip
    return one_page_pdf([(line, True) for line in lines], title="Quyết định 1432/QĐ-BCA")
