"""The base salary from 01/7/2026: 2,530,000 đồng (Decree 161/2026/NĐ-CP; source in
awards/reference/salaries.py), for databases made before the reference data knew it."""

import datetime as dt

from django.db import migrations


def seed(apps, schema_editor):
    BaseSalary = apps.get_model("awards", "BaseSalary")
    BaseSalary.objects.get_or_create(
        in_force_from=dt.date(2026, 7, 1), defaults={"amount": 2_530_000, "legal_basis": "Nghị định 161/2026/NĐ-CP"}
    )


class Migration(migrations.Migration):
    dependencies = [("awards", "0018_legal_bases_by_date")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
