"""The demo's deadlines in the browser, with the periodic jobs run by a real Celery worker on Redis:
a unit that has not sent its report is reminded, a file held past its limit reaches the police
director as late, and the processing-times page counts it."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from awards.models import Nomination, NominationStatus, Step
from tests.e2e.test_report_journey import log_in
from tests.workers import Worker, redis_db_url, run_job

JOBS = ("campaign_reminders", "escalate_late_steps")


@pytest.fixture
def periodic_jobs_run(demo, tmp_path):
    """Beat's work, done by a real worker on Redis: the reminder and escalation scans."""
    broker = redis_db_url()
    worker = Worker(broker=broker, log=tmp_path / "worker.log").wait_ready()
    try:
        for job in JOBS:
            run_job(broker, job, worker)
    finally:
        worker.stop()
    return demo


def test_the_demo_reminds_escalates_and_counts_lateness(page: Page, periodic_jobs_run):
    demo = periodic_jobs_run
    late = Nomination.objects.filter(  # Plan 181's (the current campaign's commune file was sent two days ago)
        campaign__plan_number="181", step=Step.POLICE_APPRAISAL, status=NominationStatus.IN_REVIEW
    ).order_by("pk")
    assert late and all(n.escalated_at for n in late)

    # Tín Nghĩa has a draft report in the current campaign, due in three days: its officer is reminded.
    log_in(page, "canbo.tinnghia", demo)
    expect(page.get_by_test_id("bell-count")).to_be_visible()
    page.get_by_test_id("bell").click()
    reminder = page.get_by_test_id("notification").filter(has_text="Còn 3 ngày đến hạn gửi báo cáo")
    expect(reminder).to_have_count(1)
    expect(reminder).to_contain_text("Tổng Công ty Tín Nghĩa chưa gửi báo cáo")
    reminder.get_by_role("button", name="Mở").click()
    expect(page).to_have_url(re.compile(r"/campaigns/\d+/$"))
    page.get_by_test_id("logout").click()

    # The police director, who leads the agency holding the late files, is told once per file.
    log_in(page, "congan.giamdoc", demo)
    page.get_by_test_id("bell").click()
    first = late.first()
    warning = page.get_by_test_id("notification").filter(has_text=f"Trễ hạn: {first.name}")
    expect(warning).to_have_count(1)
    warning.get_by_role("button", name="Mở").click()
    expect(page.get_by_text("trễ hạn").first).to_be_visible()

    # The processing-times page shows the police's late files.
    page.get_by_role("link", name="Thời gian xử lý hồ sơ").click()
    police_row = page.get_by_test_id("by-agency").locator("tr", has_text="Công an tỉnh Đồng Nai")
    expect(police_row).to_be_visible()
    held_late = Nomination.objects.filter(
        holder__code="CA-DN", status__in=(NominationStatus.IN_REVIEW, NominationStatus.RETURNED),
        step_due__lt=timezone.localdate(),
    ).count()  # fmt: skip
    assert held_late >= late.count()
    expect(police_row.locator("td").nth(7)).to_have_text(str(held_late))
