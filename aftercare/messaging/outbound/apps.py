from django.apps import AppConfig


class OutboundConfig(AppConfig):
    """Sending side of the channels: each organization's mail server or email provider and SMS
    gateway, and the senders that use them."""

    name = "aftercare.messaging.outbound"
    label = "outbound"

    def ready(self) -> None:
        from aftercare.messaging.outbound import navigation

        navigation.register()
