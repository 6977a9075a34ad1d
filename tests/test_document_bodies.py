"""What a document prints about its issuing body, as data: the governing body above its name (never its
parent in the reporting tree), the place before the date, who executes a decision (Điều 3), its standard
recipients — each fixed when the document is issued, and a clear refusal naming the unit when a part is
missing (never a half-printed header, never a 500)."""

import datetime as dt
import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from awards.documents.decision import decision_text
from awards.models import Unit
from awards.services import decisions as decision_services
from awards.services import nominations as svc
from awards.services import org as org_services
from tests.conftest import build_campaign
from tests.test_consolidation import report
from tests.test_decisions import awaiting, scan
from tests.test_decisions import media as media  # noqa: F401 - the fixture
from tests.test_nominations import nominate, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture
from tests.test_reports import REQUIRED_ENTERPRISE

pytestmark = pytest.mark.django_db


def unit_data(unit: Unit, **changes) -> Unit:
    return org_services.unit_update(by=None, unit=unit, **changes)


def test_the_polices_decision_prints_its_ministry_its_place_and_its_own_office_and_keeps_them(org, world, media):
    campaign, tiers = world
    police = org.units["police"]
    unit_data(police, recipients="Như Điều 3;\nPhòng Tham mưu;\nLưu: VT, PV01.")
    director = org.actor("director")
    decision = decision_services.decision_draft(by=director, campaign=campaign, award_type=tiers["director"],
                                                nominations=[awaiting(org, campaign, tiers["director"])])  # fmt: skip
    text = decision_text(decision)
    assert (text.issuer_superior, text.issuer, text.place) == ("BỘ CÔNG AN", "CÔNG AN TỈNH THỬ", "Thử")
    assert text.executors.startswith("Trưởng phòng Tham mưu Công an tỉnh, Thủ trưởng các cơ quan")
    assert text.recipients == ["Như Điều 3;", "Phòng Tham mưu;", "Lưu: VT, PV01."]
    decision_services.decision_issue(by=director, decision=decision, number=4, date=timezone.localdate(), scan=scan())
    unit_data(police, executing_office="Chánh Văn phòng Công an tỉnh", place_name="Biên Hòa", recipients="Lưu: VT.")
    decision.refresh_from_db()
    issued = decision_text(decision)  # what was signed does not follow later changes to the unit
    assert (issued.issuer_superior, issued.place, issued.recipients) == ("BỘ CÔNG AN", "Thử", text.recipients)
    assert issued.executors == text.executors


def test_the_chairmans_decision_has_no_line_above_the_committee(org, world):
    campaign, tiers = world
    tier = tiers["chairman"]
    person = nominate(org, campaign, tier)
    send(org, campaign, tier, [person])
    svc.handoff_send(by=org.actor("police"), nominations=[person], number="112/TTr-CAT", date=dt.date(2025, 1, 5),
                     signer="Nguyễn Văn Giám")  # fmt: skip
    svc.handoff_send(by=org.actor("home"), nominations=[person], number="05/TTr-SNV", date=dt.date(2025, 1, 20),
                     signer="Hồ Thị Nội")  # fmt: skip
    svc.nomination_act(by=org.actor("leader"), nomination=person, step="leader_approval", outcome="approved")
    decision = decision_services.decision_draft(by=org.actor("leader"), campaign=campaign, award_type=tier,
                                                nominations=[person])  # fmt: skip
    text = decision_text(decision)
    assert (text.issuer_superior, text.issuer, text.place) == (None, "ỦY BAN NHÂN DÂN TỈNH THỬ", "Thử")
    assert text.executors.startswith("Chánh Văn phòng Ủy ban nhân dân tỉnh, ")
    assert text.proposals == ["Giám đốc Sở Nội vụ tỉnh Thử tại Tờ trình số 05/TTr-SNV ngày 20 tháng 01 năm 2025"]


def test_a_police_without_its_governing_body_is_named_and_nothing_is_sent(org, world):
    campaign, tiers = world
    unit_data(org.units["police"], governing_body=None)
    person = nominate(org, campaign, tiers["chairman"])
    send(org, campaign, tiers["chairman"], [person])
    with pytest.raises(ValidationError, match="Công an tỉnh Thử chưa có cơ quan chủ quản"):
        svc.handoff_send(by=org.actor("police"), nominations=[person], number="112/TTr-CAT",
                         date=dt.date(2025, 1, 5), signer="Nguyễn Văn Giám")  # fmt: skip
    person.refresh_from_db()
    assert person.step == "police_appraisal" and not person.handoffs.exists()


