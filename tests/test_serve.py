"""`make serve`, the production profile: bin/serve on the test database with DEBUG off (migrate, seed_reference,
collectstatic, gunicorn with config/gunicorn.conf.py, a Celery worker and beat), the Vietnamese login page and a
static file served by WhiteNoise under its hashed name, a login over plain HTTP on loopback, and everything
stopped by one SIGTERM (what Ctrl-C does through make)."""

import http.cookiejar
import os
import re
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.factories import UserFactory
from tests.workers import database_url, redis_db_url, wait_until

ROOT = Path(__file__).resolve().parent.parent
SERVE = ROOT / "bin" / "serve"
TOGETHER = ROOT / "bin" / "together"
OURS = {
    "DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "SITE_URL", "SECURE_COOKIES", "HOST", "PORT",
    "DJANGO_SETTINGS_MODULE", "TRUSTED_PROXIES", "SECURE_SSL_REDIRECT", "STORAGE_BACKEND", "MEDIA_ROOT",
}  # fmt: skip


def clean_environment(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k not in OURS}, **extra}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def session_members(session: int) -> list[int]:
    """Live processes of a session (every process bin/serve started belongs to it)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# Quick checks (no server) ---------------------------------------------------------------------------------


def test_the_scripts_parse():
    for script in (SERVE, TOGETHER):
        subprocess.run(["bash", "-n", str(script)], check=True)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({}, "set DATABASE_URL"),
        ({"DATABASE_URL": "sqlite:///x.sqlite3", "REDIS_URL": "redis://127.0.0.1:6379/0"}, "runs on PostgreSQL"),
        ({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x"}, "set REDIS_URL"),
        (
            {
                "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x",
                "REDIS_URL": "redis://127.0.0.1:6379/0",
                "SECRET_KEY": "k" * 50,
                "HOST": "0.0.0.0",
            },  # fmt: skip
            "set ALLOWED_HOSTS",
        ),
    ],
)
def test_serve_refuses_without_what_production_needs(variables, message):
    result = subprocess.run(
        ["bash", str(SERVE)], env=clean_environment(**variables), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert message in result.stderr


def test_gunicorn_config_binds_host_and_port_and_logs_access_to_stdout(monkeypatch):
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "8765")
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    config = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    assert config["bind"] == ["0.0.0.0:8765"]
    assert config["workers"] == 3
    assert config["worker_class"] == "gthread"
    assert config["accesslog"] == "-"
    assert config["max_requests"] > 0 and config["max_requests_jitter"] > 0
    assert config["timeout"] > config["graceful_timeout"] > 0
    assert config["forwarded_allow_ips"] == ""  # the application decides whom to believe (TRUSTED_PROXIES)


def test_together_stops_the_others_when_one_exits():
    started = time.monotonic()
    result = subprocess.run(
        [str(TOGETHER), "short=sleep 0.5; exit 3", "long=sleep 60"],
        capture_output=True, text=True, timeout=30, start_new_session=True,
    )  # fmt: skip
    assert result.returncode == 3
    assert time.monotonic() - started < 20
    assert "short exited" in result.stderr and "all stopped" in result.stderr


# The production profile ----------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)  # the server's own connections must see the user created here
def test_make_serve_runs_the_production_profile_and_stops_on_sigterm(tmp_path):
    # STATIC_ROOT in a temporary directory, not var/static: the same settings otherwise.
    (tmp_path / "serve_settings.py").write_text(
        f"from config.settings import *  # noqa: F403\nSTATIC_ROOT = {str(tmp_path / 'static')!r}\n"
    )
    port = free_port()
    environment = clean_environment(
        DATABASE_URL=database_url(), REDIS_URL=redis_db_url(), SECRET_KEY="serve-test-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1", HOST="127.0.0.1", PORT=str(port), VENV=str(Path(sys.executable).parent.parent),
        DJANGO_SETTINGS_MODULE="serve_settings", PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]),
        GUNICORN_WORKERS="1", STOP_TIMEOUT="40", MEDIA_ROOT=str(tmp_path / "media"),
    )  # fmt: skip
    UserFactory(username="canbo.serve")
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        serve = subprocess.Popen(
            ["bash", str(SERVE)], cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:

        def answering():
            if serve.poll() is not None:
                raise AssertionError(f"make serve exited ({serve.returncode}):\n{log_path.read_text()[-4000:]}")
            try:
                with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5) as response:
                    return response.status == 200
            except (urllib.error.URLError, ConnectionError):
                return False

        wait_until(answering, timeout=180, what="gunicorn to answer")

        # The login page, in Vietnamese, over plain HTTP; its CSRF cookie is not Secure (loopback).
        cookies = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies), NoRedirect)
        with opener.open(f"{base}/accounts/login/", timeout=10) as response:
            assert response.status == 200
            page = response.read().decode()
            set_cookies = response.headers.get_all("Set-Cookie")
        assert '<html lang="vi">' in page
        assert "Đăng nhập" in page
        assert set_cookies and not any("secure" in header.lower() for header in set_cookies)

        # The stylesheet: a hashed name, served by WhiteNoise compressed and cached for a year or more.
        stylesheet = re.search(r'href="(/static/tdkt/app\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, "the page does not link the stylesheet under its hashed name"
        request = urllib.request.Request(base + stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/css")
            assert response.headers["Content-Encoding"] == "gzip"
            cache_control = response.headers["Cache-Control"]
        max_age = int(re.search(r"max-age=(\d+)", cache_control).group(1))
        assert max_age >= 365 * 24 * 3600 and "immutable" in cache_control

        # A login over plain HTTP works (SECURE_COOKIES is off only because the server listens on loopback).
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {"username": "canbo.serve", "password": "Mat-khau-thu-2024", "csrfmiddlewaretoken": token, "next": "/"}
        ).encode()
        try:
            opener.open(f"{base}/accounts/login/", data=form, timeout=10)
            raise AssertionError("the login did not redirect")
        except urllib.error.HTTPError as answer:
            assert answer.code == 302, answer.read().decode()[:2000]
            assert any(cookie.name == "sessionid" for cookie in cookies)

        # The worker and beat are up beside gunicorn.
        wait_until(lambda: " ready." in log_path.read_text(), timeout=120, what="the Celery worker")
        wait_until(lambda: "beat: Starting" in log_path.read_text(), timeout=60, what="Celery beat")
        output = log_path.read_text()
        assert '"GET /accounts/login/ HTTP/1.1" 200' in output  # gunicorn's access log, on stdout
        assert "seed_reference:" in output and "seed_demo" not in output

        # SIGTERM (what make passes on at Ctrl-C) stops gunicorn, the worker and beat, and nothing is left.
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=90) == 143
        wait_until(lambda: not session_members(serve.pid), timeout=10, what="every process of make serve to end")
        assert "together: all stopped" in log_path.read_text()
    finally:
        for pid in session_members(serve.pid):
            os.kill(pid, signal.SIGKILL)
        if serve.poll() is None:
            serve.kill()
            serve.wait(timeout=10)
