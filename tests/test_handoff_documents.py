"""The tờ trình of a hand-off between agencies (awards.documents.handoff), from hand-offs made by the real
services: the police to Home Affairs, Home Affairs to the Chairman, the police director to the Ministry.
Read back from DOCX (python-docx), PDF (pypdf) and XLSX (openpyxl)."""

import datetime as dt
import io
import re
import unicodedata

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from awards.documents.handoff import handoff_submission, split_number
from awards.documents.submission import submission_document
from awards.models import HandOff, Nomination, NomineeKind, Outcome, Step
from awards.services import nominations as svc
from awards.services.documents import handoff_sources
from tests.test_decisions import link_legal_bases
from tests.test_nominations import nominate, send
from tests.test_nominations import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

AWARD = "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
POLICE_DAY, HOME_DAY = dt.date(2025, 1, 5), dt.date(2025, 1, 20)
PEOPLE_IN_ORDER = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Đức"]  # by given name: An < Bình < Đức


def handoff_files(handoff) -> dict[str, bytes]:
    """The three files as the document jobs render them: {"docx": …, "pdf": …, "xlsx": …}."""
    return {kind.removeprefix("handoff_"): source.render(source.content) for kind, source in
            handoff_sources(handoff).items()}  # fmt: skip


@pytest.fixture
def chairman(org, world):  # noqa: F811 - the fixture imported above
    """Four nominees (one a collective, one typed in the wrong case) sent by the police with 112/TTr-CAT;
    a fifth withdrawn at Home Affairs; Home Affairs sends the four on with 05/TTr-SNV."""
    campaign, tiers = world
    tier = tiers["chairman"]
    people = [
        nominate(org, campaign, tier),  # Nguyễn Văn An
        nominate(org, campaign, tier, name="lê văn ĐỨC", id_number="", position="Phó phòng"),
        nominate(org, campaign, tier, name="trần  thị BÌNH", id_number="", position="Kế toán trưởng"),
    ]
    team = nominate(org, campaign, tier, kind=NomineeKind.COLLECTIVE, name="Phòng Kỹ thuật",
                    parent_unit=org.units["a"], women_percent=40, achievement="Hoàn thành xuất sắc nhiệm vụ")  # fmt: skip
    gone = nominate(org, campaign, tier, name="Phạm Văn Rút", id_number="")
    send(org, campaign, tier, [*people, team, gone])
    police = svc.handoff_send(by=org.actor("police"), nominations=[*people, team, gone], number="112/TTr-CAT",
                              date=POLICE_DAY, signer="Nguyễn Văn Giám", signer_title="Phó Giám đốc")  # fmt: skip
    svc.nomination_withdraw(by=org.actor("head_a"), nomination=gone, reason="Chuyển công tác")
    home = svc.handoff_send(by=org.actor("home"), nominations=[*people, team], number="05/TTr-SNV", date=HOME_DAY,
                            signer="Hồ Thị Nội")  # fmt: skip
    return campaign, police, home


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def header_lines(word) -> list[str]:
    return [p.text for cell in word.tables[0].rows[0].cells for p in cell.paragraphs if p.text]


def list_rows(word, heading: str) -> list[list[str]]:
    """The rows (without the header row) of the table that follows `heading` in the annex."""
    body = word.element.body
    texts = [("".join(t.text or "" for t in el.iter(docx.oxml.ns.qn("w:t"))), el) for el in body]
    start = next(i for i, (text, _el) in enumerate(texts) if text == heading)
    table_el = next(el for _text, el in texts[start + 1 :] if el.tag == docx.oxml.ns.qn("w:tbl"))
    table = next(t for t in word.tables if t._tbl is table_el)
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


# --- the police's tờ trình to Home Affairs ------------------------------------------------------


