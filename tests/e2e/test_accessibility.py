"""Accessibility and phone width: axe-core on one page of every URL pattern, for every demo persona, at 1366 and 375 px.

Issue 16 item 6. For each persona (and for a visitor who is not signed in) the test
1. finds one instance of each URL pattern the persona can reach by following the links of the pages, starting
   at the home page (GETs through the browser context's own HTTP client, fast: no rendering);
2. checks every HTML page it fetched is at most 500 KB;
3. opens each instance in Chromium at 1366 px and at 375 px (one test per width) and runs axe-core (WCAG 2.0/2.1 A and AA rules):
   every serious or critical violation fails the test, all of them listed (rule, element, page, width, persona);
4. at 375 px checks the page itself does not scroll sideways (a table may scroll inside its own box).

The patterns come from the URLconf (django.urls.get_resolver): a new pattern that no persona reaches and that is
not in NOT_VISITED below fails the test, so a new page is checked as soon as it is linked from somewhere.
`/admin/` (Django's own admin) is out of scope (issue 16).
"""

import time
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from awards.demo.campaigns import _actor
from awards.demo.decisions import DECIDED_ON, DECIDERS, _signed
from awards.models import AwardType, Campaign, Decision, Export, ExportKind, Membership, User
from awards.selectors.decisions import decision_candidates
from awards.services import decisions as decision_services

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
WIDTHS = (1366, 375)
HEIGHT = 800
MAX_HTML_BYTES = 500 * 1024
CRAWL_PER_PATTERN = 6

PERSONAS = [
    "congan.canbo",
    "congan.giamdoc",
    "noivu.canbo",
    "ubnd.lanhdao",
    "bca.lienlac",
    "canbo.bienhoa",
    "thutruong.bienhoa",
    "canbo.longkhanh",
    "quantri",
    "canbo.sgddt",  # the officer whose report came back: the report editor and the version comparison
    "thutruong.sgddt",  # its head: the confirmation before signing and sending
]
START = ["/", "/accounts/password_change/done/"]
VISITOR = "(not signed in)"

# URL patterns that are not pages, keyed by URL name (or route when the pattern has no name). Every other
# pattern must be reached by at least one persona.
NOT_VISITED = {
    # Actions: POST only (require_POST); the forms that post to them are on pages that are checked.
    "membership_switch": "POST only",
    "logout": "POST only",
    "set_language": "POST only",
    "report_start": "POST only",
    "report_review": "POST only",
    "report_reopen": "POST only",
    "attachment_upload": "POST only",
    "decision_discard": "POST only",
    "decision_issue": "POST only",
    "nomination_prepared": "POST only",
    "nomination_resubmit": "POST only",
    "nomination_withdraw": "POST only",
    "nomination_act": "POST only",
    "nomination_file_upload": "POST only",
    "nomination_block": "POST only",
    "nomination_achievement": "POST only",
    "nomination_claim": "POST only",
    "nomination_assign": "POST only",
    "nomination_handoff": "POST only",
    "nomination_allow_duplicate": "POST only",
    "notification_open": "POST only",
    # Downloads: files (xlsx, docx, pdf, scans, uploads), not HTML.
    "consolidation_export": "download",
    "consolidation_summary": "download",
    "awardees_export": "download",
    "decision_document": "download",
    "decision_scan": "download",
    "handoff_document": "download",
    "nomination_file_download": "download",
    "dossier_document": "download",
    "dossier_minutes": "download",
    "export_file": "download",
    "report_docx": "download",
    "report_pdf": "download",
    "attachment_download": "download",
    # Probes for load balancers: JSON.
    "healthz": "JSON probe",
    "readyz": "JSON probe",
    "favicon.ico": "redirect to the icon",
    "decision_documents": "JSON progress (GET) or POST",
    "import_template": "download",
    "admin_template": "download",
    "admin_export": "download",
    "nominations_export": "download (or a background export job)",
    "import_confirm": "POST only",
    "admin_import_confirm": "POST only",
    "api_token_revoke": "POST only",
    # Pages of one uploaded file: the nominee import's preview is walked in Chromium by
    # tests/e2e/test_import_journey.py; the administrator's import preview is not yet checked by axe.
    "import_detail": "needs an uploaded file",
    "admin_import_detail": "needs an uploaded file",
    # The REST API answers JSON (tests/test_api.py, tests/test_api_schema.py); its ReDoc page is third-party and is
    # opened in Chromium by tests/e2e/test_api_docs.py.
    "api_schema": "OpenAPI schema (YAML/JSON)",
    "api_redoc": "third-party API reference",
}
API_JSON = "api_"  # every other api_* pattern but the Swagger UI page (checked like any page) is JSON


