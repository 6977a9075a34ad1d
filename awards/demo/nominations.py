"""Demo nominations in Plan 181: every step of the three routes holds real work for the persona who acts there.

Like `demo.campaigns`, everything goes through the services as the demo users, so the audit trail, the
workflow tasks and the hand-offs read like real use. The nominating units are those whose Plan-181 report
was accepted (`PLAN_181_STORY`): Biên Hòa, Tín Nghĩa, Long Khánh and Agribank Đồng Nai; a unit whose report
is not accepted could not send a dossier. Nominations are prepared and their dossiers sent on July 2024
dates (before the deadline); the agencies' later steps are stamped "now".
"""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from ..documents import typeface, vn
from ..models import AwardType, Campaign, Nomination, NomineeKind, Outcome, Step, Unit
from ..services import nominations as svc
from .campaigns import _actor, current_campaign, moment

COUNCIL = "Hội đồng Thi đua - Khen thưởng"
# (unit code, officer, head, tờ trình signer's title, council's name as the minutes print it)
NOMINATING_UNITS = {
    "UBND-BH": ("canbo.bienhoa", "thutruong.bienhoa", "Phó Chủ tịch", f"{COUNCIL} thành phố"),
    "DN-TINNGHIA": ("canbo.tinnghia", "thutruong.tinnghia", "Tổng Giám đốc", f"{COUNCIL} Tổng Công ty"),
    "UBND-LK": ("canbo.longkhanh", "thutruong.longkhanh", "Chủ tịch", f"{COUNCIL} thành phố"),
    "NH-AGRIBANK-DN": ("canbo.agribank", "thutruong.agribank", "Giám đốc", f"{COUNCIL} Chi nhánh"),
}  # fmt: skip

CHI_THI_07 = "Có thành tích xuất sắc trong 10 năm thực hiện Chỉ thị 07/CT-BCA-V28 (2014 - 2024)"
PHONG_TRAO = "Có thành tích xuất sắc trong phong trào toàn dân bảo vệ an ninh Tổ quốc giai đoạn 2014 - 2024"
KHU_PHO = "Có thành tích xuất sắc trong xây dựng khu phố an toàn về an ninh, trật tự giai đoạn 2014 - 2024"
NGUON_TIN = "Có thành tích tiêu biểu trong cung cấp nguồn tin giúp cơ quan Công an đấu tranh, triệt phá tội phạm"
NOI_BO = "Có thành tích xuất sắc trong công tác bảo vệ chính trị nội bộ, bảo vệ an ninh, trật tự tại doanh nghiệp"
NGAN_HANG = "Có thành tích xuất sắc trong phòng ngừa tội phạm lừa đảo chiếm đoạt tài sản qua ngân hàng (2014 - 2024)"


