"""The catalog's place in the console frame. Registered by `CatalogConfig.ready()`."""

from django.utils.translation import gettext_lazy

from aftercare.console.navigation import SettingsSection, register_settings_section


def register() -> None:
    """The Product models section of the settings."""
    register_settings_section(
        SettingsSection(
            key="products",
            label=gettext_lazy("Product models"),
            description=gettext_lazy(
                "The models you sell and service: name, SKU, brand and category."
            ),
            url_name="catalog:products",
            order=40,
        )
    )
