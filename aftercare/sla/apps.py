from django.apps import AppConfig


class SlaConfig(AppConfig):
    """Business calendars and holidays, SLA policies, clocks and escalation rules."""

    name = "aftercare.sla"

    def ready(self) -> None:
        from aftercare.sla import navigation

        navigation.register()
