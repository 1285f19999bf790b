"""API v1: service requests, their timeline messages and files, teams and categories."""

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.responses import Status as Answer

from aftercare.accounts.models import Organization
from aftercare.accounts.selectors import member_get, team_for_input
from aftercare.api.base import json_answer
from aftercare.api.fields import api_field_names
from aftercare.api.permissions import require_writer
from aftercare.api.schemas import (
    AUTH,
    CREATE,
    LIST,
    READ,
    WRITE,
    ChannelName,
    EmailOrBlank,
    Id,
    IsoDate,
    IsoDateTime,
    KindName,
    Language,
    PageQuery,
    PriorityValue,
    RefOut,
    StatusName,
    Text,
    UserRefOut,
    responses,
)
from aftercare.catalog.selectors import product_model_for_input
from aftercare.customers.selectors import customer_for_input
from aftercare.lib.errors import ApplicationError
from aftercare.lib.vocabulary import Kind, Priority
from aftercare.sla.models import SlaState
from aftercare.tickets.attachments import attachment_response
from aftercare.tickets.choices import CallDirection, MessageKind
from aftercare.tickets.selectors import (
    SORTS,
    attachment_get_for_staff,
    attachment_page,
    category_for_input,
    category_list,
    ticket_coverage,
    ticket_get,
    ticket_list,
    ticket_message_for_input,
    ticket_message_page,
)
from aftercare.tickets.services import (
    BODY_MAX,
    SUBJECT_MAX,
    ticket_assign,
    ticket_attachments_add,
    ticket_create,
    ticket_message_add,
    ticket_status_change,
    ticket_update,
)
from aftercare.warranty.selectors import unit_for_input

router = Router(tags=["tickets"])
attachments_router = Router(tags=["tickets"])
categories_router = Router(tags=["reference"])

SortName = Literal[tuple(SORTS)]
SlaStateName = Literal[tuple(SlaState.values)]
MessageKindName = Literal[tuple(MessageKind.values)]
CallDirectionName = Literal[tuple(CallDirection.values)]
TagName = Text(50, min_length=1)
MAX_TAGS = 20


class ProductModelRefOut(Schema):
    """The product model a request is about."""

    id: int
    name: str
    sku: str


class TicketSlaOut(Schema):
    """A request's SLA: its policy, state, and due times (null when met, paused or not set)."""

    policy: RefOut | None
    state: str = Field(
        description="'' (no SLA), running, warning, breached, paused, met or missed."
    )
    due_at: datetime.datetime | None = Field(description="The soonest running target's due time.")
    first_response_due_at: datetime.datetime | None
    next_response_due_at: datetime.datetime | None
    resolution_due_at: datetime.datetime | None


class TicketCoverageOut(Schema):
    """Whether the request's unit was covered on the day the request was opened."""

    covered: bool
    by: str = Field(description="standard, extended, goodwill, or '' when not covered.")
    contract_id: int | None
    starts_on: datetime.date | None
    until: datetime.date | None
    covers_parts: bool
    covers_labour: bool
    covers_travel: bool
    reason: str = Field(description="'' when covered, else why not (e.g. expired).")
    reason_text: str


class TicketOut(Schema):
    """A service request: the five sections of the after-sales form and its work state."""

    id: int
    number: int
    reference: str = Field(description="The human number, e.g. AS-000123.")
    subject: str
    status: str
    kind: str
    priority: int
    priority_label: str
    channel: str
    language: str
    customer: RefOut
    contact_email: str
    contact_phone: str
    product_model: ProductModelRefOut | None
    unit_id: int | None = Field(description="The registered unit section B is about, if any.")
    coverage: TicketCoverageOut | None = Field(
        description="The unit's coverage on the day the request was opened; null without a unit."
    )
    serial_number: str
    purchase_date: datetime.date | None
    seller: str
    category: RefOut | None
    team: RefOut | None
    assignee: UserRefOut | None
    tags: list[str]
    description: str
    resolution: str
    root_cause: str
    customer_confirmed_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    first_response_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    message_count: int
    sla: TicketSlaOut = Field(description="The SLA that applies and when each target is due.")

    @staticmethod
    def resolve_sla(obj) -> dict:
        return {
            "policy": obj.sla_policy,
            "state": obj.sla_state,
            "due_at": obj.sla_due_at,
            "first_response_due_at": obj.first_response_due_at,
            "next_response_due_at": obj.next_response_due_at,
            "resolution_due_at": obj.resolution_due_at,
        }

    @staticmethod
    def resolve_coverage(obj) -> dict | None:
        coverage = ticket_coverage(obj)
        return None if coverage is None else coverage.as_dict()

    @staticmethod
    def resolve_priority_label(obj) -> str:
        return str(obj.get_priority_display())

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return obj.tag_names