def test_the_polices_letter_to_home_affairs_reads_as_a_to_trinh(chairman):
    _campaign, police, _home = chairman
    data = handoff_files(police)["docx"]
    word = docx.Document(io.BytesIO(data))
    lines = paragraphs(data)
    # the police's governing body, never their parent in the reporting tree; dated from the province
    assert header_lines(word)[:3] == ["BỘ CÔNG AN", "CÔNG AN TỈNH THỬ", "Số: 112/TTr-CAT"]
    [date_line] = [p for cell in word.tables[0].rows[0].cells for p in cell.paragraphs
                   if p.text == "Thử, ngày 05 tháng 01 năm 2025"]  # fmt: skip
    assert all(run.italic for run in date_line.runs)
    for line in (
        "TỜ TRÌNH",
        f"Về việc đề nghị tặng {AWARD}",
        "Kính gửi: Sở Nội vụ tỉnh Thử",
        "Căn cứ Kế hoạch số 181/KH-UBND ngày 21 tháng 5 năm 2024 của Ủy ban nhân dân tỉnh Thử;",  # a proposal follows
        "Xét đề nghị của Công ty Cổ phần An Bình tại Tờ trình số 15/TTr-CT ngày 10 tháng 7 năm 2024.",
        f"Công an tỉnh Thử kính đề nghị Sở Nội vụ tỉnh Thử thẩm định, trình Chủ tịch Ủy ban nhân dân tỉnh Thử "
        f"xét, tặng {AWARD} cho 1 tập thể và 3 cá nhân (có danh sách kèm theo) đã có thành tích xuất sắc trong "
        "tổng kết thử nghiệm.",
        "DANH SÁCH",
        f"Đề nghị tặng {AWARD}",
        "(Kèm theo Tờ trình số 112/TTr-CAT ngày 05 tháng 01 năm 2025 của Công an tỉnh Thử)",
    ):
        assert line in lines, line
    signature = "\n".join(cell.text for row in word.tables[1].rows for cell in row.cells)
    for line in ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Giám", "Nơi nhận:", "- Như trên;", "- Lưu: VT."):
        assert line in signature, line


def test_the_list_has_the_sections_names_capitalised_and_no_withdrawn_nominee(chairman):
    _campaign, police, _home = chairman
    data = handoff_files(police)["docx"]
    word = docx.Document(io.BytesIO(data))
    lines = paragraphs(data)
    assert lines.index("I. TẬP THỂ") < lines.index("II. CÁ NHÂN")
    assert list_rows(word, "I. TẬP THỂ") == [
        ["1", "Phòng Kỹ thuật", "Công ty Cổ phần An Bình", "Hoàn thành xuất sắc nhiệm vụ"]
    ]
    people = list_rows(word, "II. CÁ NHÂN")
    assert [row[:3] for row in people] == [
        ["1", "Nguyễn Văn An", "Trưởng phòng"],
        ["2", "Trần Thị Bình", "Kế toán trưởng"],
        ["3", "Lê Văn Đức", "Phó phòng"],
    ]
    assert {row[3] for row in people} == {"Công ty An Bình"}
    every = "\n".join(lines) + "".join(cell.text for t in word.tables for row in t.rows for cell in row.cells)
    assert "Rút" not in every  # withdrawn at Home Affairs: not in the police's tờ trình either
    assert "trần" not in every and "BÌNH" not in every


def test_the_deputy_signs_for_the_head_and_the_legal_bases_in_force_come_first(org, chairman):
    campaign, police, _home = chairman
    link_legal_bases(campaign, [
        ("06/2022/QH15", "Luật", dt.date(2022, 6, 15), "Quốc hội", "Luật Thi đua, khen thưởng", dt.date(2024, 1, 1), None),
        ("91/2017/NĐ-CP", "Nghị định", dt.date(2017, 7, 31), "Chính phủ", "Quy định chi tiết Luật cũ",
         dt.date(2017, 7, 31), dt.date(2023, 12, 31)),
        ("98/2023/NĐ-CP", "Nghị định", dt.date(2023, 12, 31), "Chính phủ", "Quy định chi tiết Luật Thi đua",
         dt.date(2024, 1, 1), None),
    ])  # fmt: skip
    sub = handoff_submission(police)
    assert list(sub.basis) == [
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết Luật Thi đua;",
        "Căn cứ Kế hoạch số 181/KH-UBND ngày 21 tháng 5 năm 2024 của Ủy ban nhân dân tỉnh Thử;",
    ]  # 91/2017 ended before the hand-off; the last ends ";": "Xét đề nghị … ." follows
    assert (sub.signer_title, sub.authority, sub.signer_name) == ("PHÓ GIÁM ĐỐC", "KT. GIÁM ĐỐC", "Nguyễn Văn Giám")
    lines = paragraphs(handoff_files(police)["docx"])
    starts = ["Căn cứ Luật", "Căn cứ Nghị định", "Căn cứ Kế hoạch", "Xét đề nghị", "Công an tỉnh Thử kính đề nghị"]
    positions = [next(i for i, line in enumerate(lines) if line.startswith(s)) for s in starts]
    assert positions == sorted(positions)


