"""Console pages of repairs: a work order and its actions, opening one from a request, the
technician's day, the dispatch board, the repair settings, and the request page's panel."""

from aftercare.repairs.views.dispatch import dispatch_view, technician_day_view
from aftercare.repairs.views.panel import ticket_work_orders_panel
from aftercare.repairs.views.settings import repair_settings_view
from aftercare.repairs.views.work_order_actions import (
    part_line_action_view,
    visit_status_view,
    work_order_action_view,
)
from aftercare.repairs.views.work_orders import work_order_create_view, work_order_detail_view

__all__ = [
    "dispatch_view",
    "part_line_action_view",
    "repair_settings_view",
    "technician_day_view",
    "ticket_work_orders_panel",
    "visit_status_view",
    "work_order_action_view",
    "work_order_create_view",
    "work_order_detail_view",
]
