"""API v1 of the SLA app: calendars, policies and escalation rules, one router each."""

from aftercare.sla.api.calendars import calendars_router
from aftercare.sla.api.escalation import escalation_router
from aftercare.sla.api.policies import policies_router

__all__ = ["calendars_router", "escalation_router", "policies_router"]
