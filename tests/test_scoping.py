"""One scoping rule decides what each persona sees; refusals are logged and audited."""

import datetime as dt
import logging

import pytest
from django.contrib.auth.models import Permission
from guardian.shortcuts import assign_perm

from awards.audit import refusals_record
from awards.models import AuditEvent, Unit, UnitKind
from awards.selectors import unit_scope_ids, units_visible
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def codes(org, persona) -> set[str]:
    return set(Unit.objects.filter(pk__in=unit_scope_ids(actor=org.actor(persona))).values_list("code", flat=True))


PROVINCE = {"UBND-T", "CA-T", "SNV-T", "DN-A", "SGD-B", "UBND-H", "UBND-H-X", "UBND-K", "UBND-K-Y"}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("officer_a", {"DN-A"}),
        ("head_a", {"DN-A"}),
        ("officer_b", {"SGD-B"}),
        ("district", {"UBND-H", "UBND-H-X"}),  # its own communes, not the neighbour's
        ("commune", {"UBND-H-X"}),
        ("police", PROVINCE),
        ("director", PROVINCE),
        ("home", PROVINCE),
        ("leader", PROVINCE),
        ("admin", PROVINCE),
        ("ministry", {"BCA"}),
        ("outsider", set()),
    ],
)
def test_each_persona_sees_exactly_its_scope(org, persona, expected):
    assert codes(org, persona) == expected


def test_a_model_wide_permission_never_widens_a_unit_scope(org):
    """guardian's trap: a global view_unit must not make every unit visible."""
    user = org.users["officer_a"]
    user.user_permissions.add(Permission.objects.get(codename="view_unit"))
    user = type(user).objects.get(pk=user.pk)  # drop the permission cache
    org.users["officer_a"] = user
    assert codes(org, "officer_a") == {"DN-A"}


def test_a_per_object_grant_adds_exactly_that_unit(org):
    assign_perm("awards.view_unit", org.users["officer_a"], org.units["b"])
    assert codes(org, "officer_a") == {"DN-A", "SGD-B"}
    assert org.client("officer_a").get(f"/units/{org.units['b'].pk}/").status_code == 200


def test_a_deactivated_user_sees_nothing(org):
    org.users["police"].is_active = False
    assert codes(org, "police") == set()


def test_opening_another_units_page_is_refused_logged_and_audited(org, caplog):
    other = org.units["b"]
    with caplog.at_level(logging.WARNING, logger="tdkt.security"):
        response = org.client("officer_a").get(f"/units/{other.pk}/")
    assert response.status_code == 403
    assert "Bạn không có quyền xem trang này" in response.content.decode()
    assert any("access denied" in r.getMessage() and f"unit={other.pk}" in r.getMessage() for r in caplog.records)
    refusals_record(now=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1, minutes=2))  # written when the hour closes
    event = AuditEvent.objects.get(action="access_denied")
    assert (event.actor, event.object_type, event.object_id) == (org.users["officer_a"], "unit", str(other.pk))
    assert event.unit == org.units["a"]


def test_unit_list_shows_only_the_scope_in_vietnamese_order(org):
    page = org.client("district").get("/units/").content.decode()
    assert "Ủy ban nhân dân xã Xuân" in page
    assert "Ủy ban nhân dân xã Yên" not in page
    assert "Công ty Cổ phần An Bình" not in page
    names = [u.name for u in units_visible(actor=org.actor("police"), kind=UnitKind.DISTRICT_COMMITTEE)]
    assert names == ["Ủy ban nhân dân huyện Hòa", "Ủy ban nhân dân huyện Khánh"]


def test_unit_list_search_filters_by_name_or_code(org):
    page = org.client("police").get("/units/", {"q": "xã"}).content.decode()
    assert "Ủy ban nhân dân xã Xuân" in page and "Ủy ban nhân dân xã Yên" in page
    assert "Sở Giáo dục và Đào tạo" not in page


def test_unit_list_queries_do_not_grow_with_the_number_of_units(org, django_assert_max_num_queries):
    parent = org.units["province"]
    Unit.objects.bulk_create(
        [Unit(code=f"E-{i}", name=f"Doanh nghiệp {i}", kind=UnitKind.ENTERPRISE, parent=parent) for i in range(120)]
    )
    client = org.client("police")
    client.get("/units/")  # warm the session
    with django_assert_max_num_queries(16):
        response = client.get("/units/")
    assert response.status_code == 200
    assert response.content.decode().count('data-label="Mã"') == 50  # one page


def test_a_province_wide_role_sees_its_own_province_only_when_provinces_share_a_root(org):
    """A national installation: several provinces under one root. Each province's police see their own."""
    nation = UnitFactory(code="QG-VN", name="Cả nước", kind=UnitKind.MINISTRY)
    org.units["province"].parent = nation
    org.units["province"].save()
    other = UnitFactory(code="UBND-TINH-KHAC", name="Ủy ban nhân dân tỉnh Khác", kind=UnitKind.PROVINCIAL_COMMITTEE,
                        parent=nation)  # fmt: skip
    other_unit = UnitFactory(code="SO-TINH-KHAC", name="Sở Khác", kind=UnitKind.DEPARTMENT, parent=other)
    seen = unit_scope_ids(actor=org.actor("police"))
    assert org.units["a"].pk in seen and org.units["police"].pk in seen
    assert not seen & {nation.pk, other.pk, other_unit.pk}
