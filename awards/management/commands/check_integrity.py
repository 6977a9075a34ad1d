"""Check the invariants between the rows (awards.selectors.integrity; docs/integrity.md says what each finding
means and what to do). Reads only. Exits 1 when anything is found, 0 otherwise."""

import json

from django.core.management.base import BaseCommand, CommandError

from awards.selectors.integrity import INVARIANTS, integrity_checks, one_snapshot

SHOWN_IDS = 20  # per finding in the text output; --json lists them all


class Command(BaseCommand):
    help = (
        "Check the invariants between nominations, their workflow, decisions, stored files and the audit trail; "
        "print each finding and exit 1 if there is any (docs/integrity.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the findings as JSON, for machines.")
        parser.add_argument("--no-files", action="store_true", help="Skip reading the stored files.")
        parser.add_argument("--files-sample", type=int, metavar="N",
                            help="Read only N stored files, chosen at random (default: all).")  # fmt: skip
        parser.add_argument("--only", metavar="CODES",
                            help=f"Comma-separated invariants to check: {', '.join(INVARIANTS)} (default: all).")  # fmt: skip

    def handle(self, *args, **options):
        only = [code.strip() for code in options["only"].split(",") if code.strip()] if options["only"] else None
        if only and set(only) - set(INVARIANTS):
            raise CommandError(f"Unknown invariants: {', '.join(sorted(set(only) - set(INVARIANTS)))}; "
                               f"choose from {', '.join(INVARIANTS)}.")  # fmt: skip
        if options["files_sample"] is not None and options["files_sample"] < 0:
            raise CommandError("--files-sample needs a number of files, 0 or more.")
        findings, checks = [], {}
        with one_snapshot():
            for code, found, seconds in integrity_checks(
                files=not options["no_files"], files_sample=options["files_sample"], only=only
            ):
                findings += found
                checks[code] = {"findings": len(found), "seconds": round(seconds, 3)}
                if not options["json"]:
                    for finding in found:
                        self.stdout.write(self._line(finding))
        counts = ", ".join(f"{code} {c['findings']}" for code, c in checks.items() if c["findings"])
        timings = ", ".join(f"{code} {c['seconds']:.2f} s" for code, c in checks.items())
        if options["json"]:
            self.stdout.write(json.dumps({"ok": not findings, "checks": checks,
                                          "findings": [f.as_dict() for f in findings]}, ensure_ascii=False, indent=2))  # fmt: skip
        else:
            self.stdout.write(f"Checked {len(checks)} invariants: {timings}.")
        if findings:
            raise CommandError(f"check_integrity: {len(findings)} findings ({counts}).", returncode=1)
        if not options["json"]:
            self.stdout.write(self.style.SUCCESS("check_integrity: no findings."))

    @staticmethod
    def _line(finding) -> str:
        ids = ", ".join(f"#{pk}" for pk in finding.ids[:SHOWN_IDS])
        if len(finding.ids) > SHOWN_IDS:
            ids += f" (and {len(finding.ids) - SHOWN_IDS:,} more: --json lists them)"
        return f"[{finding.invariant}] {finding.model} {ids}: {finding.explanation}"
