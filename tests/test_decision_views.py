"""The decision pages, as their users see them: the deciding side drafts, changes, issues and revokes;
the Ministry's decision is recorded; the files are generated, stored by checksum and served in scope;
a unit sees and downloads only its own awardees; reviewers see the counts."""

import datetime as dt
import io
import re

import docx
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from awards.actor import Actor
from awards.models import (
    AuditEvent,
    Decision,
    DecisionItem,
    DecisionStatus,
    DocumentKind,
    DocumentStatus,
    GeneratedDocument,
    NominationStatus,
    NomineeKind,
    Outcome,
    Role,
    Step,
    UnitKind,
)
from awards.selectors.prizes import prize_money
from awards.services import decisions as svc
from awards.services import documents as docs
from awards.services import nominations as nomination_services
from awards.services import org as org_services
from tests.integrity import integrity_checked as integrity_checked  # noqa: F401 - checks the invariants after each test
from tests.test_consolidation import NARRATIVES
from tests.test_consolidation import report as accepted_report
from tests.test_decisions import awaiting, scan
from tests.test_nominations import appraise, nominate, refreshed, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture
from tests.test_reports import REQUIRED_ENTERPRISE

# Committed transactions: the document jobs are queued on commit (and run in-process here).
pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()


@pytest.fixture
def media(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        yield tmp_path


def district_head(org, campaign):
    """The district committee's head, with the district's report accepted."""
    head = Actor(user=org.users["outsider"], membership=org_services.membership_grant(
        by=None, user=org.users["outsider"], unit=org.units["district"], role=Role.UNIT_HEAD))  # fmt: skip
    answers = {**NARRATIVES, "II.1.h": 100, "II.1.j": 9000, "I.2.a": 15, "I.2.b": (13, 15), "II.4.a": {2016: 10}}
    accepted_report(org, campaign, "district", head, answers)
    return head


def chairman_awaiting(org, campaign, tier, head=None, **fields):
    nomination = nominate(org, campaign, tier, **fields)
    if head is None:
        send(org, campaign, tier, [nomination])
    else:
        nomination_services.dossier_submit(
            by=head, campaign=campaign, award_type=tier, nominations=[nomination], number="07/TTr-UBND",
            date=TODAY, signer="Lê Văn Huyện", council_members=5, council_present=5, votes_for=5, minutes=scan(),
        )  # fmt: skip
    nomination_services.handoff_send(by=org.actor("police"), nominations=[nomination], number="88/TTr-CAT",
                                     date=TODAY, signer="Nguyễn Văn Giám")  # fmt: skip
    nomination_services.handoff_send(by=org.actor("home"), nominations=[nomination], number="12/TTr-SNV",
                                     date=TODAY, signer="Trần Thị Sở")  # fmt: skip
    nomination_services.nomination_act(by=org.actor("leader"), nomination=nomination, step=Step.LEADER_APPROVAL,
                                       outcome=Outcome.APPROVED)  # fmt: skip
    return refreshed(nomination)


def ministry_awaiting(org, campaign, tier, **fields):
    nomination = nominate(org, campaign, tier, **fields)
    send(org, campaign, tier, [nomination])
    nomination_services.handoff_send(by=org.actor("police"), nominations=[nomination], number="90/TTr-CAT",
                                     date=TODAY, signer="Nguyễn Văn Giám")  # fmt: skip
    nomination_services.nomination_act(by=org.actor("home"), nomination=nomination,
                                       step=Step.HOME_AFFAIRS_APPRAISAL, outcome=Outcome.APPROVED)  # fmt: skip
    nomination_services.handoff_send(by=org.actor("director"), nominations=[nomination], number="95/TTr-CAT",
                                     date=TODAY, signer="Nguyễn Văn Giám")  # fmt: skip
    return refreshed(nomination)


def doc_of(decision, kind) -> GeneratedDocument:
    return GeneratedDocument.objects.get(decision=decision, kind=kind)


def download(client, decision, kind) -> bytes:
    response = client.get(reverse("decision_document", args=[decision.pk, kind]))
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def docx_text(data: bytes) -> str:
    """Every paragraph's text, the tables' (header, signature, list) included."""
    document = docx.Document(io.BytesIO(data))
    cells = [p.text for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_the_director_drafts_issues_and_downloads_the_giay_khen_decision_and_certificates(org, world, media):
    campaign, tiers = world
    person = awaiting(org, campaign, tiers["director"], name="nguyễn  văn  an")
    team = awaiting(org, campaign, tiers["director"], kind=NomineeKind.COLLECTIVE, name="Phòng Kỹ thuật",
                    parent_unit=org.units["a"], women_percent=40)  # fmt: skip
    director = org.client("director")
    page = director.get(reverse("decision_list", args=[campaign.pk]))
    assert "2 hồ sơ chờ quyết định" in page.content.decode()
    form = director.get(reverse("decision_new", args=[campaign.pk, tiers["director"].pk]))
    assert "Phòng Kỹ thuật" in form.content.decode()
    response = director.post(reverse("decision_new", args=[campaign.pk, tiers["director"].pk]), {
        "nominations": [person.pk, team.pk], "signer": "Nguyễn Văn Giám", "signer_title": "Phó Giám đốc",
        "authority": "KT.", "proposal": "Trưởng phòng Tham mưu tại Tờ trình số 15/TTr-PV01 ngày 02 tháng 12 năm 2024",
        "funding_source": "Quỹ thi đua, khen thưởng của Công an tỉnh", "recipients": "",
    })  # fmt: skip
    decision = Decision.objects.get()
    assert response.status_code == 302 and response.url == reverse("decision_detail", args=[decision.pk])
    # Generated in the background (in-process here), stored under its checksum.
    stored = {d.kind: d for d in decision.documents.all()}
    assert set(stored) == {DocumentKind.DECISION_DOCX, DocumentKind.DECISION_PDF, DocumentKind.LIST_DOCX,
                           DocumentKind.LIST_PDF, DocumentKind.LIST_XLSX}  # fmt: skip
    assert all(d.status == DocumentStatus.READY and d.progress == 100 for d in stored.values())
    data = download(director, decision, DocumentKind.DECISION_DOCX)
    assert stored[DocumentKind.DECISION_DOCX].sha256 in stored[DocumentKind.DECISION_DOCX].path
    paragraphs = docx.Document(io.BytesIO(data)).paragraphs
    text = "\n".join(p.text for p in paragraphs)
    assert "Về việc tặng Giấy khen của Giám đốc Công an tỉnh" in text
    assert "Xét đề nghị của Trưởng phòng Tham mưu tại Tờ trình số 15/TTr-PV01 ngày 02 tháng 12 năm 2024." in text
    article = next(p for p in paragraphs if p.text.startswith("Điều 1."))
    assert article.runs[0].text == "Điều 1." and article.runs[0].bold and not article.runs[1].bold
    assert "Tặng Giấy khen" in article.text and "cho 1 tập thể và 1 cá nhân" in article.text
    detail = director.get(reverse("decision_detail", args=[decision.pk])).content.decode()
    assert 'data-testid="issue-form"' in detail and 'name="number" value="1"' in detail
    # A file's fingerprint means nothing to the people who download it (administrators check files with
    # `manage.py check_integrity`): the page shows no part of it.
    assert stored[DocumentKind.DECISION_DOCX].sha256[:16] not in detail

    issued = director.post(reverse("decision_issue", args=[decision.pk]),
                           {"number": "5", "date": TODAY.strftime("%d/%m/%Y"), "scan": scan()})  # fmt: skip
    assert issued.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ISSUED and decision.reference == "05/QĐ-CAT"
    assert refreshed(person).status == NominationStatus.AWARDED
    issued_docx = docx.Document(io.BytesIO(download(director, decision, DocumentKind.DECISION_DOCX)))
    assert any(p.text == "Số: 05/QĐ-CAT" for p in issued_docx.paragraphs) or "Số: 05/QĐ-CAT" in "".join(
        c.text for t in issued_docx.tables for r in t.rows for c in r.cells
    )
    pdf = PdfReader(io.BytesIO(download(director, decision, DocumentKind.CERTIFICATES_PDF)))
    assert len(pdf.pages) == 2  # one page per awardee
    pages = [page.extract_text() for page in pdf.pages]
    assert "Phòng Kỹ thuật" in pages[0] and "Nguyễn Văn An" in pages[1]
    assert all("05/QĐ-CAT" in page for page in pages)
    sheet = openpyxl.load_workbook(io.BytesIO(download(director, decision, DocumentKind.LIST_XLSX)))
    assert any("Nguyễn Văn An" in str(c.value) for ws in sheet for row in ws.iter_rows() for c in row)
    assert director.get(reverse("decision_scan", args=[decision.pk])).status_code == 200
    # Frozen: no more changes.
    again = director.post(reverse("decision_edit", args=[decision.pk]), {"signer": "X"}, follow=True)
    assert "chỉ có thể đính chính bằng một quyết định mới" in " ".join(messages_of(again))


def test_bad_issue_input_is_refused_with_a_reason_and_changes_nothing(org, world, media):
    campaign, tiers = world
    first = awaiting(org, campaign, tiers["director"])
    second = awaiting(org, campaign, tiers["director"], name="Trần Văn Hai", id_number="")
    director = org.actor("director")
    one = svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"], nominations=[first])
    svc.decision_issue(by=director, decision=one, number=1, date=TODAY, scan=scan())
    two = svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"], nominations=[second])
    client = org.client("director")
    url = reverse("decision_issue", args=[two.pk])
    cases = [
        ({"number": "1", "date": TODAY.strftime("%d/%m/%Y"), "scan": scan()}, "đã được dùng"),
        ({"number": "2", "date": "31/02/2025", "scan": scan()}, "ngày hợp lệ"),
        ({"number": "2", "date": TODAY.strftime("%d/%m/%Y")}, "bắt buộc"),
        ({"number": "abc", "date": TODAY.strftime("%d/%m/%Y"), "scan": scan()}, "Số quyết định"),
        ({"number": "2", "date": (TODAY + dt.timedelta(days=3)).strftime("%d/%m/%Y"), "scan": scan()}, "tương lai"),
    ]
    for data, expected in cases:
        response = client.post(url, data, follow=True)
        shown = " ".join(messages_of(response))
        assert expected in shown, (data, shown)
        two.refresh_from_db()
        assert two.status == DecisionStatus.DRAFT and refreshed(second).status == NominationStatus.AWAITING_DECISION


def test_changing_a_draft_regenerates_its_files_and_discarding_frees_its_nominations(org, world, media):
    campaign, tiers = world
    first = awaiting(org, campaign, tiers["director"])
    second = awaiting(org, campaign, tiers["director"], name="Trần Văn Hai", id_number="")
    director = org.actor("director")
    draft = svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"], nominations=[first])
    before = doc_of(draft, DocumentKind.DECISION_DOCX)
    client = org.client("director")
    item = draft.items.get()
    response = client.post(reverse("decision_edit", args=[draft.pk]), {
        "nominations": [second.pk], "remove": [str(item.pk), "²"], "signer": "Lê Văn Ký", "authority": "",
    })  # fmt: skip
    assert response.status_code == 302
    assert list(draft.items.values_list("nomination", flat=True)) == [second.pk]
    after = doc_of(draft, DocumentKind.DECISION_DOCX)
    assert after.status == DocumentStatus.READY and after.sha256 != before.sha256
    names = "\n".join(p.text for t in docx.Document(io.BytesIO(download(client, draft, DocumentKind.DECISION_DOCX)))
                      .tables for r in t.rows for p in r.cells)  # fmt: skip
    assert "Trần Văn Hai" in names and "Nguyễn Văn An" not in names
    # Taking every awardee out is refused: discard instead.
    refused = client.post(reverse("decision_edit", args=[draft.pk]), {"remove": [str(draft.items.get().pk)]})
    assert "loại bỏ dự thảo" in refused.content.decode() and draft.items.count() == 1
    assert client.post(reverse("decision_discard", args=[draft.pk])).status_code == 302
    assert not Decision.objects.exists() and not GeneratedDocument.objects.filter(decision__isnull=False).exists()
    assert {n.pk for n in svc.decision_candidates(campaign=campaign, award_type=tiers["director"])} == {
        first.pk, second.pk}  # fmt: skip
    assert AuditEvent.objects.filter(action__in=["decision_changed", "decision_discarded"]).count() == 2


def test_a_document_job_run_twice_writes_one_file(org, world, media):
    campaign, tiers = world
    first = awaiting(org, campaign, tiers["director"])
    draft = svc.decision_draft(by=org.actor("director"), campaign=campaign, award_type=tiers["director"],
                               nominations=[first])  # fmt: skip
    document = doc_of(draft, DocumentKind.DECISION_PDF)
    GeneratedDocument.objects.filter(pk=document.pk).update(status=DocumentStatus.QUEUED)  # as if re-delivered
    assert docs.document_build(document.pk) == "built"
    assert docs.document_build(document.pk) == "ready"
    pdfs = draft.documents.filter(kind__in=[DocumentKind.DECISION_PDF, DocumentKind.LIST_PDF])
    theirs = {f"{d.sha256}.pdf" for d in GeneratedDocument.objects.filter(handoff__isnull=False)}  # the tờ trình's
    files = [f.name for f in (media / "documents").rglob("*.pdf") if f.name not in theirs]
    assert sorted(files) == sorted(f"{d.sha256}.pdf" for d in pdfs) and len(files) == 2  # the decision's and list's
    assert not list((media / "documents").rglob(".incoming-*"))  # no temporary file left behind


def test_a_unit_sees_only_its_own_awardees_and_never_a_draft(org, world, media):
    campaign, tiers = world
    ours = awaiting(org, campaign, tiers["director"])
    accepted_report(org, campaign, "officer_b", org.actor("head_b"), {**REQUIRED_ENTERPRISE})
    theirs = nominate(org, campaign, tiers["director"], persona="officer_b", name="Phạm Thị Khác", id_number="")
    send(org, campaign, tiers["director"], [theirs], head="head_b")
    appraise(org, theirs)
    nomination_services.nomination_act(by=org.actor("director"), nomination=theirs, step=Step.DIRECTOR_APPROVAL,
                                       outcome=Outcome.APPROVED)  # fmt: skip
    director = org.actor("director")
    decision = svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"],
                                  nominations=[ours, refreshed(theirs)])  # fmt: skip
    officer = org.client("officer_a")
    assert officer.get(reverse("decision_detail", args=[decision.pk])).status_code == 403  # a draft
    svc.decision_issue(by=director, decision=decision, number=3, date=TODAY, scan=scan())
    page = officer.get(reverse("decision_detail", args=[decision.pk])).content.decode()
    assert "Nguyễn Văn An" in page and "Phạm Thị Khác" not in page
    for kind in (DocumentKind.DECISION_DOCX, DocumentKind.LIST_XLSX, DocumentKind.CERTIFICATES_PDF):
        assert officer.get(reverse("decision_document", args=[decision.pk, kind])).status_code == 403
    # it is sent the decision as signed: its PDF and the scan, whose list names other units' awardees too
    assert officer.get(reverse("decision_document", args=[decision.pk, DocumentKind.DECISION_PDF])).status_code == 200
    assert officer.get(reverse("decision_scan", args=[decision.pk])).status_code == 200
    listing = officer.get(reverse("decision_list", args=[campaign.pk])).content.decode()
    assert "03/QĐ-CAT" in listing and 'data-testid="counts"' not in listing
    workbook = openpyxl.load_workbook(io.BytesIO(officer.get(reverse("awardees_export", args=[campaign.pk])).content))
    values = [c.value for row in workbook.active.iter_rows() for c in row]
    assert "Nguyễn Văn An" in values and "Phạm Thị Khác" not in values, values
    assert "03/QĐ-CAT" in values
    # The other unit's officer sees its own only; an outsider nothing.
    other = org.client("officer_b").get(reverse("decision_detail", args=[decision.pk])).content.decode()
    assert "Phạm Thị Khác" in other and "Nguyễn Văn An" not in other
    assert org.client("outsider").get(reverse("decision_detail", args=[decision.pk])).status_code == 403


def test_revoking_an_award_flags_it_with_the_money_to_recover(org, world, media):
    campaign, tiers = world
    kept = awaiting(org, campaign, tiers["director"])
    lost = awaiting(org, campaign, tiers["director"], name="Trần Văn Hai", id_number="")
    director = org.actor("director")
    decision = svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"],
                                  nominations=[kept, lost])  # fmt: skip
    svc.decision_issue(by=director, decision=decision, number=7, date=TODAY, scan=scan())
    client = org.client("director")
    item = decision.items.get(nomination=lost)
    refused = client.post(reverse("decision_revoke", args=[decision.pk]), {"items": [item.pk], "reason": "  "})
    assert "bắt buộc" in refused.content.decode()
    response = client.post(reverse("decision_revoke", args=[decision.pk]),
                           {"items": [item.pk], "reason": "Khai man thành tích", "signer": "Nguyễn Văn Giám"})  # fmt: skip
    revocation = Decision.objects.get(refers_to=decision)
    assert response.url == reverse("decision_detail", args=[revocation.pk])
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(
        download(client, revocation, DocumentKind.DECISION_DOCX))).paragraphs)  # fmt: skip
    paid = item.prize_amount  # what the revoked decision paid: the base salary of its date × 0.3
    assert paid == prize_money(award_type=decision.award_type, kind=NomineeKind.INDIVIDUAL, day=TODAY)
    assert "Về việc thu hồi Giấy khen của Giám đốc Công an tỉnh đã tặng tại Quyết định số 07/QĐ-CAT" in text
    money = f"{paid:,}".replace(",", ".")  # 760.000
    assert "Lý do: Khai man thành tích." in text and f"nộp lại số tiền thưởng đã nhận, tổng cộng {money} đồng" in text
    assert DocumentKind.CERTIFICATES_PDF not in set(revocation.documents.values_list("kind", flat=True))
    client.post(reverse("decision_issue", args=[revocation.pk]),
                {"number": "8", "date": TODAY.strftime("%d/%m/%Y"), "scan": scan()})  # fmt: skip
    revocation.refresh_from_db()
    assert revocation.status == DecisionStatus.ISSUED
    assert refreshed(lost).status == NominationStatus.REVOKED and refreshed(kept).status == NominationStatus.AWARDED
    assert DecisionItem.objects.get(pk=item.pk).revoked_by == revocation
    assert revocation.items.get().prize_amount == paid  # the money to recover
    page = client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
    assert "Đã thu hồi theo 08/QĐ-CAT" in page
    certificates = PdfReader(io.BytesIO(download(client, decision, DocumentKind.CERTIFICATES_PDF)))
    assert len(certificates.pages) == 1  # rebuilt without the revoked award
    counts = client.get(reverse("decision_list", args=[campaign.pk])).context["counts"]
    assert counts.total == 1
    with pytest.raises(Exception, match="Chỉ quyết định khen thưởng đã ban hành"):
        svc.decision_revoke(by=director, decision=revocation, items=list(revocation.items.all()), reason="x")


