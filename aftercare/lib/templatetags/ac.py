"""Template filters every page uses: dates in the user's calendar, digits, direction."""

from django import template
from django.utils import translation

from aftercare.lib import dates
from aftercare.lib.text import persian_digits

register = template.Library()


@register.filter
def when(value):
    """A date-time in the user's zone, calendar and digits."""
    return dates.format_datetime(value)


@register.filter
def day(value):
    """A date in the user's calendar and digits."""
    return dates.format_date(value)


@register.filter
def longday(value):
    """A date with its month name, in the user's calendar."""
    return dates.format_date_long(value)


@register.filter
def digits(value):
    """Numbers in the digits of the active language."""
    text = str(value)
    if dates.uses_jalali():
        return persian_digits(text)
    return text


@register.simple_tag
def text_direction():
    """rtl or ltr for the active language."""
    return "rtl" if translation.get_language_bidi() else "ltr"
