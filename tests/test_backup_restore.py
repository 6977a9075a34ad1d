"""The restore drill: seed the demo (decisions, documents and uploads included), back it up, restore it into a
fresh database and file root, and compare every table's row count and every file's checksum; a damaged backup
and a non-empty target are refused before anything changes. Also on SQLite, the embedded default."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from awards.management.commands.backup import row_counts
from tests.workers import database_url

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "manage.py")]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """manage.py in a fresh process with exactly these TĐKT variables (as an operator runs it)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "SQLITE_PATH", "STORAGE_BACKEND", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [*MANAGE, *args], cwd=ROOT, env={**clean, "DEBUG": "1", **env}, capture_output=True, text=True, timeout=600
    )


def checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def the_backup(parent: Path) -> Path:
    (backup,) = parent.iterdir()
    return backup


def admin_sql(sql: str) -> None:
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432, user=settings["USER"] or "postgres",
        password=settings["PASSWORD"] or None, dbname="postgres", autocommit=True,
    ) as admin:  # fmt: skip
        admin.execute(sql)


@pytest.fixture
def scratch_database():
    """An empty database beside the test database (never the test database itself), dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore"
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_sql(f'CREATE DATABASE "{name}"')
    yield name, database_url().rsplit("/", 1)[0] + "/" + name
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)  # pg_dump reads what is committed
def test_restore_drill_on_postgresql(settings, tmp_path, scratch_database):
    if connection.vendor != "postgresql":
        pytest.skip("the drill runs on PostgreSQL (DATABASE_URL)")
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    call_command("seed_demo", "--full", stdout=io.StringIO())
    (media / "uploads").mkdir(parents=True, exist_ok=True)
    (media / "uploads" / ".incoming-half-written.part").write_bytes(b"half")  # a temporary: never backed up
    with connection.cursor() as cursor:
        original = row_counts(connection, cursor)
    files = checksums(media)
    assert original["public.awards_nomination"] > 0 and original["public.awards_generateddocument"] > 0
    assert sum(1 for name in files if name.startswith("documents/")) > 10
    assert sum(1 for name in files if name.startswith("uploads/")) > 0

    # Back up, as `make backup` does.
    backups = tmp_path / "backups"
    result = manage("backup", "--output-dir", str(backups), DATABASE_URL=database_url(), MEDIA_ROOT=str(media))
    assert result.returncode == 0, result.stderr
    backup = the_backup(backups)
    assert sorted(p.name for p in backup.iterdir()) == ["MANIFEST.json", "database.dump", "media.sha256", "media.tar"]
    assert (backup.stat().st_mode & 0o777) == 0o700
    manifest = json.loads((backup / "MANIFEST.json").read_text())
    assert manifest["database"]["tables"] == original
    del files["uploads/.incoming-half-written.part"]
    assert manifest["files"]["count"] == len(files)
    listed = dict(line.split("  ", 1)[::-1] for line in (backup / "media.sha256").read_text().splitlines())
    assert listed == files

    # Restore into an empty database and an empty file root, as `make restore` does.
    name, url = scratch_database
    restored_media = tmp_path / "restored-media"
    result = manage("restore", str(backup), DATABASE_URL=url, MEDIA_ROOT=str(restored_media))
    assert result.returncode == 0, result.stderr
    assert "counts equal to the backup's" in result.stdout
    with psycopg.connect(url) as restored:
        tables = [row[0] for row in restored.execute("SELECT 'public.' || quote_ident(tablename) FROM pg_tables"
                                                       " WHERE schemaname = 'public'")]  # fmt: skip
        counts = {table: restored.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables}
    assert counts == original
    assert checksums(restored_media) == files
    # The restored rows and files agree with each other (docs/integrity.md).
    result = manage("check_integrity", DATABASE_URL=url, MEDIA_ROOT=str(restored_media))
    assert result.returncode == 0, result.stdout + result.stderr

    # A non-empty target is refused unless --replace, which drops what it holds and restores again.
    result = manage("restore", str(backup), DATABASE_URL=url, MEDIA_ROOT=str(restored_media))
    assert result.returncode != 0 and "--replace" in result.stderr
    (restored_media / "stray.pdf").write_bytes(b"not in the backup")
    result = manage("restore", str(backup), "--replace", DATABASE_URL=url, MEDIA_ROOT=str(restored_media))
    assert result.returncode == 0, result.stderr
    [aside] = restored_media.glob(".replaced-*")  # what it replaced is set aside, never deleted
    assert str(aside) in result.stdout and (aside / "stray.pdf").read_bytes() == b"not in the backup"
    assert {k: v for k, v in checksums(restored_media).items() if not k.startswith(".replaced-")} == files

    # A damaged backup is refused before anything is touched.
    damaged = tmp_path / "damaged"
    shutil.copytree(backup, damaged)
    with open(damaged / "media.tar", "r+b") as archive:
        archive.seek(1024)
        archive.write(b"X")
    result = manage("restore", str(damaged), "--replace", DATABASE_URL=url, MEDIA_ROOT=str(restored_media))
    assert result.returncode != 0 and "damaged" in result.stderr
    assert {k: v for k, v in checksums(restored_media).items() if not k.startswith(".replaced-")} == files


def test_restore_drill_on_sqlite(tmp_path):
    source, target = tmp_path / "source.sqlite3", tmp_path / "target.sqlite3"
    media, restored_media = tmp_path / "media", tmp_path / "restored-media"
    (media / "uploads" / "2026" / "12").mkdir(parents=True)
    (media / "uploads" / "2026" / "12" / "scan.pdf").write_bytes(b"%PDF-1.7 a scan")
    for step in (["migrate", "--no-input", "-v", "0"], ["seed_reference"]):
        result = manage(*step, SQLITE_PATH=str(source), MEDIA_ROOT=str(media))
        assert result.returncode == 0, result.stderr
    result = manage("backup", "--output-dir", str(tmp_path / "backups"), SQLITE_PATH=str(source), MEDIA_ROOT=str(media))
    assert result.returncode == 0, result.stderr
    backup = the_backup(tmp_path / "backups")
    assert (backup / "database.sqlite3").is_file()
    result = manage("restore", str(backup), SQLITE_PATH=str(target), MEDIA_ROOT=str(restored_media))
    assert result.returncode == 0, result.stderr

    def counts(path: Path) -> dict[str, int]:
        with sqlite3.connect(path) as db:
            names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                              " AND name NOT LIKE 'sqlite_%'")]  # fmt: skip
            return {name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}

    assert counts(target) == counts(source)
    result = manage("check_integrity", SQLITE_PATH=str(target), MEDIA_ROOT=str(restored_media))
    assert result.returncode == 0, result.stdout + result.stderr
    assert counts(source)["awards_unit"] > 0
    assert checksums(restored_media) == checksums(media)
