"""The request page's work orders panel (connected to `tickets.hooks.ticket_page_panels`)."""

from django.http import HttpRequest

from aftercare.accounts.models import Membership
from aftercare.repairs.selectors import work_orders_for_panel
from aftercare.tickets.hooks import TicketPanel
from aftercare.tickets.models import Ticket


def ticket_work_orders_panel(
    *, request: HttpRequest, membership: Membership, ticket: Ticket
) -> TicketPanel:
    """The request's work orders with their stage and technician, and a way to open one."""
    return TicketPanel(
        template="repairs/_ticket_panel.html",
        context={
            "work_orders": work_orders_for_panel(ticket=ticket),
            "can_open": membership.can_write and ticket.is_open,
        },
    )
