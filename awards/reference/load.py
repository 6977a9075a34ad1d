"""Load the reference data through the services, idempotently: what `manage.py seed_reference` runs."""

from dataclasses import dataclass

from django.db import transaction

from ..models import AwardType, BaseSalary, LegalBasis, ReportOutline, Unit
from ..services import admin_group_ensure, unit_create, unit_update
from ..services.campaigns import legal_basis_ensure, outline_create
from ..services.prizes import base_salary_ensure
from . import bodies, outline_181
from .legal_bases import LEGAL_BASES
from .salaries import BASE_SALARIES
from .tiers_181 import standard_tiers


@dataclass
class Loaded:
    """How many rows of each kind this run created (all zero on a second run)."""

    bodies: int = 0
    legal_bases: int = 0
    base_salaries: int = 0
    outlines: int = 0
    award_types: int = 0


@transaction.atomic
def reference_load() -> Loaded:
    loaded = Loaded()
    admin_group_ensure()
    by_code = {u.code: u for u in Unit.objects.filter(code__in=[row[0] for row in bodies.BODIES])}
    for code, name, kind, parent_code, short_name, governing, place, office in bodies.BODIES:
        document_data = {"governing_body": by_code.get(governing), "place_name": place, "executing_office": office}
        if code not in by_code:
            by_code[code] = unit_create(by=None, code=code, name=name, kind=kind, parent=by_code.get(parent_code),
                                        short_name=short_name, **document_data)  # fmt: skip
            loaded.bodies += 1
            continue
        # A body made before its document data existed gets what it lacks; what an administrator set stays.
        missing = {
            field: value for field, value in document_data.items() if value and not getattr(by_code[code], field)
        }
        if missing:
            unit_update(by=None, unit=by_code[code], **missing)
    loaded.legal_bases = legal_bases_ensure()
    loaded.base_salaries = base_salaries_ensure()
    if not ReportOutline.objects.filter(code=outline_181.CODE).exists():
        outline_create(by=None, code=outline_181.CODE, title=outline_181.TITLE, rows=outline_181.ITEMS)
        loaded.outlines = 1
    if not AwardType.objects.exists():
        loaded.award_types = len(standard_tiers(
            police=by_code[bodies.POLICE], home_affairs=by_code[bodies.HOME_AFFAIRS],
            province=by_code[bodies.PROVINCE], ministry=by_code[bodies.MINISTRY],
        ))  # fmt: skip
    return loaded


def base_salaries_ensure() -> int:
    """The base salaries by date (also what a test re-seeds after a transactional test emptied the table)."""
    before = BaseSalary.objects.count()
    for amount, in_force_from, basis, _source in BASE_SALARIES:
        base_salary_ensure(amount=amount, in_force_from=in_force_from, legal_basis=basis)
    return BaseSalary.objects.count() - before


def legal_bases_ensure() -> int:
    """The legal bases, amending acts after the acts they amend (the dictionary's order)."""
    before = LegalBasis.objects.count()
    for number, (
        doc_type,
        issued_on,
        issuer,
        title,
        start,
        end,
        scope,
        slot,
        bodies_,
        amends,
        source,
    ) in LEGAL_BASES.items():
        legal_basis_ensure(
            number=number, doc_type=doc_type, issued_on=issued_on, issuer=issuer, title=title, in_force_from=start,
            in_force_to=end, scope=scope, slot=slot, applies_to=bodies_, source=source,
            amends=LegalBasis.objects.get(number=amends) if amends else None,
        )  # fmt: skip
    return LegalBasis.objects.count() - before
