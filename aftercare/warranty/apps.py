from django.apps import AppConfig


class WarrantyConfig(AppConfig):
    """Registered units, warranty contracts, coverage checks and warranty claims."""

    name = "aftercare.warranty"

    def ready(self) -> None:
        from aftercare.customers import hooks as customers_hooks
        from aftercare.warranty import navigation
        from aftercare.warranty.views import customer_units_panel

        navigation.register()
        customers_hooks.customer_page_panels.connect(customer_units_panel)
