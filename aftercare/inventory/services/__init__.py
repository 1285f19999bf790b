"""Every write to the inventory: stock locations, reorder points, and the stock ledger's moves
and reservations (`stock`), all through the conditional level changes of `levels`."""

from aftercare.inventory.services.levels import ON_HAND_MAX, QUANTITY_MAX
from aftercare.inventory.services.locations import (
    stock_level_reorder_set,
    stock_location_create,
    stock_location_update,
)
from aftercare.inventory.services.stock import (
    reservation_consume,
    reservation_release,
    stock_adjust,
    stock_consume,
    stock_count,
    stock_free,
    stock_receive,
    stock_reserve,
    stock_transfer,
)

__all__ = [
    "ON_HAND_MAX",
    "QUANTITY_MAX",
    "reservation_consume",
    "reservation_release",
    "stock_adjust",
    "stock_consume",
    "stock_count",
    "stock_free",
    "stock_level_reorder_set",
    "stock_location_create",
    "stock_location_update",
    "stock_receive",
    "stock_reserve",
    "stock_transfer",
]
