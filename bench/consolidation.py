"""Consolidation of 5,000 reports x the full Plan 181 outline, through the production code path.

Prints the time of `consolidation_build` as a ratio to one hand-written SQL aggregate over the same
rows (goal: within 2x), checks both give the same totals, and prints the peak Python memory. One
report in ten more comes from a commune under a district: the province must not count those.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tdkt .venv/bin/python bench/consolidation.py [--reports 5000]

It creates (and drops afterwards) a throw-away test database next to DATABASE_URL's.
"""

import argparse
import datetime as dt
import os
import sys
import time
import tracemalloc
import zoneinfo
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

SQL = """
SELECT i.code, u.kind, 'count' AS what, NULL::int AS year, SUM(a.value) AS v1, NULL::bigint AS v2
  FROM awards_answercount a JOIN awards_reportversion rv ON rv.id = a.version_id
  JOIN awards_report r ON r.counted_version_id = rv.id JOIN awards_unit u ON u.id = r.unit_id
  JOIN awards_outlineitem i ON i.id = a.item_id
 WHERE r.campaign_id = %(campaign)s AND u.kind <> 'commune_committee' GROUP BY i.code, u.kind
UNION ALL
SELECT i.code, u.kind, 'ratio', NULL, SUM(a.numerator), SUM(a.denominator)
  FROM awards_answerratio a JOIN awards_reportversion rv ON rv.id = a.version_id
  JOIN awards_report r ON r.counted_version_id = rv.id JOIN awards_unit u ON u.id = r.unit_id
  JOIN awards_outlineitem i ON i.id = a.item_id
 WHERE r.campaign_id = %(campaign)s AND u.kind <> 'commune_committee' GROUP BY i.code, u.kind
UNION ALL
SELECT i.code, u.kind, 'year', a.year, SUM(a.value), NULL
  FROM awards_answeryear a JOIN awards_reportversion rv ON rv.id = a.version_id
  JOIN awards_report r ON r.counted_version_id = rv.id JOIN awards_unit u ON u.id = r.unit_id
  JOIN awards_outlineitem i ON i.id = a.item_id
 WHERE r.campaign_id = %(campaign)s AND u.kind <> 'commune_committee' GROUP BY i.code, u.kind, a.year
UNION ALL
SELECT i.code, u.kind, 'district', NULL, a.value, u.id
  FROM awards_answercount a JOIN awards_reportversion rv ON rv.id = a.version_id
  JOIN awards_report r ON r.counted_version_id = rv.id JOIN awards_unit u ON u.id = r.unit_id
  JOIN awards_outlineitem i ON i.id = a.item_id
 WHERE r.campaign_id = %(campaign)s AND u.kind = 'district_committee'
"""


