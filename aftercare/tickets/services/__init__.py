"""Every write to the tickets app's models: requests, their SLA, routing and categories."""

from aftercare.tickets.services.categories import category_create, category_update
from aftercare.tickets.services.dispatch import routing_dispatch
from aftercare.tickets.services.escalation import escalation_notify, escalation_run
from aftercare.tickets.services.requests import (
    BODY_MAX,
    SUBJECT_MAX,
    ticket_assign,
    ticket_attachments_add,
    ticket_confirm_resolution,
    ticket_create,
    ticket_message_add,
    ticket_status_change,
    ticket_update,
)
from aftercare.tickets.services.routing import (
    agent_profile_get,
    agent_profile_update,
    routing_rule_create,
    routing_rule_update,
)
from aftercare.tickets.services.sla import sla_apply, sla_configuration_apply, sla_rebuild
from aftercare.tickets.services.sweep import SweepResult, sla_sweep

__all__ = [
    "BODY_MAX",
    "SUBJECT_MAX",
    "SweepResult",
    "agent_profile_get",
    "agent_profile_update",
    "category_create",
    "category_update",
    "escalation_notify",
    "escalation_run",
    "routing_dispatch",
    "routing_rule_create",
    "routing_rule_update",
    "sla_apply",
    "sla_configuration_apply",
    "sla_rebuild",
    "sla_sweep",
    "ticket_assign",
    "ticket_attachments_add",
    "ticket_confirm_resolution",
    "ticket_create",
    "ticket_message_add",
    "ticket_status_change",
    "ticket_update",
]
