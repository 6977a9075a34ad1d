"""One scoping rule decides what each persona sees; refusals are logged and audited."""

import datetime as dt
import logging

import pytest
from django.contrib.auth.models import Permission
from guardian.shortcuts import assign_perm

from awards.actor import Actor
from awards.audit import audit_record, refusals_record
from awards.models import AuditEvent, Role, Unit, UnitKind
from awards.selectors import scope, unit_descendant_ids, unit_scope, unit_scope_ids, units_visible
from tests.factories import UnitFactory, UserFactory

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


# A province-wide scope is one span of ids with its holes, not an IN of every unit (docs/scale.md) ---------------


def _national(org):
    """Two provinces under one national root, their units created interleaved so that each province's ids
    have the other's in between: (the second province's police actor, its units, the first's new units)."""
    from awards import services

    nation = UnitFactory(code="QG-VN", name="Cả nước", kind=UnitKind.MINISTRY)
    org.units["province"].parent = nation
    org.units["province"].save()
    other = UnitFactory(code="UBND-T2", name="Ủy ban nhân dân tỉnh Hai", kind=UnitKind.PROVINCIAL_COMMITTEE,
                        parent=nation)  # fmt: skip
    police2 = UnitFactory(code="CA-T2", name="Công an tỉnh Hai", kind=UnitKind.PROVINCIAL_POLICE, parent=other)
    theirs, ours = [other, police2], []
    for i in range(4):  # ids alternate between the two provinces
        ours.append(UnitFactory(code=f"DN-1-{i}", name=f"Doanh nghiệp Một {i}", kind=UnitKind.ENTERPRISE,
                                parent=org.units["province"]))  # fmt: skip
        theirs.append(UnitFactory(code=f"DN-2-{i}", name=f"Doanh nghiệp Hai {i}", kind=UnitKind.ENTERPRISE,
                                  parent=other))  # fmt: skip
    user = UserFactory(username="police2", full_name="Cán bộ Công an tỉnh Hai")
    membership = services.membership_grant(by=None, user=user, unit=police2, role=Role.POLICE_REVIEWER)
    return Actor(user=user, membership=membership), theirs, ours, nation


def _everything_through_scope(actor) -> tuple[set[int], set[int]]:
    """(units, audit events' units) the actor reads through `scope()`, the path every tenant query takes."""
    units = set(scope(Unit.objects.all(), actor=actor, unit_field="pk").values_list("pk", flat=True))
    events = set(scope(AuditEvent.objects.all(), actor=actor).values_list("unit_id", flat=True))
    return units, events


def test_a_province_wide_scope_is_a_span_holding_exactly_the_provinces_units(org):
    police = org.actor("police")
    seen = unit_scope(actor=police)
    assert seen.is_span and not seen.ids
    tree = unit_descendant_ids({org.units["province"].pk})
    assert set(seen) == unit_scope_ids(actor=police) == tree and len(seen) == len(tree)
    assert org.units["ministry"].pk not in seen and None not in seen and str(org.units["a"].pk) not in seen
    assert _everything_through_scope(police)[0] == tree
    sql = str(scope(Unit.objects.all(), actor=police, unit_field="pk").query)
    assert ">=" in sql and " IN " not in sql  # one range; no hole in this province's span


def test_provinces_sharing_an_installation_read_none_of_each_others_rows_through_the_span(org):
    police2, theirs, ours, nation = _national(org)
    police1 = org.actor("police")
    for unit in [*theirs, *ours, nation, org.units["a"], org.units["ministry"]]:
        audit_record(actor=None, action="test_event", unit=unit)
    audit_record(actor=None, action="test_event")  # no unit: nobody's
    first = unit_descendant_ids({org.units["province"].pk})
    second = unit_descendant_ids({theirs[0].pk})
    assert {u.pk for u in ours} <= first and {u.pk for u in theirs} == second
    for actor, own, others in ((police1, first, second), (police2, second, first)):
        seen = unit_scope(actor=actor)
        assert seen.is_span and seen.holes  # the other province's ids lie inside this one's span
        assert set(seen) == own and not set(seen) & others and nation.pk not in seen
        units, events = _everything_through_scope(actor)
        assert units == own
        assert events and events <= own and None not in events
    # the pages: the second province's police list and open only their own units
    client = org.client("outsider")
    client.force_login(police2.user)
    listing = client.get("/units/").content.decode()
    assert "Doanh nghiệp Hai 0" in listing and "Doanh nghiệp Một 0" not in listing
    assert client.get(f"/units/{ours[0].pk}/").status_code == 403
    assert client.get(f"/units/{theirs[2].pk}/").status_code == 200
    assert org.client("police").get(f"/units/{theirs[2].pk}/").status_code == 403


def test_a_span_with_too_many_holes_lists_its_units_instead(org, monkeypatch):
    from awards.selectors import org as org_selectors

    police2, theirs, _ours, _nation = _national(org)
    monkeypatch.setattr(org_selectors, "MAX_SPAN_HOLES", 0)
    seen = unit_scope(actor=police2)
    assert not seen.is_span and set(seen.ids) == {u.pk for u in theirs} == _everything_through_scope(police2)[0]


def test_a_unit_created_after_the_scope_was_read_is_not_in_it(org):
    """The span holds the units found, no more: a later unit's id lies past it, or in one of its holes."""
    police2, theirs, ours, _nation = _national(org)
    police1 = org.actor("police")
    first = unit_scope(actor=police1)
    hole = next(iter(first.holes))  # an id of the other province inside the first's span
    later = UnitFactory(code="DN-1-LATE", name="Doanh nghiệp Muộn", kind=UnitKind.ENTERPRISE, parent=theirs[0])
    assert later.pk > first.high and later.pk not in first
    assert later.pk not in _everything_through_scope(police1)[0]
    assert hole not in first and hole not in _everything_through_scope(police1)[0]
    assert unit_scope(actor=police1) is first  # read once per actor (per request)


def test_the_home_page_counts_the_units_in_view_from_the_span(org):
    page = org.client("police").get("/").content.decode()
    count = len(unit_descendant_ids({org.units["province"].pk}))
    assert f'<a href="/units/">{count}</a>' in page


def test_the_listed_form_used_without_postgresql_holds_the_same_units_as_the_span(org):
    """SQLite (the embedded default) has no generate_series: there a province is listed, with the same units."""
    from awards.selectors.org import _province_listed, _province_tree

    province = org.units["province"].pk
    span, listed = _province_tree(province), _province_listed(province)
    assert span.is_span and not listed.is_span
    assert set(span) == set(listed) and len(span) == len(listed) > 1
