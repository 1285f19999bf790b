"""API v1: registered units: list, register, read, correct, transfer, coverage, import."""

import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.responses import Status as Answer

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
    responses,
)
from aftercare.catalog.selectors import fault_code_for_input, product_model_for_input
from aftercare.customers.selectors import customer_for_input
from aftercare.warranty.coverage import coverage_check
from aftercare.warranty.imports import units_import
from aftercare.warranty.models import Unit
from aftercare.warranty.selectors import UNIT_OWNERS, unit_get, unit_page, unit_transfers
from aftercare.warranty.services.units import unit_register, unit_transfer, unit_update

units_router = Router(tags=["units"])

OwnerFilter = Literal[UNIT_OWNERS]


class UnitModelOut(Schema):
    """The product model of a unit."""

    id: int
    name: str
    sku: str


class UnitOut(Schema):
    """A registered unit: one serial of one model, its sale, dates and owner."""

    id: int
    serial_number: str = Field(description="As typed, with ASCII digits.")
    product_model: UnitModelOut
    customer: RefOut | None = Field(description="The owner; null when known from sales only.")
    is_sold_by_us: bool = Field(description="False: bought elsewhere, serviced for a fee.")
    purchase_date: datetime.date | None
    seller: str
    invoice_reference: str
    delivery_date: datetime.date | None
    installation_date: datetime.date | None
    source: str = Field(description="portal, console, api or import.")
    registered_at: datetime.datetime | None
    transferred_on: datetime.date | None = Field(description="The day it last changed hands.")
    has_proof_of_purchase: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_has_proof_of_purchase(obj) -> bool:
        return bool(obj.proof_of_purchase)


class UnitPageOut(Schema):
    """One page of units."""

    items: list[UnitOut]
    next_cursor: str | None


class UnitListQuery(PageQuery):
    """Filters of the unit list."""

    search: Text(64) = Field("", description="The start of a serial, typed any way.")
    customer_id: Id | None = None
    product_model_id: Id | None = None
    owner: OwnerFilter = Field("any", description="any, owned, or unowned (from sales only).")


class UnitCreateIn(BodySchema):
    """A unit to register; a serial already registered is 422 on `serial_number`, unless it came
    from sales without an owner and `customer_id` names one: then they become its owner."""

    product_model_id: Id
    serial_number: Text(64, min_length=1)
    customer_id: Id | None = None
    purchase_date: IsoDate | None = None
    seller: Text(200) = ""
    invoice_reference: Text(100) = ""
    delivery_date: IsoDate | None = None
    installation_date: IsoDate | None = None
    is_sold_by_us: bool = True


class UnitUpdateIn(BodySchema):
    """Fields to correct; only those sent change, and null clears a date."""

    product_model_id: Id = None
    serial_number: Text(64, min_length=1) = None
    purchase_date: IsoDate | None = None
    seller: Text(200) = None
    invoice_reference: Text(100) = None
    delivery_date: IsoDate | None = None
    installation_date: IsoDate | None = None
    is_sold_by_us: bool = None


class UnitTransferIn(BodySchema):
    """The new owner and the day the unit changed hands."""

    customer_id: Id
    transferred_on: IsoDate
    note: Text(500) = ""


class UnitTransferOut(Schema):
    """A change of owner."""

    id: int
    from_customer: RefOut | None
    to_customer: RefOut
    transferred_on: datetime.date
    note: str
    created_at: datetime.datetime


class UnitCoverageQuery(Schema):
    """The day of the fault and, optionally, its code."""

    on: IsoDate | None = Field(None, description="The day; today when omitted.")
    fault_code_id: Id | None = Field(None, description="The fault, for the policy's exclusions.")


class UnitCoverageOut(Schema):
    """Whether the unit is covered on that day: by what and until when, or why not."""

    covered: bool
    by: str = Field(description="standard, extended, goodwill, or '' when not covered.")
    contract_id: int | None
    starts_on: datetime.date | None
    until: datetime.date | None = Field(
        description="The cover's last day (when not covered, that of the closest cover)."
    )
    covers_parts: bool
    covers_labour: bool
    covers_travel: bool
    reason: str = Field(
        description="'' when covered, else no_policy, not_sold_by_us, no_start_date, "
        "not_started, expired, registered_too_late, transferred or excluded_fault."
    )
    reason_text: str


class ImportErrorOut(Schema):
    """A bad row: its line (the header is line 1), the column at fault, and why."""

    line: int
    field: str
    message: str


class ImportReportOut(Schema):
    """What an import did (or, on a dry run, would do)."""

    dry_run: bool
    rows: int = Field(description="Rows read, the header and empty rows not counted.")
    new: int = Field(description="Rows that are new units (imported, or to import).")
    unchanged: int = Field(description="Rows already registered exactly as they are.")
    imported: int = Field(description="Units written; 0 on a dry run.")
    failed: int
    errors: list[ImportErrorOut]


