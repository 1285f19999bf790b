from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data (`manage.py seed_demo`): the top of the layers, it may use every app."""

    name = "aftercare.demo"

    def ready(self) -> None:
        from aftercare.demo.startup import demo_startup_notes
        from aftercare.lib.runtime import startup_notes

        startup_notes.connect(demo_startup_notes)
