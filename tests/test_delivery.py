"""E-mail delivery on a real Celery worker, Redis and SMTP server: each message arrives once, whatever fails.

The worker is a subprocess (`celery -A config worker`, prefork, one child) on the test database, so these
tests commit their data (`transaction=True`); it sends to a local SMTP sink (tests/smtp_sink.py) that
counts what it accepts and can refuse, bounce or hang. Each xdist process has its own Redis database
(TEST_REDIS_URL's number minus the worker index); the restart test has a private Redis of its own.
"""

import datetime as dt
import re
import subprocess
import time
import zoneinfo
from collections import Counter
from pathlib import Path

import pytest
import redis
from django.core import mail
from django.test import Client
from django.utils import timezone

from awards.models import (
    EmailStatus,
    JobRun,
    Membership,
    Notification,
    NotificationKind,
    Role,
    Unit,
    UnitKind,
    User,
)
from awards.services.notifications import SWEEP_GRACE, Message, email_claim_due, email_deliver, notify
from awards.text import person_sort_key, sort_key
from tests.conftest import build_campaign
from tests.factories import UserFactory
from tests.smtp_sink import SmtpSink, free_port
from tests.workers import Worker, run_job, send_tasks, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# No persona's unit is of this kind: only the units a test builds take part in its campaign.
KIND = UnitKind.EDUCATION
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


# Redis, the worker, the sink ---------------------------------------------------------------------------


@pytest.fixture
def sink():
    with SmtpSink() as running:
        yield running


@pytest.fixture
def start_worker(transactional_db, tmp_path):
    """Start workers (stopped before the database is emptied after the test)."""
    started: list[Worker] = []

    def start(*, broker: str, sink: SmtpSink, email_timeout: int = 2) -> Worker:
        env = {"EMAIL_HOST": sink.host, "EMAIL_PORT": str(sink.port), "EMAIL_TIMEOUT": str(email_timeout),
               "EMAIL_BACKEND": SMTP_BACKEND, "WORKER_HEARTBEAT_SECONDS": "1"}  # fmt: skip
        worker = Worker(broker=broker, env=env, log=tmp_path / f"worker{len(started)}.log")
        started.append(worker)
        return worker.wait_ready()

    yield start
    for worker in started:
        worker.stop()


def queued(broker: str) -> dict[str, int]:
    client = redis.Redis.from_url(broker)
    try:
        return {queue: client.llen(queue) for queue in ("celery", "emails")}
    finally:
        client.close()


# Data ---------------------------------------------------------------------------------------------------


def campaign_due_in_3_days(org):
    """The report is due in 3 days: the "before-3" reminder of 7,3,1 is due today."""
    today = timezone.localdate()
    return build_campaign(
        org, plan_date=today - dt.timedelta(days=30), reminder_days="7,3,1", participant_kinds=[KIND],
        report_deadline=dt.datetime.combine(today + dt.timedelta(days=3), dt.time(17), tzinfo=TZ),
    )  # fmt: skip


def units_with_officers(count: int, *, prefix: str) -> list[User]:
    """`count` participating units, each with one unit officer with an e-mail address; the officers."""
    names = [f"Trường thử nghiệm {prefix} {n}" for n in range(count)]
    units = Unit.objects.bulk_create(
        Unit(code=f"{prefix}-{n:05d}", name=name, kind=KIND, sort_key=sort_key(name)) for n, name in enumerate(names)
    )
    people = [f"Cán bộ {prefix} {n}" for n in range(count)]
    users = User.objects.bulk_create(
        User(username=f"{prefix.lower()}{n}", full_name=person, sort_key=person_sort_key(person), password="!",
             email=f"{prefix.lower()}{n}@truong.example")
        for n, person in enumerate(people)
    )  # fmt: skip
    Membership.objects.bulk_create(
        Membership(user=user, unit=unit, role=Role.UNIT_OFFICER) for user, unit in zip(users, units, strict=True)
    )
    return users


