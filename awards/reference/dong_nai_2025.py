"""Đồng Nai's 2025 reorganisation as data: the 95 commune-level units of Resolution 1662/NQ-UBTVQH15, each
with the units it was formed from, and Bình Phước's provincial bodies that merged into Đồng Nai's
(Resolution 202/2025/QH15). Plain data: no imports from the app. The research behind it, with every quote:
docs/sources/dong-nai-2025-reorganisation.md.

The old units are written as the resolution names them ("thị trấn Hiệp Phước", "xã Long Tân (huyện Nhơn
Trạch)"). Where it puts one district in brackets after two names joined by "và" ("xã Thanh Sơn và xã Phú
Sơn (huyện Tân Phú)"), the bracket is written after each: the resolution needs it for both (xã Thanh Sơn
of huyện Định Quán is kept as it is, khoản 89; xã Phước An of huyện Nhơn Trạch, xã Tân Hưng of huyện Hớn
Quản and thị trấn Tân Phú of huyện Tân Phú are other units). A list joined by commas keeps its bracket
where the text has it.

The codes are this project's own, made from the new names ("UBND-P-" for a phường, "UBND-X-" for a xã);
the official five-digit codes (Công văn 1027/CTK-CSCL) were not read.
"""

import datetime as dt
import unicodedata
from typing import NamedTuple

# --- Source of the commune-level list ---------------------------------------------------------------------
RESOLUTION = "1662/NQ-UBTVQH15"
RESOLUTION_DATE = dt.date(2025, 6, 16)
RESOLUTION_TITLE = "Về việc sắp xếp các đơn vị hành chính cấp xã của tỉnh Đồng Nai năm 2025"
RESOLUTION_ISSUER = "Ủy ban Thường vụ Quốc hội"
# Điều 2: in force from its adoption; the new communes' governments "chính thức hoạt động từ ngày 01 tháng 7
# năm 2025", so the old ones end on 30/6/2025 (khoản 3: they work until the new ones begin).
EFFECTIVE_ON = dt.date(2025, 7, 1)
SOURCE_REPOSITORY = "dvhcvn/20250701"
SOURCE_PATH = "input/docs/1662_NQ-UBTVQH15.md"
SOURCE_COMMIT = "1fe34bb35376aaad83e1179df87a6a92c33c3410"
SOURCE_URL = f"https://github.com/{SOURCE_REPOSITORY}/blob/{SOURCE_COMMIT}/{SOURCE_PATH}"
SOURCE = (
    f"Nghị quyết số {RESOLUTION} ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội, Điều 1 khoản 1–89 và Điều 2; "
    f"full text (converted from thuvienphapluat.vn): {SOURCE_URL}"
)
LEGAL_BASIS = (
    "Nghị quyết số 1662/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội về việc sắp xếp các đơn vị hành "
    "chính cấp xã của tỉnh Đồng Nai năm 2025"
)
COUNT, COMMUNES, WARDS = 95, 72, 23  # Điều 1 khoản 89: "95 đơn vị hành chính cấp xã, gồm 72 xã và 23 phường"
PROVINCE_CODE = "UBND-DN"  # the new units sit directly under the provincial committee (no district level)
KIND = "commune_committee"


class NewCommune(NamedTuple):
    clause: int  # khoản of Điều 1 (89: one of the seven units kept as they were)
    place: str  # "phường Trấn Biên"
    formed_from: tuple[str, ...]  # whole units, as the resolution names them; the unit itself when kept
    partly_from: tuple[str, ...] = ()  # units of which only a part went in (xã Xuân Tâm, khoản 21 and 25)

    @property
    def name(self) -> str:
        return f"Ủy ban nhân dân {self.place}"

    @property
    def code(self) -> str:
        kind, _, rest = self.place.partition(" ")
        words = rest.split(" (")[0].replace("Đ", "D").replace("đ", "d")
        ascii_name = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
        code = f"UBND-{'P' if kind == 'phường' else 'X'}-{''.join(ascii_name.split()).upper()}"
        # xã Lộc Thành (khoản 43) and xã Lộc Thạnh (khoản 47) lose the same marks: the second keeps its khoản.
        return f"{code}-{self.clause}" if self.place == "xã Lộc Thạnh" else code

    @property
    def kept(self) -> bool:
        """One of the seven units the resolution did not rearrange (khoản 89)."""
        return self.clause == 89

    @property
    def is_ward(self) -> bool:
        return self.place.startswith("phường ")


