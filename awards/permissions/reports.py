"""Who may do what to a report: the capability plus the actor's unit standing in the right place."""

from ..models import Unit, UnitKind
from .roles import Cap


def report_reviewer_id(campaign, unit) -> int:
    """Who reviews a unit's report: the campaign's reviewer or, when communes report, a commune's
    district — the one it belonged to on the campaign's reference date, not today's."""
    if campaign.communes_report and unit.kind == UnitKind.COMMUNE_COMMITTEE:
        parent_id = unit.parent_id_on(campaign.reference_date)
        if Unit.objects.filter(pk=parent_id, kind=UnitKind.DISTRICT_COMMITTEE).exists():
            return parent_id
    return campaign.reviewer_id


def may_edit_report(actor, report) -> bool:
    return actor.can(Cap.DRAFT_REPORT) and actor.unit is not None and actor.unit.pk == report.unit_id


def attachment_removable(report, attachment) -> bool:
    """A file can be taken off the draft being written, never off a version that was sent."""
    return attachment.version_id == report.current_version_id and report.current_version.editable


def may_submit_report(actor, report) -> bool:
    return actor.can(Cap.SUBMIT_REPORT) and actor.unit is not None and actor.unit.pk == report.unit_id


def may_review_report(actor, report) -> bool:
    if actor.unit is None or actor.unit.pk != report.reviewer_id:
        return False
    if report.reviewer_id == report.campaign.reviewer_id:
        return actor.can(Cap.REVIEW_REPORT)
    return actor.can(Cap.REVIEW_COMMUNE_REPORT)


def may_reopen_report(actor, report) -> bool:
    return actor.can(Cap.REOPEN_REPORT) and actor.unit is not None and actor.unit.pk == report.campaign.reviewer_id
