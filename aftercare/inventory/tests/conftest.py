"""The inventory tests' cast: a part, a warehouse whose keeper is Alice, Tina's van, and a
listener on the reorder hook."""

import pytest

from aftercare.inventory.hooks import stock_low
from aftercare.inventory.tests.factories import make_location, make_part


@pytest.fixture
def part(org):
    return make_part(org)


@pytest.fixture
def warehouse(org, alice_admin):
    return make_location(org, keeper=alice_admin)


@pytest.fixture
def van(org, tina_technician):
    return make_location(org, "Tina's van", holder=tina_technician)


@pytest.fixture
def told():
    """Every `stock_low` firing, as the keyword arguments it was fired with."""
    calls: list[dict] = []

    def receiver(**kwargs) -> None:
        calls.append(kwargs)

    stock_low.connect(receiver)
    yield calls
    stock_low._receivers.remove(receiver)
