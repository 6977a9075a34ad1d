"""The embedded default's scheduler: runs the periodic jobs in this process, no broker needed.

`make run` starts it beside the development server on SQLite; with Redis, Celery beat sends the same
jobs to a worker instead (`make beat`, `make worker`).
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils import timezone

from awards import tasks
from awards.models import JobRun
from awards.models.notifications import EMBEDDED_LOOP


class Command(BaseCommand):
    help = "Run the periodic jobs (reminders, escalation, e-mail sweep) in-process, on their schedule."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")
        parser.add_argument("--tick", type=float, default=20.0, help="Seconds between checks (default 20).")

    def handle(self, *args, once: bool = False, tick: float = 20.0, **options):
        last_run: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for name, every in settings.PERIODIC_JOBS.items():
                if once or now - last_run.get(name, -every) >= every:
                    last_run[name] = now
                    try:
                        result = getattr(tasks, name)()
                    except Exception as error:  # noqa: BLE001 — keep the loop alive; JobRun holds the trace
                        self.stderr.write(f"{name}: {error!r}")
                    else:
                        self.stdout.write(f"{timezone.localtime():%d/%m/%Y %H:%M:%S} {name}: {result}")
            try:
                JobRun.objects.update_or_create(
                    name=EMBEDDED_LOOP, defaults={"started_at": timezone.now(), "finished_at": timezone.now()}
                )
            except DatabaseError as error:  # e.g. SQLite busy: the next tick writes it
                self.stderr.write(f"{EMBEDDED_LOOP}: {error!r}")
            if once:
                return
            time.sleep(tick)
