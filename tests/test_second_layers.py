"""The second layers: where two guards protect one rule, each is shown to hold on its own.

- A nomination's step is finished once: the services lock the nomination row, and every nomination flow also
  runs its steps under viewflow's `select_for_update` lock on the process row. Each is asserted alone: the
  flow's lock refuses a step whose process another connection holds, and with viewflow's lock swapped for
  `no_lock` the services' row lock still lets exactly one of two racing reviewers act.
- A decision number is used once per register (issuing body, symbol, year): the service checks it, and the
  database's unique constraint decides when two drafts pass that check together — drafts of another campaign
  and another tier, which share no row the services lock.
- Text is stored in NFC whatever the path: the model fields normalise it, not only the forms and services.
- A legal basis is cited up to and including its last day in force.

Threads run on PostgreSQL with their own connections, so the data is committed first (`transaction=True`).
"""

import contextlib
import datetime as dt
import threading
import traceback
import unicodedata
from collections import Counter
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow import lock as viewflow_lock
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from awards.identity import name_key
from awards.models import (
    BasisScope,
    Decision,
    DecisionStatus,
    LegalBasis,
    Nomination,
    NominationAction,
    NominationStatus,
    NomineeKind,
    Outcome,
    Route,
    Step,
    Unit,
    UnitKind,
    User,
)
from awards.reference.load import legal_bases_ensure
from awards.reference.tiers_181 import GIAY_KHEN_RATES, standard_tiers
from awards.selectors import legal_bases
from awards.services import decisions as decision_services
from awards.services import nominations as svc
from awards.services.prizes import prize_rates_set
from awards.text import person_sort_key, sort_key
from tests.conftest import build_campaign, build_org
from tests.test_campaign_admin import unit_form
from tests.test_consolidation import report as accepted_report
from tests.test_decisions import awaiting, scan
from tests.test_nominations import advance_to, nominate, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture
from tests.test_reports import REQUIRED_ENTERPRISE
from workflows import engine
from workflows.flows import ROUTE_FLOWS, ChairmanAwardFlow, DirectorAwardFlow, MinistryAwardFlow
from workflows.models import NominationProcess

NOMINATION_FLOWS = [DirectorAwardFlow, ChairmanAwardFlow, MinistryAwardFlow]


def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions need PostgreSQL (select_for_update is a no-op on SQLite)")


