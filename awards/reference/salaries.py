"""The base salary (lương cơ sở) by date, so prize money works on a new installation; an administrator adds
the next one in `/admin/` when a decree changes it. Migrations 0013 and 0019 wrote the same rows on
databases made before this module."""

import datetime as dt

# (amount in đồng per month, in force from, set by, source)
BASE_SALARIES = [
    (1_490_000, dt.date(2019, 7, 1), "Nghị định 38/2019/NĐ-CP",
     "https://thuvienphapluat.vn/phap-luat-doanh-nghiep/tang-muc-luong-co-so/tags.html?tagName=Tăng+mức+lương+cơ+sở"),
    (1_800_000, dt.date(2023, 7, 1), "Nghị định 24/2023/NĐ-CP",
     "https://songoaivu.hatinh.gov.vn (Nghị định số 24/2023/NĐ-CP, ban hành 14/5/2023)"),
    (2_340_000, dt.date(2024, 7, 1), "Nghị định 73/2024/NĐ-CP",
     "https://www.mondaq.com/employee-benefits-compensation/1488976/legal-alert-on-the-new-decree-regulating-minimum-salary"),
    (2_530_000, dt.date(2026, 7, 1), "Nghị định 161/2026/NĐ-CP",
     "https://news.laodong.vn/thoi-su/muc-tien-luong-va-thu-nhap-tang-them-hang-thang-theo-luong-co-so-moi-1703435.ldo; "
     "https://en.baochinhphu.vn/base-salary-may-be-increased-by-8-from-next-july-111260309163352735.htm"),
]  # fmt: skip
