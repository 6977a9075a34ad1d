"""The two demo campaigns: Plan 181/KH-UBND (historic, with its real dates) and a current one.

Everything goes through the services, as the demo users, so the audit trail reads like real use.
"""

import datetime as dt
import hashlib
import zoneinfo

from django.conf import settings
from django.utils import timezone

from ..actor import Actor
from ..models import (
    AwardType,
    BasisScope,
    Campaign,
    CaseRow,
    DocumentRow,
    ItemKind,
    LegalBasis,
    Membership,
    Report,
    ReportOutline,
    Role,
    Unit,
    UnitKind,
    User,
)
from ..models.campaigns import DEFAULT_PARTICIPANT_KINDS
from ..reference import outline_181
from ..reference.bodies import POLICE, PROVINCE
from ..selectors.reports import report_items
from ..services import campaigns as campaign_services
from ..services import membership_grant, user_create
from ..services import nominations as nomination_services
from ..services import reports as report_services

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def moment(day: dt.date, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


# Units that report in Plan 181 (2024), with their officer and head accounts (Biên Hòa and Tín Nghĩa exist).
REPORTING_UNITS = [
    ("UBND-BH", "canbo.bienhoa", "thutruong.bienhoa"),
    ("DN-TINNGHIA", "canbo.tinnghia", "thutruong.tinnghia"),
    ("SGDDT-DN", "canbo.sgddt", "thutruong.sgddt"),
    ("UBND-NT", "canbo.nhontrach", "thutruong.nhontrach"),
    ("UBND-LK", "canbo.longkhanh", "thutruong.longkhanh"),
    ("NH-AGRIBANK-DN", "canbo.agribank", "thutruong.agribank"),
    ("LDLD-DN", "canbo.ldld", "thutruong.ldld"),
]
# The current campaign reports on the structure after 01/7/2025: the Biên Hòa and Long Khánh personas moved
# with the reorganisation to the wards that took their committees' files (phường Trấn Biên, phường Long
# Khánh), and a commune (xã Bình An) reports and nominates directly to the provincial bodies (its accounts
# are seed_demo's DEMO_USERS_2025).
CURRENT_REPORTING_UNITS = [
    ("UBND-P-TRANBIEN", "canbo.bienhoa", "thutruong.bienhoa"),
    ("UBND-P-LONGKHANH", "canbo.longkhanh", "thutruong.longkhanh"),
    ("UBND-X-BINHAN", "canbo.xabinhan", "thutruong.xabinhan"),
    *(row for row in REPORTING_UNITS if not row[0].startswith("UBND-")),
]
EXTRA_PEOPLE = {
    "canbo.sgddt": "Trương Thị Kim Oanh", "thutruong.sgddt": "Phan Văn Lộc",
    "canbo.nhontrach": "Nguyễn Hữu Phước", "thutruong.nhontrach": "Lâm Thị Tuyết",
    "canbo.longkhanh": "Đinh Công Thành", "thutruong.longkhanh": "Mai Thị Hồng",
    "canbo.agribank": "Tô Minh Triết", "thutruong.agribank": "Vương Đức Hải",
    "canbo.ldld": "Kiều Thị Yến", "thutruong.ldld": "Tạ Quang Huy",
}  # fmt: skip

# Plan 181: (unit code, what happens, submitted on (local), days late expected)
PLAN_181_STORY = [
    ("UBND-BH", "accepted", dt.date(2024, 6, 25)),
    ("DN-TINNGHIA", "accepted", dt.date(2024, 7, 3)),  # late
    ("SGDDT-DN", "returned", dt.date(2024, 6, 27)),
    ("UBND-NT", "submitted", dt.date(2024, 7, 5)),  # late, never reviewed
    ("UBND-LK", "accepted", dt.date(2024, 6, 20)),
    ("NH-AGRIBANK-DN", "accepted", dt.date(2024, 6, 28)),
    ("LDLD-DN", "draft", None),  # never submitted
]
CURRENT_STORY = [
    ("DN-TINNGHIA", "draft", None),
    ("UBND-P-TRANBIEN", "submitted", -2),  # days before today
    ("SGDDT-DN", "returned", -5),
    ("UBND-X-BINHAN", "accepted", -6),  # a commune's report, reviewed by the police (no district any more)
]


def _actor(username: str) -> Actor:
    """The user with the membership valid today (a persona the 2025 reorganisation moved has an ended one)."""
    user = User.objects.get(username=username)
    own = Membership.objects.filter(user=user, acting_for__isnull=True).select_related("unit")
    membership = own.valid_on(timezone.localdate()).first() or own.first()
    return Actor(user=user, membership=membership)


def ensure_reporting_accounts(rows: list[tuple[str, str, str]]) -> None:
    units = {u.code: u for u in Unit.objects.filter(code__in=[c for c, *_ in rows])}
    for code, officer, head in rows:
        for username, role in ((officer, Role.UNIT_OFFICER), (head, Role.UNIT_HEAD)):
            if User.objects.filter(username=username).exists():
                continue
            user = user_create(by=None, username=username, full_name=EXTRA_PEOPLE[username],
                               email=f"{username}@tdkt.example", password=settings.DEMO_PASSWORD)  # fmt: skip
            membership_grant(by=None, user=user, unit=units[code], role=role)


def _number(seed: str, low: int, high: int) -> int:
    digest = int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16)
    return low + digest % (high - low + 1)


