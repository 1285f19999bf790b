"""Notices' place in the console frame: settings sections for admins and for every member, the
bell on the top bar, and its texts for the live console's script."""

from django.utils.translation import gettext_lazy

from aftercare.console.access import Access
from aftercare.console.navigation import (
    BAR,
    NavbarWidget,
    SettingsSection,
    register_navbar_widget,
    register_script_texts,
    register_settings_section,
)
from aftercare.notifications.bell import script_texts


def register() -> None:
    register_settings_section(
        SettingsSection(
            key="notifications",
            label=gettext_lazy("Notifications"),
            description=gettext_lazy(
                "What customers and staff are told, in your words and their language; quiet "
                "hours, reminders, and every notice sent."
            ),
            url_name="notifications:rules",
            order=95,
            access=Access.MANAGE,
        )
    )
    register_settings_section(
        SettingsSection(
            key="my-notifications",
            label=gettext_lazy("My notifications"),
            description=gettext_lazy("Which notices you get by email."),
            url_name="notifications:mine",
            order=200,
            access=Access.READ,
        )
    )
    register_navbar_widget(
        NavbarWidget(
            template="notifications/_bell.html",
            panel="notifications/_bell_panel.html",
            order=1,
            access=Access.PERSONAL,
            placement=BAR,
        )
    )
    register_script_texts(script_texts)
