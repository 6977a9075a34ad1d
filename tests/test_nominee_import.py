"""Importing nominees from Excel: the template, the preview with each bad input a real file has, the confirmation,
the job (idempotent), the audit trail, the sweep, the scoping and the upload hardening."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl.styles import Font

from awards.models import (
    AuditEvent,
    ImportStatus,
    Nomination,
    NominationImport,
    NominationImportRow,
    NominationStatus,
)
from awards.services import imports as svc
from tests.test_decision_views import media as media  # noqa: F401 - the fixture
from tests.test_nominations import nominate
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
HEADERS = [c.title for c in svc.COLUMNS]
# kind, name, gender, birth date, CCCD, position, workplace, parent unit, women %, achievement, report, award
AN = ["Cá nhân", "Nguyễn Văn An", "Nam", "02/03/1985", "075085001234", "Trưởng phòng", "Công ty An Bình", "", "",
      "Có thành tích xuất sắc", "", ""]  # fmt: skip
BINH = ["Cá nhân", "Trần Thị Bình", "Nữ", "05/01/1990", "", "Kế toán", "Công ty An Bình", "", "",
        "Hoàn thành xuất sắc nhiệm vụ", "", ""]  # fmt: skip


def workbook_bytes(rows, headers=HEADERS, *, fonts=None, merge=None, before=()) -> bytes:
    """A workbook with `headers` then `rows` (values as given; a cell's font from `fonts[(row, col)]`)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    for line in before:
        sheet.append(line)
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for (row, col), name in (fonts or {}).items():
        sheet.cell(row=row, column=col).font = Font(name=name)
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, campaign, tier, data: bytes, name="danh-sach.xlsx"):
    return client.post(reverse("import_start", args=[campaign.pk]),
                       {"award_type": tier.pk, "file": SimpleUploadedFile(name, data)})  # fmt: skip


def preview(org, campaign, tier, rows, persona="officer_a", **kwargs) -> NominationImport:
    data = workbook_bytes(rows, **kwargs)
    return svc.import_preview(by=org.actor(persona), campaign=campaign, award_type=tier,
                              uploaded_file=SimpleUploadedFile("danh-sach.xlsx", data))  # fmt: skip


def cells(imp, number) -> dict:
    row = imp.rows.get(number=number)
    return {key: (cell.get("v"), cell.get("e", [])) for key, cell in row.cells.items()}, row


# The template --------------------------------------------------------------------------------------------


def test_the_template_has_instructions_typed_columns_and_drop_down_lists(org, world, media):
    campaign, tiers = world
    response = org.client("officer_a").get(reverse("import_template", args=[campaign.pk]),
                                           {"tier": tiers["director"].pk})  # fmt: skip
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Danh sách", "Hướng dẫn", "Danh mục"]
    data, guide, lists = workbook["Danh sách"], workbook["Hướng dẫn"], workbook["Danh mục"]
    headers = [c.value for c in data[1]]
    assert headers[1] == "Họ và tên / Tên tập thể (*)" and "Ngày sinh" in headers and "Số CCCD" in headers
    assert lists.sheet_state == "hidden"
    guide_text = "\n".join(str(c.value) for c in guide["A"] if c.value)
    assert "dd/mm/yyyy" in guide_text and "05/01/1985" in guide_text and tiers["director"].name in guide_text
    assert "5.000" in guide_text  # the documented row limit
    validations = {str(v.sqref).split(":")[0]: v for v in data.data_validations.dataValidation if v.type == "list"}
    choices = {col: [c.value for c in lists[v.formula1.split("!")[1].replace("$", "").split(":")[0][0]] if c.value]
               for col, v in validations.items()}  # fmt: skip
    assert choices["A2"] == ["Cá nhân", "Tập thể"]
    assert choices["C2"] == ["Nam", "Nữ"]
    assert [t.name for t in campaign.award_types.order_by("position")] == choices["L2"]
    dims = data.column_dimensions
    assert dims["D"].number_format == "dd/mm/yyyy" and dims["E"].number_format == "@"  # CCCD keeps its zeros


