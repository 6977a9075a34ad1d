"""Award decisions: drafted from nominations awaiting one, issued with a number from the register, the
prize money of the decision's date, the nominations awarded and their units told."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from awards.documents import date_words
from awards.documents.decision import decision_text
from awards.documents.handoff import handoff_submission
from awards.models import (
    AuditEvent,
    CampaignLegalBasis,
    DecisionStatus,
    NominationStatus,
    NomineeKind,
    Notification,
    NotificationKind,
    Outcome,
    Step,
)
from awards.reference.load import legal_bases_ensure
from awards.selectors.prizes import base_salary_on, round_up
from awards.services import campaigns as campaign_services
from awards.services import decisions as svc
from awards.services import nominations as nomination_services
from tests.integrity import integrity_checked as integrity_checked  # noqa: F401 - checks the invariants after each test
from tests.test_attachments import pdf_bytes
from tests.test_nominations import appraise, nominate, refreshed, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def scan():
    return SimpleUploadedFile("qd-da-ky.pdf", pdf_bytes(), content_type="application/pdf")


def awaiting(org, campaign, tier, **fields):
    nomination = nominate(org, campaign, tier, **fields)
    send(org, campaign, tier, [nomination])
    appraise(org, nomination)
    nomination_services.nomination_act(by=org.actor("director"), nomination=nomination, step=Step.DIRECTOR_APPROVAL,
                                       outcome=Outcome.APPROVED)  # fmt: skip
    return refreshed(nomination)


def link_legal_bases(campaign, rows) -> None:
    """The campaign's dated legal bases, in order: (number, type, issued, issuer, title, in force from, to)."""
    for position, (number, doc_type, issued, issuer, title, start, end) in enumerate(rows):
        basis = campaign_services.legal_basis_ensure(number=number, doc_type=doc_type, issued_on=issued, issuer=issuer,
                                                     title=title, in_force_from=start, in_force_to=end)  # fmt: skip
        CampaignLegalBasis.objects.create(campaign=campaign, legal_basis=basis, position=position)


@pytest.fixture
def media(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        yield tmp_path


def test_the_director_issues_a_giay_khen_decision_and_the_unit_is_told(org, world, media):
    campaign, tiers = world
    person = awaiting(org, campaign, tiers["director"])
    team = awaiting(org, campaign, tiers["director"], kind=NomineeKind.COLLECTIVE, name="Phòng Kỹ thuật",
                    parent_unit=org.units["a"], women_percent=40)  # fmt: skip
    director = org.actor("director")
    decision = svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"], nominations=[person, team],
                                  signer="Nguyễn Văn Giám", signer_title="GIÁM ĐỐC")  # fmt: skip
    assert decision.symbol == "QĐ-CAT" and decision.status == DecisionStatus.DRAFT and decision.number is None
    day = timezone.localdate()
    assert svc.decision_next_number(issuer_id=decision.issuer_id, symbol="QĐ-CAT", year=day.year) == 1
    svc.decision_issue(by=director, decision=decision, number=5, date=day, scan=scan())
    decision.refresh_from_db()
    assert decision.reference == "05/QĐ-CAT" and decision.status == DecisionStatus.ISSUED
    # coefficient × the base salary in force on the decision's date, rounded up to 10,000 đồng
    individual, collective = (round_up(Decimal(c) * base_salary_on(day).amount) for c in ("0.3", "0.6"))
    assert sorted(decision.items.values_list("prize_amount", flat=True)) == [individual, collective]
    assert refreshed(person).status == NominationStatus.AWARDED and refreshed(team).status == NominationStatus.AWARDED
    assert svc.decision_next_number(issuer_id=decision.issuer_id, symbol="QĐ-CAT", year=day.year) == 6
    [told] = Notification.objects.filter(recipient=org.users["officer_a"], kind=NotificationKind.DECISION_ISSUED)
    assert told.subject.startswith("Quyết định số 05/QĐ-CAT") and "– Phòng Kỹ thuật" in told.body
    assert AuditEvent.objects.filter(action="decision_issued").count() == 1
    with pytest.raises(ValidationError, match="đã được ban hành"):  # frozen
        svc.decision_issue(by=director, decision=decision, number=6, date=day, scan=scan())


def test_a_giay_khen_decision_cites_the_appraising_offices_to_trinh_and_none_issues_without_one(org, world, media):
    campaign, tiers = world
    person = awaiting(org, campaign, tiers["director"])
    handoff = person.handoffs.get()
    police = org.units["police"]
    assert (handoff.from_unit, handoff.to_unit, handoff.step) == (police, police, Step.POLICE_APPRAISAL)
    letter = handoff_submission(handoff)  # the office's tờ trình, under its unit, to the director
    assert (letter.sender_superior, letter.sender, letter.sender_name) == (
        "CÔNG AN TỈNH THỬ", "PHÒNG THAM MƯU", "Phòng Tham mưu Công an tỉnh Thử")  # fmt: skip
    assert (letter.recipient, letter.request) == ("Giám đốc Công an tỉnh Thử", "xét, tặng")
    director = org.actor("director")
    other = awaiting(org, campaign, tiers["director"], name="Trần Văn Hai", id_number="")
    other.handoffs.clear()  # as a nomination that reached the decision before tờ trình were kept
    draft = svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"],
                               nominations=[person, other], signer="Nguyễn Văn Giám")  # fmt: skip
    assert decision_text(draft).proposals == [
        f"Trưởng phòng Tham mưu Công an tỉnh tại Tờ trình số 121/TTr-PV01 {date_words(timezone.localdate())}"
    ]
    with pytest.raises(ValidationError) as error:
        svc.decision_issue(by=director, decision=draft, number=1, date=timezone.localdate(), scan=scan())
    assert error.value.code == "no_proposal"
    assert "Trần Văn Hai" in error.value.messages[0] and "Nguyễn Văn An" not in error.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.DRAFT and refreshed(other).status == NominationStatus.AWAITING_DECISION
    draft.items.filter(nomination=other).delete()
    svc.decision_issue(by=director, decision=draft, number=1, date=timezone.localdate(), scan=scan())
    assert refreshed(person).status == NominationStatus.AWARDED


