"""Campaigns on the two-tier structure (from 1/7/2025 the district level no longer exists: Resolution
203/2025/QH15 amending the Constitution, docs/sources/dong-nai-2025-reorganisation.md, section 3).

The world: the test province's district committees closed on 30/6/2025 and their communes placed directly
under the provincial committee from 1/7/2025 (each commune keeps its district as an earlier placement). A
campaign dated after the reform has no intermediate level: the communes take part by default, report to the
police (or to the body the campaign names), nominate straight to the police, and no page shows a district
breakdown or filter. A 2024 campaign on the same world keeps its district review and its district figures.
"""

import datetime as dt
import re
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from awards.actor import Actor
from awards.models import (
    Campaign,
    CampaignParticipantChange,
    NominationStatus,
    NomineeKind,
    Notification,
    NotificationKind,
    Outcome,
    Role,
    Step,
    Unit,
    UnitKind,
    default_participant_kinds,
)
from awards.models.campaigns import DEFAULT_PARTICIPANT_KINDS, PROVINCIAL_PARTICIPANT_KINDS
from awards.permissions import may_review_report
from awards.reference import outline_181
from awards.reference.tiers_181 import standard_tiers
from awards.selectors import consolidation, statistics
from awards.selectors.decisions import decision_counts
from awards.selectors.reports import work_waiting
from awards.services import campaigns as campaign_services
from awards.services import decisions as decision_services
from awards.services import membership_grant, unit_update
from awards.services import nominations as svc
from awards.services import reports as report_services
from awards.services.nominations import campaign_offer
from tests.conftest import build_campaign
from tests.factories import UnitFactory, UserFactory
from tests.integrity import integrity_checked as integrity_checked  # noqa: F401 - checks the invariants after each test
from tests.test_campaign_admin import campaign_form
from tests.test_consolidation import NARRATIVES
from tests.test_decisions import scan
from tests.test_nominations import PERSON, minutes, refreshed
from tests.test_reports import REQUIRED_ENTERPRISE

pytestmark = pytest.mark.django_db
TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
REFORM = dt.date(2025, 7, 1)
COMMUNE = {**NARRATIVES, "II.1.h": 7, "II.1.j": 700}
DISTRICT = {**NARRATIVES, "II.1.h": 100, "II.1.j": 9000, "I.2.a": 15, "I.2.b": (13, 15)}


def member(org, key: str, unit: Unit, role: str) -> Actor:
    user = UserFactory(username=key, full_name=f"Người dùng {key}")
    org.users[key] = user
    org.memberships[key] = membership_grant(by=None, user=user, unit=unit, role=role)
    return org.actor(key)


@pytest.fixture
def reformed(org):
    """The two-tier structure from 1/7/2025, and the people the tests need besides the personas: the commune's
    head, the district's head, and a police division (a unit under the police) with a reviewer and an officer."""
    for key in ("commune", "other_commune"):
        unit_update(by=None, unit=org.units[key], parent=org.units["province"], parent_since=REFORM)
    for key in ("district", "other_district"):
        unit_update(by=None, unit=org.units[key], valid_to=REFORM - dt.timedelta(days=1))
    org.units["division"] = UnitFactory(
        code="CA-T-PV05", name="Phòng Xây dựng phong trào bảo vệ an ninh Tổ quốc, Công an tỉnh Thử",
        kind=UnitKind.PROVINCIAL_POLICE, parent=org.units["police"],
    )  # fmt: skip
    member(org, "commune_head", org.units["commune"], Role.UNIT_HEAD)
    member(org, "district_head", org.units["district"], Role.UNIT_HEAD)
    member(org, "division", org.units["division"], Role.POLICE_REVIEWER)
    member(org, "division_officer", org.units["division"], Role.UNIT_OFFICER)
    return org


