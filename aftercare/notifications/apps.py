from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """What people are told: notices per event, language and channel, and the outbound log."""

    name = "aftercare.notifications"
