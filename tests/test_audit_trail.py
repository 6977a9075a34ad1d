"""An audit trail nobody can rewrite (docs/audit.md): the database refuses to change or remove its rows, every
row is sealed into a chain after it commits, `verify_audit` names the first row altered, removed or inserted
out of order, and the rows keep ids and codes, never a person's name."""

import datetime as dt
import importlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awards import audit, services
from awards.audit import (
    audit_maintenance,
    audit_record,
    audit_seal,
    audit_verify,
    refusal_tally,
    refusals_record,
)
from awards.models import (
    AuditEvent,
    AuditSeal,
    JobRun,
    Membership,
    Notification,
    NotificationKind,
    RefusedAccessTally,
    Role,
)
from awards.services import nominations as nomination_services
from tests.conftest import PASSWORD
from tests.factories import UnitFactory, UserFactory
from tests.scale import scale_snapshot, scale_world  # noqa: F401 - the fixtures
from tests.test_nominations import nominate
from tests.test_nominations import world as world  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parent.parent
LATER = dt.timedelta(hours=1, minutes=2)  # past the end of this hour and the grace after it


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the database's own refusal is PostgreSQL's (SQLite is checked by the seals)")


def rows(count: int, **fields) -> list[AuditEvent]:
    unit = UnitFactory()
    return [
        audit_record(actor=None, action="unit_updated", obj=unit, unit=unit, detail={"n": n, **fields})
        for n in range(count)
    ]


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def refused(sql: str, params=()) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        raw(sql, params)
    return str(error.value)


