"""`manage.py check_integrity`: a world built through the services has no finding; each invariant, broken by a
raw write behind the services' back, is found, naming exactly the row, and the command exits 1. The slow test
seeds the full demo, walks the main journeys and checks."""

import contextlib
import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from awards.models import (
    Decision,
    DecisionItem,
    Nomination,
    NominationAction,
    NominationFile,
    NominationStatus,
    NomineeKind,
    Outcome,
    Step,
)
from awards.selectors.integrity import INVARIANTS, integrity_findings
from awards.services import decisions as decision_services
from awards.services import nominations as svc
from tests.test_decisions import awaiting, scan
from tests.test_nominations import nominate, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def check(*args: str) -> tuple[int, str]:
    """The command's exit status and what it printed (a finding raises CommandError with its exit status)."""
    out = io.StringIO()
    try:
        call_command("check_integrity", *args, stdout=out, stderr=io.StringIO())
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def found(*args: str) -> tuple[int, list[dict]]:
    code, out = check("--json", *args)
    return code, json.loads(out[: out.rindex("}") + 1])["findings"]


def the_finding(invariant: str) -> dict:
    """The one finding the command reports (exit 1), which must be of `invariant`."""
    code, findings = found()
    assert code == 1, findings
    assert len(findings) == 1, findings
    assert findings[0]["invariant"] == invariant, findings
    return findings[0]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def decided(org, world, media):
    """A world built through the services, every status present: drafts, one under review, one returned, one
    rejected, one withdrawn, one awaiting a decision, three awarded by the director's decision 01 (two people,
    one collective), one of those revoked by decision 02."""
    campaign, tiers = world
    director, tier = org.actor("director"), tiers["director"]
    people = [awaiting(org, campaign, tier), awaiting(org, campaign, tier, name="Trần Văn Hai", id_number="")]
    team = awaiting(org, campaign, tier, kind=NomineeKind.COLLECTIVE, name="Phòng Kỹ thuật", parent_unit=org.units["a"],
                    women_percent=40)  # fmt: skip
    revoked = awaiting(org, campaign, tier, name="Lê Văn Ba", id_number="")
    decision = decision_services.decision_draft(by=director, campaign=campaign, award_type=tier,
                                                nominations=[*people, team, revoked], signer="Nguyễn Văn Giám")  # fmt: skip
    decision_services.decision_issue(by=director, decision=decision, number=1, date=TODAY, scan=scan())
    revocation = decision_services.decision_revoke(by=director, decision=decision,
                                                   items=list(decision.items.filter(nomination=revoked)),
                                                   reason="Khai man thành tích", signer="Nguyễn Văn Giám")  # fmt: skip
    decision_services.decision_issue(by=director, decision=revocation, number=2, date=TODAY, scan=scan())
    waiting = awaiting(org, campaign, tier, name="Phạm Thị Bốn", id_number="")
    draft = nominate(org, campaign, tier, name="Đỗ Văn Năm", id_number="")
    in_review, returned, rejected, withdrawn = (
        nominate(org, campaign, tier, name=name, id_number="") for name in ("Vũ Sáu", "Hồ Bảy", "Mai Tám", "Lý Chín")
    )
    send(org, campaign, tier, [in_review, returned, rejected, withdrawn])
    police = org.actor("police")
    svc.nomination_act(by=police, nomination=returned, step=Step.POLICE_APPRAISAL, outcome=Outcome.RETURNED,
                       comment="Bổ sung")  # fmt: skip
    svc.nomination_act(by=police, nomination=rejected, step=Step.POLICE_APPRAISAL, outcome=Outcome.REJECTED,
                       comment="Chưa đủ")  # fmt: skip
    svc.nomination_withdraw(by=org.actor("head_a"), nomination=withdrawn, reason="Chuyển công tác")
    decision.refresh_from_db()
    revocation.refresh_from_db()
    return {"decision": decision, "revocation": revocation, "people": people, "team": team, "revoked": revoked,
            "waiting": waiting, "draft": draft, "in_review": in_review, "returned": returned, "rejected": rejected,
            "withdrawn": withdrawn}  # fmt: skip


