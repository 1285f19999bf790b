"""The inventory's place in the console frame. Registered by `InventoryConfig.ready()`."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from aftercare.console.access import Access
from aftercare.console.navigation import NavLink, register_nav_link


def _in_stock(request: HttpRequest, section: str) -> bool:
    match = request.resolver_match
    return match is not None and match.namespace == "inventory"


def register() -> None:
    """The Stock link of the top bar, for those who manage stock (every member of staff may
    still open the pages: a technician's van is linked from their work)."""
    register_nav_link(
        NavLink(
            key="stock",
            label=gettext_lazy("Stock"),
            url_name="inventory:locations",
            order=68,
            access=Access.MANAGE,
            testid="nav-stock",
            is_current=_in_stock,
        )
    )