# --- Home Affairs to the Chairman ----------------------------------------------------------------


def test_home_affairs_writes_to_the_chairman_citing_the_polices_letter(chairman):
    _campaign, police, home = chairman
    sub = handoff_submission(home)
    assert (sub.sender_superior, sub.sender, sub.sender_name) == (
        "UBND TỈNH THỬ", "SỞ NỘI VỤ TỈNH THỬ", "Sở Nội vụ tỉnh Thử",
    )  # fmt: skip
    assert (sub.number, sub.symbol, sub.recipient, sub.request) == (5, "TTr-SNV", "Chủ tịch Ủy ban nhân dân tỉnh Thử",
                                                                    "xét, tặng")  # fmt: skip
    assert (sub.signer_title, sub.authority, sub.signer_name) == ("GIÁM ĐỐC", "", "Hồ Thị Nội")
    word_bytes = handoff_files(home)["docx"]
    word = docx.Document(io.BytesIO(word_bytes))
    lines = paragraphs(word_bytes)
    assert header_lines(word)[:3] == ["UBND TỈNH THỬ", "SỞ NỘI VỤ TỈNH THỬ", "Số: 05/TTr-SNV"]  # the short name
    assert "Thử, ngày 20 tháng 01 năm 2025" in header_lines(word)
    for line in (
        "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Thử",
        "Xét đề nghị của Giám đốc Công an tỉnh Thử tại Tờ trình số 112/TTr-CAT ngày 05 tháng 01 năm 2025.",
        f"Sở Nội vụ tỉnh Thử kính đề nghị Chủ tịch Ủy ban nhân dân tỉnh Thử xét, tặng {AWARD} cho 1 tập thể và "
        "3 cá nhân (có danh sách kèm theo) đã có thành tích xuất sắc trong tổng kết thử nghiệm.",
        "Kính đề nghị Chủ tịch Ủy ban nhân dân tỉnh Thử xem xét, quyết định./.",
        "(Kèm theo Tờ trình số 05/TTr-SNV ngày 20 tháng 01 năm 2025 của Sở Nội vụ tỉnh Thử)",
    ):
        assert line in lines, line
    assert [row[1] for row in list_rows(word, "II. CÁ NHÂN")] == PEOPLE_IN_ORDER
    assert not any("15/TTr-CT" in line for line in lines)  # the units' dossiers went to the police, not here


def test_a_nomination_sent_back_and_sent_again_cites_the_second_letter(org, world):  # noqa: F811
    campaign, tiers = world
    tier = tiers["chairman"]
    first = nominate(org, campaign, tier)
    second = nominate(org, campaign, tier, name="Trần Thị Bình", id_number="")
    send(org, campaign, tier, [first, second])
    police, home = org.actor("police"), org.actor("home")
    svc.handoff_send(by=police, nominations=[first], number="88/TTr-CAT", date=dt.date(2025, 1, 2), signer="A")
    svc.handoff_send(by=police, nominations=[second], number="89/TTr-CAT", date=dt.date(2025, 1, 3), signer="A")
    svc.nomination_act(by=home, nomination=second, step=Step.HOME_AFFAIRS_APPRAISAL, outcome=Outcome.RETURNED,
                       comment="Bổ sung xác nhận")  # fmt: skip
    svc.handoff_send(by=police, nominations=[second], number="90/TTr-CAT", date=dt.date(2025, 1, 6), signer="A")
    onward = svc.handoff_send(by=home, nominations=[first, second], number="12/TTr-SNV", date=dt.date(2025, 1, 9),
                              signer="B")  # fmt: skip
    assert handoff_submission(onward).council_note == (
        "Xét đề nghị của Giám đốc Công an tỉnh Thử tại Tờ trình số 88/TTr-CAT ngày 02 tháng 01 năm 2025; "
        "Giám đốc Công an tỉnh Thử tại Tờ trình số 90/TTr-CAT ngày 06 tháng 01 năm 2025."
    )  # 89 was sent back: its nomination came again with 90


