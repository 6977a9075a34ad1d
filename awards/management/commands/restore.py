"""Restore a backup made by `manage.py backup` (docs/deployment.md, "Backup and restore").

Stop the web servers, the workers and beat first. Every check that can fail runs before anything is changed:
the backup's checksums, the database vendor, and (without --replace) that the database has no tables and the
file root no files. The files are unpacked beside the live ones and checked against media.sha256; then the
database is restored in one transaction (PostgreSQL: pg_restore's output through psql --single-transaction,
so a failed restore leaves the database as it was; SQLite: the backup API); then the files are moved into
place. At the end the row count of every table is compared with the backup's manifest.
"""

import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from pathlib import Path

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from awards.management.commands.backup import (
    FORMAT,
    MANIFEST,
    client_program,
    file_root,
    postgres_environment,
    row_counts,
    sha256_file,
    table_names,
)

# Drops what a Django database holds in the connection's schemas (tables, views, sequences, and functions such
# as the audit trail's guard: the dump creates them again), keeping the schemas themselves with their owner and
# privileges: run in the restore's own transaction.
DROP_EVERYTHING = """
DO $$
DECLARE item record;
BEGIN
  FOR item IN
    SELECT n.nspname AS schema_name, c.relname AS name,
           CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
                          WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY (current_schemas(false)) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    ORDER BY c.relkind = 'S'
  LOOP
    EXECUTE format('DROP %s IF EXISTS %I.%I CASCADE', item.kind, item.schema_name, item.name);
  END LOOP;
  FOR item IN
    SELECT p.oid::regprocedure AS signature
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = ANY (current_schemas(false)) AND p.prokind IN ('f', 'p')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                      AND d.deptype = 'e')
  LOOP
    EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', item.signature);
  END LOOP;
END $$;
"""


