import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from aftercare.customers.services import customer_create
from aftercare.inventory.models import Reservation, StockLevel, StockMove
from aftercare.inventory.services import stock_free, stock_level_reorder_set, stock_receive
from aftercare.lib.errors import ApplicationError
from aftercare.notifications.models import Notice
from aftercare.notifications.render import notice_render
from aftercare.repairs.describe import work_event_describe
from aftercare.repairs.models import LabourEntry, PartLine, Quote, Visit, WorkOrder
from aftercare.repairs.selectors import quote_get_for_customer, work_orders_for_ticket
from aftercare.repairs.services import (
    labour_add,
    part_add,
    part_release,
    part_reserve,
    part_use,
    quote_approve,
    quote_decline,
    quote_send,
    quote_withdraw,
    visit_schedule,
    visit_status_set,
    work_order_assign,
    work_order_billing_set,
    work_order_claim_approve,
    work_order_claim_reject,
    work_order_diagnose,
    work_order_open,
    work_order_stage_set,
)
from aftercare.repairs.stages import MOVES
from aftercare.tickets.models import Ticket, TicketEvent
from aftercare.tickets.services import ticket_status_change
from aftercare.warranty.coverage import coverage_check
from aftercare.warranty.models import WarrantyClaim

Stage = WorkOrder.Stage


def _level(location, part) -> tuple[int, int]:
    level = StockLevel.objects.get(location=location, part=part)
    return level.on_hand, level.reserved


def _work(ticket) -> list[tuple[str, bool]]:
    """The request's WORK events: (action, is public), oldest first."""
    return [
        (event.data["action"], event.is_public)
        for event in TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.WORK).order_by(
            "id"
        )
    ]


def _at(work_order: WorkOrder, stage: str) -> WorkOrder:
    """Put a work order at a stage for a test (the services get it there otherwise)."""
    WorkOrder.objects.filter(pk=work_order.pk).update(
        stage=stage, is_open=stage not in (Stage.CLOSED, Stage.CANCELLED)
    )
    work_order.refresh_from_db()
    return work_order


@pytest.fixture
def covered(ticket, bob_agent, pump_fault, warehouse) -> WorkOrder:
    return work_order_open(
        ticket=ticket,
        kind=WorkOrder.Kind.SERVICE_CENTRE,
        actor=bob_agent,
        stock_location=warehouse,
        reported_fault=pump_fault,
    )


@pytest.fixture
def paid(old_ticket, bob_agent, warehouse, rates) -> WorkOrder:
    """Out of warranty: the customer pays."""
    return work_order_open(
        ticket=old_ticket,
        kind=WorkOrder.Kind.SERVICE_CENTRE,
        actor=bob_agent,
        stock_location=warehouse,
    )


# --- Opening: coverage and billing ---


def test_a_repair_in_warranty_is_billed_to_the_warranty_with_a_claim(
    org, ticket, unit, covered, pump_fault, today, bob_agent
):
    covered.refresh_from_db()
    assert (covered.number, covered.reference) == (1, "WO-000001")
    assert (covered.unit, covered.stage, covered.is_open) == (unit, Stage.RECEIVED, True)
    assert covered.billing == WorkOrder.Billing.WARRANTY
    until = today - datetime.timedelta(30)
    until = until.replace(year=until.year + 1) - datetime.timedelta(1)
    assert covered.coverage["covered"] is True
    assert covered.coverage["by"] == "standard"
    assert covered.coverage["until"] == until.isoformat()
    claim = covered.claim
    assert (claim.status, claim.ticket_id, claim.unit, claim.fault_code) == (
        WarrantyClaim.Status.PENDING,
        ticket.pk,
        unit,
        pump_fault,
    )
    assert (claim.fault_on, claim.covered_by) == (today, "standard")
    assert _work(ticket) == [("opened", True), ("claim_opened", False)]
    opened = TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.WORK).first()
    assert opened.actor == bob_agent
    assert opened.data == {
        "action": "opened",
        "work_order_id": covered.pk,
        "reference": "WO-000001",
        "kind": "service_centre",
        "billing": "warranty",
        "technician": "",
    }


def test_a_repair_out_of_warranty_is_billed_to_the_customer(old_ticket, paid):
    assert paid.billing == WorkOrder.Billing.CUSTOMER
    assert paid.claim is None
    assert (paid.coverage["covered"], paid.coverage["reason"]) == (False, "expired")
    assert _work(old_ticket) == [("opened", True)]


def test_an_excluded_fault_is_billed_to_the_customer(ticket, policy, damage_fault, bob_agent):
    policy.excluded_faults.add(damage_fault)
    work_order = work_order_open(
        ticket=ticket,
        kind=WorkOrder.Kind.SERVICE_CENTRE,
        actor=bob_agent,
        reported_fault=damage_fault,
    )
    assert work_order.billing == WorkOrder.Billing.CUSTOMER
    assert work_order.coverage["reason"] == "excluded_fault"
    assert not WarrantyClaim.objects.exists()


