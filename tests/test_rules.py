"""Workflow rules that held only on some paths, now on every path, through the pages: a block recorded after the
file was sent stops the next approval, the decision's draft and its issue (listed with its block, never dropped
silently); a nomination is withdrawn only before a decision."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from awards.models import BlockReason, Decision, DecisionStatus, NominationStatus, Route, Step
from awards.services import decisions as decision_services
from awards.services import nominations as svc
from tests.test_decision_views import media as media  # noqa: F401 - the fixture
from tests.test_decisions import awaiting, scan
from tests.test_nominations import appraise, nominate, refreshed, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
BLOCKED = "Đang bị xem xét kỷ luật: chưa được đề nghị khen thưởng cho đến khi có kết luận."


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def checkbox(page: str, pk: int) -> str:
    return re.search(rf'<input type="checkbox" name="nominations" value="{pk}"[^>]*>', page).group(0)


def block(org, nomination):
    svc.nomination_block(by=org.actor("police"), nomination=refreshed(nomination), reason=BlockReason.DISCIPLINE,
                         until=None)  # fmt: skip


def test_a_block_recorded_after_sending_stops_the_next_approval(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers[Route.DIRECTOR])
    send(org, campaign, tiers[Route.DIRECTOR], [nomination])
    appraise(org, refreshed(nomination))  # at the director's approval
    block(org, nomination)
    response = org.client("director").post(f"/nominations/{nomination.pk}/act/",
                                           {"step": Step.DIRECTOR_APPROVAL, "outcome": "approved"}, follow=True)  # fmt: skip
    assert BLOCKED in messages_of(response)
    nomination = refreshed(nomination)
    assert (nomination.step, nomination.status) == (Step.DIRECTOR_APPROVAL, NominationStatus.IN_REVIEW)
    # Returning or rejecting it stays possible.
    response = org.client("director").post(f"/nominations/{nomination.pk}/act/", {
        "step": Step.DIRECTOR_APPROVAL, "outcome": "rejected", "comment": "Đang bị xem xét kỷ luật"})  # fmt: skip
    assert refreshed(nomination).status == NominationStatus.REJECTED


def test_a_blocked_nomination_is_listed_with_its_block_unticked_and_refused_in_a_draft(org, world, media):
    campaign, tiers = world
    clear = awaiting(org, campaign, tiers[Route.DIRECTOR], name="Lê Văn Rõ", id_number="")
    held = awaiting(org, campaign, tiers[Route.DIRECTOR], name="Trần Văn Chờ", id_number="")
    block(org, held)
    url = f"/campaigns/{campaign.pk}/decisions/new/{tiers[Route.DIRECTOR].pk}/"
    form = org.client("director").get(url).content.decode()
    assert "Trần Văn Chờ – Cá nhân" in form and "Đang bị xem xét kỷ luật" in form  # listed, with its block
    assert "checked" in checkbox(form, clear.pk) and "checked" not in checkbox(form, held.pk)
    response = org.client("director").post(url, {"nominations": [clear.pk, held.pk], "date": "07/12/2026"})
    page = response.content.decode()
    assert response.status_code == 200 and "Trần Văn Chờ (Đang bị xem xét kỷ luật)" in page
    assert not Decision.objects.exists()  # nothing drafted, nothing dropped


def test_a_block_recorded_after_drafting_stops_the_issue(org, world, media):
    campaign, tiers = world
    nomination = awaiting(org, campaign, tiers[Route.DIRECTOR])
    director = org.actor("director")
    draft = decision_services.decision_draft(by=director, campaign=campaign, award_type=tiers[Route.DIRECTOR],
                                             nominations=[nomination])  # fmt: skip
    block(org, nomination)
    with pytest.raises(ValidationError) as refused:
        decision_services.decision_issue(by=director, decision=draft, number=7, date=dt.date.today(), scan=scan())
    assert refused.value.code == "blocked" and "Nguyễn Văn An" in refused.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == DecisionStatus.DRAFT and refreshed(nomination).status == NominationStatus.AWAITING_DECISION


def test_an_awarded_nomination_cannot_be_withdrawn_and_its_page_says_how_an_award_is_undone(org, world, media):
    campaign, tiers = world
    nomination = awaiting(org, campaign, tiers[Route.DIRECTOR])
    director = org.actor("director")
    draft = decision_services.decision_draft(by=director, campaign=campaign, award_type=tiers[Route.DIRECTOR],
                                             nominations=[nomination])  # fmt: skip
    # While a draft decision lists it: refused, with what to do.
    head = org.client("head_a")
    page = head.get(f"/nominations/{nomination.pk}/").content.decode()
    assert 'data-testid="withdraw"' not in page
    response = head.post(f"/nominations/{nomination.pk}/withdraw/", {"reason": "Rút"}, follow=True)
    assert any("dự thảo quyết định" in m for m in messages_of(response)), messages_of(response)
    assert refreshed(nomination).status == NominationStatus.AWAITING_DECISION
    decision_services.decision_issue(by=director, decision=draft, number=8, date=dt.date.today(), scan=scan())
    page = head.get(f"/nominations/{nomination.pk}/").content.decode()
    assert 'data-testid="withdraw"' not in page and 'data-testid="revocation-note"' in page
    response = head.post(f"/nominations/{nomination.pk}/withdraw/", {"reason": "Rút"}, follow=True)
    assert any("quyết định thu hồi" in m for m in messages_of(response)), messages_of(response)
    assert refreshed(nomination).status == NominationStatus.AWARDED
    draft.refresh_from_db()
    assert draft.items.get().nomination_id == nomination.pk  # the issued decision's line is intact
