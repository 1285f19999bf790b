"""Every write to requests, their SLA clock and problem categories.

Routing, agents and escalation keep their services in their own subpackages.
"""

from aftercare.tickets.services.categories import category_create, category_update
from aftercare.tickets.services.conversation import ticket_attachments_add, ticket_message_add
from aftercare.tickets.services.requests import (
    BODY_MAX,
    SUBJECT_MAX,
    ticket_assign,
    ticket_confirm_resolution,
    ticket_create,
    ticket_status_change,
    ticket_update,
)
from aftercare.tickets.services.sla import sla_apply, sla_configuration_apply, sla_rebuild

__all__ = [
    "BODY_MAX",
    "SUBJECT_MAX",
    "category_create",
    "category_update",
    "sla_apply",
    "sla_configuration_apply",
    "sla_rebuild",
    "ticket_assign",
    "ticket_attachments_add",
    "ticket_confirm_resolution",
    "ticket_create",
    "ticket_message_add",
    "ticket_status_change",
    "ticket_update",
]
