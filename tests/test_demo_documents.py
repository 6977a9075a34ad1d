"""Every Quyết định, Danh sách and tờ trình the demo generates (`seed_demo --full`), read back from its DOCX:
the law in force on its date and no expired act, the governing body line, the place, Điều 3's office,
the proposal line and the punctuation of the bases, each awardee's achievement, the base salary of the
date, the money column and its total."""

import io
import subprocess
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from django.utils import timezone

from awards.models import Decision, DocumentKind, GeneratedDocument, HandOff, NomineeKind, PrizeRate
from awards.selectors.prizes import base_salary_on, round_up
from awards.services.documents import document_open
from tests.test_decisions import media as media  # noqa: F401 - the fixture
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path, reference_data, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):  # the files are built once the seed commits
        call_command("seed_demo", "--full", stdout=io.StringIO())


def stored_bytes(document: GeneratedDocument) -> bytes:
    with document_open(document) as handle:
        return handle.read()


def read(document: GeneratedDocument) -> tuple[list[str], list[str], list[list[list[str]]]]:
    """(header lines, body paragraphs, tables as rows of cell texts) of a stored DOCX."""
    word = docx.Document(io.BytesIO(stored_bytes(document)))
    header = [p.text for cell in word.tables[0].rows[0].cells for p in cell.paragraphs if p.text]
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in word.tables[1:]]
    return header, [p.text for p in word.paragraphs if p.text], tables


def assert_bases_punctuated(body: list[str]) -> None:
    bases = [line for line in body if line.startswith("Căn cứ")]
    proposal = [line for line in body if line.startswith("Xét đề nghị")]
    assert bases and all(line.endswith(";") for line in bases), bases  # a proposal follows the last one
    assert len(proposal) == 1 and proposal[0].endswith(".") and body.index(proposal[0]) == body.index(bases[-1]) + 1


def test_the_demo_decisions_read_as_signed_in_2024(demo):
    salary = base_salary_on(Decision.objects.get(award_type__code="GK-CAT").date).amount
    assert salary == 2_340_000  # the base salary in force in September 2024
    expected = {
        "GK-CAT": (["BỘ CÔNG AN", "CÔNG AN TỈNH ĐỒNG NAI"], "Đồng Nai, ngày 27 tháng 9 năm 2024",
                   "Căn cứ Luật Công an nhân dân ngày 20 tháng 11 năm 2018; Luật sửa đổi",
                   "Điều 3. Trưởng phòng Tham mưu Công an tỉnh, Thủ trưởng"),
        "BK-UBND": (["ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI"], "Đồng Nai, ngày 30 tháng 9 năm 2024",
                    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung",
                    "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Thủ trưởng"),
    }  # fmt: skip
    for code, (bodies, date_line, competence, article_3) in expected.items():
        decision = Decision.objects.get(award_type__code=code)
        header, body, tables = read(decision.documents.get(kind=DocumentKind.DECISION_DOCX))
        assert header[: len(bodies) + 1] == [*bodies, f"Số: {decision.reference}"], header
        assert date_line in header
        assert any(line.startswith(competence) for line in body), code
        assert any("Nghị định số 98/2023/NĐ-CP" in line for line in body)
        assert not any("152/2025" in line or "72/2025" in line or "65/2025" in line for line in body)
        assert_bases_punctuated(body)
        assert any(line.startswith(article_3) for line in body), code
        [article_1] = [line for line in body if line.startswith("Điều 1.")]
        assert article_1.endswith("đã có thành tích xuất sắc trong phong trào toàn dân bảo vệ an ninh Tổ quốc giai đoạn "
                                  "2014–2024.")  # the campaign's phrase, not its title  # fmt: skip
        listed = {row[1]: row for table in tables[1:] for row in table[1:] if row[1] != "Cộng"}
        total = 0
        for item in decision.items.select_related("nomination"):
            row = listed[item.nomination.name if item.nomination.kind == NomineeKind.COLLECTIVE
                         else item.printed_name]  # fmt: skip
            rate = PrizeRate.objects.get(award_type=decision.award_type, nominee_kind=item.nomination.kind)
            amount = round_up(Decimal(rate.coefficient) * salary)
            assert item.prize_amount == amount and row[-1] == f"{amount:,}".replace(",", ".")
            assert row[-2] == item.nomination.achievement  # the awardee's own line
            total += amount
        assert f"Tổng cộng: {total:,} đồng.".replace(",", ".") in body


