"""The administrator prepares the next campaign in the web UI, on a copy of an outline."""

import datetime as dt

import pytest

from awards.models import AuditEvent, Campaign, ReportOutline
from awards.services import reports as svc

pytestmark = pytest.mark.django_db

INLINES = {
    "campaignlegalbasis_set-TOTAL_FORMS": "0", "campaignlegalbasis_set-INITIAL_FORMS": "0",
    "participant_changes-TOTAL_FORMS": "0", "participant_changes-INITIAL_FORMS": "0",
    "offers-TOTAL_FORMS": "0", "offers-INITIAL_FORMS": "0", "quotas-TOTAL_FORMS": "0", "quotas-INITIAL_FORMS": "0",
}  # fmt: skip


def campaign_form(org, outline, **overrides):
    data = {
        "title": "Sơ kết năm 2027", "plan_number": "12", "plan_symbol": "KH-UBND", "plan_date": "05/01/2027",
        "issuer": org.units["province"].pk, "reviewer": org.units["police"].pk, "directive": "Chỉ thị 07/CT-BCA-V28",
        "data_from": "01/01/2026", "data_to": "31/12/2026", "reference_date": "31/12/2026",
        "report_deadline_0": "15/01/2027", "report_deadline_1": "00:00", "nomination_deadline_0": "",
        "nomination_deadline_1": "", "reminder_days": "7,3,1", "outline": outline.pk, "participant_kinds": ["district_committee", "enterprise"],
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


def unit_form(unit, **changes):
    data = {
        "code": unit.code, "name": unit.name, "short_name": unit.short_name, "kind": unit.kind,
        "parent": unit.parent_id or "", "valid_from": "", "valid_to": "", "email": unit.email, "parent_since": "",
        "placements-TOTAL_FORMS": "0", "placements-INITIAL_FORMS": "0",
        "placements-MIN_NUM_FORMS": "0", "placements-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    data.update(changes)
    return data


def test_the_administrator_moves_a_unit_with_a_date_and_its_earlier_parent_is_kept(org):
    commune, province = org.units["commune"], org.units["province"]
    url = f"/admin/awards/unit/{commune.pk}/change/"
    response = org.client("admin").post(url, unit_form(commune, parent=province.pk, parent_since="01/07/2025"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    commune.refresh_from_db()
    assert commune.parent == province
    assert [(p.parent, p.until) for p in commune.placements.all()] == [(org.units["district"], dt.date(2025, 6, 30))]
    page = org.client("admin").get(url).content.decode()
    assert "30/06/2025" in page  # the earlier placement is shown on the unit


def test_a_move_date_without_a_new_parent_is_refused_and_a_correction_keeps_no_history(org):
    commune, province = org.units["commune"], org.units["province"]
    url = f"/admin/awards/unit/{commune.pk}/change/"
    response = org.client("admin").post(url, unit_form(commune, parent_since="01/07/2025"))
    assert response.status_code == 200
    assert "Chỉ nhập ngày này khi thay đổi đơn vị cấp trên." in response.content.decode()
    response = org.client("admin").post(url, unit_form(commune, parent=province.pk))
    assert response.status_code == 302
    commune.refresh_from_db()
    assert commune.parent == province and not commune.placements.exists()


def test_the_administrator_changes_who_acts_at_a_step_and_its_time_limit(org):
    from awards.models import AwardStep, AwardType
    from awards.reference.tiers_181 import standard_tiers

    standard_tiers(police=org.units["police"], home_affairs=org.units["home"], province=org.units["province"],
                   ministry=org.units["ministry"])  # fmt: skip
    tier = AwardType.objects.get(code="GK-CAT")
    rules = list(tier.step_rules.order_by("pk"))
    data = {
        "code": tier.code, "name": tier.name, "authority": tier.authority, "deciding_unit": tier.deciding_unit_id,
        "route": tier.route, "accepts_collectives": "on", "accepts_individuals": "on", "position": tier.position,
        "step_rules-TOTAL_FORMS": str(len(rules)), "step_rules-INITIAL_FORMS": str(len(rules)),
        "step_rules-MIN_NUM_FORMS": "0", "step_rules-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for i, rule in enumerate(rules):
        days = 12 if rule.step == "police_appraisal" else (rule.time_limit_days or "")
        data.update({f"step_rules-{i}-id": rule.pk, f"step_rules-{i}-award_type": tier.pk, f"step_rules-{i}-step": rule.step,
                     f"step_rules-{i}-role": rule.role, f"step_rules-{i}-unit": rule.unit_id or "",
                     f"step_rules-{i}-time_limit_days": days})  # fmt: skip
    rates = list(tier.prize_rates.order_by("pk"))
    data.update({"prize_rates-TOTAL_FORMS": str(len(rates)), "prize_rates-INITIAL_FORMS": str(len(rates)),
                 "prize_rates-MIN_NUM_FORMS": "0", "prize_rates-MAX_NUM_FORMS": "1000"})  # fmt: skip
    for i, rate in enumerate(rates):
        coefficient = "0.4" if rate.nominee_kind == "individual" else str(rate.coefficient)  # a number input
        data.update({f"prize_rates-{i}-id": rate.pk, f"prize_rates-{i}-award_type": tier.pk,
                     f"prize_rates-{i}-nominee_kind": rate.nominee_kind, f"prize_rates-{i}-coefficient": coefficient})  # fmt: skip
    response = org.client("admin").post(f"/admin/awards/awardtype/{tier.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AwardStep.objects.get(award_type=tier, step="police_appraisal").time_limit_days == 12
    assert str(tier.prize_rates.get(nominee_kind="individual").coefficient) == "0.40"
    assert AuditEvent.objects.filter(action="award_type_saved", actor=org.users["admin"]).exists()


def test_the_administrator_offers_tiers_and_sets_a_quota_on_the_campaign(org, campaign):
    from awards.models import NominationQuota
    from awards.reference.tiers_181 import standard_tiers

    tiers = standard_tiers(police=org.units["police"], home_affairs=org.units["home"],
                           province=org.units["province"], ministry=org.units["ministry"])  # fmt: skip
    page = org.client("admin").get(f"/admin/awards/campaign/{campaign.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(campaign_form(org, campaign.outline, title=campaign.title))
    data.update({
        "offers-TOTAL_FORMS": "1", "offers-0-award_type": tiers[2].pk,
        "quotas-TOTAL_FORMS": "1", "quotas-0-award_type": tiers[2].pk, "quotas-0-unit_kind": "enterprise",
        "quotas-0-limit": "2",
    })  # fmt: skip
    response = org.client("admin").post(f"/admin/awards/campaign/{campaign.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert list(campaign.award_types.all()) == [tiers[2]]
    assert NominationQuota.objects.get(campaign=campaign).limit == 2
