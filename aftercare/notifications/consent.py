"""A customer's yes or no to the notices that are not transactional: the one-click unsubscribe
link each of them carries (RFC 8058: `List-Unsubscribe` and `List-Unsubscribe-Post`), and the
record of every choice."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.customers.models import Customer
from aftercare.lib.errors import ApplicationError
from aftercare.notifications.models import (
    TOPIC_OF_EVENT,
    TRANSACTIONAL_TOPICS,
    CustomerPreference,
    Topic,
)

_SALT = "aftercare.unsubscribe"


def topic_of(event: str) -> str:
    return TOPIC_OF_EVENT.get(event, Topic.UPDATES)


def unsubscribe_url(*, organization: Organization, customer_id: int, topic: str) -> str:
    """The link that turns a topic off for a customer (it does not expire: a mail can be old)."""
    token = signing.dumps({"c": customer_id, "t": topic}, salt=_SALT, compress=True)
    path = reverse("portal:unsubscribe", kwargs={"org_slug": organization.slug, "token": token})
    return settings.SITE_URL + path


def unsubscribe_headers(*, organization: Organization, customer_id: int | None, event: str) -> dict:
    """The headers of a notice the customer may turn off; none for a transactional one."""
    topic = topic_of(event)
    if customer_id is None or topic in TRANSACTIONAL_TOPICS:
        return {}
    url = unsubscribe_url(organization=organization, customer_id=customer_id, topic=topic)
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def unsubscribe_read(*, organization: Organization, token: str) -> tuple[Customer, str] | None:
    """The organization's customer and the topic an unsubscribe link names; None if forged."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("t") not in Topic.values:
        return None
    customer_id = data.get("c")
    if not isinstance(customer_id, int):
        return None
    customer = Customer.objects.filter(organization=organization, pk=customer_id).first()
    return (customer, data["t"]) if customer is not None else None


@transaction.atomic
def customer_preference_set(
    *, customer: Customer, topic: str, allowed: bool, source: str
) -> CustomerPreference:
    """Record a customer's yes or no to a topic (the latest word counts; when and how it was
    given is kept with it)."""
    if topic not in Topic.values:
        raise ApplicationError(_("Unknown topic."), field="topic")
    if topic in TRANSACTIONAL_TOPICS and not allowed:
        raise ApplicationError(
            _("Updates on the customer's own requests cannot be turned off."), field="allowed"
        )
    if source not in CustomerPreference.Source.values:
        raise ApplicationError(_("Unknown source."), field="source")
    preference, _created = CustomerPreference.objects.update_or_create(
        customer=customer,
        topic=topic,
        defaults={
            "organization_id": customer.organization_id,
            "allowed": allowed,
            "source": source,
            "changed_at": timezone.now(),
        },
    )
    return preference
