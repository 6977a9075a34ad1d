"""The legal bases documents cite, with their sources. National acts apply to every document dated while
they are in force (their deciding bodies permitting); a campaign's directives and plans apply to the
campaigns that list them. An amending act is cited on the line of the act it amends.

Left out on purpose, until their dates are confirmed from a public source: Decree 28/2024/NĐ-CP (nothing
public ties it to emulation and commendation) and the Ministry of Public Security's circulars on
emulation and commendation in the People's Public Security (12/2019/TT-BCA of 29/5/2019, whose
effective date was not found; 04/2024/TT-BCA, whose dates were not found). An administrator adds them in
/admin/ (kind "Ministry of Public Security's rules…", deciding bodies: provincial police) from the
official text.
"""

import datetime as dt

from ..models import BasisScope, BasisSlot, UnitKind

PLAN_181 = "Kế hoạch số 181/KH-UBND ngày 21/5/2024 của UBND tỉnh Đồng Nai (its opening cites both)"
COMMITTEES = [UnitKind.PROVINCIAL_COMMITTEE, UnitKind.DISTRICT_COMMITTEE, UnitKind.COMMUNE_COMMITTEE]
POLICE = [UnitKind.PROVINCIAL_POLICE, UnitKind.MINISTRY]
LOCAL_GOVERNMENT_LAW = "Luật Tổ chức chính quyền địa phương"

