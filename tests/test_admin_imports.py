"""The administrator's imports of units and of accounts with their memberships: the template, the preview (each bad
input beside its cell, what a row changes), the confirmation through the services, idempotency (the same file twice
changes nothing and writes no audit row), the set-password e-mail (once per new account, after the commit), CSV in
every encoding an office has, and who may do it."""

import codecs
import io
import re
import unicodedata

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from awards.imports.legacy import Legacy, encode
from awards.models import AdminImport, AuditEvent, Membership, Role, RowAction, Unit, User
from awards.services import admin_imports as svc
from awards.services import org as org_services

pytestmark = pytest.mark.django_db

UNIT_HEADERS = [c.title for c in svc.UNIT_COLUMNS]
ACCOUNT_HEADERS = [c.title for c in svc.ACCOUNT_COLUMNS]
# code, name, short name, kind, parent, governing body, valid from, valid to, e-mail, place, executing office, recipients
XA_A = ["XA-A", "Ủy ban nhân dân xã Phú An", "UBND xã Phú An", "Commune-level People's Committee / security council",
        "HUYEN-M", "", "01/07/2025", "", "xaa@tdkt.example", "", "", ""]  # fmt: skip
HUYEN_M = ["HUYEN-M", "Ủy ban nhân dân huyện Mới", "", "District-level People's Committee", "UBND-T", "",
           "01/01/2020", "30/06/2025", "", "", "", "- Như Điều 3;\n- Lưu: VT."]  # fmt: skip
# user name, full name, e-mail, unit code, role, title, valid from, valid to
LAN = ["lan.nt", "Nguyễn Thị Lan", "lan@tdkt.example", "DN-A", "Unit officer", "Chuyên viên", "", ""]
LAN_HEAD = ["lan.nt", "Nguyễn Thị Lan", "lan@tdkt.example", "SGD-B", "Unit head", "Giám đốc", "01/01/2025", ""]
MINH = ["minh.lv", "Lê Văn Minh", "minh@tdkt.example", "CA-T", "Police reviewer", "Cán bộ", "", ""]


def workbook(rows, headers) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_cp1258(text: str) -> str:
    """Windows-1258 has the letters with their letter marks (â, ơ, ă…) but writes tones as combining marks."""
    out = []
    for char in text:
        try:
            char.encode("cp1258")
            out.append(char)
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            tones = "".join(p for p in parts if p in "\u0300\u0301\u0303\u0309\u0323")
            out.append(unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones)) + tones)
    return "".join(out)


def csv_bytes(rows, headers, *, separator=",", encoding="utf-8", bom=False) -> bytes:
    lines = [
        separator.join(f'"{v}"' if ("\n" in v or separator in v) else v for v in line) for line in [headers, *rows]
    ]
    text = "\r\n".join(lines)
    data = (to_cp1258(text) if encoding == "cp1258" else text).encode(encoding)
    return (codecs.BOM_UTF8 + data) if bom else data


def preview(org, kind, data: bytes, name="danh-sach.xlsx", persona="admin") -> AdminImport:
    return svc.import_preview(by=org.actor(persona), kind=kind, uploaded_file=SimpleUploadedFile(name, data))


def rows_of(imp: AdminImport) -> dict[int, object]:
    return {row.number: row for row in imp.rows.order_by("position")}


def problems(row) -> list[str]:
    found = [m for cell in row.cells.values() for m in cell.get("e", [])]
    return found + [m for messages in row.problems.values() for m in messages] + list(row.errors)


def confirm(org, imp, capture=None):
    if capture is None:
        return svc.import_confirm(by=org.actor("admin"), admin_import=imp)
    with capture(execute=True):
        return svc.import_confirm(by=org.actor("admin"), admin_import=imp)


