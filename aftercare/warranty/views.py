"""Console pages for registered units: the list, a unit's page, registering, editing and
transferring one, importing a sales export, and the customer page's units."""

import uuid

from django.contrib import messages
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import Membership
from aftercare.catalog.selectors import product_model_choices
from aftercare.console.forms import date_input_value
from aftercare.console.pages import (
    apply_error,
    console_view,
    form_page,
    next_page_url,
    parse_id,
    render_console,
)
from aftercare.customers.hooks import CustomerPanel
from aftercare.customers.models import Customer
from aftercare.customers.selectors import customer_get, customer_search
from aftercare.lib.errors import ApplicationError
from aftercare.lib.unset import UNSET
from aftercare.lib.uploads import file_response, private_storage
from aftercare.warranty.contract_selectors import standard_cover
from aftercare.warranty.coverage import coverage_check
from aftercare.warranty.display import coverage_line
from aftercare.warranty.forms import (
    UnitFilterForm,
    UnitForm,
    UnitImportForm,
    UnitTransferForm,
)
from aftercare.warranty.imports import units_import
from aftercare.warranty.models import Unit
from aftercare.warranty.selectors import (
    unit_claims,
    unit_contracts,
    unit_get,
    unit_page,
    unit_transfers,
    units_for_customer,
)
from aftercare.warranty.services.units import (
    proof_file_info,
    unit_register,
    unit_transfer,
    unit_update,
)

UNIT_PAGE_SIZE = 50
IMPORT_TOKEN_SALT = "aftercare.warranty.import"
IMPORT_TOKEN_MAX_AGE = 24 * 3600


def _customer_choice(request: HttpRequest, membership: Membership) -> dict:
    """The chosen customer (?customer= or the posted customer_id; another organization's is a
    404) and the customer search's results (?customer_q=)."""
    organization = membership.organization
    chosen = None
    customer_id = parse_id(request.POST.get("customer_id") or request.GET.get("customer"))
    if customer_id is not None:
        chosen = customer_get(organization=organization, customer_id=customer_id)
    search = (request.GET.get("customer_q") or "").strip()[:200]
    results = []
    if search and chosen is None:
        results = customer_search(
            organization=organization, query=search, cursor=None, limit=10
        ).items
    return {"customer": chosen, "customer_q": search, "customer_results": results}


def _next_url(request: HttpRequest) -> str:
    """Where to go back to after saving (e.g. the request the unit was registered from)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed and target.startswith("/") else ""


@console_view()
def unit_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Units, newest first: by the start of a serial, model, owner or one customer's."""
    organization = membership.organization
    form = UnitFilterForm(request.GET, products=product_model_choices(organization=organization))
    customer_id = parse_id(request.GET.get("customer"))
    customer = None
    if customer_id is not None:
        customer = customer_get(organization=organization, customer_id=customer_id)
    page = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            page = unit_page(
                organization=organization,
                search=data["q"],
                customer_id=customer_id,
                product_model_id=parse_id(data["product_model_id"]),
                owner=data["owner"],
                cursor=request.GET.get("cursor") or None,
                limit=UNIT_PAGE_SIZE,
            )
        except ApplicationError as error:
            apply_error(form, error)
    context = {
        "form": form,
        "customer": customer,
        "units": page.items if page else [],
        "next_url": next_page_url(request, page),
        "is_first_page": not request.GET.get("cursor"),
        "filtered": bool(customer_id or request.GET.get("q") or request.GET.get("owner")),
    }
    status = 200 if page is not None else 422
    return render_console(request, membership, "warranty/unit_list.html", context, status=status)


@console_view()
def unit_detail_view(request: HttpRequest, membership: Membership, unit_id: int) -> HttpResponse:
    """A unit: model, serial, owner, dates, proof of purchase, coverage today, the standard
    warranty and the contracts (sold, granted, void), changes of owner and warranty claims;
    the actions on contracts and claims are `contract_views`'."""
    unit = unit_get(organization=membership.organization, unit_id=unit_id)
    coverage = coverage_check(unit=unit, on=timezone.localdate())
    context = {
        "unit": unit,
        "coverage": coverage,
        "coverage_line": coverage_line(coverage),
        "standard": standard_cover(unit=unit),
        "contracts": unit_contracts(unit=unit),
        "transfers": unit_transfers(unit=unit),
        "claims": unit_claims(unit=unit),
        "proof_name": proof_file_info(unit)[0] if unit.proof_of_purchase else "",
    }
    return render_console(request, membership, "warranty/unit_detail.html", context)


