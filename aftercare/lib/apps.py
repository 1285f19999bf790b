from django.apps import AppConfig


class LibConfig(AppConfig):
    """Helpers that know no app; an app so that serve, worker, scheduler and its tasks load."""

    name = "aftercare.lib"
    label = "aclib"
