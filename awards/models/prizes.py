"""Prize money data: the base salary (lương cơ sở) by date and a coefficient per award type and nominee
kind. Decisions multiply the two in force on their date (DOMAIN.md); both are data an administrator keeps."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fields import NFCCharField
from .nominations import AwardType, NomineeKind


class BaseSalary(models.Model):
    amount = models.PositiveBigIntegerField(_("base salary (đồng per month)"), validators=[MinValueValidator(1)])
    in_force_from = models.DateField(_("in force from"), unique=True)
    legal_basis = NFCCharField(_("set by"), max_length=255, blank=True, help_text=_("e.g. Nghị định 73/2024/NĐ-CP"))

    class Meta:
        verbose_name = _("base salary")
        verbose_name_plural = _("base salaries")
        ordering = ["-in_force_from"]

    def __str__(self) -> str:
        return f"{self.amount:,} đ – {self.in_force_from:%d/%m/%Y}".replace(",", ".")


class PrizeRate(models.Model):
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("award type"), on_delete=models.CASCADE, related_name="prize_rates"
    )
    nominee_kind = models.CharField(_("nominee kind"), max_length=16, choices=NomineeKind.choices)
    coefficient = models.DecimalField(
        _("coefficient"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)],
        help_text=_("Times the base salary, e.g. 0.3 for an individual's Giấy khen."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("prize rate")
        verbose_name_plural = _("prize rates")
        ordering = ["award_type", "nominee_kind"]
        constraints = [
            models.UniqueConstraint(fields=["award_type", "nominee_kind"], name="prize_rate_unique"),
            models.CheckConstraint(condition=models.Q(coefficient__gte=0), name="prize_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.award_type} / {self.get_nominee_kind_display()}: {self.coefficient}"
