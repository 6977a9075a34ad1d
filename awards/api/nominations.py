"""Nominations: the lists (everything visible, and the work inbox), one nomination, creating and editing a draft,
and the agencies' step actions (approve, return, refuse, send on with a submission). Each does what its page
does: the same selector, the same permission check before anything else, the same service."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf
from rest_framework import status
from rest_framework.response import Response

from .. import permissions as perms
from ..models import NominationStatus, Outcome
from ..permissions import Cap
from ..selectors import nominations as sel
from ..selectors import reports as report_selectors
from ..selectors.org import deny, units_visible
from ..services import nominations as svc
from . import serializers as s
from .base import ApiView, idempotent
from .params import IDEMPOTENCY_KEY, id_query, int_param, text_query

FILTERS = [
    id_query("campaign", "A campaign's id."), id_query("award_type", "An award type's id."),
    id_query("unit", "The nominating unit's id."), id_query("district", "A district: its own and its communes'."),
    text_query("status", "The nomination's status.", NominationStatus.values),
    text_query("q", "A name, with or without diacritics, whole or in part; or a citizen ID (9 or 12 digits)."),
]  # fmt: skip


def inbox_filters(params) -> sel.InboxFilters:
    """The inbox page's filters, by the same names as its query string (tier is award_type here)."""
    status_ = params.get("status", "")
    return sel.InboxFilters(
        campaign=int_param(params, "campaign"), award_type=int_param(params, "award_type"),
        unit=int_param(params, "unit"), district=int_param(params, "district"),
        status=status_ if status_ in NominationStatus.values else "", mine=params.get("mine") in ("1", "true"),
        q=params.get("q", ""),
    )  # fmt: skip


def actions_of(actor, nomination) -> list[str]:
    """What the nomination page offers the actor, by the same rules."""
    awaiting = perms.may_act_awaiting(actor, nomination)
    can_act = awaiting or (
        nomination.step not in svc.UNIT_STEPS
        and nomination.status in (NominationStatus.IN_REVIEW, NominationStatus.RETURNED)
        and perms.may_act(actor, nomination)
    )
    handoff = can_act and (nomination.award_type.route, nomination.step) in svc.HANDOFF_STEPS
    actions = ["edit"] if perms.may_edit(actor, nomination) else []
    if can_act:
        actions += [] if awaiting or handoff else ["approve"]
        actions += ["handoff"] if handoff else []
        actions += ["return", "refuse"]
    return actions


def detail_response(request, actor, nomination, *, ip, code=status.HTTP_200_OK) -> Response:
    personal = sel.personal_data_view(actor=actor, nomination=nomination, ip=ip)  # each showing is logged
    context = {"request": request, "personal": personal, "actions": actions_of(actor, nomination)}
    return Response(s.NominationDetailSerializer(nomination, context=context).data, status=code)


def nominee_fields(actor, data: dict, *, creating: bool) -> dict:
    """The form's cleaned data: a collective's unit must be one the caller sees that exists today."""
    if data.get("parent_unit"):
        wanted = data["parent_unit"]
        data["parent_unit"] = units_visible(actor=actor).valid_on(timezone.localdate()).filter(pk=wanted).first()
        if data["parent_unit"] is None:
            raise drf.ValidationError({"parent_unit": [drf.ErrorDetail(
                _("Select a valid choice. That choice is not one of the available choices."), code="invalid_choice")]})  # fmt: skip
    if creating:  # the form sends every field: those left out are empty
        defaults = {"parent_unit": None, "women_percent": None, "gender": "", "birth_date": None, "position": "",
                    "workplace": "", "id_number": "", "achievement_text": ""}  # fmt: skip
        data = {**defaults, **data}
    return data


class NominationList(ApiView):
    serializer_class = s.NominationSerializer

    @extend_schema(operation_id="nominations_list", responses=s.NominationSerializer(many=True), parameters=FILTERS)
    def get(self, request):
        """Every nomination you may see (a unit its own, an agency the tiers it acts on once sent up)."""
        f = inbox_filters(request.query_params)
        nominations = sel.nominations_visible(actor=self.actor).select_related("assignee")
        for field, value in (("campaign_id", f.campaign), ("award_type_id", f.award_type), ("unit_id", f.unit),
                             ("status", f.status)):  # fmt: skip
            if value:
                nominations = nominations.filter(**{field: value})
        if f.district:
            nominations = nominations.filter(Q(unit_id=f.district) | Q(unit__parent_id=f.district))
        nominations = sel.nomination_search(nominations, f.q)
        page = self.paginate_queryset(nominations.order_by("sort_key", "pk"))
        return self.get_paginated_response(s.NominationSerializer(page, many=True).data)

    @extend_schema(operation_id="nominations_create", request=s.NominationCreateSerializer,
                   responses={201: s.NominationDetailSerializer}, parameters=[IDEMPOTENCY_KEY])  # fmt: skip
    @idempotent
    def post(self, request):
        """A draft nomination of your unit, as the nomination form makes it."""
        if not self.actor.can(Cap.DRAFT_NOMINATION):  # as the form's page: refused before anything is read
            raise deny(actor=self.actor, what="nomination_new", object_id="", ip=self.ip)
        body = s.NominationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        campaign = report_selectors.campaigns_visible(actor=self.actor).filter(pk=data.pop("campaign")).first()
        if campaign is None:
            raise drf.ValidationError({"campaign": [drf.ErrorDetail(_("No such campaign."), code="does_not_exist")]})
        tier = campaign.award_types.filter(pk=data.pop("award_type")).first()
        if tier is None:
            raise drf.ValidationError({"award_type": [drf.ErrorDetail(_("This campaign does not offer this award."),
                                                                      code="invalid_choice")]})  # fmt: skip
        kind = data.pop("kind")
        nomination = svc.nomination_create(by=self.actor, campaign=campaign, award_type=tier, kind=kind,
                                           **nominee_fields(self.actor, data, creating=True))  # fmt: skip
        return detail_response(request, self.actor, nomination, ip=self.ip, code=status.HTTP_201_CREATED)