def test_the_chairmans_decision_cites_the_home_affairs_submission_and_counts_by_district(org, world, media):
    campaign, tiers = world
    tier = tiers["chairman"]
    district = chairman_awaiting(org, campaign, tier, head=district_head(org, campaign), persona="district",
                                 name="Lê Văn Huyện", id_number="")  # fmt: skip
    ours = chairman_awaiting(org, campaign, tier)
    leader = org.actor("leader")
    decision = svc.decision_draft(by=leader, campaign=campaign, award_type=tier, nominations=[district, ours],
                                  signer="Võ Tấn Đức", signer_title="Phó Chủ tịch", authority="KT.")  # fmt: skip
    svc.decision_issue(by=leader, decision=decision, number=125, date=TODAY, scan=scan())
    client = org.client("leader")
    text = docx_text(download(client, decision, DocumentKind.DECISION_DOCX))
    assert re.search(r"Xét đề nghị của Giám đốc Sở Nội vụ tỉnh Thử tại Tờ trình số 12/TTr-SNV ngày \d\d tháng", text)
    assert "KT. CHỦ TỊCH" in text
    counts = client.get(reverse("decision_list", args=[campaign.pk])).context["counts"]
    assert counts.by_tier == [(tier.name, 0, 2)]
    assert dict(counts.by_district) == {"Ủy ban nhân dân huyện Hòa": 1, "Cấp tỉnh": 1}
    assert dict(counts.by_unit_kind) == {str(UnitKind.ENTERPRISE.label): 1, str(UnitKind.DISTRICT_COMMITTEE.label): 1}
    # The police and Home Affairs, on the route, see it whole; the police director cannot draft the Chairman's.
    assert org.client("home").get(reverse("decision_detail", args=[decision.pk])).status_code == 200
    assert org.client("director").get(reverse("decision_new", args=[campaign.pk, tier.pk])).status_code == 403
    # The hand-offs' tờ trình were generated for the agencies, not for the unit.
    handoff = ours.handoffs.get(number="12/TTr-SNV")
    police = org.client("police")
    letter = police.get(reverse("handoff_document", args=[handoff.pk, DocumentKind.HANDOFF_DOCX]))
    assert letter.status_code == 200
    assert "TỜ TRÌNH" in "\n".join(p.text for p in docx.Document(io.BytesIO(b"".join(letter.streaming_content)))
                                  .paragraphs)  # fmt: skip
    assert org.client("head_a").get(reverse("handoff_document", args=[handoff.pk, "handoff_docx"])).status_code == 403


