"""The police reviewer's work inbox at 100 and 10,000 open tasks: ours against viewflow's `user_queue`.

For one police reviewer holding 5,000 guardian object-permission rows, prints the query count and time
of `nomination_inbox` (a page of 50 plus the total), of viewflow's `Task.objects.user_queue(user)` over
the same open tasks, and of one hand-written indexed SQL query (page plus count), with the ratios to the
SQL. Checks that every variant returns the tasks built and that our inbox's query count does not grow
with the number of tasks (docs/architecture.md, fact 5).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tdkt .venv/bin/python bench/inbox.py [--tasks 100 10000]

It creates (and drops afterwards) a throw-away test database next to DATABASE_URL's.
"""

import argparse
import copy
import datetime as dt
import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402

PAGE = 50
NOMINATING_UNITS = ("a", "b", "district", "commune", "other_district", "other_commune")


class TooSlow(Exception):
    pass


def build_base(perms: int) -> dict:
    """The test province, its three tiers, two police reviewers with `perms` guardian rows each, and one
    nomination taken through the real engine to the police appraisal: the template for the bulk copies."""
    from guardian.models import UserObjectPermission
    from guardian.shortcuts import assign_perm
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from awards import services
    from awards.models import (
        Dossier,
        Nomination,
        NominationStatus,
        NomineeKind,
        Role,
        Step,
        Unit,
        UnitKind,
        UnitUserObjectPermission,
        User,
    )  # fmt: skip
    from awards.reference.tiers_181 import standard_tiers
    from awards.services.nominations import campaign_offer
    from tests.conftest import build_campaign, build_org
    from workflows import engine
    from workflows.flows import ROUTE_FLOWS
    from workflows.models import NominationProcess

    org = build_org()
    campaign = build_campaign(org)
    u = org.units
    tiers = standard_tiers(police=u["police"], home_affairs=u["home"], province=u["province"], ministry=u["ministry"])
    campaign_offer(by=None, campaign=campaign, award_types=tiers)
    units = [u[key] for key in NOMINATING_UNITS]
    dossiers = {
        (unit.pk, tier.pk): Dossier.objects.create(
            campaign=campaign, unit=unit, award_type=tier, number=f"{n}/TTr", date=dt.date(2024, 7, 1),
            signer="Nguyễn Văn Ký", council_members=7, council_present=7, votes_for=7,
            submitted_at=dt.datetime(2024, 7, 1, tzinfo=dt.UTC),
        )
        for n, (unit, tier) in enumerate((unit, tier) for unit in units for tier in tiers)
    }  # fmt: skip

    # Guardian rows: 5,000 units the reviewer may view. Through `assign_perm` they land in our direct-FK
    # table (awards.UnitUserObjectPermission). A second reviewer holds the same rows in guardian's generic
    # table, the only one `user_queue` reads: that is the case of fact 5 of docs/architecture.md.
    Unit.objects.bulk_create(
        Unit(code=f"G{n}", name=f"Đơn vị {n}", kind=UnitKind.ENTERPRISE, parent=u["province"], sort_key=f"g{n:06d}")
        for n in range(perms)
    )  # fmt: skip
    granted = Unit.objects.filter(code__startswith="G")
    reviewer = org.users["police"]
    assign_perm("awards.view_unit", reviewer, granted)
    assert UnitUserObjectPermission.objects.filter(user=reviewer).count() == perms
    generic_reviewer = User.objects.create(username="police_generic", full_name="Người dùng police generic")
    generic_membership = services.membership_grant(
        by=None, user=generic_reviewer, unit=u["police"], role=Role.POLICE_REVIEWER
    )
    view_unit = UnitUserObjectPermission.objects.filter(user=reviewer).first().permission
    UserObjectPermission.objects.bulk_create(
        UserObjectPermission(user=generic_reviewer, permission=view_unit, content_type=view_unit.content_type,
                             object_pk=str(pk))
        for pk in granted.values_list("pk", flat=True)
    )  # fmt: skip

    # The template: one Giấy khen nomination started and moved by the engine, as the services do.
    director = {t.route: t for t in tiers}["director"]
    name = "Phòng Cảnh sát mẫu"
    template = Nomination(campaign=campaign, unit=units[0], award_type=director, kind=NomineeKind.COLLECTIVE,
                          name=name, parent_unit=units[0], achievement="Hoàn thành xuất sắc nhiệm vụ",
                          holder=units[0], created_by=org.users["officer_a"])  # fmt: skip
    template.save()
    engine.nomination_start(nomination=template)
    assert engine.nomination_step_done(nomination=template, step=Step.PREPARE, outcome="approved") == Step.SUBMIT
    assert engine.nomination_step_done(nomination=template, step=Step.SUBMIT, outcome="sent") == Step.POLICE_APPRAISAL
    Nomination.objects.filter(pk=template.pk).update(
        step=Step.POLICE_APPRAISAL, status=NominationStatus.IN_REVIEW, holder=u["police"],
        dossier=dossiers[(units[0].pk, director.pk)],
    )  # fmt: skip
    task = Task.objects.get(process__nominationprocess__nomination=template, status=STATUS.NEW)
    assert task.flow_task == ROUTE_FLOWS["director"].police_appraisal
    return {
        "org": org, "campaign": campaign, "tiers": tiers, "units": units, "dossiers": dossiers,
        "generic_membership": generic_membership, "task": task,
        "process": NominationProcess.objects.get(pk=task.process_id),
    }  # fmt: skip


