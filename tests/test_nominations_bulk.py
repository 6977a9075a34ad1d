"""`nominations_create_many` (the spreadsheet import's batch) writes exactly what `nomination_create` writes row by
row: the nominations, viewflow's processes and tasks with their links, the step records and the audit rows, column
by column; and its nominations then go through the flow like any other."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Task

from awards.models import AuditEvent, Nomination, NominationAction, NominationStatus, NomineeKind, Outcome, Step
from awards.services import decisions as decision_services
from awards.services import nominations as svc
from tests.integrity import integrity_checked as integrity_checked  # noqa: F401 - checks the invariants after each test
from tests.test_decisions import media as media  # noqa: F401 - the fixture
from tests.test_decisions import scan
from tests.test_integrity import check
from tests.test_nominations import PERSON, appraise, refreshed, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture
from workflows.models import NominationProcess

pytestmark = pytest.mark.django_db
IMPORT_ID = 4321


def rows(org) -> list[dict]:
    """People (with and without a CCCD, text to normalise) and collectives of three units: the nominating unit
    (its accepted report), another enterprise (no report) and a commune (its district's report, none here)."""
    people = [{**PERSON, "kind": NomineeKind.INDIVIDUAL, "name": f"Nguyễn  Văn An {i}", "id_number": ""}
              for i in range(4)]  # fmt: skip
    people[0]["id_number"] = "075 085 001 234"  # stored as the form stores it: digits only
    people[1]["position"] = "Cán bộ\u0301"  # a decomposed accent: stored in NFC
    teams = [{"kind": NomineeKind.COLLECTIVE, "name": f"Phòng Kỹ thuật {i}", "parent_unit": org.units[unit],
              "women_percent": 40, "achievement": "Hoàn thành xuất sắc nhiệm vụ"}
             for i, unit in enumerate(("a", "b", "commune", "a", "b"))]  # fmt: skip
    return [people[0], teams[0], people[1], teams[1], teams[2], people[2], teams[3], people[3], teams[4]]


def one_by_one(org, campaign, tier, data: list[dict]) -> list[Nomination]:
    made = []
    for row in data:
        fields = dict(row)
        made.append(svc.nomination_create(by=org.actor("officer_a"), campaign=campaign, award_type=tier,
                                          kind=fields.pop("kind"), import_id=IMPORT_ID, **fields))  # fmt: skip
    return made


def in_bulk(org, campaign, tier, data: list[dict]) -> list[Nomination]:
    return svc.nominations_create_many(by=org.actor("officer_a"), campaign=campaign, award_type=tier, rows=data,
                                       import_id=IMPORT_ID)  # fmt: skip


def columns(obj, *own: str) -> dict:
    """Every column of a row but its own ids (`own`: its id and the ids of the rows made with it); times only as
    set or not set, since the two paths run at different moments."""
    out = {}
    for field in obj._meta.concrete_fields:
        if field.attname in own:
            continue
        value = getattr(obj, field.attname)
        out[field.attname] = "<time>" if isinstance(value, dt.datetime) else value
    return out


def written(nomination: Nomination) -> dict:
    """Everything the creation wrote for one nomination, its own ids left out (and checked to point to it)."""
    nomination = Nomination.objects.get(pk=nomination.pk)
    [process] = NominationProcess.objects.filter(nomination=nomination)
    tasks = list(Task.objects.filter(process_id=process.pk).order_by("pk"))
    names = {task.pk: task.flow_task.name for task in tasks}
    links = [(names[t.pk], sorted(names[p] for p in t.previous.values_list("pk", flat=True))) for t in tasks]
    [action] = NominationAction.objects.filter(nomination=nomination)
    [event] = AuditEvent.objects.filter(object_type="nomination", object_id=str(nomination.pk))
    assert event.object_repr == f"nomination #{nomination.pk}"
    return {
        "nomination": columns(nomination, "id"),
        "process": columns(process, "id", "process_ptr_id", "nomination_id"),
        "tasks": [columns(task, "id", "process_id") for task in tasks],
        "links": links,
        "action": columns(action, "id", "nomination_id"),
        "audit": columns(event, "id", "object_id", "object_repr"),
    }


@pytest.mark.parametrize("route", ["director", "chairman", "ministry"])
def test_the_batch_writes_every_column_the_single_service_writes(org, world, route):
    campaign, tiers = world
    data = rows(org)
    singles = one_by_one(org, campaign, tiers[route], data)
    batch = in_bulk(org, campaign, tiers[route], data)
    assert all(isinstance(n, Nomination) for n in batch)
    for single, bulk in zip(singles, batch, strict=True):
        assert written(bulk) == written(single)
    # what the comparison relies on: evidence pinned per nominee unit, keys and CCCD normalised, one open task
    first = written(batch[0])
    assert first["nomination"]["evidence_report_id"] == campaign.reports.get(unit=org.units["a"]).pk
    assert first["nomination"]["id_number"] == "075085001234" and first["nomination"]["name_key"]
    assert written(batch[3])["nomination"]["evidence_report_id"] is None  # unit b has no report
    assert [t["status"] for t in first["tasks"]] == ["DONE", "NEW"]
    assert first["links"] == [("start", []), ("prepare", ["start"])]
    assert first["audit"]["detail"] == {"import": IMPORT_ID}
    assert check()[0] == 0 and "check_integrity: no findings." in check()[1]


def test_the_batch_makes_as_many_queries_for_180_rows_as_for_18(org, world):
    """About 20 queries per row one by one; in a batch, ten plus the evidence look-up of each nominee unit."""
    campaign, tiers = world
    counts = []
    for copies in (2, 20):
        with CaptureQueriesContext(connection) as queries:
            made = in_bulk(org, campaign, tiers["director"], rows(org) * copies)
        assert len(made) == 9 * copies
        counts.append(len(queries))
    if connection.vendor == "postgresql":
        assert counts[0] == counts[1] <= 30, counts
    else:  # SQLite: Django splits each bulk insert by the statement's variable limit
        assert counts[1] < 60, counts
    assert NominationProcess.objects.count() == 198
    assert Task.objects.filter(status="NEW", flow_task_type="FUNCTION").count() == 198


def test_a_refused_row_is_returned_with_its_errors_and_the_others_are_created(org, world):
    campaign, tiers = world
    data = rows(org)[:3]
    data.insert(1, {**PERSON, "kind": NomineeKind.INDIVIDUAL, "birth_date": None, "achievement": ""})
    data.append({**data[2], "kind": NomineeKind.COLLECTIVE, "parent_unit": None})
    made = in_bulk(org, campaign, tiers["director"], data)
    assert [type(result).__name__ for result in made] == [
        "Nomination", "ValidationError", "Nomination", "Nomination", "ValidationError"
    ]  # fmt: skip
    assert set(made[1].message_dict) == {"birth_date", "achievement"}
    assert set(made[4].message_dict) == {"parent_unit"}
    assert Nomination.objects.count() == NominationProcess.objects.count() == 3
    assert AuditEvent.objects.filter(action="nomination_created").count() == 3


def test_the_batch_refuses_whom_the_single_service_refuses(org, world):
    campaign, tiers = world
    with pytest.raises(PermissionDenied):
        svc.nominations_create_many(by=org.actor("police"), campaign=campaign, award_type=tiers["director"],
                                    rows=rows(org))  # fmt: skip
    campaign.award_types.remove(tiers["ministry"])
    with pytest.raises(ValidationError) as refused:
        in_bulk(org, campaign, tiers["ministry"], rows(org))
    assert set(refused.value.message_dict) == {"award_type"}
    assert not Nomination.objects.exists() and not NominationProcess.objects.exists()


def test_batch_nominations_go_through_the_flow_like_the_others(org, world, media):
    """One person made each way, side by side through the whole Giấy khen route: prepared, sent up in one dossier,
    appraised, approved, decided; a second pair returned by the police and revised; a third rejected. The step
    records and viewflow tasks of each pair match column by column."""
    campaign, tiers = world
    tier, officer, police, director = (
        tiers["director"],
        org.actor("officer_a"),
        org.actor("police"),
        org.actor("director"),
    )
    data = [{**PERSON, "kind": NomineeKind.INDIVIDUAL, "name": name, "id_number": ""}
            for name in ("Lê Văn Một", "Lê Văn Hai", "Lê Văn Ba")]  # fmt: skip
    twins = [{**row, "name": row["name"] + " B"} for row in data]  # not the same people: no duplicate warning
    pairs = list(zip(one_by_one(org, campaign, tier, data), in_bulk(org, campaign, tier, twins), strict=True))
    everyone = [n for pair in pairs for n in pair]
    for nomination in everyone:
        svc.nomination_prepared(by=officer, nomination=nomination)
    send(org, campaign, tier, everyone)
    for nomination in pairs[1]:
        svc.nomination_act(by=police, nomination=nomination, step=Step.POLICE_APPRAISAL, outcome=Outcome.RETURNED,
                           comment="Bổ sung thành tích")  # fmt: skip
        svc.nomination_update(by=officer, nomination=refreshed(nomination), achievement="Thành tích 2014–2024")
        svc.nomination_prepared(by=officer, nomination=nomination)
        svc.nomination_resubmit(by=org.actor("head_a"), nomination=nomination)
    for nomination in pairs[2]:
        svc.nomination_act(by=police, nomination=nomination, step=Step.POLICE_APPRAISAL, outcome=Outcome.REJECTED,
                           comment="Không đủ tiêu chuẩn")  # fmt: skip
    going = [*pairs[0], *pairs[1]]
    appraise(org, going)
    for nomination in going:
        svc.nomination_act(by=director, nomination=nomination, step=Step.DIRECTOR_APPROVAL, outcome=Outcome.APPROVED)
    decision = decision_services.decision_draft(by=director, campaign=campaign, award_type=tier,
                                                nominations=[refreshed(n) for n in going], signer="Nguyễn Văn Giám",
                                                signer_title="GIÁM ĐỐC")  # fmt: skip
    decision_services.decision_issue(by=director, decision=decision, number=3, date=timezone.localdate(), scan=scan())
    for single, bulk in pairs:
        single, bulk = refreshed(single), refreshed(bulk)
        assert columns(bulk, "id", "name", "name_key", "sort_key", "dossier_id") == columns(
            single, "id", "name", "name_key", "sort_key", "dossier_id"
        )
        assert steps(bulk) == steps(single)
        assert tasks(bulk) == tasks(single)
    assert {refreshed(n).status for n in going} == {NominationStatus.AWARDED}
    assert {refreshed(n).status for n in pairs[2]} == {NominationStatus.REJECTED}
    assert ("police_appraisal", "returned") in [s[:2] for s in steps(pairs[1][1])]
    assert check()[0] == 0 and "check_integrity: no findings." in check()[1]


def steps(nomination) -> list[tuple]:
    return [tuple(columns(a, "id", "nomination_id", "handoff_id").values())
            for a in NominationAction.objects.filter(nomination=nomination).order_by("pk")]  # fmt: skip


def tasks(nomination) -> list[dict]:
    found = Task.objects.filter(process__nominationprocess__nomination=nomination).order_by("pk")
    return [columns(t, "id", "process_id") for t in found]