# number: (type, issued, issuer, title, in force from, in force until, scope, slot, deciding bodies, amends, source)
LEGAL_BASES = {
    "77/2015/QH13": (
        "Luật", dt.date(2015, 6, 19), "Quốc hội", LOCAL_GOVERNMENT_LAW, dt.date(2016, 1, 1), dt.date(2025, 2, 28),
        BasisScope.NATIONAL, BasisSlot.LOCAL_GOVERNMENT_LAW, COMMITTEES, None,
        "https://hoidapphapluat.co/luat-to-chuc-chinh-quyen-dia-phuong-2015.html (ban hành 19/06/2015, hiệu lực "
        "01/01/2016); replaced from 01/3/2025: https://trangtinphapluat.com/blog/bai-viet-hay/gioi-thieu-van-ban-moi/"
        "so-sanh-luat-to-chuc-chinh-quyen-dia-phuong-2025-va-luat-2015-phan-1/",
    ),
    "47/2019/QH14": (
        "Luật", dt.date(2019, 11, 22), "Quốc hội",
        "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương",
        dt.date(2020, 7, 1), dt.date(2025, 2, 28), BasisScope.NATIONAL, BasisSlot.LOCAL_GOVERNMENT_LAW, COMMITTEES,
        "77/2015/QH13",
        "https://danhmucvanbanphapluatvietnam.blogspot.com/p/van-ban-hop-nhat-32vbhn-vpqh-nam-2023.html (ngày "
        "22/11/2019, hiệu lực 01/7/2020)",
    ),
    "65/2025/QH15": (
        "Luật", dt.date(2025, 2, 19), "Quốc hội", LOCAL_GOVERNMENT_LAW, dt.date(2025, 3, 1), dt.date(2025, 6, 15),
        BasisScope.NATIONAL, BasisSlot.LOCAL_GOVERNMENT_LAW, COMMITTEES, None,
        "https://tailieu.vn/doc/luat-so-652025qh15-2891086.html (ngày 19/02/2025); in force from 01/3/2025 until "
        "Law 72/2025/QH15 took effect",
    ),
    "72/2025/QH15": (
        "Luật", dt.date(2025, 6, 16), "Quốc hội", LOCAL_GOVERNMENT_LAW, dt.date(2025, 6, 16), None,
        BasisScope.NATIONAL, BasisSlot.LOCAL_GOVERNMENT_LAW, COMMITTEES, None,
        "https://yentruong.thanhhoa.gov.vn/tuyen-truyen-pho-bien-phap-luat/bai-tuyen-truyen-luat-to-chuc-chinh-quyen-"
        "dia-phuong-nam-2025-610145 (hiệu lực từ ngày 16/6/2025)",
    ),
    "37/2018/QH14": (
        "Luật", dt.date(2018, 11, 20), "Quốc hội", "Luật Công an nhân dân", dt.date(2019, 7, 1), None,
        BasisScope.NATIONAL, BasisSlot.POLICE_LAW, POLICE, None,
        "https://thuvienphapluat.vn/van-ban/Bo-may-hanh-chinh/Luat-Cong-an-nhan-dan-384487.aspx (ban hành "
        "20/11/2018, hiệu lực 01/07/2019)",
    ),
    "21/2023/QH15": (
        "Luật", dt.date(2023, 6, 22), "Quốc hội", "Luật sửa đổi, bổ sung một số điều của Luật Công an nhân dân",
        dt.date(2023, 8, 15), None, BasisScope.NATIONAL, BasisSlot.POLICE_LAW, POLICE, "37/2018/QH14",
        "https://dulieuphaply.vn/?p=95441 (ngày 22/6/2023, hiệu lực 15/08/2023)",
    ),
    "06/2022/QH15": (
        "Luật", dt.date(2022, 6, 15), "Quốc hội", "Luật Thi đua, khen thưởng", dt.date(2024, 1, 1), None,
        BasisScope.NATIONAL, BasisSlot.EMULATION_LAW, [], None,
        "https://stp.hanam.gov.vn/Pages/luat-so-062022qh15-thi-dua-khen-thuong.aspx (ban hành 15/6/2022, hiệu lực "
        "01/01/2024)",
    ),
    "98/2023/NĐ-CP": (
        "Nghị định", dt.date(2023, 12, 31), "Chính phủ",
        "Quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng", dt.date(2024, 1, 1),
        dt.date(2025, 6, 30), BasisScope.NATIONAL, BasisSlot.EMULATION_DECREE, [], None,
        "https://hethongphapluat.com/nghi-dinh-98-2023-nd-cp-huong-dan-luat-thi-dua-khen-thuong/dieu-114 (ngày "
        "31/12/2023, hiệu lực 01/01/2024); it gives way to Decree 152/2025/NĐ-CP on 01/7/2025",
    ),
    "152/2025/NĐ-CP": (
        "Nghị định", dt.date(2025, 6, 14), "Chính phủ",
        "Quy định về phân cấp, phân quyền trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và hướng dẫn thi "
        "hành một số điều của Luật Thi đua, khen thưởng", dt.date(2025, 7, 1), None,
        BasisScope.NATIONAL, BasisSlot.EMULATION_DECREE, [], None,
        "https://pbgdpl.cantho.gov.vn/quy-dinh-ve-phan-cap-phan-quyen-trong-linh-vuc-thi-dua-khen-thuong (ngày "
        "14/6/2025); in force from 01/7/2025: https://news.laodong.vn/thoi-su/muc-tien-thuong-voi-danh-hieu-lao-"
        "dong-tien-tien-sau-sap-nhap-1622713.ldo",
    ),
    "07/CT-BCA-V28": (
        "Chỉ thị", dt.date(2014, 8, 18), "Bộ Công an",
        "Về đẩy mạnh phong trào toàn dân bảo vệ an ninh Tổ quốc trong cơ quan, doanh nghiệp, nhà trường đáp ứng yêu "
        "cầu, nhiệm vụ bảo đảm an ninh, trật tự trong tình hình mới", dt.date(2014, 8, 18), None,
        BasisScope.CAMPAIGN, BasisSlot.PLAN, [], None, PLAN_181,
    ),
    "17/KH-BCA-V05": (
        "Kế hoạch", dt.date(2024, 1, 15), "Bộ Công an", "Tổng kết 10 năm thực hiện Chỉ thị số 07/CT-BCA-V28",
        dt.date(2024, 1, 15), None, BasisScope.CAMPAIGN, BasisSlot.PLAN, [], None, PLAN_181,
    ),
}  # fmt: skip
