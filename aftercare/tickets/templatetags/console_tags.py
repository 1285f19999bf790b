"""Texts the console's scripts show, handed to them once per page."""

from django import template
from django.utils.translation import gettext as _

from aftercare.lib import dates
from aftercare.sla.models import SlaState

register = template.Library()


@register.simple_tag
def console_strings() -> dict:
    """Texts the console's scripts show (countdowns, live notices), in the active language."""
    return {
        "states": {state.value: str(state.label) for state in SlaState},
        "slaWarning": _("%(reference)s is at risk of missing its SLA."),
        "slaBreach": _("%(reference)s breached its SLA."),
        "assigned": _("%(reference)s was given to you: %(subject)s"),
        "open": _("Open"),
        "days": _("%(days)s d %(hours)s h"),
        "hours": _("%(hours)s h %(minutes)s min"),
        "minutes": _("%(minutes)s min"),
        "left": _("%(time)s left"),
        "overdue": _("%(time)s overdue"),
        "persianDigits": dates.uses_jalali(),
    }