# The template --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "headers"), [("units", UNIT_HEADERS), ("accounts", ACCOUNT_HEADERS)])
def test_the_template_has_the_columns_instructions_and_lists(org, kind, headers):
    response = org.client("admin").get(reverse("admin_template", args=[kind]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    data, guide = book.worksheets[0], book.worksheets[1]
    titles = [c.value.removesuffix(" (*)") for c in next(data.iter_rows(max_row=1))]
    assert titles == headers
    assert guide["A1"].value.startswith("Hướng dẫn")
    assert any("mật khẩu" in (c.value or "") for c in guide["A"]) == (kind == "accounts")
    lists = book.worksheets[2]
    assert lists.sheet_state == "hidden" and lists["A1"].value  # the kinds' or roles' Vietnamese labels


# Units ----------------------------------------------------------------------------------------------------------


def test_units_preview_then_confirm_parent_first_and_audited(org):
    # The child comes first in the file; its parent is a unit created by a later row.
    imp = preview(org, "units", workbook([XA_A, HUYEN_M], UNIT_HEADERS))
    assert not Unit.objects.filter(code__in=["XA-A", "HUYEN-M"]).exists()  # nothing saved before confirming
    assert (imp.rows_create, imp.rows_error) == (2, 0)
    page = org.client("admin").get(reverse("admin_import_detail", args=[imp.pk])).content.decode()
    assert 'data-testid="import-confirm"' in page and page.count('data-action="create"') == 2
    events = AuditEvent.objects.count()
    done = confirm(org, imp)
    assert done.status == "done"
    district, commune = Unit.objects.get(code="HUYEN-M"), Unit.objects.get(code="XA-A")
    assert commune.parent == district and district.parent == org.units["province"]
    assert commune.kind == "commune_committee" and commune.email == "xaa@tdkt.example"
    assert district.recipients == "- Như Điều 3;\n- Lưu: VT." and str(district.valid_to) == "2025-06-30"
    created = AuditEvent.objects.filter(action="unit_created").order_by("pk")
    assert [e.object_id for e in created.filter(detail__import=imp.pk)] == [str(district.pk), str(commune.pk)]
    summary = AuditEvent.objects.get(action="units_imported")
    assert summary.detail["sha256"] == imp.sha256 and summary.detail["created"] == 2
    assert AuditEvent.objects.count() == events + 3


def test_the_same_file_twice_changes_nothing_and_writes_no_audit_row(org):
    data = workbook([XA_A, HUYEN_M], UNIT_HEADERS)
    confirm(org, preview(org, "units", data))
    events = AuditEvent.objects.count()
    again = preview(org, "units", data)
    assert (again.rows_unchanged, again.rows_to_apply) == (2, 0)
    assert {row.action for row in again.rows.all()} == {RowAction.UNCHANGED}
    page = org.client("admin").get(reverse("admin_import_detail", args=[again.pk])).content.decode()
    assert 'data-testid="import-confirm"' not in page and "Không có gì thay đổi" in page
    with pytest.raises(ValidationError):
        confirm(org, again)
    assert AuditEvent.objects.count() == events
    assert Unit.objects.filter(code__in=["XA-A", "HUYEN-M"]).count() == 2


def test_a_changed_row_shows_what_changes_and_only_that_is_written(org):
    confirm(org, preview(org, "units", workbook([XA_A, HUYEN_M], UNIT_HEADERS)))
    renamed = [*XA_A]
    renamed[1], renamed[8] = "Ủy ban nhân dân xã Phú An Mới", "moi@tdkt.example"
    imp = preview(org, "units", workbook([renamed, HUYEN_M], UNIT_HEADERS))
    assert (imp.rows_update, imp.rows_unchanged) == (1, 1)
    row = rows_of(imp)[2]
    assert row.changes == {"name": ["Ủy ban nhân dân xã Phú An", "Ủy ban nhân dân xã Phú An Mới"],
                           "email": ["xaa@tdkt.example", "moi@tdkt.example"]}  # fmt: skip
    page = org.client("admin").get(reverse("admin_import_detail", args=[imp.pk])).content.decode()
    assert '<del class="muted" data-testid="was">xaa@tdkt.example</del>' in page
    confirm(org, imp)
    event = AuditEvent.objects.get(action="unit_updated", detail__import=imp.pk)
    assert set(event.detail) == {"name", "email", "import"}


def test_a_column_absent_from_the_file_is_left_alone(org):
    confirm(org, preview(org, "units", workbook([XA_A, HUYEN_M], UNIT_HEADERS)))
    keep = [0, 1, 3]  # code, name, kind: nothing about e-mails or parents
    imp = preview(
        org, "units", workbook([[r[i] for i in keep] for r in (XA_A, HUYEN_M)], [UNIT_HEADERS[i] for i in keep])
    )
    assert imp.rows_unchanged == 2


def test_a_file_that_is_not_the_template_names_the_missing_columns(org):
    with pytest.raises(ValidationError) as refused:
        preview(org, "units", workbook([["XA-A", "x"]], ["Mã đơn vị", "Ghi chú"]))
    assert refused.value.code == "not_template"
    assert "“Tên đơn vị”" in refused.value.messages[0] and "“Loại đơn vị”" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        preview(org, "accounts", workbook([LAN], UNIT_HEADERS))
    assert "“Tên đăng nhập”" in refused.value.messages[0]


def test_extra_and_reordered_columns_are_matched_by_header(org):
    headers = ["Ghi chú", "loai don vi", "TÊN ĐƠN VỊ (*)", "Mã", "Đơn vị cấp trên"]
    imp = preview(
        org,
        "units",
        workbook(
            [["thêm", "ubnd cap xa / hoi dong antt cap xa", "Ủy ban nhân dân xã Bình", "xa-b", "UBND-H"]], headers
        ),
    )
    [row] = imp.rows.all()
    assert row.action == RowAction.CREATE, problems(row)
    assert row.data == {"kind": "commune_committee", "name": "Ủy ban nhân dân xã Bình", "code": "XA-B",
                        "parent": "UBND-H"}  # fmt: skip
    assert imp.ignored_columns == ["Ghi chú"]


def test_unknown_kind_unknown_parent_invalid_dates_and_duplicate_codes(org):
    bad_kind = [*XA_A]
    bad_kind[0], bad_kind[3] = "XA-K", "Hợp tác xã"
    orphan = [*XA_A]
    orphan[0], orphan[4] = "XA-O", "KHONG-CO"
    bad_date = [*XA_A]
    bad_date[0], bad_date[6] = "XA-D", "31/02/2025"
    backwards = [*XA_A]
    backwards[0], backwards[6], backwards[7] = "XA-R", "01/07/2025", "30/06/2025"
    twice = [*XA_A]
    twice[1] = "Trùng mã"
    imp = preview(org, "units", workbook([bad_kind, orphan, bad_date, backwards, XA_A, twice, HUYEN_M], UNIT_HEADERS))
    rows = rows_of(imp)
    assert rows[2].cells["kind"]["e"] == [
        "Loại đơn vị không có trong danh sách: chọn một loại trong danh sách của tệp mẫu."
    ]
    assert rows[3].problems["parent"] == ["Không có đơn vị nào mang mã KHONG-CO, trong hệ thống hay trong tệp này."]
    assert "31/02/2025 không phải là ngày có thật" in rows[4].cells["valid_from"]["e"][0]
    assert rows[5].cells["valid_to"]["e"] == ["Ngày kết thúc không được trước ngày bắt đầu."]
    assert rows[6].problems["code"] == ["Mã XA-A cũng có ở dòng 7 của tệp này."]
    assert rows[7].problems["code"] == ["Mã XA-A cũng có ở dòng 6 của tệp này."]
    assert [r.action for r in rows.values()] == [RowAction.ERROR] * 6 + [RowAction.CREATE]
    page = org.client("admin").get(reverse("admin_import_detail", args=[imp.pk]) + "?show=problems").content.decode()
    assert "KHONG-CO" in page and page.count('data-action="error"') == 6
    confirm(org, imp)  # the valid row alone
    assert list(Unit.objects.filter(code__startswith="XA-").values_list("code", flat=True)) == []
    assert Unit.objects.filter(code="HUYEN-M").exists()


def test_a_row_naming_a_row_with_errors_waits_for_it(org):
    broken = [*HUYEN_M]
    broken[3] = "?"
    imp = preview(org, "units", workbook([XA_A, broken], UNIT_HEADERS))
    rows = rows_of(imp)
    assert rows[2].errors == ["Dòng này ghi đơn vị ở dòng 3, dòng đó có lỗi: hãy sửa dòng đó trước."]
    assert imp.rows_to_apply == 0


def test_a_cycle_is_refused_naming_the_units(org):
    a = ["VONG-A", "Đơn vị A", "", "Enterprise", "VONG-B", "", "", "", "", "", "", ""]
    b = ["VONG-B", "Đơn vị B", "", "Enterprise", "VONG-A", "", "", "", "", "", "", ""]
    imp = preview(org, "units", workbook([a, b], UNIT_HEADERS))
    rows = rows_of(imp)
    assert rows[2].problems["parent"] == ["Các đơn vị này sẽ nằm dưới nhau thành vòng tròn: VONG-A → VONG-B → VONG-A."]
    assert rows[3].action == RowAction.ERROR
    # with a stored unit: the province under one of its own sub-units
    province = ["UBND-T", "Ủy ban nhân dân tỉnh Thử", "", "Provincial People's Committee", "UBND-H-X", "", "", "",
                "", "", "Chánh Văn phòng Ủy ban nhân dân tỉnh", ""]  # fmt: skip
    [row] = preview(org, "units", workbook([province], UNIT_HEADERS)).rows.all()
    assert row.problems["parent"] == [
        "Các đơn vị này sẽ nằm dưới nhau thành vòng tròn: UBND-T → UBND-H-X → UBND-H → UBND-T."
    ]
    self_parent = ["TU-THAN", "Đơn vị", "", "Enterprise", "TU-THAN", "", "", "", "", "", "", ""]
    [row] = preview(org, "units", workbook([self_parent], UNIT_HEADERS)).rows.all()
    assert row.problems["parent"] == ["Không thể đặt một đơn vị trực thuộc chính nó hoặc đơn vị cấp dưới của nó."]


def test_rows_naming_each_other_as_governing_body_are_refused_naming_the_rows(org):
    a = ["CQ-A", "Cơ quan A", "", "Department", "UBND-T", "CQ-B", "", "", "", "", "", ""]
    b = ["CQ-B", "Cơ quan B", "", "Department", "UBND-T", "CQ-A", "", "", "", "", "", ""]
    rows = rows_of(preview(org, "units", workbook([a, b], UNIT_HEADERS)))
    assert rows[2].errors == [
        "Các dòng 2, 3 ghi lẫn nhau là đơn vị cấp trên hoặc cơ quan chủ quản thành vòng tròn: hãy tạo một đơn vị "
        "trước, rồi mới đến các đơn vị kia."
    ]


def test_a_preview_outdated_by_another_change_is_shown_again_before_anything_is_written(org):
    imp = preview(org, "units", workbook([XA_A, HUYEN_M], UNIT_HEADERS))
    org_services.unit_create(by=None, code="HUYEN-M", name="Huyện Mới (đã tạo)", kind="district_committee")
    with pytest.raises(svc.StalePreview):
        confirm(org, imp)
    assert not Unit.objects.filter(code="XA-A").exists()
    row = rows_of(imp)[3]
    assert row.action == RowAction.UPDATE and row.changes["name"][0] == "Huyện Mới (đã tạo)"
    imp.refresh_from_db()
    assert imp.rows_update == 1
    confirm(org, imp)
    assert Unit.objects.get(code="XA-A").parent.name == "Ủy ban nhân dân huyện Mới"


# Accounts -------------------------------------------------------------------------------------------------------


def test_new_accounts_get_one_set_password_email_each_after_the_commit(org, django_capture_on_commit_callbacks):
    imp = preview(org, "accounts", workbook([LAN, LAN_HEAD, MINH], ACCOUNT_HEADERS))
    assert (imp.rows_create, imp.rows_error) == (3, 0), [problems(r) for r in imp.rows.all()]
    assert not User.objects.filter(username="lan.nt").exists()
    with django_capture_on_commit_callbacks() as callbacks:
        confirm(org, imp)
    assert mail.outbox == [] and callbacks  # nothing is e-mailed before the commit
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["lan@tdkt.example", "minh@tdkt.example"]
    summary = AuditEvent.objects.get(action="accounts_imported")
    assert summary.detail["accounts_created"] == 2 and summary.detail["roles_granted"] == 3
    lan = User.objects.get(username="lan.nt")
    assert not lan.has_usable_password() and lan.full_name == "Nguyễn Thị Lan"
    assert set(Membership.objects.filter(user=lan).values_list("unit__code", "role", "title")) == {
        ("DN-A", Role.UNIT_OFFICER, "Chuyên viên"), ("SGD-B", Role.UNIT_HEAD, "Giám đốc")}  # fmt: skip
    message = next(m for m in mail.outbox if m.to == ["lan@tdkt.example"])
    assert "lan.nt" in message.body and "mật khẩu" in message.subject.lower()
    assert "Mat-khau" not in message.body  # no password anywhere: a link to choose one
    # The link opens Django's own page to choose a password, once.
    client = Client()
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/reset/\S+/)", message.body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": "Mat-khau-moi-2025!", "new_password2": "Mat-khau-moi-2025!"})
    assert response["Location"] == "/accounts/reset/done/"
    assert (
        Client().post("/accounts/login/", {"username": "lan.nt", "password": "Mat-khau-moi-2025!"}).status_code == 302
    )
    # The same file again: nothing changes, nobody is e-mailed again, no audit row.
    events = AuditEvent.objects.count()
    again = preview(org, "accounts", workbook([LAN, LAN_HEAD, MINH], ACCOUNT_HEADERS))
    assert again.rows_unchanged == 3
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        confirm(org, again)
    assert len(mail.outbox) == 2 and AuditEvent.objects.count() == events


