from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The customer's pages: sign in by link, submit and follow requests."""

    name = "aftercare.portal"
