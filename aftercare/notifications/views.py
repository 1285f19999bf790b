"""The notices part of the customer page (filled through customers' hook)."""

from django.http import HttpRequest

from aftercare.accounts.models import Membership
from aftercare.customers.hooks import CustomerPanel
from aftercare.customers.models import Customer
from aftercare.notifications.selectors import notices_for_customer


def customer_notices_panel(
    *, request: HttpRequest, membership: Membership, customer: Customer
) -> CustomerPanel:
    """What the customer was sent lately, and whether it went."""
    notices = notices_for_customer(organization=membership.organization, customer=customer)
    return CustomerPanel(
        template="notifications/customer_notices.html", context={"notices": notices}
    )
