"""/healthz and /readyz: what a load balancer sees, without a login, a session or a translation."""

import pytest
import redis
from django.db import OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from awards.views import health
from tests.workers import redis_db_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """readyz writes a probe file to the default storage: not into the developer's var/media. Redis is
    checked only by the tests that set REDIS_URL."""
    settings.MEDIA_ROOT = tmp_path
    settings.REDIS_URL = ""
    health._last_answer, health._storage_checked_at = None, 0.0  # each test asks afresh


def test_readyz_answers_from_its_last_result_for_ten_seconds_and_writes_storage_once_a_minute(tmp_path, monkeypatch):
    """Anyone may call it: a flood of calls costs one check every ten seconds, one storage write a minute."""
    clock = [1000.0]
    monkeypatch.setattr(health.time, "monotonic", lambda: clock[0])
    writes = []
    monkeypatch.setattr(health, "_storage", lambda: writes.append(clock[0]))
    client = Client()
    assert client.get("/readyz").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            assert client.get("/readyz").json()["checks"]["storage"] == "ok"
    assert len(queries) == 0 and writes == [1000.0]
    clock[0] += 11  # a fresh check: the database again, but the storage was proved less than a minute ago
    assert client.get("/readyz").status_code == 200 and writes == [1000.0]
    clock[0] += 60
    assert client.get("/readyz").status_code == 200 and writes == [1000.0, 1071.0]


def test_healthz_answers_without_touching_the_database_even_for_a_signed_in_user(org, django_assert_num_queries):
    client = org.client("officer_a")
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "sessionid" not in response.cookies
    assert "no-cache" in response["Cache-Control"]


def test_readyz_reports_each_check_and_no_queues_on_the_embedded_default(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)  # the plan itself, not an earlier test's memo
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "storage": "ok"},
        "queues": {},
    }


def test_readyz_leaves_the_session_alone(org):
    client = org.client("officer_a")
    client.get("/")  # the first page writes the session's clocks and role once
    with CaptureQueriesContext(health.connection) as queries:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]
    assert "sessionid" not in response.cookies


def test_readyz_reports_queue_depths_from_redis():
    url = redis_db_url()
    with redis.Redis.from_url(url) as client:
        client.rpush("documents", "job-1", "job-2")
        client.rpush("celery", "job-3")
    with override_settings(REDIS_URL=url):
        response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["redis"] == "ok"
    assert response.json()["queues"] == {"celery": 1, "documents": 2, "emails": 0}


def test_readyz_is_503_and_names_redis_when_redis_does_not_answer():
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["redis"].startswith("fail: ")
    assert body["checks"]["database"] == "ok"


def test_readyz_is_503_when_a_migration_is_not_applied(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("awards.9999_new", False)])
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "fail: RuntimeError"


def test_readyz_is_503_when_the_database_does_not_answer(monkeypatch):

    def down():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "_database", down)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "fail: OperationalError",
        "migrations": "skipped",
        "storage": "ok",
    }


class ReadOnlyStorage:
    def save(self, name, content):
        raise PermissionError("read-only file system")


def test_readyz_is_503_when_the_storage_refuses_writes(monkeypatch):
    monkeypatch.setattr(health, "default_storage", ReadOnlyStorage())
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "fail: PermissionError"


def test_the_probe_file_is_removed(tmp_path):
    assert Client().get("/readyz").status_code == 200
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_the_probes_answer_head_but_refuse_post():
    client = Client()
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405
