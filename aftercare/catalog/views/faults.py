"""Settings pages: fault codes."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import Membership
from aftercare.catalog.forms import FaultCodeFilterForm, FaultCodeForm
from aftercare.catalog.selectors import fault_code_get, fault_code_page, product_model_choices
from aftercare.catalog.services import fault_code_create, fault_code_update
from aftercare.catalog.views.common import manager_view, settings_list
from aftercare.console.pages import form_data, form_page

_manager_view = manager_view(gettext_lazy("Only admins and supervisors manage fault codes."))
# The service names the models as the API does.
_FIELDS = {"product_model_ids": "product_models"}


@_manager_view
def fault_code_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Fault codes by code, searchable, a page at a time."""
    return settings_list(
        request,
        membership,
        form=FaultCodeFilterForm(request.GET),
        page=fault_code_page,
        template="catalog/fault_list.html",
        section="fault_codes",
        rows="faults",
    )


@_manager_view
def fault_code_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new fault code."""
    products = product_model_choices(organization=membership.organization)
    form = FaultCodeForm(form_data(request), products=products, editing=False)

    def save() -> HttpResponse:
        fault = fault_code_create(organization=membership.organization, **form.arguments())
        messages.success(request, _("Fault code %(code)s added.") % {"code": fault.code})
        return redirect("catalog:faults")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="catalog/fault_form.html",
        context={"settings_section": "fault_codes", "fault": None},
        fields=_FIELDS,
    )


@_manager_view
def fault_code_edit_view(
    request: HttpRequest, membership: Membership, fault_code_id: int
) -> HttpResponse:
    """Change a fault code, or (de)activate it."""
    fault = fault_code_get(organization=membership.organization, fault_code_id=fault_code_id)
    linked = list(fault.product_models.all())
    initial = {
        "code": fault.code,
        "name": fault.name,
        "product_models": [str(product.pk) for product in linked],
        "is_active": fault.is_active,
    }
    products = product_model_choices(organization=membership.organization, keep=linked)
    form = FaultCodeForm(form_data(request), initial=initial, products=products, editing=True)

    def save() -> HttpResponse:
        saved = fault_code_update(fault_code=fault, **form.arguments())
        messages.success(request, _("Fault code %(code)s saved.") % {"code": saved.code})
        return redirect("catalog:faults")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="catalog/fault_form.html",
        context={"settings_section": "fault_codes", "fault": fault},
        fields=_FIELDS,
    )