def test_the_filled_template_previews_and_imports_as_drafts(org, world, media, django_capture_on_commit_callbacks):
    campaign, tiers = world
    template = org.client("officer_a").get(reverse("import_template", args=[campaign.pk])).content
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    for row in (AN, BINH):
        workbook["Danh sách"].append(row)
    out = io.BytesIO()
    workbook.save(out)
    client = org.client("officer_a")
    response = upload(client, campaign, tiers["director"], out.getvalue())
    imp = NominationImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("import_detail", args=[campaign.pk, imp.pk])
    assert (imp.rows_total, imp.rows_valid, imp.status) == (2, 2, ImportStatus.PREVIEW)
    assert not Nomination.objects.exists()  # nothing saved before the confirmation
    page = client.get(response["Location"]).content.decode()
    assert "Nguyễn Văn An" in page and 'data-testid="import-confirm"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import_confirm", args=[campaign.pk, imp.pk]))
    imp.refresh_from_db()
    assert (imp.status, imp.rows_created, imp.progress) == (ImportStatus.DONE, 2, 100)
    made = Nomination.objects.order_by("name")
    assert [(n.name, n.status, n.unit, n.award_type, n.created_by) for n in made] == [
        ("Nguyễn Văn An", NominationStatus.DRAFT, org.units["a"], tiers["director"], org.users["officer_a"]),
        ("Trần Thị Bình", NominationStatus.DRAFT, org.units["a"], tiers["director"], org.users["officer_a"]),
    ]  # fmt: skip
    assert made[1].birth_date == dt.date(1990, 1, 5)  # 05/01/1990 is 5 January
    created = AuditEvent.objects.filter(action="nomination_created")
    assert {e.detail["import"] for e in created} == {imp.pk} and created.count() == 2
    event = AuditEvent.objects.get(action="nominations_imported")
    assert event.detail == {"sha256": imp.sha256, "size": imp.size, "campaign": campaign.pk,
                            "award_type": tiers["director"].pk, "rows": 2, "valid": 2, "created": 2,
                            "refused": 0}  # fmt: skip
    listing = client.get(reverse("campaign_nominations", args=[campaign.pk])).content.decode()
    assert "Nguyễn Văn An" in listing and "Trần Thị Bình" in listing
    assert reverse("import_start", args=[campaign.pk]) in listing  # the link from the nominations page


def test_a_job_run_again_creates_nothing_twice(org, world, media, django_capture_on_commit_callbacks):
    campaign, tiers = world
    imp = preview(org, campaign, tiers["director"], [AN, BINH])
    with django_capture_on_commit_callbacks(execute=False):  # the job is not run: we run it by hand below
        svc.import_confirm(by=org.actor("officer_a"), nomination_import=imp)
    # A worker killed after the first batch: half done, still RUNNING, its job redelivered.
    svc.BATCH, batch = 1, svc.BATCH
    try:
        row = imp.rows.get(position=1)
        NominationImport.objects.filter(pk=imp.pk).update(status=ImportStatus.RUNNING)
        svc._run_batch(actor=org.actor("officer_a"), campaign=campaign, tiers={tiers["director"].pk: tiers["director"]},
                       pending=imp.rows.filter(valid=True, nomination__isnull=True, error=""), import_id=imp.pk)  # fmt: skip
        row.refresh_from_db()
        assert row.nomination is not None and Nomination.objects.count() == 1
    finally:
        svc.BATCH = batch
    assert svc.import_run(imp.pk) == "imported"
    assert svc.import_run(imp.pk) == "done"
    assert Nomination.objects.count() == 2
    assert AuditEvent.objects.filter(action="nominations_imported").count() == 1
    assert AuditEvent.objects.filter(action="nomination_created").count() == 2


def test_confirming_twice_queues_one_job(org, world, media, django_capture_on_commit_callbacks):
    campaign, tiers = world
    imp = preview(org, campaign, tiers["director"], [AN])
    client = org.client("officer_a")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("import_confirm", args=[campaign.pk, imp.pk]))
        client.post(reverse("import_confirm", args=[campaign.pk, imp.pk]))
    assert len(callbacks) == 1 and Nomination.objects.count() == 1


# Bad input ------------------------------------------------------------------------------------------------


def test_a_file_that_is_not_the_template_names_the_missing_columns(org, world, media):
    campaign, tiers = world
    response = upload(org.client("officer_a"), campaign, tiers["director"],
                      workbook_bytes([["Nguyễn Văn An", "x"]], headers=["Họ và tên", "Ghi chú"]))  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200 and "“Tóm tắt thành tích”" in page and "“Họ và tên" not in page
    assert not NominationImport.objects.exists()