def _c(clause: int, place: str, *formed_from: str, partly: tuple[str, ...] = ()) -> NewCommune:
    return NewCommune(clause, place, tuple(formed_from), partly)


NT, LT, TB, HQ, BD, LN, PR, DP, BDG = (
    "(huyện Nhơn Trạch)", "(huyện Long Thành)", "(huyện Trảng Bom)", "(huyện Hớn Quản)", "(huyện Bù Đốp)",
    "(huyện Lộc Ninh)", "(huyện Phú Riềng)", "(huyện Đồng Phú)", "(huyện Bù Đăng)",
)  # fmt: skip

# Điều 1, in its order. Khoản 21 and 25 share xã Xuân Tâm: part of it to xã Xuân Đông, "phần còn lại" to
# xã Xuân Hòa.
NEW_COMMUNES: list[NewCommune] = [
    _c(1, "xã Đại Phước", "xã Phú Hữu", "xã Phú Đông", "xã Phước Khánh", "xã Đại Phước"),
    _c(2, "xã Nhơn Trạch", "thị trấn Hiệp Phước", f"xã Long Tân {NT}", "xã Phú Thạnh", "xã Phú Hội", "xã Phước Thiền"),
    _c(3, "xã Phước An", f"xã Phước An {NT}", "xã Vĩnh Thanh", "xã Long Thọ"),
    _c(4, "xã Phước Thái", f"xã Tân Hiệp {LT}", "xã Phước Bình", "xã Phước Thái"),
    _c(5, "xã Long Phước", "xã Bàu Cạn", "xã Long Phước"),
    _c(6, "xã Long Thành", "thị trấn Long Thành", f"xã Lộc An {LT}", f"xã Bình Sơn {LT}", "xã Long An"),
    _c(7, "xã Bình An", "xã Long Đức", "xã Bình An"),
    _c(8, "xã An Phước", "xã Tam An", "xã An Phước"),
    _c(9, "xã An Viễn", "xã Đồi 61", "xã An Viễn"),
    _c(10, "xã Bình Minh", f"xã Bình Minh {TB}", "xã Bắc Sơn"),
    _c(11, "xã Trảng Bom", "thị trấn Trảng Bom", "xã Quảng Tiến", "xã Sông Trầu", "xã Giang Điền"),
    _c(12, "xã Bàu Hàm", f"xã Thanh Bình {TB}", "xã Cây Gáo", "xã Sông Thao", "xã Bàu Hàm"),
    _c(13, "xã Hưng Thịnh", "xã Đông Hòa", "xã Tây Hòa", "xã Trung Hòa", "xã Hưng Thịnh"),
    _c(14, "xã Dầu Giây", "thị trấn Dầu Giây", "xã Hưng Lộc", "xã Bàu Hàm 2", "xã Lộ 25"),
    _c(15, "xã Gia Kiệm", "xã Quang Trung", "xã Gia Tân 3", "xã Gia Kiệm"),
    _c(16, "xã Thống Nhất", "xã Gia Tân 1", "xã Gia Tân 2", "xã Phú Cường", "xã Phú Túc"),
    _c(17, "xã Xuân Quế", "xã Sông Nhạn", "xã Xuân Quế"),
    _c(18, "xã Xuân Đường", "xã Cẩm Đường", "xã Thừa Đức", "xã Xuân Đường"),
    _c(19, "xã Cẩm Mỹ", "thị trấn Long Giao", "xã Nhân Nghĩa", "xã Xuân Mỹ", "xã Bảo Bình"),
    _c(20, "xã Sông Ray", "xã Lâm San", "xã Sông Ray"),
    _c(21, "xã Xuân Đông", "xã Xuân Tây", "xã Xuân Đông", partly=("xã Xuân Tâm",)),
    _c(22, "xã Xuân Định", "xã Xuân Bảo", "xã Bảo Hòa", "xã Xuân Định"),
    _c(23, "xã Xuân Phú", "xã Lang Minh", "xã Xuân Phú"),
    _c(24, "xã Xuân Lộc", "thị trấn Gia Ray", "xã Xuân Thọ", "xã Xuân Trường", "xã Suối Cát", "xã Xuân Hiệp"),
    _c(25, "xã Xuân Hòa", "xã Xuân Hưng", "xã Xuân Hòa", partly=("xã Xuân Tâm",)),
    _c(26, "xã Xuân Thành", "xã Suối Cao", "xã Xuân Thành"),
    _c(27, "xã Xuân Bắc", "xã Suối Nho", "xã Xuân Bắc"),
    _c(28, "xã La Ngà", "xã Túc Trưng", "xã La Ngà"),
    _c(29, "xã Định Quán", "thị trấn Định Quán", "xã Phú Ngọc", "xã Gia Canh", "xã Ngọc Định"),
    _c(30, "xã Phú Vinh", "xã Phú Tân", "xã Phú Vinh"),
    _c(31, "xã Phú Hòa", "xã Phú Điền", "xã Phú Lợi", "xã Phú Hòa"),
    _c(32, "xã Tà Lài", "xã Phú Thịnh", "xã Phú Lập", "xã Tà Lài"),
    _c(33, "xã Nam Cát Tiên", "xã Phú An", "xã Nam Cát Tiên"),
    _c(34, "xã Tân Phú", "thị trấn Tân Phú (huyện Tân Phú)", "xã Phú Lộc", "xã Trà Cổ", "xã Phú Thanh",
       "xã Phú Xuân"),
    _c(35, "xã Phú Lâm", "xã Thanh Sơn (huyện Tân Phú)", "xã Phú Sơn (huyện Tân Phú)", "xã Phú Bình", "xã Phú Lâm"),
    _c(36, "xã Trị An", "thị trấn Vĩnh An", "xã Mã Đà", "xã Trị An"),
    _c(37, "xã Tân An", "xã Vĩnh Tân", "xã Tân An"),
    _c(38, "xã Nha Bích", "xã Minh Thắng", "xã Minh Lập", "xã Nha Bích"),
    _c(39, "xã Tân Quan", f"xã Phước An {HQ}", f"xã Tân Lợi {HQ}", "xã Quang Minh", "xã Tân Quan"),
    _c(40, "xã Tân Hưng", f"xã Tân Hưng {HQ}", "xã An Khương", "xã Thanh An"),
    _c(41, "xã Tân Khai", "thị trấn Tân Khai", f"xã Tân Hiệp {HQ}", "xã Đồng Nơ"),
    _c(42, "xã Minh Đức", "xã An Phú", "xã Minh Tâm", "xã Minh Đức"),
    _c(43, "xã Lộc Thành", "xã Lộc Thịnh", "xã Lộc Thành"),
    _c(44, "xã Lộc Ninh", "thị trấn Lộc Ninh", "xã Lộc Thái", "xã Lộc Thuận"),
    _c(45, "xã Lộc Hưng", "xã Lộc Khánh", "xã Lộc Điền", "xã Lộc Hưng"),
    _c(46, "xã Lộc Tấn", "xã Lộc Thiện", "xã Lộc Tấn"),
    _c(47, "xã Lộc Thạnh", "xã Lộc Hòa", "xã Lộc Thạnh"),
    _c(48, "xã Lộc Quang", "xã Lộc Phú", "xã Lộc Hiệp", "xã Lộc Quang"),
    _c(49, "xã Tân Tiến", "xã Tân Thành", f"xã Tân Tiến {BD}", f"xã Lộc An {LN}"),
    _c(50, "xã Thiện Hưng", "thị trấn Thanh Bình", "xã Thanh Hòa", "xã Thiện Hưng"),
    _c(51, "xã Hưng Phước", "xã Phước Thiện", "xã Hưng Phước"),
    _c(52, "xã Phú Nghĩa", "xã Phú Văn", "xã Đức Hạnh", "xã Phú Nghĩa"),
    _c(53, "xã Đa Kia", "xã Phước Minh", "xã Bình Thắng", "xã Đa Kia"),
    _c(54, "xã Bình Tân", f"xã Long Hưng {PR}", "xã Long Bình", "xã Bình Tân"),
    _c(55, "xã Long Hà", f"xã Long Tân {PR}", "xã Long Hà"),
    _c(56, "xã Phú Riềng", "xã Bù Nho", "xã Phú Riềng"),
    _c(57, "xã Phú Trung", "xã Phước Tân", "xã Phú Trung"),
    _c(58, "xã Thuận Lợi", "xã Thuận Phú", "xã Thuận Lợi"),
    _c(59, "xã Đồng Tâm", "xã Đồng Tiến", "xã Tân Phước", "xã Đồng Tâm"),
    _c(60, "xã Tân Lợi", f"xã Tân Hưng {DP}", f"xã Tân Lợi {DP}", "xã Tân Hòa"),
    _c(61, "xã Đồng Phú", f"thị trấn Tân Phú {DP}", f"xã Tân Tiến {DP}", "xã Tân Lập"),
    _c(62, "xã Phước Sơn", "xã Đăng Hà", "xã Thống Nhất", "xã Phước Sơn"),
    _c(63, "xã Nghĩa Trung", "xã Đức Liễu", "xã Nghĩa Bình", "xã Nghĩa Trung"),
    _c(64, "xã Bù Đăng", "thị trấn Đức Phong", "xã Đoàn Kết", "xã Minh Hưng"),
    _c(65, "xã Thọ Sơn", f"xã Phú Sơn {BDG}", "xã Đồng Nai", "xã Thọ Sơn"),
    _c(66, "xã Đak Nhau", "xã Đường 10", "xã Đak Nhau"),
    _c(67, "xã Bom Bo", f"xã Bình Minh {BDG}", "xã Bom Bo"),
    _c(68, "phường Biên Hòa", "phường Tân Hạnh", "phường Hóa An", "phường Bửu Hòa", "phường Tân Vạn"),
    _c(69, "phường Trấn Biên", "phường Bửu Long", "phường Quang Vinh", "phường Trung Dũng", "phường Thống Nhất",
       "phường Hiệp Hòa", "phường An Bình"),
    _c(70, "phường Tam Hiệp", "phường Tân Hiệp", "phường Tân Mai", "phường Bình Đa", "phường Tam Hiệp"),
    _c(71, "phường Long Bình", "phường Hố Nai", "phường Tân Biên", "phường Long Bình"),
    _c(72, "phường Trảng Dài", "phường Trảng Dài", "xã Thiện Tân"),
    _c(73, "phường Hố Nai", "phường Tân Hòa", "xã Hố Nai 3"),
    _c(74, "phường Long Hưng", "phường Long Bình Tân", "phường An Hòa", "xã Long Hưng (thành phố Biên Hòa)"),
    _c(75, "phường Bình Lộc", "phường Suối Tre", "xã Xuân Thiện", "xã Bình Lộc"),
    _c(76, "phường Bảo Vinh", "phường Bảo Vinh", "xã Bảo Quang"),
    _c(77, "phường Xuân Lập", "phường Bàu Sen", "phường Xuân Lập"),
    _c(78, "phường Long Khánh", "phường Xuân An", "phường Xuân Bình", "phường Xuân Hòa", "phường Phú Bình",
       "xã Bàu Trâm"),
    _c(79, "phường Hàng Gòn", "phường Xuân Tân", "xã Hàng Gòn"),
    _c(80, "phường Tân Triều", "phường Tân Phong", "xã Tân Bình", "xã Bình Lợi", "xã Thạnh Phú"),
    _c(81, "phường Minh Hưng", "phường Minh Long", "phường Minh Hưng"),
    _c(82, "phường Chơn Thành", "phường Hưng Long", "phường Thành Tâm", "phường Minh Thành"),
    _c(83, "phường Bình Long", "phường An Lộc", "phường Hưng Chiến", "phường Phú Đức", f"xã Thanh Bình {HQ}"),
    _c(84, "phường An Lộc", "phường Phú Thịnh", "xã Thanh Phú", "xã Thanh Lương"),
    _c(85, "phường Phước Bình", "phường Long Phước", "phường Phước Bình", f"xã Bình Sơn {PR}", "xã Long Giang"),
    _c(86, "phường Phước Long", "phường Long Thủy", "phường Thác Mơ", "phường Sơn Giang", "xã Phước Tín"),
    _c(87, "phường Đồng Xoài", "phường Tiến Thành", "xã Tân Thành (thành phố Đồng Xoài)"),
    _c(88, "phường Bình Phước", "phường Tân Phú", "phường Tân Đồng", "phường Tân Thiện", "phường Tân Bình",
       "phường Tân Xuân", "xã Tiến Hưng"),
    # Khoản 89: "07 đơn vị hành chính cấp xã không thực hiện sắp xếp".
    _c(89, "phường Phước Tân", "phường Phước Tân"),
    _c(89, "phường Tam Phước", "phường Tam Phước"),
    _c(89, "xã Thanh Sơn", "xã Thanh Sơn (huyện Định Quán)"),
    _c(89, "xã Đak Lua", "xã Đak Lua"),
    _c(89, "xã Phú Lý", "xã Phú Lý"),
    _c(89, "xã Bù Gia Mập", "xã Bù Gia Mập"),
    _c(89, "xã Đăk Ơ", "xã Đăk Ơ"),
]  # fmt: skip


