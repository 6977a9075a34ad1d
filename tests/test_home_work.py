"""The home page's "My work" lists what waits for the signed-in person — nominations by campaign, tier and step
(with the late ones and the earliest due day), decisions to draft, record or issue — read from the inbox's own
selector, so the home page and the inbox never disagree; each line opens the place to act."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from awards.models import Nomination, Route
from awards.selectors.nominations import nomination_inbox
from awards.services import decisions as decision_services
from tests.integrity import integrity_checked as integrity_checked  # noqa: F401 - checks the invariants after each test
from tests.test_decision_views import media as media  # noqa: F401 - the fixture
from tests.test_decision_views import ministry_awaiting
from tests.test_decisions import awaiting
from tests.test_nominations import nominate, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def work_lines(client) -> list[str]:
    page = client.get("/").content.decode()
    block = re.search(r'data-testid="my-work">(.*?)</section>', page, re.S).group(1)
    block = re.sub(r'<ul class="work-items">.*?</ul>', "", block, flags=re.S)  # the files named: work_items()
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", li)).strip()
            for li in re.findall(r'<li data-testid="work-[a-z]+">(.*?)</li>', block, re.S)]  # fmt: skip


def work_items(client) -> list[tuple[str, str]]:
    """(name, link) of the nominations named under "My work", in order."""
    page = client.get("/").content.decode()
    return [(name, href) for href, name in re.findall(r'<a href="([^"]+)" data-testid="work-item">([^<]+)</a>', page)]


def test_the_police_reviewer_sees_the_nominations_waiting_with_the_late_ones_as_the_inbox_counts_them(org, world):
    campaign, tiers = world
    giay_khen = [nominate(org, campaign, tiers[Route.DIRECTOR], name=n, id_number="") for n in ("Một", "Hai", "Ba")]
    send(org, campaign, tiers[Route.DIRECTOR], giay_khen)
    Nomination.objects.filter(pk=giay_khen[0].pk).update(step_due=timezone.localdate() - dt.timedelta(days=2))
    police = org.client("police")
    lines = work_lines(police)
    assert lines == [
        f"3 đề nghị ở bước “Công an tỉnh thẩm định” 1 quá hạn Giấy khen của Giám đốc Công an tỉnh · kế hoạch "
        f"181/KH-UBND · hạn sớm nhất {(timezone.localdate() - dt.timedelta(days=2)).strftime('%d/%m/%Y')}"
    ]
    assert nomination_inbox(actor=org.actor("police")).count() == 3  # the same source as the inbox
    # The files themselves, one click each: the late one first, then the longest waiting.
    named = work_items(police)
    assert named[0] == ("Một", f"/nominations/{giay_khen[0].pk}/") and {n for n, _ in named} == {"Một", "Hai", "Ba"}
    page = police.get("/").content.decode()
    link = f'href="/nominations/?campaign={campaign.pk}&amp;tier={tiers[Route.DIRECTOR].pk}"'
    assert link in page
    inbox = police.get(f"/nominations/?campaign={campaign.pk}&tier={tiers[Route.DIRECTOR].pk}").content.decode()
    assert all(n in inbox for n in ("Một", "Hai", "Ba"))
    assert work_lines(org.client("home")) == []  # nothing at Home Affairs yet


def test_the_unit_sees_what_to_prepare_and_its_head_what_to_send_with_the_sending_page_one_click_away(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers[Route.CHAIRMAN])
    assert [line.split(" Bằng khen")[0] for line in work_lines(org.client("officer_a"))] == [
        "1 đề nghị cần chuẩn bị"]  # fmt: skip
    from awards.services import nominations as svc

    svc.nomination_prepared(by=org.actor("officer_a"), nomination=nomination)
    head = org.client("head_a")
    assert work_lines(head)[0].startswith("1 đề nghị cần gửi")
    assert f'href="/campaigns/{campaign.pk}/dossiers/{tiers[Route.CHAIRMAN].pk}/new/"' in head.get("/").content.decode()
    assert work_lines(org.client("officer_b")) == []  # another unit's


def test_the_deciders_see_what_awaits_their_decision_and_the_drafts_to_issue(org, world, media):
    campaign, tiers = world
    first = awaiting(org, campaign, tiers[Route.DIRECTOR], name="Lê Văn Một", id_number="")
    awaiting(org, campaign, tiers[Route.DIRECTOR], name="Lê Văn Hai", id_number="")
    director = org.client("director")
    assert work_lines(director) == [
        "2 hồ sơ chờ bạn quyết định: soạn dự thảo quyết định Giấy khen của Giám đốc Công an tỉnh · kế hoạch 181/KH-UBND"
    ]
    assert (
        f'href="/campaigns/{campaign.pk}/decisions/new/{tiers[Route.DIRECTOR].pk}/"'
        in director.get("/").content.decode()
    )
    decision_services.decision_draft(by=org.actor("director"), campaign=campaign, award_type=tiers[Route.DIRECTOR],
                                     nominations=[first])  # fmt: skip
    assert work_lines(director) == [
        "1 hồ sơ chờ bạn quyết định: soạn dự thảo quyết định · 1 dự thảo quyết định chờ ban hành "
        "Giấy khen của Giám đốc Công an tỉnh · kế hoạch 181/KH-UBND"
    ]
    ministry_awaiting(org, campaign, tiers[Route.MINISTRY])
    assert work_lines(org.client("ministry"))[0].startswith("1 hồ sơ chờ quyết định của Bộ: ghi nhận quyết định")
    assert work_lines(org.client("police")) == []  # it decides nothing


def test_every_page_has_its_icon_and_the_browsers_default_address_finds_it(client):
    page = client.get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/tdkt/favicon.svg" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/tdkt/favicon.svg")
    from django.contrib.staticfiles import finders

    assert "<svg" in open(finders.find("tdkt/favicon.svg"), encoding="utf-8").read()  # noqa: SIM115


def test_the_activity_feeds_hide_the_views_of_personal_data_unless_asked(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers[Route.DIRECTOR])
    officer = org.client("officer_a")
    officer.get(f"/nominations/{nomination.pk}/")  # a full view of the CCCD: logged
    home = officer.get("/").content.decode()
    assert "Xem thông tin cá nhân" not in home and "Tạo đề nghị khen thưởng" in home
    activity = officer.get("/activity/").content.decode()
    assert "Xem thông tin cá nhân" not in activity and 'href="?views=1"' in activity
    assert "Xem thông tin cá nhân" in officer.get("/activity/?views=1").content.decode()


def test_the_chairmans_decision_form_gives_the_provincial_committees_examples(org, world):
    campaign, tiers = world
    chairman = org.client("leader").get(f"/campaigns/{campaign.pk}/decisions/new/{tiers[Route.CHAIRMAN].pk}/")
    page = chairman.content.decode()
    assert "ví dụ: PHÓ CHỦ TỊCH" in page and "Giám đốc Sở Nội vụ tại Tờ trình" in page
    assert "PHÓ GIÁM ĐỐC" not in page and "của Công an tỉnh" not in page
    director = org.client("director").get(f"/campaigns/{campaign.pk}/decisions/new/{tiers[Route.DIRECTOR].pk}/")
    assert "ví dụ: PHÓ GIÁM ĐỐC" in director.content.decode()


def test_the_notifications_page_counts_the_work_as_the_home_page_lists_it(org, world):
    campaign, tiers = world
    giay_khen = [nominate(org, campaign, tiers[Route.DIRECTOR], name=n, id_number="") for n in ("Một", "Hai", "Ba")]
    send(org, campaign, tiers[Route.DIRECTOR], giay_khen)
    police = org.client("police")
    listed = sum(int(line.split()[0]) for line in work_lines(police))
    page = police.get("/notifications/").content.decode()
    assert listed == 3 and "Có 3 việc đang chờ bạn: xem “Công việc của tôi” ở Trang chủ." in page
    assert 'data-testid="work-count"' not in org.client("home").get("/notifications/").content.decode()
