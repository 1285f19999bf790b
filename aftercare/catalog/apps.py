from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """Product models the organization sells and services."""

    name = "aftercare.catalog"

    def ready(self) -> None:
        from aftercare.catalog import navigation
        from aftercare.catalog.indexing import SEARCH_KINDS
        from aftercare.search.kinds import kind_register

        navigation.register()
        for kind in SEARCH_KINDS:
            kind_register(kind)
