"""API v1: work orders: opening and listing them, their stage, diagnosis, work done,
technician, billing and warranty claim. Their parts and labour, quotes and visits have modules
of their own, mounted under this router."""

import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from aftercare.api.schemas import (
    CREATE,
    LIST,
    READ,
    WRITE,
    BodySchema,
    ErrorOut,
    Id,
    PageQuery,
    Text,
    UserRefOut,
    responses,
)
from aftercare.catalog.selectors import fault_code_for_input
from aftercare.repairs.api.common import technician_or_none, work_order_or_404
from aftercare.repairs.api.parts import LabourOut, PartLineOut
from aftercare.repairs.api.quotes import QuoteOut
from aftercare.repairs.api.visits import VisitOut
from aftercare.repairs.models import WorkOrder
from aftercare.repairs.selectors import (
    stock_location_for_input,
    ticket_for_input,
    work_order_detail,
    work_order_page,
)
from aftercare.repairs.services import (
    work_order_assign,
    work_order_billing_set,
    work_order_claim_approve,
    work_order_claim_reject,
    work_order_diagnose,
    work_order_open,
    work_order_stage_set,
    work_order_work_done_set,
)
from aftercare.warranty.selectors import unit_for_input

work_orders_router = Router(tags=["repairs"])

StageName = Literal[tuple(WorkOrder.Stage.values)]
KindName = Literal[tuple(WorkOrder.Kind.values)]
BillingChoice = Literal[(WorkOrder.Billing.CUSTOMER.value, WorkOrder.Billing.GOODWILL.value)]
# An operation only managers may call: what it can answer besides its success.
MANAGED = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ClaimOut(Schema):
    """The warranty claim of a work order billed to the warranty."""

    id: int
    status: str = Field(description="pending, approved or rejected.")
    covered_by: str = Field(description="standard, extended or goodwill.")
    rejection_reason: str = Field(description="Shown to the customer.")
    decided_at: datetime.datetime | None


class WorkOrderOut(Schema):
    """A work order on a request: its stage, billing (from the unit's coverage) and work."""

    id: int
    reference: str = Field(description='"WO-000012": the number, as people read it.')
    number: int
    ticket_id: int
    unit_id: int | None
    kind: str
    stage: str
    is_open: bool
    billing: str = Field(description="warranty, customer or goodwill.")
    coverage: dict = Field(description="What the coverage check said when the work order opened.")
    claim: ClaimOut | None
    technician: UserRefOut | None
    stock_location_id: int | None = Field(description="Where its parts are taken from.")
    reported_fault_id: int | None
    root_cause_id: int | None
    diagnosis: str
    work_done: str
    created_at: datetime.datetime
    stage_changed_at: datetime.datetime
    closed_at: datetime.datetime | None


class WorkOrderDetailOut(WorkOrderOut):
    """A work order with its parts, labour, quotes (newest first) and visits."""

    parts: list[PartLineOut]
    labour: list[LabourOut]
    quotes: list[QuoteOut]
    visits: list[VisitOut]

    @staticmethod
    def resolve_parts(obj) -> list:
        return list(obj.parts.all())

    @staticmethod
    def resolve_labour(obj) -> list:
        return list(obj.labour.all())

    @staticmethod
    def resolve_quotes(obj) -> list:
        return list(obj.quotes.all())

    @staticmethod
    def resolve_visits(obj) -> list:
        return list(obj.visits.all())


class WorkOrderPageOut(Schema):
    """One page of work orders."""

    items: list[WorkOrderOut]
    next_cursor: str | None


class WorkOrderListQuery(PageQuery):
    """Filters of the work order list (newest first)."""

    stage: StageName | None = None
    technician_id: Id | None = None
    ticket_id: Id | None = None
    is_open: bool | None = None


class WorkOrderIn(BodySchema):
    """A new work order on a request; billing follows from the unit's coverage today."""

    ticket_id: Id
    kind: KindName
    unit_id: Id | None = Field(None, description="Empty: the request's unit.")
    technician_id: Id | None = None
    stock_location_id: Id | None = None
    reported_fault_id: Id | None = None


class StageIn(BodySchema):
    """The stage to move to (along the moves a person makes)."""

    stage: StageName
    note: Text(500) = ""


class DiagnosisIn(BodySchema):
    """What is wrong, and its coded root cause (a fault code of the unit's model)."""

    diagnosis: Text(10_000, min_length=1)
    root_cause_id: Id | None = None


class WorkDoneIn(BodySchema):
    """What was done, for the repair receipt."""

    work_done: Text(10_000)


class TechnicianIn(BodySchema):
    """The technician who works the work order; null for nobody."""

    technician_id: Id | None


class BillingIn(BodySchema):
    """Bill the customer, or grant goodwill (the warranty pays through its claim)."""

    billing: BillingChoice


class ClaimRejectIn(BodySchema):
    """Why the warranty does not pay; the customer reads it."""

    reason: Text(1000, min_length=1)


def _detail(request: HttpRequest, work_order: WorkOrder) -> WorkOrder:
    return work_order_detail(organization=request.organization, work_order_id=work_order.pk)


