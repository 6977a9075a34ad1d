"""What the audit trail's protection costs (docs/audit.md, "Costs"), as ratios to floors measured in the same run.

- The insert path: `audit_record` one row per transaction (autocommit), with the append-only triggers of
  migration 0026 installed and then dropped, against a single-row INSERT into a bare table (the floor).
- A refused access: an audit row per request (before) against the tally's upsert (now), repeated on one object
  and spread over many.
- Sealing: `audit_seal` over N rows written with COPY (as seed_scale writes them), in rows per second, against
  the COPY itself; then `audit_verify` over the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tdkt .venv/bin/python bench/audit.py [--rows 1000000]

It creates (and drops afterwards) a throw-away test database next to DATABASE_URL's.
"""

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402


def rate(label: str, per_second: float, floor: float | None = None) -> float:
    ratio = f"  {floor / per_second:5.2f}× the floor's time per row" if floor else ""
    print(f"  {label:<62} {per_second:>10,.0f} rows/s{ratio}")
    return per_second


def timed(function, count: int) -> float:
    started = time.perf_counter()
    for n in range(count):
        function(n)
    return time.perf_counter() - started


def interleaved(variants: dict, count: int, rounds: int = 5, per_call: int = 1) -> dict[str, float]:
    """Rows per second of each variant (`count` calls of `per_call` rows): `rounds` rounds taking turns (a busy
    neighbour slows them all alike), the median round kept."""
    seen: dict[str, list[float]] = {name: [] for name in variants}
    for _round in range(rounds):
        for name, (before, function) in variants.items():
            if before:
                before()
            calls = count // rounds
            seen[name].append(calls * per_call / timed(function, calls))
    return {name: statistics.median(values) for name, values in seen.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="audit rows to seal (default 200,000)")
    parser.add_argument("--inserts", type=int, default=3000, help="single-row inserts per variant (default 3,000)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/audit.py measures PostgreSQL: set DATABASE_URL")
    old = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        run(args.rows, args.inserts)
    finally:
        teardown_databases(old, verbosity=0)


def run(rows: int, inserts: int) -> None:
    from awards.actor import Actor
    from awards.audit import audit_maintenance, audit_record, audit_seal, audit_verify, refusal_tally
    from awards.models import AuditEvent, RefusedAccessTally, Unit, UnitKind, User

    migration = __import__("awards.migrations.0026_audit_trail", fromlist=["GUARD", "UNGUARD"])
    unit = Unit.objects.create(code="BENCH", name="Đơn vị đo", kind=UnitKind.ENTERPRISE)
    user = User.objects.create(username="bench", full_name="Người đo")
    actor = Actor(user=user)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_floor (id bigserial PRIMARY KEY, v text)")

    def floor_insert(n):
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_floor (v) VALUES (%s)", [str(n)])

    def record(n):
        audit_record(actor=None, action="unit_updated", obj=unit, unit=unit, detail={"fields": ["name"], "n": n})

    def triggers(sql: str):
        def run_sql():
            with connection.cursor() as cursor:
                cursor.execute(sql)

        return run_sql

    def in_batches(function):
        def run(n):
            with transaction.atomic():  # 100 rows per transaction: the code path without a disk flush per row
                for k in range(100):
                    function(n * 100 + k)

        return run

    print(f"PostgreSQL {connection.pg_version // 10000}; {inserts:,} rows per variant, in rounds taking turns\n")
    timed(floor_insert, 300), timed(record, 300)  # warm up
    installed, dropped = triggers(migration.UNGUARD + migration.GUARD), triggers(migration.UNGUARD)
    for title, wrap, per_call in (("one row per transaction (autocommit)", lambda f: f, 1),
                                  ("100 rows per transaction (the code path, no disk flush per row)", in_batches, 100)):  # fmt: skip
        print(f"Insert path, {title}:")
        measured = interleaved(
            {
                "floor: INSERT INTO a bare table": (None, wrap(floor_insert)),
                "audit_record, append-only triggers installed": (installed, wrap(record)),
                "audit_record, triggers dropped": (dropped, wrap(record)),
            },
            inserts // per_call,
            rounds=7,
            per_call=per_call,
        )
        installed()
        floor = measured["floor: INSERT INTO a bare table"]
        for label, per_second in measured.items():
            rate(label, per_second, None if per_second is floor else floor)
        cost = measured["audit_record, triggers dropped"] / measured["audit_record, append-only triggers installed"]
        print(f"  → with the triggers a row takes {cost:.2f}× the time (they fire on UPDATE, DELETE, TRUNCATE)\n")

    print("A refused access:")
    refusals = interleaved(
        {
            "floor: INSERT INTO a bare table": (None, floor_insert),
            "before: one audit row per refusal": (None, lambda n: audit_record(
                actor=actor, action="access_denied", object_type="nomination", object_id=str(n % 50), ip="10.0.0.1")),
            "now: the tally's upsert, the same 50 objects again and again": (None, lambda n: refusal_tally(
                actor=actor, what="nomination", object_id=n % 50, ip="10.0.0.1")),
            "now: the tally's upsert, a new object each time": (None, lambda n: refusal_tally(
                actor=actor, what="report", object_id=n, ip="10.0.0.1")),
        },
        inserts,
    )  # fmt: skip
    floor = refusals.pop("floor: INSERT INTO a bare table")
    for label, per_second in refusals.items():
        rate(label, per_second, floor)
    RefusedAccessTally.objects.all().delete()

    print(f"\nSealing {rows:,} rows written with COPY (docs/architecture.md, fact 10):")
    audit_seal(limit=None, wait=0)  # what the insert runs wrote
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    columns = ["at", "actor_id", "unit_id", "action", "object_type", "object_id", "object_repr", "from_state",
               "to_state", "detail", "ip_address"]  # fmt: skip
    detail = json.dumps({"step": "police_appraisal", "from": None, "to": user.pk})
    started = time.perf_counter()
    sql = f"COPY awards_auditevent ({', '.join(columns)}) FROM STDIN"
    with transaction.atomic(), connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for n in range(rows):
            copy.write_row((start + dt.timedelta(seconds=n), user.pk, unit.pk, "nomination_assigned", "nomination",
                            str(n), f"nomination #{n}", "", "", detail, "10.1.2.3"))  # fmt: skip
    copied = rate("COPY (the floor here)", rows / (time.perf_counter() - started))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE awards_auditevent")
    started = time.perf_counter()
    result = audit_seal(limit=None, wait=0)
    seconds = time.perf_counter() - started
    assert result["sealed"] == rows, result
    rate(f"audit_seal: {seconds:.1f} s", rows / seconds, copied)
    total = AuditEvent.objects.count()
    started = time.perf_counter()
    check = audit_verify()
    assert check.ok and check.sealed == total, check
    seconds = time.perf_counter() - started
    rate(f"audit_verify of all {total:,} rows: {seconds:.1f} s", total / seconds, copied)
    with audit_maintenance(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_floor")


if __name__ == "__main__":
    main()
