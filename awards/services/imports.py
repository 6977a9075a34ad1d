"""Importing nominees from a spreadsheet: template, preview, confirmation, and the job that creates the drafts.

1. ``template_bytes``: the campaign's template for a tier (an instructions sheet, drop-down lists, typed columns).
2. ``import_preview``: the uploaded workbook is checked like every upload, stored under a generated name with its
   checksum, read row by row (``awards.imports``) and every row checked as the nomination form would check it
   (``nominations.nominee_check``), plus duplicates inside the file and in the campaign. Each row is kept as the
   preview shows it (``NominationImportRow``); no nomination exists yet.
3. ``import_confirm``: the officer confirms; the file's checksum is checked again and a job is queued after commit.
4. ``import_run`` (``awards.tasks.run_import``, queue "documents"): the valid rows become draft nominations through
   ``nominations.nominations_create_many`` (``nomination_create``'s rows, in bulk) under the confirming membership,
   500 rows per transaction. A row's nomination is recorded in the transaction that creates it and rows are claimed
   with SKIP LOCKED, so a job that runs again (acks_late after a killed worker, the sweep) or twice at once never
   creates a row twice. At the end one audit row for the import (checksum, counts); each nomination has the
   service's own audit row, carrying the import's id.
5. ``imports_sweep``: lost jobs are sent again; after ``KEEP`` the file and the rows (personal data) are deleted,
   the import's counts stay.

Limits (docs/imports.md): ``MAX_ROWS`` rows, ``MAX_BYTES`` per file, ``PREVIEWS_PER_HOUR`` previews per user.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import uploads
from ..actor import Actor
from ..audit import audit_record
from ..identity import name_key
from ..imports import cells as parse
from ..imports.template import TemplateColumn, build_template
from ..imports.xlsx import Column, TooManyRows, open_sheet
from ..jobs import send_jobs
from ..models import (
    LIVE_STATUSES,
    AwardType,
    Campaign,
    Gender,
    ImportStatus,
    Nomination,
    NominationImport,
    NominationImportRow,
    NomineeKind,
    Unit,
)
from ..permissions import Cap
from ..selectors.org import actor_for, units_visible
from ..text import nfc
from . import nominations

log = logging.getLogger(__name__)

MAX_ROWS = 5_000  # rows of one file (docs/imports.md); a larger list is split into several files
MAX_BYTES = 10 * uploads.MB  # a 5,000-row list is about 0.5 MB
PREVIEWS_PER_HOUR = 30  # per user: each preview checks every row against the campaign's nominees
BATCH = 500  # rows per transaction of the job
KEEP = dt.timedelta(days=7)  # then the file and the rows (CCCD numbers, dates of birth) are deleted
STALE_AFTER = dt.timedelta(minutes=10)  # a queued or running import older than this is sent again
TEMPLATE_ROWS = 1000  # rows formatted and validated under the template's header

# The columns, in the template's order. Headers are the template's Vietnamese words (the file's language, like
# every document we write); other spellings people use are aliases, matched without accents or case.
COLUMNS = (
    Column("kind", "Cá nhân hay tập thể", ("Loại", "Đối tượng", "Cá nhân/Tập thể")),
    Column("name", "Họ và tên / Tên tập thể", ("Họ và tên", "Họ tên", "Tên tập thể", "Tên"), required=True),
    Column("gender", "Giới tính", ("Nam/Nữ", "Phái")),
    Column("birth_date", "Ngày sinh", ("Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Sinh ngày")),
    Column(
        "id_number",
        "Số CCCD",
        ("CCCD", "Số căn cước", "Số căn cước công dân", "Số định danh", "CMND", "Số CMND", "Số CCCD/CMND"),
    ),  # fmt: skip
    Column("position", "Chức vụ", ("Chức vụ, chức danh", "Chức danh")),
    Column("workplace", "Nơi công tác", ("Đơn vị công tác", "Cơ quan công tác")),
    Column("parent_unit", "Thuộc đơn vị (tập thể)", ("Thuộc đơn vị", "Đơn vị chủ quản")),
    Column("women_percent", "Tỷ lệ nữ (%)", ("Tỷ lệ nữ", "Nữ (%)")),
    Column("achievement", "Tóm tắt thành tích", ("Thành tích", "Nội dung thành tích"), required=True),
    Column("achievement_text", "Báo cáo thành tích", ()),
    Column("award", "Hình thức khen thưởng", ("Hình thức", "Danh hiệu, hình thức")),
)
KIND_CHOICES = {"Cá nhân": NomineeKind.INDIVIDUAL, "Tập thể": NomineeKind.COLLECTIVE}
GENDER_CHOICES = {"Nam": Gender.MALE, "Nữ": Gender.FEMALE}
_KIND_KEYS = {**{parse.choice_key(k): v for k, v in KIND_CHOICES.items()}, "individual": NomineeKind.INDIVIDUAL,
              "collective": NomineeKind.COLLECTIVE}  # fmt: skip
_GENDER_KEYS = {**{parse.choice_key(k): v for k, v in GENDER_CHOICES.items()}, "male": Gender.MALE,
                "female": Gender.FEMALE}  # fmt: skip
_LIMITS = {"name": 255, "position": 255, "workplace": 255, "achievement": 500}
_TEXT_FIELDS = ("name", "position", "workplace", "achievement", "achievement_text")


def max_rows() -> int:
    return MAX_ROWS


# 1. The template --------------------------------------------------------------------------------------------


def template_name(campaign: Campaign, award_type: AwardType) -> str:
    return f"Mẫu nhập danh sách - {campaign.plan_reference.replace('/', '-')} - {award_type.code}.xlsx"


def template_bytes(*, actor: Actor, campaign: Campaign, award_type: AwardType) -> bytes:
    if not actor.can(Cap.DRAFT_NOMINATION) or actor.unit is None:
        raise PermissionDenied
    tiers = list(campaign.award_types.order_by("position"))
    units = list(units_visible(actor=actor).valid_on(timezone.localdate()).values_list("name", flat=True)[:2000])
    hints = {
        "kind": "Chọn Cá nhân hoặc Tập thể. Để trống: Cá nhân.",
        "birth_date": "Ngày trước, tháng sau: 05/01/1985 là ngày 5 tháng 1 năm 1985.",
        "id_number": "12 chữ số (CMND cũ: 9 chữ số). Cột này để dạng văn bản để giữ số 0 ở đầu.",
        "parent_unit": "Với tập thể: đơn vị mà tập thể trực thuộc, chọn trong danh sách.",
        "award": f"Để trống: {award_type.name}.",
    }
    spec = {
        "kind": {"choices": list(KIND_CHOICES), "width": 16},
        "name": {"width": 30},
        "gender": {"choices": list(GENDER_CHOICES), "width": 11},
        "birth_date": {"kind": "date", "width": 14},
        "id_number": {"kind": "id", "width": 16},
        "position": {"width": 24},
        "workplace": {"width": 28},
        "parent_unit": {"choices": units, "width": 30},
        "women_percent": {"kind": "number", "width": 11},
        "achievement": {"width": 40},
        "achievement_text": {"width": 40},
        "award": {"choices": [t.name for t in tiers], "width": 34},
    }
    columns = [TemplateColumn(title=c.title, required=c.required, hint=hints.get(c.key, ""), **spec[c.key])
               for c in COLUMNS]  # fmt: skip
    instructions = [
        f"Hướng dẫn nhập danh sách đề nghị khen thưởng – {campaign.plan_reference}",
        f"Hình thức khen thưởng mặc định: {award_type.name} (cột “Hình thức khen thưởng” để trống).",
        "1. Nhập mỗi người hoặc tập thể trên một dòng của trang “Danh sách”, từ dòng 2. Không xóa hoặc đổi tên dòng "
        "tiêu đề; có thể đổi thứ tự cột, thêm cột khác (cột lạ được bỏ qua).",
        "2. Cột có dấu (*) là bắt buộc. Với cá nhân còn bắt buộc: giới tính, ngày sinh, chức vụ, nơi công tác. "
        "Với tập thể: “Thuộc đơn vị”.",
        "3. Ngày ghi theo dạng dd/mm/yyyy (ngày trước, tháng sau), ví dụ 05/01/1985 là ngày 5 tháng 1 năm 1985.",
        "4. Số CCCD gồm 12 chữ số (CMND cũ 9 chữ số). Nếu Excel làm mất số 0 ở đầu, hệ thống tự thêm lại và ghi "
        "chú bên cạnh.",
        "5. Văn bản gõ bằng phông TCVN3 (.VnTime…) hoặc VNI (VNI-Times…) được chuyển sang Unicode; giá trị gốc hiện "
        "bên cạnh để kiểm tra.",
        f"6. Mỗi tệp tối đa {MAX_ROWS:,} dòng và {MAX_BYTES // uploads.MB} MB, định dạng .xlsx (tệp .xls cần lưu lại "
        "thành .xlsx). Công thức không được tính: nội dung của ô được giữ nguyên dạng chữ.".replace(",", "."),
        "7. Tải tệp lên để xem trước: mọi lỗi hiện bên cạnh ô. Chưa có gì được lưu cho đến khi bấm “Xác nhận "
        "nhập”; khi đó các dòng hợp lệ trở thành đề nghị khen thưởng ở trạng thái đang chuẩn bị.",
    ]
    return build_template(sheet="Danh sách", columns=columns, instructions=instructions, rows=TEMPLATE_ROWS,
                          title=f"Mẫu nhập danh sách đề nghị khen thưởng – {campaign.plan_reference}")  # fmt: skip


# 2. The preview ----------------------------------------------------------------------------------------------


def check_file(uploaded_file) -> uploads.DetectedFile:
    """What every upload gets (awards.uploads), with the import's own messages for the old formats."""
    name = (uploaded_file.name or "").lower()
    if name.endswith((".xls", ".xlsm", ".xlsb", ".ods", ".csv")):
        raise ValidationError(
            _("This is not an .xlsx file. Open it in Excel (or LibreOffice) and save it as “Excel Workbook "
              "(.xlsx)”, then upload it again."), code="old_format",
        )  # fmt: skip
    if uploaded_file.size and uploaded_file.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than %(limit)s MB.") % {"limit": MAX_BYTES // uploads.MB},
                              code="too_large")  # fmt: skip
    try:
        detected = uploads.validate_upload(uploaded_file=uploaded_file, kind=uploads.UploadKind.SUPPORTING)
    except ValidationError as error:
        if error.code == "legacy_or_encrypted":  # an .xls renamed .xlsx, or a password
            raise ValidationError(
                _("This file is an old Excel file (.xls) or has a password. Open it in Excel, save it as “Excel "
                  "Workbook (.xlsx)” without a password, then upload it again."), code="old_format",
            ) from error  # fmt: skip
        raise
    if detected.format != "xlsx":
        raise ValidationError(_("Upload the list as an Excel file (.xlsx)."), code="not_xlsx")
    return detected