def test_a_request_without_a_unit_is_billed_to_the_customer(org, customer, bob_agent):
    from aftercare.tickets.tests.factories import make_ticket

    ticket = make_ticket(organization=org, customer=customer, actor=bob_agent)
    work_order = work_order_open(ticket=ticket, kind=WorkOrder.Kind.REMOTE, actor=bob_agent)
    assert (work_order.unit, work_order.billing, work_order.coverage) == (None, "customer", {})


def test_numbers_count_per_organization(org, other_org, ticket, old_ticket, bob_agent):
    from aftercare.tickets.tests.factories import make_ticket

    first = work_order_open(ticket=ticket, kind=WorkOrder.Kind.SERVICE_CENTRE, actor=bob_agent)
    second = work_order_open(ticket=old_ticket, kind=WorkOrder.Kind.ON_SITE, actor=bob_agent)
    theirs = work_order_open(
        ticket=make_ticket(organization=other_org), kind=WorkOrder.Kind.REMOTE, actor=None
    )
    assert [first.reference, second.reference, theirs.reference] == [
        "WO-000001",
        "WO-000002",
        "WO-000001",
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "teleport"}, "kind"),
        ({"technician": "bob_agent"}, "technician_id"),
        ({"technician": "charlie_other_org"}, "technician_id"),
        ({"reported_fault": "boiler_fault"}, "reported_fault_id"),
        ({"unit": "foreign_unit"}, "unit_id"),
        ({"kind": WorkOrder.Kind.INSTALLATION, "no_unit": True}, "unit_id"),
        ({"closed": True}, "ticket_id"),
    ],
)
def test_open_refuses_bad_input_and_changes_nothing(
    request, org, other_org, customer, ticket, boiler, bob_agent, change, field
):
    from aftercare.catalog.models import FaultCode, ProductModel
    from aftercare.tickets.tests.factories import make_ticket
    from aftercare.warranty.services.units import unit_register

    arguments = {"ticket": ticket, "kind": WorkOrder.Kind.SERVICE_CENTRE, "actor": bob_agent}
    if "kind" in change:
        arguments["kind"] = change["kind"]
    if "technician" in change:
        arguments["technician"] = request.getfixturevalue(change["technician"])
    if change.get("reported_fault"):
        fault = FaultCode.objects.create(organization=org, code="B01", name="Burner")
        fault.product_models.add(boiler)
        arguments["reported_fault"] = fault
    if change.get("unit"):
        model = ProductModel.objects.create(organization=other_org, name="X", sku="X")
        arguments["unit"] = unit_register(
            organization=other_org, product_model=model, serial_number="X1", source="console"
        )
    if change.get("no_unit"):
        arguments["ticket"] = make_ticket(organization=org, customer=customer)
    if change.get("closed"):
        ticket_status_change(ticket=ticket, status="closed", actor=bob_agent)
        arguments["ticket"] = Ticket.objects.get(pk=ticket.pk)
    events = TicketEvent.objects.count()
    with pytest.raises(ApplicationError) as refused:
        work_order_open(**arguments)
    assert refused.value.field == field
    assert not WorkOrder.objects.exists()
    assert not WarrantyClaim.objects.exists()
    assert TicketEvent.objects.count() == events


# --- Stages ---


def test_every_move_between_stages(ticket, bob_agent):
    """Each stage goes only where MOVES says; a refused move names `stage` and changes
    nothing."""
    work_order = work_order_open(ticket=ticket, kind=WorkOrder.Kind.REMOTE, actor=bob_agent)
    expected = {
        Stage.RECEIVED: {Stage.DIAGNOSING, Stage.CANCELLED},
        Stage.DIAGNOSING: {Stage.AWAITING_PARTS, Stage.IN_REPAIR, Stage.CANCELLED},
        Stage.AWAITING_APPROVAL: {Stage.DIAGNOSING, Stage.CANCELLED},
        Stage.AWAITING_PARTS: {Stage.IN_REPAIR, Stage.CANCELLED},
        Stage.IN_REPAIR: {Stage.AWAITING_PARTS, Stage.READY, Stage.CANCELLED},
        Stage.READY: {Stage.IN_REPAIR, Stage.DELIVERED, Stage.CANCELLED},
        Stage.DELIVERED: {Stage.CLOSED, Stage.CANCELLED},
        Stage.CLOSED: set(),
        Stage.CANCELLED: set(),
    }
    assert {stage: set(moves) for stage, moves in MOVES.items()} == expected
    for start in Stage.values:
        for target in Stage.values:
            _at(work_order, start)
            if target in expected[start]:
                moved = work_order_stage_set(work_order=work_order, stage=target, actor=bob_agent)
                assert moved.stage == target
                stored = WorkOrder.objects.get(pk=work_order.pk)
                assert stored.is_open == (target not in (Stage.CLOSED, Stage.CANCELLED))
                assert (stored.closed_at is not None) == (not stored.is_open)
                event = TicketEvent.objects.filter(kind=TicketEvent.Kind.WORK).latest("id")
                assert (event.data["from"], event.data["to"], event.is_public) == (
                    start,
                    target,
                    True,
                )
            else:
                before = TicketEvent.objects.count()
                with pytest.raises(ApplicationError) as refused:
                    work_order_stage_set(work_order=work_order, stage=target, actor=bob_agent)
                assert refused.value.field == "stage"
                assert WorkOrder.objects.get(pk=work_order.pk).stage == start
                assert TicketEvent.objects.count() == before


