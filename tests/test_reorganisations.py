"""Reorganisations as one operation (merge, split, rename, move, close; applied and undone whole) and inherited
access: a successor's members read their predecessors' files through guardian grants, continue their open
nominations, and nobody else gains anything."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from awards.actor import Actor
from awards.models import (
    ChangeKind,
    InheritedAccessOverride,
    MemberAction,
    Membership,
    NominationStatus,
    Reorganisation,
    ReorganisationStatus,
    Report,
    Role,
    Unit,
    UnitKind,
    UnitLineage,
    UnitUserObjectPermission,
)
from awards.selectors.org import actor_for, unit_scope_ids
from awards.services import inheritance
from awards.services import nominations as svc
from awards.services import org as org_services
from awards.services import reorganisations as reorg
from tests.factories import UnitFactory, UserFactory
from tests.test_nominations import nominate, refreshed, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 7, 1)
LAST = dt.date(2025, 6, 30)
BASIS = "Nghị quyết số 1662/NQ-UBTVQH15 ngày 16/6/2025"


def new_unit(org, code, name, kind=UnitKind.ENTERPRISE, parent="province"):
    return org_services.unit_create(by=None, code=code, name=name, kind=kind, parent=org.units[parent], valid_from=DAY)


def draft(title="Sắp xếp năm 2025", day=DAY):
    return reorg.reorganisation_create(by=None, title=title, effective_on=day, legal_basis=BASIS,
                                       source="https://example.invalid/1662")  # fmt: skip


def admin(org) -> Actor:
    return org.actor("admin")


def acting(user) -> Actor:
    """The actor a signed-in user is today, as the middleware builds it."""
    return actor_for(user=user)


def merge_a(org, members=MemberAction.MOVE):
    """The enterprise An Bình merges into a new corporation from 1/7/2025."""
    successor = new_unit(org, "DN-TC", "Tổng Công ty Thử")
    plan = draft()
    reorg.change_add(by=admin(org), reorganisation=plan, kind=ChangeKind.MERGE, predecessors=[org.units["a"]],
                     successors=[successor], members=members)  # fmt: skip
    return plan, successor


# A merge: applied, inherited, undone -------------------------------------------------------------------


def test_a_merge_closes_the_unit_moves_its_members_and_files_and_the_successor_reads_its_history(org, world):
    campaign, tiers = world
    report = Report.objects.get(campaign=campaign, unit=org.units["a"])
    in_review = nominate(
        org, campaign, tiers["director"], name="Trần Thị Bình", gender="female", id_number="075185001235"
    )
    send(org, campaign, tiers["director"], [in_review])
    draft_one = nominate(org, campaign, tiers["director"])
    plan, successor = merge_a(org)

    preview = reorg.reorganisation_preview(reorganisation=plan)
    assert preview.ok, preview.problems
    assert [u.code for u, _s, _k in preview.closed] == ["DN-A"]
    assert {m.user.username for m, to in preview.members_moved} == {"officer_a", "head_a"}
    assert preview.files[0].nominations == 2 and preview.files[0].to == successor

    reorg.reorganisation_apply(by=admin(org), reorganisation=plan)
    a = Unit.objects.get(pk=org.units["a"].pk)
    assert a.valid_to == LAST
    link = UnitLineage.objects.get(predecessor=a)
    assert (link.successor, link.effective_on, link.note, link.reorganisation) == (successor, DAY, BASIS, plan)
    old = Membership.objects.get(pk=org.memberships["officer_a"].pk)
    assert old.valid_to == LAST
    new = Membership.objects.get(user=org.users["officer_a"], unit=successor)
    assert (new.role, new.valid_from, new.is_active) == (Role.UNIT_OFFICER, DAY, True)
    assert refreshed(draft_one).unit == successor and refreshed(draft_one).holder == successor
    moved = refreshed(in_review)
    assert moved.unit == successor and moved.holder == org.units["police"]  # still at the police's step
    from awards.models import AuditEvent

    assert AuditEvent.objects.filter(action="nomination_moved", object_id=str(draft_one.pk)).count() == 1
    assert AuditEvent.objects.filter(action="reorganisation_applied", object_id=str(plan.pk)).count() == 1

    # The officer, now in the successor, reads the predecessor's accepted report and continues the draft.
    officer = acting(org.users["officer_a"])
    assert officer.unit == successor
    assert org.units["a"].pk in unit_scope_ids(actor=officer)
    client = org.client("officer_a")
    assert client.get(reverse("report_detail", args=[report.pk])).status_code == 200
    assert client.get(reverse("nomination_detail", args=[in_review.pk])).status_code == 200
    svc.nomination_update(by=officer, nomination=refreshed(draft_one), achievement="Thành tích được bổ sung")
    assert refreshed(draft_one).achievement == "Thành tích được bổ sung"
    # …and the head sends it up, covered by the predecessor's accepted report.
    head = acting(org.users["head_a"])
    send_as(org, campaign, tiers["director"], [refreshed(draft_one)], head)
    assert refreshed(draft_one).status == NominationStatus.IN_REVIEW
    assert refreshed(draft_one).evidence_report == report

    # Reading is not editing: the predecessor's report stays the predecessor's.
    assert client.get(reverse("report_edit", args=[report.pk])).status_code == 403
    # A non-successor gets 403 on the same pages.
    outsider = org.client("officer_b")
    for url in (reverse("report_detail", args=[report.pk]), reverse("nomination_detail", args=[in_review.pk])):
        assert outsider.get(url).status_code == 403


def send_as(org, campaign, tier, nominations, head: Actor):
    from tests.test_nominations import minutes

    return svc.dossier_submit(
        by=head, campaign=campaign, award_type=tier, nominations=nominations, number="16/TTr-TC",
        date=dt.date(2025, 7, 10), signer="Lê Văn Bình", council_members=7, council_present=6, votes_for=6,
        minutes=minutes(),
    )  # fmt: skip


def test_an_inherited_nomination_shows_its_cccd_masked(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"], id_number="075085009876")
    svc.nomination_withdraw(by=org.actor("head_a"), nomination=nomination, reason="Trùng đề nghị")
    plan, successor = merge_a(org)
    reorg.reorganisation_apply(by=admin(org), reorganisation=plan)
    page = org.client("officer_a").get(reverse("nomination_detail", args=[nomination.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "075085009876" not in text  # withdrawn: stays with the predecessor, read-only, masked
    assert "•••••••••876" in text


def test_a_member_who_joins_the_successor_later_inherits_and_a_leaver_loses_it(org, world):
    campaign, _tiers = world
    report = Report.objects.get(campaign=campaign, unit=org.units["a"])
    plan, successor = merge_a(org, members=MemberAction.END)
    reorg.reorganisation_apply(by=admin(org), reorganisation=plan)
    newcomer = UserFactory(username="newcomer", full_name="Người Mới")
    membership = org_services.membership_grant(by=admin(org), user=newcomer, unit=successor, role=Role.UNIT_OFFICER)
    assert UnitUserObjectPermission.objects.filter(user=newcomer, content_object=org.units["a"]).exists()
    client = Client()
    client.force_login(newcomer)
    assert client.get(reverse("report_detail", args=[report.pk])).status_code == 200

    org_services.membership_end(by=admin(org), membership=membership, last_day=dt.date(2025, 12, 31))
    assert not UnitUserObjectPermission.objects.filter(user=newcomer, content_object=org.units["a"]).exists()
    assert client.get(reverse("report_detail", args=[report.pk])).status_code == 403


def test_a_grant_reaches_only_the_membership_acted_under(org, world):
    """A user in the successor and in an unrelated unit reads the predecessor only as the successor's member."""
    campaign, _tiers = world
    plan, successor = merge_a(org)
    reorg.reorganisation_apply(by=admin(org), reorganisation=plan)
    officer_b = org.users["officer_b"]
    in_successor = org_services.membership_grant(by=admin(org), user=officer_b, unit=successor, role=Role.UNIT_OFFICER)
    as_b = actor_for(user=officer_b, membership_id=org.memberships["officer_b"].pk)
    as_successor = actor_for(user=officer_b, membership_id=in_successor.pk)
    assert org.units["a"].pk not in unit_scope_ids(actor=as_b)
    assert org.units["a"].pk in unit_scope_ids(actor=as_successor)


