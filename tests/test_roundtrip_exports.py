"""Exports in the imports' shapes: units and accounts (the administrator) and a campaign's nominations (what the
actor may see, through the list's scoping and filters), each read back by its import with nothing to change; text
that looks like a formula stays text."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.models import AuditEvent, Export, Membership, NomineeKind, Role, RowAction
from awards.permissions import may_see_personal_data
from awards.selectors import nominations as nomination_selectors
from awards.services import admin_imports
from awards.services import exports as export_services
from awards.services import imports as nominee_imports
from awards.services import org as org_services
from tests.test_decision_views import media as media  # noqa: F401 - the fixture
from tests.test_nominations import nominate, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def sheet_rows(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return [row for row in rows if any(value not in (None, "") for value in row)]


def reimport(org, kind: str, data: bytes):
    return admin_imports.import_preview(by=org.actor("admin"), kind=kind,
                                        uploaded_file=SimpleUploadedFile("xuat.xlsx", data))  # fmt: skip


# Units and accounts ------------------------------------------------------------------------------------------


def test_units_export_then_import_changes_nothing(org):
    province = org.units["province"]
    org_services.unit_update(by=None, unit=province, recipients="- Như Điều 3;\n- Bộ Công an (V05);\n- Lưu: VT.",
                             place_name="Thử", valid_from=dt.date(2004, 1, 1))  # fmt: skip
    org_services.unit_create(by=None, code="CTY-F", name="=HYPERLINK(\"http://x.example\",\"Công ty\")",
                             kind="enterprise", parent=province, email="f@tdkt.example",
                             valid_from=dt.date(2020, 1, 5), valid_to=dt.date(2025, 6, 30))  # fmt: skip
    response = org.client("admin").get(reverse("admin_export", args=["units"]))
    assert response.status_code == 200
    rows = sheet_rows(response.content)
    assert rows[0][0] == "Mã đơn vị (*)" and len(rows) == 1 + 11
    police = next(r for r in rows if r[0] == "CA-T")
    assert police[4:6] == ["UBND-T", "BCA"]  # parent and governing body by code
    # a text that looks like a formula is written as text, with Excel's quote prefix
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    cell = next(row[1] for row in sheet.iter_rows(min_row=2) if row[0].value == "CTY-F")
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK") and cell.quotePrefix
    imported = reimport(org, "units", response.content)
    assert (imported.rows_total, imported.rows_unchanged, imported.rows_to_apply) == (11, 11, 0), [
        (r.number, r.changes, r.problems, r.errors) for r in imported.rows.exclude(action=RowAction.UNCHANGED)
    ]


def test_accounts_export_then_import_changes_nothing(org):
    officer = org.users["officer_a"]
    org_services.membership_grant(by=None, user=officer, unit=org.units["b"], role=Role.UNIT_HEAD,
                                  title="Phó Giám đốc", valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2026, 12, 31))  # fmt: skip
    ended = org_services.membership_grant(by=None, user=officer, unit=org.units["a"], role=Role.UNIT_OFFICER,
                                          valid_from=dt.date(2010, 1, 1), valid_to=dt.date(2014, 12, 31))  # fmt: skip
    org_services.membership_grant_acting(by=None, user=org.users["officer_b"], acting_for=org.memberships["head_b"],
                                         valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 1, 31))  # fmt: skip
    response = org.client("admin").get(reverse("admin_export", args=["accounts"]))
    rows = sheet_rows(response.content)
    own = Membership.objects.filter(acting_for__isnull=True).exclude(pk=ended.pk).count()
    assert len(rows) == 1 + own + 1  # one row per own membership (the one in force of a pair), and the outsider
    assert ["outsider", "Người Ngoài"] == rows[[r[0] for r in rows].index("outsider")][:2]
    assert all("Mat-khau" not in str(value) for row in rows for value in row)
    imported = reimport(org, "accounts", response.content)
    assert imported.rows_to_apply == 0 and imported.rows_error == 0, [
        (r.number, r.changes, r.problems, r.errors) for r in imported.rows.exclude(action=RowAction.UNCHANGED)
    ]
    assert imported.rows_unchanged == len(rows) - 1


# Nominations -------------------------------------------------------------------------------------------------


@pytest.fixture
def nominated(org, world):
    """Unit A's officer's individual and collective nominations; unit B's own one."""
    campaign, tiers = world
    tier = tiers["director"]  # Giấy khen of the police director
    an = nominate(org, campaign, tier, achievement_text="Năm 2020: chiến sĩ thi đua.\nNăm 2023: bằng khen.")
    collective = nominate(org, campaign, tier, kind=NomineeKind.COLLECTIVE, name="Phòng Kỹ thuật",
                          parent_unit=org.units["a"], women_percent=40, achievement="=1+1 là thành tích",
                          gender="", birth_date=None, position="", workplace="", id_number="")  # fmt: skip
    other = nominate(org, campaign, tier, persona="officer_b", name="Hoàng Văn Bé", id_number="")
    return campaign, tier, [an, collective], other


def export_of(org, persona, campaign, query=""):
    response = org.client(persona).get(reverse("nominations_export", args=[campaign.pk]) + query)
    assert response.status_code == 200, response
    return response.content


