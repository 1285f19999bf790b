"""API v1 shapes of service requests, their messages, files and categories: what the handlers
of `tickets.api` read and answer, and `ticket_out`, which writes `TicketOut` directly."""

import datetime
from typing import Literal

from django.urls import reverse
from ninja import Field, Schema

from aftercare.api.schemas import (
    BodySchema,
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
)
from aftercare.lib.vocabulary import Kind, Priority
from aftercare.sla.models import SlaState
from aftercare.tickets.choices import CallDirection, MessageKind
from aftercare.tickets.selectors import SORTS, ticket_coverage
from aftercare.tickets.services import BODY_MAX, SUBJECT_MAX

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


class TicketCreateIn(BodySchema):
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


class TicketUpdateIn(BodySchema):
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


class TicketStatusIn(BodySchema):
    """The status to move to, and why."""

    status: StatusName
    reason: Text(500) = ""


class TicketAssignIn(BodySchema):
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


class MessageIn(BodySchema):
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
