"""API v1: stock locations, stock levels and reorder points, the stock ledger and its moves, and
reservations. Every member reads; admins and supervisors write."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from aftercare.accounts.selectors import member_get
from aftercare.api.schemas import (
    CREATE,
    LIST,
    READ,
    WRITE,
    BodySchema,
    Id,
    IsoDate,
    PageQuery,
    RefOut,
    Text,
    UserRefOut,
    responses,
)
from aftercare.inventory.models import Reservation, StockLocation, StockMove
from aftercare.inventory.selectors import (
    LOCATION_STATUSES,
    reservation_get,
    reservation_page,
    spare_part_for_input,
    stock_level_find,
    stock_level_get,
    stock_level_page,
    stock_location_for_input,
    stock_location_get,
    stock_location_page,
    stock_move_get,
    stock_move_page,
)
from aftercare.inventory.services import (
    ON_HAND_MAX,
    QUANTITY_MAX,
    stock_adjust,
    stock_count,
    stock_level_reorder_set,
    stock_location_create,
    stock_location_update,
    stock_receive,
    stock_transfer,
)
from aftercare.lib.errors import ApplicationError

locations_router = Router(tags=["stock"])
levels_router = Router(tags=["stock"])
moves_router = Router(tags=["stock"])
reservations_router = Router(tags=["stock"])

LocationKind = Literal[tuple(StockLocation.Kind.values)]
LocationKindFilter = Literal[("", *StockLocation.Kind.values)]
LocationStatus = Literal[LOCATION_STATUSES]
MoveKind = Literal[tuple(StockMove.Kind.values)]
MoveKindFilter = Literal[("", *StockMove.Kind.values)]
ReservationStatus = Literal[tuple(Reservation.Status.values)]
ReservationStatusFilter = Literal[("", *Reservation.Status.values)]
Quantity = Annotated[int, Field(ge=1, le=QUANTITY_MAX)]
Change = Annotated[int, Field(ge=-QUANTITY_MAX, le=QUANTITY_MAX)]
Amount = Annotated[int, Field(ge=0, le=ON_HAND_MAX)]


class PartRefOut(Schema):
    """A spare part named by id, SKU and name."""

    id: int
    sku: str
    name: str


class StockLocationOut(Schema):
    """A warehouse or a technician's van."""

    id: int
    name: str
    kind: LocationKind
    holder: UserRefOut | None = Field(description="The technician whose van it is.")
    keeper: UserRefOut | None = Field(description="Told when a part falls to its reorder point.")
    is_active: bool
    created_at: datetime.datetime


class StockLocationPageOut(Schema):
    """One page of stock locations."""

    items: list[StockLocationOut]
    next_cursor: str | None


class StockLocationIn(BodySchema):
    """A new location; a van names its technician (`holder_id`), a warehouse none."""

    name: Text(200, min_length=1)
    kind: LocationKind = "warehouse"
    holder_id: Id | None = None
    keeper_id: Id | None = None


class StockLocationUpdateIn(BodySchema):
    """Fields to change; null clears the technician or the keeper."""

    name: Text(200, min_length=1) = None
    kind: LocationKind = None
    holder_id: Id | None = None
    keeper_id: Id | None = None
    is_active: bool = None


class StockLocationListQuery(PageQuery):
    """Filters of the location list."""

    kind: LocationKindFilter = ""
    status: LocationStatus = "active"
    search: Text(200) = Field("", description="Part of the name.")


class StockLevelOut(Schema):
    """What a location holds of a part."""

    id: int
    location: RefOut
    part: PartRefOut
    on_hand: int
    reserved: int
    free: int = Field(description="On hand and not reserved.")
    reorder_point: int | None
    reorder_quantity: int | None
    low_since: datetime.datetime | None = Field(
        description="Since when free stock is at or below the reorder point."
    )
    updated_at: datetime.datetime


class StockLevelPageOut(Schema):
    """One page of stock levels."""

    items: list[StockLevelOut]
    next_cursor: str | None


