"""The tickets app's place in the console frame: queue links, settings sections, the presence
switch and the texts of the live console's scripts. Registered by `TicketsConfig.ready()`."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from aftercare.console.access import Access
from aftercare.console.navigation import (
    NavbarWidget,
    NavLink,
    SettingsSection,
    register_nav_link,
    register_navbar_widget,
    register_script_texts,
    register_settings_section,
)
from aftercare.lib import dates
from aftercare.sla.models import SlaState


def _page(request: HttpRequest) -> tuple[str, str]:
    match = request.resolver_match
    return (match.namespace, match.url_name) if match else ("", "")


def _page_is(url_name: str):
    def is_current(request: HttpRequest, section: str) -> bool:
        return _page(request) == ("tickets", url_name)

    return is_current


def script_texts() -> dict:
    """Texts the console's scripts show (countdowns, live notices), in the active language."""
    return {
        "states": {state.value: str(state.label) for state in SlaState},
        "open": _("Open"),
        "days": _("%(days)s d %(hours)s h"),
        "hours": _("%(hours)s h %(minutes)s min"),
        "minutes": _("%(minutes)s min"),
        "left": _("%(time)s left"),
        "overdue": _("%(time)s overdue"),
        "persianDigits": dates.uses_jalali(),
        # The queue's live banner. Every language the console speaks has one form for 1 and
        # one for more.
        "queueChangedOne": ngettext(
            "%(count)s new or changed request", "%(count)s new or changed requests", 1
        ),
        "queueChangedMany": ngettext(
            "%(count)s new or changed request", "%(count)s new or changed requests", 2
        ),
    }


def register() -> None:
    """Put the tickets app's links, sections, widget and script texts into the frame."""
    # One link to the queues: the queue page's own tabs choose among them (mine, unassigned,
    # all open, at risk, each team), so the top bar does not repeat them.
    register_nav_link(
        NavLink(
            key="queue",
            label=gettext_lazy("Requests"),
            url_name="tickets:queue",
            order=10,
            testid="nav-queue",
            is_current=_page_is("queue"),
        )
    )
    for order, key, url_name, label, access, testid in [
        (50, "sla", "sla", gettext_lazy("SLA"), Access.MANAGE, "nav-sla"),
        (70, "new-request", "create", gettext_lazy("New request"), Access.WRITE, "nav-new-request"),
    ]:
        register_nav_link(
            NavLink(
                key=key,
                label=label,
                url_name=f"tickets:{url_name}",
                order=order,
                access=access,
                testid=testid,
                is_current=_page_is(url_name),
            )
        )
    register_navbar_widget(
        NavbarWidget(template="tickets/agents/_presence_switch.html", order=10, access=Access.WRITE)
    )
    register_navbar_widget(
        NavbarWidget(template="tickets/productivity/_shortcuts.html", order=90, access=Access.READ)
    )
    register_script_texts(script_texts)
    for order, key, url_name, label, description in [
        (
            30,
            "categories",
            "tickets:settings_categories",
            gettext_lazy("Categories"),
            gettext_lazy("The kinds of problem requests are filed under, with subcategories."),
        ),
        (
            80,
            "routing",
            "tickets:settings_routing",
            gettext_lazy("Routing"),
            gettext_lazy("Which team new requests go to, and how teams give them to agents."),
        ),
        (
            90,
            "agents",
            "tickets:settings_agents",
            gettext_lazy("Agents"),
            gettext_lazy("Presence, capacity and the languages and products each person handles."),
        ),
    ]:
        register_settings_section(
            SettingsSection(
                key=key, label=label, description=description, url_name=url_name, order=order
            )
        )
    for order, key, url_name, label, description in [
        (
            40,
            "canned_answers",
            "tickets:canned_answers",
            gettext_lazy("Canned answers"),
            gettext_lazy("Replies written once, inserted with the customer's name and dates."),
        ),
        (
            45,
            "macros",
            "tickets:macros",
            gettext_lazy("Macros"),
            gettext_lazy("Changes and a reply applied to a request in one step."),
        ),
    ]:
        register_settings_section(
            SettingsSection(
                key=key,
                label=label,
                description=description,
                url_name=url_name,
                order=order,
                access=Access.WRITE,
            )
        )
