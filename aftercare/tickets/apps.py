from django.apps import AppConfig


class TicketsConfig(AppConfig):
    """The service request: the standard after-sales form, its timeline and its routing data."""

    name = "aftercare.tickets"

    def ready(self) -> None:
        from aftercare.tickets import navigation

        navigation.register()
