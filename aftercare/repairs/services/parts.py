"""Spare parts of a work order: reserved at a stock location (or waiting for stock), fitted
(the stock ledger records the consumption), or let go."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import User
from aftercare.catalog.models import SparePart
from aftercare.inventory.models import StockLocation
from aftercare.inventory.services import reservation_consume, stock_free, stock_reserve
from aftercare.lib.errors import ApplicationError
from aftercare.repairs.events import Action, work_order_event
from aftercare.repairs.models import PartLine, WorkOrder
from aftercare.repairs.services.common import (
    location_check,
    lock,
    move,
    part_check,
    part_data,
    release_line,
    van_of,
)
from aftercare.repairs.stages import WORKING_STAGES, Stage
from aftercare.warranty.serials import serial_clean

QUANTITY_MAX = 1000

# Parts are asked for until the work is ready.
_PART_STAGES = frozenset(
    {
        Stage.RECEIVED,
        Stage.DIAGNOSING,
        Stage.AWAITING_APPROVAL,
        Stage.AWAITING_PARTS,
        Stage.IN_REPAIR,
    }
)


def _try_reserve(line: PartLine, work_order: WorkOrder, actor: User | None) -> bool:
    """Reserve a line's parts at its location; False when the free stock is short."""
    try:
        reservation = stock_reserve(
            location=line.location,
            part=line.part,
            quantity=line.quantity,
            work_order_id=work_order.pk,
            reference=work_order.reference,
            actor=actor,
        )
    except ApplicationError as error:
        if error.field != "quantity":
            raise
        return False
    line.reservation = reservation
    line.status = PartLine.Status.RESERVED
    return True


@transaction.atomic
def part_add(
    *,
    work_order: WorkOrder,
    part: SparePart,
    quantity: int = 1,
    actor: User | None,
    location: StockLocation | None = None,
) -> PartLine:
    """Ask for a part for a work order, reserved at `location` (else the work order's stock
    location, else its technician's van). When that location is short of it the line waits
    for stock, and a work order in repair waits for parts."""
    valid = isinstance(quantity, int) and not isinstance(quantity, bool)
    if not valid or not 1 <= quantity <= QUANTITY_MAX:
        raise ApplicationError(
            _("Enter a quantity from 1 to %(max)s.") % {"max": QUANTITY_MAX}, field="quantity"
        )
    if part.is_serialised and quantity != 1:
        raise ApplicationError(
            _("A part tracked by serial number is added one at a time."), field="quantity"
        )
    work_order = lock(work_order)
    part_check(work_order, part, field="part_id")
    if work_order.stage not in _PART_STAGES:
        raise ApplicationError(
            _("Parts are asked for while the work is under way, not once it is ready."),
            field="stage",
        )
    organization = work_order.organization
    location_check(organization, location, field="location_id")
    if location is None and work_order.stock_location_id is not None:
        location = work_order.stock_location
        location_check(organization, location, field="location_id")
    location = location or van_of(organization, work_order.technician)
    if location is None:
        raise ApplicationError(_("Choose where the part is taken from."), field="location_id")
    line = PartLine(
        organization_id=work_order.organization_id,
        work_order=work_order,
        part=part,
        quantity=quantity,
        unit_price=part.price,
        location=location,
        status=PartLine.Status.WAITING,
    )
    reserved = _try_reserve(line, work_order, actor)
    line.save()
    action = Action.PART_RESERVED if reserved else Action.PART_WAITING
    work_order_event(work_order=work_order, actor=actor, action=action, **part_data(line))
    if not reserved and work_order.stage == Stage.IN_REPAIR:
        move(work_order, Stage.AWAITING_PARTS, actor)
    return line


def _lock_line(part_line: PartLine) -> tuple[PartLine, WorkOrder]:
    work_order = lock(part_line.work_order)
    line = (
        PartLine.objects.select_for_update(of=("self",))
        .select_related("part", "location", "reservation")
        .get(pk=part_line.pk)
    )
    line.work_order = work_order
    return line, work_order


@transaction.atomic
def part_reserve(*, part_line: PartLine, actor: User | None) -> PartLine:
    """Try again to reserve a part that waits for stock (stock came in)."""
    line, work_order = _lock_line(part_line)
    if line.status != PartLine.Status.WAITING:
        raise ApplicationError(_("This part does not wait for stock."), field="status")
    if not _try_reserve(line, work_order, actor):
        free = stock_free(location=line.location, part=line.part)
        raise ApplicationError(
            _("Still short: %(free)s free at %(location)s.")
            % {"free": free, "location": line.location.name},
            field="quantity",
        )
    line.save(update_fields=["reservation", "status"])
    work_order_event(
        work_order=work_order, actor=actor, action=Action.PART_RESERVED, **part_data(line)
    )
    return line


@transaction.atomic
def part_use(*, part_line: PartLine, actor: User | None, serial_number: str = "") -> PartLine:
    """Fit a part: its reservation is consumed, so the stock ledger shows it gone. A part
    waiting for stock is reserved first if the stock is there now. A part tracked by serial
    number needs the serial of the piece fitted."""
    line, work_order = _lock_line(part_line)
    if line.status not in (PartLine.Status.RESERVED, PartLine.Status.WAITING):
        raise ApplicationError(_("This part was already used or let go."), field="status")
    if work_order.stage not in WORKING_STAGES:
        raise ApplicationError(
            _("Parts are fitted while the work order is being diagnosed or repaired."),
            field="stage",
        )
    serial = ""
    if line.part.is_serialised:
        serial = serial_clean(serial_number)
        if not serial:
            raise ApplicationError(
                _("Enter the serial number of the part fitted."), field="serial_number"
            )
        if len(serial) > 64:
            raise ApplicationError(
                _("Too long: %(max)s characters at most.") % {"max": 64}, field="serial_number"
            )
    if line.status == PartLine.Status.WAITING and not _try_reserve(line, work_order, actor):
        raise ApplicationError(
            _("%(location)s is still short of this part.") % {"location": line.location.name},
            field="quantity",
        )
    reservation_consume(
        reservation=line.reservation,
        actor=actor,
        reason=_("Fitted on %(reference)s") % {"reference": work_order.reference},
    )
    line.status = PartLine.Status.USED
    line.serial_number = serial
    line.used_at = timezone.now()
    line.save(update_fields=["reservation", "status", "serial_number", "used_at"])
    work_order_event(
        work_order=work_order,
        actor=actor,
        action=Action.PART_USED,
        serial_number=serial,
        **part_data(line),
    )
    return line


@transaction.atomic
def part_release(*, part_line: PartLine, actor: User | None) -> PartLine:
    """Let go of a part not needed after all: reserved stock is free again."""
    line, work_order = _lock_line(part_line)
    if line.status not in (PartLine.Status.RESERVED, PartLine.Status.WAITING):
        raise ApplicationError(_("This part was already used or let go."), field="status")
    release_line(line, actor)
    work_order_event(
        work_order=work_order, actor=actor, action=Action.PART_RELEASED, **part_data(line)
    )
    return line