def test_extra_and_reordered_columns_are_matched_by_header(org, world, media):
    campaign, tiers = world
    headers = ["STT", "Tóm tắt thành tích", "HỌ VÀ TÊN", "Ngày tháng năm sinh", "Giới tính", "Chức vụ",
               "Nơi công tác", "Ghi chú"]  # fmt: skip
    row = [1, "Có thành tích xuất sắc", "Nguyễn Văn An", "02/03/1985", "Nam", "Trưởng phòng", "Công ty An Bình", "x"]
    imp = preview(org, campaign, tiers["director"], [row], headers=headers, before=[["DANH SÁCH ĐỀ NGHỊ"]])
    assert (imp.rows_total, imp.rows_valid) == (1, 1)
    assert imp.ignored_columns == ["STT", "Ghi chú"]
    assert imp.rows.get().data["name"] == "Nguyễn Văn An"


def test_empty_rows_are_skipped_and_merged_cells_fill_the_rows_they_cover(org, world, media):
    campaign, tiers = world
    second = [*BINH]
    second[6] = None  # the workplace is merged from the row above (G2:G4)
    imp = preview(org, campaign, tiers["director"], [AN, [None] * 12, second], merge="G2:G4")
    assert imp.rows_total == 2 and imp.rows_valid == 2
    shown, row = cells(imp, 4)
    assert row.data["workplace"] == "Công ty An Bình" and row.cells["workplace"]["m"] == 1


def test_dates_typed_as_text_serial_numbers_and_impossible_dates(org, world, media):
    campaign, tiers = world
    rows = []
    for name, born in (("Người Một", "05/01/1985"), ("Người Hai", 31048), ("Người Ba", "31/02/2025"),
                       ("Người Bốn", dt.datetime(1985, 1, 5)), ("Người Năm", 1985), ("Người Sáu", "1985/13/45")):  # fmt: skip
        rows.append(["Cá nhân", name, "Nam", born, "", "Cán bộ", "Công ty", "", "", "Thành tích", "", ""])
    imp = preview(org, campaign, tiers["director"], rows)
    data = {r.data["name"]: r for r in imp.rows.all()}
    assert data["Người Một"].data["birth_date"] == "1985-01-05"  # 5 January, not 1 May
    assert data["Người Hai"].data["birth_date"] == "1985-01-01"  # Excel's serial 31048
    assert data["Người Bốn"].data["birth_date"] == "1985-01-05"
    assert data["Người Ba"].valid is False
    assert "31/02/2025" in data["Người Ba"].cells["birth_date"]["e"][0]
    assert "dd/mm/yyyy" in data["Người Năm"].cells["birth_date"]["e"][0]  # a year alone
    assert data["Người Sáu"].valid is False
    assert data["Người Một"].cells["birth_date"]["v"] == "05/01/1985"


def test_a_cccd_stored_as_a_number_gets_its_leading_zero_back_and_is_checked(org, world, media):
    campaign, tiers = world
    lost_zero = [*AN]
    lost_zero[4] = 75085001234  # Excel dropped the 0 of 075085001234
    wrong = [*BINH]
    wrong[4] = "075185001234"  # a woman's 4th digit is odd: 1 is right; year digits 85 do not match 1990
    imp = preview(org, campaign, tiers["director"], [lost_zero, wrong])
    first = imp.rows.get(position=1)
    assert first.valid and first.data["id_number"] == "075085001234"
    assert first.cells["id_number"]["v"] == "075085001234" and first.cells["id_number"]["n"]
    second = imp.rows.get(position=2)
    assert not second.valid and any("1990" in e for e in second.cells["id_number"]["e"])


def test_required_fields_and_choices_are_checked_per_cell(org, world, media):
    campaign, tiers = world
    row = ["Ai đó", "", "Không rõ", "", "", "", "", "", "", "", "", "Huân chương"]
    imp = preview(org, campaign, tiers["director"], [row])
    shown, stored = cells(imp, 2)
    assert not stored.valid
    assert "Cá nhân" in shown["kind"][1][0]
    assert shown["name"][1] and shown["achievement"][1]
    assert shown["gender"][1] and shown["award"][1]


def test_the_same_person_twice_in_the_file_is_an_error_on_both_rows(org, world, media):
    campaign, tiers = world
    twin = [*AN]
    twin[4] = ""  # no CCCD: same name and date of birth
    imp = preview(org, campaign, tiers["director"], [AN, BINH, twin])
    assert imp.rows_valid == 1
    assert "4" in imp.rows.get(number=2).errors[0] and "2" in imp.rows.get(number=4).errors[0]


