"""What a spreadsheet cell means: dates, citizen IDs, headers, choices. Pure functions; errors are ValidationErrors
with translated messages the preview shows next to the cell."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..identity import CCCD_LENGTH, CMND_LENGTH, normalise_id_number

# Excel's serial dates (1900 date system): day 1 is 1900-01-01 and Excel counts a 29 February 1900 that never was,
# so from day 61 on the serial is one more than the days since 1899-12-31. Serials before 61 are not dates anyone
# in a nominee list was born on.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_MIN, _SERIAL_MAX = 61, 2_958_465  # 1900-03-01 .. 9999-12-31
_DATE_TEXT = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_ISO_TEXT = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(value: object, *, date1904: bool = False) -> dt.date | None:
    """A date cell, an Excel serial number or text typed as dd/mm/yyyy (also with dots or dashes, and yyyy-mm-dd)
    -> a date; empty -> None. "05/01/1985" is 5 January: Vietnamese dates put the day first."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise _not_a_date()
    if isinstance(value, int | float):
        return _from_serial(value, date1904=date1904)
    text = " ".join(str(value).split())
    if text.isdigit() and len(text) <= 7:  # a serial typed as text ("31048")
        return _from_serial(int(text), date1904=date1904)
    match = _DATE_TEXT.fullmatch(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _ISO_TEXT.fullmatch(text)
        if not match:
            raise _not_a_date()
        year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("%(text)s is not a real date (day %(day)s of month %(month)s)."),
            code="invalid_date", params={"text": text, "day": day, "month": month},
        ) from None  # fmt: skip


def _from_serial(value: float, *, date1904: bool) -> dt.date:
    if value != int(value):
        value = int(value)  # a time of day after the date: the date is what counts
    serial = int(value)
    if date1904:
        serial += 1462  # the Mac 1904 system, in the 1900 system's numbers
    if not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        raise _not_a_date()
    return _EXCEL_EPOCH + dt.timedelta(days=serial)


def _not_a_date() -> ValidationError:
    return ValidationError(_("Write the date as dd/mm/yyyy, e.g. 05/01/1985."), code="not_a_date")


def parse_id_number(value: object) -> tuple[str, bool]:
    """A citizen ID cell -> (its digits, whether a leading zero was put back). Excel turns "075085001234" typed in a
    number cell into 75085001234: a number one or two digits short of a CCCD (or a CMND) gets its zeros back.
    Text is kept as typed (identity's checks refuse what is wrong)."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return str(value), False
    if isinstance(value, float):
        if value != int(value):
            return repr(value), False
        value = int(value)
    if isinstance(value, int):
        digits = str(value)
        for length in (CCCD_LENGTH, CMND_LENGTH):
            if length - 2 <= len(digits) < length:
                return digits.zfill(length), True
        return digits, False
    return normalise_id_number(str(value)), False


def header_key(value: object) -> str:
    """A header cell -> a matching key that ignores case, accents, spacing, punctuation and the required mark:
    "Họ và tên (*)", "HỌ VÀ TÊN", "ho va ten" -> "ho va ten"."""
    text = unicodedata.normalize("NFD", str(value or "").casefold().replace("đ", "d"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"\(\s*\*\s*\)|\*", " ", text)
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


def choice_key(value: object) -> str:
    """A typed choice ("Cá nhân", "ca nhan", "CÁ NHÂN") -> the same key as its label's."""
    return header_key(value)


def as_text(value: object) -> str:
    """A cell as one line of text: numbers without a trailing ".0", dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    return unicodedata.normalize("NFC", str(value))


def parse_int(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Enter a whole number."), code="not_a_number")
    if isinstance(value, float) and value == int(value):
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip().rstrip("%").strip()
    if not re.fullmatch(r"\d{1,9}", text):
        raise ValidationError(_("Enter a whole number."), code="not_a_number")
    return int(text)
