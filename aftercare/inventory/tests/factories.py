"""Spare parts and stock locations for the inventory's tests."""

from decimal import Decimal

from aftercare.catalog.models import SparePart
from aftercare.inventory.models import StockLocation
from aftercare.inventory.services import stock_location_create


def make_part(organization, sku: str = "PUMP-1", name: str = "Drain pump", **extra) -> SparePart:
    """A spare part of the organization (written straight to the catalog's table)."""
    extra.setdefault("price", Decimal("12.50"))
    return SparePart.objects.create(organization=organization, sku=sku, name=name, **extra)


def make_location(organization, name: str = "Main warehouse", **extra) -> StockLocation:
    """A warehouse, or a van when given its `holder`."""
    if "holder" in extra:
        extra.setdefault("kind", StockLocation.Kind.VAN)
    return stock_location_create(organization=organization, name=name, **extra)
