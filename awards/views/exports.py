"""Exports larger than a page: asked for from a campaign's pages, followed on their own page (a progress
bar), downloaded by the user who asked, under the membership they asked with."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..models import Campaign, DocumentStatus
from ..selectors.exports import exports_visible
from ..selectors.org import deny
from ..services import documents as docs
from ..services import exports as svc
from ..uploads import CONTENT_TYPE_BY_EXTENSION, attachment_response
from .http import client_ip, file_response
from .paging import page_of


def export_response(request: HttpRequest, *, kind: str, campaign: Campaign, params: dict | None = None) -> HttpResponse:
    """The file itself when it fits in a page; otherwise a background job and its page."""
    actor = request.actor
    rows = svc.export_rows(actor=actor, kind=kind, campaign=campaign, params=params)
    if rows <= svc.INLINE_ROWS:
        return file_response(svc.export_bytes(actor=actor, kind=kind, campaign=campaign, params=params),
                             name=svc.file_name(kind, campaign))  # fmt: skip
    export = svc.export_request(by=actor, kind=kind, campaign=campaign, rows=rows, params=params)
    return redirect("export_detail", pk=export.pk)


@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    page = page_of(exports_visible(actor=request.actor), size=30, number=request.GET.get("page"), params=request.GET)
    return render(request, "awards/exports.html", {"page": page, "keep_days": svc.KEEP.days})


def _export(request: HttpRequest, pk: int):
    export = exports_visible(actor=request.actor).filter(pk=pk).first()
    if export is None:
        raise deny(actor=request.actor, what="export", object_id=pk, ip=client_ip(request))
    return export


@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The export's page; as JSON (`?format=json`) its progress, for the page's progress bar."""
    export = _export(request, pk)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {"documents": [{"kind": export.kind, "status": export.status, "progress": export.progress}]}
        )
    building = export.status in (DocumentStatus.QUEUED, DocumentStatus.RUNNING)
    return render(request, "awards/export_detail.html", {"export": export, "building": building,
                                                         "keep_days": svc.KEEP.days})  # fmt: skip


@require_GET
def export_file(request: HttpRequest, pk: int) -> HttpResponse:
    export = _export(request, pk)
    try:
        handle = docs.document_open(export)
    except FileNotFoundError:
        messages.info(request, _("This file is still being generated: try again in a moment."))
        return redirect("export_detail", pk=pk)
    return attachment_response(handle, download_name=export.name, extension="xlsx",
                               content_type=CONTENT_TYPE_BY_EXTENSION["xlsx"])  # fmt: skip
