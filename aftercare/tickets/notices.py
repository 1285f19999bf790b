"""What the customer is told of their request: received, answered, waiting on them, another
status, resolved, closed. Each notice is queued in the transaction of the change (see
aftercare/notifications) and sent by email to the address the request came with."""

import re
from email.utils import parseaddr

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from aftercare.accounts.models import Organization, User
from aftercare.lib.vocabulary import Status
from aftercare.messaging.outbound import Attachment, conversation_id
from aftercare.notifications.models import Notice
from aftercare.notifications.services import notice_queue
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import Attachment as TicketAttachment
from aftercare.tickets.models import Ticket, TicketEvent, TicketMessage

# The status a change moved to, and the event the customer is told of.
_STATUS_EVENTS = {
    Status.PENDING_CUSTOMER: Notice.Event.WAITING,
    Status.RESOLVED: Notice.Event.RESOLVED,
    Status.CLOSED: Notice.Event.CLOSED,
}


_REPLY_TOKEN = re.compile(r"\+r([0-9a-z]{1,13})-([0-9a-f]{12})@", re.IGNORECASE)
_THREAD_ROOT = re.compile(r"^<([a-z0-9]{1,10})-(\d{1,18})\.([0-9a-f]{16})@", re.IGNORECASE)


def _digest(purpose: str, ticket_pk: int, length: int) -> str:
    return salted_hmac(purpose, str(ticket_pk), algorithm="sha256").hexdigest()[:length]


def thread_root(ticket: Ticket) -> str:
    """The Message-ID-shaped root every mail about the request refers to: its reference and a
    keyed digest, so that it cannot be guessed from the number."""
    digest = _digest("aftercare.request-thread", ticket.pk, 16)
    return conversation_id(f"{ticket.reference.lower()}.{digest}")


def reply_address(ticket: Ticket) -> str:
    """The address a reply to the request's mail goes to: the inbound address with a keyed token
    for the request after a '+', so the reply finds its request whatever its subject says."""
    _name, address = parseaddr(settings.INBOUND_EMAIL_ADDRESS or settings.DEFAULT_FROM_EMAIL)
    local, at, domain = address.rpartition("@")
    if not at:
        return ""
    local = local.split("+", 1)[0]
    token = f"r{_base36(ticket.pk)}-{_digest('aftercare.reply-address', ticket.pk, 12)}"
    return f"{local}+{token}@{domain}"


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def ticket_for_reply_address(*, organization: Organization, addresses: list[str]) -> Ticket | None:
    """The organization's request one of these addresses carries a valid reply token for."""
    for address in addresses:
        match = _REPLY_TOKEN.search(address)
        if match is None:
            continue
        pk = int(match.group(1), 36)
        if constant_time_compare(
            match.group(2).lower(), _digest("aftercare.reply-address", pk, 12)
        ):
            ticket = Ticket.objects.filter(organization=organization, pk=pk).first()
            if ticket is not None:
                return ticket
    return None


def ticket_for_references(*, organization: Organization, message_ids: list[str]) -> Ticket | None:
    """The organization's request that mail with these Message-IDs in its References belongs
    to: a request's thread root (checked by its digest) or a notice sent about it. The nearest
    reference wins."""
    if not message_ids:
        return None
    prefix = organization.ticket_prefix.lower()
    for message_id in message_ids:
        match = _THREAD_ROOT.match(message_id)
        if match is None or match.group(1).lower() != prefix:
            continue
        ticket = Ticket.objects.filter(
            organization=organization, number=int(match.group(2))
        ).first()
        digest = _digest("aftercare.request-thread", ticket.pk, 16) if ticket else ""
        if ticket is not None and constant_time_compare(match.group(3).lower(), digest):
            return ticket
    sent = dict(
        Notice.objects.filter(
            organization=organization, message_id__in=message_ids, ticket_id__isnull=False
        ).values_list("message_id", "ticket_id")
    )
    for message_id in message_ids:
        if message_id in sent:
            return Ticket.objects.filter(organization=organization, pk=sent[message_id]).first()
    return None


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
        reply_to=reply_address(ticket),
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
    files = [attachment.pk for attachment in message.attachments.all() if attachment.is_public]
    _queue(
        ticket,
        event=Notice.Event.REPLIED,
        key=f"message:{message.pk}:reply",
        agent=message.author.display_name if message.author else "",
        body=message.body,
        attachment_ids=files,
    )


def reply_files(*, notice: Notice) -> tuple[Attachment, ...]:
    """The public files of the reply a notice carries, as they are now (a file made internal
    since is left out), up to NOTICE_FILES_MAX_BYTES together: the rest are on the portal."""
    ids = notice.context.get("attachment_ids") or []
    if not ids or notice.ticket_id is None:
        return ()
    files, total = [], 0
    rows = TicketAttachment.objects.filter(
        organization_id=notice.organization_id,
        ticket_id=notice.ticket_id,
        pk__in=ids,
        is_public=True,
    ).order_by("pk")
    for row in rows:
        if total + row.size > settings.NOTICE_FILES_MAX_BYTES:
            continue
        with row.file.open("rb") as handle:
            content = handle.read()
        total += len(content)
        files.append(Attachment(row.filename, content, row.content_type))
    return tuple(files)


_ANSWER_SALT = "aftercare.resolution-answer"
SOLVED, NOT_SOLVED = "solved", "not-solved"


def resolution_answer_url(ticket: Ticket, choice: str) -> str:
    """A link in the "resolved" mail that answers "solved" or "not yet" for the request: it
    opens a page whose button does it (a mail scanner's visit changes nothing)."""
    token = signing.dumps({"t": ticket.pk, "c": choice}, salt=_ANSWER_SALT, compress=True)
    path = reverse(
        "portal:resolution_answer",
        kwargs={"org_slug": ticket.organization.slug, "token": token},
    )
    return settings.SITE_URL + path


def resolution_answer_read(*, organization: Organization, token: str) -> tuple[Ticket, str] | None:
    """The organization's request and the choice a resolution answer link carries; None when
    the link is forged, expired or for another organization."""
    max_age = settings.RESOLUTION_ANSWER_MAX_AGE_DAYS * 86400
    try:
        data = signing.loads(token, salt=_ANSWER_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("c") not in (SOLVED, NOT_SOLVED):
        return None
    ticket_id = data.get("t")
    if not isinstance(ticket_id, int):
        return None
    ticket = (
        Ticket.objects.filter(organization=organization, pk=ticket_id)
        .select_related("customer")
        .first()
    )
    return (ticket, data["c"]) if ticket is not None else None


def notify_status(ticket: Ticket, event: TicketEvent, actor: User | None) -> None:
    """The status changed by someone other than the customer."""
    if _by_customer(ticket, actor):
        return
    notice_event = _STATUS_EVENTS.get(ticket.status, Notice.Event.STATUS_CHANGED)
    extra = {}
    if notice_event == Notice.Event.RESOLVED:
        extra["body"] = ticket.resolution
        extra["solved_url"] = resolution_answer_url(ticket, SOLVED)
        extra["not_solved_url"] = resolution_answer_url(ticket, NOT_SOLVED)
    _queue(ticket, event=notice_event, key=f"event:{event.pk}:status", **extra)
