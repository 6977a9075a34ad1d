"""The outcome where the nominating unit looks: its nomination says it was awarded (or the award
revoked), by which decision, when and with how much; the unit downloads the issued decision it is sent
(the PDF and the signed scan), under a name built from the number; other units see none of it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import DocumentKind
from awards.services import decisions as svc
from tests.test_decision_views import media as media  # noqa: F401 - the fixture
from tests.test_decisions import awaiting, scan
from tests.test_nominations import world as world  # noqa: F401 - the fixture

# Committed transactions: the document jobs are queued on commit (and run in-process here).
pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()


@pytest.fixture
def issued(org, world, media):
    campaign, tiers = world
    person = awaiting(org, campaign, tiers["director"])
    director = org.actor("director")
    decision = svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"], nominations=[person],
                                  signer="Nguyễn Văn Giám")  # fmt: skip
    svc.decision_issue(by=director, decision=decision, number=1, date=TODAY, scan=scan())
    decision.refresh_from_db()
    return decision, person


def test_the_units_nomination_says_awarded_by_which_decision_with_the_money(org, issued):
    decision, person = issued
    page = org.client("officer_a").get(f"/nominations/{person.pk}/").content.decode()
    item = decision.items.get()
    money = f"{item.prize_amount:,}".replace(",", ".")
    assert 'data-testid="nomination-status">Đã được khen thưởng</span>\n' in page  # no step shown beside it
    assert f"Quyết định số 01/QĐ-CAT ngày {TODAY:%d/%m/%Y}" in page and f"{money} đ" in page
    assert reverse("decision_detail", args=[decision.pk]) in page
    assert 'data-testid="holder"' not in page  # nobody holds an awarded nomination any more


def test_the_unit_downloads_the_issued_decision_and_its_scan_under_its_number(org, issued):
    decision, _person = issued
    client = org.client("officer_a")
    pdf = client.get(reverse("decision_document", args=[decision.pk, DocumentKind.DECISION_PDF]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert f'filename="QD-01-QD-CAT-{TODAY.year}.pdf"' in pdf["Content-Disposition"]
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    signed = client.get(reverse("decision_scan", args=[decision.pk]))
    assert signed.status_code == 200
    assert f'filename="QD-01-QD-CAT-{TODAY.year}-ban-ky.pdf"' in signed["Content-Disposition"]
    for kind in (DocumentKind.CERTIFICATES_PDF, DocumentKind.LIST_XLSX, DocumentKind.DECISION_DOCX):
        assert client.get(reverse("decision_document", args=[decision.pk, kind])).status_code == 403, kind
    page = client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
    assert reverse("decision_document", args=[decision.pk, DocumentKind.DECISION_PDF]) in page
    other = org.client("officer_b")
    assert other.get(reverse("decision_document", args=[decision.pk, DocumentKind.DECISION_PDF])).status_code == 403
    assert other.get(reverse("decision_scan", args=[decision.pk])).status_code == 403


def test_a_revoked_award_says_so_on_the_nomination(org, issued):
    decision, person = issued
    director = org.actor("director")
    revocation = svc.decision_revoke(by=director, decision=decision, items=list(decision.items.all()),
                                     reason="Khai man thành tích", signer="Nguyễn Văn Giám")  # fmt: skip
    svc.decision_issue(by=director, decision=revocation, number=2, date=TODAY, scan=scan())
    page = org.client("officer_a").get(f"/nominations/{person.pk}/").content.decode()
    assert "Đã thu hồi khen thưởng" in page and "Quyết định số 02/QĐ-CAT" in page


def test_the_decisions_list_heads_its_columns_with_what_they_hold(org, issued):
    decision, _person = issued
    page = org.client("director").get(reverse("decision_list", args=[decision.campaign_id])).content.decode()
    assert "<th>Quyết định</th>" in page and "Ý kiến xử lý" not in page


def test_a_draft_downloads_under_a_name_of_its_own(org, world, media):
    campaign, tiers = world
    director = org.actor("director")
    draft = svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"],
                               nominations=[awaiting(org, campaign, tiers["director"])])  # fmt: skip
    response = org.client("director").get(reverse("decision_document", args=[draft.pk, DocumentKind.DECISION_DOCX]))
    assert f'filename="QD-du-thao-{draft.pk}.docx"' in response["Content-Disposition"]
