"""Load the reference data a real installation needs (no demo, no accounts). Idempotent."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from awards.models import Membership, Role, Unit, User
from awards.reference import bodies
from awards.reference.load import reference_load
from awards.services import administrator_grant


class Command(BaseCommand):
    help = (
        "Load the bodies Plan 181 names, the legal bases, the base salaries, Plan 181's outline and the "
        "standard award tiers (running it again changes nothing). Creates no accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--administrator", metavar="USERNAME",
            help="Also make this existing user (e.g. made with createsuperuser) the system administrator, "
            "at the provincial police.",
        )  # fmt: skip

    def handle(self, *args, **options):
        username = options["administrator"]
        user = User.objects.filter(username=username).first() if username else None
        if username and user is None:
            raise CommandError(f"No user named {username!r}: create it first (manage.py createsuperuser).")
        with transaction.atomic():
            loaded = reference_load()
            granted = user is not None and not Membership.objects.filter(user=user, role=Role.ADMINISTRATOR).exists()
            if granted:
                administrator_grant(by=None, user=user, unit=Unit.objects.get(code=bodies.POLICE))
        self.stdout.write(
            self.style.SUCCESS(
                f"seed_reference: {loaded.bodies} bodies, {loaded.legal_bases} legal bases, {loaded.base_salaries} "
                f"base salaries, {loaded.outlines} outlines and {loaded.award_types} award tiers created."
            )
        )
        if granted:
            self.stdout.write(f"{username} is now the system administrator ({bodies.POLICE}).")
