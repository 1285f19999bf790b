"""Settings pages: product models and the warranty policy each one follows."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import Membership
from aftercare.catalog.forms import ProductModelFilterForm, ProductModelForm
from aftercare.catalog.selectors import (
    product_model_get,
    product_model_settings_page,
    warranty_policy_choices,
)
from aftercare.catalog.services import product_model_create, product_model_update
from aftercare.catalog.views.common import manager_view, settings_list
from aftercare.console.pages import form_data, form_page

_manager_view = manager_view(gettext_lazy("Only admins and supervisors manage product models."))
# The service names the policy as the API does.
_FIELDS = {"warranty_policy_id": "warranty_policy"}


@_manager_view
def product_model_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Product models by brand and name, searchable, a page at a time."""
    return settings_list(
        request,
        membership,
        form=ProductModelFilterForm(request.GET),
        page=product_model_settings_page,
        template="catalog/product_list.html",
        section="products",
        rows="products",
    )


@_manager_view
def product_model_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new product model."""
    policies = warranty_policy_choices(organization=membership.organization)
    form = ProductModelForm(form_data(request), editing=False, policies=policies)

    def save() -> HttpResponse:
        data = form.cleaned_data
        product = product_model_create(
            organization=membership.organization,
            name=data["name"],
            sku=data["sku"],
            brand=data["brand"],
            category=data["category"],
            warranty_policy=form.object_for("warranty_policy"),
        )
        messages.success(request, _("Product model %(name)s added.") % {"name": product})
        return redirect("catalog:products")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="catalog/product_form.html",
        context={"settings_section": "products", "product": None},
        fields=_FIELDS,
    )


@_manager_view
def product_model_edit_view(
    request: HttpRequest, membership: Membership, product_model_id: int
) -> HttpResponse:
    """Change a product model's name, SKU, brand, category or warranty policy, or
    (de)activate it."""
    product = product_model_get(
        organization=membership.organization, product_model_id=product_model_id
    )
    initial = {
        "name": product.name,
        "sku": product.sku,
        "brand": product.brand,
        "category": product.category,
        "warranty_policy": str(product.warranty_policy_id or ""),
        "is_active": product.is_active,
    }
    policies = warranty_policy_choices(
        organization=membership.organization, keep_id=product.warranty_policy_id
    )
    form = ProductModelForm(form_data(request), initial=initial, editing=True, policies=policies)

    def save() -> HttpResponse:
        data = form.cleaned_data
        saved = product_model_update(
            product_model=product,
            name=data["name"],
            sku=data["sku"],
            brand=data["brand"],
            category=data["category"],
            is_active=data["is_active"],
            warranty_policy=form.object_for("warranty_policy"),
        )
        messages.success(request, _("Product model %(name)s saved.") % {"name": saved})
        return redirect("catalog:products")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="catalog/product_form.html",
        context={"settings_section": "products", "product": product},
        fields=_FIELDS,
    )
