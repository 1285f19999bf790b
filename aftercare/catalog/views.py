"""Console settings pages for the catalog: product models, for admins and supervisors."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import Membership
from aftercare.catalog.forms import ProductModelFilterForm, ProductModelForm
from aftercare.catalog.selectors import product_model_get, product_model_settings_page
from aftercare.catalog.services import product_model_create, product_model_update
from aftercare.console.access import Access
from aftercare.console.pages import (
    apply_error,
    console_view,
    form_data,
    form_page,
    next_page_url,
    render_console,
)
from aftercare.lib.errors import ApplicationError

PRODUCT_PAGE_SIZE = 50


# Only admins and supervisors may open these pages.
_manager_view = console_view(
    Access.MANAGE,
    refusal=gettext_lazy("Only admins and supervisors manage product models."),
)


@_manager_view
def product_model_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Product models by brand and name, searchable, a page at a time."""
    form = ProductModelFilterForm(request.GET)
    page = None
    if form.is_valid():
        try:
            page = product_model_settings_page(
                organization=membership.organization,
                search=form.cleaned_data["q"],
                status=form.cleaned_data["status"],
                cursor=request.GET.get("cursor") or None,
                limit=PRODUCT_PAGE_SIZE,
            )
        except ApplicationError as error:
            apply_error(form, error)
    context = {
        "settings_section": "products",
        "form": form,
        "products": page.items if page else [],
        "next_url": next_page_url(request, page),
        "is_first_page": not request.GET.get("cursor"),
        "filtered": page is not None
        and bool(form.cleaned_data["q"] or form.cleaned_data["status"] != "all"),
    }
    status = 200 if page is not None else 422
    return render_console(request, membership, "catalog/product_list.html", context, status=status)


@_manager_view
def product_model_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new product model."""
    form = ProductModelForm(form_data(request), editing=False)

    def save() -> HttpResponse:
        data = form.cleaned_data
        product = product_model_create(
            organization=membership.organization,
            name=data["name"],
            sku=data["sku"],
            brand=data["brand"],
            category=data["category"],
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
    )


@_manager_view
def product_model_edit_view(
    request: HttpRequest, membership: Membership, product_model_id: int
) -> HttpResponse:
    """Change a product model's name, SKU, brand or category, or (de)activate it."""
    product = product_model_get(
        organization=membership.organization, product_model_id=product_model_id
    )
    initial = {
        "name": product.name,
        "sku": product.sku,
        "brand": product.brand,
        "category": product.category,
        "is_active": product.is_active,
    }
    form = ProductModelForm(form_data(request), initial=initial, editing=True)

    def save() -> HttpResponse:
        data = form.cleaned_data
        saved = product_model_update(
            product_model=product,
            name=data["name"],
            sku=data["sku"],
            brand=data["brand"],
            category=data["category"],
            is_active=data["is_active"],
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
    )
