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
from aftercare.lib.dates import uses_jalali
from aftercare.lib.text import normalize_digits, persian_digits
from aftercare.lib.vocabulary import Channel, Kind, Priority
from aftercare.sla.models import MIDNIGHT, EscalationRule, Holiday, Metric, interval_is_valid
from aftercare.sla.official import COUNTRIES
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
_TIME = re.compile(r"^(\d{1,2})(?:\s*[:.٫]\s*(\d{2}))?$|^(\d{2})(\d{2})$")
# Intervals offered per day: a morning and an afternoon around a lunch break.
SLOTS = 2


def parse_time_of_day(text: str, *, is_end: bool = False) -> time:
    """A time of day typed as 8, 08:30, 8.30 or 0830, in any digits; 24:00 ends at midnight.

    Raises ValueError when the text is no time of day.
    """
    match = _TIME.match(normalize_digits(text or "").strip())
    if match is None:
        raise ValueError(text)
    hours, minutes = match.group(1) or match.group(3), match.group(2) or match.group(4) or "0"
    hour, minute = int(hours), int(minutes)
    if is_end and (hour, minute) == (24, 0):
        return MIDNIGHT
    return time(hour, minute)


def format_time_of_day(value: time, *, is_end: bool = False) -> str:
    """A stored wall time as the hours inputs show it: midnight at the end as 24:00, in the
    digits of the active language."""
    text = "24:00" if is_end and value == MIDNIGHT else f"{value:%H:%M}"
    return persian_digits(text) if uses_jalali() else text


def _time_input(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "dir": "ltr",
                "inputmode": "numeric",
                "autocomplete": "off",
                "placeholder": "08:00",
                "size": "5",
                "class": "form-control form-control-sm text-center",
            }
        ),
    )


def _slot_labels(day, number: int) -> tuple[str, str]:
    if number == 1:
        return (
            _("%(day)s: from") % {"day": day},
            _("%(day)s: to") % {"day": day},
        )
    return (
        _("%(day)s: from, interval %(number)s") % {"day": day, "number": number},
        _("%(day)s: to, interval %(number)s") % {"day": day, "number": number},
    )


class HoursForm(ConsoleForm):
    """A form with working hours typed per day: pairs of from/to inputs, each with its own
    label and its own error that names it."""

    def add_error(self, field, error) -> None:
        """Tie the field's error to its input for screen readers."""
        super().add_error(field, error)
        if field in self.fields:
            self.fields[field].widget.attrs["aria-describedby"] = f"{self[field].auto_id}-error"

    def _add_slots(self, prefix: str, day, slots: int) -> None:
        for number in range(1, slots + 1):
            start_label, end_label = _slot_labels(day, number)
            self.fields[f"{prefix}start_{number}"] = _time_input(start_label)
            self.fields[f"{prefix}end_{number}"] = _time_input(end_label)

    def _slot_fields(self, prefix: str) -> list[tuple]:
        """The (from, to) bound fields of a day."""
        pairs = []
        number = 1
        while f"{prefix}start_{number}" in self.fields:
            pairs.append((self[f"{prefix}start_{number}"], self[f"{prefix}end_{number}"]))
            number += 1
        return pairs

    def _read_slots(self, prefix: str) -> list[tuple[time, time]] | None:
        """A day's intervals, in order; None when one of its inputs is wrong (each error is
        put on the input at fault)."""
        intervals: list[tuple[time, time, str, str]] = []
        valid = True
        number = 1
        while f"{prefix}start_{number}" in self.fields:
            names = (f"{prefix}start_{number}", f"{prefix}end_{number}")
            number += 1
            if any(name in self.errors for name in names):
                valid = False  # too long to be a time: its field said so
                continue
            texts = [(self.cleaned_data.get(name) or "").strip() for name in names]
            if not any(texts):
                continue
            values: list[time | None] = []
            for name, text, is_end in zip(names, texts, (False, True), strict=True):
                label = self.fields[name].label
                if not text:
                    self.add_error(
                        name,
                        _("%(field)s: enter a time, or leave both times of the interval empty.")
                        % {"field": label},
                    )
                    values.append(None)
                    continue
                try:
                    values.append(parse_time_of_day(text, is_end=is_end))
                except ValueError:
                    self.add_error(
                        name,
                        _("%(field)s: “%(text)s” is not a time of day; write it like 08:30.")
                        % {"field": label, "text": text},
                    )
                    values.append(None)
            start, end = values
            if start is None or end is None:
                valid = False
                continue
            if not interval_is_valid(start, end):
                self.add_error(
                    names[1],
                    _("%(end)s must be later than %(start)s (24:00 is midnight).")
                    % {"end": self.fields[names[1]].label, "start": self.fields[names[0]].label},
                )
                valid = False
                continue
            intervals.append((start, end, *names))
        if not valid:
            return None
        intervals.sort()
        for (_start, end, _from, to), (start, _end, following, _to) in zip(
            intervals, intervals[1:], strict=False
        ):
            if end == MIDNIGHT or start < end:
                self.add_error(
                    following,
                    _("%(start)s must not be earlier than %(end)s: intervals must not overlap.")
                    % {"start": self.fields[following].label, "end": self.fields[to].label},
                )
                return None
        return [(start, end) for start, end, _from, _to in intervals]


