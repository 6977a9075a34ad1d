"""Several nodes, one system, for tests: gunicorn nodes (config/gunicorn.conf.py) and Celery workers as
subprocesses on one PostgreSQL database, one Redis database and one file storage, all in the production profile
(DEBUG off, one SECRET_KEY, WhiteNoise serving `collectstatic`'s files); a browser whose cookies go to every
node, as behind one host name and a load balancer; and `kill -9` of a whole node.

Each process names itself to PostgreSQL (`application_name` in its DATABASE_URL), so a test can see what a
node's connections are doing (`backends`) and when the server has let go of a killed node's."""

import contextlib
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from tests.test_serve import NoRedirect, clean_environment, free_port, session_members
from tests.workers import ROOT, Worker, database_url, wait_until

SETTINGS_MODULE = "two_nodes_settings"
SECRET_KEY = "two-nodes-one-secret-" + "s" * 40  # the same on every node, as docs/deployment.md requires


def write_settings(directory: Path, *, restore_every: int = 1) -> None:
    """config.settings with STATIC_ROOT in `directory` (not the checkout's var/static) and Redis' scan for jobs a
    dead worker held run every `restore_every` seconds instead of about every 100 (kombu's default: a
    10-second timer that scans on every tenth tick). Everything else is the production file."""
    (directory / f"{SETTINGS_MODULE}.py").write_text(
        "from config.settings import *  # noqa: F403\n"
        f"STATIC_ROOT = {str(directory / 'static')!r}\n"
        "CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405\n"
        f"    'unacked_restore_interval': {restore_every}, 'unacked_restore_throttle': 1}}\n"
    )


def node_environment(directory: Path, *, name: str, broker: str, media: Path, **extra: str) -> dict[str, str]:
    """What every process of the installation shares, and the process's own name in PostgreSQL."""
    return clean_environment(
        DEBUG="0", SECRET_KEY=SECRET_KEY, ALLOWED_HOSTS="127.0.0.1", SECURE_COOKIES="0", REDIS_URL=broker,
        DATABASE_URL=f"{database_url()}?application_name={name}", MEDIA_ROOT=str(media),
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE, PYTHONPATH=os.pathsep.join([str(directory), str(ROOT)]), **extra,
    )  # fmt: skip


def collectstatic(environment: dict[str, str]) -> None:
    """What every node runs at each release (bin/serve, docs/deployment.md)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0", "--ignore", "viewflow"],
        cwd=ROOT, env=environment, check=True, capture_output=True, timeout=180,
    )  # fmt: skip


def backends(*names: str) -> list[tuple[str, str]]:
    """(application name, state) of the server's connections from these processes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT application_name, state FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = ANY(%s) AND pid <> pg_backend_pid()",
            [list(names)],
        )
        return cursor.fetchall()


class WebNode:
    """gunicorn with config/gunicorn.conf.py on a free port of 127.0.0.1, in its own session (so that a kill
    of its process group takes the master and every worker at once), logging to a file."""

    def __init__(self, name: str, *, environment: dict[str, str], log: Path, workers: int = 2):
        self.name = name
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._out = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi:application"],
            cwd=ROOT, stdout=self._out, stderr=subprocess.STDOUT, start_new_session=True,
            env={**environment, "HOST": "127.0.0.1", "PORT": str(self.port), "GUNICORN_WORKERS": str(workers)},
        )  # fmt: skip

    def url(self, path: str) -> str:
        return self.base + path

    def tail(self, lines: int = 40) -> str:
        return f"{self.name}'s log (last lines):\n" + "\n".join(
            self.log.read_text(errors="replace").splitlines()[-lines:]
        )

    def wait_ready(self, timeout: float = 120) -> "WebNode":
        """Until /readyz answers 200: the database, its migrations, Redis and the storage all answer."""
        last = {"answer": "no answer"}

        def ready() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited ({self.process.returncode}):\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.url("/readyz"), timeout=10) as response:
                    return response.status == 200
            except urllib.error.HTTPError as answer:  # 503 naming the failed check
                with answer:
                    last["answer"] = f"{answer.code} {answer.read().decode(errors='replace')}"
            except (urllib.error.URLError, ConnectionError) as error:
                last["answer"] = repr(error)
            return False

        try:
            wait_until(ready, timeout=timeout, what=f"{self.name} to answer /readyz")
        except AssertionError as error:
            raise AssertionError(f"{error}; its last answer: {last['answer']}\n{self.tail()}") from None
        return self

    def members(self) -> list[int]:
        return session_members(self.process.pid)

    def kill(self) -> None:
        """`kill -9` of the master and its workers together: no request finishes, nothing is cleaned up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        wait_until(lambda: not self.members(), timeout=10, what=f"every process of {self.name} to end")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown: nothing is left to finish
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=30)
        for pid in self.members():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.wait(timeout=10)
        self._out.close()


def kill_worker(worker: Worker) -> None:
    """`kill -9` of a Celery worker's whole process group (main process and pool child): its node is gone."""
    worker.killed = True
    os.killpg(worker.process.pid, signal.SIGKILL)
    worker.process.wait(timeout=10)
    wait_until(lambda: not session_members(worker.process.pid), timeout=10, what="the killed worker's processes to end")


@dataclass
class Page:
    status: int
    headers: object
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def csrf_token(self) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.text)
        assert found, f"no form with a CSRF token on the page ({self.status}):\n{self.text[:2000]}"
        return found.group(1)


class Browser:
    """One user's browser: a cookie jar (cookies of 127.0.0.1 go to every port, so every node gets the same
    session, as behind one host name) and no redirect followed by itself: the test says on which node to follow."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)

    def cookie(self, name: str) -> str:
        return next((cookie.value for cookie in self.cookies if cookie.name == name), "")

    def open(self, url: str, data: dict | None = None, *, timeout: float = 60) -> Page:
        """GET, or POST `data` as a form. Any HTTP answer is returned (redirects included); a node that does not
        answer raises (URLError, ConnectionError, http.client.RemoteDisconnected)."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self._opener.open(url, data=body, timeout=timeout) as response:
                return Page(response.status, response.headers, response.read())
        except urllib.error.HTTPError as answer:
            with answer:
                return Page(answer.code, answer.headers, answer.read())

    def login(self, node: WebNode, username: str, password: str) -> None:
        form = self.open(node.url("/accounts/login/"))
        answer = self.open(node.url("/accounts/login/"), {
            "username": username, "password": password, "csrfmiddlewaretoken": form.csrf_token(), "next": "/",
        })  # fmt: skip
        assert answer.status == 302 and self.cookie("sessionid"), (
            f"login refused ({answer.status}):\n{answer.text[:2000]}"
        )

    def submit(self, node: WebNode, path: str, data: dict, *, form_page: Page | None = None) -> Page:
        """POST a form as the page that shows it would: with the CSRF token of that page, or the cookie's (what a
        page's script sends)."""
        token = form_page.csrf_token() if form_page is not None else self.cookie("csrftoken")
        return self.open(node.url(path), {**data, "csrfmiddlewaretoken": token})
