"""seed_scale (docs/scale.md): a small build is consistent with the services' rules, and its clones are real
nominations the services act on.

The first tests build a small world (60 units, 2,000 nominations) inside their own test transaction. The
later ones use `scale_world` (tests/scale.py): 10,000 nominations built once per test worker, copied into a
transaction that spans this module and is rolled back after it, so no other test sees those rows. The
world tests come last: the small build refuses to run on a database that already holds a world.
"""

import io

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from awards.demo.nominations import one_page_pdf
from awards.demo.scale import PREFIX, ROUTE_PATHS, ScaleRefused, build_scale, scale_problems
from awards.models import (
    ROUTE_STEPS,
    AuditEvent,
    Campaign,
    Decision,
    DocumentStatus,
    Dossier,
    HandOff,
    Nomination,
    NominationStatus,
    NomineeKind,
    Outcome,
    Report,
    Step,
    Unit,
)
from awards.selectors.nominations import nomination_inbox
from awards.services import decisions as decision_services
from awards.services import documents
from awards.services import nominations as svc
from tests.scale import SIZE, ScaleWorld, scale_snapshot, scale_world  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="seed_scale is PostgreSQL only",
    ),
]
OPEN = (NominationStatus.DRAFT, NominationStatus.IN_REVIEW, NominationStatus.RETURNED)


def open_step(nomination: Nomination) -> str:
    task = Task.objects.get(process__nominationprocess__nomination=nomination, status=STATUS.NEW)
    return task.flow_task.name


def test_seed_scale_refuses_other_databases(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="PostgreSQL only"):
        call_command("seed_scale", stdout=io.StringIO())


