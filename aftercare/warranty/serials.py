"""Serial numbers as typed and as looked up.

People type serials with Persian or Arabic-Indic digits, full-width characters, spaces and
dashes where the label has them. The stored serial keeps what was typed but in ASCII digits;
its key (unique per organization, what every look-up uses) also drops case and separators, so
"sn-12 345" and "SN12345" are one unit.
"""

import re
import unicodedata

from aftercare.lib.text import normalize_digits

_SEPARATORS = re.compile(r"[\s\-./\\_]+")


def serial_clean(value: str | None) -> str:
    """The serial as stored: NFKC, ASCII digits, no NULs or outer spaces."""
    value = unicodedata.normalize("NFKC", value or "").replace("\x00", "")
    return normalize_digits(value).strip()


def serial_key(value: str | None) -> str:
    """The serial folded for look-ups: cleaned, upper case, without spaces, dashes, dots,
    slashes or underscores."""
    return _SEPARATORS.sub("", serial_clean(value)).upper()