class Command(BaseCommand):
    help = (
        "Restore a backup directory made by `manage.py backup` into the configured database and file storage, "
        "checking every checksum first and every table's row count at the end."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The backup directory (var/backups/tdkt-YYYYmmdd-HHMMSS).")
        parser.add_argument(
            "--replace", action="store_true",
            help="Replace what the database and the file root hold (without it, both must be empty).",
        )  # fmt: skip
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args, backup: str, replace: bool, database: str, **options):
        directory = Path(backup).resolve()
        manifest = self._verified_manifest(directory)
        connection = connections[database]
        saved = manifest["database"]
        if connection.vendor != saved["vendor"]:
            raise CommandError(f"the backup is of a {saved['vendor']} database, the target is {connection.vendor}")
        if connection.in_atomic_block:
            raise CommandError("restore must run outside a transaction")
        with connection.cursor() as cursor:
            existing = table_names(connection, cursor)
        if existing and not replace:
            raise CommandError(
                f"the target database already has {len(existing)} tables: restore into an empty database "
                "(createdb), or pass --replace to drop what it holds"
            )

        files = manifest["files"]
        root = file_root()
        staging = None
        if files["included"] and root is not None:
            root.mkdir(parents=True, exist_ok=True)
            if any(p.is_file() for p in root.rglob("*")) and not replace:
                raise CommandError(f"{root} already holds files: pass --replace to replace them")
            staging = root / f".restore-{uuid.uuid4().hex}"
            self._unpack(directory, files, staging)

        try:
            if connection.vendor == "postgresql":
                self._postgresql(connection, directory / saved["file"], drop=bool(existing))
            else:
                self._sqlite(connection, directory / saved["file"])
        except BaseException:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            raise
        if staging is not None:
            self._swap_in(root, staging)

        connection.close()
        with connection.cursor() as cursor:
            restored = row_counts(connection, cursor)
        different = {
            table: (saved["tables"].get(table), restored.get(table))
            for table in sorted(set(saved["tables"]) | set(restored))
            if saved["tables"].get(table) != restored.get(table)
        }
        if different:
            lines = "\n".join(f"  {table}: backup {was}, restored {now}" for table, (was, now) in different.items())
            raise CommandError(f"the restored row counts differ from the backup's:\n{lines}")
        self.stdout.write(
            self.style.SUCCESS(
                f"restore: {directory.name}\n  database: {len(restored)} tables, {sum(restored.values())} rows, "
                "counts equal to the backup's"
            )
        )
        if staging is not None:
            self.stdout.write(f"  files: {files['count']} files restored under {root}, checksums equal")
        elif files["included"]:
            self.stdout.write(
                "  files: NOT restored: the file storage is not a file system; copy media.tar's files into it"
            )
        else:
            self.stdout.write(f"  files: none in the backup ({files['note']})")
        self._migrations_note(connection)
        if "check_integrity" in get_commands():
            call_command("check_integrity", stdout=self.stdout, stderr=self.stderr)

    # Checks -----------------------------------------------------------------------------------------------

    def _verified_manifest(self, directory: Path) -> dict:
        if directory.name.endswith(".partial"):
            raise CommandError(f"{directory} is an unfinished backup")
        try:
            manifest = json.loads((directory / MANIFEST).read_text())
        except FileNotFoundError as error:
            raise CommandError(f"{directory} has no {MANIFEST}: not a backup made by `manage.py backup`") from error
        if manifest.get("format") != FORMAT:
            raise CommandError(f"unknown backup format {manifest.get('format')!r} (this version reads {FORMAT})")
        checks = [(manifest["database"]["file"], manifest["database"]["sha256"])]
        if manifest["files"]["included"]:
            checks += [
                (manifest["files"]["archive"], manifest["files"]["sha256"]),
                (manifest["files"]["sums"], manifest["files"]["sums_sha256"]),
            ]
        for name, expected in checks:
            path = directory / name
            if not path.is_file():
                raise CommandError(f"{path} is missing")
            if sha256_file(path) != expected:
                raise CommandError(f"{path} does not match its checksum in {MANIFEST}: the backup is damaged")
        return manifest

    # Files ------------------------------------------------------------------------------------------------

    def _unpack(self, directory: Path, files: dict, staging: Path) -> None:
        """Unpack media.tar into a directory beside the live files and check every file against media.sha256."""
        expected = {}
        for line in (directory / files["sums"]).read_text().splitlines():
            digest, _, relative = line.partition("  ")
            expected[relative] = digest
        staging.mkdir(mode=0o700)
        try:
            with tarfile.open(directory / files["archive"]) as archive:
                members = archive.getmembers()
                names = {member.name for member in members}
                if not all(member.isfile() for member in members) or names != set(expected):
                    raise CommandError("media.tar does not hold exactly the files media.sha256 names")
                archive.extractall(staging, filter="data")  # no absolute paths, no "..", no links out
            for relative, digest in expected.items():
                if sha256_file(staging / relative) != digest:
                    raise CommandError(f"{relative} does not match its checksum in media.sha256")
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def _swap_in(self, root: Path, staging: Path) -> None:
        """Set aside what the file root held (renames on the same file system, nothing deleted) and move the
        restored files into place. The set-aside copy stays until someone removes it: a restore from the
        wrong backup can be undone."""
        aside = None
        for entry in root.iterdir():
            if entry == staging or entry.name.startswith(".replaced-"):
                continue
            if aside is None:
                aside = root / f".replaced-{timezone.now():%Y%m%d-%H%M%S}"
                aside.mkdir(mode=0o700)
            entry.rename(aside / entry.name)
        for entry in staging.iterdir():
            entry.rename(root / entry.name)
        staging.rmdir()
        if aside is not None:
            self.stdout.write(f"The files this restore replaced are kept in {aside}: remove it once you are sure.")

    # Database ---------------------------------------------------------------------------------------------

    def _postgresql(self, connection, dump: Path, *, drop: bool) -> None:
        pg_restore, psql_program = client_program("pg_restore"), client_program("psql")
        connection.close()  # nothing of ours holds a lock on the tables being dropped
        environment = postgres_environment(connection.settings_dict)
        # Objects are owned by the restoring user and privileges are the target's: the backup may come from
        # another installation with other role names.
        psql = [
            psql_program, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction",
            *(["--command", DROP_EVERYTHING] if drop else []), "--file=-",
        ]  # fmt: skip
        with tempfile.TemporaryFile() as errors:
            restore = subprocess.Popen(  # noqa: S603 - our arguments, no shell
                [pg_restore, "--no-owner", "--no-privileges", "--file=-", str(dump)],
                env=environment, stdout=subprocess.PIPE, stderr=errors,
            )  # fmt: skip
            loader = subprocess.run(  # noqa: S603 - our arguments, no shell
                psql, env=environment, stdin=restore.stdout, capture_output=True, text=True, check=False
            )
            restore.stdout.close()
            restore.wait()
            errors.seek(0)
            restore_errors = errors.read().decode(errors="replace")
        if restore.returncode != 0 or loader.returncode != 0:
            raise CommandError(
                "the database restore failed and was rolled back:\n" + (restore_errors + loader.stderr).strip()
            )

    def _sqlite(self, connection, dump: Path) -> None:
        """Copy the backup over the target with SQLite's backup API (the target's pages are all replaced)."""
        connection.close()
        source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        target = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=30)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()

    def _migrations_note(self, connection) -> None:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            self.stdout.write(
                f"  {len(pending)} migrations of this code are not in the backup: run `manage.py migrate` next"
            )
