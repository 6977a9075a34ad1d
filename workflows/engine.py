"""The services' handle on the flows: start a process, finish the step that is open, cancel."""

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

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


def nomination_unit_moved(*, nomination, from_unit_id: int, to_unit_id: int) -> int:
    """A reorganisation moved the nomination to its unit's successor (or back): its processes follow."""
    return NominationProcess.objects.filter(nomination=nomination, unit_id=from_unit_id).update(unit_id=to_unit_id)
