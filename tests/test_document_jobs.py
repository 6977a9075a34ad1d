"""Document jobs on a real Celery worker and Redis: a 10,000-awardee list built on the "documents" queue;
a worker killed mid-generation leaves the job to be re-run, and one file results; a job delivered twice
writes nothing twice. On both storages: the directory and S3 (moto's emulator, tests/storage_backends.py),
the worker knowing its storage only from the environment."""

import hashlib
import io

import pytest
from django.test import override_settings
from pypdf import PdfReader

from awards.models import DecisionItem, DocumentKind, DocumentStatus, GeneratedDocument, Nomination
from awards.services import decisions as svc
from awards.text import person_sort_key
from tests.storage_backends import moto_server as moto_server  # noqa: F401 - the fixtures
from tests.storage_backends import storage_backend as storage_backend  # noqa: F401
from tests.test_decisions import awaiting
from tests.test_nominations import world as world  # noqa: F401 - the fixture
from tests.workers import Worker, send_tasks, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = 10_000
GIVEN = ("An", "Bình", "Chi", "Dũng", "Đức", "Giang", "Hà", "Hùng", "Lan", "Minh", "Ngọc", "Phương", "Quân", "Thảo")


@pytest.fixture
def worker(transactional_db, redis_url, storage_backend, tmp_path):
    started = Worker(broker=redis_url, env=storage_backend.env, log=tmp_path / "worker.log")
    yield started.wait_ready()
    started.stop()


def big_draft(org, campaign, tier):
    """A draft decision of ROWS awardees (the workflow run for one, the rest copied in bulk)."""
    first = awaiting(org, campaign, tier)
    draft = svc.decision_draft(by=org.actor("director"), campaign=campaign, award_type=tier, nominations=[first])
    copies = []
    for i in range(ROWS - 1):
        name = f"Nguyễn Văn {GIVEN[i % len(GIVEN)]} {i:05d}"
        copy = Nomination(**{f.attname: getattr(first, f.attname) for f in Nomination._meta.concrete_fields
                             if f.attname not in ("id", "name", "sort_key", "name_key", "id_number")})  # fmt: skip
        copy.name, copy.sort_key, copy.name_key = name, person_sort_key(name), name.casefold()
        copies.append(copy)
    Nomination.objects.bulk_create(copies, batch_size=2000)
    DecisionItem.objects.bulk_create((DecisionItem(decision=draft, nomination=n) for n in copies), batch_size=2000)
    return draft


def send_build(broker: str, document_id: int, times: int = 1) -> None:
    send_tasks(broker, [("awards.tasks.build_document", [document_id])] * times)


def test_a_worker_killed_mid_generation_is_redelivered_and_one_file_results(
    org, world, storage_backend, redis_url, worker
):
    campaign, tiers = world
    draft = big_draft(org, campaign, tiers["director"])
    # Ask again as the records now say: ROWS awardees (the jobs go to the worker through Redis). The rows
    # are made to look failed, so that the request queues them all again.
    GeneratedDocument.objects.filter(decision=draft).update(status=DocumentStatus.FAILED, path="", sha256="",
                                                              fingerprint="")  # fmt: skip
    for name in storage_backend.names("documents"):
        storage_backend.lose(name)
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        queued = svc.documents.documents_request(decision=draft)
    assert {d.kind for d in queued} == {DocumentKind.DECISION_DOCX, DocumentKind.DECISION_PDF, DocumentKind.LIST_DOCX,
                                        DocumentKind.LIST_PDF, DocumentKind.LIST_XLSX}  # fmt: skip
    pdf = GeneratedDocument.objects.get(decision=draft, kind=DocumentKind.DECISION_PDF)
    send_build(redis_url, pdf.pk)
    wait_until(lambda: GeneratedDocument.objects.filter(pk=pdf.pk, status=DocumentStatus.RUNNING).exists(),
               timeout=60, what="the PDF job to start", worker=worker)  # fmt: skip
    killed = worker.kill_pool_child()
    assert GeneratedDocument.objects.get(pk=pdf.pk).status == DocumentStatus.RUNNING  # caught mid-generation
    ready = wait_until(lambda: GeneratedDocument.objects.filter(pk=pdf.pk, status=DocumentStatus.READY).first(),
                       timeout=120, what="the redelivered job to finish the PDF", worker=worker)  # fmt: skip
    assert killed not in worker.pool_children() and "SIGKILL" in worker.output()
    # The others, sent twice each as if delivered twice: each written once.
    for document in GeneratedDocument.objects.filter(decision=draft).exclude(pk=pdf.pk):
        send_build(redis_url, document.pk, times=2)
    wait_until(lambda: GeneratedDocument.objects.filter(decision=draft, status=DocumentStatus.READY).count() == 5,
               timeout=180, what="the other jobs", worker=worker)  # fmt: skip
    files = storage_backend.writes("documents")
    assert len(files) == 5  # one per document, however many runs
    if storage_backend.name == "s3":
        assert all(len(versions) == 1 for versions in files.values())  # each written once
    data = storage_backend.read(ready.path)
    assert hashlib.sha256(data).hexdigest() == ready.sha256 and ready.size == len(data) and data.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(data)).pages) > 100  # the 10,000-row list, whole
    # Re-running a finished job changes nothing.
    done = worker.output().count("succeeded")
    send_build(redis_url, pdf.pk)
    wait_until(lambda: worker.output().count("succeeded") > done, timeout=60, what="the repeated job", worker=worker)
    assert storage_backend.writes("documents") == files