def test_the_set_password_link_works_once(org, django_capture_on_commit_callbacks):
    confirm(org, preview(org, "accounts", workbook([MINH], ACCOUNT_HEADERS)), django_capture_on_commit_callbacks)
    [message] = mail.outbox
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/reset/\S+/)", message.body).group(1)
    client = Client()
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": "Mat-khau-moi-2025!", "new_password2": "Mat-khau-moi-2025!"})
    page = Client().get(link, follow=True).content.decode()
    assert "không hợp lệ" in page or "đã được sử dụng" in page


def test_an_existing_account_is_updated_and_gets_no_email(org, django_capture_on_commit_callbacks):
    officer = ["officer_a", "Người dùng officer_a (mới)", org.users["officer_a"].email, "DN-A", "Unit officer",
               "Chuyên viên chính", "", ""]  # fmt: skip
    imp = preview(org, "accounts", workbook([officer], ACCOUNT_HEADERS))
    [row] = imp.rows.all()
    assert row.action == RowAction.UPDATE
    assert row.changes == {"full_name": ["Người dùng officer_a", "Người dùng officer_a (mới)"],
                           "title": ["", "Chuyên viên chính"]}  # fmt: skip
    confirm(org, imp, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    org.memberships["officer_a"].refresh_from_db()
    assert org.memberships["officer_a"].title == "Chuyên viên chính"
    assert AuditEvent.objects.get(action="user_changed", detail__import=imp.pk).detail["fields"] == ["full_name"]
    assert AuditEvent.objects.filter(action="membership_changed", detail__import=imp.pk).count() == 1


def test_bad_account_rows(org):
    unknown_role = ["a.1", "Người Một", "a1@tdkt.example", "DN-A", "Thủ quỹ", "", "", ""]
    wrong_kind = ["a.2", "Người Hai", "a2@tdkt.example", "DN-A", "Police director", "", "", ""]
    unknown_unit = ["a.3", "Người Ba", "a3@tdkt.example", "KHONG-CO", "Unit officer", "", "", ""]
    no_email = ["a.4", "Người Bốn", "", "DN-A", "Unit officer", "", "", ""]
    administrator = ["a.5", "Người Năm", "a5@tdkt.example", "CA-T", "System administrator", "", "", ""]
    bad_name = ["a 6", "Người Sáu", "a6@tdkt.example", "", "", "", "", ""]
    half = ["a.7", "Người Bảy", "a7@tdkt.example", "DN-A", "", "", "", ""]
    twice = ["a.8", "Người Tám", "a8@tdkt.example", "DN-A", "Unit officer", "", "", ""]
    other_name = ["a.8", "Người Tám Khác", "a8@tdkt.example", "SGD-B", "Unit officer", "", "", ""]
    clash = ["OFFICER_A", "Trùng", "x@tdkt.example", "", "", "", "", ""]
    bad_date = ["a.9", "Người Chín", "a9@tdkt.example", "DN-A", "Unit officer", "", "2025-13-01", ""]
    imp = preview(org, "accounts", workbook(
        [unknown_role, wrong_kind, unknown_unit, no_email, administrator, bad_name, half, twice, twice, other_name,
         clash, bad_date], ACCOUNT_HEADERS))  # fmt: skip
    rows = rows_of(imp)
    assert rows[2].cells["role"]["e"] == [
        "Vai trò không có trong danh sách: chọn một vai trò trong danh sách của tệp mẫu."
    ]
    assert rows[3].problems["role"] == ["Vai trò “Lãnh đạo Công an tỉnh” không thể thuộc đơn vị loại “Doanh nghiệp”."]
    assert rows[4].problems["unit"] == ["Không có đơn vị nào mang mã KHONG-CO."]
    assert rows[5].problems["email"] == [
        "Tài khoản mới cần địa chỉ thư điện tử: người dùng đặt mật khẩu qua địa chỉ này."
    ]
    assert "từng người" in rows[6].problems["role"][0]
    assert rows[7].cells["username"]["e"]
    assert rows[8].cells["role"]["e"] == [
        "Ghi cả mã đơn vị và vai trò, hoặc để trống cả hai (tài khoản chưa có vai trò)."
    ]
    assert rows[9].errors == ["Vai trò này ở đơn vị này cũng có ở dòng 10 của tệp này."]
    assert rows[11].problems["full_name"] == [
        "Dòng 9 ghi tài khoản này với giá trị khác: mỗi tài khoản có một họ tên và một địa chỉ thư điện tử."
    ]
    assert "officer_a" in rows[12].problems["username"][0]
    assert rows[13].cells["valid_from"]["e"]
    assert imp.rows_to_apply == 0 and imp.rows_error == 12


# CSV ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("separator", "encoding", "bom", "label"),
    [(",", "utf-8", True, "UTF-8"), (";", "utf-8", False, "UTF-8"), ("\t", "utf-16", False, "UTF-16"),
     (",", "cp1258", False, "Windows-1258")],
)  # fmt: skip
def test_csv_in_utf8_with_or_without_bom_utf16_and_windows_1258(org, separator, encoding, bom, label):
    data = csv_bytes([XA_A, HUYEN_M], UNIT_HEADERS, separator=separator, encoding=encoding, bom=bom)
    imp = preview(org, "units", data, name="don-vi.csv")
    assert imp.encoding == label and imp.file_format == "csv" and imp.encoding_recognised
    rows = rows_of(imp)
    assert (
        rows[2].data["name"] == "Ủy ban nhân dân xã Phú An"
        and rows[3].data["recipients"] == "- Như Điều 3;\n- Lưu: VT."
    )
    assert imp.rows_create == 2


