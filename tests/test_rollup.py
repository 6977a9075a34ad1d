"""Across the 2025 reorganisation: a 2024 campaign's consolidation stays on the 2024 hierarchy; its reading by
today's units adds up to the same totals (merged units in their successor's row, a split unit in its own row
naming its successors, a closed one marked closed); a nominee's earlier awards name the unit of the day and
what it is now. The units and places here are the test province's, not real ones."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awards.actor import Actor
from awards.models import CampaignParticipantChange, Decision, LineageKind, NomineeKind, Outcome, Role, Step, UnitKind
from awards.reference.tiers_181 import standard_tiers
from awards.selectors import consolidation, rollup
from awards.services import decisions as decision_services
from awards.services import lineage_record, membership_grant, unit_close, unit_create
from awards.services import nominations as nomination_services
from awards.services import reports as report_services
from awards.services.nominations import campaign_offer
from tests.conftest import build_campaign
from tests.factories import UserFactory
from tests.test_consolidation import NARRATIVES
from tests.test_decisions import media as media  # noqa: F401 - the fixture
from tests.test_decisions import scan
from tests.test_nominations import PERSON, appraise, minutes, nominate, refreshed, send
from tests.test_reports import REQUIRED_ENTERPRISE

pytestmark = pytest.mark.django_db

LAST_DAY, FIRST_DAY = dt.date(2025, 6, 30), dt.date(2025, 7, 1)


def member(unit, role, name):
    user = UserFactory(username=f"{name}-{unit.code.lower()}", full_name=f"Người dùng {name} {unit.code}")
    return Actor(user=user, membership=membership_grant(by=None, user=user, unit=unit, role=role))


def counted(campaign, unit, answers, *, reviewer, accept=True):
    """A report of `unit` sent (and accepted): drafted by its officer, signed by its head."""
    officer, head = member(unit, Role.UNIT_OFFICER, "cb"), member(unit, Role.UNIT_HEAD, "tt")
    made = report_services.report_start(by=officer, campaign=campaign, unit=unit)
    report_services.report_save_draft(by=officer, report=made, expected_seq=0, answers=answers)
    report_services.report_submit(by=head, report=made)
    if accept:
        report_services.report_accept(by=reviewer, report=made)
    return made


@pytest.fixture
def world(org):
    """The 2024 campaign: an enterprise, a department (submitted), two districts, and the district Hòa's two
    communes, which report to it."""
    u = org.units
    u["commune2"] = unit_create(by=None, code="UBND-H-D", name="Ủy ban nhân dân xã Đông",
                                kind=UnitKind.COMMUNE_COMMITTEE, parent=u["district"])  # fmt: skip
    campaign = build_campaign(org, communes_report=True)
    for commune in (u["commune"], u["commune2"]):
        CampaignParticipantChange.objects.create(campaign=campaign, unit=commune, included=True)
    police, district = org.actor("police"), org.actor("district")
    counted(campaign, u["a"], {**REQUIRED_ENTERPRISE, "II.1.h": 40, "II.4.a": {2015: 3, 2016: 5}}, reviewer=police)
    counted(campaign, u["b"], {**REQUIRED_ENTERPRISE, "II.1.h": 2, "II.4.a": {2016: 1}}, reviewer=police, accept=False)
    counted(campaign, u["district"], {**NARRATIVES, "II.1.h": 100, "II.1.j": 9000, "I.2.a": 15, "I.2.b": (13, 15),
                                      "II.4.a": {2016: 10}}, reviewer=police)  # fmt: skip
    counted(
        campaign,
        u["other_district"],
        {**NARRATIVES, "II.1.h": 30, "II.1.j": 900, "I.2.a": 9, "I.2.b": (9, 9)},
        reviewer=police,
    )
    counted(campaign, u["commune"], {**NARRATIVES, "II.1.h": 7, "II.1.j": 700}, reviewer=district)
    counted(campaign, u["commune2"], {**NARRATIVES, "II.1.h": 5, "II.1.j": 500}, reviewer=district)
    return campaign


def reorganise(org):
    """The reorganisation of 1/7/2025 as the administrator records it: the two communes merged into a new
    ward, the district Hòa split into two communes, the district Khánh abolished, the department renamed."""
    u = org.units

    def new(code, name, kind):
        u[code] = unit_create(by=None, code=code, name=name, kind=kind, parent=u["province"], valid_from=FIRST_DAY)
        return u[code]

    ward = new("ward", "Ủy ban nhân dân phường Hòa Xuân", UnitKind.COMMUNE_COMMITTEE)
    north = new("north", "Ủy ban nhân dân xã Hòa Bắc", UnitKind.COMMUNE_COMMITTEE)
    south = new("south", "Ủy ban nhân dân xã Hòa Nam", UnitKind.COMMUNE_COMMITTEE)
    renamed = new("renamed", "Sở Giáo dục, Đào tạo và Khoa học", UnitKind.DEPARTMENT)
    for commune in (u["commune"], u["commune2"]):
        unit_close(by=None, unit=commune, last_day=LAST_DAY, successors=[ward], kind=LineageKind.MERGED)
    unit_close(by=None, unit=u["district"], last_day=LAST_DAY, successors=[north, south], kind=LineageKind.SPLIT)
    unit_close(by=None, unit=u["other_district"], last_day=LAST_DAY)  # abolished, no successor
    unit_close(by=None, unit=u["b"], last_day=LAST_DAY, successors=[renamed], kind=LineageKind.RENAMED)


def text(page) -> str:
    """What a reader sees: the page without its tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page.content.decode()).split()).replace(" ,", ",")


