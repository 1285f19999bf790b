import pytest

from aftercare.lib.errors import ApplicationError
from aftercare.lib.phone import normalize_phone


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("0912 345 6789", "IR", "+989123456789"),
        ("۰۹۱۲۳۴۵۶۷۸۹", "IR", "+989123456789"),
        ("+90 532 123 45 67", "IR", "+905321234567"),
        ("0532 123 45 67", "TR", "+905321234567"),
        ("8 701 234 5678", "KZ", "+77012345678"),
    ],
)
def test_numbers_normalise_to_e164(raw, region, expected):
    assert normalize_phone(raw, region=region) == expected


def test_invalid_number_names_the_field():
    with pytest.raises(ApplicationError) as error:
        normalize_phone("12", region="IR", field="phones")
    assert error.value.field == "phones"
