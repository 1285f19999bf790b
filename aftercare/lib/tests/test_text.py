from hypothesis import given
from hypothesis import strategies as st

from aftercare.lib.text import normalize_digits, normalize_text, persian_digits


def test_arabic_and_persian_letters_fold_together():
    assert normalize_text("علي كريمي") == normalize_text("علی کریمی") == "علی کریمی"


def test_zwnj_is_a_word_boundary_and_diacritics_drop():
    assert normalize_text("می\u200cخواهم") == "می خواهم"
    assert normalize_text("كِتابُ") == "کتاب"


def test_persian_and_arabic_digits_become_ascii():
    assert normalize_text("۰۹۱۲۳۴۵۶۷۸۹") == "09123456789"
    assert normalize_text("٠١٢") == "012"
    assert normalize_digits("AS-۰۰۰۱۲۳") == "AS-000123"


def test_turkish_and_kazakh_case():
    assert normalize_text("İSTANBUL") == normalize_text("istanbul") == "istanbul"
    assert normalize_text("ILIK") == normalize_text("ılık") == normalize_text("ilik")
    assert normalize_text("АЛМАТЫ Қала") == "алматы қала"


def test_persian_digits():
    assert persian_digits("1405/01/02") == "۱۴۰۵/۰۱/۰۲"


@given(st.text())
def test_normalize_is_idempotent(value):
    once = normalize_text(value)
    assert normalize_text(once) == once
