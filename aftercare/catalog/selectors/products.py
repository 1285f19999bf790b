"""Reads about product models, scoped to one organization."""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.catalog.indexing import ACTIVE, PRODUCT_MODEL
from aftercare.catalog.models import ProductModel
from aftercare.catalog.selectors.searching import listed_page, searched_page
from aftercare.lib.errors import ApplicationError
from aftercare.lib.pagination import Page
from aftercare.lib.validation import objects_for_input

# The status filter of every settings list of the catalog.
STATUSES = ("all", "active", "inactive")


def product_model_list(*, organization: Organization) -> list[ProductModel]:
    """Active product models, by brand and name."""
    return list(ProductModel.objects.filter(organization=organization, is_active=True))


def product_model_get(*, organization: Organization, product_model_id: int) -> ProductModel:
    """A product model of this organization, or 404."""
    product = ProductModel.objects.filter(organization=organization, pk=product_model_id).first()
    if product is None:
        raise Http404
    return product


def product_model_for_input(
    *, organization: Organization, product_model_id: int, field: str = "product_model_id"
) -> ProductModel:
    """A product model named in input; one of another organization is a field error."""
    product = ProductModel.objects.filter(organization=organization, pk=product_model_id).first()
    if product is None:
        raise ApplicationError(_("No such product model."), field=field)
    return product


def product_model_page(
    *, organization: Organization, search: str = "", cursor: str | None = None, limit: int = 50
) -> Page:
    """One page of active product models by brand and name; with `search`, those the search
    index finds by name, brand, category or SKU, the SKU typed whole first."""
    queryset = ProductModel.objects.filter(organization=organization, is_active=True)
    if search.strip():
        return searched_page(
            queryset,
            organization=organization,
            kind=PRODUCT_MODEL,
            search=search,
            states=[ACTIVE],
            cursor=cursor,
            limit=limit,
        )
    return listed_page(queryset, ordering=["brand", "name", "id"], cursor=cursor, limit=limit)


PRODUCT_MODEL_STATUSES = STATUSES


def product_model_settings_page(
    *,
    organization: Organization,
    search: str = "",
    status: str = "all",
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """One page of product models, active or not, by brand and name; with `search`, those the
    search index finds by name, brand, category or SKU, the SKU typed whole first."""
    if status not in PRODUCT_MODEL_STATUSES:
        raise ApplicationError(_("Unknown status."), field="status")
    queryset = ProductModel.objects.filter(organization=organization).select_related(
        "warranty_policy"
    )
    if status != "all":
        queryset = queryset.filter(is_active=status == "active")
    if search.strip():
        return searched_page(
            queryset,
            organization=organization,
            kind=PRODUCT_MODEL,
            search=search,
            states=[] if status == "all" else [status],
            cursor=cursor,
            limit=limit,
        )
    return listed_page(queryset, ordering=["brand", "name", "id"], cursor=cursor, limit=limit)


def product_models_for_input(
    *, organization: Organization, product_model_ids: list[int], field: str = "product_model_ids"
) -> list[ProductModel]:
    """The product models named in input; any id not of this organization is a field error."""
    queryset = ProductModel.objects.filter(organization=organization)
    message = _("No such product model.")
    return objects_for_input(queryset, product_model_ids, field=field, message=message)


def product_model_choices(
    *, organization: Organization, keep: list[ProductModel] | tuple = ()
) -> list[ProductModel]:
    """Active product models to pick from, and the inactive ones in `keep` (already picked)."""
    kept = [product.pk for product in keep]
    queryset = ProductModel.objects.filter(organization=organization)
    return list(queryset.filter(Q(is_active=True) | Q(pk__in=kept)))
