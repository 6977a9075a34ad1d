"""Legal bases as law, by date: which acts a document cites on its date for its issuing body, in Decree 30's
order, and the rules that keep the table true (no two acts of one kind in force together, end dates set
once and never before a document that cited them)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from awards.documents.decision import citation_lines
from awards.models import BasisScope, BasisSlot, CampaignLegalBasis, LegalBasis, UnitKind
from awards.reference.load import legal_bases_ensure
from awards.selectors.legal_bases import bases_in_force
from awards.services import campaigns as campaign_services
from tests.conftest import build_campaign
from tests.test_decisions import media as media  # noqa: F401 - the fixture
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

LAW = "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"
DECREE_98 = "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành"
DECREE_152 = "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về phân cấp"
PLAN = "Căn cứ Kế hoạch số 181/KH-UBND ngày 21 tháng 5 năm 2024 của Ủy ban nhân dân tỉnh Thử"


@pytest.fixture
def campaign(org):
    legal_bases_ensure()
    return build_campaign(org)


def lines(campaign, kind: str, day: dt.date, *, competence: bool = True) -> list[str]:
    return citation_lines(bases_in_force(campaign=campaign, issuer_kind=kind, day=day, competence=competence), campaign)


def test_the_chairmans_decision_of_2024_cites_the_2015_law_with_its_2019_amendment_and_decree_98(campaign):
    cited = lines(campaign, UnitKind.PROVINCIAL_COMMITTEE, dt.date(2024, 9, 16))
    assert cited[0] == (
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của "
        "Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019"
    )
    assert cited[1] == LAW and cited[2].startswith(DECREE_98) and cited[3] == PLAN
    assert len(cited) == 4  # nothing of the police's


def test_the_chairmans_decision_of_2026_cites_the_2025_law_and_decree_152_only(campaign):
    cited = lines(campaign, UnitKind.PROVINCIAL_COMMITTEE, dt.date(2026, 12, 7))
    assert cited == [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025", LAW, cited[2], PLAN
    ]  # fmt: skip
    assert cited[2].startswith(DECREE_152) and not any("98/2023" in line or "2015" in line for line in cited)


def test_between_two_laws_the_one_in_force_that_day_is_cited(campaign):
    assert lines(campaign, UnitKind.PROVINCIAL_COMMITTEE, dt.date(2025, 4, 1))[0] == (
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025"
    )  # 65/2025, in force 01/3–15/6/2025


def test_a_to_trinh_cites_no_competence_and_the_police_cite_their_own_law(campaign):
    assert lines(campaign, UnitKind.PROVINCIAL_POLICE, dt.date(2026, 12, 7), competence=False)[:1] == [LAW]
    police = lines(campaign, UnitKind.PROVINCIAL_POLICE, dt.date(2026, 12, 7))
    assert police[0].startswith("Căn cứ Luật Công an nhân dân ngày 20 tháng 11 năm 2018; Luật sửa đổi")
    assert not any("chính quyền địa phương" in line for line in police)


def test_the_campaigns_own_plans_follow_the_national_acts_in_its_order(org, campaign):
    directive = LegalBasis.objects.get(number="07/CT-BCA-V28")
    plan = LegalBasis.objects.get(number="17/KH-BCA-V05")
    other = build_campaign(org, plan_number="182")
    CampaignLegalBasis.objects.create(campaign=other, legal_basis=plan, position=0)
    CampaignLegalBasis.objects.create(campaign=other, legal_basis=directive, position=1)
    cited = lines(other, UnitKind.PROVINCIAL_POLICE, dt.date(2024, 9, 16), competence=False)
    starts = ["Căn cứ Kế hoạch số 17/KH-BCA-V05 ngày 15 tháng 01 năm 2024 của Bộ Công an",
              "Căn cứ Chỉ thị số 07/CT-BCA-V28 ngày 18 tháng 8 năm 2014 của Bộ Công an",
              "Căn cứ Kế hoạch số 182/KH-UBND ngày 21 tháng 5 năm 2024"]  # fmt: skip
    assert all(line.startswith(start) for line, start in zip(cited[-3:], starts, strict=True)), cited
    assert not any(
        "17/KH-BCA-V05" in line for line in lines(campaign, UnitKind.PROVINCIAL_POLICE, dt.date(2024, 9, 16))
    )  # not listed: not cited


def test_two_decrees_of_one_kind_in_force_together_are_refused_naming_the_other(campaign):
    with pytest.raises(ValidationError, match=r"Nghị định số 152/2025/NĐ-CP \(Quy định về phân cấp"):
        campaign_services.legal_basis_ensure(
            number="99/2026/NĐ-CP", doc_type="Nghị định", issued_on=dt.date(2026, 1, 1), issuer="Chính phủ",
            title="Quy định khác", in_force_from=dt.date(2026, 2, 1), scope=BasisScope.NATIONAL,
            slot=BasisSlot.EMULATION_DECREE,
        )  # fmt: skip
    amending = campaign_services.legal_basis_ensure(
        number="98/2026/NĐ-CP", doc_type="Nghị định", issued_on=dt.date(2026, 1, 1), issuer="Chính phủ",
        title="Sửa đổi Nghị định 152", in_force_from=dt.date(2026, 2, 1), scope=BasisScope.NATIONAL,
        slot=BasisSlot.EMULATION_DECREE, amends=LegalBasis.objects.get(number="152/2025/NĐ-CP"),
    )  # fmt: skip
    cited = lines(campaign, UnitKind.PROVINCIAL_POLICE, dt.date(2026, 3, 1), competence=False)
    assert cited[1].startswith(DECREE_152) and cited[1].endswith(
        "; Nghị định số 98/2026/NĐ-CP ngày 01 tháng 01 năm 2026 của Chính phủ sửa đổi Nghị định 152"
    )  # on the line of the act it amends
    assert amending.pk


def test_a_plan_cannot_be_national_nor_a_national_act_listed_by_a_campaign(org, campaign):
    basis = LegalBasis(number="1/KH", doc_type="Kế hoạch", issued_on=dt.date(2024, 1, 1), title="x",
                       in_force_from=dt.date(2024, 1, 1), scope=BasisScope.NATIONAL, slot=BasisSlot.PLAN)  # fmt: skip
    with pytest.raises(ValidationError, match="thuộc về các đợt liệt kê nó"):
        basis.full_clean()
    with pytest.raises(ValidationError, match="được áp dụng cho mọi văn bản theo ngày"):
        build_campaign(org, plan_number="183", legal_bases=[LegalBasis.objects.get(number="06/2022/QH15")])


def admin_form(basis: LegalBasis, **changes) -> dict:
    data = {
        "number": basis.number, "doc_type": basis.doc_type, "issued_on": basis.issued_on.strftime("%d/%m/%Y"),
        "issuer": basis.issuer, "title": basis.title, "in_force_from": basis.in_force_from.strftime("%d/%m/%Y"),
        "in_force_to": "", "scope": basis.scope, "slot": basis.slot, "applies_to": basis.applies_to,
        "amends": basis.amends_id or "", "replaced_by": "", "source": basis.source,
    }  # fmt: skip
    data.update(changes)
    return data


def test_an_end_date_is_set_once_and_never_before_a_document_that_cited_it(org, world, media):
    from awards.services import decisions as decision_services
    from tests.test_decisions import awaiting, scan

    legal_bases_ensure()
    campaign, tiers = world
    director = org.actor("director")
    decision = decision_services.decision_draft(by=director, campaign=campaign, award_type=tiers["director"],
                                                nominations=[awaiting(org, campaign, tiers["director"])])  # fmt: skip
    day = timezone.localdate()
    decision_services.decision_issue(by=director, decision=decision, number=3, date=day, scan=scan())
    police_law = LegalBasis.objects.get(number="37/2018/QH14")
    assert decision.cited_bases.filter(pk=police_law.pk).exists()
    admin = org.client("admin")
    url = f"/admin/awards/legalbasis/{police_law.pk}/change/"
    yesterday = (day - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    page = admin.post(url, admin_form(police_law, in_force_to=yesterday)).content.decode()
    assert f"Một văn bản ngày {day:%d/%m/%Y} đã viện dẫn văn bản này" in page  # refused, in Vietnamese
    police_law.refresh_from_db()
    assert police_law.in_force_to is None
    assert admin.post(url, admin_form(police_law, in_force_to=day.strftime("%d/%m/%Y"))).status_code == 302
    police_law.refresh_from_db()
    assert police_law.in_force_to == day
    page = admin.post(url, admin_form(police_law, in_force_to="31/12/2099")).content.decode()
    assert f"Ngày hết hiệu lực đã được đặt là {day:%d/%m/%Y}" in page
    police_law.refresh_from_db()
    assert police_law.in_force_to == day
