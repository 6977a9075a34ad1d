"""The audit trail: the writer, the seals that chain its rows, their check, and the tally of refused accesses.

One append-only row per change (who, under which membership, on whose behalf, what, from which state to
which). Below both selectors and services, so a read may record a refused access without importing the
writes. docs/audit.md says what is recorded, how the rows are protected and how long they are kept.

- **No personal data.** A row names its object by type and id (a unit by its code) and keeps ids in its
  detail, never a person's name or CCCD: the pages show the object's current name, read when they are shown
  (awards.selectors.audit).
- **Immutable.** On PostgreSQL the database refuses UPDATE, DELETE and TRUNCATE of the rows and their seals
  (triggers of migration 0026) unless the transaction set the maintenance switch (`audit_maintenance`).
- **Chained.** `audit_seal` (a periodic job) seals the committed rows in id order: seal_n = sha256(seal_{n-1}
  + canonical_n), stored in AuditSeal. Writers never wait for it. `audit_verify` finds the first row altered,
  removed or inserted out of order, on PostgreSQL and SQLite alike.
- **Refused accesses** are counted per user, object and hour in a mutable tally (`refusal_tally`);
  `refusals_record` writes one audit row per tally once its hour has closed.
"""

import datetime as dt
import hashlib
import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .actor import Actor
from .models import AuditEvent, AuditSeal, RefusedAccessTally, Unit

log = logging.getLogger(__name__)
security_log = logging.getLogger("tdkt.security")


# Writing ------------------------------------------------------------------------------------------------


def label_for(object_type: str, object_id: object) -> str:
    """The label a row keeps for an object it names by type and id: "nomination #12"."""
    object_id = str(object_id or "")
    return f"{object_type} #{object_id}"[:255] if object_type and object_id else object_type[:255]


def audit_label(obj) -> str:
    """What the trail keeps to name an object: a unit's code, else its type and id; never a person's name."""
    if isinstance(obj, Unit) and obj.code:
        return obj.code[:255]
    return label_for(obj._meta.model_name, obj.pk)


def audit_record(*, actor: Actor | None, action: str, **fields) -> AuditEvent:
    """Write one row (`audit_event`'s fields). `detail` holds ids, codes, states and field names: never a name or a
    CCCD number."""
    event = audit_event(actor=actor, action=action, **fields)
    event.save(force_insert=True)
    return event


def audit_record_many(events: list[AuditEvent]) -> list[AuditEvent]:
    """Write the rows `audit_event` built, in their order, in one INSERT per thousand (a batch service's rows)."""
    return AuditEvent.objects.bulk_create(events, batch_size=1000)


