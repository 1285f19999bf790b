"""The conversation on a request: messages (customer's, replies, notes, calls) and files.

A message moves the request as the workflow says (a customer's reopens it, a first reply opens
it) and its SLA with it, in the same transaction, on the helpers of `requests.py`.
"""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import User
from aftercare.lib.errors import ApplicationError
from aftercare.lib.validation import clean_text
from aftercare.lib.vocabulary import Channel, Status
from aftercare.tickets import events, notices
from aftercare.tickets.choices import CallDirection, MessageKind
from aftercare.tickets.indexing import request_index
from aftercare.tickets.models import Attachment, Ticket, TicketMessage
from aftercare.tickets.services import sla
from aftercare.tickets.services.requests import (
    BODY_MAX,
    lock_ticket,
    set_status,
    store_attachments,
)


@transaction.atomic
def ticket_message_add(
    *,
    ticket: Ticket,
    kind: str,
    body: str,
    actor: User | None,
    channel: str = "",
    attachments: list[UploadedFile] | None = None,
    call_direction: str = "",
    call_duration_seconds: int | None = None,
) -> TicketMessage:
    """Write on the timeline. A customer message reopens a resolved request; a first agent
    reply marks the first response and opens a new request."""
    if kind not in MessageKind.values:
        raise ApplicationError(_("Unknown kind of message."), field="kind")
    body = clean_text(body, field="body", required=True, max_length=BODY_MAX)
    if kind == MessageKind.CALL:
        if call_direction not in CallDirection.values:
            raise ApplicationError(
                _("Say whether the call was inbound or outbound."), field="call_direction"
            )
        if call_duration_seconds is not None and not 0 <= call_duration_seconds <= 86_400:
            raise ApplicationError(
                _("Enter a call duration between 0 and 24 hours."), field="call_duration_seconds"
            )
    else:
        call_direction, call_duration_seconds = "", None
    if channel and channel not in Channel.values:
        raise ApplicationError(_("Unknown channel."), field="channel")

    ticket = lock_ticket(ticket)
    if ticket.status == Status.CLOSED and kind in (MessageKind.CUSTOMER, MessageKind.REPLY):
        raise ApplicationError(
            _("This request is closed. Open a new request instead."), field="body", code="closed"
        )
    now = timezone.now()
    message = TicketMessage.objects.create(
        organization_id=ticket.organization_id,
        ticket=ticket,
        kind=kind,
        body=body,
        author=actor,
        channel=channel
        or (ticket.channel if kind in (MessageKind.CUSTOMER, MessageKind.REPLY) else ""),
        call_direction=call_direction,
        call_duration_seconds=call_duration_seconds,
        created_at=now,
    )
    events.ticket_message_added_event(ticket=ticket, actor=actor, message=message)
    if attachments:
        store_attachments(
            ticket=ticket,
            uploads=attachments,
            message=message,
            actor=actor,
            is_public=message.is_public,
        )

    previous = ticket.status
    if kind == MessageKind.CUSTOMER:
        ticket.last_customer_message_at = now
        if previous in (Status.RESOLVED, Status.PENDING_CUSTOMER):
            set_status(ticket=ticket, status=Status.OPEN, now=now)
            if previous == Status.RESOLVED:
                events.ticket_reopened_event(ticket=ticket, actor=actor, previous=previous)
            else:
                events.ticket_status_changed_event(ticket=ticket, actor=actor, previous=previous)
    elif kind == MessageKind.REPLY:
        if ticket.first_response_at is None:
            ticket.first_response_at = now
        if previous == Status.NEW:
            set_status(ticket=ticket, status=Status.OPEN, now=now)
            events.ticket_status_changed_event(ticket=ticket, actor=actor, previous=previous)
    sla_changes = {
        MessageKind.CUSTOMER: {sla.CUSTOMER_MESSAGE},
        MessageKind.REPLY: {sla.REPLY},
    }.get(kind, set())
    if ticket.status != previous:
        sla_changes = sla_changes | {sla.STATUS}
    if sla_changes:
        sla.sla_apply(
            ticket=ticket, changes=sla_changes, actor=actor, now=now, previous_status=previous
        )
    ticket.updated_at = now
    ticket.message_count = F("message_count") + 1
    ticket.save()
    ticket.refresh_from_db(fields=["message_count"])
    request_index(ticket)
    notices.notify_reply(ticket, message)
    notices.notify_customer_wrote(ticket, message)
    notices.notify_mentions(ticket, message)
    return message


@transaction.atomic
def ticket_attachments_add(
    *,
    ticket: Ticket,
    uploads: list[UploadedFile],
    actor: User | None,
    message: TicketMessage | None = None,
) -> list[Attachment]:
    """Attach files to a request, or to one of its messages (then visible as that message is)."""
    if message is not None and message.ticket_id != ticket.pk:
        raise ApplicationError(_("No such message on this request."), field="message_id")
    if not uploads:
        raise ApplicationError(_("Choose at least one file."), field="attachments")
    ticket = lock_ticket(ticket)
    stored = store_attachments(
        ticket=ticket,
        uploads=uploads,
        message=message,
        actor=actor,
        is_public=message.is_public if message is not None else True,
    )
    ticket.updated_at = timezone.now()
    ticket.save(update_fields=["updated_at"])
    return stored
