"""Attachments on a report: checked, stored under generated names, served only in scope."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas

from awards.models import AuditEvent, ReportAttachment
from awards.services import reports as svc
from tests.test_reports import REQUIRED_ENTERPRISE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Bao cao co chu ky")
    page.showPage()
    page.save()
    return buffer.getvalue()


def draft(org, campaign):
    actor = org.actor("officer_a")
    report = svc.report_start(by=actor, campaign=campaign, unit=actor.unit)
    svc.report_save_draft(by=actor, report=report, expected_seq=0, answers=REQUIRED_ENTERPRISE)
    return report


def upload(client, report, name, content, kind="scan"):
    return client.post(
        f"/reports/{report.pk}/attachments/",
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="application/pdf")},
        follow=True,
    )


def test_a_scan_is_attached_listed_and_downloaded_by_those_in_scope_only(org, campaign, tmp_path):
    report = draft(org, campaign)
    content = pdf_bytes()
    page = upload(org.client("officer_a"), report, "Báo cáo ký số.pdf", content).content.decode()
    assert "Đã đính kèm “Báo cáo ký số.pdf”." in page
    attachment = ReportAttachment.objects.get()
    assert "Báo cáo" not in attachment.stored_path and attachment.stored_path.endswith(".pdf")
    assert (tmp_path / attachment.stored_path).read_bytes() == content
    response = org.client("officer_a").get(f"/reports/{report.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    assert "filename*=UTF-8''B%C3%A1o%20c%C3%A1o" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert org.client("officer_b").get(f"/reports/{report.pk}/attachments/{attachment.pk}/").status_code == 403
    assert org.client("police").get(f"/reports/{report.pk}/attachments/{attachment.pk}/").status_code == 403  # a draft
    svc.report_submit(by=org.actor("head_a"), report=report)
    assert org.client("police").get(f"/reports/{report.pk}/attachments/{attachment.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="attachment_added", detail__sha256=attachment.sha256).exists()


def test_a_renamed_program_is_refused_with_a_vietnamese_message_and_nothing_attached(org, campaign):
    report = draft(org, campaign)
    page = upload(org.client("officer_a"), report, "bao-cao.pdf", b"MZ" + b"\0" * 2048).content.decode()
    assert "Tệp này là chương trình chạy được, không phải tài liệu PDF" in page
    assert not ReportAttachment.objects.exists()


def test_a_word_file_is_not_a_scan(org, campaign):
    report = draft(org, campaign)
    page = upload(org.client("officer_a"), report, "bao-cao.docx", b"PK\x03\x04whatever").content.decode()
    assert "Không chấp nhận tệp “.docx” ở đây" in page
    assert not ReportAttachment.objects.exists()


def test_attachments_freeze_with_the_submitted_version_and_follow_into_the_revision(org, campaign):
    report = draft(org, campaign)
    upload(org.client("officer_a"), report, "scan.pdf", pdf_bytes())
    svc.report_submit(by=org.actor("head_a"), report=report)
    page = upload(org.client("officer_a"), report, "scan-2.pdf", pdf_bytes()).content.decode()
    assert "Báo cáo đã được gửi, không thể chỉnh sửa." in page
    svc.report_return(by=org.actor("police"), report=report, comments={None: "Thiếu trang 2"})
    report.refresh_from_db()
    assert list(report.current_version.attachments.values_list("original_name", flat=True)) == ["scan.pdf"]
    first = report.versions.get(number=1).attachments.get()
    assert org.client("officer_b").post(f"/reports/{report.pk}/attachments/{first.pk}/delete/").status_code == 403
    org.client("officer_a").post(f"/reports/{report.pk}/attachments/{first.pk}/delete/")
    assert report.versions.get(number=1).attachments.count() == 1  # the sent version keeps its file