def reminder_of(user: User) -> Notification | None:
    return Notification.objects.filter(recipient=user, kind=NotificationKind.DEADLINE).first()


def pending() -> int:
    return Notification.objects.filter(email_status=EmailStatus.PENDING).count()


def recovered_once(*, officer: User, sink: SmtpSink, broker: str, worker: Worker) -> None:
    """The server is well again and the back-off has passed: the sweeper sends the e-mail, once."""
    sink.behave("normal")
    Notification.objects.filter(recipient=officer).update(email_next_try_at=timezone.now())  # time passes
    assert run_job(broker, "email_sweep", worker) == {"enqueued": 1}
    row = wait_until(
        lambda: Notification.objects.filter(recipient=officer, email_status=EmailStatus.SENT).first(),
        timeout=30, what="the e-mail to be sent after recovery", worker=worker,
    )  # fmt: skip
    assert row.email_attempts == 2 and row.email_next_try_at is None
    assert sink.count(officer.email) == 1 and sink.count() == 1
    assert run_job(broker, "email_sweep", worker) == {"enqueued": 0}  # nothing is due any more
    assert sink.count() == 1


# Fan-out ------------------------------------------------------------------------------------------------


def test_reminders_to_2000_units_reach_each_officer_once_and_a_second_run_sends_nothing(
    org, sink, redis_url, start_worker
):
    campaign = campaign_due_in_3_days(org)
    officers = units_with_officers(2000, prefix="FAN")
    worker = start_worker(broker=redis_url, sink=sink)

    send_tasks(redis_url, [("awards.tasks.campaign_reminders", [])])  # the worker does the whole job
    wait_until(lambda: sink.count() >= 2000 and JobRun.objects.filter(finished_at__isnull=False).exists()
               and pending() == 0, timeout=120, what="2,000 e-mails and no pending one", worker=worker)  # fmt: skip

    received = Counter(sink.recipients())
    assert sum(received.values()) == 2000 and len(received) == 2000  # one message each, no duplicate
    assert set(received) == {officer.email for officer in officers}
    subject = f"[TĐKT] Còn 3 ngày đến hạn gửi báo cáo: Kế hoạch {campaign.plan_reference}"
    assert {m.subject for m in sink.messages} == {subject}
    rows = Notification.objects.filter(kind=NotificationKind.DEADLINE)
    assert rows.count() == 2000
    assert set(rows.values_list("email_status", flat=True)) == {EmailStatus.SENT}
    assert {m.message_id for m in sink.messages} == {f"<notification-{pk}@tdkt>" for pk in rows.values_list("pk", flat=True)}  # fmt: skip
    first = JobRun.objects.get(name="campaign_reminders")
    assert (first.result["units"], first.result["written"]) == (2000, 2000)

    assert run_job(redis_url, "campaign_reminders", worker)["written"] == 0  # the same day again
    time.sleep(2)  # what a second run would have enqueued has had time to go out
    assert queued(redis_url) == {"celery": 0, "emails": 0}
    assert sink.count() == 2000 and pending() == 0


# Failures -----------------------------------------------------------------------------------------------


def test_a_worker_killed_while_sending_leaves_the_email_to_the_redelivered_job_and_it_arrives_once(
    org, sink, redis_url, start_worker
):
    campaign_due_in_3_days(org)
    [officer] = units_with_officers(1, prefix="KILL")
    sink.behave("hang_once_then_normal", seconds=40)  # the first client is held at RCPT until released
    worker = start_worker(broker=redis_url, sink=sink, email_timeout=30)  # it would wait longer than the hang

    send_tasks(redis_url, [("awards.tasks.campaign_reminders", [])])
    sink.wait_hanging(timeout=30)
    killed = worker.kill_pool_child()  # mid-send: row locked, transaction open, SMTP at RCPT
    sink.release()

    row = wait_until(
        lambda: Notification.objects.filter(recipient=officer, email_status=EmailStatus.SENT).first(),
        timeout=30, what="the redelivered job to send the e-mail", worker=worker,
    )  # fmt: skip
    assert row.email_attempts == 1  # the killed attempt was rolled back with its transaction
    assert sink.count(officer.email) == 1 and sink.events("held") == 1
    assert killed not in worker.pool_children() and worker.process.poll() is None  # a new child took over
    assert "SIGKILL" in worker.output()
    time.sleep(1)
    assert sink.count() == 1 and queued(redis_url) == {"celery": 0, "emails": 0}


