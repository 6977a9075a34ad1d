"""Reminder fan-out: 10,000 units' officers reminded by e-mail through Redis, a real worker and SMTP.

Builds 10,000 participating units, each with one unit officer who has an e-mail address, and a campaign
whose report is due in 3 days (today's "before-3" reminder of 7,3,1). Starts a real Celery worker
(`celery -A config worker`, as `make worker` does) on a flushed Redis database and a local SMTP sink
(tests/smtp_sink.py), sends `awards.tasks.campaign_reminders` and measures the wall time until every
e-mail has arrived. Prints reminders per second, the duplicates (messages received minus distinct
recipients), the messages a second run the same day adds (must be 0), and a floor measured in the same
run: the same 10,000 messages, rendered beforehand, sent by plain smtplib over one connection to the same
sink from another process; then the ratio of the two.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tdkt .venv/bin/python bench/fanout.py \\
        [--units 10000] [--redis redis://127.0.0.1:6379/13] [--concurrency 2]

It creates (and drops afterwards) a throw-away test database next to DATABASE_URL's, and empties the
Redis database it is given (13 by default: not the tests' 15 and 14).
"""

import argparse
import contextlib
import os
import pickle
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def floor_client(path: str, host: str, port: int) -> None:
    """The floor, run in its own process: send pre-rendered messages over one SMTP connection."""
    with open(path, "rb") as f:
        messages = pickle.load(f)  # our own file, written a moment ago
    started = time.perf_counter()
    with smtplib.SMTP(host, port, timeout=20) as smtp:
        for sender, recipients, data in messages:
            smtp.sendmail(sender, recipients, data)
    print(f"{time.perf_counter() - started:.6f}")


if __name__ == "__main__" and sys.argv[1:2] == ["--floor-client"]:
    floor_client(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    sys.exit(0)

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402


def wait_until(predicate, *, timeout: float, what: str, worker: subprocess.Popen | None = None,
               log: Path | None = None, every: float = 0.05):  # fmt: skip
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if (worker is not None and worker.poll() is not None) or time.monotonic() > deadline:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:]) if log else ""
            sys.exit(f"gave up waiting for {what} after {timeout:.0f} s\n{tail}")
        time.sleep(every)


