"""Work orders: opening one (coverage and billing), its stages, diagnosis, technician and
labour, its warranty claim and billing, and the request's work orders as the portal reads them."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from aftercare.inventory.models import Reservation
from aftercare.inventory.services import stock_free
from aftercare.lib.errors import ApplicationError
from aftercare.repairs.describe import work_event_describe
from aftercare.repairs.models import LabourEntry, PartLine, Quote, Visit, WorkOrder
from aftercare.repairs.selectors import work_orders_for_ticket
from aftercare.repairs.services import (
    labour_add,
    part_add,
    part_release,
    part_use,
    quote_send,
    visit_schedule,
    work_order_assign,
    work_order_billing_set,
    work_order_claim_approve,
    work_order_claim_reject,
    work_order_diagnose,
    work_order_open,
    work_order_stage_set,
)
from aftercare.repairs.stages import MOVES
from aftercare.repairs.tests.helpers import at_stage, stock_level, work_events
from aftercare.tickets.models import Ticket, TicketEvent
from aftercare.tickets.services import ticket_status_change
from aftercare.warranty.models import WarrantyClaim

Stage = WorkOrder.Stage


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
    assert work_events(ticket) == [("opened", True), ("claim_opened", False)]
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
    assert work_events(old_ticket) == [("opened", True)]


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
            at_stage(work_order, start)
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
    at_stage(covered, Stage.IN_REPAIR)
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
    at_stage(covered, Stage.IN_REPAIR)
    part_use(part_line=used, actor=tina_technician)
    assert stock_level(warehouse, pump) == (1, 1)
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
    assert stock_level(warehouse, pump) == (1, 0)
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
    assert work_events(paid.ticket)[-1] == ("labour", False)


# --- Warranty claims and billing ---


def test_a_manager_approves_the_warranty_claim(covered, sam_supervisor):
    work_order_claim_approve(work_order=covered, actor=sam_supervisor)
    claim = WarrantyClaim.objects.get(pk=covered.claim_id)
    assert (claim.status, claim.decided_by) == ("approved", sam_supervisor)
    assert WorkOrder.objects.get(pk=covered.pk).billing == "warranty"
    assert work_events(covered.ticket)[-1] == ("claim_approved", True)
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
    assert work_events(covered.ticket)[-2:] == [("claim_opened", False), ("claim_rejected", True)]
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
    at_stage(paid, Stage.DIAGNOSING)
    quote = quote_send(work_order=paid, actor=bob_agent, labour_minutes=30)
    work_order_billing_set(work_order=paid, billing="goodwill", actor=sam_supervisor)
    paid.refresh_from_db()
    assert (paid.billing, paid.stage) == ("goodwill", Stage.DIAGNOSING)
    assert Quote.objects.get(pk=quote.pk).status == "withdrawn"
    with pytest.raises(ApplicationError) as refused:
        work_order_billing_set(work_order=paid, billing="warranty", actor=sam_supervisor)
    assert refused.value.field == "billing"


# --- Selectors for the portal and the documents ---


def test_a_requests_work_orders_come_with_their_work_in_a_fixed_number_of_queries(
    paid, old_ticket, pump, board, bob_agent, tina_technician, rates
):
    at_stage(paid, Stage.DIAGNOSING)
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