class TicketPageOut(Schema):
    """One page of requests."""

    items: list[TicketOut]
    next_cursor: str | None


def _ref(obj) -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def ticket_out(ticket) -> dict:
    """`TicketOut` of a request, built directly: the same keys, order and values the schema gives
    (tests/test_api_output.py compares them), at a tenth of the cost of validating one."""
    product = ticket.product_model
    assignee = ticket.assignee
    coverage = ticket_coverage(ticket)
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "reference": ticket.reference,
        "subject": ticket.subject,
        "status": str(ticket.status),
        "kind": str(ticket.kind),
        "priority": int(ticket.priority),
        "priority_label": str(ticket.get_priority_display()),
        "channel": str(ticket.channel),
        "language": ticket.language,
        "customer": _ref(ticket.customer),
        "contact_email": ticket.contact_email,
        "contact_phone": ticket.contact_phone,
        "product_model": None
        if product is None
        else {"id": product.pk, "name": product.name, "sku": product.sku},
        "unit_id": ticket.unit_id,
        "coverage": None if coverage is None else coverage.as_dict(),
        "serial_number": ticket.serial_number,
        "purchase_date": ticket.purchase_date,
        "seller": ticket.seller,
        "category": _ref(ticket.category),
        "team": _ref(ticket.team),
        "assignee": None
        if assignee is None
        else {"id": assignee.pk, "name": assignee.display_name, "email": assignee.email},
        "tags": list(ticket.tag_names),
        "description": ticket.description,
        "resolution": ticket.resolution,
        "root_cause": ticket.root_cause,
        "customer_confirmed_at": ticket.customer_confirmed_at,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "first_response_at": ticket.first_response_at,
        "resolved_at": ticket.resolved_at,
        "closed_at": ticket.closed_at,
        "message_count": ticket.message_count,
        "sla": {
            "policy": _ref(ticket.sla_policy),
            "state": str(ticket.sla_state),
            "due_at": ticket.sla_due_at,
            "first_response_due_at": ticket.first_response_due_at,
            "next_response_due_at": ticket.next_response_due_at,
            "resolution_due_at": ticket.resolution_due_at,
        },
    }


def _ticket_answer(ticket, *, status: int = 200):
    return json_answer(ticket_out(ticket), status=status)


class TicketCreateIn(Schema):
    """A new service request for a customer of the organization."""

    customer_id: Id
    subject: Text(SUBJECT_MAX, min_length=1)
    description: Text(BODY_MAX, min_length=1)
    kind: KindName = Kind.QUESTION.value
    priority: PriorityValue = Priority.NORMAL.value
    channel: ChannelName = "api"
    language: Language = Field("", description="Empty: the customer's preferred language.")
    category_id: Id | None = None
    product_model_id: Id | None = None
    unit_id: Id | None = Field(
        None, description="A registered unit of the customer: section B is copied from it."
    )
    serial_number: Text(64) = ""
    purchase_date: IsoDate | None = None
    seller: Text(200) = ""
    contact_email: EmailOrBlank = ""
    contact_phone: Text(32) = ""
    team_id: Id | None = None
    assignee_id: Id | None = None
    tags: list[TagName] = Field([], max_length=MAX_TAGS)