def test_a_nominee_already_in_the_campaign_is_worded_as_the_form_words_it(org, world, media):
    campaign, tiers = world
    nominate(org, campaign, tiers["director"], persona="officer_b")  # another unit proposed An
    nominate(org, campaign, tiers["director"], **{"name": "Trần Thị Bình", "gender": "female",
                                                   "birth_date": dt.date(1990, 1, 5), "id_number": ""})  # fmt: skip
    imp = preview(org, campaign, tiers["director"], [AN, BINH])
    other, own = imp.rows.get(position=1), imp.rows.get(position=2)
    form_words = gettext(
        "This nominee is already proposed in this campaign. One achievement, one award: the police "
        "reviewer will look at both."
    )
    assert other.valid and other.warnings == [form_words]
    assert org.units["b"].name not in str(other.warnings)  # the other unit is never named
    assert not own.valid and own.errors  # our own unit's: importing the list twice


def test_more_rows_than_the_limit_are_refused(org, world, media, monkeypatch):
    campaign, tiers = world
    monkeypatch.setattr(svc, "MAX_ROWS", 3)
    rows = [[*AN[:1], f"Người {i}", *AN[2:]] for i in range(4)]
    response = upload(org.client("officer_a"), campaign, tiers["director"], workbook_bytes(rows))
    assert response.status_code == 200 and "3" in response.content.decode()
    assert not NominationImport.objects.exists()


def test_fifty_thousand_rows_are_refused_without_reading_them_all(org, world, media):
    campaign, tiers = world
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(HEADERS)
    for i in range(50_000):
        sheet.append(["Cá nhân", f"Người {i}", "Nam", "02/03/1985", "", "Cán bộ", "Công ty", "", "", "Thành tích"])
    out = io.BytesIO()
    workbook.save(out)
    response = upload(org.client("officer_a"), campaign, tiers["director"], out.getvalue())
    page = response.content.decode()
    assert response.status_code == 200 and "5.000" in page
    assert not NominationImport.objects.exists()


def test_an_old_xls_file_is_asked_to_be_saved_as_xlsx(org, world, media):
    campaign, tiers = world
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000
    for name in ("danh-sach.xls", "danh-sach.xlsx"):  # by its name, or by its content under a new name
        response = upload(org.client("officer_a"), campaign, tiers["director"], ole2, name=name)
        assert ".xlsx" in response.content.decode() and response.status_code == 200
    csv = upload(org.client("officer_a"), campaign, tiers["director"], b"a,b\n", name="danh-sach.csv")
    assert "xlsx" in csv.content.decode()
    assert not NominationImport.objects.exists()


def test_formulas_are_kept_as_text_never_computed(org, world, media):
    campaign, tiers = world
    row = [*AN]
    row[5] = '=HYPERLINK("http://evil.example","Trưởng phòng")'
    row[9] = "+Có thành tích"
    imp = preview(org, campaign, tiers["director"], [row])
    stored = imp.rows.get()
    assert stored.data["position"] == '=HYPERLINK("http://evil.example","Trưởng phòng")'
    assert stored.cells["position"]["f"] == 1 and stored.data["achievement"] == "+Có thành tích"


def test_legacy_text_is_converted_and_shown_beside_its_original(org, world, media):
    campaign, tiers = world
    row = [*AN]
    row[1], row[5], row[6] = "NguyÔn V¨n An", "Tröôûng phoøng", "§ång Nai"
    imp = preview(org, campaign, tiers["director"], [row], fonts={(2, 2): ".VnTime", (2, 6): "VNI-Times",
                                                                 (2, 7): ".VnTime"})  # fmt: skip
    stored = imp.rows.get()
    assert (stored.data["name"], stored.data["position"], stored.data["workplace"]) == (
        "Nguyễn Văn An", "Trưởng phòng", "Đồng Nai")  # fmt: skip
    assert stored.cells["name"]["o"] == "NguyÔn V¨n An" and stored.cells["position"]["l"] == "VNI"
    page = org.client("officer_a").get(reverse("import_detail", args=[campaign.pk, imp.pk])).content.decode()
    assert "NguyÔn V¨n An" in page and "Nguyễn Văn An" in page


# Hardening --------------------------------------------------------------------------------------------------


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.pop(info.filename, source.read(info.filename)))
        for name, data in replace.items():  # new parts
            target.writestr(name, data)
    return out.getvalue()


