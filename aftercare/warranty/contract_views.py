"""Console pages for a unit's warranty contracts and claims: selling an extended warranty,
granting goodwill, voiding a contract, and deciding a claim. Each returns to the unit's page
(`views.unit_detail_view`), which lists them."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aftercare.accounts.models import Membership
from aftercare.console.pages import apply_error, console_view, form_page, render_console
from aftercare.lib.dates import format_date
from aftercare.lib.errors import ApplicationError
from aftercare.warranty.contract_selectors import claim_get_for_unit, contract_get_for_unit
from aftercare.warranty.coverage import coverage_check
from aftercare.warranty.display import coverage_line
from aftercare.warranty.forms import ClaimRejectForm, ExtendedContractForm, GoodwillContractForm
from aftercare.warranty.models import Unit, WarrantyClaim
from aftercare.warranty.selectors import unit_get
from aftercare.warranty.services.claims import claim_approve, claim_reject
from aftercare.warranty.services.contracts import (
    contract_extend,
    contract_goodwill,
    contract_void,
    extension_start,
)

_goodwill_view = console_view(refusal=gettext_lazy("Only admins and supervisors grant goodwill."))
_void_view = console_view(refusal=gettext_lazy("Only admins and supervisors void contracts."))
_decision_view = console_view(
    refusal=gettext_lazy("Only admins and supervisors decide warranty claims.")
)


def _unit_url(unit: Unit) -> str:
    return reverse("warranty:detail", kwargs={"unit_id": unit.pk})


def _covers(data: dict) -> dict:
    return {
        "covers_parts": data["covers_parts"],
        "covers_labour": data["covers_labour"],
        "covers_travel": data["covers_travel"],
    }


@console_view()
def contract_extend_view(
    request: HttpRequest, membership: Membership, unit_id: int
) -> HttpResponse:
    """Sell an extended warranty for a unit: it starts where the cover before it ends."""
    unit = unit_get(organization=membership.organization, unit_id=unit_id)
    form = ExtendedContractForm(request.POST if request.method == "POST" else None)

    def save() -> HttpResponse:
        data = form.cleaned_data
        contract = contract_extend(
            unit=unit,
            months=data["months"],
            price=data["price"],
            reference=data["reference"],
            note=data["note"],
            actor=request.user,
            **_covers(data),
        )
        messages.success(
            request,
            _("Extended warranty sold: from %(start)s to %(end)s.")
            % {"start": format_date(contract.starts_on), "end": format_date(contract.ends_on)},
        )
        return redirect(_unit_url(unit))

    starts_on = extension_start(unit=unit, on=unit.organization.today())
    return form_page(
        request,
        membership,
        form,
        save=save,
        template="warranty/contract_extend.html",
        context={"unit": unit, "starts_on": starts_on},
    )


@_goodwill_view
def contract_goodwill_view(
    request: HttpRequest, membership: Membership, unit_id: int
) -> HttpResponse:
    """Grant goodwill: cover for any fault between two days, for a reason."""
    unit = unit_get(organization=membership.organization, unit_id=unit_id)
    form = GoodwillContractForm(request.POST if request.method == "POST" else None)

    def save() -> HttpResponse:
        data = form.cleaned_data
        contract_goodwill(
            unit=unit,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            note=data["note"],
            actor=request.user,
            **_covers(data),
        )
        messages.success(request, _("Goodwill granted."))
        return redirect(_unit_url(unit))

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="warranty/contract_goodwill.html",
        context={"unit": unit},
    )


@_void_view
def contract_void_view(
    request: HttpRequest, membership: Membership, unit_id: int, contract_id: int
) -> HttpResponse:
    """Void a contract after a confirmation: it is kept, and covers nothing from now."""
    unit = unit_get(organization=membership.organization, unit_id=unit_id)
    contract = contract_get_for_unit(unit=unit, contract_id=contract_id)
    form = forms.Form(request.POST if request.method == "POST" else None)

    def save() -> HttpResponse:
        contract_void(contract=contract, actor=request.user)
        messages.success(request, _("Contract voided."))
        return redirect(_unit_url(unit))

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="warranty/contract_void.html",
        context={"unit": unit, "contract": contract},
    )


# --- Deciding a warranty claim ---


def _claim_page(
    request: HttpRequest,
    membership: Membership,
    unit: Unit,
    claim: WarrantyClaim,
    *,
    approve_form: forms.Form | None = None,
    reject_form: ClaimRejectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    coverage = coverage_check(unit=unit, on=claim.fault_on, fault_code=claim.fault_code)
    context = {
        "unit": unit,
        "claim": claim,
        "coverage_line": coverage_line(coverage),
        "is_pending": claim.status == WarrantyClaim.Status.PENDING,
        "approve_form": approve_form or forms.Form(),
        "reject_form": reject_form or ClaimRejectForm(),
    }
    return render_console(request, membership, "warranty/claim_detail.html", context, status=status)


@console_view()
def claim_detail_view(
    request: HttpRequest, membership: Membership, unit_id: int, claim_id: int
) -> HttpResponse:
    """A warranty claim on a unit: what covers the fault on its day, and its decision (or,
    for admins and supervisors, the forms to decide it)."""
    unit = unit_get(organization=membership.organization, unit_id=unit_id)
    claim = claim_get_for_unit(unit=unit, claim_id=claim_id)
    return _claim_page(request, membership, unit, claim)


@require_POST
@_decision_view
def claim_approve_view(
    request: HttpRequest, membership: Membership, unit_id: int, claim_id: int
) -> HttpResponse:
    """Approve a claim: the warranty pays (a work order carrying it follows)."""
    unit = unit_get(organization=membership.organization, unit_id=unit_id)
    claim = claim_get_for_unit(unit=unit, claim_id=claim_id)
    form = forms.Form(request.POST)
    try:
        claim_approve(claim=claim, actor=request.user)
    except ApplicationError as error:
        apply_error(form, error)
        return _claim_page(request, membership, unit, claim, approve_form=form, status=422)
    messages.success(request, _("Warranty claim approved."))
    return redirect(_unit_url(unit))


@require_POST
@_decision_view
def claim_reject_view(
    request: HttpRequest, membership: Membership, unit_id: int, claim_id: int
) -> HttpResponse:
    """Reject a claim with a reason the customer reads (a work order carrying it is billed to
    the customer)."""
    unit = unit_get(organization=membership.organization, unit_id=unit_id)
    claim = claim_get_for_unit(unit=unit, claim_id=claim_id)
    form = ClaimRejectForm(request.POST)
    if form.is_valid():
        try:
            claim_reject(claim=claim, reason=form.cleaned_data["reason"], actor=request.user)
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Warranty claim rejected."))
            return redirect(_unit_url(unit))
    return _claim_page(request, membership, unit, claim, reject_form=form, status=422)