class NominationInbox(ApiView):
    serializer_class = s.NominationSerializer

    @extend_schema(operation_id="nominations_inbox", responses=s.NominationSerializer(many=True), parameters=[
        *FILTERS, text_query("mine", "1: only the steps you (or whom you stand in for) have taken.", ["1"]),
    ])  # fmt: skip
    def get(self, request):
        """The nominations waiting for you: held by your unit at a step your role acts on (the inbox page)."""
        inbox = sel.nomination_inbox(actor=self.actor, filters=inbox_filters(request.query_params))
        page = self.paginate_queryset(inbox)
        return self.get_paginated_response(s.NominationSerializer(page, many=True).data)


class NominationDetail(ApiView):
    serializer_class = s.NominationDetailSerializer

    @extend_schema(operation_id="nominations_read")
    def get(self, request, pk: int):
        nomination = sel.nomination_get(actor=self.actor, pk=pk, ip=self.ip)
        return detail_response(request, self.actor, nomination, ip=self.ip)

    @extend_schema(operation_id="nominations_update", request=s.NominationUpdateSerializer,
                   responses=s.NominationDetailSerializer)  # fmt: skip
    def patch(self, request, pk: int):
        """Change a draft (or a returned one) while it is with its unit: only the fields sent."""
        nomination = sel.nomination_get(actor=self.actor, pk=pk, ip=self.ip)
        if not perms.may_edit(self.actor, nomination):
            raise PermissionDenied
        body = s.NominationUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        fields = nominee_fields(self.actor, dict(body.validated_data), creating=False)
        nomination = svc.nomination_update(by=self.actor, nomination=nomination, **fields)
        return detail_response(request, self.actor, nomination, ip=self.ip)


def agency_nomination(view: ApiView, pk: int):
    """A nomination the actor may see and whose route has a step for the actor's role and unit (the page's
    `_agency_nomination`): anything else is refused before the body is read."""
    nomination = sel.nomination_get(actor=view.actor, pk=pk, ip=view.ip)
    if not perms.acts_on_route(view.actor, nomination):
        raise deny(actor=view.actor, what="nomination_step", object_id=pk, ip=view.ip)
    return nomination


class _Act(ApiView):
    serializer_class = s.ActSerializer
    outcome = ""

    def act(self, request, pk: int):
        nomination = agency_nomination(self, pk)
        body = s.ActSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        done = svc.nomination_act(by=self.actor, nomination=nomination, step=data.get("step") or nomination.step,
                                  outcome=self.outcome, comment=data["comment"], internal_note=data["internal_note"])  # fmt: skip
        return detail_response(request, self.actor, done, ip=self.ip)


def _act_schema(operation: str, summary: str):
    return extend_schema(operation_id=operation, summary=summary, request=s.ActSerializer,
                         responses=s.NominationDetailSerializer, parameters=[IDEMPOTENCY_KEY])  # fmt: skip


class NominationApprove(_Act):
    outcome = Outcome.APPROVED

    @_act_schema("nominations_approve", "Approve at the current step")
    @idempotent
    def post(self, request, pk: int):
        return self.act(request, pk)


class NominationReturn(_Act):
    outcome = Outcome.RETURNED

    @_act_schema("nominations_return", "Return to the previous holder for revision (comment required)")
    @idempotent
    def post(self, request, pk: int):
        return self.act(request, pk)


class NominationRefuse(_Act):
    outcome = Outcome.REJECTED

    @_act_schema("nominations_refuse", "Refuse, with the reason (comment required)")
    @idempotent
    def post(self, request, pk: int):
        return self.act(request, pk)


class NominationHandOff(ApiView):
    serializer_class = s.HandOffSerializer

    @extend_schema(operation_id="nominations_handoff", summary="Approve and send on with your submission (tờ trình)",
                   request=s.HandOffSerializer, responses=s.HandOffResultSerializer, parameters=[IDEMPOTENCY_KEY])  # fmt: skip
    @idempotent
    def post(self, request, pk: int):
        nomination = agency_nomination(self, pk)
        body = s.HandOffSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        handoff = svc.handoff_send(by=self.actor, nominations=[nomination], **body.validated_data)
        nomination.refresh_from_db()
        return Response(s.HandOffResultSerializer({
            "handoff": handoff.pk, "number": handoff.number, "to_unit": handoff.to_unit, "nomination": nomination,
        }).data)  # fmt: skip
