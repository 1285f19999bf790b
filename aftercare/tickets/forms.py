"""Shapes of the console's ticket inputs; the rules themselves live in the services."""

import datetime
import re

import jdatetime
from django import forms
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.lib.dates import parse_user_date, uses_jalali
from aftercare.lib.vocabulary import Channel, Kind, Priority, Status
from aftercare.tickets.choices import CallDirection, MessageKind

EMPTY = "—"


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that accepts several files."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several uploaded files; their type and size are checked by the services."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        """A list of files, possibly empty."""
        clean_one = super().clean
        if isinstance(data, list | tuple):
            return [clean_one(item, initial) for item in data]
        return [clean_one(data, initial)] if data else []


_TAG_SEPARATORS = re.compile(r"[,،\n]+")


class ConsoleForm(forms.Form):
    """A form whose widgets carry Bootstrap classes and whose id choices map back to objects."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._objects: dict[str, dict[str, object]] = {}
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


def _clean_date(value: str) -> datetime.date | None:
    """A typed date in the user's calendar, or a field error saying the expected shape."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return parse_user_date(value, language=translation.get_language())
    except (ValueError, OverflowError):
        if uses_jalali():
            message = _("Enter the date as YYYY/MM/DD, e.g. 1403/05/20.")
        else:
            message = _("Enter the date as YYYY-MM-DD, e.g. 2024-08-10.")
        raise forms.ValidationError(message) from None


def date_input_value(value: datetime.date | None) -> str:
    """How a stored date is written back into a date field in the active language."""
    if value is None:
        return ""
    if uses_jalali():
        return jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d")
    return value.isoformat()


def _date_widget() -> forms.Widget:
    """The browser's date picker, or for Jalali dates (which it cannot show) our own."""
    if uses_jalali():
        return forms.TextInput(
            attrs={"placeholder": "1403/05/20", "dir": "ltr", "data-jalali-picker": ""}
        )
    return forms.DateInput(attrs={"type": "date"})


# Shared with the other apps' console forms.
date_widget = _date_widget
clean_user_date = _clean_date


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


