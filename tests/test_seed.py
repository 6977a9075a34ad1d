import io

import pytest
from django.core.management import call_command
from django.test import Client

from awards.models import (
    ROUTE_STEPS,
    AuditEvent,
    AwardStep,
    AwardType,
    Campaign,
    Dossier,
    HandOff,
    Membership,
    Nomination,
    NominationAction,
    NominationFile,
    NominationStatus,
    Role,
    Step,
    Unit,
    UnitKind,
    UnitLineage,
    User,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the demo dossiers' minutes are real uploads


DISTRICTS = {
    "Biên Hòa", "Long Khánh", "Nhơn Trạch", "Long Thành", "Trảng Bom", "Thống Nhất", "Cẩm Mỹ",
    "Xuân Lộc", "Định Quán", "Tân Phú", "Vĩnh Cửu",
}  # fmt: skip


def counts():
    models = (Unit, UnitLineage, User, Membership, AuditEvent, Nomination, NominationAction, NominationFile, Dossier,
              HandOff)  # fmt: skip
    return tuple(m.objects.count() for m in models)


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_loads_dong_nai_2024_and_one_account_per_role(settings):
    output = seed()
    districts = Unit.objects.filter(kind=UnitKind.DISTRICT_COMMITTEE)
    names = {
        d.name.removeprefix("Ủy ban nhân dân ").removeprefix("thành phố ").removeprefix("huyện ") for d in districts
    }
    assert names == DISTRICTS
    for district in districts:
        assert district.children.filter(kind=UnitKind.COMMUNE_COMMITTEE).count() >= 3
    for kind in UnitKind.values:
        assert Unit.objects.filter(kind=kind).exists(), kind
    assert Unit.objects.get(code="CA-DN").parent.code == "UBND-DN"
    roles = set(Membership.objects.filter(acting_for__isnull=True).values_list("role", flat=True))
    assert roles == set(Role.values)
    assert Membership.objects.filter(acting_for__isnull=False).count() == 1
    assert settings.DEMO_PASSWORD in output
    assert User.objects.get(username="canbo.bienhoa").check_password(settings.DEMO_PASSWORD)


def test_seed_demo_twice_changes_nothing():
    seed()
    before = counts()
    output = seed()
    assert counts() == before
    assert "0 units, 0 accounts, 0 campaigns, 0 award tiers, 0 nominations and 0 decisions created" in output


def test_both_demo_campaigns_offer_the_three_award_tiers():
    seed()
    for campaign in Campaign.objects.all():
        assert [a.code for a in campaign.award_types.order_by("position")] == ["BK-BCA", "BK-UBND", "GK-CAT"]
    chairman = AwardType.objects.get(code="BK-UBND")
    rules = {r.step: (r.role, r.unit.code if r.unit else None) for r in chairman.step_rules.all()}
    assert rules["home_affairs_appraisal"] == ("home_affairs_reviewer", "SNV-DN")
    assert rules["leader_approval"] == ("provincial_leader", "UBND-DN")
    assert rules["prepare"] == ("unit_officer", None)


def test_seed_demo_on_a_database_with_existing_units_makes_no_duplicates():
    Unit.objects.create(code="UBND-BH", name="Ủy ban nhân dân thành phố Biên Hòa", kind=UnitKind.DISTRICT_COMMITTEE)
    seed()
    assert Unit.objects.filter(code="UBND-BH").count() == 1
    assert Unit.objects.filter(name="Ủy ban nhân dân thành phố Biên Hòa").count() == 1


def test_seeded_2025_mergers_keep_the_old_departments_with_their_successors():
    seed()
    old = Unit.objects.get(code="SKHDT-DN")
    assert old.valid_to.isoformat() == "2025-02-28"
    assert old.successor_links.get().successor.code == "STC-DN"


def test_every_demo_persona_logs_in_and_sees_its_unit_and_role_in_vietnamese(settings):
    from django.utils import timezone

    seed()
    today = Membership.objects.valid_on(timezone.localdate())  # a persona moved in 2025 has an ended role too
    for membership in today.select_related("user", "unit"):
        browser = Client()
        response = browser.post(
            "/accounts/login/", {"username": membership.user.username, "password": settings.DEMO_PASSWORD}
        )
        assert response.status_code == 302, membership.user.username
        page = browser.get("/").content.decode()
        assert f"Xin chào, {membership.user.full_name}" in page
        assert f"{membership.get_role_display()} · {membership.unit.name}" in page
        assert "Trang chủ" in page and "Nhật ký hoạt động" in page
        if membership.acting_for_id:
            assert f"Làm thay {membership.acting_for.user.full_name}" in page
        if membership.role == Role.ADMINISTRATOR:
            assert 'href="/admin/"' in page
        else:
            assert 'href="/admin/"' not in page


def test_the_demo_has_plan_181_in_every_state_and_a_live_current_campaign():
    from django.utils import timezone

    from awards.models import Campaign, Report

    seed()
    plan = Campaign.objects.get(plan_number="181", plan_symbol="KH-UBND")
    assert timezone.localtime(plan.report_deadline).isoformat() == "2024-06-30T00:00:00+07:00"
    states = {(r.unit.code, r.status, r.late_days) for r in Report.objects.filter(campaign=plan).select_related("unit")}
    assert ("UBND-BH", "accepted", 0) in states
    assert ("DN-TINNGHIA", "accepted", 4) in states  # accepted, but submitted late
    assert ("SGDDT-DN", "returned", 0) in states
    assert ("UBND-NT", "submitted", 6) in states
    assert ("LDLD-DN", "draft", None) in states  # never submitted
    current = Campaign.objects.exclude(pk=plan.pk).get()
    assert current.report_deadline > timezone.now()
    assert current.outline.based_on == plan.outline and current.outline.version == 2
    assert {r.status for r in Report.objects.filter(campaign=current)} == {"draft", "submitted", "returned", "accepted"}


def plan_181() -> Campaign:
    return Campaign.objects.get(plan_number="181", plan_symbol="KH-UBND")


def test_the_demo_nominations_fill_every_step_of_every_route():
    output = seed()
    assert f"{Nomination.objects.count()} nominations and 0 decisions created" in output
    plan = plan_181()
    for tier in AwardType.objects.all():
        live = Nomination.objects.filter(campaign=plan, award_type=tier).exclude(
            status__in=(NominationStatus.REJECTED, NominationStatus.WITHDRAWN)
        )
        for step in ROUTE_STEPS[tier.route]:
            assert live.filter(step=step).exclude(status=NominationStatus.RETURNED).exists(), (tier.code, step)
        waiting = live.filter(step=Step.AWAITING_DECISION)
        assert {n.status for n in waiting} == {NominationStatus.AWAITING_DECISION}
        # several collectives and individuals of several units, so a decision's order and totals show
        assert {n.kind for n in waiting} == {"collective", "individual"}, tier.code
        assert len({n.unit_id for n in waiting}) >= 2 and waiting.count() >= 3, tier.code
        assert live.filter(step=Step.PREPARE, dossier__isnull=True).exists()  # a draft the officer still keeps
        assert live.filter(step=Step.SUBMIT, dossier__isnull=True).exists()  # handed to the head, not yet sent
    # the current campaign's only nomination: the commune's, sent straight to the police
    commune = Nomination.objects.exclude(campaign=plan).get()
    assert (commune.unit.code, commune.step, commune.holder.code) == ("UBND-X-BINHAN", Step.POLICE_APPRAISAL, "CA-DN")
    kinds = set(Nomination.objects.values_list("kind", flat=True))
    assert kinds == {"collective", "individual"}
    assert Nomination.objects.filter(kind="collective", women_percent__gte=70).exists()


def test_the_demo_has_returned_rejected_and_withdrawn_nominations():
    seed()
    police, home_affairs = Unit.objects.get(code="CA-DN"), Unit.objects.get(code="SNV-DN")
    to_unit = Nomination.objects.get(status=NominationStatus.RETURNED, step=Step.PREPARE)
    assert to_unit.holder == to_unit.unit and to_unit.dossier is not None
    returned = to_unit.actions.get(outcome="returned")
    assert (returned.step, returned.unit, returned.actor.username) == ("police_appraisal", police, "congan.canbo")
    assert returned.comment
    between = Nomination.objects.get(status=NominationStatus.RETURNED, step=Step.POLICE_APPRAISAL)
    assert between.holder == police
    returned = between.actions.get(outcome="returned")
    assert (returned.step, returned.unit) == ("home_affairs_appraisal", home_affairs) and returned.comment
    rejected = Nomination.objects.get(status=NominationStatus.REJECTED)
    assert rejected.actions.get(outcome="rejected").comment
    withdrawn = Nomination.objects.get(status=NominationStatus.WITHDRAWN)
    assert withdrawn.dossier is not None and withdrawn.actions.get(outcome="withdrawn").comment


def test_every_agency_persona_finds_nominations_at_a_step_of_its_role():
    from awards.demo.campaigns import _actor
    from awards.permissions import may_act

    seed()
    for username in ("congan.canbo", "congan.giamdoc", "noivu.canbo", "ubnd.lanhdao"):
        actor = _actor(username)
        rules = AwardStep.objects.filter(role=actor.role).values_list("award_type", "step")
        work = [
            n
            for n in Nomination.objects.filter(
                holder=actor.unit, status__in=(NominationStatus.IN_REVIEW, NominationStatus.RETURNED)
            )
            if (n.award_type_id, n.step) in set(rules)
        ]
        assert work, username
        assert all(may_act(actor, n) for n in work), username
    head = _actor("thutruong.tinnghia")
    assert Nomination.objects.filter(holder=head.unit, step=Step.SUBMIT, dossier__isnull=True).exists()
    officer = _actor("canbo.bienhoa")
    assert Nomination.objects.filter(holder=officer.unit, step=Step.PREPARE, status=NominationStatus.DRAFT).exists()
    assert Nomination.objects.filter(holder__code="BCA", step=Step.AWAITING_DECISION).exists()  # the Ministry waits


def test_demo_nominations_cite_accepted_reports_and_their_dossiers_are_complete():
    from awards.identity import check_id_number

    seed()
    for nomination in Nomination.objects.select_related("evidence_report"):
        assert nomination.evidence_report.status == "accepted", nomination.name
        assert nomination.evidence_version_id == nomination.evidence_report.accepted_version_id
        if nomination.kind == "individual":
            assert len(nomination.id_number) == 12
            check_id_number(number=nomination.id_number, gender=nomination.gender, birth_date=nomination.birth_date)
    for dossier in Dossier.objects.filter(campaign=plan_181()):
        assert (dossier.council_members, dossier.council_present, dossier.votes_for) == (7, 6, 6)
        assert dossier.date.strftime("%Y-%m") == "2024-07" and "/TTr-" in dossier.number
        minutes = dossier.files.get()
        assert minutes.kind == "minutes" and minutes.content_type == "application/pdf"
    assert set(HandOff.objects.values_list("number", flat=True)) == {
        "121/TTr-PV01", "112/TTr-CAT-PV01", "115/TTr-CAT-PV01", "45/TTr-SNV", "120/TTr-CAT-PV01",
    }  # fmt: skip


def test_seed_demo_full_issues_the_demo_decisions_with_every_file_stored(
    settings, tmp_path, reference_data, django_capture_on_commit_callbacks
):
    from awards.models import Decision, DecisionStatus, DocumentStatus, GeneratedDocument, NominationStatus

    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):  # the files are built once the seed commits
        out = io.StringIO()
        call_command("seed_demo", "--full", stdout=out)
    assert "3 decisions created" in out.getvalue()
    decisions = {d.award_type.code: d for d in Decision.objects.select_related("award_type")}
    assert {code: (d.reference, d.status) for code, d in decisions.items()} == {
        "GK-CAT": ("01/QĐ-CAT", DecisionStatus.ISSUED), "BK-UBND": ("01/QĐ-UBND", DecisionStatus.ISSUED),
        "BK-BCA": ("1432/QĐ-BCA", DecisionStatus.ISSUED)}  # fmt: skip
    assert not Nomination.objects.filter(status=NominationStatus.AWAITING_DECISION).exists()
    for code in ("GK-CAT", "BK-UBND"):
        kinds = set(decisions[code].documents.filter(status=DocumentStatus.READY).values_list("kind", flat=True))
        assert kinds == {"decision_docx", "decision_pdf", "list_docx", "list_pdf", "list_xlsx", "certificates_pdf"}
    documents = GeneratedDocument.objects.all()
    assert documents.exists() and all((tmp_path / d.path).is_file() for d in documents)
    assert documents.filter(handoff__isnull=False).count() == 3 * HandOff.objects.count()
    assert decisions["BK-BCA"].scan_path and not decisions["BK-BCA"].documents.exists()
    again = io.StringIO()
    call_command("seed_demo", "--full", stdout=again)
    assert "0 decisions created" in again.getvalue() and Decision.objects.count() == 3


