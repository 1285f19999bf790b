"""Settings pages: spare parts."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftercare.accounts.models import Membership
from aftercare.catalog.forms import SPARE_PART_FIELDS, SparePartFilterForm, SparePartForm
from aftercare.catalog.selectors import (
    part_name_languages,
    product_model_choices,
    spare_part_get,
    spare_part_page,
)
from aftercare.catalog.services import spare_part_create, spare_part_update
from aftercare.catalog.views.common import manager_view, settings_list
from aftercare.console.pages import form_data, form_page
from aftercare.lib.pagination import Page

_manager_view = manager_view(gettext_lazy("Only admins and supervisors manage spare parts."))


def _named_page(**arguments) -> Page:
    """A page of spare parts, each with its name in the active language."""
    page = spare_part_page(**arguments)
    language = translation.get_language()
    for part in page.items:
        part.display_name = part.name_in(language)
    return page


@_manager_view
def spare_part_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Spare parts by SKU, searchable, a page at a time."""
    return settings_list(
        request,
        membership,
        form=SparePartFilterForm(request.GET),
        page=_named_page,
        template="catalog/part_list.html",
        section="spare_parts",
        rows="parts",
    )


@_manager_view
def spare_part_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A new spare part."""
    products = product_model_choices(organization=membership.organization)
    form = SparePartForm(form_data(request), products=products, editing=False)

    def save() -> HttpResponse:
        part = spare_part_create(organization=membership.organization, **form.arguments())
        messages.success(request, _("Spare part %(sku)s added.") % {"sku": part.sku})
        return redirect("catalog:parts")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="catalog/part_form.html",
        context={"settings_section": "spare_parts", "part": None},
        fields=SPARE_PART_FIELDS,
    )


@_manager_view
def spare_part_edit_view(
    request: HttpRequest, membership: Membership, spare_part_id: int
) -> HttpResponse:
    """Change a spare part, or (de)activate it."""
    part = spare_part_get(organization=membership.organization, spare_part_id=spare_part_id)
    linked = list(part.compatible_models.all())
    initial = {
        "sku": part.sku,
        "name": part.name,
        "price": part.price,
        "compatible_models": [str(product.pk) for product in linked],
        "is_serialised": part.is_serialised,
        "is_active": part.is_active,
        **{f"name_{code}": (part.names or {}).get(code, "") for code in part_name_languages()},
    }
    products = product_model_choices(organization=membership.organization, keep=linked)
    form = SparePartForm(form_data(request), initial=initial, products=products, editing=True)

    def save() -> HttpResponse:
        saved = spare_part_update(spare_part=part, **form.arguments())
        messages.success(request, _("Spare part %(sku)s saved.") % {"sku": saved.sku})
        return redirect("catalog:parts")

    return form_page(
        request,
        membership,
        form,
        save=save,
        template="catalog/part_form.html",
        context={"settings_section": "spare_parts", "part": part},
        fields=SPARE_PART_FIELDS,
    )
