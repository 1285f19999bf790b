"""The stock ledger's services: every move a ledger line in the level's transaction, stock never
below zero (nor below what is reserved), refusals that name the field and change nothing."""

import pytest
from django.db import DatabaseError, IntegrityError, transaction

from aftercare.inventory.models import Reservation, StockLevel, StockLocation, StockMove
from aftercare.inventory.services import (
    reservation_consume,
    reservation_release,
    stock_adjust,
    stock_consume,
    stock_count,
    stock_free,
    stock_receive,
    stock_reserve,
    stock_transfer,
)
from aftercare.inventory.tests.factories import make_location, make_part
from aftercare.lib.errors import ApplicationError


def _level(location, part) -> tuple[int, int] | None:
    row = StockLevel.objects.filter(location=location, part=part).values_list("on_hand", "reserved")
    return row.first()


def _ledger(location, part) -> list[tuple]:
    return list(
        StockMove.objects.filter(location=location, part=part)
        .order_by("id")
        .values_list("kind", "quantity", "balance_after")
    )


def _state(org) -> tuple:
    """Everything the stock services write, to show a refusal changed nothing."""
    levels = sorted(
        StockLevel.objects.filter(organization=org).values_list(
            "location_id", "part_id", "on_hand", "reserved", "low_since"
        )
    )
    moves = StockMove.objects.filter(organization=org).count()
    reservations = sorted(
        Reservation.objects.filter(organization=org).values_list("pk", "status", "quantity")
    )
    return levels, moves, reservations


def _assert_ledger_balances(org) -> None:
    """Each level's on hand is the sum of its moves, and each move's balance the running sum."""
    for level in StockLevel.objects.filter(organization=org):
        running = 0
        for quantity, balance in (
            StockMove.objects.filter(location_id=level.location_id, part_id=level.part_id)
            .order_by("id")
            .values_list("quantity", "balance_after")
        ):
            running += quantity
            assert balance == running
        assert level.on_hand == running


def test_receipt_creates_the_level_and_writes_the_ledger(org, warehouse, part, alice_admin):
    move = stock_receive(
        location=warehouse,
        part=part,
        quantity=5,
        reason=" Delivery from supplier ",
        actor=alice_admin,
        reference="PO-77",
    )
    assert (move.kind, move.quantity, move.balance_after) == (StockMove.Kind.RECEIPT, 5, 5)
    assert (move.reason, move.reference, move.actor, move.organization) == (
        "Delivery from supplier",
        "PO-77",
        alice_admin,
        org,
    )
    stock_receive(location=warehouse, part=part, quantity=3, reason="More", actor=alice_admin)
    assert _level(warehouse, part) == (8, 0)
    assert _ledger(warehouse, part) == [("receipt", 5, 5), ("receipt", 3, 8)]
    assert stock_free(location=warehouse, part=part) == 8
    assert StockLevel.objects.get(location=warehouse, part=part).organization == org


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": -2}, "quantity"),
        ({"quantity": True}, "quantity"),
        ({"quantity": "3"}, "quantity"),
        ({"quantity": 1_000_001}, "quantity"),
        ({"reason": "   "}, "reason"),
        ({"reason": "x" * 501}, "reason"),
        ({"reference": "r" * 101}, "reference"),
    ],
)
def test_receipt_with_bad_input_changes_nothing(org, warehouse, part, alice_admin, changes, field):
    stock_receive(location=warehouse, part=part, quantity=2, reason="First", actor=alice_admin)
    before = _state(org)
    arguments = {"quantity": 1, "reason": "Delivery", "reference": "", **changes}
    with pytest.raises(ApplicationError) as refused:
        stock_receive(location=warehouse, part=part, actor=alice_admin, **arguments)
    assert refused.value.field == field
    assert _state(org) == before


def test_receipt_of_a_foreign_or_inactive_part_or_into_an_inactive_location_is_refused(
    org, other_org, warehouse, part, alice_admin
):
    foreign = make_part(other_org, sku="FAR-1")
    retired = make_part(org, sku="OLD-1", is_active=False)
    closed = make_location(org, "Closed store")
    StockLocation.objects.filter(pk=closed.pk).update(is_active=False)
    closed.refresh_from_db()
    for location, wrong, field in [
        (warehouse, foreign, "part"),
        (warehouse, retired, "part"),
        (closed, part, "location"),
    ]:
        with pytest.raises(ApplicationError) as refused:
            stock_receive(location=location, part=wrong, quantity=1, reason="x", actor=alice_admin)
        assert refused.value.field == field
    assert _state(org) == ([], 0, [])
    assert _state(other_org) == ([], 0, [])