def grow(ctx: dict, total: int) -> None:
    """Bulk-create nominations held by the police at the appraisal, each with its viewflow process and
    open task, copied from the engine's template, until `total` are open."""
    from viewflow.workflow.models import Process, Task

    from awards.identity import name_key
    from awards.models import Nomination, NominationStatus, NomineeKind, Step
    from awards.text import sort_key
    from workflows.flows import ROUTE_FLOWS
    from workflows.models import NominationProcess

    police = ctx["org"].units["police"]
    start = Nomination.objects.filter(holder=police, step=Step.POLICE_APPRAISAL).count()
    units, tiers, template_task, template_process = ctx["units"], ctx["tiers"], ctx["task"], ctx["process"]
    nominations = []
    for n in range(start, total):
        unit, tier = units[n % len(units)], tiers[(n // len(units)) % len(tiers)]
        name = f"Đội Cảnh sát số {n:05d}"
        nominations.append(
            Nomination(
                campaign=ctx["campaign"],
                unit=unit,
                award_type=tier,
                kind=NomineeKind.COLLECTIVE,
                name=name,
                name_key=name_key(name),
                sort_key=sort_key(name),
                parent_unit=unit,
                achievement="Hoàn thành xuất sắc nhiệm vụ",
                status=NominationStatus.IN_REVIEW,
                step=Step.POLICE_APPRAISAL,
                holder=police,
                dossier=ctx["dossiers"][(unit.pk, tier.pk)],
                created_by=ctx["org"].users["officer_a"],
            )  # fmt: skip
        )
    Nomination.objects.bulk_create(nominations, batch_size=2000)
    flows = [ROUTE_FLOWS[n.award_type.route] for n in nominations]
    processes = Process.objects.bulk_create(
        [Process(flow_class=flow, status=template_process.status) for flow in flows], batch_size=2000
    )
    # Django's bulk_create refuses multi-table children (NominationProcess extends Process): add their rows.
    meta = NominationProcess._meta
    columns = [meta.pk.column, *(meta.get_field(f).column for f in ("nomination", "unit", "outcome"))]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {meta.db_table} ({', '.join(columns)}) VALUES (%s, %s, %s, %s)",
            [(p.pk, n.pk, n.unit_id, template_process.outcome) for p, n in zip(processes, nominations, strict=True)],
        )
    tasks = []
    for process, flow in zip(processes, flows, strict=True):
        node = flow.police_appraisal
        # Handle nodes store task_type "FUNCTION" (viewflow/workflow/nodes/handle.py), as the template did.
        assert node.task_type == template_task.flow_task_type
        tasks.append(
            Task(process=process, flow_task=node, flow_task_type=node.task_type, status=template_task.status,
                 token=template_task.token, owner_permission=template_task.owner_permission)
        )  # fmt: skip
    Task.objects.bulk_create(tasks, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def plain_sql(police_id: int, pairs: list[tuple[int, str]]):
    """The inbox by hand: one indexed query for the page and one for the count."""
    from awards.models import Nomination
    from awards.selectors.nominations import CLOSED

    table = Nomination._meta.db_table
    where = (
        f"holder_id = %s AND (award_type_id, step) IN ({', '.join(['(%s, %s)'] * len(pairs))}) "
        f"AND status NOT IN ({', '.join(['%s'] * len(CLOSED))})"
    )
    params = [police_id, *(v for pair in pairs for v in pair), *CLOSED]
    page_sql = (
        f"SELECT id, name, unit_id, award_type_id, status FROM {table} WHERE {where} ORDER BY sort_key, id LIMIT {PAGE}"
    )
    count_sql = f"SELECT count(*) FROM {table} WHERE {where}"

    def run():
        with connection.cursor() as cursor:
            cursor.execute(page_sql, params)
            page = cursor.fetchall()
            cursor.execute(count_sql, params)
            return page, cursor.fetchone()[0]

    return run


def user_queue_run(user_pk: int):
    """viewflow's queue as its frontend lists it: the open tasks of `user_queue`, a page and the count.

    For our tasks to appear, the one thing needed is `flow_task_type = "HUMAN"`: `user_queue` keeps only
    HUMAN tasks, and our steps are Handle nodes, stored as "FUNCTION" (the caller flips them, see main()).
    No permission is needed: a Handle task has no `owner_permission`, and `Q(owner_permission__isnull=True)`
    lets every user see it. The flow's model-level `view_<process>` permission matters only to
    `Task.objects.queue()` and viewflow's frontend (`has_view_permission`), not to `user_queue`.
    """
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from awards.models import User

    loaded = User.objects.get(pk=user_pk)  # as the auth middleware loads it, outside the timing

    def run():
        user = copy.copy(loaded)  # a fresh instance per request: no permission caches carried over
        queue = Task.objects.user_queue(user).filter(status=STATUS.NEW)
        return list(queue.order_by("-created")[:PAGE]), queue.count()

    return run


def once(fn, limit: float):
    """One run with its queries counted; (seconds, result, queries), or (None, None, queries) past `limit`.

    CaptureQueriesContext keeps at most 9,000 queries (and counts 0 once the log is full): past that, the
    count comes from an execute wrapper, which sees every query."""
    executed = 0

    def count(execute, sql, params, many, context):
        nonlocal executed
        executed += 1
        return execute(sql, params, many, context)

    def alarm(_signum, _frame):
        raise TooSlow

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    reset_queries()
    try:
        with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(count):
            start = time.perf_counter()
            result = fn()
            seconds = time.perf_counter() - start
        assert executed > 9000 or len(queries) == executed, (len(queries), executed)
        return seconds, result, executed
    except TooSlow:
        connection.close()  # may have been interrupted mid-query; Django reconnects
        return None, None, executed
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def best_of_interleaved(runs: int, *fns) -> list[tuple[float, object]]:
    """Best time of each function, run in turn (a, b, a, b, ...) so that all meet the same load."""
    times: list[list[float]] = [[] for _ in fns]
    results: list[object] = [None] * len(fns)
    for _ in range(runs):
        for index, fn in enumerate(fns):
            start = time.perf_counter()
            results[index] = fn()
            times[index].append(time.perf_counter() - start)
    return [(min(t), r) for t, r in zip(times, results, strict=True)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def measure(ctx: dict, total: int, args) -> int:
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from awards.models import AwardStep, Role
    from awards.selectors.nominations import nomination_inbox

    org = ctx["org"]
    actor = org.actor("police")
    reviewer, generic_reviewer = actor.user, ctx["generic_membership"].user
    police = org.units["police"]
    pairs = list(
        AwardStep.objects.filter(unit=police, role=Role.POLICE_REVIEWER)
        .order_by("pk")
        .values_list("award_type_id", "step")
    )

    def inbox():
        queryset = nomination_inbox(actor=actor, filters=None)
        return list(queryset[:PAGE]), queryset.count()

    plain = plain_sql(police.pk, pairs)
    expected = set(nomination_inbox(actor=actor, filters=None).values_list("pk", flat=True))

    def queue_nominations(user) -> set[int]:
        rows = Task.objects.user_queue(user).filter(status=STATUS.NEW)
        return set(rows.values_list("process__nominationprocess__nomination_id", flat=True))

    as_stored = len(queue_nominations(reviewer))
    Task.objects.filter(status=STATUS.NEW, flow_task_type="FUNCTION").update(flow_task_type="HUMAN")
    same_direct = queue_nominations(reviewer) == expected

    _t, (inbox_page, inbox_total), inbox_queries = once(inbox, args.limit)
    _t, (plain_page, plain_total), plain_queries = once(plain, args.limit)
    assert inbox_total == plain_total == len(expected) == total, (inbox_total, plain_total, len(expected), total)
    assert len(inbox_page) == len(plain_page) == min(PAGE, total)

    # user_queue: one run first, capped; repeated to a best of N only when that run was quick.
    queues = {}
    for label, user in (("direct", reviewer), ("generic", generic_reviewer)):
        seconds, result, queries = once(user_queue_run(user.pk), args.limit)
        queues[label] = {"seconds": seconds, "queries": queries, "total": result[1] if result else None, "runs": 1}
    quick = [label for label, q in queues.items() if q["seconds"] is not None and q["seconds"] < args.repeat_below]
    timed = best_of_interleaved(
        args.runs, inbox, plain, *(user_queue_run((reviewer if label == "direct" else generic_reviewer).pk)
                                   for label in quick)
    )  # fmt: skip
    (inbox_time, _r), (plain_time, _r) = timed[:2]
    for label, (seconds, _r) in zip(quick, timed[2:], strict=True):
        queues[label].update(seconds=min(seconds, queues[label]["seconds"]), runs=args.runs)

    print(f"\n== {total} open tasks (police_appraisal, 3 tiers, {len(NOMINATING_UNITS)} nominating units)")
    print(f"our inbox (page of {PAGE} + count):    {inbox_queries:>5} queries  {ms(inbox_time):>10}  "
          f"(best of {args.runs})  total {inbox_total}")  # fmt: skip
    print(f"plain indexed SQL (page + count):   {plain_queries:>5} queries  {ms(plain_time):>10}  "
          f"(best of {args.runs})  total {plain_total}")  # fmt: skip
    print(f"user_queue, tasks as the Handle nodes store them (FUNCTION): {as_stored} of {total} tasks")
    for label, what in (("direct", f"{args.perms} direct-FK rows"), ("generic", f"{args.perms} generic rows")):
        q = queues[label]
        if q["seconds"] is None:
            print(f"user_queue (HUMAN), {what:<18} {q['queries']:>5}+ queries  > {args.limit:.0f} s (stopped)")
            continue
        runs = f"best of {q['runs']}" if q["runs"] > 1 else "single run"
        print(f"user_queue (HUMAN), {what:<18} {q['queries']:>5} queries  {ms(q['seconds']):>10}  ({runs})  "
              f"total {q['total']}" + ("  same nominations as the inbox: " + ("yes" if same_direct else "NO")
                                       if label == "direct" else ""))  # fmt: skip
    # user_queue has no notion of units: a Handle task is in every user's queue, the police's included.
    _t, (_page, officer_queue), _q = once(user_queue_run(org.users["officer_a"].pk), args.limit)
    officer_inbox = nomination_inbox(actor=org.actor("officer_a"), filters=None).count()
    print(
        f"the same for an enterprise's unit officer (officer_a): user_queue {officer_queue} tasks, "
        f"our inbox {officer_inbox}"
    )
    print(f"ratio inbox/plain: {inbox_time / plain_time:.1f}x")
    for label in ("direct", "generic"):
        q = queues[label]
        ratio = f"{q['seconds'] / plain_time:.0f}x" if q["seconds"] is not None else f"> {args.limit / plain_time:.0f}x"
        print(f"ratio user_queue/plain ({label} guardian rows): {ratio}")
    # Back to what the Handle nodes store, so that the next size starts from the real data again.
    Task.objects.filter(status=STATUS.NEW, flow_task_type="HUMAN").update(flow_task_type="FUNCTION")
    return inbox_queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, nargs="+", default=[100, 10000])
    parser.add_argument("--perms", type=int, default=5000, help="guardian object-permission rows of the reviewer")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--limit", type=float, default=120.0, help="seconds before a user_queue run is stopped")
    parser.add_argument("--repeat-below", type=float, default=2.0, help="repeat user_queue if one run is quicker")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL (the hand-written SQL is PostgreSQL's).")
    old = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        started = time.perf_counter()
        ctx = build_base(args.perms)
        print(f"base: test province, 3 tiers, 2 police reviewers with {args.perms} awards.view_unit rows each "
              f"(one in awards.UnitUserObjectPermission, one in guardian's generic table), "
              f"built in {time.perf_counter() - started:.1f} s")  # fmt: skip
        counts = {}
        for total in sorted(args.tasks):
            started = time.perf_counter()
            grow(ctx, total)
            print(f"\ngrew to {total} open tasks in {time.perf_counter() - started:.1f} s", end="")
            counts[total] = measure(ctx, total, args)
        same = len(set(counts.values())) == 1
        print(f"\nour inbox's query count: {counts} -> the same at every size: {'yes' if same else 'NO'}")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
