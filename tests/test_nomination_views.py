"""The nomination pages as users see them: forms with Vietnamese errors, masking, the inbox and its bulk actions."""

import datetime as dt
import io
import re
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document as DocxDocument

from awards.audit import refusals_record
from awards.models import AuditEvent, Nomination, NominationStatus, Outcome, Step
from awards.services import nominations as svc
from tests.integrity import integrity_checked as integrity_checked  # noqa: F401 - checks the invariants after each test
from tests.test_attachments import pdf_bytes
from tests.test_nominations import PERSON, nominate, refreshed, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def form_data(tier, **changes):
    data = {
        "award_type": tier.pk, "kind": "individual", "name": "Nguyễn Văn An", "gender": "male",
        "birth_date": "02/03/1985", "position": "Trưởng phòng", "workplace": "Công ty An Bình",
        "id_number": "075 085 001 234", "achievement": "Có thành tích xuất sắc", "achievement_text": "",
        "parent_unit": "", "women_percent": "",
    }  # fmt: skip
    data.update(changes)
    return data


def test_an_officer_nominates_in_the_browser_form_with_vietnamese_dates(org, world):
    campaign, tiers = world
    decomposed = unicodedata.normalize("NFD", "Nguyễn  Văn An")
    response = org.client("officer_a").post(
        f"/campaigns/{campaign.pk}/nominations/new/", form_data(tiers["director"], name=decomposed)
    )
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and response.url == f"/nominations/{nomination.pk}/"
    assert nomination.name == "Nguyễn Văn An" and unicodedata.is_normalized("NFC", nomination.name)
    assert nomination.birth_date == dt.date(1985, 3, 2)  # 02/03/1985 is 2 March
    assert nomination.id_number == "075085001234"


def test_a_wrong_citizen_id_is_explained_in_vietnamese_and_the_input_is_kept(org, world):
    campaign, tiers = world
    response = org.client("officer_a").post(
        f"/campaigns/{campaign.pk}/nominations/new/", form_data(tiers["director"], id_number="075185001234")
    )
    assert response.status_code == 200 and not Nomination.objects.exists()
    page = response.content.decode()
    assert "Chữ số thứ tư của số định danh (1) dành cho nữ" in page
    assert 'value="Nguyễn Văn An"' in page and 'value="Trưởng phòng"' in page  # nothing typed is lost


def test_a_tier_that_does_not_take_the_kind_is_refused_on_the_form(org, world):
    campaign, tiers = world
    tiers["director"].accepts_collectives = False
    tiers["director"].save()
    response = org.client("officer_a").post(
        f"/campaigns/{campaign.pk}/nominations/new/",
        form_data(tiers["director"], kind="collective", name="Phòng Kế toán", parent_unit=org.units["a"].pk),
    )
    assert response.status_code == 200
    assert "không xét tặng cho đối tượng: tập thể" in response.content.decode()