def campaign_2026(org, **overrides):
    """A campaign created the way an administrator does, with no participant kinds given: the service picks
    those of the structure valid on the reference date."""
    outline = campaign_services.outline_create(by=None, code="DC-2026", title="Đề cương sơ kết 2026",
                                               rows=outline_181.ITEMS)  # fmt: skip
    fields = {
        "title": "Sơ kết phong trào năm 2026", "plan_number": "45", "plan_symbol": "KH-UBND",
        "plan_date": dt.date(2026, 3, 2), "issuer": org.units["province"], "reviewer": org.units["police"],
        "achievement": "đã có thành tích xuất sắc trong phong trào năm 2026", "data_from": REFORM,
        "data_to": dt.date(2026, 6, 30), "reference_date": dt.date(2026, 6, 30),
        "report_deadline": dt.datetime(2026, 7, 15, tzinfo=TZ), "nomination_deadline": dt.datetime(2099, 1, 1, tzinfo=TZ),
        "outline": outline, "communes_report": True,
    }  # fmt: skip
    fields.update(overrides)
    campaign = campaign_services.campaign_create(by=None, **fields)
    tiers = standard_tiers(police=org.units["police"], home_affairs=org.units["home"],
                           province=org.units["province"], ministry=org.units["ministry"])  # fmt: skip
    campaign_offer(by=None, campaign=campaign, award_types=tiers)
    return campaign, {t.route: t for t in tiers}


def campaign_2024(org):
    """Plan 181 (reference date 14/6/2024) on the same world, communes reporting to their districts."""
    campaign = build_campaign(org, communes_report=True, nomination_deadline=dt.datetime(2099, 1, 1, tzinfo=TZ))
    CampaignParticipantChange.objects.create(campaign=campaign, unit=org.units["commune"], included=True)
    tiers = standard_tiers(police=org.units["police"], home_affairs=org.units["home"],
                           province=org.units["province"], ministry=org.units["ministry"])  # fmt: skip
    campaign_offer(by=None, campaign=campaign, award_types=tiers)
    return campaign, {t.route: t for t in tiers}


def sent_report(org, campaign, officer: str, head: str, answers):
    actor = org.actor(officer)
    made = report_services.report_start(by=actor, campaign=campaign, unit=actor.unit)
    report_services.report_save_draft(by=actor, report=made, expected_seq=0, answers=answers)
    report_services.report_submit(by=org.actor(head), report=made)
    return made


def to_police(org, campaign, tier, *, name="Nguyễn Văn An", persona="commune", head="commune_head", **fields):
    """The unit's officer drafts a nomination and hands it to the head, who sends it with the dossier."""
    nomination = svc.nomination_create(by=org.actor(persona), campaign=campaign, award_type=tier,
                                       kind=fields.pop("kind", NomineeKind.INDIVIDUAL),
                                       **{**PERSON, "name": name, "id_number": "", **fields})  # fmt: skip
    svc.nomination_prepared(by=org.actor(persona), nomination=nomination)
    svc.dossier_submit(
        by=org.actor(head), campaign=campaign, award_type=tier, nominations=[nomination], number="03/TTr-UBND",
        date=timezone.localdate(), signer="Lê Văn Xã", council_members=7, council_present=6, votes_for=6,
        minutes=minutes(),
    )  # fmt: skip
    return refreshed(nomination)


def hand_on(org, persona, nomination):
    return svc.handoff_send(by=org.actor(persona), nominations=[nomination], number="121/TTr",
                            date=timezone.localdate(), signer="Đỗ Minh Khoa")  # fmt: skip


def approve(org, persona, nomination, step):
    svc.nomination_act(by=org.actor(persona), nomination=nomination, step=step, outcome=Outcome.APPROVED)
    return refreshed(nomination)


# Participants and the intermediate level --------------------------------------------------------------------


def test_after_the_reform_the_communes_take_part_by_default_and_there_is_no_district_level(reformed):
    org = reformed
    later, _tiers = campaign_2026(org)
    assert later.intermediate_level().count() == 0
    assert UnitKind.COMMUNE_COMMITTEE in later.participant_kinds
    assert UnitKind.DISTRICT_COMMITTEE not in later.participant_kinds
    participants = set(later.participants().values_list("code", flat=True))
    assert {"UBND-H-X", "UBND-K-Y", "DN-A", "SGD-B", "SNV-T"} <= participants
    assert not {"UBND-H", "UBND-K"} & participants  # closed on 30/6/2025
    # The same world on Plan 181's reference date still has its districts, and they take part by default.
    day_2024 = dt.date(2024, 6, 14)
    assert set(Unit.objects.intermediate_on(day_2024).values_list("code", flat=True)) == {"UBND-H", "UBND-K"}
    assert default_participant_kinds(day_2024) == DEFAULT_PARTICIPANT_KINDS


