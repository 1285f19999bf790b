from django.apps import AppConfig


class CustomersConfig(AppConfig):
    """The CRM record of each customer and how to reach them."""

    name = "aftercare.customers"

    def ready(self) -> None:
        from aftercare.customers import navigation
        from aftercare.customers.indexing import SEARCH_KIND
        from aftercare.search.kinds import kind_register

        navigation.register()
        kind_register(SEARCH_KIND)
