"""Back up the database and the stored files together, as one directory (docs/deployment.md, "Backup and restore").

    var/backups/tdkt-20261207-103000/
      database.dump      PostgreSQL: pg_dump's custom format (SQLite: database.sqlite3, by SQLite's backup API)
      media.tar          every file under the file-system storage's root (MEDIA_ROOT), by relative path
      media.sha256       one line per file in media.tar, `sha256sum -c` format
      MANIFEST.json      when, from what, the row count of every table in the dump, the applied migrations,
                         and the sha256 of the three files above

Consistent: on PostgreSQL the row counts are taken and pg_dump runs inside one exported snapshot (REPEATABLE
READ), so the counts describe the dump exactly; on SQLite the backup API copies one consistent state. The
files are copied after the database: a stored file is written (and renamed into place) before the row that
names it commits, and never changed afterwards, so every file the dump refers to is in the archive; files
newer than the dump are harmless extras. The one exception is a discarded draft's generated document,
deleted after its row: the documents are rebuilt from the records when asked for.

With object storage (S3) the files are not copied: the bucket's own versioning or replication is their
backup, and MANIFEST.json says so. `manage.py restore` reads this directory back and checks all of it.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "MANIFEST.json"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MEDIA_ARCHIVE = "media.tar"
MEDIA_SUMS = "media.sha256"
CHUNK = 1024 * 1024


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def postgres_environment(settings_dict: dict) -> dict[str, str]:
    """The libpq environment of a Django PostgreSQL connection (host, port, user, database, password, TLS), for
    pg_dump, pg_restore and psql: nothing secret on their command lines."""
    from django.db.backends.postgresql.client import DatabaseClient

    _args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    environment = {**os.environ, **(env or {})}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("NAME", "PGDATABASE")):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    return environment


def client_program(name: str) -> str:
    """The full path of a PostgreSQL client program (pg_dump, pg_restore, psql); its major version must be at
    least the server's."""
    path = shutil.which(name)
    if path is None:
        raise CommandError(
            f"{name} is not installed (Debian: apt-get install --no-install-recommends postgresql-client)"
        )
    return path


def table_names(connection, cursor) -> list[str]:
    """Every table the dump holds: on PostgreSQL those of the connection's schemas (Django's, viewflow's,
    Celery beat's, …), on SQLite all but SQLite's own."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables"
            " WHERE schemaname = ANY (current_schemas(false)) ORDER BY 1"
        )
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1")
    return [row[0] for row in cursor.fetchall()]


def row_counts(connection, cursor) -> dict[str, int]:
    counts = {}
    for table in table_names(connection, cursor):
        name = table if connection.vendor == "postgresql" else connection.ops.quote_name(table)
        cursor.execute(f"SELECT count(*) FROM {name}")  # noqa: S608 - names from the catalogue, quoted
        counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor, connection) -> list[str]:
    table = connection.ops.quote_name(MigrationRecorder.Migration._meta.db_table)
    cursor.execute(f"SELECT app, name FROM {table} ORDER BY app, name")  # noqa: S608 - a model's table
    return [f"{app}.{name}" for app, name in cursor.fetchall()]


def file_root() -> Path | None:
    """The directory the stored files live in, or None when the default storage is not a file system (S3)."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location)
    return None


