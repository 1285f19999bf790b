from decimal import Decimal

import pytest
from django.utils import translation

from aftercare.repairs.money import cents, currency_name, format_money, minor_units

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("language", "currency", "amount", "written"),
    [
        # Rials and tomans have no decimals; halves round up.
        ("en", "IRR", "4687000.00", "4,687,000 IRR"),
        ("en", "IRR", "2943000.55", "2,943,001 IRR"),
        ("en", "IRR", "0.49", "0 IRR"),
        ("fa", "IRR", "4687000.00", "۴٬۶۸۷٬۰۰۰ ریال"),
        ("fa", "IRT", "468700.50", "۴۶۸٬۷۰۱ تومان"),
        ("tr", "IRR", "4687000", "4.687.000 IRR"),
        ("kk", "IRR", "4687000", f"4{NBSP}687{NBSP}000 IRR"),
        # Lira, tenge, dollars and euros have cents.
        ("tr", "TRY", "1250.5", "1.250,50 TRY"),
        ("tr", "TRY", "1234567.891", "1.234.567,89 TRY"),
        ("kk", "KZT", "1250000.75", f"1{NBSP}250{NBSP}000,75 KZT"),
        ("en", "USD", "1250.5", "1,250.50 USD"),
        ("en", "EUR", "999.995", "1,000.00 EUR"),
        ("fa", "USD", "1250.5", "۱٬۲۵۰٫۵۰ USD"),
        ("fa", "KZT", "12", "۱۲٫۰۰ KZT"),
        # A currency not known is written with cents; no currency, the number alone.
        ("en", "XYZ", "5", "5.00 XYZ"),
        ("en", "", "1250", "1,250.00"),
        ("tr", "", "0.5", "0,50"),
        # Amounts taken off (what the warranty covers) keep their sign.
        ("en", "IRR", "-4300000", "-4,300,000 IRR"),
        ("fa", "IRR", "-4300000", "-۴٬۳۰۰٬۰۰۰ ریال"),
    ],
)
def test_amounts_are_written_in_the_currencys_units_and_the_languages_way(
    language, currency, amount, written
):
    with translation.override(language):
        assert format_money(Decimal(amount), currency) == written
    # The same when the language is named rather than active.
    with translation.override("en"):
        assert format_money(amount, currency, language) == written


def test_nothing_is_written_for_no_amount():
    assert format_money(None, "IRR") == ""
    assert format_money("", "IRR") == ""


def test_minor_units_and_names():
    assert [minor_units(code) for code in ("IRR", "IRT", "KZT", "TRY", "USD", "EUR", "ABC")] == [
        0,
        0,
        2,
        2,
        2,
        2,
        2,
    ]
    assert minor_units("irr") == 0
    assert currency_name("IRR", "fa") == "ریال"
    assert currency_name("IRT", "fa") == "تومان"
    assert currency_name("TRY", "fa") == "TRY"
    assert currency_name("IRR", "en") == "IRR"


def test_stored_amounts_keep_two_decimals():
    assert cents("2943000.545") == Decimal("2943000.55")
    assert cents(Decimal("1.005")) == Decimal("1.01")
