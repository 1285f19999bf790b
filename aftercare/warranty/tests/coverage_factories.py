"""Building blocks for coverage, contract and claim tests: a model under a policy and units
with literal dates, written straight to the database so each test states every date it uses, and
the unit of a worked example of the coverage check (`Example`, under the `world` fixture)."""

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from aftercare.catalog.services import product_model_create, warranty_policy_create
from aftercare.warranty.models import Contract, Unit
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


def _utc(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Example:
    """One worked example: a unit, its contracts, the day and fault asked about, and the
    answer computed by hand: (covered, by, starts_on, until, reason)."""

    name: str
    policy: str | None
    on: datetime.date
    expected: tuple
    purchase: datetime.date | None = None
    delivery: datetime.date | None = None
    installation: datetime.date | None = None
    registered_at: str | None = "2026-01-01T00:00:00"
    transferred_on: datetime.date | None = None
    sold_by_us: bool = True
    fault: str | None = None
    # (kind, starts_on, ends_on, voided)
    contracts: tuple = field(default=())


_example_numbers = iter(range(10**6))


def make_example_unit(world, example: Example) -> Unit:
    """The unit of a worked example, under its policy of `world` (the `world` fixture), with its
    contracts; read back as the coverage check reads it."""
    org = world["org"]
    number = next(_example_numbers)
    policy = world["policies"][example.policy] if example.policy else None
    product = product_model_create(
        organization=org, name=f"Model {number}", sku=f"M-{number}", warranty_policy=policy
    )
    unit = Unit.objects.create(
        organization=org,
        product_model=product,
        serial_number=f"SN-{number}",
        serial_key=serial_key(f"SN-{number}"),
        is_sold_by_us=example.sold_by_us,
        purchase_date=example.purchase,
        delivery_date=example.delivery,
        installation_date=example.installation,
        source=Unit.Source.CONSOLE,
        registered_at=_utc(example.registered_at) if example.registered_at else None,
        transferred_on=example.transferred_on,
    )
    for kind, starts_on, ends_on, voided in example.contracts:
        Contract.objects.create(
            organization=org,
            unit=unit,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            covers_travel=kind == "goodwill",
            price=Decimal("100.00") if kind == "extended" else None,
            voided_at=_utc("2026-01-02T00:00:00") if voided else None,
        )
    return Unit.objects.select_related("product_model__warranty_policy", "organization").get(
        pk=unit.pk
    )
