"""Real Celery workers for tests: subprocesses on the test database, each test process with its own Redis
database (TEST_REDIS_URL's number minus the xdist worker index: gw0 15, gw1 14), so one process's worker
never takes the other's jobs. Tests that use them commit their data (`transaction=True`)."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import redis
from celery import Celery
from django.conf import settings
from django.db import connection

from awards.models import JobRun

ROOT = Path(__file__).resolve().parent.parent
BASE_REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def wait_until(predicate, *, timeout: float, what: str, worker: "Worker | None" = None):
    """Poll `predicate` until it returns something truthy (returned); fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if worker is not None and worker.process.poll() is not None and not worker.killed:
            raise AssertionError(f"the Celery worker exited while waiting for {what}:\n{worker.tail()}")
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out after {timeout:.0f} s waiting for {what}" + (f"\n{worker.tail()}" if worker else "")
            )
        time.sleep(0.1)


def redis_db_url() -> str:
    """This test process's own Redis database, emptied."""
    base, _, number = BASE_REDIS.rpartition("/")
    index = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    url = f"{base}/{int(number) - index}"
    with redis.Redis.from_url(url) as client:
        client.flushdb()
    return url


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER'] or 'postgres'}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


class Worker:
    """`celery -A config worker` on both queues, prefork with one child, logging to a file (never a pipe
    that could fill up), in its own session so that an orphaned pool child can be ended with it."""

    def __init__(self, *, broker: str, log: Path, env: dict[str, str] | None = None):
        self.name = f"test-{uuid.uuid4().hex[:8]}"
        self.log = log
        self.killed = False
        environment = {**os.environ, "REDIS_URL": broker, "DATABASE_URL": database_url(), "DEBUG": "1", **(env or {})}
        self._out = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "celery,emails,documents", "--pool=prefork",
             "--concurrency=1", "--loglevel=INFO", "--without-gossip", "--without-mingle", "-n", f"{self.name}@%h"],
            cwd=ROOT, env=environment, stdout=self._out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def tail(self, lines: int = 40) -> str:
        return "worker log (last lines):\n" + "\n".join(self.output().splitlines()[-lines:])

    def wait_ready(self, timeout: float = 60) -> "Worker":
        wait_until(lambda: " ready." in self.output(), timeout=timeout, what="the Celery worker to start", worker=self)
        return self

    def pool_children(self) -> list[int]:
        found = []
        for path in Path(f"/proc/{self.process.pid}/task").glob("*/children"):
            found += [int(pid) for pid in path.read_text().split()]
        return found

    def kill_pool_child(self) -> int:
        children = self.pool_children()
        assert len(children) == 1, f"expected one pool process under the worker, found {children}"
        os.kill(children[0], signal.SIGKILL)
        return children[0]

    def kill(self) -> None:
        self.killed = True
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError, PermissionError):  # a pool child left by a killed main
            os.killpg(self.process.pid, signal.SIGKILL)
        self._out.close()


def send_tasks(broker: str, tasks: list[tuple[str, list]]) -> None:
    """Send (task name, args) through Redis, as beat or `email_enqueue` do, each to its queue (settings'
    CELERY_TASK_ROUTES)."""
    client = Celery(broker=broker, set_as_current=False)
    try:
        for name, args in tasks:
            queue = settings.CELERY_TASK_ROUTES.get(name, {}).get("queue", "celery")
            client.send_task(name, args=args, queue=queue)
    finally:
        client.close()


def run_job(broker: str, name: str, worker: Worker, timeout: float = 60) -> dict:
    """Send one periodic job to the worker and wait for the run it records (JobRun); returns its result."""
    before = JobRun.objects.filter(name=name).values_list("finished_at", flat=True).first()
    send_tasks(broker, [(f"awards.tasks.{name}", [])])

    def finished():
        run = JobRun.objects.filter(name=name).first()
        return run if run and run.finished_at and run.finished_at != before else None

    run = wait_until(finished, timeout=timeout, what=f"the job {name} to run", worker=worker)
    assert not run.error, run.error
    return run.result