@pytest.mark.parametrize("legacy", [Legacy.TCVN3, Legacy.VNI])
def test_csv_typed_in_legacy_encodings_is_converted_and_shown_beside_its_original(org, legacy):
    rows = [[encode(v, legacy) for v in row] for row in (UNIT_HEADERS, XA_A, HUYEN_M)]  # the header too
    text = "\r\n".join(",".join(f'"{v}"' for v in line) for line in rows)
    imp = preview(org, "units", text.encode("latin-1"), name="don-vi.csv")
    assert imp.encoding == legacy.label
    row = rows_of(imp)[2]
    # (TCVN3 has no toned capitals outside its capital fonts: "Ủy" cannot be written in it, "UBND xã" can)
    assert row.data["short_name"] == "UBND xã Phú An" and imp.rows_create == 2
    assert row.cells["short_name"]["o"] == encode("UBND xã Phú An", legacy)
    page = org.client("admin").get(reverse("admin_import_detail", args=[imp.pk])).content.decode()
    assert 'data-testid="legacy-original"' in page


def test_a_csv_file_that_is_a_workbook_or_binary_is_refused(org):
    with pytest.raises(ValidationError):
        preview(org, "units", workbook([XA_A], UNIT_HEADERS), name="don-vi.csv")
    with pytest.raises(ValidationError):
        preview(org, "units", b"\x00\x01\x02" * 100, name="don-vi.csv")
    with pytest.raises(ValidationError) as refused:
        preview(org, "units", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, name="don-vi.xls")
    assert refused.value.code == "old_format"


