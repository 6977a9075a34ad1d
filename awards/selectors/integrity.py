"""Invariants checked by machine: what must hold between the rows the services write, read back in a few
set-based queries (`manage.py check_integrity`, docs/integrity.md).

Each check returns `Finding`s (the invariant's code, the model, the rows' ids, a plain explanation); none means
the invariant holds. They only read: a finding is for an administrator to look into (docs/integrity.md says
what each means and what to do), never repaired here.

- **workflow**: each nomination's status and step match its viewflow process and open task.
- **award**: each awarded nomination sits in exactly one issued, non-revoked award decision item (and nothing
  else does); a revoked one was revoked by an issued decision referring to the award.
- **register**: register numbers are unique per issuing body, symbol and year; an issued decision has its
  number and date in the register of its date's year; a draft has none.
- **prize**: prize totals equal their items: an issued award's items carry the money fixed at issue, one
  amount per nominee kind (what "mỗi cá nhân … đồng; tổng cộng …" prints); a revocation's items the money
  the revoked award paid.
- **file**: every stored file's bytes still hash to the checksum (and size) its row recorded.
- **audit**: every live nomination has an audit row for its last move.

Every check is a constant number of queries whatever the size of the data (measured on 100,000 nominations in
docs/integrity.md); only the file check reads bytes, once per distinct file, and may sample or be skipped.
"""

import hashlib
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import ExtractYear
from viewflow.workflow.fields import get_flow_ref
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from workflows.flows import ROUTE_FLOWS
from workflows.models import NominationProcess

from ..models import (
    LIVE_STATUSES,
    OPEN_STATUSES,
    ROUTE_STEPS,
    UNIT_STEPS,
    AuditEvent,
    AwardType,
    Decision,
    DecisionItem,
    DecisionKind,
    DecisionStatus,
    DocumentStatus,
    Export,
    GeneratedDocument,
    Nomination,
    NominationAction,
    NominationFile,
    NominationStatus,
    ReportAttachment,
    Step,
)

# The invariants, in the order they are checked and printed: code → what must hold.
INVARIANTS = {
    "workflow": "each nomination's status matches its viewflow process and open task",
    "award": "each awarded nomination sits in exactly one issued, non-revoked decision item",
    "register": "register numbers are unique per issuer, symbol and year",
    "prize": "prize totals equal their items",
    "file": "every stored file's checksum matches its bytes",
    "audit": "every live nomination has an audit row for its last move",
}


@dataclass(frozen=True)
class Finding:
    invariant: str  # a code of INVARIANTS
    model: str  # what the ids are: "nomination", "decision", "decision item", "nomination file", …
    ids: tuple[int, ...]
    explanation: str

    def as_dict(self) -> dict:
        return {**asdict(self), "ids": list(self.ids)}

    def __str__(self) -> str:
        return f"[{self.invariant}] {self.model} {', '.join(f'#{pk}' for pk in self.ids)}: {self.explanation}"


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)


# workflow -----------------------------------------------------------------------------------------------

FINISHED_TASKS = (STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED)  # what viewflow's cancel leaves alone
# The step each open status may be at (awaiting a decision only at its own step; under review only at an
# agency's step; returned to the unit or to an agency).
STATUS_STEPS = {
    NominationStatus.DRAFT: frozenset(UNIT_STEPS),
    NominationStatus.IN_REVIEW: frozenset(Step.values) - UNIT_STEPS - {Step.AWAITING_DECISION},
    NominationStatus.RETURNED: frozenset(Step.values) - {Step.AWAITING_DECISION},
    NominationStatus.AWAITING_DECISION: frozenset({Step.AWAITING_DECISION}),
}
# How the process of a decided or closed nomination ended: (process status, the End node it finished at).
TERMINAL = {
    NominationStatus.AWARDED: (PROCESS.DONE, "decided"),
    NominationStatus.REVOKED: (PROCESS.DONE, "decided"),  # revoked later by a decision; the flow had ended
    NominationStatus.REJECTED: (PROCESS.DONE, "rejected"),
    NominationStatus.WITHDRAWN: (PROCESS.CANCELED, None),
}


