"""What each change to a work order writes on its request's timeline (a WORK event), in the
transaction of the change. The values a sentence needs are stored with the event, so that
the timeline describes it without reading anything else (aftercare/repairs/describe.py)."""

from aftercare.accounts.models import User
from aftercare.repairs.models import WorkOrder
from aftercare.tickets.events import work_event
from aftercare.tickets.models import TicketEvent


class Action:
    """What happened: `data["action"]` of a WORK event."""

    OPENED = "opened"
    STAGE = "stage"
    DIAGNOSED = "diagnosed"
    TECHNICIAN = "technician"
    BILLING = "billing"
    LABOUR = "labour"
    PART_RESERVED = "part_reserved"
    PART_WAITING = "part_waiting"
    PART_USED = "part_used"
    PART_RELEASED = "part_released"
    QUOTE_SENT = "quote_sent"
    QUOTE_APPROVED = "quote_approved"
    QUOTE_DECLINED = "quote_declined"
    QUOTE_WITHDRAWN = "quote_withdrawn"
    CLAIM_OPENED = "claim_opened"
    CLAIM_APPROVED = "claim_approved"
    CLAIM_REJECTED = "claim_rejected"
    VISIT_SCHEDULED = "visit_scheduled"
    VISIT_STATUS = "visit_status"
    INSTALLED = "installed"


# What the customer sees in the portal; the rest (labour, parts, diagnosis, billing, the
# technician) is the team's. Fitted parts reach the customer on the repair receipt.
PUBLIC_ACTIONS = frozenset(
    {
        Action.OPENED,
        Action.STAGE,
        Action.QUOTE_SENT,
        Action.QUOTE_APPROVED,
        Action.QUOTE_DECLINED,
        Action.CLAIM_APPROVED,
        Action.CLAIM_REJECTED,
        Action.VISIT_SCHEDULED,
        Action.VISIT_STATUS,
    }
)


def work_order_event(
    *, work_order: WorkOrder, actor: User | None, action: str, **data
) -> TicketEvent:
    """Write `action` on the work order's request's timeline, public if the customer sees it."""
    return work_event(
        ticket=work_order.ticket,
        actor=actor,
        action=action,
        data={"work_order_id": work_order.pk, "reference": work_order.reference, **data},
        is_public=action in PUBLIC_ACTIONS,
    )
