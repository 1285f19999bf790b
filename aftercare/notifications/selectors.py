"""Reading the outbound log, and each member's bell."""

from django.http import Http404

from aftercare.accounts.models import Organization, User
from aftercare.customers.models import Customer
from aftercare.lib.pagination import Page, keyset_paginate
from aftercare.notifications.models import ConsoleNotice, Notice

CUSTOMER_NOTICES_SHOWN = 20


def notices_for_customer(
    *, organization: Organization, customer: Customer, limit: int = CUSTOMER_NOTICES_SHOWN
) -> list[Notice]:
    """The latest notices sent (or being sent) to a customer of this organization, newest
    first. One query."""
    return list(
        Notice.objects.filter(organization=organization, customer=customer)
        .only(
            "ticket_id",
            "event",
            "channel",
            "recipient",
            "state",
            "attempts",
            "last_error",
            "created_at",
            "sent_at",
            "context",
        )
        .order_by("-created_at", "-id")[:limit]
    )


def notice_list(
    *,
    organization: Organization,
    state: str = "",
    event: str = "",
    channel: str = "",
    ticket_id: int | None = None,
    customer_id: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """The organization's outbound log, newest first, filtered; keyset-paged."""
    rows = Notice.objects.filter(organization=organization).defer("html", "text", "context")
    if state:
        rows = rows.filter(state=state)
    if event:
        rows = rows.filter(event=event)
    if channel:
        rows = rows.filter(channel=channel)
    if ticket_id is not None:
        rows = rows.filter(ticket_id=ticket_id)
    if customer_id is not None:
        rows = rows.filter(customer_id=customer_id)
    return keyset_paginate(rows, ordering=["-id"], cursor=cursor, limit=limit)


def notice_get(*, organization: Organization, notice_id: int) -> Notice:
    """One notice of the organization, with its attempts; 404 otherwise."""
    notice = (
        Notice.objects.filter(organization=organization, pk=notice_id)
        .prefetch_related("attempt_log")
        .first()
    )
    if notice is None:
        raise Http404
    return notice


# --- The bell ---

# The bell counts unread notices up to here, and shows more as "99+".
UNREAD_COUNTED_MAX = 99
BELL_NOTICES_SHOWN = 10


def console_notices_unread_count(*, organization_id: int, user_id: int) -> int:
    """How many of a member's notices are unread, counted up to UNREAD_COUNTED_MAX + 1 (the
    partial index of unread ones, never more rows than that). One query."""
    unread = ConsoleNotice.objects.filter(
        organization_id=organization_id, user_id=user_id, read_at__isnull=True
    )
    return unread[: UNREAD_COUNTED_MAX + 1].count()


def console_notices_recent(
    *, organization: Organization, user: User, limit: int = BELL_NOTICES_SHOWN
) -> list[ConsoleNotice]:
    """A member's latest notices in this organization, newest first. One query."""
    return list(
        ConsoleNotice.objects.filter(organization=organization, user=user).order_by("-id")[:limit]
    )


def console_notice_page(
    *, organization: Organization, user: User, cursor: str | None = None, limit: int = 50
) -> Page:
    """Every notice of a member in this organization, newest first; keyset-paged."""
    rows = ConsoleNotice.objects.filter(organization=organization, user=user)
    return keyset_paginate(rows, ordering=["-id"], cursor=cursor, limit=limit)


def console_notice_get(
    *, organization: Organization, user: User, console_notice_id: int
) -> ConsoleNotice:
    """One of the member's own notices in this organization; 404 for anyone else's."""
    notice = ConsoleNotice.objects.filter(
        organization=organization, user=user, pk=console_notice_id
    ).first()
    if notice is None:
        raise Http404
    return notice
