"""The embedded default, the production guard rails and Vietnamese formats."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format

ROOT = Path(__file__).resolve().parent.parent


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run code in a fresh interpreter with exactly the given TĐKT variables (the others are removed)."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"}}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120, check=False
    )


def test_a_date_typed_05_01_2025_is_the_fifth_of_january():
    with translation.override("vi"):
        assert forms.DateField().clean("05/01/2025") == dt.date(2025, 1, 5)
        assert forms.DateField().clean("5/1/2025") == dt.date(2025, 1, 5)
        assert forms.DateTimeField().clean("05/01/2025 14:30").date() == dt.date(2025, 1, 5)


def test_dates_are_shown_as_dd_mm_yyyy():
    with translation.override("vi"):
        assert date_format(dt.date(2025, 1, 5), "SHORT_DATE_FORMAT") == "05/01/2025"
        assert date_format(dt.date(2024, 6, 30)) == "30/06/2024"


def test_an_impossible_date_is_refused_with_a_vietnamese_message():
    with translation.override("vi"):
        field = forms.DateField()
        try:
            field.clean("31/02/2025")
        except forms.ValidationError as error:
            assert "Nhập một ngày hợp lệ" in " ".join(error.messages)
        else:
            raise AssertionError("31/02/2025 was accepted")


def test_production_without_secret_key_refuses_to_start_with_a_clear_message():
    result = run_python("import config.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "python -c 'import secrets" in result.stderr


def test_the_worker_without_secret_key_refuses_to_start_too():
    result = run_python("from config.celery import app; import django; django.setup()")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_with_secret_key_starts():
    result = run_python(
        "import config.wsgi; from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)",
        SECRET_KEY="x" * 50,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_embedded_default_is_sqlite_in_wal_mode_with_immediate_transactions_and_eager_celery(tmp_path):
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings; from django.db import connection\n"
        "cursor = connection.cursor(); cursor.execute('PRAGMA journal_mode')\n"
        "print(connection.vendor, cursor.fetchone()[0], settings.DATABASES['default']['OPTIONS']['transaction_mode'],"
        " settings.CELERY_TASK_ALWAYS_EAGER)\n"
    )
    result = run_python(code, DEBUG="1", SQLITE_PATH=str(tmp_path / "embedded.sqlite3"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["sqlite", "wal", "IMMEDIATE", "True"]


def test_redis_url_switches_celery_to_the_broker_with_late_acks():
    code = (
        "import django; django.setup(); from config.celery import app\n"
        "c = app.conf; print(c.broker_url, c.task_always_eager, c.task_acks_late, c.task_reject_on_worker_lost,"
        " c.broker_transport_options['visibility_timeout'])\n"
    )
    result = run_python(code, DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/9")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["redis://127.0.0.1:6379/9", "False", "True", "True", "3600"]


def test_sessions_expire_after_30_idle_minutes_and_12_hours_at_most():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # Not saved on every request: SessionLimitsMiddleware moves the idle clock at most every 5 minutes.
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SESSION_TOUCH_INTERVAL == dt.timedelta(minutes=5)
    assert settings.SESSION_ABSOLUTE_LIMIT == dt.timedelta(hours=12)


def test_vietnamese_is_the_default_language_and_time_zone_is_ho_chi_minh():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True
