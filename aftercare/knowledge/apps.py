from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    """The knowledge base: articles and their translations, categories, the help centre's
    reads, votes and deflections."""

    name = "aftercare.knowledge"

    def ready(self) -> None:
        from aftercare.knowledge import navigation
        from aftercare.knowledge.indexing import SEARCH_KIND
        from aftercare.search.kinds import kind_register

        navigation.register()
        kind_register(SEARCH_KIND)