def test_an_administrator_revokes_one_inherited_access_with_a_reason_and_gives_it_back(org, world):
    campaign, _tiers = world
    report = Report.objects.get(campaign=campaign, unit=org.units["a"])
    plan, successor = merge_a(org)
    reorg.reorganisation_apply(by=admin(org), reorganisation=plan)
    with pytest.raises(ValidationError):
        inheritance.inherited_access_decide(by=admin(org), user=org.users["officer_a"], unit=org.units["a"],
                                            allowed=False, reason="  ")  # fmt: skip
    inheritance.inherited_access_decide(by=admin(org), user=org.users["officer_a"], unit=org.units["a"],
                                        allowed=False, reason="Chuyển công tác khác")  # fmt: skip
    client = org.client("officer_a")
    assert client.get(reverse("report_detail", args=[report.pk])).status_code == 403
    # A later membership change does not bring it back behind the administrator's back.
    org_services.membership_update(by=admin(org), membership=Membership.objects.get(user=org.users["officer_a"],
                                   unit=successor), title="Chuyên viên")  # fmt: skip
    assert client.get(reverse("report_detail", args=[report.pk])).status_code == 403
    inheritance.inherited_access_decide(by=admin(org), user=org.users["officer_a"], unit=org.units["a"],
                                        allowed=True, reason="Được giao tiếp tục hồ sơ")  # fmt: skip
    assert client.get(reverse("report_detail", args=[report.pk])).status_code == 200
    assert InheritedAccessOverride.objects.get(user=org.users["officer_a"]).allowed
    # Only a successor's member has inherited access to decide on.
    with pytest.raises(ValidationError, match="không là thành viên của đơn vị kế thừa nào"):
        inheritance.inherited_access_decide(by=admin(org), user=org.users["officer_b"], unit=org.units["a"],
                                            allowed=True, reason="Thử")  # fmt: skip


