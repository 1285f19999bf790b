"""What the customer is told of their request: received, answered, waiting on them, another
status, resolved, closed. Each notice is queued in the transaction of the change (see
aftercare/notifications) and sent by email to the address the request came with."""

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

from aftercare.accounts.models import User
from aftercare.lib.vocabulary import Status
from aftercare.messaging.outbound import conversation_id
from aftercare.notifications.models import Notice
from aftercare.notifications.services import notice_queue
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import Ticket, TicketEvent, TicketMessage

# The status a change moved to, and the event the customer is told of.
_STATUS_EVENTS = {
    Status.PENDING_CUSTOMER: Notice.Event.WAITING,
    Status.RESOLVED: Notice.Event.RESOLVED,
    Status.CLOSED: Notice.Event.CLOSED,
}


def thread_root(ticket: Ticket) -> str:
    """The Message-ID-shaped root every mail about the request refers to: its reference and a
    keyed digest, so that it cannot be guessed from the number."""
    digest = salted_hmac("aftercare.request-thread", str(ticket.pk), algorithm="sha256")
    digest = digest.hexdigest()[:16]
    return conversation_id(f"{ticket.reference.lower()}.{digest}")


def _language(ticket: Ticket) -> str:
    return (
        ticket.language
        or ticket.customer.preferred_language
        or ticket.organization.default_language
        or settings.LANGUAGE_CODE
    )


def _context(ticket: Ticket, **extra) -> dict:
    """The values every notice about the request is written with."""
    organization = ticket.organization
    path = reverse(
        "portal:request_detail", kwargs={"org_slug": organization.slug, "number": ticket.number}
    )
    return {
        "reference": ticket.reference,
        "subject": ticket.subject,
        "name": ticket.customer.name,
        "organization": organization.name,
        "time_zone": organization.time_zone,
        "url": settings.SITE_URL + path,
        "status": ticket.status,
        **extra,
    }


def _queue(ticket: Ticket, *, event: str, key: str, **extra) -> Notice | None:
    return notice_queue(
        organization=ticket.organization,
        event=event,
        recipient=ticket.contact_email,
        language=_language(ticket),
        key=key,
        context=_context(ticket, **extra),
        thread=[thread_root(ticket)],
        customer=ticket.customer,
        ticket_id=ticket.pk,
    )


def _by_customer(ticket: Ticket, actor: User | None) -> bool:
    """Whether the customer made the change themselves (they need no word of it)."""
    return actor is not None and actor.pk == ticket.customer.user_id


def notify_received(ticket: Ticket) -> None:
    """The request was opened: its number, where to follow it, when to expect an answer."""
    due = ticket.first_response_due_at
    _queue(
        ticket,
        event=Notice.Event.RECEIVED,
        key=f"ticket:{ticket.pk}:received",
        due=due.isoformat() if due else None,
    )


def notify_reply(ticket: Ticket, message: TicketMessage) -> None:
    """An agent answered: the answer itself."""
    if message.kind != MessageKind.REPLY:
        return
    _queue(
        ticket,
        event=Notice.Event.REPLIED,
        key=f"message:{message.pk}:reply",
        agent=message.author.display_name if message.author else "",
        body=message.body,
    )


def notify_status(ticket: Ticket, event: TicketEvent, actor: User | None) -> None:
    """The status changed by someone other than the customer."""
    if _by_customer(ticket, actor):
        return
    notice_event = _STATUS_EVENTS.get(ticket.status, Notice.Event.STATUS_CHANGED)
    extra = {}
    if notice_event == Notice.Event.RESOLVED:
        extra["body"] = ticket.resolution
    _queue(ticket, event=notice_event, key=f"event:{event.pk}:status", **extra)