# --- the Ministry's tier ---------------------------------------------------------------------------


def test_the_ministry_tier_asks_home_affairs_for_its_opinion_and_the_minister_to_decide(org, world):  # noqa: F811
    campaign, tiers = world
    tier = tiers["ministry"]
    team = nominate(org, campaign, tier, kind=NomineeKind.COLLECTIVE, name="Phòng Hành chính",
                    parent_unit=org.units["a"], women_percent=72)  # fmt: skip
    send(org, campaign, tier, [team])
    to_home = svc.handoff_send(by=org.actor("police"), nominations=[team], number="7/TTr-CAT",
                               date=dt.date(2025, 2, 3), signer="Nguyễn Văn Giám")  # fmt: skip
    svc.nomination_act(by=org.actor("home"), nomination=team, step=Step.HOME_AFFAIRS_APPRAISAL,
                       outcome=Outcome.APPROVED)  # fmt: skip
    forward = svc.handoff_send(by=org.actor("director"), nominations=[team], number="21/TTr-CAT",
                               date=dt.date(2025, 2, 14), signer="Nguyễn Văn Giám", signer_title="Giám đốc")  # fmt: skip
    asked = handoff_submission(to_home)
    assert (asked.recipient, asked.request) == (
        "Sở Nội vụ tỉnh Thử", "thẩm định, cho ý kiến để trình Bộ trưởng Bộ Công an xét, tặng",
    )  # fmt: skip
    sub = handoff_submission(forward)
    assert (sub.recipient, sub.request, sub.signer_title) == ("Bộ trưởng Bộ Công an", "xét, tặng", "GIÁM ĐỐC")
    lines = paragraphs(handoff_files(forward)["docx"])
    for line in (
        "Kính gửi: Bộ trưởng Bộ Công an",
        "Công an tỉnh Thử kính đề nghị Bộ trưởng Bộ Công an xét, tặng Bằng khen của Bộ trưởng Bộ Công an cho 1 tập "
        "thể (có danh sách kèm theo) đã có thành tích xuất sắc trong tổng kết thử nghiệm.",
        "Xét đề nghị của Công ty Cổ phần An Bình tại Tờ trình số 15/TTr-CT ngày 10 tháng 7 năm 2024.",
        "(Kèm theo Tờ trình số 21/TTr-CAT ngày 14 tháng 02 năm 2025 của Công an tỉnh Thử)",
    ):
        assert line in lines, line
    assert "II. CÁ NHÂN" not in lines and "I. TẬP THỂ" in lines
    assert "Số: 07/TTr-CAT" in header_lines(docx.Document(io.BytesIO(handoff_files(to_home)["docx"])))


# --- PDF, XLSX, determinism, Unicode, queries ------------------------------------------------------


def test_the_pdf_is_a4_and_says_the_same(chairman):
    _campaign, police, _home = chairman
    data = handoff_files(police)["pdf"]
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = pdf_text(data)
    for line in ("TỜ TRÌNH", "Số: 112/TTr-CAT", "Kính gửi: Sở Nội vụ tỉnh Thử", "Phòng Kỹ thuật",
                 "(Kèm theo Tờ trình số 112/TTr-CAT ngày 05 tháng 01 năm 2025 của Công an tỉnh Thử)"):  # fmt: skip
        assert line in text, line
    annex = text[text.index("II. CÁ NHÂN") :]
    positions = [annex.index(name) for name in PEOPLE_IN_ORDER]
    assert positions == sorted(positions) and "Rút" not in text


