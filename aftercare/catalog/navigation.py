"""The catalog's place in the console frame. Registered by `CatalogConfig.ready()`."""

from django.utils.translation import gettext_lazy

from aftercare.console.navigation import SettingsSection, register_settings_section


def register() -> None:
    """The product models, warranty policies, fault codes and spare parts sections of the
    settings."""
    register_settings_section(
        SettingsSection(
            key="products",
            label=gettext_lazy("Product models"),
            description=gettext_lazy(
                "The models you sell and service: name, SKU, brand, category and warranty."
            ),
            url_name="catalog:products",
            order=40,
        )
    )
    register_settings_section(
        SettingsSection(
            key="warranty_policies",
            label=gettext_lazy("Warranty policies"),
            description=gettext_lazy(
                "How long each model's warranty lasts, from when, what it covers and excludes, "
                "registration and transfer rules."
            ),
            url_name="catalog:policies",
            order=41,
        )
    )
    register_settings_section(
        SettingsSection(
            key="fault_codes",
            label=gettext_lazy("Fault codes"),
            description=gettext_lazy(
                "Coded faults and root causes: for warranty exclusions and for analysis."
            ),
            url_name="catalog:faults",
            order=42,
        )
    )
    register_settings_section(
        SettingsSection(
            key="spare_parts",
            label=gettext_lazy("Spare parts"),
            description=gettext_lazy(
                "Parts you stock and sell: SKU, name in each language, price, the models they fit."
            ),
            url_name="catalog:parts",
            order=43,
        )
    )
