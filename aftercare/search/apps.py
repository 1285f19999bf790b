from django.apps import AppConfig


class SearchConfig(AppConfig):
    """One search for every search box and the API: requests, customers, units and articles, in
    Persian, Turkish, Kazakh and English."""

    name = "aftercare.search"

    def ready(self) -> None:
        from aftercare.search import navigation

        navigation.register()
