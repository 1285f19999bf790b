"""API v1 of the repairs app: work orders, with their parts and labour, quotes and visits
mounted under them, and the repair settings."""

from aftercare.repairs.api.parts import parts_router
from aftercare.repairs.api.quotes import quotes_router
from aftercare.repairs.api.settings import repair_settings_router
from aftercare.repairs.api.visits import visits_router
from aftercare.repairs.api.work_orders import work_orders_router

# A work order's parts, quotes and visits are paths under /work-orders/{work_order_id}/: one
# mount, in this order (the order of the schema).
work_orders_router.add_router("", parts_router)
work_orders_router.add_router("", quotes_router)
work_orders_router.add_router("", visits_router)

__all__ = ["repair_settings_router", "work_orders_router"]
