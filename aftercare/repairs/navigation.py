"""The repairs app's place in the console frame: the technician's day and the dispatch board
in the top bar, the repair settings in the settings area. Registered by `RepairsConfig.ready()`."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from aftercare.console.access import Access
from aftercare.console.navigation import (
    NavLink,
    SettingsSection,
    register_nav_link,
    register_settings_section,
)


def _page_is(url_name: str):
    def is_current(request: HttpRequest, section: str) -> bool:
        match = request.resolver_match
        return bool(match) and (match.namespace, match.url_name) == ("repairs", url_name)

    return is_current


def register() -> None:
    """Put the repairs pages into the frame."""
    register_nav_link(
        NavLink(
            key="repairs-day",
            label=gettext_lazy("My day"),
            url_name="repairs:day",
            order=66,
            access=Access.WRITE,
            testid="nav-my-day",
            is_current=_page_is("day"),
        )
    )
    register_nav_link(
        NavLink(
            key="repairs-dispatch",
            label=gettext_lazy("Dispatch"),
            url_name="repairs:dispatch",
            order=67,
            access=Access.MANAGE,
            testid="nav-dispatch",
            is_current=_page_is("dispatch"),
        )
    )
    register_settings_section(
        SettingsSection(
            key="repairs",
            label=gettext_lazy("Repairs"),
            description=gettext_lazy(
                "Currency, tax, labour and travel rates, and how long a quote holds."
            ),
            url_name="repairs:settings",
            order=62,
        )
    )