def _recent_previews(user) -> int:
    since = timezone.now() - dt.timedelta(hours=1)
    return NominationImport.objects.filter(user=user, created_at__gte=since).count()


def import_preview(*, by: Actor, campaign: Campaign, award_type: AwardType, uploaded_file) -> NominationImport:
    """Check, store and read the file; every row kept with its problems. ValidationError for the file as a whole."""
    if not by.can(Cap.DRAFT_NOMINATION) or by.unit is None or by.membership is None:
        raise PermissionDenied
    if not campaign.award_types.filter(pk=award_type.pk).exists():
        raise ValidationError(_("This campaign does not offer this award."), code="award_type")
    if _recent_previews(by.user) >= PREVIEWS_PER_HOUR:
        raise ValidationError(_("Too many files checked in the last hour: try again later."), code="rate")
    detected = check_file(uploaded_file)
    stream = getattr(uploaded_file, "file", None) or uploaded_file
    stream.seek(0)
    try:
        sheet = open_sheet(stream, columns=COLUMNS, max_rows=MAX_ROWS)
        read = list(sheet.rows)
    except TooManyRows:
        raise
    except ValidationError:
        raise
    finally:
        stream.seek(0)
    if not read:
        raise ValidationError(_("The list is empty: fill in at least one row under the header."), code="empty")
    context = _Context(by=by, campaign=campaign, award_type=award_type)
    rows = [context.check(position, row) for position, row in enumerate(read, start=1)]
    _mark_file_duplicates(rows)
    _mark_campaign_duplicates(rows, campaign=campaign, unit=by.unit)
    for row in rows:
        row.valid = not row.errors and not any(cell.get("e") for cell in row.cells.values())
    stored = uploads.store_upload(uploaded_file=uploaded_file, detected=detected)
    with transaction.atomic():
        nomination_import = NominationImport.objects.create(
            campaign=campaign, award_type=award_type, unit=by.unit, user=by.user, membership=by.membership,
            original_name=nfc(detected.original_name)[:255], stored_path=stored.relative_path, sha256=stored.sha256,
            size=stored.size, rows_total=len(rows), rows_valid=sum(r.valid for r in rows), sheet=sheet.name[:255],
            ignored_columns=sheet.ignored[:50],
        )  # fmt: skip
        for row in rows:
            row.nomination_import = nomination_import
        _rows_store(rows)
    return nomination_import


