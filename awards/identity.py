"""Who a nominee is: citizen ID checks, date-of-birth checks and the key that matches the same person.

A citizen ID (CCCD, 12 digits) encodes the province of birth registration, gender, century and the
last two digits of the birth year, so it can be cross-checked against what the form says. Older
records may carry a 9-digit identity card number (CMND), which encodes nothing we can check.
"""

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .text import is_ascii_digits, nfc

MALE = "male"
FEMALE = "female"

CCCD_LENGTH = 12
CMND_LENGTH = 9
MIN_BIRTH_YEAR = 1900

# Province codes of birth registration used in CCCD numbers: the official list of 63 codes.
# The gaps (003, 005, ...) are real: no province has those codes.
PROVINCE_CODES = frozenset({
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024", "025",
    "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045", "046", "048",
    "049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075",
    "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
})  # fmt: skip

# Fourth digit -> first year of the birth century; even digits are men, odd digits women.
CENTURY_BY_DIGIT = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 1800, 9: 1800}

# What people type between digit groups: spaces (also non-breaking), dots and dashes (Word turns
# "-" into an en dash).
_ID_SEPARATORS = re.compile(r"[\s.\-\u2010\u2011\u2013\u2014]")


def normalise_id_number(value: str | None) -> str:
    """'079 203.012-345' -> '079203012345'; None -> ''. Anything else typed is kept, so checks can refuse it."""
    return _ID_SEPARATORS.sub("", nfc(value))


def check_id_number(*, number: str, gender: str | None, birth_date: dt.date | None) -> None:
    """Raise one ValidationError listing every problem, so the user can fix them all at once."""
    number = normalise_id_number(number)
    if not number:
        return  # the field is optional
    if not is_ascii_digits(number):
        raise ValidationError(_("The citizen ID may contain digits only."), code="id_digits")
    if len(number) == CMND_LENGTH:
        return  # old identity card: its digits say nothing about the person
    if len(number) != CCCD_LENGTH:
        raise ValidationError(_("A citizen ID has 12 digits (or 9 for an old identity card)."), code="id_length")

    errors: list[ValidationError] = []
    province, digit, year_digits = number[:3], int(number[3]), number[4:6]
    if province not in PROVINCE_CODES:
        errors.append(
            ValidationError(
                _("The citizen ID's first three digits (%(code)s) are not a province code."),
                code="id_province",
                params={"code": province},
            )
        )
    if gender == MALE and digit % 2 == 1:
        errors.append(
            ValidationError(
                _("The citizen ID's fourth digit (%(digit)s) is for a woman, but the person is recorded as a man."),
                code="id_gender",
                params={"digit": digit},
            )
        )
    elif gender == FEMALE and digit % 2 == 0:
        errors.append(
            ValidationError(
                _("The citizen ID's fourth digit (%(digit)s) is for a man, but the person is recorded as a woman."),
                code="id_gender",
                params={"digit": digit},
            )
        )
    if birth_date is not None:
        century = CENTURY_BY_DIGIT[digit]
        if not century <= birth_date.year < century + 100:
            errors.append(
                ValidationError(
                    _(
                        "The citizen ID's fourth digit (%(digit)s) is for people born from %(first)s to %(last)s, "
                        "but the date of birth is in %(year)s."
                    ),
                    code="id_century",
                    params={"digit": digit, "first": century, "last": century + 99, "year": birth_date.year},
                )
            )
        if year_digits != f"{birth_date.year % 100:02d}":
            errors.append(
                ValidationError(
                    _("The citizen ID's birth-year digits (%(digits)s) do not match the date of birth (%(year)s)."),
                    code="id_birth_year",
                    params={"digits": year_digits, "year": birth_date.year},
                )
            )
    if errors:
        raise ValidationError(errors)


def check_birth_date(value: dt.date | None, *, today: dt.date) -> None:
    """`today` is passed in so the rule does not depend on the server's clock or time zone."""
    if value is None:
        return
    if value > today:
        raise ValidationError(_("The date of birth cannot be in the future."), code="birth_future")
    if value.year < MIN_BIRTH_YEAR:
        raise ValidationError(
            _("The date of birth is before %(year)s; please check the year."),
            code="birth_too_old",
            params={"year": MIN_BIRTH_YEAR},
        )


def name_key(value: str | None) -> str:
    """Matching key for 'same person / same collective': ignores case, diacritics, spacing and punctuation.

    'Nguyễn Văn An' and 'Nguyễn Văn Ân' get the same key on purpose: lists are often typed without
    diacritics, so a match must also be confirmed by the date of birth or the citizen ID.
    """
    words = []
    for char in unicodedata.normalize("NFD", nfc(value).casefold()):
        if unicodedata.combining(char):
            continue  # tone and letter marks
        if char == "đ":
            words.append("d")  # đ is its own letter, not d plus a mark, so NFD leaves it alone
        elif unicodedata.category(char).startswith("P"):
            words.append(" ")  # "Nguyễn-Văn.An", "Tổ 1,Phòng 2"
        else:
            words.append(char)
    return " ".join("".join(words).split())


def mask_id_number(value: str | None) -> str:
    """'079203012345' -> '•••••••••345' for lists, where the full number is not needed."""
    number = normalise_id_number(value)
    if len(number) <= 3:
        return "•" * len(number)  # too short to be a real ID; showing its end would show all of it
    return "•" * (len(number) - 3) + number[-3:]
