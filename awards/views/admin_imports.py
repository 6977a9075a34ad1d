"""The administrator's imports and exports of units and of accounts with their memberships: the templates, the
upload and its preview (every row with its problems beside its cells, and what it changes), the confirmation, and
the exports in the import's columns. Reached from the navigation ("Import and export") and from the
administration's lists of units and users. Thin: reads through awards.selectors.admin_imports, writes through
awards.services.admin_imports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..forms.imports import AdminImportForm
from ..models import AdminImportKind, RowAction
from ..permissions import may_import
from ..selectors import admin_imports as sel
from ..selectors.org import deny
from ..services import admin_imports as svc
from ..uploads import attach_upload_refusal, limit_uploads
from .http import client_ip, file_response
from .imports import PREVIEW_PAGE, _ExactPage
from .paging import page_number


def _kind(request: HttpRequest, kind: str) -> str:
    if kind not in AdminImportKind.values:
        raise Http404
    if not may_import(request.actor, kind):
        raise deny(actor=request.actor, what=f"{kind}_import", object_id="", ip=client_ip(request))
    return kind


@require_GET
def admin_io(request: HttpRequest) -> HttpResponse:
    """Both kinds: their templates, uploads and exports, and the recent imports."""
    kinds = [k for k in AdminImportKind.values if may_import(request.actor, k)]
    if not kinds:
        raise deny(actor=request.actor, what="admin_io", object_id="", ip=client_ip(request))
    recent = sel.admin_imports_visible(actor=request.actor)[:10]
    return render(request, "awards/admin_io.html", {
        "kinds": [(k, AdminImportKind(k).label) for k in kinds], "recent": recent, "keep_days": svc.KEEP.days,
    })  # fmt: skip


@require_GET
def admin_template(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(request, kind)
    return file_response(svc.template_bytes(actor=request.actor, kind=kind), name=svc.template_name(kind))


@require_GET
def admin_export(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(request, kind)
    build = svc.units_export_bytes if kind == AdminImportKind.UNITS else svc.accounts_export_bytes
    return file_response(build(actor=request.actor), name=svc.template_name(kind, export=True))


@limit_uploads(max_bytes=svc.MAX_BYTES)
@require_http_methods(["GET", "POST"])
def admin_import_start(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(request, kind)
    form = AdminImportForm(request.POST or None, request.FILES or None)
    refused = request.method == "POST" and attach_upload_refusal(request=request, form=form, field="file")
    if request.method == "POST" and not refused and form.is_valid():
        try:
            made = svc.import_preview(by=request.actor, kind=kind, uploaded_file=form.cleaned_data["file"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            return redirect("admin_import_detail", pk=made.pk)
    recent = sel.admin_imports_visible(actor=request.actor, kind=kind)[:10]
    return render(request, "awards/admin_import_start.html", {
        "kind": kind, "kind_label": AdminImportKind(kind).label, "form": form, "recent": recent,
        "columns": svc.columns_of(kind), "max_rows": svc.MAX_ROWS, "max_mb": svc.MAX_BYTES // (1024 * 1024),
        "keep_days": svc.KEEP.days,
    })  # fmt: skip


@require_GET
def admin_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = sel.admin_import_get(actor=request.actor, pk=pk, ip=client_ip(request))
    problems_only = request.GET.get("show") == "problems"
    rows = sel.admin_import_rows(found, problems_only=problems_only)
    count = rows.count() if problems_only else found.rows_total
    last = max(1, -(-count // PREVIEW_PAGE))
    number = min(page_number(request.GET.get("page")), last)
    start = (number - 1) * PREVIEW_PAGE
    if problems_only:
        listed = list(rows[start : start + PREVIEW_PAGE])
    else:
        listed = list(rows.filter(position__gt=start, position__lte=start + PREVIEW_PAGE))
    query = request.GET.copy()
    query.pop("page", None)
    page = _ExactPage(listed, number, PREVIEW_PAGE, count, has_next=number < last, query=query.urlencode())
    columns = [c for c in svc.columns_of(found.kind) if c.key in found.columns]
    table = [
        {"row": row, "cells": [
            (c, row.cells.get(c.key, {}), row.problems.get(c.key, []), row.changes.get(c.key)) for c in columns
        ], "role_added": row.changes.get("role")}
        for row in listed
    ]  # fmt: skip
    return render(request, "awards/admin_import_detail.html", {
        "imp": found, "kind_label": AdminImportKind(found.kind).label, "page": page, "table": table,
        "columns": columns, "problems_only": problems_only, "actions": RowAction, "keep_days": svc.KEEP.days,
    })  # fmt: skip


@require_POST
def admin_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    found = sel.admin_import_get(actor=request.actor, pk=pk, ip=client_ip(request))
    try:
        done = svc.import_confirm(by=request.actor, admin_import=found)
    except svc.StalePreview:
        messages.warning(request, _("What is stored changed since this preview: check the rows again and confirm."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Imported: %(created)s new, %(updated)s changed.")
                         % {"created": done.rows_create, "updated": done.rows_update})  # fmt: skip
    return redirect("admin_import_detail", pk=pk)
