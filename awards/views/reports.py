"""Campaign and report pages. Thin: parse, call a selector or a service, render."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..documents import build_docx, build_pdf, exports
from ..forms.reports import form_rows, parse_report
from ..models import ExportKind, ItemKind, ReportAttachment, ReportStatus, UnitKind
from ..permissions import (
    Cap,
    attachment_removable,
    may_edit_report,
    may_reopen_report,
    may_review_report,
    may_submit_report,
)
from ..selectors import consolidation, statistics
from ..selectors import reports as report_selectors
from ..services import reports as report_services
from ..text import is_id
from ..uploads import (
    UploadKind,
    attach_upload_refusal,
    download_response,
    limit_uploads,
    max_bytes_for,
)
from . import charts
from .exports import export_response
from .http import client_ip, file_response, form_errors_as_messages


def _chosen_version(request: HttpRequest, versions: list):
    """The version asked for with ?v=N among those visible, else the latest visible one."""
    wanted = request.GET.get("v")
    version = next((v for v in versions if str(v.number) == wanted), None) or (versions[-1] if versions else None)
    if version is None:
        raise PermissionDenied
    return version


def _report(request: HttpRequest, pk: int):
    return report_selectors.report_get(actor=request.actor, pk=pk, ip=client_ip(request))


@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = report_selectors.campaigns_visible(actor=request.actor)
    mine = {}
    if request.actor.unit:
        for report in report_selectors.reports_visible(actor=request.actor).filter(unit=request.actor.unit):
            mine[report.campaign_id] = report
    rows = [{"campaign": c, "report": mine.get(c.pk)} for c in campaigns]
    return render(request, "awards/campaign_list.html", {"rows": rows, "now": timezone.now()})


@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = report_selectors.campaign_get(actor=request.actor, pk=pk, ip=client_ip(request))
    reports = report_selectors.reports_visible(actor=request.actor, campaign=campaign).order_by("unit__sort_key")
    own = reports.filter(unit=request.actor.unit).first() if request.actor.unit else None
    participates = bool(request.actor.unit and campaign.has_participant(request.actor.unit))
    context = {
        "campaign": campaign,
        "own_report": own,
        "can_start": participates and own is None and request.actor.can(Cap.DRAFT_REPORT),
        "reports": reports.exclude(pk=own.pk) if own else reports,
        "legal_bases": campaign.campaignlegalbasis_set.select_related("legal_basis"),
        "can_consolidate": consolidation.consolidation_units(actor=request.actor, campaign=campaign) is not None,
        "can_see_statistics": statistics.may_see_statistics(request.actor),
    }
    return render(request, "awards/campaign_detail.html", context)


@require_POST
def report_start(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = report_selectors.campaign_get(actor=request.actor, pk=pk, ip=client_ip(request))
    if request.actor.unit is None:
        raise PermissionDenied
    report = report_services.report_start(by=request.actor, campaign=campaign, unit=request.actor.unit)
    return redirect("report_edit", pk=report.pk)


@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    versions = list(report_selectors.report_versions_visible(actor=request.actor, report=report))
    version = _chosen_version(request, versions)
    can_edit = may_edit_report(request.actor, report) and report.current_version.editable
    can_submit = may_submit_report(request.actor, report) and report.current_version.editable
    context = {
        "report": report,
        "version": version,
        "versions": versions,
        "attachments": version.attachments.all(),
        "can_remove_attachments": can_edit and version.pk == report.current_version_id,
        # The draft's completion, for the unit that writes and sends it.
        "completion": report_selectors.report_completion(report=report, version=report.current_version)
        if can_edit or can_submit
        else None,
        "attachment_form": AttachmentForm(),
        "sheet": report_selectors.report_sheet(report=report, version=version),
        "general_comments": version.comments.filter(item__isnull=True).select_related("author"),
        "can_edit": can_edit,
        "can_submit": can_submit,
        "can_review": report_selectors.report_can_review(actor=request.actor, report=report)
        and version.pk == report.current_version_id,
        "can_reopen": may_reopen_report(request.actor, report) and report.status == ReportStatus.ACCEPTED,
    }
    return render(request, "awards/report_detail.html", context)


@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not may_edit_report(request.actor, report):
        raise PermissionDenied
    version = report.current_version
    if request.method == "GET" and not version.editable:
        messages.info(request, _("This report has been submitted and can no longer be edited."))
        return redirect("report_detail", pk=report.pk)
    items = report_selectors.report_items(report)
    autosave = request.headers.get("X-Autosave") == "1"
    errors: dict[str, list[str]] = {}
    general_errors: list[str] = []
    if request.method == "POST":
        if not version.editable:
            message = _("This report has been submitted and can no longer be edited.")
            if autosave:
                return JsonResponse({"ok": False, "error": message}, status=409)
            messages.error(request, message)
            return redirect("report_detail", pk=report.pk)
        parsed = parse_report(request.POST, items, report.campaign)
        errors = dict(parsed.errors)
        try:
            expected = int(request.POST.get("seq", "-1"))
        except ValueError:
            expected = -1
        try:
            version = report_services.report_save_draft(
                by=request.actor, report=report, expected_seq=expected, answers=parsed.answers
            )
        except report_services.ConcurrentEdit as conflict:
            if autosave:
                return JsonResponse({"ok": False, "conflict": True, "error": conflict.messages[0]}, status=409)
            general_errors.extend(conflict.messages)
        except ValidationError as invalid:
            for code, problems in invalid.message_dict.items():
                errors.setdefault(code, []).extend(problems)
        if autosave:
            return JsonResponse({
                "ok": not errors, "seq": version.edit_seq, "errors": errors,
                "saved_at": date_format(timezone.localtime(version.saved_at), "SHORT_DATETIME_FORMAT")
                if version.saved_at else "",
            })  # fmt: skip
        if not errors and not general_errors:
            messages.success(request, _("Saved."))
            return redirect("report_edit", pk=report.pk)
    sheet = report_selectors.report_sheet(report=report, version=version)
    context = {
        "report": report,
        "version": version,
        "rows": form_rows(sheet, request.POST if request.method == "POST" else None, report.campaign, errors),
        "errors": errors,
        "general_errors": general_errors,
        "revision_comments": report_selectors.report_comments_for_revision(report=report),
        "years": list(report.campaign.data_years),
        "can_submit": may_submit_report(request.actor, report),
        "completion": report_selectors.report_completion(report=report, version=version),
        "msg_not_number": _("“%(value)s” is not a whole number. Type digits only, e.g. 1.234.") % {"value": "{value}"},
        "msg_ratio": _("The first number (%(done)s) cannot exceed the second (%(total)s).")
        % {"done": "{done}", "total": "{total}"},
    }
    failed = errors or general_errors
    return render(request, "awards/report_edit.html", context, status=409 if general_errors else 400 if failed else 200)


def _confirmation(version) -> str:
    """What the confirmation page posts back: the version and the save it showed ("2-17")."""
    return f"{version.number}-{version.edit_seq}"


def _confirmed(text: str) -> tuple[int, int] | None:
    number, _dash, seq = text.partition("-")
    return (int(number), int(seq)) if is_id(number) and is_id(seq) else None


@require_http_methods(["GET", "POST"])
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what will be sent, and that it cannot be undone. POST: send it, only with the confirmation that
    page carries (a form posted from anywhere else sends nothing)."""
    report = _report(request, pk)
    if not may_submit_report(request.actor, report):
        raise PermissionDenied
    version = report.current_version
    if not version.editable:
        messages.info(request, _("This version has already been submitted."))
        return redirect("report_detail", pk=report.pk)
    if request.method == "GET":
        context = {
            "report": report,
            "version": version,
            "completion": report_selectors.report_completion(report=report, version=version),
            "attachments": version.attachments.all(),
            "confirmation": _confirmation(version),
        }
        return render(request, "awards/report_submit.html", context)
    confirmed = _confirmed(request.POST.get("confirm", ""))
    if confirmed is None:
        messages.warning(request, _("The report has not been sent yet. Check what will be sent, then confirm."))
        return redirect("report_submit", pk=report.pk)
    try:
        version = report_services.report_submit(by=request.actor, report=report, confirmed=confirmed)
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
        return redirect("report_submit", pk=report.pk)
    if version.late_days:
        messages.warning(request, _("Report submitted, %(days)s day(s) late.") % {"days": version.late_days})
    else:
        messages.success(request, _("Report submitted to %(unit)s.") % {"unit": report.campaign.reviewer.name})
    return redirect("report_detail", pk=report.pk)