def test_undoing_a_merge_restores_everything(org, world):
    campaign, tiers = world
    draft_one = nominate(org, campaign, tiers["director"])
    plan, successor = merge_a(org)
    reorg.reorganisation_apply(by=admin(org), reorganisation=plan)
    reorg.reorganisation_undo(by=admin(org), reorganisation=plan)
    plan.refresh_from_db()
    assert plan.status == ReorganisationStatus.UNDONE
    assert Unit.objects.get(pk=org.units["a"].pk).valid_to is None
    assert not UnitLineage.objects.filter(predecessor=org.units["a"]).exists()
    assert Membership.objects.get(pk=org.memberships["officer_a"].pk).valid_to is None
    assert not Membership.objects.filter(unit=successor, is_active=True).exists()
    assert (refreshed(draft_one).unit, refreshed(draft_one).holder) == (org.units["a"], org.units["a"])
    assert not UnitUserObjectPermission.objects.filter(content_object=org.units["a"]).exists()
    assert acting(org.users["officer_a"]).unit == org.units["a"]


def test_undo_is_refused_whole_once_the_successor_worked_on_a_moved_file(org, world):
    campaign, tiers = world
    draft_one = nominate(org, campaign, tiers["director"])
    plan, successor = merge_a(org)
    reorg.reorganisation_apply(by=admin(org), reorganisation=plan)
    send_as(org, campaign, tiers["director"], [refreshed(draft_one)], acting(org.users["head_a"]))
    with pytest.raises(ValidationError, match="Đơn vị kế thừa đã xử lý 1 hồ sơ được chuyển"):
        reorg.reorganisation_undo(by=admin(org), reorganisation=plan)
    plan.refresh_from_db()
    assert plan.status == ReorganisationStatus.APPLIED
    assert Unit.objects.get(pk=org.units["a"].pk).valid_to == LAST
    assert refreshed(draft_one).unit == successor


# A split and a rename ------------------------------------------------------------------------------------


