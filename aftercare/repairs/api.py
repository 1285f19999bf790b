"""API v1: work orders (their stage, diagnosis, labour, parts, quotes, warranty claim and
visits) and the organization's repair settings. For staff and integrations; customers approve
or decline quotes in the portal."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from aftercare.api.permissions import require_manager, require_writer
from aftercare.api.schemas import (
    AUTH,
    CREATE,
    LIST,
    READ,
    WRITE,
    ErrorOut,
    Id,
    IsoDateTime,
    PageQuery,
    Text,
    UserRefOut,
    responses,
)
from aftercare.catalog.selectors import fault_code_for_input, spare_part_for_input
from aftercare.repairs.models import PartLine, Visit, WorkOrder
from aftercare.repairs.selectors import (
    part_line_get,
    stock_location_for_input,
    technician_for_input,
    ticket_for_input,
    visit_get,
    work_order_detail,
    work_order_get,
    work_order_page,
)
from aftercare.repairs.services import (
    labour_add,
    part_add,
    part_release,
    part_reserve,
    part_use,
    quote_send,
    quote_withdraw,
    repair_settings_get,
    repair_settings_update,
    visit_schedule,
    visit_status_set,
    work_order_assign,
    work_order_billing_set,
    work_order_claim_approve,
    work_order_claim_reject,
    work_order_diagnose,
    work_order_open,
    work_order_stage_set,
    work_order_work_done_set,
)
from aftercare.repairs.services.quotes import LABOUR_ESTIMATE_MAX
from aftercare.repairs.services.work_orders import LABOUR_MINUTES_MAX
from aftercare.warranty.selectors import unit_for_input

work_orders_router = Router(tags=["repairs"])
repair_settings_router = Router(tags=["repairs"])

StageName = Literal[tuple(WorkOrder.Stage.values)]
KindName = Literal[tuple(WorkOrder.Kind.values)]
BillingChoice = Literal[(WorkOrder.Billing.CUSTOMER.value, WorkOrder.Billing.GOODWILL.value)]
VisitStatusName = Literal[tuple(Visit.Status.values)]
Quantity = Annotated[int, Field(ge=1, le=1000)]
Money = Annotated[Decimal, Field(ge=0, le=Decimal("999999999999.99"), decimal_places=2)]
# An operation only managers may call: what it can answer besides its success.
MANAGED = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


# --- Shapes ---


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


class QuoteLineOut(Schema):
    """One line of a quote."""

    kind: str = Field(description="part, labour, travel or other.")
    part_id: int | None
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


class QuoteOut(Schema):
    """A quote for work the customer pays for; they approve or decline it in the portal."""

    id: int
    status: str = Field(description="sent, approved, declined or withdrawn.")
    currency: str
    tax_rate: Decimal
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    valid_until: datetime.date
    note: str
    decline_reason: str
    decided_at: datetime.datetime | None
    created_at: datetime.datetime
    lines: list[QuoteLineOut]

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.all())


class VisitOut(Schema):
    """A technician's visit to the customer."""

    id: int
    technician: UserRefOut
    address: str
    window_start: datetime.datetime
    window_end: datetime.datetime
    status: str = Field(description="scheduled, on_the_way, done, missed or cancelled.")
    note: str


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


class WorkOrderIn(Schema):
    """A new work order on a request; billing follows from the unit's coverage today."""

    ticket_id: Id
    kind: KindName
    unit_id: Id | None = Field(None, description="Empty: the request's unit.")
    technician_id: Id | None = None
    stock_location_id: Id | None = None
    reported_fault_id: Id | None = None


class StageIn(Schema):
    """The stage to move to (along the moves a person makes)."""

    stage: StageName
    note: Text(500) = ""


class DiagnosisIn(Schema):
    """What is wrong, and its coded root cause (a fault code of the unit's model)."""

    diagnosis: Text(10_000, min_length=1)
    root_cause_id: Id | None = None


class WorkDoneIn(Schema):
    """What was done, for the repair receipt."""

    work_done: Text(10_000)


class TechnicianIn(Schema):
    """The technician who works the work order; null for nobody."""

    technician_id: Id | None


class BillingIn(Schema):
    """Bill the customer, or grant goodwill (the warranty pays through its claim)."""

    billing: BillingChoice


class ClaimRejectIn(Schema):
    """Why the warranty does not pay; the customer reads it."""

    reason: Text(1000, min_length=1)


class LabourIn(Schema):
    """Time spent; by `technician_id`, else by the caller."""

    minutes: Annotated[int, Field(ge=1, le=LABOUR_MINUTES_MAX)]
    description: Text(500, min_length=1)
    technician_id: Id | None = None


class PartIn(Schema):
    """A spare part the work order needs; taken from `location_id`, else the work order's
    stock location, else its technician's van."""

    part_id: Id
    quantity: Quantity = 1
    location_id: Id | None = None


class PartUseIn(Schema):
    """Fitting a part: the serial of a serialised part is required."""

    serial_number: Text(64) = ""