# Who reviews a commune's report -----------------------------------------------------------------------------


def test_with_no_body_named_the_police_review_a_communes_report(reformed):
    org = reformed
    later, _tiers = campaign_2026(org)
    report = sent_report(org, later, "commune", "commune_head", COMMUNE)
    assert report.reviewer == org.units["police"]
    assert not may_review_report(org.actor("division"), report)
    assert not may_review_report(org.actor("district"), report)  # its district of 2024 has nothing to do with it
    with pytest.raises(PermissionDenied):
        report_services.report_accept(by=org.actor("division"), report=report)
    assert [w["report"] for w in work_waiting(actor=org.actor("police"))] == [report]
    report_services.report_accept(by=org.actor("police"), report=report)
    assert refreshed(report).status == "accepted"


def test_the_body_named_for_commune_reports_reviews_them_and_the_police_do_not(reformed):
    org = reformed
    later, _tiers = campaign_2026(org, commune_reviewer=org.units["division"])
    report = sent_report(org, later, "commune", "commune_head", COMMUNE)
    enterprise = sent_report(org, later, "officer_a", "head_a", REQUIRED_ENTERPRISE)
    assert report.reviewer == org.units["division"]
    assert enterprise.reviewer == org.units["police"]  # only commune-level reports go to the named body
    assert not may_review_report(org.actor("police"), report)
    assert not org.client("police").get(reverse("report_detail", args=[report.pk])).context["can_review"]
    with pytest.raises(PermissionDenied):
        report_services.report_accept(by=org.actor("police"), report=report)
    assert [w["report"] for w in work_waiting(actor=org.actor("police"))] == [enterprise]
    # Its police reviewer and its officer both review: the reviewer sees the province, the officer sees the
    # reports sent to its unit, the communes being outside its own scope.
    for persona in ("division", "division_officer"):
        assert may_review_report(org.actor(persona), report), persona
        assert [w["report"] for w in work_waiting(actor=org.actor(persona))] == [report], persona
        page = org.client(persona).get(reverse("report_detail", args=[report.pk]))
        assert page.status_code == 200 and page.context["can_review"], persona
        arrived = Notification.objects.filter(recipient=org.users[persona], kind=NotificationKind.TASK_ARRIVED)
        assert arrived.count() == 1, persona
    assert org.client("division_officer").get(reverse("report_detail", args=[enterprise.pk])).status_code == 403
    report_services.report_return(by=org.actor("division_officer"), report=report, comments={None: "Bổ sung số liệu"})
    report_services.report_submit(by=org.actor("commune_head"), report=refreshed(report))
    report_services.report_accept(by=org.actor("division"), report=refreshed(report))
    assert refreshed(report).status == "accepted"


def test_a_2024_campaign_on_the_same_world_keeps_its_district_review(reformed):
    org = reformed
    plan, _tiers = campaign_2024(org)
    plan.commune_reviewer = org.units["division"]  # named, but the commune sat under its district then
    plan.save()
    report = sent_report(org, plan, "commune", "commune_head", COMMUNE)
    assert report.reviewer == org.units["district"]
    assert may_review_report(org.actor("district"), report)
    assert not may_review_report(org.actor("division"), report)
    assert not may_review_report(org.actor("police"), report)
    report_services.report_accept(by=org.actor("district"), report=report)


# Consolidation, inbox, decisions and statistics show no district level ---------------------------------------


