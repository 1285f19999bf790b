"""Shapes of the settings area's product model inputs; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy

from aftercare.console.forms import ConsoleForm, active_checkbox, text_field


class ProductModelForm(ConsoleForm):
    """A product model's name, SKU, brand and category; on edit, whether it is still offered."""

    name = text_field(gettext_lazy("Name"), max_length=200, required=True)
    sku = text_field(
        gettext_lazy("SKU"),
        max_length=64,
        direction="ltr",
        required=True,
        help_text=gettext_lazy("Unique inside the organization."),
        autocomplete="off",
    )
    brand = text_field(gettext_lazy("Brand"), max_length=100)
    category = text_field(gettext_lazy("Category"), max_length=100)
    is_active = active_checkbox(
        gettext_lazy("Inactive models are no longer offered on new requests.")
    )

    def __init__(self, *args, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["is_active"]


class ProductModelFilterForm(ConsoleForm):
    """The product model list's search and status filter, read from the query string."""

    STATUS_CHOICES = [
        ("all", gettext_lazy("All")),
        ("active", gettext_lazy("Active")),
        ("inactive", gettext_lazy("Inactive")),
    ]

    q = text_field(gettext_lazy("Name, brand or SKU"), max_length=200, type="search")
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=STATUS_CHOICES)

    def clean_status(self) -> str:
        """Every model unless a status is chosen."""
        return self.cleaned_data.get("status") or "all"