def workflow_findings() -> list[Finding]:
    """A nomination has exactly one process, of its tier's flow. While open (being prepared, under review,
    returned, awaiting a decision) the process runs and has exactly one open task, NEW, at the nomination's
    step, a step its status allows on its route. Once awarded or revoked the process is done at `decided`;
    rejected, done at `rejected`; withdrawn, cancelled; and no task is open."""
    # The tasks that matter, summed per process first (an open one; the End it finished at), so that the
    # nominations meet one row per process: 1.5 s on 100,000 nominations and 650,000 of their tasks.
    finished = ", ".join(["%s"] * len(FINISHED_TASKS))
    is_open, flow_task = f"status NOT IN ({finished})", _column(Task, "flow_task")
    sql = f"""
        SELECT n.id, n.status, n.step, a.route, COUNT(p.id), MIN(p.{_column(Process, "flow_class")}), MIN(p.status),
               SUM(t.open_tasks), MIN(t.open_node), MIN(t.open_status), MIN(t.end_node)
        FROM {_table(Nomination)} n
        JOIN {_table(AwardType)} a ON a.id = n.award_type_id
        LEFT JOIN {_table(NominationProcess)} np ON np.nomination_id = n.id
        LEFT JOIN {_table(Process)} p ON p.id = np.process_ptr_id
        LEFT JOIN (SELECT process_id, SUM(CASE WHEN {is_open} THEN 1 ELSE 0 END) AS open_tasks,
                          MIN(CASE WHEN {is_open} THEN {flow_task} END) AS open_node,
                          MIN(CASE WHEN {is_open} THEN status END) AS open_status,
                          MIN(CASE WHEN status = %s THEN {flow_task} END) AS end_node
                   FROM {_table(Task)}
                   WHERE {is_open} OR {flow_task} LIKE %s OR {flow_task} LIKE %s
                   GROUP BY process_id) t ON t.process_id = p.id
        GROUP BY n.id, n.status, n.step, a.route
    """  # noqa: S608 - table and column names from the models, values as parameters
    params = [*FINISHED_TASKS * 3, STATUS.DONE, *FINISHED_TASKS, "%.decided", "%.rejected"]  # in order of the %s
    flows = {route: get_flow_ref(flow) for route, flow in ROUTE_FLOWS.items()}
    findings = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            pk, status, step, route = row[:4]
            problems = _workflow_problems(status, step, route, flows.get(route), *row[4:])
            if problems:
                findings.append(Finding("workflow", "nomination", (pk,), f"status {status!r} at step {step!r}: "
                                        + "; ".join(problems) + "."))  # fmt: skip
    return findings


def _workflow_problems(status, step, route, flow, processes, process_flow, process_status, open_tasks, open_node,
                       open_status, end_node) -> list[str]:  # fmt: skip
    if processes != 1:
        return [f"it has {processes} workflow processes, not exactly one"]
    if flow is None:
        return [f"its tier's route {route!r} has no flow"]
    if process_flow != flow:
        return [f"its process runs {process_flow}, not its tier's flow {flow}"]
    node = lambda name: f"{flow}.{name}"  # noqa: E731
    problems = []
    if status in (*OPEN_STATUSES, NominationStatus.AWAITING_DECISION):
        if step not in ROUTE_STEPS.get(route, ()) or step not in STATUS_STEPS[status]:
            problems.append(f"a nomination {status!r} cannot be at step {step!r} of the {route} route")
        if process_status != PROCESS.NEW:
            problems.append(f"its process has ended ({process_status}) although the nomination is still open")
        if open_tasks != 1:
            problems.append(f"its process has {open_tasks or 0} open tasks, not one at {step!r}")
        elif open_node != node(step) or open_status != STATUS.NEW:
            problems.append(f"its open task is {open_node} ({open_status}), not {step!r} (NEW)")
    elif status in TERMINAL:
        expected, end = TERMINAL[status]
        if process_status != expected:
            problems.append(f"its process is {process_status}, not {expected}")
        elif end is not None and end_node != node(end):
            problems.append(f"its process did not finish at {end!r} ({end_node or 'no end task done'})")
        if open_tasks:
            problems.append(f"its process still has {open_tasks} open tasks ({open_node})")
    else:
        problems.append("the status is unknown")
    return problems


