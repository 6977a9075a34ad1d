"""Check the audit trail's seals (docs/audit.md): exits non-zero naming the first row altered, removed or
inserted out of order; else prints how many rows are sealed and the last seal (keep it outside the database:
with it, even someone who could rewrite every seal cannot rewrite the past unnoticed)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from awards.audit import audit_seal, audit_verify


def _anchor(value: str) -> tuple[int, str]:
    number, _, digest = value.partition(":")
    if not number.isdigit() or len(digest) != 64:
        raise CommandError("--anchor takes ID:SEAL, the last archived row and its 64-character seal")
    return int(number), digest


class Command(BaseCommand):
    help = "Verify the audit trail's chain of seals; exit status 1 names the first row altered, removed or inserted."

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor", type=_anchor, default=None,
            help="ID:SEAL of the last row removed by archiving (docs/audit.md): the chain goes on from it.",
        )  # fmt: skip
        parser.add_argument("--seal", action="store_true", help="Seal the committed rows not sealed yet first.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args, anchor=None, seal=False, database=DEFAULT_DB_ALIAS, **options):
        if seal:
            audit_seal(limit=None, using=database)
        result = audit_verify(anchor=anchor, using=database)
        if result.problem is not None:
            raise CommandError(f"audit trail: {result.problem.kind}: {result.problem.message}")
        head = f"#{result.head[0]} {result.head[1]}" if result.head else "none"
        self.stdout.write(
            self.style.SUCCESS(
                f"audit trail: {result.rows} rows, {result.sealed} sealed and intact, {result.unsealed} newest rows "
                f"not sealed yet\n  last seal: {head}"
            )
        )
