"""Exports larger than a page: built in the background for the user who asked, under the membership they
asked with; followed on their own page; downloaded by them alone; swept away after a week. One test runs
the job on a real Celery worker through Redis, the others in-process (eager, on commit)."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from awards.models import DecisionStatus, DocumentStatus, Export, ExportKind, Role
from awards.services import decisions as decision_services
from awards.services import exports as svc
from awards.services import org as org_services
from tests.test_decision_views import media as media  # noqa: F401 - the fixture
from tests.test_decisions import awaiting, scan
from tests.test_nominations import world as world  # noqa: F401 - the fixture
from tests.workers import Worker, send_tasks, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()
OURS = ("Nguyễn Văn An", "Lê Thị Hai")


@pytest.fixture
def one_row_a_page(monkeypatch):
    """Pages of one row, so that the world's two awardees are more than a page."""
    monkeypatch.setattr(svc, "INLINE_ROWS", 1)


def issued(org, campaign, tiers, names=OURS):
    """A Giấy khen decision issued for these people of unit A."""
    nominations = [awaiting(org, campaign, tiers["director"], name=name, id_number="") for name in names]
    director = org.actor("director")
    decision = decision_services.decision_draft(by=director, campaign=campaign, award_type=tiers["director"],
                                                nominations=nominations)  # fmt: skip
    decision = decision_services.decision_issue(by=director, decision=decision, number=5, date=TODAY, scan=scan())
    assert decision.status == DecisionStatus.ISSUED
    return decision


def names_in(data: bytes, sheet: int = 0) -> list:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [c.value for row in workbook.worksheets[sheet].iter_rows() for c in row if c.value]


