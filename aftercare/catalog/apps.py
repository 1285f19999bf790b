from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """Product models the organization sells and services."""

    name = "aftercare.catalog"

    def ready(self) -> None:
        from aftercare.catalog import navigation

        navigation.register()