def test_the_ministrys_decision_is_recorded_as_it_arrived(org, world, media):
    campaign, tiers = world
    tier = tiers["ministry"]
    nominee = ministry_awaiting(org, campaign, tier)
    liaison = org.client("ministry")
    url = reverse("decision_new", args=[campaign.pk, tier.pk])
    assert org.client("director").get(url).status_code == 403
    form = liaison.get(url)
    assert 'name="scan"' in form.content.decode()
    missing = liaison.post(url, {"nominations": [nominee.pk], "number": "1234", "symbol": "QĐ-BCA",
                                 "date": TODAY.strftime("%d/%m/%Y")})  # fmt: skip
    assert missing.status_code == 200 and refreshed(nominee).status == NominationStatus.AWAITING_DECISION
    response = liaison.post(url, {"nominations": [nominee.pk], "number": "1234", "symbol": " qđ - bca ",
                                  "date": TODAY.strftime("%d/%m/%Y"), "signer": "Thượng tướng X", "scan": scan()})  # fmt: skip
    decision = Decision.objects.get()
    assert response.url == reverse("decision_detail", args=[decision.pk])
    assert decision.reference == "1234/QĐ-BCA" and decision.status == DecisionStatus.ISSUED
    assert refreshed(nominee).status == NominationStatus.AWARDED and not decision.documents.exists()
    assert org.client("police").get(reverse("decision_detail", args=[decision.pk])).status_code == 200
    assert org.client("police").get(reverse("decision_scan", args=[decision.pk])).status_code == 200
    assert org.client("officer_a").get(reverse("decision_detail", args=[decision.pk])).status_code == 200


