"""Work orders racing for the last part, on real concurrent connections: exactly one gets it.

Each contender runs in a thread of its own with its own database connection, and all are let
go at once by a barrier. The suite runs on SQLite and again on PostgreSQL (CI sets
DATABASE_URL), so these tests cover both: on PostgreSQL the losing UPDATE waits on the winner's
row lock and then finds its condition false; on SQLite the loser waits for the write lock
(`aftercare.lib.sqlite`'s turns, then BEGIN IMMEDIATE) and then finds the same.
"""

import sqlite3
import threading
import time
import uuid
from collections.abc import Callable

import pytest
from django.db import OperationalError, connections

from aftercare.accounts.models import Membership
from aftercare.accounts.services import membership_create, organization_create, user_create
from aftercare.inventory.models import Reservation, StockLevel, StockMove
from aftercare.inventory.services import (
    reservation_consume,
    reservation_release,
    stock_consume,
    stock_receive,
    stock_reserve,
    stock_transfer,
)
from aftercare.inventory.services import stock as stock_services
from aftercare.inventory.tests.factories import make_location, make_part
from aftercare.lib.errors import ApplicationError
from aftercare.lib.testing import PASSWORD

ROUNDS = 5


@pytest.fixture(autouse=True)
def transactional_db(django_db_setup, django_db_blocker, tmp_path):
    """A copy of the suite's test database, made for the test and dropped after it, which every
    connection of every thread opens: the test commits for real.

    It replaces pytest-django's fixture of the same name in this module. The name still makes
    pytest-django create the suite's test database (which this copies), without the teardown
    of `django_db(transaction=True)`, which empties the test database with TRUNCATE: PostgreSQL's
    append-only triggers (the ledger's and the request timeline's) refuse that. On SQLite the
    suite's database lives in memory, where connections share one cache and a second writer
    fails at once ("database table is locked") instead of waiting its turn; production runs on
    a file in WAL mode whose writers take turns, so there the copy is a file.
    """
    connection = connections["default"]
    # The settings every thread's new connection is made from: the same dictionary.
    settings_dict = connections.settings["default"]
    name = settings_dict["NAME"]
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            original = connection.connection
            path = tmp_path / "stock.sqlite3"
            copy = sqlite3.connect(path)
            original.backup(copy)
            copy.close()
            settings_dict["NAME"] = str(path)
            connection.connection = None  # the next query opens the copy
        else:
            scratch = f"{name}_stock_{uuid.uuid4().hex[:8]}"
            connection.close()  # a template database may have no one connected
            _database_copy(connection, name, scratch)
            settings_dict["NAME"] = scratch
        try:
            yield
        finally:
            connection.close()
            settings_dict["NAME"] = name
            if connection.vendor == "sqlite":
                connection.connection = original
            else:
                with connection._nodb_cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def _database_copy(connection, name: str, copy: str) -> None:
    """CREATE DATABASE `copy` from `name` (PostgreSQL), which no one may be connected to."""
    statement = f'CREATE DATABASE "{copy}" TEMPLATE "{name}"'
    with connection._nodb_cursor() as cursor:
        try:
            cursor.execute(statement)
        except OperationalError:
            # Connections earlier tests' threads left open to it: they are done with them.
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            cursor.execute(statement)


@pytest.fixture
def org():
    """The organization of these tests, in the scratch database."""
    return organization_create(name="Demo Electronics", slug="demo", country="IR")


@pytest.fixture
def stock(org):
    """A warehouse, a technician's van and a part."""
    technician = user_create(email="tina@demo.example", password=PASSWORD)
    membership_create(organization=org, user=technician, role=Membership.Role.TECHNICIAN)
    return {
        "warehouse": make_location(org),
        "van": make_location(org, "Tina's van", holder=technician),
        "part": make_part(org),
    }


def _race(*contenders: Callable[[], object]) -> list[tuple[str, object]]:
    """Run each contender in its own thread and connection, all released at once; what each
    came to: ("won", its result), ("refused", the ApplicationError) or ("crashed", anything
    else)."""
    barrier = threading.Barrier(len(contenders))
    outcomes: list[tuple[str, object]] = [("not run", None)] * len(contenders)

    def run(index: int, contender: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("won", contender())
        except ApplicationError as error:
            outcomes[index] = ("refused", error)
        except BaseException as error:  # reported by the assertions below
            outcomes[index] = ("crashed", error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, contender))
        for index, contender in enumerate(contenders)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def _one_winner(outcomes: list[tuple[str, object]], *, field: str) -> int:
    """The index of the only winner; every other contender was refused naming `field`."""
    assert [outcome for outcome, _ in outcomes].count("won") == 1, outcomes
    for outcome, value in outcomes:
        if outcome != "won":
            assert outcome == "refused", value
            assert value.field == field
    return next(index for index, (outcome, _) in enumerate(outcomes) if outcome == "won")