def test_an_unknown_stage_is_refused(ticket, bob_agent):
    work_order = work_order_open(ticket=ticket, kind=WorkOrder.Kind.REMOTE, actor=bob_agent)
    with pytest.raises(ApplicationError) as refused:
        work_order_stage_set(work_order=work_order, stage="lost", actor=bob_agent)
    assert refused.value.field == "stage"


def test_a_part_waiting_for_stock_keeps_the_work_order_from_ready(
    covered, pump, tina_technician, bob_agent
):
    _at(covered, Stage.IN_REPAIR)
    line = part_add(work_order=covered, part=pump, quantity=3, actor=tina_technician)
    assert line.status == PartLine.Status.WAITING
    covered.refresh_from_db()
    assert covered.stage == Stage.AWAITING_PARTS
    work_order_stage_set(work_order=covered, stage=Stage.IN_REPAIR, actor=bob_agent)
    with pytest.raises(ApplicationError) as refused:
        work_order_stage_set(work_order=covered, stage=Stage.READY, actor=bob_agent)
    assert refused.value.field == "stage"
    part_release(part_line=line, actor=bob_agent)
    assert work_order_stage_set(work_order=covered, stage=Stage.READY, actor=bob_agent).stage == (
        Stage.READY
    )


@pytest.mark.parametrize("stage", [Stage.CANCELLED, Stage.CLOSED])
def test_closing_or_cancelling_lets_go_of_reserved_parts(
    covered, warehouse, pump, bob_agent, tina_technician, today, stage
):
    used = part_add(work_order=covered, part=pump, actor=bob_agent)
    kept = part_add(work_order=covered, part=pump, actor=bob_agent)
    waiting = part_add(work_order=covered, part=pump, actor=bob_agent)
    assert [used.status, kept.status, waiting.status] == ["reserved", "reserved", "waiting"]
    _at(covered, Stage.IN_REPAIR)
    part_use(part_line=used, actor=tina_technician)
    assert _level(warehouse, pump) == (1, 1)
    if stage == Stage.CLOSED:
        for step in (Stage.READY, Stage.DELIVERED, Stage.CLOSED):
            if step == Stage.READY:
                part_release(part_line=waiting, actor=bob_agent)
            work_order_stage_set(work_order=covered, stage=step, actor=bob_agent)
    else:
        start = datetime.datetime.combine(today, datetime.time(9), tzinfo=datetime.UTC)
        visit = visit_schedule(
            work_order=covered,
            technician=tina_technician,
            window_start=start,
            window_end=start + datetime.timedelta(hours=3),
            address="Tehran, Valiasr St. 12",
            actor=bob_agent,
        )
        work_order_stage_set(work_order=covered, stage=stage, actor=bob_agent)
        assert Visit.objects.get(pk=visit.pk).status == Visit.Status.CANCELLED
    assert _level(warehouse, pump) == (1, 0)
    assert stock_free(location=warehouse, part=pump) == 1
    statuses = dict(PartLine.objects.values_list("pk", "status"))
    assert statuses == {used.pk: "used", kept.pk: "released", waiting.pk: "released"}
    assert Reservation.objects.get(part_line__pk=kept.pk).status == Reservation.Status.RELEASED


# --- Diagnosis, technician, labour ---


def test_diagnosis_with_a_root_cause_of_the_units_model(covered, pump_fault, bob_agent):
    work_order_diagnose(
        work_order=covered,
        diagnosis="Pump jammed by a coin.",
        root_cause=pump_fault,
        actor=bob_agent,
    )
    covered.refresh_from_db()
    assert (covered.diagnosis, covered.root_cause, covered.stage) == (
        "Pump jammed by a coin.",
        pump_fault,
        Stage.DIAGNOSING,
    )
    event = TicketEvent.objects.get(kind=TicketEvent.Kind.WORK, data__action="diagnosed")
    assert (event.is_public, event.data["root_cause"]) == (False, "P01 Drain pump failure")


