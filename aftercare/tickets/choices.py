"""Enumerations of the service request."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
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

# Which status may follow which; anything else is refused by the services.
_WORKING = frozenset(
    {
        Status.OPEN,
        Status.PENDING_CUSTOMER,
        Status.ON_HOLD,
        Status.AWAITING_PARTS,
        Status.RESOLVED,
        Status.CLOSED,
    }
)
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: _WORKING,
    Status.OPEN: _WORKING - {Status.OPEN},
    Status.PENDING_CUSTOMER: _WORKING - {Status.PENDING_CUSTOMER},
    Status.ON_HOLD: _WORKING - {Status.ON_HOLD},
    Status.AWAITING_PARTS: _WORKING - {Status.AWAITING_PARTS},
    Status.RESOLVED: frozenset({Status.OPEN, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


class Kind(models.TextChoices):
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


class MessageKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer message")
    REPLY = "reply", _("Agent reply")
    NOTE = "note", _("Internal note")
    CALL = "call", _("Phone call")


class CallDirection(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")