def test_a_list_longer_than_a_page_is_built_in_the_background_and_downloads_for_its_asker_only(
    org, world, media, one_row_a_page
):
    campaign, tiers = world
    issued(org, campaign, tiers)
    officer = org.client("officer_a")
    response = officer.get(reverse("awardees_export", args=[campaign.pk]))
    export = Export.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("export_detail", args=[export.pk])
    assert (export.kind, export.rows, export.user, export.membership) == (
        ExportKind.AWARDEES_XLSX, 2, org.users["officer_a"], org.memberships["officer_a"]
    )  # fmt: skip
    page = officer.get(response["Location"]).content.decode()
    assert "Tải về" in page and "data-progress-url" not in page  # built on commit, in-process here
    progress = officer.get(reverse("export_detail", args=[export.pk]), {"format": "json"}).json()
    assert progress == {"documents": [{"kind": "awardees_xlsx", "status": "ready", "progress": 100}]}
    download = officer.get(reverse("export_file", args=[export.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    values = names_in(b"".join(download.streaming_content))
    assert set(OURS) <= set(values) and "05/QĐ-CAT" in values
    listing = officer.get(reverse("export_list")).content.decode()
    assert export.name in listing and reverse("export_file", args=[export.pk]) in listing
    # Nobody else: not the unit's head, not another unit, not the police who decided.
    for persona in ("head_a", "officer_b", "director"):
        client = org.client(persona)
        assert client.get(reverse("export_detail", args=[export.pk])).status_code == 403
        assert client.get(reverse("export_file", args=[export.pk])).status_code == 403
        assert export.name not in client.get(reverse("export_list")).content.decode()


def test_a_list_within_a_page_downloads_at_once(org, world, media):
    campaign, tiers = world
    issued(org, campaign, tiers)
    response = org.client("officer_a").get(reverse("awardees_export", args=[campaign.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert set(OURS) <= set(names_in(response.content))
    assert not Export.objects.exists()


def test_asking_twice_while_it_is_built_makes_one_job_and_the_other_unit_gets_its_own_rows(
    org, world, media, one_row_a_page
):
    campaign, tiers = world
    issued(org, campaign, tiers)
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        # The broker is unreachable: the request still answers (the sweep sends the job later).
        first = org.client("officer_a").get(reverse("awardees_export", args=[campaign.pk]))
        again = org.client("officer_a").get(reverse("awardees_export", args=[campaign.pk]))
    assert first["Location"] == again["Location"]
    export = Export.objects.get()
    assert export.status == DocumentStatus.QUEUED
    page = org.client("officer_a").get(first["Location"]).content.decode()
    assert 'data-progress-url="' in page and "<progress" in page
    assert org.client("officer_a").get(reverse("export_file", args=[export.pk])).status_code == 302  # not yet
    assert svc.export_build(export.pk) == "built"
    assert svc.export_build(export.pk) == "ready"  # delivered twice: nothing more
    export.refresh_from_db()
    assert export.status == DocumentStatus.READY and default_storage.exists(export.path)
    assert len(default_storage.listdir(f"exports/{export.sha256[:2]}")[1]) == 1


def test_another_membership_of_the_same_user_does_not_see_the_export(org, world, media, one_row_a_page):
    campaign, tiers = world
    issued(org, campaign, tiers)
    officer = org.client("officer_a")
    officer.get(reverse("awardees_export", args=[campaign.pk]))
    export = Export.objects.get()
    second = org_services.membership_grant(by=None, user=org.users["officer_a"], unit=org.units["b"],
                                           role=Role.UNIT_OFFICER)  # fmt: skip
    officer.post(reverse("membership_switch"), {"membership": second.pk, "next": "/"})
    assert officer.get(reverse("export_detail", args=[export.pk])).status_code == 403
    assert officer.get(reverse("export_file", args=[export.pk])).status_code == 403
    officer.post(reverse("membership_switch"), {"membership": org.memberships["officer_a"].pk, "next": "/"})
    assert officer.get(reverse("export_file", args=[export.pk])).status_code == 200


def test_a_membership_ended_before_the_build_writes_nothing(org, world, media, one_row_a_page):
    campaign, tiers = world
    issued(org, campaign, tiers)
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        org.client("officer_a").get(reverse("awardees_export", args=[campaign.pk]))
    export = Export.objects.get()
    membership = org.memberships["officer_a"]
    membership.valid_from = TODAY - dt.timedelta(days=30)
    membership.save()
    org_services.membership_end(by=None, membership=membership, last_day=TODAY - dt.timedelta(days=1))
    assert svc.export_build(export.pk) == "failed"
    export.refresh_from_db()
    assert export.status == DocumentStatus.FAILED and not export.path
    assert "membership" in export.error
    assert not default_storage.exists("exports") or not default_storage.listdir("exports")[0]


def test_the_police_consolidation_of_more_units_than_a_page_is_a_job(org, world, media, one_row_a_page):
    campaign, _tiers = world
    police = org.client("police")
    response = police.get(reverse("consolidation_export", args=[campaign.pk]))
    export = Export.objects.get()
    assert response["Location"] == reverse("export_detail", args=[export.pk])
    assert export.kind == ExportKind.CONSOLIDATION_XLSX and export.rows > 1 and export.status == DocumentStatus.READY
    data = b"".join(police.get(reverse("export_file", args=[export.pk])).streaming_content)
    board = openpyxl.load_workbook(io.BytesIO(data)).worksheets[2]  # the reporting board, a row per unit
    units = [row[1] for row in board.iter_rows(values_only=True) if isinstance(row[0], int)]
    assert len(units) == export.rows and {org.units["a"].name, org.units["b"].name} <= set(units)
    # A unit officer may not consolidate: refused before anything is queued.
    assert org.client("officer_a").get(reverse("consolidation_export", args=[campaign.pk])).status_code == 403
    assert Export.objects.count() == 1


def test_the_sweep_deletes_week_old_exports_with_their_files_and_resends_lost_jobs(org, world, media, one_row_a_page):
    campaign, tiers = world
    issued(org, campaign, tiers)
    org.client("officer_a").get(reverse("awardees_export", args=[campaign.pk]))
    old = Export.objects.get()
    assert default_storage.exists(old.path)
    Export.objects.filter(pk=old.pk).update(requested_at=timezone.now() - svc.KEEP - dt.timedelta(minutes=1))
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        org.client("officer_a").get(reverse("awardees_export", args=[campaign.pk]))
    lost = Export.objects.exclude(pk=old.pk).get()
    Export.objects.filter(pk=lost.pk).update(requested_at=timezone.now() - dt.timedelta(minutes=11))
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        assert svc.exports_sweep() == {"deleted": 1, "enqueued": 1}
    assert not Export.objects.filter(pk=old.pk).exists() and not default_storage.exists(old.path)
    lost.refresh_from_db()
    assert lost.status == DocumentStatus.QUEUED and lost.requested_at > timezone.now() - dt.timedelta(minutes=1)
    assert svc.export_build(lost.pk) == "built"  # what the resent job does


@pytest.mark.slow
def test_a_worker_builds_the_export_on_the_documents_queue_and_the_page_follows_it(
    org, world, media, one_row_a_page, redis_url, tmp_path
):
    campaign, tiers = world
    issued(org, campaign, tiers)
    worker = Worker(broker=redis_url, env={"MEDIA_ROOT": str(media)}, log=tmp_path / "worker.log").wait_ready()
    try:
        officer = org.client("officer_a")
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
            response = officer.get(reverse("awardees_export", args=[campaign.pk]))
        send_tasks(redis_url, [("awards.tasks.build_export", [Export.objects.get().pk])])  # routed as settings say
        export = Export.objects.get()
        ready = wait_until(lambda: Export.objects.filter(pk=export.pk, status=DocumentStatus.READY).first(),
                           timeout=60, what="the worker to build the export", worker=worker)  # fmt: skip
        assert "build_export" in worker.output()
        progress = officer.get(response["Location"], {"format": "json"}).json()["documents"][0]
        assert (progress["status"], progress["progress"]) == ("ready", 100)
        data = b"".join(officer.get(reverse("export_file", args=[ready.pk])).streaming_content)
        assert set(OURS) <= set(names_in(data))
    finally:
        worker.stop()