def police_totals(org, campaign):
    return org.client("police").get(f"/campaigns/{campaign.pk}/consolidation/").context["result"].totals


def row_sums(result):
    """Each figure added up over the rows, as the consolidation adds up its reports."""
    sums: dict = {}
    for row in result.rows:
        for code, value in row.values.items():
            if isinstance(value, tuple):
                done, total = sums.get(code, (0, 0))
                sums[code] = (done + value[0], total + value[1])
            elif isinstance(value, dict):
                years = sums.setdefault(code, {})
                for year, v in value.items():
                    years[year] = years.get(year, 0) + v
            else:
                sums[code] = sums.get(code, 0) + value
    return {code: dict(sorted(v.items())) if isinstance(v, dict) else v for code, v in sums.items()}


def test_the_consolidation_keeps_the_2024_hierarchy_and_todays_units_add_up_to_it(org, world):
    before = police_totals(org, world)
    assert before["II.1.h"] == 40 + 2 + 100 + 30  # the communes are inside the district Hòa's 100
    reorganise(org)
    assert police_totals(org, world) == before  # the reorganisation changes nothing in the 2024 consolidation
    units, _scope = consolidation.consolidation_units(actor=org.actor("police"), campaign=world)
    today = rollup.rollup_build(campaign=world, units=units)
    assert today.totals == before and row_sums(today) == before
    assert today.counted_reports == 4

    page = org.client("police").get(f"/campaigns/{world.pk}/consolidation-today/", {"item": "II.1.h"})
    assert page.status_code == 200
    rows = {row.unit.code: row for row in page.context["page"]}
    assert {code: (row.state, row.value) for code, row in rows.items()} == {
        "DN-A": ("current", 40),
        "RENAMED": ("current", 2),  # today's name, the renamed department's figures
        "UBND-H": ("split", 100),  # its own row: a split report cannot be divided
        "UBND-K": ("closed", 30),
    }
    assert [m.name for m in rows["RENAMED"].members] == ["Sở Giáo dục và Đào tạo"]  # under its own name
    assert rows["UBND-H"].successors == ["Ủy ban nhân dân xã Hòa Bắc", "Ủy ban nhân dân xã Hòa Nam"]
    html = page.content.decode()
    assert "Ủy ban nhân dân huyện Hòa — nay chia thành Ủy ban nhân dân xã Hòa Bắc, Ủy ban nhân dân xã Hòa Nam" in html
    assert "Sở Giáo dục, Đào tạo và Khoa học" in html and "đã giải thể" in html
    assert page.context["total"] == before["II.1.h"]
    ratio = org.client("police").get(f"/campaigns/{world.pk}/consolidation-today/", {"item": "I.2.b"})
    assert ratio.context["total"] == before["I.2.b"] == (22, 24)
    yearly = org.client("police").get(f"/campaigns/{world.pk}/consolidation-today/", {"item": "II.4.a"})
    assert yearly.context["by_year"] == list(before["II.4.a"].values())


def test_the_consolidation_page_links_to_the_reading_by_todays_units(org, world):
    page = org.client("police").get(f"/campaigns/{world.pk}/consolidation/").content.decode()
    assert f'href="/campaigns/{world.pk}/consolidation-today/"' in page and "Theo đơn vị hiện nay" in page


