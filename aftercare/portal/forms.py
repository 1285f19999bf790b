"""Forms of the customer portal: they check shape; the services check the rules."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from aftercare.catalog.models import ProductModel
from aftercare.console.forms import (
    MultipleFileField,
    MultipleFileInput,
    clean_user_date,
    date_example,
    date_picker_attrs,
)
from aftercare.lib.dates import uses_jalali
from aftercare.lib.errors import ApplicationError
from aftercare.lib.vocabulary import Kind


def date_input_attrs(field: forms.Field) -> None:
    """Help text, placeholder and date picker of a typed date field, as the console's have."""
    example = date_example()
    field.help_text = (
        _("Year/month/day in the Persian calendar, e.g. %(example)s.")
        if uses_jalali()
        else _("Year-month-day, e.g. %(example)s.")
    ) % {"example": example}
    field.widget.attrs.update(date_picker_attrs())


class PortalForm(forms.Form):
    """A form whose fields are marked invalid for Bootstrap once errors are known."""

    def full_clean(self):
        super().full_clean()
        self.mark_invalid()

    def mark_invalid(self) -> None:
        """Give every field with an error Bootstrap's is-invalid class."""
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                classes = widget.attrs.get("class", "")
                if "is-invalid" not in classes.split():
                    widget.attrs["class"] = f"{classes} is-invalid".strip()

    def add_application_error(self, error: ApplicationError, *, aliases: dict | None = None):
        """Show a service's error next to the field it names, or above the form."""
        name = (aliases or {}).get(error.field, error.field)
        self.add_error(name if name in self.fields else None, error.message)
        self.mark_invalid()


class LoginLinkForm(PortalForm):
    """Ask for a sign-in link."""

    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(
            attrs={"class": "form-control", "autocomplete": "email", "dir": "ltr"}
        ),
    )


class RequestForm(PortalForm):
    """A new service request, as the customer fills it in; a registered product of theirs, when
    picked, stands for the model, serial, purchase date and seller."""

    unit = forms.ChoiceField(
        label=_("Your registered product"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    product_model = forms.ChoiceField(
        label=_("Product"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    serial_number = forms.CharField(
        label=_("Serial number"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "dir": "auto"}),
    )
    purchase_date = forms.CharField(
        label=_("Purchase date"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "dir": "ltr"}),
    )
    seller = forms.CharField(
        label=_("Seller"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "dir": "auto"}),
    )
    kind = forms.ChoiceField(
        label=_("What do you need?"),
        choices=Kind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control", "dir": "auto"}),
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 6, "dir": "auto"}),
    )
    attachments = MultipleFileField(
        label=_("Photos or documents"),
        widget=MultipleFileInput(attrs={"class": "form-control"}),
        help_text=_("Optional: photos of the product or the fault, the receipt or warranty card."),
    )

    def __init__(self, *args, products: list[ProductModel], units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.products = {str(product.pk): product for product in products}
        self.fields["product_model"].choices = [("", _("Other / not listed"))] + [
            (str(product.pk), str(product)) for product in products
        ]
        self.units = {str(unit.pk): unit for unit in units}
        self.fields["unit"].choices = [("", _("Not registered"))] + [
            (key, str(unit)) for key, unit in self.units.items()
        ]
        if not self.units:
            del self.fields["unit"]
        date_input_attrs(self.fields["purchase_date"])

    def clean_unit(self):
        """The customer's unit picked, or None."""
        return self.units.get(self.cleaned_data.get("unit") or "")

    def clean_product_model(self) -> ProductModel | None:
        value = self.cleaned_data.get("product_model") or ""
        return self.products.get(value)

    def clean_purchase_date(self) -> datetime.date | None:
        return clean_user_date(self.cleaned_data.get("purchase_date") or "")


class ReplyForm(PortalForm):
    """A customer's message on their request."""

    body = forms.CharField(
        label=_("Your message"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4, "dir": "auto"}),
    )
    attachments = MultipleFileField(
        label=_("Attach files"), widget=MultipleFileInput(attrs={"class": "form-control"})
    )


class TrackForm(PortalForm):
    """Find a request by its number and the email or phone it was opened with."""

    number = forms.CharField(
        label=_("Request number"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"class": "form-control", "dir": "ltr", "placeholder": "AS-000123"}
        ),
    )
    contact = forms.CharField(
        label=_("Email or phone number"),
        max_length=254,
        help_text=_("The one you gave when you opened the request."),
        widget=forms.TextInput(attrs={"class": "form-control", "dir": "ltr"}),
    )