def audit_event(
    *,
    actor: Actor | None,
    action: str,
    obj: object | None = None,
    unit: Unit | None = None,
    object_type: str = "",
    object_id: str = "",
    from_state: str = "",
    to_state: str = "",
    detail: dict | None = None,
    ip: str | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """The row `audit_record` writes, unsaved (`audit_record_many` writes many at once)."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(obj.pk)
        object_repr = audit_label(obj)
    else:
        object_repr = label_for(object_type, object_id)
    return AuditEvent(
        at=at or timezone.now(),
        actor=actor.user if actor else None,
        on_behalf_of=actor.on_behalf_of if actor else None,
        membership=actor.membership if actor else None,
        unit=unit if unit is not None else (actor.unit if actor else None),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        from_state=from_state,
        to_state=to_state,
        detail=detail or {},
        ip_address=ip,
    )


# The maintenance switch ---------------------------------------------------------------------------------

# Read by the triggers of migration 0026: "on" for the length of one transaction lets it change or remove audit
# rows. Set only by the test suite's flush (tests/conftest.py) and the maintenance steps of docs/audit.md.
MAINTENANCE_SETTING = "tdkt.audit_maintenance"
MAINTENANCE_SQL = f"SET LOCAL {MAINTENANCE_SETTING} = 'on'"


def _maintenance_switch(connection, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [MAINTENANCE_SETTING, value])


@contextmanager
def audit_maintenance(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """A transaction (a savepoint inside one) in which PostgreSQL lets audit rows and seals be changed, removed
    or truncated. The switch is turned off again when the block ends (a block that fails rolls it back)."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            _maintenance_switch(connection, "on")
        yield
        if connection.vendor == "postgresql":
            _maintenance_switch(connection, "off")


# Sealing ------------------------------------------------------------------------------------------------

# What a seal covers: every column of the row, foreign keys as ids.
CANONICAL_FIELDS = (
    "id", "at", "actor_id", "on_behalf_of_id", "membership_id", "unit_id", "action", "object_type", "object_id",
    "object_repr", "from_state", "to_state", "detail", "ip_address",
)  # fmt: skip
SEAL_LOCK = 0x7464_6B74_A0D1  # pg_advisory_xact_lock key: one sealer at a time
SEAL_BATCH = 5000  # rows read and seals written per round trip
SEAL_LIMIT = 100_000  # rows sealed per run of the periodic job (on SQLite writers wait while it runs)
SEAL_WAIT = 20.0  # seconds a run waits for transactions still inserting audit rows to finish


def canonical(values: tuple) -> str:
    """A row's content as sealed: sorted-key JSON of CANONICAL_FIELDS, the time in UTC to the microsecond."""
    row = dict(zip(CANONICAL_FIELDS, values, strict=True))
    row["at"] = row["at"].astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if row["ip_address"] is not None:
        row["ip_address"] = str(row["ip_address"])
    return json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def chain_hash(previous: str, content: str) -> str:
    return hashlib.sha256((previous + content).encode()).hexdigest()


def _writers(cursor, table: str) -> set[str]:
    """Other transactions of this database that hold the lock every INSERT into `table` takes before it draws
    an id (RowExclusiveLock, held until they end): prepared ones included."""
    cursor.execute(
        "SELECT virtualtransaction FROM pg_locks WHERE locktype = 'relation' AND relation = %s::regclass "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
        "AND mode = 'RowExclusiveLock' AND granted AND pid IS DISTINCT FROM pg_backend_pid()",
        [table],
    )
    return {row[0] for row in cursor.fetchall()}


def _settled_top(connection, wait: float) -> tuple[int | None, int]:
    """The highest id below which no row can still appear, and how many transactions kept it from settling.

    PostgreSQL: ids are drawn when a row is inserted and become visible when its transaction commits, so a
    lower id may commit after a higher one. Read the highest visible id first, then the transactions still
    holding the table's insert lock: any row with a lower id that is not visible yet belongs to one of them
    (an INSERT takes the lock before it draws its id, and keeps it until it ends; a transaction that takes it
    later draws a higher id). Once they have all ended, every id up to that top is final.
    SQLite: the sealer's transaction holds the database's write lock (IMMEDIATE), so no writer is in flight."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max(id) FROM {table}")  # noqa: S608
        top = cursor.fetchone()[0]
        if connection.vendor != "postgresql" or top is None:
            return top, 0
        waiting = _writers(cursor, AuditEvent._meta.db_table)
        deadline = time.monotonic() + wait
        while waiting and time.monotonic() < deadline:
            time.sleep(0.05)
            waiting &= _writers(cursor, AuditEvent._meta.db_table)
        return top, len(waiting)


def _seals_write(connection, seals: list[tuple]) -> None:
    """(event id, follows, hash, sealed at) rows: COPY on PostgreSQL, one executemany elsewhere."""
    table, columns = connection.ops.quote_name(AuditSeal._meta.db_table), "event_id, follows, hash, sealed_at"
    if connection.vendor == "postgresql":
        with connection.connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in seals:
                copy.write_row(row)
        return
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s)",  # noqa: S608
            [(event_id, follows, digest, adapt(at)) for event_id, follows, digest, at in seals],
        )


def audit_seal(*, limit: int | None = SEAL_LIMIT, wait: float = SEAL_WAIT, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Seal the committed rows after the last sealed one, in id order, up to `limit` rows (None: all).

    One sealer at a time (an advisory lock on PostgreSQL, the write lock on SQLite); writers never wait for it
    on PostgreSQL. A row that appears below the last sealed one is never sealed out of order: `audit_verify`
    reports it."""
    connection = connections[using]
    started, sealed = time.monotonic(), 0
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK])
        top, waiting = _settled_top(connection, wait)
        if waiting:
            log.warning("audit_seal: %d transactions inserting audit rows did not end within %.0f s", waiting, wait)
            return {"sealed": 0, "waiting_for": waiting}
        head = AuditSeal.objects.using(using).order_by("-event_id").values_list("event_id", "hash").first()
        head_id, head_hash = head or (None, "")
        now = timezone.now()
        rows = AuditEvent.objects.using(using).order_by("id")
        while top is not None and (limit is None or sealed < limit):
            size = SEAL_BATCH if limit is None else min(SEAL_BATCH, limit - sealed)
            page = rows.filter(id__lte=top) if head_id is None else rows.filter(id__gt=head_id, id__lte=top)
            batch = list(page.values_list(*CANONICAL_FIELDS)[:size])
            if not batch:
                break
            seals = []
            for values in batch:
                head_hash = chain_hash(head_hash, canonical(values))
                seals.append((values[0], head_id, head_hash, now))
                head_id = values[0]
            _seals_write(connection, seals)
            sealed += len(seals)
        more = top is not None and head_id is not None and head_id < top
    seconds = time.monotonic() - started
    return {"sealed": sealed, "head": head_id, "more": more, "seconds": round(seconds, 3)}


