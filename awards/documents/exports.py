"""Exports built with the document toolkit: a unit's report (DOCX, PDF), the consolidated figures
(XLSX) and the draft provincial summary report (DOCX) with the figures filled into the outline."""

import datetime as dt

from django.utils import timezone

from ..models import Campaign, ItemKind, OutlineItem, Report, ReportVersion, Unit, UnitKind
from ..selectors.consolidation import Consolidation
from ..selectors.lateness import Lateness
from ..selectors.reports import report_sheet
from . import (
    Column,
    Document,
    Heading,
    Meta,
    Paragraph,
    Sheet,
    Table,
    build_xlsx,
    date_line,
    decree30_header,
    doc_number,
    format_int,
    signature,
)
from .decision import person_name

FILL_IN = "[Nội dung do đơn vị hoàn thiện]"


def _day(moment: dt.datetime | None, fallback: dt.date) -> dt.date:
    return timezone.localtime(moment).date() if moment else fallback


def _heading(item: OutlineItem) -> Heading:
    level = 1 if item.parent_id is None else 2
    label = f"{item.number}. {item.text}" if item.number else item.text
    return Heading(label, level=level)


def _answer_blocks(item: OutlineItem, answer, years: range) -> list:
    question = f"{item.number}) {item.text}" if item.number else item.text
    blocks: list = [Paragraph(question, bold=True, first_line_indent_cm=0)]
    unit = f" {item.unit_label}" if item.unit_label else ""
    if answer in (None, "", [], {}):
        blocks.append(Paragraph("(Không có số liệu)", italic=True))
    elif item.kind == ItemKind.COUNT:
        blocks.append(Paragraph(f"{format_int(answer)}{unit}."))
    elif item.kind == ItemKind.RATIO:
        blocks.append(Paragraph(f"{format_int(answer[0])}/{format_int(answer[1])}{unit}."))
    elif item.kind == ItemKind.YEARLY:
        shown = list(years)
        blocks.append(
            Table(
                [Column("Năm", 3.0, "center"), Column(item.unit_label.capitalize() or "Số lượng", 4.0, "right")],
                [[str(y), format_int(answer.get(y, 0))] for y in shown]
                + [["Tổng cộng", format_int(sum(answer.get(y, 0) for y in shown))]],
            )
        )
    elif item.kind == ItemKind.DOCUMENTS:
        blocks.append(
            Table(
                [Column("STT", 1.2, "center"), Column("Số, ký hiệu", 3.5), Column("Ngày", 2.5, "center"),
                 Column("Cơ quan ban hành", 3.8), Column("Trích yếu", 5.0)],
                [[str(n), d.number, d.issued_on.strftime("%d/%m/%Y") if d.issued_on else "", d.issuer, d.summary]
                 for n, d in enumerate(answer, 1)],
            )
        )  # fmt: skip
    elif item.kind == ItemKind.CASES:
        blocks.append(
            Table(
                [Column("STT", 1.2, "center"), Column("Vụ việc", 7.0), Column("Thời gian", 2.5, "center"),
                 Column("Kết quả", 5.3)],
                [[str(n), c.title, c.occurred_on.strftime("%d/%m/%Y") if c.occurred_on else "", c.result]
                 for n, c in enumerate(answer, 1)],
            )
        )  # fmt: skip
    elif item.kind == ItemKind.YES_NO:
        text = "Có" if answer[0] else "Không"
        blocks.append(Paragraph(f"{text}. Thành phần: {answer[1]}." if answer[1] else f"{text}."))
    else:
        blocks.extend(Paragraph(line) for line in str(answer).splitlines() if line.strip())
    return blocks


def report_document(*, report: Report, version: ReportVersion) -> Document:
    """A unit's report, laid out like the outline, as the head signed it."""
    campaign, unit = report.campaign, report.unit
    day = _day(version.submitted_at or version.saved_at, campaign.plan_date)
    superior = unit.header_superior()
    blocks: list = [
        decree30_header(unit.name.upper(), doc_number(None, "BC"), date_line(unit.document_place(), day), superior=superior),
        Heading("BÁO CÁO"),
        Paragraph(campaign.title, align="center", bold=True, first_line_indent_cm=0),
        Paragraph(f"(Theo Kế hoạch số {campaign.plan_reference} ngày {campaign.plan_date:%d/%m/%Y}; số liệu từ "
                  f"ngày {campaign.data_from:%d/%m/%Y} đến ngày {campaign.data_to:%d/%m/%Y})",
                  align="center", italic=True, first_line_indent_cm=0),
    ]  # fmt: skip
    for row in report_sheet(report=report, version=version):
        item = row["item"]
        if item.kind == ItemKind.SECTION:
            blocks.append(_heading(item))
        else:
            blocks.extend(_answer_blocks(item, row["answer"], campaign.data_years))
    signer = version.submitted_by.display_name if version.submitted_by else ""
    blocks.append(signature("THỦ TRƯỞNG ĐƠN VỊ", signer, recipients=[f"{campaign.reviewer.name};", "Lưu: VT."]))
    return Document(
        title=f"Báo cáo của {unit.name}",
        blocks=blocks,
        meta=Meta(created=day, author=unit.name, subject=campaign.title),
    )


