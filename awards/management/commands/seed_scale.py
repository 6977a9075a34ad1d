"""Build the large data set on the demo (docs/scale.md): PostgreSQL only, once per database."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from awards.demo.scale import ScaleRefused, build_scale, scale_problems


class Command(BaseCommand):
    help = (
        "Build a deterministic large data set on the demo (PostgreSQL only, once per database): by default 1,000 "
        "units, 100,000 nominations over ten years of campaigns in every step and status, 1,000,000 audit events."
    )

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=1000, help="Units to add (default 1,000).")
        parser.add_argument("--nominations", type=int, default=100_000, help="Nominations in all (default 100,000).")
        parser.add_argument("--audit", type=int, default=1_000_000, help="Audit events in all (default 1,000,000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed builds the same data.")
        parser.add_argument("--no-check", action="store_true", help="Skip the consistency check at the end.")

    def handle(self, *args, **options):
        self.stdout.write(
            f"seed_scale: {options['units']:,} units, {options['nominations']:,} nominations, "
            f"{options['audit']:,} audit events (seed {options['seed']})"
        )
        try:
            counts = build_scale(
                units=options["units"], nominations=options["nominations"], audit_events=options["audit"],
                seed=options["seed"], stdout=self.stdout,
            )  # fmt: skip
        except ScaleRefused as error:
            raise CommandError(str(error)) from None
        started = time.monotonic()
        with connection.cursor() as cursor:  # as a database in use for years looks: visibility map set, statistics
            cursor.execute("VACUUM (ANALYZE)")
        self.stdout.write(f"  vacuum and analyze: {time.monotonic() - started:.1f} s")
        made = ", ".join(f"{key.replace('_', ' ')} {value:,}" for key, value in counts.items()
                         if not key.startswith("seconds"))  # fmt: skip
        self.stdout.write(self.style.SUCCESS(f"seed_scale: made {made} in {counts['seconds']:,.0f} s."))
        if not options["no_check"]:
            started = time.monotonic()
            problems = scale_problems()
            elapsed = time.monotonic() - started
            if problems:
                for problem in problems[:20]:
                    self.stderr.write(f"  {problem}")
                raise CommandError(f"seed_scale: {len(problems)} inconsistencies (checked in {elapsed:.0f} s).")
            self.stdout.write(f"Consistency check: no problem found ({elapsed:.0f} s).")
