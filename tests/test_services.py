"""Units, lineage, memberships and acting: the rules and the audit trail they leave."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation

from awards import services
from awards.actor import Actor
from awards.audit import audit_record
from awards.models import AuditEvent, LineageKind, Membership, Role, UnitKind
from awards.permissions import Cap
from awards.selectors import actor_for, memberships_valid
from tests.factories import UnitFactory, UserFactory
from tests.integrity import integrity_checked as integrity_checked  # noqa: F401 - checks the invariants after each test

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def deputy_acting_for_director(org, *, start, end) -> Membership:
    deputy = UserFactory(username="deputy", full_name="Lý Văn Phúc")
    return services.membership_grant_acting(
        by=org.actor("admin"), user=deputy, acting_for=org.memberships["director"], valid_from=start, valid_to=end
    )


def test_an_acting_member_works_with_the_original_role_and_both_people_are_recorded(org):
    acting = deputy_acting_for_director(org, start=TODAY() - dt.timedelta(days=1), end=TODAY() + dt.timedelta(days=5))
    actor = actor_for(user=acting.user)
    assert actor.membership == acting
    assert (actor.unit, actor.role) == (org.units["police"], Role.POLICE_DIRECTOR)
    assert actor.on_behalf_of == org.users["director"]
    event = audit_record(actor=actor, action="unit_updated", obj=org.units["a"])
    event.refresh_from_db()
    assert (event.actor, event.on_behalf_of, event.membership) == (acting.user, org.users["director"], acting)


def test_the_header_says_who_is_acting_for_whom(org):
    acting = deputy_acting_for_director(org, start=TODAY(), end=TODAY() + dt.timedelta(days=5))
    client = Client()
    client.force_login(acting.user)
    page = client.get("/").content.decode()
    assert "Làm thay Người dùng director" in page
    assert "Lãnh đạo Công an tỉnh · Công an tỉnh Thử" in page


def test_an_acting_membership_after_its_end_date_is_refused(org):
    acting = deputy_acting_for_director(org, start=TODAY() - dt.timedelta(days=10), end=TODAY() - dt.timedelta(days=1))
    assert list(memberships_valid(user=acting.user)) == []
    assert actor_for(user=acting.user, membership_id=acting.pk).membership is None
    client = Client()
    client.force_login(acting.user)
    response = client.post("/role/", {"membership": acting.pk}, follow=True)
    assert "Không thể sử dụng vai trò này" in response.content.decode()
    assert "Chưa có vai trò hợp lệ" in response.content.decode()


def test_an_acting_membership_that_ends_during_the_session_is_dropped_with_a_message(org):
    acting = deputy_acting_for_director(org, start=TODAY() - dt.timedelta(days=3), end=TODAY())
    services.membership_grant(by=None, user=acting.user, unit=org.units["police"], role=Role.POLICE_REVIEWER)
    client = Client()
    client.force_login(acting.user)
    client.post("/role/", {"membership": acting.pk})
    assert "Làm thay" in client.get("/").content.decode()
    Membership.objects.filter(pk=acting.pk).update(valid_to=TODAY() - dt.timedelta(days=1))
    page = client.get("/").content.decode()
    assert "Vai trò làm thay Người dùng director đã kết thúc ngày" in page
    assert "Cán bộ Công an tỉnh · Công an tỉnh Thử" in page


def test_acting_needs_a_period_and_another_person(org):
    with pytest.raises(ValidationError):
        services.membership_grant_acting(
            by=None, user=org.users["police"], acting_for=org.memberships["director"], valid_from=TODAY(), valid_to=None
        )
    with pytest.raises(ValidationError):
        services.membership_grant_acting(
            by=None, user=org.users["director"], acting_for=org.memberships["director"],
            valid_from=TODAY(), valid_to=TODAY(),
        )  # fmt: skip


def test_a_role_in_the_wrong_kind_of_unit_is_refused_in_vietnamese(org):
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        services.membership_grant(by=None, user=org.users["officer_a"], unit=org.units["a"], role=Role.POLICE_DIRECTOR)
    assert "không thể thuộc đơn vị loại “Doanh nghiệp”" in str(caught.value)


def test_user_can_switch_between_memberships(org):
    second = services.membership_grant(by=None, user=org.users["officer_a"], unit=org.units["b"], role=Role.UNIT_HEAD)
    client = org.client("officer_a")
    response = client.post("/role/", {"membership": second.pk, "next": "/units/"})
    assert response["Location"] == "/units/"
    page = client.get("/").content.decode()
    assert "Thủ trưởng đơn vị · Sở Giáo dục và Đào tạo" in page
    # Someone else's membership cannot be borrowed.
    response = client.post("/role/", {"membership": org.memberships["police"].pk}, follow=True)
    assert "Không thể sử dụng vai trò này" in response.content.decode()
    assert "Thủ trưởng đơn vị · Sở Giáo dục và Đào tạo" in response.content.decode()


def test_a_merged_unit_keeps_its_history_and_points_to_its_successor(org):
    old = UnitFactory(
        code="SKHDT", name="Sở Kế hoạch và Đầu tư", kind=UnitKind.DEPARTMENT, parent=org.units["province"]
    )
    new = UnitFactory(code="STC", name="Sở Tài chính", kind=UnitKind.DEPARTMENT, parent=org.units["province"])
    services.unit_close(by=org.actor("admin"), unit=old, last_day=dt.date(2025, 2, 28), successors=[new])
    old.refresh_from_db()
    assert old.valid_to == dt.date(2025, 2, 28)
    assert old.is_valid_on(dt.date(2024, 6, 30)) and not old.is_valid_on(dt.date(2025, 3, 1))
    link = old.successor_links.get()
    assert (link.successor, link.kind, link.effective_on) == (new, LineageKind.MERGED, dt.date(2025, 3, 1))
    page = org.client("police").get(f"/units/{old.pk}/").content.decode()
    assert "Đơn vị này sáp nhập vào Sở Tài chính từ ngày 01/03/2025" in page
    assert AuditEvent.objects.filter(action="unit_closed", object_id=str(old.pk), actor=org.users["admin"]).exists()


def test_members_of_a_closed_unit_lose_their_role_from_the_next_day(org):
    services.unit_close(by=None, unit=org.units["a"], last_day=TODAY() - dt.timedelta(days=1))
    assert actor_for(user=org.users["officer_a"]).membership is None
    assert actor_for(user=org.users["officer_a"], on=TODAY() - dt.timedelta(days=1)).membership is not None


def test_a_unit_cannot_be_placed_under_its_own_sub_unit(org):
    district = org.units["district"]
    with pytest.raises(ValidationError):
        services.unit_update(by=None, unit=district, parent=org.units["commune"])


def test_unit_update_records_what_changed(org):
    services.unit_update(by=org.actor("admin"), unit=org.units["a"], name="Công ty Cổ phần An Bình Xanh")
    event = AuditEvent.objects.get(action="unit_updated")
    assert event.detail == {"name": ["Công ty Cổ phần An Bình", "Công ty Cổ phần An Bình Xanh"]}


def test_the_administrator_manages_units_but_approves_nothing(org):
    admin = org.actor("admin")
    assert admin.can(Cap.MANAGE_UNITS) and admin.can(Cap.MANAGE_USERS)
    approvals = [c for c in Cap if c.name.startswith(("APPROVE", "APPRAISE", "REVIEW", "SUBMIT", "RECORD"))]
    assert approvals and not any(admin.can(c) for c in approvals)
    response = org.client("admin").post(
        "/admin/awards/unit/add/",
        {"code": "dn-moi", "name": "Công ty Mới", "kind": UnitKind.ENTERPRISE, "parent": org.units["province"].pk},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="unit_created", object_repr="DN-MOI")  # its code, not its name
    assert event.actor == org.users["admin"]


def test_an_actor_without_membership_can_do_nothing(org):
    assert not any(Actor(user=org.users["outsider"]).can(c) for c in Cap)


def test_admin_grants_an_acting_membership_taking_unit_and_role_from_the_original(org):
    deputy = UserFactory(username="deputy", full_name="Lý Văn Phúc")
    response = org.client("admin").post(
        "/admin/awards/membership/add/",
        {
            "user": deputy.pk, "acting_for": org.memberships["director"].pk, "title": "Phó Giám đốc",
            "valid_from": "01/12/2026", "valid_to": "05/01/2027", "is_active": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    acting = Membership.objects.get(user=deputy)
    assert (acting.unit, acting.role) == (org.units["police"], Role.POLICE_DIRECTOR)
    assert (acting.valid_from, acting.valid_to) == (dt.date(2026, 12, 1), dt.date(2027, 1, 5))
    assert AuditEvent.objects.filter(action="acting_membership_granted", actor=org.users["admin"]).exists()


def test_admin_form_shows_a_wrong_role_for_the_unit_as_a_form_error_and_keeps_the_input(org):
    response = org.client("admin").post(
        "/admin/awards/membership/add/",
        {
            "user": org.users["officer_a"].pk,
            "unit": org.units["a"].pk,
            "role": Role.POLICE_DIRECTOR,
            "title": "Giám đốc",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "không thể thuộc đơn vị loại “Doanh nghiệp”" in page
    assert 'value="Giám đốc"' in page
    assert not Membership.objects.filter(user=org.users["officer_a"], role=Role.POLICE_DIRECTOR).exists()


def test_admin_form_refuses_an_acting_membership_without_an_end_date(org):
    response = org.client("admin").post(
        "/admin/awards/membership/add/",
        {"user": org.users["police"].pk, "acting_for": org.memberships["director"].pk, "valid_from": "01/12/2026"},
    )
    assert response.status_code == 200
    assert "Vai trò làm thay phải có ngày bắt đầu và ngày kết thúc" in response.content.decode()
