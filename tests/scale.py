"""`scale_world`: seed_scale's data at 10,000 nominations, for tests that must see many rows (query counts).

Isolation. Every other test expects an empty database (their factories make units coded "BCA", "CA-T"…,
the demo's codes among them), so the world never stays committed:
- `scale_snapshot` (session scope: once per test worker, as each xdist worker has its own database)
  builds the world inside a transaction, copies out the rows it added (PostgreSQL `COPY … TO`, kept in
  memory, a few MB) and rolls the transaction back.
- `scale_world` (module scope) opens a transaction, copies the rows back in (about two seconds) and yields;
  the module's tests run nested in it (pytest-django's `db` wraps each test in a savepoint, rolled back
  after it), and the transaction is rolled back when the module's last test has run. Other modules never
  see the rows, whichever worker runs them and in whatever order.
- A snapshot is only reused on the database state it was taken from: if a transactional test has since
  flushed the tables (content types and permissions are written again with new ids), `scale_world`
  builds the world afresh inside its transaction instead.
- Uploaded files the build stored (minutes, signed scans) live in one temporary MEDIA_ROOT per worker,
  set while the module runs.

Use it in a test module with `from tests.scale import scale_snapshot, scale_world  # noqa: F401` and
`@pytest.mark.usefixtures("scale_world")` on tests that also ask for `db`; tests that do not ask for it
see an empty database as usual. (Imported into several modules, the session fixture is one per module
for pytest: the snapshot itself is kept per process, so the world is still built once per worker.)
"""

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import override_settings

from awards.actor import Actor
from awards.demo.scale import build_scale
from awards.models import Membership

SIZE = {"units": 100, "nominations": 10_000, "audit_events": 80_000, "seed": 7}


def _state() -> dict[str, tuple] | None:
    """Each non-empty table's row count, highest id and checksum; None if a non-empty table has no id."""
    state = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT count(*) FROM {quoted}")  # noqa: S608
            if not cursor.fetchone()[0]:
                continue
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            if "id" not in columns:
                return None
            cursor.execute(f"SELECT count(*), max(id), md5(string_agg(t::text, '|' ORDER BY id)) FROM {quoted} t")  # noqa: S608
            state[table] = cursor.fetchone()
    return state


@dataclass
class ScaleWorld:
    counts: dict
    media_root: Path
    baseline: dict | None = None
    rows: dict[str, bytes] = field(default_factory=dict)
    source: str = ""  # how the last load made it: "snapshot" (copied back) or "built"

    @staticmethod
    def actor(username: str) -> Actor:
        membership = Membership.objects.select_related("user", "unit", "acting_for__user").get(
            user__username=username, is_active=True
        )
        return Actor(user=membership.user, membership=membership)

    @classmethod
    def take(cls, media_root: Path) -> "ScaleWorld":
        """Build inside a transaction, copy the rows it added out, roll back."""
        baseline = _state()
        with transaction.atomic():
            counts = build_scale(**SIZE)
            connection.check_constraints()  # every foreign key of the build holds
            world = cls(counts=counts, media_root=media_root, baseline=baseline)
            if baseline is not None:
                world.rows = world._dump(baseline)
            transaction.set_rollback(True)
        return world

    def _dump(self, baseline: dict) -> dict[str, bytes]:
        rows: dict[str, bytes] = {}
        with connection.cursor() as cursor:
            for table in sorted(connection.introspection.table_names(cursor)):
                quoted = connection.ops.quote_name(table)
                if table in baseline:
                    count, top, checksum = baseline[table]
                    cursor.execute(
                        f"SELECT count(*), max(id), md5(string_agg(t::text, '|' ORDER BY id)) FROM {quoted} t "  # noqa: S608
                        "WHERE id <= %s",
                        [top],
                    )
                    if cursor.fetchone() != (count, top, checksum):
                        self.baseline = None  # the build changed rows it did not add: no snapshot
                        return {}
                    query = f"SELECT * FROM {quoted} WHERE id > {int(top)}"  # noqa: S608
                else:
                    query = f"SELECT * FROM {quoted}"  # noqa: S608
                with connection.connection.cursor() as raw, raw.copy(f"COPY ({query}) TO STDOUT") as copy:
                    data = b"".join(bytes(chunk) for chunk in copy)
                if data:
                    rows[table] = data
        return rows

    def load(self) -> None:
        """The world in the current transaction: copied back if the database is as it was, else built."""
        if self.baseline is None or _state() != self.baseline:
            self.counts = build_scale(**SIZE)
            connection.check_constraints()
            self.source = "built"
            return
        self.source = "snapshot"
        with connection.cursor() as cursor:
            # The rows were checked when the snapshot was taken: a superuser loads them without foreign-key
            # triggers (else their checks run here, once, below).
            try:
                with transaction.atomic():
                    cursor.execute("SET LOCAL session_replication_role = replica")
                checked = True
            except DatabaseError:
                checked = False
            for table, data in self.rows.items():
                quoted = connection.ops.quote_name(table)
                with connection.connection.cursor() as raw, raw.copy(f"COPY {quoted} FROM STDIN") as copy:
                    copy.write(data)
                columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
                if "id" in columns:  # ids handed out later stay above the copied ones
                    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                    sequence = cursor.fetchone()[0]
                    if sequence:
                        cursor.execute(
                            f"SELECT setval(%s, GREATEST((SELECT coalesce(max(id), 1) FROM {quoted}), "  # noqa: S608
                            f"(SELECT last_value FROM {sequence})))",
                            [sequence],
                        )
            if checked:
                cursor.execute("SET LOCAL session_replication_role = origin")
            cursor.execute("ANALYZE")
        if not checked:
            # Check the foreign keys now, in the module's transaction: left deferred, every test's savepoint
            # would check (and roll back) them all again at its teardown (Django's TestCase checks there).
            connection.check_constraints()


_snapshot: ScaleWorld | None = None  # this worker's (a fixture imported into two modules is two fixtures)


@pytest.fixture(scope="session")
def scale_snapshot(django_db_setup, django_db_blocker, tmp_path_factory) -> ScaleWorld:
    global _snapshot
    if _snapshot is None:
        media_root = tmp_path_factory.mktemp("scale-media")
        with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media_root)):
            _snapshot = ScaleWorld.take(media_root)
    return _snapshot


@pytest.fixture(scope="module")
def scale_world(scale_snapshot, django_db_blocker):
    """The 10,000-nomination world, in a transaction rolled back after the module's tests."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(scale_snapshot.media_root)),
        transaction.atomic(),
    ):
        scale_snapshot.load()
        yield scale_snapshot
        transaction.set_rollback(True)