def committed_nomination(route: str, step: str):
    """A nomination of `route` sent up and approved until it waits at `step`, committed for other connections."""
    postgresql_only()
    org = build_org()
    campaign = build_campaign(org, nomination_deadline=dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
    tiers = standard_tiers(police=org.units["police"], home_affairs=org.units["home"],
                           province=org.units["province"], ministry=org.units["ministry"])  # fmt: skip
    svc.campaign_offer(by=None, campaign=campaign, award_types=tiers)
    accepted_report(org, campaign, "officer_a", org.actor("head_a"), REQUIRED_ENTERPRISE)
    tier = {t.route: t for t in tiers}[route]
    nomination = nominate(org, campaign, tier)
    send(org, campaign, tier, [nomination])
    advance_to(org, nomination, step)
    return org, nomination


def tasks_of(nomination):
    return Task.objects.filter(process__nominationprocess__nomination=nomination)


def run_together(*targets) -> None:
    """Run each callable in its own thread (its own connection), wait for all, fail on a stuck thread."""

    def wrapped(target):
        try:
            target()
        finally:
            connection.close()

    threads = [threading.Thread(target=wrapped, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"


# 1. viewflow's lock on every nomination flow ------------------------------------------------------------


@pytest.mark.parametrize("flow_class", NOMINATION_FLOWS, ids=lambda f: f.__name__)
def test_every_nomination_flow_declares_viewflows_select_for_update_lock(flow_class):
    assert isinstance(flow_class.lock_impl, viewflow_lock.SelectForUpdateLock), flow_class.lock_impl
    assert ROUTE_FLOWS[flow_class.__name__.removesuffix("AwardFlow").lower()] is flow_class


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("route", [Route.DIRECTOR, Route.CHAIRMAN, Route.MINISTRY])
def test_a_flow_step_is_refused_while_another_connection_holds_its_process(route, monkeypatch):
    """viewflow's own lock, alone (the services are not called, so their row lock plays no part): while another
    transaction holds the process row, finishing the open step fails at once and leaves the task open."""
    _org, nomination = committed_nomination(route, Step.POLICE_APPRAISAL)
    flow_class = ROUTE_FLOWS[route]
    process = NominationProcess.objects.get(nomination=nomination)
    [task] = tasks_of(nomination).filter(status=STATUS.NEW)
    assert task.flow_task == flow_class.police_appraisal
    # viewflow retries a NOWAIT lock five times with back-off sleeps: skip the sleeping, keep the attempts
    monkeypatch.setattr(viewflow_lock, "time", SimpleNamespace(sleep=lambda _seconds: None))
    held, release, outcome = threading.Event(), threading.Event(), {}

    def hold_the_process():
        try:
            with transaction.atomic():
                list(NominationProcess.objects.select_for_update().filter(pk=process.pk))
                held.set()
                release.wait(timeout=8)  # without viewflow's lock the step below waits on this row until then
        except BaseException:
            outcome["holder"] = traceback.format_exc()
            held.set()

    def finish_the_step():
        try:
            if not held.wait(timeout=30):
                outcome["result"] = "the process was never held"
                return
            engine.nomination_step_done(nomination=nomination, step=Step.POLICE_APPRAISAL, outcome="approved")
            outcome["result"] = "done"
        except FlowLockFailed:
            outcome["result"] = "refused"
        except BaseException:
            outcome["result"] = traceback.format_exc()
        finally:
            release.set()

    run_together(hold_the_process, finish_the_step)
    assert "holder" not in outcome, outcome["holder"]
    assert outcome["result"] == "refused", outcome["result"]
    task.refresh_from_db()
    assert task.status == STATUS.NEW
    assert list(tasks_of(nomination).filter(status=STATUS.NEW)) == [task]


# 2. The services' row lock on its own, with viewflow's lock switched off ---------------------------------

# Where two reviewers of one role act on one nomination without a tờ trình, per route (workflows/flows.py).
RACED_STEP = {
    Route.DIRECTOR: (Step.DIRECTOR_APPROVAL, "director", Step.POLICE_APPRAISAL),
    Route.CHAIRMAN: (Step.LEADER_APPROVAL, "leader", Step.HOME_AFFAIRS_APPRAISAL),
    Route.MINISTRY: (Step.HOME_AFFAIRS_APPRAISAL, "home", Step.POLICE_APPRAISAL),
}
NEXT_ON_APPROVAL = {Route.DIRECTOR: Step.AWAITING_DECISION, Route.CHAIRMAN: Step.AWAITING_DECISION,
                    Route.MINISTRY: Step.MINISTRY_FORWARD}  # fmt: skip


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("route", [Route.DIRECTOR, Route.CHAIRMAN, Route.MINISTRY])
def test_with_viewflows_lock_off_the_services_row_lock_lets_one_of_two_racing_reviewers_act(route, monkeypatch):
    step, persona, returned_to = RACED_STEP[route]
    org, nomination = committed_nomination(route, step)
    flow_class = ROUTE_FLOWS[route]
    monkeypatch.setattr(flow_class, "lock_impl", viewflow_lock.no_lock)
    assert flow_class.lock_impl is viewflow_lock.no_lock
    real_step_done = engine.nomination_step_done

    def slow_step_done(**kwargs):
        # Widen the window between the services' check of the step and the flow's move: without a row lock
        # both reviewers would be in here together, both finishing the same task.
        threading.Event().wait(0.5)
        return real_step_done(**kwargs)

    monkeypatch.setattr(engine, "nomination_step_done", slow_step_done)
    actions_before = NominationAction.objects.filter(nomination=nomination).count()
    org.memberships[persona].unit  # noqa: B018 - load the shared membership's unit once, not in two threads
    barrier = threading.Barrier(2, timeout=30)
    calls = [{"outcome": Outcome.APPROVED}, {"outcome": Outcome.RETURNED, "comment": "Bổ sung minh chứng"}]
    results: list = [None, None]

    def act(index: int):
        def run():
            try:
                mine = Nomination.objects.get(pk=nomination.pk)
                barrier.wait()
                try:
                    svc.nomination_act(by=org.actor(persona), nomination=mine, step=step, **calls[index])
                    results[index] = ("done", calls[index]["outcome"])
                except ValidationError as error:
                    results[index] = ("refused", error.code)
                except PermissionDenied:
                    results[index] = ("denied", None)
            except BaseException:
                results[index] = ("error", traceback.format_exc())

        return run

    run_together(act(0), act(1))
    assert not [detail for kind, detail in results if kind == "error"], results
    kinds = Counter(kind for kind, _detail in results)
    assert kinds == {"done": 1, "refused": 1}, results
    assert [detail for kind, detail in results if kind == "refused"] == ["moved_on"]  # a clean, translated refusal
    [winner] = [detail for kind, detail in results if kind == "done"]
    assert NominationAction.objects.filter(nomination=nomination).count() == actions_before + 1
    assert list(nomination.actions.filter(step=step).values_list("outcome", flat=True)) == [winner]
    # the step's task was finished once, and one step is open after it
    assert list(tasks_of(nomination).filter(flow_task=getattr(flow_class, step)).values_list("status", flat=True)) == [
        STATUS.DONE
    ]
    nomination.refresh_from_db()
    if winner == Outcome.APPROVED:
        expected = NEXT_ON_APPROVAL[route]
        status = (
            NominationStatus.AWAITING_DECISION if expected == Step.AWAITING_DECISION else NominationStatus.IN_REVIEW
        )
    else:
        expected, status = returned_to, NominationStatus.RETURNED
    assert (nomination.step, nomination.status) == (expected, status)
    assert [t.flow_task for t in tasks_of(nomination).filter(status=STATUS.NEW)] == [getattr(flow_class, expected)]


# 3. The register's unique constraint ------------------------------------------------------------------


@pytest.fixture
def media(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        yield tmp_path


@pytest.mark.django_db
def test_the_database_refuses_a_second_decision_with_a_number_of_its_register(org, world, media):
    postgresql_only()
    campaign, tiers = world
    director = org.actor("director")
    today = timezone.localdate()
    issued = decision_services.decision_draft(by=director, campaign=campaign, award_type=tiers["director"],
                                              nominations=[awaiting(org, campaign, tiers["director"])])  # fmt: skip
    decision_services.decision_issue(by=director, decision=issued, number=1, date=today, scan=scan())
    draft = decision_services.decision_draft(
        by=director, campaign=campaign, award_type=tiers["director"],
        nominations=[awaiting(org, campaign, tiers["director"], name="Trần Văn Hai", id_number="")],
    )  # fmt: skip
    register = {"issuer_id": issued.issuer_id, "symbol": "QĐ-CAT", "year": today.year}
    assert {f: getattr(draft, f) for f in register} == register
    with pytest.raises(IntegrityError, match="decision_number_unique_in_register"), transaction.atomic():
        Decision.objects.filter(pk=draft.pk).update(number=1)  # past the services' check: the database refuses
    assert Decision.objects.filter(number=1, **register).count() == 1
    # The same number in another register (another symbol, another year) is allowed.
    with transaction.atomic():
        assert Decision.objects.filter(pk=draft.pk).update(number=1, symbol="QĐ-PV01") == 1
        assert Decision.objects.filter(pk=draft.pk).update(number=1, symbol="QĐ-CAT", year=today.year - 1) == 1
        transaction.set_rollback(True)


def second_tier_like_the_directors(director_tier):
    """Another Giấy khen tier decided by the same police director under the same symbol: one register."""
    rules = [(r.step, r.role, r.unit, r.time_limit_days) for r in director_tier.step_rules.all()]
    tier = svc.award_type_ensure(
        by=None, code="GK-CAT-CD", name="Giấy khen chuyên đề của Giám đốc Công an tỉnh",
        authority=director_tier.authority, route=Route.DIRECTOR, deciding_unit=director_tier.deciding_unit,
        steps=rules, position=4,
    )  # fmt: skip
    prize_rates_set(by=None, award_type=tier, rates=GIAY_KHEN_RATES)
    tier.decision_symbol = director_tier.decision_symbol
    tier.save(update_fields=["decision_symbol"])
    return tier


def second_campaign(org, tier):
    other = build_campaign(org, plan_number="182", title="Sơ kết chuyên đề",
                           nomination_deadline=dt.datetime(2099, 1, 1, tzinfo=dt.UTC))  # fmt: skip
    svc.campaign_offer(by=None, campaign=other, award_types=[tier])
    accepted_report(org, other, "officer_a", org.actor("head_a"), REQUIRED_ENTERPRISE)
    return other


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_drafts_of_another_campaign_and_tier_racing_for_one_number_get_it_once(org, world, media, monkeypatch):
    """Two drafts of one register (the police director's QĐ-CAT of this year) that share no campaign, tier or
    nomination. Issuing locks the draft's row together with its campaign's and tier's rows (select_related under
    FOR UPDATE), so drafts sharing either queue there and the second meets the number check; these two lock
    nothing the other needs, both pass the check together (forced here), and only the register's unique
    constraint is left to decide. Issued through the page: the loser is redirected with the reason, never a 500."""
    postgresql_only()
    campaign, tiers = world
    director_tier = tiers["director"]
    other_tier = second_tier_like_the_directors(director_tier)
    other_campaign = second_campaign(org, other_tier)
    director = org.actor("director")
    drafts = [
        decision_services.decision_draft(by=director, campaign=c, award_type=t,
                                         nominations=[awaiting(org, c, t, name=name, id_number="")])
        for c, t, name in ((campaign, director_tier, "Trần Văn Một"), (other_campaign, other_tier, "Trần Văn Hai"))
    ]  # fmt: skip
    one, two = drafts
    assert one.campaign_id != two.campaign_id and one.award_type_id != two.award_type_id
    assert (one.issuer_id, one.symbol, one.year) == (two.issuer_id, two.symbol, two.year) == (
        org.units["police"].pk, "QĐ-CAT", timezone.localdate().year)  # fmt: skip

    passed_the_check = threading.Barrier(2)
    real_check = decision_services._check_number

    def check_then_wait(decision, number, day):
        real_check(decision, number, day)
        # both drafts have seen the number free before either takes it (a broken barrier is reported below:
        # something made the two queue before the check)
        with contextlib.suppress(threading.BrokenBarrierError):
            passed_the_check.wait(timeout=20)

    monkeypatch.setattr(decision_services, "_check_number", check_then_wait)
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(org.users["director"])
    today = timezone.localdate()
    results: list = [None, None]

    def issue(index: int):
        def run():
            try:
                response = clients[index].post(reverse("decision_issue", args=[drafts[index].pk]),
                                               {"number": "1", "date": today.strftime("%d/%m/%Y"), "scan": scan()})  # fmt: skip
                results[index] = response.status_code
            except BaseException:
                results[index] = traceback.format_exc()

        return run

    run_together(issue(0), issue(1))
    assert not passed_the_check.broken, "the drafts queued before the number check: the constraint was not reached"
    assert results == [302, 302], results  # both answered with a redirect to the decision: no 500
    register = Decision.objects.filter(issuer=org.units["police"], symbol="QĐ-CAT", year=today.year, number=1)
    assert register.count() == 1  # the register holds the number once
    [winner] = register
    [loser] = [d for d in drafts if d.pk != winner.pk]
    loser.refresh_from_db()
    assert (loser.status, loser.number) == (DecisionStatus.DRAFT, None)
    assert loser.items.get().nomination.status == NominationStatus.AWAITING_DECISION
    assert winner.items.get().nomination.status == NominationStatus.AWARDED
    told = clients[drafts.index(loser)].get(reverse("decision_detail", args=[loser.pk])).content.decode()
    assert "Số 01/QĐ-CAT vừa được dùng cho một quyết định khác: hãy dùng số 2." in told
    shown_to_winner = clients[drafts.index(winner)].get(reverse("decision_detail", args=[winner.pk])).content.decode()
    assert "vừa được dùng cho một quyết định khác" not in shown_to_winner


# 4. NFC whatever the path -----------------------------------------------------------------------------

NFC_FIELDS = ("name", "position", "workplace", "achievement", "achievement_text", "block_note", "duplicate_override")
TYPED = {
    "name": "Nguyễn Thị Ánh Tuyết", "position": "Phó Trưởng phòng Hướng dẫn", "workplace": "Xí nghiệp Đường Quảng",
    "achievement": "Hoàn thành xuất sắc nhiệm vụ năm 2023", "achievement_text": "Đạt danh hiệu Chiến sĩ thi đua cơ sở.",
    "block_note": "Đang xác minh đơn thư", "duplicate_override": "Hai thành tích khác nhau đã được xác minh",
}  # fmt: skip


def nfd(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text  # the test types something NFC changes
    return decomposed


def copied_fields(nomination: Nomination) -> dict:
    """Every stored value of a nomination but its id and its derived keys: a row as an import would write it."""
    skip = {"id", "name_key", "sort_key"}
    return {
        f.attname: getattr(nomination, f.attname) for f in Nomination._meta.concrete_fields if f.attname not in skip
    }


def assert_nfc(nomination: Nomination) -> None:
    stored = Nomination.objects.values(*NFC_FIELDS, "name_key", "sort_key").get(pk=nomination.pk)
    for field in NFC_FIELDS:
        assert stored[field] == TYPED[field], field
        assert unicodedata.is_normalized("NFC", stored[field]), field
    assert stored["name_key"] == name_key(TYPED["name"])
    assert stored["sort_key"] == person_sort_key(TYPED["name"])


@pytest.mark.django_db
def test_objects_create_stores_every_nfc_field_of_a_nomination_in_nfc(org, world):
    campaign, tiers = world
    typed = {field: nfd(value) for field, value in TYPED.items()}
    made = Nomination.objects.create(**{**copied_fields(nominate(org, campaign, tiers["director"])), **typed})
    assert made.kind == NomineeKind.INDIVIDUAL
    assert_nfc(made)


@pytest.mark.django_db
def test_a_model_save_outside_the_services_stores_nfc_and_recomputes_the_keys(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    for field, value in TYPED.items():
        setattr(nomination, field, nfd(value))
    nomination.save()  # as the admin's default save, an import or a data fix would
    assert_nfc(nomination)


@pytest.mark.django_db
def test_bulk_create_stores_every_nfc_field_of_a_nomination_in_nfc(org, world):
    """bulk_create runs the fields' pre_save, so the text is NFC. (It does not call Nomination.save(), where
    name_key and sort_key are derived: a bulk import has to compute them itself, as the demo's clones copy them.)"""
    campaign, tiers = world
    typed = {field: nfd(value) for field, value in TYPED.items()}
    [made] = Nomination.objects.bulk_create([Nomination(**{**copied_fields(nominate(org, campaign, tiers["director"])),
                                                           **typed})])  # fmt: skip
    stored = Nomination.objects.values(*NFC_FIELDS).get(pk=made.pk)
    assert stored == TYPED
    assert all(unicodedata.is_normalized("NFC", value) for value in stored.values())


@pytest.mark.django_db
def test_the_admin_stores_a_units_text_in_nfc_and_sorts_it_by_the_nfc_name(org):
    """Nomination has no admin page; Unit is the admin-edited model with NFC text. Its admin goes through
    `unit_update`, which does not normalise: the field does."""
    unit = org.units["a"]
    typed = {"name": "Công ty Cổ phần Đồng Xoài", "short_name": "Cty Đồng Xoài", "place_name": "Đồng Nai",
             "executing_office": "Giám đốc Công ty Cổ phần Đồng Xoài", "recipients": "Như Điều 3;\nLưu: VT, TĐKT."}  # fmt: skip
    response = org.client("admin").post(f"/admin/awards/unit/{unit.pk}/change/",
                                        unit_form(unit, **{f: nfd(v) for f, v in typed.items()}))  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = Unit.objects.values(*typed, "sort_key").get(pk=unit.pk)
    assert {f: stored[f] for f in typed} == typed
    assert stored["sort_key"] == sort_key(typed["name"])


@pytest.mark.django_db
def test_the_admin_stores_a_users_full_name_in_nfc_and_sorts_it_by_the_nfc_name(org):
    """The user admin saves the model itself (Django's UserAdmin): only the field normalises."""
    user, membership = org.users["officer_b"], org.memberships["officer_b"]
    typed = "Trương Thị Ngọc Ánh"
    response = org.client("admin").post(
        f"/admin/awards/user/{user.pk}/change/",
        {
            "username": user.username, "full_name": nfd(typed), "email": user.email, "is_active": "on",
            "is_staff": "", "last_login_0": "", "last_login_1": "", "date_joined_0": "01/01/2024",
            "date_joined_1": "08:00:00", "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "0",
            "memberships-0-id": membership.pk, "memberships-0-user": user.pk,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = User.objects.values("full_name", "sort_key", "is_active").get(pk=user.pk)
    assert stored == {"full_name": typed, "sort_key": person_sort_key(typed), "is_active": True}


# 5. A legal basis is cited on its last day in force, not the day after -----------------------------------

ISSUER_KINDS = [UnitKind.PROVINCIAL_COMMITTEE, UnitKind.PROVINCIAL_POLICE, UnitKind.HOME_AFFAIRS]


@pytest.mark.django_db
def test_every_ended_national_basis_is_cited_on_its_end_date_and_not_the_day_after(org):
    legal_bases_ensure()
    campaign = build_campaign(org)
    ended = list(LegalBasis.objects.filter(scope=BasisScope.NATIONAL, in_force_to__isnull=False).order_by("number"))
    assert len(ended) >= 3, [b.number for b in ended]  # the reference data ends several acts (98/2023, 65/2025…)
    for basis in ended:
        for kind in list(basis.applies_to) or ISSUER_KINDS:  # the bodies it applies to (none listed: every body)
            assert basis.applies_to_kind(kind)
            last_day, next_day = basis.in_force_to, basis.in_force_to + dt.timedelta(days=1)
            on_last_day = legal_bases.bases_in_force(campaign=campaign, issuer_kind=kind, day=last_day, competence=True)
            assert basis in on_last_day, (basis.number, kind, last_day)
            after = legal_bases.bases_in_force(campaign=campaign, issuer_kind=kind, day=next_day, competence=True)
            assert basis not in after, (basis.number, kind, next_day)
