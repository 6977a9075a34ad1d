"""The nominee import's job on a real Celery worker through Redis: the pool child is killed in the middle of the
import, Celery hands the job again (acks_late), and every row becomes exactly one nomination."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from awards.models import AuditEvent, ImportStatus, Nomination, NominationImport
from awards.services.imports import BATCH
from tests.test_decision_views import media as media  # noqa: F401 - the fixture
from tests.test_nominations import world as world  # noqa: F401 - the fixture
from tests.test_nominee_import import HEADERS
from tests.workers import Worker, send_tasks, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = 4 * BATCH  # the job commits BATCH rows per transaction: it is killed after the first


def many(n: int) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for i in range(n):
        sheet.append(["Cá nhân", f"Nguyễn Văn Số {i}", "Nam", f"{1 + i % 28:02d}/{1 + i % 12:02d}/19{60 + i % 40}", "",
                      "Cán bộ", "Công ty An Bình", "", "", "Có thành tích xuất sắc"])  # fmt: skip
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_worker_killed_mid_import_is_redelivered_and_creates_each_row_once(org, world, media, redis_url, tmp_path):
    campaign, tiers = world
    officer = org.client("officer_a")
    officer.post(reverse("import_start", args=[campaign.pk]),
                 {"award_type": tiers["director"].pk, "file": SimpleUploadedFile("ds.xlsx", many(ROWS))})  # fmt: skip
    imp = NominationImport.objects.get()
    assert imp.rows_valid == ROWS
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        officer.post(reverse("import_confirm", args=[campaign.pk, imp.pk]))  # the broker is down: queued, not sent
    assert NominationImport.objects.get().status == ImportStatus.QUEUED
    worker = Worker(broker=redis_url, env={"MEDIA_ROOT": str(media)}, log=tmp_path / "worker.log").wait_ready()
    try:
        send_tasks(redis_url, [("awards.tasks.run_import", [imp.pk])])  # as the sweep would
        wait_until(lambda: Nomination.objects.count() >= BATCH, timeout=120, what="the first batch", worker=worker)
        assert NominationImport.objects.get().status == ImportStatus.RUNNING
        worker.kill_pool_child()
        done = wait_until(lambda: NominationImport.objects.filter(pk=imp.pk, status=ImportStatus.DONE).first(),
                          timeout=240, what="the import to finish after the redelivery", worker=worker)  # fmt: skip
        assert "run_import" in worker.output()
    finally:
        worker.stop()
    assert (done.rows_created, done.rows_failed) == (ROWS, 0)
    assert Nomination.objects.count() == ROWS
    assert Nomination.objects.values("name").distinct().count() == ROWS
    assert AuditEvent.objects.filter(action="nomination_created", detail__import=imp.pk).count() == ROWS
    assert AuditEvent.objects.filter(action="nominations_imported").count() == 1
    progress = officer.get(reverse("import_detail", args=[campaign.pk, imp.pk]), {"format": "json"}).json()
    assert progress == {"documents": [{"kind": "import", "status": "done", "progress": 100}]}
