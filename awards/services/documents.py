"""Generated documents: a decision's Quyết định and Danh sách, its certificates, a hand-off's tờ trình.

Built in the background by `awards.tasks.build_document` (queue "documents"), stored by their checksum
as documents/<2 hex>/<sha256>.<ext> in the default storage (`STORAGES["default"]`: a directory every
node mounts, or S3; docs/documents.md, "Where files live"). Each `GeneratedDocument` row carries the
fingerprint of what its file says; `documents_request` (called in the transaction of every change to a
decision or hand-off) compares it with what the records say now and queues a build only when they
differ. The build reads the records again, so a job that runs twice, or after a worker was killed,
writes the same bytes to the same name: one file, never a duplicate.
"""

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from ..documents import build_docx, build_pdf, certificate, date_line, date_words
from ..documents.decision import (
    decision_document,
    decision_list_document,
    decision_list_xlsx,
    decision_text,
    person_name,
)
from ..documents.dossier import dossier_submission
from ..documents.handoff import handoff_submission
from ..documents.submission import submission_document, submission_xlsx
from ..jobs import send_jobs
from ..models import (
    Decision,
    DecisionKind,
    DecisionStatus,
    DocumentKind,
    DocumentStatus,
    GeneratedDocument,
    HandOff,
    NomineeKind,
    Route,
)
from ..uploads import CONTENT_TYPE_BY_EXTENSION

log = logging.getLogger(__name__)

DOCUMENT_DIR = "documents"  # in the default storage
# Raised when a builder changes what it writes for the same input, so stored files are built again.
BUILDER_VERSION = "1"
_STORED_RE = re.compile(r"(?:documents|exports)/[0-9a-f]{2}/[0-9a-f]{64}\.(?:docx|pdf|xlsx)")

EXTENSIONS = {
    DocumentKind.DECISION_DOCX: "docx", DocumentKind.DECISION_PDF: "pdf", DocumentKind.LIST_DOCX: "docx",
    DocumentKind.LIST_PDF: "pdf", DocumentKind.LIST_XLSX: "xlsx",
    DocumentKind.CERTIFICATES_PDF: "pdf", DocumentKind.HANDOFF_DOCX: "docx", DocumentKind.HANDOFF_PDF: "pdf",
    DocumentKind.HANDOFF_XLSX: "xlsx",
}  # fmt: skip
HANDOFF_KINDS = (DocumentKind.HANDOFF_DOCX, DocumentKind.HANDOFF_PDF, DocumentKind.HANDOFF_XLSX)


@dataclass(frozen=True)
class Source:
    """What one document says (`content`, hashed into the fingerprint) and how to render it."""

    content: object
    render: Callable[[object], bytes]

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(f"{BUILDER_VERSION}|{self.content!r}".encode()).hexdigest()


def _decision_kinds(decision: Decision) -> list[str]:
    if decision.award_type.route == Route.MINISTRY:
        return []  # recorded as it arrived: the signed scan is the document
    kinds = [DocumentKind.DECISION_DOCX, DocumentKind.DECISION_PDF, DocumentKind.LIST_DOCX, DocumentKind.LIST_PDF,
             DocumentKind.LIST_XLSX]  # fmt: skip
    issued_award = decision.kind == DecisionKind.AWARD and decision.status == DecisionStatus.ISSUED
    # They print the decision's number and date; with every award revoked there is nothing to print.
    if issued_award and decision.items.filter(revoked_by__isnull=True).exists():
        kinds.append(DocumentKind.CERTIFICATES_PDF)
    return kinds


# Once a decision is issued, its documents say what was signed: only its certificates follow later
# changes (a revoked award leaves them, a corrected one is reprinted); the rest are rebuilt only when
# their file is missing or their build failed.
FROZEN_WHEN_ISSUED = frozenset(EXTENSIONS) - {DocumentKind.CERTIFICATES_PDF}
STALE_AFTER = dt.timedelta(minutes=10)  # a queued or running build older than this is sent again


def certificate_layout(award_type) -> certificate.CertificateLayout:
    """The tier's default layout with the administrator's overrides (AwardType.certificate_layout)."""
    kind = certificate.GIAY_KHEN if award_type.route == Route.DIRECTOR else certificate.BANG_KHEN
    return certificate.layout_from_dict(award_type.certificate_layout or {}, base=certificate.default_layout(kind))


