"""A campaign's statistics and the consolidation's charts: the aggregated figures on a known data set, what
each persona may see of them, and the charts' data, tables and sentences."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from awards.models import CampaignParticipantChange, DecisionItem, NomineeKind, Unit, UnitKind
from awards.selectors import statistics
from awards.services import decisions as decision_services
from awards.services import unit_update
from tests.test_consolidation import world as consolidation_world  # noqa: F401 - the fixture
from tests.test_decisions import awaiting, scan
from tests.test_nominations import nominate
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def progress(org, persona, campaign) -> dict[str, tuple[int, int, int, int, int, int]]:
    """Per unit kind: (taking part, accepted, awaiting review, returned, not submitted, late)."""
    rows = statistics.reporting_progress(actor=org.actor(persona), campaign=campaign)
    return {r.kind: (r.participants, r.accepted, r.submitted, r.returned, r.not_submitted, r.late) for r in rows}


def test_the_police_see_every_participants_report_state_by_unit_kind(org, consolidation_world):  # noqa: F811 - the fixture imported above
    # DN-A, UBND-H and the commune accepted; SGD-B waiting; UBND-K and SNV-T never sent; all after 30/6/2024.
    assert progress(org, "police", consolidation_world) == {
        UnitKind.HOME_AFFAIRS: (1, 0, 0, 0, 1, 1),
        UnitKind.DEPARTMENT: (1, 0, 1, 0, 0, 1),
        UnitKind.DISTRICT_COMMITTEE: (2, 1, 0, 0, 1, 2),
        UnitKind.COMMUNE_COMMITTEE: (1, 1, 0, 0, 0, 1),
        UnitKind.ENTERPRISE: (1, 1, 0, 0, 0, 1),
    }


def test_a_returned_report_and_a_deadline_still_ahead_are_counted_as_such(org, consolidation_world):  # noqa: F811 - the fixture imported above
    from awards.services import reports as report_services

    department = consolidation_world.reports.get(unit=org.units["b"])
    report_services.report_return(by=org.actor("police"), report=department, comments={None: "Sửa"})
    before = consolidation_world.report_deadline - dt.timedelta(days=1)
    rows = statistics.reporting_progress(actor=org.actor("police"), campaign=consolidation_world, now=before)
    found = {r.kind: (r.returned, r.not_submitted, r.late) for r in rows}
    # the reports sent so far were sent late (late_days), but nobody is late for not sending yet
    assert found[UnitKind.DEPARTMENT][0] == 1
    assert found[UnitKind.HOME_AFFAIRS] == (0, 1, 0)


def test_a_unit_sees_only_its_own_progress_and_a_district_its_communes(org, consolidation_world):  # noqa: F811 - the fixture imported above
    assert progress(org, "officer_a", consolidation_world) == {UnitKind.ENTERPRISE: (1, 1, 0, 0, 0, 1)}
    assert progress(org, "head_b", consolidation_world) == {UnitKind.DEPARTMENT: (1, 0, 1, 0, 0, 1)}
    assert progress(org, "district", consolidation_world) == {
        UnitKind.DISTRICT_COMMITTEE: (1, 1, 0, 0, 0, 1),
        UnitKind.COMMUNE_COMMITTEE: (1, 1, 0, 0, 0, 1),
    }
    page = org.client("officer_a").get(f"/campaigns/{consolidation_world.pk}/statistics/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ủy ban nhân dân huyện" not in html and "Sở Giáo dục" not in html
    data = json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html).group(1))
    assert data["progress"]["labels"] == [str(UnitKind.ENTERPRISE.label)]
    assert data["progress"]["series"][0]["values"] == [1]


@pytest.fixture
def decided(org, world, settings, tmp_path):
    """Giấy khen issued to a person and a team of DN-A (an enterprise right under the province), and to a
    person of the commune under the district (added to the same decision: the route is not the point)."""
    settings.MEDIA_ROOT = tmp_path
    campaign, tiers = world
    CampaignParticipantChange.objects.create(campaign=campaign, unit=org.units["commune"], included=True)
    person = awaiting(org, campaign, tiers["director"])
    team = awaiting(org, campaign, tiers["director"], kind=NomineeKind.COLLECTIVE, name="Phòng Kỹ thuật",
                    parent_unit=org.units["a"], women_percent=40)  # fmt: skip
    director = org.actor("director")
    decision = decision_services.decision_draft(by=director, campaign=campaign, award_type=tiers["director"],
                                                nominations=[person, team], signer="Nguyễn Văn Giám",
                                                signer_title="GIÁM ĐỐC")  # fmt: skip
    decision_services.decision_issue(by=director, decision=decision, number=5, date=timezone.localdate(), scan=scan())
    villager = nominate(org, campaign, tiers["director"], persona="commune", name="Trần Thị Xã")
    DecisionItem.objects.create(decision=decision, nomination=villager)
    return campaign, tiers, decision


def awards(org, persona, campaign):
    return statistics.awards_breakdown(actor=org.actor(persona), campaign=campaign)


def test_awardees_are_counted_by_tier_unit_kind_and_the_district_of_the_reference_date(org, decided):
    campaign, tiers, _decision = decided
    found = awards(org, "police", campaign)
    tier = tiers["director"].name
    assert [(r.label, r.collectives, r.individuals) for r in found["awards_by_tier"]] == [(tier, 1, 2)]
    assert [(r.label, r.collectives, r.individuals) for r in found["awards_by_kind"]] == [
        (UnitKind.COMMUNE_COMMITTEE.label, 0, 1), (UnitKind.ENTERPRISE.label, 1, 1)]  # fmt: skip
    assert [(r.label, r.total) for r in found["awards_by_level"]] == [
        ("Ủy ban nhân dân huyện Hòa", 1), (gettext("Not under an intermediate level"), 2)]  # fmt: skip


def test_a_revoked_awardee_is_no_longer_counted(org, decided):
    campaign, _tiers, decision = decided
    decision.items.filter(nomination__kind=NomineeKind.COLLECTIVE).update(revoked_by=decision)
    assert [(r.collectives, r.individuals) for r in awards(org, "police", campaign)["awards_by_tier"]] == [(0, 2)]


def test_a_unit_counts_only_its_own_awardees(org, decided):
    campaign, _tiers, _decision = decided
    assert [r.total for r in awards(org, "officer_a", campaign)["awards_by_tier"]] == [2]
    assert awards(org, "head_b", campaign)["awards_by_tier"] == []
    assert [r.total for r in awards(org, "commune", campaign)["awards_by_tier"]] == [1]
    assert [r.total for r in awards(org, "district", campaign)["awards_by_tier"]] == [1]  # its commune's
    page = org.client("head_b").get(f"/campaigns/{campaign.pk}/statistics/").content.decode()
    assert gettext("No award decision issued yet.") in page


def test_after_the_reform_the_communes_have_no_intermediate_level(org):
    reform = dt.date(2025, 7, 1)
    districts = {org.units["district"].pk, org.units["other_district"].pk}
    assert set(Unit.objects.intermediate_on(dt.date(2024, 6, 14)).values_list("pk", flat=True)) == districts
    for key in ("commune", "other_commune"):
        unit_update(by=None, unit=org.units[key], parent=org.units["province"], parent_since=reform)
    for key in ("district", "other_district"):
        unit_update(by=None, unit=org.units[key], valid_to=reform - dt.timedelta(days=1))
    assert set(Unit.objects.intermediate_on(dt.date(2024, 6, 14)).values_list("pk", flat=True)) == districts
    assert not Unit.objects.intermediate_on(dt.date(2026, 6, 30)).exists()


def test_the_statistics_page_shows_each_part_to_whom_it_belongs(org, decided):
    campaign, _tiers, _decision = decided
    police = org.client("police").get(f"/campaigns/{campaign.pk}/statistics/").content.decode()
    for part in ("section-progress", "section-awards", "section-lateness", "chart-awards-level"):
        assert f'data-testid="{part}"' in police, part
    officer = org.client("officer_a").get(f"/campaigns/{campaign.pk}/statistics/").content.decode()
    assert 'data-testid="section-progress"' in officer and 'data-testid="section-awards"' in officer
    assert 'data-testid="section-lateness"' not in officer  # processing times are the agencies'
    ministry = org.client("ministry").get(f"/campaigns/{campaign.pk}/statistics/").content.decode()
    assert 'data-testid="section-progress"' not in ministry and 'data-testid="section-awards"' in ministry
    assert org.client("admin").get(f"/campaigns/{campaign.pk}/statistics/").status_code == 403
    assert org.client("outsider").get(f"/campaigns/{campaign.pk}/statistics/").status_code == 403


def test_the_tables_under_the_charts_give_the_figures_with_vietnamese_grouping(org, decided):
    campaign, tiers, _decision = decided
    page = org.client("police").get(f"/campaigns/{campaign.pk}/statistics/")
    tier = next(c for c in page.context["sections"]["awards"] if c["id"] == "awards-tier")
    assert tier["rows"] == [[tiers["director"].name, "1", "2"]]
    assert tier["summary"].startswith("3 ")
    from awards.views.charts import grouped

    assert grouped(1234567) == "1.234.567" and grouped(2.5) == "2,5"


def test_each_per_year_figure_of_the_consolidation_has_a_chart_its_table_and_a_sentence(org, consolidation_world):  # noqa: F811 - the fixture imported above
    page = org.client("police").get(f"/campaigns/{consolidation_world.pk}/consolidation/")
    spec = page.context["chart_data"]["yearly-II.4.a"]
    assert spec["labels"] == ["2015", "2016"] and spec["series"][0]["values"] == [3, 16]
    html = page.content.decode()
    assert 'data-chart="yearly-II.4.a"' in html and 'data-testid="table-yearly-II.4.a"' in html
    row = next(r for r in page.context["items"] if r["item"].code == "II.4.a")
    assert row["chart"]["rows"] == [["2015", "3"], ["2016", "16"]]
    assert "3" in row["chart"]["summary"] and "16" in row["chart"]["summary"] and "2016" in row["chart"]["summary"]
    assert 'id="chart-data"' in html and "<script>" not in html  # data only, no inline script
