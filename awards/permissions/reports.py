"""Who may do what to a report: the capability plus the actor's unit standing in the right place."""

from ..models import UnitKind
from .roles import Cap


def report_reviewer_id(campaign, unit) -> int:
    """Who reviews a unit's report. A commune-level unit's, placed as on the campaign's reference date (not today):
    under a district of the campaign's intermediate level, that district when communes report to their district;
    under none (every commune from 1/7/2025, the two-tier structure), the campaign's reviewer of commune-level
    reports when it names one. Otherwise the campaign's reviewer (the provincial police)."""
    if unit.kind != UnitKind.COMMUNE_COMMITTEE or not (campaign.communes_report or campaign.commune_reviewer_id):
        return campaign.reviewer_id
    parent_id = unit.parent_id_on(campaign.reference_date)
    if parent_id is not None and campaign.intermediate_level().filter(pk=parent_id).exists():
        return parent_id if campaign.communes_report else campaign.reviewer_id
    return campaign.commune_reviewer_id or campaign.reviewer_id


def report_review_caps(report) -> frozenset[Cap]:
    """The capabilities that review a report at its reviewing unit (one of them is enough): the campaign's reviewer
    reviews with REVIEW_REPORT (its police reviewers), a district with REVIEW_COMMUNE_REPORT (its officers and
    head); the body a campaign names for commune-level reports with either, whoever it is."""
    campaign = report.campaign
    if report.reviewer_id == campaign.reviewer_id:
        return frozenset({Cap.REVIEW_REPORT})
    if report.reviewer_id == campaign.commune_reviewer_id:
        return frozenset({Cap.REVIEW_REPORT, Cap.REVIEW_COMMUNE_REPORT})
    return frozenset({Cap.REVIEW_COMMUNE_REPORT})


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
    return any(actor.can(cap) for cap in report_review_caps(report))


def may_reopen_report(actor, report) -> bool:
    return actor.can(Cap.REOPEN_REPORT) and actor.unit is not None and actor.unit.pk == report.campaign.reviewer_id
