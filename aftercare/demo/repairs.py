"""The demo's after-sales workshop: warranty policies and fault codes, spare parts and their
stock in a warehouse and a technician's van, the customers' registered units, and work orders
in every stage, all written through the services."""

import datetime
import random
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from aftercare.catalog.models import FaultCode, ProductModel, SparePart
from aftercare.catalog.services import (
    fault_code_create,
    product_model_update,
    spare_part_create,
    warranty_policy_create,
)
from aftercare.demo.content import repairs as content
from aftercare.inventory.models import StockLocation
from aftercare.inventory.services.locations import stock_level_reorder_set, stock_location_create
from aftercare.inventory.services.stock import stock_receive
from aftercare.repairs.services.settings import repair_settings_update
from aftercare.warranty.models import Unit
from aftercare.warranty.serials import serial_key
from aftercare.warranty.services.contracts import contract_extend
from aftercare.warranty.services.units import unit_register

if TYPE_CHECKING:  # the seeding's own types; history imports this module
    from aftercare.demo.history import Party, SeededOrg


def seed_workshop(*, org: "SeededOrg") -> None:
    """Repair settings, fault codes, a warranty policy per category, parts, and their stock."""
    organization = org.organization
    admin = org.staff["admin"]
    repair_settings_update(organization=organization, **content.REPAIR_SETTINGS)
    by_category: dict[str, list[ProductModel]] = {}
    for product, model in org.products:
        by_category.setdefault(product.category, []).append(model)
    faults: dict[str, FaultCode] = {}
    for code, name, categories, _excluded in content.FAULT_CODES:
        models = [m for c in (categories or ()) for m in by_category.get(c, [])]
        faults[code] = fault_code_create(
            organization=organization, code=code, name=name, product_models=models
        )
    excluded = [faults[code] for code, _n, _c, is_excluded in content.FAULT_CODES if is_excluded]
    for category, models in by_category.items():
        if category not in content.POLICIES:
            continue
        name, months, starts, registration, transferable, travel = content.POLICIES[category]
        policy = warranty_policy_create(
            organization=organization,
            name=name,
            months=months,
            starts_from=starts,
            covers_parts=True,
            covers_labour=True,
            covers_travel=travel,
            excluded_faults=[f for f in excluded if f.code != "LIQ" or category == "TVs"],
            registration_days=registration,
            is_transferable=transferable,
        )
        for model in models:
            product_model_update(product_model=model, warranty_policy=policy)
    parts: dict[str, SparePart] = {}
    for part in content.PARTS:
        parts[part.sku] = spare_part_create(
            organization=organization,
            sku=part.sku,
            name=part.name,
            names={"fa": part.fa, "tr": part.tr, "kk": part.kk},
            price=Decimal(part.price),
            compatible_models=by_category.get(part.category, []),
            is_serialised=part.serialised,
        )
    for name, kind, holder_role, stock in content.LOCATIONS:
        if holder_role and holder_role not in org.staff:
            continue  # no technician here, so no van
        if organization.country != "IR":
            name = content.OTHER_WAREHOUSE
        location = stock_location_create(
            organization=organization,
            name=name,
            kind=kind,
            holder=org.staff.get(holder_role) if holder_role else None,
            keeper=org.staff.get("supervisor", admin),
        )
        for sku, (quantity, reorder_point) in stock.items():
            stock_receive(
                location=location,
                part=parts[sku],
                quantity=quantity,
                reason="Opening stock",
                actor=admin,
                reference="OPEN-1",
            )
            stock_level_reorder_set(
                location=location,
                part=parts[sku],
                reorder_point=reorder_point,
                reorder_quantity=reorder_point * 3,
            )