def test_diagnosis_refuses_a_fault_of_another_model(org, covered, boiler, bob_agent):
    from aftercare.catalog.models import FaultCode

    burner = FaultCode.objects.create(organization=org, code="B01", name="Burner")
    burner.product_models.add(boiler)
    for values, field in (
        ({"diagnosis": "  ", "root_cause": None}, "diagnosis"),
        ({"diagnosis": "Burner", "root_cause": burner}, "root_cause_id"),
    ):
        with pytest.raises(ApplicationError) as refused:
            work_order_diagnose(work_order=covered, actor=bob_agent, **values)
        assert refused.value.field == field
    covered.refresh_from_db()
    assert (covered.diagnosis, covered.root_cause, covered.stage) == ("", None, Stage.RECEIVED)


def test_assigning_takes_only_technicians(covered, tina_technician, bob_agent, sam_supervisor):
    work_order_assign(work_order=covered, technician=tina_technician, actor=sam_supervisor)
    assert WorkOrder.objects.get(pk=covered.pk).technician == tina_technician
    with pytest.raises(ApplicationError) as refused:
        work_order_assign(work_order=covered, technician=bob_agent, actor=sam_supervisor)
    assert refused.value.field == "technician_id"
    assert WorkOrder.objects.get(pk=covered.pk).technician == tina_technician
    event = TicketEvent.objects.get(kind=TicketEvent.Kind.WORK, data__action="technician")
    assert (event.data["technician"], event.is_public) == ("Tina Tech", False)


def test_labour_is_logged_at_the_organizations_rate(paid, tina_technician, rates):
    entry = labour_add(
        work_order=paid, minutes=45, description="Replaced the pump", actor=tina_technician
    )
    assert (entry.technician, entry.minutes, entry.rate) == (
        tina_technician,
        45,
        Decimal("600000.00"),
    )
    for minutes in (0, -5, 7 * 24 * 60 + 1, True):
        with pytest.raises(ApplicationError) as refused:
            labour_add(work_order=paid, minutes=minutes, description="x", actor=tina_technician)
        assert refused.value.field == "minutes"
    assert LabourEntry.objects.count() == 1
    assert _work(paid.ticket)[-1] == ("labour", False)


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
    assert _level(warehouse, pump) == (2, 1)
    assert _work(covered.ticket)[-1] == ("part_reserved", False)


def test_without_a_stock_location_the_technicians_van_gives_the_part(
    old_ticket, van, pump, tina_technician, bob_agent
):
    work_order = work_order_open(
        ticket=old_ticket, kind=WorkOrder.Kind.ON_SITE, actor=bob_agent, technician=tina_technician
    )
    line = part_add(work_order=work_order, part=pump, actor=tina_technician)
    assert (line.location, line.status) == (van, "reserved")
    assert _level(van, pump) == (1, 1)


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
    assert _level(warehouse, pump) == (2, 0)


def test_fitting_a_part_consumes_it_in_the_ledger(
    covered, warehouse, pump, bob_agent, tina_technician
):
    line = part_add(work_order=covered, part=pump, actor=bob_agent)
    _at(covered, Stage.IN_REPAIR)
    used = part_use(part_line=line, actor=tina_technician, serial_number="ignored")
    assert (used.status, used.serial_number) == ("used", "")
    assert used.used_at is not None
    assert _level(warehouse, pump) == (1, 0)
    move = StockMove.objects.filter(location=warehouse, part=pump).latest("id")
    assert (move.kind, move.quantity, move.balance_after) == ("consumption", -1, 1)
    assert (move.work_order_id, move.actor) == (covered.pk, tina_technician)
    assert Reservation.objects.get(pk=line.reservation_id).status == "consumed"
    assert _work(covered.ticket)[-1] == ("part_used", False)
    with pytest.raises(ApplicationError) as refused:
        part_use(part_line=line, actor=tina_technician)
    assert refused.value.field == "status"
    assert _level(warehouse, pump) == (1, 0)


def test_a_part_is_fitted_only_while_the_work_is_under_way(covered, pump, bob_agent):
    line = part_add(work_order=covered, part=pump, actor=bob_agent)
    with pytest.raises(ApplicationError) as refused:
        part_use(part_line=line, actor=bob_agent)
    assert refused.value.field == "stage"
    assert PartLine.objects.get(pk=line.pk).status == "reserved"