def test_a_small_build_is_consistent_with_the_services_rules(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    counts = build_scale(units=60, nominations=2_000, audit_events=20_000, seed=3, stdout=out)
    assert Unit.objects.filter(code__startswith=PREFIX).count() == counts["units"] == 60
    assert Nomination.objects.count() == counts["nominations"] == 2_000
    assert AuditEvent.objects.count() == 20_000  # the rows of the nominations and reports, topped up
    assert "  nominations: " in out.getvalue()  # the phases' times are printed
    assert scale_problems(sample=10_000) == []

    # Ten years of campaigns besides the demo's two, each with nominations; the oldest ones all decided.
    years = sorted(Campaign.objects.values_list("plan_date__year", flat=True))
    assert len(years) == 12 and sorted(set(years)) == list(range(2016, 2027))  # 2024 twice: Plan 181 too
    old = Nomination.objects.filter(campaign__plan_date__year__lte=2023)
    assert old.exists() and not old.filter(status__in=OPEN).exists()

    # Every step of every route holds nominations, and every status but a revoked award.
    for route in ROUTE_PATHS:
        steps = set(Nomination.objects.filter(award_type__route=route).values_list("step", flat=True))
        assert steps == set(ROUTE_STEPS[route]), route
    statuses = set(Nomination.objects.values_list("status", flat=True))
    assert statuses == set(NominationStatus.values) - {NominationStatus.REVOKED}
    kinds = set(Nomination.objects.values_list("kind", flat=True))
    assert kinds == {NomineeKind.COLLECTIVE, NomineeKind.INDIVIDUAL}

    # The keys are those save() computes; a holder is the unit at its own steps, the agency at the others.
    for nomination in Nomination.objects.order_by("?")[:300]:
        before = (nomination.name_key, nomination.sort_key)
        nomination.save()
        nomination.refresh_from_db()
        assert (nomination.name_key, nomination.sort_key) == before, nomination.pk
    for nomination in Nomination.objects.filter(status__in=OPEN).select_related("award_type")[:300]:
        assert open_step(nomination) == nomination.step
        expected = svc.step_holder(nomination, nomination.step)
        assert nomination.holder_id == expected.pk

    # Everything sent up cites its unit's report, accepted before the dossier went (the demo's own nominations,
    # made first, cite reports the demo accepts "now": they are left out).
    first = Nomination.objects.filter(unit__code=f"{PREFIX}CT-0001").order_by("pk").first().pk
    sent = Nomination.objects.filter(dossier__isnull=False, pk__gte=first).select_related("evidence_version", "dossier")
    assert sent.exists()
    for nomination in sent[:500]:
        assert nomination.evidence_version.reviewed_at < nomination.dossier.submitted_at
    assert Report.objects.filter(status="accepted").count() > 50
    assert Dossier.objects.exists() and HandOff.objects.exists() and Decision.objects.filter(status="issued").exists()

    # The personas' work lists are full.
    for username in ("congan.canbo", "congan.giamdoc", "noivu.canbo", "ubnd.lanhdao"):
        assert nomination_inbox(actor=ScaleWorld.actor(username)).count() > 10, username

    with pytest.raises(ScaleRefused, match="already run"):
        build_scale(units=60, nominations=2_000, audit_events=5_000)


# The 10,000-nomination world (tests/scale.py) ------------------------------------------------------------


@pytest.mark.usefixtures("scale_world")
def test_the_world_is_built_once_and_consistent(db):
    assert Nomination.objects.count() == SIZE["nominations"]
    assert Unit.objects.filter(code__startswith=PREFIX).count() == SIZE["units"]
    assert AuditEvent.objects.count() == SIZE["audit_events"]
    assert scale_problems(sample=500) == []


@pytest.mark.usefixtures("scale_world")
def test_a_cloned_nomination_goes_on_through_the_services(db):
    current = Campaign.objects.order_by("-plan_date").first()
    waiting = Nomination.objects.filter(
        campaign=current,
        award_type__route="chairman",
        step=Step.POLICE_APPRAISAL,
        status=NominationStatus.IN_REVIEW,
        assignee__isnull=True,
        unit__code__startswith=PREFIX,
    ).exclude(unit__code=f"{PREFIX}CT-0001")  # fmt: skip  (not a template)
    nomination = waiting.first()
    police = ScaleWorld.actor("congan.canbo")
    handoff = svc.handoff_send(by=police, nominations=[nomination], number="901/TTr-CAT-PV01", date=timezone.localdate(),
                               signer="Lý Văn Phúc", signer_title="Phó Giám đốc", step=Step.POLICE_APPRAISAL)  # fmt: skip
    nomination.refresh_from_db()
    assert (nomination.step, nomination.status, nomination.holder.code) == (
        Step.HOME_AFFAIRS_APPRAISAL,
        NominationStatus.IN_REVIEW,
        "SNV-DN",
    )
    assert open_step(nomination) == Step.HOME_AFFAIRS_APPRAISAL
    assert list(handoff.nominations.all()) == [nomination]

    approving = Nomination.objects.filter(
        award_type__route="director", step=Step.DIRECTOR_APPROVAL, status=NominationStatus.IN_REVIEW,
        assignee__isnull=True,
    ).exclude(unit__code=f"{PREFIX}CT-0001").first()  # fmt: skip
    svc.nomination_act(by=ScaleWorld.actor("congan.giamdoc"), nomination=approving, step=Step.DIRECTOR_APPROVAL,
                       outcome=Outcome.APPROVED)  # fmt: skip
    approving.refresh_from_db()
    assert (approving.step, approving.status) == (Step.AWAITING_DECISION, NominationStatus.AWAITING_DECISION)
    assert open_step(approving) == Step.AWAITING_DECISION

    # A unit's own officer (an account seed_scale made) hands a draft to the head.
    draft = Nomination.objects.filter(step=Step.PREPARE, status=NominationStatus.DRAFT,
                                      unit__code__startswith=PREFIX).select_related("unit").first()  # fmt: skip
    officer = ScaleWorld.actor(draft.created_by.username)
    assert officer.unit == draft.unit
    svc.nomination_prepared(by=officer, nomination=draft)
    draft.refresh_from_db()
    assert (draft.step, open_step(draft)) == (Step.SUBMIT, Step.SUBMIT)
    assert scale_problems(sample=100) == []


@pytest.mark.usefixtures("scale_world")
def test_a_cloned_nomination_awaiting_the_chairman_is_awarded(db):
    """The decision service checks the hand-off that proposed it: the clones' links are real."""
    current = Campaign.objects.order_by("-plan_date").first()
    nomination = Nomination.objects.filter(
        campaign=current, award_type__route="chairman", status=NominationStatus.AWAITING_DECISION
    ).exclude(unit__code=f"{PREFIX}CT-0001").first()  # fmt: skip
    leader = ScaleWorld.actor("ubnd.lanhdao")
    draft = decision_services.decision_draft(by=leader, campaign=current, award_type=nomination.award_type,
                                             nominations=[nomination], signer="Ngô Thanh Sơn",
                                             signer_title="Phó Chủ tịch", authority="KT.")  # fmt: skip
    today = timezone.localdate()
    number = decision_services.decision_next_number(issuer_id=draft.issuer_id, symbol=draft.symbol, year=today.year)
    scan = SimpleUploadedFile("qd.pdf", one_page_pdf([("QUYẾT ĐỊNH", True)], title="QĐ"), "application/pdf")
    decision_services.decision_issue(by=leader, decision=draft, number=number, date=today, scan=scan)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.AWARDED
    assert not Task.objects.filter(process__nominationprocess__nomination=nomination, status=STATUS.NEW).exists()

    # A cloned decision's files are not built, and say so; asking for them again queues all six.
    cloned = Decision.objects.filter(award_type__route="chairman", status="issued").exclude(pk=draft.pk).first()
    assert set(cloned.documents.values_list("status", flat=True)) == {DocumentStatus.FAILED}
    assert len(documents.documents_request(decision=cloned)) == cloned.documents.count() == 6


@pytest.mark.usefixtures("scale_world")
def test_the_police_inbox_page_costs_the_same_queries_on_the_world(db):
    police = ScaleWorld.actor("congan.canbo")
    inbox = nomination_inbox(actor=police)
    with CaptureQueriesContext(connection) as queries:
        page = list(inbox[:50])
        total = inbox.count()
    assert len(page) == 50 and total > 500
    assert len(queries) == 2