@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not may_review_report(request.actor, report):
        raise PermissionDenied
    decision = request.POST.get("decision")
    try:
        if decision == "accept":
            report_services.report_accept(by=request.actor, report=report, note=request.POST.get("note", ""))
            messages.success(request, _("Report accepted."))
        elif decision == "return":
            # "comment" is about the whole report; "comment-<item code>" about one section.
            comments = {
                key.removeprefix("comment-"): value for key, value in request.POST.items() if key.startswith("comment-")
            }
            comments[None] = request.POST.get("comment", "")
            report_services.report_return(by=request.actor, report=report, comments=comments)
            messages.success(request, _("Report returned to the unit for revision."))
        else:
            messages.error(request, _("Choose accept or return."))
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    return redirect("report_detail", pk=report.pk)


@require_POST
def report_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not may_reopen_report(request.actor, report):
        raise PermissionDenied
    try:
        report_services.report_reopen(by=request.actor, report=report, reason=request.POST.get("reason", ""))
        messages.success(request, _("Report reopened as a new version; the accepted version is kept."))
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    return redirect("report_detail", pk=report.pk)


def consolidation_scope(request: HttpRequest, pk: int):
    campaign = report_selectors.campaign_get(actor=request.actor, pk=pk, ip=client_ip(request))
    scope = consolidation.consolidation_units(actor=request.actor, campaign=campaign)
    if scope is None:
        raise PermissionDenied
    return campaign, *scope


