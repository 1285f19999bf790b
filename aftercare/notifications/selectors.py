"""Reading the outbound log."""

from aftercare.accounts.models import Organization
from aftercare.customers.models import Customer
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