def test_the_certificate_layout_is_set_per_tier_and_a_bad_one_is_refused(org, world):
    from django.core.exceptions import ValidationError

    campaign, tiers = world
    tier = tiers["director"]
    assert docs.certificate_layout(tier) == docs.certificate.default_layout("giay_khen")
    tier.certificate_layout = {"name": {"y_mm": 105, "size_pt": 26}, "signer_name": None}
    tier.full_clean()
    layout = docs.certificate_layout(tier)
    assert (layout.name.y_mm, layout.name.size_pt, layout.signer_name) == (105, 26, None)
    assert layout.unit == docs.certificate.default_layout("giay_khen").unit  # the rest stays
    for bad in ({"name": {"size_pt": 90}}, {"nickname": {}}, {"name": {"x_mm": -5}}):
        tier.certificate_layout = bad
        with pytest.raises(ValidationError) as error:
            tier.full_clean()
        assert error.value.message_dict["certificate_layout"][0].startswith("Không dùng được bố cục in phôi này:")
    page = org.client("admin").get(f"/admin/awards/awardtype/{tier.pk}/change/").content.decode()
    assert 'name="certificate_layout"' in page and "Bố cục in phôi" in page


def test_the_list_follows_unit_kind_then_name_or_the_order_the_issuing_body_sets(org, world, media):
    campaign, tiers = world
    ours = awaiting(org, campaign, tiers["director"], name="Trần Văn Ân")  # an enterprise's
    accepted_report(org, campaign, "officer_b", org.actor("head_b"), {**REQUIRED_ENTERPRISE})
    theirs = nominate(org, campaign, tiers["director"], persona="officer_b", name="Phạm Thị Khác", id_number="")
    send(org, campaign, tiers["director"], [theirs], head="head_b")
    appraise(org, theirs)
    nomination_services.nomination_act(by=org.actor("director"), nomination=theirs, step=Step.DIRECTOR_APPROVAL,
                                       outcome=Outcome.APPROVED)  # fmt: skip
    draft = svc.decision_draft(by=org.actor("director"), campaign=campaign, award_type=tiers["director"],
                               nominations=[ours, refreshed(theirs)])  # fmt: skip
    client = org.client("director")

    def listed() -> list[str]:
        table = docx.Document(io.BytesIO(download(client, draft, DocumentKind.DECISION_DOCX))).tables[-1]
        return [row.cells[1].text for row in table.rows[1:-1]]  # the last row: "Cộng"

    assert listed() == ["Phạm Thị Khác", "Trần Văn Ân"]  # a department comes before an enterprise
    form = client.get(reverse("decision_edit", args=[draft.pk])).content.decode()
    assert "Sở Giáo dục và Đào tạo\nCông ty Cổ phần An Bình" in form  # the order now, to reorder
    client.post(
        reverse("decision_edit", args=[draft.pk]), {"unit_order": " công ty  cổ phần AN BÌNH \n", "authority": ""}
    )
    assert listed() == ["Trần Văn Ân", "Phạm Thị Khác"]


