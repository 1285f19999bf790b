"""The service request's vocabulary: channels, kinds, priorities, statuses and SLA targets.

It sits at the bottom so that every app can speak of requests (an SLA policy matching a kind, a
routing rule a channel, a customer's preferred channel) without importing `tickets`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    """Ways a customer reaches the business, and is answered."""

    PORTAL = "portal", _("Web portal")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    CHAT = "chat", _("Live chat")
    TELEGRAM = "telegram", _("Telegram")
    WHATSAPP = "whatsapp", _("WhatsApp")
    WALK_IN = "walk_in", _("Walk-in")
    API = "api", _("API")


class Status(models.TextChoices):
    """Where a request stands."""

    NEW = "new", _("New")
    OPEN = "open", _("Open")
    PENDING_CUSTOMER = "pending_customer", _("Pending customer")
    ON_HOLD = "on_hold", _("On hold")
    AWAITING_PARTS = "awaiting_parts", _("Awaiting parts")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = frozenset(
    {Status.NEW, Status.OPEN, Status.PENDING_CUSTOMER, Status.ON_HOLD, Status.AWAITING_PARTS}
)


class Priority(models.IntegerChoices):
    """How urgent a request is."""

    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


class Kind(models.TextChoices):
    """What the customer needs: the kinds of the standard after-sales form."""

    QUESTION = "question", _("Question / how-to")
    TECHNICAL_SUPPORT = "technical_support", _("Technical support")
    INSTALLATION = "installation", _("Installation")
    REPAIR = "repair", _("Repair")
    WARRANTY_CLAIM = "warranty_claim", _("Warranty claim")
    RETURN_EXCHANGE = "return_exchange", _("Return or exchange")
    SPARE_PARTS = "spare_parts", _("Spare parts order")
    MAINTENANCE = "maintenance", _("Periodic maintenance")
    COMPLAINT = "complaint", _("Complaint")
    TRAINING = "training", _("Training")
    CONTRACT_RENEWAL = "contract_renewal", _("Contract renewal")


class Metric(models.TextChoices):
    """The three targets an SLA policy can set."""

    FIRST_RESPONSE = "first_response", _("First response")
    NEXT_RESPONSE = "next_response", _("Next response")
    RESOLUTION = "resolution", pgettext_lazy("SLA target", "Resolution")
