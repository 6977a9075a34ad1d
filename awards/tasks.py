"""Celery tasks. Tasks take ids, not objects, and must be idempotent (acks_late re-runs them)."""

from celery import shared_task
from django.utils import timezone


@shared_task(ignore_result=False)
def ping() -> dict:
    """Proves a worker is alive and configured: returns its clock and time zone."""
    return {"pong": True, "at": timezone.now().isoformat(), "timezone": str(timezone.get_current_timezone())}
