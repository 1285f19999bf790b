"""API v1: service requests, their timeline messages and files, teams and categories. The shapes
they read and answer are in `tickets.api_schemas`."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, UploadedFile
from ninja.responses import Status as Answer

from aftercare.accounts.models import Organization
from aftercare.accounts.selectors import member_get, team_for_input
from aftercare.api.base import json_answer
from aftercare.api.fields import api_field_names
from aftercare.api.schemas import AUTH, CREATE, LIST, READ, WRITE, Id, PageQuery, responses
from aftercare.catalog.selectors import product_model_for_input
from aftercare.customers.selectors import customer_for_input
from aftercare.lib.errors import ApplicationError
from aftercare.tickets.api_schemas import (
    AttachmentOut,
    AttachmentPageOut,
    CategoryOut,
    MessageIn,
    MessageOut,
    MessagePageOut,
    TicketAssignIn,
    TicketCreateIn,
    TicketListQuery,
    TicketOut,
    TicketPageOut,
    TicketStatusIn,
    TicketUpdateIn,
    ticket_out,
)
from aftercare.tickets.attachments import attachment_response
from aftercare.tickets.selectors import (
    attachment_get_for_staff,
    attachment_page,
    category_for_input,
    category_list,
    ticket_get,
    ticket_list,
    ticket_message_for_input,
    ticket_message_page,
)
from aftercare.tickets.services import (
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


def _ticket_answer(ticket, *, status: int = 200):
    return json_answer(ticket_out(ticket), status=status)


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
    ticket_status_change(
        ticket=ticket, status=payload.status, actor=request.auth, reason=payload.reason
    )
    return _ticket_answer(ticket_get(organization=organization, ticket_id=ticket_id))


@router.post("/{ticket_id}/assign", response=responses({200: TicketOut}, WRITE), summary="Assign")
def ticket_assign_api(request: HttpRequest, ticket_id: Id, payload: TicketAssignIn):
    """Give the request to a member of staff, or back to the queue with null."""
    organization = request.organization
    ticket = ticket_get(organization=organization, ticket_id=ticket_id)
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