def build(units: int):
    """The test province (personas), a campaign due in 3 days for education institutions, and `units`
    such institutions with one officer each; returns the campaign and the officers' addresses."""
    import datetime as dt
    import zoneinfo

    from django.utils import timezone

    from awards.models import Membership, Role, Unit, UnitKind, User
    from awards.text import person_sort_key, sort_key
    from tests.conftest import build_campaign, build_org

    today = timezone.localdate()
    campaign = build_campaign(
        build_org(), plan_date=today - dt.timedelta(days=30), reminder_days="7,3,1",
        participant_kinds=[UnitKind.EDUCATION],
        report_deadline=dt.datetime.combine(today + dt.timedelta(days=3), dt.time(17),
                                            tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")),
    )  # fmt: skip
    names = [f"Trường Trung học cơ sở số {n}" for n in range(units)]
    created = Unit.objects.bulk_create(
        (Unit(code=f"TH-{n:05d}", name=name, kind=UnitKind.EDUCATION, sort_key=sort_key(name))
         for n, name in enumerate(names)), batch_size=2000,
    )  # fmt: skip
    people = [f"Nguyễn Thị Cán Bộ {n}" for n in range(units)]
    users = User.objects.bulk_create(
        (User(username=f"canbo{n}", full_name=p, sort_key=person_sort_key(p), email=f"canbo{n}@truong.example",
              password="!") for n, p in enumerate(people)), batch_size=2000,
    )  # fmt: skip
    Membership.objects.bulk_create(
        (Membership(user=u, unit=unit, role=Role.UNIT_OFFICER) for u, unit in zip(users, created, strict=True)),
        batch_size=2000,
    )
    return campaign, {u.email for u in users}


def start_worker(broker: str, sink, concurrency: int, log: Path) -> subprocess.Popen:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    env = {
        **os.environ, "REDIS_URL": broker, "DEBUG": "1", "EMAIL_HOST": sink.host, "EMAIL_PORT": str(sink.port),
        "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}{password}@{db['HOST'] or '127.0.0.1'}:"
                        f"{db['PORT'] or 5432}/{db['NAME']}",
    }  # fmt: skip
    env.pop("EMAIL_BACKEND", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "celery,emails", "--pool=prefork",
         f"--concurrency={concurrency}", "--loglevel=INFO", "--without-gossip", "--without-mingle",
         "-n", f"bench-fanout-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    return process


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # a pool child left behind


def send(broker: str, name: str) -> None:
    from celery import Celery

    client = Celery(broker=broker, set_as_current=False)
    try:
        client.send_task(name, queue="celery")
    finally:
        client.close()


def job_finished(after) -> object:
    from awards.models import JobRun

    run = JobRun.objects.filter(name="campaign_reminders").first()
    return run if run and run.finished_at and (after is None or run.finished_at > after) else None


def floor(sink, count: int) -> float:
    """Seconds for the same messages by plain smtplib, one connection, from another process."""
    from django.conf import settings

    from awards.models import Notification
    from awards.services.notifications import _email

    rows = Notification.objects.select_related("recipient").order_by("pk")[:count]
    messages = [(settings.DEFAULT_FROM_EMAIL, [row.recipient.email], _email(row).message().as_bytes())
                for row in rows]  # fmt: skip
    with tempfile.NamedTemporaryFile(suffix=".pickle", delete=False) as f:
        pickle.dump(messages, f)
    try:
        before = sink.count()
        out = subprocess.run(
            [sys.executable, __file__, "--floor-client", f.name, sink.host, str(sink.port)],
            check=True, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        wait_until(lambda: sink.count() - before >= len(messages), timeout=30, what="the floor's messages")
        return float(out.stdout.strip().splitlines()[-1])
    finally:
        os.unlink(f.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10000)
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"))
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 1,
                        help="worker processes (default: the CPU count, as `make worker` gets)")  # fmt: skip
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL.")
    import redis

    from awards.models import EmailStatus, Notification
    from tests.smtp_sink import SmtpSink

    with redis.Redis.from_url(args.redis) as client:
        client.flushdb()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = "test_tdkt_bench_fanout"  # not the tests' database
    old = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    log = Path(tempfile.mkstemp(prefix="bench-fanout-worker-", suffix=".log")[1])
    worker = None
    try:
        started = time.perf_counter()
        campaign, addresses = build(args.units)
        print(f"data: {args.units} participating units with one officer each (e-mail), a campaign due in 3 days; "
              f"built in {time.perf_counter() - started:.1f} s")  # fmt: skip
        with SmtpSink() as sink:
            worker = start_worker(args.redis, sink, args.concurrency, log)
            wait_until(lambda: " ready." in log.read_text(errors="replace"), timeout=60,
                       what="the worker to start", worker=worker, log=log)  # fmt: skip
            print(f"worker: prefork, concurrency {args.concurrency}, Redis {args.redis}; "
                  f"SMTP sink on {sink.host}:{sink.port}")  # fmt: skip

            def pending() -> int:
                return Notification.objects.filter(email_status=EmailStatus.PENDING).count()

            started = time.perf_counter()
            send(args.redis, "awards.tasks.campaign_reminders")
            first = wait_until(lambda: job_finished(None), timeout=600, what="the reminder job", worker=worker, log=log,
                               every=0.2)  # fmt: skip
            job_seconds = time.perf_counter() - started
            # Poll lightly: the sink shares this process (and its GIL) with the polling.
            wait_until(lambda: sink.count() >= args.units, timeout=1800, what=f"{args.units} e-mails",
                       worker=worker, log=log, every=0.2)  # fmt: skip
            seconds = time.perf_counter() - started
            wait_until(lambda: pending() == 0, timeout=60, what="no pending e-mail", worker=worker, log=log)
            received = sink.recipients()
            distinct = set(received)
            print(f"reminder job (writes {first.result['written']} notifications, enqueues "
                  f"{-(-first.result['written'] // 50)} delivery jobs of 50): {job_seconds:.1f} s")  # fmt: skip
            print(f"all {len(distinct)} e-mails arrived after {seconds:.1f} s: {args.units / seconds:.0f} reminders/s")
            print(f"duplicates (messages received - distinct recipients): {len(received) - len(distinct)}; "
                  f"missing recipients: {len(addresses - distinct)}")  # fmt: skip

            before = sink.count()
            send(args.redis, "awards.tasks.campaign_reminders")
            second = wait_until(lambda: job_finished(first.finished_at), timeout=600, what="the second run",
                                worker=worker, log=log)  # fmt: skip
            time.sleep(3)  # what it would have enqueued has had time to arrive
            with redis.Redis.from_url(args.redis) as client:
                waiting = client.llen("celery") + client.llen("emails")
            print(f"second run the same day: {second.result['written']} written, "
                  f"{sink.count() - before} extra messages, {waiting} jobs left in the queues")  # fmt: skip
            stop_worker(worker)

            floor_seconds = floor(sink, args.units)
            print(f"floor: the same {args.units} messages by plain smtplib over one connection to the same sink: "
                  f"{floor_seconds:.1f} s ({args.units / floor_seconds:.0f} messages/s)")  # fmt: skip
            print(f"ratio fan-out/floor: {seconds / floor_seconds:.1f}x")
    finally:
        if worker is not None:
            stop_worker(worker)
        teardown_databases(old, verbosity=0)
        with redis.Redis.from_url(args.redis) as client:
            client.flushdb()
        log.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
