"""Shapes of the settings area's product model inputs; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy

from aftercare.tickets.forms import ConsoleForm


class ProductModelForm(ConsoleForm):
    """A product model's name, SKU, brand and category; on edit, whether it is still offered."""

    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    sku = forms.CharField(
        label=gettext_lazy("SKU"),
        max_length=64,
        help_text=gettext_lazy("Unique inside the organization."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    brand = forms.CharField(
        label=gettext_lazy("Brand"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    category = forms.CharField(
        label=gettext_lazy("Category"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    is_active = forms.BooleanField(
        label=gettext_lazy("Active"),
        required=False,
        help_text=gettext_lazy("Inactive models are no longer offered on new requests."),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
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

    q = forms.CharField(
        label=gettext_lazy("Name, brand or SKU"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "dir": "auto"}),
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=STATUS_CHOICES)

    def clean_status(self) -> str:
        """Every model unless a status is chosen."""
        return self.cleaned_data.get("status") or "all"