def test_a_correction_reprints_the_corrected_details_and_leaves_the_issued_decision_as_it_was(org, world, media):
    campaign, tiers = world
    wrong = awaiting(org, campaign, tiers["director"], name="Nguyễn Văn Ann", position="Phó trưởng phòng")
    right = awaiting(org, campaign, tiers["director"], name="Trần Văn Hai", id_number="")
    director = org.actor("director")
    decision = svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"],
                                  nominations=[wrong, right])  # fmt: skip
    svc.decision_issue(by=director, decision=decision, number=9, date=TODAY, scan=scan())
    issued_docx = doc_of(decision, DocumentKind.DECISION_DOCX).sha256
    client = org.client("director")
    url = reverse("decision_correct", args=[decision.pk])
    item = decision.items.get(nomination=wrong)
    page = client.get(url).content.decode()
    assert f'name="name-{item.pk}" value="Nguyễn Văn Ann"' in page
    unchanged = client.post(url, {"reason": "Sai chính tả"})  # nothing differs
    assert "Không có gì khác" in unchanged.content.decode() and not Decision.objects.filter(refers_to=decision).exists()
    no_reason = client.post(url, {f"name-{item.pk}": "Nguyễn Văn An", "reason": " "})
    assert no_reason.status_code == 200 and 'value="Nguyễn Văn An"' in no_reason.content.decode()  # kept as typed
    response = client.post(url, {f"name-{item.pk}": "Nguyễn  Văn An", f"position-{item.pk}": "Trưởng phòng",
                                 f"unit-{item.pk}": "Công ty Cổ phần An Bình",
                                 "reason": "Ghi sai họ tên và chức vụ", "signer": "Nguyễn Văn Giám"})  # fmt: skip
    correction = Decision.objects.get(refers_to=decision)
    assert response.url == reverse("decision_detail", args=[correction.pk])
    text = docx_text(download(client, correction, DocumentKind.DECISION_DOCX))
    assert "Về việc đính chính Quyết định số 09/QĐ-CAT" in text
    assert "Đính chính thông tin của 1 cá nhân trong Danh sách kèm theo Quyết định số 09/QĐ-CAT" in text
    assert "Lý do: Ghi sai họ tên và chức vụ." in text and "giữ nguyên" in text
    assert "Nguyễn Văn An" in text and "Trần Văn Hai" not in text
    client.post(reverse("decision_issue", args=[correction.pk]),
                {"number": "10", "date": TODAY.strftime("%d/%m/%Y"), "scan": scan()})  # fmt: skip
    corrected = refreshed(wrong)
    assert (corrected.name, corrected.position, corrected.status) == ("Nguyễn Văn An", "Trưởng phòng", "awarded")
    assert DecisionItem.objects.get(pk=item.pk).corrected_by.reference == "10/QĐ-CAT"
    # The issued decision's documents stay as issued; its certificates are printed again, corrected.
    assert doc_of(decision, DocumentKind.DECISION_DOCX).sha256 == issued_docx
    assert "Nguyễn Văn Ann" in docx_text(download(client, decision, DocumentKind.DECISION_DOCX))
    pages = [
        p.extract_text() for p in PdfReader(io.BytesIO(download(client, decision, DocumentKind.CERTIFICATES_PDF))).pages
    ]
    assert any("Nguyễn Văn An" in p and "Trưởng phòng" in p for p in pages) and not any("Ann" in p for p in pages)
    assert "Đã đính chính theo 10/QĐ-CAT" in client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
    export = org.client("officer_a").get(reverse("awardees_export", args=[campaign.pk])).content
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(io.BytesIO(export)).active.iter_rows()]
    [mine] = [row for row in rows if row[2] == "Nguyễn Văn An"]
    assert (
        mine[3] == "Trưởng phòng" and mine[5] == "09/QĐ-CAT" and mine[8] == "Đã đính chính theo Quyết định số 10/QĐ-CAT"
    )
    issued = [e.detail for e in AuditEvent.objects.filter(action="decision_issued") if e.detail.get("corrected")]
    # the trail keeps which details were corrected, not the names (docs/audit.md)
    assert issued == [{**issued[0], "corrected": {str(wrong.pk): ["name", "position", "workplace"]}}]