# Verifying ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    kind: str  # "altered", "removed", "inserted"
    event_id: int
    message: str


@dataclass(frozen=True)
class Verification:
    rows: int
    sealed: int
    unsealed: int  # the newest rows, not sealed yet
    head: tuple[int, str] | None  # the last sealed row and its seal
    problem: Finding | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def audit_verify(*, anchor: tuple[int, str] | None = None, using: str = DEFAULT_DB_ALIAS) -> Verification:
    """Walk the rows in id order, recompute each seal from the one before and report the first row altered,
    removed or inserted out of order. `anchor` (id, seal) is the last row removed by a documented archiving
    (docs/audit.md): the chain goes on from it."""
    previous_id, previous_hash = anchor or (None, "")
    rows = sealed = unsealed = 0
    first_unsealed, problem = None, None
    # A seal whose row is gone (the newest rows removed with nothing sealed after them, or a row removed where
    # foreign keys are not enforced).
    orphan = (
        AuditSeal.objects.using(using)
        .filter(~Exists(AuditEvent.objects.using(using).filter(pk=OuterRef("event_id"))))
        .order_by("event_id")
        .values_list("event_id", flat=True)
        .first()
    )
    fields = (*CANONICAL_FIELDS, "seal__hash", "seal__follows")
    last = None
    query = AuditEvent.objects.using(using).order_by("id")
    while problem is None:
        page = list((query if last is None else query.filter(id__gt=last)).values_list(*fields)[:SEAL_BATCH])
        if not page:
            break
        for values in page:
            event_id, seal, follows = values[0], values[-2], values[-1]
            last, rows = event_id, rows + 1
            if seal is None:
                unsealed += 1
                first_unsealed = first_unsealed or event_id
                continue
            if first_unsealed is not None:
                problem = Finding("inserted", first_unsealed, f"row #{first_unsealed} is not sealed but row "
                                  f"#{event_id} after it is: it was inserted out of order (or its seal removed)")  # fmt: skip
                break
            if follows != previous_id:
                if follows is not None and previous_id is not None and follows < previous_id:
                    problem = Finding("inserted", previous_id, f"row #{previous_id} was inserted out of order: "
                                      f"row #{event_id} was sealed after row #{follows}")  # fmt: skip
                elif follows is None:
                    problem = Finding("inserted", previous_id, f"rows up to #{previous_id} were inserted before "
                                      f"the first sealed row #{event_id}")  # fmt: skip
                else:
                    problem = Finding("removed", follows, f"row #{follows} was removed: row #{event_id} was "
                                      f"sealed after it" + ("" if anchor or previous_id else
                                      " (rows archived by docs/audit.md's steps: give --anchor)"))  # fmt: skip
                break
            if chain_hash(previous_hash, canonical(values[: len(CANONICAL_FIELDS)])) != seal:
                problem = Finding("altered", event_id, f"row #{event_id} was altered after it was sealed")
                break
            previous_id, previous_hash, sealed = event_id, seal, sealed + 1
    if orphan is not None and (problem is None or orphan < problem.event_id):
        problem = Finding("removed", orphan, f"row #{orphan} was removed after it was sealed")
    head = (previous_id, previous_hash) if previous_id is not None else None
    return Verification(rows=rows, sealed=sealed, unsealed=unsealed, head=head, problem=problem)