# The database refuses ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_postgresql_refuses_to_update_delete_or_truncate_audit_rows_and_seals(postgres):
    [event] = rows(1)
    audit_seal(wait=0)
    raw("SET CONSTRAINTS ALL IMMEDIATE")  # else PostgreSQL refuses TRUNCATE for the test's deferred checks first
    for table in ("awards_auditevent", "awards_auditseal"):
        assert "append-only: UPDATE on " + table in refused(f"UPDATE {table} SET id = id")  # noqa: S608
        assert "append-only: DELETE on " + table in refused(f"DELETE FROM {table}")  # noqa: S608
        assert "append-only: TRUNCATE on " + table in refused(f"TRUNCATE {table} CASCADE")
    assert "append-only" in refused("TRUNCATE awards_unit CASCADE")  # nor through a table it refers to
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="report_saved")
    assert AuditEvent.objects.get(pk=event.pk).action == "unit_updated"
    # Maintenance (documented steps, the test suite's flush) may; the switch ends with its block.
    with audit_maintenance():
        raw("UPDATE awards_auditevent SET to_state = 'fixed' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).to_state == "fixed"
    assert "append-only" in refused("DELETE FROM awards_auditevent")


@pytest.mark.django_db(transaction=True)
def test_a_transactional_tests_flush_still_empties_the_trail(postgres):
    rows(3)
    audit_seal(wait=0)
    assert "append-only" in refused("TRUNCATE awards_auditevent CASCADE")
    call_command("flush", interactive=False, verbosity=0)  # as TransactionTestCase does after each test
    assert not AuditEvent.objects.exists() and not AuditSeal.objects.exists()
    rows(1)
    assert "append-only" in refused("DELETE FROM awards_auditevent")  # the switch lasted the flush only


# Seals ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rows_are_sealed_in_id_order_each_chained_to_the_one_before():
    made = rows(4, note="Nguyễn")
    result = audit_seal(wait=0)
    assert result["sealed"] >= 4 and result["head"] == made[-1].pk and not result["more"]
    seals = list(AuditSeal.objects.order_by("event_id"))
    previous_id, previous_hash = None, ""
    for seal in seals:
        assert seal.follows == previous_id
        values = AuditEvent.objects.filter(pk=seal.event_id).values_list(*audit.CANONICAL_FIELDS).get()
        content = audit.canonical(values)
        assert json.loads(content)["at"].endswith("Z") and json.loads(content)["id"] == seal.event_id
        assert seal.hash == audit.chain_hash(previous_hash, content)
        previous_id, previous_hash = seal.event_id, seal.hash
    assert audit_seal(wait=0)["sealed"] == 0  # nothing new
    later = rows(2)
    assert audit_seal(wait=0)["sealed"] == 2 and AuditSeal.objects.get(event=later[0]).follows == made[-1].pk
    check = audit_verify()
    assert (
        check.ok and check.unsealed == 0 and check.head == (later[-1].pk, AuditSeal.objects.get(event=later[-1]).hash)
    )


@pytest.mark.django_db
def test_a_run_seals_at_most_its_limit_and_the_next_goes_on():
    rows(7)
    first = audit_seal(limit=5, wait=0)
    assert first["sealed"] == 5 and first["more"]
    assert audit_verify().unsealed == AuditEvent.objects.count() - 5
    assert audit_seal(limit=5, wait=0)["sealed"] == AuditEvent.objects.count() - 5
    assert audit_verify().ok and audit_verify().unsealed == 0


def tamper(kind: str, events: list[AuditEvent]) -> int:
    """Change the trail as someone with SQL access could, in maintenance mode; returns the id to report."""
    middle = events[2]
    with audit_maintenance():
        if kind == "altered":
            raw("UPDATE awards_auditevent SET detail = %s WHERE id = %s", ['{"n": 99}', middle.pk])
        elif kind == "altered time":
            raw("UPDATE awards_auditevent SET at = at + interval '1 microsecond' WHERE id = %s", [middle.pk])
        elif kind == "removed":
            raw("DELETE FROM awards_auditseal WHERE event_id = %s", [middle.pk])
            raw("DELETE FROM awards_auditevent WHERE id = %s", [middle.pk])
        elif kind == "inserted":  # in a gap between two sealed rows
            raw("INSERT INTO awards_auditevent (id, at, action, object_type, object_id, object_repr, from_state, "
                "to_state, detail) SELECT id + 1, at, 'report_saved', '', '', '', '', '', '{}' FROM awards_auditevent "
                "WHERE id = %s", [events[1].pk])  # fmt: skip
            middle = events[1].pk + 1
    return middle if isinstance(middle, int) else middle.pk


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["altered", "altered time", "removed", "inserted"])
def test_verify_audit_names_the_first_row_altered_removed_or_inserted(postgres, kind):
    unit = UnitFactory()
    events = []
    for n in range(5):
        events.append(audit_record(actor=None, action="unit_updated", obj=unit, unit=unit, detail={"n": n}))
        if n == 1 and kind == "inserted":
            events.append(audit_record(actor=None, action="unit_updated", obj=unit, unit=unit, detail={"gap": 1}))
            with audit_maintenance():  # leave an id free between two rows, as a rolled-back insert does
                raw("DELETE FROM awards_auditevent WHERE id = %s", [events.pop().pk])
    audit_seal(wait=0)
    call_command("verify_audit", stdout=open(os.devnull, "w"))  # noqa: SIM115
    bad = tamper(kind, events)
    result = audit_verify()
    assert result.problem is not None and result.problem.event_id == bad
    assert result.problem.kind == {"altered time": "altered"}.get(kind, kind)
    with pytest.raises(CommandError, match=f"#{bad}"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_archived_rows_are_verified_from_the_anchor_the_operator_kept(postgres):
    events = rows(5)
    audit_seal(wait=0)
    anchor = AuditSeal.objects.get(event=events[1])
    with audit_maintenance():  # docs/audit.md, "Archiving": the oldest rows out, after a backup
        AuditSeal.objects.filter(event_id__lte=anchor.event_id).delete()
        AuditEvent.objects.filter(pk__lte=anchor.event_id).delete()
    assert audit_verify().problem.kind == "removed"
    assert audit_verify(anchor=(anchor.event_id, anchor.hash)).ok
    out = call_command("verify_audit", f"--anchor={anchor.event_id}:{anchor.hash}")
    assert out is None


# Rows committed late, several sealers -------------------------------------------------------------------


def _insert_and_hold(started: threading.Event, release: threading.Event, made: list) -> None:
    try:
        with transaction.atomic():
            made.append(audit_record(actor=None, action="unit_updated", object_type="unit", object_id="1").pk)
            started.set()
            release.wait(30)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_a_row_committing_after_a_higher_id_is_never_sealed_out_of_order(postgres):
    """A transaction draws id n and is still open while id n+1 commits: the sealer waits for it (or seals
    nothing), so n is sealed before n+1 whatever the order of the commits."""
    started, release, held = threading.Event(), threading.Event(), []
    writer = threading.Thread(target=_insert_and_hold, args=(started, release, held))
    writer.start()
    try:
        assert started.wait(10)
        later = audit_record(actor=None, action="unit_updated", object_type="unit", object_id="2").pk
        assert later > held[0]
        assert audit_seal(wait=0.3) == {"sealed": 0, "waiting_for": 1}  # n is not visible yet: nothing sealed
        assert not AuditSeal.objects.exists()
        threading.Timer(0.5, release.set).start()  # it commits while the next run waits for it
        assert audit_seal(wait=20)["sealed"] == 2
    finally:
        release.set()
        writer.join(30)
    assert list(AuditSeal.objects.order_by("pk").values_list("event_id", "follows")) == [
        (held[0], None),
        (later, held[0]),
    ]
    assert audit_verify().ok


@pytest.mark.django_db(transaction=True)
def test_two_sealers_at_once_never_interleave(postgres, monkeypatch):
    monkeypatch.setattr(audit, "SEAL_BATCH", 50)  # many round trips each, to give them the chance
    unit = UnitFactory()
    AuditEvent.objects.bulk_create(
        AuditEvent(action="unit_updated", object_type="unit", object_id=str(unit.pk), unit=unit, detail={"n": n})
        for n in range(1000)
    )
    results, barrier = [], threading.Barrier(2)

    def seal():
        try:
            barrier.wait(10)
            results.append(audit_seal(limit=None, wait=5))
        finally:
            connections.close_all()

    sealers = [threading.Thread(target=seal) for _ in range(2)]
    for sealer in sealers:
        sealer.start()
    for sealer in sealers:
        sealer.join(60)
    assert sorted(r["sealed"] for r in results) == [0, 1000]  # the second waited, then found nothing left
    assert AuditSeal.objects.count() == 1000
    assert audit_verify().ok


@pytest.mark.django_db
def test_the_seal_job_is_a_periodic_job_the_embedded_scheduler_runs():
    rows(2)
    assert {"audit_seal", "audit_refusals"} <= set(settings.PERIODIC_JOBS)
    assert settings.CELERY_BEAT_SCHEDULE["audit_seal"]["task"] == "awards.tasks.audit_seal"
    call_command("run_periodic_jobs", "--once", stdout=open(os.devnull, "w"))  # noqa: SIM115
    run = JobRun.objects.get(name="audit_seal")
    assert run.error == "" and run.result["sealed"] == AuditEvent.objects.count()
    assert run.label != "audit_seal"  # named on the health page
    assert audit_verify().ok and audit_verify().unsealed == 0


# No personal data in the trail --------------------------------------------------------------------------


def trail_text() -> str:
    return json.dumps(list(AuditEvent.objects.values("object_repr", "detail")), ensure_ascii=False)


@pytest.mark.django_db
def test_the_trail_names_objects_by_type_and_id_and_units_by_code(org):
    person = services.user_create(by=org.actor("admin"), username="rieng", full_name="Trịnh Thị Riêng")
    membership = services.membership_grant(
        by=org.actor("admin"), user=person, unit=org.units["a"], role=Role.UNIT_OFFICER
    )
    acting = services.membership_grant_acting(
        by=org.actor("admin"), user=person, acting_for=org.memberships["head_a"], valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 1, 31),
    )  # fmt: skip
    assert AuditEvent.objects.get(action="user_created", object_id=str(person.pk)).object_repr == f"user #{person.pk}"
    assert AuditEvent.objects.get(action="membership_granted", object_id=str(membership.pk)).object_repr == (
        f"membership #{membership.pk}"
    )
    assert AuditEvent.objects.get(action="acting_membership_granted").detail["acting_for"] == (
        org.memberships["head_a"].pk
    )
    services.unit_update(by=org.actor("admin"), unit=org.units["a"], short_name="An Bình")
    assert AuditEvent.objects.get(action="unit_updated").object_repr == "DN-A"
    text = trail_text()
    assert "Riêng" not in text and "Người dùng" not in text and "rieng" not in text
    assert acting.pk