def test_a_serialised_part_needs_its_serial_typed_any_way(
    covered, warehouse, board, tina_technician
):
    _at(covered, Stage.DIAGNOSING)
    with pytest.raises(ApplicationError) as refused:
        part_add(work_order=covered, part=board, quantity=2, actor=tina_technician)
    assert refused.value.field == "quantity"
    line = part_add(work_order=covered, part=board, actor=tina_technician)
    with pytest.raises(ApplicationError) as refused:
        part_use(part_line=line, actor=tina_technician, serial_number="  ")
    assert refused.value.field == "serial_number"
    assert _level(warehouse, board) == (1, 1)
    used = part_use(part_line=line, actor=tina_technician, serial_number=" PCB-۱۲۳۴ ")
    assert (used.status, used.serial_number) == ("used", "PCB-1234")
    assert _level(warehouse, board) == (0, 0)
    event = TicketEvent.objects.filter(kind=TicketEvent.Kind.WORK).latest("id")
    assert event.data["serial_number"] == "PCB-1234"


def test_letting_a_part_go_frees_its_stock(covered, warehouse, pump, bob_agent):
    line = part_add(work_order=covered, part=pump, quantity=2, actor=bob_agent)
    assert stock_free(location=warehouse, part=pump) == 0
    released = part_release(part_line=line, actor=bob_agent)
    assert released.status == "released"
    assert _level(warehouse, pump) == (2, 0)
    assert Reservation.objects.get(pk=line.reservation_id).status == "released"
    with pytest.raises(ApplicationError) as refused:
        part_release(part_line=line, actor=bob_agent)
    assert refused.value.field == "status"
    assert _level(warehouse, pump) == (2, 0)


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
    assert _level(warehouse, pump) == (3, 3)
    _at(covered, Stage.IN_REPAIR)
    part_use(part_line=line, actor=tina_technician)
    assert _level(warehouse, pump) == (0, 0)


# --- Quotes ---


def test_a_quote_adds_parts_labour_and_travel_and_taxes_them(
    org, paid, old_ticket, warehouse, pump, board, tina_technician, bob_agent, today, customer
):
    _at(paid, Stage.DIAGNOSING)
    part_add(work_order=paid, part=pump, actor=tina_technician)
    part_add(work_order=paid, part=board, actor=tina_technician)
    released = part_add(work_order=paid, part=pump, actor=tina_technician)
    part_release(part_line=released, actor=tina_technician)
    labour_add(work_order=paid, minutes=50, description="Diagnosis", actor=tina_technician)
    quote = quote_send(
        work_order=paid,
        actor=bob_agent,
        note="Parts come in two days.",
        include_travel=True,
        labour_minutes=25,
    )
    lines = [
        (line.kind, line.description, line.quantity, line.unit_price, line.amount)
        for line in quote.lines.all()
    ]
    # The customer reads Persian: the pump's Persian name, labour and travel in Persian.
    with translation.override("fa"):
        labour_to_do, travel = (
            translation.gettext("Labour to do"),
            translation.gettext("On-site travel"),
        )
    assert lines == [
        ("part", "PMP-1 پمپ تخلیه", Decimal("1.00"), Decimal("450000.00"), Decimal("450000.00")),
        (
            "part",
            "PCB-9 Control board",
            Decimal("1.00"),
            Decimal("1200000.50"),
            Decimal("1200000.50"),
        ),
        ("labour", "Diagnosis", Decimal("0.83"), Decimal("600000.00"), Decimal("498000.00")),
        ("labour", labour_to_do, Decimal("0.42"), Decimal("600000.00"), Decimal("252000.00")),
        ("travel", travel, Decimal("1.00"), Decimal("300000.00"), Decimal("300000.00")),
    ]
    # 2,700,000.50 at 9% is 243,000.045: rounded half up to .05 (not to the even .04).
    assert (quote.currency, quote.tax_rate) == ("IRR", Decimal("9.00"))
    assert (quote.subtotal, quote.tax, quote.total) == (
        Decimal("2700000.50"),
        Decimal("243000.05"),
        Decimal("2943000.55"),
    )
    assert quote.valid_until == today + datetime.timedelta(days=10)
    assert (quote.status, quote.note) == ("sent", "Parts come in two days.")
    paid.refresh_from_db()
    assert paid.stage == Stage.AWAITING_APPROVAL
    assert _work(old_ticket)[-2:] == [("stage", True), ("quote_sent", True)]
    notice = Notice.objects.get(event=Notice.Event.QUOTE)
    assert (notice.recipient, notice.customer, notice.language) == (
        "maryam@example.com",
        customer,
        "fa",
    )
    assert notice.key == f"quote:{quote.pk}:sent"
    assert notice.context["url"].endswith(f"/portal/demo/requests/{old_ticket.number}/")
    # Rials are written without decimals: the stored 2,943,000.55 shows as 2,943,001.
    assert "۲٬۹۴۳٬۰۰۱ ریال" in notice.context["body"]
    rendered = notice_render(notice)
    assert rendered.subject.startswith(f"[{old_ticket.reference}] ")
    assert "> PMP-1 پمپ تخلیه: ۴۵۰٬۰۰۰ ریال" in rendered.text
    assert notice.context["url"] in rendered.text
    assert 'dir="rtl"' in rendered.html


