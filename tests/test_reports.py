"""The report lifecycle and its rules, through the services every view and flow calls."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards.actor import Actor
from awards.models import (
    AnswerCount,
    AnswerText,
    AuditEvent,
    CampaignParticipantChange,
    ReportStatus,
    ReviewComment,
    Role,
)
from awards.selectors.reports import answers_of, report_versions_visible, reports_visible
from awards.services import membership_grant
from awards.services import reports as svc
from tests.conftest import build_campaign

pytestmark = pytest.mark.django_db
TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
REQUIRED_ENTERPRISE = {
    "I.1.a": 12, "I.1.c": (True, "Ban Giám đốc, Công an tỉnh"), "II.1.a": "Tuyên truyền qua loa, bảng tin",
    "II.1.h": 40, "II.1.j": 3200, "III.1": "Nhiều ưu điểm", "III.2": "Còn hạn chế", "III.3": "Bài học",
    "IV.1": "Tiếp tục thực hiện",
}  # fmt: skip


def started(org, campaign, persona="officer_a"):
    actor = org.actor(persona)
    return svc.report_start(by=actor, campaign=campaign, unit=actor.unit)


def filled(org, campaign, persona="officer_a"):
    report = started(org, campaign, persona)
    svc.report_save_draft(by=org.actor(persona), report=report, expected_seq=0, answers=REQUIRED_ENTERPRISE)
    return report


def test_the_full_cycle_draft_submit_return_revise_accept(org, campaign):
    report = filled(org, campaign)
    with pytest.raises(PermissionDenied, match="Chỉ thủ trưởng đơn vị"):
        svc.report_submit(by=org.actor("officer_a"), report=report)
    v1 = svc.report_submit(by=org.actor("head_a"), report=report, at=dt.datetime(2024, 6, 25, 10, tzinfo=TZ))
    assert (v1.status, v1.late_days) == (ReportStatus.SUBMITTED, 0)
    v2 = svc.report_return(by=org.actor("police"), report=report,
                           comments={"II.1": "Bổ sung số buổi theo năm", None: "Thiếu bản scan"})  # fmt: skip
    v1.refresh_from_db()
    report.refresh_from_db()
    assert (report.status, v1.status, v2.number, v2.status) == ("returned", "returned", 2, "draft")
    assert set(ReviewComment.objects.filter(version=v1).values_list("item__code", "text")) == {
        ("II.1", "Bổ sung số buổi theo năm"), (None, "Thiếu bản scan"),
    }  # fmt: skip
    assert answers_of(v2) == answers_of(v1)  # the revision starts from what was sent
    svc.report_save_draft(by=org.actor("officer_a"), report=report, expected_seq=0, answers={"II.1.h": 48})
    svc.report_submit(by=org.actor("head_a"), report=report, at=dt.datetime(2024, 6, 28, tzinfo=TZ))
    svc.report_accept(by=org.actor("police"), report=report)
    report.refresh_from_db()
    assert (report.status, report.accepted_version.number) == ("accepted", 2)
    assert AnswerCount.objects.get(version=v1, item__code="II.1.h").value == 40  # v1 untouched
    assert AnswerCount.objects.get(version=v2, item__code="II.1.h").value == 48
    actions = list(AuditEvent.objects.filter(object_type="report").order_by("pk").values_list("action", flat=True))
    assert actions == ["report_started", "report_saved", "report_submitted", "report_returned", "report_saved",
                       "report_submitted", "report_accepted"]  # fmt: skip


def test_an_accepted_report_is_frozen_and_reopening_makes_a_new_version(org, campaign):
    report = filled(org, campaign)
    svc.report_submit(by=org.actor("head_a"), report=report)
    accepted = svc.report_accept(by=org.actor("police"), report=report)
    with pytest.raises(ValidationError, match="không thể chỉnh sửa"):
        svc.report_save_draft(by=org.actor("officer_a"), report=report, expected_seq=1, answers={"II.1.h": 1})
    with pytest.raises(PermissionDenied):
        svc.report_reopen(by=org.actor("director"), report=report, reason="Sai số liệu")
    with pytest.raises(ValidationError):
        svc.report_reopen(by=org.actor("police"), report=report, reason="  ")
    draft = svc.report_reopen(by=org.actor("police"), report=report, reason="Đơn vị đề nghị sửa số liệu")
    report.refresh_from_db()
    assert (report.status, draft.number, report.accepted_version) == ("draft", 2, accepted)
    svc.report_save_draft(by=org.actor("officer_a"), report=report, expected_seq=0, answers={"II.1.h": 41})
    accepted.refresh_from_db()
    assert accepted.status == "accepted"
    assert AnswerCount.objects.get(version=accepted, item__code="II.1.h").value == 40


def test_late_submission_is_allowed_and_counted_in_calendar_days(org, campaign):
    report = filled(org, campaign)
    version = svc.report_submit(by=org.actor("head_a"), report=report, at=dt.datetime(2024, 7, 3, 9, 30, tzinfo=TZ))
    report.refresh_from_db()
    # Due before 30/6/2024 began: 30/6, 1/7, 2/7 and 3/7 are four days late.
    assert version.late_days == report.late_days == 4
    assert svc.late_days(deadline=campaign.report_deadline, at=campaign.report_deadline) == 0
    assert svc.late_days(deadline=campaign.report_deadline, at=campaign.report_deadline + dt.timedelta(minutes=1)) == 1


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"II.1.h": -3}, "số nguyên không âm"),
        ({"I.1.a": "nhiều"}, "số nguyên không âm"),
        ({"II.4.a": {2013: 4}}, "nằm ngoài kỳ số liệu 2014–2024"),
        ({"I.2.b": (13, 15)}, "không thuộc báo cáo"),  # a district question, not an enterprise's
        ({"III.1": 5}, "Nhập nội dung"),
        ({"NOPE": 1}, "không thuộc báo cáo"),
    ],
)
def test_bad_figures_are_refused_and_nothing_saved_is_lost(org, campaign, answers, message):
    report = filled(org, campaign)
    with pytest.raises(ValidationError) as caught:
        svc.report_save_draft(by=org.actor("officer_a"), report=report, expected_seq=1, answers=answers)
    assert any(message in m for m in caught.value.messages), caught.value.messages
    assert AnswerCount.objects.get(version=report.current_version, item__code="II.1.h").value == 40


def test_a_ratio_done_above_its_total_is_refused_for_a_district(org):
    campaign = build_campaign(org)
    report = started(org, campaign, "district")
    with pytest.raises(ValidationError, match="không được lớn hơn"):
        svc.report_save_draft(by=org.actor("district"), report=report, expected_seq=0, answers={"I.2.b": (16, 15)})
    svc.report_save_draft(by=org.actor("district"), report=report, expected_seq=0, answers={"I.2.b": (13, 15)})


def test_two_editors_on_one_draft_the_second_save_does_not_overwrite_the_first(org, campaign):
    report = started(org, campaign)
    svc.report_save_draft(by=org.actor("officer_a"), report=report, expected_seq=0, answers={"III.1": "Bản của An"})
    with pytest.raises(svc.ConcurrentEdit) as caught:
        svc.report_save_draft(by=org.actor("head_a"), report=report, expected_seq=0, answers={"III.1": "Bản của Bình"})
    assert "Người dùng officer_a" in caught.value.messages[0]
    assert AnswerText.objects.get(version=report.current_version, item__code="III.1").text == "Bản của An"


def test_submitting_with_an_empty_required_narrative_names_the_missing_items(org, campaign):
    report = started(org, campaign)
    answers = {**REQUIRED_ENTERPRISE, "III.2": ""}
    svc.report_save_draft(by=org.actor("officer_a"), report=report, expected_seq=0, answers=answers)
    with pytest.raises(ValidationError, match="III.2"):
        svc.report_submit(by=org.actor("head_a"), report=report)


def test_another_unit_can_neither_edit_nor_see_a_report(org, campaign):
    report = filled(org, campaign)
    with pytest.raises(PermissionDenied):
        svc.report_save_draft(by=org.actor("officer_b"), report=report, expected_seq=1, answers={"III.1": "x"})
    with pytest.raises(PermissionDenied):
        svc.report_submit(by=org.actor("head_b"), report=report)
    assert list(reports_visible(actor=org.actor("officer_b"))) == []
    assert list(reports_visible(actor=org.actor("officer_a"))) == [report]


def test_reviewers_see_a_report_only_once_it_was_submitted_and_never_its_drafts(org, campaign):
    report = filled(org, campaign)
    assert list(reports_visible(actor=org.actor("police"))) == []
    svc.report_submit(by=org.actor("head_a"), report=report)
    svc.report_return(by=org.actor("police"), report=report, comments={None: "Bổ sung"})
    assert list(reports_visible(actor=org.actor("police"))) == [report]
    assert [v.number for v in report_versions_visible(actor=org.actor("police"), report=report)] == [1]
    assert [v.number for v in report_versions_visible(actor=org.actor("officer_a"), report=report)] == [1, 2]


def test_only_the_campaign_reviewer_reviews_and_a_return_needs_a_comment(org, campaign):
    report = filled(org, campaign)
    svc.report_submit(by=org.actor("head_a"), report=report)
    for persona in ("home", "leader", "head_a", "district"):
        with pytest.raises(PermissionDenied):
            svc.report_accept(by=org.actor(persona), report=report)
    with pytest.raises(ValidationError, match="ít nhất một ý kiến"):
        svc.report_return(by=org.actor("police"), report=report, comments={"II.1": "   "})


def test_commune_reports_go_to_their_district_when_the_campaign_has_them(org):

    campaign = build_campaign(org, communes_report=True)
    CampaignParticipantChange.objects.create(campaign=campaign, unit=org.units["commune"], included=True)
    head = membership_grant(by=None, user=org.users["outsider"], unit=org.units["commune"], role=Role.UNIT_HEAD)
    report = started(org, campaign, "commune")
    answers = {"II.1.a": "Tuyên truyền", "II.1.h": 4, "II.1.j": 120, "III.1": "a", "III.2": "b", "III.3": "c",
               "IV.1": "d"}  # fmt: skip
    svc.report_save_draft(by=org.actor("commune"), report=report, expected_seq=0, answers=answers)
    svc.report_submit(by=Actor(user=org.users["outsider"], membership=head), report=report)
    with pytest.raises(PermissionDenied):
        svc.report_accept(by=org.actor("police"), report=report)
    svc.report_accept(by=org.actor("district"), report=report)
    report.refresh_from_db()
    assert report.status == "accepted"


def test_every_audited_action_has_a_translated_label(org, campaign):
    from django.utils import translation

    from awards.models import ACTION_LABELS

    report = filled(org, campaign)
    svc.report_submit(by=org.actor("head_a"), report=report)
    svc.report_accept(by=org.actor("police"), report=report)
    with translation.override("vi"):
        for event in AuditEvent.objects.all():
            assert event.action in ACTION_LABELS, event.action
            assert event.action_label != event.action
    page = org.client("officer_a").get("/activity/").content.decode()
    assert "Tiếp nhận báo cáo" in page and "report_accepted" not in page


def test_starting_a_report_needs_a_participating_unit_and_never_hands_out_another_units(org, campaign):
    with pytest.raises(PermissionDenied, match="không tham gia"):
        svc.report_start(by=org.actor("commune"), campaign=campaign, unit=org.units["commune"])
    report = started(org, campaign)
    with pytest.raises(PermissionDenied):
        svc.report_start(by=org.actor("officer_b"), campaign=campaign, unit=org.units["a"])
    assert svc.report_start(by=org.actor("head_a"), campaign=campaign, unit=org.units["a"]) == report
