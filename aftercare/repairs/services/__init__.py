"""Every write to repairs: work orders, their parts, quotes and visits, and the repair
settings. Each module holds one aggregate; they are all importable from here."""

from aftercare.repairs.services.parts import part_add, part_release, part_reserve, part_use
from aftercare.repairs.services.quotes import (
    QuoteDraft,
    quote_approve,
    quote_decline,
    quote_draft,
    quote_send,
    quote_withdraw,
)
from aftercare.repairs.services.settings import (
    repair_settings_get,
    repair_settings_update,
    work_order_number_next,
)
from aftercare.repairs.services.visits import visit_next_statuses, visit_schedule, visit_status_set
from aftercare.repairs.services.work_orders import (
    labour_add,
    work_order_assign,
    work_order_billing_set,
    work_order_claim_approve,
    work_order_claim_reject,
    work_order_diagnose,
    work_order_open,
    work_order_stage_set,
    work_order_work_done_set,
)

__all__ = [
    "QuoteDraft",
    "labour_add",
    "part_add",
    "part_release",
    "part_reserve",
    "part_use",
    "quote_approve",
    "quote_decline",
    "quote_draft",
    "quote_send",
    "quote_withdraw",
    "repair_settings_get",
    "repair_settings_update",
    "visit_next_statuses",
    "visit_schedule",
    "visit_status_set",
    "work_order_assign",
    "work_order_billing_set",
    "work_order_claim_approve",
    "work_order_claim_reject",
    "work_order_diagnose",
    "work_order_number_next",
    "work_order_open",
    "work_order_stage_set",
    "work_order_work_done_set",
]
