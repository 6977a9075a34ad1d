"""Đồng Nai's 2024 organisation below the bodies of the reference data, loaded by ``seed_demo``. Plain data:
no imports from the app."""

import datetime as dt

_MERGER_DAY = dt.date(2025, 3, 1)
_LAST_DAY = dt.date(2025, 2, 28)

# (code, name, kind, parent_code, valid_from, valid_to)
UNITS: list[tuple[str, str, str, str | None, dt.date | None, dt.date | None]] = [
    # The ministry, the provincial committee, the police and Home Affairs are reference data
    # (awards.reference.bodies), loaded before these.
    # --- Provincial departments and agencies ---------------------------------
    ("VP-UBND-DN", "Văn phòng Ủy ban nhân dân tỉnh Đồng Nai", "department", "UBND-DN", None, None),
    ("SGDDT-DN", "Sở Giáo dục và Đào tạo tỉnh Đồng Nai", "department", "UBND-DN", None, None),
    ("STC-DN", "Sở Tài chính tỉnh Đồng Nai", "department", "UBND-DN", None, None),
    ("SKHDT-DN", "Sở Kế hoạch và Đầu tư tỉnh Đồng Nai", "department", "UBND-DN", None, _LAST_DAY),
    ("SLDTBXH-DN", "Sở Lao động - Thương binh và Xã hội tỉnh Đồng Nai", "department", "UBND-DN", None, _LAST_DAY),
    ("STNMT-DN", "Sở Tài nguyên và Môi trường tỉnh Đồng Nai", "department", "UBND-DN", None, _LAST_DAY),
    ("SNNPTNT-DN", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Đồng Nai", "department", "UBND-DN", None, _LAST_DAY),
    ("SNNMT-DN", "Sở Nông nghiệp và Môi trường tỉnh Đồng Nai", "department", "UBND-DN", _MERGER_DAY, None),
    ("SGTVT-DN", "Sở Giao thông vận tải tỉnh Đồng Nai", "department", "UBND-DN", None, _LAST_DAY),
    ("SXD-DN", "Sở Xây dựng tỉnh Đồng Nai", "department", "UBND-DN", None, None),
    ("STTTT-DN", "Sở Thông tin và Truyền thông tỉnh Đồng Nai", "department", "UBND-DN", None, _LAST_DAY),
    ("SKHCN-DN", "Sở Khoa học và Công nghệ tỉnh Đồng Nai", "department", "UBND-DN", None, None),
    ("SYT-DN", "Sở Y tế tỉnh Đồng Nai", "department", "UBND-DN", None, None),
    ("STP-DN", "Sở Tư pháp tỉnh Đồng Nai", "department", "UBND-DN", None, None),
    ("SCT-DN", "Sở Công Thương tỉnh Đồng Nai", "department", "UBND-DN", None, None),
    ("SVHTTDL-DN", "Sở Văn hóa, Thể thao và Du lịch tỉnh Đồng Nai", "department", "UBND-DN", None, None),
    ("BQLKCN-DN", "Ban Quản lý các Khu công nghiệp Đồng Nai", "department", "UBND-DN", None, None),
    ("TTR-DN", "Thanh tra tỉnh Đồng Nai", "department", "UBND-DN", None, None),
    # --- Socio-political organisations ---------------------------------------
    ("MTTQ-DN", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đồng Nai", "socio_political", "UBND-DN", None, None),
    ("LDLD-DN", "Liên đoàn Lao động tỉnh Đồng Nai", "socio_political", "UBND-DN", None, None),
    ("TD-DN", "Tỉnh Đoàn Đồng Nai", "socio_political", "UBND-DN", None, None),
    ("HLHPN-DN", "Hội Liên hiệp Phụ nữ tỉnh Đồng Nai", "socio_political", "UBND-DN", None, None),
    ("HND-DN", "Hội Nông dân tỉnh Đồng Nai", "socio_political", "UBND-DN", None, None),
    ("HCCB-DN", "Hội Cựu chiến binh tỉnh Đồng Nai", "socio_political", "UBND-DN", None, None),
    # --- District level and their communes/wards -----------------------------
    ("UBND-BH", "Ủy ban nhân dân thành phố Biên Hòa", "district_committee", "UBND-DN", None, None),
    ("UBND-BH-TANPHONG", "Ủy ban nhân dân phường Tân Phong", "commune_committee", "UBND-BH", None, None),
    ("UBND-BH-TANHIEP", "Ủy ban nhân dân phường Tân Hiệp", "commune_committee", "UBND-BH", None, None),
    ("UBND-BH-LONGBINH", "Ủy ban nhân dân phường Long Bình", "commune_committee", "UBND-BH", None, None),
    ("UBND-BH-HONAI", "Ủy ban nhân dân phường Hố Nai", "commune_committee", "UBND-BH", None, None),
    ("UBND-BH-TAMHIEP", "Ủy ban nhân dân phường Tam Hiệp", "commune_committee", "UBND-BH", None, None),
    ("UBND-LK", "Ủy ban nhân dân thành phố Long Khánh", "district_committee", "UBND-DN", None, None),
    ("UBND-LK-XUANAN", "Ủy ban nhân dân phường Xuân An", "commune_committee", "UBND-LK", None, None),
    ("UBND-LK-XUANBINH", "Ủy ban nhân dân phường Xuân Bình", "commune_committee", "UBND-LK", None, None),
    ("UBND-LK-SUOITRE", "Ủy ban nhân dân phường Suối Tre", "commune_committee", "UBND-LK", None, None),
    ("UBND-LK-BINHLOC", "Ủy ban nhân dân xã Bình Lộc", "commune_committee", "UBND-LK", None, None),
    ("UBND-NT", "Ủy ban nhân dân huyện Nhơn Trạch", "district_committee", "UBND-DN", None, None),
    ("UBND-NT-HIEPPHUOC", "Ủy ban nhân dân thị trấn Hiệp Phước", "commune_committee", "UBND-NT", None, None),
    ("UBND-NT-PHUOCTHIEN", "Ủy ban nhân dân xã Phước Thiền", "commune_committee", "UBND-NT", None, None),
    ("UBND-NT-LONGTAN", "Ủy ban nhân dân xã Long Tân", "commune_committee", "UBND-NT", None, None),
    ("UBND-NT-DAIPHUOC", "Ủy ban nhân dân xã Đại Phước", "commune_committee", "UBND-NT", None, None),
    ("UBND-NT-PHUOCAN", "Ủy ban nhân dân xã Phước An", "commune_committee", "UBND-NT", None, None),
    ("UBND-LT", "Ủy ban nhân dân huyện Long Thành", "district_committee", "UBND-DN", None, None),
    ("UBND-LT-LONGTHANH", "Ủy ban nhân dân thị trấn Long Thành", "commune_committee", "UBND-LT", None, None),
    ("UBND-LT-ANPHUOC", "Ủy ban nhân dân xã An Phước", "commune_committee", "UBND-LT", None, None),
    ("UBND-LT-LONGDUC", "Ủy ban nhân dân xã Long Đức", "commune_committee", "UBND-LT", None, None),
    ("UBND-LT-PHUOCTHAI", "Ủy ban nhân dân xã Phước Thái", "commune_committee", "UBND-LT", None, None),
    ("UBND-LT-TAMAN", "Ủy ban nhân dân xã Tam An", "commune_committee", "UBND-LT", None, None),
    ("UBND-TB", "Ủy ban nhân dân huyện Trảng Bom", "district_committee", "UBND-DN", None, None),
    ("UBND-TB-TRANGBOM", "Ủy ban nhân dân thị trấn Trảng Bom", "commune_committee", "UBND-TB", None, None),
    ("UBND-TB-HONAI3", "Ủy ban nhân dân xã Hố Nai 3", "commune_committee", "UBND-TB", None, None),
    ("UBND-TB-BACSON", "Ủy ban nhân dân xã Bắc Sơn", "commune_committee", "UBND-TB", None, None),
    ("UBND-TB-BAUHAM", "Ủy ban nhân dân xã Bàu Hàm", "commune_committee", "UBND-TB", None, None),
    ("UBND-TB-SONGTRAU", "Ủy ban nhân dân xã Sông Trầu", "commune_committee", "UBND-TB", None, None),
    ("UBND-TN", "Ủy ban nhân dân huyện Thống Nhất", "district_committee", "UBND-DN", None, None),
    ("UBND-TN-GIAKIEM", "Ủy ban nhân dân xã Gia Kiệm", "commune_committee", "UBND-TN", None, None),
    ("UBND-TN-GIATAN1", "Ủy ban nhân dân xã Gia Tân 1", "commune_committee", "UBND-TN", None, None),
    ("UBND-TN-QUANGTRUNG", "Ủy ban nhân dân xã Quang Trung", "commune_committee", "UBND-TN", None, None),
    ("UBND-TN-HUNGLOC", "Ủy ban nhân dân xã Hưng Lộc", "commune_committee", "UBND-TN", None, None),
    ("UBND-TN-LO25", "Ủy ban nhân dân xã Lộ 25", "commune_committee", "UBND-TN", None, None),
    ("UBND-CM", "Ủy ban nhân dân huyện Cẩm Mỹ", "district_committee", "UBND-DN", None, None),
    ("UBND-CM-LONGGIAO", "Ủy ban nhân dân thị trấn Long Giao", "commune_committee", "UBND-CM", None, None),
    ("UBND-CM-SONGRAY", "Ủy ban nhân dân xã Sông Ray", "commune_committee", "UBND-CM", None, None),
    ("UBND-CM-XUANMY", "Ủy ban nhân dân xã Xuân Mỹ", "commune_committee", "UBND-CM", None, None),
    ("UBND-CM-NHANNGHIA", "Ủy ban nhân dân xã Nhân Nghĩa", "commune_committee", "UBND-CM", None, None),
    ("UBND-CM-XUANDONG", "Ủy ban nhân dân xã Xuân Đông", "commune_committee", "UBND-CM", None, None),
    ("UBND-XL", "Ủy ban nhân dân huyện Xuân Lộc", "district_committee", "UBND-DN", None, None),
    ("UBND-XL-GIARAY", "Ủy ban nhân dân thị trấn Gia Ray", "commune_committee", "UBND-XL", None, None),
    ("UBND-XL-XUANHUNG", "Ủy ban nhân dân xã Xuân Hưng", "commune_committee", "UBND-XL", None, None),
    ("UBND-XL-XUANTAM", "Ủy ban nhân dân xã Xuân Tâm", "commune_committee", "UBND-XL", None, None),
    ("UBND-XL-SUOICAT", "Ủy ban nhân dân xã Suối Cát", "commune_committee", "UBND-XL", None, None),
    ("UBND-XL-LANGMINH", "Ủy ban nhân dân xã Lang Minh", "commune_committee", "UBND-XL", None, None),
    ("UBND-DQ", "Ủy ban nhân dân huyện Định Quán", "district_committee", "UBND-DN", None, None),
    ("UBND-DQ-DINHQUAN", "Ủy ban nhân dân thị trấn Định Quán", "commune_committee", "UBND-DQ", None, None),
    ("UBND-DQ-LANGA", "Ủy ban nhân dân xã La Ngà", "commune_committee", "UBND-DQ", None, None),
    ("UBND-DQ-PHUTUC", "Ủy ban nhân dân xã Phú Túc", "commune_committee", "UBND-DQ", None, None),
    ("UBND-DQ-GIACANH", "Ủy ban nhân dân xã Gia Canh", "commune_committee", "UBND-DQ", None, None),
    ("UBND-DQ-THANHSON", "Ủy ban nhân dân xã Thanh Sơn", "commune_committee", "UBND-DQ", None, None),
    ("UBND-TP", "Ủy ban nhân dân huyện Tân Phú", "district_committee", "UBND-DN", None, None),
    ("UBND-TP-TANPHU", "Ủy ban nhân dân thị trấn Tân Phú", "commune_committee", "UBND-TP", None, None),
    ("UBND-TP-NAMCATTIEN", "Ủy ban nhân dân xã Nam Cát Tiên", "commune_committee", "UBND-TP", None, None),
    ("UBND-TP-TALAI", "Ủy ban nhân dân xã Tà Lài", "commune_committee", "UBND-TP", None, None),
    ("UBND-TP-PHULAM", "Ủy ban nhân dân xã Phú Lâm", "commune_committee", "UBND-TP", None, None),
    ("UBND-TP-TRACO", "Ủy ban nhân dân xã Trà Cổ", "commune_committee", "UBND-TP", None, None),
    ("UBND-VC", "Ủy ban nhân dân huyện Vĩnh Cửu", "district_committee", "UBND-DN", None, None),
    ("UBND-VC-VINHAN", "Ủy ban nhân dân thị trấn Vĩnh An", "commune_committee", "UBND-VC", None, None),
    ("UBND-VC-TRIAN", "Ủy ban nhân dân xã Trị An", "commune_committee", "UBND-VC", None, None),
    ("UBND-VC-THANHPHU", "Ủy ban nhân dân xã Thạnh Phú", "commune_committee", "UBND-VC", None, None),
    ("UBND-VC-PHULY", "Ủy ban nhân dân xã Phú Lý", "commune_committee", "UBND-VC", None, None),
    ("UBND-VC-MADA", "Ủy ban nhân dân xã Mã Đà", "commune_committee", "UBND-VC", None, None),
    # --- Enterprises ---------------------------------------------------------
    ("DN-TINNGHIA", "Tổng Công ty Tín Nghĩa", "enterprise", "UBND-DN", None, None),
    ("DN-SONADEZI", "Tổng Công ty Cổ phần Phát triển Khu công nghiệp (Sonadezi)", "enterprise", "UBND-DN", None, None),
    ("DN-DOFICO", "Tổng Công ty Công nghiệp Thực phẩm Đồng Nai (Dofico)", "enterprise", "UBND-DN", None, None),
    ("DN-CAOSU", "Công ty TNHH MTV Tổng Công ty Cao su Đồng Nai", "enterprise", "UBND-DN", None, None),
    ("DN-CAPNUOC", "Công ty Cổ phần Cấp nước Đồng Nai", "enterprise", "UBND-DN", None, None),
    ("DN-XOSO", "Công ty TNHH MTV Xổ số kiến thiết Đồng Nai", "enterprise", "UBND-DN", None, None),
    # --- Credit institutions -------------------------------------------------
    ("NH-NHNN-DN", "Ngân hàng Nhà nước Việt Nam Chi nhánh tỉnh Đồng Nai", "credit_institution", "UBND-DN", None, None),
    (
        "NH-AGRIBANK-DN",
        "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam Chi nhánh tỉnh Đồng Nai",
        "credit_institution",
        "UBND-DN",
        None,
        None,
    ),
    (
        "NH-VCB-DN",
        "Ngân hàng TMCP Ngoại thương Việt Nam Chi nhánh Đồng Nai",
        "credit_institution",
        "UBND-DN",
        None,
        None,
    ),
    (
        "NH-BIDV-DN",
        "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam Chi nhánh Đồng Nai",
        "credit_institution",
        "UBND-DN",
        None,
        None,
    ),
    (
        "NH-VTB-DN",
        "Ngân hàng TMCP Công Thương Việt Nam Chi nhánh Đồng Nai",
        "credit_institution",
        "UBND-DN",
        None,
        None,
    ),
    # --- Education -----------------------------------------------------------
    ("GD-THPT-LTV", "Trường THPT chuyên Lương Thế Vinh", "education", "SGDDT-DN", None, None),
    ("GD-THPT-NGOQUYEN", "Trường THPT Ngô Quyền", "education", "SGDDT-DN", None, None),
    ("GD-THPT-TRANBIEN", "Trường THPT Trấn Biên", "education", "SGDDT-DN", None, None),
    ("GD-THPT-NGUYENTRAI", "Trường THPT Nguyễn Trãi", "education", "SGDDT-DN", None, None),
    ("GD-DHDN", "Trường Đại học Đồng Nai", "education", "UBND-DN", None, None),
]

# (predecessor_code, successor_code, kind, date)  kind is "merged" or "split" or "renamed"
LINEAGE: list[tuple[str, str, str, dt.date]] = [
    ("SKHDT-DN", "STC-DN", "merged", _MERGER_DAY),
    ("SLDTBXH-DN", "SNV-DN", "merged", _MERGER_DAY),
    ("STNMT-DN", "SNNMT-DN", "merged", _MERGER_DAY),
    ("SNNPTNT-DN", "SNNMT-DN", "merged", _MERGER_DAY),
    ("SGTVT-DN", "SXD-DN", "merged", _MERGER_DAY),
    ("STTTT-DN", "SKHCN-DN", "merged", _MERGER_DAY),
]

# The demo's own document data on top of the reference bodies': its police's office executes the
# director's decisions (the reviewer persona works there), and every department prints the provincial
# committee above its name.
POLICE_OFFICE = "Trưởng phòng Tham mưu Công an tỉnh"
DEPARTMENTS_GOVERNED_BY = "UBND-DN"
