"""One place per file: the nomination's page offers its next action — the head sends it in a dossier from there,
a return's comment stands at the top until the file is sent on again, and at a hand-off step approving is the
tờ trình form (no "Đồng ý" radio that the service would refuse)."""

import re

import pytest
from django.utils import timezone

from awards.models import Route, Step
from awards.services import nominations as svc
from tests.integrity import integrity_checked as integrity_checked  # noqa: F401 - checks the invariants after each test
from tests.test_nominations import nominate, refreshed, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def ticked(page: str) -> set[int]:
    boxes = re.findall(r'<input type="checkbox" name="nominations" value="(\d+)"[^>]*>', page)
    return {int(pk) for pk in boxes if re.search(rf'value="{pk}"[^>]*checked', page)}


def test_the_head_sends_a_prepared_nomination_from_its_page_with_it_alone_ticked(org, world):
    campaign, tiers = world
    one, other = (nominate(org, campaign, tiers[Route.DIRECTOR], name=n, id_number="") for n in ("Một", "Hai"))
    for nomination in (one, other):
        svc.nomination_prepared(by=org.actor("officer_a"), nomination=nomination)
    assert 'data-testid="send"' not in org.client("officer_a").get(f"/nominations/{one.pk}/").content.decode()
    head = org.client("head_a")
    page = head.get(f"/nominations/{one.pk}/").content.decode()
    link = f'href="/campaigns/{campaign.pk}/dossiers/{tiers[Route.DIRECTOR].pk}/new/?nomination={one.pk}"'
    assert link in page and 'data-testid="send"' in page
    form = head.get(f"/campaigns/{campaign.pk}/dossiers/{tiers[Route.DIRECTOR].pk}/new/?nomination={one.pk}")
    assert ticked(form.content.decode()) == {one.pk}  # the other is offered, unticked
    every = head.get(f"/campaigns/{campaign.pk}/dossiers/{tiers[Route.DIRECTOR].pk}/new/").content.decode()
    assert ticked(every) == {one.pk, other.pk}  # from the list: every one ready to send
    send(org, campaign, tiers[Route.DIRECTOR], [one])
    assert 'data-testid="send"' not in head.get(f"/nominations/{one.pk}/").content.decode()  # sent


def test_a_returns_comment_stands_at_the_top_until_the_file_is_sent_on_again(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers[Route.DIRECTOR])
    send(org, campaign, tiers[Route.DIRECTOR], [nomination])
    svc.nomination_act(by=org.actor("police"), nomination=nomination, step=Step.POLICE_APPRAISAL, outcome="returned",
                       comment="Bổ sung xác nhận của cơ quan quản lý")  # fmt: skip
    page = org.client("officer_a").get(f"/nominations/{nomination.pk}/").content.decode()
    top = re.search(r'data-testid="open-return">(.*?)</div>', page, re.S).group(1)
    assert "Công an tỉnh Thử trả lại để chỉnh sửa ngày" in top and "Bổ sung xác nhận của cơ quan quản lý" in top
    assert page.index('data-testid="open-return"') < page.index('data-testid="route"')
    svc.nomination_prepared(by=org.actor("officer_a"), nomination=refreshed(nomination))
    svc.nomination_resubmit(by=org.actor("head_a"), nomination=refreshed(nomination))
    assert (
        'data-testid="open-return"'
        not in org.client("officer_a").get(f"/nominations/{nomination.pk}/").content.decode()
    )


def test_at_a_hand_off_step_approving_is_the_to_trinh_form_and_no_approve_radio_is_offered(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers[Route.DIRECTOR])
    send(org, campaign, tiers[Route.DIRECTOR], [nomination])
    page = org.client("police").get(f"/nominations/{nomination.pk}/").content.decode()
    act = page[page.index('data-testid="act"') :]
    assert 'name="outcome" value="approved"' not in act
    assert 'name="outcome" value="returned"' in act and 'name="outcome" value="rejected"' in act
    assert act.index('data-testid="handoff-form"') < act.index('data-testid="act-submit"')
    # Where no tờ trình is needed, approving stays a radio.
    svc.handoff_send(by=org.actor("police"), nominations=[refreshed(nomination)], number="1/TTr", date=timezone.localdate(),
                     signer="A")  # fmt: skip
    page = org.client("director").get(f"/nominations/{nomination.pk}/").content.decode()
    assert 'name="outcome" value="approved"' in page and 'data-testid="handoff-form"' not in page


def test_the_form_chooses_no_award_for_the_unit_marks_what_is_required_and_hints_the_date(org, world):
    from tests.test_nomination_views import form_data

    campaign, tiers = world
    officer = org.client("officer_a")
    page = officer.get(f"/campaigns/{campaign.pk}/nominations/new/").content.decode()
    select = re.search(r'<select name="award_type".*?</select>', page, re.S).group(0)
    assert '<option value="" selected>— chọn hình thức khen thưởng —</option>' in select
    assert "selected" not in select.replace('<option value="" selected>', "")  # no award picked for the unit
    assert re.search(r'class="field field--required"[^>]*>\s*<label for="id_name">', page)  # name: required
    assert 'placeholder="dd/mm/yyyy"' in page and "ví dụ 05/01/1985" in page
    assert 'data-for-kind="collective"' in page and 'data-for-kind="individual"' in page
    response = officer.post(
        f"/campaigns/{campaign.pk}/nominations/new/", form_data(tiers[Route.DIRECTOR], award_type="")
    )
    assert response.status_code == 200 and "Trường này là bắt buộc." in response.content.decode()
    assert 'value="Nguyễn Văn An"' in response.content.decode()  # what was typed stays
    # Editing: the kind is fixed, the other kind's fields are hidden from the start.
    nomination = nominate(org, campaign, tiers[Route.DIRECTOR])
    edit = officer.get(f"/nominations/{nomination.pk}/edit/").content.decode()
    assert re.search(r'data-for-kind="collective" hidden', edit) and not re.search(
        r'data-for-kind="individual" hidden', edit
    )
