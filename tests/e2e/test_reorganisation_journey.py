"""The administrator records a merge in the browser — a new unit, the reorganisation with its change, the preview,
applying it — and sees on the old unit's page who now reads its files. Then an officer of a ward of today's map
signs in and works on the current campaign: its report and a nomination, sent to the provincial bodies directly."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from awards.models import Membership, Reorganisation, ReorganisationStatus, Role, Unit, UnitKind, UnitLineage, User
from awards.services import org as org_services
from tests.e2e.test_login_journey import login

pytestmark = pytest.mark.e2e


def choose(page: Page, field_id: str, text: str) -> None:
    """Pick `text` in one of the admin's autocomplete (select2) fields, as a person types and chooses."""
    page.locator(f"#{field_id}").locator("xpath=following-sibling::span[1]").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    option = page.locator(".select2-results__option", has_text=text).first
    expect(option).to_be_visible()
    option.click()


@pytest.fixture
def two_companies(demo):
    """Two test companies of the province, each with an officer, to be merged."""
    province = Unit.objects.get(code="UBND-DN")
    units = []
    for code, name, username in (("DN-THU-A", "Công ty Thử Nghiệm Một", "canbo.thua"),
                                 ("DN-THU-B", "Công ty Thử Nghiệm Hai", "canbo.thub")):  # fmt: skip
        unit = org_services.unit_create(by=None, code=code, name=name, kind=UnitKind.ENTERPRISE, parent=province)
        user = org_services.user_create(by=None, username=username, full_name=f"Cán bộ {name}", password=demo)
        org_services.membership_grant(by=None, user=user, unit=unit, role=Role.UNIT_OFFICER)
        units.append(unit)
    return units


def test_the_administrator_merges_two_units_with_a_preview_and_sees_who_inherits(page: Page, two_companies, demo,
                                                                                  shot):  # fmt: skip
    today = timezone.localdate()
    page.goto("/accounts/login/")
    login(page, "quantri", demo)
    page.get_by_role("link", name="Quản trị hệ thống").first.click()
    # The successor first: a new unit, open from the effective date.
    page.get_by_role("link", name="Đơn vị", exact=True).first.click()
    page.get_by_role("link", name="Thêm vào đơn vị").click()
    page.locator("#id_code").fill("DN-THU-HN")
    page.locator("#id_name").fill("Tổng Công ty Thử Nghiệm Hợp Nhất")
    page.locator("#id_kind").select_option("enterprise")
    page.locator("#id_valid_from").fill(today.strftime("%d/%m/%Y"))
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("Tổng Công ty Thử Nghiệm Hợp Nhất")

    page.get_by_role("link", name="Các đợt sắp xếp đơn vị").first.click()
    page.get_by_role("link", name="Thêm vào đợt sắp xếp").click()
    page.locator("#id_title").fill("Hợp nhất hai công ty thử nghiệm")
    page.locator("#id_effective_on").fill(today.strftime("%d/%m/%Y"))
    page.locator("#id_legal_basis").fill("Quyết định số 1/QĐ-THU ngày 01/12/2026")
    page.locator("#id_changes-0-kind").select_option("merge")
    choose(page, "id_changes-0-predecessors", "Công ty Thử Nghiệm Một")
    choose(page, "id_changes-0-predecessors", "Công ty Thử Nghiệm Hai")
    choose(page, "id_changes-0-successors", "Tổng Công ty Thử Nghiệm Hợp Nhất")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_be_visible()

    page.get_by_role("link", name="Xem trước và áp dụng").click()
    closed = page.get_by_test_id("closed-units")
    expect(closed).to_contain_text("Công ty Thử Nghiệm Một")
    expect(closed).to_contain_text("Công ty Thử Nghiệm Hai")
    expect(closed).to_contain_text((today - dt.timedelta(days=1)).strftime("%d/%m/%Y"))
    expect(page.get_by_test_id("members")).to_contain_text("chuyển sang Tổng Công ty Thử Nghiệm Hợp Nhất")
    expect(page.get_by_test_id("reorganisation-problems")).to_have_count(0)
    shot(page, "reorganisation-preview")
    page.get_by_role("button", name="Áp dụng đợt sắp xếp").click()
    expect(page.locator(".messagelist")).to_contain_text("Đã áp dụng đợt sắp xếp “Hợp nhất hai công ty thử nghiệm”.")

    plan = Reorganisation.objects.get(title="Hợp nhất hai công ty thử nghiệm")
    assert plan.status == ReorganisationStatus.APPLIED
    successor = Unit.objects.get(code="DN-THU-HN")
    assert set(UnitLineage.objects.filter(successor=successor).values_list("predecessor__code", flat=True)) == {
        "DN-THU-A", "DN-THU-B",
    }  # fmt: skip
    moved = User.objects.get(username="canbo.thua")
    assert Membership.objects.get(user=moved, unit=successor).valid_from == today

    # The old unit's page in the admin: who reads its files now.
    page.get_by_role("link", name="Đơn vị", exact=True).first.click()
    page.locator("#searchbar").fill("DN-THU-A")
    page.locator("#searchbar").press("Enter")
    page.get_by_role("link", name="Công ty Thử Nghiệm Một").click()
    inherited = page.get_by_test_id("inherited-access")
    expect(inherited).to_contain_text("canbo.thua")
    expect(inherited).to_contain_text("được xem hồ sơ")
    shot(page, "reorganisation-inherited-access")