def _total_text(item: OutlineItem, total) -> str:
    if total is None:
        return ""
    if item.kind == ItemKind.RATIO:
        return f"{format_int(total[0])}/{format_int(total[1])}"
    if item.kind == ItemKind.YEARLY:
        return format_int(sum(total.values()))
    return format_int(total)


def consolidation_xlsx(*, result: Consolidation, day: dt.date) -> bytes:
    campaign = result.campaign
    items = [i for i in campaign.outline.items.order_by("position") if i.is_numeric]
    years = list(campaign.data_years)
    kinds = [k for k in UnitKind.values if any(k in result.by_kind.get(i.code, {}) for i in items)]
    totals = Sheet(
        "Tổng hợp",
        [Column("Mã", 1.8), Column("Nội dung", 9.0), Column("Đơn vị tính", 2.8), Column("Tổng", 2.4, "right", "#,##0"),
         Column("Trên tổng số", 2.4, "right", "#,##0"),
         *(Column(UnitKind(k).label, 3.0, "right", "#,##0") for k in kinds)],
        (
            [i.code, i.text, i.unit_label, *_xlsx_value(i, result.totals.get(i.code)),
             *(_xlsx_value(i, result.by_kind.get(i.code, {}).get(k))[0] for k in kinds)]
            for i in items
        ),
        title=f"SỐ LIỆU TỔNG HỢP – KẾ HOẠCH {campaign.plan_reference}",
    )  # fmt: skip
    per_year = Sheet(
        "Theo năm",
        [Column("Mã", 1.8), Column("Nội dung", 9.0), *(Column(str(y), 2.0, "right", "#,##0") for y in years)],
        ([i.code, i.text, *((result.totals.get(i.code) or {}).get(y, 0) for y in years)]
         for i in items if i.kind == ItemKind.YEARLY),
        title="SỐ LIỆU THEO NĂM",
    )  # fmt: skip
    board = Sheet(
        "Tình hình báo cáo",
        [Column("STT", 1.2, "center"), Column("Đơn vị", 9.0), Column("Loại đơn vị", 5.0), Column("Trạng thái", 3.5),
         Column("Gửi lần đầu", 3.5), Column("Số ngày trễ hạn", 2.5, "right")],
        ([n, row["unit"].name, row["unit"].get_kind_display(),
          row["report"].get_status_display() if row["report"] else "Chưa bắt đầu",
          timezone.localtime(row["report"].first_submitted_at).strftime("%d/%m/%Y %H:%M")
          if row["report"] and row["report"].first_submitted_at else "",
          row["report"].late_days or 0 if row["report"] else 0]
         for n, row in enumerate(result.board, 1)),
    )  # fmt: skip
    return build_xlsx([totals, per_year, board], Meta(created=day, author=campaign.reviewer.name))


def _xlsx_value(item: OutlineItem, value) -> list:
    if value is None:
        return [None, None]
    if item.kind == ItemKind.RATIO:
        return [value[0], value[1]]
    if item.kind == ItemKind.YEARLY:
        return [sum(value.values()), None]
    return [value, None]


def provincial_summary_document(*, result: Consolidation, reviewer: Unit, day: dt.date) -> Document:
    """The province's summary report, drafted from the consolidated figures for the police to finish."""
    campaign: Campaign = result.campaign
    blocks: list = [
        decree30_header(reviewer.name.upper(), doc_number(None, "BC-CAT"), date_line(reviewer.document_place(), day), superior=reviewer.header_superior()),
        Heading("BÁO CÁO"),
        Paragraph(campaign.title, align="center", bold=True, first_line_indent_cm=0),
        Paragraph(f"Thực hiện Kế hoạch số {campaign.plan_reference} ngày {campaign.plan_date:%d/%m/%Y}, trên cơ sở "
                  f"báo cáo của {result.counted_reports} cơ quan, đơn vị, địa phương, {reviewer.name} tổng hợp kết "
                  f"quả như sau (số liệu từ ngày {campaign.data_from:%d/%m/%Y} đến ngày {campaign.data_to:%d/%m/%Y}):"),
    ]  # fmt: skip
    for item in campaign.outline.items.order_by("position"):
        if item.kind == ItemKind.SECTION:
            blocks.append(_heading(item))
        elif item.is_numeric:
            total = result.totals.get(item.code)
            blocks.extend(_answer_blocks(item, total, campaign.data_years) if item.kind == ItemKind.YEARLY else [
                Paragraph(f"{item.number}) {item.text}" if item.number else item.text, bold=True, first_line_indent_cm=0),
                Paragraph(f"Toàn tỉnh: {_total_text(item, total) or '0'} {item.unit_label}.".replace("  ", " ")),
            ])  # fmt: skip
        else:
            blocks.append(Paragraph(f"{item.number}) {item.text}" if item.number else item.text, bold=True,
                                    first_line_indent_cm=0))  # fmt: skip
            blocks.append(Paragraph(FILL_IN, italic=True))
    blocks.append(signature("GIÁM ĐỐC", "", recipients=["Bộ Công an (V05);", "UBND tỉnh;", "Lưu: VT."]))
    return Document(title="Báo cáo tổng hợp", blocks=blocks, meta=Meta(created=day, author=reviewer.name))