def test_the_xlsx_lists_the_rows(chairman):
    _campaign, police, _home = chairman
    book = openpyxl.load_workbook(io.BytesIO(handoff_files(police)["xlsx"]))
    assert book.sheetnames == ["Tập thể", "Cá nhân"]
    people = book["Cá nhân"]
    assert people["A1"].value == f"II. CÁ NHÂN ĐỀ NGHỊ TẶNG {AWARD.upper()}"
    assert [[c.value for c in row][:3] for row in people.iter_rows(min_row=3)] == [
        [1, "Nguyễn Văn An", "Trưởng phòng"],
        [2, "Trần Thị Bình", "Kế toán trưởng"],
        [3, "Lê Văn Đức", "Phó phòng"],
    ]
    assert [[c.value for c in row][:3] for row in book["Tập thể"].iter_rows(min_row=3)] == [
        [1, "Phòng Kỹ thuật", "Công ty Cổ phần An Bình"]
    ]


def test_the_same_handoff_gives_the_same_bytes(chairman):
    _campaign, police, home = chairman
    first = handoff_files(police)
    again = handoff_files(HandOff.objects.get(pk=police.pk))
    assert set(first) == {"docx", "pdf", "xlsx"} and first == again
    assert handoff_files(home)["docx"] != first["docx"]


def test_decomposed_names_come_out_composed(chairman):
    _campaign, police, _home = chairman
    # Rows written around the NFC field (an import, raw SQL) may hold decomposed text.
    Nomination.objects.filter(name="Phòng Kỹ thuật").update(name=unicodedata.normalize("NFD", "phòng  Kỹ thuật"))
    Nomination.objects.filter(name="lê văn ĐỨC").update(name=unicodedata.normalize("NFD", "lê  văn đức"))
    sub = handoff_submission(police)
    names = {n.name for n in sub.nominees}
    assert {"Lê Văn Đức", "phòng Kỹ thuật"} <= names  # collectives keep their own case
    assert all(unicodedata.is_normalized("NFC", name) for name in names)
    data = handoff_files(police)
    word = docx.Document(io.BytesIO(data["docx"]))
    assert [row[1] for row in list_rows(word, "II. CÁ NHÂN")] == PEOPLE_IN_ORDER
    assert "Lê Văn Đức" in pdf_text(data["pdf"])


def test_the_submission_takes_a_handful_of_queries(chairman, django_assert_max_num_queries):
    _campaign, _police, home = chairman
    # with the bases it cites, the campaign's order of its own and the plan issuer's name on the plan's date
    with django_assert_max_num_queries(8):
        handoff_submission(HandOff(pk=home.pk))


def test_nothing_left_to_send_is_an_error(org, world):  # noqa: F811
    campaign, tiers = world
    nomination = nominate(org, campaign, tiers["chairman"])
    send(org, campaign, tiers["chairman"], [nomination])
    handoff = svc.handoff_send(by=org.actor("police"), nominations=[nomination], number="3/TTr-CAT",
                               date=dt.date(2025, 1, 5), signer="A")  # fmt: skip
    svc.nomination_withdraw(by=org.actor("head_a"), nomination=nomination, reason="Nghỉ hưu")
    assert handoff_submission(handoff).nominees == []
    with pytest.raises(ValueError, match="at least one nominee"):
        submission_document(handoff_submission(handoff))


@pytest.mark.parametrize(
    ("reference", "expected"),
    [("112/TTr-CAT", (112, "TTr-CAT")), ("07/TTr-CAT", (7, "TTr-CAT")), ("TTr-CAT", (None, "TTr-CAT")),
     (" /TTr-SNV ", (None, "TTr-SNV")), ("12a/TTr", ("12a", "TTr")), ("5/TTr/2025", (5, "TTr/2025"))],
)  # fmt: skip
def test_the_number_is_split_from_its_symbol(reference, expected):
    assert split_number(reference) == expected
