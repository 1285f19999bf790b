"""Shapes of the console's ticket inputs; the rules themselves live in the services."""

import datetime
import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.console.forms import (
    EMPTY,
    ConsoleForm,
    MultipleFileField,
    active_checkbox,
    clean_user_date,
    date_widget,
    text_field,
)
from aftercare.lib.vocabulary import Channel, Kind, Priority, Status
from aftercare.tickets.choices import CallDirection, MessageKind
from aftercare.tickets.models import Category
from aftercare.tickets.selectors import CategoryNode

_TAG_SEPARATORS = re.compile(r"[,،\n]+")


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

    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=Status.choices,
        error_messages={"required": gettext_lazy("Choose the status to move the request to.")},
    )
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
    """Section B of the form: the customer's registered unit, or product model, serial, purchase
    date and seller typed by hand (a unit, when chosen, gives all four)."""

    unit = forms.ChoiceField(
        label=gettext_lazy("Registered unit"),
        required=False,
        help_text=gettext_lazy("One of the customer's units: its model, serial and sale are used."),
    )
    product_model_id = forms.ChoiceField(label=gettext_lazy("Product model"), required=False)
    serial_number = text_field(gettext_lazy("Serial number"), max_length=64, direction="ltr")
    purchase_date = forms.CharField(label=gettext_lazy("Purchase date"), required=False)
    seller = text_field(gettext_lazy("Seller"), max_length=200)

    def __init__(self, *args, products, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("product_model_id", products)
        self.set_objects("unit", units, empty=_("Not registered"))
        self.fields["purchase_date"].widget = date_widget()
        self.fields["purchase_date"].widget.attrs["class"] = "form-control"

    def clean_purchase_date(self) -> datetime.date | None:
        """Gregorian ISO, or Jalali YYYY/MM/DD for Persian users."""
        return clean_user_date(self.cleaned_data.get("purchase_date", ""))


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

    def __init__(self, *args, categories, teams, members, products, units=(), **kwargs):
        super().__init__(*args, products=products, units=units, **kwargs)
        self.set_objects("category_id", categories)
        self.set_objects("team_id", teams)
        self.set_objects(
            "assignee_id", [membership.user for membership in members], empty=_("Unassigned")
        )

    def clean_tags(self) -> list[str]:
        """A list of tag names."""
        return split_tags(self.cleaned_data.get("tags", ""))


class CategoryCreateForm(ConsoleForm):
    """A new category's name, and the active category it sits under, if any."""

    name = text_field(gettext_lazy("Name"), max_length=100, required=True)
    parent_id = forms.ChoiceField(
        label=gettext_lazy("Parent category"),
        required=False,
        help_text=gettext_lazy("Leave empty for a top-level category."),
    )

    def __init__(self, *args, nodes: list[CategoryNode], **kwargs):
        super().__init__(*args, **kwargs)
        # The full path as the label, computed from the tree: no query per choice.
        active = [node for node in nodes if node.category.is_active]
        self._parents = {str(node.category.pk): node.category for node in active}
        self.fields["parent_id"].choices = [("", EMPTY)] + [
            (str(node.category.pk), node.path) for node in active
        ]

    def parent(self) -> Category | None:
        """The chosen parent category, or None."""
        return self._parents.get(self.cleaned_data.get("parent_id") or "")


class CategoryEditForm(ConsoleForm):
    """A category's name, and whether it is still offered on requests."""

    name = text_field(gettext_lazy("Name"), max_length=100, required=True)
    is_active = active_checkbox(gettext_lazy("Inactive categories are no longer offered."))