def test_a_split_needs_its_sub_units_placed_then_applies_and_undoes(org, world):
    district, commune = org.units["district"], org.units["commune"]
    east = new_unit(org, "UBND-P-DONG", "Ủy ban nhân dân phường Đông", UnitKind.COMMUNE_COMMITTEE)
    west = new_unit(org, "UBND-X-TAY", "Ủy ban nhân dân xã Tây", UnitKind.COMMUNE_COMMITTEE)
    plan = draft()
    reorg.change_add(by=admin(org), reorganisation=plan, kind=ChangeKind.SPLIT, predecessors=[district],
                     successors=[east, west])  # fmt: skip
    problems = reorg.reorganisation_preview(reorganisation=plan).problems
    assert any("chọn đơn vị kế thừa tiếp tục xử lý hồ sơ" in p for p in problems)
    assert any("Ủy ban nhân dân xã Xuân sẽ còn trực thuộc Ủy ban nhân dân huyện Hòa" in p for p in problems)
    with pytest.raises(ValidationError):
        reorg.reorganisation_apply(by=admin(org), reorganisation=plan)
    assert Unit.objects.get(pk=district.pk).valid_to is None  # nothing half-applied

    change = plan.changes.get()
    change.files_to = east
    change.save()
    reorg.change_add(by=admin(org), reorganisation=plan, kind=ChangeKind.MERGE, predecessors=[commune],
                     successors=[east])  # fmt: skip
    reorg.reorganisation_apply(by=admin(org), reorganisation=plan)
    assert set(UnitLineage.objects.filter(predecessor=district).values_list("successor__code", flat=True)) == {
        "UBND-P-DONG", "UBND-X-TAY",
    }  # fmt: skip
    assert Membership.objects.get(user=org.users["district"], unit=east).valid_from == DAY
    assert Membership.objects.get(user=org.users["commune"], unit=east).role == Role.UNIT_OFFICER
    # Both successors' members inherit the district; the commune's only through its own successor.
    west_officer = UserFactory(username="west", full_name="Cán Bộ Tây")
    org_services.membership_grant(by=admin(org), user=west_officer, unit=west, role=Role.UNIT_OFFICER)
    scope = unit_scope_ids(actor=acting(west_officer))
    assert district.pk in scope and commune.pk not in scope
    assert {district.pk, commune.pk} <= unit_scope_ids(actor=acting(org.users["commune"]))

    reorg.reorganisation_undo(by=admin(org), reorganisation=plan)
    assert Unit.objects.get(pk=district.pk).valid_to is None and Unit.objects.get(pk=commune.pk).valid_to is None
    assert not UnitLineage.objects.filter(reorganisation=plan).exists()
    assert acting(org.users["district"]).unit == district


def test_a_rename_keeps_the_body_and_its_name_history_and_undoes(org):
    b = org.units["b"]
    plan = draft("Đổi tên Sở")
    reorg.change_add(by=admin(org), reorganisation=plan, kind=ChangeKind.RENAME, predecessors=[b],
                     new_name="Sở Giáo dục và Đào tạo tỉnh Thử mới")  # fmt: skip
    reorg.reorganisation_apply(by=admin(org), reorganisation=plan)
    b.refresh_from_db()
    assert b.name == "Sở Giáo dục và Đào tạo tỉnh Thử mới" and b.valid_to is None
    assert b.name_on(dt.date(2024, 6, 14)) == "Sở Giáo dục và Đào tạo"
    assert b.name_on(DAY) == "Sở Giáo dục và Đào tạo tỉnh Thử mới"
    assert acting(org.users["officer_b"]).unit == b  # same unit, same members
    reorg.reorganisation_undo(by=admin(org), reorganisation=plan)
    b.refresh_from_db()
    assert b.name == "Sở Giáo dục và Đào tạo" and not b.earlier_names.exists()


def test_a_move_keeps_the_earlier_parent_for_earlier_campaigns_and_undoes(org):
    commune = org.units["commune"]
    plan = draft("Bỏ cấp huyện")
    reorg.change_add(by=admin(org), reorganisation=plan, kind=ChangeKind.MOVE, predecessors=[commune],
                     new_parent=org.units["province"])  # fmt: skip
    reorg.reorganisation_apply(by=admin(org), reorganisation=plan)
    commune.refresh_from_db()
    assert commune.parent == org.units["province"]
    assert commune.parent_id_on(dt.date(2024, 6, 14)) == org.units["district"].pk
    reorg.reorganisation_undo(by=admin(org), reorganisation=plan)
    commune.refresh_from_db()
    assert commune.parent == org.units["district"] and not commune.placements.exists()


def test_a_scheduled_reorganisation_waits_for_its_date(org):
    b = org.units["b"]
    future = dt.date.today() + dt.timedelta(days=30)
    plan = draft("Đổi tên sắp tới", day=future)
    reorg.change_add(by=admin(org), reorganisation=plan, kind=ChangeKind.RENAME, predecessors=[b],
                     new_name="Sở Giáo dục tỉnh Thử")  # fmt: skip
    reorg.reorganisation_apply(by=admin(org), reorganisation=plan)
    b.refresh_from_db()
    assert b.name == "Sở Giáo dục và Đào tạo"
    assert reorg.reorganisations_due(on=future - dt.timedelta(days=1)) == {"applied": 0}
    assert reorg.reorganisations_due(on=future) == {"applied": 1}
    b.refresh_from_db()
    assert b.name == "Sở Giáo dục tỉnh Thử"
    assert reorg.reorganisations_due(on=future) == {"applied": 0}  # once


# Bad input ---------------------------------------------------------------------------------------------


