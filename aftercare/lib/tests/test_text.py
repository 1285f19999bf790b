from aftercare.lib.text import normalize_digits, persian_digits


def test_persian_and_arabic_digits_become_ascii():
    assert normalize_digits("۰۹۱۲۳۴۵۶۷۸۹") == "09123456789"
    assert normalize_digits("٠١٢") == "012"
    assert normalize_digits("AS-۰۰۰۱۲۳") == "AS-000123"


def test_persian_digits():
    assert persian_digits("1405/01/02") == "۱۴۰۵/۰۱/۰۲"