def _consume(stock: dict, work_order_id: int, location: str = "warehouse"):
    return lambda: stock_consume(
        location=stock[location],
        part=stock["part"],
        quantity=1,
        work_order_id=work_order_id,
        reference=f"WO-{work_order_id:06d}",
        actor=None,
        reason="Used in the repair",
    )


def _assert_ledger_balances(org) -> None:
    """Each level's on hand is the sum of its moves, and each move's balance the running sum."""
    for level in StockLevel.objects.filter(organization=org):
        running = 0
        moves = StockMove.objects.filter(location_id=level.location_id, part_id=level.part_id)
        for quantity, balance in moves.order_by("id").values_list("quantity", "balance_after"):
            running += quantity
            assert balance == running
        assert level.on_hand == running
        assert 0 <= level.reserved <= level.on_hand


@pytest.fixture(params=[0.0, 0.2], ids=["at-once", "winner-holds-its-transaction"])
def hold(request, monkeypatch):
    """As they come; or each change of a level keeps its transaction open a while after its
    UPDATE, so that the other contender surely arrives while the winner holds the row."""
    seconds = request.param
    if seconds:
        change = stock_services.level_change

        def slow_change(**arguments):
            state = change(**arguments)
            time.sleep(seconds)
            return state

        monkeypatch.setattr(stock_services, "level_change", slow_change)
    return seconds


def test_two_work_orders_consuming_the_last_part_one_succeeds(org, stock, hold):
    warehouse, part = stock["warehouse"], stock["part"]
    winners = []
    for round_ in range(ROUNDS):
        stock_receive(location=warehouse, part=part, quantity=1, reason="Delivery", actor=None)
        first, second = 2 * round_ + 1, 2 * round_ + 2
        started = time.monotonic()
        outcomes = _race(_consume(stock, first), _consume(stock, second))
        if hold:
            # The loser waited for the winner's commit, then found no free part.
            assert time.monotonic() - started >= hold
        winner = _one_winner(outcomes, field="quantity")
        winners.append((first, second)[winner])
        assert outcomes[winner][1].balance_after == 0
        level = StockLevel.objects.get(location=warehouse, part=part)
        assert (level.on_hand, level.reserved) == (0, 0)
    consumptions = StockMove.objects.filter(kind=StockMove.Kind.CONSUMPTION)
    assert sorted(consumptions.values_list("work_order_id", flat=True)) == sorted(winners)
    assert consumptions.count() == ROUNDS
    _assert_ledger_balances(org)


def test_two_work_orders_reserving_the_last_part_one_succeeds(org, stock):
    warehouse, part = stock["warehouse"], stock["part"]
    for round_ in range(ROUNDS):
        stock_receive(location=warehouse, part=part, quantity=1, reason="Delivery", actor=None)

        def reserve(work_order_id: int):
            return lambda: stock_reserve(
                location=warehouse,
                part=part,
                quantity=1,
                work_order_id=work_order_id,
                reference=f"WO-{work_order_id:06d}",
                actor=None,
            )

        outcomes = _race(reserve(2 * round_ + 1), reserve(2 * round_ + 2))
        winner = _one_winner(outcomes, field="quantity")
        reservation = outcomes[winner][1]
        assert Reservation.objects.filter(work_order_id=reservation.work_order_id).count() == 1
        level = StockLevel.objects.get(location=warehouse, part=part)
        assert (level.on_hand, level.reserved) == (round_ + 1, round_ + 1)
    assert Reservation.objects.filter(status=Reservation.Status.ACTIVE).count() == ROUNDS
    assert not StockMove.objects.filter(kind=StockMove.Kind.CONSUMPTION).exists()
    _assert_ledger_balances(org)


