"""Console forms for business calendars and SLA policies; the rules live in the services."""

import re
from datetime import time

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.console.forms import (
    EMPTY,
    ConsoleForm,
    active_checkbox,
    checkbox,
    checkboxes,
    clean_user_date,
    date_widget,
    position_field,
    text_field,
)
from aftercare.customers.models import Tier
from aftercare.lib.text import normalize_digits
from aftercare.lib.vocabulary import Channel, Kind, Priority
from aftercare.sla.models import EscalationRule, Holiday, Metric
from aftercare.sla.presets import PRESETS
from aftercare.sla.services import PAUSABLE_STATUSES

WEEKDAYS = [
    (5, gettext_lazy("Saturday")),
    (6, gettext_lazy("Sunday")),
    (0, gettext_lazy("Monday")),
    (1, gettext_lazy("Tuesday")),
    (2, gettext_lazy("Wednesday")),
    (3, gettext_lazy("Thursday")),
    (4, gettext_lazy("Friday")),
]
_INTERVAL = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–—]\s*(\d{1,2}):(\d{2})\s*$")
_SEPARATORS = re.compile(r"[,،;\n]+")


def parse_hours(text: str) -> list[tuple[time, time]]:
    """Working hours typed as "09:00-12:30, 13:30-18:00" (any digits); empty means closed."""
    intervals = []
    for part in _SEPARATORS.split(normalize_digits(text or "")):
        if not part.strip():
            continue
        match = _INTERVAL.match(part)
        if match is None:
            raise forms.ValidationError(
                _("Write hours as 09:00-13:00, several separated by commas.")
            )
        start_h, start_m, end_h, end_m = (int(value) for value in match.groups())
        if end_h == 24 and end_m == 0:
            end_h = 0
        try:
            intervals.append((time(start_h, start_m), time(end_h, end_m)))
        except ValueError:
            raise forms.ValidationError(
                _("%(text)s is not a time of day.") % {"text": part}
            ) from None
    return intervals


def format_hours(intervals) -> str:
    """Stored intervals written back as the form reads them."""
    return ", ".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in intervals)


