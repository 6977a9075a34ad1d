"""The bodies that decide and review under Plan 181/KH-UBND (21/5/2024): the Ministry of Public Security
(Bằng khen of the Minister), the provincial People's Committee (Bằng khen of its Chairman), the provincial
police (Giấy khen of its Director; it collects the reports) and the Department of Home Affairs (appraises
with the police). Source: the plan's own text (Kế hoạch số 181/KH-UBND ngày 21/5/2024 của UBND tỉnh Đồng
Nai), sections III (the three award tiers) and IV.1 (the provincial police, with Sở Nội vụ).

The police and Home Affairs sit under the provincial committee in the reporting tree: that tree decides
what a reviewer sees (the province below its root), not who governs whom. Every other unit is the
administrator's to create (`/admin/`).
"""

# What their documents print (Decree 30/2020/NĐ-CP): the governing body above a body's name ("tên của cơ
# quan, tổ chức chủ quản trực tiếp", abbreviated "UBND"; quoted at https://lawnet.vn/thong-tin-phap-luat/
# hanh-chinh/tu-05-3-2020-phai-ghi-ten-co-quan-chu-quan-trong-moi-truong-hop-72813.html), so the police
# print Bộ Công an and Sở Nội vụ the provincial committee; the place before the date (Hà Nội for the
# Ministry, as in its Hướng dẫn 12/HD-BCA-V05 of 21/5/2024); who executes the committee's decisions
# ("Chánh Văn phòng Ủy ban nhân dân tỉnh", Điều 3 of the Chairman's decisions, e.g. Cà Mau 471/QĐ-UBND:
# https://thuvienphapluat.vn/van-ban/Van-hoa-Xa-hoi/Quyet-dinh-so-471-QD-UBND-quy-che-thi-dua-khen-thuong-Ca-Mau-2016-304109.aspx).
# Who executes the police director's decisions was not found in a public decision: the administrator
# sets it (until then the police's decisions are refused with a message saying so).

# (code, name, kind, parent code, short name, governing body code, place, who executes its decisions)
BODIES: list[tuple[str, str, str, str | None, str, str | None, str, str]] = [
    ("BCA", "Bộ Công an", "ministry", None, "", None, "Hà Nội", ""),
    ("UBND-DN", "Ủy ban nhân dân tỉnh Đồng Nai", "provincial_committee", None, "", None, "",
     "Chánh Văn phòng Ủy ban nhân dân tỉnh"),
    ("CA-DN", "Công an tỉnh Đồng Nai", "provincial_police", "UBND-DN", "", "BCA", "", ""),
    ("SNV-DN", "Sở Nội vụ tỉnh Đồng Nai", "home_affairs", "UBND-DN", "", "UBND-DN", "", ""),
]  # fmt: skip
POLICE, HOME_AFFAIRS, PROVINCE, MINISTRY = "CA-DN", "SNV-DN", "UBND-DN", "BCA"
