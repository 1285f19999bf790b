from django.apps import AppConfig


class WarrantyConfig(AppConfig):
    """Registered units, warranty contracts, coverage checks and warranty claims."""

    name = "aftercare.warranty"

    def ready(self) -> None:
        from aftercare.catalog import hooks as catalog_hooks
        from aftercare.customers import hooks as customers_hooks
        from aftercare.search.kinds import kind_register
        from aftercare.warranty import navigation
        from aftercare.warranty.indexing import SEARCH_KIND, customer_units_index
        from aftercare.warranty.tasks import model_units_index_soon
        from aftercare.warranty.views import customer_units_panel

        navigation.register()
        kind_register(SEARCH_KIND)
        customers_hooks.customer_renamed.connect(customer_units_index)
        catalog_hooks.product_model_renamed.connect(model_units_index_soon)
        customers_hooks.customer_page_panels.connect(customer_units_panel)
