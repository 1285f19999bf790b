"""Building blocks for coverage, contract and claim tests: a model under a policy and units
with literal dates, written straight to the database so each test states every date it uses."""

import datetime
import itertools

from django.utils import timezone

from aftercare.catalog.services import product_model_create, warranty_policy_create
from aftercare.warranty.models import Unit
from aftercare.warranty.serials import serial_clean, serial_key

_numbers = itertools.count(1)


def fixed_now(monkeypatch, text: str) -> datetime.datetime:
    """Make `timezone.now()` answer the UTC moment `text` (ISO) for the rest of the test."""
    moment = datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def make_model(*, organization, months: int | None = 12, name: str = "", **policy_fields):
    """A product model with a warranty policy of `months` (None: no policy)."""
    number = next(_numbers)
    policy = None
    if months is not None:
        policy = warranty_policy_create(
            organization=organization, name=f"Policy {number}", months=months, **policy_fields
        )
    return product_model_create(
        organization=organization,
        name=name or f"Washer {number}",
        sku=f"CM-{number}",
        brand="Arya",
        warranty_policy=policy,
    )


def make_dated_unit(
    *,
    organization,
    product_model=None,
    serial: str = "",
    purchase_date: datetime.date | None = datetime.date(2026, 3, 10),
    customer=None,
    **fields,
) -> Unit:
    """A unit with the dates given (bought 2026-03-10 unless told otherwise)."""
    number = next(_numbers)
    serial = serial_clean(serial or f"SN-{number:06d}")
    fields.setdefault("registered_at", datetime.datetime(2026, 3, 10, 8, tzinfo=datetime.UTC))
    return Unit.objects.create(
        organization=organization,
        product_model=product_model or make_model(organization=organization),
        serial_number=serial,
        serial_key=serial_key(serial),
        customer=customer,
        purchase_date=purchase_date,
        source=Unit.Source.CONSOLE,
        **fields,
    )
