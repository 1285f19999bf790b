"""Sending settings' place in the console frame: a settings section for admins."""

from django.utils.translation import gettext_lazy

from aftercare.console.access import Access
from aftercare.console.navigation import SettingsSection, register_settings_section


def register() -> None:
    register_settings_section(
        SettingsSection(
            key="sending",
            label=gettext_lazy("Sending"),
            description=gettext_lazy(
                "The mail server or email provider your mail goes out through, and the SMS "
                "gateway for text messages."
            ),
            url_name="outbound:overview",
            order=105,
            access=Access.ADMIN,
        )
    )
