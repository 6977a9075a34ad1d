"""Every demo persona, signed in on `seed_demo --full`, opens every link reachable from its pages and every
download it is offered (at most three objects per URL pattern): nothing answers 500, and no page links to
something its reader may not open."""

import io
import re
from collections import defaultdict, deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from awards.demo.campaigns import REPORTING_UNITS
from awards.management.commands.seed_demo import DEMO_ACTING, DEMO_USERS
from awards.models import User

pytestmark = pytest.mark.django_db

PER_PATTERN = 3
# Links that act (sign out) rather than show, and the language switch (a POST form, not a link).
SKIPPED_PREFIXES = ("/accounts/logout/", "/i18n/")
HREF = re.compile(r'href="([^"#]+)"')


def personas() -> list[str]:
    reporting = [name for _code, officer, head in REPORTING_UNITS for name in (officer, head)]
    return sorted({*(u[0] for u in DEMO_USERS), *(a[0] for a in DEMO_ACTING), *reporting})


def crawl(client: Client) -> tuple[dict[str, int], list[str]]:
    """Breadth first from the home page: each URL's status, and the links a page offered that answered 403."""
    seen: dict[str, int] = {}
    per_pattern: dict[str, int] = defaultdict(int)
    refused: list[str] = []
    queue = deque([("/", "")])
    while queue:
        url, offered_by = queue.popleft()
        if url in seen:
            continue
        try:
            route = resolve(urlsplit(url).path).route
        except Resolver404:
            route = urlsplit(url).path
        if per_pattern[route] >= PER_PATTERN:
            continue
        per_pattern[route] += 1
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code == 403 and offered_by:
            refused.append(f"{url} (linked from {offered_by})")
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)  # read the download through
            continue
        for href in HREF.findall(response.content.decode()):
            target = urldefrag(urljoin(url, href.replace("&amp;", "&"))).url
            parts = urlsplit(target)
            if parts.netloc and parts.netloc not in ("testserver",):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path.startswith(SKIPPED_PREFIXES) or parts.path.startswith(settings.STATIC_URL):
                continue
            queue.append((path, url))
    return seen, refused


def test_every_persona_opens_every_link_and_download_it_is_offered(settings, tmp_path, reference_data,
                                                                   django_capture_on_commit_callbacks):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):  # the decisions' files are built once it commits
        call_command("seed_demo", "--full", stdout=io.StringIO())
    failures, visited = [], 0
    for username in personas():
        client = Client()
        client.force_login(User.objects.get(username=username))
        seen, refused = crawl(client)
        visited += len(seen)
        failures += [f"{username}: {url} → 500" for url, status in seen.items() if status >= 500]
        failures += [f"{username}: 403 on {link}" for link in refused]
        assert len(seen) > 5, (username, seen)  # the crawl really went somewhere
    assert not failures, "\n".join(failures)
    assert visited > 200