def test_only_work_the_customer_pays_for_is_quoted(covered, bob_agent):
    _at(covered, Stage.DIAGNOSING)
    labour_add(work_order=covered, minutes=30, description="Look", actor=bob_agent)
    with pytest.raises(ApplicationError) as refused:
        quote_send(work_order=covered, actor=bob_agent)
    assert refused.value.field == "billing"
    assert not Quote.objects.exists()


def test_nothing_to_quote_is_refused(paid, bob_agent):
    _at(paid, Stage.DIAGNOSING)
    with pytest.raises(ApplicationError) as refused:
        quote_send(work_order=paid, actor=bob_agent)
    assert refused.value.field == "labour_minutes"
    with pytest.raises(ApplicationError) as refused:
        quote_send(work_order=_at(paid, Stage.RECEIVED), actor=bob_agent, labour_minutes=30)
    assert refused.value.field == "stage"
    assert not Quote.objects.exists()
    assert WorkOrder.objects.get(pk=paid.pk).stage == Stage.RECEIVED


def test_a_new_quote_withdraws_the_one_waiting(paid, bob_agent):
    _at(paid, Stage.DIAGNOSING)
    first = quote_send(work_order=paid, actor=bob_agent, labour_minutes=60)
    second = quote_send(work_order=paid, actor=bob_agent, labour_minutes=90)
    assert Quote.objects.get(pk=first.pk).status == Quote.Status.WITHDRAWN
    assert Quote.objects.get(pk=second.pk).status == Quote.Status.SENT
    assert [action for action, _public in _work(paid.ticket)][-3:] == [
        "quote_sent",
        "quote_withdrawn",
        "quote_sent",
    ]
    withdrawn = quote_withdraw(work_order=paid, actor=bob_agent)
    assert withdrawn.pk == second.pk
    assert WorkOrder.objects.get(pk=paid.pk).stage == Stage.DIAGNOSING


def test_the_customer_approves_the_quote_and_the_repair_goes_on(paid, customer, pump, bob_agent):
    _at(paid, Stage.DIAGNOSING)
    part_add(work_order=paid, part=pump, actor=bob_agent)
    quote = quote_send(work_order=paid, actor=bob_agent)
    approved = quote_approve(quote=quote, customer=customer)
    assert approved.status == Quote.Status.APPROVED
    assert approved.decided_at is not None
    paid.refresh_from_db()
    assert paid.stage == Stage.IN_REPAIR
    assert _work(paid.ticket)[-2:] == [("quote_approved", True), ("stage", True)]


def test_an_approved_quote_with_a_part_short_waits_for_parts(paid, customer, pump, bob_agent):
    _at(paid, Stage.DIAGNOSING)
    part_add(work_order=paid, part=pump, quantity=5, actor=bob_agent)
    quote = quote_send(work_order=paid, actor=bob_agent)
    quote_approve(quote=quote, customer=customer)
    assert WorkOrder.objects.get(pk=paid.pk).stage == Stage.AWAITING_PARTS


def test_declining_the_quote_stops_the_work_order_and_frees_its_parts(
    paid, customer, warehouse, pump, board, bob_agent
):
    _at(paid, Stage.DIAGNOSING)
    part_add(work_order=paid, part=pump, quantity=2, actor=bob_agent)
    part_add(work_order=paid, part=board, actor=bob_agent)
    assert (
        stock_free(location=warehouse, part=pump),
        stock_free(location=warehouse, part=board),
    ) == (
        0,
        0,
    )
    quote = quote_send(work_order=paid, actor=bob_agent)
    declined = quote_decline(quote=quote, customer=customer, reason="Too expensive")
    assert (declined.status, declined.decline_reason) == ("declined", "Too expensive")
    paid.refresh_from_db()
    assert (paid.stage, paid.is_open) == (Stage.CANCELLED, False)
    assert _level(warehouse, pump) == (2, 0)
    assert _level(warehouse, board) == (1, 0)
    assert set(PartLine.objects.values_list("status", flat=True)) == {"released"}
    assert set(Reservation.objects.values_list("status", flat=True)) == {"released"}
    assert _work(paid.ticket)[-5:] == [
        ("quote_sent", True),
        ("quote_declined", True),
        ("stage", True),
        ("part_released", False),
        ("part_released", False),
    ]