def test_the_demo_tờ_trình_carry_their_governing_body_and_the_law_of_their_date(demo):
    for handoff in HandOff.objects.select_related("from_unit"):
        header, body, _tables = read(handoff.documents.get(kind=DocumentKind.HANDOFF_DOCX))
        if handoff.to_unit_id == handoff.from_unit_id:  # the police's office to its director (Giấy khen)
            assert header[:2] == ["CÔNG AN TỈNH ĐỒNG NAI", "PHÒNG THAM MƯU"], header
            assert "Kính gửi: Giám đốc Công an tỉnh Đồng Nai" in body
        else:
            superior = {"CA-DN": "BỘ CÔNG AN", "SNV-DN": "UBND TỈNH ĐỒNG NAI"}[handoff.from_unit.code]
            assert header[:2] == [superior, handoff.from_unit.name.upper()], header
        assert "Đồng Nai, ngày" in " ".join(header)
        assert not any("chính quyền địa phương" in line or "Công an nhân dân ngày" in line for line in body)
        assert any("98/2023/NĐ-CP" in line for line in body) and not any("152/2025" in line for line in body)
        assert_bases_punctuated(body)
        assert any(line.startswith("Căn cứ Kế hoạch số 181/KH-UBND ngày 21 tháng 5 năm 2024") for line in body)


PAGES = Path(__file__).resolve().parents[1] / "test-output" / "decisions"


def as_png(pdf: bytes, stem: str) -> list[Path]:
    """The PDF's pages as PNG under test-output/decisions/, to be looked at against Decree 30's checklist
    (docs/decisions.md)."""
    PAGES.mkdir(parents=True, exist_ok=True)
    source = PAGES / f"{stem}.pdf"
    source.write_bytes(pdf)
    for old in PAGES.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(source), str(PAGES / stem)], check=True, timeout=120)
    return sorted(PAGES.glob(f"{stem}-*.png"))


def test_the_2024_and_today_decisions_render_as_a4_pages_kept_for_review(demo, org, world, media):
    from awards.documents import build_pdf
    from awards.documents.decision import decision_document, decision_text
    from awards.services import decisions as svc
    from tests.test_decisions import awaiting, scan

    plan_181 = Decision.objects.get(award_type__code="GK-CAT")
    assert len(as_png(stored_bytes(plan_181.documents.get(kind=DocumentKind.DECISION_PDF)),
                      "qd-gk-2024")) >= 2  # fmt: skip
    campaign, tiers = world
    director = org.actor("director")
    today = svc.decision_draft(by=director, campaign=campaign, award_type=tiers["director"],
                               nominations=[awaiting(org, campaign, tiers["director"])])  # fmt: skip
    svc.decision_issue(by=director, decision=today, number=2, date=timezone.localdate(), scan=scan())
    today.refresh_from_db()
    pages = as_png(build_pdf(decision_document(decision_text(today))), f"qd-gk-{today.date.year}")
    assert len(pages) >= 2 and all(page.stat().st_size > 10_000 for page in pages)


def read_bytes(data: bytes) -> tuple[list[str], list[str]]:
    word = docx.Document(io.BytesIO(data))
    header = [p.text for cell in word.tables[0].rows[0].cells for p in cell.paragraphs if p.text]
    return header, [p.text for p in word.paragraphs if p.text]


def test_the_demo_documents_name_each_body_as_it_was_on_their_date(demo):
    """Biên Hòa's committee closed on 30/6/2025 and its open files went to phường Trấn Biên: its 2024
    tờ trình still speaks for "Ủy ban nhân dân thành phố Biên Hòa", the 2024 decisions list its people as
    they were, and the current campaign's tờ trình is a commune's of today (xã Bình An)."""
    from awards.models import Dossier
    from awards.services.documents import dossier_docx

    bien_hoa = Dossier.objects.get(number="25/TTr-UBND")
    assert bien_hoa.unit.code == "UBND-BH" and not bien_hoa.unit.is_valid_on(timezone.localdate())
    header, body = read_bytes(dossier_docx(bien_hoa))
    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ BIÊN HÒA" in header and "Biên Hòa, ngày 15 tháng 7 năm 2024" in header
    assert not any("Trấn Biên" in line for line in header + body)
    for decision in Decision.objects.all():
        for document in decision.documents.filter(kind=DocumentKind.DECISION_DOCX):
            _header, body, tables = read(document)
            text = " ".join(body + [cell for table in tables for row in table for cell in row])
            assert "Trấn Biên" not in text and "Ủy ban nhân dân phường Tân Triều" not in text, decision.reference
    for handoff in HandOff.objects.all():  # built after the seed, i.e. after the reorganisation: still 2024's
        _header, body, tables = read(handoff.documents.get(kind=DocumentKind.HANDOFF_DOCX))
        text = " ".join(body + [cell for table in tables for row in table for cell in row])
        assert "Trấn Biên" not in text, handoff.number
    commune = Dossier.objects.get(unit__code="UBND-X-BINHAN")
    assert commune.date.year >= 2025 and commune.campaign.reference_date.isoformat() > "2025-07-01"
    header, body = read_bytes(dossier_docx(commune))
    assert "ỦY BAN NHÂN DÂN XÃ BÌNH AN" in header
    assert any(line.startswith("Bình An, ngày") for line in header), header
    assert "Kính gửi: Công an tỉnh Đồng Nai" in body  # straight to the provincial police, no district between