@pytest.mark.django_db
def test_a_nominees_name_and_cccd_never_reach_the_trail(org, world):  # noqa: F811 - the fixture
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    nomination_services.nomination_update(
        by=org.actor("officer_a"), nomination=nomination, name="Nguyễn Văn Bình", id_number="075085001235"
    )
    updated = AuditEvent.objects.get(action="nomination_updated")
    assert updated.detail == {"fields": ["id_number", "name"]} and updated.object_repr == f"nomination #{nomination.pk}"
    text = trail_text()
    for secret in ("Nguyễn Văn An", "Nguyễn Văn Bình", "075085001234", "075085001235"):
        assert secret not in text


@pytest.mark.django_db
def test_pages_show_the_objects_current_name_read_in_one_query_per_type(org):
    admin = org.client("admin")
    person = UserFactory(username="rieng", full_name="Trịnh Thị Riêng")
    services.membership_grant(by=org.actor("admin"), user=person, unit=org.units["a"], role=Role.UNIT_OFFICER)
    admin.get("/activity/")  # the session's membership loaded once
    page = admin.get("/activity/").content.decode()
    assert "Trịnh Thị Riêng – Cán bộ đầu mối – Công ty Cổ phần An Bình" in page  # read now, not stored
    services.unit_update(by=org.actor("admin"), unit=org.units["a"], name="Công ty Cổ phần An Bình Mới")
    page = admin.get("/activity/").content.decode()
    assert "Trịnh Thị Riêng – Cán bộ đầu mối – Công ty Cổ phần An Bình Mới" in page
    assert page.count("Công ty Cổ phần An Bình Mới") == 2  # the unit's own row too
    assert "Riêng" not in trail_text()  # a unit's change keeps its old and new name (a body's, not a person's)
    assert not AuditEvent.objects.filter(object_repr__contains="An Bình").exists()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            admin.get("/activity/")
        return len(captured)

    few = queries()
    for n in range(8):  # more memberships and units on the page: no more queries
        user = UserFactory(username=f"them{n}")
        services.membership_grant(by=org.actor("admin"), user=user, unit=org.units["b"], role=Role.UNIT_OFFICER)
        services.unit_update(by=org.actor("admin"), unit=org.units["district"], short_name=f"H{n}")
    assert queries() == few


