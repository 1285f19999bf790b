"""API v1 of inbound email (admins only, as in the console): the IMAP mailboxes polled, and
every message that came in, with the failed ones to read, reprocess or discard.

A mailbox's password is write-only: no answer ever carries it (`has_password` says one is
stored)."""

import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from aftercare.api.idempotency import commits_before_answering
from aftercare.api.schemas import (
    READ,
    WRITE,
    BodySchema,
    ErrorOut,
    Id,
    PageQuery,
    RefOut,
    Text,
    responses,
)
from aftercare.messaging.inbound.imap import mailbox_check, mailbox_poll
from aftercare.messaging.inbound.models import InboundEmail, Mailbox
from aftercare.messaging.inbound.selectors import (
    FILTERS,
    inbound_email_get,
    inbound_email_list,
    mailbox_get,
    mailbox_list,
)
from aftercare.messaging.inbound.services import (
    inbound_email_discard,
    inbound_email_reprocess,
    mailbox_create,
    mailbox_update,
)

mailboxes_router = Router(tags=["inbound email"])
inbound_router = Router(tags=["inbound email"])

SecurityName = Literal[tuple(Mailbox.Security.values)]
ShowName = Literal[("", *FILTERS)]
# Admins only, on no object of the path.
ADMIN_LIST = {401: ErrorOut, 403: ErrorOut}
ADMIN_INPUT = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
# Admins only, on an object of the path (another organization's: 404).
ADMIN_READ = {**READ, 403: ErrorOut}
# The settings of a mailbox, as the services take them (the password apart).
MAILBOX_FIELDS = (
    "name",
    "address",
    "host",
    "port",
    "security",
    "username",
    "folder",
    "processed_folder",
    "is_active",
)


# --- Mailboxes ---


class MailboxOut(Schema):
    """An IMAP mailbox polled for new mail, and how its last poll went. Never its password."""

    id: int
    name: str
    address: str = Field(description="The address customers write to.")
    host: str
    port: int
    security: str = Field(description="ssl, starttls or none.")
    username: str
    has_password: bool = Field(description="Whether a password is stored (it is never shown).")
    folder: str
    processed_folder: str = Field(description="Empty: mail stays in the folder, marked read.")
    is_active: bool = Field(description="Inactive mailboxes are not polled.")
    last_polled_at: datetime.datetime | None
    last_error: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_has_password(obj) -> bool:
        return bool(obj.password_sealed)


class MailboxIn(BodySchema):
    """A new IMAP mailbox to poll."""

    name: Text(100, min_length=1)
    address: Text(254, min_length=1) = Field(description="The address customers write to.")
    host: Text(255, min_length=1)
    port: int = Field(993, ge=1, le=65535)
    security: SecurityName = Mailbox.Security.SSL.value
    username: Text(255, min_length=1)
    password: Text(1000, min_length=1) = Field(description="Write-only: never shown back.")
    folder: Text(200, min_length=1) = "INBOX"
    processed_folder: Text(200) = Field(
        "", description="Move processed mail there; empty: keep it in the folder, marked read."
    )
    is_active: bool = True


class MailboxUpdateIn(BodySchema):
    """Fields to change; the others stay as they are. An empty or absent password keeps the
    stored one."""

    # Not nullable: a mailbox always has these. Absent means unchanged.
    name: Text(100, min_length=1) = None
    address: Text(254, min_length=1) = None
    host: Text(255, min_length=1) = None
    port: int = Field(None, ge=1, le=65535)
    security: SecurityName = None
    username: Text(255, min_length=1) = None
    password: Text(1000) | None = Field(None, description="Write-only; empty or null: unchanged.")
    folder: Text(200, min_length=1) = None
    processed_folder: Text(200) | None = Field(None, description="Null or empty: none.")
    is_active: bool = None


class MailboxCheckOut(Schema):
    """Whether signing in and reading the folder worked."""

    ok: bool
    error: str = Field(description="What went wrong; empty when it worked.")


class MailboxPollOut(Schema):
    """What polling the mailbox now brought in."""

    stored: int = Field(description="New messages stored (each then becomes or joins a request).")
    error: str = Field(description="What went wrong, as recorded on the mailbox; empty if none.")


@mailboxes_router.get(
    "/", response=responses({200: list[MailboxOut]}, ADMIN_LIST), summary="List mailboxes"
)
def mailbox_list_api(request: HttpRequest):
    """The organization's mailboxes and how their last poll went (admins)."""
    return mailbox_list(organization=request.organization)


@mailboxes_router.post(
    "/", response=responses({201: MailboxOut}, ADMIN_INPUT), summary="Create a mailbox"
)
def mailbox_create_api(request: HttpRequest, payload: MailboxIn):
    """Add a mailbox to poll (admins); the password is sealed and never shown back."""
    values = payload.model_dump()
    password = values.pop("password")
    mailbox = mailbox_create(organization=request.organization, password=password, **values)
    return Answer(201, mailbox)


@mailboxes_router.get(
    "/{mailbox_id}", response=responses({200: MailboxOut}, ADMIN_READ), summary="Get a mailbox"
)
def mailbox_get_api(request: HttpRequest, mailbox_id: Id):
    """One mailbox's settings and last poll (admins)."""
    return mailbox_get(organization=request.organization, mailbox_id=mailbox_id)


