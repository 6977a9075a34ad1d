"""Campaign participants and report visibility."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from ..actor import Actor
from ..models import (
    AnswerCase,
    AnswerCount,
    AnswerDocument,
    AnswerRatio,
    AnswerText,
    AnswerYear,
    AnswerYesNo,
    Campaign,
    CaseRow,
    DocumentRow,
    ItemKind,
    OutlineItem,
    Report,
    ReportStatus,
    ReportVersion,
    Unit,
)
from ..permissions import Cap, may_edit_report, may_review_report
from .org import deny, unit_scope


def campaign_participants(*, campaign: Campaign) -> QuerySet[Unit]:
    return campaign.participants()


def reports_visible(*, actor: Actor, campaign: Campaign | None = None) -> QuerySet[Report]:
    """A unit sees its own reports; reviewers in scope see a report once it has been submitted. The body a
    campaign names for commune-level reports also sees those sent to it, communes outside its own scope."""
    if not actor.can(Cap.VIEW_REPORTS):
        return Report.objects.none()
    reports = Report.objects.select_related("campaign", "unit", "current_version")
    if campaign is not None:
        reports = reports.filter(campaign=campaign)
    own = actor.unit.pk if actor.unit else None
    in_scope = unit_scope(actor=actor).q("unit")
    if own is not None and Campaign.objects.filter(commune_reviewer_id=own).exists():  # no OR for anyone else
        in_scope |= Q(reviewer_id=own)
    return reports.filter(in_scope).filter(Q(unit_id=own) | Q(first_submitted_at__isnull=False))


def report_readable(*, actor: Actor, report_id: int | None) -> bool:
    """Whether the actor may open this report (e.g. the evidence a nomination cites): no link otherwise."""
    return report_id is not None and reports_visible(actor=actor).filter(pk=report_id).exists()


def report_get(*, actor: Actor, pk: int, ip: str | None = None) -> Report:
    report = reports_visible(actor=actor).filter(pk=pk).first()
    if report is None:
        raise deny(actor=actor, what="report", object_id=pk, ip=ip)
    return report


def report_versions_visible(*, actor: Actor, report: Report) -> QuerySet[ReportVersion]:
    """The unit sees its drafts; reviewers only what was sent to them."""
    versions = report.versions.order_by("number")
    if may_edit_report(actor, report) or (actor.unit and actor.unit.pk == report.unit_id):
        return versions
    return versions.exclude(status=ReportStatus.DRAFT)


def report_can_review(*, actor: Actor, report: Report) -> bool:
    return may_review_report(actor, report) and report.status == ReportStatus.SUBMITTED


def campaigns_visible(*, actor: Actor) -> QuerySet[Campaign]:
    """Campaign plans are public to every member; their reports are what scoping protects."""
    if actor.membership is None:
        return Campaign.objects.none()
    return Campaign.objects.select_related("issuer", "reviewer", "outline")


def campaign_get(*, actor: Actor, pk: int, ip: str | None = None) -> Campaign:
    campaign = campaigns_visible(actor=actor).filter(pk=pk).first()
    if campaign is None:
        raise deny(actor=actor, what="campaign", object_id=pk, ip=ip)
    return campaign


def _item_applies(item: OutlineItem, unit: Unit) -> bool:
    return item.kind != ItemKind.SECTION and item.applies_to_kind(unit.kind)


def report_items(report: Report) -> list[OutlineItem]:
    """The outline items this report answers, sections included, in outline order."""
    items = list(report.campaign.outline.items.order_by("position"))
    answered_sections = {i.parent_id for i in items if _item_applies(i, report.unit)}
    return [
        i
        for i in items
        if _item_applies(i, report.unit)
        or (
            i.kind == ItemKind.SECTION
            and (i.pk in answered_sections or any(c.parent_id == i.pk and c.pk in answered_sections for c in items))
        )
    ]


def answers_of(version: ReportVersion) -> dict[str, object]:
    """A version's answers by item code, in the same shapes report_save_draft accepts."""
    answers: dict[str, object] = {}
    for row in AnswerCount.objects.filter(version=version).select_related("item"):
        answers[row.item.code] = row.value
    for row in AnswerRatio.objects.filter(version=version).select_related("item"):
        answers[row.item.code] = (row.numerator, row.denominator)
    for row in AnswerYear.objects.filter(version=version).select_related("item").order_by("year"):
        answers.setdefault(row.item.code, {})[row.year] = row.value
    for row in AnswerDocument.objects.filter(version=version).select_related("item").order_by("position"):
        answers.setdefault(row.item.code, []).append(DocumentRow(row.number, row.issued_on, row.issuer, row.summary))
    for row in AnswerCase.objects.filter(version=version).select_related("item").order_by("position"):
        answers.setdefault(row.item.code, []).append(CaseRow(row.title, row.occurred_on, row.result))
    for row in AnswerYesNo.objects.filter(version=version).select_related("item"):
        answers[row.item.code] = (row.answer, row.participants)
    for row in AnswerText.objects.filter(version=version).select_related("item"):
        answers[row.item.code] = row.text
    return answers


