"""Every audit action the code writes is asserted by a test.

The meta-test reads awards/ (not the demo, which copies the services' rows, nor the migrations): every call to
`audit_record` (and every `AuditEvent` built by hand) and the action it passes — a literal, a conditional
between literals, a parameter filled with literals by the callers, or an f-string known below. It then reads
every test module and requires each action as a string inside an `assert`, in an `action=` / `action__in=`
lookup (`filter`, `get`, `exclude`, `Q`), or in a list/set/tuple literal bound to a name an assert of the same
test compares. The other tests here do what a user does, through the page or the service, and check the row:
its action, actor, membership, unit, object type and id, and the states where it records them (never its
`object_repr`, which names the object by id or code only, nor anything that would change a row).
"""

import ast
import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from awards import services
from awards.models import (
    HANDLED_OUTCOMES,
    AuditEvent,
    DecisionStatus,
    LegalBasis,
    NominationStatus,
    Outcome,
    ReportAttachment,
    ReportOutline,
    ReportStatus,
    Step,
    UnitLineage,
)
from awards.reference import outline_181
from awards.reference.tiers_181 import standard_tiers
from awards.services import campaigns as campaign_services
from awards.services import decisions as decision_services
from awards.services import nominations as nomination_services
from awards.services import reports as report_services
from tests.test_attachments import draft as draft_report
from tests.test_attachments import pdf_bytes
from tests.test_campaign_admin import campaign_form
from tests.test_consolidation import report as accepted_report
from tests.test_decisions import awaiting, scan
from tests.test_nominations import appraise, nominate, refreshed, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture
from tests.test_reports import REQUIRED_ENTERPRISE

ROOT = Path(__file__).resolve().parent.parent
THIS = Path(__file__).resolve()

# The meta-tests' own literals never count as assertions of an action.
META_TESTS = {
    "test_every_audit_action_the_code_writes_is_asserted_by_a_test",
    "test_the_scan_finds_every_form_of_action_and_only_asserted_ones",
}

# Actions built at run time, by the f-string's source: what each can produce. `_advance` writes
# nomination_<outcome> for the outcomes it is given: handed and sent (dossier, prepared, resubmit) and those
# `nomination_act` finishes a step with (it refuses any other).
DYNAMIC_ACTIONS = {
    "f'nomination_{outcome}'": {f"nomination_{o}" for o in (Outcome.HANDED, Outcome.SENT, *HANDLED_OUTCOMES)},
}
LOOKUPS = {"filter", "get", "exclude", "Q"}


def _callee(func: ast.expr) -> str:
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    return ".".join(reversed(parts))


def _writes_audit(call: ast.Call) -> bool:
    name = _callee(call.func)
    return name.split(".")[-1] == "audit_record" or name == "AuditEvent" or name.endswith("AuditEvent.objects.create")


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def audit_actions_written(sources: dict[str, str]) -> tuple[dict[str, set[str]], list[str]]:
    """{action: {"file:line", …}} of every audit row the sources write, and what the scan could not read."""
    trees = {name: ast.parse(text) for name, text in sources.items()}
    parents, calls_of = {}, defaultdict(list)
    for tree in trees.values():
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                parents[child] = node
            if isinstance(node, ast.Call):
                calls_of[_callee(node.func).split(".")[-1]].append(node)

    def enclosing_function(node):
        while node in parents:
            node = parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                return node
        return None

    def resolve(value: ast.expr, where: str, problems: list[str]) -> set[str]:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return {value.value}
        if isinstance(value, ast.IfExp):
            return resolve(value.body, where, problems) | resolve(value.orelse, where, problems)
        if isinstance(value, ast.JoinedStr):
            source = ast.unparse(value)
            if source in DYNAMIC_ACTIONS:
                return set(DYNAMIC_ACTIONS[source])
            problems.append(f"{where}: action built as {source}: add what it can produce to DYNAMIC_ACTIONS")
            return set()
        function = enclosing_function(value)
        parameters = {a.arg for a in function.args.kwonlyargs + function.args.args} if function else set()
        if isinstance(value, ast.Name) and value.id in parameters:  # filled in by the function's callers
            callers = [_keyword(call, value.id) for call in calls_of[function.name]]
            if not callers or None in callers:
                problems.append(f"{where}: `{value.id}` of {function.name}() is not passed by keyword everywhere")
            return set().union(*(resolve(v, where, problems) for v in callers if v is not None))
        problems.append(f"{where}: cannot read the action {ast.unparse(value)}")
        return set()

    written: dict[str, set[str]] = defaultdict(set)
    problems: list[str] = []
    for name, tree in trees.items():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _writes_audit(node)):
                continue
            function = enclosing_function(node)
            if function is not None and function.name == "audit_record":
                continue  # the writer's own insert: its callers are the writers
            where = f"{name}:{node.lineno}"
            value = _keyword(node, "action")
            if value is None:
                problems.append(f"{where}: an audit row written without action=")
                continue
            for action in resolve(value, where, problems):
                written[action].add(where)
    return dict(written), problems


