"""Load the demo on top of the reference data: Đồng Nai's 2024 organisation, one account per role, Plan 181
with its 2024 reports, nominations and (with --full) decisions, then the 2025 reorganisation (the commune-level
units of Resolution 1662/NQ-UBTVQH15, no district level, Bình Phước merged in) and a current campaign on the
structure after it. Idempotent."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone, translation

from awards import services
from awards.demo.campaigns import offer_tiers, seed_current, seed_plan_181
from awards.demo.decisions import seed_decisions
from awards.demo.nominations import seed_current_nominations, seed_nominations
from awards.demo.org import DEPARTMENTS_GOVERNED_BY, LINEAGE, POLICE_OFFICE, UNITS
from awards.demo.reorganisation import binh_phuoc_bodies, seed_reorganisations
from awards.models import Membership, Role, Unit, UnitKind, UnitLineage, User
from awards.reference.load import reference_load

# (username, full name, unit code, role, position)
DEMO_USERS = [
    ("canbo.bienhoa", "Nguyễn Thị Thu Hà", "UBND-BH", Role.UNIT_OFFICER, "Chuyên viên Văn phòng HĐND và UBND"),
    ("thutruong.bienhoa", "Trần Văn Dũng", "UBND-BH", Role.UNIT_HEAD, "Phó Chủ tịch UBND thành phố"),
    ("canbo.tanphong", "Lê Thị Mai", "UBND-BH-TANPHONG", Role.UNIT_OFFICER, "Công chức Văn phòng - Thống kê"),
    ("canbo.tinnghia", "Phạm Quốc Bảo", "DN-TINNGHIA", Role.UNIT_OFFICER, "Chuyên viên Phòng Tổ chức"),
    ("thutruong.tinnghia", "Võ Minh Khang", "DN-TINNGHIA", Role.UNIT_HEAD, "Tổng Giám đốc"),
    ("congan.canbo", "Đặng Văn Hùng", "CA-DN", Role.POLICE_REVIEWER, "Cán bộ Phòng Tham mưu"),
    ("congan.giamdoc", "Huỳnh Văn Tài", "CA-DN", Role.POLICE_DIRECTOR, "Giám đốc Công an tỉnh"),
    ("noivu.canbo", "Bùi Thị Ngọc Anh", "SNV-DN", Role.HOME_AFFAIRS_REVIEWER, "Chuyên viên Ban Thi đua - Khen thưởng"),
    ("ubnd.lanhdao", "Ngô Thanh Sơn", "UBND-DN", Role.PROVINCIAL_LEADER, "Phó Chủ tịch UBND tỉnh"),
    ("bca.lienlac", "Đỗ Quang Vinh", "BCA", Role.MINISTRY_LIAISON, "Cán bộ Cục V05"),
    ("quantri", "Hồ Thị Lan", "CA-DN", Role.ADMINISTRATOR, "Quản trị hệ thống"),
]
# After the 2025 reorganisation: a commune (xã Bình An, Resolution 1662/NQ-UBTVQH15 khoản 7) that reports and
# nominates directly to the provincial bodies. canbo.bienhoa, thutruong.bienhoa, canbo.longkhanh and
# thutruong.longkhanh move with it to phường Trấn Biên and phường Long Khánh (awards/demo/reorganisation.py).
DEMO_USERS_2025 = [
    ("canbo.xabinhan", "Châu Thị Ngọc Hân", "UBND-X-BINHAN", Role.UNIT_OFFICER, "Công chức Văn phòng - Thống kê"),
    ("thutruong.xabinhan", "Lư Văn Thắng", "UBND-X-BINHAN", Role.UNIT_HEAD, "Chủ tịch UBND xã"),
]
# (username, full name, stands in for) — a deputy acting for the police director this month.
DEMO_ACTING = [("congan.phogiamdoc", "Lý Văn Phúc", "congan.giamdoc", "Phó Giám đốc Công an tỉnh")]


class Command(BaseCommand):
    help = "Create the demo organisation and accounts (running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--full", action="store_true",
            help="Also decide what awaits a decision: issued Giấy khen and Chairman's Bằng khen decisions with "
            "their documents and certificates, and a recorded Ministry decision.",
        )  # fmt: skip

    def handle(self, *args, **options):
        with transaction.atomic():
            reference = reference_load()  # what `seed_reference` loads: the demo builds on it
            created_units = reference.bodies + self._units()
            created_users = self._users(DEMO_USERS)
            # Plan 181 happened on the 2024 structure: its story (and its decisions) come before 01/7/2025.
            created_campaigns = seed_plan_181()
            offer_tiers()
            created_tiers = reference.award_types
            created_nominations = seed_nominations()
            created_decisions = seed_decisions() if options["full"] else 0
            created_units += seed_reorganisations()
            created_users += self._users(DEMO_USERS_2025)
            created_campaigns += seed_current()
            offer_tiers()
            created_nominations += seed_current_nominations()
        # The decisions' files were queued on commit: built in-process on the embedded default.
        self.stdout.write(
            self.style.SUCCESS(
                f"seed_demo: {created_units} units, {created_users} accounts, {created_campaigns} campaigns, "
                f"{created_tiers} award tiers, {created_nominations} nominations and {created_decisions} decisions "
                "created."
            )
        )
        accounts = DEMO_USERS + DEMO_USERS_2025
        self.stdout.write(f"Demo accounts ({len(accounts) + len(DEMO_ACTING)}), password: {settings.DEMO_PASSWORD}")
        today = timezone.localdate()
        with translation.override(settings.LANGUAGE_CODE):
            for username, _name, unit_code, role, _title in accounts:
                now = Membership.objects.valid_on(today).filter(user__username=username, acting_for__isnull=True)
                unit_code = now.values_list("unit__code", flat=True).first() or unit_code  # where it works today
                self.stdout.write(f"  {username:<20} {Role(role).label} – {unit_code}")
        for username, _name, acting_for, _title in DEMO_ACTING:
            self.stdout.write(f"  {username:<20} làm thay {acting_for}")

    def _units(self) -> int:
        created = 0
        by_code = {u.code: u for u in Unit.objects.all()}
        for code, name, kind, parent_code, valid_from, valid_to in UNITS + binh_phuoc_bodies():
            if code in by_code:
                continue
            by_code[code] = services.unit_create(
                by=None,
                code=code,
                name=name,
                kind=kind,
                parent=by_code.get(parent_code) if parent_code else None,
                valid_from=valid_from,
                valid_to=valid_to,
            )
            created += 1
        province = by_code[DEPARTMENTS_GOVERNED_BY]
        for unit in Unit.objects.filter(kind=UnitKind.DEPARTMENT, governing_body__isnull=True):
            services.unit_update(by=None, unit=unit, governing_body=province)
        police = by_code["CA-DN"]
        if not police.executing_office:
            services.unit_update(by=None, unit=police, executing_office=POLICE_OFFICE)
        for predecessor, successor, kind, effective_on in LINEAGE:
            if not UnitLineage.objects.filter(predecessor__code=predecessor, successor__code=successor).exists():
                services.lineage_record(
                    by=None,
                    predecessor=by_code[predecessor],
                    successor=by_code[successor],
                    kind=kind,
                    effective_on=effective_on,
                    note="Sắp xếp tổ chức bộ máy các sở năm 2025",
                )
        return created

    def _users(self, accounts) -> int:
        services.admin_group_ensure()  # keeps the administrators' admin permissions current
        created = 0
        units = {u.code: u for u in Unit.objects.all()}
        for username, full_name, unit_code, role, title in accounts:
            if User.objects.filter(username=username).exists():
                continue
            user = services.user_create(
                by=None,
                username=username,
                full_name=full_name,
                email=f"{username}@tdkt.example",
                password=settings.DEMO_PASSWORD,
            )
            if role == Role.ADMINISTRATOR:
                services.administrator_grant(by=None, user=user, unit=units[unit_code])
                Membership.objects.filter(user=user).update(title=title)
            else:
                services.membership_grant(by=None, user=user, unit=units[unit_code], role=role, title=title)
            created += 1
        today = timezone.localdate()
        for username, full_name, acting_for, title in DEMO_ACTING:
            if User.objects.filter(username=username).exists():
                continue
            user = services.user_create(
                by=None,
                username=username,
                full_name=full_name,
                email=f"{username}@tdkt.example",
                password=settings.DEMO_PASSWORD,
            )
            original = Membership.objects.get(user__username=acting_for, acting_for__isnull=True)
            services.membership_grant_acting(
                by=None,
                user=user,
                acting_for=original,
                valid_from=today - dt.timedelta(days=7),
                valid_to=today + dt.timedelta(days=60),
                title=title,
            )
            created += 1
        return created
