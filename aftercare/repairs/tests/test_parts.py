"""A work order's spare parts and the stock ledger: reserved, fitted, let go, waiting for stock,
and the keeper told when stock falls to its reorder point."""

from decimal import Decimal

import pytest

from aftercare.inventory.models import Reservation, StockMove
from aftercare.inventory.services import stock_free, stock_level_reorder_set, stock_receive
from aftercare.lib.errors import ApplicationError
from aftercare.notifications.models import Notice
from aftercare.notifications.render import notice_render
from aftercare.repairs.models import PartLine, WorkOrder
from aftercare.repairs.services import (
    part_add,
    part_release,
    part_reserve,
    part_use,
    work_order_open,
)
from aftercare.repairs.tests.helpers import at_stage, stock_level, work_events
from aftercare.tickets.models import TicketEvent

Stage = WorkOrder.Stage


# --- Parts and the stock ledger ---


def test_a_part_is_reserved_at_the_work_orders_stock(covered, warehouse, pump, bob_agent):
    line = part_add(work_order=covered, part=pump, actor=bob_agent)
    assert (line.status, line.location, line.quantity, line.unit_price) == (
        "reserved",
        warehouse,
        1,
        Decimal("450000.00"),
    )
    assert (line.reservation.quantity, line.reservation.work_order_id) == (1, covered.pk)
    assert line.reservation.reference == "WO-000001"
    assert stock_level(warehouse, pump) == (2, 1)
    assert work_events(covered.ticket)[-1] == ("part_reserved", False)


def test_without_a_stock_location_the_technicians_van_gives_the_part(
    old_ticket, van, pump, tina_technician, bob_agent
):
    work_order = work_order_open(
        ticket=old_ticket, kind=WorkOrder.Kind.ON_SITE, actor=bob_agent, technician=tina_technician
    )
    line = part_add(work_order=work_order, part=pump, actor=tina_technician)
    assert (line.location, line.status) == (van, "reserved")
    assert stock_level(van, pump) == (1, 1)


def test_a_part_needs_a_place_to_come_from(old_ticket, pump, bob_agent):
    work_order = work_order_open(ticket=old_ticket, kind=WorkOrder.Kind.ON_SITE, actor=bob_agent)
    with pytest.raises(ApplicationError) as refused:
        part_add(work_order=work_order, part=pump, actor=bob_agent)
    assert refused.value.field == "location_id"
    assert not PartLine.objects.exists()


def test_a_part_that_does_not_fit_the_unit_is_refused(
    boiler_ticket, warehouse, pump, bob_agent, board
):
    work_order = work_order_open(
        ticket=boiler_ticket,
        kind=WorkOrder.Kind.INSTALLATION,
        actor=bob_agent,
        stock_location=warehouse,
    )
    with pytest.raises(ApplicationError) as refused:
        part_add(work_order=work_order, part=pump, actor=bob_agent)
    assert refused.value.field == "part_id"
    # A part listing no model fits any.
    assert part_add(work_order=work_order, part=board, actor=bob_agent).status == "reserved"
    assert stock_level(warehouse, pump) == (2, 0)


def test_fitting_a_part_consumes_it_in_the_ledger(
    covered, warehouse, pump, bob_agent, tina_technician
):
    line = part_add(work_order=covered, part=pump, actor=bob_agent)
    at_stage(covered, Stage.IN_REPAIR)
    used = part_use(part_line=line, actor=tina_technician, serial_number="ignored")
    assert (used.status, used.serial_number) == ("used", "")
    assert used.used_at is not None
    assert stock_level(warehouse, pump) == (1, 0)
    move = StockMove.objects.filter(location=warehouse, part=pump).latest("id")
    assert (move.kind, move.quantity, move.balance_after) == ("consumption", -1, 1)
    assert (move.work_order_id, move.actor) == (covered.pk, tina_technician)
    assert Reservation.objects.get(pk=line.reservation_id).status == "consumed"
    assert work_events(covered.ticket)[-1] == ("part_used", False)
    with pytest.raises(ApplicationError) as refused:
        part_use(part_line=line, actor=tina_technician)
    assert refused.value.field == "status"
    assert stock_level(warehouse, pump) == (1, 0)


