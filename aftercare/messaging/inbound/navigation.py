"""Inbound mail's place in the console frame: a settings section for admins."""

from django.utils.translation import gettext_lazy

from aftercare.console.access import Access
from aftercare.console.navigation import SettingsSection, register_settings_section


def register() -> None:
    register_settings_section(
        SettingsSection(
            key="email",
            label=gettext_lazy("Email"),
            description=gettext_lazy(
                "Mailboxes polled for customers' mail, and every message that came in, with "
                "the ones that could not be processed."
            ),
            url_name="inbound:list",
            order=100,
            access=Access.ADMIN,
        )
    )
