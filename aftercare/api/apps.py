from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The django-ninja API that mounts each app's router."""

    name = "aftercare.api"