# award --------------------------------------------------------------------------------------------------


def _in_force():
    """Award items in force: in an issued award decision and not revoked."""
    return DecisionItem.objects.filter(
        decision__status=DecisionStatus.ISSUED, decision__kind=DecisionKind.AWARD, revoked_by__isnull=True
    )


def award_findings() -> list[Finding]:
    """An awarded nomination is in exactly one item in force (an issued award decision, not revoked); a
    nomination in such an item is awarded; a revoked nomination's award was revoked, and nothing awards it
    now; an item marked revoked names an issued revocation that refers to the item's decision and holds
    the same nomination."""
    findings = []
    in_force = Q(decision_items__decision__status=DecisionStatus.ISSUED,
                 decision_items__decision__kind=DecisionKind.AWARD, decision_items__revoked_by__isnull=True)  # fmt: skip
    awarded = (
        Nomination.objects.filter(status=NominationStatus.AWARDED)
        .annotate(awards=Count("decision_items", filter=in_force))
        .exclude(awards=1)
        .values_list("pk", "awards")
        .order_by("pk")
    )
    for pk, awards in awarded:
        findings.append(Finding("award", "nomination", (pk,), (
            "awarded, but no issued award decision names it (or its award there was revoked)" if not awards else
            f"awarded by {awards} issued decisions in force: an award is given once")))  # fmt: skip
    others = (
        _in_force()
        .exclude(nomination__status=NominationStatus.AWARDED)
        .values_list("pk", "decision_id", "nomination_id", "nomination__status")
        .order_by("pk")
    )
    for pk, decision, nomination, status in others:
        findings.append(Finding("award", "decision item", (pk,), (
            f"issued decision #{decision} awards nomination #{nomination}, whose status is {status!r}, not "
            "'awarded'")))  # fmt: skip
    revoked_by_issued = DecisionItem.objects.filter(
        nomination=OuterRef("pk"), decision__status=DecisionStatus.ISSUED, decision__kind=DecisionKind.AWARD,
        revoked_by__status=DecisionStatus.ISSUED,
    )  # fmt: skip
    revoked = (
        Nomination.objects.filter(status=NominationStatus.REVOKED)
        .exclude(Exists(revoked_by_issued))
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    for pk in revoked:
        findings.append(Finding("award", "nomination", (pk,),
                                "its award is marked revoked, but no issued decision revoked an award of it"))  # fmt: skip
    same_in_revocation = DecisionItem.objects.filter(decision=OuterRef("revoked_by"), nomination=OuterRef("nomination"))
    badly_revoked = (
        DecisionItem.objects.filter(revoked_by__isnull=False)
        .exclude(
            Q(
                revoked_by__kind=DecisionKind.REVOCATION,
                revoked_by__status=DecisionStatus.ISSUED,
                revoked_by__refers_to=F("decision"),
            )
            & Exists(same_in_revocation)
        )  # fmt: skip
        .values_list("pk", "decision_id", "revoked_by_id", "nomination_id")
        .order_by("pk")
    )
    for pk, decision, revoked_by, nomination in badly_revoked:
        findings.append(Finding("award", "decision item", (pk,), (
            f"marked revoked by decision #{revoked_by}, which is not an issued revocation of decision #{decision} "
            f"naming nomination #{nomination}")))  # fmt: skip
    return findings


# register -----------------------------------------------------------------------------------------------


def register_findings() -> list[Finding]:
    """No two decisions hold one number in the register of one issuing body, symbol and year; an issued
    decision has a number and a date, and sits in the register of its date's year; a draft holds no number."""
    findings = []
    clashes = (
        Decision.objects.filter(number__isnull=False)
        .values("issuer_id", "symbol", "year", "number")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("issuer_id", "symbol", "year", "number")
    )
    keys = [(c["issuer_id"], c["symbol"], c["year"], c["number"]) for c in clashes]
    if keys:
        q = Q(pk__in=[])
        for issuer, symbol, year, number in keys:
            q |= Q(issuer_id=issuer, symbol=symbol, year=year, number=number)
        holders = defaultdict(list)
        for pk, *key in Decision.objects.filter(q).order_by("pk").values_list("pk", "issuer_id", "symbol", "year",
                                                                               "number"):  # fmt: skip
            holders[tuple(key)].append(pk)
        for issuer, symbol, year, number in keys:
            findings.append(Finding("register", "decision", tuple(holders[(issuer, symbol, year, number)]), (
                f"{len(holders[(issuer, symbol, year, number)])} decisions hold number {number:02d}/{symbol} of "
                f"{year} in the register of unit #{issuer}: a number is used once")))  # fmt: skip
    issued = (
        Decision.objects.filter(status=DecisionStatus.ISSUED)
        .annotate(date_year=ExtractYear("date"))
        .filter(Q(number__isnull=True) | Q(date__isnull=True) | ~Q(year=F("date_year")))
        .values_list("pk", "number", "date", "year")
        .order_by("pk")
    )
    for pk, number, date, year in issued:
        why = ("it has no number or no date" if number is None or date is None else
               f"it is dated {date:%d/%m/%Y} while its number is in the register of {year}")  # fmt: skip
        findings.append(Finding("register", "decision", (pk,), f"issued, but {why}"))
    drafts = (
        Decision.objects.filter(status=DecisionStatus.DRAFT, number__isnull=False)
        .values_list("pk", "number")
        .order_by("pk")
    )
    for pk, number in drafts:
        findings.append(Finding("register", "decision", (pk,),
                                f"a draft holding number {number}: a number is fixed only at issue"))  # fmt: skip
    return findings


# prize --------------------------------------------------------------------------------------------------


def prize_findings() -> list[Finding]:
    """An issued award decision's items each carry the prize money fixed at issue, the same amount for every
    nominee of one kind (its Điều 1 prints "mỗi cá nhân … đồng, mỗi tập thể … đồng; tổng cộng …", the sum of
    the items). An issued revocation's items carry what the revoked award paid the same nomination, so the
    total it asks back is what was paid. Drafts and corrections carry no money."""
    findings = []
    award = DecisionItem.objects.filter(decision__status=DecisionStatus.ISSUED, decision__kind=DecisionKind.AWARD)
    unpaid = defaultdict(list)
    for pk, decision in award.filter(prize_amount__isnull=True).values_list("pk", "decision_id").order_by("pk"):
        unpaid[decision].append(pk)
    for decision, items in unpaid.items():
        findings.append(Finding("prize", "decision item", tuple(items), (
            f"issued award decision #{decision} has no prize money fixed on these items: its total would leave "
            "them out")))  # fmt: skip
    uneven = (
        award.filter(prize_amount__isnull=False)
        .values("decision_id", "nomination__kind")
        .annotate(low=Min("prize_amount"), high=Max("prize_amount"))
        .filter(low__lt=F("high"))
        .order_by("decision_id", "nomination__kind")
    )
    for row in uneven:
        findings.append(Finding("prize", "decision", (row["decision_id"],), (
            f"its {row['nomination__kind']} awardees carry different amounts ({row['low']:,} to {row['high']:,} "
            "đồng): the amount it prints for each does not add up to its total")))  # fmt: skip
    earlier = DecisionItem.objects.filter(decision=OuterRef("decision__refers_to"), nomination=OuterRef("nomination"))
    revocation = (
        DecisionItem.objects.filter(decision__status=DecisionStatus.ISSUED, decision__kind=DecisionKind.REVOCATION)
        .annotate(paid_item=Subquery(earlier.values("pk")[:1]), paid=Subquery(earlier.values("prize_amount")[:1]))
        .values_list("pk", "decision_id", "decision__refers_to_id", "nomination_id", "prize_amount", "paid_item",
                     "paid")
        .order_by("pk")
    )  # fmt: skip
    for pk, decision, refers_to, nomination, amount, paid_item, paid in revocation:
        if paid_item is None:
            why = f"revokes nomination #{nomination}, which decision #{refers_to} it refers to does not award"
        elif amount != paid:
            why = f"asks back {amount if amount is None else f'{amount:,}'} đồng where item #{paid_item} paid {paid:,}"
        else:
            continue
        findings.append(Finding("prize", "decision item", (pk,), f"revocation #{decision} {why}"))
    priced = (
        DecisionItem.objects.filter(prize_amount__isnull=False)
        .filter(Q(decision__status=DecisionStatus.DRAFT) | Q(decision__kind=DecisionKind.CORRECTION))
        .values_list("pk", "decision_id")
        .order_by("pk")
    )
    for pk, decision in priced:
        findings.append(Finding("prize", "decision item", (pk,), (
            f"decision #{decision} is a draft or a correction, yet the item carries prize money: money is fixed "
            "only when an award or a revocation is issued")))  # fmt: skip
    return findings


# file ---------------------------------------------------------------------------------------------------

# (label, model, path, checksum and size fields, which rows hold a stored file)
STORED_FILES = (
    ("nomination file", NominationFile, "stored_path", "sha256", "size", Q()),
    ("report attachment", ReportAttachment, "stored_path", "sha256", "size", Q()),
    ("decision scan", Decision, "scan_path", "scan_sha256", "scan_size", ~Q(scan_path="")),
    ("generated document", GeneratedDocument, "path", "sha256", "size", Q(status=DocumentStatus.READY)),
    ("export", Export, "path", "sha256", "size", Q(status=DocumentStatus.READY)),
)
CHUNK = 1024 * 1024


def _digest(path: str) -> tuple[str, int]:
    """The file's SHA-256 and size, streamed from the default storage."""
    digest, size = hashlib.sha256(), 0
    with default_storage.open(path, "rb") as handle:
        for chunk in handle.chunks(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def file_findings(*, sample: int | None = None, seed: int | None = None) -> list[Finding]:
    """Every stored file (uploads, signed scans, generated documents, exports) is read once through the default
    storage and its SHA-256 and size compared with what each row that names it recorded. `sample`: read only
    that many distinct files, chosen at random."""
    rows: dict[str, list[tuple[str, int, str, int | None]]] = defaultdict(list)
    findings = []
    for label, model, path_field, sha_field, size_field, holds in STORED_FILES:
        for pk, path, sha, size in (
            model.objects.filter(holds).values_list("pk", path_field, sha_field, size_field).order_by("pk").iterator()
        ):
            if not path:
                findings.append(Finding("file", label, (pk,), "its file is ready but has no stored path"))
                continue
            rows[path].append((label, pk, sha, size))
    paths = sorted(rows)
    if sample is not None and sample < len(paths):
        paths = sorted(random.Random(seed).sample(paths, sample))  # noqa: S311 - a sample, not a secret
    for path in paths:
        try:
            sha, size, error = *_digest(path), None
        except Exception as failure:  # noqa: BLE001 - whatever the storage raises, the file cannot be read
            sha, size, error = None, None, failure
        bad: dict[tuple[str, str], list[int]] = defaultdict(list)
        for label, pk, want_sha, want_size in rows[path]:
            why = _file_problem(path, sha, size, error, want_sha, want_size)
            if why:
                bad[(label, why)].append(pk)
        findings.extend(Finding("file", label, tuple(pks), why) for (label, why), pks in bad.items())
    return findings


def _file_problem(path, sha, size, error, want_sha, want_size) -> str | None:
    if error is not None:
        return f"{path} cannot be read ({type(error).__name__}: {error}): the file is missing or the storage fails"
    if sha != want_sha:
        return f"{path} now hashes to {sha[:16]}…, the row recorded {want_sha[:16] or '(nothing)'}…: its bytes changed"
    if want_size is not None and size != want_size:
        return f"{path} holds {size:,} bytes, the row recorded {want_size:,}"
    return None


# audit --------------------------------------------------------------------------------------------------


def audit_findings() -> list[Finding]:
    """A live nomination (being prepared, under review, returned, awaiting a decision, awarded) has recorded
    moves, and an audit row for the last: for the last step record (by time, then id) an audit row
    `nomination_<outcome>` on the nomination written at or after it; for an awarded one, the
    `decision_issued` row of the decision that awards it, listing it."""
    findings = []
    live = [s for s in LIVE_STATUSES if s != NominationStatus.AWARDED]
    unmoved = (
        Nomination.objects.filter(status__in=LIVE_STATUSES)
        .exclude(Exists(NominationAction.objects.filter(nomination=OuterRef("pk"))))
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    for pk in unmoved:
        findings.append(Finding("audit", "nomination", (pk,), "live, but no move of it is recorded at all"))
    placeholders = ", ".join(["%s"] * len(live))
    sql = f"""
        SELECT l.nomination_id, l.id, l.step, l.outcome, l.at
        FROM (SELECT a.id, a.nomination_id, a.step, a.outcome, a.at,
                     ROW_NUMBER() OVER (PARTITION BY a.nomination_id ORDER BY a.at DESC, a.id DESC) AS k
              FROM {_table(NominationAction)} a JOIN {_table(Nomination)} n ON n.id = a.nomination_id
              WHERE n.status IN ({placeholders})) l
        WHERE l.k = 1
          AND NOT EXISTS (SELECT 1 FROM {_table(AuditEvent)} e
                          WHERE e.object_type = 'nomination' AND e.object_id = CAST(l.nomination_id AS TEXT)
                            AND e.action = 'nomination_' || l.outcome AND e.at >= l.at)
        ORDER BY l.nomination_id
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, live)
        for nomination, action, step, outcome, at in cursor.fetchall():
            findings.append(Finding("audit", "nomination", (nomination,), (
                f"its last move (step record #{action}: {step} → {outcome}, at {_moment(at)}) has no audit row "
                f"'nomination_{outcome}' written with it")))  # fmt: skip
    listed = set()
    for object_id, detail in (
        AuditEvent.objects.filter(action="decision_issued", object_type="decision")
        .values_list("object_id", "detail")
        .iterator()
    ):
        for nomination in (detail or {}).get("nominations", ()) if isinstance(detail, dict) else ():
            listed.add((object_id, str(nomination)))
    awarded = (
        _in_force()
        .filter(nomination__status=NominationStatus.AWARDED)
        .values_list("decision_id", "nomination_id")
        .order_by("nomination_id")
    )
    for decision, nomination in awarded.iterator():
        if (str(decision), str(nomination)) not in listed:
            findings.append(Finding("audit", "nomination", (nomination,), (
                f"awarded by decision #{decision}, but no 'decision_issued' audit row of that decision lists it")))  # fmt: skip
    return findings


def _moment(value) -> str:
    return value.isoformat(sep=" ", timespec="seconds") if hasattr(value, "isoformat") else str(value)


# all ----------------------------------------------------------------------------------------------------

CHECKS: dict[str, Callable[..., list[Finding]]] = {
    "workflow": workflow_findings,
    "award": award_findings,
    "register": register_findings,
    "prize": prize_findings,
    "file": file_findings,
    "audit": audit_findings,
}


@contextmanager
def one_snapshot() -> Iterator[None]:
    """On PostgreSQL, outside any transaction: every check reads one snapshot (a REPEATABLE READ, READ ONLY
    transaction), so a decision issued while the checks run is seen by all of them or by none. Elsewhere (inside a
    test's transaction; SQLite, whose transactions here take the write lock) the checks read as they go."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def integrity_checks(*, files: bool = True, files_sample: int | None = None,
                     only: Iterable[str] | None = None) -> Iterable[tuple[str, list[Finding], float]]:  # fmt: skip
    """Run the checks in order, yielding (code, findings, seconds) for each as it ends. `files=False` skips the
    file check; `files_sample` reads only that many files; `only`: these codes."""
    wanted = list(only) if only else list(CHECKS)
    unknown = set(wanted) - set(CHECKS)
    if unknown:
        raise ValueError(f"unknown invariants: {', '.join(sorted(unknown))}")
    for code in CHECKS:
        if code not in wanted or (code == "file" and not files):
            continue
        started = time.monotonic()
        findings = CHECKS[code](sample=files_sample) if code == "file" else CHECKS[code]()
        yield code, findings, time.monotonic() - started


def integrity_findings(*, files: bool = True, files_sample: int | None = None) -> list[Finding]:
    """Every finding of every check (the file check skipped with `files=False`); [] when all hold."""
    with one_snapshot():
        return [finding for _code, findings, _s in integrity_checks(files=files, files_sample=files_sample)
                for finding in findings]  # fmt: skip