def test_a_421_leaves_the_email_pending_with_its_error_and_the_sweeper_sends_it_once_recovered(
    org, sink, redis_url, start_worker
):
    campaign_due_in_3_days(org)
    [officer] = units_with_officers(1, prefix="BUSY")
    sink.behave("refuse_421")
    worker = start_worker(broker=redis_url, sink=sink)

    run_job(redis_url, "campaign_reminders", worker)
    row = wait_until(lambda: Notification.objects.filter(recipient=officer, email_attempts=1).first(),
                     timeout=30, what="the first delivery attempt", worker=worker)  # fmt: skip
    assert row.email_status == EmailStatus.PENDING and "421" in row.email_error
    assert row.email_next_try_at > timezone.now()  # it backs off
    assert sink.events("refused") == 1 and sink.count() == 0
    recovered_once(officer=officer, sink=sink, broker=redis_url, worker=worker)


def test_an_smtp_server_that_hangs_times_out_leaves_the_email_pending_and_it_is_sent_once_later(
    org, sink, redis_url, start_worker
):
    campaign_due_in_3_days(org)
    [officer] = units_with_officers(1, prefix="HANG")
    sink.behave("hang", seconds=10)  # longer than EMAIL_TIMEOUT=2
    worker = start_worker(broker=redis_url, sink=sink, email_timeout=2)

    started = time.monotonic()
    run_job(redis_url, "campaign_reminders", worker)
    row = wait_until(lambda: Notification.objects.filter(recipient=officer, email_attempts=1).first(),
                     timeout=30, what="the first delivery attempt to time out", worker=worker)  # fmt: skip
    assert time.monotonic() - started < 9  # given up after the client's timeout, not the server's hang
    assert row.email_status == EmailStatus.PENDING and "timed out" in row.email_error
    assert row.email_next_try_at > timezone.now()
    assert sink.events("held") == 1 and sink.count() == 0
    recovered_once(officer=officer, sink=sink, broker=redis_url, worker=worker)


def test_a_bounce_fails_for_good_is_listed_for_the_administrator_and_their_retry_sends_it_once(
    org, sink, redis_url, start_worker, settings
):
    campaign_due_in_3_days(org)
    bounced, delivered = units_with_officers(2, prefix="BOUNCE")
    sink.behave("reject_rcpt_550", address=bounced.email)
    worker = start_worker(broker=redis_url, sink=sink)

    run_job(redis_url, "campaign_reminders", worker)
    wait_until(lambda: not Notification.objects.filter(email_status=EmailStatus.PENDING).exists()
               and Notification.objects.count() == 2, timeout=30, what="both e-mails to be settled", worker=worker)  # fmt: skip
    row = reminder_of(bounced)
    assert row.email_status == EmailStatus.FAILED and "550" in row.email_error
    assert row.email_attempts == 1 and row.email_next_try_at is None
    assert reminder_of(delivered).email_status == EmailStatus.SENT
    assert sink.count(delivered.email) == 1 and sink.count(bounced.email) == 0
    assert run_job(redis_url, "email_sweep", worker) == {"enqueued": 0}  # a bounce is not retried
    assert sink.events("bounced") == 1

    admin = org.client("admin")
    listed = failed_table(admin.get("/operations/emails/"))
    assert bounced.email in listed and "550" in listed and f'value="{row.pk}"' in listed
    assert delivered.email not in listed

    # The mailbox exists now. The test process runs Celery eagerly (no REDIS_URL), so the retry's job runs
    # here after the POST commits: give this process the same SMTP server the worker uses.
    sink.behave("normal")
    settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = SMTP_BACKEND, sink.host, sink.port
    settings.EMAIL_TIMEOUT = 5
    response = admin.post("/operations/emails/", {"id": [row.pk]})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.email_status == EmailStatus.SENT and row.email_attempts == 1
    assert sink.count(bounced.email) == 1 and sink.count() == 2
    assert f'value="{row.pk}"' not in failed_table(admin.get("/operations/emails/"))
    assert run_job(redis_url, "email_sweep", worker) == {"enqueued": 0}
    assert sink.count() == 2


