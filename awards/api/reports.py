"""Reports: the caller's own and those sent to them (read), and the officer's draft answers (write)."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from ..permissions import may_edit_report
from ..selectors import reports as report_selectors
from ..services import reports as report_services
from . import serializers as s
from .answers import answer_json, parse_answers
from .base import ApiView
from .errors import error, error_response
from .params import id_query, int_param


class ReportList(ApiView):
    serializer_class = s.ReportSerializer

    @extend_schema(
        operation_id="reports_list",
        responses=s.ReportSerializer(many=True),
        parameters=[id_query("campaign", "Only this campaign's reports.")],
    )
    def get(self, request):
        reports = report_selectors.reports_visible(actor=self.actor).select_related("reviewer")
        campaign = int_param(request.query_params, "campaign")
        if campaign:
            reports = reports.filter(campaign_id=campaign)
        page = self.paginate_queryset(reports.order_by("-campaign_id", "unit__sort_key", "pk"))
        return self.get_paginated_response(s.ReportSerializer(page, many=True).data)


def report_detail(*, actor, report, number: int | None) -> dict:
    """The report with the versions the caller may see and the answers of one (the latest by default), as the
    report page shows them."""
    versions = list(report_selectors.report_versions_visible(actor=actor, report=report))
    version = (
        next((v for v in versions if v.number == number), None) if number else (versions[-1] if versions else None)
    )
    if version is None:
        raise PermissionDenied
    sheet = report_selectors.report_sheet(report=report, version=version)
    return {
        "versions": versions, "version": version.number,
        "editable": may_edit_report(actor, report) and report.current_version.editable,
        "answers": [
            {"code": row["item"].code, "kind": row["item"].kind, "text": row["item"].text,
             "required": row["item"].required, "answer": answer_json(row["item"].kind, row["answer"])}
            for row in sheet
        ],
    }  # fmt: skip


class ReportDetail(ApiView):
    serializer_class = s.ReportDetailSerializer

    @extend_schema(
        operation_id="reports_read",
        parameters=[id_query("version", "A version's number (default: the latest you may see).")],
    )
    def get(self, request, pk: int):
        report = report_selectors.report_get(actor=self.actor, pk=pk, ip=self.ip)
        detail = report_detail(actor=self.actor, report=report, number=int_param(request.query_params, "version"))
        return Response(_data(report, detail))


def _data(report, detail: dict) -> dict:
    """ReportDetailSerializer's shape: the report, then what report_detail found."""
    return {
        **s.ReportSerializer(report).data,
        "versions": s.ReportVersionSerializer(detail["versions"], many=True).data,
        "version": detail["version"], "editable": detail["editable"],
        "answers": s.AnswerSerializer(detail["answers"], many=True).data,
    }  # fmt: skip


class ReportAnswers(ApiView):
    """Save (part of) the draft, as the edit page does: only the unit's drafting officers or head, only while
    the draft is editable, and only over the save the caller read (`seq`): a colleague's save is never lost."""

    serializer_class = s.ReportAnswersWriteSerializer

    @extend_schema(operation_id="reports_answers_update", request=s.ReportAnswersWriteSerializer,
                   responses=s.ReportDetailSerializer)  # fmt: skip
    def patch(self, request, pk: int):
        report = report_selectors.report_get(actor=self.actor, pk=pk, ip=self.ip)
        if not may_edit_report(self.actor, report):
            raise PermissionDenied
        body = s.ReportAnswersWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        kinds = {item.code: item.kind for item in report_selectors.report_items(report)}
        answers = parse_answers(body.validated_data["answers"], kinds)
        try:
            report_services.report_save_draft(by=self.actor, report=report, expected_seq=body.validated_data["seq"],
                                              answers=answers)  # fmt: skip
        except report_services.ConcurrentEdit as conflict:
            return error_response(status.HTTP_409_CONFLICT, [error(None, "concurrent_edit", conflict.messages[0])])
        except DjangoValidationError as invalid:
            if getattr(invalid, "code", None) == "not_editable":
                return error_response(status.HTTP_409_CONFLICT, [error(None, "not_editable", invalid.messages[0])])
            if hasattr(invalid, "error_dict"):  # per question: under answers.<code>
                raise DjangoValidationError(
                    {f"answers.{code}": problems for code, problems in invalid.error_dict.items()}
                ) from None
            raise
        report.refresh_from_db()
        detail = report_detail(actor=self.actor, report=report, number=None)
        return Response(_data(report, detail))