@mailboxes_router.patch(
    "/{mailbox_id}", response=responses({200: MailboxOut}, WRITE), summary="Update a mailbox"
)
def mailbox_update_api(request: HttpRequest, mailbox_id: Id, payload: MailboxUpdateIn):
    """Change the fields sent (admins). Another server, user or folder is read again from its
    beginning; messages already stored are recognised."""
    mailbox = mailbox_get(organization=request.organization, mailbox_id=mailbox_id)
    changes = payload.model_dump(exclude_unset=True)
    password = changes.pop("password", None) or ""
    values = {field: getattr(mailbox, field) for field in MAILBOX_FIELDS}
    values.update(changes)
    values["processed_folder"] = values["processed_folder"] or ""
    return mailbox_update(mailbox=mailbox, password=password, **values)


@commits_before_answering
@mailboxes_router.post(
    "/{mailbox_id}/test",
    response=responses({200: MailboxCheckOut}, WRITE),
    summary="Test a mailbox's connection",
)
def mailbox_check_api(request: HttpRequest, mailbox_id: Id):
    """Sign in to the server and read the folder (admins); nothing is fetched."""
    mailbox = mailbox_get(organization=request.organization, mailbox_id=mailbox_id)
    problem = mailbox_check(mailbox=mailbox)
    return {"ok": not problem, "error": problem}


@commits_before_answering
@mailboxes_router.post(
    "/{mailbox_id}/poll",
    response=responses({200: MailboxPollOut}, WRITE),
    summary="Poll a mailbox now",
)
def mailbox_poll_api(request: HttpRequest, mailbox_id: Id):
    """Fetch the mailbox's new mail now instead of at the next periodic poll (admins)."""
    mailbox = mailbox_get(organization=request.organization, mailbox_id=mailbox_id)
    stored = mailbox_poll(mailbox=mailbox)
    mailbox.refresh_from_db(fields=["last_error"])
    return {"stored": stored, "error": mailbox.last_error}


# --- Inbound mail ---


class InboundEmailOut(Schema):
    """One message as it arrived, and what came of it (without its bytes)."""

    id: int
    source: str = Field(description="imap, pipe or webhook.")
    from_address: str
    subject: str
    size: int = Field(description="Bytes of the raw message.")
    received_at: datetime.datetime
    deliveries: int = Field(description="How many times it arrived (counted once).")
    state: str = Field(description="received, done, ignored, failed, dead or discarded.")
    outcome: str
    attempts: int
    last_error: str
    ticket_id: int | None


class InboundEmailDetailOut(InboundEmailOut):
    """A message's metadata; its raw bytes are at `raw_url` (same token)."""

    mailbox: RefOut | None
    message_id: str
    envelope_sender: str
    envelope_recipient: str
    detail: str
    next_attempt_at: datetime.datetime | None
    processed_at: datetime.datetime | None
    raw_url: str

    @staticmethod
    def resolve_raw_url(obj) -> str:
        return reverse("api:inbound_email_raw", kwargs={"inbound_id": obj.pk})


class InboundEmailPageOut(Schema):
    """One page of inbound mail."""

    items: list[InboundEmailOut]
    next_cursor: str | None


class InboundEmailListQuery(PageQuery):
    """Which messages to list."""

    show: ShowName = Field(
        "",
        description="attention (failed), waiting, done, ignored or discarded; empty: every one.",
    )


def _detail(request: HttpRequest, inbound: InboundEmail) -> InboundEmail:
    return inbound_email_get(organization=request.organization, inbound_id=inbound.pk)


@inbound_router.get(
    "/", response=responses({200: InboundEmailPageOut}, ADMIN_INPUT), summary="List inbound mail"
)
def inbound_email_list_api(request: HttpRequest, filters: Query[InboundEmailListQuery]):
    """Every message that came in, newest first (admins); `show=attention` for the failed ones."""
    return inbound_email_list(
        organization=request.organization,
        show=filters.show,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@inbound_router.get(
    "/{inbound_id}",
    response=responses({200: InboundEmailDetailOut}, ADMIN_READ),
    summary="Get an inbound message",
)
def inbound_email_get_api(request: HttpRequest, inbound_id: Id):
    """One message's metadata and what came of it (admins)."""
    return inbound_email_get(organization=request.organization, inbound_id=inbound_id)


@inbound_router.get(
    "/{inbound_id}/raw",
    response=ADMIN_READ,
    url_name="inbound_email_raw",
    summary="Download an inbound message",
    openapi_extra={
        "responses": {
            200: {
                "description": "The message as it arrived (.eml), as an attachment.",
                "content": {"message/rfc822": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def inbound_email_raw_api(request: HttpRequest, inbound_id: Id):
    """The raw message exactly as it arrived, to download (admins); never shown inline."""
    row = inbound_email_get(organization=request.organization, inbound_id=inbound_id)
    response = HttpResponse(bytes(row.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="inbound-{row.pk}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@inbound_router.post(
    "/{inbound_id}/reprocess",
    response=responses({200: InboundEmailDetailOut}, WRITE),
    summary="Reprocess an inbound message",
)
def inbound_email_reprocess_api(request: HttpRequest, inbound_id: Id):
    """Send a failed or ignored message through processing again (admins); one that made its
    request already is refused (422, `state`)."""
    row = inbound_email_get(organization=request.organization, inbound_id=inbound_id)
    return _detail(request, inbound_email_reprocess(inbound=row))


@inbound_router.post(
    "/{inbound_id}/discard",
    response=responses({200: InboundEmailDetailOut}, WRITE),
    summary="Discard an inbound message",
)
def inbound_email_discard_api(request: HttpRequest, inbound_id: Id):
    """Take a failed message off the attention list without making anything of it (admins);
    it is kept. Only failed messages (422, `state`)."""
    row = inbound_email_get(organization=request.organization, inbound_id=inbound_id)
    return _detail(request, inbound_email_discard(inbound=row))
