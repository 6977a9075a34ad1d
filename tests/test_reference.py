"""`seed_reference`: what a real installation loads — the bodies Plan 181 names, legal bases, base salaries,
Plan 181's outline and the standard tiers — with no demo and no accounts; an administrator then works."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from awards.models import (
    AwardType,
    BaseSalary,
    Campaign,
    LegalBasis,
    Membership,
    NomineeKind,
    ReportOutline,
    Role,
    Route,
    Step,
    Unit,
    User,
)
from awards.reference import bodies, outline_181
from awards.reference.legal_bases import LEGAL_BASES
from awards.reference.salaries import BASE_SALARIES
from awards.selectors.prizes import prize_money
from tests.conftest import PASSWORD
from tests.test_campaign_admin import campaign_form

pytestmark = pytest.mark.django_db


def seed_reference(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_reference", *args, stdout=out)
    return out.getvalue()


def test_seed_reference_on_an_empty_database_loads_the_reference_and_no_account(reference_data):
    output = seed_reference()
    assert f"4 bodies, {len(LEGAL_BASES)} legal bases" in output
    assert not User.objects.exists() and not Membership.objects.exists()
    assert set(Unit.objects.values_list("code", "kind")) == {(code, kind) for code, _n, kind, *_ in bodies.BODIES}
    assert Unit.objects.get(code="CA-DN").name == "Công an tỉnh Đồng Nai"
    assert set(LegalBasis.objects.values_list("number", flat=True)) == set(LEGAL_BASES)
    assert set(BaseSalary.objects.values_list("amount", "in_force_from")) >= {(a, d) for a, d, *_ in BASE_SALARIES}
    outline = ReportOutline.objects.get(code=outline_181.CODE)
    assert outline.items.count() == len(outline_181.ITEMS)
    deciders = {
        t.code: (t.route, t.step_rules.get(step=Step.AWAITING_DECISION).unit.code)
        for t in AwardType.objects.prefetch_related("step_rules")
    }
    assert deciders == {"BK-BCA": (Route.MINISTRY, "BCA"), "BK-UBND": (Route.CHAIRMAN, "UBND-DN"),
                        "GK-CAT": (Route.DIRECTOR, "CA-DN")}  # fmt: skip
    giay_khen = AwardType.objects.get(code="GK-CAT")
    # 0.3 × 2,340,000 = 702,000, rounded up to 710,000 (a decision dated in 2025)
    assert prize_money(award_type=giay_khen, kind=NomineeKind.INDIVIDUAL, day=dt.date(2025, 3, 3)) == 710_000


def test_seed_reference_twice_changes_nothing(reference_data):
    seed_reference()
    before = [m.objects.count() for m in (Unit, LegalBasis, BaseSalary, ReportOutline, AwardType)]
    output = seed_reference()
    assert [m.objects.count() for m in (Unit, LegalBasis, BaseSalary, ReportOutline, AwardType)] == before
    assert "0 bodies, 0 legal bases, 0 base salaries, 0 outlines and 0 award tiers created" in output


def test_every_reference_row_names_its_source():
    assert all(row[-1] for row in LEGAL_BASES.values())
    assert all(
        decree.startswith("Nghị định ") and source.startswith("https://") for _a, _d, decree, source in BASE_SALARIES
    )


def test_the_first_administrator_signs_in_and_creates_a_campaign_on_the_reference(reference_data):
    User.objects.create_superuser(username="quantri.tinh", password=PASSWORD, full_name="Quản Trị Tỉnh")
    output = seed_reference("--administrator", "quantri.tinh")
    assert "quantri.tinh is now the system administrator (CA-DN)" in output
    assert Membership.objects.get(user__username="quantri.tinh").role == Role.ADMINISTRATOR
    client = Client()
    assert client.post("/accounts/login/", {"username": "quantri.tinh", "password": PASSWORD}).status_code == 302
    assert "Công an tỉnh Đồng Nai" in client.get("/").content.decode()

    class Province:  # the reference bodies, as the admin form's helper names them
        units = {"province": Unit.objects.get(code=bodies.PROVINCE), "police": Unit.objects.get(code=bodies.POLICE)}

    outline = ReportOutline.objects.get(code=outline_181.CODE)
    # A 2026 campaign on today's structure: no district-level committee exists (the form refuses that kind).
    form = {**campaign_form(Province, outline), "participant_kinds": ["enterprise", "commune_committee"]}
    response = client.post("/admin/awards/campaign/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Campaign.objects.get(plan_number="12").outline == outline
    assert seed_reference("--administrator", "quantri.tinh").count("system administrator") == 0  # granted once


def test_an_unknown_administrator_is_refused_and_nothing_is_loaded():
    with pytest.raises(CommandError, match="No user named 'khong.co'"):
        seed_reference("--administrator", "khong.co")
    assert not Unit.objects.exists()