def test_the_consolidation_has_no_district_breakdown_after_the_reform_and_keeps_it_for_2024(reformed):
    org = reformed
    later, _tiers = campaign_2026(org)
    report_services.report_accept(by=org.actor("police"), report=sent_report(org, later, "commune", "commune_head",
                                                                              COMMUNE))  # fmt: skip
    page = org.client("police").get(reverse("campaign_consolidation", args=[later.pk]))
    result = page.context["result"]
    assert "UBND-H-X" in [row["unit"].code for row in result.board]  # the commune counts at the province
    assert result.totals["II.1.h"] == 7 and result.districts == {} and result.by_district == {}
    assert gettext("By district") not in page.content.decode()

    plan, _tiers = campaign_2024(org)
    report_services.report_accept(by=org.actor("district"), report=sent_report(org, plan, "commune", "commune_head",
                                                                                COMMUNE))  # fmt: skip
    district = sent_report(org, plan, "district", "district_head", DISTRICT)
    report_services.report_accept(by=org.actor("police"), report=district)
    page = org.client("police").get(reverse("campaign_consolidation", args=[plan.pk]))
    result = page.context["result"]
    assert "UBND-H-X" not in [row["unit"].code for row in result.board]  # inside its district's report
    assert result.totals["II.1.h"] == 100
    assert result.by_district["II.1.h"] == {org.units["district"].pk: 100}
    assert gettext("By district") in page.content.decode()
    units, _scope = consolidation.consolidation_units(actor=org.actor("police"), campaign=plan)
    assert "UBND-H-X" not in set(units.values_list("code", flat=True))


def test_a_commune_nominates_straight_to_the_police_and_on_to_the_province(reformed):
    org = reformed
    later, tiers = campaign_2026(org)
    report_services.report_accept(by=org.actor("police"), report=sent_report(org, later, "commune", "commune_head",
                                                                              COMMUNE))  # fmt: skip
    # Giấy khen: commune → police → police director → decision.
    giay_khen = to_police(org, later, tiers["director"])
    assert (giay_khen.step, giay_khen.holder, giay_khen.status) == (Step.POLICE_APPRAISAL, org.units["police"],
                                                                    NominationStatus.IN_REVIEW)  # fmt: skip
    assert giay_khen.evidence_version == later.reports.get(unit=org.units["commune"]).accepted_version
    hand_on(org, "police", giay_khen)
    giay_khen = approve(org, "director", refreshed(giay_khen), Step.DIRECTOR_APPROVAL)
    assert giay_khen.step == Step.AWAITING_DECISION
    # Chairman's Bằng khen: commune → police → Home Affairs → provincial leader.
    chairman = to_police(org, later, tiers["chairman"], name="Trần Thị Bình", gender="female")
    hand_on(org, "police", chairman)
    assert (refreshed(chairman).step, chairman.holder) == (Step.HOME_AFFAIRS_APPRAISAL, org.units["home"])
    hand_on(org, "home", chairman)
    assert (refreshed(chairman).step, chairman.holder) == (Step.LEADER_APPROVAL, org.units["province"])
    assert approve(org, "leader", chairman, Step.LEADER_APPROVAL).step == Step.AWAITING_DECISION
    # The Ministry's Bằng khen: commune → police → Home Affairs → forwarded by the province → the Ministry.
    ministry = to_police(org, later, tiers["ministry"], name="Lê Văn Cường", kind=NomineeKind.INDIVIDUAL)
    hand_on(org, "police", ministry)
    assert approve(org, "home", ministry, Step.HOME_AFFAIRS_APPRAISAL).step == Step.MINISTRY_FORWARD
    hand_on(org, "director", ministry)
    assert (refreshed(ministry).step, ministry.holder) == (Step.AWAITING_DECISION, org.units["ministry"])


