import io

import pytest
from django.core.management import call_command
from django.test import Client

from awards.models import AuditEvent, AwardType, Campaign, Membership, Role, Unit, UnitKind, UnitLineage, User

pytestmark = pytest.mark.django_db

DISTRICTS = {
    "Biên Hòa", "Long Khánh", "Nhơn Trạch", "Long Thành", "Trảng Bom", "Thống Nhất", "Cẩm Mỹ",
    "Xuân Lộc", "Định Quán", "Tân Phú", "Vĩnh Cửu",
}  # fmt: skip


def counts():
    return tuple(m.objects.count() for m in (Unit, UnitLineage, User, Membership, AuditEvent))


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_loads_dong_nai_2024_and_one_account_per_role(settings):
    output = seed()
    districts = Unit.objects.filter(kind=UnitKind.DISTRICT_COMMITTEE)
    names = {
        d.name.removeprefix("Ủy ban nhân dân ").removeprefix("thành phố ").removeprefix("huyện ") for d in districts
    }
    assert names == DISTRICTS
    for district in districts:
        assert district.children.filter(kind=UnitKind.COMMUNE_COMMITTEE).count() >= 3
    for kind in UnitKind.values:
        assert Unit.objects.filter(kind=kind).exists(), kind
    assert Unit.objects.get(code="CA-DN").parent.code == "UBND-DN"
    roles = set(Membership.objects.filter(acting_for__isnull=True).values_list("role", flat=True))
    assert roles == set(Role.values)
    assert Membership.objects.filter(acting_for__isnull=False).count() == 1
    assert settings.DEMO_PASSWORD in output
    assert User.objects.get(username="canbo.bienhoa").check_password(settings.DEMO_PASSWORD)


def test_seed_demo_twice_changes_nothing():
    seed()
    before = counts()
    output = seed()
    assert counts() == before
    assert "0 units, 0 accounts, 0 campaigns and 0 award tiers created" in output


def test_both_demo_campaigns_offer_the_three_award_tiers():
    seed()
    for campaign in Campaign.objects.all():
        assert [a.code for a in campaign.award_types.order_by("position")] == ["BK-BCA", "BK-UBND", "GK-CAT"]
    chairman = AwardType.objects.get(code="BK-UBND")
    rules = {r.step: (r.role, r.unit.code if r.unit else None) for r in chairman.step_rules.all()}
    assert rules["home_affairs_appraisal"] == ("home_affairs_reviewer", "SNV-DN")
    assert rules["leader_approval"] == ("provincial_leader", "UBND-DN")
    assert rules["prepare"] == ("unit_officer", None)


def test_seed_demo_on_a_database_with_existing_units_makes_no_duplicates():
    Unit.objects.create(code="UBND-BH", name="Ủy ban nhân dân thành phố Biên Hòa", kind=UnitKind.DISTRICT_COMMITTEE)
    seed()
    assert Unit.objects.filter(code="UBND-BH").count() == 1
    assert Unit.objects.filter(name="Ủy ban nhân dân thành phố Biên Hòa").count() == 1


def test_seeded_2025_mergers_keep_the_old_departments_with_their_successors():
    seed()
    old = Unit.objects.get(code="SKHDT-DN")
    assert old.valid_to.isoformat() == "2025-02-28"
    assert old.successor_links.get().successor.code == "STC-DN"


def test_every_demo_persona_logs_in_and_sees_its_unit_and_role_in_vietnamese(settings):
    seed()
    for membership in Membership.objects.select_related("user", "unit"):
        browser = Client()
        response = browser.post(
            "/accounts/login/", {"username": membership.user.username, "password": settings.DEMO_PASSWORD}
        )
        assert response.status_code == 302, membership.user.username
        page = browser.get("/").content.decode()
        assert f"Xin chào, {membership.user.full_name}" in page
        assert f"{membership.get_role_display()} · {membership.unit.name}" in page
        assert "Trang chủ" in page and "Nhật ký hoạt động" in page
        if membership.acting_for_id:
            assert f"Làm thay {membership.acting_for.user.full_name}" in page
        if membership.role == Role.ADMINISTRATOR:
            assert 'href="/admin/"' in page
        else:
            assert 'href="/admin/"' not in page


def test_the_demo_has_plan_181_in_every_state_and_a_live_current_campaign():
    from django.utils import timezone

    from awards.models import Campaign, Report

    seed()
    plan = Campaign.objects.get(plan_number="181", plan_symbol="KH-UBND")
    assert timezone.localtime(plan.report_deadline).isoformat() == "2024-06-30T00:00:00+07:00"
    states = {(r.unit.code, r.status, r.late_days) for r in Report.objects.filter(campaign=plan).select_related("unit")}
    assert ("UBND-BH", "accepted", 0) in states
    assert ("DN-TINNGHIA", "accepted", 4) in states  # accepted, but submitted late
    assert ("SGDDT-DN", "returned", 0) in states
    assert ("UBND-NT", "submitted", 6) in states
    assert ("LDLD-DN", "draft", None) in states  # never submitted
    current = Campaign.objects.exclude(pk=plan.pk).get()
    assert current.report_deadline > timezone.now()
    assert current.outline.based_on == plan.outline and current.outline.version == 2
    assert {r.status for r in Report.objects.filter(campaign=current)} == {"draft", "submitted", "returned"}
