"""The services' handle on the flows: start a process (or many at once), finish the step that is open, cancel."""

from collections.abc import Sequence

from django.db import connection
from django.utils import timezone
from viewflow.workflow import flow
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from .flows import ROUTE_FLOWS, ReportFlow
from .models import NominationProcess, ReportProcess


class FlowOutOfStep(RuntimeError):
    """The flow has no open task for the step the service is finishing: state and flow disagree."""


def report_round_start(*, report) -> ReportProcess:
    return ReportFlow.start.run(report=report)


def _open_task(report, node) -> Task:
    task = (
        Task.objects.filter(process__reportprocess__report=report, flow_task=node, status=STATUS.NEW)
        .order_by("-pk")
        .first()
    )
    if task is None:
        raise FlowOutOfStep(f"report {report.pk}: no open {node.name} task")
    return task


def report_step_submitted(*, report) -> None:
    ReportFlow.draft.run(_open_task(report, ReportFlow.draft))


def report_step_reviewed(*, report, accepted: bool) -> None:
    ReportFlow.review.run(_open_task(report, ReportFlow.review), accepted=accepted)


# Nominations ------------------------------------------------------------------------------------


def nomination_start(*, nomination) -> NominationProcess:
    return ROUTE_FLOWS[nomination.award_type.route].start.run(nomination=nomination)


def nominations_start_many(*, nominations: Sequence) -> list[int]:
    """Start the processes of many saved nominations at once: the rows `flow.start.run` writes for each (a
    `StartHandle` followed by a `Handle`, as every route begins), in four INSERTs per 500 instead of ten
    queries each. Returns the processes' ids in the nominations' order.

    What viewflow 2.x's start writes (nodes/start.py, activation.py, nodes/handle.py) and this copies: the
    process (status NEW, its flow class, created now, data {}) with its NominationProcess row (`begin`: the
    nomination and its unit, no outcome); the start task (START, DONE, started and finished now, token "start");
    the first step's task (its node's type, NEW, token "start"), linked to the start task as its previous one.
    No lock is taken: nobody else can see the new processes before the transaction commits.
    tests/test_nominations_bulk.py compares every column with `nomination_start`'s rows."""
    if not nominations:
        return []
    routes = {nomination.award_type.route for nomination in nominations}
    if len(routes) != 1:
        raise ValueError(f"one route at a time, not {sorted(routes)}")
    flow_class = ROUTE_FLOWS[routes.pop()]
    start, first = flow_class.start, flow_class.start._next
    # What this writes is what a StartHandle leading straight to a Handle writes, and nothing else.
    if (type(start) is not flow.StartHandle or type(first) is not flow.Handle or start._task_data
            or start._task_seed or flow_class.task_class is not Task
            or flow_class.process_class is not NominationProcess):  # fmt: skip
        raise NotImplementedError(f"{flow_class.__name__} does not start as nominations_start_many writes it")
    now = timezone.now()
    process_ids: list[int] = []
    for offset in range(0, len(nominations), BULK):
        chunk = nominations[offset : offset + BULK]
        processes = Process.objects.bulk_create(
            [Process(flow_class=flow_class, status=PROCESS.NEW, created=now, data={}) for _n in chunk]
        )
        _insert_rows(
            NominationProcess,
            ["process_ptr_id", "nomination_id", "unit_id", "outcome"],
            [(p.pk, n.pk, n.unit_id, "") for p, n in zip(processes, chunk, strict=True)],
        )
        tasks = []
        for process in processes:
            tasks.append(Task(process_id=process.pk, flow_task=start, flow_task_type=start.task_type,
                              status=STATUS.DONE, created=now, started=now, finished=now, token=Token("start"),
                              data={}))  # fmt: skip
            tasks.append(Task(process_id=process.pk, flow_task=first, flow_task_type=first.task_type,
                              status=STATUS.NEW, created=now, token=Token("start"), data={}))  # fmt: skip
        Task.objects.bulk_create(tasks)
        link = Task.previous.through
        link.objects.bulk_create(
            [link(from_task_id=tasks[i + 1].pk, to_task_id=tasks[i].pk) for i in range(0, len(tasks), 2)]
        )
        process_ids.extend(p.pk for p in processes)
    return process_ids


BULK = 500  # rows per INSERT


def _insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """One multi-row INSERT into the model's own table (a multi-table child, which bulk_create refuses)."""
    if not rows:
        return
    q = connection.ops.quote_name
    values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    sql = f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(c) for c in columns)}) VALUES {values}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


def _open_nomination_task(nomination) -> Task | None:
    return (
        Task.objects.filter(process__nominationprocess__nomination=nomination, status=STATUS.NEW)
        .order_by("-pk")
        .first()
    )


def nomination_step_done(*, nomination, step: str, outcome: str) -> str:
    """Finish the open task, which must be `step`; returns the step that is open next ('' at an end)."""
    flow_class = ROUTE_FLOWS[nomination.award_type.route]
    task = _open_nomination_task(nomination)
    node = getattr(flow_class, step)
    if task is None or task.flow_task != node:
        raise FlowOutOfStep(f"nomination {nomination.pk}: no open {step} task")
    node.run(task, outcome=outcome)
    following = _open_nomination_task(nomination)
    return following.flow_task.name if following else ""


def nomination_cancel(*, nomination) -> None:
    """Withdrawal: cancel the open task and the process."""
    process = NominationProcess.objects.filter(nomination=nomination).order_by("-pk").first()
    if process is not None and process.status not in ("DONE", "CANCELED"):
        process.flow_class.instance.cancel(process)


def nominations_unit_moved(*, nomination_ids, from_unit_id: int, to_unit_id: int) -> int:
    """A reorganisation moved nominations to their unit's successor (or back): their processes follow."""
    moved = NominationProcess.objects.filter(nomination_id__in=nomination_ids, unit_id=from_unit_id)
    return moved.update(unit_id=to_unit_id)
