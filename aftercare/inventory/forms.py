"""Shapes of the stock pages' inputs; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from aftercare.console.forms import (
    ConsoleForm,
    active_checkbox,
    clean_user_date,
    date_widget,
    text_field,
)
from aftercare.inventory.models import StockLocation, StockMove
from aftercare.inventory.services import ON_HAND_MAX, QUANTITY_MAX


def _part_field() -> forms.CharField:
    return text_field(
        gettext_lazy("Part SKU"),
        max_length=64,
        direction="ltr",
        required=True,
        autocomplete="off",
        help_text=gettext_lazy("The spare part's SKU, as in the catalog."),
    )


def _reason_field(*, required: bool = True, help_text="") -> forms.CharField:
    return text_field(
        gettext_lazy("Reason"), max_length=500, required=required, help_text=help_text
    )


def _quantity_field(label, *, minimum: int, maximum: int, required: bool = True, help_text=""):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=minimum,
        max_value=maximum,
        help_text=help_text,
    )


class StockLocationForm(ConsoleForm):
    """A location's name and kind, the technician whose van it is and the stock keeper; on
    edit, whether it is still in use."""

    name = text_field(gettext_lazy("Name"), max_length=200, required=True)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=StockLocation.Kind.choices)
    holder = forms.ChoiceField(
        label=gettext_lazy("Technician"),
        required=False,
        help_text=gettext_lazy("Whose van it is (vans only)."),
    )
    keeper = forms.ChoiceField(
        label=gettext_lazy("Stock keeper"),
        required=False,
        help_text=gettext_lazy("Told when a part here falls to its reorder point."),
    )
    is_active = active_checkbox(
        gettext_lazy("An inactive location takes no stock; what it holds can still leave it.")
    )

    def __init__(self, *args, technicians, members, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("holder", technicians)
        self.set_objects("keeper", members)
        if not editing:
            del self.fields["is_active"]


class ReceiveForm(ConsoleForm):
    """Parts that came in."""

    part = _part_field()
    quantity = _quantity_field(gettext_lazy("Quantity"), minimum=1, maximum=QUANTITY_MAX)
    reason = _reason_field(help_text=gettext_lazy("E.g. delivery from the supplier."))
    reference = text_field(
        gettext_lazy("Reference"),
        max_length=100,
        direction="auto",
        help_text=gettext_lazy("A delivery note or order number."),
    )


class AdjustForm(ConsoleForm):
    """A correction up or down, with its reason."""

    part = _part_field()
    quantity = _quantity_field(
        gettext_lazy("Change"),
        minimum=-QUANTITY_MAX,
        maximum=QUANTITY_MAX,
        help_text=gettext_lazy("Positive adds to the stock, negative takes away."),
    )
    reason = _reason_field(help_text=gettext_lazy("E.g. damaged in storage, found on a shelf."))


class TransferForm(ConsoleForm):
    """Free stock moved to another location."""

    part = _part_field()
    destination = forms.ChoiceField(label=pgettext_lazy("stock transfer", "To"))
    quantity = _quantity_field(gettext_lazy("Quantity"), minimum=1, maximum=QUANTITY_MAX)
    reason = _reason_field()

    def __init__(self, *args, destinations, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("destination", destinations)


class CountForm(ConsoleForm):
    """What a count found on the shelf."""

    part = _part_field()
    counted = _quantity_field(gettext_lazy("Counted"), minimum=0, maximum=ON_HAND_MAX)
    reason = _reason_field(
        required=False, help_text=gettext_lazy("Optional; the ledger says “Stock count” otherwise.")
    )


class ReorderForm(ConsoleForm):
    """When to reorder a part here, and how many."""

    part = _part_field()
    reorder_point = _quantity_field(
        gettext_lazy("Reorder point"),
        minimum=0,
        maximum=ON_HAND_MAX,
        required=False,
        help_text=gettext_lazy("The keeper is told when free stock falls to this; empty: never."),
    )
    reorder_quantity = _quantity_field(
        gettext_lazy("Reorder quantity"), minimum=1, maximum=ON_HAND_MAX, required=False
    )


class LocationFilterForm(ConsoleForm):
    """The location list's search, kind and status, read from the query string."""

    STATUS_CHOICES = [
        ("active", gettext_lazy("Active")),
        ("inactive", gettext_lazy("Inactive")),
        ("all", gettext_lazy("All")),
    ]

    q = text_field(gettext_lazy("Name"), max_length=200, type="search")
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("Any")), *StockLocation.Kind.choices],
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=STATUS_CHOICES)

    def clean_status(self) -> str:
        """Active locations unless another status is chosen."""
        return self.cleaned_data.get("status") or "active"


class LedgerFilterForm(ConsoleForm):
    """The ledger's filters, read from the query string."""

    location = forms.ChoiceField(label=gettext_lazy("Location"), required=False)
    part = text_field(gettext_lazy("Part SKU"), max_length=64, direction="ltr")
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("Any")), *StockMove.Kind.choices],
    )
    since = forms.CharField(label=pgettext_lazy("start date", "From"), required=False)
    until = forms.CharField(label=gettext_lazy("Until"), required=False)

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("location", locations, empty=gettext_lazy("Any"))
        for name in ("since", "until"):
            self.fields[name].widget = date_widget()
            self.fields[name].widget.attrs["class"] = "form-control"

    def clean_since(self):
        """A day in the user's calendar, or none."""
        return clean_user_date(self.cleaned_data.get("since", ""))

    def clean_until(self):
        """A day in the user's calendar, or none."""
        return clean_user_date(self.cleaned_data.get("until", ""))