class StockLevelListQuery(PageQuery):
    """Filters of the level list: a location's by SKU, a part's by location, the low ones
    longest low first."""

    location_id: Id | None = None
    part_id: Id | None = None
    low: bool = Field(False, description="Only levels at or below their reorder point.")


class ReorderIn(BodySchema):
    """A part's reorder point and quantity at a location; null clears either."""

    location_id: Id
    part_id: Id
    reorder_point: Amount | None = None
    reorder_quantity: Annotated[int, Field(ge=1, le=ON_HAND_MAX)] | None = None


class StockMoveOut(Schema):
    """One line of the stock ledger."""

    id: int
    location: RefOut
    part: PartRefOut
    kind: MoveKind
    quantity: int = Field(description="Signed: positive in, negative out.")
    balance_after: int = Field(description="On hand at the location after the move.")
    reason: str
    reference: str
    work_order_id: int | None
    actor: UserRefOut | None
    created_at: datetime.datetime


class StockMovePageOut(Schema):
    """One page of the ledger, newest first."""

    items: list[StockMoveOut]
    next_cursor: str | None


class StockMoveListQuery(PageQuery):
    """Filters of the ledger; days are the organization's, both included."""

    location_id: Id | None = None
    part_id: Id | None = None
    kind: MoveKindFilter = ""
    since: IsoDate | None = None
    until: IsoDate | None = None


class ReceiptIn(BodySchema):
    """Parts that came into a location."""

    location_id: Id
    part_id: Id
    quantity: Quantity
    reason: Text(500, min_length=1)
    reference: Text(100) = ""


class AdjustmentIn(BodySchema):
    """A correction up (positive) or down (negative), never below the free stock."""

    location_id: Id
    part_id: Id
    quantity: Change
    reason: Text(500, min_length=1)


class TransferIn(BodySchema):
    """Free stock moved from one location to another."""

    source_id: Id
    destination_id: Id
    part_id: Id
    quantity: Quantity
    reason: Text(500, min_length=1)


class TransferOut(Schema):
    """The two lines a transfer writes."""

    out_move: StockMoveOut
    in_move: StockMoveOut


class CountIn(BodySchema):
    """What a count found on the shelf; never below what is reserved."""

    location_id: Id
    part_id: Id
    counted: Amount
    reason: Text(500) = Field("", description="Empty: “Stock count”.")


class CountOut(Schema):
    """The count's line in the ledger (null when the count agreed), and the stock after."""

    move: StockMoveOut | None
    on_hand: int


class ReservationOut(Schema):
    """Parts held at a location for a work order."""

    id: int
    location: RefOut
    part: PartRefOut
    quantity: int
    work_order_id: int | None
    reference: str
    status: ReservationStatus
    created_at: datetime.datetime
    closed_at: datetime.datetime | None


class ReservationPageOut(Schema):
    """One page of reservations, newest first."""

    items: list[ReservationOut]
    next_cursor: str | None


class ReservationListQuery(PageQuery):
    """Filters of the reservation list."""

    location_id: Id | None = None
    part_id: Id | None = None
    status: ReservationStatusFilter = ""
    work_order_id: Id | None = None


# The services name the objects they were given; the API's inputs name them by id.
_INPUT_NAMES = {
    "part": "part_id",
    "location": "location_id",
    "destination": "destination_id",
    "holder": "holder_id",
    "keeper": "keeper_id",
}


@contextmanager
def _input_names() -> Iterator[None]:
    """A service's refusal, naming the field as this API's input calls it."""
    try:
        yield
    except ApplicationError as error:
        error.field = _INPUT_NAMES.get(error.field or "", error.field)
        raise


def _member(request: HttpRequest, user_id: int | None, field: str):
    if user_id is None:
        return None
    return member_get(organization=request.organization, user_id=user_id, field=field)


def _location(request: HttpRequest, location_id: int, field: str = "location_id"):
    return stock_location_for_input(
        organization=request.organization, location_id=location_id, field=field
    )


