"""The report lifecycle is also a viewflow process: each step leaves a task, in order, under a real lock."""

import pytest
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from awards.services import reports as svc
from tests.test_reports import REQUIRED_ENTERPRISE
from workflows.flows import ReportFlow
from workflows.models import ReportProcess

pytestmark = pytest.mark.django_db


def steps(report) -> list[tuple[str, str]]:
    tasks = Task.objects.filter(process__reportprocess__report=report).order_by("pk")
    return [(task.flow_task.name, task.status) for task in tasks]


def test_each_step_of_the_report_is_a_task_of_its_process(org, campaign):
    officer = org.actor("officer_a")
    report = svc.report_start(by=officer, campaign=campaign, unit=officer.unit)
    process = ReportProcess.objects.get(report=report)
    assert (process.unit, process.status) == (org.units["a"], PROCESS.NEW)
    assert steps(report) == [("start", STATUS.DONE), ("draft", STATUS.NEW)]
    svc.report_save_draft(by=officer, report=report, expected_seq=0, answers=REQUIRED_ENTERPRISE)
    svc.report_submit(by=org.actor("head_a"), report=report)
    assert steps(report)[-2:] == [("draft", STATUS.DONE), ("review", STATUS.NEW)]
    svc.report_return(by=org.actor("police"), report=report, comments={None: "Bổ sung"})
    assert steps(report)[-3:] == [("review", STATUS.DONE), ("decision", STATUS.DONE), ("draft", STATUS.NEW)]
    svc.report_submit(by=org.actor("head_a"), report=report)
    svc.report_accept(by=org.actor("police"), report=report)
    process.refresh_from_db()
    assert (process.status, process.accepted) == (PROCESS.DONE, True)
    assert steps(report)[-1] == ("end", STATUS.DONE)


def test_reopening_starts_a_new_round_and_keeps_the_finished_one(org, campaign):
    officer = org.actor("officer_a")
    report = svc.report_start(by=officer, campaign=campaign, unit=officer.unit)
    svc.report_save_draft(by=officer, report=report, expected_seq=0, answers=REQUIRED_ENTERPRISE)
    svc.report_submit(by=org.actor("head_a"), report=report)
    svc.report_accept(by=org.actor("police"), report=report)
    svc.report_reopen(by=org.actor("police"), report=report, reason="Sửa số liệu")
    rounds = list(ReportProcess.objects.filter(report=report).order_by("pk"))
    assert [r.status for r in rounds] == [PROCESS.DONE, PROCESS.NEW]


def test_the_flow_uses_a_real_lock():
    assert ReportFlow.lock_impl.__class__.__name__ == "SelectForUpdateLock"


def test_the_home_page_lists_the_steps_waiting_for_each_persona(org, campaign, django_assert_max_num_queries):
    officer = org.actor("officer_a")
    report = svc.report_start(by=officer, campaign=campaign, unit=officer.unit)
    svc.report_save_draft(by=officer, report=report, expected_seq=0, answers=REQUIRED_ENTERPRISE)
    assert "Hoàn thiện và gửi báo cáo" in org.client("head_a").get("/").content.decode()
    assert "Hoàn thiện và gửi báo cáo" not in org.client("officer_b").get("/").content.decode()
    svc.report_submit(by=org.actor("head_a"), report=report)
    police = org.client("police")
    police.get("/")
    with django_assert_max_num_queries(25):
        page = police.get("/").content.decode()
    assert "Thẩm định báo cáo của Công ty Cổ phần An Bình" in page
    assert "Thẩm định báo cáo" not in org.client("director").get("/").content.decode()
    svc.report_return(by=org.actor("police"), report=report, comments={None: "Bổ sung"})
    assert "Chỉnh sửa báo cáo bị trả lại" in org.client("officer_a").get("/").content.decode()