ROW_COLUMNS = ("nomination_import_id", "position", "number", "kind", "award_type_id", "data", "cells", "errors",
               "warnings", "valid", "nomination_id", "error")  # fmt: skip


def _rows_store(rows: list[NominationImportRow]) -> None:
    """COPY on PostgreSQL (bulk_create quotes 5,000 JSON cells into array literals in Python: a third of the
    preview's time), bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        NominationImportRow.objects.bulk_create(rows, batch_size=1000)
        return
    json_columns = {"data", "cells", "errors", "warnings"}
    q = connection.ops.quote_name
    sql = f"COPY {q(NominationImportRow._meta.db_table)} ({', '.join(q(c) for c in ROW_COLUMNS)}) FROM STDIN"
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([json.dumps(getattr(row, c)) if c in json_columns else getattr(row, c) for c in ROW_COLUMNS])


class _Context:
    """What checking a row needs once per file: the campaign's tiers and the units a collective may belong to."""

    def __init__(self, *, by: Actor, campaign: Campaign, award_type: AwardType):
        self.by, self.award_type = by, award_type
        self.tiers = {parse.choice_key(t.name): t for t in campaign.award_types.all()}
        self.tiers.update({parse.choice_key(t.code): t for t in campaign.award_types.all()})
        self.tiers_by_pk = {t.pk: t for t in self.tiers.values()}
        self.today = timezone.localdate()
        self._units: dict[str, int] | None = None

    def unit_id(self, value: str) -> int | None:
        if self._units is None:
            units = units_visible(actor=self.by).valid_on(self.today).values_list("pk", "name", "code")
            self._units = {}
            for pk, name, code in units:
                self._units.setdefault(name_key(name), pk)
                if code:
                    self._units.setdefault(name_key(code), pk)
        return self._units.get(name_key(value))

    def check(self, position: int, row) -> NominationImportRow:
        cells: dict[str, dict] = {}
        data: dict[str, object] = {}

        def cell(key: str) -> dict:
            return cells.setdefault(key, {"v": ""})

        def error(key: str, message) -> None:
            cell(key).setdefault("e", []).append(str(message))

        cells.update((key, read.shown()) for key, read in row.cells.items())
        value = row.value
        kind_text = value("kind")
        kind = NomineeKind.INDIVIDUAL
        if kind_text not in (None, ""):
            kind = _KIND_KEYS.get(parse.choice_key(kind_text))
            if kind is None:
                error("kind", _("Write “Cá nhân” or “Tập thể”."))
                kind = NomineeKind.INDIVIDUAL
        tier = self.award_type
        award_text = value("award")
        if award_text not in (None, ""):
            tier = self.tiers.get(parse.choice_key(award_text))
            if tier is None:
                error("award", _("This campaign does not offer this award."))
                tier = self.award_type
        for key in _TEXT_FIELDS:
            text = parse.as_text(value(key)).strip()
            if key in _LIMITS and len(text) > _LIMITS[key]:
                error(key, _("At most %(limit)d characters.") % {"limit": _LIMITS[key]})
            data[key] = text
        gender_text = value("gender")
        data["gender"] = ""
        if gender_text not in (None, ""):
            data["gender"] = _GENDER_KEYS.get(parse.choice_key(gender_text), "")
            if not data["gender"]:
                error("gender", _("Write “Nam” or “Nữ”."))
        data["birth_date"] = None
        birth = value("birth_date")
        if isinstance(birth, int | float) and not isinstance(birth, bool) and 1900 <= birth <= 2100:
            error("birth_date", _("Only a year: write the whole date as dd/mm/yyyy."))
        else:
            try:
                data["birth_date"] = parse.parse_date(birth)
            except ValidationError as problem:
                error("birth_date", problem.messages[0])
        if data["birth_date"] is not None and "birth_date" in cells:
            cells["birth_date"]["v"] = f"{data['birth_date']:%d/%m/%Y}"
        number, restored = parse.parse_id_number(value("id_number"))
        data["id_number"] = number
        if restored:
            cell("id_number")["v"] = number
            cell("id_number").setdefault("n", []).append(_("The leading zero lost by Excel was put back."))
        data["women_percent"] = None
        try:
            data["women_percent"] = parse.parse_int(value("women_percent"))
        except ValidationError as problem:
            error("women_percent", problem.messages[0])
        data["parent_unit"] = None
        parent_text = parse.as_text(value("parent_unit")).strip()
        if parent_text and kind == NomineeKind.COLLECTIVE:
            data["parent_unit"] = self.unit_id(parent_text)
            if data["parent_unit"] is None:
                error("parent_unit", _("No unit of this name among the units you may choose."))
        checked = dict(data)
        if checked["parent_unit"] is not None:
            checked["parent_unit"] = Unit(pk=checked["parent_unit"])
        try:
            cleaned = nominations.nominee_check(award_type=tier, kind=kind, data=checked)
        except ValidationError as problem:
            problems = problem.message_dict.items() if hasattr(problem, "error_dict") else [("kind", problem.messages)]
            for key, messages in problems:
                target = key if key in {c.key for c in COLUMNS} else "kind"
                for message in messages:
                    if message not in cells.get(target, {}).get("e", []):
                        error(target, message)
            cleaned = checked
        stored = dict(cleaned.items())
        stored["parent_unit"] = cleaned["parent_unit"].pk if cleaned.get("parent_unit") else None
        stored["birth_date"] = cleaned["birth_date"].isoformat() if cleaned.get("birth_date") else None
        return NominationImportRow(position=position, number=row.number, kind=kind, award_type=tier, data=stored,
                                   cells=cells, errors=[], warnings=[])  # fmt: skip


