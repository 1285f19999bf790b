"""Building blocks for customer tests."""

from aftercare.customers.services import customer_create

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
