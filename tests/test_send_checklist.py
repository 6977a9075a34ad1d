"""What blocks sending is shown from the moment a nomination is created (the same rules the send applies), a refused
send keeps the council's minutes, messages say what happened, the inbox acts on a whole filtered selection after a
confirmation naming its count, deadlines read as the plans write them, and fingerprints are the administrator's."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from awards.calendar import deadline_words
from awards.models import BlockReason, Dossier, JobRun, Nomination, NominationQuota, Route, Step
from awards.services import nominations as svc
from tests.integrity import integrity_checked as integrity_checked  # noqa: F401 - checks the invariants after each test
from tests.test_attachments import pdf_bytes
from tests.test_nominations import appraise, nominate, refreshed, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def checklist(client, nomination) -> list[tuple[str, str]]:
    """(state, text) of each line of the page's "before sending" list."""
    page = client.get(f"/nominations/{nomination.pk}/").content.decode()
    box = re.search(r'data-testid="send-checklist">(.*?)</section>', page, re.S)
    if box is None:
        return []
    items = re.findall(r'checklist__item--(\w+)"[^>]*>.*?<span class="visually-hidden">[^<]*</span>\s*<span>(.*?)</span></li>',
                       box.group(1), re.S)  # fmt: skip
    return [(state, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip()) for state, text in items]


def test_the_checklist_shows_from_creation_what_stops_the_send_and_clears_as_each_is_done(org, world):
    campaign, tiers = world
    tier = tiers[Route.DIRECTOR]
    # Unit B has no report in this campaign: nothing covers its nominee.
    blocked = nominate(org, campaign, tier, persona="officer_b", id_number="")
    lines = checklist(org.client("officer_b"), blocked)
    assert ("blocks", "Chưa có báo cáo nào của đợt này bao quát đơn vị của người được đề nghị: đơn vị phải gửi báo "
            "cáo và được chấp nhận trước.") in lines  # fmt: skip
    assert any(state == "warn" and "báo cáo thành tích" in text for state, text in lines)
    page = org.client("officer_b").get(f"/nominations/{blocked.pk}/").content.decode()
    assert "1 việc khiến đề nghị này chưa gửi được:" in page

    # Unit A's report is accepted; its quota for the tier is one place, its deadline far off.
    NominationQuota.objects.create(campaign=campaign, award_type=tier, unit_kind=org.units["a"].kind, limit=1)
    ready = nominate(org, campaign, tier, id_number="", achievement_text="Báo cáo thành tích đầy đủ")
    lines = checklist(org.client("officer_a"), ready)
    assert [state for state, _text in lines] == ["ok"] * 5, lines
    assert any("Báo cáo của Công ty Cổ phần An Bình đã được chấp nhận" in text for _state, text in lines)
    assert ("ok", "Suất Giấy khen của Giám đốc Công an tỉnh: đã dùng 0/1.") in lines
    assert ("ok", "Hạn gửi đề nghị: 07:00 ngày 01/01/2099.") in lines  # 00:00 UTC: the time is said
    assert (
        "Không có gì ngăn đề nghị này được gửi."
        in org.client("officer_a").get(f"/nominations/{ready.pk}/").content.decode()
    )

    # A block stops it; the quota used by another nomination stops it too, with the figures.
    svc.nomination_block(by=org.actor("officer_a"), nomination=ready, reason=BlockReason.DISCIPLINE, until=None)
    other = nominate(org, campaign, tier, name="Trần Thị Bình", id_number="", birth_date=dt.date(1990, 1, 1))
    send(org, campaign, tier, [other])
    lines = checklist(org.client("head_a"), refreshed(ready))
    assert ("blocks", "Đang bị xem xét kỷ luật: chưa được đề nghị khen thưởng cho đến khi có kết luận.") in lines
    assert ("blocks", "Đơn vị bạn đã gửi 1/1 suất Giấy khen của Giám đốc Công an tỉnh trong đợt này: không thể gửi "
            "thêm.") in lines  # fmt: skip
    # The send refuses what the list showed.
    svc.nomination_block(by=org.actor("officer_a"), nomination=refreshed(ready), reason="", until=None, note="Đã xong")
    with pytest.raises(ValidationError) as refusal:
        send(org, campaign, tier, [refreshed(ready)])
    assert refusal.value.code == "quota"
    # Once sent, the page shows no checklist: the file has left the unit.
    assert checklist(org.client("officer_a"), refreshed(other)) == []


