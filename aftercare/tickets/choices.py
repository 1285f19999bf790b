"""Enumerations only the tickets app uses: status moves, message kinds, call directions.

The vocabulary other apps share (channel, kind, priority, status) is `aftercare.lib.vocabulary`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from aftercare.lib.vocabulary import Status

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


class MessageKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer message")
    REPLY = "reply", _("Agent reply")
    NOTE = "note", _("Internal note")
    CALL = "call", _("Phone call")


class CallDirection(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")
