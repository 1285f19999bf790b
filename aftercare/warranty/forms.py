"""Shapes of the console's unit, contract and claim inputs; the rules themselves live in the
services."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from aftercare.console.forms import (
    EMPTY,
    ConsoleForm,
    checkbox,
    clean_user_date,
    date_widget,
    text_field,
)
from aftercare.warranty.services.claims import REJECTION_REASON_MAX

OWNER_CHOICES = [
    ("any", gettext_lazy("Any")),
    ("owned", gettext_lazy("With an owner")),
    ("unowned", gettext_lazy("Known from sales only")),
]


def _date_field(label) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=20)


class UnitFilterForm(ConsoleForm):
    """The unit list's search and filters, read from the query string."""

    q = text_field(
        gettext_lazy("Serial number"),
        max_length=64,
        direction="ltr",
        type="search",
        help_text=gettext_lazy("Its first characters are enough, typed in any digits."),
    )
    product_model_id = forms.ChoiceField(label=gettext_lazy("Model"), required=False)
    owner = forms.ChoiceField(label=gettext_lazy("Owner"), required=False, choices=OWNER_CHOICES)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("product_model_id", products)

    def clean_owner(self) -> str:
        """Any unit unless an owner filter is chosen."""
        return self.cleaned_data.get("owner") or "any"


class _DatesForm(ConsoleForm):
    """Date fields in the user's calendar (Jalali for Persian users)."""

    DATE_FIELDS: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.DATE_FIELDS:
            widget = date_widget()
            widget.attrs["class"] = "form-control"
            self.fields[name].widget = widget

    def _clean_date(self, name: str) -> datetime.date | None:
        return clean_user_date(self.cleaned_data.get(name, ""))

    def clean(self):
        cleaned = super().clean()
        for name in self.DATE_FIELDS:
            if name in cleaned:
                try:
                    cleaned[name] = self._clean_date(name)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned


class UnitForm(_DatesForm):
    """A unit's model, serial, sale, dates and proof of purchase (registering or editing)."""

    DATE_FIELDS = ("purchase_date", "delivery_date", "installation_date")

    product_model_id = forms.ChoiceField(label=gettext_lazy("Model"))
    serial_number = text_field(
        gettext_lazy("Serial number"),
        max_length=64,
        direction="ltr",
        required=True,
        autocomplete="off",
    )
    purchase_date = _date_field(gettext_lazy("Purchase date"))
    seller = text_field(gettext_lazy("Seller"), max_length=200)
    invoice_reference = text_field(
        gettext_lazy("Invoice reference"), max_length=100, direction="ltr"
    )
    delivery_date = _date_field(gettext_lazy("Delivery date"))
    installation_date = _date_field(gettext_lazy("Installation date"))
    is_sold_by_us = checkbox(
        gettext_lazy("Sold by us or our dealers"),
        gettext_lazy("Untick for a unit bought elsewhere: it is serviced, but paid for."),
    )
    proof_of_purchase = forms.FileField(
        label=gettext_lazy("Proof of purchase"),
        required=False,
        help_text=gettext_lazy("The invoice or receipt: PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    remove_proof = checkbox(gettext_lazy("Remove the proof of purchase"))

    def __init__(self, *args, products, editing: bool, has_proof: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_objects("product_model_id", products, empty=EMPTY)
        self.fields["proof_of_purchase"].widget = forms.FileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png", "class": "form-control"}
        )
        if not (editing and has_proof):
            del self.fields["remove_proof"]


class UnitTransferForm(_DatesForm):
    """The day a unit changed hands, and a note; the new owner is chosen on the page."""

    DATE_FIELDS = ("transferred_on",)

    customer_id = forms.CharField(required=False, widget=forms.HiddenInput)
    transferred_on = _date_field(gettext_lazy("Changed hands on"))
    note = text_field(gettext_lazy("Note"), max_length=500)

    def clean_transferred_on(self) -> str:
        """Required (the date itself is read in `clean`)."""
        value = self.cleaned_data.get("transferred_on", "")
        if not (value or "").strip():
            raise forms.ValidationError(gettext_lazy("Enter the date it changed hands."))
        return value


class UnitImportForm(ConsoleForm):
    """A sales system's export to check, then import."""

    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx", "class": "form-control"}),
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)


def _cover(label, *, initial: bool) -> forms.BooleanField:
    """One of what a contract covers, ticked by default as the services default it."""
    field = checkbox(label)
    field.initial = initial
    return field


class ExtendedContractForm(ConsoleForm):
    """An extended warranty sold: its length, price, reference, note and what it covers (it
    starts where the cover before it ends: the service decides the day)."""

    months = forms.IntegerField(
        label=gettext_lazy("Length in months"),
        initial=12,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
    )
    price = forms.DecimalField(
        label=gettext_lazy("Price"),
        max_digits=14,
        decimal_places=2,
        localize=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}),
    )
    reference = text_field(
        gettext_lazy("Reference"),
        max_length=100,
        direction="ltr",
        help_text=gettext_lazy("The invoice or contract number."),
    )
    note = text_field(gettext_lazy("Note"), max_length=500)
    covers_parts = _cover(gettext_lazy("Covers parts"), initial=True)
    covers_labour = _cover(gettext_lazy("Covers labour"), initial=True)
    covers_travel = _cover(gettext_lazy("Covers on-site travel"), initial=False)


class GoodwillContractForm(_DatesForm):
    """Goodwill granted: from and to which day (both included), why, and what it covers."""

    DATE_FIELDS = ("starts_on", "ends_on")

    starts_on = _date_field(pgettext_lazy("start date", "From"))
    ends_on = _date_field(gettext_lazy("Until (included)"))
    note = text_field(
        gettext_lazy("Why it is granted"), max_length=500, required=True, autocomplete="off"
    )
    covers_parts = _cover(gettext_lazy("Covers parts"), initial=True)
    covers_labour = _cover(gettext_lazy("Covers labour"), initial=True)
    covers_travel = _cover(gettext_lazy("Covers on-site travel"), initial=False)

    def clean(self):
        cleaned = super().clean()
        for name in self.DATE_FIELDS:
            if name in cleaned and cleaned[name] is None:
                self.add_error(name, gettext_lazy("Enter the date."))
        return cleaned


class ClaimRejectForm(ConsoleForm):
    """Why a warranty claim is rejected, in words the customer is shown."""

    reason = forms.CharField(
        label=gettext_lazy("Reason, shown to the customer"),
        max_length=REJECTION_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
