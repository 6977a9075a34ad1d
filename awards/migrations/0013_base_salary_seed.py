"""The base salary (lương cơ sở) of recent years, so prize money works on a new installation; an
administrator adds the next one when a decree changes it."""

import datetime as dt

from django.db import migrations

BASE_SALARIES = [
    (1_490_000, dt.date(2019, 7, 1), "Nghị định 38/2019/NĐ-CP"),
    (1_800_000, dt.date(2023, 7, 1), "Nghị định 24/2023/NĐ-CP"),
    (2_340_000, dt.date(2024, 7, 1), "Nghị định 73/2024/NĐ-CP"),
]


def seed(apps, schema_editor):
    BaseSalary = apps.get_model("awards", "BaseSalary")
    for amount, day, basis in BASE_SALARIES:
        BaseSalary.objects.get_or_create(in_force_from=day, defaults={"amount": amount, "legal_basis": basis})


class Migration(migrations.Migration):
    dependencies = [("awards", "0012_prize_money")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