def test_a_level_never_holds_more_than_its_maximum(org, warehouse, part, alice_admin):
    StockLevel.objects.create(organization=org, location=warehouse, part=part, on_hand=999_999_999)
    before = _state(org)
    with pytest.raises(ApplicationError) as refused:
        stock_receive(location=warehouse, part=part, quantity=2, reason="x", actor=alice_admin)
    assert refused.value.field == "quantity"
    assert _state(org) == before


def test_adjustments_go_up_and_down_but_never_below_the_free_stock(
    org, warehouse, part, alice_admin
):
    up = stock_adjust(location=warehouse, part=part, quantity=4, reason="Found", actor=alice_admin)
    assert (up.kind, up.quantity, up.balance_after) == ("adjustment", 4, 4)
    stock_reserve(
        location=warehouse, part=part, quantity=1, work_order_id=7, reference="WO-7", actor=None
    )
    down = stock_adjust(
        location=warehouse, part=part, quantity=-3, reason="Damaged", actor=alice_admin
    )
    assert (down.quantity, down.balance_after) == (-3, 1)
    before = _state(org)
    with pytest.raises(ApplicationError, match="1 free|0 free") as refused:
        stock_adjust(location=warehouse, part=part, quantity=-1, reason="Lost", actor=alice_admin)
    assert refused.value.field == "quantity"
    for quantity, field in [(0, "quantity"), (-1_000_001, "quantity"), (None, "quantity")]:
        with pytest.raises(ApplicationError) as refused:
            stock_adjust(
                location=warehouse, part=part, quantity=quantity, reason="x", actor=alice_admin
            )
        assert refused.value.field == field
    with pytest.raises(ApplicationError) as refused:
        stock_adjust(location=warehouse, part=part, quantity=1, reason="", actor=alice_admin)
    assert refused.value.field == "reason"
    assert _state(org) == before
    assert _level(warehouse, part) == (1, 1)


def test_adjusting_a_part_never_held_down_is_refused(org, warehouse, part, alice_admin):
    with pytest.raises(ApplicationError) as refused:
        stock_adjust(location=warehouse, part=part, quantity=-1, reason="x", actor=alice_admin)
    assert refused.value.field == "quantity"
    assert _state(org) == ([], 0, [])


def test_an_inactive_part_can_still_be_written_off(org, warehouse, alice_admin):
    retired = make_part(org, sku="OLD-1")
    stock_receive(location=warehouse, part=retired, quantity=2, reason="In", actor=alice_admin)
    retired.is_active = False
    retired.save()
    stock_adjust(location=warehouse, part=retired, quantity=-2, reason="Scrap", actor=alice_admin)
    assert _level(warehouse, retired) == (0, 0)


def test_consumption_takes_free_stock_and_refuses_when_short(org, warehouse, part, bob_agent):
    stock_receive(location=warehouse, part=part, quantity=2, reason="In", actor=None)
    move = stock_consume(
        location=warehouse,
        part=part,
        quantity=2,
        work_order_id=12,
        reference="WO-000012",
        actor=bob_agent,
        reason="Used in repair",
    )
    assert (move.kind, move.quantity, move.balance_after, move.work_order_id) == (
        "consumption",
        -2,
        0,
        12,
    )
    assert move.reference == "WO-000012"
    before = _state(org)
    with pytest.raises(ApplicationError, match="0 free") as refused:
        stock_consume(
            location=warehouse,
            part=part,
            quantity=1,
            work_order_id=13,
            reference="WO-000013",
            actor=bob_agent,
            reason="Used",
        )
    assert refused.value.field == "quantity"
    assert _state(org) == before


def test_consumption_cannot_take_reserved_parts(org, warehouse, part):
    stock_receive(location=warehouse, part=part, quantity=1, reason="In", actor=None)
    stock_reserve(
        location=warehouse, part=part, quantity=1, work_order_id=1, reference="WO-1", actor=None
    )
    before = _state(org)
    with pytest.raises(ApplicationError) as refused:
        stock_consume(
            location=warehouse,
            part=part,
            quantity=1,
            work_order_id=2,
            reference="WO-2",
            actor=None,
            reason="Used",
        )
    assert refused.value.field == "quantity"
    assert _state(org) == before


