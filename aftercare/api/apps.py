from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The API's base: schemas, the error shape, authentication and permission checks."""

    name = "aftercare.api"