def url_patterns() -> set[str]:
    """Every URL pattern's key (its name, else its route), Django's admin left out."""
    keys = set()

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                keys.add(p.name or prefix + str(p.pattern))

    walk(get_resolver().url_patterns)
    return keys


def pattern_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if "admin" in match.namespaces:
        return None
    return match.url_name or match.route


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def local_paths(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    paths = []
    for href in parser.hrefs:
        href = urldefrag(href)[0]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(("/static/", "/media/", "/admin/")):
            continue
        paths.append(parts.path)
    return paths


def discover(context, start: list[str], oversized: list[str], who: str) -> dict[str, str]:
    """One path per URL pattern reachable from `start` by links: {pattern: path}.

    Up to CRAWL_PER_PATTERN instances of a pattern are fetched to find links (the first campaign may have no
    decision yet); the first one found is the one checked.
    """
    sizes: dict[str, dict[str, int]] = defaultdict(dict)
    seen: set[str] = set()
    queue = list(start)
    while queue:
        path = queue.pop(0)
        key = pattern_of(path)
        if key is None or key in NOT_VISITED or path in seen or len(sizes[key]) >= CRAWL_PER_PATTERN:
            continue
        seen.add(path)
        response = context.request.get(path, max_redirects=0)
        if response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        body = response.body()
        if len(body) > MAX_HTML_BYTES:
            oversized.append(f"{who} {path}: {len(body) // 1024} KB")
        sizes[key][path] = len(body)
        queue.extend(local_paths(body.decode()))
    return {key: next(iter(found)) for key, found in sizes.items() if found}


AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"], preload: false});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" ") + (n.failureSummary ? " — " + n.failureSummary.split("\\n").slice(1, 2).join("") : ""))}));
}"""
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"


def check_pages(page, who: str, paths: dict[str, str], problems: list[str], timings: list, width: int) -> None:
    for key, path in sorted(paths.items()):
        began = time.monotonic()
        page.goto(path)
        where = f"{path} ({key}) at {width} px as {who}"
        for violation in page.evaluate(AXE_RUN, AXE_TAGS):
            if violation["impact"] in FAILING_IMPACTS:
                targets = " | ".join(violation["targets"])
                problems.append(f"{violation['impact']} {violation['id']} on {where}: {violation['help']}: {targets}")
        if width < 600:
            overflow = page.evaluate(SIDEWAYS)
            if overflow > 0:
                problems.append(f"page scrolls sideways by {overflow} px on {where}")
        timings.append((time.monotonic() - began, where))


def new_context(browser, live_server, width: int):
    # The app's CSP allows no inline script; axe-core is added by an init script, which the browser runs through
    # the DevTools protocol, outside the page's CSP, so the policy under test stays as the app sends it.
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport={"width": width, "height": HEIGHT})
    context.set_default_timeout(15_000)
    context.add_init_script(path=str(AXE))
    return context


def visitor_paths() -> list[str]:
    user = User.objects.get(username="canbo.bienhoa")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return [
        "/accounts/login/",
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/done/",
        f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}/",
        "/no-such-page/",
    ]


def more_to_see() -> None:
    """What the plain demo lacks for some patterns: an issued decision (its page, the revocation and correction
    forms), a draft one (its edit form) with a tier still waiting beside it (the new-decision form), and an export
    being built (the demo has none: they start at 100 rows)."""
    campaign = Campaign.objects.get(plan_number="181", plan_symbol="KH-UBND")
    for code in ("GK-CAT", "BK-UBND"):
        tier = AwardType.objects.get(code=code)
        waiting = list(decision_candidates(campaign=campaign, award_type=tier))
        username, signer, title, authority, funding, recipients = DECIDERS[code]
        decider = _actor(username)
        draft = decision_services.decision_draft(
            by=decider, campaign=campaign, award_type=tier, nominations=waiting[:-1] if code == "GK-CAT" else waiting,
            signer=signer, signer_title=title, authority=authority, funding_source=funding, recipients=recipients,
        )  # fmt: skip
        if code == "BK-UBND":
            day = DECIDED_ON[code]
            number = decision_services.decision_next_number(
                issuer_id=draft.issuer_id, symbol=draft.symbol, year=day.year
            )
            decision_services.decision_issue(by=decider, decision=draft, number=number, date=day,
                                             scan=_signed(Decision.objects.get(pk=draft.pk), number, day))  # fmt: skip
    # A file on a draft nomination and one on the returned report: their "remove" confirmations.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from awards.models import Nomination, Report, Step
    from awards.services import nominations as nomination_services
    from awards.services import reports as report_services
    from tests.test_attachments import pdf_bytes

    draft = (
        Nomination.objects.filter(unit__code="UBND-P-TRANBIEN", step=Step.PREPARE).order_by("pk").first()
    )  # Biên Hòa's, moved 01/7/2025
    nomination_services.nomination_file_add(by=_actor("canbo.bienhoa"), nomination=draft, kind="achievement",
                                            uploaded_file=SimpleUploadedFile("bao-cao-thanh-tich.pdf", pdf_bytes()))  # fmt: skip
    returned = Report.objects.get(campaign=campaign, unit__memberships__user__username="canbo.sgddt")
    report_services.attachment_add(by=_actor("canbo.sgddt"), report=returned, kind="supporting",
                                   uploaded_file=SimpleUploadedFile("phu-luc.pdf", pdf_bytes()))  # fmt: skip
    membership = Membership.objects.filter(user__username="congan.giamdoc").first()
    Export.objects.create(user=membership.user, membership=membership, kind=ExportKind.values[0], campaign=campaign,
                          name="khen-thuong.xlsx", rows=150)  # fmt: skip


def log_in(context, username: str, password: str):
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    page.wait_for_selector("[data-testid=who]")
    return page


# One test per width, so that `pytest -n 2` (CI) checks both widths side by side.
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_is_accessible_fits_a_phone_and_is_not_too_big(browser, live_server, demo, width):
    more_to_see()
    started = time.monotonic()
    problems: list[str] = []
    timings: list[tuple[float, str]] = []
    oversized: list[str] = []
    reached: dict[str, set[str]] = defaultdict(set)
    checked = 0

    context = new_context(browser, live_server, width)
    page = context.new_page()
    paths = {}
    for path in visitor_paths():
        response = page.goto(path)
        if len(response.body()) > MAX_HTML_BYTES:
            oversized.append(f"{VISITOR} {path}: {len(response.body()) // 1024} KB")
        paths[pattern_of(path) or "404"] = page.url.removeprefix(live_server.url)
    check_pages(page, VISITOR, paths, problems, timings, width)
    for key in paths:
        reached[key].add(VISITOR)
    checked += len(paths)
    context.close()

    for username in PERSONAS:  # one context and one login per persona
        context = new_context(browser, live_server, width)
        page = log_in(context, username, demo)
        paths = discover(context, START, oversized, username)
        check_pages(page, username, paths, problems, timings, width)
        for key in paths:
            reached[key].add(username)
        checked += len(paths)
        context.close()

    print(f"\naxe: {checked} pages at {width} px in {time.monotonic() - started:.0f} s")
    for seconds, where in sorted(timings, reverse=True)[:15]:
        print(f"  {seconds:.1f} s {where}")
    for key in sorted(reached):
        print(f"  {key}: {', '.join(sorted(reached[key]))}")
    failures = []
    json_api = {key for key in url_patterns() if key.startswith(("api/v1/", API_JSON)) and key != "api_docs"}
    unreached = sorted(url_patterns() - set(reached) - set(NOT_VISITED) - json_api)
    if unreached:
        failures.append(f"URL patterns no persona reached (link them, or list them in NOT_VISITED): {unreached}")
    if oversized:
        failures.append("HTML pages over 500 KB:\n" + "\n".join(oversized))
    if problems:
        failures.append(f"{len(problems)} accessibility problems:\n" + "\n".join(problems))
    assert not failures, "\n\n".join(failures)
