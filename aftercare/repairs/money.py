"""Amounts of money: stored rounded to the cent half up, and written for people in the
currency's minor units with the reader's language's digits and separators."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, translation

from aftercare.lib.dates import uses_jalali
from aftercare.lib.text import persian_digits

CENT = Decimal("0.01")

# Digits after the decimal separator where ISO 4217 says other than 2 (any other currency,
# known or not, is written with 2). Rials have no subunit in use; the toman ("IRT", not an
# ISO code) is how Iranian prices are commonly written, without decimals too.
MINOR_UNITS = {
    "IRR": 0,
    "IRT": 0,
    "CLP": 0,
    "ISK": 0,
    "JPY": 0,
    "KRW": 0,
    "VND": 0,
    "BHD": 3,
    "IQD": 3,
    "JOD": 3,
    "KWD": 3,
    "LYD": 3,
    "OMR": 3,
    "TND": 3,
}

# A currency's name where a language writes the name rather than the code after an amount.
LOCAL_NAMES = {
    "fa": {"IRR": "ریال", "IRT": "تومان"},
}


def cents(value: Decimal | int | str) -> Decimal:
    """`value` rounded to two decimals, halves away from zero."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def minor_units(currency: str) -> int:
    """How many decimals an amount of `currency` is written with (2 when not known)."""
    return MINOR_UNITS.get((currency or "").upper(), 2)


def currency_name(currency: str, language: str | None = None) -> str:
    """What follows an amount: the currency's code, or its local name in `language` (the
    active language if None): "IRR", or "ریال" in Persian."""
    code = (currency or "").upper()
    base = (language or translation.get_language() or "en").split("-")[0]
    return LOCAL_NAMES.get(base, {}).get(code, code)


def format_amount(amount: Decimal | int | str, currency: str = "", language: str | None = None):
    """An amount alone, rounded half up to `currency`'s minor units, with the thousands and
    decimal separators (the formats modules') and the digits of `language` (the active
    language if None): "1,250,000" (IRR, en), "1.250,50" (TRY, tr), "۱٬۲۵۰٬۰۰۰" (IRR, fa)."""
    language = language or translation.get_language() or "en"
    places = minor_units(currency)
    rounded = Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    thousands = formats.get_format("THOUSAND_SEPARATOR", lang=language)
    decimal = formats.get_format("DECIMAL_SEPARATOR", lang=language)
    # Python writes "1,234.50"; both separators are swapped for the language's at once.
    text = f"{rounded:,.{places}f}".translate({ord(","): thousands, ord("."): decimal})
    return persian_digits(text) if uses_jalali(language) else text


def format_money(
    amount: Decimal | int | str | None, currency: str = "", language: str | None = None
) -> str:
    """An amount and its currency as the reader writes them (the active language if
    `language` is None): "1,250,000 IRR" in English, "۱٬۲۵۰٬۰۰۰ ریال" in Persian,
    "1.250,50 TRY" in Turkish, "1 250,50 KZT" in Kazakh (a no-break space). "" for no amount."""
    if amount is None or amount == "":
        return ""
    text = format_amount(amount, currency, language)
    name = currency_name(currency, language)
    return f"{text} {name}" if name else text