def _strings(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


class _Asserted(ast.NodeVisitor):
    """The strings a test module asserts: inside an assert, in an action lookup, or in a literal it asserts."""

    def __init__(self, skip: set[str]):
        self.found: set[str] = set()
        self.skip = skip

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.name in self.skip:
            return
        asserted_names = {
            n.id
            for a in ast.walk(node)
            if isinstance(a, ast.Assert)
            for n in ast.walk(a.test)
            if isinstance(n, ast.Name)
        }
        for statement in ast.walk(node):
            if (
                isinstance(statement, ast.Assign)
                and isinstance(statement.value, ast.Set | ast.List | ast.Tuple)
                and any(isinstance(t, ast.Name) and t.id in asserted_names for t in statement.targets)
            ):
                self.found |= _strings(statement.value)
        self.generic_visit(node)

    def visit_Assert(self, node: ast.Assert) -> None:
        self.found |= _strings(node.test)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if _callee(node.func).split(".")[-1] in LOOKUPS:
            for keyword in node.keywords:
                if keyword.arg in ("action", "action__in"):
                    self.found |= _strings(keyword.value)
        self.generic_visit(node)


def asserted_strings(source: str, *, skip: set[str] = frozenset()) -> set[str]:
    visitor = _Asserted(set(skip))
    visitor.visit(ast.parse(source))
    return visitor.found


def awards_sources() -> dict[str, str]:
    return {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "awards").rglob("*.py"))
        if path.relative_to(ROOT).parts[1] not in ("demo", "migrations")
    }


def test_every_audit_action_the_code_writes_is_asserted_by_a_test():
    written, problems = audit_actions_written(awards_sources())
    assert not problems, "\n".join(problems)
    assert len(written) >= 40, sorted(written)  # the scan found the writers (56 actions when this was written)
    asserted: set[str] = set()
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        asserted |= asserted_strings(path.read_text(encoding="utf-8"), skip=META_TESTS if path == THIS else set())
    missing = {action: sorted(places) for action, places in written.items() if action not in asserted}
    assert not missing, f"audit actions no test asserts (action: where the code writes it): {missing}"


def test_the_scan_finds_every_form_of_action_and_only_asserted_ones():
    code = """
def audit_record(*, action, obj=None):
    AuditEvent.objects.create(action=action)

def plain(by):
    audit_record(actor=by, action="zz_plain")
    audit.audit_record(action="zz_yes" if by else "zz_no")

def _helper(*, by, action):
    audit_record(actor=by, action=action)

def caller(by):
    _helper(by=by, action="zz_helped")

def tally(t):
    return AuditEvent(action="zz_built")

def moved(outcome):
    audit_record(action=f"nomination_{outcome}")
"""
    written, problems = audit_actions_written({"x.py": code})
    assert not problems
    assert (
        set(written)
        == {"zz_plain", "zz_yes", "zz_no", "zz_helped", "zz_built"} | DYNAMIC_ACTIONS["f'nomination_{outcome}'"]
    )
    _written, problems = audit_actions_written({"y.py": "def f(kind):\n    audit_record(action=f'{kind}_done')\n"})
    assert problems and "DYNAMIC_ACTIONS" in problems[0]
    tests = """
def test_one():
    AuditEvent.objects.get(action="zz_plain")
    expected = {"zz_yes", "zz_no"}
    assert expected <= seen
    audit_record(action="zz_helped")  # writing a row in a test asserts nothing
    label = "zz_built"  # nor does a string that is never asserted

def test_two():
    assert AuditEvent.objects.filter(action__in=["nomination_sent"]).exists()
"""
    assert asserted_strings(tests) & set(written) == {"zz_plain", "zz_yes", "zz_no", "nomination_sent"}
    assert asserted_strings(tests, skip={"test_one"}) & set(written) == {"nomination_sent"}


