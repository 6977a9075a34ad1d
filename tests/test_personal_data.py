"""The full citizen ID on a need-to-know basis (Law 91/2025/QH15, Decree 356/2025/NĐ-CP): an agency of the route
sees it while the file is at one of its steps or once it has acted on it, never before the file reaches it nor
when it was withdrawn before; the nominating unit always; every full view is logged, whatever the page."""

import pytest
from django.utils import timezone

from awards.models import AuditEvent, Route
from awards.services import nominations as svc
from tests.test_nominations import nominate, refreshed, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
FULL, MASKED = "075085001234", "•••••••••234"


def shows_full(org, persona, nomination) -> bool:
    response = org.client(persona).get(f"/nominations/{nomination.pk}/")
    assert response.status_code in (200, 403), response.status_code
    return FULL in response.content.decode()


def test_each_agency_sees_the_full_id_from_the_files_arrival_and_keeps_it_once_it_acted(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers[Route.CHAIRMAN])
    send(org, campaign, tiers[Route.CHAIRMAN], [nomination])  # at the police appraisal
    assert shows_full(org, "police", nomination)
    assert not shows_full(org, "home", nomination) and not shows_full(org, "leader", nomination)  # not yet theirs
    svc.handoff_send(by=org.actor("police"), nominations=[refreshed(nomination)], number="88/TTr-CAT",
                     date=timezone.localdate(), signer="Nguyễn Văn Giám")  # fmt: skip
    assert shows_full(org, "home", nomination)  # at Home Affairs now
    assert shows_full(org, "police", nomination)  # it acted on it: the file is in its records
    assert not shows_full(org, "leader", nomination)
    svc.handoff_send(by=org.actor("home"), nominations=[refreshed(nomination)], number="12/TTr-SNV",
                     date=timezone.localdate(), signer="Trần Thị Sở")  # fmt: skip
    assert shows_full(org, "leader", nomination) and shows_full(org, "home", nomination)
    assert shows_full(org, "officer_a", nomination) and shows_full(org, "head_a", nomination)
    assert not shows_full(org, "officer_b", nomination) and not shows_full(org, "director", nomination)


def test_a_file_withdrawn_before_an_agency_acted_shows_it_the_masked_id_only(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers[Route.CHAIRMAN])
    send(org, campaign, tiers[Route.CHAIRMAN], [nomination])
    svc.nomination_withdraw(by=org.actor("head_a"), nomination=refreshed(nomination), reason="Chuyển công tác")
    page = org.client("police").get(f"/nominations/{nomination.pk}/").content.decode()
    assert FULL not in page and MASKED in page  # it still sees the file it received, not the full ID
    assert shows_full(org, "head_a", nomination)  # the unit keeps its own


def test_every_full_view_is_logged_and_a_masked_one_is_not(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers[Route.CHAIRMAN])
    send(org, campaign, tiers[Route.CHAIRMAN], [nomination])
    for _ in range(2):
        assert shows_full(org, "police", nomination)
    assert not shows_full(org, "home", nomination)
    viewed = AuditEvent.objects.filter(action="personal_data_viewed", object_id=str(nomination.pk))
    assert viewed.filter(actor=org.users["police"]).count() == 2
    assert not viewed.filter(actor=org.users["home"]).exists()


def test_the_edit_form_showing_the_stored_id_is_a_logged_full_view(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers[Route.DIRECTOR])
    page = org.client("officer_a").get(f"/nominations/{nomination.pk}/edit/").content.decode()
    assert f'value="{FULL}"' in page
    viewed = AuditEvent.objects.filter(action="personal_data_viewed", object_id=str(nomination.pk))
    assert viewed.filter(actor=org.users["officer_a"]).count() == 1
