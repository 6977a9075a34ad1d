"""The pages people open all day, on `seed_scale` data: time, queries and rows of each, against a floor.

For each database given (built by `manage.py seed_scale` at different sizes), signs in as the demo
personas and times each page through Django's test client (the whole view and template, no network):
the median of `--runs` requests after one warm-up, and its query count. Then, per the goals of
docs/scale.md:

* (c) the officer's list of a campaign's nominations against `Nomination.objects.filter(unit_id__in=<the
  same scope>)` with the same order and page size: ratio, goal <= 1.5;
* (d) the police reviewer's inbox page as shown against one hand-written indexed query for the same rows
  plus its count: ratio, goal <= 2;
* (e) with several databases: each page's time at each size and the growth from the smallest to the
  largest, goal < 1.5;
* and `EXPLAIN (ANALYZE, BUFFERS)` of each list's main query.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tdkt_scale .venv/bin/python bench/pages.py \
        [--databases tdkt_scale_1k tdkt_scale_10k tdkt_scale] [--runs 7] [--explain]

The databases must be reachable with DATABASE_URL's user and host; the script only reads (sessions
aside).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# As production serves (templates cached, static files from collectstatic's manifest), not as DEBUG does.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("PASSWORD_HASHERS", "django.contrib.auth.hashers.MD5PasswordHasher")

import django  # noqa: E402

django.setup()

from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

GOAL_OFFICER, GOAL_INBOX, GOAL_GROWTH = 1.5, 2.0, 1.5


def switch(database: str) -> None:
    """Point the default connection at another database on the same server."""
    from django.core.cache import cache

    connections["default"].close()
    connections["default"].settings_dict["NAME"] = database
    cache.clear()  # the inbox keeps its units a minute: not the previous database's


def timed(fn, runs: int) -> tuple[float, int, object]:
    """(median seconds, queries of one run, the last result) after one warm-up run."""
    fn()
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - started)
    return statistics.median(times), len(queries), result


def client_for(username: str) -> Client:
    from awards.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def page(client: Client, url: str):
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return get


def pages() -> list[tuple[str, str, str]]:
    """(label, persona, url) of the pages the load profile opens."""
    from awards.models import Campaign

    plan = Campaign.objects.get(plan_number="181", plan_symbol="KH-UBND")
    latest = Campaign.objects.order_by("-plan_date", "-pk").first()
    return [
        ("home, police", "congan.canbo", "/"),
        ("home, city officer", "canbo.bienhoa", "/"),
        ("inbox, police", "congan.canbo", "/nominations/"),
        ("inbox, police, page 5", "congan.canbo", "/nominations/?page=5"),
        ("inbox, Home Affairs", "noivu.canbo", "/nominations/"),
        ("campaign list, police", "congan.canbo", f"/campaigns/{latest.pk}/nominations/"),
        ("campaign list, city officer", "canbo.bienhoa", f"/campaigns/{plan.pk}/nominations/"),
        ("lateness, leader", "ubnd.lanhdao", f"/lateness/?campaign={latest.pk}"),
        ("activity, administrator", "quantri", "/activity/"),
        ("units, police", "congan.canbo", "/units/"),
        ("notifications, police", "congan.canbo", "/notifications/"),
    ]


def officer_ratio(runs: int) -> tuple[float, float]:
    """(c): the officer's campaign list against a plain filter on the same scope, same order and size."""
    from awards.demo.campaigns import _actor
    from awards.models import Campaign, Nomination
    from awards.selectors.nominations import nominations_visible
    from awards.selectors.org import unit_scope_ids
    from awards.views.nominations import LIST_PAGE
    from awards.views.paging import page_of

    actor = _actor("canbo.bienhoa")
    campaign = Campaign.objects.get(plan_number="181", plan_symbol="KH-UBND")
    scope = unit_scope_ids(actor=actor)
    ours, _q, rows = timed(
        lambda: page_of(nominations_visible(actor=actor).filter(campaign=campaign).order_by("sort_key", "pk"),
                        size=LIST_PAGE, number="1"),
        runs,
    )  # fmt: skip
    plain, _q, plain_rows = timed(
        lambda: list(
            Nomination.objects.filter(unit_id__in=scope, campaign=campaign)
            .select_related("campaign", "unit", "award_type", "holder", "parent_unit", "dossier")
            .order_by("sort_key", "pk")[:LIST_PAGE]
        ),
        runs,
    )
    assert [n.pk for n in rows] == [n.pk for n in plain_rows], "the two lists differ"
    return ours, plain


