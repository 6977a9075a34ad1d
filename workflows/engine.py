"""The services' handle on the report flow: start a round, finish the step that is open."""

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from .flows import ReportFlow
from .models import ReportProcess


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
