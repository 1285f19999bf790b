"""Settings pages: warranty policies."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import Membership
from aftercare.catalog.forms import WarrantyPolicyFilterForm, WarrantyPolicyForm
from aftercare.catalog.selectors import (
    fault_code_choices,
    warranty_policy_get,
    warranty_policy_page,
)
from aftercare.catalog.services import warranty_policy_create, warranty_policy_update
from aftercare.catalog.views.common import manager_view, settings_list
from aftercare.console.pages import form_data, form_page

_manager_view = manager_view(gettext_lazy("Only admins and supervisors manage warranty policies."))
# The service names the exclusions as the API does.
_FIELDS = {"excluded_fault_ids": "excluded_faults"}


@_manager_view
def warranty_policy_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Warranty policies by name, searchable, a page at a time."""
    return settings_list(
        request,
        membership,
        form=WarrantyPolicyFilterForm(request.GET),
        page=warranty_policy_page,
        template="catalog/policy_list.html",
        section="warranty_policies",
        rows="policies",
    )


@_manager_view
def warranty_policy_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new warranty policy."""
    faults = fault_code_choices(organization=membership.organization)
    initial = {"covers_parts": True, "covers_labour": True, "is_transferable": True}
    form = WarrantyPolicyForm(form_data(request), initial=initial, faults=faults, editing=False)

    def save() -> HttpResponse:
        policy = warranty_policy_create(organization=membership.organization, **form.arguments())
        messages.success(request, _("Warranty policy %(name)s added.") % {"name": policy})
        return redirect("catalog:policies")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="catalog/policy_form.html",
        context={"settings_section": "warranty_policies", "policy": None},
        fields=_FIELDS,
    )


@_manager_view
def warranty_policy_edit_view(
    request: HttpRequest, membership: Membership, warranty_policy_id: int
) -> HttpResponse:
    """Change a warranty policy, or (de)activate it."""
    policy = warranty_policy_get(
        organization=membership.organization, warranty_policy_id=warranty_policy_id
    )
    excluded = list(policy.excluded_faults.all())
    initial = {
        "name": policy.name,
        "months": policy.months,
        "starts_from": policy.starts_from,
        "covers_parts": policy.covers_parts,
        "covers_labour": policy.covers_labour,
        "covers_travel": policy.covers_travel,
        "excluded_faults": [str(fault.pk) for fault in excluded],
        "registration_days": policy.registration_days,
        "is_transferable": policy.is_transferable,
        "is_active": policy.is_active,
    }
    faults = fault_code_choices(organization=membership.organization, keep=excluded)
    form = WarrantyPolicyForm(form_data(request), initial=initial, faults=faults, editing=True)

    def save() -> HttpResponse:
        saved = warranty_policy_update(policy=policy, **form.arguments())
        messages.success(request, _("Warranty policy %(name)s saved.") % {"name": saved})
        return redirect("catalog:policies")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="catalog/policy_form.html",
        context={"settings_section": "warranty_policies", "policy": policy},
        fields=_FIELDS,
    )