# Refused accesses ---------------------------------------------------------------------------------------

REFUSAL_GRACE = dt.timedelta(minutes=1)  # an hour's tallies are written this long after it closes


def _hour(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def refusal_tally(*, actor: Actor, what: str, object_id: object, ip: str | None = None) -> None:
    """Count one refused access of `actor` to `what` #`object_id` in this hour (one statement, an upsert)."""
    connection = connections[DEFAULT_DB_ALIAS]
    ops, q = connection.ops, connection.ops.quote_name
    table = q(RefusedAccessTally._meta.db_table)
    membership = actor.membership
    behalf = membership.acting_for.user_id if membership is not None and membership.acting_for_id else None
    now = timezone.now()
    sql = (
        f"INSERT INTO {table} (user_id, membership_id, on_behalf_of_id, unit_id, object_type, object_id, hour, "  # noqa: S608
        f"{q('count')}, first_at, last_at, ip_address) VALUES (%s, %s, %s, %s, %s, %s, %s, 1, %s, %s, %s) "
        f"ON CONFLICT (user_id, object_type, object_id, hour) DO UPDATE SET {q('count')} = {table}.{q('count')} + 1, "
        "last_at = EXCLUDED.last_at"
    )
    at = ops.adapt_datetimefield_value(now)
    params = [actor.user.pk, getattr(membership, "pk", None), behalf, getattr(membership, "unit_id", None),
              what[:64], str(object_id)[:64], ops.adapt_datetimefield_value(_hour(now)), at, at,
              ops.adapt_ipaddressfield_value(ip)]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _refusals_row(tally: RefusedAccessTally) -> AuditEvent:
    return AuditEvent(
        at=tally.first_at, actor_id=tally.user_id, on_behalf_of_id=tally.on_behalf_of_id,
        membership_id=tally.membership_id, unit_id=tally.unit_id, action="access_denied",
        object_type=tally.object_type, object_id=tally.object_id, object_repr=label_for(tally.object_type, tally.object_id),
        ip_address=tally.ip_address,
        detail={"count": tally.count, "hour": tally.hour.astimezone(dt.UTC).isoformat(),
                "last_at": tally.last_at.astimezone(dt.UTC).isoformat()},
    )  # fmt: skip


def refusals_record(*, now: dt.datetime | None = None) -> dict:
    """Write one audit row per tally of an hour that has closed (its count, first and last time in the detail)
    and delete the tallies, in one transaction: each tally becomes exactly one row."""
    closed = _hour((now or timezone.now()) - REFUSAL_GRACE)  # tallies of hours before this one are complete
    with transaction.atomic():
        closed_tallies = RefusedAccessTally.objects.select_for_update(skip_locked=True).filter(hour__lt=closed)
        tallies = list(closed_tallies.order_by("hour", "pk"))
        AuditEvent.objects.bulk_create([_refusals_row(t) for t in tallies], batch_size=1000)
        RefusedAccessTally.objects.filter(pk__in=[t.pk for t in tallies]).delete()
    return {"written": len(tallies), "refusals": sum(t.count for t in tallies)}
