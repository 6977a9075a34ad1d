"""Benchmark of the document toolkit on long tables (figures recorded in docs/documents.md).

    DEBUG=1 .venv/bin/python bench/documents.py                 # 2,000 and 10,000 rows, every case
    DEBUG=1 .venv/bin/python bench/documents.py --rows 500 --cases pdf xlsx

Each case runs in its own subprocess, so its peak memory (ru_maxrss) is its own; the times are the
build call alone (imports excluded), wall clock and CPU (the CPU time is the steadier figure on a
busy machine); the memory is the whole process (interpreter and libraries included: the `baseline`
case shows what that costs). Nothing is asserted: timings vary by machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ("baseline", "docx", "docx-naive", "pdf", "pdf-naive", "xlsx")
DESCRIPTIONS = {
    "baseline": "imports only (python-docx, ReportLab, XlsxWriter, fonts registered)",
    "docx": "build_docx (rows written as XML text)",
    "docx-naive": "python-docx table.add_row() + cell.text",
    "pdf": "build_pdf (ReportLab, rows measured once, sliced per page)",
    "pdf-naive": "ReportLab LongTable(repeatRows=1) of Paragraph cells",
    "xlsx": "build_xlsx (XlsxWriter constant_memory)",
}


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc", "Thị Thu", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hiếu", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long",
         "Mai", "Nam", "Nga", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tú", "Tuấn",
         "Vân", "Yến"]  # fmt: skip
WARDS = ["Tân Phong", "Tân Biên", "Tân Hòa", "Hố Nai", "Trảng Dài", "Long Bình", "Tam Hiệp", "Bửu Long", "Quang Vinh",
         "Thống Nhất", "Tân Tiến", "Trung Dũng", "Hòa Bình", "An Bình", "Bình Đa", "Tân Mai", "Long Bình Tân"]  # fmt: skip
POSITIONS = ["Cán bộ", "Chiến sĩ", "Phó Trưởng Công an phường", "Trưởng Công an phường",
             "Phó Trưởng phòng Cảnh sát quản lý hành chính về trật tự xã hội", "Tổ trưởng tổ bảo vệ an ninh, trật tự"]  # fmt: skip
AWARDS = ["Giấy khen", "Bằng khen của Chủ tịch UBND tỉnh", "Bằng khen của Bộ trưởng Bộ Công an"]


def rows(n: int) -> list[list[str]]:
    """A realistic list: names mostly distinct, units and positions repeating as in a real campaign."""
    return [
        [
            str(i + 1),
            f"{FAMILY[i % 14]} {MIDDLE[i * 7 % 10]} {GIVEN[i * 11 % 30]}",
            f"{1 + i % 28:02d}/{1 + i * 5 % 12:02d}/19{60 + i * 3 % 40}",
            POSITIONS[i * 5 % 6],
            f"Ủy ban nhân dân phường {WARDS[i % 17]}",
            AWARDS[i * 3 % 7 % 3],
        ]
        for i in range(n)
    ]


def child(case: str, n: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from awards.documents import Column, Document, Meta, Sheet, Table, build_docx, build_pdf, build_xlsx, typeface

    typeface.register()
    columns = [
        Column("STT", 1.2, "center"),
        Column("Họ và tên", 3.6),
        Column("Ngày sinh", 2.4, "center"),
        Column("Chức vụ", 3.3),
        Column("Đơn vị", 3.2),
        Column("Hình thức", 2.8),
    ]
    data = rows(n)
    meta = Meta(date(2025, 1, 5), author="bench")
    doc = Document("Danh sách", [Table(columns, data)], meta)
    result: dict = {"case": case, "rows": n}
    start, cpu_start = time.perf_counter(), time.process_time()
    if case == "baseline":
        out = b""
    elif case == "docx":
        out = build_docx(doc)
    elif case == "docx-naive":
        out = naive_docx(columns, data)
    elif case == "pdf":
        out = build_pdf(doc)
    elif case == "pdf-naive":
        out = naive_pdf(columns, data)
    elif case == "xlsx":
        out = build_xlsx([Sheet("Danh sách", columns, data)], meta)
    else:
        raise SystemExit(f"unknown case {case}")
    result["seconds"] = round(time.perf_counter() - start, 3)
    result["cpu_seconds"] = round(time.process_time() - cpu_start, 3)
    result["bytes"] = len(out)
    result["maxrss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if case.startswith("pdf"):
        import io

        from pypdf import PdfReader

        result["pages"] = len(PdfReader(io.BytesIO(out)).pages)
    if case == "docx" and (shutil.which("soffice") or shutil.which("libreoffice")):
        result["soffice_seconds"] = soffice_convert(out)
    return result


def naive_docx(columns, data) -> bytes:
    """What python-docx's API invites: add_row() per row, then cell.text per cell."""
    import io

    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, column in zip(table.rows[0].cells, columns, strict=True):
        cell.text = column.title
    for values in data:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def naive_pdf(columns, data) -> bytes:
    """ReportLab's textbook long table: a Paragraph per cell (so text wraps), header repeated."""
    import io

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import LongTable, SimpleDocTemplate
    from reportlab.platypus import Paragraph as P

    from awards.documents import typeface

    style = ParagraphStyle("cell", fontName=typeface.face(), fontSize=13, leading=15)
    head = ParagraphStyle("head", parent=style, fontName=typeface.face(bold=True))
    table = LongTable(
        [[P(c.title, head) for c in columns], *([P(v, style) for v in row] for row in data)],
        colWidths=[c.width_cm * cm for c in columns],
        repeatRows=1,
        style=[("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")],
    )
    out = io.BytesIO()
    margins = {"leftMargin": 3 * cm, "rightMargin": 1.5 * cm, "topMargin": 2 * cm, "bottomMargin": 2 * cm}
    SimpleDocTemplate(out, pagesize=A4, invariant=1, **margins).build([table])
    return out.getvalue()


def soffice_convert(docx_bytes: bytes) -> float:
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "bench.docx"
        source.write_bytes(docx_bytes)
        start = time.perf_counter()
        subprocess.run(
            [binary, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(source)], check=True, capture_output=True
        )
        return round(time.perf_counter() - start, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--child", nargs=2, metavar=("CASE", "ROWS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]))))
        return

    print(f"python {sys.version.split()[0]}; 6-column table, each case in a fresh process\n")
    print(f"{'case':<12} {'rows':>6} {'seconds':>8} {'CPU s':>8} {'peak RSS MB':>12} {'size KB':>9} {'pages':>6}")
    for n in args.rows:
        for case in args.cases:
            proc = subprocess.run(
                [sys.executable, __file__, "--child", case, str(n)], capture_output=True, text=True, check=True
            )
            r = json.loads(proc.stdout)
            pages = r.get("pages", "")
            print(
                f"{case:<12} {n:>6} {r['seconds']:>8.2f} {r['cpu_seconds']:>8.2f} {r['maxrss_mb']:>12.1f}"
                f" {r['bytes'] / 1024:>9.0f} {pages:>6}"
            )
            if "soffice_seconds" in r:
                print(f"{'  soffice':<12} {n:>6} {r['soffice_seconds']:>8.2f}  (LibreOffice DOCX -> PDF)")
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        print("\nLibreOffice is not installed here: DOCX -> PDF conversion not measured.")
    print()
    for case in args.cases:
        print(f"  {case:<12} {DESCRIPTIONS[case]}")


if __name__ == "__main__":
    main()