def test_a_second_correction_starts_from_the_first_one(org, world, media):
    campaign, tiers = world
    wrong = awaiting(org, campaign, tiers["director"], name="Nguyễn Văn Ann", position="Phó trưởng phòng")
    director = org.actor("director")
    decision = svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"], nominations=[wrong])
    svc.decision_issue(by=director, decision=decision, number=11, date=TODAY, scan=scan())
    item = decision.items.get()
    first = svc.decision_correct(by=director, decision=decision, reason="Sai tên",
                                 corrections={item.pk: ("Nguyễn Văn An", "Phó trưởng phòng", "Công ty An Bình")})  # fmt: skip
    svc.decision_issue(by=director, decision=first, number=12, date=TODAY, scan=scan())
    page = org.client("director").get(reverse("decision_correct", args=[decision.pk])).content.decode()
    assert f'name="name-{item.pk}" value="Nguyễn Văn An"' in page  # the form starts from the corrected name
    item.refresh_from_db()
    second = svc.decision_correct(by=director, decision=decision, reason="Sai chức vụ",
                                  corrections={item.pk: ("Nguyễn Văn An", "Trưởng phòng", "Công ty An Bình")})  # fmt: skip
    svc.decision_issue(by=director, decision=second, number=13, date=TODAY, scan=scan())
    assert (refreshed(wrong).name, refreshed(wrong).position) == ("Nguyễn Văn An", "Trưởng phòng")
    with pytest.raises(ValidationError, match="255"):
        svc.decision_correct(by=director, decision=decision, reason="x", corrections={item.pk: ("A" * 256, "", "")})


