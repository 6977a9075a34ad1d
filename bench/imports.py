"""A 5,000-row nominee import (preview and commit) through the production path, beside a floor measured in the same
run (figures in docs/imports.md).

- production: `import_preview` (upload checks, openpyxl read-only with fonts, every row checked as the form checks it,
  duplicates in the file and the campaign, the rows stored) then `import_confirm`, whose job runs in-process on
  commit as on the embedded default: `nominations_create_many` (each row's nomination, viewflow process and tasks,
  step record and audit row, as `nomination_create` writes them, in bulk) in transactions of 500 rows, then the
  import's audit row.
- floor: the same file read with openpyxl in read-only mode (values only), and the same rows written with COPY into
  every table the production path writes (nominations, processes and their nomination rows, two tasks each and
  their link, step records, audit rows, the import's rows), in one transaction.

Each case runs in its own process (its wall time around the work, its peak RSS from os.wait4), taking turns.
Goals: production within 3x the floor's time, under 60 s, under 300 MB.

    flock /tmp/bench.lock env DATABASE_URL=postgres://postgres@127.0.0.1:5432/tdkt .venv/bin/python bench/imports.py

It creates (and drops afterwards) a throw-away test database next to DATABASE_URL's.
"""

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

GOAL_RATIO, GOAL_SECONDS, GOAL_MB = 3.0, 60.0, 300.0
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc", "Thị Thu", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hiếu", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long",
         "Mai", "Nam", "Nga", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tú", "Tuấn"]  # fmt: skip
POSITIONS = ["Cán bộ", "Chiến sĩ", "Phó Trưởng Công an phường", "Trưởng Công an phường", "Tổ trưởng tổ bảo vệ"]


def sheet_rows(n: int) -> list[list]:
    """Distinct people (name and date of birth), a quarter with a citizen ID, dates typed as text."""
    rows = []
    for i in range(n):
        year, month, day = 1960 + i % 40, 1 + i // 40 % 12, 1 + i // 480 % 28
        female = i % 2 == 1
        cccd = f"075{(2 if year >= 2000 else 0) + int(female)}{year % 100:02d}{i:06d}" if i % 4 == 0 else ""
        rows.append(["Cá nhân", f"{FAMILY[i % 14]} {MIDDLE[i * 7 % 10]} {GIVEN[i * 11 % 28]}",
                     "Nữ" if female else "Nam", f"{day:02d}/{month:02d}/{year}", cccd, POSITIONS[i % 5],
                     f"Công an phường số {i % 97 + 1}", "", "", "Có thành tích xuất sắc trong phong trào năm 2024",
                     "", ""])  # fmt: skip
    return rows


def write_file(path: Path, n: int) -> None:
    import openpyxl

    from awards.services.imports import COLUMNS

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append([c.title for c in COLUMNS])
    for row in sheet_rows(n):
        sheet.append(row)
    workbook.save(path)


# --- the world, in the parent --------------------------------------------------------------------------------


