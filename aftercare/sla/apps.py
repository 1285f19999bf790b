from django.apps import AppConfig


class SlaConfig(AppConfig):
    """Business calendars and holidays, SLA policies, clocks and escalation rules."""

    name = "aftercare.sla"
