from django.apps import AppConfig


class InboundConfig(AppConfig):
    """Receiving side of the channels: raw inbound stored first, then processed into requests."""

    name = "aftercare.messaging.inbound"
    label = "inbound"
