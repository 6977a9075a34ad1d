"""An award decision with 10,000 awardees, its files built through the production code path, against
floors measured in the same run.

    .venv/bin/python bench/decisions.py                        # 10,000 awardees, every case, best of 3
    .venv/bin/python bench/decisions.py --rows 2000 --repeat 1 # one fresh process per case
    .venv/bin/python bench/decisions.py --quick                # 1,000 awardees, a smoke run of every check
    .venv/bin/python bench/decisions.py --cases xlsx xlsx-floor --keep /tmp/qd  # some cases, keep the files

The decision (`DecisionText`) is generated deterministically (seeded random): 5% collectives (teams,
commune police, neighbourhood security groups), 95% individuals with Vietnamese names, positions and
units of a provincial police; a few names typed in lower case, with doubled spaces or decomposed (NFD)
as a Windows keyboard sends them, which the production path must clean up. Sort keys are computed
beforehand, as `Nomination.save()` stores them. No database, no Django settings: the builders are pure.

Each case runs in its own fresh process, so its memory is its own:

    baseline    imports (python-docx, ReportLab, XlsxWriter, fonts registered) and the DecisionText
    docx        decision_document(text) then build_docx(doc)           (production)
    docx-naive  python-docx add_table(), then table.add_row() + cell.text per cell for the same rows (floor)
    xlsx        decision_list_xlsx(text)                                (production)
    xlsx-floor  XlsxWriter {'constant_memory': True}, write_row() of the same cells, no formats (floor)
    pdf         decision_document(text) then build_pdf(doc)            (production)
    pdf-floor   ReportLab LongTable of plain strings (no wrapping), header repeated (for reference only)

Printed per case (the fastest of --repeat runs, each in a fresh process; the memory is the largest of
them): the build call's wall-clock and CPU seconds (imports and data generation excluded),
the whole child process's wall time, the peak RSS of the child's process tree (`os.wait4` returns the
child's rusage merged with its waited-for descendants', i.e. RUSAGE_BOTH: the largest ru_maxrss among
them; interpreter and libraries included, `baseline` shows that share), the file size and the pages
of a PDF. Then the files of the production path are read back and checked (python-docx, openpyxl in
read-only mode, pypdf), and the goals are printed with PASS/FAIL:

    XLSX time <= 1.5x the XlsxWriter floor; DOCX at least 5x faster than python-docx's naive table;
    peak memory < 300 MB for each format of the production path.

A FAIL is printed, not an error: the exit status is non-zero only when a read-back check fails (or a
case crashes). Timings depend on the machine and on what else runs on it; the CPU seconds are the
steadier figure on a busy machine (their ratios are printed beside the wall-clock ones).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ("baseline", "docx", "docx-naive", "xlsx", "xlsx-floor", "pdf", "pdf-floor")
PRODUCTION = ("docx", "xlsx", "pdf")
SEED = 20250105
XLSX_GOAL = 1.5  # production XLSX time <= this x the XlsxWriter floor
DOCX_GOAL = 5.0  # python-docx's naive table takes >= this x production DOCX
MEMORY_GOAL_MB = 300.0

# --- the decision ----------------------------------------------------------------------------------

# Family names with rough frequencies (Nguyễn about 38%).
FAMILY = {"Nguyễn": 38, "Trần": 11, "Lê": 9, "Phạm": 7, "Hoàng": 5, "Huỳnh": 5, "Phan": 4, "Vũ": 4, "Võ": 4,
          "Đặng": 2, "Bùi": 2, "Đỗ": 1.5, "Hồ": 1.5, "Ngô": 1.5, "Dương": 1, "Lý": 0.5, "Đoàn": 0.5, "Trịnh": 0.5,
          "Đinh": 0.5, "Lâm": 0.4, "Mai": 0.4, "Cao": 0.3, "Tạ": 0.2, "Châu": 0.2, "Lương": 0.2}  # fmt: skip
MIDDLE_M = ["Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Xuân", "Công", "Đình", "Trọng", "Hoàng", "Văn Minh"]
MIDDLE_F = ["Thị", "Thị", "Thị Thu", "Thị Ngọc", "Ngọc", "Thị Thanh", "Thị Kim", "Thị Mỹ", "Thị Hồng", "Thùy"]
GIVEN_M = ["An", "Bảo", "Bình", "Cường", "Dũng", "Đạt", "Duy", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khang",
           "Khánh", "Kiên", "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài",
           "Thắng", "Thành", "Thịnh", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ"]  # fmt: skip
GIVEN_F = ["Anh", "Ánh", "Châu", "Diễm", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hiền", "Hoa", "Huệ", "Hương",
           "Hường", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh", "Phượng", "Quyên",
           "Thảo", "Thu", "Thủy", "Trang", "Trinh", "Tuyết", "Uyên", "Vân", "Xuân", "Yến"]  # fmt: skip
DISTRICTS = {
    "thành phố Biên Hòa": ("phường", ["Tân Phong", "Tân Biên", "Tân Hòa", "Hố Nai", "Trảng Dài", "Long Bình",
                                      "Tam Hiệp", "Bửu Long", "Quang Vinh", "Thống Nhất", "Tân Tiến", "Trung Dũng",
                                      "Hòa Bình", "An Bình", "Bình Đa", "Tân Mai", "Long Bình Tân", "Tam Hòa"]),
    "thành phố Long Khánh": ("phường", ["Xuân An", "Xuân Bình", "Xuân Hòa", "Xuân Trung", "Suối Tre", "Bảo Vinh"]),
    "huyện Nhơn Trạch": ("xã", ["Phước Thiền", "Long Tân", "Phú Hội", "Phú Thạnh", "Đại Phước", "Vĩnh Thanh",
                                "Phước An", "Long Thọ", "Phú Đông", "Phú Hữu", "Phước Khánh"]),
    "huyện Long Thành": ("xã", ["An Phước", "Bình An", "Long Đức", "Lộc An", "Bình Sơn", "Tam An", "Long An",
                                "Phước Bình", "Long Phước", "Bàu Cạn", "Tân Hiệp", "Phước Thái"]),
    "huyện Trảng Bom": ("xã", ["Bắc Sơn", "Bình Minh", "Quảng Tiến", "Hố Nai 3", "Sông Trầu", "Tây Hòa",
                               "Đông Hòa", "Trung Hòa", "Giang Điền", "An Viễn", "Đồi 61"]),
    "huyện Thống Nhất": ("xã", ["Gia Tân 1", "Gia Tân 2", "Gia Kiệm", "Quang Trung", "Bàu Hàm 2", "Hưng Lộc"]),
    "huyện Vĩnh Cửu": ("xã", ["Thạnh Phú", "Tân Bình", "Bình Lợi", "Thiện Tân", "Trị An", "Mã Đà", "Phú Lý"]),
    "huyện Định Quán": ("xã", ["Phú Ngọc", "La Ngà", "Gia Canh", "Phú Cường", "Túc Trưng", "Phú Vinh"]),
    "huyện Tân Phú": ("xã", ["Phú Lâm", "Phú Bình", "Phú Sơn", "Trà Cổ", "Nam Cát Tiên", "Tà Lài", "Đắk Lua"]),
    "huyện Xuân Lộc": ("xã", ["Xuân Hiệp", "Xuân Tâm", "Xuân Hưng", "Suối Cát", "Xuân Thọ", "Bảo Hòa"]),
    "huyện Cẩm Mỹ": ("xã", ["Long Giao", "Nhân Nghĩa", "Xuân Mỹ", "Sông Ray", "Xuân Đông", "Thừa Đức"]),
}  # fmt: skip
DEPARTMENTS = ["Phòng Tham mưu", "Phòng Cảnh sát hình sự", "Phòng Cảnh sát giao thông", "Phòng Hậu cần",
               "Phòng Cảnh sát quản lý hành chính về trật tự xã hội", "Phòng An ninh chính trị nội bộ",
               "Phòng Cảnh sát điều tra tội phạm về ma túy", "Phòng Cảnh sát cơ động", "Trại tạm giam",
               "Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ", "Phòng Công tác đảng và công tác chính trị",
               "Phòng An ninh kinh tế", "Phòng Cảnh sát kinh tế", "Phòng Quản lý xuất nhập cảnh"]  # fmt: skip
DISTRICT_TEAMS = ["Đội Cảnh sát hình sự", "Đội Cảnh sát giao thông - trật tự", "Đội An ninh", "Đội Tham mưu - tổng hợp",
                  "Đội Cảnh sát quản lý hành chính về trật tự xã hội", "Đội Cảnh sát điều tra tội phạm về ma túy",
                  "Đội Cảnh sát điều tra tội phạm về trật tự quản lý kinh tế và chức vụ", "Đội Cảnh sát thi hành án "
                  "hình sự và hỗ trợ tư pháp", "Đội Xây dựng phong trào bảo vệ an ninh Tổ quốc"]  # fmt: skip
COMMUNE_POSITIONS = ["Cán bộ", "Cán bộ", "Chiến sĩ", "Trưởng Công an {kind}", "Phó Trưởng Công an {kind}",
                     "Tổ trưởng Tổ bảo vệ an ninh, trật tự", "Tổ viên Tổ bảo vệ an ninh, trật tự",
                     "Trưởng ấp", "Bí thư Chi bộ kiêm Trưởng khu phố"]  # fmt: skip
DISTRICT_POSITIONS = ["Cán bộ", "Cán bộ", "Chiến sĩ", "Đội trưởng", "Phó Đội trưởng",
                      "Phó Trưởng Công an huyện", "Điều tra viên sơ cấp", "Trinh sát viên"]  # fmt: skip
DEPARTMENT_POSITIONS = ["Cán bộ", "Chiến sĩ", "Trưởng phòng", "Phó Trưởng phòng", "Đội trưởng", "Phó Đội trưởng",
                        "Điều tra viên trung cấp", "Kỹ sư", "Trợ lý"]  # fmt: skip

# One awardee the checks look for: typed in lower case, doubled spaces and decomposed, as it may arrive.
KNOWN_TYPED = unicodedata.normalize("NFD", "đoàn  thị   ngọc ÁNH")
KNOWN = "Đoàn Thị Ngọc Ánh"
KNOWN_POSITION = "Phó Đội trưởng"
KNOWN_UNIT = "Công an huyện Nhơn Trạch"
KNOWN_COLLECTIVE = "Tổ tuần tra ấp Bến Cam"  # short enough for one line of its cell


def _district_police(district: str) -> str:
    return f"Công an {district}"


def awardees(n: int, collectives: int):
    """`n` Nominees (`collectives` of them collectives), deterministic, in no particular order, with
    their sort keys computed as `Nomination.save()` stores them."""
    from awards.documents.submission import COLLECTIVE, INDIVIDUAL, Nominee
    from awards.text import person_sort_key, sort_key

    rng = random.Random(SEED)
    families, weights = list(FAMILY), list(FAMILY.values())
    communes = [(district, kind, name) for district, (kind, names) in DISTRICTS.items() for name in names]
    found = []
    for i in range(collectives):
        if i == 0:
            name, unit = KNOWN_COLLECTIVE, "Công an xã Phước Thiền, huyện Nhơn Trạch"
        elif i % 3 == 0:
            district, kind, commune = rng.choice(communes)
            name, unit = f"Công an {kind} {commune}", _district_police(district)
        elif i % 3 == 1:
            district = rng.choice(list(DISTRICTS))
            name, unit = rng.choice(DISTRICT_TEAMS), _district_police(district)
        else:
            district, kind, commune = rng.choice(communes)
            place = f"{'khu phố' if kind == 'phường' else 'ấp'} {rng.randint(1, 12)}"
            name, unit = f"Tổ bảo vệ an ninh, trật tự {place}", f"Công an {kind} {commune}, {district}"
        found.append(Nominee(COLLECTIVE, name, unit_name=unit, sort_key=sort_key(name)))
    for i in range(n - collectives):
        if i == (n - collectives) // 2:
            found.append(Nominee(INDIVIDUAL, KNOWN_TYPED, KNOWN_POSITION, KNOWN_UNIT, sort_key=person_sort_key(KNOWN)))
            continue
        female = rng.random() < 0.3
        name = " ".join((
            rng.choices(families, weights)[0],
            rng.choice(MIDDLE_F if female else MIDDLE_M),
            rng.choice(GIVEN_F if female else GIVEN_M),
        ))  # fmt: skip
        where = rng.random()
        if where < 0.6:
            district, kind, commune = rng.choice(communes)
            unit = f"Công an {kind} {commune}, {district}"
            position = rng.choice(COMMUNE_POSITIONS).format(kind=kind)
        elif where < 0.85:
            district = rng.choice(list(DISTRICTS))
            team = rng.choice(DISTRICT_TEAMS)
            position = rng.choice(DISTRICT_POSITIONS)
            position = f"{position} {team}" if position.startswith(("Đội", "Phó Đội")) else position
            unit = _district_police(district)
        else:
            unit = rng.choice(DEPARTMENTS)
            position = rng.choice(DEPARTMENT_POSITIONS)
        key = person_sort_key(name)
        typed = rng.random()
        if typed < 0.03:
            name = name.lower()
        elif typed < 0.05:
            name = name.replace(" ", "  ", 1) + " "
        elif typed < 0.08:
            name = unicodedata.normalize("NFD", name)
        found.append(Nominee(INDIVIDUAL, name, position, unit, sort_key=key))
    rng.shuffle(found)
    return found


def decision(n: int):
    from awards.documents.decision import DecisionText

    collectives = max(1, n // 20)
    return DecisionText(
        issuer_superior="BỘ CÔNG AN",
        issuer="CÔNG AN TỈNH ĐỒNG NAI",
        number=105,
        symbol="QĐ-CAT",
        place="Đồng Nai",
        date=date(2025, 1, 5),
        award_title="Giấy khen của Giám đốc Công an tỉnh",
        decider="GIÁM ĐỐC CÔNG AN TỈNH ĐỒNG NAI",
        decider_name="Giám đốc Công an tỉnh Đồng Nai",
        citations=[
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
            "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành "
            "một số điều của Luật Thi đua, khen thưởng",
            "Căn cứ Thông tư số 64/2024/TT-BCA ngày 15 tháng 11 năm 2024 của Bộ trưởng Bộ Công an quy định về "
            "công tác thi đua, khen thưởng trong Công an nhân dân",
        ],
        proposals=["Trưởng phòng Tham mưu tại Tờ trình số 112/TTr-PV01 ngày 28 tháng 12 năm 2024"],
        achievement="đã có thành tích xuất sắc trong phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2024",
        nominees=awardees(n, collectives),
        prize_text="Tiền thưởng kèm theo thực hiện theo quy định của Luật Thi đua, khen thưởng, từ quỹ thi đua, "
        "khen thưởng của Công an tỉnh.",
        executors="Chánh Văn phòng Công an tỉnh, Thủ trưởng các đơn vị có liên quan và các tập thể, cá nhân có "
        "tên tại Điều 1",
        signer_title="GIÁM ĐỐC",
        signer_name="Nguyễn Văn Giám",
        authority="KT. GIÁM ĐỐC",
        recipients=["Như Điều 3;", "Lưu: VT, PV01."],
    )


def plain_rows(text) -> tuple[list[list[str]], list[list[str]]]:
    """The floors' rows: the same cells as the list (STT, name[, position], unit), already clean, in
    the generator's order (order costs a writer nothing)."""
    from awards.documents.submission import COLLECTIVE

    collectives, people = [], []
    for n in text.nominees:
        if n.kind == COLLECTIVE:
            collectives.append([str(len(collectives) + 1), " ".join(n.name.split()), n.unit_name])
        else:
            name = " ".join(w.capitalize() for w in unicodedata.normalize("NFC", n.name).split())
            people.append([str(len(people) + 1), name, n.position, n.unit_name])
    return collectives, people


