"""The administrator's imports of units and of accounts with their memberships, and their exports in the same
columns (docs/imports.md, "Units and accounts").

1. ``template_bytes``: the template of a kind (an instructions sheet, drop-down lists, typed columns).
2. ``import_preview``: an XLSX or CSV file is bounded, read row by row (``awards.imports``) and each row compared
   with what is stored, matched by the unit's code or the account's user name: a new unit or account, the changes
   to a stored one, or nothing. Every problem is kept beside its cell; nothing is written but the preview.
3. ``import_confirm``: the preview is worked out again against what is stored now (another administrator may have
   changed it meanwhile: then the fresh preview is shown, to be confirmed again); the rows are applied in one
   transaction, parents before their children, through the services of ``awards.services.org`` (each write
   audited there, carrying the import's id), and one audit row for the import (checksum, counts) when anything
   changed. A file imported twice changes nothing the second time, and writes no audit row.
4. A new account gets no password: its holder is e-mailed a link to choose one (``accounts.account_invite``), once,
   after the commit.
5. ``units_export_bytes`` / ``accounts_export_bytes``: the template filled with what is stored, so an export imported
   again shows every row unchanged.

Nothing absent from a file is ended or deleted, and a column absent from a file leaves that field alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import uploads
from ..actor import Actor
from ..audit import audit_record
from ..imports import cells as parse
from ..imports.delimited import open_csv
from ..imports.template import TemplateColumn, build_template
from ..imports.xlsx import Column, Row, open_sheet
from ..models import (
    AdminImport,
    AdminImportKind,
    AdminImportRow,
    ImportStatus,
    Membership,
    Role,
    RowAction,
    Unit,
    UnitKind,
    User,
)
from ..permissions import may_import
from ..selectors.admin_imports import accounts_for_export, memberships_by_key, units_for_export
from ..text import nfc
from . import accounts, org
from .imports import check_file as check_xlsx

MAX_ROWS = 3_000  # a province has about 1,100 units; applied in one transaction, in the request
MAX_BYTES = 5 * uploads.MB
PREVIEWS_PER_HOUR = 30
KEEP = dt.timedelta(days=7)  # then the rows (names, e-mail addresses) are deleted; the import's counts stay
TEMPLATE_ROWS = 500  # rows formatted and validated under the header (an export: its rows and these)

UNIT_COLUMNS = (
    Column("code", "Mã đơn vị", ("Mã", "Mã ĐV", "Mã số đơn vị"), required=True),
    Column("name", "Tên đơn vị", ("Tên", "Tên cơ quan, đơn vị", "Tên cơ quan"), required=True),
    Column("short_name", "Tên viết tắt", ("Tên ngắn", "Viết tắt")),
    Column("kind", "Loại đơn vị", ("Loại", "Loại hình"), required=True),
    Column("parent", "Mã đơn vị cấp trên", ("Đơn vị cấp trên", "Mã cấp trên", "Cấp trên")),
    Column("governing_body", "Mã cơ quan chủ quản", ("Cơ quan chủ quản", "Mã chủ quản")),
    Column("valid_from", "Hiệu lực từ ngày", ("Từ ngày", "Ngày thành lập")),
    Column("valid_to", "Hiệu lực đến ngày", ("Đến ngày", "Ngày giải thể")),
    Column("email", "Thư điện tử", ("Email", "E-mail", "Địa chỉ thư điện tử")),
    Column("place_name", "Địa danh", ("Địa danh ghi trên văn bản",)),
    Column("executing_office", "Người thi hành quyết định", ("Thi hành quyết định", "Cơ quan thi hành")),
    Column("recipients", "Nơi nhận", ("Nơi nhận quyết định",)),
)
ACCOUNT_COLUMNS = (
    Column("username", "Tên đăng nhập", ("Tài khoản", "Tên tài khoản", "Username"), required=True),
    Column("full_name", "Họ và tên", ("Họ tên", "Tên người dùng"), required=True),
    Column("email", "Thư điện tử", ("Email", "E-mail", "Địa chỉ thư điện tử"), required=True),
    Column("unit", "Mã đơn vị", ("Đơn vị", "Mã ĐV"), required=True),
    Column("role", "Vai trò", ("Quyền", "Vai trò trong đơn vị"), required=True),
    Column("title", "Chức vụ", ("Chức danh", "Chức vụ, chức danh")),
    Column("valid_from", "Hiệu lực từ ngày", ("Từ ngày",)),
    Column("valid_to", "Hiệu lực đến ngày", ("Đến ngày",)),
)
COLUMNS = {AdminImportKind.UNITS: UNIT_COLUMNS, AdminImportKind.ACCOUNTS: ACCOUNT_COLUMNS}
_LIMITS = {"code": 40, "name": 255, "short_name": 120, "place_name": 100, "executing_office": 255,
           "username": 150, "full_name": 150, "title": 120, "email": 254}  # fmt: skip
_DATES = ("valid_from", "valid_to")
_CODES = ("code", "parent", "governing_body", "unit")


def columns_of(kind: str) -> Sequence[Column]:
    if kind not in COLUMNS:
        raise PermissionDenied
    return COLUMNS[kind]


def _labels(choices) -> dict[str, str]:
    """value -> its label in the site's language (the file's language, like every document we write)."""
    with translation.override(settings.LANGUAGE_CODE):
        return {value: str(label) for value, label in choices.choices}


def _choice_keys(choices) -> dict[str, str]:
    """Every way a choice is written -> its value: the Vietnamese label, the English one, the stored value."""
    keys = {parse.choice_key(value): value for value in choices.values}
    for language in ("en", settings.LANGUAGE_CODE):
        with translation.override(language):
            keys.update({parse.choice_key(str(label)): value for value, label in choices.choices})
    return keys


# 1. Templates and exports ------------------------------------------------------------------------------------


def _template_columns(kind: str) -> list[TemplateColumn]:
    if kind == AdminImportKind.UNITS:
        hints = {
            "code": (
                "Mã duy nhất của đơn vị, không dấu cách (ví dụ UBND-XA-TAN-PHONG). Nhập lại tệp: đơn vị cùng mã "
                "được cập nhật, không tạo thêm."
            ),
            "kind": "Chọn trong danh sách.",
            "parent": "Mã của đơn vị cấp trên: đã có trong hệ thống hoặc ở một dòng khác của tệp này.",
            "governing_body": "Mã của cơ quan chủ quản in trên đầu văn bản (ví dụ Bộ Công an với Công an tỉnh).",
            "valid_from": "Ngày trước, tháng sau: dd/mm/yyyy.",
            "valid_to": "Để trống khi đơn vị còn hoạt động.",
            "recipients": "Mỗi nơi nhận một dòng (Alt+Enter trong Excel).",
        }
        spec = {"code": {"width": 22}, "name": {"width": 40}, "short_name": {"width": 18},
                "kind": {"choices": list(_labels(UnitKind).values()), "width": 34}, "parent": {"width": 20},
                "governing_body": {"width": 20}, "valid_from": {"kind": "date", "width": 14},
                "valid_to": {"kind": "date", "width": 14}, "email": {"width": 28}, "place_name": {"width": 16},
                "executing_office": {"width": 34}, "recipients": {"width": 40}}  # fmt: skip
    else:
        hints = {
            "username": "Chữ không dấu, số và các dấu @ . + - _. Nhập lại tệp: tài khoản cùng tên được cập nhật.",
            "email": "Bắt buộc với tài khoản mới: thư mời đặt mật khẩu được gửi đến địa chỉ này.",
            "unit": "Mã đơn vị đã có trong hệ thống.",
            "role": "Chọn trong danh sách. Một người có nhiều vai trò: mỗi vai trò một dòng.",
            "valid_from": "Ngày trước, tháng sau: dd/mm/yyyy.",
        }
        spec = {"username": {"width": 20}, "full_name": {"width": 28}, "email": {"width": 28},
                "unit": {"width": 20}, "role": {"choices": list(_labels(Role).values()), "width": 30},
                "title": {"width": 24}, "valid_from": {"kind": "date", "width": 14},
                "valid_to": {"kind": "date", "width": 14}}  # fmt: skip
    return [TemplateColumn(title=c.title, required=c.required, hint=hints.get(c.key, ""), **spec[c.key])
            for c in COLUMNS[kind]]  # fmt: skip


def _instructions(kind: str) -> list[str]:
    common_tail = [
        "Nhập lại cùng một tệp không thay đổi gì: mỗi dòng được so với dữ liệu đã có theo "
        + ("mã đơn vị" if kind == AdminImportKind.UNITS else "tên đăng nhập")
        + "; bản xem trước cho biết dòng nào là mới, dòng nào thay đổi (và thay đổi gì), dòng nào giữ nguyên.",
        "Cột không có trong tệp thì không bị thay đổi; đơn vị, tài khoản không có trong tệp giữ nguyên (tệp không "
        "xóa và không kết thúc gì).",
        f"Mỗi tệp tối đa {MAX_ROWS:,} dòng và {MAX_BYTES // uploads.MB} MB, định dạng .xlsx hoặc .csv (UTF-8; "
        "tệp CSV cũ gõ bằng TCVN3 hoặc VNI được nhận ra và chuyển sang Unicode).".replace(",", "."),
        "Tải tệp lên để xem trước: mọi lỗi hiện bên cạnh ô. Chưa có gì được lưu cho đến khi bấm “Xác nhận”.",
    ]
    if kind == AdminImportKind.UNITS:
        return [
            "Hướng dẫn nhập danh sách đơn vị",
            "1. Mỗi đơn vị một dòng trên trang “Đơn vị”, từ dòng 2. Có thể đổi thứ tự cột, thêm cột khác (cột lạ "
            "được bỏ qua). Cột có dấu (*) là bắt buộc.",
            "2. Đơn vị cấp trên và cơ quan chủ quản ghi bằng mã: mã đã có trong hệ thống, hoặc mã của một đơn vị ở "
            "dòng khác trong tệp (thứ tự dòng không quan trọng; đơn vị cấp trên được tạo trước).",
            "3. Đổi đơn vị cấp trên bằng tệp là sửa nhầm (đơn vị luôn thuộc cấp trên mới). Để ghi nhận việc chuyển "
            "đơn vị từ một ngày, dùng trang của đơn vị trong phần Quản trị hoặc một đợt sắp xếp.",
            "4. Ngày ghi theo dạng dd/mm/yyyy (ngày trước, tháng sau).",
            *(f"{n}. {line}" for n, line in enumerate(common_tail, start=5)),
        ]
    return [
        "Hướng dẫn nhập tài khoản và vai trò",
        "1. Mỗi vai trò của một người trong một đơn vị là một dòng trên trang “Tài khoản”; người có nhiều vai trò "
        "ghi nhiều dòng cùng tên đăng nhập, họ tên và thư điện tử. Cột có dấu (*) là bắt buộc; để trống cả mã đơn "
        "vị và vai trò khi chỉ tạo tài khoản.",
        "2. Tệp không chứa mật khẩu. Mỗi tài khoản mới nhận một thư điện tử có đường dẫn để tự đặt mật khẩu.",
        "3. Vai trò phải phù hợp loại đơn vị (ví dụ Giám đốc Công an tỉnh chỉ ở Công an tỉnh). Vai trò quản trị "
        "hệ thống chỉ được cấp từng người trong phần Quản trị.",
        "4. Ngày ghi theo dạng dd/mm/yyyy (ngày trước, tháng sau).",
        *(f"{n}. {line}" for n, line in enumerate(common_tail, start=5)),
    ]


SHEETS = {AdminImportKind.UNITS: "Đơn vị", AdminImportKind.ACCOUNTS: "Tài khoản"}


def template_name(kind: str, *, export: bool = False) -> str:
    words = {AdminImportKind.UNITS: "don vi", AdminImportKind.ACCOUNTS: "tai khoan"}[kind]
    if export:
        return f"Danh sách {words} - {timezone.localdate():%Y-%m-%d}.xlsx".replace("don vi", "đơn vị").replace(
            "tai khoan", "tài khoản"
        )
    return f"Mẫu nhập {words}.xlsx".replace("don vi", "đơn vị").replace("tai khoan", "tài khoản")


def _workbook(kind: str, samples: Sequence[Sequence[object]] = ()) -> bytes:
    title = {AdminImportKind.UNITS: "Mẫu nhập danh sách đơn vị", AdminImportKind.ACCOUNTS: "Mẫu nhập tài khoản"}
    return build_template(sheet=SHEETS[kind], columns=_template_columns(kind), instructions=_instructions(kind),
                          rows=len(samples) + TEMPLATE_ROWS, samples=samples, title=title[kind])  # fmt: skip


def template_bytes(*, actor: Actor, kind: str) -> bytes:
    if not may_import(actor, kind):
        raise PermissionDenied
    return _workbook(kind)


def units_export_bytes(*, actor: Actor) -> bytes:
    """Every unit in the import's columns: imported again, every row is unchanged."""
    kinds = _labels(UnitKind)
    samples = [
        [u.code, u.name, u.short_name, kinds.get(u.kind, u.kind), u.parent.code if u.parent_id else "",
         u.governing_body.code if u.governing_body_id else "", u.valid_from, u.valid_to, u.email, u.place_name,
         u.executing_office, u.recipients]
        for u in units_for_export(actor=actor)
    ]  # fmt: skip
    return _workbook(AdminImportKind.UNITS, samples)


