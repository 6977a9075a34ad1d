"""A real Celery worker on Redis runs our tasks (its own Redis database number)."""

import pytest
from celery import Celery

from tests.workers import Worker, redis_db_url


@pytest.fixture
def worker(tmp_path):
    broker = redis_db_url()
    worker = Worker(broker=broker, log=tmp_path / "worker.log").wait_ready()
    yield broker
    worker.stop()


def test_a_real_worker_runs_a_task_sent_through_redis(worker):
    client = Celery(broker=worker, backend=worker)
    reply = client.send_task("awards.tasks.ping").get(timeout=60)
    assert reply["pong"] is True
    assert reply["timezone"] == "Asia/Ho_Chi_Minh"