def _clean_line(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


def certificate_texts(decision: Decision, text=None) -> list[certificate.CertificateText]:
    """One per awardee in force, with their details as they are now (corrections included): collectives,
    then individuals, by unit and name."""

    text = text or decision_text(decision)
    line = f"Quyết định số {decision.reference} {date_words(decision.date)} của {text.decider_name}"
    items = decision.items.filter(revoked_by__isnull=True).select_related(
        "nomination", "nomination__unit", "nomination__parent_unit"
    )
    ordered = sorted(items, key=lambda i: (i.nomination.kind != NomineeKind.COLLECTIVE, i.nomination.unit.sort_key,
                                           i.nomination.sort_key, i.pk))  # fmt: skip
    result = []
    for item in ordered:
        name, position, unit = item.nomination.printed_details  # corrections included
        achievement = _clean_line(item.achievement or text.achievement)  # the awardee's own line
        if item.nomination.kind != NomineeKind.COLLECTIVE:
            name, unit = person_name(name), ", ".join(part for part in (position, unit) if part)
        result.append(certificate.CertificateText(
            name=name, unit=unit, achievement=achievement, decision_line=line,
            place_date=date_line(text.place, decision.date), signer_name=decision.signer,
        ))  # fmt: skip
    return result


def _decision_sources(decision: Decision, kinds: list[str]) -> dict[str, Source]:

    if not kinds:
        return {}
    text = decision_text(decision)
    sources = {
        DocumentKind.DECISION_DOCX: Source(text, lambda t: build_docx(decision_document(t))),
        DocumentKind.DECISION_PDF: Source(text, lambda t: build_pdf(decision_document(t))),
        DocumentKind.LIST_DOCX: Source(text, lambda t: build_docx(decision_list_document(t))),
        DocumentKind.LIST_PDF: Source(text, lambda t: build_pdf(decision_list_document(t))),
        DocumentKind.LIST_XLSX: Source(text, decision_list_xlsx),
    }
    if DocumentKind.CERTIFICATES_PDF in kinds:
        content = (tuple(certificate_texts(decision, text)), certificate_layout(decision.award_type), decision.date)
        sources[DocumentKind.CERTIFICATES_PDF] = Source(
            content,
            lambda c: certificate.build_certificates_pdf(c[0], c[1], created=c[2]),
        )
    return {kind: sources[kind] for kind in kinds}


def handoff_sources(handoff: HandOff) -> dict[str, Source]:
    """What each of a hand-off's files says, and how it is rendered (the jobs build one each)."""
    sub = handoff_submission(handoff)
    return {
        DocumentKind.HANDOFF_DOCX: Source(sub, lambda s: build_docx(submission_document(s))),
        DocumentKind.HANDOFF_PDF: Source(sub, lambda s: build_pdf(submission_document(s))),
        DocumentKind.HANDOFF_XLSX: Source(sub, submission_xlsx),
    }


def _sources(document: GeneratedDocument) -> dict[str, Source]:
    if document.decision_id:
        decision = Decision.objects.select_related("award_type", "campaign", "issuer", "refers_to").get(
            pk=document.decision_id
        )
        return _decision_sources(decision, _decision_kinds(decision))
    return handoff_sources(HandOff.objects.select_related("from_unit", "to_unit", "award_type", "campaign")
                            .get(pk=document.handoff_id))  # fmt: skip


@transaction.atomic
def documents_request(*, decision: Decision | None = None, handoff: HandOff | None = None) -> list[GeneratedDocument]:
    """Queue (after commit) a build of every document whose records changed, whose build failed or went
    stale, or whose file is missing; an issued decision's own documents stay as they were built."""
    if decision is not None:
        decision = Decision.objects.select_related("award_type", "campaign", "issuer", "refers_to").get(pk=decision.pk)
        sources, owner = _decision_sources(decision, _decision_kinds(decision)), {"decision": decision}
        issued_at = decision.issued_at if decision.status == DecisionStatus.ISSUED else None
    else:
        sources, owner, issued_at = handoff_sources(handoff), {"handoff": handoff}, None
    GeneratedDocument.objects.filter(**owner).exclude(kind__in=list(sources)).delete()
    queued = []
    stale = timezone.now() - STALE_AFTER
    for kind, source in sources.items():
        document, created = GeneratedDocument.objects.select_for_update().get_or_create(
            **owner, kind=kind, defaults={"fingerprint": source.fingerprint}
        )
        # A file built since the decision was issued says what was signed: it stays (but its certificates).
        frozen = bool(issued_at and kind in FROZEN_WHEN_ISSUED and document.built_at and document.built_at >= issued_at)
        if not created and _current(document, source.fingerprint, frozen=frozen, stale=stale):
            continue
        document.fingerprint, document.status, document.progress = source.fingerprint, DocumentStatus.QUEUED, 0
        document.error, document.requested_at = "", timezone.now()
        document.save()
        queued.append(document)
    _enqueue([d.pk for d in queued])
    return queued


def _current(document: GeneratedDocument, fingerprint: str, *, frozen: bool, stale: dt.datetime) -> bool:
    """Whether a document needs no new build."""
    if document.status == DocumentStatus.FAILED:
        return False
    if document.status == DocumentStatus.READY:
        if not _stored(document.path):
            return False  # its file went missing
        return frozen or document.fingerprint == fingerprint
    # queued or running: its job will build the records as they are now, unless it was lost
    return document.requested_at >= stale


def _enqueue(ids: list[int]) -> None:
    from ..tasks import build_document

    enqueue_after_commit(build_document, ids)


def enqueue_after_commit(task, ids: list[int]) -> None:
    """Send `task(pk)` for each id once the transaction commits. A broker that is down must not turn the
    user's saved change into an error: the job's sweep sends it later."""
    if not ids:
        return

    transaction.on_commit(lambda: send_jobs(task, [(pk,) for pk in ids]), robust=True)


def documents_sweep() -> dict:
    """Send again the builds queued or running for longer than STALE_AFTER (a lost job, a broker that was down)."""
    stale = GeneratedDocument.objects.filter(
        status__in=[DocumentStatus.QUEUED, DocumentStatus.RUNNING], requested_at__lt=timezone.now() - STALE_AFTER
    )
    ids = list(stale.values_list("pk", flat=True))
    GeneratedDocument.objects.filter(pk__in=ids).update(status=DocumentStatus.QUEUED, requested_at=timezone.now())
    with transaction.atomic():
        _enqueue(ids)
    return {"enqueued": len(ids)}


def documents_discard(*, decision: Decision) -> None:
    """A discarded draft's rows go with it; its files stay only if another row still points at them."""
    paths = list(decision.documents.exclude(path="").values_list("path", flat=True))
    decision.documents.all().delete()
    still_used = set(GeneratedDocument.objects.filter(path__in=paths).values_list("path", flat=True))
    for path in set(paths) - still_used:
        transaction.on_commit(lambda p=path: default_storage.delete(p))


def _stored(name: str) -> bool:
    return bool(name) and default_storage.exists(name)


def _progress(pk: int, fingerprint: str, progress: int) -> None:
    """Show a build's progress, unless a newer request or a finished build took the row meanwhile."""
    GeneratedDocument.objects.filter(pk=pk, fingerprint=fingerprint).exclude(status=DocumentStatus.READY).update(
        status=DocumentStatus.RUNNING, progress=progress
    )


def store_bytes(data: bytes, extension: str, *, directory: str = DOCUMENT_DIR) -> tuple[str, str]:
    """Store the bytes under their checksum (`directory`/ab/abc….ext) unless they are there already: the
    same bytes, one file. Returns the name and the checksum.

    Every storage writes a file whole or not at all (`uploads.AtomicFileSystemStorage`; an S3 PUT), so a file
    under this name of the right size holds these bytes, and a worker killed mid-write leaves none. Two
    builders of the same bytes at once: on the file system the second gets another name from `save` and
    drops it; on S3 both PUT the same bytes to the same key.
    """
    digest = hashlib.sha256(data).hexdigest()
    name = f"{directory}/{digest[:2]}/{digest}.{extension}"
    try:
        size = default_storage.size(name)
    except FileNotFoundError:
        size = None
    if size == len(data):
        return name, digest  # nothing new written
    if size is not None:
        log.warning("stored document %s has %s bytes instead of %s: written again", name, size, len(data))
        default_storage.delete(name)
    content = ContentFile(data, name=name)
    content.content_type = CONTENT_TYPE_BY_EXTENSION[extension]
    saved = default_storage.save(name, content)
    if saved != name:
        default_storage.delete(saved)  # another builder stored the same bytes meanwhile
    return name, digest


def document_build(document_id: int) -> str:
    """Build one document from the records as they are now; a no-op when its file is already there."""
    document = GeneratedDocument.objects.filter(pk=document_id).first()
    if document is None:
        return "gone"  # the draft was discarded
    if document.status == DocumentStatus.READY and _stored(document.path):
        return "ready"
    requested = document.fingerprint  # what was asked for; a newer request changes it
    _progress(document.pk, requested, 10)
    try:
        source = _sources(document)[document.kind]
        _progress(document.pk, requested, 30)
        data = source.render(source.content)
        _progress(document.pk, requested, 90)
        relative, digest = store_bytes(data, EXTENSIONS[document.kind])
    except Exception as error:
        log.exception("document %s failed", document_id)
        GeneratedDocument.objects.filter(pk=document_id, fingerprint=requested).update(
            status=DocumentStatus.FAILED, progress=0, error=f"{type(error).__name__}: {error}"[:2000]
        )
        return "failed"
    with transaction.atomic():
        current = GeneratedDocument.objects.select_for_update().filter(pk=document_id).first()
        if current is None or current.fingerprint not in (requested, source.fingerprint):
            return "superseded"  # a newer request came meanwhile: its job writes the file
        # The records may have moved on without a request (a unit renamed, a draft's date after midnight):
        # the file says what they say now, and its fingerprint follows.
        current.fingerprint, current.path, current.sha256, current.size = (
            source.fingerprint,
            relative,
            digest,
            len(data),
        )
        current.status, current.progress, current.error = DocumentStatus.READY, 100, ""
        current.built_at = timezone.now()
        current.save()
    return "built"


def document_open(document) -> File:
    """The stored file of a ready document or export, open for reading (the caller closes it); refuses
    anything but a name `store_bytes` generates. Raises FileNotFoundError while there is none."""
    if document.status != DocumentStatus.READY or not _STORED_RE.fullmatch(document.path or ""):
        raise FileNotFoundError(document.pk)
    return default_storage.open(document.path, "rb")


def dossier_docx(dossier) -> bytes:
    """The unit's tờ trình for a dossier, built on request (refused when it proposes nobody)."""
    return build_docx(submission_document(dossier_submission(dossier)))
