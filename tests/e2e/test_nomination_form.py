"""The nomination form in Chromium: choosing the kind of nominee shows only that kind's fields."""

from playwright.sync_api import Page, expect

from awards.models import Campaign
from tests.e2e.test_report_journey import log_in


def test_choosing_a_collective_hides_the_persons_fields_and_back(page: Page, demo):
    campaign = Campaign.objects.get(plan_number="181", plan_symbol="KH-UBND")
    log_in(page, "canbo.bienhoa", demo)
    page.goto(f"/campaigns/{campaign.pk}/nominations/new/")
    form = page.get_by_test_id("nomination-form")
    expect(form.locator("#id_award_type")).to_have_value("")  # no award chosen for the unit
    form.get_by_label("Tập thể", exact=True).check()
    expect(form.locator("#id_birth_date")).to_be_hidden()
    expect(form.locator("#id_women_percent")).to_be_visible()
    form.get_by_label("Cá nhân", exact=True).check()
    expect(form.locator("#id_birth_date")).to_be_visible()
    expect(form.locator("#id_women_percent")).to_be_hidden()
