"""Who is told what of a request. The customer: received, answered, waiting on them (and a
reminder), another status, resolved, closed, a repair quote to approve, by email to the address
the request came with. Staff: a request given to them, their customer's answer, a mention in a
note, an SLA at risk or missed, an escalation. Each notice is queued in the transaction of the
change (see aftercare/notifications) and sent after it commits."""

import datetime
import re
from collections.abc import Callable
from email.utils import parseaddr

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int, int_to_base36

from aftercare.accounts.models import Organization, Team, User
from aftercare.lib.vocabulary import Channel, Status
from aftercare.messaging.outbound import Attachment, conversation_id
from aftercare.messaging.outbound.selectors import sms_gateway_for
from aftercare.notifications.models import (
    STAFF_EVENTS,
    ConsoleNotice,
    Notice,
    NotificationSettings,
)
from aftercare.notifications.services import (
    console_notices_record,
    notice_queue,
    notices_queue_for_staff,
)
from aftercare.sla.businesstime import business_add
from aftercare.sla.selectors import calendar_default, calendar_to_business
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
    token = f"r{int_to_base36(ticket.pk)}-{_digest('aftercare.reply-address', ticket.pk, 12)}"
    return f"{local}+{token}@{domain}"


def ticket_for_reply_address(*, organization: Organization, addresses: list[str]) -> Ticket | None:
    """The organization's request one of these addresses carries a valid reply token for."""
    for address in addresses:
        match = _REPLY_TOKEN.search(address)
        if match is None:
            continue
        pk = base36_to_int(match.group(1).lower())
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


def _contact(ticket: Ticket) -> tuple[str, str]:
    """The channel and contact point a customer's notices about the request go to: email,
    unless they prefer the phone (or gave no email) and the organization has an SMS gateway."""
    customer = ticket.customer
    if ticket.contact_email and customer.preferred_channel != Channel.PHONE:
        return "email", ticket.contact_email
    phone = ticket.contact_phone or (
        customer.contact_points.filter(kind="phone")
        .order_by("-is_primary", "pk")
        .values_list("value", flat=True)
        .first()
        or ""
    )
    gateway = sms_gateway_for(organization=ticket.organization) if phone else None
    if gateway is not None and gateway.is_active:
        return "sms", phone
    return "email", ticket.contact_email


