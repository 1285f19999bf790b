"""Template filters every page uses: dates in the user's calendar, digits, direction."""

from django import template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from aftercare.lib import dates
from aftercare.lib.text import html_escape, persian_digits

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


@register.filter
def span(seconds):
    """A length of time in seconds as people say it: 2 h 15 min."""
    try:
        return dates.format_span(float(seconds or 0))
    except (TypeError, ValueError):
        return ""


@register.filter
def business_span(seconds):
    """A length of business time in seconds, in hours and minutes: 24 h 0 min."""
    try:
        return dates.format_span(float(seconds or 0), with_days=False)
    except (TypeError, ValueError):
        return ""


@register.filter
def countdown(value):
    """Time left until a due time, or how long it is overdue."""
    return dates.format_countdown(value)


@register.simple_tag
def field(bound_field, wrapper_class: str = "") -> SafeString:
    """A form field as every console form lays it out: label, input, errors, help text.

    Written in Python rather than included from a template: a form page drew each of its fields
    through an include, which cost more than the field itself.
    """
    hidden = bound_field.is_hidden
    parts = [f'<div class="{html_escape(wrapper_class or "mb-2")}">']
    if not hidden:
        parts.append(
            f'<label class="form-label small mb-1" for="{html_escape(bound_field.auto_id)}">'
            f"{html_escape(bound_field.label)}</label>"
        )
    parts.append(html_escape(bound_field))
    if bound_field.errors:
        errors = " ".join(html_escape(error) for error in bound_field.errors)
        parts.append(
            f'<div class="invalid-feedback d-block" '
            f'data-testid="error-{html_escape(bound_field.name)}">{errors}</div>'
        )
    if bound_field.help_text and not hidden:
        parts.append(f'<div class="form-text">{html_escape(bound_field.help_text)}</div>')
    parts.append("</div>")
    return mark_safe("\n".join(parts))  # noqa: S308 - every value escaped above