def test_bad_decisions_are_refused_with_reasons(org, world, media):
    campaign, tiers = world
    ready = awaiting(org, campaign, tiers["director"])
    not_yet = nominate(org, campaign, tiers["director"], name="Lê Thị Chưa", id_number="")
    director = org.actor("director")
    with pytest.raises(PermissionDenied):  # only the deciding side drafts
        svc.decision_draft(by=org.actor("police"), campaign=campaign, award_type=tiers["director"], nominations=[ready])
    with pytest.raises(ValidationError, match="ít nhất một"):
        svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"], nominations=[])
    with pytest.raises(ValidationError, match="Lê Thị Chưa"):
        svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"], nominations=[ready, not_yet])
    first = svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"], nominations=[ready])
    with pytest.raises(ValidationError, match="Nguyễn Văn An"):  # already in another decision
        svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"], nominations=[ready])
    with pytest.raises(ValidationError) as error:
        svc.decision_issue(by=director, decision=first, number=1, date=dt.date(2020, 1, 1), scan=scan())
    assert "trước ngày" in str(error.value.message_dict["date"])
    svc.decision_issue(by=director, decision=first, number=1, date=timezone.localdate(), scan=scan())
    other = awaiting(org, campaign, tiers["director"], name="Trần Văn Hai", id_number="")
    second = svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"], nominations=[other])
    with pytest.raises(ValidationError) as error:
        svc.decision_issue(by=director, decision=second, number=1, date=timezone.localdate(), scan=scan())
    assert "01/QĐ-CAT" in str(error.value.message_dict["number"]) and "2" in str(error.value.message_dict["number"])
    with pytest.raises(ValidationError):  # not a PDF or image scan
        svc.decision_issue(by=director, decision=second, number=2, date=timezone.localdate(),
                           scan=SimpleUploadedFile("qd.pdf", b"not a pdf", content_type="application/pdf"))  # fmt: skip
    assert refreshed(other).status == NominationStatus.AWAITING_DECISION  # nothing changed by the refusals


def test_the_document_cites_the_bases_in_force_on_its_date_and_the_issued_figures(org, world, media):
    import io

    import docx

    from awards.documents import build_docx
    from awards.documents.decision import decision_document

    campaign, tiers = world
    legal_bases_ensure()  # the national acts, by date
    person = awaiting(org, campaign, tiers["director"])
    director = org.actor("director")
    decision = svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"], nominations=[person],
                                  signer="Nguyễn Văn Giám", signer_title="Phó Giám đốc", authority="KT.",
                                  funding_source="quỹ thi đua, khen thưởng của Công an tỉnh")  # fmt: skip
    svc.decision_issue(by=director, decision=decision, number=7, date=timezone.localdate(), scan=scan())
    decision.refresh_from_db()
    text = decision_text(decision)
    assert text.citations == [
        "Căn cứ Luật Công an nhân dân ngày 20 tháng 11 năm 2018; Luật sửa đổi, bổ sung một số điều của Luật Công an "
        "nhân dân ngày 22 tháng 6 năm 2023",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
        "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về phân cấp, phân quyền "
        "trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và hướng dẫn thi hành một số điều của Luật Thi đua, "
        "khen thưởng",
        "Căn cứ Kế hoạch số 181/KH-UBND ngày 21 tháng 5 năm 2024 của Ủy ban nhân dân tỉnh Thử",
    ]  # the police's law, not local government's; 98/2023 ended on 30/06/2025
    assert {b.number for b in decision.cited_bases.all()} == {"37/2018/QH14", "21/2023/QH15", "06/2022/QH15",
                                                              "152/2025/NĐ-CP"}  # fixed at issue  # fmt: skip
    assert text.authority == "KT. GIÁM ĐỐC" and text.signer_title == "PHÓ GIÁM ĐỐC"
    assert text.decider == "GIÁM ĐỐC CÔNG AN TỈNH THỬ" and text.decider_name == "Giám đốc Công an tỉnh Thử"
    word = docx.Document(io.BytesIO(build_docx(decision_document(text))))
    every = "\n".join(p.text for p in word.paragraphs)
    header = "\n".join(cell.text for cell in word.tables[0].rows[0].cells)
    assert "Số: 07/QĐ-CAT" in header and "CÔNG AN TỈNH THỬ" in header
    amount = f"{round_up(Decimal('0.3') * base_salary_on(timezone.localdate()).amount):,}".replace(",", ".")
    assert f"mỗi cá nhân {amount} đồng; tổng cộng {amount} đồng, từ quỹ thi đua, khen thưởng của Công an tỉnh." in every
    rows = [[cell.text for cell in row.cells] for row in word.tables[-1].rows[1:]]
    assert rows == [["1", "Nguyễn Văn An", "Trưởng phòng", "Công ty An Bình", person.achievement, amount],
                    ["", "Cộng", "", "", "", amount]]  # fmt: skip
