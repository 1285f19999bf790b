"""The warranty app's place in the console frame. Registered by `WarrantyConfig.ready()`."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from aftercare.console.navigation import NavLink, register_nav_link


def _in_units(request: HttpRequest, section: str) -> bool:
    match = request.resolver_match
    return match is not None and match.namespace == "warranty"


def register() -> None:
    """The Units link of the top bar."""
    register_nav_link(
        NavLink(
            key="units",
            label=gettext_lazy("Units"),
            url_name="warranty:list",
            order=65,
            testid="nav-units",
            is_current=_in_units,
        )
    )
