"""The report lifecycle: draft (autosaved), submit, return with comments, accept, reopen.

Every submitted version stays as it was sent; returning or reopening starts a new draft copied from
it. Rules about *who* may act live in awards.permissions; these functions enforce them.
"""

import datetime as dt
import math
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from workflows import engine

from .. import uploads
from ..actor import Actor
from ..audit import audit_record
from ..models import (
    AnswerCase,
    AnswerCount,
    AnswerDocument,
    AnswerRatio,
    AnswerText,
    AnswerYear,
    AnswerYesNo,
    Campaign,
    ItemKind,
    OutlineItem,
    Report,
    ReportAttachment,
    ReportStatus,
    ReportVersion,
    ReviewComment,
    Unit,
)
from ..permissions import (
    attachment_removable,
    may_edit_report,
    may_reopen_report,
    may_review_report,
    may_submit_report,
    report_reviewer_id,
)
from ..selectors.reports import report_completion, report_items
from ..text import nfc
from . import announcements

ANSWER_MODELS = {
    ItemKind.COUNT: AnswerCount,
    ItemKind.RATIO: AnswerRatio,
    ItemKind.YEARLY: AnswerYear,
    ItemKind.DOCUMENTS: AnswerDocument,
    ItemKind.CASES: AnswerCase,
    ItemKind.YES_NO: AnswerYesNo,
    ItemKind.NARRATIVE: AnswerText,
}


class ConcurrentEdit(ValidationError):
    """Somebody saved the draft after this editor loaded it: never overwrite their work silently."""


def late_days(*, deadline: dt.datetime, at: dt.datetime) -> int:
    """Calendar days late, counted up: one minute past the deadline is one day late."""
    if at <= deadline:
        return 0
    return math.ceil((at - deadline) / dt.timedelta(days=1))


# Validation ------------------------------------------------------------------------------------


def _validate_answer(item: OutlineItem, value, campaign: Campaign) -> None:
    """Domain rules for one answer (forms parse text; these hold for every caller)."""
    kind = item.kind
    if kind == ItemKind.COUNT:
        if not isinstance(value, int) or value < 0:
            raise ValidationError(_("Enter a whole number, zero or more."))
    elif kind == ItemKind.RATIO:
        done, total = value
        if done < 0 or total < 0:
            raise ValidationError(_("Enter whole numbers, zero or more."))
        if done > total:
            raise ValidationError(_("The first number (%(done)s) cannot exceed the second (%(total)s).")
                                  % {"done": done, "total": total})  # fmt: skip
    elif kind == ItemKind.YEARLY:
        for year, count in value.items():
            if year not in campaign.data_years:
                raise ValidationError(
                    _("The year %(year)s is outside the data period %(start)s–%(end)s.")
                    % {"year": year, "start": campaign.data_from.year, "end": campaign.data_to.year}
                )
            if count < 0:
                raise ValidationError(_("Enter a whole number, zero or more."))
    elif kind == ItemKind.NARRATIVE and not isinstance(value, str):
        raise ValidationError(_("Enter text."))


def _write_answer(version: ReportVersion, item: OutlineItem, value) -> None:
    model = ANSWER_MODELS[item.kind]
    model.objects.filter(version=version, item=item).delete()
    if value is None or value == "" or value == [] or value == {}:
        return
    kind = item.kind
    if kind == ItemKind.COUNT:
        AnswerCount.objects.create(version=version, item=item, value=value)
    elif kind == ItemKind.RATIO:
        AnswerRatio.objects.create(version=version, item=item, numerator=value[0], denominator=value[1])
    elif kind == ItemKind.YEARLY:
        AnswerYear.objects.bulk_create(
            AnswerYear(version=version, item=item, year=year, value=count) for year, count in sorted(value.items())
        )
    elif kind == ItemKind.DOCUMENTS:
        AnswerDocument.objects.bulk_create(
            AnswerDocument(version=version, item=item, position=n, number=nfc(row.number), issued_on=row.issued_on,
                           issuer=nfc(row.issuer), summary=nfc(row.summary))
            for n, row in enumerate(value, 1)
        )  # fmt: skip
    elif kind == ItemKind.CASES:
        AnswerCase.objects.bulk_create(
            AnswerCase(version=version, item=item, position=n, title=nfc(row.title), occurred_on=row.occurred_on,
                       result=nfc(row.result))
            for n, row in enumerate(value, 1)
        )  # fmt: skip
    elif kind == ItemKind.YES_NO:
        AnswerYesNo.objects.create(version=version, item=item, answer=value[0], participants=nfc(value[1]))
    elif kind == ItemKind.NARRATIVE:
        AnswerText.objects.create(version=version, item=item, text=nfc(value))