def test_the_head_sends_a_dossier_with_minutes_and_gets_the_submission_letter(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    kept_back = nominate(org, campaign, tiers["director"], name="Trần Thị Bình", gender="female", id_number="")
    not_handed = nominate(org, campaign, tiers["director"], name="Lê Văn Cường", id_number="")
    for handed in (nomination, kept_back):
        svc.nomination_prepared(by=org.actor("officer_a"), nomination=handed)
    url = f"/campaigns/{campaign.pk}/dossiers/{tiers['director'].pk}/new/"
    offered = org.client("head_a").get(url).content.decode()
    assert "Trần Thị Bình" in offered and "Lê Văn Cường" not in offered  # only what the officer handed over
    data = {"nominations": [nomination.pk], "number": "25/TTr-CT", "date": "10/07/2024", "signer": "Lê Văn Bình",
            "signer_title": "Giám đốc", "council_members": 7, "council_present": 6, "votes_for": 6}  # fmt: skip
    response = org.client("head_a").post(url, data)
    assert response.status_code == 200
    assert "Đính kèm biên bản họp Hội đồng Thi đua – Khen thưởng." in response.content.decode()
    assert refreshed(nomination).step == Step.SUBMIT  # nothing sent, nothing lost
    minutes = SimpleUploadedFile("bien-ban.pdf", pdf_bytes(), content_type="application/pdf")
    response = org.client("head_a").post(url, {**data, "minutes": minutes})
    assert response.status_code == 302
    nomination = refreshed(nomination)
    assert nomination.step == Step.POLICE_APPRAISAL and nomination.dossier.date == dt.date(2024, 7, 10)
    assert refreshed(kept_back).step == Step.SUBMIT and kept_back.dossier_id is None  # only the chosen ones go
    assert refreshed(not_handed).step == Step.PREPARE
    document = org.client("head_a").get(f"/dossiers/{nomination.dossier_id}/submission.docx")
    docx = DocxDocument(io.BytesIO(document.content))
    text = "\n".join(p.text for p in docx.paragraphs)
    cells = {c.text for t in docx.tables for row in t.rows for c in row.cells}
    assert "TỜ TRÌNH" in text and "1 cá nhân" in text
    assert "(Kèm theo Tờ trình số 25/TTr-CT ngày 10 tháng 7 năm 2024 của Công ty Cổ phần An Bình)" in text
    assert any("Số: 25/TTr-CT" in cell for cell in cells) and "Nguyễn Văn An" in cells


def test_personal_data_is_masked_in_lists_and_each_full_view_is_logged(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    listing = org.client("police").get(f"/campaigns/{campaign.pk}/nominations/").content.decode()
    assert "•••••••••234" in listing and "075085001234" not in listing
    page = org.client("police").get(f"/nominations/{nomination.pk}/").content.decode()
    assert "075085001234" in page and "02/03/1985" in page
    assert AuditEvent.objects.filter(action="personal_data_viewed", actor=org.users["police"]).count() == 1
    # The home-affairs reviewer does not handle a Giấy khen: the nomination is not theirs at all.
    assert org.client("home").get(f"/nominations/{nomination.pk}/").status_code == 403


def test_the_unit_sees_the_comment_but_not_the_internal_note(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    response = org.client("police").post(f"/nominations/{nomination.pk}/act/", {
        "step": Step.POLICE_APPRAISAL, "outcome": Outcome.RETURNED, "comment": "Bổ sung bản sao bằng khen",
        "internal_note": "Đơn vị này hay nộp thiếu",
    })  # fmt: skip
    assert response.status_code == 302
    unit_page = org.client("officer_a").get(f"/nominations/{nomination.pk}/").content.decode()
    assert "Bổ sung bản sao bằng khen" in unit_page and "Đơn vị này hay nộp thiếu" not in unit_page
    police_page = org.client("police").get(f"/nominations/{nomination.pk}/").content.decode()
    assert "Đơn vị này hay nộp thiếu" in police_page


def test_a_return_without_a_comment_is_refused_and_nothing_moves(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    response = org.client("police").post(
        f"/nominations/{nomination.pk}/act/", {"step": Step.POLICE_APPRAISAL, "outcome": Outcome.RETURNED}, follow=True
    )
    assert "Hãy nêu nội dung còn thiếu: trả lại cần có ý kiến." in response.content.decode()
    assert refreshed(nomination).step == Step.POLICE_APPRAISAL


def test_the_inbox_approves_many_at_once_and_refuses_a_return_without_comment(org, world):
    campaign, tiers = world
    people = [nominate(org, campaign, tiers["director"], name=f"Người Thứ {i}", id_number="") for i in range(3)]
    send(org, campaign, tiers["director"], people)
    police = org.client("police")
    page = police.get("/nominations/").content.decode()
    assert all(p.name in page for p in people)
    assert police.get("/nominations/?campaign=²&award_type=٣").status_code == 200
    response = police.post("/nominations/", {"selected": [p.pk for p in people], "action": "return"}, follow=True)
    assert "trả lại cần có ý kiến" in response.content.decode()
    assert all(refreshed(p).step == Step.POLICE_APPRAISAL for p in people)
    response = police.post("/nominations/", {"selected": [people[0].pk], "action": "approve"}, follow=True)
    assert "tờ trình" in response.content.decode()  # the appraising office sends them with its tờ trình
    assert refreshed(people[0]).step == Step.POLICE_APPRAISAL
    police.post("/nominations/", {
        "selected": [people[0].pk, people[1].pk, "²", "٣"], "action": "handoff", "number": "121/TTr-PV01",
        "date": "01/08/2024", "signer": "Đỗ Minh Khoa", "signer_title": "Trưởng phòng Tham mưu",
    })  # fmt: skip  # digits of other kinds are ignored, not a 500
    assert [refreshed(p).step for p in people] == [
        Step.DIRECTOR_APPROVAL,
        Step.DIRECTOR_APPROVAL,
        Step.POLICE_APPRAISAL,
    ]
    director = org.client("director")
    director_page = director.get("/nominations/").content.decode()
    assert people[0].name in director_page and people[2].name not in director_page
    director.post("/nominations/", {"selected": [people[0].pk, people[1].pk], "action": "approve", "comment": "Đạt"})
    assert [refreshed(p).status for p in people[:2]] == [NominationStatus.AWAITING_DECISION] * 2


def test_the_inbox_sends_a_chairman_nomination_on_with_one_submission(org, world):
    campaign, tiers = world
    nominations = [nominate(org, campaign, tiers["chairman"], name=f"Người Thứ {i}", id_number="") for i in range(2)]
    send(org, campaign, tiers["chairman"], nominations)
    response = org.client("police").post("/nominations/", {
        "selected": [n.pk for n in nominations], "action": "handoff", "number": "88/TTr-CAT", "date": "01/08/2024",
        "signer": "Nguyễn Văn Giám",
    })  # fmt: skip
    assert response.status_code == 302
    assert {refreshed(n).holder for n in nominations} == {org.units["home"]}
    assert all(n.handoffs.get().number == "88/TTr-CAT" for n in nominations)


def test_a_giay_khen_goes_to_the_director_with_the_offices_to_trinh_and_a_second_sender_is_told(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    police = org.client("police")
    page = police.get(f"/nominations/{nomination.pk}/").content.decode()
    assert 'data-testid="handoff-form"' in page and 'value="police_appraisal"' in page  # the step it shows
    form = {"number": "121/TTr-PV01", "date": "01/08/2024", "signer": "Đỗ Minh Khoa",
            "signer_title": "Trưởng phòng Tham mưu", "step": Step.POLICE_APPRAISAL}  # fmt: skip
    assert police.post(f"/nominations/{nomination.pk}/handoff/", form).status_code == 302
    handoff = refreshed(nomination).handoffs.get()
    assert (handoff.from_unit, handoff.to_unit) == (org.units["police"], org.units["police"])
    assert nomination.step == Step.DIRECTOR_APPROVAL
    # A colleague who had the same page open sends it again: told it moved on, nothing made twice.
    again = police.post(f"/nominations/{nomination.pk}/handoff/", {**form, "number": "122/TTr-PV01"}, follow=True)
    assert "Người khác đã xử lý hồ sơ này và hồ sơ đã chuyển bước." in again.content.decode()
    assert refreshed(nomination).handoffs.count() == 1


def test_the_inbox_makes_the_same_number_of_queries_for_few_and_many_tasks(org, world):
    campaign, tiers = world
    first = [nominate(org, campaign, tiers["director"], name=f"Người Thứ {i}", id_number="") for i in range(2)]
    send(org, campaign, tiers["director"], first)
    # The reviewer also holds many per-object guardian rows (viewflow's user_queue loops over them).
    from django.contrib.auth.models import Permission

    from awards.models import Unit, UnitUserObjectPermission

    view_unit = Permission.objects.get(codename="view_unit", content_type__app_label="awards")
    units = Unit.objects.bulk_create(Unit(code=f"G{i}", name=f"Đơn vị {i}", kind="enterprise") for i in range(300))
    UnitUserObjectPermission.objects.bulk_create(
        UnitUserObjectPermission(user=org.users["police"], permission=view_unit, content_object=u) for u in units
    )
    police = org.client("police")
    police.get("/nominations/")  # warm the session and the actor
    with CaptureQueriesContext(connection) as few:
        police.get("/nominations/")
    more = [nominate(org, campaign, tiers["director"], name=f"Người Khác {i}", id_number="") for i in range(20)]
    svc.dossier_submit(by=org.actor("head_a"), campaign=campaign, award_type=tiers["director"], nominations=more,
                       number="2/TTr", date=dt.date(2024, 7, 2), signer="A", council_members=5, council_present=5,
                       votes_for=5, minutes=SimpleUploadedFile("b.pdf", pdf_bytes(), content_type="application/pdf"))  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        page = police.get("/nominations/").content.decode()
    assert page.count('name="selected"') == 22
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_unit_withdraws_from_the_page(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    org.client("head_a").post(f"/nominations/{nomination.pk}/withdraw/", {"reason": "Nghỉ hưu"})
    assert refreshed(nomination).status == NominationStatus.WITHDRAWN
    listing = org.client("head_a").get(f"/campaigns/{campaign.pk}/nominations/").content.decode()
    row = listing.split(PERSON["name"])[1].split("</tr>")[0]
    assert 'data-testid="nomination-status">Đã rút</span>' in row  # still listed, shown as withdrawn


def test_duplicate_warnings_are_limited_so_citizen_ids_cannot_be_probed(org, world):
    campaign, tiers = world
    first = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [first])
    url = f"/campaigns/{campaign.pk}/nominations/new/"
    officer_b = org.client("officer_b")
    response = officer_b.post(url, form_data(tiers["chairman"]), follow=True)
    assert "Đối tượng này đã được đề nghị trong đợt này." in response.content.decode()
    assert "Công ty An Bình" not in response.content.decode().split("Đối tượng này")[1][:200]
    for n in range(svc.DUPLICATE_CHECKS_PER_HOUR - 1):
        officer_b.post(url, form_data(tiers["chairman"], name=f"Người Dò {n}", id_number=""))
    response = officer_b.post(url, form_data(tiers["chairman"]), follow=True)
    page = response.content.decode()
    assert "Quá nhiều lần kiểm tra trùng trong một giờ" in page
    assert "Đối tượng này đã được đề nghị trong đợt này." not in page
    checks = AuditEvent.objects.filter(action="nomination_duplicate_checked", actor=org.users["officer_b"])
    assert checks.count() == svc.DUPLICATE_CHECKS_PER_HOUR


def test_one_click_takes_the_step_and_opens_the_nomination(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    police = org.client("police")
    response = police.post(f"/nominations/{nomination.pk}/claim/")
    assert response.status_code == 302 and response.url == f"/nominations/{nomination.pk}/"
    assert refreshed(nomination).assignee == org.users["police"]
    assert "Người dùng police" in police.get("/nominations/?mine=1").content.decode()


def test_the_unit_attaches_the_achievement_report_and_a_renamed_executable_is_refused(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    officer = org.client("officer_a")
    url = f"/nominations/{nomination.pk}/files/"
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    page = officer.post(url, {"kind": "achievement", "file": fake}, follow=True).content.decode()
    assert "Tệp này là chương trình chạy được, không phải tài liệu PDF, nên không được chấp nhận." in page
    assert not nomination.files.exists()
    real = SimpleUploadedFile("bao-cao-thanh-tich.pdf", pdf_bytes(), content_type="application/pdf")
    officer.post(url, {"kind": "achievement", "file": real})
    stored = nomination.files.get()
    download = officer.get(f"/nominations/{nomination.pk}/files/{stored.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert org.client("officer_b").get(f"/nominations/{nomination.pk}/files/{stored.pk}/").status_code == 403


def test_a_block_recorded_on_the_page_stops_the_dossier_until_it_lifts(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    org.client("officer_a").post(f"/nominations/{nomination.pk}/block/",
                                 {"reason": "discipline", "until": "31/12/2099", "note": "Chờ kết luận"})  # fmt: skip
    nomination = refreshed(nomination)
    assert (nomination.block_reason, nomination.block_until) == ("discipline", dt.date(2099, 12, 31))
    page = org.client("officer_a").get(f"/nominations/{nomination.pk}/").content.decode()
    assert "Đang bị xem xét kỷ luật: chưa được đề nghị khen thưởng cho đến 31/12/2099." in page


def test_the_page_draws_the_route_with_the_current_step_and_who_acts(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["chairman"])
    send(org, campaign, tiers["chairman"], [nomination])
    page = org.client("officer_a").get(f"/nominations/{nomination.pk}/").content.decode()
    route = page.split('data-testid="route"')[1].split("</section>")[0]
    steps = re.findall(r'<li class="route__step route__step--(\w+)"', route)
    assert steps == ["done", "done", "current", "todo", "todo", "todo"]
    assert "Công an tỉnh thẩm định" in route and "9 ngày làm việc" in route and "Sở Nội vụ tỉnh Thử" in route


def test_the_inbox_filters_by_nominating_unit_with_its_units_listed_and_chosen(org, world):
    from tests.test_consolidation import report as accepted_report
    from tests.test_reports import REQUIRED_ENTERPRISE

    campaign, tiers = world
    accepted_report(org, campaign, "officer_b", org.actor("head_b"), {**REQUIRED_ENTERPRISE})
    ours = nominate(org, campaign, tiers["director"], name="Người Của A", id_number="")
    theirs = nominate(org, campaign, tiers["director"], persona="officer_b", name="Người Của B", id_number="")
    send(org, campaign, tiers["director"], [ours])
    send(org, campaign, tiers["director"], [theirs], head="head_b")
    police = org.client("police")
    page = police.get(f"/nominations/?unit={org.units['b'].pk}").content.decode()
    assert "Người Của B" in page and "Người Của A" not in page
    assert f'<option value="{org.units["b"].pk}" selected>{org.units["b"].name}</option>' in page
    assert f'<option value="{org.units["a"].pk}">{org.units["a"].name}</option>' in page


def test_the_campaigns_list_filters_by_award_and_by_a_unit_of_the_actors_scope(org, world):
    from tests.test_consolidation import report as accepted_report
    from tests.test_reports import REQUIRED_ENTERPRISE

    campaign, tiers = world
    accepted_report(org, campaign, "officer_b", org.actor("head_b"), {**REQUIRED_ENTERPRISE})
    nominate(org, campaign, tiers["director"], name="Người Giấy Khen", id_number="")
    nominate(org, campaign, tiers["chairman"], name="Người Bằng Khen", id_number="")
    theirs = nominate(org, campaign, tiers["director"], persona="officer_b", name="Người Của B", id_number="")
    send(org, campaign, tiers["director"], [theirs], head="head_b")
    url = f"/campaigns/{campaign.pk}/nominations/"
    officer = org.client("officer_a").get(f"{url}?tier={tiers['chairman'].pk}").content.decode()
    assert "Người Bằng Khen" in officer and "Người Giấy Khen" not in officer
    assert 'name="unit"' not in officer  # one unit in its scope: nothing to choose
    police = org.client("police")
    page = police.get(f"{url}?unit={org.units['b'].pk}").content.decode()
    assert "Người Của B" in page and f'<option value="{org.units["b"].pk}" selected>' in page
    # a unit outside what the officer may see filters to nothing; its name is never offered
    other = org.client("officer_a").get(f"{url}?unit={org.units['b'].pk}").content.decode()
    assert "Người Của B" not in other and org.units["b"].name not in other


def test_the_inbox_pages_long_lists(org, world, monkeypatch):
    from awards.views import nominations as nomination_views

    monkeypatch.setattr(nomination_views, "INBOX_PAGE", 2)
    campaign, tiers = world
    people = [nominate(org, campaign, tiers["director"], name=f"Người Thứ {i}", id_number="") for i in range(3)]
    send(org, campaign, tiers["director"], people)
    police = org.client("police")
    first = police.get("/nominations/").content.decode()
    assert first.count('name="selected"') == 2 and "Trang 1 / 2 (3 mục)" in first
    second = police.get("/nominations/?page=2").content.decode()
    assert second.count('name="selected"') == 1


def test_a_delegated_officer_cannot_act_after_the_delegation_ended(org, world):
    from awards.services import membership_grant_acting
    from tests.factories import UserFactory

    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    deputy = UserFactory(username="deputy", full_name="Lý Văn Phúc")
    today = timezone.localdate()
    membership_grant_acting(by=None, user=deputy, acting_for=org.memberships["police"],
                            valid_from=today - dt.timedelta(days=10), valid_to=today - dt.timedelta(days=1))  # fmt: skip
    client = org.client("outsider")
    client.force_login(deputy)
    response = client.post(f"/nominations/{nomination.pk}/act/",
                           {"step": Step.POLICE_APPRAISAL, "outcome": Outcome.APPROVED})  # fmt: skip
    assert response.status_code == 403
    assert refreshed(nomination).step == Step.POLICE_APPRAISAL
    refusals_record(now=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1, minutes=2))  # written when the hour closes
    assert AuditEvent.objects.filter(action="access_denied", actor=deputy, object_type="nomination").exists()


def test_the_history_names_the_submission_that_carried_the_nomination_on(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["chairman"])
    send(org, campaign, tiers["chairman"], [nomination])
    svc.handoff_send(by=org.actor("police"), nominations=[nomination], number="88/TTr-CAT", date=dt.date(2024, 8, 1),
                     signer="A")  # fmt: skip
    timeline = org.client("officer_a").get(f"/nominations/{nomination.pk}/").content.decode()
    assert "kèm tờ trình số 88/TTr-CAT ngày 01/08/2024 gửi Sở Nội vụ tỉnh Thử" in timeline


def test_the_inbox_filters_by_tier_unit_and_district(org, world):
    campaign, tiers = world
    giay_khen = nominate(org, campaign, tiers["director"])
    chairman = nominate(org, campaign, tiers["chairman"], name="Trần Thị Bình", gender="female", id_number="")
    send(org, campaign, tiers["director"], [giay_khen])
    send(org, campaign, tiers["chairman"], [chairman])
    police = org.client("police")
    page = police.get("/nominations/", {"tier": tiers["chairman"].pk}).content.decode()
    assert "Trần Thị Bình" in page and "Nguyễn Văn An" not in page
    assert "Trần Thị Bình" not in police.get("/nominations/", {"unit": org.units["b"].pk}).content.decode()
    assert "Nguyễn Văn An" in police.get("/nominations/", {"unit": org.units["a"].pk}).content.decode()
    empty = police.get("/nominations/", {"district": org.units["district"].pk}).content.decode()
    assert "Không có hồ sơ nào chờ bạn xử lý." in empty


def test_the_reviewer_reads_the_evidence_report_beside_the_nomination(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    page = org.client("police").get(f"/nominations/{nomination.pk}/").content.decode()
    panel = page.split('data-testid="evidence-panel"')[1].split("</section>")[0]
    assert "Công ty Cổ phần An Bình, version" not in panel  # translated heading
    assert "phiên bản 1" in panel and "<strong>" in panel  # the report's figures are shown
    # The Ministry liaison sees a nomination waiting for the Ministry, but reads no province report.
    from tests.test_nominations import advance_to

    forwarded = nominate(org, campaign, tiers["ministry"], name="Trần Thị Bình", gender="female", id_number="")
    send(org, campaign, tiers["ministry"], [forwarded])
    advance_to(org, forwarded, Step.AWAITING_DECISION)
    response = org.client("ministry").get(f"/nominations/{forwarded.pk}/")
    assert response.status_code == 200 and 'data-testid="evidence-panel"' not in response.content.decode()