def test_a_quote_is_decided_once_by_its_customer_before_it_expires(
    org, paid, customer, bob_agent, today
):
    _at(paid, Stage.DIAGNOSING)
    quote = quote_send(work_order=paid, actor=bob_agent, labour_minutes=30)
    stranger = customer_create(organization=org, name="Someone else", emails=["x@example.com"])
    with pytest.raises(ApplicationError) as refused:
        quote_approve(quote=quote, customer=stranger)
    assert refused.value.field == "quote"
    Quote.objects.filter(pk=quote.pk).update(valid_until=today - datetime.timedelta(1))
    with pytest.raises(ApplicationError) as refused:
        quote_decline(quote=quote, customer=customer)
    assert refused.value.field == "quote"
    assert Quote.objects.get(pk=quote.pk).status == "sent"
    Quote.objects.filter(pk=quote.pk).update(valid_until=today)
    quote_approve(quote=quote, customer=customer)
    for decide in (quote_approve, quote_decline):
        with pytest.raises(ApplicationError) as refused:
            decide(quote=quote, customer=customer)
        assert refused.value.field == "quote"
    assert Quote.objects.get(pk=quote.pk).status == "approved"
    assert WorkOrder.objects.get(pk=paid.pk).stage == Stage.IN_REPAIR


# --- Warranty claims and billing ---


def test_a_manager_approves_the_warranty_claim(covered, sam_supervisor):
    work_order_claim_approve(work_order=covered, actor=sam_supervisor)
    claim = WarrantyClaim.objects.get(pk=covered.claim_id)
    assert (claim.status, claim.decided_by) == ("approved", sam_supervisor)
    assert WorkOrder.objects.get(pk=covered.pk).billing == "warranty"
    assert _work(covered.ticket)[-1] == ("claim_approved", True)
    with pytest.raises(ApplicationError) as refused:
        work_order_claim_reject(work_order=covered, reason="No", actor=sam_supervisor)
    assert refused.value.field == "claim"


def test_a_rejected_claim_bills_the_customer_who_reads_why(covered, sam_supervisor):
    with pytest.raises(ApplicationError) as refused:
        work_order_claim_reject(work_order=covered, reason=" ", actor=sam_supervisor)
    assert refused.value.field == "reason"
    work_order_claim_reject(
        work_order=covered, reason="The drum was dented in transport.", actor=sam_supervisor
    )
    claim = WarrantyClaim.objects.get(pk=covered.claim_id)
    assert (claim.status, claim.rejection_reason) == (
        "rejected",
        "The drum was dented in transport.",
    )
    assert WorkOrder.objects.get(pk=covered.pk).billing == "customer"
    # One event tells the decision and the billing it brought.
    assert _work(covered.ticket)[-2:] == [("claim_opened", False), ("claim_rejected", True)]
    event = TicketEvent.objects.get(data__action="claim_rejected")
    with translation.override("en"):
        assert work_event_describe(event=event, for_customer=True) == (
            "The warranty does not cover your repair WO-000001.",
            ["Reason: The drum was dented in transport."],
        )


def test_without_a_claim_there_is_nothing_to_decide(paid, sam_supervisor):
    for decide in (
        lambda: work_order_claim_approve(work_order=paid, actor=sam_supervisor),
        lambda: work_order_claim_reject(work_order=paid, reason="x", actor=sam_supervisor),
    ):
        with pytest.raises(ApplicationError) as refused:
            decide()
        assert refused.value.field == "claim"


def test_goodwill_withdraws_the_quote_waiting(paid, sam_supervisor, bob_agent):
    _at(paid, Stage.DIAGNOSING)
    quote = quote_send(work_order=paid, actor=bob_agent, labour_minutes=30)
    work_order_billing_set(work_order=paid, billing="goodwill", actor=sam_supervisor)
    paid.refresh_from_db()
    assert (paid.billing, paid.stage) == ("goodwill", Stage.DIAGNOSING)
    assert Quote.objects.get(pk=quote.pk).status == "withdrawn"
    with pytest.raises(ApplicationError) as refused:
        work_order_billing_set(work_order=paid, billing="warranty", actor=sam_supervisor)
    assert refused.value.field == "billing"


# --- Visits and installations ---


def test_a_visit_is_planned_with_a_technician_in_a_window(
    old_ticket, bob_agent, tina_technician, today
):
    work_order = work_order_open(ticket=old_ticket, kind=WorkOrder.Kind.ON_SITE, actor=bob_agent)
    start = datetime.datetime.combine(today, datetime.time(9), tzinfo=datetime.UTC)
    arguments = {
        "work_order": work_order,
        "technician": tina_technician,
        "window_start": start,
        "window_end": start + datetime.timedelta(hours=3),
        "address": "Tehran, Valiasr St. 12",
        "actor": bob_agent,
    }
    for change, field in (
        ({"technician": bob_agent}, "technician_id"),
        ({"window_end": start}, "window_end"),
        ({"window_end": start - datetime.timedelta(hours=1)}, "window_end"),
        ({"window_start": start.replace(tzinfo=None)}, "window_start"),
        ({"address": ""}, "address"),
    ):
        with pytest.raises(ApplicationError) as refused:
            visit_schedule(**{**arguments, **change})
        assert refused.value.field == field
    assert not Visit.objects.exists()
    visit = visit_schedule(**arguments)
    assert (visit.status, visit.technician, visit.address) == (
        "scheduled",
        tina_technician,
        "Tehran, Valiasr St. 12",
    )
    assert WorkOrder.objects.get(pk=work_order.pk).technician == tina_technician
    assert _work(old_ticket)[-2:] == [("visit_scheduled", True), ("technician", False)]
    visit_status_set(visit=visit, status="on_the_way", actor=tina_technician)
    visit_status_set(visit=visit, status="done", actor=tina_technician, note="Pump replaced.")
    visit.refresh_from_db()
    assert (visit.status, visit.note) == ("done", "Pump replaced.")
    with pytest.raises(ApplicationError) as refused:
        visit_status_set(visit=visit, status="missed", actor=tina_technician)
    assert refused.value.field == "status"
    event = TicketEvent.objects.filter(data__action="visit_status").latest("id")
    with translation.override("en"):
        assert work_event_describe(event=event, for_customer=True) == (
            "The technician's visit is done.",
            [],
        )