def inbox_ratio(runs: int) -> tuple[float, float]:
    """(d): the police inbox page as shown (view and template) against one indexed query plus its count."""
    from awards.demo.campaigns import _actor
    from awards.models import Nomination
    from awards.selectors.nominations import CLOSED, _my_pairs
    from awards.views.nominations import INBOX_PAGE

    actor = _actor("congan.canbo")
    pairs = sorted(_my_pairs(actor))
    table = Nomination._meta.db_table
    where = (
        f"holder_id = %s AND (award_type_id, step) IN ({', '.join(['(%s, %s)'] * len(pairs))}) "
        f"AND status NOT IN ({', '.join(['%s'] * len(CLOSED))})"
    )
    params = [actor.unit.pk, *(v for pair in pairs for v in pair), *CLOSED]

    def plain():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table} WHERE {where} ORDER BY sort_key, id LIMIT {INBOX_PAGE}", params)
            rows = cursor.fetchall()
            cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {where} LIMIT 1001) AS capped", params)
            return rows, cursor.fetchone()[0]

    shown, _q, _r = timed(page(client_for("congan.canbo"), "/nominations/"), runs)
    floor, _q, _r = timed(plain, runs)
    return shown, floor


def scope_form() -> str:
    """How the province-wide scope reaches SQL: a span of unit ids (with its holes), or the list of units."""
    from awards.demo.campaigns import _actor
    from awards.selectors.org import unit_scope

    seen = unit_scope(actor=_actor("congan.canbo"))
    if seen.is_span:
        return f"{len(seen):,} units as ids {seen.low}–{seen.high} less {len(seen.holes)} holes"
    return f"{len(seen):,} units listed"


def explain() -> None:
    from awards.demo.campaigns import _actor
    from awards.models import Campaign
    from awards.selectors.nominations import nomination_inbox, nominations_visible
    from awards.selectors.org import audit_events_visible
    from awards.views.nominations import INBOX_PAGE, LIST_PAGE

    latest = Campaign.objects.order_by("-plan_date", "-pk").first()
    plan = Campaign.objects.get(plan_number="181", plan_symbol="KH-UBND")
    queries = {
        "inbox, police": nomination_inbox(actor=_actor("congan.canbo"))[:INBOX_PAGE],
        "campaign list, police": nominations_visible(actor=_actor("congan.canbo"))
        .filter(campaign=latest).order_by("sort_key", "pk")[:LIST_PAGE],
        "campaign list, city officer": nominations_visible(actor=_actor("canbo.bienhoa"))
        .filter(campaign=plan).order_by("sort_key", "pk")[:LIST_PAGE],
        "activity, administrator": audit_events_visible(actor=_actor("quantri"))[:50],
    }  # fmt: skip
    for label, queryset in queries.items():
        print(f"\n-- EXPLAIN (ANALYZE, BUFFERS): {label}")
        print(queryset.explain(analyze=True, buffers=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="*", default=[connection.settings_dict["NAME"]])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/pages.py needs PostgreSQL with seed_scale data (DATABASE_URL)")
    from django.conf import settings
    from django.core.management import call_command

    if not settings.DEBUG:  # the pages name their static files by the manifest, as `make serve` builds it
        call_command("collectstatic", "--noinput", "--ignore", "viewflow", verbosity=0)
    results: dict[str, dict[str, float]] = {}
    for database in args.databases:
        switch(database)
        from awards.models import Nomination

        total = Nomination.objects.count()
        print(f"\n== {database}: {total:,} nominations; the police's scope: {scope_form()}")
        clients: dict[str, Client] = {}
        for label, persona, url in pages():
            client = clients.setdefault(persona, client_for(persona))
            seconds, queries, response = timed(page(client, url), args.runs)
            results.setdefault(label, {})[database] = seconds
            print(
                f"{label:<32} {seconds * 1000:8.1f} ms  {queries:>3} queries  {len(response.content) / 1024:7.1f} KiB"
            )
        ours, plain = officer_ratio(args.runs)
        print(f"(c) officer's list {ours * 1000:.1f} ms / plain scope filter {plain * 1000:.1f} ms = "
              f"{ours / plain:.2f}x (goal <= {GOAL_OFFICER})")  # fmt: skip
        shown, floor = inbox_ratio(args.runs)
        print(f"(d) inbox page as shown {shown * 1000:.1f} ms / indexed page + count {floor * 1000:.1f} ms = "
              f"{shown / floor:.2f}x (goal <= {GOAL_INBOX})")  # fmt: skip
        if args.explain:
            explain()
    if len(args.databases) > 1:
        first, last = args.databases[0], args.databases[-1]
        print(f"\n(e) growth from {first} to {last} (goal < {GOAL_GROWTH}x)")
        for label, by_db in results.items():
            growth = by_db[last] / by_db[first]
            print(f"{label:<32} {growth:5.2f}x {'ok' if growth < GOAL_GROWTH else 'MISSED'}")


if __name__ == "__main__":
    main()