def _person_keys(data: dict) -> list[tuple]:
    keys = []
    if data.get("id_number"):
        keys.append(("id", data["id_number"]))
    if data.get("birth_date"):
        keys.append(("born", name_key(data["name"]), data["birth_date"]))
    return keys


def _collective_keys(data: dict) -> list[tuple]:
    return [("unit", name_key(data["name"]), data.get("parent_unit"))]


def _keys(row: NominationImportRow) -> list[tuple]:
    if not row.data.get("name"):
        return []
    return _person_keys(row.data) if row.kind == NomineeKind.INDIVIDUAL else _collective_keys(row.data)


def _mark_file_duplicates(rows: list[NominationImportRow]) -> None:
    """The same person (citizen ID, or name and date of birth) or collective twice in the file: every copy is an
    error naming the other rows, so the officer keeps the right one."""
    seen: dict[tuple, list[NominationImportRow]] = {}
    for row in rows:
        for key in _keys(row):
            seen.setdefault(key, []).append(row)
    for same in seen.values():
        if len(same) < 2:
            continue
        for row in same:
            others = ", ".join(str(o.number) for o in same if o is not row)
            message = _("The same nominee is also on row %(rows)s of this file.") % {"rows": others}
            if message not in row.errors:
                row.errors.append(message)


