"""Importing nominees from a spreadsheet, under a campaign's nominations: the template, the upload and its preview
(every row with its errors beside its cells), the confirmation and the job's progress. Thin: reads through
awards.selectors.imports, writes through awards.services.imports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..forms.imports import NomineeImportForm
from ..imports.xlsx import Column
from ..models import ImportStatus
from ..permissions import Cap
from ..selectors import imports as sel
from ..selectors import reports as report_selectors
from ..selectors.org import deny
from ..services import imports as svc
from ..uploads import attach_upload_refusal, limit_uploads
from .http import client_ip, file_response
from .paging import Page, page_number

PREVIEW_PAGE = 50  # rows per page of the preview


class _ExactPage(Page):
    """The preview's rows are at most MAX_ROWS: their count is exact, pages are numbered to the end."""

    @property
    def count_capped(self) -> bool:
        return False


def _campaign(request: HttpRequest, pk: int):
    campaign = report_selectors.campaign_get(actor=request.actor, pk=pk, ip=client_ip(request))
    actor = request.actor
    if not actor.can(Cap.DRAFT_NOMINATION) or actor.unit is None or actor.membership is None:
        raise deny(actor=actor, what="nomination_import", object_id=pk, ip=client_ip(request))
    return campaign


def _tiers(campaign):
    return list(campaign.award_types.order_by("position"))


@require_GET
def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    tiers = _tiers(campaign)
    wanted = request.GET.get("tier", "")
    tier = next((t for t in tiers if str(t.pk) == wanted), tiers[0] if tiers else None)
    if tier is None:
        raise deny(actor=request.actor, what="nomination_import", object_id=pk, ip=client_ip(request))
    data = svc.template_bytes(actor=request.actor, campaign=campaign, award_type=tier)
    return file_response(data, name=svc.template_name(campaign, tier))


@limit_uploads(max_bytes=svc.MAX_BYTES)
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest, pk: int) -> HttpResponse:
    """The template's links, the upload form and the unit's recent imports of this campaign."""
    campaign = _campaign(request, pk)
    tiers = _tiers(campaign)
    form = NomineeImportForm(request.POST or None, request.FILES or None, award_types=tiers,
                             initial={"award_type": tiers[0].pk if tiers else None})  # fmt: skip
    refused = request.method == "POST" and attach_upload_refusal(request=request, form=form, field="file")
    if request.method == "POST" and not refused and form.is_valid():
        tier = next(t for t in tiers if t.pk == form.cleaned_data["award_type"])
        try:
            made = svc.import_preview(by=request.actor, campaign=campaign, award_type=tier,
                                      uploaded_file=form.cleaned_data["file"])  # fmt: skip
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            return redirect("import_detail", pk=campaign.pk, import_pk=made.pk)
    recent = sel.imports_visible(actor=request.actor).filter(campaign=campaign)[:10]
    return render(request, "awards/import_start.html", {
        "campaign": campaign, "form": form, "tiers": tiers, "recent": recent, "max_rows": svc.MAX_ROWS,
        "max_mb": svc.MAX_BYTES // (1024 * 1024), "keep_days": svc.KEEP.days,
    })  # fmt: skip


def _import(request: HttpRequest, pk: int, import_pk: int):
    found = sel.import_get(actor=request.actor, pk=import_pk, ip=client_ip(request))
    if found.campaign_id != pk:
        raise deny(actor=request.actor, what="nomination_import", object_id=import_pk, ip=client_ip(request))
    return found


def _columns() -> list[Column]:
    """The template's columns, then none: every row shows the same columns, in the template's order."""
    return list(svc.COLUMNS)


@require_GET
def import_detail(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    """The preview while unconfirmed; the progress while the job runs (as JSON with `?format=json`); the result."""
    found = _import(request, pk, import_pk)
    if request.GET.get("format") == "json":
        return JsonResponse({"documents": [{"kind": "import", "status": found.status, "progress": found.progress}]})
    problems_only = request.GET.get("show") == "problems"
    rows = sel.import_rows(found, problems_only=problems_only)
    number = page_number(request.GET.get("page"))
    count = rows.count() if problems_only else found.rows_total
    last = max(1, -(-count // PREVIEW_PAGE))
    number = min(number, last)
    start = (number - 1) * PREVIEW_PAGE
    if problems_only:
        listed = list(rows[start : start + PREVIEW_PAGE])
    else:  # the rows' positions are 1..N: a range, read through the (import, position) index
        listed = list(rows.filter(position__gt=start, position__lte=start + PREVIEW_PAGE))
    query = request.GET.copy()
    query.pop("page", None)
    page = _ExactPage(listed, number, PREVIEW_PAGE, count, has_next=number < last, query=query.urlencode())
    columns = _columns()
    table = [{"row": row, "cells": [(c, row.cells.get(c.key, {})) for c in columns]} for row in listed]
    return render(request, "awards/import_detail.html", {
        "campaign": found.campaign, "imp": found, "page": page, "table": table, "columns": columns,
        "problems_only": problems_only, "rows_problems": found.rows_total - found.rows_valid,
        "building": found.status in (ImportStatus.QUEUED, ImportStatus.RUNNING),
        "keep_days": svc.KEEP.days,
    })  # fmt: skip


@require_POST
def import_confirm(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    found = _import(request, pk, import_pk)
    try:
        svc.import_confirm(by=request.actor, nomination_import=found)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Import confirmed: the valid rows are being created as draft nominations."))
    return redirect("import_detail", pk=pk, import_pk=import_pk)