@pytest.mark.django_db
def test_rows_written_before_keep_no_names_once_migrated(org):
    """Migration 0026 rewrote the rows written with names (str(obj), usernames, corrected names)."""
    migration = importlib.import_module("awards.migrations.0026_audit_trail")
    police = org.users["police"]
    old = [
        AuditEvent(action="nomination_assigned", object_type="nomination", object_id="7", object_repr="Nguyễn Văn An",
                   detail={"step": "police_appraisal", "from": None, "to": "police"}),
        AuditEvent(action="nomination_updated", object_type="nomination", object_id="7", object_repr="Nguyễn Văn An",
                   detail={"id_number": ["", "075085001234"], "name": ["Nguyễn Văn Ann", "Nguyễn Văn An"]}),
        AuditEvent(action="decision_issued", object_type="decision", object_id="3", object_repr="09/QĐ-CAT",
                   detail={"reference": "09/QĐ-CAT", "corrected": {"7": {"name": ["Ann", "An"]}}}),
        AuditEvent(action="attachment_added", object_type="report", object_id="2", object_repr="An Bình – 181",
                   detail={"kind": "scan", "name": "CCCD Nguyễn Văn An.pdf", "sha256": "ab"}),
        AuditEvent(action="unit_created", object_type="unit", object_id=str(org.units["a"].pk),
                   object_repr="Công ty Cổ phần An Bình"),
    ]  # fmt: skip
    AuditEvent.objects.bulk_create(old)
    with audit_maintenance():
        migration.scrub(apps, None)
    rewritten = {e.action: e for e in AuditEvent.objects.filter(pk__in=[e.pk for e in old])}
    assert rewritten["nomination_assigned"].detail["to"] == police.pk
    assert rewritten["nomination_updated"].detail == {"fields": ["id_number", "name"]}
    assert rewritten["decision_issued"].detail["corrected"] == {"7": ["name"]}
    assert rewritten["attachment_added"].detail == {"kind": "scan", "sha256": "ab"}
    assert rewritten["unit_created"].object_repr == "DN-A"
    assert rewritten["nomination_updated"].object_repr == "nomination #7"
    assert "Nguyễn" not in trail_text() and "075085001234" not in trail_text()