def _part(request: HttpRequest, part_id: int):
    return spare_part_for_input(organization=request.organization, part_id=part_id)


def _move_out(request: HttpRequest, move: StockMove) -> StockMove:
    """A move the service wrote, read back with its location, part and actor."""
    return stock_move_get(organization=request.organization, move_id=move.pk)


@locations_router.get(
    "/", response=responses({200: StockLocationPageOut}, LIST), summary="List stock locations"
)
def stock_location_list_api(request: HttpRequest, filters: Query[StockLocationListQuery]):
    """Locations by name."""
    return stock_location_page(
        organization=request.organization,
        kind=filters.kind,
        status=filters.status,
        search=filters.search,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@locations_router.post(
    "/", response=responses({201: StockLocationOut}, CREATE), summary="Create a stock location"
)
def stock_location_create_api(request: HttpRequest, payload: StockLocationIn):
    """A warehouse or a van (admins and supervisors only)."""
    holder = _member(request, payload.holder_id, "holder_id")
    keeper = _member(request, payload.keeper_id, "keeper_id")
    with _input_names():
        location = stock_location_create(
            organization=request.organization,
            name=payload.name,
            kind=payload.kind,
            holder=holder,
            keeper=keeper,
        )
    return Answer(201, location)


@locations_router.get(
    "/{location_id}", response=responses({200: StockLocationOut}, READ), summary="Get a location"
)
def stock_location_get_api(request: HttpRequest, location_id: Id):
    """One stock location."""
    return stock_location_get(organization=request.organization, location_id=location_id)


@locations_router.patch(
    "/{location_id}",
    response=responses({200: StockLocationOut}, WRITE),
    summary="Update a stock location",
)
def stock_location_update_api(
    request: HttpRequest, location_id: Id, payload: StockLocationUpdateIn
):
    """Change the fields sent; `is_active: false` retires a location (never deleted)."""
    location = stock_location_get(organization=request.organization, location_id=location_id)
    sent = payload.model_dump(exclude_unset=True)
    holder = (
        _member(request, sent["holder_id"], "holder_id") if "holder_id" in sent else location.holder
    )
    keeper = (
        _member(request, sent["keeper_id"], "keeper_id") if "keeper_id" in sent else location.keeper
    )
    with _input_names():
        return stock_location_update(
            location=location,
            name=sent.get("name") or location.name,
            kind=sent.get("kind") or location.kind,
            holder=holder,
            keeper=keeper,
            is_active=location.is_active if sent.get("is_active") is None else sent["is_active"],
        )


@levels_router.get(
    "/", response=responses({200: StockLevelPageOut}, LIST), summary="List stock levels"
)
def stock_level_list_api(request: HttpRequest, filters: Query[StockLevelListQuery]):
    """Levels with their location and part."""
    return stock_level_page(
        organization=request.organization,
        location_id=filters.location_id,
        part_id=filters.part_id,
        low_only=filters.low,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@levels_router.put(
    "/reorder", response=responses({200: StockLevelOut}, CREATE), summary="Set a reorder point"
)
def stock_level_reorder_api(request: HttpRequest, payload: ReorderIn):
    """When the location's keeper is told to reorder the part, and how many to order (admins
    and supervisors only); told at once if free stock already is at or below the point."""
    location = _location(request, payload.location_id)
    part = _part(request, payload.part_id)
    with _input_names():
        level = stock_level_reorder_set(
            location=location,
            part=part,
            reorder_point=payload.reorder_point,
            reorder_quantity=payload.reorder_quantity,
        )
    return stock_level_get(organization=request.organization, level_id=level.pk)


@levels_router.get(
    "/{level_id}", response=responses({200: StockLevelOut}, READ), summary="Get a stock level"
)
def stock_level_get_api(request: HttpRequest, level_id: Id):
    """One stock level."""
    return stock_level_get(organization=request.organization, level_id=level_id)


@moves_router.get(
    "/", response=responses({200: StockMovePageOut}, LIST), summary="List the stock ledger"
)
def stock_move_list_api(request: HttpRequest, filters: Query[StockMoveListQuery]):
    """The ledger, newest first."""
    return stock_move_page(
        organization=request.organization,
        location_id=filters.location_id,
        part_id=filters.part_id,
        kind=filters.kind,
        since=filters.since,
        until=filters.until,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@moves_router.post(
    "/receipts", response=responses({201: StockMoveOut}, CREATE), summary="Receive parts"
)
def stock_receipt_api(request: HttpRequest, payload: ReceiptIn):
    """Parts that came into a location (admins and supervisors only)."""
    location = _location(request, payload.location_id)
    part = _part(request, payload.part_id)
    with _input_names():
        move = stock_receive(
            location=location,
            part=part,
            quantity=payload.quantity,
            reason=payload.reason,
            reference=payload.reference,
            actor=request.auth,
        )
    return Answer(201, _move_out(request, move))


@moves_router.post(
    "/adjustments", response=responses({201: StockMoveOut}, CREATE), summary="Adjust stock"
)
def stock_adjustment_api(request: HttpRequest, payload: AdjustmentIn):
    """A correction with its reason (admins and supervisors only); never below the free stock."""
    location = _location(request, payload.location_id)
    part = _part(request, payload.part_id)
    with _input_names():
        move = stock_adjust(
            location=location,
            part=part,
            quantity=payload.quantity,
            reason=payload.reason,
            actor=request.auth,
        )
    return Answer(201, _move_out(request, move))


@moves_router.post(
    "/transfers", response=responses({201: TransferOut}, CREATE), summary="Transfer stock"
)
def stock_transfer_api(request: HttpRequest, payload: TransferIn):
    """Free stock from one location to another, both lines in one transaction (admins and
    supervisors only)."""
    source = _location(request, payload.source_id, "source_id")
    destination = _location(request, payload.destination_id, "destination_id")
    part = _part(request, payload.part_id)
    with _input_names():
        out_move, in_move = stock_transfer(
            source=source,
            destination=destination,
            part=part,
            quantity=payload.quantity,
            reason=payload.reason,
            actor=request.auth,
        )
    return Answer(
        201, {"out_move": _move_out(request, out_move), "in_move": _move_out(request, in_move)}
    )


@moves_router.post(
    "/counts", response=responses({200: CountOut}, CREATE), summary="Record a stock count"
)
def stock_count_api(request: HttpRequest, payload: CountIn):
    """What a count found becomes the stock on hand; the difference is the ledger's line
    (admins and supervisors only)."""
    location = _location(request, payload.location_id)
    part = _part(request, payload.part_id)
    with _input_names():
        move = stock_count(
            location=location,
            part=part,
            counted=payload.counted,
            reason=payload.reason,
            actor=request.auth,
        )
    level = stock_level_find(location=location, part=part)
    return {
        "move": _move_out(request, move) if move else None,
        "on_hand": level.on_hand if level else 0,
    }


@moves_router.get(
    "/{move_id}", response=responses({200: StockMoveOut}, READ), summary="Get a stock move"
)
def stock_move_get_api(request: HttpRequest, move_id: Id):
    """One line of the ledger."""
    return stock_move_get(organization=request.organization, move_id=move_id)


@reservations_router.get(
    "/", response=responses({200: ReservationPageOut}, LIST), summary="List reservations"
)
def reservation_list_api(request: HttpRequest, filters: Query[ReservationListQuery]):
    """Parts held for work orders, newest first."""
    return reservation_page(
        organization=request.organization,
        location_id=filters.location_id,
        part_id=filters.part_id,
        status=filters.status,
        work_order_id=filters.work_order_id,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@reservations_router.get(
    "/{reservation_id}",
    response=responses({200: ReservationOut}, READ),
    summary="Get a reservation",
)
def reservation_get_api(request: HttpRequest, reservation_id: Id):
    """One reservation."""
    return reservation_get(organization=request.organization, reservation_id=reservation_id)