def test_a_decision_without_who_executes_it_is_refused_naming_the_body(org, world):
    campaign, tiers = world
    unit_data(org.units["police"], executing_office="")
    person = awaiting(org, campaign, tiers["director"])
    with pytest.raises(ValidationError, match="Công an tỉnh Thử chưa có thông tin người chịu trách nhiệm thi hành"):
        decision_services.decision_draft(by=org.actor("director"), campaign=campaign, award_type=tiers["director"],
                                         nominations=[person])  # fmt: skip


def test_a_commune_prints_no_district_above_it_and_dates_from_its_own_place(org):
    commune, district = org.units["commune"], org.units["district"]
    assert commune.parent == district  # the reporting tree is not the header
    assert (commune.header_superior(), commune.document_place()) == (None, "Xuân")
    assert (org.units["a"].header_superior(), org.units["a"].document_place()) == (None, "Thử")  # its parent's place
    assert org.units["home"].header_superior() == "UBND TỈNH THỬ"  # "Ủy ban nhân dân" shortened, as Decree 30 allows
    unit_data(commune, place_name="Phường 3")
    assert commune.document_place() == "Phường 3"


def test_an_empty_dossier_says_there_is_nothing_to_print(org, world):
    campaign, tiers = world
    person = nominate(org, campaign, tiers["director"])
    dossier = send(org, campaign, tiers["director"], [person])
    client = org.client("head_a")
    word = docx.Document(io.BytesIO(client.get(f"/dossiers/{dossier.pk}/submission.docx").content))
    header = "\n".join(cell.text for cell in word.tables[0].rows[0].cells)
    assert header.startswith("CÔNG TY CỔ PHẦN AN BÌNH") and "Thử, ngày 10 tháng 7 năm 2024" in header
    svc.nomination_withdraw(by=org.actor("head_a"), nomination=person, reason="Chuyển công tác")
    response = client.get(f"/dossiers/{dossier.pk}/submission.docx", follow=True)
    assert response.status_code == 200
    assert "Mọi đề nghị trong hồ sơ này đã được rút" in response.content.decode()


def test_a_departments_report_without_its_governing_body_is_refused_with_a_message(org):
    campaign = build_campaign(org)
    made = report(org, campaign, "officer_b", org.actor("head_b"), REQUIRED_ENTERPRISE, outcome="submitted")
    client = org.client("officer_b")
    word = docx.Document(io.BytesIO(client.get(f"/reports/{made.pk}/report.docx").content))
    assert "UBND TỈNH THỬ" in "\n".join(cell.text for cell in word.tables[0].rows[0].cells)
    unit_data(org.units["b"], governing_body=None)
    response = client.get(f"/reports/{made.pk}/report.docx", follow=True)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Sở Giáo dục và Đào tạo chưa có cơ quan chủ quản" in response.content.decode()


def test_printed_fields_are_kept_in_nfc_with_single_spaces(org, world):
    import unicodedata

    campaign, tiers = world
    person = nominate(org, campaign, tiers["director"], position=unicodedata.normalize("NFD", " Trưởng   phòng  Kỹ thuật "),
                      achievement="Phát  hiện\n3 vụ")  # fmt: skip
    assert (person.position, person.achievement) == ("Trưởng phòng Kỹ thuật", "Phát hiện 3 vụ")
    assert unicodedata.is_normalized("NFC", person.position)


def test_the_units_tờ_trình_cites_the_law_and_plans_of_its_date_then_its_council(org, world):
    from awards.reference.load import legal_bases_ensure

    legal_bases_ensure()
    campaign, tiers = world
    dossier = send(org, campaign, tiers["director"], [nominate(org, campaign, tiers["director"])])
    word = docx.Document(io.BytesIO(org.client("head_a").get(f"/dossiers/{dossier.pk}/submission.docx").content))
    lines = [p.text for p in word.paragraphs if p.text.startswith("Căn cứ")]
    assert lines[0] == "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
    assert lines[1].startswith("Căn cứ Nghị định số 98/2023/NĐ-CP")  # the dossier is dated 10/7/2024
    assert lines[-2] == "Căn cứ Kế hoạch số 181/KH-UBND ngày 21 tháng 5 năm 2024 của Ủy ban nhân dân tỉnh Thử;"
    assert lines[-1].startswith("Căn cứ Biên bản họp Hội đồng Thi đua") and lines[-1].endswith(".")
