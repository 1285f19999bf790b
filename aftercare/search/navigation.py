"""The search box in the console's top bar. Registered by `SearchConfig.ready()`."""

from aftercare.console.navigation import NavbarWidget, register_navbar_widget


def register() -> None:
    register_navbar_widget(NavbarWidget(template="search/_top_search.html", order=5))
