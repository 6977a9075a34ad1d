"""Workflow rules that held only on some paths, now on every path, through the pages: who may block and lift a block;
a block recorded after the file was sent stops the next approval, the decision's draft and its issue (listed with its
block, never dropped silently); a nomination is withdrawn only before a decision; at "awaits decision" the deciding
side returns or refuses it; the Ministry's decision is recorded with its refusals."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from awards.models import (
    AWAITING_RETURNS_TO,
    AuditEvent,
    BlockReason,
    Decision,
    DecisionStatus,
    NominationStatus,
    Notification,
    Role,
    Route,
    Step,
)
from awards.services import decisions as decision_services
from awards.services import nominations as svc
from awards.services import org as org_services
from tests.factories import UserFactory
from tests.integrity import integrity_checked as integrity_checked  # noqa: F401 - checks the invariants after each test
from tests.test_decision_views import TODAY, chairman_awaiting, ministry_awaiting
from tests.test_decision_views import media as media  # noqa: F401 - the fixture
from tests.test_decisions import awaiting, scan
from tests.test_nominations import appraise, nominate, open_step, refreshed, send
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
        decision_services.decision_issue(by=director, decision=draft, number=7, date=timezone.localdate(), scan=scan())
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
    decision_services.decision_issue(by=director, decision=draft, number=8, date=timezone.localdate(), scan=scan())
    page = head.get(f"/nominations/{nomination.pk}/").content.decode()
    assert 'data-testid="withdraw"' not in page and 'data-testid="revocation-note"' in page
    response = head.post(f"/nominations/{nomination.pk}/withdraw/", {"reason": "Rút"}, follow=True)
    assert any("quyết định thu hồi" in m for m in messages_of(response)), messages_of(response)
    assert refreshed(nomination).status == NominationStatus.AWARDED
    draft.refresh_from_db()
    assert draft.items.get().nomination_id == nomination.pk  # the issued decision's line is intact


# Who may block, and who may lift a block ---------------------------------------------------------------------------


def post_block(client, nomination, **data):
    return client.post(f"/nominations/{nomination.pk}/block/", {"reason": "", "until": "", "note": "", **data},
                       follow=True)  # fmt: skip


def test_a_unit_cannot_lift_the_polices_block_nor_block_while_an_agency_holds_the_file(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers[Route.DIRECTOR])
    send(org, campaign, tiers[Route.DIRECTOR], [nomination])
    police = org.client("police")
    assert 'data-testid="block-form"' in police.get(f"/nominations/{nomination.pk}/").content.decode()
    post_block(police, nomination, reason="investigation", note="Đơn tố cáo số 12")
    nomination = refreshed(nomination)
    assert (nomination.block_reason, nomination.block_unit, nomination.block_by) == (
        "investigation", org.units["police"], org.users["police"])  # fmt: skip
    officer = org.client("officer_a")
    page = officer.get(f"/nominations/{nomination.pk}/").content.decode()
    assert "Đang bị điều tra" in page and "Công an tỉnh Thử" in page  # the unit sees the block and who recorded it
    assert "Đơn tố cáo số 12" not in page  # not the police's note: it may name a complainant
    assert "Đơn tố cáo số 12" in police.get(f"/nominations/{nomination.pk}/").content.decode()
    assert 'data-testid="lift-block-form"' not in page and 'data-testid="block-form"' not in page
    assert post_block(officer, nomination, note="Không có").status_code == 403  # the old empty-reason walk-around
    assert post_block(org.client("head_a"), nomination, note="Không có").status_code == 403
    assert refreshed(nomination).block_reason == "investigation"
    # Nor may it record one while an agency holds the file.
    post_block(police, nomination, note="Đã có kết luận")
    assert post_block(officer, nomination, reason="discipline").status_code == 403
    assert refreshed(nomination).block_reason == ""


def test_an_agency_blocks_only_what_it_holds_and_nobody_blocks_a_decided_file(org, world, media):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers[Route.CHAIRMAN])
    send(org, campaign, tiers[Route.CHAIRMAN], [nomination])
    svc.handoff_send(by=org.actor("police"), nominations=[nomination], number="9/TTr", date=TODAY, signer="A")
    assert refreshed(nomination).holder == org.units["home"]
    police = org.client("police")
    assert 'data-testid="block-form"' not in police.get(f"/nominations/{nomination.pk}/").content.decode()
    assert post_block(police, nomination, reason="discipline").status_code == 403
    assert post_block(org.client("home"), nomination, reason="discipline").status_code == 200  # the holder may
    assert refreshed(nomination).block_unit == org.units["home"]
    # An awarded one: nobody (a revocation decision undoes an award).
    awarded = awaiting(org, campaign, tiers[Route.DIRECTOR], name="Lê Văn Đã", id_number="")
    director = org.actor("director")
    draft = decision_services.decision_draft(by=director, campaign=campaign, award_type=tiers[Route.DIRECTOR],
                                             nominations=[awarded])  # fmt: skip
    decision_services.decision_issue(by=director, decision=draft, number=3, date=timezone.localdate(), scan=scan())
    for persona in ("police", "director", "officer_a"):
        assert post_block(org.client(persona), awarded, reason="discipline").status_code == 403, persona
    assert refreshed(awarded).block_reason == "" and refreshed(awarded).status == NominationStatus.AWARDED


def test_a_block_is_lifted_with_a_reason_by_whoever_recorded_it_or_its_leader_only(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers[Route.DIRECTOR])
    send(org, campaign, tiers[Route.DIRECTOR], [nomination])
    colleague = UserFactory(username="police2", full_name="Trần Văn Đồng")
    org_services.membership_grant(by=None, user=colleague, unit=org.units["police"], role=Role.POLICE_REVIEWER)
    post_block(org.client("police"), nomination, reason="complaint", until="31/12/2099", note="Đơn khiếu nại")
    # A colleague of the same office who did not record it, and is not its leader: refused.
    from django.test import Client

    other = Client()
    other.force_login(colleague)
    assert 'data-testid="lift-block-form"' not in other.get(f"/nominations/{nomination.pk}/").content.decode()
    assert post_block(other, nomination, note="Xong").status_code == 403
    # Lifting needs its reason: refused with the message, nothing lost.
    response = post_block(org.client("police"), nomination)
    assert "Nêu lý do gỡ" in response.content.decode() and refreshed(nomination).block_reason == "complaint"
    # The police director (the leader of the unit that recorded it) may lift it.
    director = org.client("director")
    assert 'data-testid="lift-block-form"' in director.get(f"/nominations/{nomination.pk}/").content.decode()
    response = post_block(director, nomination, note="Đã giải quyết xong khiếu nại")
    assert "Đã gỡ vướng." in response.content.decode()
    assert refreshed(nomination).block_reason == "" and refreshed(nomination).block_unit is None
    lifted = AuditEvent.objects.get(action="nomination_unblocked", object_id=str(nomination.pk))
    assert (lifted.actor, lifted.detail["why"], lifted.detail["recorded_by_unit"]) == (
        org.users["director"], "Đã giải quyết xong khiếu nại", org.units["police"].pk)  # fmt: skip


def test_the_unit_blocks_before_sending_and_lifts_its_own_block(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers[Route.DIRECTOR])
    officer = org.client("officer_a")
    post_block(officer, nomination, reason="discipline", note="Chờ kết luận")
    assert refreshed(nomination).block_by == org.users["officer_a"]
    assert post_block(org.client("police"), nomination, note="Xong").status_code == 403  # not the police's to lift
    post_block(org.client("head_a"), nomination, note="Đã có kết luận")  # the unit's head: its leader
    assert refreshed(nomination).block_reason == ""


# At "awaits decision": returned or refused by the deciding side ---------------------------------------------------


def act(client, nomination, outcome, comment=""):
    return client.post(f"/nominations/{nomination.pk}/act/",
                       {"step": Step.AWAITING_DECISION, "outcome": outcome, "comment": comment}, follow=True)  # fmt: skip


def test_the_director_returns_a_file_awaiting_his_decision_to_the_appraising_office(org, world):
    campaign, tiers = world
    nomination = awaiting(org, campaign, tiers[Route.DIRECTOR])
    director = org.client("director")
    page = director.get(f"/nominations/{nomination.pk}/").content.decode()
    assert 'data-testid="awaiting-note"' in page and 'value="approved"' not in page
    assert 'value="returned"' in page and 'value="rejected"' in page
    response = act(director, nomination, "approved")
    assert "ban hành quyết định" in " ".join(messages_of(response))  # approving is issuing the decision
    assert refreshed(nomination).status == NominationStatus.AWAITING_DECISION
    response = act(director, nomination, "returned")  # a return says what is missing
    assert "Hãy nêu nội dung còn thiếu: trả lại cần có ý kiến." in " ".join(messages_of(response))
    assert refreshed(nomination).status == NominationStatus.AWAITING_DECISION
    told_before = Notification.objects.filter(recipient=org.users["police"], body__contains="Làm rõ thành tích").count()
    act(director, nomination, "returned", "Làm rõ thành tích năm 2023")
    nomination = refreshed(nomination)
    assert (nomination.step, nomination.status, nomination.holder) == (
        Step.POLICE_APPRAISAL, NominationStatus.RETURNED, org.units["police"])  # fmt: skip
    assert open_step(nomination) == Step.POLICE_APPRAISAL
    assert nomination.pk in [n.pk for n in svc_inbox(org, "police")]
    # The appraising office is told, with the director's comment (its earlier notices said nothing of it).
    told = Notification.objects.filter(recipient=org.users["police"], body__contains="Làm rõ thành tích năm 2023")
    assert (told_before, told.count()) == (0, 1)
    # The appraising office sends it on again with a new submission; it awaits the decision once more.
    appraise(org, nomination)
    svc.nomination_act(by=org.actor("director"), nomination=refreshed(nomination), step=Step.DIRECTOR_APPROVAL,
                       outcome="approved")  # fmt: skip
    assert refreshed(nomination).status == NominationStatus.AWAITING_DECISION


def svc_inbox(org, persona):
    from awards.selectors.nominations import nomination_inbox

    return list(nomination_inbox(actor=org.actor(persona)))


def test_the_provincial_leader_refuses_a_file_awaiting_the_chairmans_decision_and_the_unit_is_told(org, world):
    campaign, tiers = world
    nomination = chairman_awaiting(org, campaign, tiers[Route.CHAIRMAN])
    for persona in ("officer_a", "head_a", "police", "home"):  # not theirs to decide
        assert act(org.client(persona), nomination, "rejected", "Không").status_code == 403, persona
    leader = org.client("leader")
    act(leader, nomination, "rejected", "Chưa đủ tiêu chuẩn theo Điều 71 Nghị định 152/2025/NĐ-CP")
    nomination = refreshed(nomination)
    assert nomination.status == NominationStatus.REJECTED
    assert not open_step_exists(nomination)
    assert Notification.objects.filter(recipient=org.users["head_a"], body__contains="Chưa đủ tiêu chuẩn").exists()
    returned = chairman_awaiting(org, campaign, tiers[Route.CHAIRMAN], name="Trần Thị Hai", id_number="")
    act(leader, returned, "returned", "Sở Nội vụ thẩm định lại")
    returned = refreshed(returned)
    assert (returned.step, returned.status, returned.holder) == (
        Step.HOME_AFFAIRS_APPRAISAL, NominationStatus.RETURNED, org.units["home"])  # fmt: skip


def open_step_exists(nomination) -> bool:
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    return Task.objects.filter(process__nominationprocess__nomination=nomination, status=STATUS.NEW).exists()


def test_a_file_in_a_draft_decision_is_taken_out_of_the_draft_before_it_is_returned(org, world, media):
    campaign, tiers = world
    nomination = awaiting(org, campaign, tiers[Route.DIRECTOR])
    decision_services.decision_draft(by=org.actor("director"), campaign=campaign, award_type=tiers[Route.DIRECTOR],
                                     nominations=[nomination])  # fmt: skip
    director = org.client("director")
    assert 'data-testid="in-draft-note"' in director.get(f"/nominations/{nomination.pk}/").content.decode()
    response = act(director, nomination, "rejected", "Không đạt")
    assert any("dự thảo quyết định" in m for m in messages_of(response)), messages_of(response)
    assert refreshed(nomination).status == NominationStatus.AWAITING_DECISION


# The Ministry's decision, refusals included ------------------------------------------------------------------------


def test_the_liaison_records_the_ministrys_decision_with_its_refusals(org, world, media):
    campaign, tiers = world
    tier = tiers[Route.MINISTRY]
    awarded = ministry_awaiting(org, campaign, tier, name="Lê Văn Được", id_number="")
    refused = ministry_awaiting(org, campaign, tier, name="Phạm Văn Không", id_number="")
    waiting = ministry_awaiting(org, campaign, tier, name="Hồ Văn Chờ", id_number="")
    liaison = org.client("ministry")
    url = f"/campaigns/{campaign.pk}/decisions/new/{tier.pk}/"
    fields = {"nominations": [awarded.pk], "refused": [refused.pk], "number": "5678", "symbol": "QĐ-BCA",
              "date": TODAY.strftime("%d/%m/%Y")}  # fmt: skip
    # Refused without the Ministry's reason, or one both awarded and refused: the form says so; nothing recorded.
    response = liaison.post(url, {**fields, "scan": scan()})
    assert response.status_code == 200 and "Nêu lý do Bộ không khen thưởng" in response.content.decode()
    response = liaison.post(url, {**fields, "refused": [awarded.pk], "refusal_reason": "X", "scan": scan()})
    assert "vừa được khen thưởng vừa bị từ chối" in response.content.decode()
    assert not Decision.objects.exists() and refreshed(refused).status == NominationStatus.AWAITING_DECISION
    response = liaison.post(url, {**fields, "refusal_reason": "Chưa đủ thời gian công tác", "scan": scan()},
                            follow=True)  # fmt: skip
    decision = Decision.objects.get()
    assert decision.reference == "5678/QĐ-BCA" and [i.nomination_id for i in decision.items.all()] == [awarded.pk]
    assert refreshed(awarded).status == NominationStatus.AWARDED
    refused = refreshed(refused)
    assert refused.status == NominationStatus.REJECTED and not open_step_exists(refused)
    why = refused.actions.get(step=Step.AWAITING_DECISION)
    assert why.comment == f"Chưa đủ thời gian công tác (Quyết định 5678/QĐ-BCA ngày {TODAY.strftime('%d/%m/%Y')})"
    assert refreshed(waiting).status == NominationStatus.AWAITING_DECISION  # not in this decision: still awaiting
    assert "Đã ghi nhận Bộ không khen thưởng: 1." in " ".join(messages_of(response))
    # A refusal by letter, without a decision, from the nomination's page.
    act(liaison, waiting, "rejected", "Công văn 123/X01-P3 của Bộ: không đủ tiêu chuẩn")
    assert refreshed(waiting).status == NominationStatus.REJECTED
    # Or returned to the police director, who forwarded it, to complete the file.
    back = ministry_awaiting(org, campaign, tier, name="Đỗ Văn Bổ", id_number="")
    act(liaison, back, "returned", "Bổ sung xác nhận của cơ quan quản lý")
    back = refreshed(back)
    assert (back.step, back.status, back.holder) == (
        Step.MINISTRY_FORWARD, NominationStatus.RETURNED, org.units["police"])  # fmt: skip
    assert open_step(back) == AWAITING_RETURNS_TO[Route.MINISTRY]
