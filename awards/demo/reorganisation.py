"""The 2025 reorganisation in the demo, recorded through the reorganisation service as an administrator
would: Đồng Nai's commune-level units of Resolution 1662/NQ-UBTVQH15 replace the 2024 communes and the 11
district committees (no district level from 01/7/2025), and Bình Phước's committee and police merge into
Đồng Nai's (Resolution 202/2025/QH15). The facts are reference data (awards/reference/dong_nai_2025.py);
what is the demo's own choice is said where it is made.

Runs after Plan 181's story (all of it dated 2024) and before the current campaign, which works on the
structure of its reference date.
"""

import datetime as dt
from collections import Counter, defaultdict

from django.utils import timezone

from ..models import ChangeKind, MemberAction, Membership, Reorganisation, Unit
from ..models.org import committee_place
from ..reference import dong_nai_2025 as nq
from ..services import membership_update, unit_create
from ..services import reorganisations as reorg_services
from .campaigns import _actor
from .org import UNITS

COMMUNES_TITLE = "Sắp xếp đơn vị hành chính cấp xã năm 2025"
PROVINCE_TITLE = "Hợp nhất tỉnh Bình Phước vào tỉnh Đồng Nai năm 2025"

# Where a district committee's open files go (SPLIT, files_to): the new unit holding its seat. Only Biên
# Hòa's is sourced: "Trung tâm Hành chính - chính trị của tỉnh Đồng Nai mới đặt tại thành phố Biên Hòa, tỉnh
# Đồng Nai (sau sắp xếp là phường Trấn Biên, tỉnh Đồng Nai)" (https://tamgiacvang.com.vn/do-chi-so-kinh-te-
# dong-nai-va-binh-phuoc-truoc-ngay-sap-nhap?p=71; docs/sources/dong-nai-2025-reorganisation.md, section 1).
# No source names the others' seats: `files_to` is the successor holding most of the district's demo
# communes, a tie going to the one named after the district, else to the earlier khoản (Long Khánh →
# phường Long Khánh, Thống Nhất → xã Dầu Giây, Long Thành → xã An Phước).
DISTRICT_SEATS = {"UBND-BH": "UBND-P-TRANBIEN"}

# The current campaign's commune (xã Bình An: xã Long Đức and xã Bình An, khoản 7) and the titles the moved
# personas carry in their ward.
COMMUNE = "UBND-X-BINHAN"
WARD_TITLES = {"thutruong.bienhoa": "Phó Chủ tịch UBND phường", "thutruong.longkhanh": "Chủ tịch UBND phường"}


def _district_names() -> dict[str, str]:
    return {
        code: name.removeprefix("Ủy ban nhân dân ") for code, name, kind, *_ in UNITS if kind != "commune_committee"
    }


def demo_successors() -> dict[str, list[nq.NewCommune]]:
    """Each 2024 demo commune's new unit(s) by the resolution's lists (two for xã Xuân Tâm, split)."""
    districts = _district_names()
    return {
        code: nq.new_units_of(name.removeprefix("Ủy ban nhân dân "), districts[parent])
        for code, name, kind, parent, *_ in UNITS
        if kind == "commune_committee"
    }


def district_successors() -> dict[str, tuple[list[nq.NewCommune], nq.NewCommune]]:
    """Each district committee's successors (the new units that took its demo communes, and its seat's)
    and the one its open files go to."""
    by_code = {u.code: u for u in nq.NEW_COMMUNES}
    parents = {code: parent for code, _n, kind, parent, *_ in UNITS if kind == "commune_committee"}
    districts = _district_names()
    taken: dict[str, list[nq.NewCommune]] = defaultdict(list)
    whole: dict[str, Counter] = defaultdict(Counter)
    for commune, units in demo_successors().items():
        district = parents[commune]
        for unit in units:
            if unit not in taken[district]:
                taken[district].append(unit)
        if len(units) == 1:
            whole[district][units[0].code] += 1
    result = {}
    for district, units in taken.items():
        if district in DISTRICT_SEATS:
            seat = by_code[DISTRICT_SEATS[district]]
        else:
            place = committee_place(districts[district])  # "thành phố Long Khánh" → "Long Khánh"
            seat = min(
                (by_code[code] for code in whole[district]),
                key=lambda u: (-whole[district][u.code], committee_place(u.place) != place, u.clause),
            )
        if seat not in units:
            units.append(seat)
        result[district] = (sorted(units, key=lambda u: u.clause), seat)
    return result