# --- one case, in its own process ------------------------------------------------------------------


def child(case: str, n: int, out_path: str) -> dict:
    sys.path.insert(0, str(ROOT))
    if case in ("baseline", *PRODUCTION):
        from awards.documents import build_docx, build_pdf, typeface
        from awards.documents.decision import decision_document, decision_list_xlsx

        typeface.register()
    text = decision(n)
    if case not in ("baseline", *PRODUCTION):
        tables = plain_rows(text)
        text = None  # the floors start from their rows, not from the DecisionText
    build = {
        "baseline": lambda: b"",
        "docx": lambda: build_docx(decision_document(text)),
        "xlsx": lambda: decision_list_xlsx(text),
        "pdf": lambda: build_pdf(decision_document(text)),
        "docx-naive": lambda: naive_docx(tables),
        "xlsx-floor": lambda: floor_xlsx(tables),
        "pdf-floor": lambda: floor_pdf(tables),
    }[case]
    start, cpu_start = time.perf_counter(), time.process_time()
    out = build()
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    Path(out_path).write_bytes(out)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "bytes": len(out),
        "self_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


HEADERS = (["STT", "Tên tập thể", "Đơn vị"], ["STT", "Họ và tên", "Chức vụ", "Đơn vị"])


def naive_docx(tables) -> bytes:
    """What python-docx's API invites: add_table(), then add_row() per row and cell.text per cell."""
    import docx

    document = docx.Document()
    for header, rows in zip(HEADERS, tables, strict=True):
        table = document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, title in zip(table.rows[0].cells, header, strict=True):
            cell.text = title
        for values in rows:
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def floor_xlsx(tables) -> bytes:
    """XlsxWriter in constant_memory mode writing the same cells, plainly (no formats, no title)."""
    import xlsxwriter

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    for sheet, header, rows in zip(("Tập thể", "Cá nhân"), HEADERS, tables, strict=True):
        ws = workbook.add_worksheet(sheet)
        ws.write_row(0, 0, header)
        for r, values in enumerate(rows, 1):
            ws.write_number(r, 0, r)
            ws.write_row(r, 1, values[1:])
    workbook.close()
    return out.getvalue()