class TicketUpdateIn(Schema):
    """Fields to change; only the fields sent change, and null clears a field that may be empty."""

    # Not nullable: a request always has these. Absent means unchanged.
    subject: Text(SUBJECT_MAX, min_length=1) = None
    description: Text(BODY_MAX, min_length=1) = None
    kind: KindName = None
    priority: PriorityValue = None
    language: Language | None = None
    category_id: Id | None = None
    product_model_id: Id | None = None
    unit_id: Id | None = Field(
        None, description="A registered unit of the customer (section B is copied); null unlinks."
    )
    serial_number: Text(64) | None = None
    purchase_date: IsoDate | None = None
    seller: Text(200) | None = None
    contact_email: EmailOrBlank | None = None
    contact_phone: Text(32) | None = None
    team_id: Id | None = None
    assignee_id: Id | None = None
    tags: list[TagName] | None = Field(None, max_length=MAX_TAGS)
    resolution: Text(BODY_MAX) | None = None
    root_cause: Text(200) | None = None


class TicketStatusIn(Schema):
    """The status to move to, and why."""

    status: StatusName
    reason: Text(500) = ""


class TicketAssignIn(Schema):
    """The member of staff to give the request to; null puts it back in the queue."""

    assignee_id: Id | None


class TicketListQuery(PageQuery):
    """Filters and order of the request list."""

    status: list[StatusName] = Field([], description="Any of these statuses (repeatable).")
    kind: KindName | None = None
    team_id: Id | None = None
    assignee_id: Id | None = None
    unassigned: bool = Field(False, description="Only requests nobody is assigned to.")
    priority: PriorityValue | None = None
    sla_state: list[SlaStateName] = Field(
        [], description="Any of these SLA states (repeatable); e.g. warning and breached."
    )
    at_risk: bool = Field(
        False, description="Only open requests at risk or breached, soonest due first."
    )
    customer_id: Id | None = None
    customer: Id | None = Field(None, description="Same as customer_id.")
    updated_since: IsoDateTime | None = Field(
        None, description="Changed at or after this time (ISO 8601; UTC when no offset)."
    )
    search: Text(200) = Field("", description="Words of the subject, a serial or a number.")
    sort: SortName = "-updated"


class AttachmentOut(Schema):
    """A file on a request; download it from `download_url` with the same token."""

    id: int
    message_id: int | None
    filename: str
    content_type: str
    size: int
    sha256: str
    is_public: bool = Field(description="Whether the customer can see it.")
    created_at: datetime.datetime
    download_url: str

    @staticmethod
    def resolve_download_url(obj) -> str:
        return reverse("api:attachment_download", kwargs={"attachment_id": obj.pk})


class AttachmentPageOut(Schema):
    """One page of files."""

    items: list[AttachmentOut]
    next_cursor: str | None


class MessageOut(Schema):
    """An entry someone wrote on the timeline."""

    id: int
    kind: str
    body: str
    author: UserRefOut | None
    channel: str
    call_direction: str
    call_duration_seconds: int | None
    is_public: bool = Field(description="Customer messages and replies are; notes and calls not.")
    created_at: datetime.datetime
    attachments: list[AttachmentOut]


class MessagePageOut(Schema):
    """One page of messages, oldest first."""

    items: list[MessageOut]
    next_cursor: str | None


class MessageIn(Schema):
    """A reply to the customer, an internal note, a call log, or a message from the customer."""

    kind: MessageKindName
    body: Text(BODY_MAX, min_length=1)
    channel: ChannelName | None = Field(None, description="Empty: the request's channel.")
    call_direction: CallDirectionName | None = Field(None, description="Required for a call.")
    call_duration_seconds: int | None = Field(None, ge=0, le=86_400, strict=True)


class CategoryOut(Schema):
    """A category of problem."""

    id: int
    name: str
    parent_id: int | None


_REFERENCES = {
    "category_id": ("category", category_for_input, "category_id"),
    "product_model_id": ("product_model", product_model_for_input, "product_model_id"),
    "team_id": ("team", team_for_input, "team_id"),
    "unit_id": ("unit", unit_for_input, "unit_id"),
}


