"""The caller's own notifications (the bell), and marking them read."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf
from rest_framework.response import Response

from ..selectors import notifications as sel
from ..services import notifications as svc
from . import serializers as s
from .base import ApiView, idempotent
from .params import IDEMPOTENCY_KEY, text_query


class ReadAllSerializer(drf.Serializer):
    marked = drf.IntegerField(help_text="How many were marked read.")


class NotificationList(ApiView):
    serializer_class = s.NotificationSerializer

    @extend_schema(
        operation_id="notifications_list",
        responses=s.NotificationSerializer(many=True),
        parameters=[text_query("unread", "1: only unread ones.", ["1"])],
    )
    def get(self, request):
        rows = sel.notifications_visible(request.user)
        if request.query_params.get("unread") == "1":
            rows = rows.filter(read_at__isnull=True)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.NotificationSerializer(page, many=True).data)


class NotificationReadAll(ApiView):
    serializer_class = ReadAllSerializer

    @extend_schema(operation_id="notifications_read_all", request=None, responses=ReadAllSerializer,
                   parameters=[IDEMPOTENCY_KEY])  # fmt: skip
    @idempotent
    def post(self, request):
        return Response({"marked": svc.notification_mark_read(user=request.user)})


class NotificationRead(ApiView):
    serializer_class = s.NotificationSerializer

    @extend_schema(operation_id="notifications_read", request=None, responses=s.NotificationSerializer,
                   parameters=[IDEMPOTENCY_KEY])  # fmt: skip
    @idempotent
    def post(self, request, pk: int):
        """Mark one read (another user's: 404, as on the page)."""
        notification = get_object_or_404(sel.notifications_visible(request.user), pk=pk)
        svc.notification_mark_read(user=request.user, ids=[notification.pk])
        notification.refresh_from_db()
        return Response(s.NotificationSerializer(notification).data)