def _queue(ticket: Ticket, *, event: str, key: str, **extra) -> Notice | None:
    channel, recipient = _contact(ticket)
    return notice_queue(
        organization=ticket.organization,
        event=event,
        channel=channel,
        recipient=recipient,
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


def notify_quote(ticket: Ticket, *, key: str, describe: Callable[[], str]) -> None:
    """A repair quote waits for the customer's answer in the portal, where the notice's link
    goes; `describe()`, called in the customer's language, says what it comes to."""
    with translation.override(_language(ticket)):
        body = describe()
    _queue(ticket, event=Notice.Event.QUOTE, key=key, body=body)


def notify_waiting_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind each customer whose request has waited on them for their organization's
    reminder hours (business hours, on its default calendar; wall-clock hours without one),
    once per wait. Returns how many reminders were queued."""
    now = now or timezone.now()
    rules = dict(NotificationSettings.objects.values_list("organization_id", "reminder_hours"))
    default_hours = NotificationSettings._meta.get_field("reminder_hours").default
    latest = TicketEvent.objects.filter(
        ticket=OuterRef("pk"), kind=TicketEvent.Kind.STATUS_CHANGED
    ).order_by("-created_at", "-id")
    waiting = (
        Ticket.objects.filter(status=Status.PENDING_CUSTOMER)
        .exclude(contact_email="")
        .annotate(since=Subquery(latest.values("created_at")[:1]))
        .annotate(since_event=Subquery(latest.values("pk")[:1]))
        .filter(since__isnull=False)
        .select_related("organization", "customer")
        .order_by("pk")
    )
    calendars: dict[int, object] = {}
    queued = 0
    for ticket in waiting.iterator(chunk_size=200):
        hours = rules.get(ticket.organization_id, default_hours)
        if not hours or ticket.since + datetime.timedelta(hours=hours) > now:
            continue  # business hours are never fewer than wall-clock hours
        if ticket.organization_id not in calendars:
            calendar = calendar_default(organization=ticket.organization)
            calendars[ticket.organization_id] = (
                calendar_to_business(calendar) if calendar is not None else None
            )
        calendar = calendars[ticket.organization_id]
        due = ticket.since + datetime.timedelta(hours=hours)
        if calendar is not None and calendar.has_working_time:
            due = business_add(
                calendar, start=ticket.since, duration=datetime.timedelta(hours=hours)
            )
        if due > now:
            continue
        with transaction.atomic():
            notice = notice_queue(
                organization=ticket.organization,
                event=Notice.Event.REMINDER,
                recipient=ticket.contact_email,
                language=_language(ticket),
                key=f"event:{ticket.since_event}:reminder",
                context=_context(ticket),
                thread=[thread_root(ticket)],
                reply_to=reply_address(ticket),
                customer=ticket.customer,
                ticket_id=ticket.pk,
                once=True,
            )
        queued += notice is not None
    return queued


def preview_context(*, organization: Organization, event: str, number: int) -> dict | None:
    """What a notice of `event` about the organization's request `number` would say, with
    its latest reply or note, for previewing a template (nothing is queued)."""
    ticket = (
        Ticket.objects.filter(organization=organization, number=number)
        .select_related("organization", "customer", "assignee")
        .first()
    )
    if ticket is None:
        return None
    latest = (
        TicketMessage.objects.filter(ticket=ticket)
        .exclude(kind=MessageKind.CALL)
        .select_related("author")
        .order_by("-created_at", "-id")
        .first()
    )
    agent = latest.author.display_name if latest is not None and latest.author else ""
    body = latest.body if latest is not None else ""
    if event in STAFF_EVENTS:
        return _staff_context(ticket, agent=agent, note=body, metric="first_response")
    due = ticket.first_response_due_at
    extra = {"agent": agent, "body": body, "due": due.isoformat() if due else None}
    if event == Notice.Event.RESOLVED:
        extra["body"] = ticket.resolution
        extra["solved_url"] = resolution_answer_url(ticket, SOLVED)
        extra["not_solved_url"] = resolution_answer_url(ticket, NOT_SOLVED)
    return _context(ticket, **extra)


# --- Staff ---

_MENTION = re.compile(r"(?<![\w@])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)", re.UNICODE)


def _staff_context(ticket: Ticket, **extra) -> dict:
    organization = ticket.organization
    due = ticket.sla_due_at
    return {
        "reference": ticket.reference,
        "subject": ticket.subject,
        "name": ticket.customer.name,
        "organization": organization.name,
        "time_zone": organization.time_zone,
        "url": settings.SITE_URL + reverse("tickets:detail", args=[ticket.number]),
        "status": ticket.status,
        "due": due.isoformat() if due else None,
        **extra,
    }


def _staff_language(ticket: Ticket, user: User) -> str:
    return user.language or ticket.organization.default_language or settings.LANGUAGE_CODE


def _tell_staff(ticket: Ticket, user: User, *, event: str, key: str, **extra) -> None:
    if not user.is_active or not user.email:
        return
    notice_queue(
        organization=ticket.organization,
        event=event,
        recipient=user.email,
        language=_staff_language(ticket, user),
        key=key,
        context=_staff_context(ticket, **extra),
        user=user,
        ticket_id=ticket.pk,
    )


def notify_assigned(ticket: Ticket, actor: User | None, *, key: str) -> None:
    """The request was given to someone other than the one who gave it."""
    assignee = ticket.assignee
    if assignee is None or (actor is not None and actor.pk == assignee.pk):
        return
    agent = actor.display_name if actor is not None else ""
    _tell_staff(ticket, assignee, event=Notice.Event.ASSIGNED, key=key, agent=agent)


def notify_customer_wrote(ticket: Ticket, message: TicketMessage) -> None:
    """The customer wrote on a request someone is working: tell that someone."""
    if message.kind != MessageKind.CUSTOMER or ticket.assignee_id is None:
        return
    _tell_staff(
        ticket,
        ticket.assignee,
        event=Notice.Event.CUSTOMER_REPLIED,
        key=f"message:{message.pk}:assignee",
        body=message.body,
    )


def notify_mentions(ticket: Ticket, message: TicketMessage) -> None:
    """Members named in an internal note with @ (their email, or its part before the @)."""
    if message.kind != MessageKind.NOTE:
        return
    names = {name.lower().rstrip(".") for name in _MENTION.findall(message.body)}
    if not names:
        return
    members = User.objects.filter(
        memberships__organization_id=ticket.organization_id, memberships__is_active=True
    ).distinct()
    for user in members:
        email = user.email.lower()
        if email not in names and email.split("@")[0] not in names:
            continue
        if user.pk == message.author_id:
            continue
        _tell_staff(
            ticket,
            user,
            event=Notice.Event.MENTIONED,
            key=f"message:{message.pk}:mention:{user.pk}",
            agent=message.author.display_name if message.author else "",
            note=message.body,
        )


def notify_sla_crossings(crossings: list[tuple[int, str, str, str, str]]) -> int:
    """Tell each request's assignee of an SLA warning or breach the sweep found:
    (ticket id, "warning" or "breach", metric, due time ISO, the crossing's key); a request
    waiting in a team with no assignee is told to the team's active members, in their bells
    (not by email: a team's every member would be mailed for each). Returns how many email
    notices were recorded."""
    if not crossings:
        return 0
    tickets = {
        ticket.pk: ticket
        for ticket in Ticket.objects.filter(pk__in={row[0] for row in crossings}).select_related(
            "organization", "customer", "assignee"
        )
    }
    members = _team_members(
        {ticket.team_id for ticket in tickets.values() if ticket.assignee_id is None}
    )
    notices, bell = [], []
    for ticket_id, kind, metric, due, key in crossings:
        ticket = tickets.get(ticket_id)
        if ticket is None:
            continue
        event = Notice.Event.SLA_WARNING if kind == "warning" else Notice.Event.SLA_BREACHED
        context = _staff_context(ticket, metric=metric)
        context["due"] = due
        if ticket.assignee_id is None:
            bell += [
                ConsoleNotice(
                    organization_id=ticket.organization_id,
                    user_id=user_id,
                    ticket_id=ticket.pk,
                    event=event,
                    key=f"sla:{ticket.pk}:{key}:{kind}",
                    context=context,
                )
                for user_id in members.get(ticket.team_id, ())
            ]
            continue
        if not ticket.assignee.is_active or not ticket.assignee.email:
            continue
        notices.append(
            Notice(
                organization_id=ticket.organization_id,
                user=ticket.assignee,
                ticket_id=ticket.pk,
                event=event,
                recipient=ticket.assignee.email,
                language=_staff_language(ticket, ticket.assignee),
                key=f"sla:{ticket.pk}:{key}:{kind}",
                context=context,
            )
        )
    console_notices_record(bell)
    return notices_queue_for_staff(notices)


def _team_members(team_ids: set[int | None]) -> dict[int, list[int]]:
    """The active members of staff of each team (of its own organization), by team. One query,
    none without teams."""
    team_ids.discard(None)
    if not team_ids:
        return {}
    rows = (
        Team.members.through.objects.filter(
            team_id__in=team_ids,
            user__is_active=True,
            user__memberships__is_active=True,
            user__memberships__organization_id=F("team__organization_id"),
        )
        .values_list("team_id", "user_id")
        .distinct()
    )
    members: dict[int, list[int]] = {}
    for team_id, user_id in rows:
        members.setdefault(team_id, []).append(user_id)
    return members


def notify_escalated(ticket: Ticket, users: list[User], *, mark_id: int, metric: str, due) -> int:
    """Tell the people an escalation rule names; each once per escalation."""
    notices = [
        Notice(
            organization_id=ticket.organization_id,
            user=user,
            ticket_id=ticket.pk,
            event=Notice.Event.ESCALATED,
            recipient=user.email,
            language=_staff_language(ticket, user),
            key=f"mark:{mark_id}:user:{user.pk}",
            context={**_staff_context(ticket, metric=metric), "due": due.isoformat()},
        )
        for user in users
        if user.is_active and user.email
    ]
    return notices_queue_for_staff(notices)