def test_a_reserved_last_part_goes_to_its_work_order_not_to_one_taking_it_at_once(org, stock):
    warehouse, part = stock["warehouse"], stock["part"]
    for round_ in range(ROUNDS):
        stock_receive(location=warehouse, part=part, quantity=1, reason="Delivery", actor=None)
        owner, other = 2 * round_ + 1, 2 * round_ + 2
        reservation = stock_reserve(
            location=warehouse, part=part, quantity=1, work_order_id=owner, reference="", actor=None
        )
        outcomes = _race(
            _consume(stock, other),
            lambda reservation=reservation: reservation_consume(
                reservation=reservation, actor=None, reason="Fitted"
            ),
        )
        assert _one_winner(outcomes, field="quantity") == 1
        assert outcomes[1][1].work_order_id == owner
        level = StockLevel.objects.get(location=warehouse, part=part)
        assert (level.on_hand, level.reserved) == (0, 0)
    consumptions = StockMove.objects.filter(kind=StockMove.Kind.CONSUMPTION)
    assert sorted(consumptions.values_list("work_order_id", flat=True)) == list(
        range(1, 2 * ROUNDS, 2)
    )
    assert Reservation.objects.filter(status=Reservation.Status.CONSUMED).count() == ROUNDS
    _assert_ledger_balances(org)


def test_the_last_free_part_reserved_and_taken_at_once_goes_to_one(org, stock):
    warehouse, part = stock["warehouse"], stock["part"]
    for round_ in range(ROUNDS):
        stock_receive(location=warehouse, part=part, quantity=1, reason="Delivery", actor=None)
        outcomes = _race(
            _consume(stock, 2 * round_ + 1),
            lambda work_order_id=2 * round_ + 2: stock_reserve(
                location=warehouse,
                part=part,
                quantity=1,
                work_order_id=work_order_id,
                reference="",
                actor=None,
            ),
        )
        winner = _one_winner(outcomes, field="quantity")
        level = StockLevel.objects.get(location=warehouse, part=part)
        # Either the part was used, or it is held (and still on hand) for the other work order.
        assert (level.on_hand - level.reserved) == 0
        if winner == 1:
            reservation_release(reservation=outcomes[1][1], actor=None)
            stock_consume(
                location=warehouse,
                part=part,
                quantity=1,
                work_order_id=None,
                reference="",
                actor=None,
                reason="Write the round off",
            )
    assert StockLevel.objects.get(location=warehouse, part=part).on_hand == 0
    _assert_ledger_balances(org)


def test_a_reservation_used_and_released_at_once_is_closed_once(org, stock):
    warehouse, part = stock["warehouse"], stock["part"]
    stock_receive(location=warehouse, part=part, quantity=ROUNDS, reason="Delivery", actor=None)
    for round_ in range(ROUNDS):
        reservation = stock_reserve(
            location=warehouse,
            part=part,
            quantity=1,
            work_order_id=round_ + 1,
            reference="",
            actor=None,
        )
        twin = Reservation.objects.get(pk=reservation.pk)
        outcomes = _race(
            lambda first=reservation: reservation_consume(
                reservation=first, actor=None, reason="Fitted"
            ),
            lambda second=twin: reservation_release(reservation=second, actor=None),
        )
        winner = _one_winner(outcomes, field="reservation")
        reservation.refresh_from_db()
        assert reservation.status == ("consumed", "released")[winner]
        level = StockLevel.objects.get(location=warehouse, part=part)
        assert level.reserved == 0
    consumed = Reservation.objects.filter(status=Reservation.Status.CONSUMED).count()
    assert StockMove.objects.filter(kind=StockMove.Kind.CONSUMPTION).count() == consumed
    assert StockLevel.objects.get(location=warehouse, part=part).on_hand == ROUNDS - consumed
    _assert_ledger_balances(org)


def test_the_last_part_moved_to_a_van_and_used_at_once_goes_to_one(org, stock):
    warehouse, van, part = stock["warehouse"], stock["van"], stock["part"]
    for round_ in range(ROUNDS):
        stock_receive(location=warehouse, part=part, quantity=1, reason="Delivery", actor=None)
        outcomes = _race(
            _consume(stock, round_ + 1),
            lambda: stock_transfer(
                source=warehouse,
                destination=van,
                part=part,
                quantity=1,
                reason="Stock the van",
                actor=None,
            ),
        )
        _one_winner(outcomes, field="quantity")
        assert StockLevel.objects.get(location=warehouse, part=part).on_hand == 0
    transferred = StockMove.objects.filter(kind=StockMove.Kind.TRANSFER_IN).count()
    used = StockMove.objects.filter(kind=StockMove.Kind.CONSUMPTION).count()
    assert transferred + used == ROUNDS
    assert StockMove.objects.filter(kind=StockMove.Kind.TRANSFER_OUT).count() == transferred
    # The van's level exists once a transfer won a round (its creation is undone with a loss).
    van_levels = StockLevel.objects.filter(location=van, part=part)
    assert list(van_levels.values_list("on_hand", flat=True)) == (
        [transferred] if transferred else []
    )
    _assert_ledger_balances(org)