class CalendarCreateForm(ConsoleForm):
    """A new calendar: a copy of a country's preset, or empty hours in a chosen time zone."""

    preset = forms.ChoiceField(
        label=gettext_lazy("Start from"),
        required=False,
        help_text=gettext_lazy(
            "A preset brings the country's working week and fixed-date holidays; "
            "add the moving holidays (the lunar ones) yourself or import them."
        ),
    )
    name = text_field(gettext_lazy("Name"), max_length=100)
    time_zone = text_field(
        gettext_lazy("Time zone"),
        max_length=64,
        direction="ltr",
        help_text=gettext_lazy("For a calendar without a preset, e.g. Asia/Tehran."),
        list="time-zones",
    )
    is_default = forms.BooleanField(
        label=gettext_lazy("Default calendar of the organization"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = {"IR": _("Iran"), "TR": _("Turkey"), "KZ": _("Kazakhstan")}
        self.fields["preset"].choices = [("", _("No preset: empty hours"))] + [
            (code, names[code]) for code in PRESETS
        ]


class CalendarEditForm(ConsoleForm):
    """A calendar's name, zone and weekly hours, one line per weekday."""

    name = text_field(gettext_lazy("Name"), max_length=100, required=True)
    time_zone = text_field(
        gettext_lazy("Time zone"), max_length=64, direction="ltr", required=True, list="time-zones"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for weekday, label in WEEKDAYS:
            self.fields[f"weekday_{weekday}"] = text_field(
                label,
                max_length=200,
                direction="ltr",
                placeholder=_("Closed"),
            )
            self.fields[f"weekday_{weekday}"].widget.attrs["class"] = "form-control"

    def weekday_fields(self) -> list:
        """The seven weekday inputs, Saturday first."""
        return [self[f"weekday_{weekday}"] for weekday, _label in WEEKDAYS]

    def clean(self):
        """Read each weekday's hours; a mistake is shown on that weekday's line."""
        cleaned = super().clean()
        weekly = {}
        for weekday, _label in WEEKDAYS:
            name = f"weekday_{weekday}"
            try:
                weekly[weekday] = parse_hours(cleaned.get(name, ""))
            except forms.ValidationError as error:
                self.add_error(name, error)
        cleaned["weekly"] = weekly
        return cleaned


class HolidayForm(ConsoleForm):
    """A holiday: a date, a range, or a Gregorian or Jalali month and day every year."""

    name = text_field(gettext_lazy("Name"), max_length=100, required=True)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Holiday.Kind.choices)
    start_date = forms.CharField(label=gettext_lazy("Date"), required=False, max_length=20)
    end_date = forms.CharField(label=gettext_lazy("Last date"), required=False, max_length=20)
    month = forms.IntegerField(
        label=gettext_lazy("Month"), required=False, min_value=1, max_value=12
    )
    day = forms.IntegerField(label=gettext_lazy("Day"), required=False, min_value=1, max_value=31)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start_date", "end_date"):
            self.fields[name].widget = date_widget()
            self.fields[name].widget.attrs["class"] = "form-control"

    def clean_start_date(self):
        """A typed date in the user's calendar."""
        return clean_user_date(self.cleaned_data.get("start_date", ""))

    def clean_end_date(self):
        """A typed date in the user's calendar."""
        return clean_user_date(self.cleaned_data.get("end_date", ""))


class OverrideForm(ConsoleForm):
    """A date's own hours: a short day, an extra working day, or closed."""

    date = forms.CharField(label=gettext_lazy("Date"), max_length=20)
    hours = text_field(
        gettext_lazy("Working hours"),
        max_length=200,
        direction="ltr",
        help_text=gettext_lazy("e.g. 08:00-12:00; leave empty to close the date."),
    )
    note = text_field(gettext_lazy("Note"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].widget = date_widget()
        self.fields["date"].widget.attrs["class"] = "form-control"

    def clean_date(self):
        """A typed date in the user's calendar."""
        value = clean_user_date(self.cleaned_data.get("date", ""))
        if value is None:
            raise forms.ValidationError(_("Enter the date."))
        return value

    def clean_hours(self):
        """The hours as intervals."""
        return parse_hours(self.cleaned_data.get("hours", ""))


class IcsImportForm(ConsoleForm):
    """An iCalendar file of holidays."""

    file = forms.FileField(
        label=gettext_lazy("iCalendar file (.ics)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,text/calendar"}),
    )


def _minutes(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=366 * 24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
    )


class PolicyForm(ConsoleForm):
    """An SLA policy: when it applies (every condition left empty matches) and its targets."""

    name = text_field(gettext_lazy("Name"), max_length=100, required=True)
    position = position_field(
        gettext_lazy("Lower is matched first; the first policy that matches applies.")
    )
    priorities = checkboxes(gettext_lazy("Priorities"), Priority.choices)
    kinds = checkboxes(gettext_lazy("Kinds of request"), Kind.choices)
    channels = checkboxes(gettext_lazy("Channels"), Channel.choices)
    customer_tiers = checkboxes(gettext_lazy("Customer tiers"), Tier.choices)
    product_models = checkboxes(gettext_lazy("Product models"), [])
    calendar = forms.ChoiceField(label=gettext_lazy("Business calendar"), required=False)
    first_response_minutes = _minutes(gettext_lazy("First response within (minutes)"))
    next_response_minutes = _minutes(gettext_lazy("Next response within (minutes)"))
    resolution_minutes = _minutes(gettext_lazy("Resolution within (minutes)"))
    pause_statuses = checkboxes(
        gettext_lazy("Pause the clock while the request is"),
        [(status.value, status.label) for status in PAUSABLE_STATUSES],
    )
    warning_percent = forms.IntegerField(
        label=gettext_lazy("Warn at (percent of the target)"),
        min_value=0,
        max_value=99,
        initial=80,
        help_text=gettext_lazy("0 means no warning."),
    )
    is_active = active_checkbox(gettext_lazy("Inactive policies match no request."))

    def __init__(self, *args, calendars, products, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("calendar", calendars, empty=_("The default calendar"))
        self.set_checks("product_models", products)
        if not editing:
            del self.fields["is_active"]

    def arguments(self) -> dict:
        """The service's keyword arguments."""
        data = self.cleaned_data
        arguments = {
            "name": data["name"],
            "priorities": [int(value) for value in data["priorities"]],
            "kinds": data["kinds"],
            "channels": data["channels"],
            "customer_tiers": data["customer_tiers"],
            "product_models": self.checked("product_models"),
            "calendar": self.object_for("calendar"),
            "first_response_minutes": data["first_response_minutes"],
            "next_response_minutes": data["next_response_minutes"],
            "resolution_minutes": data["resolution_minutes"],
            "pause_statuses": data["pause_statuses"],
            "warning_percent": data["warning_percent"],
        }
        if data.get("position") is not None:
            arguments["position"] = data["position"]
        if "is_active" in self.fields:
            arguments["is_active"] = data["is_active"]
        return arguments


class EscalationRuleForm(ConsoleForm):
    """When a rule fires and what it does."""

    name = text_field(gettext_lazy("Name"), max_length=100, required=True)
    level = forms.IntegerField(label=gettext_lazy("Level"), min_value=1, max_value=9, initial=1)
    threshold = forms.ChoiceField(
        label=gettext_lazy("When"), choices=EscalationRule.Threshold.choices
    )
    metric = forms.ChoiceField(
        label=gettext_lazy("Target"),
        required=False,
        choices=[("", gettext_lazy("Any target")), *Metric.choices],
    )
    delay_minutes = forms.IntegerField(
        label=gettext_lazy("Minutes after"),
        min_value=0,
        max_value=30 * 24 * 60,
        initial=0,
        help_text=gettext_lazy("Wait this long after the warning or breach."),
    )
    policies = checkboxes(
        gettext_lazy("SLA policies"), help_text=gettext_lazy("Empty: every policy.")
    )
    notify_supervisors = checkbox(
        gettext_lazy("Notify the supervisors"),
        gettext_lazy("By email; the admins when the organization has no supervisor."),
    )
    notify_assignee = checkbox(gettext_lazy("Notify the assignee"))
    notify_user = forms.ChoiceField(label=gettext_lazy("Notify this person"), required=False)
    reassign_team = forms.ChoiceField(
        label=gettext_lazy("Move to team"),
        required=False,
        help_text=gettext_lazy("The request leaves its assignee and waits in this team's queue."),
    )
    raise_priority_to = forms.TypedChoiceField(
        label=gettext_lazy("Raise priority to"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", EMPTY), *Priority.choices],
    )
    is_active = active_checkbox(gettext_lazy("Inactive rules do nothing."))

    def __init__(self, *args, policies, members, teams, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_checks("policies", policies)
        self.set_objects("notify_user", [membership.user for membership in members])
        self.set_objects("reassign_team", teams)
        if not editing:
            del self.fields["is_active"]

    def arguments(self) -> dict:
        """The service's keyword arguments."""
        data = self.cleaned_data
        arguments = {
            "name": data["name"],
            "level": data["level"],
            "threshold": data["threshold"],
            "metric": data["metric"],
            "delay_minutes": data["delay_minutes"],
            "policies": self.checked("policies"),
            "notify_supervisors": data["notify_supervisors"],
            "notify_assignee": data["notify_assignee"],
            "notify_user": self.object_for("notify_user"),
            "reassign_team": self.object_for("reassign_team"),
            "raise_priority_to": data["raise_priority_to"],
        }
        if "is_active" in self.fields:
            arguments["is_active"] = data["is_active"]
        return arguments