def test_an_installation_delivered_starts_the_warranty(boiler_ticket, new_boiler, bob_agent, today):
    assert not coverage_check(unit=new_boiler, on=today).covered
    work_order = work_order_open(
        ticket=boiler_ticket, kind=WorkOrder.Kind.INSTALLATION, actor=bob_agent
    )
    for stage in (Stage.DIAGNOSING, Stage.IN_REPAIR, Stage.READY, Stage.DELIVERED):
        work_order_stage_set(work_order=work_order, stage=stage, actor=bob_agent)
    new_boiler.refresh_from_db()
    assert new_boiler.installation_date == today
    coverage = coverage_check(unit=new_boiler, on=today)
    assert (coverage.covered, coverage.starts_on) == (True, today)
    work_order_stage_set(work_order=work_order, stage=Stage.CLOSED, actor=bob_agent)
    assert [action for action, _public in _work(boiler_ticket)].count("installed") == 1


def test_an_installation_visit_done_sets_the_installation_date(
    boiler_ticket, new_boiler, bob_agent, tina_technician, today
):
    work_order = work_order_open(
        ticket=boiler_ticket, kind=WorkOrder.Kind.INSTALLATION, actor=bob_agent
    )
    start = datetime.datetime.combine(today, datetime.time(10), tzinfo=datetime.UTC)
    visit = visit_schedule(
        work_order=work_order,
        technician=tina_technician,
        window_start=start,
        window_end=start + datetime.timedelta(hours=2),
        address="Shiraz",
        actor=bob_agent,
    )
    visit_status_set(visit=visit, status="done", actor=tina_technician)
    new_boiler.refresh_from_db()
    assert new_boiler.installation_date == today
    event = TicketEvent.objects.get(data__action="installed")
    assert (event.is_public, event.data["date"]) == (False, today.isoformat())


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


# --- Selectors for the portal and the documents ---


def test_a_requests_work_orders_come_with_their_work_in_a_fixed_number_of_queries(
    paid, old_ticket, pump, board, bob_agent, tina_technician, rates
):
    _at(paid, Stage.DIAGNOSING)
    part_add(work_order=paid, part=pump, actor=bob_agent)
    labour_add(work_order=paid, minutes=30, description="Look", actor=tina_technician)
    quote = quote_send(work_order=paid, actor=bob_agent)
    second = work_order_open(ticket=old_ticket, kind=WorkOrder.Kind.ON_SITE, actor=bob_agent)
    part_add(work_order=second, part=board, actor=bob_agent, location=paid.stock_location)
    with CaptureQueriesContext(connection) as queries:
        found = work_orders_for_ticket(ticket=old_ticket)
        parts = [[line.part.sku for line in work_order.parts.all()] for work_order in found]
        labour = [len(work_order.labour.all()) for work_order in found]
        quotes = [[len(q.lines.all()) for q in work_order.quotes.all()] for work_order in found]
        visits = [list(work_order.visits.all()) for work_order in found]
    assert len(queries) == 6
    assert [work_order.pk for work_order in found] == [paid.pk, second.pk]
    assert parts == [["PMP-1"], ["PCB-9"]]
    assert (labour, quotes, visits) == ([1, 0], [[2], []], [[], []])
    assert [work_order.open_quote for work_order in found] == [quote, None]


def test_a_customer_reads_only_their_own_quote(org, paid, customer, bob_agent):
    _at(paid, Stage.DIAGNOSING)
    quote = quote_send(work_order=paid, actor=bob_agent, labour_minutes=30)
    assert quote_get_for_customer(customer=customer, quote_id=quote.pk) == quote
    stranger = customer_create(organization=org, name="Someone else", emails=["x@example.com"])
    with pytest.raises(Http404):
        quote_get_for_customer(customer=stranger, quote_id=quote.pk)
