"""Prize money: a coefficient (per award type and nominee kind) × the base salary in force on the
decision's date, rounded up to the next 10,000 đồng (DOMAIN.md, "Rules of law and practice")."""

import datetime as dt
from decimal import ROUND_CEILING, Decimal

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

from ..models import AwardType, BaseSalary, PrizeRate

ROUNDING = 10_000  # đồng


def base_salary_on(day: dt.date) -> BaseSalary:
    found = BaseSalary.objects.filter(in_force_from__lte=day).order_by("-in_force_from").first()
    if found is None:
        raise ValidationError(
            _("No base salary is recorded for %(date)s: an administrator adds it under Base salaries.")
            % {"date": formats.date_format(day, "d/m/Y")},
            code="no_base_salary",
        )
    return found


def round_up(amount: Decimal) -> int:
    """Up to the next 10,000 đồng (an exact multiple stays)."""
    return int((amount / ROUNDING).to_integral_value(rounding=ROUND_CEILING)) * ROUNDING


def prize_money(*, award_type: AwardType, kind: str, day: dt.date) -> int:
    rate = PrizeRate.objects.filter(award_type=award_type, nominee_kind=kind).first()
    if rate is None:
        raise ValidationError(
            _("No prize rate is set for %(award)s (%(kind)s): an administrator sets it on the award type.")
            % {"award": award_type.name, "kind": PrizeRate(nominee_kind=kind).get_nominee_kind_display()},
            code="no_prize_rate",
        )
    return round_up(rate.coefficient * base_salary_on(day).amount)