def test_too_many_rows_are_refused(org, monkeypatch):
    monkeypatch.setattr(svc, "MAX_ROWS", 3)
    with pytest.raises(ValidationError) as refused:
        preview(org, "units", csv_bytes([XA_A] * 4, UNIT_HEADERS), name="don-vi.csv")
    assert refused.value.code == "too_many_rows"


# Who may -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer_a", "head_a", "police", "leader", "outsider"])
def test_only_the_administrator_imports_and_exports(org, persona):
    client = org.client(persona)
    for url in (reverse("admin_io"), reverse("admin_import_start", args=["units"]),
                reverse("admin_template", args=["accounts"]), reverse("admin_export", args=["accounts"])):  # fmt: skip
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("admin_import_start", args=["units"]),
                           {"file": SimpleUploadedFile("d.xlsx", workbook([XA_A], UNIT_HEADERS))})  # fmt: skip
    assert response.status_code == 403
    imp = preview(org, "units", workbook([XA_A, HUYEN_M], UNIT_HEADERS))
    assert client.get(reverse("admin_import_detail", args=[imp.pk])).status_code == 403
    assert client.post(reverse("admin_import_confirm", args=[imp.pk])).status_code == 403
    assert not Unit.objects.filter(code="XA-A").exists()
    with pytest.raises(Exception):  # noqa: B017 — PermissionDenied from the service itself
        preview(org, "units", workbook([XA_A], UNIT_HEADERS), persona=persona)


