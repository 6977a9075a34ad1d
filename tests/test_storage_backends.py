"""Every file goes through Django's storage, on both backends TĐKT supports: the directory every node mounts
and S3 through django-storages (here moto's S3 emulator on loopback, tests/storage_backends.py). Uploads are
stored whole under generated names and served through the scoped views; a document job stores one file per
content, writes nothing when run again, and its file downloads through the web process, also when a Celery
worker configured by the environment built it."""

import hashlib
import os
import re
import threading
import time

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from awards.models import DecisionStatus, DocumentKind, DocumentStatus, GeneratedDocument, ReportAttachment
from awards.services import decisions as svc
from awards.services import documents as docs
from awards.uploads import AtomicFileSystemStorage, UploadKind, open_stored, store_upload, validate_upload
from tests.storage_backends import REGION, s3_options
from tests.storage_backends import moto_server as moto_server  # noqa: F401 - the fixtures
from tests.storage_backends import storage_backend as storage_backend  # noqa: F401
from tests.test_attachments import draft, pdf_bytes
from tests.test_attachments import upload as upload_attachment
from tests.test_decision_views import doc_of
from tests.test_decisions import awaiting
from tests.test_nominations import world as world  # noqa: F401 - the fixture
from tests.test_settings import run_python
from tests.workers import Worker, send_tasks, wait_until

STORED_UPLOAD = re.compile(r"uploads/\d{4}/\d{2}/[0-9a-f]{32}\.pdf")
STORED_DOCUMENT = re.compile(r"documents/[0-9a-f]{2}/[0-9a-f]{64}\.(?:docx|pdf|xlsx)")
SHOW_DEFAULT = "from django.conf import settings; print(repr(settings.STORAGES['default']))"
DECISION_KINDS = {DocumentKind.DECISION_DOCX, DocumentKind.DECISION_PDF, DocumentKind.LIST_DOCX,
                  DocumentKind.LIST_PDF, DocumentKind.LIST_XLSX}  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# Configuration by environment
# ---------------------------------------------------------------------------------------------------------------


def default_storage_with(**env: str):
    """STORAGES["default"] as a fresh process builds it from these variables (the others of storage unset)."""
    variables = ("STORAGE_BACKEND", "AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "AWS_S3_REGION_NAME",
                 "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_LOCATION", "AWS_S3_ADDRESSING_STYLE")  # fmt: skip
    return run_python(SHOW_DEFAULT, DEBUG="1", **{**dict.fromkeys(variables, ""), **env})


def test_the_environment_chooses_the_directory_or_s3():
    assert default_storage_with().stdout.strip() == "{'BACKEND': 'awards.uploads.AtomicFileSystemStorage'}"
    s3 = default_storage_with(
        STORAGE_BACKEND="s3", AWS_STORAGE_BUCKET_NAME="tdkt-files", AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_S3_REGION_NAME=REGION, AWS_ACCESS_KEY_ID="id", AWS_SECRET_ACCESS_KEY="secret",
    )  # fmt: skip
    expected = s3_options("http://127.0.0.1:9000", "tdkt-files", key="id", secret="secret")
    assert s3.stdout.strip() == repr({"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": expected}), s3.stderr
    named = default_storage_with(AWS_STORAGE_BUCKET_NAME="b", AWS_LOCATION="tdkt/", AWS_S3_ADDRESSING_STYLE="path")
    assert "S3Storage" in named.stdout, named.stderr
    assert "'location': 'tdkt/'" in named.stdout and "'addressing_style': 'path'" in named.stdout
    no_bucket = default_storage_with(STORAGE_BACKEND="s3")
    assert no_bucket.returncode != 0 and "STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME" in no_bucket.stderr
    unknown = default_storage_with(STORAGE_BACKEND="ftp")
    assert unknown.returncode != 0 and "STORAGE_BACKEND must be 'filesystem' or 's3'" in unknown.stderr


