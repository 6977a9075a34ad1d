"""Personas: officers and heads of two units, a district officer, a commune officer, a reviewer at each
tier, a leader, a ministry liaison, an administrator, a user without any role, and anonymous."""

from dataclasses import dataclass, field

import pytest
from django.test import Client

from awards import services
from awards.actor import Actor
from awards.models import Membership, Role, Unit, UnitKind, User
from tests.factories import UnitFactory, UserFactory

PASSWORD = "Mat-khau-thu-2024"

PERSONAS = (
    "anon", "officer_a", "head_a", "officer_b", "head_b", "district", "commune",
    "police", "director", "home", "leader", "ministry", "admin", "outsider",
)  # fmt: skip


@dataclass
class Org:
    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    memberships: dict[str, Membership] = field(default_factory=dict)

    def actor(self, persona: str) -> Actor:
        membership = self.memberships.get(persona)
        return Actor(user=self.users[persona], membership=membership)

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anon":
            client.force_login(self.users[persona])
        return client


def build_org() -> Org:
    org = Org()
    u = org.units
    u["ministry"] = UnitFactory(code="BCA", name="Bộ Công an", kind=UnitKind.MINISTRY)
    u["province"] = UnitFactory(
        code="UBND-T", name="Ủy ban nhân dân tỉnh Thử", kind=UnitKind.PROVINCIAL_COMMITTEE,
        executing_office="Chánh Văn phòng Ủy ban nhân dân tỉnh",
    )  # fmt: skip
    u["police"] = UnitFactory(
        code="CA-T", name="Công an tỉnh Thử", kind=UnitKind.PROVINCIAL_POLICE, parent=u["province"],
        governing_body=u["ministry"], executing_office="Trưởng phòng Tham mưu Công an tỉnh",
    )  # fmt: skip
    u["home"] = UnitFactory(code="SNV-T", name="Sở Nội vụ tỉnh Thử", kind=UnitKind.HOME_AFFAIRS, parent=u["province"],
                            governing_body=u["province"])  # fmt: skip
    u["a"] = UnitFactory(code="DN-A", name="Công ty Cổ phần An Bình", kind=UnitKind.ENTERPRISE, parent=u["province"])
    u["b"] = UnitFactory(code="SGD-B", name="Sở Giáo dục và Đào tạo", kind=UnitKind.DEPARTMENT, parent=u["province"],
                         governing_body=u["province"])  # fmt: skip
    u["district"] = UnitFactory(
        code="UBND-H", name="Ủy ban nhân dân huyện Hòa", kind=UnitKind.DISTRICT_COMMITTEE, parent=u["province"]
    )
    u["commune"] = UnitFactory(
        code="UBND-H-X", name="Ủy ban nhân dân xã Xuân", kind=UnitKind.COMMUNE_COMMITTEE, parent=u["district"]
    )
    u["other_district"] = UnitFactory(
        code="UBND-K", name="Ủy ban nhân dân huyện Khánh", kind=UnitKind.DISTRICT_COMMITTEE, parent=u["province"]
    )
    u["other_commune"] = UnitFactory(
        code="UBND-K-Y", name="Ủy ban nhân dân xã Yên", kind=UnitKind.COMMUNE_COMMITTEE, parent=u["other_district"]
    )
    roles = {
        "officer_a": ("a", Role.UNIT_OFFICER),
        "head_a": ("a", Role.UNIT_HEAD),
        "officer_b": ("b", Role.UNIT_OFFICER),
        "head_b": ("b", Role.UNIT_HEAD),
        "district": ("district", Role.UNIT_OFFICER),
        "commune": ("commune", Role.UNIT_OFFICER),
        "police": ("police", Role.POLICE_REVIEWER),
        "director": ("police", Role.POLICE_DIRECTOR),
        "home": ("home", Role.HOME_AFFAIRS_REVIEWER),
        "leader": ("province", Role.PROVINCIAL_LEADER),
        "ministry": ("ministry", Role.MINISTRY_LIAISON),
    }
    for persona, (unit_key, role) in roles.items():
        user = UserFactory(username=persona, full_name=f"Người dùng {persona}")
        org.users[persona] = user
        org.memberships[persona] = services.membership_grant(by=None, user=user, unit=u[unit_key], role=role)
    admin = UserFactory(username="admin", full_name="Quản Trị Viên")
    org.users["admin"] = admin
    org.memberships["admin"] = services.administrator_grant(by=None, user=admin, unit=u["police"])
    org.users["outsider"] = UserFactory(username="outsider", full_name="Người Ngoài")
    org.users["anon"] = None
    return org


@pytest.fixture(scope="session", autouse=True)
def _flush_in_audit_maintenance():
    """A transactional test ends with Django's flush (one TRUNCATE of every table). On PostgreSQL the audit
    trail refuses TRUNCATE (migration 0026) unless the transaction set the maintenance switch: the flush's
    transaction sets it, and only the flush's (docs/audit.md)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    from awards.audit import MAINTENANCE_SQL

    plain = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        plain(self, [MAINTENANCE_SQL, *sql_list] if sql_list else sql_list)

    DatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    DatabaseOperations.execute_sql_flush = plain


@pytest.fixture(autouse=True)
def _broker_not_paused():
    """Each test starts with the broker trusted again (awards/jobs.py pauses sending for 30 s after a failure)."""
    from awards import jobs

    jobs._paused_until = 0.0


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the in-process one outlives a test's rolled-back data)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def redis_url() -> str:
    """This test process's own Redis database, emptied before and after (a killed worker's heartbeat would
    otherwise linger there for a week)."""
    import redis

    from tests.workers import redis_db_url

    url = redis_db_url()
    yield url
    with redis.Redis.from_url(url) as client:
        client.flushdb()


@pytest.fixture
def reference_data(db) -> None:
    """The base salaries (migration 0013 wrote them; a transactional test's flush empties the table for the
    tests after it), written again from the reference data (idempotent)."""
    from awards.reference.load import base_salaries_ensure

    base_salaries_ensure()


@pytest.fixture
def org(db, reference_data) -> Org:
    return build_org()


def build_campaign(org: Org, **overrides):
    """A campaign on the Plan 181 outline, reviewed by the test province's police."""
    import datetime as dt
    import zoneinfo

    from awards.models.campaigns import DEFAULT_PARTICIPANT_KINDS
    from awards.reference import outline_181
    from awards.services import campaigns as campaign_services

    outline = campaign_services.outline_create(by=None, code="DC-T", title="Đề cương thử",
                                               rows=outline_181.ITEMS)  # fmt: skip
    tz = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
    fields = {
        "title": "Tổng kết thử nghiệm", "plan_number": "181", "plan_symbol": "KH-UBND",
        "plan_date": dt.date(2024, 5, 21), "issuer": org.units["province"], "reviewer": org.units["police"],
        "directive": "Chỉ thị 07/CT-BCA-V28", "achievement": "đã có thành tích xuất sắc trong tổng kết thử nghiệm", "data_from": dt.date(2014, 8, 15), "data_to": dt.date(2024, 6, 14),
        "reference_date": dt.date(2024, 6, 14), "report_deadline": dt.datetime(2024, 6, 30, tzinfo=tz),
        "outline": outline, "participant_kinds": list(DEFAULT_PARTICIPANT_KINDS),
    }  # fmt: skip
    fields.update(overrides)
    return campaign_services.campaign_create(by=None, **fields)


@pytest.fixture
def campaign(org):
    return build_campaign(org)