def floor_pdf(tables) -> bytes:
    """ReportLab's LongTable of plain strings (cells do not wrap), header repeated, Liberation Serif."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import LongTable, SimpleDocTemplate

    sys.path.insert(0, str(ROOT))
    from awards.documents import typeface

    widths = ([1.2, 8.0, 7.3], [1.2, 4.8, 4.5, 6.0])
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONT", (0, 0), (-1, -1), typeface.face(), 13),
             ("FONT", (0, 0), (-1, 0), typeface.face(bold=True), 13), ("VALIGN", (0, 0), (-1, -1), "TOP")]  # fmt: skip
    story = [
        LongTable([header, *rows], colWidths=[w * cm for w in ws], repeatRows=1, style=style)
        for header, rows, ws in zip(HEADERS, tables, widths, strict=True)
    ]
    out = io.BytesIO()
    margins = {"leftMargin": 3 * cm, "rightMargin": 1.5 * cm, "topMargin": 2 * cm, "bottomMargin": 2 * cm}
    SimpleDocTemplate(out, pagesize=A4, invariant=1, **margins).build(story)
    return out.getvalue()


def run_case(case: str, n: int, out_path: Path) -> dict:
    """Run one case in a fresh process; its process tree's peak RSS comes from os.wait4."""
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", case, str(n), str(out_path)], stdout=stdout, stderr=stderr
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        if proc.returncode:
            sys.exit(f"case {case} failed (exit {proc.returncode}):\n{stderr.read().decode(errors='replace')}")
        result = json.loads(stdout.read().decode().strip().splitlines()[-1])
    result["process_seconds"] = wall
    result["maxrss_mb"] = usage.ru_maxrss / 1024  # KiB on Linux
    return result