def _mark_campaign_duplicates(rows: list[NominationImportRow], *, campaign: Campaign, unit: Unit) -> None:
    """Live nominations of the campaign for the same nominee. The unit's own: an error (the list was imported
    already). Another unit's: the form's warning, which names neither the unit nor the tier."""
    names = {name_key(r.data["name"]) for r in rows if r.data.get("name")}
    ids = {r.data["id_number"] for r in rows if r.data.get("id_number")}
    if not names and not ids:
        return
    found = Nomination.objects.filter(Q(name_key__in=names) | Q(id_number__in=ids), campaign=campaign,
                                      status__in=LIVE_STATUSES).values_list(
        "kind", "name_key", "birth_date", "id_number", "parent_unit_id", "unit_id")  # fmt: skip
    existing: dict[tuple, set[int]] = {}
    for kind, key, born, number, parent, owner in found:
        if kind == NomineeKind.INDIVIDUAL:
            if number:
                existing.setdefault((kind, "id", number), set()).add(owner)
            if born:
                existing.setdefault((kind, "born", key, born.isoformat()), set()).add(owner)
        else:
            existing.setdefault((kind, "unit", key, parent), set()).add(owner)
    for row in rows:
        owners: set[int] = set()
        for key in _keys(row):
            owners |= existing.get((row.kind, *key), set())
        if unit.pk in owners:
            row.errors.append(_("Your unit has already proposed this nominee in this campaign."))
        elif owners:
            row.warnings.append(
                _("This nominee is already proposed in this campaign. One achievement, one award: the police "
                  "reviewer will look at both.")
            )  # fmt: skip