def _split_qualifier(old: str) -> tuple[str, str]:
    """ "xã Long Tân (huyện Nhơn Trạch)" → ("xã Long Tân", "huyện Nhơn Trạch")."""
    name, _, qualifier = old.partition(" (")
    return name, qualifier.removesuffix(")")


def new_units_of(old_name: str, district: str = "") -> list[NewCommune]:
    """The new units an old commune-level unit went into, by the resolution's lists: `old_name` as in "xã
    Long Tân", `district` its 2024 district as in "huyện Nhơn Trạch" (it tells namesakes apart). A unit
    split between two (xã Xuân Tâm) gives both, the one taking "phần còn lại" last."""
    found = []
    for unit in NEW_COMMUNES:
        for old in (*unit.formed_from, *unit.partly_from):
            name, qualifier = _split_qualifier(old)
            if name == old_name and (not qualifier or not district or qualifier == district):
                found.append(unit)
    return found


# --- Bình Phước's provincial bodies merged into Đồng Nai's ----------------------------------------------
MERGER_202 = "202/2025/QH15"
MERGER_202_DATE = dt.date(2025, 6, 12)
MERGER_202_BASIS = "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh"
MERGER_202_SOURCE = (
    "Điều 1 khoản 17 quoted at https://thuviennhadat.vn/phap-ly-nha-dat/tinh-co-dan-so-dong-nhat-viet-nam-sau-sap-"
    "nhap-theo-nghi-quyet-202-2025-qh15-686268.html and https://sbm.vn/?p=3893; the new province works from "
    "01/7/2025: https://news.laodong.vn/thoi-su/thoi-diem-ket-thuc-hoat-dong-bo-may-52-tinh-thanh-cu-1522769.ldo"
)
# The police: the Minister of Public Security's decisions of 22/6/2025 arranged 52 provincial police forces
# into 23 along the new boundaries, Bình Phước's into Đồng Nai's (VTC News, 28/6/2025). Their numbers were
# not found, so the basis names the decisions by date only.
POLICE_MERGER_BASIS = (
    "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội; các quyết định ngày 22/6/2025 của Bộ trưởng Bộ Công "
    "an sắp xếp Công an cấp tỉnh theo địa giới hành chính mới"
)
POLICE_MERGER_SOURCE = (
    "https://vtcnews.vn/thieu-tuong-nguyen-duc-hai-tiep-tuc-giu-chuc-giam-doc-cong-an-tinh-dong-nai-ar951617.html "
    "(“sau khi thực hiện sáp nhập Công an tỉnh Bình Phước vào Công an tỉnh Đồng Nai”); "
    "https://vtcnews.vn/thieu-tuong-nguyen-minh-tuan-giu-chuc-giam-doc-cong-an-phu-tho-sau-hop-nhat-ar951586.html "
    "(“ngày 22/6, Bộ trưởng Bộ Công an ban hành các quyết định sắp xếp lại 52 Công an cấp tỉnh thành 23 đầu mối”)"
)
BINH_PHUOC_LAST_DAY = EFFECTIVE_ON - dt.timedelta(days=1)  # 30/6/2025: the new province works from 01/7/2025


class MergedBody(NamedTuple):
    code: str
    name: str
    kind: str
    merged_into: str  # a body of awards.reference.bodies
    legal_basis: str
    source: str


BINH_PHUOC_BODIES: list[MergedBody] = [
    MergedBody("UBND-BP", "Ủy ban nhân dân tỉnh Bình Phước", "provincial_committee", "UBND-DN", MERGER_202_BASIS,
               MERGER_202_SOURCE),
    MergedBody("CA-BP", "Công an tỉnh Bình Phước", "provincial_police", "CA-DN", POLICE_MERGER_BASIS,
               POLICE_MERGER_SOURCE),
]  # fmt: skip