def missing_required(report: Report, version: ReportVersion) -> list[OutlineItem]:
    return report_completion(report=report, version=version).missing


def item_label(item: OutlineItem, longest: int = 80) -> str:
    """ "III.1 “Ưu điểm…”": an outline item named by its code and its question, for messages."""
    text = item.text if len(item.text) <= longest else item.text[: longest - 1].rstrip() + "…"
    return f"{item.code} “{text}”"


# Lifecycle -------------------------------------------------------------------------------------


def _locked_report(report: Report) -> Report:
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("campaign", "unit", "current_version")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_start(*, by: Actor, campaign: Campaign, unit: Unit) -> Report:
    """Open the unit's report for a campaign (idempotent: the existing one is returned)."""
    report = Report(campaign=campaign, unit=unit, reviewer_id=report_reviewer_id(campaign, unit))
    if not may_edit_report(by, report):
        raise PermissionDenied
    existing = Report.objects.filter(campaign=campaign, unit=unit).first()
    if existing:
        return existing
    if not campaign.has_participant(unit):
        raise PermissionDenied(_("Your unit does not take part in this campaign."))
    report.save()
    version = ReportVersion.objects.create(report=report, unit=unit, number=1)
    report.current_version = version
    report.save(update_fields=["current_version"])
    engine.report_round_start(report=report)
    audit_record(actor=by, action="report_started", obj=report, unit=unit, to_state=ReportStatus.DRAFT)
    return report


@transaction.atomic
def report_save_draft(*, by: Actor, report: Report, expected_seq: int, answers: Mapping[str, object]) -> ReportVersion:
    """Save (part of) the draft. Refuses if the draft changed since the editor loaded it."""
    report = _locked_report(report)
    if not may_edit_report(by, report):
        raise PermissionDenied
    version = ReportVersion.objects.select_for_update().get(pk=report.current_version_id)
    if not version.editable:
        raise ValidationError(_("This report has been submitted and can no longer be edited."), code="not_editable")
    if version.edit_seq != expected_seq:
        who = version.saved_by.display_name if version.saved_by else _("another user")
        when = date_format(timezone.localtime(version.saved_at), "SHORT_DATETIME_FORMAT") if version.saved_at else ""
        raise ConcurrentEdit(
            _("%(who)s saved this report at %(when)s after you opened it. Your input was not saved over theirs: it "
              "is kept in this browser. Reload the page to see their changes, then apply yours again.")
            % {"who": who, "when": when},
            code="concurrent_edit",
        )  # fmt: skip
    items = {i.code: i for i in report_items(report)}
    errors = {}
    for code, value in answers.items():
        item = items.get(code)
        if item is None or item.kind == ItemKind.SECTION:
            errors[code] = [_("This question is not part of your report.")]
            continue
        if value in (None, "", [], {}):
            continue
        try:
            _validate_answer(item, value, report.campaign)
        except ValidationError as error:
            errors[code] = error.messages
    if errors:
        raise ValidationError(errors)
    for code, value in answers.items():
        _write_answer(version, items[code], value)
    version.edit_seq += 1
    version.saved_at = timezone.now()
    version.saved_by = by.user
    version.save(update_fields=["edit_seq", "saved_at", "saved_by"])
    audit_record(actor=by, action="report_saved", obj=report, unit=report.unit, detail={"items": sorted(answers)})
    return version