# 3. Confirming -----------------------------------------------------------------------------------------------


def _may_handle(actor: Actor, nomination_import: NominationImport) -> bool:
    return (actor.can(Cap.DRAFT_NOMINATION) and actor.unit is not None and actor.membership is not None
            and actor.unit.pk == nomination_import.unit_id)  # fmt: skip


def file_checksum(path: str) -> str:
    digest = hashlib.sha256()
    with uploads.open_stored(relative_path=path) as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@transaction.atomic
def import_confirm(*, by: Actor, nomination_import: NominationImport) -> NominationImport:
    """Queue the creation of the valid rows (once: a second click finds it queued and changes nothing)."""
    locked = NominationImport.objects.select_for_update().get(pk=nomination_import.pk)
    if not _may_handle(by, locked):
        raise PermissionDenied
    if locked.status != ImportStatus.PREVIEW:
        return locked
    if not locked.rows_valid:
        raise ValidationError(_("No row can be imported: correct the file and upload it again."), code="no_rows")
    try:
        intact = bool(locked.stored_path) and file_checksum(locked.stored_path) == locked.sha256
    except (FileNotFoundError, OSError):
        intact = False
    if not intact:
        raise ValidationError(_("The uploaded file is no longer available: upload it again."), code="file_gone")
    locked.status, locked.confirmed_by, locked.confirmed_membership = ImportStatus.QUEUED, by.user, by.membership
    locked.confirmed_at = timezone.now()
    locked.save(update_fields=["status", "confirmed_by", "confirmed_membership", "confirmed_at"])
    _enqueue([locked.pk])
    return locked


