"""Consolidation for the provincial police and for a district: totals, breakdowns, drill-down, no double count."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from awards.actor import Actor
from awards.models import CampaignParticipantChange, Membership, Role
from awards.services import membership_grant, unit_update
from awards.services import reports as svc
from tests.conftest import build_campaign
from tests.test_reports import REQUIRED_ENTERPRISE

pytestmark = pytest.mark.django_db
NARRATIVES = {"II.1.a": "a", "III.1": "b", "III.2": "c", "III.3": "d", "IV.1": "e"}


def report(org, campaign, persona, head, answers, *, outcome="accepted", reviewer="police"):
    actor = org.actor(persona)
    made = svc.report_start(by=actor, campaign=campaign, unit=actor.unit)
    svc.report_save_draft(by=actor, report=made, expected_seq=0, answers=answers)
    svc.report_submit(by=head, report=made)
    if outcome == "accepted":
        svc.report_accept(by=org.actor(reviewer), report=made)
    elif outcome == "returned":
        svc.report_return(by=org.actor(reviewer), report=made, comments={None: "Sửa"})
    return made


@pytest.fixture
def world(org):
    campaign = build_campaign(org, communes_report=True)
    CampaignParticipantChange.objects.create(campaign=campaign, unit=org.units["commune"], included=True)
    district_head = Actor(
        user=org.users["outsider"],
        membership=membership_grant(
            by=None, user=org.users["outsider"], unit=org.units["district"], role=Role.UNIT_HEAD
        ),
    )
    commune_head = Actor(
        user=org.users["ministry"],
        membership=membership_grant(
            by=None, user=org.users["ministry"], unit=org.units["commune"], role=Role.UNIT_HEAD
        ),
    )
    enterprise = {**REQUIRED_ENTERPRISE, "II.1.h": 40, "II.4.a": {2015: 3, 2016: 5}}
    department = {**REQUIRED_ENTERPRISE, "II.1.h": 2, "II.4.a": {2016: 1}}
    district = {**NARRATIVES, "II.1.h": 100, "II.1.j": 9000, "I.2.a": 15, "I.2.b": (13, 15), "II.4.a": {2016: 10}}
    commune = {**NARRATIVES, "II.1.h": 7, "II.1.j": 700}
    report(org, campaign, "officer_a", org.actor("head_a"), enterprise)
    report(org, campaign, "officer_b", org.actor("head_b"), department, outcome="submitted")
    report(org, campaign, "district", district_head, district)
    report(org, campaign, "commune", commune_head, commune, reviewer="district")
    return campaign


def test_the_police_total_counts_each_figure_once_and_leaves_communes_to_their_district(org, world):
    page = org.client("police").get(f"/campaigns/{world.pk}/consolidation/")
    assert page.status_code == 200
    result = page.context["result"]
    assert result.totals["II.1.h"] == 40 + 2 + 100  # the commune's 7 is inside the district's 100
    assert result.totals["I.2.b"] == (13, 15)
    assert result.totals["II.4.a"] == {2015: 3, 2016: 16}
    assert result.by_kind["II.1.h"] == {"enterprise": 40, "department": 2, "district_committee": 100}
    assert result.by_district["II.1.h"] == {org.units["district"].pk: 100}
    assert result.counted_reports == 3


def test_the_board_shows_who_is_missing_and_late(org, world):
    page = org.client("police").get(f"/campaigns/{world.pk}/consolidation/")
    rows = {row["unit"].code: row for row in page.context["result"].board}
    assert rows["UBND-K"]["state"] == "missing" and rows["UBND-K"]["late"]  # the test deadline has passed
    assert rows["DN-A"]["state"] == "accepted"
    assert "UBND-H-X" not in rows  # communes belong to their district's board
    assert dict(page.context["states"])["missing"] == 2  # UBND-K and SNV-T


def test_a_returned_report_drops_out_of_the_totals_until_resubmitted(org, world):
    department = world.reports.get(unit=org.units["b"])
    svc.report_return(by=org.actor("police"), report=department, comments={None: "Sai số liệu"})
    result = org.client("police").get(f"/campaigns/{world.pk}/consolidation/").context["result"]
    assert result.totals["II.1.h"] == 140


def test_drilldown_lists_the_units_behind_a_total(org, world):
    page = org.client("police").get(f"/campaigns/{world.pk}/consolidation/II.1.h/")
    rows = [(row["unit"].code, row["value"]) for row in page.context["rows"]]
    assert sorted(rows) == [("DN-A", 40), ("SGD-B", 2), ("UBND-H", 100)]
    page = org.client("police").get(f"/campaigns/{world.pk}/consolidation/II.1.h/", {"kind": "enterprise"})
    assert [row["unit"].code for row in page.context["rows"]] == ["DN-A"]


def test_a_district_sees_its_own_communes_only(org, world):
    page = org.client("district").get(f"/campaigns/{world.pk}/consolidation/")
    assert page.status_code == 200
    result = page.context["result"]
    assert [row["unit"].code for row in result.board] == ["UBND-H-X"]
    assert result.totals["II.1.h"] == 7


def test_units_without_the_role_cannot_consolidate(org, world):
    for persona in ("officer_a", "head_b", "home", "leader", "admin", "commune"):
        assert org.client(persona).get(f"/campaigns/{world.pk}/consolidation/").status_code == 403, persona
    assert org.client("officer_a").get(f"/campaigns/{world.pk}/consolidation/II.1.h/").status_code == 403


def test_a_commune_moved_out_of_its_district_still_rolls_up_under_it_for_an_earlier_campaign(org, world):
    # The 2025 reform: the district level ends and the commune comes directly under the province.
    commune = org.units["commune"]
    unit_update(by=None, unit=commune, parent=org.units["province"], parent_since=dt.date(2025, 7, 1))
    assert commune.parent_id_on(dt.date(2024, 6, 14)) == org.units["district"].pk
    assert commune.parent_id_on(dt.date(2025, 7, 1)) == org.units["province"].pk
    police = org.client("police").get(f"/campaigns/{world.pk}/consolidation/").context["result"]
    assert police.totals["II.1.h"] == 40 + 2 + 100  # still inside the district's report, not added again
    district = org.client("district").get(f"/campaigns/{world.pk}/consolidation/").context["result"]
    assert [row["unit"].code for row in district.board] == ["UBND-H-X"]
    assert district.totals["II.1.h"] == 7


def test_after_the_move_a_new_campaign_counts_the_commune_at_the_province_and_the_police_review_it(org, world):
    commune = org.units["commune"]
    unit_update(by=None, unit=commune, parent=org.units["province"], parent_since=dt.date(2025, 7, 1))
    later = build_campaign(
        org, title="Sơ kết 2026", plan_date=dt.date(2026, 3, 2), data_from=dt.date(2025, 7, 1),
        data_to=dt.date(2026, 6, 30), reference_date=dt.date(2026, 6, 30), communes_report=True,
        report_deadline=dt.datetime(2026, 7, 15, tzinfo=dt.UTC), outline=world.outline,
    )  # fmt: skip
    CampaignParticipantChange.objects.create(campaign=later, unit=commune, included=True)
    commune_head = Actor(
        user=org.users["ministry"], membership=Membership.objects.get(user=org.users["ministry"], unit=commune)
    )
    made = report(org, later, "commune", commune_head, {**NARRATIVES, "II.1.h": 7, "II.1.j": 700}, reviewer="police")
    assert made.reviewer == org.units["police"]
    assert world.reports.get(unit=commune).reviewer == org.units["district"]  # the 2024 one stays with it
    police = org.client("police").get(f"/campaigns/{later.pk}/consolidation/").context["result"]
    assert police.totals["II.1.h"] == 7
    assert org.client("district").get(f"/campaigns/{later.pk}/consolidation/").context["result"].board == []


def test_a_move_must_be_dated_after_the_units_last_move(org):
    commune = org.units["commune"]
    unit_update(by=None, unit=commune, parent=org.units["province"], parent_since=dt.date(2025, 7, 1))
    with pytest.raises(ValidationError) as error:
        unit_update(by=None, unit=commune, parent=org.units["district"], parent_since=dt.date(2025, 6, 1))
    assert "01/07/2025" in str(error.value)
    commune.refresh_from_db()
    assert commune.parent == org.units["province"]
    assert commune.placements.count() == 1