def test_the_demo_records_the_2025_reorganisation_through_the_service():
    import datetime as dt

    from awards.models import Reorganisation, ReorganisationStatus
    from awards.reference import dong_nai_2025 as nq

    seed()
    communes, provinces = Reorganisation.objects.order_by("pk")
    assert (communes.title, communes.effective_on, communes.status) == (
        "Sắp xếp đơn vị hành chính cấp xã năm 2025", dt.date(2025, 7, 1), ReorganisationStatus.APPLIED)  # fmt: skip
    assert "1662/NQ-UBTVQH15" in communes.legal_basis and nq.SOURCE_COMMIT in communes.source
    assert "202/2025/QH15" in provinces.legal_basis and provinces.status == ReorganisationStatus.APPLIED
    after = dt.date(2025, 7, 1)
    # the structure after 01/7/2025: no district, the 95 units of the resolution directly under the province
    assert not Unit.objects.valid_on(after).filter(kind=UnitKind.DISTRICT_COMMITTEE).exists()
    communes_now = Unit.objects.valid_on(after).filter(kind=UnitKind.COMMUNE_COMMITTEE)
    assert communes_now.count() == 95 and set(communes_now.values_list("parent__code", flat=True)) == {"UBND-DN"}
    assert set(communes_now.values_list("name", flat=True)) == {u.name for u in nq.NEW_COMMUNES}
    # the 2024 structure is unchanged on 2024 dates: 11 districts, their communes placed under them
    before = dt.date(2024, 6, 14)
    assert Unit.objects.valid_on(before).filter(kind=UnitKind.DISTRICT_COMMITTEE).count() == 11
    thanh_son = Unit.objects.get(code="UBND-DQ-THANHSON")  # kept by the resolution: the same unit, moved up
    assert (thanh_son.parent.code, thanh_son.parent_id_on(before)) == ("UBND-DN", Unit.objects.get(code="UBND-DQ").pk)
    # lineage: a commune into its new unit, a district split with its open files to its seat's successor
    assert Unit.objects.get(code="UBND-BH-TANPHONG").successor_links.get().successor.name == (
        "Ủy ban nhân dân phường Tân Triều"
    )
    bien_hoa = Unit.objects.get(code="UBND-BH")
    assert bien_hoa.valid_to == dt.date(2025, 6, 30)
    assert {link.kind for link in bien_hoa.successor_links.all()} == {"split"}
    assert "UBND-P-TRANBIEN" in {link.successor.code for link in bien_hoa.successor_links.all()}
    xuan_tam = Unit.objects.get(code="UBND-XL-XUANTAM")
    assert {link.successor.name for link in xuan_tam.successor_links.all()} == {
        "Ủy ban nhân dân xã Xuân Đông", "Ủy ban nhân dân xã Xuân Hòa"}  # fmt: skip
    # Bình Phước's committee and police merged into Đồng Nai's
    for old, new in (("UBND-BP", "UBND-DN"), ("CA-BP", "CA-DN")):
        unit = Unit.objects.get(code=old)
        assert unit.valid_to == dt.date(2025, 6, 30) and unit.successor_links.get().successor.code == new


