"""Building blocks for request tests."""

from aftercare.customers.services import customer_create
from aftercare.lib.vocabulary import Kind, Priority
from aftercare.tickets.services import ticket_create

_counter = {"n": 0}


def make_customer(*, organization, name: str = "", email: str = ""):
    """A customer with a unique email."""
    _counter["n"] += 1
    n = _counter["n"]
    return customer_create(
        organization=organization,
        name=name or f"Customer {n}",
        emails=[email or f"customer{n}@example.com"],
    )


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
