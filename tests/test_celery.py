"""A real Celery worker on Redis runs our tasks (its own Redis database number)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery

ROOT = Path(__file__).resolve().parent.parent
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def worker():
    env = {**os.environ, "REDIS_URL": REDIS, "DEBUG": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "-n", f"test-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_a_real_worker_runs_a_task_sent_through_redis(worker):
    client = Celery(broker=REDIS, backend=REDIS)
    started = time.monotonic()
    result = client.send_task("awards.tasks.ping")
    reply = result.get(timeout=60)
    assert reply["pong"] is True
    assert reply["timezone"] == "Asia/Ho_Chi_Minh"
    assert time.monotonic() - started < 60