@transaction.atomic
def report_submit(
    *, by: Actor, report: Report, at: dt.datetime | None = None, confirmed: tuple[int, int] | None = None
) -> ReportVersion:
    """Sign and send the current draft. `confirmed` is the (version number, edit sequence) the head saw on
    the confirmation page: if the draft changed since, nothing is sent."""
    report = _locked_report(report)
    if not may_submit_report(by, report):
        raise PermissionDenied(_("Only the unit head can submit the report."))
    version = ReportVersion.objects.select_for_update().get(pk=report.current_version_id)
    if not version.editable:
        raise ValidationError(_("This version has already been submitted."), code="not_editable")
    if confirmed is not None and confirmed != (version.number, version.edit_seq):
        raise ValidationError(
            _("The report was changed after you opened the confirmation page, so it was not sent. Check it and "
              "confirm again."),
            code="changed",
        )  # fmt: skip
    missing = missing_required(report, version)
    if missing:
        raise ValidationError(
            _("Answer the required questions first: %(items)s.") % {"items": "; ".join(map(item_label, missing))},
            code="incomplete",
        )
    at = at or timezone.now()
    days = late_days(deadline=report.campaign.report_deadline, at=at)
    version.status = ReportStatus.SUBMITTED
    version.submitted_at, version.submitted_by, version.late_days = at, by.user, days
    version.save(update_fields=["status", "submitted_at", "submitted_by", "late_days"])
    previous = report.status
    report.status, report.counted_version = ReportStatus.SUBMITTED, version
    if report.first_submitted_at is None:
        report.first_submitted_at, report.late_days = at, days
    report.save(update_fields=["status", "counted_version", "first_submitted_at", "late_days"])
    engine.report_step_submitted(report=report)
    announcements.report_submitted(report=report, version=version, by=by)
    audit_record(actor=by, action="report_submitted", obj=report, unit=report.unit, from_state=previous,
                 to_state=report.status, detail={"version": version.number, "late_days": days})  # fmt: skip
    return version


def _new_draft_from(report: Report, source: ReportVersion) -> ReportVersion:
    draft = ReportVersion.objects.create(report=report, unit=report.unit, number=source.number + 1)
    for model in ANSWER_MODELS.values():
        rows = list(model.objects.filter(version=source))
        for row in rows:
            row.pk = None
            row.version = draft
        model.objects.bulk_create(rows)
    for attachment in source.attachments.all():
        attachment.pk, attachment.version = None, draft
        attachment.save()
    report.current_version = draft
    return draft


@transaction.atomic
def report_return(*, by: Actor, report: Report, comments: Mapping[str | None, str]) -> ReportVersion:
    """Send the report back for revision, with a comment per section (key None: the whole report)."""
    report = _locked_report(report)
    if not may_review_report(by, report):
        raise PermissionDenied
    version = report.current_version
    if version.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be returned."), code="not_submitted")
    texts = {code: nfc(text) for code, text in comments.items() if nfc(text)}
    if not texts:
        raise ValidationError(_("Say what must be revised: write at least one comment."), code="no_comment")
    items = {i.code: i for i in report_items(report)}
    for code, text in texts.items():
        ReviewComment.objects.create(version=version, item=items.get(code) if code else None, author=by.user, text=text)
    version.status = ReportStatus.RETURNED
    version.reviewed_at, version.reviewed_by = timezone.now(), by.user
    version.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    draft = _new_draft_from(report, version)
    # A returned version is not counted; the last accepted one (if the report was reopened) still is.
    report.status, report.counted_version = ReportStatus.RETURNED, report.accepted_version
    report.save(update_fields=["status", "current_version", "counted_version"])
    engine.report_step_reviewed(report=report, accepted=False)
    announcements.report_reviewed(report=report, version=version, accepted=False, by=by)
    audit_record(actor=by, action="report_returned", obj=report, unit=report.unit, from_state=ReportStatus.SUBMITTED,
                 to_state=ReportStatus.RETURNED, detail={"version": version.number, "sections": sorted(map(str, texts))})  # fmt: skip
    return draft


