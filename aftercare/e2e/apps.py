from django.apps import AppConfig


class E2eConfig(AppConfig):
    """End-to-end tests against a real server, and the command that sets up their data."""

    name = "aftercare.e2e"
    label = "e2e"
