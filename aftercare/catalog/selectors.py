"""Reads about the catalog, scoped to one organization."""

from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.catalog.models import ProductModel
from aftercare.lib.errors import ApplicationError


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
