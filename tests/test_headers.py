"""Production headers: a Content-Security-Policy with nothing inline left in the templates, signed-in pages
never cached, HSTS by environment, and `check --deploy` clean with the documented production environment."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from tests.test_serve import clean_environment

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def test_every_page_carries_a_policy_that_allows_nothing_inline(org, client):
    for response in (client.get("/accounts/login/"), org.client("officer_a").get("/")):
        policy = response["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'", policy
        assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'", policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_no_template_holds_an_inline_script_style_or_handler():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"", re.IGNORECASE)
    found = [f"{path.relative_to(ROOT)}: {match.group(0)}" for path in (ROOT / "templates").rglob("*.html")
             for match in inline.finditer(path.read_text())]  # fmt: skip
    assert found == []


def test_signed_in_pages_are_never_cached(org):
    for path in ("/", "/campaigns/", "/nominations/", "/exports/", "/notifications/"):
        page = org.client("officer_a").get(path)
        assert page.status_code == 200 and page["Cache-Control"] == "private, no-store", (path, page["Cache-Control"])


@override_settings(SECURE_HSTS_SECONDS=31_536_000)
def test_hsts_is_sent_over_https_when_the_environment_sets_it(client):
    assert client.get("/healthz", secure=True)["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/healthz")  # never over plain HTTP


def test_check_deploy_is_clean_with_the_documented_production_environment():
    # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE in this process (Playwright's sync API);
    # a production environment never has it, and check --deploy rightly fails on it (async.E001).
    environment = clean_environment(
        DEBUG="0", SECRET_KEY="k" * 20 + "Xy9!Qz7#Lm2$Np4%Rt6^Vb8&Hd1*Jf3(Gs5)",  # 50+ characters, varied
        ALLOWED_HOSTS="tdkt.dongnai.gov.vn", SITE_URL="https://tdkt.dongnai.gov.vn",
        SECURE_SSL_REDIRECT="1", HSTS_SECONDS="31536000", HSTS_INCLUDE_SUBDOMAINS="1",
        DATABASE_URL=os.environ.get("DATABASE_URL", ""), REDIS_URL="redis://127.0.0.1:6379/0",
    )  # fmt: skip
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=environment,
                            capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
    without_hsts = {**environment, "HSTS_SECONDS": "0"}
    warned = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=without_hsts,
                            capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert "security.W004" in warned.stdout + warned.stderr  # the check can fail
