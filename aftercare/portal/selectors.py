"""Reads for the customer portal: the customer-visible timeline, told in sentences, and the
files a request form keeps between its tries."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.customers.models import Customer
from aftercare.lib.vocabulary import Channel, Status
from aftercare.portal.models import PendingUpload
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import Attachment, Ticket, TicketEvent, TicketMessage
from aftercare.tickets.selectors import ticket_timeline
from aftercare.tickets.timeline import describe_merge_event, describe_work_event


@dataclass(frozen=True)
class PortalTimelineEntry:
    """One line of what the customer sees: their message, a reply, or a status event."""

    kind: str  # "customer", "reply" or "event"
    created_at: datetime.datetime
    text: str
    author: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    # The request a message came from, when it was merged into this one (e.g. AS-000123).
    merged_from: str = ""


def _label(choices: type, value: str) -> str:
    return str(dict(choices.choices).get(value, value or ""))


def _event_sentence(event: TicketEvent) -> str:
    data = event.data or {}
    if event.kind == TicketEvent.Kind.CREATED:
        return _("Request opened via %(channel)s.") % {
            "channel": _label(Channel, data.get("channel", ""))
        }
    if event.kind == TicketEvent.Kind.STATUS_CHANGED:
        return _("Status changed from %(from)s to %(to)s.") % {
            "from": _label(Status, data.get("from", "")),
            "to": _label(Status, data.get("to", "")),
        }
    if event.kind == TicketEvent.Kind.REOPENED:
        return _("The request was reopened by a new message.")
    if event.kind == TicketEvent.Kind.CONFIRMED:
        return _("The customer confirmed that the problem is solved.")
    if event.kind == TicketEvent.Kind.MERGED:
        return describe_merge_event(event)
    if event.kind == TicketEvent.Kind.WORK:
        # Repair work (a work order's stage, quote, visit...), in the customer's words.
        sentence, details = describe_work_event(event, for_customer=True)
        return " ".join([sentence, *details])
    return str(event.get_kind_display())


@dataclass(frozen=True)
class PortalTimeline:
    """What the customer sees of a request: its timeline and the public files attached to the
    request itself (each message carries its own)."""

    entries: list[PortalTimelineEntry]
    files: list[Attachment]


def portal_timeline(*, ticket: Ticket) -> PortalTimeline:
    """The customer-visible timeline; internal notes, calls and internal events never appear."""
    timeline = ticket_timeline(ticket=ticket, public_only=True)
    entries = []
    for entry in timeline.entries:
        item = entry.item
        if isinstance(item, TicketMessage):
            if item.kind == MessageKind.CUSTOMER:
                kind, author = "customer", ""
            elif item.kind == MessageKind.REPLY:
                author = item.author.display_name if item.author else ticket.organization.name
                kind = "reply"
            else:
                continue
            entries.append(
                PortalTimelineEntry(
                    kind=kind,
                    created_at=item.created_at,
                    text=item.body,
                    author=author,
                    attachments=item.files,
                    merged_from=item.merged_from,
                )
            )
        elif item.is_public:
            entries.append(
                PortalTimelineEntry(
                    kind="event", created_at=item.created_at, text=_event_sentence(item)
                )
            )
    return PortalTimeline(entries=entries, files=timeline.files)


def pending_uploads_get(*, customer: Customer, ids: Iterable[str]) -> list[PendingUpload]:
    """The customer's own files kept from a request form, by the ids the form sent back, oldest
    first. Any other id (another customer's or organization's file, an expired one, no number
    at all) is left out."""
    wanted = set()
    for value in ids:
        value = str(value).strip()
        if value.isascii() and value.isdigit() and len(value) < 19:
            wanted.add(int(value))
    if not wanted:
        return []
    # A form holds at most a message's worth of files; more ids than that are not its own.
    wanted_ids = sorted(wanted)[: settings.ATTACHMENT_MAX_PER_MESSAGE * 2]
    return list(
        PendingUpload.objects.filter(
            pk__in=wanted_ids,
            customer=customer,
            organization_id=customer.organization_id,
            expires_at__gt=timezone.now(),
        ).order_by("created_at", "pk")
    )
