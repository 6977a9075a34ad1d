"""The base salary (lương cơ sở) by date, so prize money works on a new installation; an administrator adds
the next one in `/admin/` when a decree changes it. Migration 0013 wrote the same rows on databases made
before this module; each row names the decree that set it."""

import datetime as dt

# (amount in đồng per month, in force from, set by)
BASE_SALARIES = [
    (1_490_000, dt.date(2019, 7, 1), "Nghị định 38/2019/NĐ-CP"),
    (1_800_000, dt.date(2023, 7, 1), "Nghị định 24/2023/NĐ-CP"),
    (2_340_000, dt.date(2024, 7, 1), "Nghị định 73/2024/NĐ-CP"),
]
