from django.apps import AppConfig


class InboundConfig(AppConfig):
    """Receiving side of the channels: raw inbound stored first, then processed into requests."""

    name = "aftercare.messaging.inbound"
    label = "inbound"

    def ready(self) -> None:
        from aftercare.messaging.inbound import navigation

        navigation.register()
