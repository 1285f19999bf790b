"""Building blocks for unit tests: product models and registered units."""

import datetime

from django.utils import timezone

from aftercare.catalog.services import product_model_create
from aftercare.warranty.models import Unit
from aftercare.warranty.services.units import unit_register

_counter = {"n": 0}


def make_product_model(
    *, organization, sku: str = "", name: str = "", brand: str = "Arya", warranty_policy=None
):
    """A product model with a unique SKU (and a warranty policy, if given)."""
    _counter["n"] += 1
    n = _counter["n"]
    return product_model_create(
        organization=organization,
        name=name or f"Washer {n}",
        sku=sku or f"WM-{n}",
        brand=brand,
        warranty_policy=warranty_policy,
    )


def make_unit(*, organization, product_model=None, customer=None, serial: str = "", **fields):
    """A unit registered by staff, bought a month ago unless told otherwise."""
    _counter["n"] += 1
    values = {
        "purchase_date": timezone.localdate() - datetime.timedelta(days=30),
        "source": Unit.Source.CONSOLE,
    }
    values.update(fields)
    return unit_register(
        organization=organization,
        product_model=product_model or make_product_model(organization=organization),
        serial_number=serial or f"SN-{_counter['n']:06d}",
        customer=customer,
        **values,
    )