def unit_for_request(
    *,
    rng: random.Random,
    org: "SeededOrg",
    party: "Party",
    product_model: ProductModel,
    serial: str,
    purchase_date: datetime.date | None,
    seller: str,
    installed: bool,
) -> Unit | None:
    """The customer's registered unit a request is about, registered when they bought it (the
    registration is backdated: the demo's customers registered in time, most of them)."""
    existing = Unit.objects.filter(
        organization=org.organization, serial_key=serial_key(serial)
    ).first()
    if existing is not None:
        return existing if existing.customer_id == party.customer.pk else None
    purchase_date = purchase_date or timezone.localdate() - datetime.timedelta(
        days=rng.randint(60, 500)
    )
    installation_date = purchase_date + datetime.timedelta(days=rng.randint(1, 6))
    if installation_date > timezone.localdate():
        installation_date = None
    unit = unit_register(
        organization=org.organization,
        product_model=product_model,
        serial_number=serial,
        customer=party.customer,
        source=Unit.Source.PORTAL if party.user else Unit.Source.CONSOLE,
        actor=party.user or org.staff.get("agent", org.staff["admin"]),
        purchase_date=purchase_date,
        seller=seller,
        invoice_reference=f"INV-{rng.randrange(10**6):06d}",
        delivery_date=purchase_date,
        installation_date=installation_date if installed else None,
    )
    # One in twelve registered late, as some customers do; the rest within days of buying.
    late = rng.random() < 1 / 12
    registered = datetime.datetime.combine(
        purchase_date
        + datetime.timedelta(days=rng.randint(70, 200) if late else rng.randint(0, 9)),
        datetime.time(11, 30),
        tzinfo=datetime.UTC,
    )
    Unit.objects.filter(pk=unit.pk).update(registered_at=min(registered, timezone.now()))
    if not late and rng.random() < 0.2:
        unit.refresh_from_db()
        contract_extend(
            unit=unit,
            months=12,
            price=Decimal(rng.choice([9_000_000, 12_000_000, 18_000_000])),
            reference=f"EXT-{rng.randrange(10**5):05d}",
            actor=org.staff.get("agent", org.staff["admin"]),
        )
    return unit


def stock_locations(org: "SeededOrg") -> list[StockLocation]:
    """The organization's stock locations, warehouse first."""
    return list(StockLocation.objects.filter(organization=org.organization).order_by("kind", "pk"))


# The stage each demo work order is walked to, in turn, so the workshop shows every one.
STAGE_CYCLE = (
    "received",
    "diagnosing",
    "awaiting_approval",
    "awaiting_parts",
    "in_repair",
    "in_repair",
    "ready",
    "delivered",
    "closed",
    "cancelled",
    "diagnosing",
    "received",
)
WORK_KINDS = {"repair", "warranty_claim", "installation", "maintenance"}
ON_SITE_CATEGORIES = {"Washing machines", "Refrigerators", "Air conditioners"}


def seed_work_orders(*, rng: random.Random, org: "SeededOrg", limit: int = 36) -> int:
    """Work orders on the open requests about a registered unit, walked to every stage (a
    quote waiting for the customer, parts reserved, used, waiting for stock, a visit today)."""
    from aftercare.repairs.models import WorkOrder
    from aftercare.tickets.models import Ticket

    technician = org.staff.get("technician") or org.staff["admin"]
    supervisor = org.staff.get("supervisor") or org.staff["admin"]
    warehouse, *vans = stock_locations(org)
    tickets = list(
        Ticket.objects.filter(
            organization=org.organization, is_open=True, unit__isnull=False, kind__in=WORK_KINDS
        )
        .select_related("unit__product_model", "customer")
        .order_by("number")[:limit]
    )
    for index, ticket in enumerate(tickets):
        category = ticket.unit.product_model.category
        if ticket.kind == "installation":
            kind = WorkOrder.Kind.INSTALLATION
        elif ticket.kind == "maintenance":
            kind = WorkOrder.Kind.MAINTENANCE
        elif category in ON_SITE_CATEGORIES and index % 3:
            kind = WorkOrder.Kind.ON_SITE
        else:
            kind = WorkOrder.Kind.SERVICE_CENTRE
        on_site = kind != WorkOrder.Kind.SERVICE_CENTRE
        location = vans[0] if on_site and vans else warehouse
        _walk(
            rng=rng,
            ticket=ticket,
            kind=kind,
            location=location,
            technician=technician,
            supervisor=supervisor,
            target=STAGE_CYCLE[index % len(STAGE_CYCLE)],
            visit=on_site,
        )
    return len(tickets)


