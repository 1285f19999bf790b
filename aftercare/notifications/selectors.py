"""Reading the outbound log."""

from django.http import Http404

from aftercare.accounts.models import Organization
from aftercare.customers.models import Customer
from aftercare.lib.pagination import Page, keyset_paginate
from aftercare.notifications.models import Notice

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