def failed_table(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    found = re.search(r'<table[^>]*data-testid="failed-emails".*?</table>', html, re.S)
    assert found, "the failed e-mails table is missing"
    return found.group(0)


@pytest.mark.django_db  # no worker: the test process sends, through the same SMTP server
def test_a_user_without_an_address_gets_the_notification_in_the_app_and_no_email(
    org, sink, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = SMTP_BACKEND, sink.host, sink.port
    nobody = UserFactory(username="khong_thu", full_name="Trần Văn Không Thư", email="")
    somebody = org.users["officer_a"]
    messages = [Message(recipient=user, kind=NotificationKind.DEADLINE, key="deadline:test", subject="Nhắc hạn nộp báo cáo",
                        url="/campaigns/") for user in (nobody, somebody)]  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(messages) == 2  # both written; one to e-mail

    assert Notification.objects.filter(dedupe_key="deadline:test").count() == 2
    row = Notification.objects.get(recipient=nobody)
    assert row.email_status == EmailStatus.NOT_SENT == "none"
    assert (row.email_attempts, row.email_error, row.email_next_try_at) == (0, "", None)
    assert reminder_of(somebody).email_status == EmailStatus.SENT
    assert sink.recipients() == [somebody.email]  # the sink listens: nothing came for the user without address
    assert mail.outbox == []
    client = Client()
    client.force_login(nobody)
    page = client.get("/notifications/")
    assert page.status_code == 200 and "Nhắc hạn nộp báo cáo" in page.content.decode()


@pytest.mark.django_db  # no worker: the test process sends, through the same SMTP server
def test_a_server_that_refuses_holds_back_the_whole_batch_and_the_sweeper_does_not_hand_it_out_again(
    org, sink, settings
):
    settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = SMTP_BACKEND, sink.host, sink.port
    sink.behave("refuse_421")
    people = [org.users[p] for p in ("officer_a", "head_a", "officer_b", "head_b")]
    notify(Message(recipient=user, kind=NotificationKind.DEADLINE, key="batch", subject="Nhắc hạn") for user in people)
    ids = list(Notification.objects.order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    Notification.objects.filter(pk__in=ids[:3]).update(email_next_try_at=now)  # due: the sweeper's batch
    Notification.objects.filter(pk=ids[3]).update(email_next_try_at=now + dt.timedelta(hours=1))  # backing off
    assert email_deliver(ids) == {"sent": 0, "failed": 0, "deferred": 4, "skipped": 0}
    rows = list(Notification.objects.order_by("pk"))
    assert [r.email_attempts for r in rows] == [1, 0, 0, 0] and sink.events("refused") == 1  # one try, not four
    tried = rows[0].email_next_try_at
    assert tried > now and [r.email_next_try_at for r in rows[1:3]] == [tried, tried]  # the rest wait as long
    assert rows[3].email_next_try_at == now + dt.timedelta(hours=1)  # never moved earlier
    assert email_claim_due() == []  # the sweeper leaves them alone until then
    later = tried + dt.timedelta(seconds=1)
    assert email_claim_due(now=later) == ids[:3]
    assert email_claim_due(now=later) == []  # handed out once: leased, not handed out again next minute
    sink.behave("normal")
    assert email_deliver(ids)["sent"] == 4
    assert sink.count() == 4 and set(Notification.objects.values_list("email_error", flat=True)) == {""}


# Redis restart ------------------------------------------------------------------------------------------


class PrivateRedis:
    """redis-server on a free port with an append-only file in `directory` (never the shared server)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self._log = open(directory / "redis.log", "a")  # noqa: SIM115 - closed in close()

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--appendonly", "yes",
             "--appendfsync", "always", "--dir", str(self.directory), "--save", ""],
            stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until(self._ping, timeout=15, what=f"redis-server on port {self.port}")

    def _ping(self) -> bool:
        try:
            with redis.Redis(port=self.port, socket_timeout=1) as client:
                return client.ping()
        except redis.ConnectionError:
            return False

    def shutdown(self) -> None:
        """`redis-cli shutdown`: with AOF the queue is on disk when it exits."""
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown"], check=False, capture_output=True, timeout=15)
        self.process.wait(timeout=15)

    def length(self, queue: str) -> int:
        with redis.Redis(port=self.port) as client:
            return client.llen(queue)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self._log.close()


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.close()


def test_queued_delivery_jobs_survive_a_redis_restart_with_aof_and_each_email_arrives_once(
    org, sink, private_redis, start_worker
):
    people = [f"Người nhận {n}" for n in range(50)]
    users = User.objects.bulk_create(
        User(username=f"aof{n}", full_name=p, sort_key=person_sort_key(p), email=f"aof{n}@tdkt.example", password="!")
        for n, p in enumerate(people)
    )  # fmt: skip
    now = timezone.now()
    rows = Notification.objects.bulk_create(  # what `notify` writes; its after-commit hand-off is replayed below
        Notification(recipient=user, kind=NotificationKind.DEADLINE, dedupe_key=f"aof:{user.pk}",
                     subject="Nhắc hạn nộp báo cáo", email_status=EmailStatus.PENDING,
                     email_next_try_at=now + SWEEP_GRACE)
        for user in users
    )  # fmt: skip
    send_tasks(private_redis.url, [("awards.tasks.deliver_emails", [[row.pk]]) for row in rows])  # no worker yet
    assert private_redis.length("emails") == 50

    private_redis.shutdown()
    private_redis.start()
    assert private_redis.length("emails") == 50  # read back from the append-only file

    worker = start_worker(broker=private_redis.url, sink=sink)
    wait_until(lambda: sink.count() >= 50 and pending() == 0, timeout=60, what="50 e-mails", worker=worker)
    time.sleep(1)
    received = Counter(sink.recipients())
    assert len(received) == 50 and set(received.values()) == {1}
    assert set(received) == {user.email for user in users}
    assert Notification.objects.filter(email_status=EmailStatus.SENT).count() == 50
    assert private_redis.length("emails") == 0


# Health page --------------------------------------------------------------------------------------------


def worker_row(client, name: str) -> str:
    response = client.get("/operations/health/")
    assert response.status_code == 200
    table = re.search(r'<table[^>]*data-testid="health-workers".*?</table>', response.content.decode(), re.S)
    assert table, "the workers table is missing from the health page"
    return next((row for row in re.findall(r"<tr>.*?</tr>", table.group(0), re.S) if f"{name}@" in row), "")


def test_the_health_page_shows_a_live_worker_and_then_a_killed_one_as_stale(
    org, sink, redis_url, start_worker, settings
):
    settings.REDIS_URL, settings.WORKER_HEARTBEAT_SECONDS = redis_url, 1  # this process reads the heartbeats
    worker = start_worker(broker=redis_url, sink=sink)
    admin = org.client("admin")

    row = wait_until(lambda: worker_row(admin, worker.name), timeout=15, what="the worker's heartbeat", worker=worker)
    assert "health-ok" in row and "health-bad" not in row

    worker.kill()  # SIGKILL: no goodbye, the heartbeats just stop
    killed_at = time.monotonic()
    row = wait_until(lambda: "health-bad" in worker_row(admin, worker.name) and worker_row(admin, worker.name),
                     timeout=20, what="the killed worker to show as stale")  # fmt: skip
    assert "health-ok" not in row
    assert time.monotonic() - killed_at > 2  # stale after 4 missed heartbeats, not at once
