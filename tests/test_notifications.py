"""Notifications, reminders, escalation and the lateness report, in the test process (eager jobs).

The delivery guarantees on a real worker, Redis and an SMTP sink are in test_delivery.py.
"""

import datetime as dt
import io
import zoneinfo

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from awards import tasks
from awards.models import (
    AuditEvent,
    DayKind,
    EmailStatus,
    Notification,
    NotificationKind,
    NotificationPreference,
    Outcome,
    Step,
    WorkdayChange,
)
from awards.selectors.lateness import lateness_report
from awards.services import deadlines
from awards.services import nominations as svc
from awards.services import reports as report_services
from awards.services.notifications import Message, email_deliver, email_retry, notify
from tests.conftest import build_campaign
from tests.test_nominations import appraise, minutes, nominate, refreshed, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture
from tests.test_reports import REQUIRED_ENTERPRISE

pytestmark = pytest.mark.django_db
TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def inbox(org, persona, kind=None):
    rows = Notification.objects.filter(recipient=org.users[persona])
    return list(rows.filter(kind=kind) if kind else rows)


# What each change tells whom ------------------------------------------------------------------------


def test_a_nomination_tells_each_holder_when_it_arrives_and_the_unit_how_it_ends(org, world):
    campaign, tiers = world
    Notification.objects.all().delete()  # the report's own messages
    first, second = nominate(org, campaign, tiers["director"]), nominate(org, campaign, tiers["director"], name="Lê Thị Hoa", id_number="")  # fmt: skip
    svc.nomination_prepared(by=org.actor("officer_a"), nomination=first)
    [handed] = inbox(org, "head_a", NotificationKind.TASK_ARRIVED)
    assert handed.subject == "Cần xử lý: Nguyễn Văn An – Giấy khen của Giám đốc Công an tỉnh"
    assert inbox(org, "officer_a") == []  # nobody is told of their own step

    send(org, campaign, tiers["director"], [first, second])
    [arrived] = inbox(org, "police", NotificationKind.TASK_ARRIVED)  # one message for the dossier, not one each
    assert arrived.subject.startswith("2 hồ sơ cần xử lý")
    assert "– Nguyễn Văn An" in arrived.body and "– Lê Thị Hoa" in arrived.body and arrived.url == "/nominations/"
    assert inbox(org, "director") == [] and inbox(org, "officer_b") == []

    police = org.actor("police")
    svc.nomination_act(by=police, nomination=second, step=Step.POLICE_APPRAISAL, outcome=Outcome.RETURNED,
                       comment="Bổ sung xác nhận của Công an phường")  # fmt: skip
    for persona in ("officer_a", "head_a"):
        [returned] = inbox(org, persona, NotificationKind.RETURNED)
        assert returned.subject == "Trả lại để bổ sung: Lê Thị Hoa – Giấy khen của Giám đốc Công an tỉnh"
        assert "Bổ sung xác nhận của Công an phường" in returned.body
        assert returned.url == f"/nominations/{second.pk}/"

    appraise(org, first, by=police)
    [to_director] = inbox(org, "director", NotificationKind.TASK_ARRIVED)
    assert to_director.url == f"/nominations/{first.pk}/"
    svc.nomination_act(by=org.actor("director"), nomination=first, step=Step.DIRECTOR_APPROVAL,
                       outcome=Outcome.APPROVED)  # fmt: skip
    [approved] = inbox(org, "officer_a", NotificationKind.NOMINATION_DECIDED)
    assert approved.subject.startswith("Hồ sơ được chấp thuận, chờ quyết định: Nguyễn Văn An")


def test_a_rejection_reaches_the_nominating_unit_with_its_reason(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    svc.nomination_act(by=org.actor("police"), nomination=nomination, step=Step.POLICE_APPRAISAL,
                       outcome=Outcome.REJECTED, comment="Thành tích chưa tiêu biểu")  # fmt: skip
    [rejected] = inbox(org, "head_a", NotificationKind.NOMINATION_DECIDED)
    assert rejected.subject.startswith("Hồ sơ không được đề nghị: Nguyễn Văn An")
    assert "Thành tích chưa tiêu biểu" in rejected.body
    assert inbox(org, "head_b") == []


def test_a_report_tells_the_reviewer_on_arrival_and_the_unit_when_returned_or_accepted(org, campaign):
    officer, head, police = org.actor("officer_a"), org.actor("head_a"), org.actor("police")
    report = report_services.report_start(by=officer, campaign=campaign, unit=org.units["a"])
    report_services.report_save_draft(by=officer, report=report, expected_seq=0, answers=REQUIRED_ENTERPRISE)
    report_services.report_submit(by=head, report=report)
    [arrived] = inbox(org, "police", NotificationKind.TASK_ARRIVED)
    assert arrived.subject == "Báo cáo cần xem xét: Công ty Cổ phần An Bình"
    assert inbox(org, "director") == []  # the director does not review reports
    report_services.report_return(by=police, report=report, comments={None: "Bổ sung số liệu năm 2020"})
    [returned] = inbox(org, "officer_a", NotificationKind.REPORT_REVIEWED)
    assert "trả lại" in returned.subject and returned.url == f"/reports/{report.pk}/"
    report_services.report_save_draft(by=officer, report=report, expected_seq=0, answers=REQUIRED_ENTERPRISE)
    report_services.report_submit(by=head, report=report)
    report_services.report_accept(by=police, report=report, note="Đạt yêu cầu")
    accepted = [n for n in inbox(org, "head_a", NotificationKind.REPORT_REVIEWED) if "tiếp nhận" in n.subject]
    assert len(accepted) == 1 and "Đạt yêu cầu" in accepted[0].body
    assert len(inbox(org, "police", NotificationKind.TASK_ARRIVED)) == 2  # version 1 and version 2


# Once, and by e-mail only when wanted -----------------------------------------------------------------


def test_a_message_is_written_once_per_recipient_and_mailed_once(org, django_capture_on_commit_callbacks):
    user = org.users["officer_a"]
    message = Message(recipient=user, kind=NotificationKind.DEADLINE, key="k:1", subject="Nhắc hạn", url="/campaigns/")
    with django_capture_on_commit_callbacks(execute=True):
        assert notify([message, message]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert notify([message]) == 0
    row = Notification.objects.get(recipient=user)
    assert row.email_status == EmailStatus.SENT and row.email_attempts == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [user.email] and sent.subject == "[TĐKT] Nhắc hạn"
    assert sent.extra_headers["Message-ID"] == f"<notification-{row.pk}@tdkt>"
    assert "http://127.0.0.1:8000/campaigns/" in sent.body
    assert email_deliver([row.pk]) == {"sent": 0, "failed": 0, "deferred": 0, "skipped": 1}  # a redelivered job
    assert len(mail.outbox) == 1


def test_no_address_or_email_switched_off_means_in_app_only(org, django_capture_on_commit_callbacks):
    nobody, chooser = org.users["officer_b"], org.users["head_b"]
    nobody.email = ""
    nobody.save()
    NotificationPreference.objects.create(user=chooser, kind=NotificationKind.DEADLINE, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(Message(recipient=u, kind=NotificationKind.DEADLINE, key="k:2", subject="Nhắc hạn") for u in (nobody, chooser))  # fmt: skip
    assert list(Notification.objects.values_list("email_status", flat=True)) == ["none", "none"]
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):  # another kind still goes by e-mail
        notify([Message(recipient=chooser, kind=NotificationKind.RETURNED, key="k:3", subject="Trả lại")])
    assert [m.to for m in mail.outbox] == [[chooser.email]]


# Reminders ------------------------------------------------------------------------------------------


@pytest.fixture
def due_soon(org):
    """Unit A has sent its report, unit B has not; the report is due on 10/12/2026."""
    campaign = build_campaign(org, report_deadline=dt.datetime(2026, 12, 10, 17, tzinfo=TZ), plan_date=dt.date(2026, 11, 1))  # fmt: skip
    officer = org.actor("officer_a")
    report = report_services.report_start(by=officer, campaign=campaign, unit=org.units["a"])
    report_services.report_save_draft(by=officer, report=report, expected_seq=0, answers=REQUIRED_ENTERPRISE)
    report_services.report_submit(by=org.actor("head_a"), report=report)
    Notification.objects.all().delete()
    return campaign


def reminders(org, persona):
    return sorted(n.dedupe_key.rsplit(":", 1)[1] for n in inbox(org, persona, NotificationKind.DEADLINE))


def test_units_that_have_not_submitted_are_reminded_on_the_reminder_days_then_daily_once_overdue(org, due_soon):
    assert deadlines.campaign_reminders(today=dt.date(2026, 12, 2))["written"] == 0  # 8 days before: none yet
    deadlines.campaign_reminders(today=dt.date(2026, 12, 3))
    assert reminders(org, "officer_b") == ["before-7"]
    assert reminders(org, "head_b") == []  # before the deadline the officers are reminded
    assert inbox(org, "officer_a") == []  # unit A has submitted
    [note] = inbox(org, "officer_b")
    assert note.subject == f"Còn 7 ngày đến hạn gửi báo cáo: Kế hoạch {due_soon.plan_reference}"
    assert "hạn gửi: 17:00 ngày 10/12/2026." in note.body  # the deadline as the plans write it
    assert deadlines.campaign_reminders(today=dt.date(2026, 12, 3))["written"] == 0  # a second run: nothing
    deadlines.campaign_reminders(today=dt.date(2026, 12, 8))  # 2 days before: the 3-day reminder, made up
    deadlines.campaign_reminders(today=dt.date(2026, 12, 9))
    deadlines.campaign_reminders(today=dt.date(2026, 12, 10))  # the deadline day: the 1-day one is sent
    assert reminders(org, "officer_b") == ["before-1", "before-3", "before-7"]
    deadlines.campaign_reminders(today=dt.date(2026, 12, 11))
    deadlines.campaign_reminders(today=dt.date(2026, 12, 11))
    deadlines.campaign_reminders(today=dt.date(2026, 12, 12))
    assert reminders(org, "officer_b")[-2:] == ["overdue-2026-12-11", "overdue-2026-12-12"]
    assert reminders(org, "head_b") == ["overdue-2026-12-11", "overdue-2026-12-12"]  # the head copied once overdue
    assert inbox(org, "officer_a") == []


def test_reminder_days_and_deadlines_are_checked(org):
    with pytest.raises(ValidationError) as error:
        build_campaign(org, reminder_days="7,ba,1")
    assert "từ 1 đến 90" in str(error.value.message_dict["reminder_days"])
    with pytest.raises(ValidationError) as error:
        build_campaign(org, plan_date=dt.date(2024, 7, 1))  # the report was due on 30/06/2024
    assert "trước ngày bắt đầu" in str(error.value.message_dict["report_deadline"])
    assert build_campaign(org, reminder_days=" 1, 7,3 ,7").reminder_day_list == [7, 3, 1]


def test_a_swap_that_changes_nothing_is_refused():
    with pytest.raises(ValidationError, match="đã là ngày làm việc"):
        WorkdayChange(day=dt.date(2027, 3, 4), kind=DayKind.WORKING).full_clean()  # a Thursday
    with pytest.raises(ValidationError, match="đã là ngày nghỉ"):
        WorkdayChange(day=dt.date(2027, 9, 2), kind=DayKind.DAY_OFF).full_clean()  # National Day
    WorkdayChange(day=dt.date(2027, 3, 6), kind=DayKind.WORKING).full_clean()  # a Saturday worked: fine


# Time limits, escalation and lateness ---------------------------------------------------------------


def test_a_holiday_a_swapped_saturday_and_a_weekend_move_a_steps_due_date(org, world):
    campaign, tiers = world
    WorkdayChange.objects.create(day=dt.date(2027, 4, 24), kind=DayKind.WORKING, note="Làm bù")  # a Saturday
    nomination = nominate(org, campaign, tiers["director"])
    svc.dossier_submit(
        by=org.actor("head_a"), campaign=campaign, award_type=tiers["director"], nominations=[nomination],
        number="15/TTr-CT", date=dt.date(2027, 4, 13), signer="Lê Văn Bình", council_members=7, council_present=6,
        votes_for=6, minutes=minutes(),
        at=dt.datetime(2027, 4, 13, 9, tzinfo=TZ),
    )  # fmt: skip
    # 9 working days from Tuesday 13/4/2027: 14, 15, 16 (Hùng Kings' day is Friday 16/4: off), 19-23, the
    # Saturday 24/4 worked, 26, then 30/4 and 1/5 are holidays, and the weekend.
    assert refreshed(nomination).step_due == dt.date(2027, 4, 26)


def test_a_step_held_past_its_limit_is_escalated_once_to_the_agencys_leader(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    sent_at = dt.datetime(2026, 11, 2, 9, tzinfo=TZ)  # a Monday; 9 working days: due Friday 13/11
    svc.dossier_submit(
        by=org.actor("head_a"), campaign=campaign, award_type=tiers["director"], nominations=[nomination],
        number="15/TTr-CT", date=dt.date(2026, 11, 2), signer="Lê Văn Bình", council_members=7, council_present=6,
        votes_for=6, minutes=minutes(), at=sent_at,
    )  # fmt: skip
    assert refreshed(nomination).step_due == dt.date(2026, 11, 13)
    assert deadlines.escalate_late_steps(today=dt.date(2026, 11, 13)) == 0  # due today: not late yet
    assert deadlines.escalate_late_steps(today=dt.date(2026, 11, 14)) == 1
    assert deadlines.escalate_late_steps(today=dt.date(2026, 11, 16)) == 0  # once
    [late] = inbox(org, "director", NotificationKind.STEP_LATE)
    assert late.subject == "Trễ hạn: Nguyễn Văn An – Giấy khen của Giám đốc Công an tỉnh"
    assert "13/11/2026" in late.body
    assert len(inbox(org, "police", NotificationKind.STEP_LATE)) == 1  # its handlers hear of it too
    assert AuditEvent.objects.filter(action="nomination_escalated", object_id=str(nomination.pk)).count() == 1
    assert inbox(org, "leader", NotificationKind.STEP_LATE) == []  # the province leads another agency

    appraise(org, nomination)
    nomination = refreshed(nomination)
    assert nomination.escalated_at is None and nomination.step == Step.DIRECTOR_APPROVAL

    result = lateness_report(actor=org.actor("leader"), campaign=campaign)
    [police_row] = [r for r in result.by_agency if r.label == org.units["police"].name]
    assert (police_row.handled, police_row.late) == (1, 1)
    assert police_row.worst_days >= 10
    [officer_row] = result.by_officer
    assert officer_row.label == org.users["police"].display_name and officer_row.late == 1
    [director_row] = [r for r in result.by_step if r.label == "Giám đốc Công an tỉnh phê duyệt"]
    assert (director_row.open, director_row.open_late) == (1, 0)
    assert lateness_report(actor=org.actor("home"), campaign=campaign).by_agency == []  # only its own agency
    with pytest.raises(PermissionDenied):  # a unit does not count the agencies
        lateness_report(actor=org.actor("officer_a"), campaign=campaign)


# Pages ----------------------------------------------------------------------------------------------


def test_the_bell_counts_unread_and_the_list_marks_them_read(org):
    user = org.users["officer_a"]
    for n in range(3):
        notify([Message(recipient=user, kind=NotificationKind.DEADLINE, key=f"k:{n}", subject=f"Nhắc hạn {n}",
                        url="/campaigns/")])  # fmt: skip
    notify([Message(recipient=org.users["officer_b"], kind=NotificationKind.DEADLINE, key="k:x", subject="Của B")])
    client = org.client("officer_a")
    page = client.get("/notifications/").content.decode()
    assert 'data-testid="bell-count">3<' in page and "Nhắc hạn 2" in page and "Của B" not in page
    first = Notification.objects.filter(recipient=user).order_by("pk").first()
    response = client.post(f"/notifications/{first.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/campaigns/"
    assert 'data-testid="bell-count">2<' in client.get("/").content.decode()
    other = Notification.objects.get(recipient=org.users["officer_b"])
    assert client.post(f"/notifications/{other.pk}/open/").status_code == 404
    client.post("/notifications/")
    assert 'data-testid="bell-count"' not in client.get("/").content.decode()
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_each_user_chooses_email_per_kind(org):
    client = org.client("officer_a")
    page = client.get("/notifications/settings/").content.decode()
    assert "Một hạn chót của đợt sắp đến hoặc đã qua" in page
    client.post("/notifications/settings/", {"task_arrived": "on", "returned": "on"})
    prefs = dict(NotificationPreference.objects.filter(user=org.users["officer_a"]).values_list("kind", "email"))
    assert prefs["returned"] is True and prefs["deadline"] is False


def test_the_lateness_report_downloads_as_xlsx_and_refuses_a_bad_campaign(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    appraise(org, nomination)
    client = org.client("police")
    response = client.get(f"/lateness/?campaign={campaign.pk}&format=xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Theo cơ quan", "Theo bước", "Theo cán bộ"]
    agencies = book["Theo cơ quan"]
    assert agencies["A1"].value.startswith("THỜI GIAN XỬ LÝ HỒ SƠ THEO CƠ QUAN")
    header, *rows = [r for r in agencies.iter_rows(min_row=2, values_only=True) if r[0]]
    assert header[:3] == ("Cơ quan", "Đã xử lý", "Trễ hạn")
    assert [r[:3] for r in rows] == [(org.units["police"].name, 1, 0)]  # handled on the day it arrived
    officer = [r for r in book["Theo cán bộ"].iter_rows(min_row=3, values_only=True) if r[0]]
    assert [r[:3] for r in officer] == [(org.units["police"].name, org.users["police"].display_name, 1)]
    page = client.get("/lateness/?campaign=99999").content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in page


def test_the_administrator_sees_the_embedded_health_and_resends_failed_emails(org, django_capture_on_commit_callbacks):
    notify([Message(recipient=org.users["officer_a"], kind=NotificationKind.DEADLINE, key="k:f", subject="Nhắc")])
    row = Notification.objects.get()
    Notification.objects.filter(pk=row.pk).update(email_status=EmailStatus.FAILED, email_error="550 5.1.1 unknown user")
    tasks.campaign_reminders()
    admin = org.client("admin")
    health = admin.get("/operations/health/").content.decode()
    assert "Chế độ nhúng" in health and "Nhắc hạn nộp" in health  # the job's name, in Vietnamese
    with pytest.raises(PermissionDenied):  # the service itself refuses anyone else
        email_retry(by=org.actor("police"))
    page = admin.get("/operations/emails/").content.decode()
    assert "550 5.1.1 unknown user" in page and org.users["officer_a"].email in page
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post("/operations/emails/", {"id": [row.pk]}).status_code == 302
    row.refresh_from_db()
    assert row.email_status == EmailStatus.SENT and len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="email_retried").count() == 1


# Review fixes ---------------------------------------------------------------------------------------


def test_a_deadline_moved_later_gets_its_reminders_again(org, due_soon):
    deadlines.campaign_reminders(today=dt.date(2026, 12, 9))
    assert reminders(org, "officer_b") == ["before-1"]
    due_soon.report_deadline = dt.datetime(2026, 12, 20, 17, tzinfo=TZ)
    due_soon.save()
    deadlines.campaign_reminders(today=dt.date(2026, 12, 13))
    deadlines.campaign_reminders(today=dt.date(2026, 12, 19))
    assert sorted(reminders(org, "officer_b")) == ["before-1", "before-1", "before-7"]
    assert "20/12/2026" in Notification.objects.filter(recipient=org.users["officer_b"]).order_by("pk").last().body


def test_a_returned_file_handed_back_to_the_head_is_a_task_for_the_head(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    svc.nomination_act(by=org.actor("police"), nomination=nomination, step=Step.POLICE_APPRAISAL,
                       outcome=Outcome.RETURNED, comment="Bổ sung")  # fmt: skip
    nomination = refreshed(nomination)
    assert nomination.step == Step.PREPARE  # back with the officer
    Notification.objects.all().delete()
    svc.nomination_prepared(by=org.actor("officer_a"), nomination=nomination)
    [task] = inbox(org, "head_a")
    assert task.kind == NotificationKind.TASK_ARRIVED and task.subject.startswith("Cần xử lý")


def test_a_subject_is_one_line_and_odd_input_is_refused_not_crashed(org):
    notify([Message(recipient=org.users["officer_a"], kind=NotificationKind.RETURNED, key="k:nl",
                    subject="Trả lại:\r\nBcc: ai@example  Nguyễn Văn  An")])  # fmt: skip
    assert Notification.objects.get().subject == "Trả lại: Bcc: ai@example Nguyễn Văn An"
    with pytest.raises(ValidationError):
        build_campaign(org, reminder_days="²,3")
    admin = org.client("admin")
    assert admin.post("/operations/emails/", {"id": ["²", "9" * 40]}).status_code == 302  # nothing chosen


def test_the_administrator_sees_errors_but_not_what_others_were_told(org):
    notify([Message(recipient=org.users["officer_a"], kind=NotificationKind.RETURNED, key="k:p",
                    subject="Trả lại: Nguyễn Văn An")])  # fmt: skip
    row = Notification.objects.get()
    Notification.objects.filter(pk=row.pk).update(email_error="421 4.3.2 try again later")
    assert "421 4.3.2 try again later" in org.client("admin").get("/operations/health/").content.decode()
    Notification.objects.filter(pk=row.pk).update(email_status=EmailStatus.FAILED, email_error="550 no such user")
    page = org.client("admin").get("/operations/emails/").content.decode()
    assert "550 no such user" in page and "Nguyễn Văn An" not in page


def test_the_lateness_report_runs_in_a_fixed_number_of_queries(org, world, django_assert_max_num_queries):
    campaign, tiers = world
    nominations = [nominate(org, campaign, tiers["director"], name=f"Người {n}", id_number="") for n in range(6)]
    send(org, campaign, tiers["director"], nominations)
    appraise(org, nominations[:4])
    with django_assert_max_num_queries(6):
        result = lateness_report(actor=org.actor("leader"), campaign=campaign)
    [police] = [r for r in result.by_agency if r.label == org.units["police"].name]
    assert (police.handled, police.open) == (4, 6)  # 2 at the appraisal, 4 with the director


def test_the_tallies_kept_as_steps_are_done_equal_the_sums_of_the_step_records(org, world):

    from awards.models import LatenessTally, Nomination

    campaign, tiers = world
    nominations = [nominate(org, campaign, tiers["director"], name=f"Người {n}", id_number="") for n in range(5)]
    send(org, campaign, tiers["director"], nominations)
    Nomination.objects.filter(pk__in=[n.pk for n in nominations]).update(  # arrived 20 days ago
        held_since=timezone.now() - dt.timedelta(days=20), step_due=timezone.localdate() - dt.timedelta(days=3)
    )
    nominations = [refreshed(n) for n in nominations]
    appraise(org, nominations[:3])  # late: due three days ago
    svc.nomination_act(by=org.actor("police"), nomination=nominations[3], step=Step.POLICE_APPRAISAL,
                       outcome=Outcome.RETURNED, comment="Bổ sung")  # fmt: skip
    for nomination in nominations[:2]:
        svc.nomination_act(by=org.actor("director"), nomination=refreshed(nomination), step=Step.DIRECTOR_APPROVAL,
                           outcome=Outcome.APPROVED)  # fmt: skip
    kept = sorted(LatenessTally.objects.values_list("unit_id", "step", "actor_id", "handled", "late", "days_total",
                                                    "worst"))  # fmt: skip
    assert svc.lateness_tally_rebuild() == len(kept)
    assert sorted(LatenessTally.objects.values_list("unit_id", "step", "actor_id", "handled", "late", "days_total",
                                                    "worst")) == kept  # fmt: skip
    police = next(t for t in kept if t[1] == Step.POLICE_APPRAISAL)
    assert police[3:5] == (4, 4) and police[5] >= 4 * 10  # four handled, all late, each about 14 working days
    [police_row] = [r for r in lateness_report(actor=org.actor("leader"), campaign=campaign).by_agency
                    if r.label == org.units["police"].name]  # fmt: skip
    assert (police_row.handled, police_row.late, police_row.late_percent) == (6, 4, 67)  # and the director's two


def test_a_midnight_deadline_is_written_as_the_plans_write_it(org, due_soon):
    due_soon.report_deadline = dt.datetime(2026, 12, 10, tzinfo=TZ)  # 00:00: the plans say "trước ngày 10/12/2026"
    due_soon.save()
    deadlines.campaign_reminders(today=dt.date(2026, 12, 3))
    [note] = inbox(org, "officer_b")
    assert "hạn gửi: trước ngày 10/12/2026." in note.body