def test_inbox_decisions_and_statistics_show_no_district_after_the_reform(reformed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    org = reformed
    later, tiers = campaign_2026(org)
    report_services.report_accept(by=org.actor("police"), report=sent_report(org, later, "commune", "commune_head",
                                                                              COMMUNE))  # fmt: skip
    waiting = to_police(org, later, tiers["director"])
    police = org.client("police")
    assert 'name="district"' not in police.get(reverse("nomination_inbox")).content.decode()
    decided = to_police(org, later, tiers["director"], name="Phạm Thị Dung", gender="female")
    hand_on(org, "police", decided)
    approve(org, "director", refreshed(decided), Step.DIRECTOR_APPROVAL)
    director = org.actor("director")
    decision = decision_services.decision_draft(by=director, campaign=later, award_type=tiers["director"],
                                                nominations=[refreshed(decided)], signer="Nguyễn Văn Giám",
                                                signer_title="GIÁM ĐỐC")  # fmt: skip
    decision_services.decision_issue(by=director, decision=decision, number=7, date=timezone.localdate(), scan=scan())
    counts = decision_counts(actor=director, campaign=later)
    assert counts.total == 1 and counts.by_district == []
    page = org.client("director").get(reverse("decision_list", args=[later.pk])).content.decode()
    assert 'data-testid="counts"' in page and 'data-testid="counts-by-district"' not in page
    found = statistics.awards_breakdown(actor=org.actor("police"), campaign=later)
    assert found["awards_by_level"] == [] and [r.total for r in found["awards_by_tier"]] == [1]

    # Plan 181 on the same world: its districts are back in the filter, and the commune's nomination is found
    # under the district it sat in on 14/6/2024, though it sits under the province today.
    plan, plan_tiers = campaign_2024(org)
    report_services.report_accept(by=org.actor("district"), report=sent_report(org, plan, "commune", "commune_head",
                                                                                COMMUNE))  # fmt: skip
    old = to_police(org, plan, plan_tiers["director"], name="Võ Văn Em")
    inbox = police.get(reverse("nomination_inbox")).content.decode()
    assert 'name="district"' in inbox and "Ủy ban nhân dân huyện Hòa" in inbox
    only_later = police.get(reverse("nomination_inbox"), {"campaign": later.pk}).content.decode()
    assert 'name="district"' not in only_later  # the campaign filtered on has no district level
    by_district = police.get(reverse("nomination_inbox"), {"district": org.units["district"].pk}).content.decode()
    assert "Võ Văn Em" in by_district and waiting.name not in by_district
    other = police.get(reverse("nomination_inbox"), {"district": org.units["other_district"].pk}).content.decode()
    assert "Võ Văn Em" not in other
    hand_on(org, "police", old)
    approve(org, "director", refreshed(old), Step.DIRECTOR_APPROVAL)
    decision = decision_services.decision_draft(by=director, campaign=plan, award_type=plan_tiers["director"],
                                                nominations=[refreshed(old)], signer="Nguyễn Văn Giám",
                                                signer_title="GIÁM ĐỐC")  # fmt: skip
    decision_services.decision_issue(by=director, decision=decision, number=8, date=timezone.localdate(), scan=scan())
    assert decision_counts(actor=director, campaign=plan).by_district == [("Ủy ban nhân dân huyện Hòa", 1)]
    level = statistics.awards_breakdown(actor=org.actor("police"), campaign=plan)["awards_by_level"]
    assert [(r.label, r.total) for r in level] == [("Ủy ban nhân dân huyện Hòa", 1)]


# The administrator's form -------------------------------------------------------------------------------------


def test_the_campaign_form_offers_todays_structure_and_the_commune_reviewer(reformed):
    org = reformed
    admin = org.client("admin")
    page = admin.get("/admin/awards/campaign/add/").content.decode()
    assert 'name="commune_reviewer"' in page
    with translation.override("vi"):
        assert str(Campaign._meta.get_field("commune_reviewer").help_text)[:40] in page
    ticked = set(re.findall(r'name="participant_kinds" value="(\w+)" id="[\w_]+" checked', page))
    assert ticked == {*PROVINCIAL_PARTICIPANT_KINDS, UnitKind.COMMUNE_COMMITTEE}  # today: two tiers
    outline = campaign_services.outline_create(by=None, code="DC-F", title="Đề cương", rows=outline_181.ITEMS)
    refused = admin.post("/admin/awards/campaign/add/", campaign_form(org, outline))  # ticks district committees
    assert refused.status_code == 200
    assert "31/12/2026" in refused.content.decode() and not Campaign.objects.filter(plan_number="12").exists()
    accepted = admin.post("/admin/awards/campaign/add/", campaign_form(
        org, outline, participant_kinds=["commune_committee", "enterprise"], commune_reviewer=org.units["division"].pk,
    ))  # fmt: skip
    assert accepted.status_code == 302, accepted.content.decode()[:2000]
    made = Campaign.objects.get(plan_number="12")
    assert (made.commune_reviewer, made.participant_kinds) == (
        org.units["division"],
        ["commune_committee", "enterprise"],
    )