def test_reachable_from_the_navigation_and_the_administrations_lists(org):
    client = org.client("admin")
    assert reverse("admin_io") in client.get("/").content.decode()
    for model, kind in (("unit", "units"), ("user", "accounts")):
        page = client.get(f"/admin/awards/{model}/").content.decode()
        assert reverse("admin_import_start", args=[kind]) in page and "Nhập từ Excel" in page
    assert reverse("admin_io") not in org.client("officer_a").get("/").content.decode()


def test_the_upload_page_previews_and_confirms(org):
    client = org.client("admin")
    response = client.post(reverse("admin_import_start", args=["units"]),
                           {"file": SimpleUploadedFile("don-vi.xlsx", workbook([XA_A, HUYEN_M], UNIT_HEADERS))})  # fmt: skip
    imp = AdminImport.objects.get()
    assert response["Location"] == reverse("admin_import_detail", args=[imp.pk])
    response = client.post(reverse("admin_import_confirm", args=[imp.pk]), follow=True)
    assert "Đã nhập: 2 mới, 0 thay đổi." in response.content.decode()
    assert Unit.objects.filter(code__in=["XA-A", "HUYEN-M"]).count() == 2
    response = client.post(reverse("admin_import_start", args=["units"]),
                           {"file": SimpleUploadedFile("x.xlsx", workbook([["x"]], ["Ghi chú"]))})  # fmt: skip
    assert response.status_code == 200 and "không phải là tệp mẫu" in response.content.decode()


