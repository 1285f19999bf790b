"""Repairs built through the real services, for the tests of documents and of the portal:
a shop's money, a model with a two-year warranty, a pump in stock, and repairs in warranty
and out of it."""

import datetime

from aftercare.catalog.services import (
    product_model_create,
    spare_part_create,
    warranty_policy_create,
)
from aftercare.inventory.services import stock_location_create, stock_receive
from aftercare.repairs.models import WorkOrder
from aftercare.repairs.services import (
    labour_add,
    part_add,
    part_use,
    quote_send,
    repair_settings_update,
    work_order_diagnose,
    work_order_open,
    work_order_stage_set,
)
from aftercare.tickets.tests.factories import make_ticket
from aftercare.warranty.models import Unit
from aftercare.warranty.services.units import unit_register

Stage = WorkOrder.Stage

# The worked example: a pump at 2,500,000 and 90 minutes at 1,200,000 an hour make 4,300,000;
# tax at 9% is 387,000; the customer pays 4,687,000 rials.
PUMP_PRICE = "2500000"
LABOUR_RATE = "1200000"
TAX_RATE = "9"


class Shop:
    """An organization set up for repairs: money, a model with a warranty, a stocked pump."""

    def __init__(self, organization, actor):
        self.organization = organization
        self.actor = actor
        repair_settings_update(
            organization=organization,
            currency="IRR",
            tax_rate=TAX_RATE,
            labour_rate=LABOUR_RATE,
            travel_fee="500000",
            quote_valid_days=14,
        )
        policy = warranty_policy_create(organization=organization, name="Two years", months=24)
        self.washer = product_model_create(
            organization=organization,
            name="WM-900",
            sku="WM900",
            brand="Arya",
            warranty_policy=policy,
        )
        self.warehouse = stock_location_create(organization=organization, name="Main warehouse")
        self.pump = spare_part_create(
            organization=organization,
            sku="PUMP-1",
            name="Drain pump",
            names={"fa": "پمپ تخلیه"},
            price=PUMP_PRICE,
        )
        stock_receive(
            location=self.warehouse, part=self.pump, quantity=3, reason="Delivery", actor=actor
        )

    def unit(self, customer, *, serial: str, purchase_date: datetime.date) -> Unit:
        """A washer the customer owns."""
        return unit_register(
            organization=self.organization,
            product_model=self.washer,
            serial_number=serial,
            customer=customer,
            source=Unit.Source.CONSOLE,
            purchase_date=purchase_date,
            seller="Shop on Valiasr St.",
            actor=self.actor,
        )

    def open(self, customer, unit: Unit, *, technician, language: str = "") -> WorkOrder:
        """A request about the unit, and a service-centre work order on it."""
        ticket = make_ticket(
            organization=self.organization,
            customer=customer,
            language=language,
            product_model=unit.product_model,
            serial_number=unit.serial_number,
            purchase_date=unit.purchase_date,
            subject="Washer does not drain",
            description="Water stays in the drum after the cycle ends.",
        )
        return work_order_open(
            ticket=ticket,
            kind=WorkOrder.Kind.SERVICE_CENTRE,
            actor=self.actor,
            unit=unit,
            technician=technician,
            stock_location=self.warehouse,
        )

    def diagnose(self, work_order: WorkOrder):
        """Diagnosed: the pump is needed (reserved) and 90 minutes of work logged."""
        work_order_diagnose(
            work_order=work_order, diagnosis="A coin blocks the drain pump.", actor=self.actor
        )
        line = part_add(work_order=work_order, part=self.pump, quantity=1, actor=self.actor)
        labour_add(
            work_order=work_order,
            minutes=90,
            description="Replaced the drain pump",
            actor=self.actor,
        )
        return line

    def quote(self, work_order: WorkOrder):
        """A diagnosed repair the customer pays for, quoted."""
        self.diagnose(work_order)
        return quote_send(work_order=work_order, actor=self.actor, note="Parts in stock.")

    def finish(self, work_order: WorkOrder, line) -> WorkOrder:
        """The pump fitted and the repair ready."""
        work_order.refresh_from_db()
        if work_order.stage == Stage.DIAGNOSING:
            work_order_stage_set(work_order=work_order, stage=Stage.IN_REPAIR, actor=self.actor)
        part_use(part_line=line, actor=self.actor)
        work_order_stage_set(work_order=work_order, stage=Stage.READY, actor=self.actor)
        work_order.refresh_from_db()
        return work_order
