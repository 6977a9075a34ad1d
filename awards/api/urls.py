from django.urls import include, path, re_path

from . import decisions, docs, nominations, notifications, org, reports

v1 = [
    path("units/", org.UnitList.as_view(), name="api_units"),
    path("units/<int:pk>/", org.UnitDetail.as_view(), name="api_unit"),
    path("campaigns/", org.CampaignList.as_view(), name="api_campaigns"),
    path("campaigns/<int:pk>/", org.CampaignDetail.as_view(), name="api_campaign"),
    path("campaigns/<int:pk>/consolidation/", org.CampaignConsolidation.as_view(), name="api_consolidation"),
    path("reports/", reports.ReportList.as_view(), name="api_reports"),
    path("reports/<int:pk>/", reports.ReportDetail.as_view(), name="api_report"),
    path("reports/<int:pk>/answers/", reports.ReportAnswers.as_view(), name="api_report_answers"),
    path("nominations/", nominations.NominationList.as_view(), name="api_nominations"),
    path("nominations/inbox/", nominations.NominationInbox.as_view(), name="api_inbox"),
    path("nominations/<int:pk>/", nominations.NominationDetail.as_view(), name="api_nomination"),
    path("nominations/<int:pk>/approve/", nominations.NominationApprove.as_view(), name="api_nomination_approve"),
    path("nominations/<int:pk>/return/", nominations.NominationReturn.as_view(), name="api_nomination_return"),
    path("nominations/<int:pk>/refuse/", nominations.NominationRefuse.as_view(), name="api_nomination_refuse"),
    path("nominations/<int:pk>/handoff/", nominations.NominationHandOff.as_view(), name="api_nomination_handoff"),
    path("dossiers/<int:pk>/", decisions.DossierDetail.as_view(), name="api_dossier"),
    path("decisions/", decisions.DecisionList.as_view(), name="api_decisions"),
    path("decisions/<int:pk>/", decisions.DecisionDetail.as_view(), name="api_decision"),
    path(
        "decisions/<int:pk>/documents/<str:kind>/",
        decisions.DecisionDocumentFile.as_view(),
        name="api_decision_document",
    ),
    path("decisions/<int:pk>/scan/", decisions.DecisionScan.as_view(), name="api_decision_scan"),
    path("notifications/", notifications.NotificationList.as_view(), name="api_notifications"),
    path("notifications/read/", notifications.NotificationReadAll.as_view(), name="api_notifications_read"),
    path("notifications/<int:pk>/read/", notifications.NotificationRead.as_view(), name="api_notification_read"),
    re_path(r"^", docs.not_found),  # anything else under /api/v1/: the API's own 404
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", docs.schema_view(), name="api_schema"),
    path("docs/", docs.swagger_view(), name="api_docs"),
    path("redoc/", docs.redoc_view(), name="api_redoc"),
]