def test_the_sweep_deletes_old_rows_and_unconfirmed_previews(org):
    import datetime as dt

    from django.utils import timezone

    done = confirm(org, preview(org, "units", workbook([XA_A, HUYEN_M], UNIT_HEADERS)))
    waiting = preview(org, "units", workbook([XA_A], UNIT_HEADERS))
    AdminImport.objects.update(created_at=timezone.now() - svc.KEEP - dt.timedelta(hours=1))
    assert svc.admin_imports_sweep() == {"rows": 3, "previews": 1}
    assert list(AdminImport.objects.values_list("pk", flat=True)) == [done.pk]
    assert not AdminImport.objects.filter(pk=waiting.pk).exists()


def test_the_administrator_sends_the_set_password_email_again(org, django_capture_on_commit_callbacks):
    confirm(org, preview(org, "accounts", workbook([MINH], ACCOUNT_HEADERS)), django_capture_on_commit_callbacks)
    minh = User.objects.get(username="minh.lv")
    with django_capture_on_commit_callbacks(execute=True):
        response = org.client("admin").post("/admin/awards/user/", {
            "action": "send_set_password_email", "_selected_action": [minh.pk, org.users["officer_a"].pk]})  # fmt: skip
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["minh@tdkt.example"], ["minh@tdkt.example"]]  # not officer_a: has one
    assert AuditEvent.objects.filter(action="set_password_link_sent", object_id=str(minh.pk)).count() == 1
