"""Fixtures of the repairs tests: a washing machine model with a one-year warranty, units in
and out of warranty owned by the shared customer, a request about each, spare parts and stock
in a warehouse and a technician's van, and work orders on those requests (a module that needs
another shape of one defines its own)."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from aftercare.catalog.models import FaultCode, ProductModel, SparePart, WarrantyPolicy
from aftercare.inventory.models import StockLocation
from aftercare.inventory.services import stock_location_create, stock_receive
from aftercare.lib.testing import client_for
from aftercare.repairs.models import WorkOrder
from aftercare.repairs.services import (
    repair_settings_update,
    work_order_open,
    work_order_stage_set,
)
from aftercare.tickets.models import Ticket
from aftercare.tickets.tests.factories import make_ticket
from aftercare.warranty.models import Unit
from aftercare.warranty.services.units import unit_register


@pytest.fixture
def today(org) -> datetime.date:
    """Today where the organization is."""
    return timezone.localdate(timezone=ZoneInfo(org.time_zone))


@pytest.fixture
def policy(org) -> WarrantyPolicy:
    return WarrantyPolicy.objects.create(organization=org, name="One year", months=12)


@pytest.fixture
def installation_policy(org) -> WarrantyPolicy:
    return WarrantyPolicy.objects.create(
        organization=org,
        name="Two years from installation",
        months=24,
        starts_from=WarrantyPolicy.Start.INSTALLATION,
    )


@pytest.fixture
def washer(org, policy) -> ProductModel:
    return ProductModel.objects.create(
        organization=org, name="EcoWash 7", sku="WM-700", brand="Pars", warranty_policy=policy
    )


@pytest.fixture
def boiler(org, installation_policy) -> ProductModel:
    return ProductModel.objects.create(
        organization=org,
        name="Heat 24",
        sku="BO-24",
        brand="Pars",
        warranty_policy=installation_policy,
    )


@pytest.fixture
def pump_fault(org, washer) -> FaultCode:
    fault = FaultCode.objects.create(organization=org, code="P01", name="Drain pump failure")
    fault.product_models.add(washer)
    return fault


@pytest.fixture
def damage_fault(org) -> FaultCode:
    return FaultCode.objects.create(organization=org, code="D01", name="Physical damage")


def _unit(org, model, serial, customer, **dates) -> Unit:
    return unit_register(
        organization=org,
        product_model=model,
        serial_number=serial,
        customer=customer,
        source=Unit.Source.CONSOLE,
        **dates,
    )


@pytest.fixture
def unit(org, washer, customer, today) -> Unit:
    """Bought a month ago: in warranty."""
    return _unit(org, washer, "SN-1001", customer, purchase_date=today - datetime.timedelta(30))


@pytest.fixture
def old_unit(org, washer, customer, today) -> Unit:
    """Bought three years ago: out of warranty."""
    return _unit(org, washer, "SN-0001", customer, purchase_date=today - datetime.timedelta(1100))


@pytest.fixture
def new_boiler(org, boiler, customer, today) -> Unit:
    """Bought last week, not installed yet."""
    return _unit(org, boiler, "BO-77", customer, purchase_date=today - datetime.timedelta(7))


def _ticket(org, customer, bob_agent, unit) -> Ticket:
    ticket = make_ticket(organization=org, customer=customer, actor=bob_agent)
    Ticket.objects.filter(pk=ticket.pk).update(unit=unit)
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def ticket(org, customer, bob_agent, unit) -> Ticket:
    """A repair request about the unit in warranty."""
    return _ticket(org, customer, bob_agent, unit)


@pytest.fixture
def old_ticket(org, customer, bob_agent, old_unit) -> Ticket:
    """A repair request about the unit out of warranty."""
    return _ticket(org, customer, bob_agent, old_unit)


@pytest.fixture
def boiler_ticket(org, customer, bob_agent, new_boiler) -> Ticket:
    return _ticket(org, customer, bob_agent, new_boiler)


@pytest.fixture
def pump(org, washer) -> SparePart:
    part = SparePart.objects.create(
        organization=org,
        sku="PMP-1",
        name="Drain pump",
        names={"fa": "پمپ تخلیه"},
        price=Decimal("450000.00"),
    )
    part.compatible_models.add(washer)
    return part


@pytest.fixture
def board(org) -> SparePart:
    """A control board tracked by serial number, fitting any model."""
    return SparePart.objects.create(
        organization=org,
        sku="PCB-9",
        name="Control board",
        price=Decimal("1200000.50"),
        is_serialised=True,
    )


@pytest.fixture
def warehouse(org, alice_admin, pump, board) -> StockLocation:
    """Two pumps and one board in stock."""
    location = stock_location_create(organization=org, name="Main warehouse", keeper=alice_admin)
    stock_receive(location=location, part=pump, quantity=2, reason="Opening", actor=alice_admin)
    stock_receive(location=location, part=board, quantity=1, reason="Opening", actor=alice_admin)
    return location


@pytest.fixture
def van(org, tina_technician, pump, alice_admin) -> StockLocation:
    """Tina's van, with one pump."""
    location = stock_location_create(
        organization=org,
        name="Tina's van",
        kind=StockLocation.Kind.VAN,
        holder=tina_technician,
    )
    stock_receive(location=location, part=pump, quantity=1, reason="Loaded", actor=alice_admin)
    return location


@pytest.fixture
def rates(org):
    """Toman-like money: 9% tax, 600,000 an hour, travel 300,000, quotes hold 10 days."""
    return repair_settings_update(
        organization=org,
        currency="IRR",
        tax_rate=Decimal("9"),
        labour_rate=Decimal("600000"),
        travel_fee=Decimal("300000"),
        quote_valid_days=10,
    )


@pytest.fixture
def covered(ticket, bob_agent, pump_fault, warehouse) -> WorkOrder:
    """In warranty, the pump fault reported, parts from the warehouse."""
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


@pytest.fixture
def work_order(covered) -> WorkOrder:
    """The page tests' work order: in warranty, parts from the warehouse."""
    return covered


@pytest.fixture
def paid_on_site(old_ticket, bob_agent, warehouse, rates) -> WorkOrder:
    """Out of warranty, on site, diagnosed."""
    work_order = work_order_open(
        ticket=old_ticket,
        kind=WorkOrder.Kind.ON_SITE,
        actor=bob_agent,
        stock_location=warehouse,
    )
    return work_order_stage_set(
        work_order=work_order, stage=WorkOrder.Stage.DIAGNOSING, actor=bob_agent
    )


@pytest.fixture
def technician_client(tina_technician):
    """Tina the technician, signed in to the console."""
    return client_for(tina_technician)