def _unit_answer(organization, unit_id: int) -> Unit:
    return unit_get(organization=organization, unit_id=unit_id)


@units_router.get("/", response=responses({200: UnitPageOut}, LIST), summary="List units")
def unit_list_api(request: HttpRequest, filters: Query[UnitListQuery]):
    """Units, newest first: by the start of a serial, owner, model."""
    return unit_page(
        organization=request.organization,
        search=filters.search,
        customer_id=filters.customer_id,
        product_model_id=filters.product_model_id,
        owner=filters.owner,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@units_router.post("/", response=responses({201: UnitOut}, CREATE), summary="Register a unit")
def unit_create_api(request: HttpRequest, payload: UnitCreateIn):
    """Register a unit (for a customer, or from sales without one)."""
    organization = request.organization
    product_model = product_model_for_input(
        organization=organization, product_model_id=payload.product_model_id
    )
    customer = (
        None
        if payload.customer_id is None
        else customer_for_input(organization=organization, customer_id=payload.customer_id)
    )
    unit = unit_register(
        organization=organization,
        product_model=product_model,
        serial_number=payload.serial_number,
        customer=customer,
        source=Unit.Source.API,
        actor=request.auth,
        purchase_date=payload.purchase_date,
        seller=payload.seller,
        invoice_reference=payload.invoice_reference,
        delivery_date=payload.delivery_date,
        installation_date=payload.installation_date,
        is_sold_by_us=payload.is_sold_by_us,
    )
    return Answer(201, _unit_answer(organization, unit.pk))


@units_router.post(
    "/import", response=responses({200: ImportReportOut}, CREATE), summary="Import units"
)
def unit_import_api(request: HttpRequest, file: File[UploadedFile], dry_run: Form[bool] = False):
    """Import a sales export (multipart `file`, CSV or XLSX; admins and supervisors). Every bad
    row is reported with its line and column; `dry_run` checks the file and imports nothing."""
    report = units_import(
        organization=request.organization, upload=file, dry_run=dry_run, actor=request.auth
    )
    return report.as_dict()


@units_router.get("/{unit_id}", response=responses({200: UnitOut}, READ), summary="Get a unit")
def unit_get_api(request: HttpRequest, unit_id: Id):
    """One unit."""
    return _unit_answer(request.organization, unit_id)


@units_router.patch("/{unit_id}", response=responses({200: UnitOut}, WRITE), summary="Correct")
def unit_update_api(request: HttpRequest, unit_id: Id, payload: UnitUpdateIn):
    """Correct the fields sent; owners change through the transfer."""
    organization = request.organization
    unit = unit_get(organization=organization, unit_id=unit_id)
    changes = payload.model_dump(exclude_unset=True)
    if "product_model_id" in changes:
        changes["product_model"] = product_model_for_input(
            organization=organization, product_model_id=changes.pop("product_model_id")
        )
    unit_update(unit=unit, actor=request.auth, **changes)
    return _unit_answer(organization, unit_id)


@units_router.post(
    "/{unit_id}/transfer",
    response=responses({201: UnitTransferOut}, WRITE),
    summary="Change owner",
)
def unit_transfer_api(request: HttpRequest, unit_id: Id, payload: UnitTransferIn):
    """Give the unit to another customer from a day; kept in its history."""
    organization = request.organization
    unit = unit_get(organization=organization, unit_id=unit_id)
    to_customer = customer_for_input(organization=organization, customer_id=payload.customer_id)
    transfer = unit_transfer(
        unit=unit,
        to_customer=to_customer,
        on=payload.transferred_on,
        note=payload.note,
        actor=request.auth,
    )
    transfer.from_customer = unit.customer
    return Answer(201, transfer)


@units_router.get(
    "/{unit_id}/transfers",
    response=responses({200: list[UnitTransferOut]}, READ),
    summary="Owners",
)
def unit_transfer_list_api(request: HttpRequest, unit_id: Id):
    """The unit's changes of owner, oldest first."""
    unit = unit_get(organization=request.organization, unit_id=unit_id)
    return unit_transfers(unit=unit)


@units_router.get(
    "/{unit_id}/coverage",
    response=responses({200: UnitCoverageOut}, READ),
    summary="Coverage of a unit",
)
def unit_coverage_api(request: HttpRequest, unit_id: Id, query: Query[UnitCoverageQuery]):
    """Whether the unit is covered on a day (today by default), for a fault if given."""
    organization = request.organization
    unit = unit_get(organization=organization, unit_id=unit_id)
    fault_code = (
        None
        if query.fault_code_id is None
        else fault_code_for_input(organization=organization, fault_code_id=query.fault_code_id)
    )
    coverage = coverage_check(unit=unit, on=query.on or timezone.localdate(), fault_code=fault_code)
    return coverage.as_dict()