def test_a_world_built_by_the_services_has_no_finding(decided):
    statuses = set(Nomination.objects.values_list("status", flat=True))
    assert statuses == set(NominationStatus.values)  # every status is there to be checked
    code, out = check()
    assert code == 0, out
    assert "check_integrity: no findings." in out and all(f"{invariant} " in out for invariant in INVARIANTS)
    assert integrity_findings() == []


# workflow ---------------------------------------------------------------------------------------------------


def test_a_status_moved_without_its_workflow_is_found(decided):
    in_review = decided["in_review"]
    Nomination.objects.filter(pk=in_review.pk).update(status=NominationStatus.AWAITING_DECISION)
    code, out = check()
    assert code == 1
    assert f"[workflow] nomination #{in_review.pk}: status 'awaiting_decision' at step 'police_appraisal'" in out
    assert "check_integrity: 1 findings (workflow 1)." in out
    finding = the_finding("workflow")
    assert (finding["model"], finding["ids"]) == ("nomination", [in_review.pk])


def test_an_open_task_closed_behind_the_services_back_is_found(decided):
    waiting = decided["waiting"]
    Task.objects.filter(process__nominationprocess__nomination=waiting, status=STATUS.NEW).update(status=STATUS.DONE)
    finding = the_finding("workflow")
    assert (finding["model"], finding["ids"]) == ("nomination", [waiting.pk])
    assert "0 open tasks" in finding["explanation"]


def test_a_finished_nomination_whose_process_still_runs_is_found(decided):
    rejected = decided["rejected"]
    Task.objects.filter(process__nominationprocess__nomination=rejected, flow_task__endswith=".police_appraisal") \
        .update(status=STATUS.NEW)  # fmt: skip
    finding = the_finding("workflow")
    assert (finding["model"], finding["ids"]) == ("nomination", [rejected.pk])
    assert "still has 1 open tasks" in finding["explanation"]


# award ------------------------------------------------------------------------------------------------------


def test_an_awarded_nomination_in_no_decision_is_found(decided):
    person = decided["people"][0]
    DecisionItem.objects.filter(nomination=person).delete()
    finding = the_finding("award")
    assert (finding["model"], finding["ids"]) == ("nomination", [person.pk])
    assert "no issued award decision names it" in finding["explanation"]


def test_an_award_in_force_for_a_nomination_not_awarded_is_found(decided):
    item = decided["decision"].items.get(nomination=decided["revoked"])
    DecisionItem.objects.filter(pk=item.pk).update(revoked_by=None)  # the revocation forgotten on the item
    code, findings = found()
    assert code == 1
    # the item awards a nomination whose award is revoked, and no decision revoked that nomination's award
    assert [(f["invariant"], f["model"], f["ids"]) for f in findings] == [
        ("award", "decision item", [item.pk]),
        ("award", "nomination", [decided["revoked"].pk]),
    ]
    assert "whose status is 'revoked'" in findings[0]["explanation"]


# register ---------------------------------------------------------------------------------------------------


def test_a_decision_in_the_register_of_another_year_is_found(decided):
    decision = decided["decision"]
    Decision.objects.filter(pk=decision.pk).update(year=decision.year - 1)
    finding = the_finding("register")
    assert (finding["model"], finding["ids"]) == ("decision", [decision.pk])
    assert f"its number is in the register of {decision.year - 1}" in finding["explanation"]


def test_a_number_used_twice_in_a_register_is_found(decided):
    if connection.vendor != "postgresql":
        pytest.skip("drops the register's unique index inside the test's transaction (PostgreSQL DDL)")
    decision, revocation = decided["decision"], decided["revocation"]
    [constraint] = [c for c in Decision._meta.constraints if c.name == "decision_number_unique_in_register"]
    with connection.schema_editor() as editor:  # as a database restored without its constraints would be
        editor.remove_constraint(Decision, constraint)
    Decision.objects.filter(pk=revocation.pk).update(number=decision.number)
    finding = the_finding("register")
    assert (finding["model"], finding["ids"]) == ("decision", [decision.pk, revocation.pk])
    assert f"hold number 01/QĐ-CAT of {TODAY.year}" in finding["explanation"]