def _resolve_references(organization: Organization, data: dict[str, Any]) -> dict[str, Any]:
    """Turn the ids in a body into objects of this organization; a foreign id is a field error."""
    resolved = dict(data)
    for key, (name, lookup, argument) in _REFERENCES.items():
        if key in resolved:
            value = resolved.pop(key)
            resolved[name] = (
                None if value is None else lookup(organization=organization, **{argument: value})
            )
    if "assignee_id" in resolved:
        value = resolved.pop("assignee_id")
        resolved["assignee"] = (
            None if value is None else member_get(organization=organization, user_id=value)
        )
    return resolved


@router.post("/", response=responses({201: TicketOut}, CREATE), summary="Create a request")
def ticket_create_api(request: HttpRequest, payload: TicketCreateIn):
    """Open a service request for a customer; ids of another organization are 422."""
    require_writer(request)
    organization = request.organization
    data = payload.model_dump()
    customer = customer_for_input(organization=organization, customer_id=data.pop("customer_id"))
    with api_field_names({"unit": "unit_id"}):
        ticket = ticket_create(
            organization=organization,
            customer=customer,
            actor=request.auth,
            **_resolve_references(organization, data),
        )
    # The request as written, not read back: ticket_create leaves its relations and tags set.
    return _ticket_answer(ticket, status=201)


@router.get("/", response=responses({200: TicketPageOut}, LIST), summary="List requests")
def ticket_list_api(request: HttpRequest, filters: Query[TicketListQuery]):
    """Requests matching the filters, in a stable keyset order; pass `next_cursor` on."""
    updated_since = filters.updated_since
    if updated_since is not None:
        if timezone.is_naive(updated_since):
            updated_since = timezone.make_aware(updated_since, datetime.UTC)
        try:
            # In UTC, so an offset PostgreSQL cannot store (beyond ±15:59) never reaches it.
            updated_since = updated_since.astimezone(datetime.UTC)
        except OverflowError:
            raise ApplicationError(
                _("Enter a date and time between the years 1 and 9999."), field="updated_since"
            ) from None
    page = ticket_list(
        organization=request.organization,
        queue="at_risk" if filters.at_risk else "all",
        sla_state=list(filters.sla_state),
        status=list(filters.status),
        kind=filters.kind or "",
        team_id=filters.team_id,
        assignee_id=filters.assignee_id,
        unassigned=filters.unassigned,
        priority=filters.priority,
        customer_id=filters.customer_id or filters.customer,
        updated_since=updated_since,
        search=filters.search,
        sort=filters.sort,
        cursor=filters.cursor,
        limit=filters.limit,
        shape="api",
    )
    items = [ticket_out(ticket) for ticket in page.items]
    return json_answer({"items": items, "next_cursor": page.next_cursor})


@router.get("/{ticket_id}", response=responses({200: TicketOut}, READ), summary="Get a request")
def ticket_get_api(request: HttpRequest, ticket_id: Id):
    """One service request."""
    return _ticket_answer(ticket_get(organization=request.organization, ticket_id=ticket_id))


@router.patch("/{ticket_id}", response=responses({200: TicketOut}, WRITE), summary="Update")
def ticket_update_api(request: HttpRequest, ticket_id: Id, payload: TicketUpdateIn):
    """Change the fields sent; each change is recorded on the timeline."""
    organization = request.organization
    ticket = ticket_get(organization=organization, ticket_id=ticket_id)
    require_writer(request)
    changes = _resolve_references(organization, payload.model_dump(exclude_unset=True))
    with api_field_names({"unit": "unit_id"}):
        ticket_update(ticket=ticket, actor=request.auth, **changes)
    return _ticket_answer(ticket_get(organization=organization, ticket_id=ticket_id))


@router.post(
    "/{ticket_id}/status", response=responses({200: TicketOut}, WRITE), summary="Change status"
)
def ticket_status_api(request: HttpRequest, ticket_id: Id, payload: TicketStatusIn):
    """Move the request to another status; a move the workflow forbids is 422 on `status`."""
    organization = request.organization
    ticket = ticket_get(organization=organization, ticket_id=ticket_id)
    require_writer(request)
    ticket_status_change(
        ticket=ticket, status=payload.status, actor=request.auth, reason=payload.reason
    )
    return _ticket_answer(ticket_get(organization=organization, ticket_id=ticket_id))