@work_orders_router.get(
    "/", response=responses({200: WorkOrderPageOut}, LIST), summary="List work orders"
)
def work_order_list_api(request: HttpRequest, filters: Query[WorkOrderListQuery]):
    """Work orders, newest first, by stage, technician, request or openness."""
    return work_order_page(
        organization=request.organization,
        stage=filters.stage or "",
        technician_id=filters.technician_id,
        ticket_id=filters.ticket_id,
        is_open=filters.is_open,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@work_orders_router.post(
    "/", response=responses({201: WorkOrderDetailOut}, CREATE), summary="Open a work order"
)
def work_order_open_api(request: HttpRequest, payload: WorkOrderIn):
    """Open a work order on a request. A repair the unit's warranty covers today is billed to
    the warranty and a claim is made; anything else is billed to the customer."""
    organization = request.organization
    ticket = ticket_for_input(organization=organization, ticket_id=payload.ticket_id)
    unit = None
    if payload.unit_id is not None:
        unit = unit_for_input(organization=organization, unit_id=payload.unit_id)
    location = None
    if payload.stock_location_id is not None:
        location = stock_location_for_input(
            organization=organization,
            location_id=payload.stock_location_id,
            field="stock_location_id",
        )
    fault = None
    if payload.reported_fault_id is not None:
        fault = fault_code_for_input(
            organization=organization,
            fault_code_id=payload.reported_fault_id,
            field="reported_fault_id",
        )
    work_order = work_order_open(
        ticket=ticket,
        kind=payload.kind,
        actor=request.user,
        unit=unit,
        technician=technician_or_none(request, payload.technician_id),
        stock_location=location,
        reported_fault=fault,
    )
    return Answer(201, _detail(request, work_order))


@work_orders_router.get(
    "/{work_order_id}",
    response=responses({200: WorkOrderDetailOut}, READ),
    summary="Get a work order",
)
def work_order_get_api(request: HttpRequest, work_order_id: Id):
    """A work order with its parts, labour, quotes and visits."""
    return work_order_detail(organization=request.organization, work_order_id=work_order_id)


@work_orders_router.post(
    "/{work_order_id}/stage",
    response=responses({200: WorkOrderDetailOut}, WRITE),
    summary="Move a work order",
)
def work_order_stage_api(request: HttpRequest, work_order_id: Id, payload: StageIn):
    """Move to another stage: received → diagnosing → awaiting_parts / in_repair → ready →
    delivered → closed, cancelled from any open stage. Awaiting approval is reached by
    sending a quote, and left by the customer's answer (or back to diagnosing)."""
    work_order = work_order_or_404(request, work_order_id)
    work_order_stage_set(
        work_order=work_order, stage=payload.stage, actor=request.user, note=payload.note
    )
    return _detail(request, work_order)


@work_orders_router.post(
    "/{work_order_id}/diagnosis",
    response=responses({200: WorkOrderDetailOut}, WRITE),
    summary="Record the diagnosis",
)
def work_order_diagnose_api(request: HttpRequest, work_order_id: Id, payload: DiagnosisIn):
    """Record what is wrong and its root cause; a work order just received moves to diagnosing."""
    work_order = work_order_or_404(request, work_order_id)
    root_cause = None
    if payload.root_cause_id is not None:
        root_cause = fault_code_for_input(
            organization=request.organization,
            fault_code_id=payload.root_cause_id,
            field="root_cause_id",
        )
    work_order_diagnose(
        work_order=work_order,
        diagnosis=payload.diagnosis,
        root_cause=root_cause,
        actor=request.user,
    )
    return _detail(request, work_order)


@work_orders_router.post(
    "/{work_order_id}/work-done",
    response=responses({200: WorkOrderDetailOut}, WRITE),
    summary="Record the work done",
)
def work_order_work_done_api(request: HttpRequest, work_order_id: Id, payload: WorkDoneIn):
    """What was done, as the repair receipt tells the customer."""
    work_order = work_order_or_404(request, work_order_id)
    work_order_work_done_set(work_order=work_order, work_done=payload.work_done, actor=request.user)
    return _detail(request, work_order)


@work_orders_router.post(
    "/{work_order_id}/technician",
    response=responses({200: WorkOrderDetailOut}, WRITE),
    summary="Assign a technician",
)
def work_order_assign_api(request: HttpRequest, work_order_id: Id, payload: TechnicianIn):
    """Give the work order to a technician of the organization (null: to nobody)."""
    work_order = work_order_or_404(request, work_order_id)
    work_order_assign(
        work_order=work_order,
        technician=technician_or_none(request, payload.technician_id),
        actor=request.user,
    )
    return _detail(request, work_order)


@work_orders_router.post(
    "/{work_order_id}/billing",
    response=responses({200: WorkOrderDetailOut}, MANAGED),
    summary="Set the billing",
)
def work_order_billing_api(request: HttpRequest, work_order_id: Id, payload: BillingIn):
    """Bill the customer or grant goodwill (admins and supervisors). Work no longer billed to
    the customer has its waiting quote withdrawn."""
    work_order = work_order_or_404(request, work_order_id)
    work_order_billing_set(work_order=work_order, billing=payload.billing, actor=request.user)
    return _detail(request, work_order)


@work_orders_router.post(
    "/{work_order_id}/claim/approve",
    response=responses({200: WorkOrderDetailOut}, MANAGED),
    summary="Approve the warranty claim",
)
def work_order_claim_approve_api(request: HttpRequest, work_order_id: Id):
    """The warranty pays (admins and supervisors)."""
    work_order = work_order_or_404(request, work_order_id)
    work_order_claim_approve(work_order=work_order, actor=request.user)
    return _detail(request, work_order)


@work_orders_router.post(
    "/{work_order_id}/claim/reject",
    response=responses({200: WorkOrderDetailOut}, MANAGED),
    summary="Reject the warranty claim",
)
def work_order_claim_reject_api(request: HttpRequest, work_order_id: Id, payload: ClaimRejectIn):
    """The warranty does not pay, for a reason the customer reads; the customer is billed
    (admins and supervisors)."""
    work_order = work_order_or_404(request, work_order_id)
    work_order_claim_reject(work_order=work_order, reason=payload.reason, actor=request.user)
    return _detail(request, work_order)
