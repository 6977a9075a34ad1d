"""The administrator prepares the next campaign in the web UI, on a copy of an outline."""

import pytest

from awards.models import AuditEvent, Campaign, ReportOutline
from awards.services import reports as svc

pytestmark = pytest.mark.django_db

INLINES = {
    "campaignlegalbasis_set-TOTAL_FORMS": "0", "campaignlegalbasis_set-INITIAL_FORMS": "0",
    "participant_changes-TOTAL_FORMS": "0", "participant_changes-INITIAL_FORMS": "0",
}  # fmt: skip


def campaign_form(org, outline, **overrides):
    data = {
        "title": "Sơ kết năm 2027", "plan_number": "12", "plan_symbol": "KH-UBND", "plan_date": "05/01/2027",
        "issuer": org.units["province"].pk, "reviewer": org.units["police"].pk, "directive": "Chỉ thị 07/CT-BCA-V28",
        "data_from": "01/01/2026", "data_to": "31/12/2026", "reference_date": "31/12/2026",
        "report_deadline_0": "15/01/2027", "report_deadline_1": "00:00", "nomination_deadline_0": "",
        "nomination_deadline_1": "", "outline": outline.pk, "participant_kinds": ["district_committee", "enterprise"],
        **INLINES,
    }  # fmt: skip
    data.update(overrides)
    return data


def test_the_administrator_copies_an_outline_and_creates_the_next_campaign(org, campaign):
    svc.report_start(by=org.actor("officer_a"), campaign=campaign, unit=org.units["a"])  # the old outline is in use
    admin = org.client("admin")
    response = admin.post(
        "/admin/awards/reportoutline/", {"action": "copy_outline", "_selected_action": [campaign.outline.pk]}
    )
    assert response.status_code == 302
    copy = ReportOutline.objects.get(code=campaign.outline.code, version=2)
    assert copy.items.count() == campaign.outline.items.count()
    response = admin.post("/admin/awards/campaign/add/", campaign_form(org, copy))
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Campaign.objects.get(plan_number="12")
    assert created.outline == copy
    assert created.participant_kinds == ["district_committee", "enterprise"]
    assert created.plan_date.isoformat() == "2027-01-05"  # typed 05/01/2027: the fifth of January
    assert AuditEvent.objects.filter(action="campaign_created", actor=org.users["admin"]).exists()


def test_a_data_period_ending_before_it_starts_is_a_form_error_in_vietnamese(org, campaign):
    response = org.client("admin").post(
        "/admin/awards/campaign/add/", campaign_form(org, campaign.outline, data_to="01/01/2025")
    )
    assert response.status_code == 200
    assert "Ngày cuối kỳ số liệu không được trước ngày đầu kỳ." in response.content.decode()
    assert not Campaign.objects.filter(plan_number="12").exists()


def test_an_outline_in_use_shows_its_items_read_only(org, campaign):
    svc.report_start(by=org.actor("officer_a"), campaign=campaign, unit=org.units["a"])
    page = org.client("admin").get(f"/admin/awards/reportoutline/{campaign.outline.pk}/change/").content.decode()
    assert "Số lượng văn bản?" in page
    assert 'name="items-0-text"' not in page  # no editable item field
