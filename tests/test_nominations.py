"""Nominations through the three routes: steps, returns, rejections, hand-offs, and the rules at sending up."""

import datetime as dt
import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from awards.models import (
    AuditEvent,
    BlockReason,
    HandOff,
    NominationAction,
    NominationQuota,
    NominationStatus,
    NomineeKind,
    Notification,
    NotificationKind,
    Outcome,
    Step,
    UnitKind,
)
from awards.permissions import evidence_for
from awards.reference.tiers_181 import standard_tiers
from awards.services import nominations as svc
from awards.services import reports as report_services
from awards.services.nominations import campaign_offer
from tests.conftest import build_campaign
from tests.integrity import integrity_checked as integrity_checked  # noqa: F401 - checks the invariants after each test
from tests.test_attachments import pdf_bytes
from tests.test_consolidation import report as accepted_report
from tests.test_reports import REQUIRED_ENTERPRISE

pytestmark = pytest.mark.django_db
PERSON = {
    "name": "Nguyễn Văn An", "gender": "male", "birth_date": dt.date(1985, 3, 2), "position": "Trưởng phòng",
    "workplace": "Công ty An Bình", "id_number": "075085001234", "achievement": "Có thành tích xuất sắc",
}  # fmt: skip


@pytest.fixture
def world(org):
    campaign = build_campaign(org, nomination_deadline=dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
    tiers = standard_tiers(police=org.units["police"], home_affairs=org.units["home"],
                           province=org.units["province"], ministry=org.units["ministry"])  # fmt: skip
    campaign_offer(by=None, campaign=campaign, award_types=tiers)
    accepted_report(org, campaign, "officer_a", org.actor("head_a"), REQUIRED_ENTERPRISE)
    return campaign, {t.route: t for t in tiers}


def minutes():
    return SimpleUploadedFile("bien-ban.pdf", pdf_bytes(), content_type="application/pdf")


def nominate(org, campaign, tier, persona="officer_a", **fields):
    return svc.nomination_create(
        by=org.actor(persona),
        campaign=campaign,
        award_type=tier,
        kind=fields.pop("kind", NomineeKind.INDIVIDUAL),
        **{**PERSON, **fields},
    )


def send(org, campaign, tier, nominations, head="head_a"):
    return svc.dossier_submit(
        by=org.actor(head), campaign=campaign, award_type=tier, nominations=nominations, number="15/TTr-CT",
        date=dt.date(2024, 7, 10), signer="Lê Văn Bình", council_members=7, council_present=6, votes_for=6,
        minutes=minutes(),
    )  # fmt: skip


def appraise(org, nominations, by=None, date=None):
    """The police's appraising office sends Giấy khen nominations to its director with its tờ trình."""
    nominations = nominations if isinstance(nominations, list | tuple) else [nominations]
    return svc.handoff_send(by=by or org.actor("police"), nominations=nominations, number="121/TTr-PV01",
                            date=date or timezone.localdate(), signer="Đỗ Minh Khoa",
                            signer_title="Trưởng phòng Tham mưu")  # fmt: skip


def refreshed(nomination):
    nomination.refresh_from_db()
    return nomination


def open_step(nomination) -> str:
    task = Task.objects.get(process__nominationprocess__nomination=nomination, status=STATUS.NEW)
    return task.flow_task.name


def test_the_giay_khen_route_runs_to_awaiting_decision(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    assert (nomination.step, nomination.holder, nomination.status) == (Step.PREPARE, org.units["a"], "draft")
    svc.nomination_prepared(by=org.actor("officer_a"), nomination=nomination)
    assert refreshed(nomination).step == Step.SUBMIT
    dossier = send(org, campaign, tiers["director"], [nomination])
    nomination = refreshed(nomination)
    assert (nomination.step, nomination.holder, nomination.status) == (
        Step.POLICE_APPRAISAL,
        org.units["police"],
        "in_review",
    )
    assert nomination.dossier == dossier and dossier.files.get().kind == "minutes"
    assert nomination.evidence_version == campaign.reports.get(unit=org.units["a"]).accepted_version
    appraise(org, nomination)
    assert refreshed(nomination).step == Step.DIRECTOR_APPROVAL
    svc.nomination_act(
        by=org.actor("director"), nomination=nomination, step=Step.DIRECTOR_APPROVAL, outcome=Outcome.APPROVED
    )
    nomination = refreshed(nomination)
    assert (nomination.step, nomination.status, nomination.holder) == (
        Step.AWAITING_DECISION,
        "awaiting_decision",
        org.units["police"],
    )
    assert open_step(nomination) == "awaiting_decision"  # the flow waits for the decision; it has not ended
    steps = list(nomination.actions.values_list("step", "outcome"))
    assert steps == [("prepare", "created"), ("prepare", "handed"), ("submit", "sent"),
                     ("police_appraisal", "approved"), ("director_approval", "approved")]  # fmt: skip


def test_the_chairman_route_with_a_return_goes_back_to_the_step_that_returned_it(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["chairman"])
    send(org, campaign, tiers["chairman"], [nomination])
    police, home, leader = org.actor("police"), org.actor("home"), org.actor("leader")
    with pytest.raises(ValidationError, match="tờ trình"):  # passing to another agency needs the police's own tờ trình
        svc.nomination_act(by=police, nomination=nomination, step=Step.POLICE_APPRAISAL, outcome=Outcome.APPROVED)
    handoff = svc.handoff_send(by=police, nominations=[nomination], number="88/TTr-CAT", date=dt.date(2024, 8, 1),
                               signer="Giám đốc")  # fmt: skip
    assert (handoff.from_unit, handoff.to_unit) == (org.units["police"], org.units["home"])
    nomination = refreshed(nomination)
    assert (nomination.step, nomination.holder) == (Step.HOME_AFFAIRS_APPRAISAL, org.units["home"])
    with pytest.raises(ValidationError):
        svc.nomination_act(by=home, nomination=nomination, step=Step.HOME_AFFAIRS_APPRAISAL, outcome=Outcome.RETURNED)
    svc.nomination_act(by=home, nomination=nomination, step=Step.HOME_AFFAIRS_APPRAISAL, outcome=Outcome.RETURNED,
                       comment="Thiếu xác nhận của cơ quan quản lý", internal_note="Hồ sơ mỏng")  # fmt: skip
    nomination = refreshed(nomination)
    assert (nomination.step, nomination.status, nomination.holder) == (
        Step.POLICE_APPRAISAL,
        "returned",
        org.units["police"],
    )
    svc.handoff_send(by=police, nominations=[nomination], number="90/TTr-CAT", date=dt.date(2024, 8, 5), signer="GĐ")
    assert refreshed(nomination).step == Step.HOME_AFFAIRS_APPRAISAL  # back to the step that returned it
    svc.handoff_send(by=home, nominations=[nomination], number="12/TTr-SNV", date=dt.date(2024, 8, 9), signer="GĐ Sở")
    assert refreshed(nomination).holder == org.units["province"]
    svc.nomination_act(by=leader, nomination=nomination, step=Step.LEADER_APPROVAL, outcome=Outcome.APPROVED)
    assert refreshed(nomination).status == NominationStatus.AWAITING_DECISION
    assert HandOff.objects.filter(nominations=nomination).count() == 3
    returned = nomination.actions.get(outcome=Outcome.RETURNED)
    assert returned.comment == "Thiếu xác nhận của cơ quan quản lý" and returned.internal_note == "Hồ sơ mỏng"


def test_a_return_to_the_unit_is_revised_and_resubmitted_to_the_police(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    svc.nomination_act(by=org.actor("police"), nomination=nomination, step=Step.POLICE_APPRAISAL,
                       outcome=Outcome.RETURNED, comment="Bổ sung thành tích năm 2023")  # fmt: skip
    nomination = refreshed(nomination)
    assert (nomination.step, nomination.status, nomination.holder) == (Step.PREPARE, "returned", org.units["a"])
    svc.nomination_update(by=org.actor("officer_a"), nomination=nomination, achievement="Thành tích 2014–2024")
    svc.nomination_prepared(by=org.actor("officer_a"), nomination=nomination)
    svc.nomination_resubmit(by=org.actor("head_a"), nomination=nomination)
    nomination = refreshed(nomination)
    assert (nomination.step, nomination.status) == (Step.POLICE_APPRAISAL, "in_review")
    assert nomination.achievement == "Thành tích 2014–2024"


def test_the_ministry_route_ends_waiting_for_the_ministrys_decision(org, world):
    campaign, tiers = world
    collective = nominate(org, campaign, tiers["ministry"], kind=NomineeKind.COLLECTIVE, name="Phòng Hành chính",
                          parent_unit=org.units["a"], women_percent=72)  # fmt: skip
    send(org, campaign, tiers["ministry"], [collective])
    svc.handoff_send(
        by=org.actor("police"), nominations=[collective], number="1/TTr", date=dt.date(2024, 8, 1), signer="A"
    )
    svc.nomination_act(
        by=org.actor("home"), nomination=collective, step=Step.HOME_AFFAIRS_APPRAISAL, outcome=Outcome.APPROVED
    )
    assert refreshed(collective).step == Step.MINISTRY_FORWARD
    forward = svc.handoff_send(by=org.actor("director"), nominations=[collective], number="2/TTr-CAT",
                               date=dt.date(2024, 8, 20), signer="Giám đốc")  # fmt: skip
    assert forward.to_unit == org.units["ministry"]
    collective = refreshed(collective)
    assert (collective.step, collective.status, collective.holder) == (
        Step.AWAITING_DECISION,
        "awaiting_decision",
        org.units["ministry"],
    )


def test_a_rejection_needs_a_reason_and_ends_the_nomination(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    police = org.actor("police")
    with pytest.raises(ValidationError) as error:
        svc.nomination_act(by=police, nomination=nomination, step=Step.POLICE_APPRAISAL, outcome=Outcome.REJECTED)
    assert error.value.message_dict == {"comment": ["Nhập lý do không đề nghị."]}
    svc.nomination_act(by=police, nomination=nomination, step=Step.POLICE_APPRAISAL, outcome=Outcome.REJECTED,
                       comment="Không đủ tiêu chuẩn")  # fmt: skip
    nomination = refreshed(nomination)
    assert nomination.status == NominationStatus.REJECTED
    assert not Task.objects.filter(process__nominationprocess__nomination=nomination, status=STATUS.NEW).exists()


def test_a_second_reviewer_acting_on_the_same_step_is_told_it_moved_on(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    appraise(org, nomination)
    with pytest.raises(ValidationError) as error:
        svc.nomination_act(by=org.actor("police"), nomination=nomination, step=Step.POLICE_APPRAISAL,
                           outcome=Outcome.APPROVED)  # fmt: skip
    assert error.value.code == "moved_on"


def test_only_the_steps_role_in_the_holding_unit_may_act(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    for persona in ("director", "home", "leader", "officer_a", "head_b", "admin"):
        with pytest.raises(PermissionDenied):
            svc.nomination_act(by=org.actor(persona), nomination=nomination, step=Step.POLICE_APPRAISAL,
                               outcome=Outcome.APPROVED)  # fmt: skip
    with pytest.raises(PermissionDenied):
        svc.nomination_update(by=org.actor("officer_b"), nomination=nomination, achievement="x")


def test_nothing_goes_up_before_the_covering_report_is_accepted(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"], persona="officer_b")
    with pytest.raises(ValidationError, match="Chưa có báo cáo nào của đợt này"):
        send(org, campaign, tiers["director"], [nomination], head="head_b")
    assert refreshed(nomination).step == Step.PREPARE and not nomination.dossier_id


def test_a_reopened_report_keeps_the_pinned_version_and_shows_a_newer_one(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    pinned = refreshed(nomination).evidence_version
    report = campaign.reports.get(unit=org.units["a"])
    report_services.report_reopen(by=org.actor("police"), report=report, reason="Bổ sung số liệu")
    nomination = refreshed(nomination)
    assert nomination.evidence_version == pinned
    assert svc.evidence_is_outdated(nomination)


def test_a_commune_collective_cites_its_districts_report(org, world):
    campaign, _tiers = world
    district_report = report_services.report_start(
        by=org.actor("district"), campaign=campaign, unit=org.units["district"]
    )
    assert evidence_for(campaign=campaign, unit=org.units["commune"]) == district_report


def test_tier_kind_cccd_and_birth_date_are_checked_in_vietnamese(org, world):
    campaign, tiers = world
    tiers["director"].accepts_collectives = False
    tiers["director"].save()
    with pytest.raises(ValidationError) as error:
        nominate(
            org, campaign, tiers["director"], kind=NomineeKind.COLLECTIVE, name="Phòng A", parent_unit=org.units["a"]
        )
    assert "kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        nominate(org, campaign, tiers["chairman"], id_number="075185001234", birth_date=dt.date(2090, 1, 1))
    messages = error.value.message_dict
    assert any("tương lai" in m for m in messages["birth_date"])
    assert messages["id_number"]


def test_the_same_person_typed_differently_is_caught_and_the_police_may_let_it_through(org, world):
    campaign, tiers = world
    first = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [first])
    accepted_report(org, campaign, "officer_b", org.actor("head_b"), {**REQUIRED_ENTERPRISE})
    decomposed = unicodedata.normalize("NFD", "  nguyễn   VĂN an ")
    second = nominate(org, campaign, tiers["chairman"], persona="officer_b", name=decomposed, id_number="")
    assert second.name == "nguyễn VĂN an" and unicodedata.is_normalized("NFC", second.name)
    warnings = svc.nomination_warnings(second)
    assert warnings == ["Đối tượng này đã được đề nghị trong đợt này. Một thành tích chỉ khen một hình thức: "
                        "cán bộ thẩm định Công an tỉnh sẽ xem xét cả hai."]  # fmt: skip
    assert "Công ty" not in warnings[0] and "An Bình" not in warnings[0]  # nothing about the other unit's nominee
    send(org, campaign, tiers["chairman"], [second], head="head_b")  # a warning, not a block
    police = org.actor("police")
    assert [n.pk for n in svc.nomination_duplicates(second)] == [first.pk]
    with pytest.raises(ValidationError) as error:
        svc.handoff_send(by=police, nominations=[second], number="3/TTr", date=dt.date(2024, 8, 1), signer="A")
    assert error.value.code == "duplicate"
    assert refreshed(second).step == Step.POLICE_APPRAISAL and not HandOff.objects.exists()
    with pytest.raises(ValidationError):
        svc.nomination_duplicate_allow(by=police, nomination=second, reason="  ")
    svc.nomination_duplicate_allow(by=police, nomination=second, reason="Hai thành tích khác nhau đã xác minh")
    svc.handoff_send(by=police, nominations=[second], number="3/TTr", date=dt.date(2024, 8, 1), signer="A")
    assert refreshed(second).step == Step.HOME_AFFAIRS_APPRAISAL
    assert AuditEvent.objects.filter(action="nomination_duplicate_allowed", actor=org.users["police"]).exists()


def test_a_blocked_nominee_cannot_be_sent_until_the_block_lifts(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    svc.nomination_block(by=org.actor("officer_a"), nomination=nomination, reason=BlockReason.INVESTIGATION,
                         until=dt.date(2099, 12, 31), note="Đang xác minh")  # fmt: skip
    with pytest.raises(ValidationError, match="31/12/2099"):
        send(org, campaign, tiers["director"], [nomination])
    svc.nomination_block(by=org.actor("officer_a"), nomination=nomination, reason="", until=None,
                         note="Đã có kết luận: không vi phạm")  # fmt: skip
    send(org, campaign, tiers["director"], [nomination])
    assert AuditEvent.objects.filter(action="nomination_blocked", object_id=str(nomination.pk)).exists()


def test_a_dossier_needs_its_minutes_and_respects_the_quota(org, world):
    campaign, tiers = world
    one = nominate(org, campaign, tiers["director"])
    two = nominate(org, campaign, tiers["director"], name="Trần Thị Bình", gender="female", id_number="",
                   birth_date=dt.date(1990, 1, 1))  # fmt: skip
    with pytest.raises(ValidationError) as error:
        svc.dossier_submit(by=org.actor("head_a"), campaign=campaign, award_type=tiers["director"], nominations=[one],
                           number="1", date=dt.date(2024, 7, 1), signer="A", council_members=5, council_present=6,
                           votes_for=2, minutes=None)  # fmt: skip
    assert {"minutes", "council_present"} <= set(error.value.message_dict)
    NominationQuota.objects.create(
        campaign=campaign, award_type=tiers["director"], unit_kind=UnitKind.ENTERPRISE, limit=1
    )
    with pytest.raises(ValidationError) as error:
        send(org, campaign, tiers["director"], [one, two])
    assert error.value.code == "quota"
    send(org, campaign, tiers["director"], [one])
    assert refreshed(two).dossier_id is None


def test_the_unit_withdraws_a_nomination_with_a_reason(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    with pytest.raises(PermissionDenied):
        svc.nomination_withdraw(by=org.actor("officer_a"), nomination=nomination, reason="Chuyển công tác")
    svc.nomination_withdraw(by=org.actor("head_a"), nomination=nomination, reason="Chuyển công tác")
    nomination = refreshed(nomination)
    assert nomination.status == NominationStatus.WITHDRAWN
    assert not Task.objects.filter(process__nominationprocess__nomination=nomination, status=STATUS.NEW).exists()
    assert NominationAction.objects.filter(nomination=nomination, outcome=Outcome.WITHDRAWN).exists()
    assert AuditEvent.objects.filter(action="nomination_withdrawn", actor=org.users["head_a"]).exists()


def test_every_nomination_action_is_audited_with_a_label(org, world):
    from django.utils import translation

    from awards.models import ACTION_LABELS

    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["chairman"])
    svc.nomination_block(by=org.actor("officer_a"), nomination=nomination, reason="complaint", until=None)
    svc.nomination_block(by=org.actor("officer_a"), nomination=nomination, reason="", until=None, note="Đã rút đơn")
    svc.nomination_update(by=org.actor("officer_a"), nomination=nomination, position="Phó phòng")
    send(org, campaign, tiers["chairman"], [nomination])
    svc.handoff_send(
        by=org.actor("police"), nominations=[nomination], number="9/TTr", date=dt.date(2024, 8, 1), signer="A"
    )
    svc.nomination_act(by=org.actor("home"), nomination=nomination, step=Step.HOME_AFFAIRS_APPRAISAL,
                       outcome=Outcome.REJECTED, comment="Không đạt")  # fmt: skip
    actions = set(AuditEvent.objects.filter(action__startswith=("nomination")).values_list("action", flat=True))
    assert {"nomination_created", "nomination_updated", "nomination_sent", "nomination_approved",
            "nomination_rejected"} <= actions  # fmt: skip
    with translation.override("vi"):
        for event in AuditEvent.objects.all():
            assert event.action in ACTION_LABELS, event.action


def second_reviewer(org):
    from awards.actor import Actor
    from awards.models import Role
    from awards.services import membership_grant
    from tests.factories import UserFactory

    user = UserFactory(username="police2", full_name="Phan Thị Hạnh")
    return Actor(
        user=user, membership=membership_grant(by=None, user=user, unit=org.units["police"], role=Role.POLICE_REVIEWER)
    )


def test_a_claimed_step_is_acted_on_by_its_claimant_or_handed_over(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    police, other = org.actor("police"), second_reviewer(org)
    svc.nomination_claim(by=police, nomination=nomination)
    assert refreshed(nomination).assignee == org.users["police"]
    with pytest.raises(ValidationError) as error:
        svc.nomination_act(by=other, nomination=nomination, step=Step.POLICE_APPRAISAL, outcome=Outcome.APPROVED)
    assert error.value.code == "taken" and "Người dùng police" in error.value.messages[0]
    svc.nomination_claim(by=police, nomination=nomination, to=other.user)
    [told] = Notification.objects.filter(recipient=other.user, kind=NotificationKind.TASK_ARRIVED)
    assert told.body == "Người dùng police đã chuyển cho đồng chí bước “Công an tỉnh thẩm định”."
    with pytest.raises(ValidationError):  # not a colleague at this step: the director's role differs
        svc.nomination_claim(by=police, nomination=nomination, to=org.users["director"])
    appraise(org, nomination, by=other)
    nomination = refreshed(nomination)
    assert nomination.step == Step.DIRECTOR_APPROVAL and nomination.assignee is None  # the next step is free
    handed = AuditEvent.objects.filter(action="nomination_assigned").order_by("pk").last()
    assert handed.detail == {"step": "police_appraisal", "from": org.users["police"].pk, "to": other.user.pk}


def test_an_acting_officer_handles_the_leaders_claimed_tasks_only_during_the_delegation(org, world):
    from awards.actor import Actor
    from awards.selectors.nominations import nomination_inbox
    from awards.selectors.org import actor_for
    from awards.services import membership_grant_acting
    from tests.factories import UserFactory

    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    appraise(org, nomination)
    svc.nomination_claim(by=org.actor("director"), nomination=nomination)
    deputy = UserFactory(username="deputy", full_name="Lý Văn Phúc")
    today = timezone.localdate()
    acting = membership_grant_acting(by=None, user=deputy, acting_for=org.memberships["director"],
                                     valid_from=today - dt.timedelta(days=3), valid_to=today + dt.timedelta(days=3))  # fmt: skip
    stand_in = Actor(user=deputy, membership=acting)
    assert [n.pk for n in nomination_inbox(actor=stand_in)] == [nomination.pk]
    svc.nomination_act(by=stand_in, nomination=nomination, step=Step.DIRECTOR_APPROVAL, outcome=Outcome.APPROVED)
    action = nomination.actions.get(step=Step.DIRECTOR_APPROVAL)
    assert (action.actor, action.on_behalf_of) == (deputy, org.users["director"])  # both names on the record
    # After the delegation ends the deputy has no membership left to act under: the work is the director's again.
    acting.valid_to = today - dt.timedelta(days=1)
    acting.save()
    assert actor_for(user=deputy).membership is None


def advance_to(org, nomination, target: str) -> None:
    """Approve (with a tờ trình where the route needs one) until the nomination is at `target`."""
    actors = {Step.POLICE_APPRAISAL: "police", Step.DIRECTOR_APPROVAL: "director", Step.HOME_AFFAIRS_APPRAISAL: "home",
              Step.LEADER_APPROVAL: "leader", Step.MINISTRY_FORWARD: "director"}  # fmt: skip
    while refreshed(nomination).step != target:
        step, by = nomination.step, org.actor(actors[nomination.step])
        if (nomination.award_type.route, step) in svc.HANDOFF_STEPS:
            svc.handoff_send(by=by, nominations=[nomination], number="1/TTr", date=dt.date(2024, 8, 1), signer="A")
        else:
            svc.nomination_act(by=by, nomination=nomination, step=step, outcome=Outcome.APPROVED)


AGENCY_STEPS = [
    ("director", Step.POLICE_APPRAISAL, Step.PREPARE), ("director", Step.DIRECTOR_APPROVAL, Step.POLICE_APPRAISAL),
    ("chairman", Step.POLICE_APPRAISAL, Step.PREPARE),
    ("chairman", Step.HOME_AFFAIRS_APPRAISAL, Step.POLICE_APPRAISAL),
    ("chairman", Step.LEADER_APPROVAL, Step.HOME_AFFAIRS_APPRAISAL),
    ("ministry", Step.POLICE_APPRAISAL, Step.PREPARE),
    ("ministry", Step.HOME_AFFAIRS_APPRAISAL, Step.POLICE_APPRAISAL),
    ("ministry", Step.MINISTRY_FORWARD, Step.HOME_AFFAIRS_APPRAISAL),
]  # fmt: skip


@pytest.mark.parametrize(("route", "step", "back_to"), AGENCY_STEPS)
def test_every_agency_step_returns_to_the_previous_holder_and_can_reject(org, world, route, step, back_to):
    campaign, tiers = world
    actors = {Step.POLICE_APPRAISAL: "police", Step.DIRECTOR_APPROVAL: "director", Step.HOME_AFFAIRS_APPRAISAL: "home",
              Step.LEADER_APPROVAL: "leader", Step.MINISTRY_FORWARD: "director"}  # fmt: skip
    returned, rejected = (
        nominate(org, campaign, tiers[route], name=n, id_number="") for n in ("Người Một", "Người Hai")
    )
    send(org, campaign, tiers[route], [returned, rejected])
    for nomination in (returned, rejected):
        advance_to(org, nomination, step)
    by = org.actor(actors[step])
    svc.nomination_act(by=by, nomination=returned, step=step, outcome=Outcome.RETURNED, comment="Bổ sung")
    returned = refreshed(returned)
    assert (returned.step, returned.status) == (back_to, NominationStatus.RETURNED)
    assert open_step(returned) == back_to
    svc.nomination_act(by=by, nomination=rejected, step=step, outcome=Outcome.REJECTED, comment="Không đạt")
    assert refreshed(rejected).status == NominationStatus.REJECTED
    assert not Task.objects.filter(process__nominationprocess__nomination=rejected, status=STATUS.NEW).exists()


def test_each_agency_step_gets_its_due_date_in_working_days(org, world):
    from awards.calendar import add_working_days

    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    assert nomination.step_due is None  # the unit's own steps run to the nomination deadline
    send(org, campaign, tiers["director"], [nomination])
    nomination = refreshed(nomination)
    today = timezone.localdate()
    assert nomination.step_due == add_working_days(today, 9) and not nomination.step_overdue
    nomination.step_due = today - dt.timedelta(days=1)
    assert nomination.step_overdue
    appraise(org, nomination)
    assert refreshed(nomination).step_due == add_working_days(today, 5)  # the director's 5 working days
    svc.nomination_act(by=org.actor("director"), nomination=nomination, step=Step.DIRECTOR_APPROVAL,
                       outcome=Outcome.APPROVED)  # fmt: skip
    assert refreshed(nomination).step_due is None  # awaiting the decision has no step limit