def minutes_file(name="bien-ban-hop.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def dossier_post(nomination, **changes):
    data = {"nominations": [nomination.pk], "number": "15/TTr-CT", "date": "10/07/2024", "signer": "Lê Văn Bình",
            "signer_title": "Giám đốc", "council_members": "7", "council_present": "6", "votes_for": "6"}  # fmt: skip
    data.update(changes)
    return data


def test_a_refused_send_keeps_the_minutes_and_the_next_try_sends_them_without_choosing_again(org, world):
    campaign, tiers = world
    tier = tiers[Route.DIRECTOR]
    nomination = nominate(org, campaign, tier, id_number="")
    svc.nomination_prepared(by=org.actor("officer_a"), nomination=nomination)
    svc.nomination_block(by=org.actor("officer_a"), nomination=refreshed(nomination), reason=BlockReason.COMPLAINT,
                         until=None)  # fmt: skip
    head = org.client("head_a")
    url = f"/campaigns/{campaign.pk}/dossiers/{tier.pk}/new/"
    page = head.post(url, dossier_post(nomination, minutes=minutes_file())).content.decode()
    assert "chưa được đề nghị khen thưởng cho đến khi có kết luận" in page, re.findall(
        r'class="error"[^>]*>([^<]*)', page
    )
    assert not Dossier.objects.exists()
    kept = re.search(r'data-testid="minutes-held"><input type="hidden" name="minutes_held" value="([^"]+)">', page)
    assert kept and "Giữ lại từ lần gửi trước: bien-ban-hop.pdf" in page
    token = kept.group(1)

    # Another user cannot use the token, nor a forged one: the minutes are then missing.
    svc.nomination_block(
        by=org.actor("officer_a"), nomination=refreshed(nomination), reason="", until=None, note="Xong"
    )
    forged = head.post(url, dossier_post(nomination, minutes_held=token[:-2] + "xx")).content.decode()
    assert "Đính kèm biên bản họp Hội đồng Thi đua – Khen thưởng." in forged and not Dossier.objects.exists()

    response = head.post(url, dossier_post(nomination, minutes_held=token))
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dossiers/{dossier.pk}/"
    stored = dossier.files.get()
    assert (stored.original_name, stored.size) == ("bien-ban-hop.pdf", len(pdf_bytes()))
    followed = head.get(response["Location"]).content.decode()
    assert f"Đã gửi hồ sơ {dossier.number} đến Công an tỉnh Thử với 1 đề nghị." in followed


def test_a_held_token_is_for_its_user_only(org, world):
    campaign, tiers = world
    held = svc.minutes_hold(by=org.actor("head_a"), uploaded_file=minutes_file())
    assert svc.minutes_held(by=org.actor("head_a"), token=held.token).stored == held.stored
    assert svc.minutes_held(by=org.actor("head_b"), token=held.token) is None
    assert svc.minutes_held(by=org.actor("head_a"), token="") is None


def test_messages_after_each_step_are_sentences_naming_the_file_and_where_it_went(org, world):
    campaign, tiers = world
    tier = tiers[Route.DIRECTOR]
    nomination = nominate(org, campaign, tier, id_number="")
    officer = org.client("officer_a")
    response = officer.post(f"/nominations/{nomination.pk}/prepared/", follow=True)
    assert "Đã chuyển đề nghị “Nguyễn Văn An” cho thủ trưởng đơn vị để ký gửi hồ sơ." in response.content.decode()
    send(org, campaign, tier, [refreshed(nomination)])
    police = org.client("police")
    response = police.post(f"/nominations/{nomination.pk}/act/", {"step": Step.POLICE_APPRAISAL,
                           "outcome": "returned", "comment": "Bổ sung bản xác nhận"}, follow=True)  # fmt: skip
    assert "Đã trả “Nguyễn Văn An” về Công ty Cổ phần An Bình để chỉnh sửa, kèm ý kiến của bạn." in (
        response.content.decode()
    )
    # Returned after sending: it goes back up in its dossier, so neither the deadline nor the quota applies.
    lines = checklist(officer, refreshed(nomination))
    assert lines and not any("Hạn gửi" in text or "Suất" in text for _state, text in lines)
    svc.nomination_prepared(by=org.actor("officer_a"), nomination=refreshed(nomination))
    response = org.client("head_a").post(f"/nominations/{nomination.pk}/resubmit/", follow=True)
    assert "Đã trình lại đề nghị “Nguyễn Văn An” lên Công an tỉnh Thử." in response.content.decode()
    response = police.post(f"/nominations/{nomination.pk}/handoff/", {"number": "121/TTr-PV01", "date": "10/07/2024",
                           "signer": "Đỗ Minh Khoa", "step": Step.POLICE_APPRAISAL}, follow=True)  # fmt: skip
    assert "Đã chuyển “Nguyễn Văn An” đến Công an tỉnh Thử kèm tờ trình 121/TTr-PV01 của bạn." in (
        response.content.decode()
    )


def test_the_inbox_acts_on_every_nomination_matching_its_filter_after_a_confirmation_naming_the_count(org, world):
    campaign, tiers = world
    tier = tiers[Route.DIRECTOR]
    people = [("Nguyễn Thị Ánh", dt.date(1980, 1, 1)), ("Nguyễn Thị Anh", dt.date(1981, 1, 1)),
              ("Trần Văn Cường", dt.date(1982, 1, 1))]  # fmt: skip
    made = [nominate(org, campaign, tier, name=name, birth_date=born, id_number="") for name, born in people]
    send(org, campaign, tier, made)
    appraise(org, [refreshed(n) for n in made])  # now with the director, who approves without a tờ trình
    director = org.client("director")
    url = "/nominations/?q=nguyen+thi+anh"
    page = director.get(url).content.decode()
    assert "mọi đề nghị khớp bộ lọc (2)" in page
    confirm = director.post(url, {"scope": "filter", "action": "approve", "comment": ""})
    text = confirm.content.decode()
    assert confirm.status_code == 200 and "Đồng ý: 2 đề nghị khớp bộ lọc của bạn." in text
    assert Nomination.objects.filter(step=Step.DIRECTOR_APPROVAL).count() == 3  # nothing done yet
    assert 'name="confirm_count" value="2"' in text
    # A count that changed meanwhile (here: a stale one) asks again instead of acting.
    again = director.post(url, {"scope": "filter", "action": "approve", "comment": "", "confirm_count": "3"})
    assert again.status_code == 200 and 'data-testid="bulk-confirm"' in again.content.decode()
    # A return for the whole selection asks for its comment first, before any confirmation.
    bare = director.post(url, {"scope": "filter", "action": "return", "comment": " "}, follow=True).content.decode()
    assert "Hãy nêu nội dung còn thiếu: trả lại cần có ý kiến." in bare and 'data-testid="bulk-confirm"' not in bare
    done = director.post(
        url, {"scope": "filter", "action": "approve", "comment": "", "confirm_count": "2"}, follow=True
    )
    assert "Bạn đã đồng ý 2 đề nghị." in done.content.decode()
    left = Nomination.objects.get(step=Step.DIRECTOR_APPROVAL)
    assert left.name == "Trần Văn Cường"  # outside the filter: untouched
    # Another person's inbox is theirs: the unit's officer has nothing matching there, and nothing moves.
    refused = org.client("officer_a").post(url, {"scope": "filter", "action": "approve", "confirm_count": "2"},
                                           follow=True)  # fmt: skip
    assert "Không có đề nghị nào khớp bộ lọc." in refused.content.decode()
    assert refreshed(left).step == Step.DIRECTOR_APPROVAL


def test_deadlines_read_as_the_plans_write_them():
    with translation.override("vi"):
        midnight = timezone.make_aware(dt.datetime(2024, 6, 30, 0, 0))
        assert deadline_words(midnight) == "trước ngày 30/06/2024"
        assert deadline_words(timezone.make_aware(dt.datetime(2024, 6, 30, 17, 0))) == "17:00 ngày 30/06/2024"
        assert deadline_words(None) == ""


def test_the_campaign_page_prints_its_deadline_without_a_midnight_time(org, world):
    campaign, _tiers = world
    campaign.report_deadline = timezone.make_aware(dt.datetime(2024, 6, 30))
    campaign.save(update_fields=["report_deadline"])
    page = org.client("officer_a").get(f"/campaigns/{campaign.pk}/").content.decode()
    deadline = re.search(r'data-testid="deadline">([^<]*)<', page).group(1)
    assert deadline == "trước ngày 30/06/2024"


def test_health_results_are_words_and_fingerprints_are_for_administrators(org, world):
    JobRun.objects.create(name="email_sweep", started_at=timezone.now(), finished_at=timezone.now(),
                          result={"enqueued": 3})  # fmt: skip
    page = org.client("admin").get("/operations/health/").content.decode()
    assert "đã chuyển cho tiến trình nền: 3" in page and "{'enqueued'" not in page and "{&#x27;enqueued" not in page


def test_a_file_not_yet_sent_is_removed_after_a_confirmation_and_audited_and_a_sent_one_stays(org, world):
    from awards.models import AuditEvent

    campaign, tiers = world
    tier = tiers[Route.DIRECTOR]
    nomination = nominate(org, campaign, tier, id_number="")
    first = svc.nomination_file_add(by=org.actor("officer_a"), nomination=nomination, kind="achievement",
                                    uploaded_file=minutes_file("bao-cao-thanh-tich.pdf"))  # fmt: skip
    officer = org.client("officer_a")
    page = officer.get(f"/nominations/{nomination.pk}/").content.decode()
    remove = f"/nominations/{nomination.pk}/files/{first.pk}/remove/"
    assert f'href="{remove}"' in page
    confirm = officer.get(remove).content.decode()
    assert "Gỡ tệp “bao-cao-thanh-tich.pdf” (Báo cáo thành tích) khỏi đề nghị?" in confirm
    assert nomination.files.count() == 1  # asking is not removing
    done = officer.post(remove, follow=True).content.decode()
    assert "Đã gỡ tệp “bao-cao-thanh-tich.pdf”." in done and nomination.files.count() == 0
    event = AuditEvent.objects.get(action="nomination_file_removed")
    assert event.detail["file_id"] == first.pk and event.detail["sha256"] == first.sha256
    assert "bao-cao" not in str(event.detail)  # a file name may name the nominee: the audit keeps none
    assert "Tệp đã được gỡ từ trước." in officer.post(remove, follow=True).content.decode()  # a second click
    assert org.client("officer_b").get(remove).status_code == 403  # another unit's

    # Sent with the nomination, then returned: the file sent stays; one added since may go.
    kept = svc.nomination_file_add(by=org.actor("officer_a"), nomination=refreshed(nomination), kind="achievement",
                                   uploaded_file=minutes_file("gui-di.pdf"))  # fmt: skip
    send(org, campaign, tier, [refreshed(nomination)])
    svc.nomination_act(by=org.actor("police"), nomination=refreshed(nomination), step=Step.POLICE_APPRAISAL,
                       outcome="returned", comment="Bổ sung")  # fmt: skip
    added = svc.nomination_file_add(by=org.actor("officer_a"), nomination=refreshed(nomination), kind="supporting",
                                    uploaded_file=minutes_file("bo-sung.pdf"))  # fmt: skip
    page = officer.get(f"/nominations/{nomination.pk}/").content.decode()
    assert f"/files/{kept.pk}/remove/" not in page and f"/files/{added.pk}/remove/" in page
    assert officer.get(f"/nominations/{nomination.pk}/files/{kept.pk}/remove/").status_code == 403
    refused = officer.post(f"/nominations/{nomination.pk}/files/{kept.pk}/remove/", follow=True).content.decode()
    assert "Tệp này đã được gửi cùng đề nghị: tệp được giữ lại trong hồ sơ." in refused
    assert set(refreshed(nomination).files.values_list("original_name", flat=True)) == {"gui-di.pdf", "bo-sung.pdf"}


def test_the_nominations_page_reads_its_files_removability_once_whatever_their_number(org, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    campaign, tiers = world
    nomination = nominate(org, campaign, tiers[Route.DIRECTOR], id_number="")
    officer = org.client("officer_a")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert officer.get(f"/nominations/{nomination.pk}/").status_code == 200
        return len(captured)

    svc.nomination_file_add(by=org.actor("officer_a"), nomination=nomination, kind="supporting",
                            uploaded_file=minutes_file("mot.pdf"))  # fmt: skip
    queries()  # the first view warms what every page reads once per process
    one = queries()
    for name in ("hai.pdf", "ba.pdf", "bon.pdf"):
        svc.nomination_file_add(by=org.actor("officer_a"), nomination=nomination, kind="supporting",
                                uploaded_file=minutes_file(name))  # fmt: skip
    assert queries() == one
    assert officer.get(f"/nominations/{nomination.pk}/").content.decode().count('data-testid="remove-file"') == 4