class QuoteIn(Schema):
    """A quote from the work order's parts and labour, plus labour still to do and travel."""

    note: Text(2000) = ""
    include_travel: bool = False
    labour_minutes: Annotated[int, Field(ge=0, le=LABOUR_ESTIMATE_MAX)] | None = None


class VisitIn(Schema):
    """A technician's visit within a time window (with an offset: 2026-05-03T09:00:00+03:30)."""

    technician_id: Id
    window_start: IsoDateTime
    window_end: IsoDateTime
    address: Text(1000, min_length=1)
    note: Text(1000) = ""


class VisitStatusIn(Schema):
    """How the visit went."""

    status: VisitStatusName
    note: Text(1000) = ""


class RepairSettingsOut(Schema):
    """The organization's money for repairs."""

    currency: str
    tax_rate: Decimal = Field(description="Percent.")
    labour_rate: Decimal = Field(description="Per hour.")
    travel_fee: Decimal
    quote_valid_days: int


class RepairSettingsIn(Schema):
    """The organization's money for repairs; quotes already sent keep theirs."""

    currency: Text(3, min_length=3)
    tax_rate: Annotated[Decimal, Field(ge=0, le=100, decimal_places=2)]
    labour_rate: Money
    travel_fee: Money
    quote_valid_days: Annotated[int, Field(ge=1, le=365)]


# --- Work orders ---


def _detail(request: HttpRequest, work_order: WorkOrder) -> WorkOrder:
    return work_order_detail(organization=request.organization, work_order_id=work_order.pk)


def _work_order(request: HttpRequest, work_order_id: int) -> WorkOrder:
    return work_order_get(organization=request.organization, work_order_id=work_order_id)


def _technician(request: HttpRequest, user_id: int | None):
    if user_id is None:
        return None
    return technician_for_input(organization=request.organization, user_id=user_id)


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
    require_writer(request)
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
        technician=_technician(request, payload.technician_id),
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
    work_order = _work_order(request, work_order_id)
    require_writer(request)
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
    work_order = _work_order(request, work_order_id)
    require_writer(request)
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
    work_order = _work_order(request, work_order_id)
    require_writer(request)
    work_order_work_done_set(work_order=work_order, work_done=payload.work_done, actor=request.user)
    return _detail(request, work_order)