def _enqueue(ids: list[int]) -> None:
    from ..tasks import run_import

    if ids:
        transaction.on_commit(lambda: send_jobs(run_import, [[pk] for pk in ids]))


# 4. The job --------------------------------------------------------------------------------------------------


def _set(pk: int, **fields) -> None:
    NominationImport.objects.filter(pk=pk).exclude(status=ImportStatus.DONE).update(**fields)


def _fail(nomination_import: NominationImport, error: str) -> str:
    _set(nomination_import.pk, status=ImportStatus.FAILED, error=error[:2000], finished_at=timezone.now())
    return "failed"


def import_run(import_id: int) -> str:
    """Create the valid rows' nominations; safe to run again or twice at once."""
    nomination_import = (
        NominationImport.objects.select_related("campaign", "unit", "confirmed_by").filter(pk=import_id).first()
    )
    if nomination_import is None:
        return "gone"
    if nomination_import.status == ImportStatus.DONE:
        return "done"
    if nomination_import.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return "skipped"
    _set(import_id, status=ImportStatus.RUNNING)
    actor = actor_for(user=nomination_import.confirmed_by, membership_id=nomination_import.confirmed_membership_id)
    if (actor.membership is None or actor.membership.pk != nomination_import.confirmed_membership_id
            or not _may_handle(actor, nomination_import)):  # fmt: skip
        return _fail(nomination_import, "PermissionDenied: the membership it was confirmed with has ended")
    campaign = nomination_import.campaign
    tiers = {t.pk: t for t in campaign.award_types.all()}
    pending = nomination_import.rows.filter(valid=True, nomination__isnull=True, error="")
    total = max(nomination_import.rows_valid, 1)
    while True:
        try:
            done = _run_batch(actor=actor, campaign=campaign, tiers=tiers, pending=pending, import_id=import_id)
        except PermissionDenied:
            return _fail(nomination_import, "PermissionDenied: the confirming actor may no longer create nominations")
        except Exception as error:
            log.exception("import %s failed", import_id)
            return _fail(nomination_import, f"{type(error).__name__}: {error}")
        if not done:
            break
        created = nomination_import.rows.filter(nomination__isnull=False).count()
        _set(import_id, progress=min(99, created * 100 // total))
    if pending.exists():  # rows another run holds right now: that run finishes the import
        return "partial"
    return _finish(nomination_import, actor)


def _run_batch(*, actor, campaign, tiers, pending, import_id: int) -> int:
    """Claim up to BATCH rows nobody else holds, create their nominations (one batch per tier) and record each row's
    nomination or error, all in one transaction: a run that dies leaves its rows unclaimed and uncreated."""
    with transaction.atomic():
        claimed = (
            pending.select_for_update(skip_locked=True)
            .order_by("position")
            .only("nomination_import", "kind", "award_type", "data", "nomination", "error")
        )
        batch = list(claimed[:BATCH])
        if not batch:
            return 0
        parents = {r.data["parent_unit"] for r in batch if r.data.get("parent_unit")}
        units = Unit.objects.in_bulk(parents) if parents else {}
        by_tier: dict[int, list[NominationImportRow]] = {}
        for row in batch:
            by_tier.setdefault(row.award_type_id, []).append(row)
        for tier_id, rows in by_tier.items():
            try:
                if tier_id not in tiers:
                    raise ValidationError(_("This campaign does not offer this award."))
                made = nominations.nominations_create_many(
                    by=actor, campaign=campaign, award_type=tiers[tier_id], import_id=import_id,
                    rows=[_nominee(row, units) for row in rows],
                )  # fmt: skip
            except ValidationError as problem:  # the whole tier: no longer offered
                made = [problem] * len(rows)
            for row, result in zip(rows, made, strict=True):
                if isinstance(result, ValidationError):
                    row.error = "; ".join(result.messages)[:2000]
                else:
                    row.nomination = result
        _rows_record(batch)
        return len(batch)


def _rows_record(batch: list[NominationImportRow]) -> None:
    """Store each row's nomination and error: one UPDATE from arrays on PostgreSQL (bulk_update's CASE per row
    took a quarter of the job), bulk_update elsewhere."""
    if connection.vendor != "postgresql":
        NominationImportRow.objects.bulk_update(batch, ["nomination", "error"])
        return
    table = connection.ops.quote_name(NominationImportRow._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET nomination_id = v.nomination, error = v.error "  # noqa: S608
            "FROM unnest(%s::bigint[], %s::bigint[], %s::text[]) AS v(id, nomination, error) "
            f"WHERE {table}.id = v.id",
            [[r.pk for r in batch], [r.nomination_id for r in batch], [r.error for r in batch]],
        )


def _nominee(row: NominationImportRow, units: dict[int, Unit]) -> dict:
    """A previewed row as `nominations_create_many` takes it: its kind and the nominee's fields."""
    fields = {key: row.data.get(key) for key in nominations.NOMINEE_FIELDS}
    fields["parent_unit"] = units.get(fields["parent_unit"]) if fields["parent_unit"] else None
    if fields["birth_date"]:
        fields["birth_date"] = dt.date.fromisoformat(fields["birth_date"])
    return {"kind": row.kind, **fields}


def _finish(nomination_import: NominationImport, actor: Actor) -> str:
    with transaction.atomic():
        locked = NominationImport.objects.select_for_update().get(pk=nomination_import.pk)
        if locked.status == ImportStatus.DONE:
            return "done"
        rows = locked.rows.filter(valid=True)
        locked.rows_created = rows.filter(nomination__isnull=False).count()
        locked.rows_failed = rows.exclude(error="").count()
        locked.status, locked.progress, locked.finished_at, locked.error = ImportStatus.DONE, 100, timezone.now(), ""
        locked.save(update_fields=["rows_created", "rows_failed", "status", "progress", "finished_at", "error"])
        audit_record(actor=actor, action="nominations_imported", obj=locked, unit=locked.unit, to_state="done",
                     detail={"sha256": locked.sha256, "size": locked.size, "campaign": locked.campaign_id,
                             "award_type": locked.award_type_id, "rows": locked.rows_total,
                             "valid": locked.rows_valid, "created": locked.rows_created,
                             "refused": locked.rows_failed})  # fmt: skip
    return "imported"


# 5. The sweep ------------------------------------------------------------------------------------------------


def imports_sweep() -> dict:
    """Send again the imports whose job was lost; after KEEP, delete the files and rows (personal data), and the
    previews nobody confirmed."""
    now = timezone.now()
    stale = NominationImport.objects.filter(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING],
                                            confirmed_at__lt=now - STALE_AFTER)  # fmt: skip
    ids = list(stale.values_list("pk", flat=True))
    NominationImport.objects.filter(pk__in=ids).update(status=ImportStatus.QUEUED, confirmed_at=now)
    with transaction.atomic():
        _enqueue(ids)
    old = NominationImport.objects.filter(created_at__lt=now - KEEP).exclude(
        status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
    )
    files = 0
    for _pk, path in old.exclude(stored_path="").values_list("pk", "stored_path"):
        default_storage.delete(path)
        files += 1
    old.exclude(stored_path="").update(stored_path="")
    rows, _by_model = NominationImportRow.objects.filter(nomination_import__in=old).delete()
    unconfirmed, _ = old.filter(status=ImportStatus.PREVIEW).delete()
    return {"enqueued": len(ids), "files": files, "rows": rows, "previews": unconfirmed}