# ---------------------------------------------------------------------------------------------------------------
# Uploads
# ---------------------------------------------------------------------------------------------------------------


def test_an_upload_is_stored_whole_under_a_generated_name_and_read_back(storage_backend):
    content = pdf_bytes()
    uploaded = SimpleUploadedFile("../../Báo cáo.pdf", content, content_type="text/html")  # the browser's claim
    detected = validate_upload(uploaded_file=uploaded, kind=UploadKind.SCAN)
    stored = store_upload(uploaded_file=uploaded, detected=detected)
    again = store_upload(uploaded_file=uploaded, detected=detected)

    assert STORED_UPLOAD.fullmatch(stored.relative_path) and stored.relative_path != again.relative_path
    assert storage_backend.names("uploads") == sorted([stored.relative_path, again.relative_path])
    assert storage_backend.read(stored.relative_path) == content  # read back outside the product's code
    assert stored.sha256 == hashlib.sha256(content).hexdigest() and stored.size == len(content)
    assert storage_backend.content_type(stored.relative_path) in (None, "application/pdf")  # never text/html
    assert storage_backend.temporary() == []
    with open_stored(relative_path=stored.relative_path) as handle:
        assert handle.read() == content
    with pytest.raises(SuspiciousFileOperation):
        open_stored(relative_path="uploads/../documents/x.pdf")
    with pytest.raises(FileNotFoundError):
        open_stored(relative_path="uploads/2025/01/" + "c" * 32 + ".pdf")


@pytest.mark.django_db
def test_a_report_attachment_is_uploaded_and_downloaded_through_the_views(org, campaign, storage_backend):
    report = draft(org, campaign)
    content = pdf_bytes()
    upload_attachment(org.client("officer_a"), report, "Báo cáo ký số.pdf", content)
    attachment = ReportAttachment.objects.get()
    assert storage_backend.names() == [attachment.stored_path]
    assert storage_backend.read(attachment.stored_path) == content
    response = org.client("officer_a").get(f"/reports/{report.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    assert response["Content-Length"] == str(len(content)) and response["Content-Type"] == "application/pdf"
    assert org.client("officer_b").get(f"/reports/{report.pk}/attachments/{attachment.pk}/").status_code == 403


# ---------------------------------------------------------------------------------------------------------------
# Generated documents
# ---------------------------------------------------------------------------------------------------------------


def decision_files(draft) -> dict[str, GeneratedDocument]:
    return {d.kind: d for d in draft.documents.all()}


@pytest.mark.django_db(transaction=True)  # the jobs are queued on commit (and run in-process here)
def test_a_document_job_stores_one_file_and_a_second_run_writes_nothing(org, world, storage_backend):
    campaign, tiers = world
    first = awaiting(org, campaign, tiers["director"])
    draft = svc.decision_draft(by=org.actor("director"), campaign=campaign, award_type=tiers["director"],
                               nominations=[first])  # fmt: skip
    built = decision_files(draft)
    assert set(built) == DECISION_KINDS and all(d.status == DocumentStatus.READY for d in built.values())
    stored = storage_backend.names("documents")
    for document in built.values():
        assert STORED_DOCUMENT.fullmatch(document.path) and document.path in stored
        data = storage_backend.read(document.path)
        assert hashlib.sha256(data).hexdigest() == document.sha256 and len(data) == document.size
        with docs.document_open(document) as handle:
            assert handle.read() == data
    before = storage_backend.writes("documents")
    if storage_backend.name == "s3":
        assert all(len(versions) == 1 for versions in before.values())  # each written once

    # Delivered again (as after a lost acknowledgement), then once more: the same bytes are already there.
    pdf = built[DocumentKind.DECISION_PDF]
    GeneratedDocument.objects.filter(pk=pdf.pk).update(status=DocumentStatus.QUEUED)
    assert docs.document_build(pdf.pk) == "built"
    assert docs.document_build(pdf.pk) == "ready"
    assert docs.documents_request(decision=draft) == []  # nothing changed, nothing queued
    assert storage_backend.writes("documents") == before  # not one byte written again
    assert storage_backend.temporary() == []

    # A file lost behind the product's back is noticed and built again; the others stay as they were.
    storage_backend.lose(pdf.path)
    assert [d.kind for d in docs.documents_request(decision=draft)] == [DocumentKind.DECISION_PDF]
    after = storage_backend.writes("documents")
    assert pdf.path in after and {k: v for k, v in after.items() if k != pdf.path} == {
        k: v for k, v in before.items() if k != pdf.path
    }
    assert hashlib.sha256(storage_backend.read(pdf.path)).hexdigest() == doc_of(draft, DocumentKind.DECISION_PDF).sha256

    # Discarded: its files go with it (after the commit), the hand-offs' stay.
    handoffs = {d.path for d in GeneratedDocument.objects.filter(handoff__isnull=False)}
    svc.decision_discard(by=org.actor("director"), decision=draft)
    assert set(storage_backend.names("documents")) == handoffs


def test_builders_of_the_same_bytes_at_once_leave_one_file(storage_backend):
    data = b"%PDF-1.7 the same document, built by eight workers at once\n" * 1000
    barrier = threading.Barrier(8)
    results, errors = [], []

    def build() -> None:
        try:
            barrier.wait(timeout=30)
            results.append(docs.store_bytes(data, "pdf"))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=build) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    digest = hashlib.sha256(data).hexdigest()
    name = f"documents/{digest[:2]}/{digest}.pdf"
    assert errors == [] and results == [(name, digest)] * 8
    assert storage_backend.names() == [name] and storage_backend.read(name) == data
    assert storage_backend.temporary() == []