@work_orders_router.post(
    "/{work_order_id}/technician",
    response=responses({200: WorkOrderDetailOut}, WRITE),
    summary="Assign a technician",
)
def work_order_assign_api(request: HttpRequest, work_order_id: Id, payload: TechnicianIn):
    """Give the work order to a technician of the organization (null: to nobody)."""
    work_order = _work_order(request, work_order_id)
    require_writer(request)
    work_order_assign(
        work_order=work_order,
        technician=_technician(request, payload.technician_id),
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
    work_order = _work_order(request, work_order_id)
    require_manager(request)
    work_order_billing_set(work_order=work_order, billing=payload.billing, actor=request.user)
    return _detail(request, work_order)


@work_orders_router.post(
    "/{work_order_id}/claim/approve",
    response=responses({200: WorkOrderDetailOut}, MANAGED),
    summary="Approve the warranty claim",
)
def work_order_claim_approve_api(request: HttpRequest, work_order_id: Id):
    """The warranty pays (admins and supervisors)."""
    work_order = _work_order(request, work_order_id)
    require_manager(request)
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
    work_order = _work_order(request, work_order_id)
    require_manager(request)
    work_order_claim_reject(work_order=work_order, reason=payload.reason, actor=request.user)
    return _detail(request, work_order)


@work_orders_router.post(
    "/{work_order_id}/labour",
    response=responses({201: LabourOut}, WRITE),
    summary="Log labour",
)
def work_order_labour_api(request: HttpRequest, work_order_id: Id, payload: LabourIn):
    """Time spent on the work order, at the organization's labour rate."""
    work_order = _work_order(request, work_order_id)
    require_writer(request)
    entry = labour_add(
        work_order=work_order,
        minutes=payload.minutes,
        description=payload.description,
        actor=request.user,
        technician=_technician(request, payload.technician_id),
    )
    return Answer(201, entry)


def _part_line(request: HttpRequest, work_order_id: int, part_line_id: int) -> PartLine:
    work_order = _work_order(request, work_order_id)
    return part_line_get(work_order=work_order, part_line_id=part_line_id)


@work_orders_router.post(
    "/{work_order_id}/parts",
    response=responses({201: PartLineOut}, WRITE),
    summary="Add a part",
)
def work_order_part_add_api(request: HttpRequest, work_order_id: Id, payload: PartIn):
    """Reserve a part for the work order; when the location is short of it the line waits
    for stock (status `waiting`), and a work order in repair waits for parts."""
    work_order = _work_order(request, work_order_id)
    require_writer(request)
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


@work_orders_router.post(
    "/{work_order_id}/parts/{part_line_id}/use",
    response=responses({200: PartLineOut}, WRITE),
    summary="Fit a part",
)
def work_order_part_use_api(
    request: HttpRequest, work_order_id: Id, part_line_id: Id, payload: PartUseIn
):
    """The part was fitted: its reservation is consumed and the stock ledger shows it."""
    line = _part_line(request, work_order_id, part_line_id)
    require_writer(request)
    return part_use(part_line=line, actor=request.user, serial_number=payload.serial_number)


@work_orders_router.post(
    "/{work_order_id}/parts/{part_line_id}/release",
    response=responses({200: PartLineOut}, WRITE),
    summary="Let a part go",
)
def work_order_part_release_api(request: HttpRequest, work_order_id: Id, part_line_id: Id):
    """The part is not needed after all: its reserved stock is free again."""
    line = _part_line(request, work_order_id, part_line_id)
    require_writer(request)
    return part_release(part_line=line, actor=request.user)


@work_orders_router.post(
    "/{work_order_id}/parts/{part_line_id}/reserve",
    response=responses({200: PartLineOut}, WRITE),
    summary="Reserve a waiting part",
)
def work_order_part_reserve_api(request: HttpRequest, work_order_id: Id, part_line_id: Id):
    """Try again to reserve a part that waits for stock."""
    line = _part_line(request, work_order_id, part_line_id)
    require_writer(request)
    return part_reserve(part_line=line, actor=request.user)


@work_orders_router.post(
    "/{work_order_id}/quotes",
    response=responses({201: QuoteOut}, WRITE),
    summary="Send a quote",
)
def work_order_quote_send_api(request: HttpRequest, work_order_id: Id, payload: QuoteIn):
    """Send the customer a quote for work they pay for (parts, labour, travel, tax); it
    replaces a quote still waiting, and the work order waits for their approval."""
    work_order = _work_order(request, work_order_id)
    require_writer(request)
    quote = quote_send(
        work_order=work_order,
        actor=request.user,
        note=payload.note,
        include_travel=payload.include_travel,
        labour_minutes=payload.labour_minutes,
    )
    return Answer(201, quote)


@work_orders_router.post(
    "/{work_order_id}/quotes/withdraw",
    response=responses({200: QuoteOut}, WRITE),
    summary="Withdraw the quote",
)
def work_order_quote_withdraw_api(request: HttpRequest, work_order_id: Id):
    """Take back the quote waiting for the customer; the work order goes back to diagnosing."""
    work_order = _work_order(request, work_order_id)
    require_writer(request)
    return quote_withdraw(work_order=work_order, actor=request.user)


@work_orders_router.post(
    "/{work_order_id}/visits",
    response=responses({201: VisitOut}, WRITE),
    summary="Schedule a visit",
)
def work_order_visit_schedule_api(request: HttpRequest, work_order_id: Id, payload: VisitIn):
    """Plan a technician's visit to the customer (the customer sees it in the portal)."""
    work_order = _work_order(request, work_order_id)
    require_writer(request)
    visit = visit_schedule(
        work_order=work_order,
        technician=technician_for_input(
            organization=request.organization, user_id=payload.technician_id
        ),
        window_start=payload.window_start,
        window_end=payload.window_end,
        address=payload.address,
        note=payload.note,
        actor=request.user,
    )
    return Answer(201, visit_get(work_order=work_order, visit_id=visit.pk))


@work_orders_router.post(
    "/{work_order_id}/visits/{visit_id}/status",
    response=responses({200: VisitOut}, WRITE),
    summary="Update a visit",
)
def work_order_visit_status_api(
    request: HttpRequest, work_order_id: Id, visit_id: Id, payload: VisitStatusIn
):
    """How the visit went: on_the_way, done, missed or cancelled. A visit done for an
    installation sets the unit's installation date."""
    work_order = _work_order(request, work_order_id)
    visit = visit_get(work_order=work_order, visit_id=visit_id)
    require_writer(request)
    visit_status_set(visit=visit, status=payload.status, actor=request.user, note=payload.note)
    return visit_get(work_order=work_order, visit_id=visit.pk)


# --- Repair settings ---


@repair_settings_router.get(
    "", response=responses({200: RepairSettingsOut}, AUTH), summary="Get the repair settings"
)
def repair_settings_get_api(request: HttpRequest):
    """Currency, tax rate, labour rate, travel fee and how long a quote holds."""
    return repair_settings_get(organization=request.organization)


@repair_settings_router.put(
    "",
    response=responses({200: RepairSettingsOut}, {**CREATE}),
    summary="Change the repair settings",
)
def repair_settings_update_api(request: HttpRequest, payload: RepairSettingsIn):
    """Change the organization's money for repairs (admins and supervisors)."""
    require_manager(request)
    return repair_settings_update(
        organization=request.organization,
        currency=payload.currency,
        tax_rate=payload.tax_rate,
        labour_rate=payload.labour_rate,
        travel_fee=payload.travel_fee,
        quote_valid_days=payload.quote_valid_days,
    )
