"""Handing jobs to the broker from a request, after its commit: bounded, and never failing the saved change.

Every job TĐKT queues is also found later by its sweep (documents, exports, e-mails: docs/deployment.md), so a
job that cannot be handed over now is not lost. What must not happen is a request held by a broker that does not
answer (Redis frozen, a network dropping packets): the broker's sockets time out (`socket_timeout` in
CELERY_BROKER_TRANSPORT_OPTIONS), a publish is retried once, and after a failure this process sends nothing for
BROKER_PAUSE seconds — one timeout per process, not one per job. The sweeps send what was skipped.
"""

import logging
import time
from collections.abc import Iterable, Sequence

from celery import current_app

log = logging.getLogger(__name__)

BROKER_PAUSE = 30.0  # seconds without sending after the broker failed (the sweeps run every 5–10 minutes)
RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
_paused_until = 0.0


def send_jobs(task, calls: Iterable[Sequence]) -> int:
    """Send `task(*args)` for each args of `calls`; returns how many were handed over. On the embedded default
    (eager, no broker) the task runs here and its errors are its own."""
    global _paused_until
    calls = list(calls)
    if current_app.conf.task_always_eager:
        for args in calls:
            task.apply_async(args=list(args))
        return len(calls)
    if time.monotonic() < _paused_until:
        log.warning("broker paused after a failure: %s %s job(s) left to its sweep", len(calls), task.name)
        return 0
    for sent, args in enumerate(calls):
        try:
            task.apply_async(args=list(args), retry=True, retry_policy=RETRY_POLICY)
        except Exception:  # noqa: BLE001 — any failure to hand over: the sweep sends it later
            _paused_until = time.monotonic() + BROKER_PAUSE
            log.exception("broker unreachable: %s %s job(s) left to its sweep", len(calls) - sent, task.name)
            return sent
    return len(calls)