@pytest.mark.django_db(transaction=True)
def test_generated_documents_and_the_signed_scan_download_through_their_views(org, world, storage_backend):
    campaign, tiers = world
    first = awaiting(org, campaign, tiers["director"])
    draft = svc.decision_draft(by=org.actor("director"), campaign=campaign, award_type=tiers["director"],
                               nominations=[first])  # fmt: skip
    director = org.client("director")
    for kind in (DocumentKind.DECISION_DOCX, DocumentKind.LIST_XLSX):
        response = director.get(reverse("decision_document", args=[draft.pk, kind]))
        data = b"".join(response.streaming_content)
        assert response.status_code == 200 and data == storage_backend.read(doc_of(draft, kind).path)
        assert response["Content-Length"] == str(len(data)) and response["X-Content-Type-Options"] == "nosniff"
    signed = pdf_bytes()
    today = timezone.localdate().strftime("%d/%m/%Y")
    issued = director.post(reverse("decision_issue", args=[draft.pk]), {
        "number": "7", "date": today, "scan": SimpleUploadedFile("qd.pdf", signed, content_type="application/pdf"),
    })  # fmt: skip
    assert issued.status_code == 302
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.ISSUED and storage_backend.read(draft.scan_path) == signed
    response = director.get(reverse("decision_scan", args=[draft.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == signed
    certificates = director.get(reverse("decision_document", args=[draft.pk, DocumentKind.CERTIFICATES_PDF]))
    assert b"".join(certificates.streaming_content).startswith(b"%PDF")
    # A file not there (yet): a message and the decision's page, not an error.
    GeneratedDocument.objects.filter(decision=draft, kind=DocumentKind.LIST_PDF).update(status=DocumentStatus.QUEUED)
    waiting = director.get(reverse("decision_document", args=[draft.pk, DocumentKind.LIST_PDF]))
    assert waiting.status_code == 302 and waiting.url == reverse("decision_detail", args=[draft.pk])


@pytest.mark.django_db(transaction=True)
def test_a_document_built_by_a_worker_configured_by_the_environment_downloads_through_the_web(
    org, world, storage_backend, redis_url, tmp_path
):
    campaign, tiers = world
    first = awaiting(org, campaign, tiers["director"])
    draft = svc.decision_draft(by=org.actor("director"), campaign=campaign, award_type=tiers["director"],
                               nominations=[first])  # fmt: skip
    # Rebuilt from nothing by a separate process that knows the storage only from its environment.
    GeneratedDocument.objects.filter(decision=draft).update(status=DocumentStatus.FAILED, path="", sha256="")
    for name in storage_backend.names("documents"):
        storage_backend.lose(name)
    worker = Worker(broker=redis_url, env=storage_backend.env, log=tmp_path / "worker.log").wait_ready()
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
            queued = docs.documents_request(decision=draft)
        assert {d.kind for d in queued} == DECISION_KINDS
        send_tasks(redis_url, [("awards.tasks.build_document", [d.pk]) for d in queued])  # through Redis
        wait_until(lambda: draft.documents.filter(status=DocumentStatus.READY).count() == len(DECISION_KINDS),
                   timeout=120, what="the worker to build the decision's files", worker=worker)  # fmt: skip
    finally:
        worker.stop()
    pdf = doc_of(draft, DocumentKind.DECISION_PDF)
    assert pdf.path in storage_backend.names("documents")
    response = org.client("director").get(reverse("decision_document", args=[draft.pk, DocumentKind.DECISION_PDF]))
    data = b"".join(response.streaming_content)
    assert response.status_code == 200 and hashlib.sha256(data).hexdigest() == pdf.sha256


# ---------------------------------------------------------------------------------------------------------------
# The directory: whole files or none
# ---------------------------------------------------------------------------------------------------------------


class Interrupted(Exception):
    pass


class BreaksHalfway(ContentFile):
    """Content whose reading stops halfway, as when the writing process dies."""

    def chunks(self, chunk_size=None):
        yield self.read(10)
        raise Interrupted


def test_the_directory_shows_a_file_whole_or_not_at_all(tmp_path):
    storage = AtomicFileSystemStorage(location=tmp_path)
    with pytest.raises(Interrupted):
        storage.save("documents/ab/half.pdf", BreaksHalfway(b"%PDF-" + b"x" * 1000))
    assert not storage.exists("documents/ab/half.pdf") and os.listdir(tmp_path / "documents" / "ab") == []
    # A killed process's temporary file goes after an hour, at the next write to its directory.
    old, fresh = tmp_path / "documents/ab/.incoming-old.part", tmp_path / "documents/ab/.incoming-new.part"
    old.write_bytes(b"half")
    fresh.write_bytes(b"half")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert storage.save("documents/ab/whole.pdf", ContentFile(b"%PDF-whole")) == "documents/ab/whole.pdf"
    assert old.exists()  # this directory was looked through a moment ago (the first save): not again yet
    storage._swept.clear()  # as if SWEEP_SECONDS had passed
    assert storage.save("documents/ab/whole-2.pdf", ContentFile(b"%PDF-whole")) == "documents/ab/whole-2.pdf"
    assert not old.exists() and fresh.exists()
    # A name is never replaced: the second writer gets another one, as Django's storage API promises.
    second = storage.save("documents/ab/whole.pdf", ContentFile(b"%PDF-other"))
    assert second != "documents/ab/whole.pdf" and storage.open("documents/ab/whole.pdf").read() == b"%PDF-whole"
    assert oct((tmp_path / "documents/ab/whole.pdf").stat().st_mode & 0o777) == oct(0o644)


def test_the_directory_refuses_to_read_through_a_symlink_out_of_it(tmp_path):
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF- secret")
    storage = AtomicFileSystemStorage(location=tmp_path / "media")
    (tmp_path / "media" / "uploads").mkdir(parents=True)
    (tmp_path / "media" / "uploads" / "x.pdf").symlink_to(secret)
    with pytest.raises(SuspiciousFileOperation):
        storage.open("uploads/x.pdf")
