from django.apps import AppConfig


class TicketsConfig(AppConfig):
    """The service request: the standard after-sales form, its timeline and its routing data."""

    name = "aftercare.tickets"

    def ready(self) -> None:
        from aftercare.accounts import hooks as accounts_hooks
        from aftercare.tickets import navigation
        from aftercare.tickets.services.routing import team_dispatch

        navigation.register()
        accounts_hooks.team_assigns_automatically.connect(team_dispatch)