def test_the_merged_communes_are_one_row_of_the_new_ward(org, world):
    district = org.actor("district")
    units, scope_unit = consolidation.consolidation_units(actor=district, campaign=world)
    before = consolidation.consolidation_build(campaign=world, units=units, scope_unit=scope_unit).totals
    assert before["II.1.h"] == 7 + 5
    reorganise(org)
    units, scope_unit = consolidation.consolidation_units(actor=district, campaign=world)
    assert consolidation.consolidation_build(campaign=world, units=units, scope_unit=scope_unit).totals == before
    today = rollup.rollup_build(campaign=world, units=units)
    [row] = today.rows
    assert (row.unit.name, row.state, row.values["II.1.h"]) == ("Ủy ban nhân dân phường Hòa Xuân", "current", 12)
    assert [m.name for m in row.predecessors] == ["Ủy ban nhân dân xã Đông", "Ủy ban nhân dân xã Xuân"]
    assert today.totals == before


def test_a_renaming_then_a_merger_lands_in_the_last_unit(org, world):
    reorganise(org)
    # The renamed department later merged into Home Affairs: its 2024 figures follow both links.
    lineage_record(by=None, predecessor=org.units["renamed"], successor=org.units["home"], kind=LineageKind.MERGED,
                   effective_on=dt.date(2026, 3, 1))  # fmt: skip
    units, _scope = consolidation.consolidation_units(actor=org.actor("police"), campaign=world)
    rows = {row.unit.code: row for row in rollup.rollup_build(campaign=world, units=units, codes=["II.1.h"]).rows}
    assert rows["SNV-T"].values == {"II.1.h": 2} and [m.code for m in rows["SNV-T"].members] == ["SGD-B"]
    # A link dated after the day read is not followed yet.
    before = rollup.rollup_build(campaign=world, units=units, codes=["II.1.h"], day=dt.date(2026, 2, 28))
    assert "RENAMED" in {row.unit.code for row in before.rows}


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"item": "II.4.a"}).status_code == 200
    return len(queries)


def test_the_pages_queries_do_not_grow_with_the_units(org, world, django_assert_max_num_queries):
    reorganise(org)
    client, url = org.client("police"), f"/campaigns/{world.pk}/consolidation-today/"
    _queries(client, url)  # warm: the session, the actor's scope
    with django_assert_max_num_queries(13):
        first = _queries(client, url)
    # Six more enterprises report; four of them merge into a new group, two are renamed.
    group = unit_create(by=None, code="DN-G", name="Tổng công ty Hợp Nhất", kind=UnitKind.ENTERPRISE,
                        parent=org.units["province"], valid_from=FIRST_DAY)  # fmt: skip
    police = org.actor("police")
    for n in range(6):
        unit = unit_create(by=None, code=f"DN-{n}", name=f"Công ty Thử {n}", kind=UnitKind.ENTERPRISE,
                           parent=org.units["province"])  # fmt: skip
        counted(world, unit, {**REQUIRED_ENTERPRISE, "II.1.h": n, "II.4.a": {2020: n}}, reviewer=police)
        successor = group
        if n >= 4:
            successor = unit_create(by=None, code=f"DN-{n}-M", name=f"Công ty Thử {n} Mới", kind=UnitKind.ENTERPRISE,
                                    parent=org.units["province"], valid_from=FIRST_DAY)  # fmt: skip
        unit_close(by=None, unit=unit, last_day=LAST_DAY, successors=[successor],
                   kind=LineageKind.MERGED if n < 4 else LineageKind.RENAMED)  # fmt: skip
    assert _queries(client, url) == first
    page = client.get(url, {"item": "II.1.h"})
    rows = {row.unit.code: row.value for row in page.context["page"]}
    assert rows["DN-G"] == 0 + 1 + 2 + 3 and rows["DN-5-M"] == 5
    assert page.context["total"] == police_totals(org, world)["II.1.h"]


def test_only_who_may_see_the_consolidation_sees_it_by_todays_units(org, world):
    url = f"/campaigns/{world.pk}/consolidation-today/"
    for persona in ("officer_a", "head_b", "home", "leader", "admin", "commune", "outsider"):
        assert org.client(persona).get(url).status_code == 403, persona
    assert org.client("director").get(url).status_code == 200
    assert org.client("district").get(url).context["scope_unit"] == org.units["district"]  # its communes only


# Earlier awards -------------------------------------------------------------------------------------------


