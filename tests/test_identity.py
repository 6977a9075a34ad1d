"""Citizen ID, date-of-birth and name-matching rules. Pure functions: no database needed."""

import datetime as dt
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from awards.identity import (
    FEMALE,
    MALE,
    PROVINCE_CODES,
    check_birth_date,
    check_id_number,
    mask_id_number,
    name_key,
    normalise_id_number,
)


@pytest.fixture(autouse=True)
def english():
    # Assert the English msgids, whatever Vietnamese translations are added later.
    with translation.override("en"):
        yield


def id_errors(number: str, *, gender: str | None = None, birth_date: dt.date | None = None) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        check_id_number(number=number, gender=gender, birth_date=birth_date)
    return caught.value.messages


# --- valid numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "gender", "birth_date"),
    [
        ("001085012345", MALE, dt.date(1985, 3, 2)),  # Hà Nội, man born 1985
        ("079190012345", FEMALE, dt.date(1990, 12, 31)),  # Hồ Chí Minh City, woman born 1990
        ("048203000123", MALE, dt.date(2003, 1, 1)),  # Đà Nẵng, man born 2003
        ("096305999999", FEMALE, dt.date(2005, 6, 15)),  # Cà Mau, woman born 2005
    ],
)
def test_valid_cccd_for_men_and_women_of_both_centuries(number, gender, birth_date):
    assert check_id_number(number=number, gender=gender, birth_date=birth_date) is None


def test_cccd_without_gender_or_birth_date_is_checked_for_shape_only():
    assert check_id_number(number="079190012345", gender=None, birth_date=None) is None


def test_empty_id_is_allowed_because_the_field_is_optional():
    assert check_id_number(number="", gender=MALE, birth_date=dt.date(1985, 1, 1)) is None
    assert check_id_number(number="  ", gender=None, birth_date=None) is None


def test_old_nine_digit_cmnd_is_accepted_without_cross_checks():
    # A CMND encodes neither gender nor birth year, so nothing can disagree.
    assert check_id_number(number="023456789", gender=FEMALE, birth_date=dt.date(1970, 1, 1)) is None


def test_spaces_dots_and_dashes_inside_the_number_are_accepted():
    assert normalise_id_number("079 190 012 345") == "079190012345"
    assert normalise_id_number(" 079.190.012.345 ") == "079190012345"
    assert normalise_id_number("079-190-012\u00a0345") == "079190012345"
    assert normalise_id_number(None) == ""
    assert check_id_number(number="079 190.012-345", gender=FEMALE, birth_date=dt.date(1990, 5, 5)) is None


def test_province_list_is_the_63_official_codes():
    assert len(PROVINCE_CODES) == 63
    assert {"001", "079", "096"} <= PROVINCE_CODES
    assert "003" not in PROVINCE_CODES


# --- refused numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["0790012345", "07919001234", "0791900123456"])
def test_lengths_other_than_9_or_12_are_refused(number):
    assert id_errors(number) == ["A citizen ID has 12 digits (or 9 for an old identity card)."]


@pytest.mark.parametrize("number", ["07919001234A", "O79190012345", "٠٧٩١٩٠٠١٢٣٤٥"])
def test_letters_and_non_ascii_digits_are_refused(number):
    assert id_errors(number) == ["The citizen ID may contain digits only."]


def test_wrong_gender_digit_is_named_in_plain_words():
    assert id_errors("079190012345", gender=MALE) == [
        "The citizen ID's fourth digit (1) is for a woman, but the person is recorded as a man."
    ]
    assert id_errors("001085012345", gender=FEMALE) == [
        "The citizen ID's fourth digit (0) is for a man, but the person is recorded as a woman."
    ]


def test_wrong_birth_year_digits():
    assert id_errors("001085012345", birth_date=dt.date(1986, 1, 1)) == [
        "The citizen ID's birth-year digits (85) do not match the date of birth (1986)."
    ]


def test_wrong_century():
    # Digit 2 means born in the 2000s; the two-digit year (85) agrees, the century does not.
    assert id_errors("079285012345", birth_date=dt.date(1985, 7, 1)) == [
        "The citizen ID's fourth digit (2) is for people born from 2000 to 2099, but the date of birth is in 1985."
    ]


def test_unknown_province_code():
    assert id_errors("003085012345") == ["The citizen ID's first three digits (003) are not a province code."]
    assert id_errors("097085012345") == ["The citizen ID's first three digits (097) are not a province code."]


def test_all_errors_are_reported_at_once():
    messages = id_errors("079190012345", gender=MALE, birth_date=dt.date(1991, 1, 1))
    assert messages == [
        "The citizen ID's fourth digit (1) is for a woman, but the person is recorded as a man.",
        "The citizen ID's birth-year digits (90) do not match the date of birth (1991).",
    ]


# --- date of birth ---------------------------------------------------------------------------------

TODAY = dt.date(2025, 6, 1)


def test_plausible_birth_dates_pass():
    assert check_birth_date(dt.date(1960, 2, 29), today=TODAY) is None
    assert check_birth_date(TODAY, today=TODAY) is None
    assert check_birth_date(None, today=TODAY) is None


def test_future_birth_date_is_refused():
    with pytest.raises(ValidationError) as caught:
        check_birth_date(TODAY + dt.timedelta(days=1), today=TODAY)
    assert caught.value.messages == ["The date of birth cannot be in the future."]


def test_birth_date_before_1900_is_refused():
    with pytest.raises(ValidationError) as caught:
        check_birth_date(dt.date(1899, 12, 31), today=TODAY)
    assert caught.value.messages == ["The date of birth is before 1900; please check the year."]


# --- name matching ---------------------------------------------------------------------------------


def test_name_key_ignores_encoding_spacing_case_and_diacritics():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn An")
    assert decomposed != "Nguyễn Văn An"
    variants = ["Nguyễn Văn An", decomposed, "  Nguyễn  Văn\tAn ", "NGUYỄN VĂN AN", "nguyen van an"]
    assert {name_key(v) for v in variants} == {"nguyen van an"}


def test_name_key_maps_d_with_stroke_to_d():
    assert name_key("Đặng Thị Đào") == name_key("Dang Thi Dao") == "dang thi dao"
    assert name_key(unicodedata.normalize("NFD", "đặng")) == "dang"


def test_name_key_treats_punctuation_as_spaces():
    assert name_key("Nguyễn-Văn.An") == name_key("Nguyễn, Văn An") == "nguyen van an"
    assert name_key("Phòng Cảnh sát giao thông - Công an tỉnh") == "phong canh sat giao thong cong an tinh"


def test_names_differing_only_by_diacritics_collide_on_purpose():
    # Matching is diacritic-insensitive by design, because lists are often typed without marks.
    # A name match alone is therefore never proof of the same person: it must also agree on the
    # date of birth or the citizen ID.
    assert name_key("Nguyễn Văn An") == name_key("Nguyễn Văn Ân")


def test_different_names_stay_different():
    assert name_key("Nguyễn Văn An") != name_key("Nguyễn Văn Anh")
    assert name_key("Nguyễn Văn An") != name_key("Nguyễn An")
    assert name_key(None) == name_key("") == ""


# --- masking ---------------------------------------------------------------------------------------


def test_mask_keeps_only_the_last_three_digits():
    assert mask_id_number("079203012345") == "•••••••••345"
    assert mask_id_number("023456789") == "••••••789"
    assert mask_id_number("079 203 012 345") == "•••••••••345"


def test_mask_of_empty_stays_empty_and_short_values_are_hidden_entirely():
    assert mask_id_number("") == ""
    assert mask_id_number(None) == ""
    assert mask_id_number("123") == "•••"
