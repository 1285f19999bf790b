"""Notices' place in the console frame: settings sections for admins and for every member."""

from django.utils.translation import gettext_lazy

from aftercare.console.access import Access
from aftercare.console.navigation import SettingsSection, register_settings_section


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
