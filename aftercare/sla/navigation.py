"""The SLA app's place in the console frame. Registered by `SlaConfig.ready()`."""

from django.utils.translation import gettext_lazy

from aftercare.console.navigation import SettingsSection, register_settings_section


def register() -> None:
    """The calendars and SLA policies sections of the settings."""
    register_settings_section(
        SettingsSection(
            key="calendars",
            label=gettext_lazy("Business calendars"),
            description=gettext_lazy(
                "Working hours, holidays (Jalali or Gregorian) and special dates the SLA clock "
                "counts on."
            ),
            url_name="sla:settings_calendars",
            order=50,
        )
    )
    register_settings_section(
        SettingsSection(
            key="policies",
            label=gettext_lazy("SLA policies"),
            description=gettext_lazy(
                "How fast requests are answered and resolved, by priority, kind, channel, tier "
                "and product."
            ),
            url_name="sla:settings_policies",
            order=60,
        )
    )
    register_settings_section(
        SettingsSection(
            key="escalation",
            label=gettext_lazy("Escalation"),
            description=gettext_lazy(
                "Who is told, and what changes, when a request is at risk or breaches its SLA."
            ),
            url_name="sla:settings_escalation",
            order=70,
        )
    )