def active_checkbox(help_text) -> forms.BooleanField:
    """The "active" switch every settings form shares."""
    return forms.BooleanField(
        label=gettext_lazy("Active"),
        required=False,
        help_text=help_text,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


def split_tags(value: str) -> list[str]:
    """Tags typed as a comma-separated list (Persian comma too)."""
    return [tag.strip() for tag in _TAG_SEPARATORS.split(value or "") if tag.strip()]


class QueueFilterForm(ConsoleForm):
    """The queue's filters and sort, read from the query string."""

    SORT_CHOICES = [
        ("-updated", gettext_lazy("Recently updated")),
        ("updated", gettext_lazy("Least recently updated")),
        ("-created", gettext_lazy("Newest")),
        ("created", gettext_lazy("Oldest")),
        ("-priority", gettext_lazy("Highest priority")),
        ("sla_due", gettext_lazy("SLA due soonest")),
    ]
    SLA_CHOICES = [
        ("", EMPTY),
        ("at_risk", gettext_lazy("At risk or breached")),
        ("warning", gettext_lazy("At risk")),
        ("breached", gettext_lazy("Breached")),
        ("paused", gettext_lazy("Paused")),
        ("running", gettext_lazy("On track")),
    ]

    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("Number, subject or serial")}
        ),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False, choices=[("", EMPTY), *Status.choices]
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), required=False, choices=[("", EMPTY), *Kind.choices]
    )
    priority = forms.TypedChoiceField(
        label=gettext_lazy("Priority"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", EMPTY), *Priority.choices],
    )
    team = forms.ChoiceField(label=gettext_lazy("Team"), required=False)
    assignee = forms.ChoiceField(label=gettext_lazy("Assignee"), required=False)
    sla = forms.ChoiceField(label=gettext_lazy("SLA"), required=False, choices=SLA_CHOICES)
    sort = forms.ChoiceField(label=gettext_lazy("Sort"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, teams, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("team", teams)
        users = [membership.user for membership in members]
        self.set_objects("assignee", users, extra=[("none", _("Unassigned"))])

    def clean_sort(self) -> str:
        """Recently updated first unless another order is chosen."""
        return self.cleaned_data.get("sort") or "-updated"

    def sla_states(self) -> list[str] | None:
        """The SLA states the filter keeps, or None for any."""
        chosen = self.cleaned_data.get("sla")
        if not chosen:
            return None
        return ["warning", "breached"] if chosen == "at_risk" else [chosen]


class MessageForm(ConsoleForm):
    """The composer: one text, sent as a reply, kept as an internal note, or logged as a call."""

    kind = forms.ChoiceField(
        choices=[
            (MessageKind.REPLY, MessageKind.REPLY.label),
            (MessageKind.NOTE, MessageKind.NOTE.label),
            (MessageKind.CALL, MessageKind.CALL.label),
        ],
        error_messages={"required": gettext_lazy("Choose whether to reply, note or log a call.")},
    )
    body = forms.CharField(
        label=gettext_lazy("Message"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    call_direction = forms.ChoiceField(
        label=gettext_lazy("Call direction"),
        required=False,
        choices=CallDirection.choices,
        initial=CallDirection.OUTBOUND,
    )
    call_duration_minutes = forms.IntegerField(
        label=gettext_lazy("Duration (minutes)"),
        required=False,
        min_value=0,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )
    attachments = MultipleFileField(label=gettext_lazy("Attachments"))


class AssignForm(ConsoleForm):
    """Who works the request."""

    assignee_id = forms.ChoiceField(label=gettext_lazy("Assignee"), required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects(
            "assignee_id",
            [membership.user for membership in members],
            empty=_("Unassigned"),
        )


class StatusForm(ConsoleForm):
    """Move the request on; only the allowed next statuses are offered."""

    status = forms.ChoiceField(label=gettext_lazy("New status"), choices=Status.choices)
    reason = text_field(gettext_lazy("Reason (optional)"), max_length=500)

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        # Every status validates so that the service, not the form, explains a refused move.
        self.offered = [(value, label) for value, label in Status.choices if value in allowed]


class TriageForm(ConsoleForm):
    """Section C of the form: kind, category, priority, team and tags."""

    priority = forms.TypedChoiceField(
        label=gettext_lazy("Priority"), coerce=int, choices=Priority.choices
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Kind.choices)
    category_id = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    team_id = forms.ChoiceField(label=gettext_lazy("Team"), required=False)
    tags = text_field(
        gettext_lazy("Tags"), max_length=1000, help_text=gettext_lazy("Separate tags with commas.")
    )

    def __init__(self, *args, categories, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("category_id", categories)
        self.set_objects("team_id", teams)

    def clean_tags(self) -> list[str]:
        """A list of tag names."""
        return split_tags(self.cleaned_data.get("tags", ""))


class ProductForm(ConsoleForm):
    """Section B of the form: product model, serial, purchase date and seller."""

    product_model_id = forms.ChoiceField(label=gettext_lazy("Product model"), required=False)
    serial_number = text_field(gettext_lazy("Serial number"), max_length=64, direction="ltr")
    purchase_date = forms.CharField(label=gettext_lazy("Purchase date"), required=False)
    seller = text_field(gettext_lazy("Seller"), max_length=200)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("product_model_id", products)
        self.fields["purchase_date"].widget = _date_widget()
        self.fields["purchase_date"].widget.attrs["class"] = "form-control"

    def clean_purchase_date(self) -> datetime.date | None:
        """Gregorian ISO, or Jalali YYYY/MM/DD for Persian users."""
        return _clean_date(self.cleaned_data.get("purchase_date", ""))


class FinalizationForm(ConsoleForm):
    """Section E of the form: how it was resolved and why it happened."""

    resolution = forms.CharField(
        label=gettext_lazy("Resolution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    root_cause = text_field(gettext_lazy("Root cause"), max_length=200)


class TicketCreateForm(ProductForm):
    """A request opened by staff on a customer's behalf (a call, a walk-in, an email).

    Section B's fields and their cleaning come from `ProductForm`.
    """

    CHANNELS = [
        Channel.PHONE,
        Channel.WALK_IN,
        Channel.EMAIL,
        Channel.CHAT,
        Channel.TELEGRAM,
        Channel.WHATSAPP,
    ]

    customer_id = forms.CharField(required=False, widget=forms.HiddenInput)
    new_customer_name = text_field(gettext_lazy("Name"), max_length=200, autocomplete="off")
    new_customer_email = forms.CharField(
        label=gettext_lazy("Email"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    new_customer_phone = text_field(
        gettext_lazy("Phone"), max_length=32, direction="ltr", type="tel", autocomplete="off"
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"),
        choices=[(channel.value, channel.label) for channel in CHANNELS],
        initial=Channel.PHONE,
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Kind.choices)
    priority = forms.TypedChoiceField(
        label=gettext_lazy("Priority"),
        coerce=int,
        choices=Priority.choices,
        initial=Priority.NORMAL,
    )
    category_id = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    team_id = forms.ChoiceField(label=gettext_lazy("Team"), required=False)
    assignee_id = forms.ChoiceField(label=gettext_lazy("Assignee"), required=False)
    subject = text_field(gettext_lazy("Subject"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Problem description"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )
    tags = text_field(
        gettext_lazy("Tags"),
        max_length=1000,
        help_text=gettext_lazy("Separate tags with commas."),
        list="tag-names",
    )
    attachments = MultipleFileField(label=gettext_lazy("Attachments"))

    def __init__(self, *args, categories, teams, members, products, **kwargs):
        super().__init__(*args, products=products, **kwargs)
        self.set_objects("category_id", categories)
        self.set_objects("team_id", teams)
        self.set_objects(
            "assignee_id", [membership.user for membership in members], empty=_("Unassigned")
        )

    def clean_tags(self) -> list[str]:
        """A list of tag names."""
        return split_tags(self.cleaned_data.get("tags", ""))
