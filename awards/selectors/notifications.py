"""Reading notifications (a user's own, only) and the operations view of the queue and jobs."""

import datetime as dt
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max, QuerySet

from ..actor import Actor
from ..models import EmailStatus, JobRun, Notification, User
from ..models.notifications import EMBEDDED_LOOP
from ..permissions import Cap


def notifications_visible(user: User) -> QuerySet[Notification]:
    """The one rule for notifications: each user sees their own, nobody else's (administrators included)."""
    return Notification.objects.filter(recipient=user)


def unread_count(user: User) -> int:
    return notifications_visible(user).filter(read_at__isnull=True).count()


# Operations ------------------------------------------------------------------------------------------

QUEUES = ("celery", "emails", "documents")


@dataclass
class WorkerBeat:
    name: str
    at: dt.datetime
    stale: bool


@dataclass
class Health:
    embedded: bool
    broker_ok: bool
    broker_error: str
    workers: list[WorkerBeat]
    queues: dict[str, int]
    last_beat: dt.datetime | None
    jobs: list[JobRun]
    pending_emails: int
    pending_error: str  # the latest error among pending e-mails: a refusing or hanging server shows here
    failed_emails: int


def stale_after() -> float:
    return 4 * settings.WORKER_HEARTBEAT_SECONDS


def operations_check(actor: Actor) -> None:
    """The health page and the failed e-mails are the administrator's."""
    if not actor.can(Cap.VIEW_OPERATIONS):
        raise PermissionDenied


def health(*, actor: Actor) -> Health:
    """What the health page shows. Without Redis (the embedded default) the jobs run in-process."""
    operations_check(actor)
    from config.celery import HEARTBEAT_KEY

    workers, queues, broker_ok, broker_error = [], {}, True, ""
    embedded = not settings.REDIS_URL
    if not embedded:
        import redis

        try:
            client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
            client.ping()
            now = time.time()
            for key in sorted(client.scan_iter(match=HEARTBEAT_KEY + "*")):
                stamp = float(client.get(key) or 0)
                workers.append(
                    WorkerBeat(
                        name=key.decode()[len(HEARTBEAT_KEY) :],
                        at=dt.datetime.fromtimestamp(stamp, tz=dt.UTC),
                        stale=now - stamp > stale_after(),
                    )
                )
            # kombu keeps each queue as a list, with one more list per priority level if priorities are used
            for queue in QUEUES:
                queues[queue] = sum(client.llen(name) for name in (queue, *(f"{queue}\x06\x16{p}" for p in (3, 6, 9))))
        except redis.RedisError as error:
            broker_ok, broker_error = False, f"{type(error).__name__}: {error}"
    last_beat = _last_beat()
    return Health(
        embedded=embedded, broker_ok=broker_ok, broker_error=broker_error, workers=workers, queues=queues,
        last_beat=last_beat, jobs=list(JobRun.objects.order_by("name")),
        pending_emails=Notification.objects.filter(email_status=EmailStatus.PENDING).count(),
        pending_error=Notification.objects.filter(email_status=EmailStatus.PENDING)
        .exclude(email_error="")
        .order_by("-email_next_try_at")
        .values_list("email_error", flat=True)
        .first()
        or "",
        failed_emails=Notification.objects.filter(email_status=EmailStatus.FAILED).count(),
    )  # fmt: skip


def _last_beat() -> dt.datetime | None:
    """When beat last sent a job (django-celery-beat records it), or the embedded loop last ran."""
    from django_celery_beat.models import PeriodicTask

    sent = PeriodicTask.objects.aggregate(at=Max("last_run_at"))["at"]
    loop = JobRun.objects.filter(name=EMBEDDED_LOOP).values_list("finished_at", flat=True).first()
    found = [t for t in (sent, loop) if t]
    return max(found) if found else None


def failed_emails(*, actor: Actor) -> QuerySet[Notification]:
    operations_check(actor)
    return (
        Notification.objects.filter(email_status=EmailStatus.FAILED)
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )
