"""Celery tasks. Tasks take ids, not objects, and must be idempotent (acks_late re-runs them).

The periodic jobs are plain functions in `awards.services`; these wrappers record each run (`JobRun`)
for the health page. Beat sends them on a Redis setup; `manage.py run_periodic_jobs` calls the same
wrappers in-process on the embedded default.
"""

import logging
import traceback

from celery import shared_task
from django.utils import timezone

from . import audit
from .models import JobRun
from .services import admin_imports, deadlines, documents, exports, imports, notifications, reorganisations

log = logging.getLogger(__name__)


@shared_task(ignore_result=False)
def ping() -> dict:
    """Proves a worker is alive and configured: returns its clock and time zone."""
    return {"pong": True, "at": timezone.now().isoformat(), "timezone": str(timezone.get_current_timezone())}


@shared_task
def deliver_emails(notification_ids: list[int]) -> dict:
    """Send these notifications' e-mails (those still pending); safe to run twice."""
    return notifications.email_deliver(notification_ids)


@shared_task
def build_document(document_id: int) -> str:
    """Generate one decision or hand-off document (queue "documents"); safe to run twice."""
    return documents.document_build(document_id)


@shared_task
def build_export(export_id: int) -> str:
    """Build one export larger than a page (queue "documents"); safe to run twice."""
    return exports.export_build(export_id)


@shared_task
def run_import(import_id: int) -> str:
    """Create the confirmed rows of a nominee import (queue "documents"); safe to run twice."""
    return imports.import_run(import_id)


def _recorded(name: str, job) -> dict:
    run, _created = JobRun.objects.get_or_create(name=name, defaults={"started_at": timezone.now()})
    run.started_at, run.finished_at, run.error = timezone.now(), None, ""
    run.save(update_fields=["started_at", "finished_at", "error"])
    try:
        result = job()
    except Exception:
        run.error = traceback.format_exc()[-4000:]
        run.finished_at = timezone.now()
        run.save(update_fields=["error", "finished_at"])
        raise
    run.result = result if isinstance(result, dict) else {"count": result}
    run.finished_at = timezone.now()
    run.save(update_fields=["result", "finished_at"])
    return run.result


@shared_task
def campaign_reminders() -> dict:
    return _recorded("campaign_reminders", deadlines.campaign_reminders)


@shared_task
def escalate_late_steps() -> dict:
    return _recorded("escalate_late_steps", deadlines.escalate_late_steps)


@shared_task
def documents_sweep() -> dict:
    """Send again the document builds whose job was lost (a broker down at commit, a worker gone)."""
    return _recorded("documents_sweep", documents.documents_sweep)


@shared_task
def exports_sweep() -> dict:
    """Delete the exports older than a week with their files; send again the builds whose job was lost."""
    return _recorded("exports_sweep", exports.exports_sweep)


@shared_task
def imports_sweep() -> dict:
    """Send again the imports whose job was lost; delete week-old import files and rows (personal data), the
    administrator's imports' rows too."""

    def sweep() -> dict:
        return {**imports.imports_sweep(), "admin": admin_imports.admin_imports_sweep()}

    return _recorded("imports_sweep", sweep)


@shared_task
def email_sweep() -> dict:
    """Hand the e-mails whose attempt is due (new ones whose job was lost, retries) to delivery jobs."""

    def sweep() -> dict:
        due = notifications.email_claim_due()
        notifications.email_enqueue(due)
        return {"enqueued": len(due)}

    return _recorded("email_sweep", sweep)


@shared_task
def audit_seal() -> dict:
    """Seal the audit rows committed since the last run, in id order (awards.audit; one sealer at a time)."""
    return _recorded("audit_seal", audit.audit_seal)


@shared_task
def audit_refusals() -> dict:
    """Write the refused accesses of the hours that have closed: one audit row per user, object and hour."""
    return _recorded("audit_refusals", audit.refusals_record)


@shared_task
def reorganisations_due() -> dict:
    """Apply the waiting part (names, parents, open files) of the reorganisations whose date has come."""
    return _recorded("reorganisations_due", reorganisations.reorganisations_due)
