"""The bodies that decide and review under Plan 181/KH-UBND (21/5/2024): the Ministry of Public Security
(Bằng khen of the Minister), the provincial People's Committee (Bằng khen of its Chairman), the provincial
police (Giấy khen of its Director; it collects the reports) and the Department of Home Affairs (appraises
with the police). Source: the plan's own text (Kế hoạch số 181/KH-UBND ngày 21/5/2024 của UBND tỉnh Đồng
Nai), sections III (the three award tiers) and IV.1 (the provincial police, with Sở Nội vụ).

The police and Home Affairs sit under the provincial committee in the reporting tree: that tree decides
what a reviewer sees (the province below its root), not who governs whom. Every other unit is the
administrator's to create (`/admin/`).
"""

# (code, name, kind, parent code)
BODIES: list[tuple[str, str, str, str | None]] = [
    ("BCA", "Bộ Công an", "ministry", None),
    ("UBND-DN", "Ủy ban nhân dân tỉnh Đồng Nai", "provincial_committee", None),
    ("CA-DN", "Công an tỉnh Đồng Nai", "provincial_police", "UBND-DN"),
    ("SNV-DN", "Sở Nội vụ tỉnh Đồng Nai", "home_affairs", "UBND-DN"),
]
POLICE, HOME_AFFAIRS, PROVINCE, MINISTRY = "CA-DN", "SNV-DN", "UBND-DN", "BCA"