@transaction.atomic
def report_accept(*, by: Actor, report: Report, note: str = "") -> ReportVersion:
    report = _locked_report(report)
    if not may_review_report(by, report):
        raise PermissionDenied
    version = report.current_version
    if version.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be accepted."), code="not_submitted")
    version.status = ReportStatus.ACCEPTED
    version.reviewed_at, version.reviewed_by, version.review_note = timezone.now(), by.user, nfc(note)
    version.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_note"])
    report.status, report.accepted_version, report.counted_version = ReportStatus.ACCEPTED, version, version
    report.save(update_fields=["status", "accepted_version", "counted_version"])
    engine.report_step_reviewed(report=report, accepted=True)
    announcements.report_reviewed(report=report, version=version, accepted=True, by=by, note=version.review_note)
    audit_record(actor=by, action="report_accepted", obj=report, unit=report.unit, from_state=ReportStatus.SUBMITTED,
                 to_state=ReportStatus.ACCEPTED, detail={"version": version.number})  # fmt: skip
    return version


@transaction.atomic
def report_reopen(*, by: Actor, report: Report, reason: str) -> ReportVersion:
    """Unfreeze an accepted report as a new draft; the accepted version stays untouched."""
    report = _locked_report(report)
    if not may_reopen_report(by, report):
        raise PermissionDenied
    if report.status != ReportStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted report can be reopened."), code="not_accepted")
    if not nfc(reason):
        raise ValidationError(_("Give the reason for reopening."), code="no_reason")
    accepted = report.current_version
    ReviewComment.objects.create(version=accepted, author=by.user, text=nfc(reason))
    draft = _new_draft_from(report, accepted)
    report.status = ReportStatus.DRAFT
    report.save(update_fields=["status", "current_version"])
    engine.report_round_start(report=report)
    audit_record(actor=by, action="report_reopened", obj=report, unit=report.unit, from_state=ReportStatus.ACCEPTED,
                 to_state=ReportStatus.DRAFT, detail={"version": draft.number, "reason": nfc(reason)})  # fmt: skip
    return draft


# Attachments ------------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, by: Actor, report: Report, uploaded_file, kind: str) -> ReportAttachment:
    """Check, store and attach a file to the draft. Raises ValidationError with a translated message."""
    report = _locked_report(report)
    if not may_edit_report(by, report):
        raise PermissionDenied
    version = report.current_version
    if not version.editable:
        raise ValidationError(_("This report has been submitted and can no longer be edited."), code="not_editable")
    detected = uploads.validate_upload(uploaded_file=uploaded_file, kind=kind)
    stored = uploads.store_upload(uploaded_file=uploaded_file, detected=detected)
    attachment = ReportAttachment.objects.create(
        version=version, unit=report.unit, kind=kind, stored_path=stored.relative_path, sha256=stored.sha256,
        size=stored.size, content_type=stored.content_type, original_name=nfc(detected.original_name)[:255],
        uploaded_by=by.user,
    )  # fmt: skip
    audit_record(actor=by, action="attachment_added", obj=report, unit=report.unit,
                 detail={"kind": kind, "attachment": attachment.pk, "sha256": stored.sha256})  # fmt: skip
    return attachment


@transaction.atomic
def attachment_remove(*, by: Actor, attachment: ReportAttachment) -> None:
    report = _locked_report(attachment.version.report)
    if not may_edit_report(by, report):
        raise PermissionDenied
    if not attachment_removable(report, attachment):
        raise ValidationError(
            _("“%(name)s” belongs to a version that was sent: it can no longer be removed.")
            % {"name": attachment.original_name},
            code="not_editable",
        )
    audit_record(actor=by, action="attachment_removed", obj=report, unit=report.unit,
                 detail={"attachment": attachment.pk, "sha256": attachment.sha256,
                         "version": report.current_version.number})  # fmt: skip
    attachment.delete()  # the stored file stays: earlier audit rows name its checksum
