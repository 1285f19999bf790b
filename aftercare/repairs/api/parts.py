"""API v1: what a work order uses: labour logged and spare parts reserved, fitted or let go."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status as Answer

from aftercare.api.schemas import WRITE, BodySchema, Id, Text, UserRefOut, responses
from aftercare.catalog.selectors import spare_part_for_input
from aftercare.repairs.api.common import technician_or_none, work_order_or_404
from aftercare.repairs.models import PartLine
from aftercare.repairs.selectors import part_line_get, stock_location_for_input
from aftercare.repairs.services import labour_add, part_add, part_release, part_reserve, part_use
from aftercare.repairs.services.work_orders import LABOUR_MINUTES_MAX

# Mounted under the work orders' router, whose tags it takes (see the package's __init__).
parts_router = Router()

Quantity = Annotated[int, Field(ge=1, le=1000)]


class PartLineOut(Schema):
    """A spare part a work order needs: reserved, waiting for stock, used or released."""

    id: int
    part_id: int
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    location_id: int
    status: str = Field(description="reserved, waiting, used or released.")
    serial_number: str = Field(description="The serial of a serialised part fitted.")
    created_at: datetime.datetime
    used_at: datetime.datetime | None

    @staticmethod
    def resolve_sku(obj) -> str:
        return obj.part.sku

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.part.name


class LabourOut(Schema):
    """Time spent on a work order, at the labour rate of the moment."""

    id: int
    technician: UserRefOut
    minutes: int
    description: str
    rate: Decimal
    created_at: datetime.datetime


class LabourIn(BodySchema):
    """Time spent; by `technician_id`, else by the caller."""

    minutes: Annotated[int, Field(ge=1, le=LABOUR_MINUTES_MAX)]
    description: Text(500, min_length=1)
    technician_id: Id | None = None


class PartIn(BodySchema):
    """A spare part the work order needs; taken from `location_id`, else the work order's
    stock location, else its technician's van."""

    part_id: Id
    quantity: Quantity = 1
    location_id: Id | None = None


class PartUseIn(BodySchema):
    """Fitting a part: the serial of a serialised part is required."""

    serial_number: Text(64) = ""


@parts_router.post(
    "/{work_order_id}/labour",
    response=responses({201: LabourOut}, WRITE),
    summary="Log labour",
)
def work_order_labour_api(request: HttpRequest, work_order_id: Id, payload: LabourIn):
    """Time spent on the work order, at the organization's labour rate."""
    work_order = work_order_or_404(request, work_order_id)
    entry = labour_add(
        work_order=work_order,
        minutes=payload.minutes,
        description=payload.description,
        actor=request.user,
        technician=technician_or_none(request, payload.technician_id),
    )
    return Answer(201, entry)


def _part_line(request: HttpRequest, work_order_id: int, part_line_id: int) -> PartLine:
    work_order = work_order_or_404(request, work_order_id)
    return part_line_get(work_order=work_order, part_line_id=part_line_id)


@parts_router.post(
    "/{work_order_id}/parts",
    response=responses({201: PartLineOut}, WRITE),
    summary="Add a part",
)
def work_order_part_add_api(request: HttpRequest, work_order_id: Id, payload: PartIn):
    """Reserve a part for the work order; when the location is short of it the line waits
    for stock (status `waiting`), and a work order in repair waits for parts."""
    work_order = work_order_or_404(request, work_order_id)
    organization = request.organization
    part = spare_part_for_input(
        organization=organization, spare_part_id=payload.part_id, field="part_id"
    )
    location = None
    if payload.location_id is not None:
        location = stock_location_for_input(
            organization=organization, location_id=payload.location_id
        )
    line = part_add(
        work_order=work_order,
        part=part,
        quantity=payload.quantity,
        actor=request.user,
        location=location,
    )
    return Answer(201, line)


@parts_router.post(
    "/{work_order_id}/parts/{part_line_id}/use",
    response=responses({200: PartLineOut}, WRITE),
    summary="Fit a part",
)
def work_order_part_use_api(
    request: HttpRequest, work_order_id: Id, part_line_id: Id, payload: PartUseIn
):
    """The part was fitted: its reservation is consumed and the stock ledger shows it."""
    line = _part_line(request, work_order_id, part_line_id)
    return part_use(part_line=line, actor=request.user, serial_number=payload.serial_number)


@parts_router.post(
    "/{work_order_id}/parts/{part_line_id}/release",
    response=responses({200: PartLineOut}, WRITE),
    summary="Let a part go",
)
def work_order_part_release_api(request: HttpRequest, work_order_id: Id, part_line_id: Id):
    """The part is not needed after all: its reserved stock is free again."""
    line = _part_line(request, work_order_id, part_line_id)
    return part_release(part_line=line, actor=request.user)


@parts_router.post(
    "/{work_order_id}/parts/{part_line_id}/reserve",
    response=responses({200: PartLineOut}, WRITE),
    summary="Reserve a waiting part",
)
def work_order_part_reserve_api(request: HttpRequest, work_order_id: Id, part_line_id: Id):
    """Try again to reserve a part that waits for stock."""
    line = _part_line(request, work_order_id, part_line_id)
    return part_reserve(part_line=line, actor=request.user)