def seed_reorganisations() -> int:
    """Create the new units and record and apply the two reorganisations, once; returns how many units were
    created."""
    if Reorganisation.objects.filter(title=COMMUNES_TITLE).exists():
        return 0
    admin = _actor("quantri")
    units = {u.code: u for u in Unit.objects.all()}
    province = units[nq.PROVINCE_CODE]
    successors = demo_successors()
    kept_in_demo = {units[0].code: code for code, units in successors.items() if units[0].kept}
    created = 0
    # The units that go on as they were (khoản 89) and are in the demo keep their 2024 record and move under
    # the province; the others are created valid from 01/7/2025 (the demo's 2024 tree did not have them).
    new: dict[str, Unit] = {}
    for commune in nq.NEW_COMMUNES:
        if commune.code in kept_in_demo:
            new[commune.code] = units[kept_in_demo[commune.code]]
            continue
        new[commune.code] = units.get(commune.code) or unit_create(
            by=admin, code=commune.code, name=commune.name, kind=nq.KIND, parent=province,
            valid_from=nq.EFFECTIVE_ON,
        )  # fmt: skip
        created += 1 if commune.code not in units else 0

    communes = reorg_services.reorganisation_create(
        by=admin, title=COMMUNES_TITLE, effective_on=nq.EFFECTIVE_ON, legal_basis=nq.LEGAL_BASIS, source=nq.SOURCE,
        note="Từ ngày 01/7/2025 không tổ chức cấp huyện; các xã, phường trực thuộc Ủy ban nhân dân tỉnh.",
    )  # fmt: skip
    merged: dict[str, list[Unit]] = defaultdict(list)
    for code, into in successors.items():
        if len(into) > 1:  # xã Xuân Tâm: part to xã Xuân Đông, "phần còn lại" (and its open files) to xã Xuân Hòa
            reorg_services.change_add(
                by=admin, reorganisation=communes, kind=ChangeKind.SPLIT, predecessors=[units[code]],
                successors=[new[u.code] for u in into], files_to=new[into[-1].code], members=MemberAction.MOVE,
            )  # fmt: skip
        elif into[0].kept:
            reorg_services.change_add(by=admin, reorganisation=communes, kind=ChangeKind.MOVE,
                                      predecessors=[units[code]], new_parent=province)  # fmt: skip
        else:
            merged[into[0].code].append(units[code])
    for code, predecessors in merged.items():
        reorg_services.change_add(
            by=admin, reorganisation=communes, kind=ChangeKind.MERGE, predecessors=predecessors,
            successors=[new[code]], members=MemberAction.MOVE,
        )  # fmt: skip
    for district, (into, seat) in district_successors().items():
        reorg_services.change_add(
            by=admin, reorganisation=communes, kind=ChangeKind.SPLIT, predecessors=[units[district]],
            successors=[new[u.code] for u in into], files_to=new[seat.code], members=MemberAction.MOVE,
        )  # fmt: skip
    reorg_services.reorganisation_apply(by=admin, reorganisation=communes)

    provinces = reorg_services.reorganisation_create(
        by=admin, title=PROVINCE_TITLE, effective_on=nq.EFFECTIVE_ON, legal_basis=nq.MERGER_202_BASIS,
        source=nq.MERGER_202_SOURCE,
        note=f"Công an tỉnh Bình Phước sáp nhập vào Công an tỉnh Đồng Nai: {nq.POLICE_MERGER_BASIS} "
        f"({nq.POLICE_MERGER_SOURCE}).",
    )  # fmt: skip
    for body in nq.BINH_PHUOC_BODIES:
        reorg_services.change_add(
            by=admin, reorganisation=provinces, kind=ChangeKind.MERGE, predecessors=[units[body.code]],
            successors=[units[body.merged_into]], members=MemberAction.MOVE,
        )  # fmt: skip
    reorg_services.reorganisation_apply(by=admin, reorganisation=provinces)
    _ward_titles()
    return created


def _ward_titles() -> None:
    """The moved heads sign for a ward now: their position says so."""
    for username, title in WARD_TITLES.items():
        membership = _current(username)
        if membership is not None and membership.title != title:
            membership_update(by=None, membership=membership, title=title)


def _current(username: str) -> Membership | None:
    return (
        Membership.objects.valid_on(timezone.localdate())
        .filter(user__username=username, acting_for__isnull=True)
        .first()
    )


def binh_phuoc_bodies() -> list[tuple[str, str, str, str | None, dt.date | None, dt.date | None]]:
    """Bình Phước's committee and police as 2024-era units valid until 30/6/2025 (rows like demo.org.UNITS);
    the reorganisation records their merger into Đồng Nai's."""
    parents = {"provincial_committee": None, "provincial_police": "UBND-BP"}
    return [(b.code, b.name, b.kind, parents[b.kind], None, nq.BINH_PHUOC_LAST_DAY) for b in nq.BINH_PHUOC_BODIES]
