from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """The console's frame every app's pages use, and the pages of `accounts`."""

    name = "aftercare.console"

    def ready(self) -> None:
        from aftercare.console import navigation

        navigation.register_own()