@console_view()
def unit_proof_view(request: HttpRequest, membership: Membership, unit_id: int) -> HttpResponse:
    """A unit's proof of purchase, for staff of its organization (PDF and images inline)."""
    unit = unit_get(organization=membership.organization, unit_id=unit_id)
    if not unit.proof_of_purchase:
        raise Http404
    filename, content_type = proof_file_info(unit)
    return file_response(unit.proof_of_purchase, filename=filename, content_type=content_type)


@console_view()
def unit_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Register a unit, for a customer picked on the page (or given by the customer page or a
    request's page, which it returns to)."""
    organization = membership.organization
    choice = _customer_choice(request, membership)
    form = UnitForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        products=product_model_choices(organization=organization),
        editing=False,
        initial={"is_sold_by_us": True},
    )

    def save() -> HttpResponse:
        data = form.cleaned_data
        unit = unit_register(
            organization=organization,
            product_model=form.object_for("product_model_id"),
            serial_number=data["serial_number"],
            customer=choice["customer"],
            source=Unit.Source.CONSOLE,
            actor=request.user,
            purchase_date=data["purchase_date"],
            seller=data["seller"],
            invoice_reference=data["invoice_reference"],
            delivery_date=data["delivery_date"],
            installation_date=data["installation_date"],
            is_sold_by_us=data["is_sold_by_us"],
            proof_of_purchase=data["proof_of_purchase"],
        )
        messages.success(request, _("Unit %(serial)s registered.") % {"serial": unit.serial_number})
        return redirect(_next_url(request) or unit_url(unit))

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="warranty/unit_form.html",
        context={**choice, "unit": None, "next": _next_url(request)},
    )


def unit_url(unit: Unit) -> str:
    """The console page of a unit."""
    return reverse("warranty:detail", kwargs={"unit_id": unit.pk})


@console_view()
def unit_edit_view(request: HttpRequest, membership: Membership, unit_id: int) -> HttpResponse:
    """Correct a unit's model, serial, sale and dates, or replace its proof of purchase."""
    organization = membership.organization
    unit = unit_get(organization=organization, unit_id=unit_id)
    initial = {
        "product_model_id": str(unit.product_model_id),
        "serial_number": unit.serial_number,
        "purchase_date": date_input_value(unit.purchase_date),
        "seller": unit.seller,
        "invoice_reference": unit.invoice_reference,
        "delivery_date": date_input_value(unit.delivery_date),
        "installation_date": date_input_value(unit.installation_date),
        "is_sold_by_us": unit.is_sold_by_us,
    }
    form = UnitForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        initial=initial,
        products=product_model_choices(organization=organization, keep=[unit.product_model]),
        editing=True,
        has_proof=bool(unit.proof_of_purchase),
    )

    def save() -> HttpResponse:
        data = form.cleaned_data
        proof: UploadedFile | None | object = UNSET
        if data["proof_of_purchase"]:
            proof = data["proof_of_purchase"]
        elif data.get("remove_proof"):
            proof = None
        unit_update(
            unit=unit,
            actor=request.user,
            product_model=form.object_for("product_model_id"),
            serial_number=data["serial_number"],
            purchase_date=data["purchase_date"],
            seller=data["seller"],
            invoice_reference=data["invoice_reference"],
            delivery_date=data["delivery_date"],
            installation_date=data["installation_date"],
            is_sold_by_us=data["is_sold_by_us"],
            proof_of_purchase=proof,
        )
        messages.success(request, _("Unit saved."))
        return redirect(unit_url(unit))

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="warranty/unit_form.html",
        context={"unit": unit, "customer": unit.customer, "next": ""},
    )


