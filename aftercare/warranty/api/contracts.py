"""API v1: warranty contracts (extended warranties sold, goodwill granted) and warranty
claims with their decisions."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from aftercare.api.schemas import (
    CREATE,
    LIST,
    READ,
    WRITE,
    Amount,
    BodySchema,
    Id,
    IsoDate,
    PageQuery,
    Text,
    responses,
)
from aftercare.catalog.selectors import fault_code_for_input
from aftercare.catalog.services.parts import PRICE_MAX
from aftercare.warranty.contract_selectors import (
    claim_get,
    claim_page,
    contract_get,
    contract_list_for_unit,
)
from aftercare.warranty.models import WarrantyClaim
from aftercare.warranty.selectors import unit_for_input, unit_get
from aftercare.warranty.services.claims import (
    REJECTION_REASON_MAX,
    claim_approve,
    claim_open,
    claim_reject,
)
from aftercare.warranty.services.contracts import (
    EXTENSION_MONTHS_MAX,
    contract_extend,
    contract_goodwill,
    contract_void,
)

contracts_router = Router(tags=["warranty"])
claims_router = Router(tags=["warranty"])

ClaimStatus = Literal[tuple(WarrantyClaim.Status.values)]


class ContractOut(Schema):
    """Cover beyond the standard warranty: an extended warranty sold, or goodwill granted."""

    id: int
    unit_id: int
    kind: str = Field(description='"extended" or "goodwill".')
    starts_on: datetime.date
    ends_on: datetime.date
    covers_parts: bool
    covers_labour: bool
    covers_travel: bool
    price: Decimal | None
    reference: str
    note: str
    voided_at: datetime.datetime | None
    created_at: datetime.datetime


class ContractListQuery(Schema):
    """Whose contracts."""

    unit_id: Id = Field(description="The unit.")


class ExtendedContractIn(BodySchema):
    """An extended warranty sold: it starts the day after the standard warranty (or the last
    extended one) ends, or on the day of the sale if that is later."""

    unit_id: Id
    months: Annotated[int, Field(ge=1, le=EXTENSION_MONTHS_MAX)]
    price: Amount = Field(gt=0, le=PRICE_MAX, max_digits=14, decimal_places=2)
    reference: Text(100) = ""
    note: Text(500) = ""
    covers_parts: bool = True
    covers_labour: bool = True
    covers_travel: bool = False


class GoodwillContractIn(BodySchema):
    """Goodwill granted: cover for any fault between two days (both included)."""

    unit_id: Id
    starts_on: IsoDate
    ends_on: IsoDate
    note: Text(500, min_length=1) = Field(description="Why it is granted.")
    covers_parts: bool = True
    covers_labour: bool = True
    covers_travel: bool = False


class ClaimOut(Schema):
    """A warranty claim and the decision on it; the customer sees a rejection's reason."""

    id: int
    unit_id: int
    ticket_id: int | None
    fault_code_id: int | None
    fault_on: datetime.date
    covered_by: str = Field(description="What covered the fault when the claim was last checked.")
    contract_id: int | None
    status: str
    rejection_reason: str
    decided_at: datetime.datetime | None
    decided_by_id: int | None
    created_at: datetime.datetime


class ClaimPageOut(Schema):
    """One page of warranty claims."""

    items: list[ClaimOut]
    next_cursor: str | None


class ClaimListQuery(PageQuery):
    """Filters of the claim list."""

    status: ClaimStatus | None = Field(None, description="Only claims in this status.")
    unit_id: Id | None = Field(None, description="Only this unit's claims.")
    ticket_id: Id | None = Field(None, description="Only the claims of this request.")


class ClaimIn(BodySchema):
    """A new claim: the warranty asked to pay for the repair of a unit's fault."""

    unit_id: Id
    ticket_id: Id | None = Field(None, description="The request the claim is made on.")
    fault_code_id: Id | None = None
    fault_on: IsoDate = Field(description="The day the fault appeared; not in the future.")


class ClaimRejectIn(BodySchema):
    """Why the claim is rejected, in words the customer is shown."""

    reason: Text(REJECTION_REASON_MAX, min_length=1)


@contracts_router.get(
    "/", response=responses({200: list[ContractOut]}, READ), summary="List a unit's contracts"
)
def contract_list_api(request: HttpRequest, query: Query[ContractListQuery]):
    """Every contract of a unit, void ones too, by start; another organization's unit is 404."""
    unit = unit_get(organization=request.organization, unit_id=query.unit_id)
    return contract_list_for_unit(unit=unit)


