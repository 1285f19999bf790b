"""Shapes of the settings area's catalog inputs; the rules live in the services."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.catalog.models import WarrantyPolicy
from aftercare.catalog.selectors import part_name_languages
from aftercare.console.forms import (
    ConsoleForm,
    active_checkbox,
    checkbox,
    checkboxes,
    text_field,
)
from aftercare.lib.languages import language_codes


class ProductModelForm(ConsoleForm):
    """A product model's name, SKU, brand, category and warranty policy; on edit, whether it is
    still offered."""

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
    warranty_policy = forms.ChoiceField(
        label=gettext_lazy("Warranty policy"),
        required=False,
        help_text=gettext_lazy("The standard warranty of every unit of this model."),
    )
    is_active = active_checkbox(
        gettext_lazy("Inactive models are no longer offered on new requests.")
    )

    def __init__(self, *args, editing: bool, policies, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("warranty_policy", policies, empty=gettext_lazy("No warranty"))
        if not editing:
            del self.fields["is_active"]


class _FilterForm(ConsoleForm):
    """A settings list's search and status filter, read from the query string."""

    STATUS_CHOICES = [
        ("all", gettext_lazy("All")),
        ("active", gettext_lazy("Active")),
        ("inactive", gettext_lazy("Inactive")),
    ]

    q = text_field(gettext_lazy("Search"), max_length=200, type="search")
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=STATUS_CHOICES)

    def clean_status(self) -> str:
        """Every row unless a status is chosen."""
        return self.cleaned_data.get("status") or "all"


class ProductModelFilterForm(_FilterForm):
    """The product model list's search and status filter."""

    q = text_field(gettext_lazy("Name, brand or SKU"), max_length=200, type="search")


class WarrantyPolicyFilterForm(_FilterForm):
    """The warranty policy list's search and status filter."""

    q = text_field(gettext_lazy("Name"), max_length=200, type="search")


class FaultCodeFilterForm(_FilterForm):
    """The fault code list's search and status filter."""

    q = text_field(gettext_lazy("Name or code"), max_length=200, type="search")


class SparePartFilterForm(_FilterForm):
    """The spare part list's search and status filter."""

    q = text_field(gettext_lazy("Name or SKU"), max_length=200, type="search")