def test_a_units_export_holds_what_it_may_see_and_imports_back_as_the_same_rows(org, nominated, media):
    campaign, tier, ours, other = nominated
    data = export_of(org, "officer_a", campaign)
    rows = sheet_rows(data)
    assert [c.removesuffix(" (*)") for c in rows[0]] == [c.title for c in nominee_imports.COLUMNS]
    assert sorted(r[1] for r in rows[1:]) == ["Nguyễn Văn An", "Phòng Kỹ thuật"]  # not unit B's
    an = next(r for r in rows if r[1] == "Nguyễn Văn An")
    assert an[3] == dt.datetime(1985, 3, 2) and an[4] == "075085001234"  # the officer's own: personal data in full
    assert "Hoàng Văn Bé" in sheet_rows(export_of(org, "officer_b", campaign))[1][1]
    assert len(sheet_rows(export_of(org, "officer_b", campaign))) == 2
    # Imported again by the same unit's officer: the same rows, each one already proposed (nothing created twice).
    made = nominee_imports.import_preview(by=org.actor("officer_a"), campaign=campaign, award_type=tier,
                                          uploaded_file=SimpleUploadedFile("xuat.xlsx", data))  # fmt: skip
    rows_back = {row.data["name"]: row for row in made.rows.all()}
    for nomination in ours:
        row = rows_back[nomination.name]
        for field in nominee_imports.nominations.NOMINEE_FIELDS:
            stored = getattr(nomination, field)
            stored = stored.pk if field == "parent_unit" and stored else stored
            stored = stored.isoformat() if isinstance(stored, dt.date) else stored
            assert row.data[field] == stored, (nomination.name, field)
        assert row.kind == nomination.kind and row.award_type_id == nomination.award_type_id
        assert row.errors == ["Đơn vị của bạn đã đề nghị đối tượng này trong đợt này."] and not row.valid
        assert not any(cell.get("e") for cell in row.cells.values()), row.cells
    event = AuditEvent.objects.filter(action="nominations_exported", actor=org.users["officer_a"]).first()
    assert event.detail["rows"] == 2 and sorted(event.detail["personal_data"]) == sorted(n.pk for n in ours)


def test_formula_looking_text_stays_text_in_the_nominations_export(org, nominated, media):
    campaign, _tier, _ours, _other = nominated
    sheet = openpyxl.load_workbook(io.BytesIO(export_of(org, "officer_a", campaign))).worksheets[0]
    cell = next(row[9] for row in sheet.iter_rows(min_row=2) if row[1].value == "Phòng Kỹ thuật")
    assert cell.value == "=1+1 là thành tích" and cell.data_type == "s" and cell.quotePrefix


def test_the_export_follows_the_lists_filters(org, nominated, media):
    campaign, _tier, _ours, _other = nominated
    rows = sheet_rows(export_of(org, "officer_a", campaign, "?q=nguyen+van"))
    assert [r[1] for r in rows[1:]] == ["Nguyễn Văn An"]
    assert len(sheet_rows(export_of(org, "officer_a", campaign, "?status=rejected"))) == 1  # the header alone
    page = org.client("officer_a").get(reverse("campaign_nominations", args=[campaign.pk]) + "?q=an&status=draft")
    assert f"{reverse('nominations_export', args=[campaign.pk])}?status=draft&amp;q=an" in page.content.decode()


def test_an_agency_exports_what_reached_it_with_personal_data_only_where_its_page_shows_it(org, nominated, media):
    campaign, tier, ours, _other = nominated
    assert len(sheet_rows(export_of(org, "police", campaign))) == 1  # drafts stay with their unit
    send(org, campaign, tier, [ours[0]])
    rows = sheet_rows(export_of(org, "police", campaign))
    assert [r[1] for r in rows[1:]] == ["Nguyễn Văn An"]
    ours[0].refresh_from_db()
    shown = may_see_personal_data(org.actor("police"), ours[0])
    assert shown  # at the police's step: its page shows the CCCD, so does its export
    assert (rows[1][4] == "075085001234") == shown
    assert len(sheet_rows(export_of(org, "home", campaign))) == 1


def test_the_bulk_personal_data_rule_is_the_pages_rule(org, nominated, media):
    campaign, tier, ours, other = nominated
    send(org, campaign, tier, [ours[0]])
    everyone = [ours[0], ours[1], other]
    for persona in ("officer_a", "head_a", "officer_b", "district", "police", "director", "home", "leader",
                    "ministry", "admin"):  # fmt: skip
        actor = org.actor(persona)
        visible = list(nomination_selectors.nominations_visible(actor=actor).filter(pk__in=[n.pk for n in everyone]))
        expected = {n.pk for n in visible if may_see_personal_data(actor, n)}
        assert nomination_selectors.personal_data_ids(actor=actor, nominations=visible) == expected, persona


def test_a_long_export_is_built_in_the_background_with_the_filters(org, nominated, media, monkeypatch):
    campaign, _tier, _ours, _other = nominated
    monkeypatch.setattr(export_services, "INLINE_ROWS", 0)
    client = org.client("officer_a")
    response = client.get(reverse("nominations_export", args=[campaign.pk]) + "?q=ph%C3%B2ng")
    assert response.status_code == 302
    export = Export.objects.get()
    assert export.kind == "nominations_xlsx" and export.params == {"q": "phòng"} and export.rows == 1
    assert export_services.export_build(export.pk) in ("built", "ready")
    data = b"".join(client.get(reverse("export_file", args=[export.pk])).streaming_content)
    assert [r[1] for r in sheet_rows(data)[1:]] == ["Phòng Kỹ thuật"]
    client.get(reverse("nominations_export", args=[campaign.pk]))  # other filters: another export
    assert Export.objects.count() == 2 and Export.objects.filter(params={}).count() == 1


def test_a_user_without_the_nominations_gets_403(org, nominated):
    campaign = nominated[0]
    assert org.client("outsider").get(reverse("nominations_export", args=[campaign.pk])).status_code == 403
