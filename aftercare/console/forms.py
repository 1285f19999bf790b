"""The console's form base and fields: Bootstrap classes, id choices, dates in the user's
calendar. Each app's forms build on these; the rules themselves live in the services."""

import datetime

import jdatetime
from django import forms
from django.utils import dates, formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.lib.dates import parse_user_date, uses_jalali

EMPTY = "—"


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that accepts several files."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several uploaded files, possibly none; their type and size are checked by the services."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        """A list of files, possibly empty."""
        clean_one = super().clean
        files = data if isinstance(data, list | tuple) else [data]
        return [clean_one(item, initial) for item in files if item]


class ConsoleForm(forms.Form):
    """A form whose widgets carry Bootstrap classes and whose id choices map back to objects."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._objects: dict[str, dict[str, object]] = {}
        self._checks: dict[str, dict[str, object]] = {}
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.CheckboxInput | forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")

    def add_error(self, field, error) -> None:
        """Record the error and mark the field's input invalid, as Bootstrap shows it."""
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"

    def set_objects(
        self, name: str, objects, *, empty: str | None = EMPTY, extra: list | None = None
    ) -> None:
        """Offer `objects` (of this organization) as the choices of field `name`."""
        self._objects[name] = {str(obj.pk): obj for obj in objects}
        choices = [("", empty)] if empty is not None else []
        choices += extra or []
        choices += [(key, str(obj)) for key, obj in self._objects[name].items()]
        self.fields[name].choices = choices

    def object_for(self, name: str):
        """The object chosen in field `name`, or None."""
        return self._objects.get(name, {}).get(self.cleaned_data.get(name) or "")

    def set_checks(self, name: str, objects) -> None:
        """Offer `objects` (of this organization) as the checkboxes of field `name`."""
        self._checks[name] = {str(obj.pk): obj for obj in objects}
        self.fields[name].choices = [(key, str(obj)) for key, obj in self._checks[name].items()]

    def checked(self, name: str) -> list:
        """The objects ticked in checkbox field `name`."""
        return [self._checks[name][key] for key in self.cleaned_data.get(name, [])]


# The earliest year a typed date may have: anything before is a slip (a Jalali year typed where a
# Gregorian one is read, or a year cut short), not a date this product keeps.
DATE_MIN_YEAR = 1900
# Direction marks that text copied from a right-to-left page carries around its digits.
_DIRECTION_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def date_input_value(value: datetime.date | None) -> str:
    """How a date is written in a date field in the active language: YYYY/MM/DD in the Jalali
    calendar for Persian, ISO YYYY-MM-DD otherwise (what the date picker writes, too)."""
    if value is None:
        return ""
    if uses_jalali():
        return jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d")
    return value.isoformat()


def date_example() -> str:
    """Today, as a date field takes it: the example its placeholder and errors show."""
    return date_input_value(timezone.localdate())


def date_format_error() -> str:
    """What a date field says of a value it cannot read: the shape, with today as the example."""
    if uses_jalali():
        message = _("Enter the date as YYYY/MM/DD in the Persian calendar, e.g. %(example)s.")
    else:
        message = _("Enter the date as YYYY-MM-DD, e.g. %(example)s.")
    return message % {"example": date_example()}


def clean_user_date(value: str) -> datetime.date | None:
    """A typed date in the user's calendar (Persian and Arabic-Indic digits too), or a field
    error saying the expected shape."""
    value = (value or "").translate(_DIRECTION_MARKS).strip()
    if not value:
        return None
    try:
        parsed = parse_user_date(value, language=translation.get_language())
    except (ValueError, TypeError, OverflowError):
        parsed = None
    if parsed is None or parsed.year < DATE_MIN_YEAR:
        raise forms.ValidationError(date_format_error(), code="invalid_date")
    return parsed


def date_picker_attrs() -> dict[str, str]:
    """The attributes that give a text input our date picker (static/aftercare/jalali-picker.js)
    in the active language's calendar, with its placeholder: today, as the field takes it."""
    attrs = {"placeholder": date_example(), "dir": "ltr", "autocomplete": "off"}
    if uses_jalali():
        # The picker's Persian texts are its own.
        return {**attrs, "data-jalali-picker": ""}
    return {
        **attrs,
        "data-date-picker": "gregorian",
        "data-first-day": str(formats.get_format("FIRST_DAY_OF_WEEK")),
        "data-label-open": _("Choose a date"),
        "data-label-previous": _("Previous month"),
        "data-label-next": _("Next month"),
        "data-label-today": _("Today"),
        # Django's names in the language: the browser's may be missing (Kazakh, in some builds).
        "data-months": "|".join(str(name) for name in dates.MONTHS.values()),
        "data-weekdays": "|".join(str(name) for name in dates.WEEKDAYS_ABBR.values()),
        "data-weekdays-long": "|".join(str(name) for name in dates.WEEKDAYS.values()),
    }


def date_widget() -> forms.Widget:
    """A date typed or picked in our date picker, in the active language's calendar: the same
    text field in every language (the browser's own date input shows its locale's order, and
    cannot show Jalali dates)."""
    return forms.TextInput(attrs=date_picker_attrs())


def text_field(
    label,
    *,
    max_length: int | None = None,
    direction: str = "auto",
    required: bool = False,
    help_text="",
    **attrs: str,
) -> forms.CharField:
    """A one-line text input; `direction` is "ltr" for codes, numbers and addresses."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs={"dir": direction, **attrs}),
    )


def position_field(help_text) -> forms.IntegerField:
    """Where a rule sits in an ordered list (lower is matched first); empty puts it last."""
    return forms.IntegerField(
        label=gettext_lazy("Order"),
        required=False,
        min_value=0,
        max_value=10**6,
        help_text=help_text,
    )


def checkbox(label, help_text="") -> forms.BooleanField:
    """A yes/no switch."""
    return forms.BooleanField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


def active_checkbox(help_text) -> forms.BooleanField:
    """The "active" switch every settings form shares."""
    return checkbox(gettext_lazy("Active"), help_text)


def checkboxes(label, choices=(), help_text="") -> forms.MultipleChoiceField:
    """A list of checkboxes, none required; `ConsoleForm.set_checks` fills it with objects."""
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=choices,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