def seed(campaigns: int) -> dict:
    from awards import services
    from awards.actor import Actor
    from awards.models import Role, Unit, UnitKind, User
    from awards.models.campaigns import DEFAULT_PARTICIPANT_KINDS
    from awards.reference import outline_181
    from awards.reference.tiers_181 import standard_tiers
    from awards.services import campaigns as campaign_services
    from awards.services import reports as report_services
    from awards.services.nominations import campaign_offer

    def unit(code, name, kind, parent=None):
        return Unit.objects.create(code=code, name=name, kind=kind, parent=parent, valid_from=dt.date(2020, 1, 1))

    ministry = unit("BCA", "Bộ Công an", UnitKind.MINISTRY)
    province = unit("UBND-T", "Ủy ban nhân dân tỉnh Đo", UnitKind.PROVINCIAL_COMMITTEE)
    police = unit("CA-T", "Công an tỉnh Đo", UnitKind.PROVINCIAL_POLICE, province)
    home = unit("SNV-T", "Sở Nội vụ tỉnh Đo", UnitKind.HOME_AFFAIRS, province)
    district = unit("UBND-H", "Ủy ban nhân dân huyện Đo", UnitKind.DISTRICT_COMMITTEE, province)
    user = User.objects.create(username="canbo", full_name="Cán Bộ Đo")
    membership = services.membership_grant(by=None, user=user, unit=district, role=Role.UNIT_OFFICER)
    officer = Actor(user=user, membership=membership)
    tiers = standard_tiers(police=police, home_affairs=home, province=province, ministry=ministry)
    outline = campaign_services.outline_create(by=None, code="DC-D", title="Đề cương đo", rows=outline_181.ITEMS)
    made = []
    for k in range(campaigns):
        campaign = campaign_services.campaign_create(
            by=None, title=f"Đợt đo {k}", plan_number=str(900 + k), plan_symbol="KH-UBND", plan_date=dt.date(2024, 5, 21),
            issuer=province, reviewer=police, directive="Chỉ thị 07/CT-BCA-V28", achievement="đã có thành tích",
            data_from=dt.date(2014, 8, 15), data_to=dt.date(2024, 6, 14), reference_date=dt.date(2024, 6, 14),
            report_deadline=dt.datetime(2024, 6, 30, tzinfo=dt.UTC), outline=outline,
            participant_kinds=list(DEFAULT_PARTICIPANT_KINDS),
        )  # fmt: skip
        campaign_offer(by=None, campaign=campaign, award_types=tiers)
        # The unit has started its report, as a unit proposing nominees has: the nominations' evidence.
        report_services.report_start(by=officer, campaign=campaign, unit=district)
        made.append(campaign.pk)
    director = next(t for t in tiers if t.route == "director")
    return {"user": user.pk, "membership": membership.pk, "unit": district.pk, "tier": director.pk,
            "campaigns": made}  # fmt: skip


# --- one case, in its own process ----------------------------------------------------------------------------


