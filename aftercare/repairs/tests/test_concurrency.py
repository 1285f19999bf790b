"""Two work orders after the last part at the same moment, through the repairs services, on
real concurrent connections (SQLite here; PostgreSQL when DATABASE_URL names it): exactly one
gets it, the other is told the stock is short or waits for stock, and the ledger balances.

The scratch database, the race and its checks are the inventory tests' own
(aftercare/inventory/tests/test_concurrency.py): every connection of every thread opens a copy
of the test database and commits for real.
"""

import pytest

from aftercare.accounts.services import organization_create
from aftercare.inventory.models import StockLevel, StockMove
from aftercare.inventory.services import stock_location_create, stock_receive
from aftercare.inventory.tests.test_concurrency import (  # noqa: F401 - the fixture is used
    _assert_ledger_balances,
    _one_winner,
    _race,
    transactional_db,
)
from aftercare.repairs.models import PartLine, WorkOrder
from aftercare.repairs.services import part_add, part_use, work_order_open, work_order_stage_set

ROUNDS = 3


@pytest.fixture
def org():
    """The organization of these tests, in the scratch database."""
    return organization_create(name="Demo Electronics", slug="demo", country="IR")


@pytest.fixture
def shelf(org, alice_admin):
    """A warehouse with no pumps yet."""
    return stock_location_create(organization=org, name="Shelf", keeper=alice_admin)


def _in_repair(ticket, shelf, actor) -> WorkOrder:
    work_order = work_order_open(
        ticket=ticket, kind=WorkOrder.Kind.SERVICE_CENTRE, actor=actor, stock_location=shelf
    )
    for stage in (WorkOrder.Stage.DIAGNOSING, WorkOrder.Stage.IN_REPAIR):
        work_order = work_order_stage_set(work_order=work_order, stage=stage, actor=actor)
    return work_order


def test_two_work_orders_fitting_the_last_part_one_succeeds(
    org, old_ticket, shelf, pump, bob_agent, tina_technician
):
    for _round in range(ROUNDS):
        first = _in_repair(old_ticket, shelf, bob_agent)
        second = _in_repair(old_ticket, shelf, bob_agent)
        # Nothing on the shelf: both lines wait for stock.
        lines = [part_add(work_order=wo, part=pump, actor=bob_agent) for wo in (first, second)]
        assert [line.status for line in lines] == ["waiting", "waiting"]
        stock_receive(location=shelf, part=pump, quantity=1, reason="Delivery", actor=None)
        outcomes = _race(
            *(lambda line=line: part_use(part_line=line, actor=tina_technician) for line in lines)
        )
        winner = _one_winner(outcomes, field="quantity")
        statuses = [PartLine.objects.get(pk=line.pk).status for line in lines]
        assert statuses[winner] == "used"
        assert statuses[1 - winner] == "waiting"
        level = StockLevel.objects.get(location=shelf, part=pump)
        assert (level.on_hand, level.reserved) == (0, 0)
        move = StockMove.objects.filter(kind=StockMove.Kind.CONSUMPTION).latest("id")
        assert move.work_order_id == (first, second)[winner].pk
    assert StockMove.objects.filter(kind=StockMove.Kind.CONSUMPTION).count() == ROUNDS
    _assert_ledger_balances(org)


def test_two_work_orders_asking_for_the_last_part_one_reserves_it(
    org, old_ticket, shelf, pump, bob_agent
):
    for round_ in range(ROUNDS):
        first = _in_repair(old_ticket, shelf, bob_agent)
        second = _in_repair(old_ticket, shelf, bob_agent)
        stock_receive(location=shelf, part=pump, quantity=1, reason="Delivery", actor=None)
        outcomes = _race(
            *(
                lambda work_order=work_order: part_add(
                    work_order=work_order, part=pump, actor=bob_agent
                )
                for work_order in (first, second)
            )
        )
        assert [outcome for outcome, _line in outcomes] == ["won", "won"], outcomes
        statuses = sorted(line.status for _outcome, line in outcomes)
        assert statuses == ["reserved", "waiting"]
        # The one left waiting waits for parts.
        stages = sorted(
            WorkOrder.objects.filter(pk__in=[first.pk, second.pk]).values_list("stage", flat=True)
        )
        assert stages == ["awaiting_parts", "in_repair"]
        level = StockLevel.objects.get(location=shelf, part=pump)
        assert (level.on_hand, level.reserved) == (round_ + 1, round_ + 1)
    _assert_ledger_balances(org)
