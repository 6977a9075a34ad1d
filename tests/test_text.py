import unicodedata

import pytest

from awards.models import Unit, UnitKind
from awards.text import nfc, person_sort_key, sort_key


def test_letters_sort_before_tones_in_vietnamese_order():
    words = ["Đào", "Dung", "Ánh", "An", "Ăn", "Âu", "Bình", "Ơn", "Ông", "Ong", "Ưng", "Uống", "Ung"]
    assert sorted(words, key=sort_key) == [
        "An", "Ánh", "Ăn", "Âu", "Bình", "Dung", "Đào", "Ong", "Ông", "Ơn", "Ung", "Uống", "Ưng",
    ]  # fmt: skip


def test_tones_break_ties_in_cldr_order():
    # none < huyền < hỏi < ngã < sắc < nặng
    assert sorted(["má", "mạ", "mà", "mã", "ma", "mả"], key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_people_sort_by_given_name_then_middle_then_family_name():
    people = ["Trần Thị Bình", "Nguyễn Văn An", "Lê An", "Phạm Thị Ánh", "Nguyễn Thị Bình"]
    assert sorted(people, key=person_sort_key) == [
        "Lê An", "Nguyễn Văn An", "Phạm Thị Ánh", "Nguyễn Thị Bình", "Trần Thị Bình",
    ]  # fmt: skip


def test_sort_keys_are_digits_only_so_every_database_orders_them_alike():
    assert sort_key("Ủy ban nhân dân xã Phước Thiền - 2024").isdigit()


def test_decomposed_input_is_normalised_to_nfc():
    decomposed = unicodedata.normalize("NFD", "  Hòa Bình ")
    assert decomposed != "Hòa Bình"
    assert nfc(decomposed) == "Hòa Bình"


@pytest.mark.django_db
def test_units_are_stored_in_nfc_whatever_the_keyboard_sent():
    unit = Unit.objects.create(
        code="x-1", name=unicodedata.normalize("NFD", "Phường Tân Hòa"), kind=UnitKind.ENTERPRISE
    )
    stored = Unit.objects.get(pk=unit.pk)
    assert stored.name == "Phường Tân Hòa"
    assert unicodedata.is_normalized("NFC", stored.name)
    assert stored.code == "X-1"
    assert Unit.objects.filter(name="Phường Tân Hòa").exists()