@pytest.mark.parametrize("work_order_id", [0, -1, 2**63, True, "7"])
def test_consumption_with_a_bad_work_order_id_is_refused(org, warehouse, part, work_order_id):
    stock_receive(location=warehouse, part=part, quantity=1, reason="In", actor=None)
    before = _state(org)
    with pytest.raises(ApplicationError) as refused:
        stock_consume(
            location=warehouse,
            part=part,
            quantity=1,
            work_order_id=work_order_id,
            reference="",
            actor=None,
            reason="Used",
        )
    assert refused.value.field == "work_order_id"
    assert _state(org) == before


def test_reservations_hold_free_stock_until_used_or_released(org, warehouse, part, alice_admin):
    stock_receive(location=warehouse, part=part, quantity=3, reason="In", actor=None)
    first = stock_reserve(
        location=warehouse, part=part, quantity=2, work_order_id=5, reference="WO-5", actor=None
    )
    assert (first.status, first.quantity, first.work_order_id, first.organization) == (
        "active",
        2,
        5,
        org,
    )
    assert _level(warehouse, part) == (3, 2)
    assert stock_free(location=warehouse, part=part) == 1
    before = _state(org)
    with pytest.raises(ApplicationError) as refused:
        stock_reserve(
            location=warehouse, part=part, quantity=2, work_order_id=6, reference="", actor=None
        )
    assert refused.value.field == "quantity"
    assert _state(org) == before

    move = reservation_consume(reservation=first, actor=alice_admin, reason="Fitted")
    assert (move.kind, move.quantity, move.balance_after, move.work_order_id, move.reference) == (
        "consumption",
        -2,
        1,
        5,
        "WO-5",
    )
    first.refresh_from_db()
    assert first.status == "consumed" and first.closed_at is not None
    assert _level(warehouse, part) == (1, 0)

    second = stock_reserve(
        location=warehouse, part=part, quantity=1, work_order_id=6, reference="WO-6", actor=None
    )
    released = reservation_release(reservation=second, actor=alice_admin)
    assert released.status == "released"
    second.refresh_from_db()
    assert second.status == "released" and second.closed_at is not None
    assert _level(warehouse, part) == (1, 0)
    _assert_ledger_balances(org)


def test_a_closed_reservation_is_neither_used_nor_released_again(org, warehouse, part):
    stock_receive(location=warehouse, part=part, quantity=2, reason="In", actor=None)
    used = stock_reserve(
        location=warehouse, part=part, quantity=1, work_order_id=1, reference="", actor=None
    )
    reservation_consume(reservation=used, actor=None, reason="Fitted")
    let_go = stock_reserve(
        location=warehouse, part=part, quantity=1, work_order_id=2, reference="", actor=None
    )
    reservation_release(reservation=let_go, actor=None)
    before = _state(org)
    for reservation in (used, let_go):
        stale = Reservation.objects.get(pk=reservation.pk)
        with pytest.raises(ApplicationError) as refused:
            reservation_consume(reservation=stale, actor=None, reason="Again")
        assert refused.value.field == "reservation"
        with pytest.raises(ApplicationError) as refused:
            reservation_release(reservation=stale, actor=None)
        assert refused.value.field == "reservation"
    assert _state(org) == before


def test_consuming_a_reservation_needs_a_reason(org, warehouse, part):
    stock_receive(location=warehouse, part=part, quantity=1, reason="In", actor=None)
    reservation = stock_reserve(
        location=warehouse, part=part, quantity=1, work_order_id=1, reference="", actor=None
    )
    before = _state(org)
    with pytest.raises(ApplicationError) as refused:
        reservation_consume(reservation=reservation, actor=None, reason="")
    assert refused.value.field == "reason"
    assert _state(org) == before


def test_transfer_writes_the_out_and_the_in_move(org, warehouse, van, part, sam_supervisor):
    stock_receive(location=warehouse, part=part, quantity=5, reason="In", actor=None)
    out_move, in_move = stock_transfer(
        source=warehouse,
        destination=van,
        part=part,
        quantity=2,
        reason="Stock for the week",
        actor=sam_supervisor,
    )
    assert (out_move.kind, out_move.quantity, out_move.balance_after, out_move.reference) == (
        "transfer_out",
        -2,
        3,
        "Tina's van",
    )
    assert (in_move.kind, in_move.quantity, in_move.balance_after, in_move.reference) == (
        "transfer_in",
        2,
        2,
        "Main warehouse",
    )
    assert out_move.created_at == in_move.created_at
    assert out_move.actor == in_move.actor == sam_supervisor
    # And back again: the van's level now has the larger id, so the rows lock the other way.
    stock_transfer(
        source=van, destination=warehouse, part=part, quantity=1, reason="Back", actor=None
    )
    assert _level(warehouse, part) == (4, 0)
    assert _level(van, part) == (1, 0)
    _assert_ledger_balances(org)