EMPTY_ANSWERS = (None, "", [], {})


@dataclass(frozen=True)
class Completion:
    """How far a version is from being sendable: its required questions answered, and those still missing."""

    filled: int
    total: int
    missing: list[OutlineItem]

    @property
    def complete(self) -> bool:
        return not self.missing


def report_completion(
    *, report: Report, version: ReportVersion, answers: dict[str, object] | None = None
) -> Completion:
    """The required questions of the unit's outline, answered or not: what the report page shows before
    submitting and what report_submit refuses on, so the two never disagree."""
    answers = answers_of(version) if answers is None else answers
    required = [i for i in report_items(report) if i.required and i.kind != ItemKind.SECTION]
    missing = [i for i in required if answers.get(i.code) in EMPTY_ANSWERS]
    return Completion(filled=len(required) - len(missing), total=len(required), missing=missing)


def report_sheet(*, report: Report, version: ReportVersion) -> list[dict]:
    """The outline as the unit answers it: each item with its answer and the comments made on it."""
    answers = answers_of(version)
    comments: dict[int | None, list] = {}
    for comment in version.comments.select_related("author"):
        comments.setdefault(comment.item_id, []).append(comment)
    return [
        {"item": item, "answer": answers.get(item.code), "comments": comments.get(item.pk, [])}
        for item in report_items(report)
    ]


def report_comments_for_revision(*, report: Report) -> list:
    """The comments of the version that was returned, shown to the unit while it revises."""
    previous = report.versions.filter(status=ReportStatus.RETURNED).order_by("-number").first()
    return list(previous.comments.select_related("item", "author")) if previous else []


def work_waiting(*, actor: Actor, limit: int = 50) -> list[dict]:
    """Report steps waiting for this actor, read from the reports' own state (indexed on unit or reviewer
    and status), never by scanning viewflow's open tasks: a draft or returned report of the actor's unit to
    complete, a submitted one the actor's unit reviews. Two queries at most, whatever the data."""
    unit = actor.unit
    if unit is None:
        return []
    wanted = Q(pk__in=[])
    if actor.can(Cap.DRAFT_REPORT) or actor.can(Cap.SUBMIT_REPORT):
        wanted |= Q(unit=unit, status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED))
    # The same rule as may_review_report: the report's reviewer, with the capability for its level.
    reviewing = Q(reviewer=unit, status=ReportStatus.SUBMITTED)
    if actor.can(Cap.REVIEW_REPORT):
        wanted |= reviewing & (Q(campaign__reviewer=unit) | Q(campaign__commune_reviewer=unit))
    if actor.can(Cap.REVIEW_COMMUNE_REPORT):
        wanted |= reviewing & ~Q(campaign__reviewer=unit)
    reports = (
        Report.objects.filter(wanted)
        .select_related("campaign", "unit")
        .order_by("campaign__report_deadline", "pk")[:limit]
    )
    return [
        {"report": report, "step": "review" if report.status == ReportStatus.SUBMITTED else "draft"}
        for report in reports
    ]


def report_compare(*, report: Report, older: ReportVersion, newer: ReportVersion) -> list[dict]:
    """The questions whose answers differ between two versions, with both answers."""
    before, after = answers_of(older), answers_of(newer)
    rows = []
    for item in report_items(report):
        if item.kind == "section":
            continue
        old, new = before.get(item.code), after.get(item.code)
        if old != new:
            rows.append({
                "item": item, "old": old, "new": new,
                "old_row": {"item": item, "answer": old}, "new_row": {"item": item, "answer": new},
            })  # fmt: skip
    return rows