def test_an_xml_entity_bomb_is_refused(org, world, media):
    campaign, tiers = world
    data = workbook_bytes([AN])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    body = sheet.split("?>", 1)[1] if sheet.startswith("<?xml") else sheet
    bomb = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>') + body.replace("<sheetData>", "<sheetData>&c;")  # fmt: skip
    response = upload(org.client("officer_a"), campaign, tiers["director"],
                      _rezip(data, {"xl/worksheets/sheet1.xml": bomb.encode()}))  # fmt: skip
    assert response.status_code == 200 and not NominationImport.objects.exists()
    assert "XML" in response.content.decode()


def test_a_zip_bomb_is_refused_before_it_is_read(org, world, media):
    campaign, tiers = world
    data = workbook_bytes([AN])
    padding = b"<!-- " + b" " * (60 * 1024 * 1024) + b" -->"  # 60 MB of blanks, a few KB compressed
    bomb = _rezip(data, {"xl/worksheets/sheet2.xml": padding})
    response = upload(org.client("officer_a"), campaign, tiers["director"], bomb)
    assert response.status_code == 200 and not NominationImport.objects.exists()
    assert "100" in response.content.decode()  # "compressed more than 100 times"


def test_a_workbook_expanding_past_the_imports_own_limit_is_refused():
    from django.core.exceptions import ValidationError

    from awards.imports.xlsx import check_archive

    data = workbook_bytes([AN])
    check_archive(io.BytesIO(data))
    with pytest.raises(ValidationError) as refused:
        check_archive(io.BytesIO(data), max_uncompressed=1000)
    assert refused.value.code == "archive_bomb"


def test_a_file_over_the_size_cap_is_refused_while_it_streams(org, world, media, monkeypatch):
    campaign, tiers = world
    response = upload(org.client("officer_a"), campaign, tiers["director"], b"PK" + b"\x00" * (11 * 1024 * 1024))
    assert response.status_code == 200 and "10 MB" in response.content.decode()
    assert not NominationImport.objects.exists()


# Scoping --------------------------------------------------------------------------------------------------


def test_only_the_units_drafters_see_and_confirm_its_import(org, world, media):
    campaign, tiers = world
    imp = preview(org, campaign, tiers["director"], [AN])
    url = reverse("import_detail", args=[campaign.pk, imp.pk])
    assert org.client("head_a").get(url).status_code == 200  # a colleague who may draft too
    for persona in ("officer_b", "police", "director", "outsider"):
        client = org.client(persona)
        assert client.get(url).status_code == 403
        assert client.post(reverse("import_confirm", args=[campaign.pk, imp.pk])).status_code == 403
    imp.refresh_from_db()
    assert imp.status == ImportStatus.PREVIEW
    for persona in ("police", "director"):  # reviewers do not draft nominations
        assert org.client(persona).get(reverse("import_start", args=[campaign.pk])).status_code == 403


def test_a_membership_ended_before_the_job_creates_nothing(org, world, media, django_capture_on_commit_callbacks):
    from awards.services import org as org_services

    campaign, tiers = world
    imp = preview(org, campaign, tiers["director"], [AN])
    with django_capture_on_commit_callbacks(execute=False):
        svc.import_confirm(by=org.actor("officer_a"), nomination_import=imp)
    membership = org.memberships["officer_a"]
    membership.valid_from = dt.date.today() - dt.timedelta(days=30)
    membership.save()
    org_services.membership_end(by=None, membership=membership, last_day=dt.date.today() - dt.timedelta(days=1))
    assert svc.import_run(imp.pk) == "failed"
    assert not Nomination.objects.exists()


def test_the_sweep_resends_lost_jobs_and_deletes_old_files_and_rows(
    org, world, media, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage
    from django.utils import timezone

    campaign, tiers = world
    lost = preview(org, campaign, tiers["director"], [AN])
    old = preview(org, campaign, tiers["director"], [BINH])
    with django_capture_on_commit_callbacks(execute=False):
        svc.import_confirm(by=org.actor("officer_a"), nomination_import=lost)
    NominationImport.objects.filter(pk=lost.pk).update(confirmed_at=timezone.now() - dt.timedelta(hours=1))
    NominationImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        result = svc.imports_sweep()
    assert result == {"enqueued": 1, "files": 1, "rows": 1, "previews": 1}
    assert not default_storage.exists(old.stored_path)
    lost.refresh_from_db()
    assert lost.status == ImportStatus.DONE and Nomination.objects.get().name == "Nguyễn Văn An"
    assert not NominationImportRow.objects.filter(nomination_import_id=old.pk).exists()
