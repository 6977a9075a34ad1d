"""A large, deterministic data set built on the demo (`manage.py seed_scale`, docs/scale.md).

Everything the services would have made, at the size of a province after ten years: by default 1,000 more
units (each with an officer and a head), ten more campaigns (2016–2025) besides the demo's two, an accepted
report of every participant in every campaign, 100,000 nominations in every step and status of the three
routes (with their dossiers, hand-offs, award decisions, viewflow processes and tasks, step records) and
1,000,000 audit events, sealed. The demo personas are inside it: the police reviewer's inbox, the district
officer's list and the Tín Nghĩa head's page hold thousands of rows.

How it stays consistent with the rules without calling the services 100,000 times:
- Reports and nominations are **cloned from templates made by the real services**: one report, and one
  nomination for each (route, state) — 42 — taken through `nomination_create`, `dossier_submit`,
  `handoff_send`, `nomination_act`, `decision_issue` … as the demo's personas. Each clone copies its
  template's rows (the nomination, its step records, its viewflow process and tasks and the links between
  them, its audit rows) with the ids, the unit and its people, the names and the times remapped; keys are
  computed by the helpers `save()` uses; the evidence is the unit's covering report (`evidence_for`'s walk).
- Shared rows are made per group as the services would: one dossier per unit, tier and campaign; hand-offs
  and decisions per batch of nominations; each with its audit row and the legal bases in force on its date.
- Times follow each template's service calls ("rounds"), placed in each campaign's calendar: reports before
  the nominations go up, dossiers before the deadline, appraisals after it, decisions last; nothing in the
  future. Step due dates are recomputed in working days.
- Rows are written with PostgreSQL's COPY (docs/architecture.md, fact 10), ids reserved from the tables'
  sequences; the whole build is one transaction: a failed run leaves nothing behind.
"""

import bisect
import datetime as dt
import hashlib
import io
import json
import random
import time
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache, lru_cache

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from viewflow.workflow.models import Process, Task

from workflows.models import NominationProcess, ReportProcess

from .. import identity
from ..actor import Actor
from ..audit import audit_seal, label_for
from ..calendar import WorkingCalendar, add_working_days, working_days_between
from ..documents import certificate
from ..models import (
    HANDLED_OUTCOMES,
    OPEN_STATUSES,
    ROUTE_STEPS,
    UNIT_STEPS,
    AnswerCase,
    AnswerCount,
    AnswerDocument,
    AnswerRatio,
    AnswerText,
    AnswerYear,
    AnswerYesNo,
    AuditEvent,
    AwardStep,
    AwardType,
    BasisScope,
    Campaign,
    CaseRow,
    Decision,
    DecisionItem,
    DocumentKind,
    DocumentRow,
    DocumentStatus,
    Dossier,
    EmailStatus,
    GeneratedDocument,
    HandOff,
    ItemKind,
    LatenessTally,
    LegalBasis,
    Membership,
    Nomination,
    NominationAction,
    NominationFile,
    NominationStatus,
    NomineeKind,
    Notification,
    Outcome,
    Report,
    ReportOutline,
    ReportVersion,
    Role,
    Route,
    Step,
    Unit,
    UnitKind,
    UnitPlacement,
    User,
)
from ..models.campaigns import DEFAULT_PARTICIPANT_KINDS
from ..permissions import LEADER_ROLES, report_reviewer_id
from ..reference import outline_181
from ..reference.bodies import POLICE, PROVINCE
from ..selectors.legal_bases import bases_in_force
from ..selectors.prizes import prize_money
from ..selectors.reports import report_items
from ..services import campaigns as campaign_services
from ..services import decisions as decision_services
from ..services import nominations as svc
from ..services import reports as report_services
from ..services.documents import certificate_layout
from ..services.notifications import unit_members
from ..services.prizes import base_salary_ensure
from ..text import person_sort_key, sort_key
from .campaigns import offer_tiers
from .decisions import DECIDERS
from .nominations import (
    DIRECTOR_SIGNER,
    HOME_AFFAIRS_SIGNER,
    POLICE_OFFICE_SIGNER,
    POLICE_SIGNER,
    cccd,
    minutes_pdf,
    one_page_pdf,
)

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
PREFIX = "SC-"  # the codes of the units seed_scale adds: its marker
USER_PREFIX = "sc."
BATCH = 5_000
YEARS = range(2016, 2026)
HANDOFF_SIZE = 200  # nominations per hand-off (a tờ trình's list)
DECISION_SIZE = 250  # awardees per decision

# The files of a cloned decision are not built (it would take hours): its page's "generate again" builds them.
DECISION_FILES = (DocumentKind.DECISION_DOCX, DocumentKind.DECISION_PDF, DocumentKind.LIST_DOCX, DocumentKind.LIST_PDF,
                  DocumentKind.LIST_XLSX, DocumentKind.CERTIFICATES_PDF)  # fmt: skip
NOT_BUILT = "seed_scale không tạo tệp này: bấm “Tạo lại văn bản bị lỗi hoặc đã thay đổi” trên trang quyết định."
# Base salaries before the reference data's first (2019): decisions of 2016–2019 pay from them. Benchmark data
# only (never the reference data): each row names the decree that set it; the reference search holds no copy of
# those decrees (searched 07/12/2026), only press on the 2017 rise
# (https://laodong.vn/thoi-su/nam-2017-tang-luong-co-so-len-muc-13-trieu-dongthang-la-hop-ly-602151.bld).
EARLY_BASE_SALARIES = [
    (1_210_000, dt.date(2016, 5, 1), "Nghị định 47/2016/NĐ-CP"),
    (1_300_000, dt.date(2017, 7, 1), "Nghị định 47/2017/NĐ-CP"),
    (1_390_000, dt.date(2018, 7, 1), "Nghị định 72/2018/NĐ-CP"),
]


class ScaleRefused(Exception):
    """The database is not one seed_scale builds on (not PostgreSQL, or already built)."""


# Names ---------------------------------------------------------------------------------------------

FAMILY = ["Nguyễn"] * 8 + ["Trần"] * 3 + ["Lê"] * 3 + ["Phạm"] * 2 + [
    "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm",
    "Mai", "Tô", "Cao", "Châu", "Tạ", "Trịnh", "Đoàn", "Lương", "Hà",
]  # fmt: skip
MIDDLE = {
    "male": ["Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Xuân", "Hoàng", "Ngọc", "Duy", "Tiến",
             "Anh", "Trọng", "Văn Minh", "Đình", "Quang"],
    "female": ["Thị", "Thị", "Thị Thu", "Thị Ngọc", "Thị Thanh", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Thị Kim",
               "Hồng", "Phương", "Bích", "Thị Hồng", "Diệu"],
}  # fmt: skip
GIVEN = {
    "male": ["An", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khang", "Khoa",
             "Kiên", "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Tâm", "Thắng",
             "Thành", "Thịnh", "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Vũ", "Bảo", "Định", "Khải", "Lực"],
    "female": ["Anh", "Châu", "Diệp", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Hương", "Lan",
               "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên",
               "Thảo", "Thủy", "Trang", "Trinh", "Tuyết", "Uyên", "Vân", "Xuân", "Yến", "Ánh", "Thư"],
}  # fmt: skip
PLACE = [
    "An", "Bình", "Phú", "Tân", "Long", "Phước", "Hòa", "Thạnh", "Xuân", "Gia", "Thanh", "Hưng", "Lộc", "Vĩnh",
    "Đông", "Tây", "Trung", "Hiệp", "Thuận", "Lợi", "Mỹ", "Quang", "Sơn", "Thành", "Thái", "Hải", "Đức", "Trà",
    "Cát", "Lâm", "Nghĩa", "Hội", "Khánh", "Phong", "Tường", "Định", "Bảo", "Cường", "Điền", "Tiến",
]  # fmt: skip
SECTORS = [
    "Xây dựng", "Thương mại", "Dịch vụ", "Cơ khí", "May mặc", "Chế biến gỗ", "Thực phẩm", "Vận tải", "Điện tử",
    "Nhựa", "Bao bì", "Dệt may", "Cao su", "Hóa chất", "Thép", "Phân bón", "Giày da", "Vật liệu xây dựng",
    "Nông sản", "Dược phẩm", "Môi trường", "Cấp thoát nước", "Điện lực", "Logistics",
]  # fmt: skip
DEPARTMENT_BODIES = [
    "Trung tâm Phục vụ hành chính công", "Ban Quản lý dự án đầu tư xây dựng", "Trung tâm Xúc tiến đầu tư",
    "Trung tâm Kiểm soát bệnh tật", "Chi cục Thuế khu vực", "Đài Phát thanh và Truyền hình",
    "Trung tâm Công nghệ thông tin", "Chi cục Kiểm lâm", "Bệnh viện Đa khoa khu vực", "Trung tâm Y tế",
    "Chi cục Quản lý thị trường", "Trung tâm Dịch vụ việc làm",
]  # fmt: skip
SOCIETIES = [
    "Hội Khuyến học", "Hội Người cao tuổi", "Hội Chữ thập đỏ", "Hội Luật gia", "Hội Cựu thanh niên xung phong",
    "Hội Làm vườn", "Hội Đông y", "Liên minh Hợp tác xã", "Hội Nạn nhân chất độc da cam", "Hội Sinh viên",
]  # fmt: skip
UNIT_TEAMS = {  # a collective's name, by the kind of its unit: numbered, or a department of it
    UnitKind.COMMUNE_COMMITTEE: ["Ấp {n}", "Khu phố {n}", "Tổ dân phố {n}", "Tổ an ninh trật tự số {n}",
                                 "Tổ bảo vệ dân phố số {n}"],
    UnitKind.DISTRICT_COMMITTEE: ["Phòng Nội vụ", "Phòng Tư pháp", "Phòng Văn hóa và Thông tin",
                                  "Phòng Giáo dục và Đào tạo", "Phòng Tài chính - Kế hoạch", "Phòng Kinh tế",
                                  "Văn phòng HĐND và UBND", "Khu phố {n}", "Tổ dân phố {n}"],
    UnitKind.ENTERPRISE: ["Phòng Tổ chức - Hành chính", "Phòng Kế toán", "Đội Bảo vệ", "Phân xưởng số {n}",
                          "Tổ sản xuất số {n}", "Phòng Kỹ thuật", "Ban An toàn lao động", "Đội Phòng cháy chữa cháy cơ sở"],
    UnitKind.CREDIT_INSTITUTION: ["Phòng Kế toán và Ngân quỹ", "Phòng Khách hàng cá nhân", "Phòng giao dịch số {n}",
                                  "Phòng Kiểm tra, giám sát nội bộ", "Phòng Hành chính - Nhân sự"],
    UnitKind.EDUCATION: ["Tổ Ngữ văn", "Tổ Toán - Tin", "Tổ Khoa học tự nhiên", "Đoàn Thanh niên", "Lớp {n}A",
                         "Tổ Văn phòng", "Đội Tuyên truyền măng non số {n}"],
}  # fmt: skip
DEFAULT_TEAMS = ["Phòng Tổ chức - Hành chính", "Văn phòng", "Phòng Nghiệp vụ số {n}", "Tổ công tác số {n}"]
POSITIONS = {
    UnitKind.COMMUNE_COMMITTEE: ["Trưởng ấp", "Trưởng khu phố", "Tổ trưởng tổ dân phố", "Công an viên",
                                 "Phó Chủ tịch Ủy ban nhân dân", "Công chức Văn phòng - Thống kê", "Người dân"],
    UnitKind.DISTRICT_COMMITTEE: ["Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên", "Trưởng khu phố"],
    UnitKind.ENTERPRISE: ["Đội trưởng Đội Bảo vệ", "Công nhân", "Trưởng phòng", "Phó Giám đốc", "Kỹ sư"],
    UnitKind.CREDIT_INSTITUTION: ["Giao dịch viên", "Trưởng phòng", "Kiểm soát viên", "Phó Giám đốc"],
    UnitKind.EDUCATION: ["Giáo viên", "Hiệu trưởng", "Phó Hiệu trưởng", "Bí thư Đoàn trường", "Nhân viên bảo vệ"],
}  # fmt: skip
DEFAULT_POSITIONS = ["Chuyên viên", "Trưởng phòng", "Phó Trưởng phòng", "Cán bộ"]
ACHIEVEMENTS = [
    "Có thành tích xuất sắc trong phong trào toàn dân bảo vệ an ninh Tổ quốc năm {year}",
    "Có thành tích xuất sắc trong xây dựng khu dân cư an toàn về an ninh, trật tự năm {year}",
    "Có thành tích tiêu biểu trong cung cấp nguồn tin giúp cơ quan Công an đấu tranh, triệt phá tội phạm",
    "Có thành tích xuất sắc trong công tác bảo vệ an ninh, trật tự tại cơ quan, doanh nghiệp năm {year}",
    "Có thành tích xuất sắc trong phòng ngừa tội phạm lừa đảo chiếm đoạt tài sản năm {year}",
    "Có thành tích xuất sắc trong phong trào toàn dân phòng cháy, chữa cháy năm {year}",
]  # fmt: skip