def test_a_refused_transfer_changes_nothing(org, other_org, warehouse, van, part, tina_technician):
    stock_receive(location=warehouse, part=part, quantity=1, reason="In", actor=None)
    foreign = make_location(other_org, "Far store")
    closed = make_location(org, "Closed store")
    StockLocation.objects.filter(pk=closed.pk).update(is_active=False)
    closed.refresh_from_db()
    fresh = make_location(org, "Empty store")
    before = _state(org)
    cases = [
        ({"destination": van, "quantity": 2}, "quantity"),
        ({"destination": warehouse, "quantity": 1}, "destination"),
        ({"destination": foreign, "quantity": 1}, "destination"),
        ({"destination": closed, "quantity": 1}, "destination"),
        ({"destination": van, "quantity": 0}, "quantity"),
        ({"destination": van, "quantity": 1, "reason": ""}, "reason"),
        ({"destination": warehouse, "quantity": 1, "source": fresh}, "quantity"),
    ]
    for changes, field in cases:
        arguments = {"source": warehouse, "part": part, "reason": "Move", **changes}
        with pytest.raises(ApplicationError) as refused:
            stock_transfer(actor=tina_technician, **arguments)
        assert refused.value.field == field, changes
    assert _state(org) == before
    assert not StockLevel.objects.filter(location=van).exists()


def test_a_count_writes_the_difference(org, warehouse, part, sam_supervisor):
    stock_receive(location=warehouse, part=part, quantity=5, reason="In", actor=None)
    assert stock_count(location=warehouse, part=part, counted=5, actor=sam_supervisor) is None
    move = stock_count(location=warehouse, part=part, counted=3, actor=sam_supervisor)
    assert (move.kind, move.quantity, move.balance_after, move.reason, move.actor) == (
        "count",
        -2,
        3,
        "Stock count",
        sam_supervisor,
    )
    move = stock_count(
        location=warehouse, part=part, counted=7, actor=sam_supervisor, reason="Yearly count"
    )
    assert (move.quantity, move.balance_after, move.reason) == (4, 7, "Yearly count")
    assert _ledger(warehouse, part) == [("receipt", 5, 5), ("count", -2, 3), ("count", 4, 7)]


def test_a_count_of_a_part_never_held(org, warehouse, part):
    assert stock_count(location=warehouse, part=part, counted=0, actor=None) is None
    assert not StockLevel.objects.exists()
    move = stock_count(location=warehouse, part=part, counted=2, actor=None)
    assert (move.quantity, move.balance_after) == (2, 2)


def test_a_count_below_what_is_reserved_is_refused(org, warehouse, part):
    stock_receive(location=warehouse, part=part, quantity=3, reason="In", actor=None)
    stock_reserve(
        location=warehouse, part=part, quantity=2, work_order_id=1, reference="", actor=None
    )
    before = _state(org)
    for counted in (1, -1, True, 10**9 + 1):
        with pytest.raises(ApplicationError) as refused:
            stock_count(location=warehouse, part=part, counted=counted, actor=None)
        assert refused.value.field == "counted"
    assert _state(org) == before
    move = stock_count(location=warehouse, part=part, counted=2, actor=None)
    assert move.balance_after == 2
    assert _level(warehouse, part) == (2, 2)


def test_the_ledger_refuses_update_and_delete_in_the_database(org, warehouse, part):
    move = stock_receive(location=warehouse, part=part, quantity=1, reason="In", actor=None)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        StockMove.objects.filter(pk=move.pk).update(quantity=100)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        StockMove.objects.filter(pk=move.pk).delete()
    move.refresh_from_db()
    assert (move.quantity, move.balance_after) == (1, 1)


def test_the_database_refuses_a_level_below_zero_or_below_reserved(org, warehouse, part):
    stock_receive(location=warehouse, part=part, quantity=1, reason="In", actor=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(location=warehouse).update(on_hand=-1, reserved=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(location=warehouse).update(reserved=2)
    assert _level(warehouse, part) == (1, 0)
