"""Browser tests: one headless Chromium (Debian's) for the session, a fresh context per test.

Playwright's sync API runs an event loop in the main thread; Django's ORM refuses to run beside one
unless DJANGO_ALLOW_ASYNC_UNSAFE is set. The ORM calls here are test set-up only (seeding, look-ups).
"""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import io  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root
    "--disable-gpu",
    "--disable-background-networking",  # the network is closed: no update or safe-browsing calls to hang on
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items):
    # Every test in this folder is a browser test, whatever its module says.
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (make system-deps installs it)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _context_page(browser, live_server, viewport):
    # locale en-US on purpose: the app must answer in Vietnamese whatever the browser asks for.
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server):
    context, page = _context_page(browser, live_server, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context, page = _context_page(browser, live_server, PHONE)
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db, reference_data):
    """The demo organisation and accounts, committed so the live server's thread sees them."""
    call_command("seed_demo", stdout=io.StringIO())
    return settings.DEMO_PASSWORD


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def shot(screenshots_dir):
    """shot(page, "login-canbo.bienhoa-home") saves a full-page PNG and checks it was written."""

    def save(page, name: str) -> Path:
        path = screenshots_dir / f"{re.sub(r'[^A-Za-z0-9._-]+', '-', name)}.png"
        path.unlink(missing_ok=True)
        page.screenshot(path=str(path), full_page=True)
        assert path.is_file() and path.stat().st_size > 0, f"screenshot {path} was not written"
        return path

    return save