def accounts_export_bytes(*, actor: Actor) -> bytes:
    """Every account with its own memberships, one row each, in the import's columns (no password: there is
    none to export). Acting memberships are not rows: they are granted one by one, for a period."""
    roles = _labels(Role)
    samples = [
        [user.username, user.full_name, user.email, m.unit.code if m else "", roles.get(m.role, m.role) if m else "",
         m.title if m else "", m.valid_from if m else None, m.valid_to if m else None]
        for user, m in accounts_for_export(actor=actor)
    ]  # fmt: skip
    return _workbook(AdminImportKind.ACCOUNTS, samples)


# 2. Reading a file -------------------------------------------------------------------------------------------


@dataclass
class _Read:
    rows: list[Row]
    columns: list[str]
    ignored: list[str]
    sheet: str
    file_format: str
    encoding: str = ""
    recognised: bool = True


def _read(kind: str, uploaded_file) -> tuple[_Read, bytes]:
    """The file bounded and read (XLSX: as every upload and the nominee import; CSV: its own checks)."""
    name = (uploaded_file.name or "").lower()
    if uploaded_file.size and uploaded_file.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than %(limit)s MB.") % {"limit": MAX_BYTES // uploads.MB},
                              code="too_large")  # fmt: skip
    columns = COLUMNS[kind]
    stream = getattr(uploaded_file, "file", None) or uploaded_file
    if name.endswith(".csv"):
        stream.seek(0)
        data = stream.read(MAX_BYTES + 1)
        stream.seek(0)
        if len(data) > MAX_BYTES:
            raise ValidationError(_("The file is larger than %(limit)s MB.") % {"limit": MAX_BYTES // uploads.MB},
                                  code="too_large")  # fmt: skip
        if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            raise ValidationError(_("This file is a workbook, not CSV: upload it with the extension .xlsx."),
                                  code="not_csv")  # fmt: skip
        sheet, decoded = open_csv(data, columns=columns, max_rows=MAX_ROWS)
        rows = list(sheet.rows)
        return _Read(rows, list(sheet.positions), sheet.ignored, "", "csv", decoded.label, decoded.recognised), data
    check_xlsx(uploaded_file)  # the upload checks, the old formats' messages
    stream.seek(0)
    try:
        sheet = open_sheet(stream, columns=columns, max_rows=MAX_ROWS)
        rows = list(sheet.rows)
        stream.seek(0)
        data = stream.read()
    finally:
        stream.seek(0)
    return _Read(rows, list(sheet.positions), sheet.ignored, sheet.name, "xlsx"), data


def _one_line(value: object) -> str:
    return " ".join(parse.as_text(value).split())


def _lines(value: object) -> str:
    return "\n".join(line.strip() for line in nfc(parse.as_text(value)).splitlines() if line.strip())


class _Parser:
    """One row's cells -> the values it gives (only the columns the file has) and each cell's problems."""

    def __init__(self, kind: str, present: Iterable[str]):
        self.kind, self.present = kind, set(present)
        self.unit_kinds = _choice_keys(UnitKind)
        self.roles = _choice_keys(Role)

    def parse(self, position: int, row: Row) -> AdminImportRow:
        cells: dict[str, dict] = {}
        data: dict[str, object] = {}

        def cell(key: str) -> dict:
            return cells.setdefault(key, {"v": ""})

        def error(key: str, message) -> None:
            cell(key).setdefault("e", []).append(str(message))

        cells.update((key, read.shown()) for key, read in row.cells.items())
        for column in COLUMNS[self.kind]:
            key = column.key
            if key not in self.present:
                continue
            value = row.value(key)
            if key in _DATES:
                try:
                    day = parse.parse_date(value)
                except ValidationError as problem:
                    error(key, problem.messages[0])
                    day = None
                data[key] = day.isoformat() if day else None
                if day is not None:
                    cell(key)["v"] = f"{day:%d/%m/%Y}"
                continue
            if key == "recipients":
                data[key] = _lines(value)
                continue
            text = _one_line(value)
            if key in _CODES:
                text = text.upper()
            elif key == "username":
                text = nfc(parse.as_text(value))
            if key in _LIMITS and len(text) > _LIMITS[key]:
                error(key, _("At most %(limit)d characters.") % {"limit": _LIMITS[key]})
            if key == "kind" and text:
                found = self.unit_kinds.get(parse.choice_key(text))
                if found is None:
                    error(key, _("Unknown kind of unit: choose one in the template's list."))
                text = found or ""
            elif key == "role" and text:
                found = self.roles.get(parse.choice_key(text))
                if found is None:
                    error(key, _("Unknown role: choose one in the template's list."))
                text = found or ""
            elif key == "email" and text:
                try:
                    validate_email(text)
                except ValidationError:
                    error(key, _("Enter a valid e-mail address."))
            elif key == "username" and text:
                try:
                    User._meta.get_field("username").run_validators(text)
                except ValidationError as problem:
                    error(key, " ".join(problem.messages))
            data[key] = text
        required = [c.key for c in COLUMNS[self.kind] if c.required and c.key not in ("unit", "role", "email")]
        for key in required:
            if not data.get(key) and not cells.get(key, {}).get("e"):
                error(key, _("This field is required."))
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            error("valid_to", _("The end date must not be before the start date."))
        if self.kind == AdminImportKind.ACCOUNTS and bool(data.get("unit")) != bool(data.get("role")):
            missing = "role" if data.get("unit") else "unit"
            if not cells.get(missing, {}).get("e"):
                error(missing, _("Give both the unit's code and the role, or neither (an account without a role)."))
        parsed = not any(c.get("e") for c in cells.values())
        key = data.get("code" if self.kind == AdminImportKind.UNITS else "username", "")
        return AdminImportRow(position=position, number=row.number, key=str(key)[:160], data=data, cells=cells,
                              parsed=parsed)  # fmt: skip


# 3. Comparing with what is stored ------------------------------------------------------------------------------


def _problem(row: AdminImportRow, key: str, message) -> None:
    row.problems.setdefault(key, []).append(str(message))


def _rows_text(rows: Iterable[AdminImportRow]) -> str:
    return ", ".join(str(r.number) for r in rows)


def _reset(rows: list[AdminImportRow]) -> None:
    for row in rows:
        row.action, row.changes, row.problems, row.errors, row.warnings, row.order = RowAction.ERROR, {}, {}, [], [], 0


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _shown(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _finish(rows: list[AdminImportRow]) -> None:
    for row in rows:
        if not row.parsed or row.errors or any(row.problems.values()):
            row.action = RowAction.ERROR


_UNIT_TEXT = ("name", "short_name", "place_name", "executing_office", "email")


def _unit_stored(unit: Unit, key: str):
    if key == "parent":
        return unit.parent.code if unit.parent_id else ""
    if key == "governing_body":
        return unit.governing_body.code if unit.governing_body_id else ""
    if key in _DATES:
        value = getattr(unit, key)
        return value.isoformat() if value else None
    if key == "recipients":
        return _lines(unit.recipients)
    if key in _UNIT_TEXT:
        return " ".join((getattr(unit, key) or "").split())
    return getattr(unit, key)


def plan_units(rows: list[AdminImportRow], present: Sequence[str]) -> None:
    """Each row's action, changes and problems against the stored units and the file's other rows; the order to
    apply them in (a unit after the file's units it names as parent or governing body)."""
    _reset(rows)
    kinds = _labels(UnitKind)
    by_code: dict[str, list[AdminImportRow]] = {}
    for row in rows:
        if row.data.get("code"):
            by_code.setdefault(row.data["code"], []).append(row)
    for code, same in by_code.items():
        if len(same) > 1:
            for row in same:
                _problem(row, "code", _("The code %(code)s is also on row %(rows)s of this file.")
                         % {"code": code, "rows": _rows_text(r for r in same if r is not row)})  # fmt: skip
    referenced = {row.data.get(k) for row in rows for k in ("parent", "governing_body")} - {None, ""}
    stored = {u.code: u for u in Unit.objects.filter(code__in=set(by_code) | referenced)
              .select_related("parent", "governing_body")}  # fmt: skip
    in_file = {code: same[0] for code, same in by_code.items() if len(same) == 1}
    parents = dict(Unit.objects.values_list("code", "parent__code"))  # the tree as stored: about 1,100 rows
    for row in rows:
        data = row.data
        code = data.get("code")
        if not code:
            continue
        if "parent" in present:
            parents[code] = data.get("parent") or None
        for key in ("parent", "governing_body"):
            target = data.get(key)
            if not target:
                continue
            if target == code:
                _problem(row, key, _("A unit cannot be placed under itself or its own sub-units.") if key == "parent"
                         else _("A unit cannot be its own governing body."))  # fmt: skip
            elif target not in stored and target not in in_file:
                _problem(row, key, _("No unit has the code %(code)s, in the system or in this file.")
                         % {"code": target})  # fmt: skip
        unit = stored.get(code)
        if unit is None:
            continue
        for key in present:
            if key == "code" or key not in data:
                continue
            before, after = _unit_stored(unit, key), data[key]
            if (before or "") != (after or ""):
                if key == "kind":
                    row.changes[key] = [kinds.get(before, before), kinds.get(after, after)]
                elif key in _DATES:
                    row.changes[key] = [_shown(_date(before)), _shown(_date(after))]
                else:
                    row.changes[key] = [before or "", after or ""]
        if "parent" in row.changes:
            row.warnings.append(_("The parent changes as a correction: the unit is taken to have always belonged to "
                                  "the new one. To record a move from a date, use the unit's page in the "
                                  "administration or a reorganisation."))  # fmt: skip
    _cycles(rows, parents)
    _order_units(rows, in_file)
    for row in rows:
        if row.action == RowAction.ERROR and not row.problems and not row.errors and row.parsed:
            code = row.data.get("code")
            row.action = RowAction.CREATE if code not in stored else (
                RowAction.UPDATE if row.changes else RowAction.UNCHANGED)  # fmt: skip
    _finish(rows)


def _cycles(rows: list[AdminImportRow], parents: dict[str, str | None]) -> None:
    """A unit that would end up under itself, following the parents as the file leaves them."""
    for row in rows:
        code = row.data.get("code")
        if not code or row.problems.get("parent"):
            continue
        seen, current = [code], parents.get(code)
        while current and current not in seen and len(seen) < 10_000:
            seen.append(current)
            current = parents.get(current)
        if current == code and len(seen) > 1:
            _problem(row, "parent", _("These units would be placed under each other in a circle: %(codes)s.")
                     % {"codes": " → ".join([*seen, code])})  # fmt: skip


def _order_units(rows: list[AdminImportRow], in_file: dict[str, AdminImportRow]) -> None:
    """Parents and governing bodies of the file before the units naming them; a row whose parent has errors has
    one too; rows naming each other in a circle are refused, naming the rows."""
    depends: dict[int, set[int]] = {}
    by_position = {row.position: row for row in rows}
    for row in rows:
        targets = {row.data.get(k) for k in ("parent", "governing_body")} - {None, "", row.data.get("code")}
        depends[row.position] = {in_file[t].position for t in targets if t in in_file}

    def broken(row: AdminImportRow) -> bool:
        return not row.parsed or bool(row.errors) or any(row.problems.values())

    changed = True
    while changed:  # a dependant of a row with errors is not imported either
        changed = False
        for row in rows:
            if broken(row):
                continue
            bad = [by_position[p] for p in depends[row.position] if broken(by_position[p])]
            if bad:
                row.errors.append(_("It names the unit of row %(rows)s, which has errors: correct that row first.")
                                  % {"rows": _rows_text(bad)})  # fmt: skip
                changed = True
    order, done, remaining = 0, set(), [r for r in rows if not broken(r)]
    while remaining:
        ready = [r for r in remaining if depends[r.position] <= done]
        if not ready:
            for row in remaining:
                row.errors.append(_("Rows %(rows)s name each other as parent or governing body in a circle: create "
                                    "one of them first, then the others.") % {"rows": _rows_text(remaining)})  # fmt: skip
            break
        for row in ready:
            order += 1
            row.order = order
            done.add(row.position)
        remaining = [r for r in remaining if r.position not in done]


def _user_stored(user: User, key: str) -> str:
    return " ".join((getattr(user, key) or "").split())


def _membership_stored(membership: Membership, key: str):
    if key in _DATES:
        value = getattr(membership, key)
        return value.isoformat() if value else None
    return " ".join((membership.title or "").split())


def plan_accounts(rows: list[AdminImportRow], present: Sequence[str]) -> None:
    """Each row's action, changes and problems against the stored accounts and memberships (a row is one
    membership of one account: a person with several roles has several rows, with the same name and address)."""
    _reset(rows)
    roles = _labels(Role)
    names = {row.data["username"] for row in rows if row.data.get("username")}
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    lowered = {n.casefold() for n in names if n not in users}
    clashes = dict(User.objects.annotate(low=Lower("username")).filter(low__in=lowered).values_list("low", "username"))
    codes = {row.data["unit"] for row in rows if row.data.get("unit")}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    held = memberships_by_key(users.values())
    today = timezone.localdate()
    first_of: dict[str, AdminImportRow] = {}
    seen_memberships: dict[tuple, list[AdminImportRow]] = {}
    for row in rows:
        data = row.data
        name = data.get("username")
        if not name:
            continue
        if data.get("unit") and data.get("role"):
            seen_memberships.setdefault((name, data["unit"], data["role"]), []).append(row)
        first = first_of.setdefault(name, row)
        user = users.get(name)
        if first is not row:
            for key in ("full_name", "email"):
                if key in present and data.get(key) != first.data.get(key):
                    _problem(row, key, _("Row %(row)s gives this account another value: an account has one full "
                                         "name and one e-mail address.") % {"row": first.number})  # fmt: skip
        elif user is None:
            if name.casefold() in clashes:
                _problem(row, "username", _("The account “%(other)s” already exists: user names differing only in "
                                            "capitals would be confused.") % {"other": clashes[name.casefold()]})  # fmt: skip
            if not data.get("email") and not row.cells.get("email", {}).get("e"):
                _problem(row, "email", _("A new account needs an e-mail address: its holder chooses a password "
                                         "through it."))  # fmt: skip
        else:
            for key in ("full_name", "email"):
                if key in present and _user_stored(user, key) != (data.get(key) or ""):
                    row.changes[key] = [_user_stored(user, key), data.get(key) or ""]
        new_membership = False
        code, role = data.get("unit"), data.get("role")
        if code and role:
            unit = units.get(code)
            if unit is None:
                _problem(row, "unit", _("No unit has the code %(code)s.") % {"code": code})
            else:
                try:
                    org.membership_rules_check(user=None, unit=unit, role=role, valid_from=_date(data.get("valid_from")),
                                               valid_to=_date(data.get("valid_to")))  # fmt: skip
                except ValidationError as problem:
                    for field, messages in (problem.message_dict.items() if hasattr(problem, "error_dict")
                                            else [("role", problem.messages)]):  # fmt: skip
                        for message in messages:
                            _problem(row, field if field in ("role", "valid_to") else "role", message)
                if unit.valid_to and unit.valid_to < today:
                    row.warnings.append(_("This unit closed on %(day)s.") % {"day": f"{unit.valid_to:%d/%m/%Y}"})
                membership = held.get((user.pk, unit.pk, role)) if user else None
                if membership is None:
                    new_membership = True
                    if role == Role.ADMINISTRATOR:
                        _problem(row, "role", _("The administrator's role is granted one person at a time, in the "
                                                "administration, not by a file."))  # fmt: skip
                    elif user is not None:
                        row.changes["role"] = ["", f"{roles[role]} – {unit.code}"]
                else:
                    for key in ("title", "valid_from", "valid_to"):
                        if key not in present:
                            continue
                        before, after = _membership_stored(membership, key), row.data.get(key)
                        if (before or "") != (after or ""):
                            row.changes[key] = ([_shown(_date(before)), _shown(_date(after))] if key in _DATES
                                                else [before or "", after or ""])  # fmt: skip
        row.order = row.position  # accounts depend on nothing in the file but their own first row
        if not row.problems:
            if user is None or new_membership:
                row.action = RowAction.CREATE
            else:
                row.action = RowAction.UPDATE if row.changes else RowAction.UNCHANGED
    for same in seen_memberships.values():
        if len(same) > 1:
            for row in same:
                row.errors.append(_("The same role in the same unit is also on row %(rows)s of this file.")
                                  % {"rows": _rows_text(r for r in same if r is not row)})  # fmt: skip
    for name, first in first_of.items():  # an account whose first row has errors is not created by the others
        if name not in users and (first.problems or first.errors or not first.parsed):
            for row in rows:
                if row is not first and row.data.get("username") == name and not row.errors:
                    row.errors.append(_("The account is created from row %(row)s, which has errors: correct that "
                                        "row first.") % {"row": first.number})  # fmt: skip
    _finish(rows)


PLANS = {AdminImportKind.UNITS: plan_units, AdminImportKind.ACCOUNTS: plan_accounts}


def _count(admin_import: AdminImport, rows: list[AdminImportRow]) -> None:
    admin_import.rows_total = len(rows)
    admin_import.rows_create = sum(r.action == RowAction.CREATE for r in rows)
    admin_import.rows_update = sum(r.action == RowAction.UPDATE for r in rows)
    admin_import.rows_unchanged = sum(r.action == RowAction.UNCHANGED for r in rows)
    admin_import.rows_error = sum(r.action == RowAction.ERROR for r in rows)


# 4. The preview ----------------------------------------------------------------------------------------------


def _recent_previews(user) -> int:
    return AdminImport.objects.filter(user=user, created_at__gte=timezone.now() - dt.timedelta(hours=1)).count()


def import_preview(*, by: Actor, kind: str, uploaded_file) -> AdminImport:
    """Read and compare the file; every row kept as the preview shows it. ValidationError for the file as a whole
    (not the template, too large, too many rows, unreadable)."""
    if not may_import(by, kind):
        raise PermissionDenied
    if _recent_previews(by.user) >= PREVIEWS_PER_HOUR:
        raise ValidationError(_("Too many files checked in the last hour: try again later."), code="rate")
    read, data = _read(kind, uploaded_file)
    if not read.rows:
        raise ValidationError(_("The list is empty: fill in at least one row under the header."), code="empty")
    parser = _Parser(kind, read.columns)
    rows = [parser.parse(position, row) for position, row in enumerate(read.rows, start=1)]
    PLANS[kind](rows, read.columns)
    with transaction.atomic():
        admin_import = AdminImport(
            kind=kind, user=by.user, membership=by.membership, original_name=nfc(uploaded_file.name or "")[:255],
            sha256=hashlib.sha256(data).hexdigest(), size=len(data), file_format=read.file_format,
            encoding=read.encoding, encoding_recognised=read.recognised, columns=read.columns,
            ignored_columns=read.ignored[:50], sheet=read.sheet[:255],
        )  # fmt: skip
        _count(admin_import, rows)
        admin_import.save()
        for row in rows:
            row.admin_import = admin_import
        AdminImportRow.objects.bulk_create(rows, batch_size=1000)
    return admin_import


# 5. Confirming -----------------------------------------------------------------------------------------------

_PLANNED = ("action", "changes", "problems", "errors", "warnings", "order")


class StalePreview(Exception):
    """What is stored changed since the preview: the fresh preview was saved, to be looked at and confirmed."""


def import_confirm(*, by: Actor, admin_import: AdminImport) -> AdminImport:
    """Apply the rows that create or change something, in one transaction. StalePreview (the fresh preview saved)
    when what is stored changed since the preview; ValidationError when there is nothing to change or a service
    refuses a row (nothing is written then)."""
    try:
        return _confirm(by=by, admin_import=admin_import)
    except StalePreview:
        _refresh(by=by, admin_import=admin_import)
        raise


@transaction.atomic
def _refresh(*, by: Actor, admin_import: AdminImport) -> None:
    locked = AdminImport.objects.select_for_update().get(pk=admin_import.pk)
    if locked.status != ImportStatus.PREVIEW or not may_import(by, locked.kind):
        return
    rows = list(locked.rows.order_by("position"))
    PLANS[locked.kind](rows, locked.columns)
    AdminImportRow.objects.bulk_update(rows, list(_PLANNED), batch_size=1000)
    _count(locked, rows)
    locked.save(update_fields=["rows_total", "rows_create", "rows_update", "rows_unchanged", "rows_error"])


@transaction.atomic
def _confirm(*, by: Actor, admin_import: AdminImport) -> AdminImport:
    locked = AdminImport.objects.select_for_update().get(pk=admin_import.pk)
    if not may_import(by, locked.kind):
        raise PermissionDenied
    if locked.status != ImportStatus.PREVIEW:
        return locked  # confirmed already (a second click)
    rows = list(locked.rows.order_by("position"))
    before = [tuple(getattr(r, f) for f in _PLANNED) for r in rows]
    PLANS[locked.kind](rows, locked.columns)
    if before != [tuple(getattr(r, f) for f in _PLANNED) for r in rows]:
        raise StalePreview
    todo = sorted((r for r in rows if r.action in (RowAction.CREATE, RowAction.UPDATE)), key=lambda r: r.order)
    if not todo:
        raise ValidationError(_("Nothing to change: every row is already as the file says, or has errors."),
                              code="nothing")  # fmt: skip
    apply = _apply_units if locked.kind == AdminImportKind.UNITS else _apply_accounts
    try:
        with transaction.atomic():
            counts = apply(by=by, admin_import=locked, rows=todo)
    except IntegrityError as error:  # another administrator created the same code or user name just now
        raise ValidationError(_("Another change was saved at the same time: upload the file again."),
                              code="race") from error  # fmt: skip
    locked.status, locked.confirmed_by, locked.confirmed_at = ImportStatus.DONE, by.user, timezone.now()
    locked.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    audit_record(actor=by, action="units_imported" if locked.kind == AdminImportKind.UNITS else "accounts_imported",
                 obj=locked, unit=by.unit, to_state="done",
                 detail={"sha256": locked.sha256, "size": locked.size, "format": locked.file_format,
                         "rows": locked.rows_total, "errors": locked.rows_error, **counts})  # fmt: skip
    return locked


def _refused(row: AdminImportRow, error: ValidationError) -> ValidationError:
    return ValidationError(_("Row %(row)s was refused: %(problem)s") % {"row": row.number,
                                                                         "problem": " ".join(error.messages)})  # fmt: skip


def _apply_units(*, by: Actor, admin_import: AdminImport, rows: list[AdminImportRow]) -> dict:
    codes = {r.data.get(k) for r in rows for k in ("code", "parent", "governing_body")} - {None, ""}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    created = updated = 0

    def value(key: str, data: dict):
        if key in ("parent", "governing_body"):
            return units[data[key]] if data.get(key) else None
        if key in _DATES:
            return _date(data.get(key))
        return data.get(key) or ""

    for row in rows:
        data = row.data
        fields = {k: value(k, data) for k in admin_import.columns if k != "code" and k in data}
        try:
            if row.action == RowAction.CREATE:
                units[data["code"]] = org.unit_create(by=by, code=data["code"], import_id=admin_import.pk, **fields)
                created += 1
            else:
                unit = units[data["code"]]
                changes = {k: v for k, v in fields.items() if k in row.changes}
                org.unit_update(by=by, unit=unit, import_id=admin_import.pk, **changes)
                updated += 1
        except ValidationError as error:
            raise _refused(row, error) from error
    return {"created": created, "updated": updated}


def _apply_accounts(*, by: Actor, admin_import: AdminImport, rows: list[AdminImportRow]) -> dict:
    present = set(admin_import.columns)
    names = {r.data["username"] for r in rows}
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    held = memberships_by_key(users.values())
    units = {u.code: u for u in Unit.objects.filter(code__in={r.data.get("unit") for r in rows} - {None, ""})}
    counts = {"accounts_created": 0, "accounts_changed": 0, "roles_granted": 0, "roles_changed": 0}
    for row in rows:
        data = row.data
        try:
            user = users.get(data["username"])
            if user is None:
                user = org.user_create(by=by, username=data["username"], full_name=data["full_name"],
                                       email=data.get("email", ""), import_id=admin_import.pk)  # fmt: skip
                accounts.account_invite(user=user)
                users[user.username] = user
                counts["accounts_created"] += 1
            else:
                changes = {k: data.get(k) or "" for k in ("full_name", "email") if k in row.changes and k in present}
                if changes:
                    org.user_update(by=by, user=user, import_id=admin_import.pk, **changes)
                    counts["accounts_changed"] += 1
            if not (data.get("unit") and data.get("role")):
                continue
            unit = units[data["unit"]]
            dates = {k: _date(data.get(k)) for k in _DATES if k in present}
            membership = held.get((user.pk, unit.pk, data["role"]))
            if membership is None:
                held[(user.pk, unit.pk, data["role"])] = org.membership_grant(
                    by=by, user=user, unit=unit, role=data["role"], title=data.get("title", ""),
                    import_id=admin_import.pk, **dates,
                )  # fmt: skip
                counts["roles_granted"] += 1
            else:
                fields = {"title": data.get("title", ""), **dates}
                changes = {k: v for k, v in fields.items() if k in row.changes}
                if changes:
                    org.membership_update(by=by, membership=membership, import_id=admin_import.pk, **changes)
                    counts["roles_changed"] += 1
        except ValidationError as error:
            raise _refused(row, error) from error
    return counts


# 6. The sweep ------------------------------------------------------------------------------------------------


def admin_imports_sweep() -> dict:
    """After KEEP, the rows (names, e-mail addresses) go, and the previews nobody confirmed; the confirmed imports'
    counts stay with their audit row."""
    old = AdminImport.objects.filter(created_at__lt=timezone.now() - KEEP)
    rows, _by_model = AdminImportRow.objects.filter(admin_import__in=old).delete()
    unconfirmed, _by_model = old.filter(status=ImportStatus.PREVIEW).delete()
    return {"rows": rows, "previews": unconfirmed}