def test_files_are_rebuilt_when_lost_or_stale_and_an_issued_decisions_own_stay_as_issued(org, world, media):
    campaign, tiers = world
    person = awaiting(org, campaign, tiers["director"])
    director = org.actor("director")
    draft = svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"], nominations=[person])
    pdf = doc_of(draft, DocumentKind.DECISION_PDF)
    # The records moved on without a request (a unit renamed after the job was queued): the build follows
    # them, and the row's fingerprint with it.
    org.units["police"].name = "Công an tỉnh Thử Mới"
    org.units["police"].save()
    GeneratedDocument.objects.filter(pk=pdf.pk).update(status=DocumentStatus.QUEUED, fingerprint="asked-before")
    assert docs.document_build(pdf.pk) == "built"
    rebuilt = doc_of(draft, DocumentKind.DECISION_PDF)
    assert rebuilt.status == DocumentStatus.READY and rebuilt.fingerprint != "asked-before"
    assert "CÔNG AN TỈNH THỬ MỚI" in PdfReader(io.BytesIO((media / rebuilt.path).read_bytes())).pages[0].extract_text()
    others = {d.kind for d in docs.documents_request(decision=draft)}  # the others follow the new name too
    assert others == {DocumentKind.DECISION_DOCX, DocumentKind.LIST_DOCX, DocumentKind.LIST_PDF, DocumentKind.LIST_XLSX}
    # A lost job (queued long ago) is sent again by the sweep; a missing file is rebuilt on the next request.
    old = timezone.now() - dt.timedelta(hours=1)
    GeneratedDocument.objects.filter(pk=pdf.pk).update(status=DocumentStatus.QUEUED, requested_at=old)
    assert docs.documents_sweep() == {"enqueued": 1}
    assert doc_of(draft, DocumentKind.DECISION_PDF).status == DocumentStatus.READY
    (media / doc_of(draft, DocumentKind.DECISION_PDF).path).unlink()
    assert [d.kind for d in docs.documents_request(decision=draft)] == [DocumentKind.DECISION_PDF]
    assert (media / doc_of(draft, DocumentKind.DECISION_PDF).path).is_file()
    # Issued: renaming the issuer no longer changes the decision's files.
    svc.decision_issue(by=director, decision=draft, number=14, date=TODAY, scan=scan())
    issued = doc_of(draft, DocumentKind.DECISION_DOCX).sha256
    org.units["police"].name = "Công an tỉnh Thử Sau Sáp Nhập"
    org.units["police"].save()
    assert [d.kind for d in docs.documents_request(decision=draft)] == [DocumentKind.CERTIFICATES_PDF]  # only these
    assert doc_of(draft, DocumentKind.DECISION_DOCX).sha256 == issued