def lateness_xlsx(*, result: Lateness, day: dt.date, author: str) -> bytes:
    """The lateness report's three tables, one sheet each (working days)."""
    plan = f" – KẾ HOẠCH {result.campaign.plan_reference}" if result.campaign else ""
    figures = [Column("Đã xử lý", 2.2, "right", "#,##0"), Column("Trễ hạn", 2.2, "right", "#,##0"),
               Column("Tỷ lệ trễ (%)", 2.4, "right"), Column("Trung bình (ngày làm việc)", 3.2, "right", "0.0"),
               Column("Lâu nhất (ngày làm việc)", 3.2, "right"), Column("Đang xử lý", 2.2, "right", "#,##0"),
               Column("Đang trễ hạn", 2.2, "right", "#,##0")]  # fmt: skip

    def values(row) -> list:
        return [row.handled, row.late, row.late_percent, row.average_days, row.worst_days, row.open, row.open_late]

    sheets = [
        Sheet("Theo cơ quan", [Column("Cơ quan", 8.0), *figures], ([r.label, *values(r)] for r in result.by_agency),
              title=f"THỜI GIAN XỬ LÝ HỒ SƠ THEO CƠ QUAN{plan}"),
        Sheet("Theo bước", [Column("Cơ quan", 7.0), Column("Bước", 6.0), *figures],
              ([r.agency, r.label, *values(r)] for r in result.by_step), title=f"THỜI GIAN XỬ LÝ THEO BƯỚC{plan}"),
        Sheet("Theo cán bộ", [Column("Cơ quan", 7.0), Column("Cán bộ", 6.0), *figures],
              ([r.agency, r.label, *values(r)] for r in result.by_officer), title=f"THỜI GIAN XỬ LÝ THEO CÁN BỘ{plan}"),
    ]  # fmt: skip
    return build_xlsx(sheets, Meta(created=day, author=author))


def awardees_xlsx(*, campaign: Campaign, items: list, day: dt.date) -> bytes:
    """A unit's awardees in a campaign: the award, the decision, the prize; revoked awards flagged."""
    columns = [Column("STT", 1.2, "center"), Column("Hình thức khen thưởng", 6.0), Column("Tập thể / cá nhân", 6.5),
               Column("Chức vụ", 4.0), Column("Đơn vị", 6.0), Column("Quyết định", 3.2), Column("Ngày", 2.6),
               Column("Tiền thưởng (đồng)", 3.2, "right", "#,##0"), Column("Ghi chú", 5.0)]  # fmt: skip

    def row(index: int, item) -> list:
        name, position, unit = item.nomination.printed_details
        if item.nomination.kind == "individual":
            name = person_name(name)
        notes = []
        if item.corrected_by_id:
            notes.append(f"Đã đính chính theo Quyết định số {item.corrected_by.reference}")
        if item.revoked_by_id:
            notes.append(f"Đã thu hồi theo Quyết định số {item.revoked_by.reference}")
        note = "; ".join(notes)
        name, position, unit = (" ".join(text.split()) for text in (name, position, unit))  # as printed
        return [index, item.decision.award_type.name, name, position, unit,
                item.decision.reference, item.decision.date, item.prize_amount, note]  # fmt: skip

    title = f"DANH SÁCH KHEN THƯỞNG – KẾ HOẠCH {campaign.plan_reference}"
    sheet = Sheet("Khen thưởng", columns, (row(i, item) for i, item in enumerate(items, 1)), title=title)
    return build_xlsx([sheet], Meta(created=day, author=""), title=title)


def import_shaped_xlsx(*, sheet: str, headers, rows, day: dt.date, author: str) -> bytes:
    """Records in an import's columns, headed as its template is (a required column marked "(*)"), one row each
    and nothing above the header: the file that import reads back. `headers`: (title, required, kind) with kind
    "date" (dd/mm/yyyy) or "text". Text stays text, "=…" included (build_xlsx); a citizen ID keeps its zeros."""
    columns = [Column(f"{title} (*)" if required else title, 5.0 if kind == "date" else 6.0, "left",
                      "dd/mm/yyyy" if kind == "date" else None) for title, required, kind in headers]  # fmt: skip
    return build_xlsx([Sheet(sheet, columns, rows)], Meta(created=day, author=author))