def demo_answers(report: Report) -> dict[str, object]:
    """Plausible, deterministic figures for every question the unit answers."""
    unit, campaign = report.unit, report.campaign
    answers: dict[str, object] = {}
    for item in report_items(report):
        key = f"{campaign.pk}-{unit.code}-{item.code}"
        if item.kind == ItemKind.COUNT:
            answers[item.code] = _number(key, 2, 400)
        elif item.kind == ItemKind.RATIO:
            total = _number(unit.code, 8, 30)
            answers[item.code] = (_number(key, total // 2, total), total)
        elif item.kind == ItemKind.YEARLY:
            answers[item.code] = {year: _number(f"{key}-{year}", 0, 40) for year in campaign.data_years}
        elif item.kind == ItemKind.DOCUMENTS:
            answers[item.code] = [
                DocumentRow(f"{_number(key, 10, 300)}/KH-{unit.code.split('-')[0]}", campaign.data_from + dt.timedelta(days=40),
                            unit.name, "Kế hoạch triển khai thực hiện Chỉ thị 07/CT-BCA-V28"),
                DocumentRow(f"{_number(key + 'b', 10, 300)}/CV-{unit.code.split('-')[0]}", campaign.data_from + dt.timedelta(days=400),
                            unit.name, "Công văn hướng dẫn tổ chức Ngày hội toàn dân bảo vệ ANTQ"),
            ]  # fmt: skip
        elif item.kind == ItemKind.CASES:
            answers[item.code] = [CaseRow("Cung cấp nguồn tin giúp triệt phá đường dây trộm cắp tài sản",
                                          campaign.data_from + dt.timedelta(days=700), "Khởi tố 3 bị can")]  # fmt: skip
        elif item.kind == ItemKind.YES_NO:
            answers[item.code] = (True, "Lãnh đạo, cán bộ chủ chốt, đại diện Công an tỉnh")
        elif item.kind == ItemKind.NARRATIVE:
            answers[item.code] = f"{item.text.rstrip('?')}: {unit.name} đã thực hiện nghiêm túc, đạt kết quả tốt."
    return answers


def _play(campaign: Campaign, code: str, outcome: str, submitted_at: dt.datetime | None, rows=REPORTING_UNITS) -> None:
    officer, head = next((o, h) for c, o, h in rows if c == code)
    officer_actor, head_actor, police = _actor(officer), _actor(head), _actor("congan.canbo")
    report = report_services.report_start(by=officer_actor, campaign=campaign, unit=officer_actor.unit)
    answers = demo_answers(report)
    if outcome == "draft":
        answers = dict(list(answers.items())[: len(answers) // 2])  # half done
    report_services.report_save_draft(by=officer_actor, report=report, expected_seq=0, answers=answers)
    if outcome == "draft":
        return
    report_services.report_submit(by=head_actor, report=report, at=submitted_at)
    if outcome == "accepted":
        report_services.report_accept(by=police, report=report, note="Báo cáo đầy đủ, đúng đề cương.")
    elif outcome == "returned":
        report_services.report_return(by=police, report=report, comments={
            "II.1": "Đề nghị bổ sung số liệu các buổi tuyên truyền theo từng năm.",
            None: "Đề nghị gửi kèm bản scan có chữ ký, đóng dấu.",
        })  # fmt: skip


def offer_tiers() -> None:
    """The demo campaigns offer the standard tiers (those of the reference data)."""
    tiers = list(AwardType.objects.order_by("position"))
    for campaign in Campaign.objects.filter(reviewer__code=POLICE, award_types__isnull=True):
        nomination_services.campaign_offer(by=None, campaign=campaign, award_types=tiers)


TITLE_181 = (
    "Tổng kết 10 năm thực hiện Chỉ thị số 07/CT-BCA-V28 ngày 18/8/2014 của Bộ Công an về “Đẩy mạnh phong trào toàn "
    "dân bảo vệ an ninh Tổ quốc trong cơ quan, doanh nghiệp, nhà trường đáp ứng yêu cầu, nhiệm vụ bảo đảm an ninh, "
    "trật tự trong tình hình mới” (2014 - 2024)"
)
# The current campaign's participants: the provincial departments and agencies, socio-political
# organisations, enterprises, credit institutions and, with no district level since 01/7/2025, the
# commune-level units themselves; their reports go to the police (no district on its reference date).
CURRENT_PARTICIPANT_KINDS = [
    *(kind for kind in DEFAULT_PARTICIPANT_KINDS if kind != UnitKind.DISTRICT_COMMITTEE),
    UnitKind.COMMUNE_COMMITTEE,
]


def plan_181() -> Campaign | None:
    return Campaign.objects.filter(plan_number="181", plan_symbol="KH-UBND").first()


def seed_plan_181() -> int:
    """Plan 181/KH-UBND with its 2024 story, once; returns 1 if it was created."""
    if plan_181() is not None:
        return 0
    ensure_reporting_accounts(REPORTING_UNITS)
    bases = list(LegalBasis.objects.filter(scope=BasisScope.CAMPAIGN))  # the reference data's directive and plan
    admin = _actor("quantri")
    outline = ReportOutline.objects.filter(code=outline_181.CODE).latest("version")  # the reference data's
    province, police = Unit.objects.get(code=PROVINCE), Unit.objects.get(code=POLICE)
    plan = campaign_services.campaign_create(
        by=admin, title=TITLE_181,
        plan_number="181", plan_symbol="KH-UBND", plan_date=dt.date(2024, 5, 21), issuer=province, reviewer=police,
        directive="Chỉ thị số 07/CT-BCA-V28 ngày 18/8/2014 của Bộ Công an",
        achievement="đã có thành tích xuất sắc trong phong trào toàn dân bảo vệ an ninh Tổ quốc giai đoạn 2014–2024",
        data_from=dt.date(2014, 8, 15), data_to=dt.date(2024, 6, 14), reference_date=dt.date(2024, 6, 14),
        # "trước ngày 30/6/2024": due before 30/6 begins (30/6/2024 was a Sunday).
        report_deadline=moment(dt.date(2024, 6, 30)), nomination_deadline=moment(dt.date(2024, 8, 15)),
        outline=outline, participant_kinds=list(DEFAULT_PARTICIPANT_KINDS),
        legal_bases=[b for b in bases if b.number in ("07/CT-BCA-V28", "17/KH-BCA-V05")],
    )  # fmt: skip
    for code, outcome, day in PLAN_181_STORY:
        _play(plan, code, outcome, moment(day, 9, 30) if day else None)
    return 1


def current_campaign() -> Campaign | None:
    plan = plan_181()
    return Campaign.objects.exclude(pk=plan.pk if plan else None).filter(issuer__code=PROVINCE).first()


def seed_current() -> int:
    """The current campaign on the structure after 01/7/2025 and its story, once; returns 1 if created."""
    if current_campaign() is not None:
        return 0
    ensure_reporting_accounts(CURRENT_REPORTING_UNITS)
    bases = list(LegalBasis.objects.filter(scope=BasisScope.CAMPAIGN))
    admin = _actor("quantri")
    outline = ReportOutline.objects.filter(code=outline_181.CODE).latest("version")
    province, police = Unit.objects.get(code=PROVINCE), Unit.objects.get(code=POLICE)
    today = timezone.localdate()
    current_outline = campaign_services.outline_copy(
        by=admin, outline=outline, title=f"Đề cương báo cáo sơ kết phong trào toàn dân bảo vệ ANTQ năm {today.year}"
    )
    # Due in three days: units that have not sent their report get the 3-day reminder on `make run`.
    current = campaign_services.campaign_create(
        by=admin,
        title=f"Sơ kết công tác xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc trong cơ quan, doanh nghiệp, nhà "
        f"trường năm {today.year}",
        plan_number=str(90 + today.month), plan_symbol="KH-UBND", plan_date=today - dt.timedelta(days=20),
        issuer=province, reviewer=police, directive="Chỉ thị số 07/CT-BCA-V28 ngày 18/8/2014 của Bộ Công an",
        achievement=f"đã có thành tích xuất sắc trong phong trào toàn dân bảo vệ an ninh Tổ quốc năm {today.year}",
        data_from=dt.date(today.year - 1, 7, 1), data_to=today - dt.timedelta(days=10),
        reference_date=today - dt.timedelta(days=10),
        report_deadline=moment(today + dt.timedelta(days=3)), nomination_deadline=moment(today + dt.timedelta(days=30)),
        outline=current_outline, participant_kinds=[str(kind) for kind in CURRENT_PARTICIPANT_KINDS],
        communes_report=True, legal_bases=[b for b in bases if b.number == "07/CT-BCA-V28"],
    )  # fmt: skip
    now = timezone.now()
    for code, outcome, offset in CURRENT_STORY:
        _play(current, code, outcome, now + dt.timedelta(days=offset) if offset is not None else None,
              rows=CURRENT_REPORTING_UNITS)  # fmt: skip
    return 1