def test_an_award_of_2024_shows_the_unit_of_the_day_and_what_it_is_now(org, world, media):
    tiers = standard_tiers(police=org.units["police"], home_affairs=org.units["home"],
                           province=org.units["province"], ministry=org.units["ministry"])  # fmt: skip
    campaign_offer(by=None, campaign=world, award_types=tiers)
    giay_khen = next(t for t in tiers if t.route == "director")
    commune = org.units["commune"]
    # In 2024 the commune proposes one of its officers and itself (a collective) for the director's Giấy khen.
    person = nominate(org, world, giay_khen, persona="commune", workplace="Văn phòng HĐND và UBND xã Xuân")
    itself = nominate(org, world, giay_khen, persona="commune", kind=NomineeKind.COLLECTIVE, name=commune.name,
                      parent_unit=commune, women_percent=40, gender="", birth_date=None, position="", id_number="")  # fmt: skip
    head = member(commune, Role.UNIT_HEAD, "ct")
    nomination_services.dossier_submit(
        by=head, campaign=world, award_type=giay_khen, nominations=[person, itself], number="07/TTr-UBND",
        date=dt.date(2024, 7, 10), signer="Lê Văn Xuân", council_members=5, council_present=5, votes_for=5,
        minutes=minutes(),
    )  # fmt: skip
    appraise(org, [person, itself])
    director = org.actor("director")
    for nomination in (person, itself):
        nomination_services.nomination_act(by=director, nomination=refreshed(nomination), step=Step.DIRECTOR_APPROVAL,
                                           outcome=Outcome.APPROVED)  # fmt: skip
    decision = decision_services.decision_draft(by=director, campaign=world, award_type=giay_khen,
                                                nominations=[refreshed(person), refreshed(itself)])  # fmt: skip
    decision_services.decision_issue(by=director, decision=decision, number=5, date=timezone.localdate(), scan=scan())
    # The world acts today: the decision is dated back to when it was signed.
    Decision.objects.filter(pk=decision.pk).update(date=dt.date(2024, 8, 15), year=2024)
    reorganise(org)

    # In 2026 the same person (same citizen ID) works at the enterprise, which proposes them again.
    later = build_campaign(
        org, title="Sơ kết 2026", plan_date=dt.date(2026, 3, 2), data_from=dt.date(2025, 7, 1),
        data_to=dt.date(2026, 6, 30), reference_date=dt.date(2026, 6, 30),
        report_deadline=dt.datetime(2026, 7, 15, tzinfo=dt.UTC), outline=world.outline,
    )  # fmt: skip
    campaign_offer(by=None, campaign=later, award_types=tiers)
    counted(later, org.units["a"], REQUIRED_ENTERPRISE, reviewer=org.actor("police"))
    again = nominate(org, later, giay_khen, name="Nguyễn  Văn An")
    send(org, later, giay_khen, [again])

    page = org.client("police").get(f"/nominations/{again.pk}/")
    [award] = page.context["past_awards"]
    assert (award.name, award.unit_line, award.decision.pk) == (
        PERSON["name"],
        "Văn phòng HĐND và UBND xã Xuân",
        decision.pk,
    )
    html = text(page)
    assert "Quyết định số 05/QĐ-CAT ngày 15/08/2024" in html
    assert (
        "Nguyễn Văn An, Văn phòng HĐND và UBND xã Xuân (tên tại thời điểm khen thưởng) — Ủy ban nhân dân xã Xuân nay thuộc Ủy ban nhân dân phường Hòa Xuân"
        in html
    )
    # The enterprise sees its own nominee's page, but not the commune's award: the history widens no one's view.
    own = org.client("officer_a").get(f"/nominations/{again.pk}/")
    assert own.status_code == 200 and own.context["past_awards"] == []
    assert 'data-testid="past-awards"' not in own.content.decode()

    # The ward carries on the commune: its page lists the commune's award as a collective, under the old name.
    ward = org.client("police").get(f"/units/{org.units['ward'].pk}/")
    [collective] = ward.context["past_awards"]
    assert (collective.name, collective.item.nomination_id) == ("Ủy ban nhân dân xã Xuân", itself.pk)
    assert (
        "Ủy ban nhân dân xã Xuân (tên tại thời điểm khen thưởng) — nay thuộc Ủy ban nhân dân phường Hòa Xuân"
        in text(ward)
    )
    assert org.client("police").get(f"/units/{org.units['north'].pk}/").context["past_awards"] == []


def test_a_renamed_unit_is_now_its_new_name_and_a_split_one_names_its_parts(org, world):
    reorganise(org)
    lineage = rollup.lineage_on()
    u = org.units
    assert lineage.change_of(u["b"].pk) == "renamed" and lineage.change_of(u["commune"].pk) == "merged"
    assert lineage.change_of(u["district"].pk) == "split" and lineage.change_of(u["a"].pk) == ""
    assert lineage.names(lineage.today_ids(u["district"].pk)) == [
        "Ủy ban nhân dân xã Hòa Bắc",
        "Ủy ban nhân dân xã Hòa Nam",
    ]
    assert lineage.family_ids(u["ward"].pk) == {u["ward"].pk, u["commune"].pk, u["commune2"].pk}
    assert rollup.lineage_on(LAST_DAY).change_of(u["b"].pk) == ""  # not yet effective on its last day
