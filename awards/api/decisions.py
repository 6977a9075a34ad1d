"""Dossiers, decisions and their files: what the decision and dossier pages show, to whom they show it."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from ..models import DecisionStatus
from ..selectors import decisions as sel
from ..selectors import nominations as nomination_selectors
from ..selectors.org import deny
from ..services import documents as docs
from ..uploads import CONTENT_TYPE_BY_EXTENSION, ascii_download_name, attachment_response, download_response
from . import serializers as s
from .base import ApiView
from .errors import error, error_response
from .params import id_query, int_param, text_query
from .schema import ErrorSerializer

FILE = OpenApiResponse(OpenApiTypes.BINARY, description="The file, as an attachment.")
FILE_RESPONSES = {(200, media): FILE for media in sorted(set(CONTENT_TYPE_BY_EXTENSION.values()))}
NOT_READY = OpenApiResponse(ErrorSerializer, description="The file is still being generated: try again shortly.")


class DossierDetail(ApiView):
    serializer_class = s.DossierSerializer

    @extend_schema(operation_id="dossiers_read")
    def get(self, request, pk: int):
        """A dossier of your unit, or one carrying a nomination you may see, with the nominations you may see."""
        dossier = nomination_selectors.dossier_get(actor=self.actor, pk=pk, ip=self.ip)
        nominations = nomination_selectors.nominations_visible(actor=self.actor).filter(dossier=dossier)
        context = {"nominations": nominations.select_related("assignee").order_by("sort_key", "pk")}
        return Response(s.DossierSerializer(dossier, context=context).data)


class DecisionList(ApiView):
    serializer_class = s.DecisionSerializer

    @extend_schema(operation_id="decisions_list", responses=s.DecisionSerializer(many=True), parameters=[
        id_query("campaign", "A campaign's id."), text_query("status", "draft or issued.", DecisionStatus.values),
    ])  # fmt: skip
    def get(self, request):
        """Your body's decisions and the issued ones of your tiers; a nominating unit the issued ones naming it."""
        decisions = sel.decisions_visible(actor=self.actor)
        campaign = int_param(request.query_params, "campaign")
        if campaign:
            decisions = decisions.filter(campaign_id=campaign)
        if request.query_params.get("status") in DecisionStatus.values:
            decisions = decisions.filter(status=request.query_params["status"])
        page = self.paginate_queryset(decisions.order_by("-date", "-number", "-pk"))
        return self.get_paginated_response(s.DecisionSerializer(page, many=True).data)


class DecisionDetail(ApiView):
    serializer_class = s.DecisionDetailSerializer

    @extend_schema(operation_id="decisions_read")
    def get(self, request, pk: int):
        """A decision with the awardees you may see (a unit: only its own) and the files you may download."""
        decision = sel.decision_get(actor=self.actor, pk=pk, ip=self.ip)
        context = {
            "request": request, "whole": sel.sees_whole_decision(self.actor, decision),
            "items": sel.decision_items_visible(actor=self.actor, decision=decision),
            "documents": sel.decision_documents_visible(actor=self.actor, decision=decision).order_by("kind"),
            "scan": sel.decision_scan_visible(self.actor, decision),
        }  # fmt: skip
        return Response(s.DecisionDetailSerializer(decision, context=context).data)


def _stem(decision) -> str:
    if not decision.number:
        return f"du-thao-{decision.pk}"
    return f"{ascii_download_name(decision.reference).replace('/', '-')}-{decision.year}"


class DecisionDocumentFile(ApiView):
    @extend_schema(operation_id="decisions_document", responses={**FILE_RESPONSES, 409: NOT_READY})
    def get(self, request, pk: int, kind: str):
        """One generated file (decision_pdf, list_xlsx…): 409 while it is still being generated."""
        decision = sel.decision_get(actor=self.actor, pk=pk, ip=self.ip)
        document = sel.decision_documents_visible(actor=self.actor, decision=decision).filter(kind=kind[:32]).first()
        if document is None:
            raise deny(actor=self.actor, what="decision_document", object_id=pk, ip=self.ip)
        try:
            handle = docs.document_open(document)
        except FileNotFoundError:
            return error_response(status.HTTP_409_CONFLICT, [error(
                None, "not_ready", _("This file is still being generated: try again in a moment."))])  # fmt: skip
        extension = docs.EXTENSIONS[document.kind]
        return attachment_response(handle, download_name=f"{kind}-{_stem(decision)}", extension=extension,
                                   content_type=CONTENT_TYPE_BY_EXTENSION[extension])  # fmt: skip


class DecisionScan(ApiView):
    @extend_schema(operation_id="decisions_scan", responses=FILE_RESPONSES)
    def get(self, request, pk: int):
        """The signed scan of an issued decision, for those who receive it."""
        decision = sel.decision_get(actor=self.actor, pk=pk, ip=self.ip)
        if not sel.decision_scan_visible(self.actor, decision):
            raise deny(actor=self.actor, what="decision_scan", object_id=pk, ip=self.ip)
        extension = decision.scan_name.rsplit(".", 1)[-1].lower() if "." in decision.scan_name else "pdf"
        return download_response(relative_path=decision.scan_path, download_name=f"QD-{_stem(decision)}-ban-ky.{extension}",
                                 content_type=decision.scan_content_type)  # fmt: skip