# --- reading the files back ------------------------------------------------------------------------


def check_docx(path: Path, n: int, collectives: int, caption: str) -> str:
    import docx

    word = docx.Document(str(path))
    tables = word.tables[-2:]
    heads = [[c.text for c in t.rows[0].cells] for t in tables]
    if heads != [list(h) for h in HEADERS]:
        raise AssertionError(f"list headers {heads}")
    counts = [len(t.rows) for t in tables]
    if counts != [collectives + 1, n - collectives + 1]:
        raise AssertionError(f"rows {counts}, expected {collectives} + 1 and {n - collectives} + 1")
    names = {row.cells[1].text for row in tables[1].rows}
    if KNOWN not in names:
        raise AssertionError(f"{KNOWN!r} not in the people's table")
    if KNOWN_COLLECTIVE not in {row.cells[1].text for row in tables[0].rows}:
        raise AssertionError(f"{KNOWN_COLLECTIVE!r} not in the collectives' table")
    if caption not in [p.text for p in word.paragraphs]:
        raise AssertionError(f"caption {caption!r} missing")
    return f"{sum(counts):,} table rows ({n:,} + 2 headers), {KNOWN!r} present, caption present"


def check_xlsx(path: Path, n: int, collectives: int) -> str:
    import openpyxl

    book = openpyxl.load_workbook(str(path), read_only=True)
    try:
        if book.sheetnames != ["Tập thể", "Cá nhân"]:
            raise AssertionError(f"sheets {book.sheetnames}")
        found = {}
        for sheet in book.worksheets:
            rows = list(sheet.iter_rows(values_only=True))
            if "Kèm theo Quyết định số" not in (rows[0][0] or ""):
                raise AssertionError(f"sheet {sheet.title}: caption missing from A1")
            data = [r for r in rows[2:] if r and r[0] is not None]
            if [r[0] for r in data] != list(range(1, len(data) + 1)):
                raise AssertionError(f"sheet {sheet.title}: STT is not 1..{len(data)}")
            found[sheet.title] = data
        counts = [len(found["Tập thể"]), len(found["Cá nhân"])]
    finally:
        book.close()
    if counts != [collectives, n - collectives]:
        raise AssertionError(f"rows {counts}, expected {[collectives, n - collectives]}")
    if (KNOWN, KNOWN_POSITION, KNOWN_UNIT) not in {r[1:] for r in found["Cá nhân"]}:
        raise AssertionError(f"{KNOWN!r} not in sheet Cá nhân")
    if KNOWN_COLLECTIVE not in {r[1] for r in found["Tập thể"]}:
        raise AssertionError(f"{KNOWN_COLLECTIVE!r} not in sheet Tập thể")
    return f"{sum(counts):,} data rows ({counts[0]:,} + {counts[1]:,}), {KNOWN!r} present, caption in A1"


