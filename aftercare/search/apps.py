from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search across requests, customers, units and articles, in Persian, Turkish and Kazakh."""

    name = "aftercare.search"
