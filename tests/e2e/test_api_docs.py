"""The API's documentation pages work in a real browser under the product's Content-Security-Policy: Swagger UI and
ReDoc render the schema from our own static files, and the browser reports no blocked script, style or worker."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, build_org

pytestmark = pytest.mark.e2e

WATCH_VIOLATIONS = (
    "window.__csp = []; document.addEventListener('securitypolicyviolation', "
    "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)


@pytest.fixture
def signed_in(page, transactional_db, reference_data):
    build_org()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("officer_a")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.wait_for_load_state()
    return page


def test_swagger_ui_and_redoc_render_the_schema_with_nothing_blocked(signed_in, live_server):
    page = signed_in
    elsewhere = []
    page.on(
        "response", lambda r: None if r.url.startswith((live_server.url, "data:", "blob:")) else elsewhere.append(r.url)
    )
    page.add_init_script(WATCH_VIOLATIONS)
    for path, title in (("/api/docs/", "#swagger-ui .info .title"), ("/api/redoc/", "redoc h1")):
        page.goto(path)
        expect(page.locator(title).first).to_contain_text("TĐKT API", timeout=20_000)
        # ReDoc's "API docs by Redocly" logo points at its CDN: the policy blocks it, so nothing leaves the browser.
        blocked = [v for v in page.evaluate("window.__csp") if v != "img-src https://cdn.redoc.ly/redoc/logo-mini.svg"]
        assert blocked == [], path
    assert elsewhere == []  # nothing answered from elsewhere: no CDN, no fonts