def test_a_part_is_fitted_only_while_the_work_is_under_way(covered, pump, bob_agent):
    line = part_add(work_order=covered, part=pump, actor=bob_agent)
    with pytest.raises(ApplicationError) as refused:
        part_use(part_line=line, actor=bob_agent)
    assert refused.value.field == "stage"
    assert PartLine.objects.get(pk=line.pk).status == "reserved"


def test_a_serialised_part_needs_its_serial_typed_any_way(
    covered, warehouse, board, tina_technician
):
    at_stage(covered, Stage.DIAGNOSING)
    with pytest.raises(ApplicationError) as refused:
        part_add(work_order=covered, part=board, quantity=2, actor=tina_technician)
    assert refused.value.field == "quantity"
    line = part_add(work_order=covered, part=board, actor=tina_technician)
    with pytest.raises(ApplicationError) as refused:
        part_use(part_line=line, actor=tina_technician, serial_number="  ")
    assert refused.value.field == "serial_number"
    assert stock_level(warehouse, board) == (1, 1)
    used = part_use(part_line=line, actor=tina_technician, serial_number=" PCB-۱۲۳۴ ")
    assert (used.status, used.serial_number) == ("used", "PCB-1234")
    assert stock_level(warehouse, board) == (0, 0)
    event = TicketEvent.objects.filter(kind=TicketEvent.Kind.WORK).latest("id")
    assert event.data["serial_number"] == "PCB-1234"


def test_letting_a_part_go_frees_its_stock(covered, warehouse, pump, bob_agent):
    line = part_add(work_order=covered, part=pump, quantity=2, actor=bob_agent)
    assert stock_free(location=warehouse, part=pump) == 0
    released = part_release(part_line=line, actor=bob_agent)
    assert released.status == "released"
    assert stock_level(warehouse, pump) == (2, 0)
    assert Reservation.objects.get(pk=line.reservation_id).status == "released"
    with pytest.raises(ApplicationError) as refused:
        part_release(part_line=line, actor=bob_agent)
    assert refused.value.field == "status"
    assert stock_level(warehouse, pump) == (2, 0)


def test_a_waiting_part_is_reserved_once_stock_comes_in(
    covered, warehouse, pump, bob_agent, alice_admin, tina_technician
):
    line = part_add(work_order=covered, part=pump, quantity=3, actor=bob_agent)
    assert line.status == "waiting"
    with pytest.raises(ApplicationError) as refused:
        part_reserve(part_line=line, actor=bob_agent)
    assert refused.value.field == "quantity"
    stock_receive(location=warehouse, part=pump, quantity=1, reason="Delivery", actor=alice_admin)
    assert part_reserve(part_line=line, actor=bob_agent).status == "reserved"
    assert stock_level(warehouse, pump) == (3, 3)
    at_stage(covered, Stage.IN_REPAIR)
    part_use(part_line=line, actor=tina_technician)
    assert stock_level(warehouse, pump) == (0, 0)


# --- Reorder alert ---


def test_stock_falling_to_its_reorder_point_tells_the_keeper(
    covered, warehouse, pump, alice_admin, bob_agent, django_capture_on_commit_callbacks
):
    stock_level_reorder_set(location=warehouse, part=pump, reorder_point=1, reorder_quantity=5)
    with django_capture_on_commit_callbacks(execute=True):
        part_add(work_order=covered, part=pump, actor=bob_agent)
    notice = Notice.objects.get(event=Notice.Event.STOCK_LOW)
    assert (notice.user, notice.recipient, notice.language) == (
        alice_admin,
        "alice@demo.example",
        "en",
    )
    assert notice.context["subject"] == "PMP-1 Drain pump at Main warehouse"
    assert notice.context["url"].endswith(f"/stock/locations/{warehouse.pk}/")
    assert notice.context["body"] == (
        "Free: 1 (on hand 2, reserved 1)\nReorder point: 1\nReorder quantity: 5"
    )
    rendered = notice_render(notice)
    assert rendered.subject == "Stock low: PMP-1 Drain pump at Main warehouse"
    assert "> Free: 1 (on hand 2, reserved 1)" in rendered.text
    with django_capture_on_commit_callbacks(execute=True):
        part_add(work_order=covered, part=pump, actor=bob_agent)
    assert Notice.objects.filter(event=Notice.Event.STOCK_LOW).count() == 1
