"""Building blocks for request tests."""

from aftercare.customers.tests.factories import make_customer
from aftercare.lib.vocabulary import Kind, Priority
from aftercare.tickets.services import ticket_create


def make_ticket(*, organization, customer=None, actor=None, **fields):
    """A request with sensible defaults; any form field can be overridden."""
    customer = customer or make_customer(organization=organization)
    values = {
        "subject": "Washing machine does not drain",
        "description": "Water stays in the drum after the cycle ends.",
        "kind": Kind.REPAIR,
        "priority": Priority.NORMAL,
    }
    values.update(fields)
    return ticket_create(organization=organization, customer=customer, actor=actor, **values)
