"""Legal bases that campaigns cite (decisions print those in force on their date), with their sources."""

import datetime as dt

PLAN_181 = "Kế hoạch số 181/KH-UBND ngày 21/5/2024 của UBND tỉnh Đồng Nai (its opening cites both)"

# (number, type, issued, issuer, title, in force from, in force until, source)
LEGAL_BASES = [
    ("06/2022/QH15", "Luật", dt.date(2022, 6, 15), "Quốc hội", "Luật Thi đua, khen thưởng", dt.date(2024, 1, 1), None,
     "https://stp.hanam.gov.vn/Pages/luat-so-062022qh15-thi-dua-khen-thuong.aspx (ban hành 15/6/2022, hiệu lực "
     "01/01/2024)"),
    ("98/2023/NĐ-CP", "Nghị định", dt.date(2023, 12, 31), "Chính phủ",
     "Quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng", dt.date(2024, 1, 1), dt.date(2025, 6, 30),
     "https://hethongphapluat.com/nghi-dinh-98-2023-nd-cp-huong-dan-luat-thi-dua-khen-thuong/dieu-114 (ban hành "
     "31/12/2023, hiệu lực 01/01/2024); replaced by 152/2025/NĐ-CP"),
    ("152/2025/NĐ-CP", "Nghị định", dt.date(2025, 6, 14), "Chính phủ",
     "Quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng", dt.date(2025, 7, 1), None,
     "https://baomoi.net.vn/phan-cap-phan-quyen-trong-linh-vuc-thi-dua-khen-thuong-c52500550.epi"),
    ("07/CT-BCA-V28", "Chỉ thị", dt.date(2014, 8, 18), "Bộ Công an",
     "Về đẩy mạnh phong trào toàn dân bảo vệ an ninh Tổ quốc trong cơ quan, doanh nghiệp, nhà trường đáp ứng yêu "
     "cầu, nhiệm vụ bảo đảm an ninh, trật tự trong tình hình mới", dt.date(2014, 8, 18), None, PLAN_181),
    ("17/KH-BCA-V05", "Kế hoạch", dt.date(2024, 1, 15), "Bộ Công an",
     "Tổng kết 10 năm thực hiện Chỉ thị số 07/CT-BCA-V28", dt.date(2024, 1, 15), None, PLAN_181),
]  # fmt: skip
