"""Vietnamese administrative-document conventions (Decree 30/2020/NĐ-CP, Appendix I) as small helpers:
the place-and-date line, the document number, thousands separators, and ready-made header and
signature blocks."""

from collections.abc import Sequence
from datetime import date

from .model import Inline, Run, Signature, TwoColumnHeader

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


# Decree 30/2020: under a document's subject (trích yếu) "đường kẻ ngang, nét liền, có độ dài bằng từ 1/3
# đến 1/2 độ dài dòng chữ" (quoted at https://cdnlaocai.edu.vn/trich-yeu-la-gi/).
SUBJECT_RULE = 0.4


def date_line(place: str, day: date) -> str:
    """The place-and-date line, "Đồng Nai, ngày 05 tháng 01 năm 2025": days below 10 and the months
    1 and 2 take a leading zero (so nobody can add a digit in front), the other months do not."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def date_words(day: date) -> str:
    """ "ngày 05 tháng 01 năm 2025": the date line without the place, for running text."""
    return date_line("", day).removeprefix(", ")


def number_text(number: str | int | None, symbol: str) -> str:
    """ "07/TTr-CAT" (or the blank "     /TTr-CAT"): the number line without "Số: ", for running text."""
    return doc_number(number, symbol).removeprefix("Số:").removeprefix(" ")


def counts_text(collectives: int, individuals: int) -> str:
    """ "1 tập thể và 2 cá nhân", "2 cá nhân", "3 tập thể"."""
    parts = [f"{format_int(collectives)} tập thể"] if collectives else []
    if individuals:
        parts.append(f"{format_int(individuals)} cá nhân")
    return " và ".join(parts)


def doc_number(number: str | int | None, symbol: str) -> str:
    """The number line, "Số: 125/QĐ-UBND"; numbers below 10 take a leading zero ("Số: 05/QĐ-UBND").
    A missing number leaves the blank the clerk fills in at issuance ("Số:      /QĐ-UBND")."""
    text = "" if number is None else str(number).strip()
    if not text:
        return f"Số:      /{symbol}"
    if text.isdigit() and int(text) < 10:
        text = f"{int(text):02d}"
    return f"Số: {text}/{symbol}"


def format_int(value: int) -> str:
    """1234567 -> "1.234.567" (Vietnamese thousands separator)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"format_int expects an int, not {type(value).__name__}")
    return f"{value:,}".replace(",", ".")


def decree30_header(issuer: str, number: str, place_date: str, superior: str | None = None) -> TwoColumnHeader:
    """The header of a decision or report. `issuer` (and its `superior`, if any) as they should
    appear, in capitals; `number` from `doc_number`; `place_date` from `date_line`."""
    left: list[Inline] = []
    if superior:
        left.append(Run(superior, size_pt=12))
    left.append(Run(issuer, bold=True, size_pt=13))
    rule_after = len(left) - 1
    left.append(Run(number, size_pt=13))
    right: list[Inline] = [
        Run(NATIONAL_NAME, bold=True, size_pt=12),
        Run(MOTTO, bold=True, size_pt=13),
        Run(place_date, italic=True, size_pt=13),
    ]
    return TwoColumnHeader(left, right, left_rule_after=rule_after, right_rule_after=1)


def signature(
    title: str, name: str, authority: str | None = None, recipients: Sequence[str] = (), blank_lines: int = 4
) -> Signature:
    """Signature block: "TM. ỦY BAN NHÂN DÂN" (`authority`), "CHỦ TỊCH" (`title`), room for the
    signature and seal, the signer's `name`; "Nơi nhận:" and the `recipients` on the left."""
    lines: list[Inline] = []
    if authority:
        lines.append(Run(authority, bold=True))
    lines.append(Run(title, bold=True))
    lines.extend([""] * blank_lines)
    lines.append(Run(name, bold=True))
    left: list[Inline] = []
    if recipients:
        left.append(Run("Nơi nhận:", bold=True, italic=True, size_pt=12))
        left.extend(Run(f"- {item}", size_pt=11) for item in recipients)
    return Signature(lines, left_lines=left)
