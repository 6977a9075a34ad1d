"""Probes for load balancers and orchestrators: unauthenticated, JSON, no session, no translation.

`/healthz` says the process answers (no database: a database outage must not restart every web process);
`/readyz` says this node can serve: the database answers with every migration applied, Redis answers
when it is configured, and the default storage takes a write and gives it back. A failed check answers
503 and names the check; the error's class is shown, its text only logged (it may name hosts).
The staff page with workers and e-mails is `operations/health/`.
"""

import logging
import time
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger("tdkt.health")

# Set once the plan was found empty: a running process's migrations cannot change under it, and building
# the migration graph on every probe would make the probe the most expensive request.
_migrations_applied = False


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


# An unauthenticated probe must not be a way to load the node: each process answers from its last result
# for this long, and writes its storage probe file at most this often (docs/deployment.md also limits the
# path to the balancers' network).
ANSWER_SECONDS = 10
STORAGE_SECONDS = 60
_last_answer: tuple[float, dict, int] | None = None
_storage_checked_at = 0.0


@login_not_required
@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    global _last_answer, _storage_checked_at
    now = time.monotonic()
    if _last_answer is not None and now - _last_answer[0] < ANSWER_SECONDS:
        return JsonResponse(_last_answer[1], status=_last_answer[2])
    checks: dict[str, str] = {}
    queues: dict[str, int] = {}
    checks["database"] = _check("database", _database)
    checks["migrations"] = _check("migrations", _migrations) if checks["database"] == "ok" else "skipped"
    if settings.REDIS_URL:
        checks["redis"] = _check("redis", lambda: queues.update(_queue_depths()))
    if now - _storage_checked_at >= STORAGE_SECONDS or _last_answer is None or _last_answer[2] != 200:
        checks["storage"] = _check("storage", _storage)
        if checks["storage"] == "ok":
            _storage_checked_at = now
    else:
        checks["storage"] = "ok"  # written and read back less than a minute ago
    ready = all(result in {"ok", "skipped"} for result in checks.values())
    body = {"status": "ok" if ready else "fail", "checks": checks, "queues": queues}
    _last_answer = (now, body, 200 if ready else 503)
    return JsonResponse(body, status=200 if ready else 503)


def _check(name: str, probe) -> str:
    try:
        probe()
    except Exception as error:  # any failure means "not ready", whatever raised it
        log.warning("readiness check %s failed: %s: %s", name, type(error).__name__, error)
        return f"fail: {type(error).__name__}"
    return "ok"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _migrations() -> None:
    global _migrations_applied
    if _migrations_applied:
        return
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migrations not applied")
    _migrations_applied = True


def _queue_depths() -> dict[str, int]:
    """Jobs waiting in each Celery queue (the queues of CELERY_TASK_ROUTES and the default one): one round
    trip. Also proves Redis answers."""
    import redis

    names = sorted({"celery", *(route["queue"] for route in settings.CELERY_TASK_ROUTES.values())})
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    with client.pipeline(transaction=False) as pipe:
        for name in names:
            pipe.llen(name)
        return dict(zip(names, pipe.execute(), strict=True))


def _storage() -> None:
    """Write, read back and delete a small file: a read-only or unmounted share fails here, not on the
    first upload."""
    payload = uuid.uuid4().hex.encode()
    name = default_storage.save(f"readyz/{payload.decode()}.txt", ContentFile(payload))
    try:
        with default_storage.open(name, "rb") as stored:
            if stored.read() != payload:
                raise OSError("the file read back differs from the file written")
    finally:
        default_storage.delete(name)
