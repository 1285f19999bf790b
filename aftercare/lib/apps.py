from django.apps import AppConfig


class LibConfig(AppConfig):
    """Pure helpers; an app only so its template tags and migrations-free checks load."""

    name = "aftercare.lib"
    label = "aclib"