def test_a_draft_holding_a_number_is_found(org, decided):
    campaign, director = decided["decision"].campaign, org.actor("director")
    draft = decision_services.decision_draft(by=director, campaign=campaign, award_type=decided["decision"].award_type,
                                             nominations=[decided["waiting"]], signer="Nguyễn Văn Giám")  # fmt: skip
    assert found() == (0, [])
    Decision.objects.filter(pk=draft.pk).update(number=9)
    finding = the_finding("register")
    assert (finding["model"], finding["ids"]) == ("decision", [draft.pk])


# prize ------------------------------------------------------------------------------------------------------


def test_an_awardee_paid_apart_from_the_others_of_the_decision_is_found(decided):
    decision, person = decided["decision"], decided["people"][1]
    DecisionItem.objects.filter(decision=decision, nomination=person).update(prize_amount=1_000_000)
    finding = the_finding("prize")
    assert (finding["model"], finding["ids"]) == ("decision", [decision.pk])
    assert "individual awardees carry different amounts" in finding["explanation"]


def test_an_awardee_without_prize_money_is_found(decided):
    item = decided["decision"].items.get(nomination=decided["team"])
    DecisionItem.objects.filter(pk=item.pk).update(prize_amount=None)
    finding = the_finding("prize")
    assert (finding["model"], finding["ids"]) == ("decision item", [item.pk])


def test_a_revocation_asking_back_other_money_than_was_paid_is_found(decided):
    item = decided["revocation"].items.get()
    DecisionItem.objects.filter(pk=item.pk).update(prize_amount=item.prize_amount + 10_000)
    finding = the_finding("prize")
    assert (finding["model"], finding["ids"]) == ("decision item", [item.pk])
    assert f"asks back {item.prize_amount + 10_000:,} đồng" in finding["explanation"]


# file -------------------------------------------------------------------------------------------------------


def test_a_stored_file_whose_bytes_changed_is_found(decided, media):
    minutes = NominationFile.objects.get(dossier__nominations=decided["in_review"])
    (media / minutes.stored_path).write_bytes(b"%PDF-1.7 not what was signed")
    finding = the_finding("file")
    assert (finding["model"], finding["ids"]) == ("nomination file", [minutes.pk])
    assert f"{minutes.stored_path} now hashes to" in finding["explanation"]
    assert found("--no-files") == (0, [])  # what --no-files skips


def test_a_stored_file_gone_missing_is_found(decided):
    scan_path = decided["revocation"].scan_path
    default_storage.delete(scan_path)
    finding = the_finding("file")
    assert (finding["model"], finding["ids"]) == ("decision scan", [decided["revocation"].pk])
    assert "cannot be read" in finding["explanation"]


def test_the_file_check_reads_a_sample_when_asked(decided, media):
    files = list(NominationFile.objects.all())  # the minutes of each dossier, each stored under its own name
    assert len(files) > 2
    for file in files:
        (media / file.stored_path).write_bytes(b"changed")
    code, everything = found()
    assert code == 1 and sorted(f["ids"][0] for f in everything) == sorted(f.pk for f in files)
    assert found("--files-sample", "0") == (0, [])
    code, some = found("--files-sample", "1")
    assert len(some) <= 1


# audit ------------------------------------------------------------------------------------------------------


def test_a_move_recorded_without_its_audit_row_is_found(org, decided):
    in_review = decided["in_review"]
    NominationAction.objects.create(  # a step record written straight to its table: no audit row with it
        nomination=in_review, step=Step.POLICE_APPRAISAL, outcome=Outcome.RETURNED, comment="Bổ sung",
        unit=org.units["police"], actor=org.users["police"], at=timezone.now(),
    )  # fmt: skip
    finding = the_finding("audit")
    assert (finding["model"], finding["ids"]) == ("nomination", [in_review.pk])
    assert "police_appraisal → returned" in finding["explanation"]


