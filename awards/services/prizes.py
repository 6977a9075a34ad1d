"""Prize money's data: an award type's coefficients and the base salaries (the amounts are read by
`selectors.prizes`)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..actor import Actor
from ..audit import audit_record
from ..models import AwardType, BaseSalary, PrizeRate


@transaction.atomic
def prize_rates_set(*, by: Actor | None, award_type: AwardType, rates: dict[str, Decimal | str]) -> None:
    """Set the coefficients of an award type, e.g. {"individual": "0.3", "collective": "0.6"}."""
    for kind, coefficient in rates.items():
        value = Decimal(str(coefficient))
        if value < 0:
            raise ValidationError({"coefficient": _("A coefficient cannot be negative.")})
        PrizeRate.objects.update_or_create(award_type=award_type, nominee_kind=kind, defaults={"coefficient": value})
    audit_record(actor=by, action="prize_rates_set", obj=award_type,
                 detail={kind: str(value) for kind, value in rates.items()})  # fmt: skip


def base_salary_ensure(*, amount: int, in_force_from: dt.date, legal_basis: str = "") -> BaseSalary:
    """The base salary in force from a day, as a decree set it (kept as it is when already recorded)."""
    salary, _created = BaseSalary.objects.get_or_create(
        in_force_from=in_force_from, defaults={"amount": amount, "legal_basis": legal_basis}
    )
    return salary