# The actions no other test asserted when this file was written ------------------------------------------------


def row(event: AuditEvent) -> tuple:
    return (event.actor, event.membership, event.unit, event.object_type, event.object_id, event.from_state,
            event.to_state)  # fmt: skip


def by(org, persona: str) -> tuple:
    """(user, membership) as a row records the persona."""
    return org.users[persona], org.memberships[persona]


@pytest.fixture
def media(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        yield tmp_path


@pytest.mark.django_db
def test_removing_an_attachment_on_the_report_page_is_audited(org, campaign, media):
    report = draft_report(org, campaign)
    attachment = report_services.attachment_add(
        by=org.actor("officer_a"), report=report, kind="scan",
        uploaded_file=SimpleUploadedFile("bao-cao-ky.pdf", pdf_bytes(), content_type="application/pdf"),
    )  # fmt: skip
    response = org.client("officer_a").post(f"/reports/{report.pk}/attachments/{attachment.pk}/delete/")
    assert response.status_code == 302 and not ReportAttachment.objects.filter(pk=attachment.pk).exists()
    event = AuditEvent.objects.get(action="attachment_removed")
    assert row(event) == (*by(org, "officer_a"), org.units["a"], "report", str(report.pk), "", "")
    assert event.detail["attachment"] == attachment.pk


@pytest.mark.django_db
def test_reopening_an_accepted_report_on_its_page_is_audited(org, campaign):
    report = accepted_report(org, campaign, "officer_a", org.actor("head_a"), REQUIRED_ENTERPRISE)
    response = org.client("police").post(f"/reports/{report.pk}/reopen/", {"reason": "Bổ sung số liệu năm 2023"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="report_reopened", object_id=str(report.pk))
    assert row(event) == (*by(org, "police"), org.units["a"], "report", str(report.pk), ReportStatus.ACCEPTED,
                          ReportStatus.DRAFT)  # fmt: skip


@pytest.mark.django_db
def test_changing_a_campaign_in_the_admin_is_audited(org, campaign):
    url = f"/admin/awards/campaign/{campaign.pk}/change/"
    response = org.client("admin").post(url, campaign_form(org, campaign.outline, title="Tổng kết thử nghiệm (sửa)"))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action="campaign_updated", actor=org.users["admin"])
    assert row(event) == (*by(org, "admin"), org.units["province"], "campaign", str(campaign.pk), "", "")
    # What changed, compared with what was stored: the outline, posted as it was, is not listed.
    assert "title" in event.detail["fields"] and "outline" not in event.detail["fields"]


@pytest.mark.django_db
def test_the_admin_cannot_replace_the_outline_reports_follow(org, campaign):
    accepted_report(org, campaign, "officer_a", org.actor("head_a"), REQUIRED_ENTERPRISE)
    other = campaign_services.outline_create(by=None, code="DC-KHAC", title="Đề cương khác", rows=outline_181.ITEMS)
    url = f"/admin/awards/campaign/{campaign.pk}/change/"
    response = org.client("admin").post(url, campaign_form(org, other))
    assert response.status_code == 200
    assert "Đã có báo cáo theo đề cương của đợt này" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.outline_id != other.pk and not AuditEvent.objects.filter(action="campaign_updated").exists()


@pytest.mark.django_db
def test_offering_tiers_in_a_campaign_is_audited(org, campaign):
    tiers = standard_tiers(police=org.units["police"], home_affairs=org.units["home"],
                           province=org.units["province"], ministry=org.units["ministry"])  # fmt: skip
    nomination_services.campaign_offer(by=org.actor("admin"), campaign=campaign, award_types=tiers)
    event = AuditEvent.objects.get(action="campaign_updated", actor=org.users["admin"])
    assert row(event) == (*by(org, "admin"), org.units["police"], "campaign", str(campaign.pk), "", "")
    assert event.detail == {"award_types": ["BK-BCA", "BK-UBND", "GK-CAT"]}


@pytest.mark.django_db
def test_copying_an_outline_in_the_admin_is_audited(org, campaign):
    response = org.client("admin").post(
        "/admin/awards/reportoutline/", {"action": "copy_outline", "_selected_action": [campaign.outline.pk]}
    )
    assert response.status_code == 302
    copy = ReportOutline.objects.get(code=campaign.outline.code, based_on=campaign.outline)
    event = AuditEvent.objects.get(action="outline_created", object_id=str(copy.pk))
    assert row(event) == (*by(org, "admin"), org.units["police"], "reportoutline", str(copy.pk), "", "")


@pytest.mark.django_db
def test_changing_an_outline_item_is_audited(org):
    outline = campaign_services.outline_create(by=None, code="DC-MOI", title="Đề cương mới", rows=outline_181.ITEMS)
    item = outline.items.order_by("position").first()
    campaign_services.outline_item_update(by=org.actor("admin"), item=item, text="Đánh giá chung về phong trào")
    event = AuditEvent.objects.get(action="outline_item_updated", object_id=str(item.pk))
    assert row(event) == (*by(org, "admin"), org.units["police"], "outlineitem", str(item.pk), "", "")
    assert event.detail == {"fields": ["text"]}


def legal_basis_form(**changes) -> dict:
    data = {
        "number": "25/KH-UBND", "doc_type": "Kế hoạch", "issued_on": "10/02/2025", "issuer": "Ủy ban nhân dân tỉnh Thử",
        "title": "Kế hoạch tổ chức phong trào thi đua năm 2025", "in_force_from": "10/02/2025", "in_force_to": "",
        "scope": "campaign", "slot": "plan", "amends": "", "replaced_by": "", "source": "",
    }  # fmt: skip
    data.update(changes)
    return data


@pytest.mark.django_db
def test_adding_and_changing_a_legal_basis_in_the_admin_is_audited(org):
    admin = org.client("admin")
    response = admin.post("/admin/awards/legalbasis/add/", legal_basis_form())
    assert response.status_code == 302, response.content.decode()[:3000]
    basis = LegalBasis.objects.get(number="25/KH-UBND")
    created = AuditEvent.objects.get(action="legal_basis_created", object_id=str(basis.pk))
    assert row(created) == (*by(org, "admin"), org.units["police"], "legalbasis", str(basis.pk), "", "")
    response = admin.post(f"/admin/awards/legalbasis/{basis.pk}/change/",
                          legal_basis_form(title="Kế hoạch thi đua năm 2025 (sửa)"))  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    updated = AuditEvent.objects.get(action="legal_basis_updated", object_id=str(basis.pk))
    assert row(updated) == (*by(org, "admin"), org.units["police"], "legalbasis", str(basis.pk), "", "")
    assert AuditEvent.objects.filter(object_type="legalbasis", object_id=str(basis.pk)).count() == 2


@pytest.mark.django_db
def test_recording_and_changing_a_units_lineage_in_the_admin_is_audited(org):
    old, new = org.units["other_district"], org.units["district"]
    form = {"predecessor": old.pk, "successor": new.pk, "kind": "merged", "effective_on": "01/07/2025",
            "note": "Nghị quyết số 1/NQ-HĐND"}  # fmt: skip
    admin = org.client("admin")
    response = admin.post("/admin/awards/unitlineage/add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    link = UnitLineage.objects.get(predecessor=old)
    recorded = AuditEvent.objects.get(action="lineage_recorded", object_id=str(link.pk))
    assert row(recorded) == (*by(org, "admin"), old, "unitlineage", str(link.pk), "", "")
    response = admin.post(f"/admin/awards/unitlineage/{link.pk}/change/", {**form, "note": "Nghị quyết số 2/NQ-HĐND"})
    assert response.status_code == 302, response.content.decode()[:3000]
    updated = AuditEvent.objects.get(action="lineage_updated", object_id=str(link.pk))
    assert row(updated) == (*by(org, "admin"), old, "unitlineage", str(link.pk), "", "")


@pytest.mark.django_db
def test_changing_a_membership_is_audited_with_what_changed(org):
    membership = org.memberships["officer_b"]
    services.membership_update(by=org.actor("admin"), membership=membership, title="Phó Trưởng phòng Tổ chức")
    event = AuditEvent.objects.get(action="membership_changed", object_id=str(membership.pk))
    assert row(event) == (*by(org, "admin"), org.units["b"], "membership", str(membership.pk), "", "")
    assert event.detail == {"title": ["", "Phó Trưởng phòng Tổ chức"]}


@pytest.mark.django_db
def test_changing_a_membership_in_the_admin_is_audited(org):
    membership = org.memberships["officer_b"]
    response = org.client("admin").post(f"/admin/awards/membership/{membership.pk}/change/", {
        "role": membership.role, "title": "Phó Trưởng phòng Tổ chức",
        "valid_from": membership.valid_from.strftime("%d/%m/%Y") if membership.valid_from else "",
        "valid_to": "", "is_active": "on",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    membership.refresh_from_db()
    assert membership.title == "Phó Trưởng phòng Tổ chức"  # the change is saved…
    event = AuditEvent.objects.get(action="membership_changed", object_id=str(membership.pk))  # …and audited
    assert row(event) == (*by(org, "admin"), org.units["b"], "membership", str(membership.pk), "", "")
    assert set(event.detail) == {"title"}


@pytest.mark.django_db
def test_ending_a_membership_is_audited(org):
    membership = org.memberships["officer_b"]
    services.membership_end(by=org.actor("admin"), membership=membership, last_day=timezone.localdate())
    event = AuditEvent.objects.get(action="membership_ended", object_id=str(membership.pk))
    assert row(event) == (*by(org, "admin"), org.units["b"], "membership", str(membership.pk), "", "ended")


@pytest.mark.django_db
def test_changing_a_user_in_the_admin_is_audited(org):
    user, membership = org.users["officer_b"], org.memberships["officer_b"]
    response = org.client("admin").post(
        f"/admin/awards/user/{user.pk}/change/",
        {
            "username": user.username, "full_name": "Hoàng Thị Bích Ngọc", "email": user.email, "is_active": "on",
            "is_staff": "", "last_login_0": "", "last_login_1": "", "date_joined_0": "01/01/2024",
            "date_joined_1": "08:00:00", "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "1",
            "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "0",
            "memberships-0-id": membership.pk, "memberships-0-user": user.pk,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="user_changed", object_id=str(user.pk))
    assert row(event) == (*by(org, "admin"), org.units["police"], "user", str(user.pk), "", "")
    assert "full_name" in event.detail["fields"]


@pytest.mark.django_db
def test_handing_a_prepared_nomination_to_the_head_is_audited(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    nomination_services.nomination_prepared(by=org.actor("officer_a"), nomination=nomination)
    event = AuditEvent.objects.get(action="nomination_handed", object_id=str(nomination.pk))
    assert row(event) == (*by(org, "officer_a"), org.units["a"], "nomination", str(nomination.pk),
                          NominationStatus.DRAFT, NominationStatus.DRAFT)  # fmt: skip
    assert event.detail == {"step": Step.PREPARE, "next": Step.SUBMIT}


@pytest.mark.django_db
def test_sending_a_dossier_up_is_audited(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    dossier = send(org, campaign, tiers["director"], [nomination])
    event = AuditEvent.objects.get(action="dossier_submitted", object_id=str(dossier.pk))
    assert row(event) == (*by(org, "head_a"), org.units["a"], "dossier", str(dossier.pk), "", "")
    assert event.detail["nominations"] == [nomination.pk]


@pytest.mark.django_db
def test_returning_a_nomination_is_audited_with_both_states(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    nomination_services.nomination_act(by=org.actor("police"), nomination=nomination, step=Step.POLICE_APPRAISAL,
                                       outcome=Outcome.RETURNED, comment="Bổ sung minh chứng")  # fmt: skip
    event = AuditEvent.objects.get(action="nomination_returned", object_id=str(nomination.pk))
    assert row(event) == (*by(org, "police"), org.units["a"], "nomination", str(nomination.pk),
                          NominationStatus.IN_REVIEW, NominationStatus.RETURNED)  # fmt: skip
    assert event.detail == {"step": Step.POLICE_APPRAISAL, "next": Step.PREPARE}


@pytest.mark.django_db
def test_lifting_a_block_is_audited(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    officer = org.actor("officer_a")
    nomination_services.nomination_block(by=officer, nomination=nomination, reason="investigation",
                                         until=dt.date(2099, 12, 31))  # fmt: skip
    nomination_services.nomination_block(by=officer, nomination=nomination, reason="", until=None,
                                         note="Kết luận: không vi phạm")  # fmt: skip
    event = AuditEvent.objects.get(action="nomination_unblocked", object_id=str(nomination.pk))
    assert row(event) == (*by(org, "officer_a"), org.units["a"], "nomination", str(nomination.pk), "", "")
    assert event.detail == {"reason": "investigation", "until": "2099-12-31", "recorded_by_unit": org.units["a"].pk,
                            "why": "Kết luận: không vi phạm"}  # fmt: skip


@pytest.mark.django_db
def test_sending_nominations_on_with_a_to_trinh_is_audited(org, world):
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["director"])
    send(org, campaign, tiers["director"], [nomination])
    handoff = appraise(org, nomination)
    event = AuditEvent.objects.get(action="handoff_sent", object_id=str(handoff.pk))
    assert row(event) == (*by(org, "police"), org.units["police"], "handoff", str(handoff.pk), "", "")
    assert event.detail == {"nominations": [nomination.pk]}
    assert refreshed(nomination).step == Step.DIRECTOR_APPROVAL


@pytest.mark.django_db
def test_drafting_a_decision_is_audited(org, world, media):
    campaign, tiers = world
    person = awaiting(org, campaign, tiers["director"])
    decision = decision_services.decision_draft(by=org.actor("director"), campaign=campaign,
                                                 award_type=tiers["director"], nominations=[person])  # fmt: skip
    event = AuditEvent.objects.get(action="decision_drafted", object_id=str(decision.pk))
    assert row(event) == (*by(org, "director"), org.units["police"], "decision", str(decision.pk), "", "")
    assert event.detail == {"nominations": [person.pk]}


def issued_decision(org, world):
    campaign, tiers = world
    person = awaiting(org, campaign, tiers["director"])
    director = org.actor("director")
    decision = decision_services.decision_draft(by=director, campaign=campaign, award_type=tiers["director"],
                                                nominations=[person])  # fmt: skip
    decision_services.decision_issue(by=director, decision=decision, number=4, date=timezone.localdate(), scan=scan())
    return decision, decision.items.get()


@pytest.mark.django_db
def test_drafting_a_revocation_is_audited(org, world, media):
    decision, item = issued_decision(org, world)
    revocation = decision_services.decision_revoke(by=org.actor("director"), decision=decision, items=[item],
                                                   reason="Vi phạm kỷ luật sau khi khen")  # fmt: skip
    assert revocation.status == DecisionStatus.DRAFT and revocation.refers_to == decision
    event = AuditEvent.objects.get(action="decision_revocation_drafted", object_id=str(revocation.pk))
    assert row(event) == (*by(org, "director"), org.units["police"], "decision", str(revocation.pk), "", "")
    assert event.detail["refers_to"] == decision.pk and event.detail["nominations"] == [item.nomination_id]


@pytest.mark.django_db
def test_drafting_a_correction_is_audited(org, world, media):
    decision, item = issued_decision(org, world)
    correction = decision_services.decision_correct(
        by=org.actor("director"), decision=decision, reason="Sai chính tả họ tên",
        corrections={item.pk: ("Nguyễn Văn Ân", "Trưởng phòng", "Công ty An Bình")},
    )  # fmt: skip
    assert correction.status == DecisionStatus.DRAFT and correction.refers_to == decision
    event = AuditEvent.objects.get(action="decision_correction_drafted", object_id=str(correction.pk))
    assert row(event) == (*by(org, "director"), org.units["police"], "decision", str(correction.pk), "", "")
    assert event.detail["refers_to"] == decision.pk
    assert event.detail["items"] == {str(item.nomination_id): ["name"]}
