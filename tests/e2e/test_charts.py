"""The charts in Chromium: drawn (not blank), their tables one click away with the right figures, no console
error nor CSP violation, no sideways scroll at 375 px; screenshots at 1366 and 375 px."""

import pytest
from playwright.sync_api import Page, expect

from awards.demo.decisions import seed_decisions
from awards.models import Campaign, User
from awards.selectors import statistics
from awards.selectors.org import actor_for
from tests.e2e.test_login_journey import login

pytestmark = pytest.mark.slow

WIDTHS = (1366, 375)
# Every CSP violation the page meets is kept, to be read after the charts are drawn.
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""
# A canvas is blank when its pixels equal those of an empty canvas of the same size.
BLANK = """canvas => {
  const empty = document.createElement("canvas");
  empty.width = canvas.width; empty.height = canvas.height;
  return canvas.toDataURL() === empty.toDataURL();
}"""


def open_as(page: Page, username: str, password: str, path: str, errors: list[str]) -> None:
    page.add_init_script(WATCH_CSP)
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/accounts/login/")
    login(page, username, password)
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    page.wait_for_function("() => window.tdktCharts && window.tdktCharts.length > 0")


def check_drawn(page: Page) -> int:
    canvases = page.locator("canvas[data-chart]")
    count = canvases.count()
    assert count > 0
    assert page.evaluate("window.tdktCharts.length") == count
    for index in range(count):
        canvas = canvases.nth(index)
        canvas.scroll_into_view_if_needed()
        assert canvas.get_attribute("data-drawn") == "1"
        assert canvas.get_attribute("aria-label")  # the text alternative
        assert not canvas.evaluate(BLANK), canvas.get_attribute("data-chart")
    return count


def check_clean(page: Page, errors: list[str], width: int) -> None:
    assert page.evaluate("window.__csp") == []
    assert errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_the_police_read_the_campaign_statistics_as_charts(browser, live_server, demo, shot, width, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed_decisions()  # what `seed_demo --full` adds: the issued decisions
    plan = Campaign.objects.get(plan_number="181", plan_symbol="KH-UBND")
    actor = actor_for(user=User.objects.get(username="congan.canbo"))
    expected = statistics.campaign_statistics(actor=actor, campaign=plan)
    assert expected.awards_total > 0 and expected.progress  # the demo has both
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport={"width": width, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    open_as(page, "congan.canbo", demo, f"/campaigns/{plan.pk}/statistics/", errors)
    assert check_drawn(page) >= 5
    # The table is hidden until asked for, then gives the chart's figures.
    table = page.get_by_test_id("table-awards-tier")
    expect(table).to_be_hidden()
    page.get_by_test_id("chart-awards-tier").locator("summary").click()
    expect(table).to_be_visible()
    for row in expected.awards_by_tier:
        cells = table.locator("tr", has=page.locator("th", has_text=row.label)).locator("td")
        expect(cells).to_have_text([str(row.collectives), str(row.individuals)])
    progress = page.get_by_test_id("table-progress")
    page.get_by_test_id("chart-progress").locator("summary").click()
    total = expected.progress_total
    assert str(total.participants) in page.get_by_test_id("summary-progress").inner_text()
    expect(progress.locator("tbody tr")).to_have_count(len(expected.progress))
    check_clean(page, errors, width)
    shot(page, f"charts-statistics-police-{width}")
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_consolidations_per_year_figures_are_charts_with_their_tables(browser, live_server, demo, shot, width):
    plan = Campaign.objects.get(plan_number="181", plan_symbol="KH-UBND")
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport={"width": width, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    open_as(page, "congan.canbo", demo, f"/campaigns/{plan.pk}/consolidation/", errors)
    check_drawn(page)
    first = page.locator("figure.chart").first
    spec = page.evaluate(
        "id => JSON.parse(document.getElementById('chart-data').textContent)[id]",
        first.locator("canvas").get_attribute("data-chart"),
    )
    first.locator("summary").click()
    rows = first.locator("tbody tr")
    expect(rows).to_have_count(len(spec["labels"]))
    expect(rows.first.locator("th")).to_have_text(spec["labels"][0])
    expect(rows.first.locator("td")).to_have_text(f"{spec['series'][0]['values'][0]:,}".replace(",", "."))
    check_clean(page, errors, width)
    shot(page, f"charts-consolidation-police-{width}")
    context.close()


def test_a_city_officer_sees_only_its_own_figures(browser, live_server, demo, shot):
    plan = Campaign.objects.get(plan_number="181", plan_symbol="KH-UBND")
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport={"width": 375, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    open_as(page, "canbo.bienhoa", demo, f"/campaigns/{plan.pk}/statistics/", errors)
    check_drawn(page)
    expect(page.get_by_test_id("section-lateness")).to_have_count(0)  # the agencies' processing times
    page.get_by_test_id("chart-progress").locator("summary").click()
    mine = statistics.reporting_progress(
        actor=actor_for(user=User.objects.get(username="canbo.bienhoa")), campaign=plan
    )
    police = statistics.reporting_progress(
        actor=actor_for(user=User.objects.get(username="congan.canbo")), campaign=plan
    )
    assert sum(r.participants for r in mine) < sum(r.participants for r in police)  # its city and its communes
    table = page.get_by_test_id("table-progress")
    expect(table.locator("tbody th")).to_have_text([str(r.label) for r in mine])
    check_clean(page, errors, 375)
    shot(page, "charts-statistics-city-officer-375")
    context.close()
