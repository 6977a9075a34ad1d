"""The outline as data: Plan 181's đề cương in full, versioned and fixed once used."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from awards.models import CampaignParticipantChange, ItemKind, Unit
from awards.reference import outline_181
from awards.selectors.reports import campaign_participants
from awards.services import campaigns as campaign_services
from awards.services import reports as report_services

pytestmark = pytest.mark.django_db

# Every question of the ĐỀ CƯƠNG BÁO CÁO attached to Plan 181/KH-UBND, as the seed words it.
SEED_QUESTIONS = [
    "Số lượng văn bản?",
    "Số văn bản, tên từng văn bản cụ thể?",
    "Có tổ chức Hội nghị quán triệt triển khai thực hiện Chỉ thị không? Thành phần cụ thể?",
    "Tổng số đơn vị hành chính cấp xã?",
    "bao nhiêu đơn vị triển khai?",
    "Đảng ủy xã, phường ban hành Nghị quyết",
    "ban hành Chỉ thị",
    "UBND cấp xã, phường ban hành Kế hoạch triển khai thực hiện",
    "Bao nhiêu đơn vị cấp xã, phường tổ chức hội nghị quán triệt, triển khai thực hiện chỉ thị?",
    "Thành phần",
    "Đã tham mưu tổ chức được các hoạt động tuyên truyền gì?",
    "Xuất bản sách", "Phóng sự", "Băng rôn, khẩu hiệu", "hội nghị", "Hội thi tìm hiểu", "Hội thảo",
    "bao nhiêu buổi tuyên truyền trong cơ quan, doanh nghiệp, nhà trường",
    "nội dung gì?",
    "Bao nhiêu lượt người tham gia?",
    "Qua công tác tuyên truyền đã thu được kết quả như thế nào?",
    "bao nhiêu nguồn tin có giá trị",
    "điều tra khám phá bao nhiêu vụ án nghiêm trọng",
    "Nêu một số vụ điển hình",
    "Kết quả ký kết các quy chế, kế hoạch phối hợp về bảo đảm ANTT",
    "Hiệu quả từ việc ký kết các quy chế, kế hoạch phối hợp (có số liệu chứng minh)",
    "củng cố kiện toàn tổ chức đảng, công đoàn, đoàn thanh niên, hội phụ nữ, lực lượng bảo vệ",
    "rà soát, sửa đổi, bổ sung nội quy, quy chế làm việc?",
    "Nghị định 06/2013/NĐ-CP, Thông tư 46/2014/TT-BCA",
    "bao nhiêu cơ quan, doanh nghiệp, nhà trường có nhân viên bảo vệ?",
    "thuê nhân viên bảo vệ là vệ sỹ",
    "Ngày hội toàn dân bảo vệ ANTT được bao nhiêu lượt",
    "Chứng minh cụ thể",
    "được công nhận đạt tiêu chuẩn “An toàn về ANTT”",
    "được Bộ Công an tặng cờ thi đua xuất sắc",
    "được Chủ tịch UBND tỉnh tặng Bằng khen",
    "được Giám đốc Công an tỉnh tặng Giấy khen",
    "Ưu điểm", "Tồn tại, hạn chế", "Bài học kinh nghiệm", "Kiến nghị, đề xuất",
    "Phương hướng nhiệm vụ trọng tâm thời gian tới",
]  # fmt: skip


def test_every_question_of_the_plan_181_outline_is_an_item(campaign):
    questions = [i.text for i in campaign.outline.items.exclude(kind=ItemKind.SECTION)]
    missing = [q for q in SEED_QUESTIONS if not any(q.lower() in text.lower() for text in questions)]
    assert missing == []
    assert campaign.outline.items.count() == len(outline_181.ITEMS)


def test_the_outline_has_every_item_kind_and_per_kind_sections(campaign):
    kinds = set(campaign.outline.items.values_list("kind", flat=True))
    assert kinds == set(ItemKind.values)
    district_only = campaign.outline.items.get(code="I.2.a")
    assert district_only.applies_to_kind("district_committee")
    assert not district_only.applies_to_kind("enterprise")


def test_an_outline_in_use_is_fixed_and_a_copy_is_a_new_version(org, campaign):
    item = campaign.outline.items.get(code="III.1")
    campaign_services.outline_item_update(by=None, item=item, required=False)  # no report yet: allowed
    report_services.report_start(by=org.actor("officer_a"), campaign=campaign, unit=org.units["a"])
    with pytest.raises(ValidationError, match="không thể sửa"):
        campaign_services.outline_item_update(by=None, item=item, text="Đổi câu hỏi")
    copy = campaign_services.outline_copy(by=None, outline=campaign.outline, title="Đề cương năm sau")
    assert (copy.code, copy.version, copy.based_on) == (campaign.outline.code, 2, campaign.outline)
    assert list(copy.items.values_list("code", "kind")) == list(campaign.outline.items.values_list("code", "kind"))
    campaign_services.outline_item_update(by=None, item=copy.items.get(code="III.1"), text="Ưu điểm nổi bật")
    assert campaign.outline.items.get(code="III.1").text == "Ưu điểm"


def test_a_campaign_cannot_swap_its_outline_once_reports_exist(org, campaign):
    report_services.report_start(by=org.actor("officer_a"), campaign=campaign, unit=org.units["a"])
    other = campaign_services.outline_copy(by=None, outline=campaign.outline)
    with pytest.raises(ValidationError):
        campaign_services.campaign_update(by=None, campaign=campaign, outline=other)


def test_participants_follow_unit_kinds_plus_additions_minus_removals(org, campaign):
    codes = set(campaign_participants(campaign=campaign).values_list("code", flat=True))
    assert codes == {"DN-A", "SGD-B", "UBND-H", "UBND-K", "SNV-T"}
    CampaignParticipantChange.objects.create(campaign=campaign, unit=org.units["commune"], included=True)
    CampaignParticipantChange.objects.create(campaign=campaign, unit=org.units["b"], included=False)
    codes = set(campaign_participants(campaign=campaign).values_list("code", flat=True))
    assert codes == {"DN-A", "UBND-H", "UBND-K", "SNV-T", "UBND-H-X"}


def test_units_closed_before_the_reference_date_do_not_participate(org, campaign):
    Unit.objects.filter(code="DN-A").update(valid_to=dt.date(2020, 1, 1))
    assert "DN-A" not in set(campaign_participants(campaign=campaign).values_list("code", flat=True))
