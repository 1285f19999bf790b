"""Phone numbers normalised to E.164 with the phonenumbers package."""

import phonenumbers
from django.utils.translation import gettext as _

from aftercare.lib.errors import ApplicationError
from aftercare.lib.text import normalize_digits


def normalize_phone(value: str, *, region: str | None, field: str = "phone") -> str:
    """E.164 form of a phone number, read in `region` when it has no country code."""
    text = normalize_digits(value or "").strip()
    if not text:
        raise ApplicationError(_("Enter a phone number."), field=field)
    try:
        number = phonenumbers.parse(text, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        raise ApplicationError(
            _("Enter a valid phone number, with its country code."), field=field
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ApplicationError(_("Enter a valid phone number, with its country code."), field=field)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