def test_a_merge_into_a_unit_closed_on_that_date_is_refused(org):
    closed = UnitFactory(code="DN-CU", name="Công ty Cũ", kind=UnitKind.ENTERPRISE, parent=org.units["province"],
                         valid_to=dt.date(2025, 6, 30))  # fmt: skip
    plan = draft()
    reorg.change_add(by=admin(org), reorganisation=plan, kind=ChangeKind.MERGE, predecessors=[org.units["a"]],
                     successors=[closed])  # fmt: skip
    problems = reorg.reorganisation_preview(reorganisation=plan).problems
    assert problems == [
        "Công ty Cũ đã chấm dứt hoạt động vào ngày 01/07/2025: không thể sáp nhập hoặc chia tách vào đơn vị này. "
        "Hãy cho đơn vị hoạt động từ ngày đó trước."
    ]


def test_overlapping_reorganisations_of_the_same_unit_are_refused(org, world):
    plan, successor = merge_a(org)
    reorg.reorganisation_apply(by=admin(org), reorganisation=plan)
    second = draft("Lần hai")
    reorg.change_add(by=admin(org), reorganisation=second, kind=ChangeKind.RENAME, predecessors=[org.units["a"]],
                     new_name="Công ty Khác")  # fmt: skip
    problems = reorg.reorganisation_preview(reorganisation=second).problems
    assert any("không hoạt động vào ngày 01/07/2025" in p for p in problems)
    assert any("không thể có hai đợt sắp xếp chồng lên nhau" in p for p in problems)
    with pytest.raises(ValidationError):
        reorg.reorganisation_apply(by=admin(org), reorganisation=second)
    with pytest.raises(ValidationError, match="hãy hoàn tác trước khi sửa"):
        reorg.change_add(by=admin(org), reorganisation=plan, kind=ChangeKind.CLOSE, predecessors=[org.units["b"]])


def test_closing_a_unit_with_open_files_and_no_successor_is_refused_with_the_list(org, world):
    campaign, tiers = world
    nominate(org, campaign, tiers["director"])
    plan = draft()
    reorg.change_add(by=admin(org), reorganisation=plan, kind=ChangeKind.CLOSE, predecessors=[org.units["a"]])
    preview = reorg.reorganisation_preview(reorganisation=plan)
    assert preview.files[0].nominations == 1 and preview.files[0].to is None
    assert any("còn 1 đề nghị đang xử lý mà không có đơn vị kế thừa" in p for p in preview.problems)


def test_an_open_report_in_a_campaign_on_the_new_structure_is_listed_and_refused(org):
    from tests.conftest import build_campaign

    campaign = build_campaign(org, reference_date=dt.date(2025, 9, 1), data_to=dt.date(2025, 9, 1))
    from awards.services import reports as report_services

    report_services.report_start(by=org.actor("officer_a"), campaign=campaign, unit=org.units["a"])
    plan, _successor = merge_a(org)
    problems = reorg.reorganisation_preview(reorganisation=plan).problems
    assert any("còn báo cáo chưa hoàn tất trong “Tổng kết thử nghiệm”" in p for p in problems)


def test_reorganisation_and_inheritance_actions_carry_labels(org, world):
    from awards.models import ACTION_LABELS, AuditEvent

    campaign, tiers = world
    draft_one = nominate(org, campaign, tiers["director"])
    plan, _successor = merge_a(org)
    reorg.reorganisation_apply(by=admin(org), reorganisation=plan)
    inheritance.inherited_access_decide(by=admin(org), user=org.users["officer_a"], unit=org.units["a"],
                                        allowed=False, reason="Thử")  # fmt: skip
    inheritance.inherited_access_decide(by=admin(org), user=org.users["officer_a"], unit=org.units["a"],
                                        allowed=True, reason="Thử lại")  # fmt: skip
    reorg.reorganisation_undo(by=admin(org), reorganisation=plan)
    trail = list(AuditEvent.objects.order_by("pk").values_list("action", "object_id"))
    expected = [
        ("reorganisation_created", str(plan.pk)), ("reorganisation_changed", str(plan.pk)),
        ("reorganisation_applied", str(plan.pk)), ("nomination_moved", str(draft_one.pk)),
        ("reorganisation_files_moved", str(plan.pk)), ("inherited_access_revoked", str(org.units["a"].pk)),
        ("inherited_access_granted", str(org.units["a"].pk)), ("nomination_moved", str(draft_one.pk)),
        ("reorganisation_undone", str(plan.pk)),
    ]  # fmt: skip
    assert [row for row in trail if row[0] in {a for a, _o in expected}] == expected
    assert {a for a, _o in trail} <= set(ACTION_LABELS)
    assert Reorganisation.objects.get().applied_by == org.users["admin"]