class WarrantyPolicyForm(ConsoleForm):
    """A warranty policy: how long, from when, what it covers and excludes, registration and
    transfer rules; on edit, whether it is still offered."""

    name = text_field(gettext_lazy("Name"), max_length=200, required=True)
    months = forms.IntegerField(
        label=gettext_lazy("Length in months"),
        min_value=1,
        max_value=600,
        initial=12,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
    )
    starts_from = forms.ChoiceField(
        label=gettext_lazy("Starts from"), choices=WarrantyPolicy.Start.choices
    )
    covers_parts = checkbox(gettext_lazy("Covers parts"))
    covers_labour = checkbox(gettext_lazy("Covers labour"))
    covers_travel = checkbox(gettext_lazy("Covers on-site travel"))
    excluded_faults = checkboxes(
        gettext_lazy("Faults it does not cover"),
        help_text=gettext_lazy("Extended warranties sold on top of it exclude them too."),
    )
    registration_days = forms.IntegerField(
        label=gettext_lazy("Register within (days)"),
        required=False,
        min_value=0,
        max_value=3650,
        help_text=gettext_lazy(
            "Days after the start by which the unit must be registered. Empty: no registration "
            "needed."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )
    is_transferable = checkbox(
        gettext_lazy("Passes to a new owner"),
        gettext_lazy("If not, the warranty ends the day the unit changes hands."),
    )
    is_active = active_checkbox(
        gettext_lazy("Inactive policies are no longer offered for models; they keep covering.")
    )

    def __init__(self, *args, faults, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_checks("excluded_faults", faults)
        if not editing:
            del self.fields["is_active"]

    def arguments(self) -> dict:
        """The service's keyword arguments."""
        data = self.cleaned_data
        arguments = {
            "name": data["name"],
            "months": data["months"],
            "starts_from": data["starts_from"],
            "covers_parts": data["covers_parts"],
            "covers_labour": data["covers_labour"],
            "covers_travel": data["covers_travel"],
            "excluded_faults": self.checked("excluded_faults"),
            "registration_days": data["registration_days"],
            "is_transferable": data["is_transferable"],
        }
        if "is_active" in self.fields:
            arguments["is_active"] = data["is_active"]
        return arguments


class FaultCodeForm(ConsoleForm):
    """A fault code, its name and the models it applies to; on edit, whether it is offered."""

    code = text_field(
        gettext_lazy("Code"),
        max_length=32,
        direction="ltr",
        required=True,
        help_text=gettext_lazy("Unique inside the organization, e.g. E21."),
        autocomplete="off",
    )
    name = text_field(gettext_lazy("Name"), max_length=200, required=True)
    product_models = checkboxes(
        gettext_lazy("Product models"), help_text=gettext_lazy("None ticked: every model.")
    )
    is_active = active_checkbox(gettext_lazy("Inactive codes are no longer offered."))

    def __init__(self, *args, products, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_checks("product_models", products)
        if not editing:
            del self.fields["is_active"]

    def arguments(self) -> dict:
        """The service's keyword arguments."""
        data = self.cleaned_data
        arguments = {
            "code": data["code"],
            "name": data["name"],
            "product_models": self.checked("product_models"),
        }
        if "is_active" in self.fields:
            arguments["is_active"] = data["is_active"]
        return arguments


class SparePartForm(ConsoleForm):
    """A spare part: SKU, name (and its name in each other language), price, compatible models,
    whether it is tracked by serial; on edit, whether it is still offered."""

    sku = text_field(
        gettext_lazy("SKU"),
        max_length=64,
        direction="ltr",
        required=True,
        help_text=gettext_lazy("Unique inside the organization."),
        autocomplete="off",
    )
    name = text_field(gettext_lazy("Name"), max_length=200, required=True)
    price = forms.DecimalField(
        label=gettext_lazy("Price"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        initial=0,
        localize=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}),
    )
    compatible_models = checkboxes(gettext_lazy("Fits these models"))
    is_serialised = checkbox(
        gettext_lazy("Tracked by serial number"),
        gettext_lazy("Each piece used in a repair is recorded with its serial."),
    )
    is_active = active_checkbox(gettext_lazy("Inactive parts are no longer offered for repairs."))

    def __init__(self, *args, products, editing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        languages = dict(settings.LANGUAGES)
        for code in part_name_languages():
            label = _("Name in %(language)s") % {"language": languages[code]}
            field = text_field(label, max_length=200, help_text=_("Empty: the name above."))
            field.widget.attrs.update({"class": "form-control", "lang": code})
            self.fields[f"name_{code}"] = field
        self.set_checks("compatible_models", products)
        if not editing:
            del self.fields["is_active"]

    def name_fields(self) -> list:
        """The bound fields of the name in each other language."""
        return [self[f"name_{code}"] for code in part_name_languages()]

    def arguments(self) -> dict:
        """The service's keyword arguments."""
        data = self.cleaned_data
        arguments = {
            "sku": data["sku"],
            "name": data["name"],
            "names": {code: data[f"name_{code}"] for code in part_name_languages()},
            "price": data["price"],
            "compatible_models": self.checked("compatible_models"),
            "is_serialised": data["is_serialised"],
        }
        if "is_active" in self.fields:
            arguments["is_active"] = data["is_active"]
        return arguments


# The form fields a service's error names differently (its input names, those of the API).
SPARE_PART_FIELDS = {f"names.{code}": f"name_{code}" for code in language_codes()}
SPARE_PART_FIELDS["compatible_model_ids"] = "compatible_models"
