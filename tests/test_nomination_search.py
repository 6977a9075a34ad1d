"""Find any file: the campaign's list and the inbox search by name — with or without diacritics, any case, whole
or in part — or by citizen ID, within what the person may see; on PostgreSQL the name search can use its trigram
index at any size."""

import re

import pytest
from django.db import connection

from awards.models import Nomination, Route
from awards.selectors.nominations import nomination_search
from tests.test_nominations import nominate, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def names(page: str) -> set[str]:
    return set(re.findall(r'<a href="/nominations/\d+/">([^<]+)</a>', page))


def test_the_list_finds_a_name_typed_without_diacritics_or_in_part_and_a_citizen_id(org, world):
    campaign, tiers = world
    nominate(org, campaign, tiers[Route.DIRECTOR], name="Nguyễn Thị Ánh", id_number="")
    nominate(org, campaign, tiers[Route.DIRECTOR], name="Nguyễn Văn An")  # PERSON's CCCD 075085001234
    nominate(org, campaign, tiers[Route.DIRECTOR], name="Trần Thị Ánh Dương", id_number="", persona="officer_b")
    officer = org.client("officer_a")
    url = f"/campaigns/{campaign.pk}/nominations/"
    assert names(officer.get(url, {"q": "nguyen thi anh"}).content.decode()) == {"Nguyễn Thị Ánh"}
    assert names(officer.get(url, {"q": "THỊ ÁNH"}).content.decode()) == {"Nguyễn Thị Ánh"}  # not unit B's
    assert names(officer.get(url, {"q": "nguyễn"}).content.decode()) == {"Nguyễn Thị Ánh", "Nguyễn Văn An"}
    assert names(officer.get(url, {"q": "0750 8500 1234"}).content.decode()) == {"Nguyễn Văn An"}
    page = officer.get(url, {"q": "không có ai"}).content.decode()
    assert names(page) == set() and 'value="không có ai"' in page  # what was typed stays in the box
    assert "Không có đề nghị nào khớp với tên hoặc số định danh này." in page  # not "no nomination yet"
    assert names(org.client("officer_b").get(url, {"q": "thi anh"}).content.decode()) == {"Trần Thị Ánh Dương"}


def test_the_inbox_searches_what_waits_for_the_reviewer(org, world):
    campaign, tiers = world
    ones = [nominate(org, campaign, tiers[Route.DIRECTOR], name=n, id_number="") for n in ("Lê Văn Đức", "Lê Văn Minh")]
    send(org, campaign, tiers[Route.DIRECTOR], ones)
    page = org.client("police").get("/nominations/", {"q": "le van duc"}).content.decode()
    assert "Lê Văn Đức" in page and "Lê Văn Minh" not in page
    page = org.client("police").get("/nominations/", {"q": "không có ai"}).content.decode()
    assert (
        "Không có đề nghị nào khớp với tên hoặc số định danh này." in page and 'data-testid="inbox-empty"' not in page
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
def test_the_name_search_can_use_its_trigram_index(org, world):
    campaign, tiers = world
    nominate(org, campaign, tiers[Route.DIRECTOR], name="Nguyễn Thị Ánh", id_number="")
    query = nomination_search(Nomination.objects.order_by(), "thi anh").only("pk")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        # On a table this small the planner would scan: forbid scans that read everything (a sequential scan, or
        # a full walk of another index), so the plan shows which index can answer the condition.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "nomination_name_key_trgm" in plan, plan