@require_GET
def campaign_consolidation(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, units, scope_unit = consolidation_scope(request, pk)
    result = consolidation.consolidation_build(campaign=campaign, units=units, scope_unit=scope_unit)
    now = timezone.now()
    states: dict[str, int] = {}
    for row in result.board:
        report = row["report"]
        row["late"] = bool(report and report.late_days) or (
            now > campaign.report_deadline and (report is None or report.first_submitted_at is None)
        )
        states[row["state"]] = states.get(row["state"], 0) + 1
    districts = result.districts  # the campaign's intermediate level: none, no "by district" breakdown
    items = [
        {
            "item": item,
            "total": result.totals.get(item.code),
            "by_kind": [(UnitKind(k).label, v) for k, v in sorted(result.by_kind.get(item.code, {}).items(),
                                                                   key=lambda kv: UnitKind.rank(kv[0]))],
            "by_district": [(districts[d].name, v) for d, v in result.by_district.get(item.code, {}).items() if d in districts],
        }
        for item in campaign.outline.items.order_by("position")
        if item.kind == ItemKind.SECTION or item.is_numeric
    ]  # fmt: skip
    for row in items:  # each per-year figure as a chart, its table a click away
        if row["item"].kind == ItemKind.YEARLY and row["total"]:
            item = row["item"]
            row["chart"] = charts.yearly_chart(code=item.code, title=f"{item.code} – {item.text}", years=row["total"],
                                               unit=item.unit_label)  # fmt: skip
    context = {
        "campaign": campaign,
        "result": result,
        "items": items,
        "chart_data": {row["chart"]["id"]: row["chart"]["spec"] for row in items if "chart" in row},
        "states": [(state, states.get(state, 0)) for state in consolidation.STATE_ORDER],
        "late_count": sum(1 for row in result.board if row["late"]),
        "years": list(campaign.data_years),
    }
    return render(request, "awards/consolidation.html", context)


@require_GET
def campaign_consolidation_item(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    campaign, units, _scope_unit = consolidation_scope(request, pk)
    item = campaign.outline.items.filter(code=code).first()
    if item is None or not item.is_numeric:
        raise Http404
    kind = request.GET.get("kind", "")
    rows = consolidation.consolidation_drilldown(campaign=campaign, units=units, item_code=code, kind=kind)
    return render(
        request, "awards/consolidation_item.html", {"campaign": campaign, "item": item, "rows": rows, "kind": kind}
    )


@require_GET
def report_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = _report(request, pk)
    versions = list(report_selectors.report_versions_visible(actor=request.actor, report=report))
    version = _chosen_version(request, versions)
    try:
        document = exports.report_document(report=report, version=version)
    except ValidationError as error:  # the unit's data lacks what its header needs: say so, print nothing
        messages.error(request, " ".join(error.messages))
        return redirect("report_detail", pk=report.pk)
    name = f"Báo cáo {report.unit.name} - {report.campaign.plan_reference.replace('/', '-')} - v{version.number}"
    if fmt == "pdf":
        return file_response(build_pdf(document), name=f"{name}.pdf")
    return file_response(build_docx(document), name=f"{name}.docx")


@require_GET
def consolidation_export(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, _units, _scope_unit = consolidation_scope(request, pk)
    return export_response(request, kind=ExportKind.CONSOLIDATION_XLSX, campaign=campaign)


@require_GET
def consolidation_summary(request: HttpRequest, pk: int) -> HttpResponse:
    campaign, units, scope_unit = consolidation_scope(request, pk)
    if scope_unit is not None:  # the provincial summary is the reviewing police's document
        raise PermissionDenied
    result = consolidation.consolidation_build(campaign=campaign, units=units, scope_unit=None)
    try:
        document = exports.provincial_summary_document(result=result, reviewer=campaign.reviewer,
                                                       day=timezone.localdate())  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("campaign_consolidation", pk=campaign.pk)
    name = f"Dự thảo báo cáo tổng hợp - {campaign.plan_reference.replace('/', '-')}.docx"
    return file_response(build_docx(document), name=name)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_lazy("Kind"), choices=UploadKind.choices, initial=UploadKind.SCAN)
    file = forms.FileField(label=_lazy("File"))


@limit_uploads(max_bytes=max(max_bytes_for(kind) for kind in UploadKind))
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not may_edit_report(request.actor, report):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if not attach_upload_refusal(request=request, form=form, field="file") and form.is_valid():
        kind = form.cleaned_data["kind"]
        upload = form.cleaned_data["file"]
        if upload.size > max_bytes_for(kind):
            form.add_error("file", _("The file is larger than %(limit)s MB.") % {"limit": max_bytes_for(kind) // 2**20})
        else:
            try:
                attachment = report_services.attachment_add(
                    by=request.actor, report=report, uploaded_file=upload, kind=kind
                )
            except ValidationError as invalid:
                form.add_error("file", invalid)
            else:
                messages.success(request, _("“%(name)s” attached.") % {"name": attachment.original_name})
                return redirect("report_detail", pk=report.pk)
    form_errors_as_messages(request, form)
    return redirect("report_detail", pk=report.pk)


def _attachment(request: HttpRequest, pk: int, attachment_pk: int):
    report = _report(request, pk)
    versions = report_selectors.report_versions_visible(actor=request.actor, report=report)
    attachment = ReportAttachment.objects.filter(pk=attachment_pk, version__in=versions).first()
    if attachment is None:
        raise report_selectors.deny(
            actor=request.actor, what="attachment", object_id=attachment_pk, ip=client_ip(request)
        )
    return report, attachment


@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    _report_obj, attachment = _attachment(request, pk, attachment_pk)
    return download_response(
        relative_path=attachment.stored_path,
        download_name=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_http_methods(["GET", "POST"])
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """GET: ask before taking the file off the draft. POST: take it off (audited); never off a sent version."""
    report, attachment = _attachment(request, pk, attachment_pk)
    if not may_edit_report(request.actor, report):
        raise PermissionDenied
    if request.method == "GET":
        if not attachment_removable(report, attachment):
            messages.error(
                request,
                _("“%(name)s” belongs to a version that was sent: it can no longer be removed.")
                % {"name": attachment.original_name},
            )
            return redirect("report_detail", pk=report.pk)
        return render(request, "awards/attachment_remove.html", {"report": report, "attachment": attachment})
    try:
        report_services.attachment_remove(by=request.actor, attachment=attachment)
        messages.success(
            request,
            _("“%(name)s” was removed from the draft report.") % {"name": attachment.original_name},
        )
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    return redirect("report_detail", pk=report.pk)


@require_GET
def report_compare(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    report = _report(request, pk)
    versions = list(report_selectors.report_versions_visible(actor=request.actor, report=report))
    newer = next((v for v in versions if v.number == number), None)
    older = next((v for v in reversed(versions) if v.number < number), None)
    if newer is None or older is None:
        raise Http404
    rows = report_selectors.report_compare(report=report, older=older, newer=newer)
    context = {"report": report, "older": older, "newer": newer, "rows": rows}
    return render(request, "awards/report_compare.html", context)