def test_a_last_move_dated_after_its_audit_row_is_found(decided):
    returned = decided["returned"]
    last = returned.actions.order_by("-at", "-pk").first()
    NominationAction.objects.filter(pk=last.pk).update(at=timezone.now() + dt.timedelta(days=1))
    finding = the_finding("audit")
    assert (finding["model"], finding["ids"]) == ("nomination", [returned.pk])
    assert f"step record #{last.pk}" in finding["explanation"]


def test_an_award_the_decisions_audit_row_does_not_list_is_found(decided):
    """An awarded nomination moved into another issued decision by a raw update: the row that issued it lists
    other nominations (and its money is that decision's)."""
    person, waiting = decided["people"][0], decided["waiting"]
    item = decided["decision"].items.get(nomination=person)
    Nomination.objects.filter(pk=waiting.pk).update(status=NominationStatus.AWARDED)
    Nomination.objects.filter(pk=person.pk).update(status=NominationStatus.AWAITING_DECISION)
    DecisionItem.objects.filter(pk=item.pk).update(nomination=waiting)
    findings = {(f["invariant"], tuple(f["ids"])) for f in found()[1]}
    assert ("audit", (waiting.pk,)) in findings


@pytest.mark.parametrize("which", ["team", "revoked"])
def test_a_decided_nomination_cannot_be_withdrawn_behind_its_decision(org, decided, which):
    """Found by these checks: the unit head could withdraw an awarded (or revoked) nomination, which became
    'withdrawn' while its issued decision still awarded it (permissions.may_withdraw refuses it now)."""
    nomination = decided[which]
    status = Nomination.objects.get(pk=nomination.pk).status
    with contextlib.suppress(PermissionDenied, ValidationError):  # refused: the decision stands
        svc.nomination_withdraw(by=org.actor("head_a"), nomination=nomination, reason="Chuyển công tác")
    assert Nomination.objects.get(pk=nomination.pk).status == status
    assert integrity_findings(files=False) == []


def test_the_checks_are_a_few_queries_whatever_the_size(org, decided, django_assert_num_queries):
    """Set-based: the same number of queries for 13 nominations as for 26 (and for 100,000: docs/integrity.md)."""
    with django_assert_num_queries(16):
        assert integrity_findings(files=False) == []
    campaign, tier = decided["decision"].campaign, decided["decision"].award_type
    more = [nominate(org, campaign, tier, name=f"Người Thứ {n}", id_number="") for n in range(13)]
    send(org, campaign, tier, more[:6])
    with django_assert_num_queries(16):
        assert integrity_findings(files=False) == []


