from django.apps import AppConfig


class InventoryConfig(AppConfig):
    """Stock locations, the stock ledger, reservations for work orders, reorder points."""

    name = "aftercare.inventory"

    def ready(self) -> None:
        from aftercare.inventory import navigation

        navigation.register()