def test_bad_numbers_and_ids_are_refused_without_a_500_and_revoking_every_award_prints_no_certificate(
    org, world, media
):
    campaign, tiers = world
    person = awaiting(org, campaign, tiers["director"])
    director = org.actor("director")
    draft = svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"], nominations=[person])
    client = org.client("director")
    huge = client.post(reverse("decision_issue", args=[draft.pk]),
                       {"number": "9" * 12, "date": TODAY.strftime("%d/%m/%Y"), "scan": scan()}, follow=True)  # fmt: skip
    assert huge.status_code == 200 and "99999" in " ".join(messages_of(huge))
    edit = client.post(reverse("decision_edit", args=[draft.pk]), {"remove": ["9" * 25], "authority": ""})
    assert edit.status_code == 302 and draft.items.count() == 1
    svc.decision_issue(by=director, decision=draft, number=15, date=TODAY, scan=scan())
    revocation = svc.decision_revoke(by=director, decision=draft, items=list(draft.items.all()), reason="Sai")
    svc.decision_issue(by=director, decision=revocation, number=16, date=TODAY, scan=scan())
    kinds = set(draft.documents.values_list("kind", flat=True))
    assert DocumentKind.CERTIFICATES_PDF not in kinds and DocumentKind.DECISION_PDF in kinds
    assert not draft.documents.filter(status=DocumentStatus.FAILED).exists()


def test_a_unit_officer_sitting_in_the_police_sees_no_draft_and_no_handoff_letter(org, world, media):
    campaign, tiers = world
    person = chairman_awaiting(org, campaign, tiers["chairman"])
    gk = awaiting(org, campaign, tiers["director"], name="Trần Văn Hai", id_number="")
    draft = svc.decision_draft(by=org.actor("director"), campaign=campaign, award_type=tiers["director"],
                               nominations=[gk])  # fmt: skip
    clerk = Actor(user=org.users["outsider"], membership=org_services.membership_grant(
        by=None, user=org.users["outsider"], unit=org.units["police"], role=Role.UNIT_OFFICER))  # fmt: skip
    from awards.selectors import decisions as selectors

    assert not selectors.decisions_visible(actor=clerk).filter(pk=draft.pk).exists()
    handoff = person.handoffs.get(number="88/TTr-CAT")
    with pytest.raises(PermissionDenied):
        selectors.handoff_get(actor=clerk, pk=handoff.pk)
    assert selectors.handoff_get(actor=org.actor("police"), pk=handoff.pk) == handoff