# the full demo ------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_full_demo_walked_through_its_main_journeys_has_no_finding(media, django_capture_on_commit_callbacks):
    from awards.demo.campaigns import _actor
    from awards.models import AwardType, Campaign, DecisionKind, DecisionStatus, DocumentStatus, GeneratedDocument
    from awards.selectors.decisions import decision_candidates
    from tests.test_nominations import PERSON, minutes

    with django_capture_on_commit_callbacks(execute=True):  # the documents are built, as after the seed commits
        call_command("seed_demo", "--full", stdout=io.StringIO())
    assert GeneratedDocument.objects.filter(status=DocumentStatus.READY).count() > 10  # files the check reads
    code, out = check()
    assert code == 0, out
    campaign = Campaign.objects.get(plan_number="181", plan_symbol="KH-UBND")
    giay_khen, bang_khen = AwardType.objects.get(code="GK-CAT"), AwardType.objects.get(code="BK-UBND")
    officer, head = _actor("canbo.tinnghia"), _actor("thutruong.tinnghia")
    police, director, leader = _actor("congan.canbo"), _actor("congan.giamdoc"), _actor("ubnd.lanhdao")

    # Tín Nghĩa nominates one more, hands its draft on and sends both in a dossier.
    new = svc.nomination_create(by=officer, campaign=campaign, award_type=giay_khen, kind=NomineeKind.INDIVIDUAL,
                                **{**PERSON, "name": "Trương Văn Mười", "id_number": "",
                                   "workplace": "Tổng Công ty Tín Nghĩa"})  # fmt: skip
    [drafted] = Nomination.objects.filter(campaign=campaign, unit=officer.unit, award_type=giay_khen,
                                          step=Step.PREPARE, status=NominationStatus.DRAFT).exclude(pk=new.pk)  # fmt: skip
    for nomination in (new, drafted):
        svc.nomination_prepared(by=officer, nomination=nomination)
    svc.dossier_submit(by=head, campaign=campaign, award_type=giay_khen, nominations=[new, drafted],
                       number="40/TTr-TCT", date=TODAY, signer="Võ Minh Khang", council_members=7, council_present=7,
                       votes_for=7, minutes=minutes())  # fmt: skip
    # The police appraise them (one returned, the rest to the director with the office's tờ trình).
    at_police = list(Nomination.objects.filter(campaign=campaign, award_type=giay_khen, step=Step.POLICE_APPRAISAL,
                                               status=NominationStatus.IN_REVIEW).exclude(pk=drafted.pk))  # fmt: skip
    svc.nomination_act(by=police, nomination=drafted, step=Step.POLICE_APPRAISAL, outcome=Outcome.RETURNED,
                       comment="Bổ sung xác nhận")  # fmt: skip
    svc.handoff_send(by=police, nominations=at_police, number="130/TTr-PV01", date=TODAY, signer="Đỗ Minh Khoa",
                     signer_title="Trưởng phòng Tham mưu")  # fmt: skip
    # The director approves them; the provincial leader approves what waits for him.
    for nomination in Nomination.objects.filter(campaign=campaign, step=Step.DIRECTOR_APPROVAL,
                                                status=NominationStatus.IN_REVIEW):  # fmt: skip
        svc.nomination_act(by=director, nomination=nomination, step=Step.DIRECTOR_APPROVAL, outcome=Outcome.APPROVED)
    for nomination in Nomination.objects.filter(campaign=campaign, step=Step.LEADER_APPROVAL,
                                                status=NominationStatus.IN_REVIEW):  # fmt: skip
        svc.nomination_act(by=leader, nomination=nomination, step=Step.LEADER_APPROVAL, outcome=Outcome.APPROVED)
    # Each decides what awaits: a draft, issued with the next number of its register.
    for decider, tier in ((director, giay_khen), (leader, bang_khen)):
        waiting = list(decision_candidates(campaign=campaign, award_type=tier))
        assert waiting, tier
        draft = decision_services.decision_draft(by=decider, campaign=campaign, award_type=tier, nominations=waiting,
                                                 signer="Người Ký", signer_title="Giám đốc")  # fmt: skip
        number = decision_services.decision_next_number(issuer_id=draft.issuer_id, symbol=draft.symbol, year=TODAY.year)
        decision_services.decision_issue(by=decider, decision=draft, number=number, date=TODAY, scan=scan())
    # The director revokes one award of the demo's 2024 Giấy khen decision by a new decision.
    earlier = Decision.objects.get(campaign=campaign, award_type=giay_khen, kind=DecisionKind.AWARD, date__year=2024)
    revocation = decision_services.decision_revoke(by=director, decision=earlier, items=[earlier.items.first()],
                                                   reason="Khai man thành tích", signer="Huỳnh Văn Tài")  # fmt: skip
    number = decision_services.decision_next_number(issuer_id=revocation.issuer_id, symbol=revocation.symbol,
                                                    year=TODAY.year)  # fmt: skip
    decision_services.decision_issue(by=director, decision=revocation, number=number, date=TODAY, scan=scan())
    assert Decision.objects.filter(status=DecisionStatus.ISSUED).count() == 6
    assert Nomination.objects.filter(status=NominationStatus.REVOKED).count() == 1

    code, out = check()
    assert code == 0, out