@router.post("/{ticket_id}/assign", response=responses({200: TicketOut}, WRITE), summary="Assign")
def ticket_assign_api(request: HttpRequest, ticket_id: Id, payload: TicketAssignIn):
    """Give the request to a member of staff, or back to the queue with null."""
    organization = request.organization
    ticket = ticket_get(organization=organization, ticket_id=ticket_id)
    require_writer(request)
    assignee = (
        None
        if payload.assignee_id is None
        else member_get(organization=organization, user_id=payload.assignee_id)
    )
    ticket_assign(ticket=ticket, assignee=assignee, actor=request.auth)
    return _ticket_answer(ticket_get(organization=organization, ticket_id=ticket_id))


@router.get(
    "/{ticket_id}/messages", response=responses({200: MessagePageOut}, READ), summary="Messages"
)
def ticket_message_list_api(request: HttpRequest, ticket_id: Id, page: Query[PageQuery]):
    """Every message on the timeline (internal notes and calls too), oldest first."""
    ticket = ticket_get(organization=request.organization, ticket_id=ticket_id)
    return ticket_message_page(ticket=ticket, cursor=page.cursor, limit=page.limit)


@router.post(
    "/{ticket_id}/messages", response=responses({201: MessageOut}, WRITE), summary="Add a message"
)
def ticket_message_add_api(request: HttpRequest, ticket_id: Id, payload: MessageIn):
    """Reply, write an internal note, log a call or record a customer message."""
    ticket = ticket_get(organization=request.organization, ticket_id=ticket_id)
    require_writer(request)
    message = ticket_message_add(
        ticket=ticket,
        kind=payload.kind,
        body=payload.body,
        actor=request.auth,
        channel=payload.channel or "",
        call_direction=payload.call_direction or "",
        call_duration_seconds=payload.call_duration_seconds,
    )
    return Answer(201, message)


@router.get(
    "/{ticket_id}/attachments", response=responses({200: AttachmentPageOut}, READ), summary="Files"
)
def ticket_attachment_list_api(request: HttpRequest, ticket_id: Id, page: Query[PageQuery]):
    """Every file on the request and its messages, oldest first."""
    ticket = ticket_get(organization=request.organization, ticket_id=ticket_id)
    return attachment_page(ticket=ticket, cursor=page.cursor, limit=page.limit)


@router.post(
    "/{ticket_id}/attachments",
    response=responses({201: list[AttachmentOut]}, WRITE),
    summary="Upload files",
)
def ticket_attachment_add_api(
    request: HttpRequest,
    ticket_id: Id,
    attachments: File[list[UploadedFile]],
    message_id: Form[Id | None] = None,
):
    """Attach files (multipart, field `attachments`) to the request or to one of its messages."""
    ticket = ticket_get(organization=request.organization, ticket_id=ticket_id)
    require_writer(request)
    message = (
        None
        if message_id is None
        else ticket_message_for_input(ticket=ticket, message_id=message_id)
    )
    stored = ticket_attachments_add(
        ticket=ticket, uploads=list(attachments), actor=request.auth, message=message
    )
    return Answer(201, stored)


@attachments_router.get(
    "/{attachment_id}/download",
    response=READ,
    url_name="attachment_download",
    summary="Download a file",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file's bytes.",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def attachment_download_api(request: HttpRequest, attachment_id: Id):
    """The bytes of a file on one of the organization's requests."""
    attachment = attachment_get_for_staff(
        organization=request.organization, attachment_id=attachment_id
    )
    return attachment_response(attachment, allow_inline=False)


@categories_router.get(
    "/", response=responses({200: list[CategoryOut]}, AUTH), summary="List categories"
)
def category_list_api(request: HttpRequest):
    """Active problem categories, to resolve `category_id`."""
    return category_list(organization=request.organization)