def test_a_document_dated_before_a_rename_prints_the_name_of_its_date(org, world):
    from awards.documents.dossier import dossier_submission

    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    dossier = send(org, campaign, tiers["director"], [nomination])
    plan = draft("Đổi tên công ty")
    reorg.change_add(by=admin(org), reorganisation=plan, kind=ChangeKind.RENAME, predecessors=[org.units["a"]],
                     new_name="Công ty Cổ phần An Bình Mới")  # fmt: skip
    reorg.reorganisation_apply(by=admin(org), reorganisation=plan)
    dossier = type(dossier).objects.get(pk=dossier.pk)
    printed = dossier_submission(dossier)  # dated 10/07/2024
    assert (printed.sender_name, printed.sender) == ("Công ty Cổ phần An Bình", "CÔNG TY CỔ PHẦN AN BÌNH")
    dossier.date = dt.date(2025, 7, 2)
    assert dossier_submission(dossier).sender_name == "Công ty Cổ phần An Bình Mới"


def test_the_unit_page_in_the_admin_shows_who_inherits_and_revokes_one_with_a_reason(org, world):
    plan, successor = merge_a(org)
    reorg.reorganisation_apply(by=admin(org), reorganisation=plan)
    client = org.client("admin")
    page = client.get(reverse("admin:awards_unit_change", args=[org.units["a"].pk])).content.decode()
    assert "Quyền xem hồ sơ kế thừa" in page
    assert "Người dùng officer_a (officer_a)" in page and "Tổng Công ty Thử" in page and "được xem hồ sơ" in page
    url = reverse("admin:awards_unit_inherited_access", args=[org.units["a"].pk, org.users["officer_a"].pk])
    refused = client.post(url, {"allowed": "0", "reason": ""})
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()
    assert not InheritedAccessOverride.objects.exists()
    assert client.post(url, {"allowed": "0", "reason": "Chuyển công tác"}).status_code == 302
    page = client.get(reverse("admin:awards_unit_change", args=[org.units["a"].pk])).content.decode()
    assert "đã thu hồi — Chuyển công tác" in page
    # Nobody but an administrator reaches it.
    assert org.client("officer_a").post(url, {"allowed": "1", "reason": "Tự cho"}).status_code == 302  # to login
    assert not InheritedAccessOverride.objects.get().allowed


def test_the_admin_previews_applies_and_undoes_a_reorganisation(org, world):
    plan, successor = merge_a(org)
    client = org.client("admin")
    preview = client.get(reverse("admin:reorganisation_preview", args=[plan.pk])).content.decode()
    assert (
        "Công ty Cổ phần An Bình" in preview and "30/06/2025" in preview and "chuyển sang Tổng Công ty Thử" in preview
    )
    assert client.post(reverse("admin:reorganisation_preview", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.status == ReorganisationStatus.APPLIED
    # Once applied, the same page says what it did, from what it wrote (not a preview of today's state).
    done = client.get(reverse("admin:reorganisation_preview", args=[plan.pk])).content.decode()
    assert "Đã áp dụng: Sắp xếp năm 2025" in done and "chuyển sang Tổng Công ty Thử" in done
    assert "Chưa thể áp dụng" not in done and "Áp dụng đợt sắp xếp" not in done
    assert client.post(reverse("admin:reorganisation_undo", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.status == ReorganisationStatus.UNDONE


def test_a_move_dated_before_the_units_last_move_is_refused(org):
    commune = org.units["commune"]
    org_services.unit_update(
        by=None, unit=commune, parent=org.units["other_district"], parent_since=dt.date(2025, 9, 1)
    )
    plan = draft("Chuyển lại")
    reorg.change_add(by=admin(org), reorganisation=plan, kind=ChangeKind.MOVE, predecessors=[commune],
                     new_parent=org.units["province"])  # fmt: skip
    problems = reorg.reorganisation_preview(reorganisation=plan).problems
    assert problems == [
        "Ủy ban nhân dân xã Xuân: Ngày chuyển phải sau ngày 01/09/2025, là ngày đơn vị bắt đầu trực thuộc đơn vị cấp "
        "trên hiện tại."
    ]
