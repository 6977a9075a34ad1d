"""The 2025 reorganisation as data (awards/reference/dong_nai_2025.py): Resolution 1662/NQ-UBTVQH15's 95
commune-level units and what each was formed from, and Bình Phước's bodies merged into Đồng Nai's."""

import unicodedata
from collections import Counter

from awards.demo import org
from awards.reference import bodies
from awards.reference import dong_nai_2025 as nq


def nfc(text: str) -> bool:
    return unicodedata.normalize("NFC", text) == text


def test_the_resolution_counts_95_units_72_xa_and_23_phuong():
    units = nq.NEW_COMMUNES
    assert len(units) == nq.COUNT == 95
    assert sum(not u.is_ward for u in units) == nq.COMMUNES == 72
    assert sum(u.is_ward for u in units) == nq.WARDS == 23
    # khoản 1–88 form one unit each (67 xã, then 21 phường); khoản 89 keeps seven as they were
    assert [u.clause for u in units if not u.kept] == list(range(1, 89))
    assert all(not u.is_ward for u in units if u.clause <= 67) and all(u.is_ward for u in units if 68 <= u.clause < 89)
    kept = [u.place for u in units if u.kept]
    assert kept == ["phường Phước Tân", "phường Tam Phước", "xã Thanh Sơn", "xã Đak Lua", "xã Phú Lý",
                    "xã Bù Gia Mập", "xã Đăk Ơ"]  # fmt: skip


def test_names_are_nfc_committees_with_unique_codes():
    units = nq.NEW_COMMUNES
    for unit in units:
        assert unit.name == f"Ủy ban nhân dân {unit.place}"
        assert unit.place.split(" ")[0] in ("xã", "phường")
        for text in (unit.name, *unit.formed_from, *unit.partly_from):
            assert nfc(text) and text == " ".join(text.split()), text
        assert unit.formed_from, unit.place
    assert len({u.code for u in units}) == 95 and len({u.place for u in units}) == 95
    assert all(u.code.startswith(("UBND-X-", "UBND-P-")) and len(u.code) <= 40 for u in units)
    by_place = {u.place: u for u in units}
    assert by_place["phường Trấn Biên"].code == "UBND-P-TRANBIEN"
    assert by_place["phường Trấn Biên"].formed_from == (
        "phường Bửu Long", "phường Quang Vinh", "phường Trung Dũng", "phường Thống Nhất", "phường Hiệp Hòa",
        "phường An Bình",
    )  # fmt: skip


def test_no_old_unit_is_listed_twice_except_xuan_tam_split_in_two():
    listed = Counter(old for u in nq.NEW_COMMUNES if not u.kept for old in u.formed_from)
    assert [old for old, times in listed.items() if times > 1] == []
    parts = [(u.clause, u.place) for u in nq.NEW_COMMUNES if u.partly_from]
    assert parts == [(21, "xã Xuân Đông"), (25, "xã Xuân Hòa")]


def demo_communes() -> list[tuple[str, str, str]]:
    """(code, 2024 name without "Ủy ban nhân dân", its district's name) of every commune of the demo."""
    names = {code: name for code, name, *_ in org.UNITS}
    return [
        (code, name.removeprefix("Ủy ban nhân dân "), names[parent].removeprefix("Ủy ban nhân dân "))
        for code, name, kind, parent, *_ in org.UNITS
        if kind == "commune_committee"
    ]


def test_every_commune_of_the_2024_demo_goes_into_exactly_one_new_unit_by_name():
    found = {code: nq.new_units_of(name, district) for code, name, district in demo_communes()}
    assert len(found) == 54
    split = {code: units for code, units in found.items() if len(units) != 1}
    # xã Xuân Tâm is the one split: part to xã Xuân Đông (khoản 21), the rest to xã Xuân Hòa (khoản 25)
    assert {code: [u.place for u in units] for code, units in split.items()} == {
        "UBND-XL-XUANTAM": ["xã Xuân Đông", "xã Xuân Hòa"]
    }
    places = {code: units[0].place for code, units in found.items()}
    assert places["UBND-NT-HIEPPHUOC"] == "xã Nhơn Trạch"  # as the demo names it: "thị trấn Hiệp Phước"
    assert places["UBND-NT-LONGTAN"] == "xã Nhơn Trạch"  # xã Long Tân (huyện Nhơn Trạch), not Phú Riềng's
    assert places["UBND-NT-PHUOCAN"] == "xã Phước An"  # not xã Phước An (huyện Hớn Quản)
    assert places["UBND-DQ-THANHSON"] == "xã Thanh Sơn"  # kept as it was, not xã Thanh Sơn (huyện Tân Phú)
    assert places["UBND-TP-TANPHU"] == "xã Tân Phú"  # thị trấn Tân Phú (huyện Tân Phú), not Đồng Phú's
    assert places["UBND-BH-TANPHONG"] == "phường Tân Triều"
    assert places["UBND-TB-HONAI3"] == "phường Hố Nai"
    assert places["UBND-LK-XUANAN"] == "phường Long Khánh"


def test_bình_phước_bodies_merge_into_đồng_nai_bodies_with_their_legal_basis():
    reference = {code: kind for code, _name, kind, *_ in bodies.BODIES}
    assert [(b.code, b.name, b.merged_into) for b in nq.BINH_PHUOC_BODIES] == [
        ("UBND-BP", "Ủy ban nhân dân tỉnh Bình Phước", "UBND-DN"),
        ("CA-BP", "Công an tỉnh Bình Phước", "CA-DN"),
    ]
    for body in nq.BINH_PHUOC_BODIES:
        assert reference[body.merged_into] == body.kind
        assert "202/2025/QH15" in body.legal_basis and body.source.count("https://") >= 1
        assert nfc(body.name) and nfc(body.legal_basis)
    assert nq.BINH_PHUOC_LAST_DAY.isoformat() == "2025-06-30" and nq.EFFECTIVE_ON.isoformat() == "2025-07-01"
    assert nq.SOURCE_COMMIT in nq.SOURCE and nq.SOURCE_PATH in nq.SOURCE and "1662/NQ-UBTVQH15" in nq.LEGAL_BASIS