class _HashingReader:
    """Reads a file for tarfile while hashing exactly the bytes that go into the archive."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump, custom format, in one snapshot with the row counts; SQLite: "
        "the backup API) and the stored files (a tar with the sha256 of each file) into one new directory."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir", default=str(Path(settings.BASE_DIR) / "var" / "backups"),
            help="Where the backup directory is made (default var/backups/). Keep backups on another disk too.",
        )  # fmt: skip
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args, output_dir: str, database: str, **options):
        connection = connections[database]
        if connection.vendor not in DATABASE_FILES:
            raise CommandError(f"backup knows PostgreSQL and SQLite, not {connection.vendor}")
        if connection.in_atomic_block:
            raise CommandError("backup must run outside a transaction (it reads one snapshot of its own)")
        parent = Path(output_dir).resolve()
        parent.mkdir(parents=True, exist_ok=True)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        name, suffix = f"tdkt-{stamp}", 1
        while (parent / name).exists() or (parent / f"{name}.partial").exists():
            suffix += 1
            name = f"tdkt-{stamp}-{suffix}"
        final, partial = parent / name, parent / f"{name}.partial"
        partial.mkdir(mode=0o700)  # personal data: readable by the owner only
        try:
            if connection.vendor == "postgresql":
                database_part = self._postgresql(connection, partial / DATABASE_FILES["postgresql"])
            else:
                database_part = self._sqlite(connection, partial / DATABASE_FILES["sqlite"])
            files_part = self._files(partial)
            manifest = {
                "format": FORMAT,
                "product": "tdkt",
                "created_at": timezone.now().isoformat(),
                "database": database_part,
                "files": files_part,
            }
            (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
            partial.rename(final)  # a backup directory without ".partial" is complete
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        tables = database_part["tables"]
        files_line = (
            f"{files_part['count']} files ({files_part['bytes'] / 1e6:.1f} MB)"
            if files_part["included"]
            else f"no files ({files_part['note']})"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"backup: {final}\n  database: {len(tables)} tables, {sum(tables.values())} rows\n  files: {files_line}"
            )
        )
        for path in files_part.get("vanished", []):
            self.stderr.write(f"  note: {path} was deleted while the backup ran (not in the archive)")

    # Database ---------------------------------------------------------------------------------------------

    def _postgresql(self, connection, target: Path) -> dict:
        """pg_dump in the snapshot in which the row counts are read: both describe the same state."""
        pg_dump = client_program("pg_dump")
        connection.ensure_connection()
        autocommit = connection.get_autocommit()
        connection.set_autocommit(False)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
                snapshot, server_version = cursor.fetchone()
                counts = row_counts(connection, cursor)
                migrations = applied_migrations(cursor, connection)
                # The snapshot stays importable while this transaction is open.
                result = subprocess.run(  # noqa: S603 - our arguments, no shell
                    [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
                    env=postgres_environment(connection.settings_dict), capture_output=True, text=True, check=False,
                )  # fmt: skip
        finally:
            connection.rollback()
            connection.set_autocommit(autocommit)
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed:\n{result.stderr.strip()}")
        return {
            "vendor": "postgresql",
            "server_version": server_version,
            "name": connection.settings_dict["NAME"],
            "file": target.name,
            "sha256": sha256_file(target),
            "size": target.stat().st_size,
            "tables": counts,
            "migrations": migrations,
        }

    def _sqlite(self, connection, target: Path) -> dict:
        """SQLite's online backup API: one consistent copy, whatever writers do meanwhile (WAL included)."""
        source_name = connection.settings_dict["NAME"]
        if not source_name or str(source_name).startswith(":memory:") or "mode=memory" in str(source_name):
            raise CommandError("an in-memory SQLite database cannot be backed up")
        source = sqlite3.connect(str(source_name))
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)
        finally:
            source.close()
        try:
            cursor = copy.cursor()
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
            )
            counts = {}
            for (table,) in cursor.fetchall():
                counts[table] = copy.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            migrations = [f"{a}.{n}" for a, n in copy.execute("SELECT app, name FROM django_migrations ORDER BY 1, 2")]
        finally:
            copy.close()
        return {
            "vendor": "sqlite",
            "server_version": sqlite3.sqlite_version,
            "name": Path(source_name).name,
            "file": target.name,
            "sha256": sha256_file(target),
            "size": target.stat().st_size,
            "tables": counts,
            "migrations": migrations,
        }

    # Files ------------------------------------------------------------------------------------------------

    def _files(self, directory: Path) -> dict:
        root = file_root()
        if root is None:
            backend = settings.STORAGES["default"]["BACKEND"]
            return {
                "included": False,
                "backend": backend,
                "note": f"{backend} is not a file system: the bucket's own versioning or replication is the files' backup",
            }
        sums: list[tuple[str, str]] = []
        vanished: list[str] = []
        total = 0
        archive_path = directory / MEDIA_ARCHIVE
        with tarfile.open(archive_path, "w", format=tarfile.PAX_FORMAT) as archive:
            for relative in self._walk(root):
                try:
                    handle = open(root / relative, "rb")  # noqa: SIM115 - closed below
                except FileNotFoundError:
                    vanished.append(relative)  # deleted after the database's snapshot: see the module's docstring
                    continue
                with handle:
                    stat = os.fstat(handle.fileno())
                    info = tarfile.TarInfo(relative)
                    info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o640
                    reader = _HashingReader(handle)
                    archive.addfile(info, reader)
                sums.append((reader.digest.hexdigest(), relative))
                total += info.size
        sums_path = directory / MEDIA_SUMS
        sums_path.write_text("".join(f"{digest}  {relative}\n" for digest, relative in sums))
        return {
            "included": True,
            "backend": settings.STORAGES["default"]["BACKEND"],
            "root": str(root),
            "archive": MEDIA_ARCHIVE,
            "sha256": sha256_file(archive_path),
            "size": archive_path.stat().st_size,
            "sums": MEDIA_SUMS,
            "sums_sha256": sha256_file(sums_path),
            "count": len(sums),
            "bytes": total,
            "vanished": vanished,
        }

    def _walk(self, root: Path):
        """Relative paths of the regular files under root, sorted; not the half-written temporaries (their names
        start with a dot) nor symbolic links (never made by TĐKT)."""
        if not root.is_dir():
            return
        for current, directories, files in os.walk(root):
            directories[:] = sorted(d for d in directories if not d.startswith("."))
            for name in sorted(files):
                path = Path(current) / name
                if name.startswith(".") or path.is_symlink() or not path.is_file():
                    continue
                yield path.relative_to(root).as_posix()
