"""Units in the caller's scope, campaigns, and a campaign's consolidated figures."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from .. import selectors
from ..models import ItemKind, UnitKind
from ..selectors import consolidation
from ..selectors import reports as report_selectors
from . import serializers as s
from .base import ApiView
from .params import text_query


class UnitList(ApiView):
    serializer_class = s.UnitSerializer

    @extend_schema(operation_id="units_list", responses=s.UnitSerializer(many=True), parameters=[
        text_query("q", "Part of the name or the code."), text_query("kind", "The kind of unit.", UnitKind.values),
    ])  # fmt: skip
    def get(self, request):
        kind = request.query_params.get("kind", "")
        units = selectors.units_visible(actor=self.actor, query=request.query_params.get("q", "")[:100],
                                        kind=kind if kind in UnitKind.values else "")  # fmt: skip
        page = self.paginate_queryset(units)
        return self.get_paginated_response(s.UnitSerializer(page, many=True).data)


class UnitDetail(ApiView):
    serializer_class = s.UnitSerializer

    @extend_schema(operation_id="units_read")
    def get(self, request, pk: int):
        return Response(s.UnitSerializer(selectors.unit_get(actor=self.actor, pk=pk, ip=self.ip)).data)


class CampaignList(ApiView):
    serializer_class = s.CampaignSerializer

    @extend_schema(operation_id="campaigns_list", responses=s.CampaignSerializer(many=True))
    def get(self, request):
        campaigns = report_selectors.campaigns_visible(actor=self.actor).order_by("-plan_date", "-pk")
        page = self.paginate_queryset(campaigns)
        return self.get_paginated_response(s.CampaignSerializer(page, many=True).data)


class CampaignDetail(ApiView):
    serializer_class = s.CampaignDetailSerializer

    @extend_schema(operation_id="campaigns_read")
    def get(self, request, pk: int):
        campaign = report_selectors.campaign_get(actor=self.actor, pk=pk, ip=self.ip)
        return Response(s.CampaignDetailSerializer(campaign).data)


class CampaignConsolidation(ApiView):
    """The figures of the consolidation page: the reviewing police see the province, a district its communes."""

    serializer_class = s.ConsolidationSerializer

    @extend_schema(operation_id="campaigns_consolidation")
    def get(self, request, pk: int):
        campaign = report_selectors.campaign_get(actor=self.actor, pk=pk, ip=self.ip)
        scope = consolidation.consolidation_units(actor=self.actor, campaign=campaign)
        if scope is None:
            raise PermissionDenied
        units, scope_unit = scope
        result = consolidation.consolidation_build(campaign=campaign, units=units, scope_unit=scope_unit)
        board = [
            {"unit": row["unit"], "state": row["state"], "report": row["report"].pk if row["report"] else None,
             "late_days": row["report"].late_days if row["report"] else None}
            for row in result.board
        ]  # fmt: skip
        items = [
            {"code": item.code, "kind": item.kind, "text": item.text, "total": _json(result.totals.get(item.code)),
             "by_kind": {kind: _json(value) for kind, value in result.by_kind.get(item.code, {}).items()}}
            for item in campaign.outline.items.order_by("position")
            if item.kind != ItemKind.SECTION and item.is_numeric
        ]  # fmt: skip
        return Response(s.ConsolidationSerializer({
            "campaign": campaign.pk, "scope_unit": scope_unit, "counted_reports": result.counted_reports,
            "board": board, "items": items,
        }).data)  # fmt: skip


def _json(value):
    """A total as JSON: a ratio (done, total) as a list, a yearly count's years as strings."""
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dict):
        return {str(key): _json(inner) for key, inner in value.items()}
    return value
