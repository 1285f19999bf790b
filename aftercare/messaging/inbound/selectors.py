"""Reading inbound mail and mailboxes, always within one organization."""

from django.db.models import QuerySet
from django.http import Http404

from aftercare.accounts.models import Organization
from aftercare.lib.pagination import Page, keyset_paginate
from aftercare.messaging.inbound.models import InboundEmail, Mailbox

# The lists never load the raw bytes.
_LIST_FIELDS = (
    "id", "organization_id", "source", "from_address", "subject", "received_at", "deliveries",
    "state", "outcome", "attempts", "last_error", "ticket_id", "size",
)  # fmt: skip
# What the console's filter offers: the messages that need someone, and the rest.
FILTERS = {
    "attention": (InboundEmail.State.DEAD, InboundEmail.State.FAILED),
    "waiting": (InboundEmail.State.RECEIVED,),
    "done": (InboundEmail.State.DONE,),
    "ignored": (InboundEmail.State.IGNORED,),
    "discarded": (InboundEmail.State.DISCARDED,),
}


def inbound_email_list(
    *, organization: Organization, show: str = "", cursor: str | None = None, limit: int = 50
) -> Page:
    """The organization's inbound mail, newest first, of the states `show` names (all when '')."""
    rows: QuerySet = InboundEmail.objects.filter(organization=organization).only(*_LIST_FIELDS)
    if show in FILTERS:
        rows = rows.filter(state__in=FILTERS[show])
    return keyset_paginate(rows, ordering=["-id"], cursor=cursor, limit=limit)


def inbound_email_get(*, organization: Organization, inbound_id: int) -> InboundEmail:
    """One inbound message of the organization (with its raw bytes), or 404."""
    row = (
        InboundEmail.objects.filter(organization=organization, pk=inbound_id)
        .select_related("ticket", "mailbox")
        .first()
    )
    if row is None:
        raise Http404
    return row


def inbound_attention_count(*, organization: Organization) -> int:
    """How many messages wait for an admin's decision."""
    return InboundEmail.objects.filter(
        organization=organization, state__in=FILTERS["attention"]
    ).count()


def mailbox_list(*, organization: Organization) -> list[Mailbox]:
    return list(Mailbox.objects.filter(organization=organization).order_by("name", "id"))


def mailbox_get(*, organization: Organization, mailbox_id: int) -> Mailbox:
    mailbox = Mailbox.objects.filter(organization=organization, pk=mailbox_id).first()
    if mailbox is None:
        raise Http404
    return mailbox
