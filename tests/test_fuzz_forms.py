"""Every HTML form of the product, fuzzed through the test client as a user who may post it: no input gives
a 500.

The pages come from the permission matrix (every GET row, as the first persona it answers with 200); each
`<form method="post">` on them is posted with values Hypothesis draws per field: oversized numbers and text,
wrong types, control characters (NUL included), decomposed (NFD) Vietnamese, dates like 31/02 and 05/01,
options that are not offered, random files. Each post runs in a savepoint rolled back after it, so every
example starts from the same world. CI profile: 25 examples a form, derandomized (HYPOTHESIS_EXAMPLES
changes the count). Before them, a sweep sends each field a few bad values in turn.
"""

import copy
import os
import unicodedata
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_attachments import pdf_bytes
from tests.test_permission_matrix import PERSONA_COLUMNS, parse_matrix
from tests.test_permission_matrix import world as world  # noqa: F401 - the fixture

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "25"))
# Forms that end the session or leave the product: posting them is not fuzzing a form.
SKIPPED_ACTIONS = ("/accounts/logout/", "/i18n/setlang/", "/admin/")


class Forms(HTMLParser):
    """The page's POST forms: action and fields (name, kind, offered values, value shown)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = {"action": a.get("action", ""), "fields": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "button" and a.get("name") and a.get("type", "submit").lower() == "submit":
            self._submit(a)
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                self._submit(a)
                return
            if kind in ("button", "reset"):
                return
            self._form["fields"].append({"name": a["name"], "kind": kind, "options": [a.get("value", "on")],
                                         "value": a.get("value", "")})  # fmt: skip
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "kind": "select", "options": [], "value": ""}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = {"name": a["name"], "kind": "textarea", "options": [], "value": ""}
            self._form["fields"].append(self._textarea)

    def _submit(self, a):
        """A named submit button: one field whose offered values are the buttons' (one is sent, or none)."""
        same = next((f for f in self._form["fields"] if f["kind"] == "submit" and f["name"] == a["name"]), None)
        if same is None:
            self._form["fields"].append(
                {"name": a["name"], "kind": "submit", "options": [], "value": a.get("value", "")}
            )
            same = self._form["fields"][-1]
        same["options"].append(a.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


VIETNAMESE = "Nguyễn Thị Hồng Nhung, Phòng Cảnh sát Quản lý hành chính về trật tự xã hội"
NASTY_TEXT = st.sampled_from([
    "9" * 20, "99999999999999999999999", "-1", "32768", "2147483648", "9223372036854775808", "1e309", "NaN",
    "1.234.567.890.123.456.789", "0x10", "١٢٣", "31/02/2024", "05/01/2024", "2024-02-31", "29/02/2023", "00/00/0000",
    "31/12/9999", "01/01/0001", "", " ", "\x00", "a\x00b", "\u202e\u200b", "<script>alert(1)</script>",
    "' OR 1=1 --", "%00", "../../etc/passwd", "x" * 70, "x" * 300, "Đ" * 5000,
    unicodedata.normalize("NFD", VIETNAMESE), VIETNAMESE,
])  # fmt: skip
TEXT = st.one_of(NASTY_TEXT, st.text(max_size=80), st.text(st.characters(codec="utf-8"), max_size=400),
                 st.integers(min_value=-(2**70), max_value=2**70).map(str))  # fmt: skip


def bad_value(field: dict):
    """What a user (or a forged request) might send in this field."""
    kind = field["kind"]
    if kind == "file":
        return st.builds(
            lambda data, name: SimpleUploadedFile(name, data, content_type="application/octet-stream"),
            st.binary(max_size=2048), st.sampled_from(["scan.pdf", "bao-cao.docx", "a.exe", "ảnh.JPG", "x" * 300]),
        )  # fmt: skip
    if kind in ("select", "checkbox", "radio", "submit") and field["options"]:
        return st.one_of(st.sampled_from(field["options"]), TEXT)
    return TEXT


def shown(field: dict):
    """What the page would send untouched (None: left out); a file input gets a small real PDF, so that the
    forms that need one get past it."""
    if field["kind"] == "file":
        return SimpleUploadedFile("scan.pdf", pdf_bytes(), content_type="application/pdf")
    if field["kind"] in ("checkbox", "radio"):
        return None
    if field["kind"] == "submit":
        return field["options"][0]
    if field["kind"] == "select":
        return field["options"][0] if field["options"] else None
    return field["value"]


def form_data(fields: list[dict]):
    """The form as the page shows it, with one to four fields changed to what a user might type or a forged
    request might send (one field at a time finds the field that fails; several find the combinations)."""
    changes = st.lists(
        st.integers(0, len(fields) - 1).flatmap(lambda i: st.tuples(st.just(i), st.none() | bad_value(fields[i]))),
        min_size=1, max_size=4,
    )  # fmt: skip
    return changes.map(lambda changed: _as_post(fields, dict(changed)))


def _as_post(fields, changed: dict) -> dict:
    data: dict[str, list] = {}
    for i, field in enumerate(fields):
        value = changed[i] if i in changed else shown(field)
        if value is not None:
            data.setdefault(field["name"], []).append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


def pages():
    """(path, personas that may see it) for every GET row of the matrix but the admin's."""
    rows = {}
    for route, method, path, expected in parse_matrix():
        if method == "GET" and not route.startswith("admin"):
            rows.setdefault(path, [p for p in PERSONA_COLUMNS if p != "anon" and expected[p] == 200])
    return [(path, personas) for path, personas in rows.items() if personas]


@pytest.mark.parametrize(("path", "personas"), pages(), ids=[path for path, _personas in pages()])
def test_no_form_input_gives_a_500(world, db, path, personas):  # noqa: F811
    """Each form the page shows to any persona (each form once: the first persona that sees it posts it)."""
    _org, objects, cookies = world
    url, fuzzed = path.format(**objects), set()
    for persona in personas:
        client = Client()
        client.cookies = copy.deepcopy(cookies[persona])
        page = client.get(url)
        assert page.status_code == 200, (persona, url, page.status_code)
        if not page.get("Content-Type", "").startswith("text/html"):
            return
        parser = Forms()
        parser.feed(page.content.decode())
        for form in parser.forms:
            action = urljoin(url, form["action"] or url)
            key = (urlsplit(action).path, tuple(sorted(f["name"] for f in form["fields"])))
            if urlsplit(action).path.startswith(SKIPPED_ACTIONS) or key in fuzzed:
                continue
            fuzzed.add(key)
            fuzz(client, action, form["fields"])


# Each field in turn, the rest as shown: numbers past any column, text past any length, an impossible date,
# a NUL byte. Then Hypothesis's examples change several fields at once.
SWEEP = ("9" * 25, "x" * 300, "31/02/2024", "a\x00b")


def fuzz(client: Client, action: str, fields: list[dict]) -> None:
    def post(data):
        with transaction.atomic():
            response = client.post(action, data)
            transaction.set_rollback(True)
        assert response.status_code < 500, (action, data, response.status_code)

    for i, field in enumerate(fields):
        if field["kind"] != "submit" and field["name"] != "csrfmiddlewaretoken":
            for value in SWEEP:
                post(_as_post(fields, {i: value}))

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])  # fmt: skip
    @given(data=form_data(fields))
    def examples(data):
        post(data)

    examples()
