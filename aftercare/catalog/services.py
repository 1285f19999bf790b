"""Every write to the catalog."""

from django.db import transaction
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.catalog.models import ProductModel
from aftercare.lib.errors import ApplicationError


@transaction.atomic
def product_model_create(
    *, organization: Organization, name: str, sku: str, brand: str = "", category: str = ""
) -> ProductModel:
    """A product model; SKUs are unique inside an organization."""
    name, sku = name.strip(), sku.strip()
    if not name:
        raise ApplicationError(_("Enter the product's name."), field="name")
    if not sku:
        raise ApplicationError(_("Enter the SKU."), field="sku")
    if ProductModel.objects.filter(organization=organization, sku=sku).exists():
        raise ApplicationError(_("A product with this SKU already exists."), field="sku")
    return ProductModel.objects.create(
        organization=organization, name=name, sku=sku, brand=brand.strip(), category=category
    )
