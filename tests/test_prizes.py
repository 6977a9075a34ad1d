"""Prize money: coefficient × the base salary in force on the decision's date, rounded up to 10,000 đ."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from awards.models import AuditEvent, NomineeKind, PrizeRate
from awards.reference.tiers_181 import standard_tiers
from awards.selectors.prizes import base_salary_on, prize_money, round_up
from awards.services.prizes import prize_rates_set

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def tiers(org):
    made = standard_tiers(police=org.units["police"], home_affairs=org.units["home"],
                          province=org.units["province"], ministry=org.units["ministry"])  # fmt: skip
    return {t.code: t for t in made}


def test_the_data_migrations_record_the_base_salary_of_recent_years():
    assert base_salary_on(dt.date(2024, 6, 30)).amount == 1_800_000
    assert base_salary_on(dt.date(2024, 7, 1)).amount == 2_340_000
    assert base_salary_on(dt.date(2026, 6, 30)).legal_basis == "Nghị định 73/2024/NĐ-CP"
    assert (base_salary_on(dt.date(2026, 7, 1)).amount, base_salary_on(dt.date(2026, 12, 1)).legal_basis) == (
        2_530_000, "Nghị định 161/2026/NĐ-CP")  # fmt: skip


def test_prize_money_uses_the_rate_and_the_base_salary_of_the_decision_date(tiers):
    giay_khen, bang_khen = tiers["GK-CAT"], tiers["BK-UBND"]
    day = dt.date(2024, 9, 16)
    assert prize_money(award_type=giay_khen, kind=NomineeKind.INDIVIDUAL, day=day) == 710_000  # 0.3 × 2.34M = 702k
    assert prize_money(award_type=giay_khen, kind=NomineeKind.COLLECTIVE, day=day) == 1_410_000  # 1,404,000 up
    assert prize_money(award_type=bang_khen, kind=NomineeKind.INDIVIDUAL, day=day) == 2_340_000  # a multiple stays
    assert prize_money(award_type=bang_khen, kind=NomineeKind.COLLECTIVE, day=day) == 4_680_000
    assert prize_money(award_type=giay_khen, kind=NomineeKind.INDIVIDUAL, day=dt.date(2024, 6, 28)) == 540_000
    assert prize_money(award_type=giay_khen, kind=NomineeKind.INDIVIDUAL, day=dt.date(2026, 7, 1)) == 760_000
    assert prize_money(award_type=giay_khen, kind=NomineeKind.INDIVIDUAL, day=dt.date(2026, 6, 30)) == 710_000


def test_rounding_is_up_to_the_next_ten_thousand():
    assert [round_up(Decimal(n)) for n in (0, 1, 9_999, 10_000, 10_001, 702_000)] == [0, 10_000, 10_000, 10_000,
                                                                                      20_000, 710_000]  # fmt: skip


def test_missing_data_gives_a_clear_error(tiers):
    with pytest.raises(ValidationError, match="Chưa có mức lương cơ sở cho ngày 01/01/2010"):
        base_salary_on(dt.date(2010, 1, 1))
    PrizeRate.objects.filter(award_type=tiers["GK-CAT"], nominee_kind=NomineeKind.COLLECTIVE).delete()
    with pytest.raises(ValidationError, match="Chưa đặt hệ số tiền thưởng cho Giấy khen của Giám đốc Công an tỉnh"):
        prize_money(award_type=tiers["GK-CAT"], kind=NomineeKind.COLLECTIVE, day=dt.date(2024, 9, 16))
    with pytest.raises(ValidationError):
        prize_rates_set(by=None, award_type=tiers["GK-CAT"], rates={NomineeKind.COLLECTIVE: "-0.6"})


def test_rates_are_set_once_with_the_tiers_and_changes_are_audited(org, tiers):
    standard_tiers(police=org.units["police"], home_affairs=org.units["home"],
                   province=org.units["province"], ministry=org.units["ministry"])  # fmt: skip
    assert PrizeRate.objects.count() == 6  # not reset by seeding again
    prize_rates_set(by=org.actor("admin"), award_type=tiers["GK-CAT"], rates={NomineeKind.INDIVIDUAL: "0.4"})
    rate = PrizeRate.objects.get(award_type=tiers["GK-CAT"], nominee_kind=NomineeKind.INDIVIDUAL)
    assert rate.coefficient == Decimal("0.40")
    assert AuditEvent.objects.filter(action="prize_rates_set").count() == 4  # three at seeding, this one


def test_the_administrator_keeps_base_salaries_and_rates_in_the_admin(org, tiers):
    admin = org.client("admin")
    assert admin.get("/admin/awards/basesalary/").status_code == 200
    response = admin.post("/admin/awards/basesalary/add/", {"amount": "2700000", "in_force_from": "01/07/2027",
                                                            "legal_basis": "Nghị định giả định"})  # fmt: skip
    assert response.status_code == 302
    assert base_salary_on(dt.date(2027, 7, 2)).amount == 2_700_000
    assert AuditEvent.objects.filter(action="base_salary_saved").count() == 1
    duplicate = admin.post("/admin/awards/basesalary/add/", {"amount": "1", "in_force_from": "01/07/2027"})
    assert duplicate.status_code == 200 and "đã tồn tại" in duplicate.content.decode()
    page = admin.get(f"/admin/awards/awardtype/{tiers['GK-CAT'].pk}/change/").content.decode()
    assert "Hệ số" in page