def _name(rng: random.Random, gender: str) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"


def _place(rng: random.Random) -> str:
    first, second = rng.sample(PLACE, 2)
    return f"{first} {second}"


# Calendar ------------------------------------------------------------------------------------------

# The rounds of the templates' service calls, in order, and where each falls in a campaign's calendar:
# days after the nominations start (a week or two after the reports are accepted; the dossiers are due
# on day 31). The current campaign squeezes the same shape into the days since its reports.
R_CREATE, R_HANDED, R_SEND, R_POLICE, R_REVISE, R_SECOND, R_THIRD, R_DECIDE, R_WITHDRAW = range(9)
ROUND_DAYS = [(0, 10), (11, 20), (21, 31), (35, 55), (56, 60), (62, 80), (82, 95), (100, 120), (121, 130)]
REPORT_ROUNDS = 4  # started, saved, submitted, accepted


class Timeline:
    """When things happen in one campaign: its reports, then its nominations' rounds."""

    def __init__(self, campaign: Campaign, now: dt.datetime, *, current: bool):
        self.campaign = campaign
        plan = dt.datetime.combine(campaign.plan_date, dt.time(8, 0), TZ)
        if current:  # the demo's running campaign: everything so far happened since its plan, before now
            span = now - dt.timedelta(hours=1) - plan
            self.report_start, self.report_end = plan + span * 0.05, plan + span * 0.4
            self.nominations_start, self.scale = plan + span * 0.45, span * 0.55 / ROUND_DAYS[-1][1]
        else:
            self.report_start = plan + dt.timedelta(days=2)
            self.report_end = campaign.report_deadline + dt.timedelta(days=12)
            self.nominations_start = self.report_end + dt.timedelta(days=3)
            self.scale = dt.timedelta(days=1)
        self.current = current

    def at(self, rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        moment = start + (end - start) * rng.random()
        if not self.current:  # office hours, local time
            local = moment.astimezone(TZ)
            moment = local.replace(hour=rng.randint(7, 16), minute=rng.randint(0, 59), second=rng.randint(0, 59))
        return moment

    def round_at(self, rng: random.Random, round_: int) -> dt.datetime:
        first, last = ROUND_DAYS[round_]
        return self.at(rng, self.nominations_start + self.scale * first, self.nominations_start + self.scale * last)


# Templates: one nomination per (route, state), through the services ------------------------------------

_SENT = {R_HANDED: "prepared", R_SEND: "send"}
_PAST_POLICE = {**_SENT, R_POLICE: "approve"}
_PAST_SECOND = {**_PAST_POLICE, R_SECOND: "approve"}
# key -> (state class, what the template does in each round)
COMMON_PATHS = {
    "prepare": ("draft_prepare", {}),
    "submit": ("draft_submit", {R_HANDED: "prepared"}),
    "police": ("review_police", _SENT),
    "returned_unit": ("returned_unit", {**_SENT, R_POLICE: "return"}),
    "returned_unit_submit": ("returned_unit_submit", {**_SENT, R_POLICE: "return", R_REVISE: "prepared"}),
    "rejected_police": ("rejected", {**_SENT, R_POLICE: "reject"}),
    "withdrawn": ("withdrawn", {**_SENT, R_WITHDRAW: "withdraw"}),
    "second": ("review_second", _PAST_POLICE),
    "returned_police": ("returned_police", {**_PAST_POLICE, R_SECOND: "return"}),
    "rejected_second": ("rejected", {**_PAST_POLICE, R_SECOND: "reject"}),
}
DIRECTOR_PATHS = {
    "awaiting": ("awaiting", _PAST_SECOND),
    "awarded": ("awarded", {**_PAST_SECOND, R_DECIDE: "decide"}),
}
THREE_STEP_PATHS = {
    "third": ("review_third", _PAST_SECOND),
    "returned_home": ("returned_home", {**_PAST_SECOND, R_THIRD: "return"}),
    "rejected_third": ("rejected", {**_PAST_SECOND, R_THIRD: "reject"}),
    "awaiting": ("awaiting", {**_PAST_SECOND, R_THIRD: "approve"}),
    "awarded": ("awarded", {**_PAST_SECOND, R_THIRD: "approve", R_DECIDE: "decide"}),
}
ROUTE_PATHS = {
    Route.DIRECTOR: {**COMMON_PATHS, **DIRECTOR_PATHS},
    Route.CHAIRMAN: {**COMMON_PATHS, **THREE_STEP_PATHS},
    Route.MINISTRY: {**COMMON_PATHS, **THREE_STEP_PATHS},
}
ROUND_STEP = {R_POLICE: 2, R_SECOND: 3, R_THIRD: 4}  # the route step (index) acted on in that round
HANDOFF_SYMBOLS = {  # the sender's tờ trình symbol (as the demo's)
    (Route.DIRECTOR, Step.POLICE_APPRAISAL): "TTr-PV01",
    (Route.CHAIRMAN, Step.POLICE_APPRAISAL): "TTr-CAT-PV01",
    (Route.MINISTRY, Step.POLICE_APPRAISAL): "TTr-CAT-PV01",
    (Route.CHAIRMAN, Step.HOME_AFFAIRS_APPRAISAL): "TTr-SNV",
    (Route.MINISTRY, Step.MINISTRY_FORWARD): "TTr-CAT-PV01",
}

# How a campaign's nominations stand, by its age; the route of each (Giấy khen most often).
PHASE_WEIGHTS = {
    "closed": {"awarded": 75, "rejected": 15, "withdrawn": 8, "awaiting": 2},
    "recent": {"awarded": 42, "awaiting": 18, "rejected": 10, "withdrawn": 5, "review_police": 8,
               "review_second": 5, "review_third": 3, "returned_unit": 2, "returned_police": 2, "returned_home": 1,
               "draft_submit": 2, "draft_prepare": 2},
    "current": {"draft_prepare": 13, "draft_submit": 9, "returned_unit": 4, "returned_unit_submit": 2,
                "review_police": 24, "review_second": 14, "review_third": 8, "returned_police": 3,
                "returned_home": 2, "awaiting": 10, "awarded": 3, "rejected": 6, "withdrawn": 2},
}  # fmt: skip
ROUTE_WEIGHTS = {Route.DIRECTOR: 5, Route.CHAIRMAN: 3, Route.MINISTRY: 2}
# Who nominates how much: the demo's nominating units (their personas' pages) most.
KIND_WEIGHTS = {
    UnitKind.DISTRICT_COMMITTEE: 3.0, UnitKind.DEPARTMENT: 2.0, UnitKind.SOCIO_POLITICAL: 2.0,
    UnitKind.ENTERPRISE: 1.5, UnitKind.CREDIT_INSTITUTION: 1.2, UnitKind.COMMUNE_COMMITTEE: 1.0,
    UnitKind.EDUCATION: 1.0, UnitKind.HOME_AFFAIRS: 0.5,
}  # fmt: skip
DEMO_NOMINATING = {"UBND-BH": 25.0, "DN-TINNGHIA": 25.0, "UBND-LK": 12.0, "NH-AGRIBANK-DN": 12.0}
NOMINATING_KINDS = frozenset(KIND_WEIGHTS)
# The unit kinds seed_scale adds, per 1,000 units.
UNIT_MIX = [
    (UnitKind.COMMUNE_COMMITTEE, 500), (UnitKind.ENTERPRISE, 250), (UnitKind.EDUCATION, 120),
    (UnitKind.CREDIT_INSTITUTION, 50), (UnitKind.DEPARTMENT, 50), (UnitKind.SOCIO_POLITICAL, 30),
]  # fmt: skip
UNIT_CODES = {
    UnitKind.COMMUNE_COMMITTEE: "XA", UnitKind.ENTERPRISE: "CT", UnitKind.EDUCATION: "TH",
    UnitKind.CREDIT_INSTITUTION: "TD", UnitKind.DEPARTMENT: "SO", UnitKind.SOCIO_POLITICAL: "HOI",
}  # fmt: skip
DOSSIER_SYMBOLS = {
    UnitKind.COMMUNE_COMMITTEE: "UBND", UnitKind.DISTRICT_COMMITTEE: "UBND", UnitKind.ENTERPRISE: "CTY",
    UnitKind.CREDIT_INSTITUTION: "NH", UnitKind.EDUCATION: "TH", UnitKind.DEPARTMENT: "SO",
    UnitKind.SOCIO_POLITICAL: "HOI", UnitKind.HOME_AFFAIRS: "SNV",
}  # fmt: skip
HEAD_TITLES = {
    UnitKind.COMMUNE_COMMITTEE: "Chủ tịch", UnitKind.DISTRICT_COMMITTEE: "Phó Chủ tịch",
    UnitKind.ENTERPRISE: "Giám đốc", UnitKind.CREDIT_INSTITUTION: "Giám đốc", UnitKind.EDUCATION: "Hiệu trưởng",
    UnitKind.DEPARTMENT: "Giám đốc", UnitKind.SOCIO_POLITICAL: "Chủ tịch", UnitKind.HOME_AFFAIRS: "Phó Giám đốc",
}  # fmt: skip


# Writing rows ----------------------------------------------------------------------------------------


def _table(model) -> str:
    return model._meta.db_table


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.local_concrete_fields]


def _reserve(model, count: int) -> int:
    """Reserve `count` consecutive ids from the table's sequence; returns the first."""
    if count <= 0:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [_table(model)])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, count])
        return cursor.fetchone()[0] - count + 1