def check_pdf(path: Path, n: int) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    pages = len(reader.pages)
    least = max(1, n // 100)  # 100 pages at 10,000 rows
    if pages <= least:
        raise AssertionError(f"{pages} pages, expected more than {least}")
    sizes = {tuple(round(float(v)) for v in page.mediabox[2:]) for page in reader.pages}
    if sizes != {(595, 842)}:
        raise AssertionError(f"page sizes {sizes}, expected A4 (595 x 842 pt)")
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts[name] = fonts.get(name, True) and embedded
    if not fonts or any(not f.startswith("LiberationSerif") or not e for f, e in fonts.items()):
        raise AssertionError(f"fonts {fonts}: expected embedded Liberation Serif (Times-compatible) only")
    texts = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    hits = [i + 1 for i, page_text in enumerate(texts) if KNOWN in page_text]
    if not hits:
        raise AssertionError(f"{KNOWN!r} on no page")
    if not any(KNOWN_COLLECTIVE in page_text for page_text in texts):
        raise AssertionError(f"{KNOWN_COLLECTIVE!r} on no page")
    return (
        f"{pages:,} pages, all A4 595x842 pt, {KNOWN!r} on page {hits[0]}, "
        f"fonts {', '.join(sorted(fonts))} (all embedded)"
    )


# --- the run ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=None, help="awardees (default 10,000; 1,000 with --quick)")
    parser.add_argument("--quick", action="store_true", help="1,000 awardees unless --rows says otherwise")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per case, each in a fresh process: best time, worst memory"
    )
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--keep", type=Path, help="keep the files in this folder")
    parser.add_argument("--child", nargs=3, metavar=("CASE", "ROWS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]), args.child[2])))
        return
    n = args.rows or (1000 if args.quick else 10000)
    collectives = max(1, n // 20)
    sys.path.insert(0, str(ROOT))
    from awards.documents.decision import decision_reference_text

    text = decision(n)
    caption = f"(Kèm theo Quyết định số {decision_reference_text(text)} của {text.decider_name})"
    suffix = {"docx": "docx", "docx-naive": "docx", "xlsx": "xlsx", "xlsx-floor": "xlsx", "pdf": "pdf",
              "pdf-floor": "pdf", "baseline": "bin"}  # fmt: skip
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-decisions-"))
    folder.mkdir(parents=True, exist_ok=True)

    print(f"python {sys.version.split()[0]}; a decision of {n:,} awardees ({collectives:,} collectives, "
          f"{n - collectives:,} individuals); each case in a fresh process, best of {args.repeat}\n")  # fmt: skip
    print(f"{'case':<11} {'build s':>8} {'CPU s':>7} {'process s':>9} {'peak RSS MB':>11} {'size KB':>8} {'pages':>6}")
    results: dict[str, dict] = {}
    for case in args.cases:
        path = folder / f"{case}.{suffix[case]}"
        runs = [run_case(case, n, path) for _ in range(args.repeat)]
        r = min(runs, key=lambda x: x["seconds"])
        r["maxrss_mb"] = max(x["maxrss_mb"] for x in runs)
        r["cpu_seconds"] = min(x["cpu_seconds"] for x in runs)
        r["path"] = path
        if case.startswith("pdf"):
            from pypdf import PdfReader

            r["pages"] = len(PdfReader(str(path)).pages)
        results[case] = r
        print(f"{case:<11} {r['seconds']:>8.2f} {r['cpu_seconds']:>7.2f} {r['process_seconds']:>9.2f}"
              f" {r['maxrss_mb']:>11.1f} {r['bytes'] / 1024:>8.0f} {r.get('pages', ''):>6}")  # fmt: skip

    print("\nread-back of the production files:")
    failed = False
    checks = {
        "docx": lambda p: check_docx(p, n, collectives, caption),
        "xlsx": lambda p: check_xlsx(p, n, collectives),
        "pdf": lambda p: check_pdf(p, n),
    }
    for case in PRODUCTION:
        if case not in results:
            continue
        try:
            print(f"  OK    {case:<5} {checks[case](results[case]['path'])}")
        except AssertionError as error:
            failed = True
            print(f"  FAIL  {case:<5} {error}")

    print("\ngoals:")

    def ratio(slow: str, fast: str) -> tuple[float, float]:
        return (results[slow]["seconds"] / results[fast]["seconds"],
                results[slow]["cpu_seconds"] / results[fast]["cpu_seconds"])  # fmt: skip

    if {"xlsx", "xlsx-floor"} <= results.keys():
        wall, cpu = ratio("xlsx", "xlsx-floor")
        print(f"  {'PASS' if wall <= XLSX_GOAL else 'FAIL'}  XLSX time <= {XLSX_GOAL}x the XlsxWriter constant_memory "
              f"floor: {results['xlsx']['seconds']:.2f} s / {results['xlsx-floor']['seconds']:.2f} s = {wall:.2f}x "
              f"(CPU {cpu:.2f}x)")  # fmt: skip
    if {"docx", "docx-naive"} <= results.keys():
        wall, cpu = ratio("docx-naive", "docx")
        print(f"  {'PASS' if wall >= DOCX_GOAL else 'FAIL'}  DOCX >= {DOCX_GOAL:.0f}x faster than python-docx's naive "
              f"table: {results['docx-naive']['seconds']:.2f} s / {results['docx']['seconds']:.2f} s = {wall:.1f}x "
              f"(CPU {cpu:.1f}x)")  # fmt: skip
    for case in PRODUCTION:
        if case in results:
            mb = results[case]["maxrss_mb"]
            print(f"  {'PASS' if mb < MEMORY_GOAL_MB else 'FAIL'}  {case.upper()} peak memory < "
                  f"{MEMORY_GOAL_MB:.0f} MB: {mb:.1f} MB")  # fmt: skip
    if "pdf" in results:
        floor = results.get("pdf-floor")
        vs = f"; ReportLab plain LongTable {floor['seconds']:.2f} s, {floor['maxrss_mb']:.1f} MB" if floor else ""
        print(f"  info  PDF (no stated goal): {results['pdf']['seconds']:.2f} s, {results['pdf']['maxrss_mb']:.1f} MB, "
              f"{results['pdf']['pages']:,} pages{vs}")  # fmt: skip
    if args.keep:
        print(f"\nfiles kept in {folder}")
    else:
        for case in results:
            results[case]["path"].unlink(missing_ok=True)
        folder.rmdir()
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
