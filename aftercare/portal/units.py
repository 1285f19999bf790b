"""The customer's products in the portal: their registered units with coverage, registering one
(serial in any digits, proof of purchase), and one unit's coverage and contracts."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import Organization
from aftercare.catalog.models import ProductModel
from aftercare.catalog.selectors import product_model_list
from aftercare.console.forms import clean_user_date
from aftercare.customers.models import Customer
from aftercare.lib.errors import ApplicationError
from aftercare.portal.access import customer_page
from aftercare.portal.forms import PortalForm, date_input_attrs
from aftercare.warranty.coverage import coverage_check
from aftercare.warranty.display import coverage_line
from aftercare.warranty.models import Unit
from aftercare.warranty.selectors import unit_get_for_customer, units_for_customer
from aftercare.warranty.services.units import unit_register

# A service's field name that the portal's form calls differently.
_FIELD_ALIASES = {"product_model_id": "product_model"}


def _context(organization: Organization, customer: Customer, **extra) -> dict:
    return {"organization": organization, "customer": customer, "section": "units", **extra}


def _text(label, *, max_length: int, direction: str = "auto", required: bool = False):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.TextInput(attrs={"class": "form-control", "dir": direction}),
    )


class UnitRegisterForm(PortalForm):
    """A product the customer registers: model, serial, where and when they bought it, and
    the invoice or receipt."""

    product_model = forms.ChoiceField(
        label=gettext_lazy("Model"), widget=forms.Select(attrs={"class": "form-select"})
    )
    serial_number = _text(
        gettext_lazy("Serial number"), max_length=64, direction="ltr", required=True
    )
    purchase_date = _text(gettext_lazy("Purchase date"), max_length=20, direction="ltr")
    seller = _text(gettext_lazy("Where you bought it"), max_length=200)
    invoice_reference = _text(gettext_lazy("Invoice number"), max_length=100, direction="ltr")
    proof_of_purchase = forms.FileField(
        label=gettext_lazy("Invoice or receipt"),
        required=False,
        help_text=gettext_lazy("A PDF, or a photo (JPEG or PNG)."),
        widget=forms.FileInput(attrs={"class": "form-control", "accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, products: list[ProductModel], **kwargs):
        super().__init__(*args, **kwargs)
        self.products = {str(product.pk): product for product in products}
        self.fields["product_model"].choices = [("", "—")] + [
            (key, str(product)) for key, product in self.products.items()
        ]
        self.fields["serial_number"].help_text = _(
            "As printed on the label; Persian or Arabic digits are fine."
        )
        date_input_attrs(self.fields["purchase_date"])

    def clean_product_model(self) -> ProductModel | None:
        return self.products.get(self.cleaned_data.get("product_model") or "")

    def clean_purchase_date(self):
        return clean_user_date(self.cleaned_data.get("purchase_date") or "")


@customer_page
def unit_list_view(
    request: HttpRequest, organization: Organization, customer: Customer
) -> HttpResponse:
    """The customer's registered products, each with its coverage today."""
    today = timezone.localdate()
    rows = [
        {"unit": unit, "coverage": coverage_line(coverage_check(unit=unit, on=today))}
        for unit in units_for_customer(customer=customer)
    ]
    return render(request, "portal/units.html", _context(organization, customer, rows=rows))


@customer_page
def unit_register_view(
    request: HttpRequest, organization: Organization, customer: Customer
) -> HttpResponse:
    """Register a product: it becomes the customer's, and a request can name it."""
    form = UnitRegisterForm(
        request.POST or None,
        request.FILES or None,
        products=product_model_list(organization=organization),
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                unit = unit_register(
                    organization=organization,
                    product_model=data["product_model"],
                    serial_number=data["serial_number"],
                    customer=customer,
                    source=Unit.Source.PORTAL,
                    actor=request.user,
                    purchase_date=data["purchase_date"],
                    seller=data["seller"],
                    invoice_reference=data["invoice_reference"],
                    proof_of_purchase=data["proof_of_purchase"],
                )
            except ApplicationError as error:
                form.add_application_error(error, aliases=_FIELD_ALIASES)
            else:
                messages.success(
                    request,
                    _("Your product %(serial)s is registered.") % {"serial": unit.serial_number},
                )
                return redirect("portal:unit_detail", org_slug=organization.slug, unit_id=unit.pk)
    return render(
        request,
        "portal/units_new.html",
        _context(organization, customer, form=form),
        status=status,
    )


@customer_page
def unit_detail_view(
    request: HttpRequest, organization: Organization, customer: Customer, unit_id: int
) -> HttpResponse:
    """One of the customer's products: its coverage today and its contracts (its earlier owners
    are not shown)."""
    unit = unit_get_for_customer(customer=customer, unit_id=unit_id)
    coverage = coverage_check(unit=unit, on=timezone.localdate())
    context = _context(
        organization,
        customer,
        unit=unit,
        coverage=coverage,
        coverage_line=coverage_line(coverage),
        contracts=list(unit.contracts.all()),  # the live ones, by start (prefetched)
    )
    return render(request, "portal/units_detail.html", context)
