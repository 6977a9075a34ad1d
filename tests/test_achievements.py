"""Each nominee's achievement line: typed by the unit, edited by the agency holding the nomination before
the decision (audited), printed in the decision's list and on the certificate, and refused at appraisal
when it cannot print within three lines at 11 pt. Điều 1 ends with the campaign's own phrase."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from awards.documents.decision import decision_text
from awards.models import AuditEvent, Campaign, Step
from awards.services import decisions as decision_services
from awards.services import documents as docs
from awards.services import nominations as svc
from tests.test_decisions import awaiting, scan
from tests.test_decisions import media as media  # noqa: F401 - the fixture
from tests.test_nominations import appraise, nominate, refreshed, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

LONG = "Có nhiều thành tích xuất sắc trong công tác bảo vệ an ninh trật tự tại địa phương " * 6  # ~500 characters


def test_the_police_edit_the_line_before_approving_and_the_edit_is_audited(org, world):
    campaign, tiers = world
    person = nominate(org, campaign, tiers["director"], achievement="Tuyên truyền   40 buổi")
    send(org, campaign, tiers["director"], [person])
    with pytest.raises(PermissionDenied):  # the unit no longer holds it
        svc.nomination_achievement_edit(by=org.actor("officer_a"), nomination=person, achievement="Khác")
    svc.nomination_achievement_edit(by=org.actor("police"), nomination=person,
                                    achievement="Tuyên truyền 40 buổi cho 3.200 lượt người")  # fmt: skip
    assert refreshed(person).achievement == "Tuyên truyền 40 buổi cho 3.200 lượt người"
    event = AuditEvent.objects.get(action="nomination_achievement_edited")
    assert event.detail == {
        "from": "Tuyên truyền 40 buổi",
        "to": "Tuyên truyền 40 buổi cho 3.200 lượt người",
    }  # stored single-spaced


def test_a_line_too_long_for_the_certificate_is_refused_at_appraisal_with_a_request_to_shorten(org, world):
    campaign, tiers = world
    person = nominate(org, campaign, tiers["director"], achievement=LONG[:500])
    send(org, campaign, tiers["director"], [person])
    with pytest.raises(ValidationError, match="quá dài để in trên Bằng khen, Giấy khen"):
        appraise(org, person)
    assert refreshed(person).step == Step.POLICE_APPRAISAL  # nothing moved
    with pytest.raises(ValidationError, match="quá dài"):
        svc.nomination_achievement_edit(by=org.actor("police"), nomination=person, achievement=LONG[:400])
    svc.nomination_achievement_edit(by=org.actor("police"), nomination=person, achievement=LONG[:150])
    appraise(org, person)
    assert refreshed(person).step == Step.DIRECTOR_APPROVAL


def test_the_page_offers_the_edit_to_the_holder_and_explains_a_refusal(org, world):
    campaign, tiers = world
    person = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [person])
    police = org.client("police")
    assert 'data-testid="achievement-edit"' in police.get(f"/nominations/{person.pk}/").content.decode()
    assert (
        'data-testid="achievement-edit"' not in org.client("head_a").get(f"/nominations/{person.pk}/").content.decode()
    )
    page = police.post(f"/nominations/{person.pk}/achievement/", {"achievement": LONG[:450]}, follow=True)
    assert "Dòng thành tích quá dài" in page.content.decode()
    page = police.post(f"/nominations/{person.pk}/achievement/", {"achievement": "Phát hiện 3 vụ"}, follow=True)
    assert "Đã lưu dòng thành tích." in page.content.decode() and refreshed(person).achievement == "Phát hiện 3 vụ"
    assert (
        org.client("officer_a").post(f"/nominations/{person.pk}/achievement/", {"achievement": "x"}).status_code == 403
    )


def test_the_list_and_the_certificate_print_each_awardees_own_line_fixed_at_issue(org, world, media):
    campaign, tiers = world
    first = awaiting(org, campaign, tiers["director"], achievement="Phát hiện 3 vụ trộm cắp")
    second = awaiting(org, campaign, tiers["director"], name="Trần Thị Bình", id_number="",
                      achievement="Tuyên truyền 40 buổi")  # fmt: skip
    director = org.actor("director")
    decision = decision_services.decision_draft(by=director, campaign=campaign, award_type=tiers["director"],
                                                nominations=[first, second])  # fmt: skip
    decision_services.decision_issue(by=director, decision=decision, number=9, date=timezone.localdate(), scan=scan())
    decision.refresh_from_db()
    lines = {n.name: n.achievement for n in decision_text(decision).nominees}
    assert lines == {"Nguyễn Văn An": "Phát hiện 3 vụ trộm cắp", "Trần Thị Bình": "Tuyên truyền 40 buổi"}
    certificates = {c.name: c.achievement for c in docs.certificate_texts(decision)}
    assert certificates == {"Nguyễn Văn An": "Phát hiện 3 vụ trộm cắp", "Trần Thị Bình": "Tuyên truyền 40 buổi"}
    assert set(decision.items.values_list("printed_achievement", flat=True)) == set(lines.values())
    assert decision_text(decision).achievement == "đã có thành tích xuất sắc trong tổng kết thử nghiệm"


def test_an_award_needs_the_campaigns_phrase_for_its_first_article(org, world):
    campaign, tiers = world
    Campaign.objects.filter(pk=campaign.pk).update(achievement="")
    person = awaiting(org, campaign, tiers["director"])
    campaign.refresh_from_db()
    with pytest.raises(ValidationError, match="chưa có cụm từ thành tích cho Điều 1"):
        decision_services.decision_draft(by=org.actor("director"), campaign=campaign, award_type=tiers["director"],
                                         nominations=[person])  # fmt: skip