def cccd(province: str, gender: str, birth_date: dt.date, serial: int) -> str:
    """A CCCD consistent with the person: province of registration, gender-and-century digit, birth year."""
    century_digit = {1900: 0, 2000: 2}[birth_date.year // 100 * 100] + (1 if gender == "female" else 0)
    return f"{province}{century_digit}{birth_date.year % 100:02d}{serial:06d}"


def person(name: str, gender: str, born: dt.date, position: str, workplace: str, province: str, serial: int,
           achievement: str) -> dict:  # fmt: skip
    return {
        "kind": NomineeKind.INDIVIDUAL, "name": name, "gender": gender, "birth_date": born, "position": position,
        "workplace": workplace, "id_number": cccd(province, gender, born, serial), "achievement": achievement,
    }  # fmt: skip


def collective(name: str, parent: str, women_percent: int | None, achievement: str) -> dict:
    return {
        "kind": NomineeKind.COLLECTIVE, "name": name, "parent_unit": parent, "women_percent": women_percent,
        "achievement": achievement,
    }  # fmt: skip


BH, LK = "Ủy ban nhân dân thành phố Biên Hòa", "Ủy ban nhân dân thành phố Long Khánh"
TN, AG = "Tổng Công ty Tín Nghĩa", "Agribank Chi nhánh tỉnh Đồng Nai"

# key -> (nominating unit, tier, nominee). The key says where the story leaves it.
NOMINEES: dict[str, tuple[str, str, dict]] = {
    # Giấy khen của Giám đốc Công an tỉnh (director route)
    "gk_prepare": ("DN-TINNGHIA", "GK-CAT", person(
        "Nguyễn Thành Trung", "male", dt.date(1979, 4, 12), "Đội trưởng Đội Bảo vệ", TN, "075", 3418, NOI_BO)),
    "gk_submit": ("UBND-LK", "GK-CAT", person(
        "Lê Thị Hồng Nhung", "female", dt.date(1986, 9, 23), "Chuyên viên Phòng Văn hóa và Thông tin", LK, "075",
        4127, CHI_THI_07)),
    "gk_police": ("UBND-BH", "GK-CAT", collective(
        "Khu phố 3, phường Tân Phong", "UBND-BH-TANPHONG", 52, KHU_PHO)),
    "gk_police_person": ("UBND-BH", "GK-CAT", person(
        "Phạm Văn Lực", "male", dt.date(1968, 2, 15), "Trưởng khu phố 5", "Phường Tân Hiệp, thành phố Biên Hòa",
        "075", 1962, NGUON_TIN)),
    "gk_police_bank": ("NH-AGRIBANK-DN", "GK-CAT", collective(
        "Phòng Kế toán và Ngân quỹ", "NH-AGRIBANK-DN", 78, NGAN_HANG)),
    "gk_director": ("UBND-BH", "GK-CAT", collective("Phòng Tư pháp thành phố Biên Hòa", "UBND-BH", 55, CHI_THI_07)),
    "gk_awaiting": ("UBND-BH", "GK-CAT", person(
        "Trần Thị Kim Loan", "female", dt.date(1982, 11, 5), "Phó Trưởng phòng Văn hóa và Thông tin", BH, "075",
        7735, PHONG_TRAO)),
    "gk_awaiting_team": ("UBND-BH", "GK-CAT", collective("Khu phố 2, phường Tân Hiệp", "UBND-BH-TANHIEP", 47, KHU_PHO)),
    "gk_awaiting_bank": ("NH-AGRIBANK-DN", "GK-CAT", person(
        "Nguyễn Thị Bích Ngọc", "female", dt.date(1985, 5, 9), "Phó Trưởng phòng Kế toán và Ngân quỹ", AG, "075",
        15274, NGAN_HANG)),
    "gk_awaiting_bank_team": ("NH-AGRIBANK-DN", "GK-CAT", collective(
        "Phòng Khách hàng cá nhân", "NH-AGRIBANK-DN", 64, NGAN_HANG)),
    "gk_returned": ("UBND-BH", "GK-CAT", person(
        "Võ Văn Tâm", "male", dt.date(1975, 7, 30), "Tổ trưởng Tổ dân phố 12", "Phường Long Bình, thành phố Biên Hòa",
        "075", 12580, NGUON_TIN)),
    "gk_rejected": ("UBND-BH", "GK-CAT", collective(
        "Phòng Quản lý đô thị thành phố Biên Hòa", "UBND-BH", 30, CHI_THI_07)),
    "gk_withdrawn": ("NH-AGRIBANK-DN", "GK-CAT", person(
        "Đoàn Minh Quân", "male", dt.date(1990, 1, 19), "Trưởng phòng Hành chính - Nhân sự", AG, "075", 20931,
        NGAN_HANG)),
    # Bằng khen của Chủ tịch UBND tỉnh (chairman route)
    "ubnd_prepare": ("UBND-BH", "BK-UBND", person(
        "Hoàng Minh Đức", "male", dt.date(1971, 6, 8), "Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam phường Tam Hiệp",
        "Phường Tam Hiệp, thành phố Biên Hòa", "075", 5316, PHONG_TRAO)),
    "ubnd_submit": ("DN-TINNGHIA", "BK-UBND", collective("Phòng Tổ chức - Hành chính", "DN-TINNGHIA", 45, NOI_BO)),
    "ubnd_police": ("UBND-LK", "BK-UBND", collective(
        "Phòng Văn hóa và Thông tin thành phố Long Khánh", "UBND-LK", 60, CHI_THI_07)),
    "ubnd_police_person": ("UBND-LK", "BK-UBND", person(
        "Đinh Thị Thu Trang", "female", dt.date(1988, 3, 14), "Phó Chủ tịch Ủy ban nhân dân xã Bình Lộc",
        "Xã Bình Lộc, thành phố Long Khánh", "075", 2241, PHONG_TRAO)),
    "ubnd_home": ("DN-TINNGHIA", "BK-UBND", person(
        "Phan Thanh Hải", "male", dt.date(1977, 10, 2), "Phó Tổng Giám đốc", TN, "075", 9184, NOI_BO)),
    "ubnd_returned": ("DN-TINNGHIA", "BK-UBND", collective(
        "Xí nghiệp Xăng dầu Tín Nghĩa", "DN-TINNGHIA", 22, NOI_BO)),
    "ubnd_leader": ("UBND-BH", "BK-UBND", person(
        "Lê Hoàng Phúc", "male", dt.date(1969, 12, 21), "Chủ tịch Ủy ban nhân dân phường Hố Nai",
        "Phường Hố Nai, thành phố Biên Hòa", "038", 4470, CHI_THI_07)),
    "ubnd_awaiting": ("UBND-BH", "BK-UBND", collective(
        "Phòng Giáo dục và Đào tạo thành phố Biên Hòa", "UBND-BH", 76, CHI_THI_07)),
    "ubnd_awaiting_person": ("UBND-BH", "BK-UBND", person(
        "Đặng Văn Hùng", "male", dt.date(1973, 3, 28), "Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam phường Tân Phong",
        "Phường Tân Phong, thành phố Biên Hòa", "075", 6021, PHONG_TRAO)),
    "ubnd_awaiting_tn": ("DN-TINNGHIA", "BK-UBND", collective("Phòng Quản lý an toàn", "DN-TINNGHIA", 18, NOI_BO)),
    "ubnd_awaiting_tn_person": ("DN-TINNGHIA", "BK-UBND", person(
        "Bùi Thị Thanh Tâm", "female", dt.date(1983, 2, 11), "Trưởng phòng Tổ chức - Hành chính", TN, "075", 11346,
        NOI_BO)),
    # Bằng khen của Bộ trưởng Bộ Công an (ministry route)
    "bca_prepare": ("NH-AGRIBANK-DN", "BK-BCA", collective(
        "Phòng Kiểm tra, giám sát nội bộ", "NH-AGRIBANK-DN", 40, NGAN_HANG)),
    "bca_submit": ("UBND-BH", "BK-BCA", person(
        "Huỳnh Thị Mỹ Dung", "female", dt.date(1980, 12, 1), "Trưởng phòng Nội vụ", BH, "075", 3307, CHI_THI_07)),
    "bca_police": ("UBND-LK", "BK-BCA", person(
        "Trịnh Văn Khoa", "male", dt.date(1966, 5, 20), "Trưởng khu phố Suối Chồn",
        "Phường Bảo Vinh, thành phố Long Khánh", "040", 8815, NGUON_TIN)),
    "bca_home": ("DN-TINNGHIA", "BK-BCA", collective("Phòng Bảo vệ - Quân sự", "DN-TINNGHIA", 8, NOI_BO)),
    "bca_forward": ("NH-AGRIBANK-DN", "BK-BCA", person(
        "Vũ Thị Thanh Hương", "female", dt.date(1978, 8, 17), "Phó Giám đốc", AG, "036", 6652, NGAN_HANG)),
    "bca_awaiting": ("UBND-BH", "BK-BCA", collective("Khu phố 4, phường Hố Nai", "UBND-BH-HONAI", 48, KHU_PHO)),
    "bca_awaiting_person": ("UBND-LK", "BK-BCA", person(
        "Nguyễn Văn Bảy", "male", dt.date(1970, 9, 2), "Tổ trưởng Tổ dân phố 3", "Phường Xuân An, thành phố Long Khánh",
        "075", 9027, NGUON_TIN)),
    "bca_awaiting_tn": ("DN-TINNGHIA", "BK-BCA", collective("Đội Bảo vệ", "DN-TINNGHIA", 5, NOI_BO)),
}  # fmt: skip

# What reaches "awaits decision", several collectives and individuals of several units per tier, so a
# decision's order and totals show.
GK_AWAITING = ("gk_awaiting", "gk_awaiting_team", "gk_awaiting_bank", "gk_awaiting_bank_team")
GK_TO_DIRECTOR = ("gk_director", *GK_AWAITING)
UBND_TO_LEADER = ("ubnd_awaiting", "ubnd_awaiting_person", "ubnd_awaiting_tn", "ubnd_awaiting_tn_person")
BCA_TO_MINISTRY = ("bca_awaiting", "bca_awaiting_person", "bca_awaiting_tn")

# Drafts the officer keeps; the rest the officer hands to the unit head (nomination_prepared).
DRAFTS = ("gk_prepare", "ubnd_prepare", "bca_prepare")

# Dossiers the unit heads send: (unit, tier, tờ trình number, date, nominations)
DOSSIERS = [
    ("UBND-BH", "GK-CAT", "25/TTr-UBND", dt.date(2024, 7, 15),
     ["gk_police", "gk_police_person", "gk_director", "gk_awaiting", "gk_awaiting_team", "gk_returned", "gk_rejected"]),
    ("UBND-BH", "BK-UBND", "26/TTr-UBND", dt.date(2024, 7, 15), ["ubnd_leader", "ubnd_awaiting", "ubnd_awaiting_person"]),
    ("UBND-BH", "BK-BCA", "27/TTr-UBND", dt.date(2024, 7, 15), ["bca_awaiting"]),
    ("DN-TINNGHIA", "BK-UBND", "18/TTr-TCT", dt.date(2024, 7, 22),
     ["ubnd_home", "ubnd_returned", "ubnd_awaiting_tn", "ubnd_awaiting_tn_person"]),
    ("DN-TINNGHIA", "BK-BCA", "19/TTr-TCT", dt.date(2024, 7, 22), ["bca_home", "bca_awaiting_tn"]),
    ("UBND-LK", "BK-UBND", "31/TTr-UBND", dt.date(2024, 7, 24), ["ubnd_police", "ubnd_police_person"]),
    ("UBND-LK", "BK-BCA", "32/TTr-UBND", dt.date(2024, 7, 24), ["bca_police", "bca_awaiting_person"]),
    ("NH-AGRIBANK-DN", "GK-CAT", "215/TTr-NHNo.DN", dt.date(2024, 7, 26),
     ["gk_police_bank", "gk_withdrawn", "gk_awaiting_bank", "gk_awaiting_bank_team"]),
    ("NH-AGRIBANK-DN", "BK-BCA", "216/TTr-NHNo.DN", dt.date(2024, 7, 26), ["bca_forward"]),
]  # fmt: skip

POLICE_SIGNER = ("Lý Văn Phúc", "Phó Giám đốc")
POLICE_OFFICE_SIGNER = ("Đỗ Minh Khoa", "Trưởng phòng Tham mưu")  # the office that appraises (Giấy khen)
DIRECTOR_SIGNER = ("Huỳnh Văn Tài", "Giám đốc")
HOME_AFFAIRS_SIGNER = ("Nguyễn Văn Hiền", "Giám đốc")


def one_page_pdf(lines: list[tuple[str, bool]], *, title: str) -> bytes:
    """A small, real PDF: one line of 12 pt text per (text, bold), top down."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(title)
    y = 790
    for text, bold in lines:
        page.setFont(typeface.face(bold=bold), 12)
        page.drawString(60, y, text)
        y -= 20
    page.showPage()
    page.save()
    return buffer.getvalue()


MINUTES_181 = "Nội dung: xét đề nghị khen thưởng tổng kết 10 năm thực hiện Chỉ thị 07/CT-BCA-V28."


def minutes_pdf(*, unit: Unit, council: str, number: str, date: dt.date, names: list[str],
                subject: str = MINUTES_181) -> SimpleUploadedFile:  # fmt: skip
    """The council meeting's minutes (biên bản họp Hội đồng Thi đua - Khen thưởng)."""
    lines = [
        (vn.NATIONAL_NAME, True),
        (vn.MOTTO, True),
        (unit.name.upper(), False),
        (vn.date_line("Đồng Nai", date), False),
        (f"BIÊN BẢN HỌP {council.upper()}", True),
        (f"Xét đề nghị khen thưởng kèm Tờ trình số {number}", False),
        ("Thành phần: 7 thành viên Hội đồng; có mặt 6, vắng 1 (có lý do).", False),
        (subject, False),
        ("Kết quả biểu quyết: 6/6 thành viên có mặt nhất trí đề nghị khen thưởng:", False),
        *((f"    – {name}", False) for name in names),
        ("Biên bản kết thúc lúc 16 giờ 30 cùng ngày.", False),
    ]
    data = one_page_pdf(lines, title=f"Biên bản họp {council}")
    return SimpleUploadedFile(f"bien-ban-hop-hoi-dong-{date:%Y%m%d}.pdf", data, "application/pdf")


# Prepared in early July 2024 (after the reports were accepted), before the dossiers of mid-July.
PREPARED_ON, HANDED_ON = dt.date(2024, 7, 1), dt.date(2024, 7, 3)
APPRAISED_ON = dt.date(2024, 8, 20)


def seed_nominations() -> int:
    """The Plan 181 demo nominations, once; returns how many were created (0 if any nomination exists)."""
    if Nomination.objects.exists():
        return 0
    campaign = Campaign.objects.get(plan_number="181", plan_symbol="KH-UBND")
    tiers = {t.code: t for t in AwardType.objects.all()}
    units = {u.code: u for u in Unit.objects.all()}
    made: dict[str, Nomination] = {}

    # The unit officers prepare; all but the drafts go to their heads.
    for key, (unit_code, tier, nominee) in NOMINEES.items():
        fields = dict(nominee)
        kind = fields.pop("kind")
        if "parent_unit" in fields:
            fields["parent_unit"] = units[fields["parent_unit"]]
        officer = _actor(NOMINATING_UNITS[unit_code][0])
        made[key] = svc.nomination_create(by=officer, campaign=campaign, award_type=tiers[tier], kind=kind,
                                          at=moment(PREPARED_ON, 8, 30), **fields)  # fmt: skip
        if key not in DRAFTS:
            svc.nomination_prepared(by=officer, nomination=made[key], at=moment(HANDED_ON, 16, 0))

    # The unit heads send their dossiers with the tờ trình and the council's minutes.
    for unit_code, tier, number, date, keys in DOSSIERS:
        _officer, head_name, signer_title, council = NOMINATING_UNITS[unit_code]
        head = _actor(head_name)
        svc.dossier_submit(
            by=head, campaign=campaign, award_type=tiers[tier], nominations=[made[k] for k in keys], number=number,
            date=date, signer=head.user.full_name, signer_title=signer_title, council_members=7, council_present=6,
            votes_for=6, at=moment(date, 15, 0),
            minutes=minutes_pdf(unit=head.unit, council=council, number=number, date=date,
                                names=[made[k].name for k in keys]),
        )  # fmt: skip

    police, director = _actor("congan.canbo"), _actor("congan.giamdoc")
    home_affairs, leader = _actor("noivu.canbo"), _actor("ubnd.lanhdao")

    # Every step is dated as it happened in 2024, so the decisions can be dated in the third quarter of 2024.
    def act(actor, key: str, step: str, outcome: str, on: dt.date, comment: str = "") -> None:
        svc.nomination_act(by=actor, nomination=made[key], step=step, outcome=outcome, comment=comment,
                           at=moment(on, 10, 0))  # fmt: skip

    # Police appraisal: the Giấy khen go to the director with the appraising office's tờ trình, one is
    # returned to the unit, one rejected.
    svc.handoff_send(by=police, nominations=[made[k] for k in GK_TO_DIRECTOR], number="121/TTr-PV01",
                     date=dt.date(2024, 9, 20), signer=POLICE_OFFICE_SIGNER[0], signer_title=POLICE_OFFICE_SIGNER[1],
                     at=moment(dt.date(2024, 9, 20), 16, 0))  # fmt: skip
    act(police, "gk_returned", Step.POLICE_APPRAISAL, Outcome.RETURNED, APPRAISED_ON,
        "Đề nghị bổ sung xác nhận của Công an phường Long Bình về thành tích cung cấp nguồn tin năm 2023.")  # fmt: skip
    act(police, "gk_rejected", Step.POLICE_APPRAISAL, Outcome.REJECTED, APPRAISED_ON,
        "Thành tích chưa tiêu biểu, chưa đáp ứng tiêu chuẩn tặng Giấy khen theo Kế hoạch 181/KH-UBND.")  # fmt: skip
    # The police pass the Bằng khen to Home Affairs with their own tờ trình.
    for nominations, number, date in (
        (["ubnd_home", "ubnd_returned", "ubnd_leader", *UBND_TO_LEADER], "112/TTr-CAT-PV01", dt.date(2024, 8, 28)),
        (["bca_home", "bca_forward", *BCA_TO_MINISTRY], "115/TTr-CAT-PV01", dt.date(2024, 8, 29)),
    ):
        svc.handoff_send(by=police, nominations=[made[k] for k in nominations], number=number, date=date,
                         signer=POLICE_SIGNER[0], signer_title=POLICE_SIGNER[1], at=moment(date, 16, 0))  # fmt: skip

    # Home Affairs: one returned to the police, the Chairman's to the province, the Ministry's to the director.
    act(home_affairs, "ubnd_returned", Step.HOME_AFFAIRS_APPRAISAL, Outcome.RETURNED, dt.date(2024, 9, 5),
        "Đề nghị Công an tỉnh làm rõ thành tích năm 2022 - 2023 của tập thể và gửi kèm ý kiến hiệp y.")  # fmt: skip
    svc.handoff_send(by=home_affairs, nominations=[made[k] for k in ("ubnd_leader", *UBND_TO_LEADER)],
                     number="45/TTr-SNV", date=dt.date(2024, 9, 10), signer=HOME_AFFAIRS_SIGNER[0],
                     signer_title=HOME_AFFAIRS_SIGNER[1], at=moment(dt.date(2024, 9, 10), 16, 0))  # fmt: skip
    for key in ("bca_forward", *BCA_TO_MINISTRY):
        act(home_affairs, key, Step.HOME_AFFAIRS_APPRAISAL, Outcome.APPROVED, dt.date(2024, 9, 6))

    # The director approves a Giấy khen and forwards one Bằng khen to the Ministry; the leader approves one.
    for key in GK_AWAITING:
        act(director, key, Step.DIRECTOR_APPROVAL, Outcome.APPROVED, dt.date(2024, 9, 23))
    svc.handoff_send(by=director, nominations=[made[k] for k in BCA_TO_MINISTRY], number="120/TTr-CAT-PV01",
                     date=dt.date(2024, 9, 16), signer=DIRECTOR_SIGNER[0], signer_title=DIRECTOR_SIGNER[1],
                     at=moment(dt.date(2024, 9, 16), 16, 0))  # fmt: skip
    for key in UBND_TO_LEADER:
        act(leader, key, Step.LEADER_APPROVAL, Outcome.APPROVED, dt.date(2024, 9, 25))

    # Agribank withdraws one of its Giấy khen while the police appraise it.
    svc.nomination_withdraw(by=_actor("thutruong.agribank"), nomination=made["gk_withdrawn"],
                            reason="Cá nhân đã chuyển công tác ra ngoài tỉnh; đơn vị rút đề nghị.")  # fmt: skip
    return len(made)


# The current campaign (after 01/7/2025): xã Bình An reports and nominates directly to the provincial bodies.
# Its officer proposes one of its people for the police director's Giấy khen; its head sends the dossier
# straight to the provincial police (no district in between).
COMMUNE_NOMINATING = ("UBND-X-BINHAN", "canbo.xabinhan", "thutruong.xabinhan", "Chủ tịch", "Hội đồng Thi đua - "
                      "Khen thưởng xã")  # fmt: skip
COMMUNE_NOMINEE = person(
    "Nguyễn Thị Kim Thoa", "female", dt.date(1984, 6, 18), "Phó Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam xã Bình An",
    "Xã Bình An, tỉnh Đồng Nai", "075", 15840, "Có thành tích xuất sắc trong phong trào toàn dân bảo vệ an ninh Tổ "
    "quốc ở địa bàn xã",
)  # fmt: skip


def seed_current_nominations() -> int:
    """The commune's nomination in the current campaign, sent to the police, once; returns how many were made."""
    campaign = current_campaign()
    if campaign is None or Nomination.objects.filter(campaign=campaign).exists():
        return 0
    _code, officer_name, head_name, signer_title, council = COMMUNE_NOMINATING
    officer, head = _actor(officer_name), _actor(head_name)
    today = timezone.localdate()
    fields = dict(COMMUNE_NOMINEE)
    kind = fields.pop("kind")
    nomination = svc.nomination_create(by=officer, campaign=campaign, award_type=AwardType.objects.get(code="GK-CAT"),
                                       kind=kind, at=moment(today - dt.timedelta(days=4), 8, 30), **fields)  # fmt: skip
    svc.nomination_prepared(by=officer, nomination=nomination, at=moment(today - dt.timedelta(days=3), 16, 0))
    number, sent_on = "15/TTr-UBND", today - dt.timedelta(days=2)
    svc.dossier_submit(
        by=head, campaign=campaign, award_type=nomination.award_type, nominations=[nomination], number=number,
        date=sent_on, signer=head.user.full_name, signer_title=signer_title, council_members=7, council_present=6,
        votes_for=6, at=moment(sent_on, 15, 0),
        minutes=minutes_pdf(unit=head.unit, council=council, number=number, date=sent_on, names=[nomination.name],
                            subject=f"Nội dung: xét đề nghị khen thưởng sơ kết phong trào năm {today.year}."),
    )  # fmt: skip
    return 1
