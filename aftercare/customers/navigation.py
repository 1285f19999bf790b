"""The customers app's place in the console frame. Registered by `CustomersConfig.ready()`."""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from aftercare.console.navigation import NavLink, register_nav_link


def _in_customers(request: HttpRequest, section: str) -> bool:
    match = request.resolver_match
    return match is not None and match.namespace == "customers"


def register() -> None:
    """The Customers link of the top bar."""
    register_nav_link(
        NavLink(
            key="customers",
            label=gettext_lazy("Customers"),
            url_name="customers:list",
            order=60,
            is_current=_in_customers,
        )
    )