def build(reports: int):
    from awards.models import (
        AnswerCount,
        AnswerRatio,
        AnswerYear,
        ItemKind,
        Report,
        ReportStatus,
        ReportVersion,
        Unit,
        UnitKind,
        User,
    )  # fmt: skip
    from awards.reference import outline_181
    from awards.services import campaigns as campaign_services

    province = Unit.objects.create(code="P", name="Tỉnh", kind=UnitKind.PROVINCIAL_COMMITTEE)
    police = Unit.objects.create(code="CA", name="Công an tỉnh", kind=UnitKind.PROVINCIAL_POLICE, parent=province)
    kinds = [UnitKind.ENTERPRISE, UnitKind.DEPARTMENT, UnitKind.DISTRICT_COMMITTEE, UnitKind.CREDIT_INSTITUTION]
    Unit.objects.bulk_create(
        Unit(code=f"U{n}", name=f"Đơn vị {n}", kind=kinds[n % len(kinds)], parent=province, sort_key=f"{n:06d}")
        for n in range(reports)
    )
    # Communes under the districts report too (to their district): the province must not count them.
    districts = list(Unit.objects.filter(kind=UnitKind.DISTRICT_COMMITTEE).order_by("pk"))
    Unit.objects.bulk_create(
        Unit(code=f"X{n}", name=f"Xã {n}", kind=UnitKind.COMMUNE_COMMITTEE, parent=districts[n % len(districts)],
             sort_key=f"x{n:06d}")
        for n in range(reports // 10)
    )  # fmt: skip
    outline = campaign_services.outline_create(by=None, code="B", title="Đề cương", rows=outline_181.ITEMS)
    tz = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    campaign = campaign_services.campaign_create(
        by=None, title="Benchmark", plan_number="1", plan_symbol="KH", plan_date=dt.date(2024, 5, 21),
        issuer=province, reviewer=police, data_from=dt.date(2014, 8, 15), data_to=dt.date(2024, 6, 14),
        report_deadline=dt.datetime(2024, 6, 30, tzinfo=tz), outline=outline, participant_kinds=[*kinds, UnitKind.COMMUNE_COMMITTEE],
    )  # fmt: skip
    user = User.objects.create(username="bench")
    units = list(Unit.objects.filter(code__regex=r"^[UX]").order_by("pk"))
    Report.objects.bulk_create(
        Report(
            campaign=campaign,
            unit=u,
            reviewer=u.parent if u.code.startswith("X") else police,
            status=ReportStatus.ACCEPTED,
            late_days=0,
        )
        for u in units
    )
    by_unit = {r.unit_id: r for r in Report.objects.filter(campaign=campaign)}
    ReportVersion.objects.bulk_create(
        ReportVersion(report=by_unit[u.pk], unit=u, number=1, status=ReportStatus.ACCEPTED, submitted_by=user)
        for u in units
    )
    versions = {v.report_id: v for v in ReportVersion.objects.filter(report__campaign=campaign)}
    for report in by_unit.values():
        report.current_version = report.accepted_version = report.counted_version = versions[report.pk]
    Report.objects.bulk_update(list(by_unit.values()), ["current_version", "accepted_version", "counted_version"], 2000)
    items = list(outline.items.all())
    counts, ratios, years = [], [], []
    for n, unit in enumerate(units):
        version = versions[by_unit[unit.pk].pk]
        for item in items:
            if not item.applies_to_kind(unit.kind):
                continue
            if item.kind == ItemKind.COUNT:
                counts.append(AnswerCount(version=version, item=item, value=(n * 7 + item.position) % 500))
            elif item.kind == ItemKind.RATIO:
                total = 10 + n % 20
                ratios.append(AnswerRatio(version=version, item=item, numerator=n % (total + 1), denominator=total))
            elif item.kind == ItemKind.YEARLY:
                years.extend(AnswerYear(version=version, item=item, year=y, value=(n + y) % 37)
                             for y in campaign.data_years)  # fmt: skip
    for model, rows in ((AnswerCount, counts), (AnswerRatio, ratios), (AnswerYear, years)):
        model.objects.bulk_create(rows, batch_size=5000)
    return campaign, len(counts) + len(ratios) + len(years)


def sql_totals(campaign) -> tuple[dict, dict, dict]:
    totals, by_kind, by_district = {}, {}, {}
    with connection.cursor() as cursor:
        cursor.execute(SQL, {"campaign": campaign.pk})
        for code, kind, what, year, v1, v2 in cursor.fetchall():
            if what == "count":
                totals[code] = totals.get(code, 0) + v1
                by_kind.setdefault(code, {})[kind] = v1
            elif what == "district":
                by_district.setdefault(code, {})[v2] = v1
            elif what == "ratio":
                done, total = totals.get(code, (0, 0))
                totals[code] = (done + v1, total + v2)
                by_kind.setdefault(code, {})[kind] = (v1, v2)
            else:
                totals.setdefault(code, {})[year] = totals.get(code, {}).get(year, 0) + v1
                kind_years = by_kind.setdefault(code, {}).setdefault(kind, {})
                kind_years[year] = v1
    for code, value in totals.items():
        if isinstance(value, dict):
            totals[code] = dict(sorted(value.items()))
    return totals, by_kind, by_district


def best_of_interleaved(runs: int, *fns) -> list[tuple[float, object]]:
    """Best time of each function, run in turn (a, b, a, b, ...) so that both meet the same load."""
    times: list[list[float]] = [[] for _ in fns]
    results: list[object] = [None] * len(fns)
    for _ in range(runs):
        for index, fn in enumerate(fns):
            start = time.perf_counter()
            results[index] = fn()
            times[index].append(time.perf_counter() - start)
    return [(min(t), r) for t, r in zip(times, results, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL (the hand-written SQL is PostgreSQL's).")
    old = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        from awards.models import Unit
        from awards.selectors.consolidation import consolidation_build, consolidation_province_units
        from awards.selectors.reports import campaign_participants

        started = time.perf_counter()
        campaign, rows = build(args.reports)
        print(
            f"data: {args.reports} reports counted at the province + {args.reports // 10} commune reports under "
            f"their districts, {rows} answer rows, built in {time.perf_counter() - started:.1f} s"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        def production():  # what the police's consolidation page runs: choose the units, then build
            participants = campaign_participants(campaign=campaign)
            units = consolidation_province_units(campaign=campaign, participants=participants)
            return consolidation_build(campaign=campaign, units=units, scope_unit=None)

        (sql_time, sql_result), (app_time, result) = best_of_interleaved(
            args.runs, lambda: sql_totals(campaign), production
        )
        sql_total, sql_by_kind, sql_by_district = sql_result
        assert result.totals == sql_total, "consolidation totals differ from the hand-written SQL"
        assert result.by_kind == sql_by_kind, "consolidation by-kind totals differ from the hand-written SQL"
        assert result.by_district == sql_by_district, (
            "consolidation by-district totals differ from the hand-written SQL"
        )
        assert result.counted_reports == args.reports
        tracemalloc.start()
        production()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"hand-written SQL aggregate: {sql_time * 1000:.0f} ms (best of {args.runs})")
        print(f"consolidation_build:        {app_time * 1000:.0f} ms (best of {args.runs}), same totals: yes")
        print(f"ratio: {app_time / sql_time:.2f}x (goal: within 2x)")
        print(f"peak Python memory during consolidation_build: {peak / 2**20:.1f} MiB")
        print(f"units on the board: {len(result.board)}; {Unit.objects.count()} units in the database")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