def child(case: str, path: str, world: dict, campaign_id: int) -> dict:
    import django

    django.setup()
    import resource

    from awards.models import AwardType, Campaign, User

    user = User.objects.get(pk=world["user"])
    campaign, tier = Campaign.objects.get(pk=campaign_id), AwardType.objects.get(pk=world["tier"])
    started = time.perf_counter()
    if case == "production":
        result = production(path, user, world, campaign, tier)
    else:
        result = floor(path, user, world, campaign, tier)
    result["seconds"] = time.perf_counter() - started
    result["self_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def production(path, user, world, campaign, tier) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from awards.models import ImportStatus, NominationImport
    from awards.selectors.org import actor_for
    from awards.services import imports

    actor = actor_for(user=user, membership_id=world["membership"])
    data = Path(path).read_bytes()
    started = time.perf_counter()
    made = imports.import_preview(by=actor, campaign=campaign, award_type=tier,
                                  uploaded_file=SimpleUploadedFile("danh-sach.xlsx", data))  # fmt: skip
    previewed = time.perf_counter()
    imports.import_confirm(by=actor, nomination_import=made)  # the job runs on commit, in-process (eager)
    done = NominationImport.objects.get(pk=made.pk)
    assert done.status == ImportStatus.DONE, (done.status, done.error)
    return {"preview_s": previewed - started, "commit_s": time.perf_counter() - previewed, "rows": done.rows_total,
            "valid": done.rows_valid, "created": done.rows_created}  # fmt: skip


def floor(path, user, world, campaign, tier) -> dict:
    """Read the values, then COPY the same rows into the same tables, in one transaction."""
    import openpyxl
    from django.db import connection, transaction
    from django.utils import timezone
    from viewflow.workflow.models import Process, Task

    from awards.demo.scale import _copy, _reserve, _table
    from awards.identity import name_key
    from awards.models import AuditEvent, Nomination, NominationAction, NominationImport, NominationImportRow
    from awards.text import person_sort_key
    from workflows.models import NominationProcess

    started = time.perf_counter()
    workbook = openpyxl.load_workbook(path, read_only=True)
    values = list(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
    workbook.close()
    read = time.perf_counter()
    n, now, gender = len(values), timezone.now(), {"Nam": "male", "Nữ": "female"}
    with transaction.atomic():
        imp = NominationImport.objects.create(campaign=campaign, award_type=tier, unit_id=world["unit"], user=user,
                                              membership_id=world["membership"], original_name="floor.xlsx",
                                              sha256="0" * 64, size=0)  # fmt: skip
        first_nomination, first_process = _reserve(Nomination, n), _reserve(Process, n)
        first_task = _reserve(Task, 2 * n)
        nominations, processes, nprocesses, tasks, links, actions, audits, import_rows = [], [], [], [], [], [], [], []
        for i, v in enumerate(values):
            pk, process, start_task, prepare_task = (
                first_nomination + i,
                first_process + i,
                first_task + 2 * i,
                first_task + 2 * i + 1,
            )
            day, month, year = (int(p) for p in v[3].split("/"))
            born = dt.date(year, month, day)
            nominations.append((pk, campaign.pk, world["unit"], tier.pk, "individual", v[1], name_key(v[1]),
                                person_sort_key(v[1]), gender[v[2]], born, v[5], v[6], v[4] or "", v[9], "", "draft",
                                "prepare", world["unit"], now, user.pk, now, now, False, "", "", ""))  # fmt: skip
            processes.append((process, "workflows/flows.DirectorAwardFlow", "NEW", now, "{}"))
            nprocesses.append((process, pk, world["unit"], ""))
            tasks.append(
                (
                    start_task,
                    process,
                    "workflows/flows.DirectorAwardFlow.start",
                    "HANDLE",
                    "DONE",
                    now,
                    now,
                    "start",
                    "{}",
                )
            )
            tasks.append(
                (
                    prepare_task,
                    process,
                    "workflows/flows.DirectorAwardFlow.prepare",
                    "HANDLE",
                    "NEW",
                    now,
                    None,
                    "start",
                    "{}",
                )
            )
            links.append((prepare_task, start_task))
            actions.append((pk, "prepare", "created", "", "", world["unit"], user.pk, now))
            audits.append((now, user.pk, world["membership"], world["unit"], "nomination_created", "nomination", str(pk),
                           f"nomination #{pk}", "", "draft", json.dumps({"import": imp.pk})))  # fmt: skip
            import_rows.append((imp.pk, i + 1, i + 2, "individual", tier.pk, json.dumps({"name": v[1]}), "{}", "[]",
                                "[]", True, pk, ""))  # fmt: skip
        _copy(_table(Nomination), ["id", "campaign_id", "unit_id", "award_type_id", "kind", "name", "name_key",
                                   "sort_key", "gender", "birth_date", "position", "workplace", "id_number", "achievement",
                                   "achievement_text", "status", "step", "holder_id", "held_since", "created_by_id",
                                   "created_at", "updated_at", "cites_consolidation", "block_reason", "block_note",
                                   "duplicate_override"], nominations)  # fmt: skip
        _copy(_table(Process), ["id", "flow_class", "status", "created", "data"], processes)
        _copy(_table(NominationProcess), ["process_ptr_id", "nomination_id", "unit_id", "outcome"], nprocesses)
        _copy(_table(Task), ["id", "process_id", "flow_task", "flow_task_type", "status", "created", "finished", "token",
                                "data"],
              tasks)  # fmt: skip
        _copy(Task.previous.through._meta.db_table, ["from_task_id", "to_task_id"], links)
        _copy(_table(NominationAction), ["nomination_id", "step", "outcome", "comment", "internal_note", "unit_id",
                                         "actor_id", "at"], actions)  # fmt: skip
        _copy(_table(AuditEvent), ["at", "actor_id", "membership_id", "unit_id", "action", "object_type", "object_id",
                                   "object_repr", "from_state", "to_state", "detail"], audits)  # fmt: skip
        _copy(_table(NominationImportRow), ["nomination_import_id", "position", "number", "kind", "award_type_id", "data",
                                            "cells", "errors", "warnings", "valid", "nomination_id", "error"],
              import_rows)  # fmt: skip
    connection.close()
    return {"read_s": read - started, "write_s": time.perf_counter() - read, "rows": n}


def run_case(case: str, path: Path, world: dict, campaign_id: int, database_url: str, media: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": media}
    env.pop("REDIS_URL", None)  # the job runs in-process on commit, as on the embedded default
    args = [sys.executable, __file__, "--child", case, str(path), json.dumps(world), str(campaign_id)]
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(args, stdout=stdout, stderr=stderr, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        stdout.seek(0)
        stderr.seek(0)
        if os.waitstatus_to_exitcode(status):
            sys.exit(f"case {case} failed:\n{stderr.read().decode(errors='replace')[-4000:]}")
        result = json.loads(stdout.read().decode().strip().splitlines()[-1])
    result["process_s"] = wall
    result["maxrss_mb"] = usage.ru_maxrss / 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=2, help="runs of each case, taking turns (median kept)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        case, path, world, campaign_id = args.child
        print(json.dumps(child(case, path, json.loads(world), int(campaign_id))))
        return
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if connection.vendor != "postgresql":
        sys.exit("bench/imports.py measures PostgreSQL: set DATABASE_URL")
    old = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        world = seed(campaigns=2 * args.runs)
        db = connection.settings_dict
        database_url = (f"postgres://{db['USER'] or 'postgres'}{':' + db['PASSWORD'] if db.get('PASSWORD') else ''}"
                        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}")  # fmt: skip
        connection.close()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "danh-sach.xlsx"
            write_file(path, args.rows)
            print(f"{args.rows:,} rows, {path.stat().st_size / 1024:.0f} KB; PostgreSQL; {args.runs} run(s) of each, "
                  f"taking turns\n")  # fmt: skip
            results: dict[str, list[dict]] = {"production": [], "floor": []}
            campaigns = iter(world["campaigns"])
            for _run in range(args.runs):
                for case in ("floor", "production"):
                    results[case].append(run_case(case, path, world, next(campaigns), database_url, tmp))
            report(results, args.rows)
    finally:
        teardown_databases(old, verbosity=0)


def report(results: dict, rows: int) -> None:
    median = {case: {key: statistics.median(r[key] for r in runs) for key in runs[0] if isinstance(runs[0][key], float)}
              for case, runs in results.items()}  # fmt: skip
    prod, base = median["production"], median["floor"]
    print(f"{'case':<11} {'work s':>8} {'process s':>10} {'peak RSS MB':>12}  detail")
    print(f"{'floor':<11} {base['seconds']:>8.2f} {base['process_s']:>10.2f} {base['maxrss_mb']:>12.1f}  "
          f"read {base['read_s']:.2f} s, COPY {base['write_s']:.2f} s")  # fmt: skip
    print(f"{'production':<11} {prod['seconds']:>8.2f} {prod['process_s']:>10.2f} {prod['maxrss_mb']:>12.1f}  "
          f"preview {prod['preview_s']:.2f} s, commit {prod['commit_s']:.2f} s "
          f"({rows / prod['commit_s']:,.0f} nominations/s)")  # fmt: skip
    ratio = prod["seconds"] / base["seconds"]
    print(f"\nproduction / floor: {ratio:.1f}x the time, {prod['maxrss_mb'] / base['maxrss_mb']:.1f}x the memory")
    for ok, text in ((ratio <= GOAL_RATIO, f"within {GOAL_RATIO:.0f}x the floor"),
                     (prod["seconds"] < GOAL_SECONDS, f"under {GOAL_SECONDS:.0f} s"),
                     (prod["maxrss_mb"] < GOAL_MB, f"under {GOAL_MB:.0f} MB")):  # fmt: skip
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")


if __name__ == "__main__":
    main()
