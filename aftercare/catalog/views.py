"""Console settings pages for the catalog: product models, for admins and supervisors."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from aftercare.accounts.models import Membership
from aftercare.catalog.forms import ProductModelFilterForm, ProductModelForm
from aftercare.catalog.selectors import product_model_get, product_model_settings_page
from aftercare.catalog.services import product_model_create, product_model_update
from aftercare.lib.errors import ApplicationError
from aftercare.tickets.console import (
    apply_error,
    console_view,
    forbidden,
    query_with,
    render_console,
)

PRODUCT_PAGE_SIZE = 50


def _manager_view(view: Callable) -> Callable:
    """A console view only admins and supervisors may open; anyone else gets a 403."""

    @console_view()
    @wraps(view)
    def wrapper(request: HttpRequest, membership: Membership, *args, **kwargs) -> HttpResponse:
        if not membership.can_manage:
            reason = _("Only admins and supervisors manage product models.")
            return forbidden(request, membership, reason)
        return view(request, membership, *args, **kwargs)

    return wrapper


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
        "next_url": (
            "?" + query_with(request.GET, cursor=page.next_cursor)
            if page and page.next_cursor
            else ""
        ),
        "is_first_page": not request.GET.get("cursor"),
        "filtered": page is not None
        and bool(form.cleaned_data["q"] or form.cleaned_data["status"] != "all"),
    }
    status = 200 if page is not None else 422
    return render_console(request, membership, "catalog/product_list.html", context, status=status)


@_manager_view
def product_model_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new product model."""
    form = ProductModelForm(request.POST if request.method == "POST" else None, editing=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            product = product_model_create(
                organization=membership.organization,
                name=data["name"],
                sku=data["sku"],
                brand=data["brand"],
                category=data["category"],
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Product model %(name)s added.") % {"name": product})
            return redirect("catalog:products")
    status = 422 if request.method == "POST" else 200
    context = {"settings_section": "products", "form": form, "product": None}
    return render_console(request, membership, "catalog/product_form.html", context, status=status)


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
    form = ProductModelForm(
        request.POST if request.method == "POST" else None, initial=initial, editing=True
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            product = product_model_update(
                product_model=product,
                name=data["name"],
                sku=data["sku"],
                brand=data["brand"],
                category=data["category"],
                is_active=data["is_active"],
            )
        except ApplicationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Product model %(name)s saved.") % {"name": product})
            return redirect("catalog:products")
    status = 422 if request.method == "POST" else 200
    context = {"settings_section": "products", "form": form, "product": product}
    return render_console(request, membership, "catalog/product_form.html", context, status=status)