def test_the_moved_personas_work_for_their_wards_and_the_current_campaign_has_no_district():
    from django.utils import timezone

    from awards.demo.campaigns import _actor
    from awards.models import Report
    from awards.permissions.reports import report_reviewer_id

    seed()
    today = timezone.localdate()
    for username, ward in (
        ("canbo.bienhoa", "Ủy ban nhân dân phường Trấn Biên"), ("thutruong.bienhoa", "Ủy ban nhân dân phường Trấn Biên"),
        ("canbo.longkhanh", "Ủy ban nhân dân phường Long Khánh"),
        ("thutruong.longkhanh", "Ủy ban nhân dân phường Long Khánh"),
    ):  # fmt: skip
        roles = Membership.objects.filter(user__username=username).order_by("pk")
        old, new = roles
        assert old.valid_to.isoformat() == "2025-06-30" and old.unit.kind == UnitKind.DISTRICT_COMMITTEE
        assert (new.valid_from.isoformat(), new.unit.name, new.role) == ("2025-07-01", ward, old.role)
        assert _actor(username).unit.name == ward
    assert _actor("thutruong.bienhoa").membership.title == "Phó Chủ tịch UBND phường"
    plan = plan_181()
    current = Campaign.objects.exclude(pk=plan.pk).get()
    assert current.reference_date > timezone.datetime(2025, 7, 1).date() and current.communes_report
    participants = current.participants()
    assert not participants.filter(kind=UnitKind.DISTRICT_COMMITTEE).exists()
    assert participants.filter(kind=UnitKind.COMMUNE_COMMITTEE).count() == 95
    assert participants.filter(code__in=["SGDDT-DN", "LDLD-DN", "DN-TINNGHIA", "NH-AGRIBANK-DN"]).count() == 4
    police = Unit.objects.get(code="CA-DN")
    for report in Report.objects.filter(campaign=current).select_related("unit"):
        assert report.unit.is_valid_on(current.reference_date), report.unit.code
        assert report.reviewer_id == police.pk == report_reviewer_id(current, report.unit)
    commune = Report.objects.get(campaign=current, unit__code="UBND-X-BINHAN")
    assert commune.status == "accepted"
    assert _actor("canbo.xabinhan").unit == commune.unit and _actor("thutruong.xabinhan").role == Role.UNIT_HEAD
    # Plan 181 keeps its 2024 participants: the district committees, no commune
    assert plan.participants().filter(kind=UnitKind.DISTRICT_COMMITTEE).count() == 11
    assert today > plan.reference_date