@contracts_router.post(
    "/extended",
    response=responses({201: ContractOut}, CREATE),
    summary="Sell an extended warranty",
)
def contract_extend_api(request: HttpRequest, payload: ExtendedContractIn):
    """Sell an extended warranty for a unit (any role that works requests)."""
    unit = unit_for_input(organization=request.organization, unit_id=payload.unit_id)
    contract = contract_extend(
        unit=unit,
        months=payload.months,
        price=payload.price,
        reference=payload.reference,
        note=payload.note,
        actor=request.auth,
        covers_parts=payload.covers_parts,
        covers_labour=payload.covers_labour,
        covers_travel=payload.covers_travel,
    )
    return Answer(201, contract)


@contracts_router.post(
    "/goodwill", response=responses({201: ContractOut}, CREATE), summary="Grant goodwill"
)
def contract_goodwill_api(request: HttpRequest, payload: GoodwillContractIn):
    """Grant goodwill cover for a unit (admins and supervisors only)."""
    unit = unit_for_input(organization=request.organization, unit_id=payload.unit_id)
    contract = contract_goodwill(
        unit=unit,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        note=payload.note,
        actor=request.auth,
        covers_parts=payload.covers_parts,
        covers_labour=payload.covers_labour,
        covers_travel=payload.covers_travel,
    )
    return Answer(201, contract)


@contracts_router.get(
    "/{contract_id}", response=responses({200: ContractOut}, READ), summary="Get a contract"
)
def contract_get_api(request: HttpRequest, contract_id: Id):
    """One contract."""
    return contract_get(organization=request.organization, contract_id=contract_id)


@contracts_router.post(
    "/{contract_id}/void", response=responses({200: ContractOut}, WRITE), summary="Void a contract"
)
def contract_void_api(request: HttpRequest, contract_id: Id):
    """Cancel a contract: it is kept and covers nothing from now (admins and supervisors
    only); a contract already void answers 422."""
    contract = contract_get(organization=request.organization, contract_id=contract_id)
    return contract_void(contract=contract, actor=request.auth)


@claims_router.get("/", response=responses({200: ClaimPageOut}, LIST), summary="List claims")
def claim_list_api(request: HttpRequest, filters: Query[ClaimListQuery]):
    """Warranty claims, newest first, by status, unit or request."""
    return claim_page(
        organization=request.organization,
        status=filters.status,
        unit_id=filters.unit_id,
        ticket_id=filters.ticket_id,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@claims_router.post("/", response=responses({201: ClaimOut}, CREATE), summary="Open a claim")
def claim_open_api(request: HttpRequest, payload: ClaimIn):
    """Open a claim on a unit; it records what covers the fault on its day and waits for a
    decision (any role that works requests)."""
    organization = request.organization
    unit = unit_for_input(organization=organization, unit_id=payload.unit_id)
    fault = None
    if payload.fault_code_id is not None:
        fault = fault_code_for_input(organization=organization, fault_code_id=payload.fault_code_id)
    claim = claim_open(
        unit=unit,
        ticket_id=payload.ticket_id,
        fault_code=fault,
        fault_on=payload.fault_on,
        actor=request.auth,
    )
    return Answer(201, claim)


@claims_router.get("/{claim_id}", response=responses({200: ClaimOut}, READ), summary="Get a claim")
def claim_get_api(request: HttpRequest, claim_id: Id):
    """One warranty claim."""
    return claim_get(organization=request.organization, claim_id=claim_id)


@claims_router.post(
    "/{claim_id}/approve", response=responses({200: ClaimOut}, WRITE), summary="Approve a claim"
)
def claim_approve_api(request: HttpRequest, claim_id: Id):
    """Approve a pending claim (admins and supervisors only); its coverage is checked again,
    and a claim nothing covers answers 422."""
    claim = claim_get(organization=request.organization, claim_id=claim_id)
    return claim_approve(claim=claim, actor=request.auth)


@claims_router.post(
    "/{claim_id}/reject", response=responses({200: ClaimOut}, WRITE), summary="Reject a claim"
)
def claim_reject_api(request: HttpRequest, claim_id: Id, payload: ClaimRejectIn):
    """Reject a pending claim with a reason the customer sees (admins and supervisors only)."""
    claim = claim_get(organization=request.organization, claim_id=claim_id)
    return claim_reject(claim=claim, reason=payload.reason, actor=request.auth)
