"""The permission matrix's successor rows: unit A merged into a new corporation on 1/7/2025 (through the
reorganisation service, its members moved). The successor's members — the moved officer and head, and an officer
who joined later — read A's files and continue its open nomination; A's own edit pages stay closed to them; a
non-successor (unit B's officer) and a member of an unrelated unit get 403 on every one of them, like the page
of any unit they do not belong to. Written out by hand, as the main matrix."""

import copy
import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from awards.models import ChangeKind, Report, Role, UnitKind
from awards.reference.tiers_181 import standard_tiers
from awards.services import nominations as nomination_services
from awards.services import org as org_services
from awards.services import reorganisations as reorganisation_services
from awards.services.nominations import campaign_offer
from tests.conftest import build_campaign, build_org
from tests.factories import UserFactory
from tests.test_consolidation import report as accepted_report
from tests.test_nominations import PERSON, send
from tests.test_permission_matrix import decisions_of
from tests.test_reports import REQUIRED_ENTERPRISE

COLUMNS = ("moved_officer", "moved_head", "joiner", "officer_b", "commune", "police")

# path with {objects} | method | expected status per column
MATRIX = """
/reports/{report_a}/                  | GET  | 200 200 200 403 403 200
/reports/{report_a}/report.pdf        | GET  | 200 200 200 403 403 200
/reports/{report_a}/edit/             | GET  | 403 403 403 403 403 403
/nominations/{withdrawn_a}/           | GET  | 200 200 200 403 403 403
/nominations/{withdrawn_a}/edit/      | GET  | 403 403 403 403 403 403
/nominations/{moved}/                 | GET  | 200 200 200 403 403 403
/nominations/{moved}/edit/            | GET  | 200 200 200 403 403 403
/nominations/{sent_a}/                | GET  | 200 200 200 403 403 200
/units/{a}/                           | GET  | 200 200 200 403 403 200
/units/{successor}/                   | GET  | 200 200 200 403 403 200
/campaigns/{campaign}/nominations/    | GET  | 200 200 200 200 200 200
/decisions/{dec_issued}/              | GET  | 200 200 200 403 403 200
/decisions/{dec_issued}/edit/         | GET  | 403 403 403 403 403 403
"""


def parse() -> list[tuple[str, str, dict[str, int]]]:
    rows = []
    for line in MATRIX.strip().splitlines():
        path, method, codes = (part.strip() for part in line.split("|"))
        rows.append((path, method, dict(zip(COLUMNS, (int(c) for c in codes.split()), strict=True))))
    return rows


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    with django_db_blocker.unblock():
        with transaction.atomic():
            # The base salaries a decision cites: migration 0013 wrote them, but a transactional test's flush
            # before this module may have emptied the table (as the `reference_data` fixture says).
            from awards.reference.load import base_salaries_ensure

            base_salaries_ensure()
            org = build_org()
            campaign = build_campaign(org, nomination_deadline=dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
            tiers = standard_tiers(police=org.units["police"], home_affairs=org.units["home"],
                                   province=org.units["province"], ministry=org.units["ministry"])  # fmt: skip
            campaign_offer(by=None, campaign=campaign, award_types=tiers)
            accepted_report(org, campaign, "officer_a", org.actor("head_a"), REQUIRED_ENTERPRISE)
            tier = next(t for t in tiers if t.route == "director")
            officer = org.actor("officer_a")
            make = lambda name, id_number: nomination_services.nomination_create(  # noqa: E731
                by=officer, campaign=campaign, award_type=tier, kind="individual",
                **{**PERSON, "name": name, "id_number": id_number},
            )  # fmt: skip
            withdrawn = make("Nguyễn Văn Lui", "075085001111")
            nomination_services.nomination_withdraw(by=org.actor("head_a"), nomination=withdrawn, reason="Trùng")
            moved = make("Nguyễn Văn Chuyển", "075085002222")
            sent = make("Nguyễn Văn Gửi", "075085003333")
            send(org, campaign, tier, [sent])
            awarded = decisions_of(org, campaign, tiers)  # an issued decision awarding A's nominee, and more
            successor = org_services.unit_create(by=None, code="DN-TC", name="Tổng Công ty Thử",
                                                 kind=UnitKind.ENTERPRISE, parent=org.units["province"],
                                                 valid_from=dt.date(2025, 7, 1))  # fmt: skip
            plan = reorganisation_services.reorganisation_create(
                by=None, title="Hợp nhất", effective_on=dt.date(2025, 7, 1), legal_basis="Quyết định số 1/QĐ-T"
            )
            reorganisation_services.change_add(by=None, reorganisation=plan, kind=ChangeKind.MERGE,
                                               predecessors=[org.units["a"]], successors=[successor])  # fmt: skip
            reorganisation_services.reorganisation_apply(by=None, reorganisation=plan)
            joiner = UserFactory(username="joiner", full_name="Người Đến Sau")
            org.users["joiner"] = joiner
            org_services.membership_grant(by=None, user=joiner, unit=successor, role=Role.UNIT_OFFICER)
            objects = {
                "report_a": Report.objects.get(campaign=campaign, unit=org.units["a"]).pk, "withdrawn_a": withdrawn.pk,
                "moved": moved.pk, "sent_a": sent.pk, "a": org.units["a"].pk, "successor": successor.pk,
                "campaign": campaign.pk, "dec_issued": awarded["dec_issued"],
            }  # fmt: skip
            users = {"moved_officer": "officer_a", "moved_head": "head_a", "joiner": "joiner",
                     "officer_b": "officer_b", "commune": "commune", "police": "police"}  # fmt: skip
            cookies = {}
            for column, username in users.items():
                client = Client()
                client.force_login(org.users[username])
                cookies[column] = client.cookies
        yield objects, cookies
        call_command("flush", interactive=False, verbosity=0)
    media.disable()


@pytest.mark.parametrize(("path", "method", "expected"), parse(), ids=[f"{m} {p}" for p, m, _e in parse()])
def test_successor_rows(world, db, path, method, expected):
    objects, cookies = world
    seen = {}
    for column in COLUMNS:
        client = Client()
        client.cookies = copy.deepcopy(cookies[column])
        seen[column] = client.get(path.format(**objects)).status_code
    assert seen == expected
