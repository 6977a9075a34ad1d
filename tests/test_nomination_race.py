"""Eight reviewers act on one nomination task at the same moment: one wins, the others are told it moved on.

Real threads on PostgreSQL, each on its own connection, so the data is committed first (`transactional_db`).
The services lock the nomination row before reading its step, so the losers wait for the winner's commit and
then see the new step: a ValidationError "moved_on", checked before the actor's role (PermissionDenied).
"""

import datetime as dt
import threading
import traceback
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from awards.actor import Actor
from awards.models import NominationAction, NominationStatus, Outcome, Step
from awards.reference.tiers_181 import standard_tiers
from awards.services import nominations as svc
from awards.services.nominations import campaign_offer
from tests.conftest import build_campaign, build_org
from tests.test_consolidation import report as accepted_report
from tests.test_nominations import nominate, send
from tests.test_reports import REQUIRED_ENTERPRISE
from workflows.flows import DirectorAwardFlow

THREADS = 8


def at_police_appraisal(*names: str):
    """Giấy khen nominations sent up and waiting at the police appraisal, committed for other connections."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (select_for_update is a no-op on SQLite)")
    org = build_org()
    campaign = build_campaign(org, nomination_deadline=dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
    tiers = standard_tiers(police=org.units["police"], home_affairs=org.units["home"],
                           province=org.units["province"], ministry=org.units["ministry"])  # fmt: skip
    campaign_offer(by=None, campaign=campaign, award_types=tiers)
    accepted_report(org, campaign, "officer_a", org.actor("head_a"), REQUIRED_ENTERPRISE)
    director = {t.route: t for t in tiers}["director"]
    nominations = [nominate(org, campaign, director, **({"name": name, "id_number": ""} if name else {}))
                   for name in names]  # fmt: skip
    send(org, campaign, director, nominations)
    for nomination in nominations:
        nomination.refresh_from_db()
        assert (nomination.step, nomination.status) == (Step.POLICE_APPRAISAL, NominationStatus.IN_REVIEW)
    return org, nominations


@pytest.fixture
def sent_nomination(transactional_db):
    org, [nomination] = at_police_appraisal("")
    return org, nomination


def race(org, nomination, calls: list[dict]) -> list[tuple[str, object]]:
    """Run one `nomination_act` per entry of `calls`, all released together; returns (kind, detail) each."""
    barrier = threading.Barrier(len(calls), timeout=30)
    results: list[tuple[str, object] | None] = [None] * len(calls)
    org.memberships["police"].unit  # noqa: B018 - load the shared membership's unit once, not in eight threads

    def act(index: int, kwargs: dict) -> None:
        try:
            actor = org.actor("police")
            mine = type(nomination).objects.get(pk=nomination.pk)  # each thread its own instance and connection
            barrier.wait()
            try:
                if kwargs["outcome"] == Outcome.APPROVED:  # approving sends it on with the office's tờ trình
                    svc.handoff_send(by=actor, nominations=[mine], step=Step.POLICE_APPRAISAL, number="121/TTr-PV01",
                                     date=timezone.localdate(), signer="Đỗ Minh Khoa")  # fmt: skip
                else:
                    svc.nomination_act(by=actor, nomination=mine, step=Step.POLICE_APPRAISAL, **kwargs)
                results[index] = ("done", kwargs["outcome"])
            except ValidationError as error:
                results[index] = ("invalid", error.code)
            except PermissionDenied:
                results[index] = ("denied", None)
        except BaseException:  # anything else is a finding: keep the traceback for the assertion message
            results[index] = ("error", traceback.format_exc())
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(i, kwargs)) for i, kwargs in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    errors = [detail for kind, detail in results if kind == "error"]
    assert not errors, "\n".join(errors)
    return results


def tasks(nomination):
    return Task.objects.filter(process__nominationprocess__nomination=nomination)


def test_eight_reviewers_approving_at_once_complete_the_step_once(sent_nomination):
    org, nomination = sent_nomination
    results = race(org, nomination, [{"outcome": Outcome.APPROVED}] * THREADS)

    assert Counter(results) == {("done", Outcome.APPROVED): 1, ("invalid", "moved_on"): THREADS - 1}
    nomination.refresh_from_db()
    assert (nomination.step, nomination.status, nomination.holder) == (
        Step.DIRECTOR_APPROVAL,
        NominationStatus.IN_REVIEW,
        org.units["police"],
    )
    assert list(nomination.actions.filter(step=Step.POLICE_APPRAISAL).values_list("outcome", flat=True)) == [
        Outcome.APPROVED
    ]
    assert nomination.handoffs.count() == 1  # the losers' tờ trình rolled back with them
    appraisals = tasks(nomination).filter(flow_task=DirectorAwardFlow.police_appraisal)
    assert list(appraisals.values_list("status", flat=True)) == [STATUS.DONE]
    open_tasks = tasks(nomination).filter(status=STATUS.NEW)
    assert [t.flow_task for t in open_tasks] == [DirectorAwardFlow.director_approval]


def test_approvals_and_returns_racing_leave_one_consistent_outcome(sent_nomination):
    org, nomination = sent_nomination
    calls = [{"outcome": Outcome.APPROVED}, {"outcome": Outcome.RETURNED, "comment": "Bổ sung minh chứng"}] * (
        THREADS // 2
    )
    actions_before = NominationAction.objects.filter(nomination=nomination).count()
    results = race(org, nomination, calls)

    winners = [detail for kind, detail in results if kind == "done"]
    assert len(winners) == 1
    assert Counter(kind_detail for kind_detail in results if kind_detail[0] != "done") == {
        ("invalid", "moved_on"): THREADS - 1
    }
    (winner,) = winners
    nomination.refresh_from_db()
    actions = list(nomination.actions.filter(step=Step.POLICE_APPRAISAL))
    assert [a.outcome for a in actions] == [winner]
    assert nomination.handoffs.count() == (winner == Outcome.APPROVED)  # the losers' tờ trình rolled back
    appraisals = tasks(nomination).filter(flow_task=DirectorAwardFlow.police_appraisal)
    assert list(appraisals.values_list("status", flat=True)) == [STATUS.DONE]
    open_tasks = [t.flow_task for t in tasks(nomination).filter(status=STATUS.NEW)]
    if winner == Outcome.APPROVED:
        assert (nomination.step, nomination.status, nomination.holder) == (
            Step.DIRECTOR_APPROVAL,
            NominationStatus.IN_REVIEW,
            org.units["police"],
        )
        assert open_tasks == [DirectorAwardFlow.director_approval]
    else:
        assert (nomination.step, nomination.status, nomination.holder) == (
            Step.PREPARE,
            NominationStatus.RETURNED,
            org.units["a"],
        )
        assert actions[0].comment == "Bổ sung minh chứng"
        assert open_tasks == [DirectorAwardFlow.prepare]
    assert NominationAction.objects.filter(nomination=nomination).count() == actions_before + 1


@pytest.fixture
def two_sent(transactional_db):
    return at_police_appraisal("Người Một", "Người Hai")


def test_two_overlapping_batches_of_one_officer_queue_instead_of_deadlocking(two_sent):
    """Batch A sends [1, 2], batch B [2, 1], at once: each takes the officer's lateness tally while acting.
    Locking a whole batch first, in one order, makes the second wait and find the pair moved on."""
    org, pair = two_sent
    org.memberships["police"].unit  # noqa: B018 - load once, not in two threads
    barrier = threading.Barrier(2, timeout=30)
    results: list[tuple[str, object] | None] = [None, None]

    def send_on(index: int, order: list) -> None:
        try:
            mine = [type(n).objects.get(pk=n.pk) for n in order]
            barrier.wait()
            try:
                svc.handoff_send(by=org.actor("police"), nominations=mine, step=Step.POLICE_APPRAISAL,
                                 number=f"12{index}/TTr-PV01", date=timezone.localdate(), signer="Đỗ Minh Khoa")  # fmt: skip
                results[index] = ("done", None)
            except ValidationError as error:
                results[index] = ("invalid", error.code)
        except BaseException:
            results[index] = ("error", traceback.format_exc())
        finally:
            connection.close()

    threads = [threading.Thread(target=send_on, args=(0, pair)), threading.Thread(target=send_on, args=(1, pair[::-1]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert not [detail for kind, detail in results if kind == "error"], results
    assert sorted(kind for kind, _detail in results) == ["done", "invalid"]
    for nomination in pair:
        nomination.refresh_from_db()
        assert nomination.step == Step.DIRECTOR_APPROVAL and nomination.handoffs.count() == 1


def test_two_heads_sending_at_once_stay_within_the_units_quota(transactional_db):
    """A quota of one: the unit's two heads each send a different nomination at the same moment. The nominations'
    row locks do not meet; the quota check locks the unit's row, so the second counts the first and is refused."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (select_for_update is a no-op on SQLite)")
    from awards.models import NominationQuota, Role
    from awards.services import org as org_services
    from tests.factories import UserFactory
    from tests.test_nominations import minutes

    org = build_org()
    campaign = build_campaign(org, nomination_deadline=dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
    tiers = {t.route: t for t in standard_tiers(police=org.units["police"], home_affairs=org.units["home"],
                                                 province=org.units["province"], ministry=org.units["ministry"])}  # fmt: skip
    campaign_offer(by=None, campaign=campaign, award_types=tiers.values())
    accepted_report(org, campaign, "officer_a", org.actor("head_a"), REQUIRED_ENTERPRISE)
    NominationQuota.objects.create(
        campaign=campaign, award_type=tiers["director"], unit_kind=org.units["a"].kind, limit=1
    )
    deputy = UserFactory(username="head_a2", full_name="Phó Thủ Trưởng")
    org_services.membership_grant(by=None, user=deputy, unit=org.units["a"], role=Role.UNIT_HEAD)
    one, two = (nominate(org, campaign, tiers["director"], name=n, id_number="") for n in ("Người Một", "Người Hai"))
    heads = [org.actor("head_a"), Actor(user=deputy, membership=deputy.memberships.get())]
    for head in heads:
        head.unit  # noqa: B018 - load once, not in the threads
    barrier = threading.Barrier(2, timeout=30)
    results: list[tuple[str, object] | None] = [None, None]

    def send_one(index: int, nomination) -> None:
        try:
            mine = type(nomination).objects.get(pk=nomination.pk)
            barrier.wait()
            try:
                svc.dossier_submit(by=heads[index], campaign=campaign, award_type=tiers["director"], nominations=[mine],
                                   number=f"1{index}/TTr", date=timezone.localdate(), signer="A", council_members=5,
                                   council_present=5, votes_for=5, minutes=minutes())  # fmt: skip
                results[index] = ("done", None)
            except ValidationError as error:
                results[index] = ("invalid", error.code)
        except BaseException:
            results[index] = ("error", traceback.format_exc())
        finally:
            connection.close()

    threads = [threading.Thread(target=send_one, args=(i, n)) for i, n in enumerate((one, two))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert not [detail for kind, detail in results if kind == "error"], results
    assert sorted(results) == [("done", None), ("invalid", "quota")]
    assert type(one).objects.filter(pk__in=[one.pk, two.pk], dossier__isnull=False).count() == 1