def _copy(table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    """COPY rows into a table, in the current transaction."""
    connection.ensure_connection()
    written = 0
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


def _select(model, where: str, params: list, columns: list[str] | None = None) -> list[dict]:
    columns = columns or _columns(model)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {_table(model)} WHERE {where} ORDER BY 1", params)  # noqa: S608
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _json(value) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


AUDIT_COLUMNS = [c for c in _columns(AuditEvent) if c != "id"]


def _audit(at, actor, membership, unit, action, object_type="", object_id="", code="", from_state="", to_state="",
           detail=None, ip=None) -> tuple:  # fmt: skip
    """A row as audit_record writes it: its object named by type and id (a unit by its `code`), never by a
    person's name; ids in its detail."""
    return (at, actor, None, membership, unit, action, object_type, str(object_id),
            code or label_for(object_type, object_id), from_state, to_state, _json(detail or {}), ip)  # fmt: skip


assert AUDIT_COLUMNS == [
    "at", "actor_id", "on_behalf_of_id", "membership_id", "unit_id", "action", "object_type", "object_id",
    "object_repr", "from_state", "to_state", "detail", "ip_address",
], AUDIT_COLUMNS  # fmt: skip


@lru_cache(maxsize=50_000)
def _due(day: dt.date, days: int) -> dt.date:
    return add_working_days(day, days)


@cache
def _calendar() -> WorkingCalendar:
    """One read of the administrator's swapped days for every span the build dates (2014 to next year)."""
    return WorkingCalendar(dt.date(2014, 1, 1), dt.date(timezone.localdate().year + 1, 12, 31))


@lru_cache(maxsize=200_000)
def _took(arrived: dt.date, done: dt.date) -> int:
    return working_days_between(arrived, done, calendar=_calendar())


class _Mapper:
    """Maps a template's timestamps onto a clone's: the round a moment fell in, and how far into it."""

    def __init__(self, marks: list[dt.datetime]):
        self.marks = marks

    def split(self, moment: dt.datetime | None) -> tuple[int, dt.timedelta] | None:
        if moment is None:
            return None
        index = bisect.bisect_right(self.marks, moment) - 1
        if index < 0:
            raise ValueError(f"{moment} is before the first round")
        return index, moment - self.marks[index]


def _shift(split, rounds: dict[int, dt.datetime]):
    return None if split is None else rounds[split[0]] + split[1]


# The build ------------------------------------------------------------------------------------------


class UnitInfo:
    __slots__ = ("id", "code", "name", "kind", "parent_id", "valid_from", "valid_to", "officer", "head", "weight")

    def __init__(self, unit: Unit):
        self.id, self.code, self.name, self.kind = unit.pk, unit.code, unit.name, unit.kind
        self.parent_id, self.valid_from, self.valid_to = unit.parent_id, unit.valid_from, unit.valid_to
        self.officer = self.head = None  # (user id, membership id, full name, title)
        self.weight = DEMO_NOMINATING.get(unit.code) or KIND_WEIGHTS.get(unit.kind, 0.0)

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def parent_id_on(self, day: dt.date) -> int | None:
        """For report_reviewer_id: the generated units are never moved; the demo's current campaign, the only
        one whose communes report, is dated after the 2025 moves, so today's parent is the one."""
        return self.parent_id


class Template:
    """A nomination made through the services, with every row its clones copy."""

    def __init__(self, key: str, route: str, state: str, nomination: Nomination):
        self.key, self.route, self.state, self.pk = key, route, state, nomination.pk
        self.tier_id = nomination.award_type_id


class Clone:
    __slots__ = ("id", "template", "campaign", "unit", "kind", "name", "gender", "birth_date", "position",
                 "workplace", "id_number", "women_percent", "achievement", "evidence", "dossier", "handoffs",
                 "decision", "rounds")  # fmt: skip

    def __init__(self):
        self.handoffs, self.rounds, self.dossier, self.decision = {}, {}, None, None


class Group:
    """A dossier, hand-off or decision shared by clones: its id, when it was made, and its members."""

    __slots__ = ("id", "at", "members", "key", "number")

    def __init__(self, id_: int, at: dt.datetime, key):
        self.id, self.at, self.members, self.key, self.number = id_, at, [], key, None


class Build:
    def __init__(self, *, units: int, nominations: int, audit_events: int, seed: int, stdout):
        self.sizes = {"units": units, "nominations": nominations, "audit_events": audit_events}
        self.rng = random.Random(seed)
        self.seed = seed
        self.stdout = stdout
        self.counts: dict[str, int] = defaultdict(int)
        self.now = timezone.now()
        self.today = timezone.localdate()

    def say(self, line: str) -> None:
        if self.stdout is not None:
            self.stdout.write(line + "\n")

    def phase(self, name: str, function: Callable[[], None]) -> None:
        started = time.monotonic()
        function()
        elapsed = time.monotonic() - started
        self.counts[f"seconds_{name.replace(' ', '_')}"] = round(elapsed, 1)
        self.say(f"  {name}: {elapsed:.1f} s")

    # The demo world -----------------------------------------------------------------------------

    def demo(self) -> None:
        # What the build announces stays in the app: it e-mails nobody (the demo's own messages neither).
        self.notifications_before = Notification.objects.aggregate(top=Max("pk"))["top"] or 0
        call_command("seed_demo", stdout=io.StringIO())  # reference data, organisation, personas, campaigns
        for amount, since, basis in EARLY_BASE_SALARIES:
            base_salary_ensure(amount=amount, in_force_from=since, legal_basis=basis)
        self.province = Unit.objects.get(code=PROVINCE)
        self.police = Unit.objects.get(code=POLICE)
        self.tiers = {}  # the standard tier of each route (the reference data's)
        for tier in AwardType.objects.order_by("position", "pk"):
            self.tiers.setdefault(tier.route, tier)
        self.rules = {(r.award_type_id, r.step): r for r in AwardStep.objects.all()}
        # Who acts at each agency step: the first member (the demo's persona) of the role in the step's unit.
        self.personas: dict[str, Membership] = {}
        acting_units = {r.unit_id for r in self.rules.values() if r.unit_id}
        for membership in (
            Membership.objects.filter(acting_for__isnull=True, is_active=True, unit__in=acting_units)
            .exclude(role__in=[Role.UNIT_OFFICER, Role.UNIT_HEAD, Role.ADMINISTRATOR])
            .select_related("user", "unit")
            .order_by("pk")
        ):
            self.personas.setdefault(membership.role, membership)

    def actor(self, membership: Membership) -> Actor:
        return Actor(user=membership.user, membership=membership)

    def member(self, user_id: int, membership_id: int) -> Actor:
        membership = Membership.objects.select_related("user", "unit").get(pk=membership_id)
        assert membership.user_id == user_id
        return self.actor(membership)

    # Units and their people ----------------------------------------------------------------------

    def units(self) -> None:
        rng = self.rng
        wanted = self.sizes["units"]
        mix = [(kind, share * wanted / 1000) for kind, share in UNIT_MIX]
        counts = {kind: max(1, round(n)) for kind, n in mix}
        counts[UnitKind.COMMUNE_COMMITTEE] += wanted - sum(counts.values())  # the rest are communes
        existing = {u.code: u for u in Unit.objects.all()}
        taken_names = {u.name for u in existing.values()}
        districts = sorted(
            (u for u in existing.values() if u.kind == UnitKind.DISTRICT_COMMITTEE), key=lambda u: u.code
        )
        schools_parent = existing.get("SGDDT-DN", self.province)

        def unique(make: Callable[[], str]) -> str:
            for _attempt in range(50):
                name = make()
                if name not in taken_names:
                    taken_names.add(name)
                    return name
            name = f"{make()} {len(taken_names)}"
            taken_names.add(name)
            return name

        new: list[Unit] = []
        for kind, count in counts.items():
            for n in range(1, count + 1):
                parent, governing, valid_from, valid_to = self.province, None, None, None
                if kind == UnitKind.COMMUNE_COMMITTEE:
                    parent = districts[(n - 1) % len(districts)]
                    level = rng.choices(["xã", "phường", "thị trấn"], [65, 30, 5])[0]
                    name = unique(lambda level=level: f"Ủy ban nhân dân {level} {_place(rng)}")
                    if rng.random() < 0.03:  # merged in the 2025 reorganisation: closed, still in the old campaigns
                        valid_to = dt.date(2025, 6, 30)
                elif kind == UnitKind.ENTERPRISE:
                    form = rng.choice(["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV"])
                    name = unique(lambda form=form: f"{form} {rng.choice(SECTORS)} {_place(rng)}")
                    if rng.random() < 0.08:  # founded since: takes part from then on
                        valid_from = dt.date(rng.randint(2017, 2023), rng.randint(1, 12), 1)
                elif kind == UnitKind.EDUCATION:
                    parent = schools_parent
                    level = rng.choice(["Trường THPT", "Trường THCS", "Trường Tiểu học", "Trường Mầm non"])
                    name = unique(lambda level=level: f"{level} {_place(rng)}")
                elif kind == UnitKind.CREDIT_INSTITUTION:
                    name = unique(lambda: f"Quỹ tín dụng nhân dân {_place(rng)}")
                elif kind == UnitKind.DEPARTMENT:
                    governing = self.province
                    name = unique(lambda: f"{rng.choice(DEPARTMENT_BODIES)} {_place(rng)}")
                else:
                    name = unique(lambda: f"{rng.choice(SOCIETIES)} {_place(rng)}")
                code = f"{PREFIX}{UNIT_CODES[kind]}-{n:04d}"
                new.append(Unit(code=code, name=name, kind=kind, parent=parent, governing_body=governing,
                                valid_from=valid_from, valid_to=valid_to, sort_key=sort_key(name)))  # fmt: skip
        Unit.objects.bulk_create(new, batch_size=BATCH)
        self.counts["units"] = len(new)
        created_at = dt.datetime(2015, 12, 1, 8, 0, tzinfo=TZ)
        _copy(_table(AuditEvent), AUDIT_COLUMNS, (
            _audit(created_at + dt.timedelta(minutes=i), None, None, u.pk, "unit_created", "unit", u.pk, u.code)
            for i, u in enumerate(new)
        ))  # fmt: skip
        self._accounts(rng, created_at)
        self.template_unit = next(u for u in self.unit_info.values() if u.code == f"{PREFIX}CT-0001")

    def _accounts(self, rng: random.Random, created_at: dt.datetime) -> None:
        """An officer and a head for every unit that reports or nominates and has none (the demo's own
        personas are kept): what the benchmarks log in as, all with the demo password."""
        units = list(Unit.objects.filter(kind__in=NOMINATING_KINDS).order_by("code"))
        self.unit_info = {u.pk: UnitInfo(u) for u in units}
        members = Membership.objects.filter(
            unit__in=units, acting_for__isnull=True, is_active=True, role__in=[Role.UNIT_OFFICER, Role.UNIT_HEAD]
        ).select_related("user")
        for m in members.order_by("pk"):
            info = self.unit_info[m.unit_id]
            person = (m.user_id, m.pk, m.user.full_name or m.user.username, m.title or HEAD_TITLES.get(info.kind, ""))
            if m.role == Role.UNIT_OFFICER and info.officer is None:
                info.officer = person
            elif m.role == Role.UNIT_HEAD and info.head is None:
                info.head = person
        password = make_password(settings.DEMO_PASSWORD)
        users, roles = [], []
        for info in self.unit_info.values():
            for role, attribute in ((Role.UNIT_OFFICER, "officer"), (Role.UNIT_HEAD, "head")):
                if getattr(info, attribute) is not None:
                    continue
                gender = rng.choice(["male", "female"])
                full_name = _name(rng, gender)
                suffix = "canbo" if role == Role.UNIT_OFFICER else "thutruong"
                username = f"{USER_PREFIX}{info.code.lower()}.{suffix}"
                users.append(User(username=username, full_name=full_name, password=password,
                                  sort_key=person_sort_key(full_name), date_joined=created_at))  # fmt: skip
                title = "Chuyên viên" if role == Role.UNIT_OFFICER else HEAD_TITLES.get(info.kind, "Thủ trưởng")
                roles.append((info, role, attribute, title))
        User.objects.bulk_create(users, batch_size=BATCH)
        memberships = [Membership(user=user, unit_id=info.id, role=role, title=title, created_at=created_at,
                                  valid_to=info.valid_to)
                       for user, (info, role, _attribute, title) in zip(users, roles, strict=True)]  # fmt: skip
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        for user, membership, (info, _role, attribute, title) in zip(users, memberships, roles, strict=True):
            setattr(info, attribute, (user.pk, membership.pk, user.full_name, title))
        _copy(_table(AuditEvent), AUDIT_COLUMNS, [
            *(_audit(created_at, None, None, None, "user_created", "user", u.pk) for u in users),
            *(_audit(created_at, None, None, m.unit_id, "membership_granted", "membership", m.pk, to_state="active")
              for m in memberships),
        ])  # fmt: skip
        self.counts["accounts"] = len(users)

    # Campaigns ------------------------------------------------------------------------------------

    def campaigns(self) -> None:
        outline = ReportOutline.objects.filter(code=outline_181.CODE).order_by("version").first()
        directive = list(LegalBasis.objects.filter(scope=BasisScope.CAMPAIGN, number="07/CT-BCA-V28"))
        for year in YEARS:
            plan = dt.date(year, 5, 10)
            campaign_services.campaign_create(
                by=None,
                title=f"Sơ kết công tác xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc trong cơ quan, doanh "
                f"nghiệp, nhà trường năm {year}",
                plan_number=str(40 + year % 100), plan_symbol="KH-UBND", plan_date=plan, issuer=self.province,
                reviewer=self.police, directive="Chỉ thị số 07/CT-BCA-V28 ngày 18/8/2014 của Bộ Công an",
                achievement=f"đã có thành tích xuất sắc trong phong trào toàn dân bảo vệ an ninh Tổ quốc năm {year}",
                data_from=dt.date(year - 1, 7, 1), data_to=dt.date(year, 6, 15), reference_date=dt.date(year, 6, 15),
                report_deadline=dt.datetime(year, 6, 30, tzinfo=TZ),
                nomination_deadline=dt.datetime(year, 8, 15, 23, 59, tzinfo=TZ),
                outline=outline, participant_kinds=list(DEFAULT_PARTICIPANT_KINDS), legal_bases=directive,
            )  # fmt: skip
        offer_tiers()  # the demo's: every police-reviewed campaign offers the standard tiers
        campaigns = list(Campaign.objects.filter(reviewer=self.police).order_by("plan_date", "pk"))
        self.current = campaigns[-1]  # the demo's running campaign
        self.campaign_list = campaigns
        self.timelines = {c.pk: Timeline(c, self.now, current=c.pk == self.current.pk) for c in campaigns}
        self.phases = {
            c.pk: "current" if c.pk == self.current.pk else "recent" if c.plan_date.year == 2025 else "closed"
            for c in campaigns
        }
        self.counts["campaigns"] = len(YEARS)

    # Reports: one accepted per participant and campaign ---------------------------------------------

    def reports(self) -> None:
        template = self._report_template()
        reviewer = self.personas[Role.POLICE_REVIEWER]
        rows = {m: [] for m in ("report", "version", "process", "rprocess", "task", "previous", "audit")}
        answers: dict[type, list[tuple]] = defaultdict(list)
        existing = set(Report.objects.values_list("campaign_id", "unit_id"))
        report_ids: list[tuple[Campaign, UnitInfo]] = []
        for campaign in self.campaign_list:
            participants = campaign.participants().filter(kind__in=NOMINATING_KINDS).order_by("code")
            for unit in participants.values_list("pk", flat=True):
                if (campaign.pk, unit) not in existing and unit in self.unit_info:
                    report_ids.append((campaign, self.unit_info[unit]))
        count = len(report_ids)
        first_report, first_version = _reserve(Report, count), _reserve(ReportVersion, count)
        first_process = _reserve(Process, count)
        first_task = _reserve(Task, count * len(template["tasks"]))
        rng = self.rng
        samples = self.report_samples = []
        for n, (campaign, info) in enumerate(report_ids):
            timeline = self.timelines[campaign.pk]
            times = sorted(timeline.at(rng, timeline.report_start, timeline.report_end) for _ in range(REPORT_ROUNDS))
            rounds = dict(enumerate(times))
            report_id, version_id, process_id = first_report + n, first_version + n, first_process + n
            submitted, accepted = times[2], times[3]
            late = report_services.late_days(deadline=campaign.report_deadline, at=submitted)
            rows["report"].append((report_id, campaign.pk, info.id, report_reviewer_id(campaign, info), "accepted",
                                   version_id, version_id, version_id, submitted, late, times[0]))  # fmt: skip
            rows["version"].append((version_id, report_id, info.id, 1, "accepted", 1, times[1], info.officer[0],
                                    submitted, info.head[0], late, accepted, reviewer.user_id,
                                    "Báo cáo đầy đủ, đúng đề cương."))  # fmt: skip
            process = dict(template["process"], id=process_id)
            for column in ("created", "finished"):
                process[column] = _shift(template["splits"][("process", column)], rounds)
            rows["process"].append(tuple(process[c] for c in template["process_columns"]))
            rows["rprocess"].append((process_id, report_id, info.id, True))
            task_ids = {}
            for i, task in enumerate(template["tasks"]):
                task_ids[task["id"]] = first_task + n * len(template["tasks"]) + i
            for task in template["tasks"]:
                row = dict(task, id=task_ids[task["id"]], process_id=process_id)
                for column in ("created", "started", "finished", "assigned", "scheduled"):
                    row[column] = _shift(template["splits"][("task", task["id"], column)], rounds)
                row["data"] = _json(row["data"])
                rows["task"].append(tuple(row[c] for c in template["task_columns"]))
            for source, target in template["previous"]:
                rows["previous"].append((task_ids[source], task_ids[target]))
            items = self._items(campaign, info.kind)
            self._answers(campaign, info, version_id, items, answers)
            actors = {"officer": info.officer, "head": info.head, "reviewer": (reviewer.user_id, reviewer.pk)}
            repr_ = f"{info.name} – {campaign.plan_reference}"
            for event in template["audit"]:
                who = actors[event["who"]]
                detail = {"items": [i.code for i in items if i.kind != ItemKind.SECTION]} if event["action"] == \
                    "report_saved" else {"version": 1, "late_days": late} if event["action"] == "report_submitted" \
                    else event["detail"]  # fmt: skip
                rows["audit"].append(_audit(_shift(event["split"], rounds), who[0], who[1], info.id, event["action"],
                                            "report", report_id, "", event["from_state"], event["to_state"],
                                            detail))  # fmt: skip
            samples.append((report_id, repr_, info, times[0], submitted, campaign.pk))
        _copy(_table(Report), ["id", "campaign_id", "unit_id", "reviewer_id", "status", "current_version_id",
                               "accepted_version_id", "counted_version_id", "first_submitted_at", "late_days",
                               "created_at"], rows["report"])  # fmt: skip
        _copy(_table(ReportVersion), ["id", "report_id", "unit_id", "number", "status", "edit_seq", "saved_at",
                                      "saved_by_id", "submitted_at", "submitted_by_id", "late_days", "reviewed_at",
                                      "reviewed_by_id", "review_note"], rows["version"])  # fmt: skip
        _copy(_table(Process), template["process_columns"], rows["process"])
        _copy(_table(ReportProcess), ["process_ptr_id", "report_id", "unit_id", "accepted"], rows["rprocess"])
        _copy(_table(Task), template["task_columns"], rows["task"])
        _copy(Task.previous.through._meta.db_table, ["from_task_id", "to_task_id"], rows["previous"])
        _copy(_table(AuditEvent), AUDIT_COLUMNS, rows["audit"])
        for model, values in answers.items():
            columns = [c for c in _columns(model) if c != "id"]
            self.counts["report_answers"] += _copy(_table(model), columns, values)
        self.counts["reports"] = count + 1
        self.counts["report_tasks"] = len(rows["task"])

    def _report_template(self) -> dict:
        """One report made, sent and accepted through the services: the template of the others."""
        info = self.template_unit
        officer, head = self.member(*info.officer[:2]), self.member(*info.head[:2])
        police = self.actor(self.personas[Role.POLICE_REVIEWER])
        marks = [timezone.now()]
        report = report_services.report_start(by=officer, campaign=self.current, unit=officer.unit)
        marks.append(timezone.now())
        report_services.report_save_draft(by=officer, report=report, expected_seq=0,
                                          answers=self._answer_values(self.current, info, report_items(report)))  # fmt: skip
        marks.append(timezone.now())
        report_services.report_submit(by=head, report=report)
        marks.append(timezone.now())
        report_services.report_accept(by=police, report=report, note="Báo cáo đầy đủ, đúng đề cương.")
        mapper = _Mapper(marks)
        process_columns = _columns(Process)
        process_row = _select(Process, "id = (SELECT process_ptr_id FROM workflows_reportprocess WHERE report_id = %s)",
                              [report.pk], process_columns)[0]  # fmt: skip
        process_row["data"] = _json(process_row["data"])
        task_columns = _columns(Task)
        tasks = _select(Task, "process_id = %s", [process_row["id"]], task_columns)
        splits = {("process", c): mapper.split(process_row[c]) for c in ("created", "finished")}
        for task in tasks:
            for column in ("created", "started", "finished", "assigned", "scheduled"):
                splits[("task", task["id"], column)] = mapper.split(task[column])
        previous = self._previous([t["id"] for t in tasks])
        who = {officer.user.pk: "officer", head.user.pk: "head", police.user.pk: "reviewer"}
        audit = []
        for event in _select(AuditEvent, "object_type = 'report' AND object_id = %s", [str(report.pk)]):
            audit.append({"who": who[event["actor_id"]], "action": event["action"], "split": mapper.split(event["at"]),
                          "from_state": event["from_state"], "to_state": event["to_state"],
                          "detail": event["detail"]})  # fmt: skip
        return {"process": process_row, "process_columns": process_columns, "tasks": tasks,
                "task_columns": task_columns, "splits": splits, "previous": previous, "audit": audit}  # fmt: skip

    def _previous(self, task_ids: list[int]) -> list[tuple[int, int]]:
        if not task_ids:
            return []
        through = Task.previous.through
        with connection.cursor() as cursor:
            sql = f"SELECT from_task_id, to_task_id FROM {through._meta.db_table} WHERE from_task_id = ANY(%s) ORDER BY id"  # noqa: S608
            cursor.execute(sql, [task_ids])
            return cursor.fetchall()

    @cache  # noqa: B019 (one build per instance)
    def _items(self, campaign: Campaign, kind: str) -> list:
        return report_items(Report(campaign=campaign, unit=Unit(kind=kind)))

    def _number(self, *parts, low: int, high: int) -> int:
        digest = hashlib.sha256("|".join(map(str, (self.seed, *parts))).encode()).digest()
        return low + int.from_bytes(digest[:4], "big") % (high - low + 1)

    def _answer_values(self, campaign: Campaign, info: UnitInfo, items) -> dict:
        """Plausible, deterministic figures for every question the unit answers (the demo's shapes)."""
        values: dict[str, object] = {}
        for item in items:
            key = (campaign.plan_date.isoformat(), info.code, item.code)
            if item.kind == ItemKind.COUNT:
                values[item.code] = self._number(*key, low=2, high=400)
            elif item.kind == ItemKind.RATIO:
                total = self._number(info.code, low=8, high=30)
                values[item.code] = (self._number(*key, low=total // 2, high=total), total)
            elif item.kind == ItemKind.YEARLY:
                values[item.code] = {year: self._number(*key, year, low=0, high=40) for year in campaign.data_years}
            elif item.kind == ItemKind.DOCUMENTS:
                values[item.code] = [DocumentRow(f"{self._number(*key, low=10, high=300)}/KH", campaign.data_from
                                                 + dt.timedelta(days=40), info.name,
                                                 "Kế hoạch triển khai thực hiện Chỉ thị 07/CT-BCA-V28")]  # fmt: skip
            elif item.kind == ItemKind.CASES:
                values[item.code] = [CaseRow("Cung cấp nguồn tin giúp triệt phá đường dây trộm cắp tài sản",
                                             campaign.data_from + dt.timedelta(days=100), "Khởi tố 3 bị can")]  # fmt: skip
            elif item.kind == ItemKind.YES_NO:
                values[item.code] = (True, "Lãnh đạo, cán bộ chủ chốt, đại diện Công an")
            elif item.kind == ItemKind.NARRATIVE:
                values[item.code] = f"{item.text.rstrip('?')}: đơn vị đã thực hiện nghiêm túc, đạt kết quả tốt."
        return values

    def _answers(self, campaign, info, version_id, items, out) -> None:
        """The answer rows `report_save_draft` would write for these values (services/reports._write_answer)."""
        for item in items:
            value = self._answer_values(campaign, info, [item]).get(item.code)
            if value is None:
                continue
            kind = item.kind
            if kind == ItemKind.COUNT:
                out[AnswerCount].append((version_id, item.pk, value))
            elif kind == ItemKind.RATIO:
                out[AnswerRatio].append((version_id, item.pk, value[0], value[1]))
            elif kind == ItemKind.YEARLY:
                out[AnswerYear].extend((version_id, item.pk, year, count) for year, count in sorted(value.items()))
            elif kind == ItemKind.DOCUMENTS:
                out[AnswerDocument].extend((version_id, item.pk, n, r.number, r.issued_on, r.issuer, r.summary)
                                           for n, r in enumerate(value, 1))  # fmt: skip
            elif kind == ItemKind.CASES:
                out[AnswerCase].extend((version_id, item.pk, n, r.title, r.occurred_on, r.result)
                                       for n, r in enumerate(value, 1))  # fmt: skip
            elif kind == ItemKind.YES_NO:
                out[AnswerYesNo].append((version_id, item.pk, value[0], value[1]))
            elif kind == ItemKind.NARRATIVE:
                out[AnswerText].append((version_id, item.pk, value))

    # Template nominations ----------------------------------------------------------------------------

    def templates(self) -> None:
        info = self.template_unit
        officer, head = self.member(*info.officer[:2]), self.member(*info.head[:2])
        campaign = self.current
        templates = {f"{route}:{key}": (route, state) for route, paths in ROUTE_PATHS.items()
                     for key, (state, _moves) in paths.items()}  # fmt: skip
        nominations: dict[str, Nomination] = {}
        marks: list[dt.datetime] = []
        # Round by round, as the services would be called over a campaign.
        for round_ in range(R_WITHDRAW + 1):
            marks.append(timezone.now())
            if round_ == R_CREATE:
                for i, full_key in enumerate(templates):
                    route, _state = templates[full_key]
                    nominations[full_key] = svc.nomination_create(
                        by=officer, campaign=campaign, award_type=self.tiers[route], kind=NomineeKind.COLLECTIVE,
                        name=f"Tổ an ninh trật tự mẫu số {i + 1}", parent_unit=officer.unit, women_percent=40,
                        achievement=ACHIEVEMENTS[0].format(year=campaign.plan_date.year),
                    )  # fmt: skip
                continue
            for route, paths in ROUTE_PATHS.items():
                moving = {
                    move: [] for move in ("prepared", "send", "approve", "return", "reject", "decide", "withdraw")
                }
                for key, (_state, moves) in paths.items():
                    if round_ in moves:
                        moving[moves[round_]].append(nominations[f"{route}:{key}"])
                self._template_round(route, round_, moving, officer, head)
        self.template_marks = marks
        self.mapper = _Mapper(marks)
        self.templates_by_key = {}
        for full_key, nomination in nominations.items():
            route, state = templates[full_key]
            template = Template(full_key, route, state, nomination)
            self._load_template(template)
            self.templates_by_key[full_key] = template
        self.counts["templates"] = len(self.templates_by_key)

    def _template_round(self, route: str, round_: int, moving: dict, officer: Actor, head: Actor) -> None:
        tier = self.tiers[route]
        today = self.today
        for nomination in moving["prepared"]:
            svc.nomination_prepared(by=officer, nomination=nomination)
        if moving["send"]:
            number = f"{len(moving['send'])}{tier.pk}/TTr-CTY"
            svc.dossier_submit(
                by=head, campaign=self.current, award_type=tier, nominations=moving["send"], number=number, date=today,
                signer=head.user.full_name, signer_title=head.membership.title, council_members=7, council_present=6,
                votes_for=6, minutes=minutes_pdf(unit=head.unit, council="Hội đồng Thi đua - Khen thưởng Công ty",
                                                 number=number, date=today,
                                                 names=[n.name for n in moving["send"]]),
            )  # fmt: skip
        if round_ in ROUND_STEP:
            step = ROUTE_STEPS[route][ROUND_STEP[round_]]
            if step == Step.AWAITING_DECISION:
                return
            rule = self.rules[(tier.pk, step)]
            acting = self.actor(self.personas[rule.role])
            if moving["approve"]:
                if (route, step) in svc.HANDOFF_STEPS:
                    signer = {Step.POLICE_APPRAISAL: POLICE_OFFICE_SIGNER if route == Route.DIRECTOR else POLICE_SIGNER,
                              Step.HOME_AFFAIRS_APPRAISAL: HOME_AFFAIRS_SIGNER,
                              Step.MINISTRY_FORWARD: DIRECTOR_SIGNER}[step]  # fmt: skip
                    symbol = HANDOFF_SYMBOLS[(route, step)]
                    svc.handoff_send(by=acting, nominations=moving["approve"], number=f"1{tier.pk}{round_}/{symbol}",
                                     date=today, signer=signer[0], signer_title=signer[1])  # fmt: skip
                else:
                    for nomination in moving["approve"]:
                        svc.nomination_act(by=acting, nomination=nomination, step=step, outcome=Outcome.APPROVED)
            for nomination in moving["return"]:
                svc.nomination_act(by=acting, nomination=nomination, step=step, outcome=Outcome.RETURNED,
                                   comment="Đề nghị bổ sung xác nhận thành tích của cơ quan Công an nơi cư trú.")  # fmt: skip
            for nomination in moving["reject"]:
                svc.nomination_act(by=acting, nomination=nomination, step=step, outcome=Outcome.REJECTED,
                                   comment="Thành tích chưa tiêu biểu, chưa đáp ứng tiêu chuẩn khen thưởng.")  # fmt: skip
        if moving["decide"]:
            self._template_decision(tier, moving["decide"])
        for nomination in moving["withdraw"]:
            svc.nomination_withdraw(by=head, nomination=nomination, reason="Đơn vị rút đề nghị để hoàn thiện hồ sơ.")

    def _template_decision(self, tier: AwardType, nominations: list[Nomination]) -> None:
        today = self.today
        scan = one_page_pdf([("QUYẾT ĐỊNH", True), (f"Về việc khen thưởng ({tier.name})", True)], title="Quyết định")
        if tier.route == Route.MINISTRY:
            liaison = self.actor(self.personas[Role.MINISTRY_LIAISON])
            symbol = "QĐ-BCA"
            number = decision_services.decision_next_number(issuer_id=liaison.unit.pk, symbol=symbol, year=today.year)
            decision_services.decision_record(
                by=liaison, campaign=self.current, award_type=tier, nominations=nominations, number=number,
                symbol=symbol, date=today, signer="Lương Tam Quang", signer_title="Bộ trưởng",
                scan=_upload("qd-bca.pdf", scan),
            )  # fmt: skip
            return
        username, signer, title, authority, funding, recipients = DECIDERS[tier.code]
        decider = self.actor(Membership.objects.select_related("user", "unit").get(user__username=username,
                                                                                   acting_for__isnull=True))  # fmt: skip
        draft = decision_services.decision_draft(
            by=decider, campaign=self.current, award_type=tier, nominations=nominations, signer=signer,
            signer_title=title, authority=authority, funding_source=funding, recipients=recipients,
        )  # fmt: skip
        number = decision_services.decision_next_number(issuer_id=draft.issuer_id, symbol=draft.symbol, year=today.year)
        decision_services.decision_issue(by=decider, decision=draft, number=number, date=today,
                                         scan=_upload(f"qd-{number:02d}.pdf", scan))  # fmt: skip

    def _load_template(self, template: Template) -> None:
        """Read back every row of a template nomination, its moments split into (round, offset)."""
        split = self.mapper.split
        (nomination,) = _select(Nomination, "id = %s", [template.pk])
        template.nomination = nomination
        template.actions = _select(NominationAction, "nomination_id = %s", [template.pk])
        process_columns = _columns(Process)
        (process,) = _select(Process, "id = (SELECT process_ptr_id FROM workflows_nominationprocess WHERE "
                                      "nomination_id = %s)", [template.pk], process_columns)  # fmt: skip
        process["data"] = _json(process["data"])
        (nprocess,) = _select(NominationProcess, "process_ptr_id = %s", [process["id"]], _columns(NominationProcess))
        template.process, template.nprocess = process, nprocess
        template.tasks = _select(Task, "process_id = %s", [process["id"]])
        for task in template.tasks:
            task["data"] = _json(task["data"])
        template.previous = self._previous([t["id"] for t in template.tasks])
        template.audit = _select(AuditEvent, "object_type = 'nomination' AND object_id = %s", [str(template.pk)])
        template.handoff_links = [h for (h,) in HandOff.nominations.through.objects.filter(
            nomination_id=template.pk).order_by("handoff_id").values_list("handoff_id")]  # fmt: skip
        template.handoff_rounds = {
            split(h.created_at)[0]: h.pk for h in HandOff.objects.filter(pk__in=template.handoff_links)
        }
        item = DecisionItem.objects.filter(nomination_id=template.pk).first()
        template.decision_id = item.decision_id if item else None
        template.dossier_id = nomination["dossier_id"]
        # Every moment of its rows, as (round, offset): a clone places the rounds in its own campaign.
        moments = [nomination["created_at"], nomination["held_since"]]
        moments += [a["at"] for a in template.actions] + [e["at"] for e in template.audit]
        moments += [t["created"] for t in template.tasks]
        template.rounds = sorted({split(m)[0] for m in moments if m is not None})
        template.splits = {
            "nomination": {c: split(nomination[c]) for c in ("created_at", "updated_at", "held_since")},
            "process": {c: split(process[c]) for c in ("created", "finished")},
            "actions": [{c: split(a[c]) for c in ("at", "arrived_at")} for a in template.actions],
            "tasks": [{c: split(t[c]) for c in ("created", "started", "finished", "assigned", "scheduled")}
                      for t in template.tasks],
            "audit": [split(e["at"]) for e in template.audit],
        }  # fmt: skip
        template.unit_id = nomination["unit_id"]
        template.officer, template.head = self.template_unit.officer[0], self.template_unit.head[0]
        template.holder_is_unit = nomination["holder_id"] == nomination["unit_id"]

    # Nominations ------------------------------------------------------------------------------------

    def nominations(self) -> None:
        clones = self._plan()
        groups = self._groups(clones)
        self._write_groups(groups)
        self._write_clones(clones)
        self.counts["nominations"] = Nomination.objects.count()

    def _plan(self) -> list[Clone]:
        """Which template each nomination copies, in which campaign, unit and name (no rows yet)."""
        rng = self.rng
        total = max(0, self.sizes["nominations"] - Nomination.objects.count())  # the demo's and the templates count
        weights = {c.pk: (6.0 if self.phases[c.pk] == "current" else 2.0 if c.plan_number == "181"
                          else 1.0 + (c.plan_date.year - 2016) * 0.35) for c in self.campaign_list}  # fmt: skip
        scale = total / sum(weights.values())
        shares = {pk: int(w * scale) for pk, w in weights.items()}
        shares[self.current.pk] += total - sum(shares.values())
        evidence = self._evidence()
        seen = self._seen_nominees()
        first_id = _reserve(Nomination, total)
        clones: list[Clone] = []
        serial = 100_000
        by_state = defaultdict(list)
        for template in self.templates_by_key.values():
            by_state[template.state].append(template)
        for campaign in self.campaign_list:
            phase = PHASE_WEIGHTS[self.phases[campaign.pk]]
            choices, template_weights = [], []
            for state, weight in phase.items():
                group = by_state[state]
                route_total = sum(ROUTE_WEIGHTS[t.route] for t in group)
                for template in group:
                    choices.append(template)
                    template_weights.append(weight * ROUTE_WEIGHTS[template.route] / route_total)
            day = campaign.reference_date
            valid = [u for u in self.unit_info.values() if u.valid_on(day) and u.weight > 0 and u.officer and u.head]
            # Sent up only on a report accepted before the dossiers go (not the demo's, accepted "now").
            timeline = self.timelines[campaign.pk]
            sending = timeline.nominations_start + timeline.scale * ROUND_DAYS[R_SEND][0]
            sendable = [u for u in valid if (e := evidence.get((campaign.pk, u.id))) and e[2] and e[2] < sending]
            valid_weights, sendable_weights = [u.weight for u in valid], [u.weight for u in sendable]
            year = campaign.plan_date.year
            for _n in range(shares[campaign.pk]):
                template = rng.choices(choices, template_weights)[0]
                if template.state == "draft_prepare":
                    info = rng.choices(valid, valid_weights)[0]
                else:
                    info = rng.choices(sendable, sendable_weights)[0]
                clone = Clone()
                clone.id, clone.template, clone.campaign, clone.unit = first_id + len(clones), template, campaign, info
                clone.evidence = evidence.get((campaign.pk, info.id), (None, None, None))[:2]
                clone.achievement = rng.choice(self.achievements).format(year=year)
                if rng.random() < 0.55:
                    clone.kind, clone.gender = NomineeKind.INDIVIDUAL, rng.choice(["male", "female"])
                    while True:
                        clone.name = _name(rng, clone.gender)
                        clone.birth_date = dt.date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
                        key = (campaign.pk, identity.name_key(clone.name), clone.birth_date)
                        if key not in seen:
                            seen.add(key)
                            break
                    clone.position = rng.choice(POSITIONS.get(info.kind, DEFAULT_POSITIONS))
                    clone.workplace = info.name
                    if rng.random() < 0.7:
                        serial += 1
                        province = "075" if rng.random() < 0.8 else rng.choice(sorted(identity.PROVINCE_CODES))
                        clone.id_number = cccd(province, clone.gender, clone.birth_date, serial)
                    else:
                        clone.id_number = ""
                    clone.women_percent = None
                else:
                    clone.kind, clone.gender, clone.birth_date, clone.position, clone.workplace = (
                        NomineeKind.COLLECTIVE, "", None, "", "")  # fmt: skip
                    clone.id_number = ""
                    patterns = UNIT_TEAMS.get(info.kind, DEFAULT_TEAMS)
                    for attempt in range(1000):
                        name = rng.choice(patterns).format(n=rng.randint(1, 30 + attempt * 10))
                        if attempt >= 20:  # a unit with many collectives this year: numbered teams
                            name = f"Tổ công tác số {rng.randint(1, 100 + attempt * 100)}"
                        key = (campaign.pk, identity.name_key(name), info.id)
                        if key not in seen:
                            seen.add(key)
                            break
                    clone.name = name
                    clone.women_percent = rng.randint(5, 85)
                clones.append(clone)
        return clones

    def _evidence(self) -> dict[tuple[int, int], tuple]:
        """(campaign, unit) -> the covering report, its accepted version and when that was accepted, as
        `awards.permissions.evidence_for` walks."""
        reports = {
            (c, u): (r, v, at) for r, c, u, v, at in Report.objects.values_list(
                "pk", "campaign_id", "unit_id", "accepted_version_id", "accepted_version__reviewed_at")
        }  # fmt: skip
        parents = dict(Unit.objects.values_list("pk", "parent_id"))
        placements = defaultdict(list)
        for unit_id, parent_id, until in UnitPlacement.objects.order_by("until").values_list("unit", "parent", "until"):
            placements[unit_id].append((until, parent_id))
        found = {}
        for campaign in self.campaign_list:
            day = campaign.reference_date
            for unit_id in self.unit_info:
                current, seen = unit_id, set()
                while current is not None and current not in seen:
                    if (campaign.pk, current) in reports:
                        found[(campaign.pk, unit_id)] = reports[(campaign.pk, current)]
                        break
                    seen.add(current)
                    earlier = [p for until, p in placements.get(current, []) if until >= day]
                    current = earlier[0] if earlier else parents.get(current)
        return found

    def _seen_nominees(self) -> set:
        seen = set()
        for campaign, kind, name_key, birth, parent in Nomination.objects.values_list(
            "campaign_id", "kind", "name_key", "birth_date", "parent_unit_id"
        ):
            seen.add((campaign, name_key, birth if kind == NomineeKind.INDIVIDUAL else parent))
        return seen

    @property
    def achievements(self) -> list[str]:
        """The achievement lines, each checked to fit the certificates (the police appraisal's rule)."""
        if not hasattr(self, "_achievements"):
            layouts = [certificate_layout(tier).achievement for tier in self.tiers.values()]
            lines = [line for line in ACHIEVEMENTS
                     if all(p is None or certificate.fits(line.format(year=2026), p) for p in layouts)]  # fmt: skip
            assert lines, "no achievement line fits the certificates"
            self._achievements = lines
        return self._achievements

    def _groups(self, clones: list[Clone]) -> dict:
        """Dossiers per unit, tier and campaign; hand-offs and decisions in batches; each clone's round times."""
        rng = self.rng
        dossiers: dict[tuple, Group] = {}
        handoffs: dict[tuple, list[Group]] = defaultdict(list)
        decisions: dict[tuple, list[Group]] = defaultdict(list)
        for clone in clones:
            template, timeline = clone.template, self.timelines[clone.campaign.pk]
            if template.dossier_id is not None:
                key = (clone.campaign.pk, clone.unit.id, template.tier_id)
                if key not in dossiers:
                    dossiers[key] = Group(0, timeline.round_at(rng, R_SEND), key)
                dossiers[key].members.append(clone)
                clone.dossier = dossiers[key]
            for round_, handoff_id in template.handoff_rounds.items():
                key = (clone.campaign.pk, handoff_id)
                chunks = handoffs[key]
                if not chunks or len(chunks[-1].members) >= HANDOFF_SIZE:
                    chunks.append(Group(0, timeline.round_at(rng, round_), key))
                chunks[-1].members.append(clone)
                clone.handoffs[handoff_id] = chunks[-1]
            if template.decision_id is not None:
                key = (clone.campaign.pk, template.decision_id)
                chunks = decisions[key]
                if not chunks or len(chunks[-1].members) >= DECISION_SIZE:
                    chunks.append(Group(0, timeline.round_at(rng, R_DECIDE), key))
                chunks[-1].members.append(clone)
                clone.decision = chunks[-1]
        for model, groups in ((Dossier, list(dossiers.values())),
                              (HandOff, [g for chunks in handoffs.values() for g in chunks]),
                              (Decision, [g for chunks in decisions.values() for g in chunks])):  # fmt: skip
            first = _reserve(model, len(groups))
            for n, group in enumerate(groups):
                group.id = first + n
        handoff_rounds = {}
        for clone in clones:
            template, timeline = clone.template, self.timelines[clone.campaign.pk]
            handoff_rounds = {r: clone.handoffs[h] for r, h in template.handoff_rounds.items()}
            for round_ in template.rounds:
                if round_ == R_SEND and clone.dossier is not None:
                    clone.rounds[round_] = clone.dossier.at
                elif round_ in handoff_rounds:
                    clone.rounds[round_] = handoff_rounds[round_].at
                elif round_ == R_DECIDE and clone.decision is not None:
                    clone.rounds[round_] = clone.decision.at
                else:
                    clone.rounds[round_] = timeline.round_at(rng, round_)
        return {"dossiers": dossiers, "handoffs": handoffs, "decisions": decisions}

    def _write_groups(self, groups: dict) -> None:
        audit, files, links = [], [], {"handoff": [], "decision": []}
        minutes = {f.dossier_id: f for f in NominationFile.objects.filter(dossier__isnull=False)}
        numbers: dict[tuple, int] = defaultdict(int)
        # Dossiers: the unit head's tờ trình with the council's minutes.
        dossier_rows = []
        template_dossiers = {d.pk: d for d in Dossier.objects.filter(
            pk__in={t.dossier_id for t in self.templates_by_key.values() if t.dossier_id})}  # fmt: skip
        for (campaign_id, _unit_id, _tier_id), group in groups["dossiers"].items():
            clone = group.members[0]
            info, campaign, source = clone.unit, clone.campaign, template_dossiers[clone.template.dossier_id]
            day = timezone.localdate(group.at)
            numbers[(info.id, day.year)] += 1
            group.number = f"{numbers[(info.id, day.year)] * 3 + 10}/TTr-{DOSSIER_SYMBOLS.get(info.kind, 'UBND')}"
            late = None
            if campaign.nomination_deadline and group.at > campaign.nomination_deadline:
                late = max(1, (day - timezone.localdate(campaign.nomination_deadline)).days)
            members = self._number(group.number, info.code, low=5, high=11)
            present = members - self._number(group.number, low=0, high=2)
            dossier_rows.append((group.id, campaign_id, info.id, source.award_type_id, group.number, day, info.head[2],
                                 info.head[3], members, present, present, group.at, info.head[0], late))  # fmt: skip
            sheet = minutes[source.pk]
            files.append((None, group.id, info.id, sheet.kind, sheet.stored_path, sheet.sha256, sheet.size,
                          sheet.content_type, sheet.original_name, info.head[0], group.at))  # fmt: skip
            audit.append(_audit(group.at + dt.timedelta(seconds=1), info.head[0], info.head[1], info.id,
                                "dossier_submitted", "dossier", group.id,
                                detail={"nominations": [c.id for c in group.members], "late_days": late}))  # fmt: skip
        _copy(_table(Dossier), ["id", "campaign_id", "unit_id", "award_type_id", "number", "date", "signer",
                                "signer_title", "council_members", "council_present", "votes_for", "submitted_at",
                                "submitted_by_id", "late_days"], dossier_rows)  # fmt: skip
        _copy(_table(NominationFile), ["nomination_id", "dossier_id", "unit_id", "kind", "stored_path", "sha256", "size",
                                       "content_type", "original_name", "uploaded_by_id", "uploaded_at"], files)  # fmt: skip
        # Hand-offs: the agency's tờ trình passing a batch on, citing the bases in force on its date.
        handoff_columns = _columns(HandOff)
        handoff_rows = []
        for (campaign_id, template_id), chunks in groups["handoffs"].items():
            (source,) = _select(HandOff, "id = %s", [template_id], handoff_columns)
            (event,) = _select(AuditEvent, "object_type = 'handoff' AND object_id = %s", [str(template_id)])
            campaign = chunks[0].members[0].campaign
            from_unit = Unit.objects.get(pk=source["from_unit_id"])
            symbol = source["number"].split("/", 1)[1]
            for group in chunks:
                at = group.at + self._offset(source["created_at"])
                day = timezone.localdate(at)
                numbers[(from_unit.pk, symbol, day.year)] += 1
                number = f"{numbers[(from_unit.pk, symbol, day.year)] * 2 + 100}/{symbol}"
                handoff_rows.append(tuple({**source, "id": group.id, "campaign_id": campaign_id, "number": number,
                                           "date": day, "created_at": at}[c] for c in handoff_columns))  # fmt: skip
                for basis in self._bases(campaign, from_unit.kind, day, competence=False):
                    links["handoff"].append((group.id, basis))
                audit.append(_audit(at + dt.timedelta(seconds=2), event["actor_id"], event["membership_id"],
                                    event["unit_id"], "handoff_sent", "handoff", group.id,
                                    detail={"nominations": [c.id for c in group.members]}))  # fmt: skip
        _copy(_table(HandOff), handoff_columns, handoff_rows)
        _copy(HandOff.cited_bases.through._meta.db_table, ["handoff_id", "legalbasis_id"], links["handoff"])
        # Decisions: issued, numbered in their body's register, the prize money of their date.
        decision_columns = _columns(Decision)
        decision_rows, items, files = [], [], []
        registers = {
            (i, s, y): n for i, s, y, n in Decision.objects.values("issuer_id", "symbol", "year").annotate(
                top=Max("number")).values_list("issuer_id", "symbol", "year", "top")
        }  # fmt: skip
        for (campaign_id, template_id), chunks in groups["decisions"].items():
            (source,) = _select(Decision, "id = %s", [template_id], decision_columns)
            events = _select(AuditEvent, "object_type = 'decision' AND object_id = %s", [str(template_id)])
            campaign = chunks[0].members[0].campaign
            issuer = Unit.objects.get(pk=source["issuer_id"])
            tier = AwardType.objects.get(pk=source["award_type_id"])
            for group in chunks:
                at = group.at
                day = timezone.localdate(at)
                register = (issuer.pk, source["symbol"], day.year)
                registers[register] = (registers.get(register) or (900 if tier.route == Route.MINISTRY else 0)) + 1
                number = registers[register]
                drafted = at - dt.timedelta(days=2 if not self.timelines[campaign_id].current else 0, hours=1)
                row = {**source, "id": group.id, "campaign_id": campaign_id, "number": number, "date": day,
                       "year": day.year, "created_at": drafted, "issued_at": at}  # fmt: skip
                decision_rows.append(tuple(row[c] for c in decision_columns))
                if tier.route != Route.MINISTRY:  # (the Ministry's scan is its document)
                    files.extend((group.id, None, kind, "", DocumentStatus.FAILED, 0, "", "", None, NOT_BUILT, at, None)
                                 for kind in DECISION_FILES)  # fmt: skip
                for basis in self._bases(campaign, issuer.kind, day, competence=True):
                    links["decision"].append((group.id, basis))
                for clone in group.members:
                    if clone.kind == NomineeKind.COLLECTIVE:
                        printed = (clone.name, "", clone.unit.name)
                    else:
                        printed = (clone.name, clone.position, clone.workplace or clone.unit.name)
                    items.append((group.id, clone.id, self._prize(tier, clone.kind, day), None, None, *printed,
                                  clone.achievement))  # fmt: skip
                reference = f"{number:02d}/{source['symbol']}"
                ids = [c.id for c in group.members]
                for event in events:
                    moment = drafted if event["action"] == "decision_drafted" else at
                    detail = {"nominations": ids} if event["action"] == "decision_drafted" else {
                        "reference": reference, "date": day.isoformat(), "kind": source["kind"], "refers_to": None,
                        "nominations": ids}  # fmt: skip
                    audit.append(_audit(moment, event["actor_id"], event["membership_id"], event["unit_id"],
                                        event["action"], "decision", group.id, detail=detail))  # fmt: skip
        _copy(_table(Decision), decision_columns, decision_rows)
        _copy(Decision.cited_bases.through._meta.db_table, ["decision_id", "legalbasis_id"], links["decision"])
        _copy(_table(DecisionItem), ["decision_id", "nomination_id", "prize_amount", "revoked_by_id", "corrected_by_id",
                                     "printed_name", "printed_position", "printed_unit", "printed_achievement"], items)  # fmt: skip
        _copy(_table(GeneratedDocument), ["decision_id", "handoff_id", "kind", "fingerprint", "status", "progress",
                                          "path", "sha256", "size", "error", "requested_at", "built_at"], files)  # fmt: skip
        _copy(_table(AuditEvent), AUDIT_COLUMNS, audit)
        self.counts["dossiers"] = len(dossier_rows)
        self.counts["handoffs"] = len(handoff_rows)
        self.counts["decisions"] = len(decision_rows)

    def _offset(self, moment: dt.datetime) -> dt.timedelta:
        return self.mapper.split(moment)[1]

    @cache  # noqa: B019
    def _bases(self, campaign: Campaign, kind: str, day: dt.date, *, competence: bool) -> list[int]:
        return [b.pk for b in bases_in_force(campaign=campaign, issuer_kind=kind, day=day, competence=competence)]

    @cache  # noqa: B019
    def _prize(self, tier: AwardType, kind: str, day: dt.date) -> int:
        return prize_money(award_type=tier, kind=kind, day=day)

    def _write_clones(self, clones: list[Clone]) -> None:
        nomination_columns = _columns(Nomination)
        action_columns = [c for c in _columns(NominationAction) if c != "id"]
        process_columns, task_columns = _columns(Process), _columns(Task)
        limits = {(r.award_type_id, r.step): r.time_limit_days for r in self.rules.values()}
        assignees = {  # who claims a step at the agency holding it
            Step.POLICE_APPRAISAL: self.personas[Role.POLICE_REVIEWER],
            Step.DIRECTOR_APPROVAL: self.personas[Role.POLICE_DIRECTOR],
            Step.MINISTRY_FORWARD: self.personas[Role.POLICE_DIRECTOR],
            Step.HOME_AFFAIRS_APPRAISAL: self.personas[Role.HOME_AFFAIRS_REVIEWER],
            Step.LEADER_APPROVAL: self.personas[Role.PROVINCIAL_LEADER],
        }  # fmt: skip
        leaders = {  # the daily escalation job told the holding agency's leaders about each late step
            unit: [u.pk for u in users]
            for unit, users in unit_members({r.unit_id for r in self.rules.values() if r.unit_id}, LEADER_ROLES).items()
        }
        today = self.today
        rng = self.rng
        self.nomination_samples = []
        done = 0
        for start in range(0, len(clones), BATCH):
            batch = clones[start : start + BATCH]
            tasks_needed = sum(len(c.template.tasks) for c in batch)
            first_process, first_task = _reserve(Process, len(batch)), _reserve(Task, tasks_needed)
            rows = {k: [] for k in ("nomination", "action", "process", "nprocess", "task", "previous", "audit",
                                    "handoff")}  # fmt: skip
            next_task = first_task
            for n, clone in enumerate(batch):
                template, info = clone.template, clone.unit
                rounds = clone.rounds
                people = {template.officer: info.officer, template.head: info.head}
                nomination = dict(template.nomination)
                splits = template.splits["nomination"]
                created, held = _shift(splits["created_at"], rounds), _shift(splits["held_since"], rounds)
                updated = _shift(splits["updated_at"], rounds)
                status, step = nomination["status"], nomination["step"]
                step_due = None
                if nomination["step_due"] is not None:
                    arrived = held if status != NominationStatus.WITHDRAWN else _shift(
                        template.splits["actions"][-1]["arrived_at"], rounds)  # fmt: skip
                    step_due = _due(timezone.localdate(arrived), limits[(template.tier_id, step)])
                assignee = None
                if status in OPEN_STATUSES and step not in UNIT_STEPS and rng.random() < 0.3:
                    assignee = assignees[step]
                escalated = None
                if (
                    step_due is not None
                    and step_due < today
                    and status in (NominationStatus.IN_REVIEW, NominationStatus.RETURNED)
                    and step not in UNIT_STEPS
                ):
                    escalated = min(self.now, dt.datetime.combine(step_due + dt.timedelta(days=1), dt.time(7, 0), TZ))
                nomination.update(
                    id=clone.id, campaign_id=clone.campaign.pk, unit_id=info.id, kind=clone.kind, name=clone.name,
                    name_key=identity.name_key(clone.name),
                    sort_key=person_sort_key(clone.name) if clone.kind == NomineeKind.INDIVIDUAL else sort_key(clone.name),
                    parent_unit_id=info.id if clone.kind == NomineeKind.COLLECTIVE else None,
                    women_percent=clone.women_percent, gender=clone.gender, birth_date=clone.birth_date,
                    position=clone.position, workplace=clone.workplace, id_number=clone.id_number,
                    achievement=clone.achievement, achievement_text="", evidence_report_id=clone.evidence[0],
                    evidence_version_id=clone.evidence[1], cites_consolidation=False,
                    holder_id=info.id if template.holder_is_unit else nomination["holder_id"], held_since=held,
                    step_due=step_due, escalated_at=escalated, assignee_id=assignee.user_id if assignee else None,
                    dossier_id=clone.dossier.id if clone.dossier else None, created_by_id=info.officer[0],
                    created_at=created, updated_at=updated,
                )  # fmt: skip
                rows["nomination"].append(tuple(nomination[c] for c in nomination_columns))
                for action, split in zip(template.actions, template.splits["actions"], strict=True):
                    actor = people.get(action["actor_id"])
                    arrived = _shift(split["arrived_at"], rounds)
                    due = None
                    if action["due"] is not None:
                        due = _due(timezone.localdate(arrived), limits[(template.tier_id, action["step"])])
                    acted_at = _shift(split["at"], rounds)
                    took, late = None, None  # as services.nominations.step_took fixes them for the clone's dates
                    if arrived is not None:
                        took = _took(timezone.localdate(arrived), timezone.localdate(acted_at))
                        late = due is not None and timezone.localdate(acted_at) > due
                    row = dict(action, nomination_id=clone.id, at=acted_at, arrived_at=arrived, due=due, took_days=took,
                               late=late, unit_id=info.id if action["unit_id"] == template.unit_id else action["unit_id"],
                               actor_id=actor[0] if actor else action["actor_id"],
                               handoff_id=clone.handoffs[action["handoff_id"]].id if action["handoff_id"] else None)  # fmt: skip
                    rows["action"].append(tuple(row[c] for c in action_columns))
                process_id = first_process + n
                process = dict(template.process, id=process_id,
                               created=_shift(template.splits["process"]["created"], rounds),
                               finished=_shift(template.splits["process"]["finished"], rounds))  # fmt: skip
                rows["process"].append(tuple(process[c] for c in process_columns))
                rows["nprocess"].append((process_id, template.nprocess["outcome"], clone.id, info.id))
                task_ids = {}
                for task, split in zip(template.tasks, template.splits["tasks"], strict=True):
                    task_ids[task["id"]] = next_task
                    row = dict(task, id=next_task, process_id=process_id)
                    for column, value in split.items():
                        row[column] = _shift(value, rounds)
                    rows["task"].append(tuple(row[c] for c in task_columns))
                    next_task += 1
                rows["previous"].extend((task_ids[a], task_ids[b]) for a, b in template.previous)
                name = clone.name[:255]
                for event, split in zip(template.audit, template.splits["audit"], strict=True):
                    person = people.get(event["actor_id"])
                    rows["audit"].append(_audit(
                        _shift(split, rounds), person[0] if person else event["actor_id"],
                        person[1] if person else event["membership_id"],
                        info.id if event["unit_id"] == template.unit_id else event["unit_id"], event["action"],
                        "nomination", clone.id, "", event["from_state"], event["to_state"], event["detail"],
                    ))  # fmt: skip
                if assignee is not None:
                    claimed = held + (min(self.now, held + dt.timedelta(days=3)) - held) * rng.random()
                    rows["audit"].append(_audit(claimed, assignee.user_id, assignee.pk, info.id, "nomination_assigned",
                                                "nomination", clone.id, detail={
                                                    "step": step, "from": None, "to": assignee.user_id}))  # fmt: skip
                if escalated is not None:
                    holder = nomination["holder_id"]
                    rows["audit"].append(_audit(escalated, None, None, info.id, "nomination_escalated", "nomination",
                                                clone.id, detail={"step": step, "due": step_due.isoformat(),
                                                                        "leaders": leaders.get(holder, [])}))  # fmt: skip
                for group in clone.handoffs.values():
                    rows["handoff"].append((group.id, clone.id))
                self.nomination_samples.append((clone.id, name, info, clone.kind, created,
                                                held if status in OPEN_STATUSES else updated, step))  # fmt: skip
            _copy(_table(Nomination), nomination_columns, rows["nomination"])
            _copy(_table(NominationAction), action_columns, rows["action"])
            _copy(_table(Process), process_columns, rows["process"])
            _copy(
                _table(NominationProcess), ["process_ptr_id", "outcome", "nomination_id", "unit_id"], rows["nprocess"]
            )
            _copy(_table(Task), task_columns, rows["task"])
            _copy(Task.previous.through._meta.db_table, ["from_task_id", "to_task_id"], rows["previous"])
            _copy(_table(AuditEvent), AUDIT_COLUMNS, rows["audit"])
            _copy(HandOff.nominations.through._meta.db_table, ["handoff_id", "nomination_id"], rows["handoff"])
            for key, name in (("action", "nomination_actions"), ("task", "nomination_tasks"),
                              ("audit", "nomination_audit")):  # fmt: skip
                self.counts[name] += len(rows[key])
            done += len(batch)
            self.say(f"    nominations {done:,}/{len(clones):,}")

    # The rest of the audit trail -------------------------------------------------------------------

    def audit(self) -> None:
        """Everyday events on the rows made, up to the total asked for: autosaves, personal data shown,
        duplicate checks, edits, claims, refused accesses."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {_table(AuditEvent)}")  # noqa: S608
            present = cursor.fetchone()[0]
        wanted = self.sizes["audit_events"] - present
        if wanted <= 0:
            return
        rng = self.rng
        reports, nominations = self.report_samples, self.nomination_samples
        individuals = [s for s in nominations if s[3] == NomineeKind.INDIVIDUAL] or nominations
        police = self.personas[Role.POLICE_REVIEWER]
        officers = [u.officer for u in self.unit_info.values() if u.officer]
        kinds = ["report_saved", "personal_data_viewed", "nomination_duplicate_checked", "nomination_updated",
                 "nomination_assigned", "access_denied"]  # fmt: skip
        weights = [40, 22, 12, 10, 12, 4]
        ip = lambda: f"10.{rng.randint(0, 40)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"  # noqa: E731

        def events():
            for _n in range(wanted):
                action = rng.choices(kinds, weights)[0]
                if action == "report_saved" and reports:
                    report_id, _label, info, begun, sent, _campaign = rng.choice(reports)
                    at = begun + (sent - begun) * rng.random()
                    yield _audit(at, info.officer[0], info.officer[1], info.id, action, "report", report_id,
                                 detail={"items": ["II.1.a"]})  # fmt: skip
                    continue
                if action == "access_denied":
                    who = rng.choice(officers)
                    sample = rng.choice(nominations)
                    yield _audit(sample[4], who[0], who[1], None, action, "nomination", sample[0], ip=ip())
                    continue
                sample = rng.choice(individuals if action == "personal_data_viewed" else nominations)
                pk, _name, info, _kind, created, until, step = sample
                at = created + (until - created) * rng.random()
                if action == "personal_data_viewed":
                    who = (police.user_id, police.pk) if rng.random() < 0.6 else info.officer[:2]
                    yield _audit(at, who[0], who[1], info.id, action, "nomination", pk, ip=ip())
                elif action == "nomination_assigned":
                    yield _audit(at, police.user_id, police.pk, info.id, action, "nomination", pk,
                                 detail={"step": Step.POLICE_APPRAISAL, "from": None, "to": police.user_id})  # fmt: skip
                elif action == "nomination_updated":
                    yield _audit(created + (at - created) * 0.1, info.officer[0], info.officer[1], info.id, action,
                                 "nomination", pk, detail={"fields": ["achievement_text"]})  # fmt: skip
                else:
                    yield _audit(created, info.officer[0], info.officer[1], info.id, action, "nomination", pk)

        self.counts["audit_everyday"] = _copy(_table(AuditEvent), AUDIT_COLUMNS, events())

    def seal(self) -> None:
        """Seal every audit row, as the `audit_seal` job would (rows written with COPY included)."""
        self.counts["audit_sealed"] = audit_seal(limit=None)["sealed"]


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, "application/pdf")


def scale_built() -> bool:
    return Unit.objects.filter(code__startswith=PREFIX).exists()


def build_scale(*, units: int = 1000, nominations: int = 100_000, audit_events: int = 1_000_000, seed: int = 1,
                stdout=None) -> dict:  # fmt: skip
    """Build the data set on the demo (made first if missing), in one transaction; returns what was made."""
    if connection.vendor != "postgresql":
        raise ScaleRefused(
            "seed_scale builds on PostgreSQL only (it writes with COPY and is measured there): set DATABASE_URL "
            "to a PostgreSQL database."
        )
    if scale_built():
        raise ScaleRefused(
            f"seed_scale has already run on this database (its units, {PREFIX}…, exist): start from an empty "
            "database to build it again."
        )
    if units < 10 or nominations < 100:
        raise ScaleRefused("seed_scale needs at least 10 units and 100 nominations.")
    build = Build(units=units, nominations=nominations, audit_events=audit_events, seed=seed, stdout=stdout)
    started = time.monotonic()
    with transaction.atomic():
        build.phase("demo world", build.demo)
        build.phase("units and accounts", build.units)
        build.phase("campaigns", build.campaigns)
        build.phase("reports", build.reports)
        build.phase("template nominations", build.templates)
        build.phase("nominations", build.nominations)
        build.phase("audit trail", build.audit)
        build.phase("audit seals", build.seal)
        build.phase("lateness tallies", svc.lateness_tally_rebuild)  # the clones' steps, summed
        Notification.objects.filter(pk__gt=build.notifications_before, email_status=EmailStatus.PENDING).update(
            email_status=EmailStatus.NOT_SENT, email_next_try_at=None
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    build.counts["seconds"] = round(time.monotonic() - started, 1)
    return dict(build.counts)


# Checking it ------------------------------------------------------------------------------------------


def scale_problems(*, sample: int = 2000) -> list[str]:
    """What disagrees between the nominations and their workflow, evidence, holders, decisions and keys."""
    problems: list[str] = []
    nomination, task, nprocess = _table(Nomination), _table(Task), _table(NominationProcess)
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT n.id, n.step, n.status, count(t.id) FILTER (WHERE t.status = 'NEW'),
                   min(t.flow_task) FILTER (WHERE t.status = 'NEW'), count(DISTINCT np.process_ptr_id)
            FROM {nomination} n JOIN {nprocess} np ON np.nomination_id = n.id JOIN {task} t ON t.process_id = np.process_ptr_id
            GROUP BY n.id, n.step, n.status""")  # noqa: S608
        for pk, step, status, open_tasks, flow_task, processes in cursor.fetchall():
            is_open = status in (*OPEN_STATUSES, NominationStatus.AWAITING_DECISION)
            if processes != 1:
                problems.append(f"nomination {pk}: {processes} processes")
            elif is_open and (open_tasks != 1 or not flow_task.endswith(f".{step}")):
                problems.append(f"nomination {pk} ({step}, {status}): {open_tasks} open tasks ({flow_task})")
            elif not is_open and open_tasks:
                problems.append(f"nomination {pk} ({status}): {open_tasks} open tasks")
        sql = f"SELECT count(*) FROM {nomination} n WHERE NOT EXISTS (SELECT 1 FROM {nprocess} np WHERE np.nomination_id = n.id)"  # noqa: S608
        cursor.execute(sql)
        if missing := cursor.fetchone()[0]:
            problems.append(f"{missing} nominations without a process")
    sent = Nomination.objects.filter(dossier__isnull=False, cites_consolidation=False)
    if count := sent.filter(evidence_version__isnull=True).count():
        problems.append(f"{count} nominations sent without an accepted report")
    rules = {(r.award_type_id, r.step): r.unit_id for r in AwardStep.objects.all()}
    for pk, tier, step, unit, holder in Nomination.objects.values_list("pk", "award_type", "step", "unit", "holder"):
        expected = rules.get((tier, step)) or unit
        if holder != expected:
            problems.append(f"nomination {pk} at {step}: held by {holder}, not {expected}")
    awarded = Nomination.objects.filter(status=NominationStatus.AWARDED)
    if count := awarded.exclude(decision_items__decision__status="issued").count():
        problems.append(f"{count} awarded nominations without an issued decision")
    if (
        count := Nomination.objects.exclude(status=NominationStatus.AWARDED)
        .filter(decision_items__isnull=False)
        .count()
    ):
        problems.append(f"{count} nominations in a decision but not awarded")
    for n in Nomination.objects.order_by("?")[:sample]:
        keys = (identity.name_key(n.name),
                person_sort_key(n.name) if n.kind == NomineeKind.INDIVIDUAL else sort_key(n.name))  # fmt: skip
        if (n.name_key, n.sort_key) != keys:
            problems.append(f"nomination {n.pk}: keys differ from save()'s")
        if n.id_number:
            try:
                identity.check_id_number(number=n.id_number, gender=n.gender, birth_date=n.birth_date)
            except Exception as error:  # noqa: BLE001
                problems.append(f"nomination {n.pk}: {error}")
    later = Nomination.objects.filter(created_at__gt=timezone.now()).count()
    if later:
        problems.append(f"{later} nominations made in the future")
    handled = (
        NominationAction.objects.filter(outcome__in=HANDLED_OUTCOMES, took_days__isnull=False, actor__isnull=False)
        .exclude(step__in=(Step.PREPARE, Step.SUBMIT))
        .count()
    )
    tallied = LatenessTally.objects.aggregate(total=Sum("handled"))["total"] or 0
    if tallied != handled:
        problems.append(f"the lateness tallies count {tallied} handled steps, the step records {handled}")
    from ..selectors.integrity import integrity_findings  # the invariants of check_integrity (docs/integrity.md)

    problems.extend(str(finding) for finding in integrity_findings(files=False))
    return problems