# Administrators' actions on users -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_password_an_administrator_sets_is_audited_and_its_owner_told_once(
    org, mailoutbox, django_capture_on_commit_callbacks
):
    officer = org.users["officer_a"]
    admin = org.client("admin")
    url = f"/admin/awards/user/{officer.pk}/password/"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(url, {"password1": "Mat-khau-moi-2025!", "password2": "Mat-khau-moi-2025!",
                                     "usable_password": "true"})  # fmt: skip
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("Mat-khau-moi-2025!")
    event = AuditEvent.objects.get(action="password_set")
    assert (event.actor, event.object_type, event.object_id) == (org.users["admin"], "user", str(officer.pk))
    [notice] = Notification.objects.filter(recipient=officer, kind=NotificationKind.ACCOUNT)
    [mail] = mailoutbox
    assert mail.to == [officer.email] and mail.subject == f"[TĐKT] {notice.subject}" and "officer_a" in mail.body
    with django_capture_on_commit_callbacks(execute=True):  # the sweeper finds nothing left to send
        call_command("run_periodic_jobs", "--once", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert len(mailoutbox) == 1
    # Switching password sign-in off is audited too, and tells nobody by e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(url, {"usable_password": "false", "unset-password": "1"})
    assert AuditEvent.objects.filter(action="password_unset", object_id=str(officer.pk)).count() == 1
    assert len(mailoutbox) == 1
    # A failed form changes nothing and records nothing.
    admin.post(url, {"password1": "a", "password2": "b", "usable_password": "true"})
    assert AuditEvent.objects.filter(action__startswith="password_").count() == 2


@pytest.mark.django_db
def test_a_role_granted_in_the_admin_is_audited_with_who_granted_it(org):
    person = UserFactory(username="moi")
    response = org.client("admin").post(
        "/admin/awards/membership/add/",
        {"user": person.pk, "unit": org.units["b"].pk, "role": Role.UNIT_OFFICER, "title": "", "is_active": "on"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    event = AuditEvent.objects.get(action="membership_granted", object_id=str(membership.pk))
    assert event.actor == org.users["admin"] and event.membership == org.memberships["admin"]


@pytest.mark.django_db
def test_an_account_unlocked_in_the_admin_is_audited(org):
    locked = AccessAttempt.objects.create(
        username="officer_a", ip_address="10.0.0.9", user_agent="x", get_data="", post_data="", http_accept="",
        path_info="/login/", failures_since_start=settings.AXES_FAILURE_LIMIT,
    )  # fmt: skip
    response = org.client("admin").post(f"/admin/axes/accessattempt/{locked.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    event = AuditEvent.objects.get(action="lockout_cleared")
    assert (event.actor, event.object_type, event.object_id) == (org.users["admin"], "user",
                                                                  str(org.users["officer_a"].pk))  # fmt: skip
    assert event.detail == {"failures": settings.AXES_FAILURE_LIMIT, "locked": True}
    assert "10.0.0.9" not in trail_text()
    assert (
        org.client("anon").post("/accounts/login/", {"username": "officer_a", "password": PASSWORD}).status_code == 302
    )


# Refused accesses ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_refused_accesses_are_tallied_and_written_once_per_user_object_and_hour(org):
    other = org.units["b"]
    client = org.client("officer_a")
    for _ in range(3):
        assert client.get(f"/units/{other.pk}/").status_code == 403
    assert client.get("/units/999999/").status_code == 403
    assert not AuditEvent.objects.filter(action="access_denied").exists()  # not a row per request
    tally = RefusedAccessTally.objects.get(object_id=str(other.pk))
    assert (tally.user, tally.count, tally.object_type) == (org.users["officer_a"], 3, "unit")
    assert refusals_record() == {"written": 0, "refusals": 0}  # the hour has not closed
    assert refusals_record(now=timezone.now() + LATER) == {"written": 2, "refusals": 4}
    event = AuditEvent.objects.get(action="access_denied", object_id=str(other.pk))
    assert (event.actor, event.unit, event.detail["count"]) == (org.users["officer_a"], org.units["a"], 3)
    assert event.object_repr == f"unit #{other.pk}"
    assert not RefusedAccessTally.objects.exists()
    assert refusals_record(now=timezone.now() + LATER)["written"] == 0  # each tally once


@pytest.mark.django_db
def test_the_hours_are_counted_apart(org):
    actor = org.actor("officer_b")
    refusal_tally(actor=actor, what="report", object_id=5)
    RefusedAccessTally.objects.update(hour=timezone.now().replace(minute=0, second=0, microsecond=0)
                                      - dt.timedelta(hours=1))  # fmt: skip
    refusal_tally(actor=actor, what="report", object_id=5)
    refusal_tally(actor=actor, what="report", object_id=5)
    assert sorted(RefusedAccessTally.objects.values_list("count", flat=True)) == [1, 2]
    assert refusals_record()["written"] == 1  # the past hour only
    assert refusals_record(now=timezone.now() + LATER)["written"] == 1


# SQLite, and the scale build ----------------------------------------------------------------------------


def manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


SEED = """
from awards.audit import audit_record, audit_seal
from awards.models import AuditEvent, Unit
unit = Unit.objects.create(code="T", name="Thử", kind="enterprise")
made = [audit_record(actor=None, action="unit_updated", obj=unit, unit=unit, detail={"n": n}) for n in range(7)]
AuditEvent.objects.filter(pk=made[2].pk).delete()  # a gap in the ids, as a rolled-back insert leaves
print(audit_seal())
"""


@pytest.mark.slow
def test_verify_audit_on_a_real_sqlite_database(tmp_path):
    database = tmp_path / "tdkt.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DEBUG="1", SQLITE_PATH=str(database))
    manage("migrate", "-v", "0", env=env)
    manage("shell", "-c", SEED, env=env)
    assert "6 rows, 6 sealed and intact" in manage("verify_audit", env=env).stdout
    with closing(sqlite3.connect(database)) as db:
        ids = [row[0] for row in db.execute("SELECT id FROM awards_auditevent ORDER BY id")]
    gap = ids[1] + 1
    assert gap not in ids
    row = "(id, at, action, object_type, object_id, object_repr, from_state, to_state, detail)"
    tampering = {  # as anyone holding the file could, foreign keys off
        "altered": (f"UPDATE awards_auditevent SET to_state = 'x' WHERE id = {ids[2]}", "altered", ids[2]),
        "removed": (f"DELETE FROM awards_auditevent WHERE id = {ids[3]}", "removed", ids[3]),
        "removed last": (f"DELETE FROM awards_auditevent WHERE id = {ids[-1]}", "removed", ids[-1]),
        "inserted": (f"INSERT INTO awards_auditevent {row} VALUES ({gap}, '2020-01-01 00:00:00', 'report_saved', "
                     "'', '', '', '', '', '{}')", "inserted", gap),
    }  # fmt: skip
    for name, (sql, kind, bad) in tampering.items():
        copy = tmp_path / f"{name.replace(' ', '-')}.sqlite3"
        with closing(sqlite3.connect(database)) as source, closing(sqlite3.connect(copy)) as db:
            source.backup(db)
            db.execute(sql)
            db.commit()
        result = manage("verify_audit", env={**env, "SQLITE_PATH": str(copy)}, check=False)
        assert result.returncode == 1, (name, result.stdout, result.stderr)
        assert f"{kind}: row #{bad} " in result.stderr, (name, result.stderr)


@pytest.mark.slow
@pytest.mark.usefixtures("scale_world")
def test_seed_scale_seals_the_rows_it_copies_in(db, postgres):
    """seed_scale writes its audit rows with COPY and seals them at the end of its build."""
    from awards.models import Nomination

    check = audit_verify()
    assert check.ok and check.rows == AuditEvent.objects.count() and check.unsealed == 0
    names = set(Nomination.objects.values_list("name", flat=True)[:200])
    assert not AuditEvent.objects.filter(object_repr__in=names).exists()