@console_view()
def unit_transfer_view(request: HttpRequest, membership: Membership, unit_id: int) -> HttpResponse:
    """Give a unit to another customer from a day (a sale, a gift), kept in its history."""
    unit = unit_get(organization=membership.organization, unit_id=unit_id)
    choice = _customer_choice(request, membership)
    form = UnitTransferForm(
        request.POST if request.method == "POST" else None,
        initial={
            "customer_id": choice["customer"].pk if choice["customer"] else "",
            "transferred_on": date_input_value(timezone.localdate()),
        },
    )

    def save() -> HttpResponse:
        if choice["customer"] is None:
            raise ApplicationError(_("Choose the new owner."), field="customer_id")
        unit_transfer(
            unit=unit,
            to_customer=choice["customer"],
            on=form.cleaned_data["transferred_on"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
        messages.success(
            request, _("The unit now belongs to %(name)s.") % {"name": choice["customer"].name}
        )
        return redirect(unit_url(unit))

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="warranty/unit_transfer.html",
        context={**choice, "unit": unit},
    )


# --- Importing a sales export ---

_import_view = console_view(refusal=gettext_lazy("Only admins and supervisors import units."))


def _import_store(membership: Membership, upload: UploadedFile) -> str:
    """Keep a checked file until it is imported; the token names it for this member only."""
    extension = "xlsx" if (upload.name or "").lower().endswith(".xlsx") else "csv"
    storage = private_storage()
    stamp = timezone.now().strftime("%Y/%m")
    name = f"warranty/imports/{stamp}/{membership.organization_id}-{uuid.uuid4().hex}.{extension}"
    upload.seek(0)
    path = storage.save(name, upload)
    payload = {"o": membership.organization_id, "u": membership.user_id, "p": path}
    return signing.dumps(payload, salt=IMPORT_TOKEN_SALT)


def _import_file(membership: Membership, token: str):
    """The stored file a token names, if it is this member's and not too old; else None."""
    try:
        payload = signing.loads(token, salt=IMPORT_TOKEN_SALT, max_age=IMPORT_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    mine = payload.get("o") == membership.organization_id and payload.get("u") == membership.user_id
    storage = private_storage()
    if not mine or not storage.exists(payload.get("p", "")):
        return None
    return storage.open(payload["p"], "rb")


@_import_view
def unit_import_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Upload a sales export: check it (every bad row listed by line), then import it."""
    form = UnitImportForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form, "report": None, "token": ""}
    if request.method != "POST":
        return render_console(request, membership, "warranty/unit_import.html", context)
    dry_run = request.POST.get("action") != "import"
    status = 422
    if form.is_valid():
        upload = form.cleaned_data["file"]
        token = form.cleaned_data["token"]
        stored = None
        if upload is None and token:
            stored = _import_file(membership, token)
            if stored is None:
                form.add_error("file", _("The checked file is no longer here: upload it again."))
        elif upload is None:
            form.add_error("file", _("Choose a CSV or XLSX file."))
        source = upload or stored
        if source is not None:
            try:
                report = units_import(
                    organization=membership.organization,
                    upload=source,
                    dry_run=dry_run,
                    actor=request.user,
                )
            except ApplicationError as error:
                apply_error(form, error)
            else:
                status = 200
                context["report"] = report
                if dry_run and report.new:
                    context["token"] = _import_store(membership, upload) if upload else token
            finally:
                if stored is not None:
                    stored.close()
                    if not dry_run:
                        private_storage().delete(stored.name)
        if status == 200 and not dry_run:
            messages.success(
                request, _("%(count)s units imported.") % {"count": context["report"].imported}
            )
    return render_console(request, membership, "warranty/unit_import.html", context, status=status)


# --- The customer page's units (customers' hook) ---


def customer_units_panel(
    *, request: HttpRequest, membership: Membership, customer: Customer
) -> CustomerPanel:
    """The customer's units with their coverage today and contracts, for the customer page."""
    today = timezone.localdate()
    rows = []
    for unit in units_for_customer(customer=customer):
        coverage = coverage_check(unit=unit, on=today)
        rows.append(
            {
                "unit": unit,
                "coverage": coverage_line(coverage),
                "contracts": list(unit.contracts.all()),
            }
        )
    return CustomerPanel(
        template="warranty/customer_units.html",
        actions_template="warranty/customer_unit_actions.html",
        context={"rows": rows},
    )
