from django.urls import path

from . import report_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("role/", views.membership_switch, name="membership_switch"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("activity/", views.activity, name="activity"),
    path("campaigns/", report_views.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", report_views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/report/", report_views.report_start, name="report_start"),
    path("campaigns/<int:pk>/consolidation/", report_views.campaign_consolidation, name="campaign_consolidation"),
    path(
        "campaigns/<int:pk>/consolidation/<str:code>/",
        report_views.campaign_consolidation_item,
        name="campaign_consolidation_item",
    ),
    path("campaigns/<int:pk>/consolidation.xlsx", report_views.consolidation_export, name="consolidation_export"),
    path("campaigns/<int:pk>/summary.docx", report_views.consolidation_summary, name="consolidation_summary"),
    path("reports/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("reports/<int:pk>/report.docx", report_views.report_export, {"fmt": "docx"}, name="report_docx"),
    path("reports/<int:pk>/report.pdf", report_views.report_export, {"fmt": "pdf"}, name="report_pdf"),
    path("reports/<int:pk>/edit/", report_views.report_edit, name="report_edit"),
    path("reports/<int:pk>/compare/<int:number>/", report_views.report_compare, name="report_compare"),
    path("reports/<int:pk>/attachments/", report_views.attachment_upload, name="attachment_upload"),
    path(
        "reports/<int:pk>/attachments/<int:attachment_pk>/",
        report_views.attachment_download,
        name="attachment_download",
    ),
    path(
        "reports/<int:pk>/attachments/<int:attachment_pk>/delete/",
        report_views.attachment_delete,
        name="attachment_delete",
    ),
    path("reports/<int:pk>/submit/", report_views.report_submit, name="report_submit"),
    path("reports/<int:pk>/review/", report_views.report_review, name="report_review"),
    path("reports/<int:pk>/reopen/", report_views.report_reopen, name="report_reopen"),
]