def _slots_needed(weekly: dict[int, list]) -> int:
    return max([SLOTS, *(len(intervals) for intervals in weekly.values())])


def weekly_initial(weekly: dict[int, list[tuple[time, time]]]) -> dict[str, object]:
    """The hours inputs' initial values for stored weekly intervals."""
    initial: dict[str, object] = {}
    for weekday, _label in WEEKDAYS:
        intervals = sorted(weekly.get(weekday, []))
        initial[f"open_{weekday}"] = bool(intervals)
        for number, (start, end) in enumerate(intervals, start=1):
            initial[f"day_{weekday}_start_{number}"] = format_time_of_day(start)
            initial[f"day_{weekday}_end_{number}"] = format_time_of_day(end, is_end=True)
    return initial


class WeeklyHoursForm(HoursForm):
    """Working hours per weekday: open or closed, and one or more from/to intervals."""

    def add_weekly_fields(self, weekly: dict[int, list]) -> None:
        """The hours inputs of each weekday, with room for as many intervals as stored."""
        slots = _slots_needed(weekly)
        for weekday, label in WEEKDAYS:
            self.fields[f"open_{weekday}"] = forms.BooleanField(
                label=_("Open on %(day)s") % {"day": label},
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self._add_slots(f"day_{weekday}_", label, slots)

    def weekly_rows(self) -> list[dict]:
        """Per weekday, Saturday first: its name, its open box and its from/to inputs."""
        rows = []
        for weekday, label in WEEKDAYS:
            slots = self._slot_fields(f"day_{weekday}_")
            fields = [self[f"open_{weekday}"], *(field for pair in slots for field in pair)]
            rows.append(
                {
                    "weekday": weekday,
                    "label": label,
                    "open": self[f"open_{weekday}"],
                    "slots": slots,
                    "errors": [(field, " ".join(field.errors)) for field in fields if field.errors],
                }
            )
        return rows

    def slot_numbers(self) -> list[int]:
        """1, 2, ...: the intervals offered per day, for the table's column headers."""
        return list(range(1, len(self._slot_fields("day_5_")) + 1))

    def weekly_columns(self) -> int:
        """The hours table's columns: the day, its open box and a from and a to per interval."""
        return 2 + 2 * len(self.slot_numbers())

    def read_weekly(self) -> dict[int, list[tuple[time, time]]] | None:
        """The weekly hours typed; None when an input is wrong. A closed day has none."""
        weekly: dict[int, list[tuple[time, time]]] = {}
        valid = True
        for weekday, label in WEEKDAYS:
            if not self.cleaned_data.get(f"open_{weekday}"):
                continue
            intervals = self._read_slots(f"day_{weekday}_")
            if intervals is None:
                valid = False
            elif not intervals:
                self.add_error(
                    f"day_{weekday}_start_1",
                    _("%(day)s is marked open: enter its hours, or untick it to close the day.")
                    % {"day": label},
                )
                valid = False
            else:
                weekly[weekday] = intervals
        return weekly if valid else None


class CalendarCreateForm(WeeklyHoursForm):
    """A new calendar: a copy of a country's preset, or hours of its own in a chosen time zone."""

    preset = forms.ChoiceField(
        label=gettext_lazy("Start from"),
        required=False,
        help_text=gettext_lazy(
            "A preset brings the country's working week, its fixed-date holidays and its "
            "official moving holidays (the lunar ones) of this year and the next."
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
        self.fields["preset"].choices = [("", _("No preset: the hours below"))] + [
            (code, names[code]) for code in PRESETS
        ]
        self.add_weekly_fields({})

    def clean(self):
        """The hours count only for a calendar without a preset."""
        cleaned = super().clean()
        if not cleaned.get("preset"):
            cleaned["weekly"] = self.read_weekly()
        return cleaned


def country_choices() -> list[tuple[str, str]]:
    """The countries whose official holidays a calendar can follow."""
    names = {"IR": _("Iran"), "TR": _("Turkey"), "KZ": _("Kazakhstan")}
    return [("", _("None"))] + [(code, names[code]) for code in COUNTRIES]


class CalendarEditForm(WeeklyHoursForm):
    """A calendar's name, zone, country and weekly hours."""

    name = text_field(gettext_lazy("Name"), max_length=100, required=True)
    time_zone = text_field(
        gettext_lazy("Time zone"), max_length=64, direction="ltr", required=True, list="time-zones"
    )
    country = forms.ChoiceField(
        label=gettext_lazy("Official holidays of"),
        required=False,
        help_text=gettext_lazy(
            "Its moving holidays (the lunar ones, the bayrams and their eves) are added from "
            "python-holidays for this year and the next, and each new year."
        ),
    )

    def __init__(self, *args, weekly: dict[int, list], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()
        self.add_weekly_fields(weekly)

    def clean(self):
        """Read each weekday's hours; a mistake is shown on the input at fault."""
        cleaned = super().clean()
        cleaned["weekly"] = self.read_weekly()
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


class HolidayCorrectForm(ConsoleForm):
    """The date, or first and last dates, a holiday really falls on."""

    start_date = forms.CharField(label=gettext_lazy("Date"), max_length=20)
    end_date = forms.CharField(label=gettext_lazy("Last date"), max_length=20)

    def __init__(self, *args, is_range: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if is_range:
            self.fields["start_date"].label = gettext_lazy("First date")
        else:
            del self.fields["end_date"]
        for field in self.fields.values():
            field.widget = date_widget()
            field.widget.attrs["class"] = "form-control"

    def clean_start_date(self):
        """A typed date in the user's calendar."""
        value = clean_user_date(self.cleaned_data.get("start_date", ""))
        if value is None:
            raise forms.ValidationError(_("Enter the date."))
        return value

    def clean_end_date(self):
        """A typed date in the user's calendar."""
        value = clean_user_date(self.cleaned_data.get("end_date", ""))
        if value is None:
            raise forms.ValidationError(_("Enter the last date of the range."))
        return value


class OverrideForm(HoursForm):
    """A date's own hours: a short day, an extra working day, or closed (no hours)."""

    date = forms.CharField(label=gettext_lazy("Date"), max_length=20)
    note = text_field(gettext_lazy("Note"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].widget = date_widget()
        self.fields["date"].widget.attrs["class"] = "form-control"
        self._add_slots("", _("That date"), SLOTS)

    def slots(self) -> list[tuple]:
        """The date's from/to inputs."""
        return self._slot_fields("")

    def clean_date(self):
        """A typed date in the user's calendar."""
        value = clean_user_date(self.cleaned_data.get("date", ""))
        if value is None:
            raise forms.ValidationError(_("Enter the date."))
        return value

    def clean(self):
        """The date's hours as intervals; none closes it."""
        cleaned = super().clean()
        cleaned["hours"] = self._read_slots("")
        return cleaned


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