def _walk(*, rng, ticket, kind, location, technician, supervisor, target, visit) -> None:
    """Open a work order on the request and take it to `target` the way the workshop would."""
    from aftercare.catalog.models import FaultCode
    from aftercare.repairs.models import PartLine, WorkOrder
    from aftercare.repairs.services import (
        labour_add,
        part_add,
        part_release,
        part_use,
        quote_send,
        visit_schedule,
        work_order_billing_set,
        work_order_claim_approve,
        work_order_claim_reject,
        work_order_diagnose,
        work_order_open,
        work_order_stage_set,
        work_order_work_done_set,
    )

    Stage = WorkOrder.Stage
    model = ticket.unit.product_model
    faults = list(FaultCode.objects.filter(product_models=model).order_by("code"))
    parts = list(model.spare_parts.filter(is_active=True).order_by("sku"))
    work_order = work_order_open(
        ticket=ticket,
        kind=kind,
        actor=supervisor,
        technician=technician,
        stock_location=location,
        reported_fault=faults[0] if faults else None,
    )
    if visit:
        start = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(
            hours=rng.randint(1, 30)
        )
        visit_schedule(
            work_order=work_order,
            technician=technician,
            window_start=start,
            window_end=start + datetime.timedelta(hours=2),
            address=ticket.customer.name + ", " + rng.choice(content.ADDRESSES),
            actor=supervisor,
        )
    if target == Stage.RECEIVED:
        return
    work_order = work_order_stage_set(
        work_order=work_order, stage=Stage.DIAGNOSING, actor=technician
    )
    if target == Stage.DIAGNOSING:
        return
    work_order = work_order_diagnose(
        work_order=work_order,
        diagnosis=rng.choice(content.DIAGNOSES),
        root_cause=faults[-1] if faults else None,
        actor=technician,
    )
    if work_order.claim_id and target in (Stage.IN_REPAIR, Stage.READY, Stage.DELIVERED):
        work_order = work_order_claim_approve(work_order=work_order, actor=supervisor)
    elif work_order.claim_id and target == Stage.CLOSED and rng.random() < 0.5:
        work_order = work_order_claim_reject(
            work_order=work_order, reason=content.CLAIM_REJECTION, actor=supervisor
        )
    if target == Stage.CANCELLED:
        work_order_stage_set(
            work_order=work_order,
            stage=Stage.CANCELLED,
            actor=supervisor,
            note="The customer chose to replace the unit.",
        )
        return
    line = None
    if parts:
        part = parts[rng.randrange(len(parts))]
        if target == Stage.AWAITING_PARTS:
            # The part is out of stock (its line waits), or reserved while the supplier's
            # delivery of the rest is awaited: either way the repair waits for parts.
            part_add(work_order=work_order, part=part, quantity=1, actor=technician)
            work_order_stage_set(
                work_order=work_order,
                stage=Stage.AWAITING_PARTS,
                actor=technician,
                note="Waiting for the supplier's delivery.",
            )
            return
        line = part_add(work_order=work_order, part=part, quantity=1, actor=technician)
        if line.status == PartLine.Status.WAITING and target != Stage.IN_REPAIR:
            # The van is out of it: let the line go rather than hold the repair up.
            part_release(part_line=line, actor=technician)
            line = None
    labour_add(
        work_order=work_order,
        minutes=rng.choice([30, 45, 60, 90]),
        description=rng.choice(content.LABOUR),
        actor=technician,
    )
    if target == Stage.AWAITING_APPROVAL:
        work_order.refresh_from_db()
        if work_order.billing != WorkOrder.Billing.CUSTOMER:
            work_order_billing_set(
                work_order=work_order, billing=WorkOrder.Billing.CUSTOMER, actor=supervisor
            )
        quote_send(work_order=work_order, actor=technician, include_travel=visit)
        return
    if target == Stage.AWAITING_PARTS:
        work_order_stage_set(work_order=work_order, stage=Stage.AWAITING_PARTS, actor=technician)
        return
    work_order = work_order_stage_set(
        work_order=work_order, stage=Stage.IN_REPAIR, actor=technician
    )
    if target == Stage.IN_REPAIR:
        return
    if line is not None and line.status == PartLine.Status.RESERVED:
        serial = f"P{rng.randrange(10**8):08d}" if line.part.is_serialised else ""
        part_use(part_line=line, actor=technician, serial_number=serial)
    work_order_work_done_set(
        work_order=work_order, work_done=rng.choice(content.WORK_DONE), actor=technician
    )
    for stage in (Stage.READY, Stage.DELIVERED, Stage.CLOSED):
        work_order = work_order_stage_set(work_order=work_order, stage=stage, actor=technician)
        if target == stage:
            return
