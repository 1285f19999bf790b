"""The knowledge base's place in the console frame. Registered by `KnowledgeConfig.ready()`."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from aftercare.console.access import Access
from aftercare.console.navigation import (
    NavLink,
    SettingsSection,
    register_nav_link,
    register_settings_section,
)


def _in_knowledge(request: HttpRequest, section: str) -> bool:
    match = request.resolver_match
    return (
        match is not None
        and match.namespace == "knowledge"
        and not (match.url_name or "").startswith("categor")
    )


def register() -> None:
    """The Knowledge link of the top bar (every member of staff reads articles), and the
    article categories in the settings."""
    register_nav_link(
        NavLink(
            key="knowledge",
            label=gettext_lazy("Knowledge"),
            url_name="knowledge:articles",
            order=64,
            access=Access.READ,
            testid="nav-knowledge",
            is_current=_in_knowledge,
        )
    )
    register_settings_section(
        SettingsSection(
            key="article_categories",
            label=gettext_lazy("Article categories"),
            description=gettext_lazy(
                "How the help centre groups its articles: names in every language and order."
            ),
            url_name="knowledge:categories",
            order=45,
        )
    )