def test_a_ward_officer_nominates_on_the_current_campaign_and_reads_the_old_citys_files(page: Page, demo, shot):
    """canbo.bienhoa moved with the 2025 reorganisation from UBND thành phố Biên Hòa to phường Trấn Biên: on the
    current campaign (no district) the ward's nomination is its own and is covered by its own report; the old
    city's files are read-only for it, found through the units it may see."""
    from awards.models import Campaign, Nomination, Report

    ward, city = Unit.objects.get(code="UBND-P-TRANBIEN"), Unit.objects.get(code="UBND-BH")
    current = Campaign.objects.filter(reference_date__gte=dt.date(2025, 7, 1)).get()
    assert not current.intermediate_level().exists()
    page.goto("/accounts/login/")
    login(page, "canbo.bienhoa", demo)
    expect(page.get_by_test_id("who-role")).to_contain_text("Ủy ban nhân dân phường Trấn Biên")

    page.get_by_role("link", name="Đợt khen thưởng và báo cáo").first.click()
    page.get_by_role("link", name=current.plan_reference, exact=True).first.click()
    page.get_by_test_id("nominations-link").click()
    page.get_by_test_id("new-nomination").click()
    form = page.get_by_test_id("nomination-form")
    form.locator("#id_award_type").select_option(label="Giấy khen của Giám đốc Công an tỉnh")
    form.get_by_label("Cá nhân", exact=True).check()
    form.locator("#id_name").fill("Lê Thị Thu Trang")
    form.locator("#id_gender").select_option("female")
    form.locator("#id_birth_date").fill("12/03/1988")
    form.locator("#id_position").fill("Công an viên")
    form.locator("#id_workplace").fill("Ủy ban nhân dân phường Trấn Biên")
    form.locator("#id_id_number").fill("075188004321")
    form.locator("#id_achievement").fill("Có thành tích xuất sắc trong phong trào toàn dân bảo vệ an ninh Tổ quốc")
    form.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text("Đã lưu đề nghị khen thưởng.")
    nomination = Nomination.objects.get(campaign=current, name="Lê Thị Thu Trang")
    assert (nomination.unit, nomination.holder) == (ward, ward)
    assert nomination.evidence_report == Report.objects.get(campaign=current, unit=ward)
    shot(page, "reorganisation-ward-nomination")

    # The old city's page: read, with its history; the ward's own officer cannot edit what was the city's.
    page.get_by_role("link", name="Đơn vị", exact=True).first.click()
    page.get_by_role("link", name=city.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(city.name)
    plan_181_report = Report.objects.get(campaign__plan_number="181", unit=city)
    response = page.goto(f"/reports/{plan_181_report.pk}/edit/")
    assert response.status == 403
