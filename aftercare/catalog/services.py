"""Every write to the catalog."""

from django.db import IntegrityError, transaction
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
    try:
        with transaction.atomic():
            return ProductModel.objects.create(
                organization=organization,
                name=name,
                sku=sku,
                brand=brand.strip(),
                category=category,
            )
    except IntegrityError:
        # Another request took the SKU between the check and the insert.
        raise ApplicationError(_("A product with this SKU already exists."), field="sku") from None


def _product_text(value: str, *, field: str, max_length: int, message: str = "") -> str:
    """Typed text without NULs or outer spaces; `message` when it is required and empty."""
    value = (value or "").replace("\x00", "").strip()
    if message and not value:
        raise ApplicationError(message, field=field)
    if len(value) > max_length:
        raise ApplicationError(
            _("Too long: %(max)s characters at most.") % {"max": max_length}, field=field
        )
    return value


@transaction.atomic
def product_model_update(
    *,
    product_model: ProductModel,
    name: str,
    sku: str,
    brand: str,
    category: str,
    is_active: bool,
) -> ProductModel:
    """Edit a product model or (de)activate it; SKUs stay unique inside the organization."""
    name = _product_text(name, field="name", max_length=200, message=_("Enter the product's name."))
    sku = _product_text(sku, field="sku", max_length=64, message=_("Enter the SKU."))
    brand = _product_text(brand, field="brand", max_length=100)
    category = _product_text(category, field="category", max_length=100)
    product = ProductModel.objects.select_for_update().get(pk=product_model.pk)
    taken = (
        ProductModel.objects.filter(organization_id=product.organization_id, sku=sku)
        .exclude(pk=product.pk)
        .exists()
    )
    if taken:
        raise ApplicationError(_("A product with this SKU already exists."), field="sku")
    product.name, product.sku, product.brand, product.category = name, sku, brand, category
    product.is_active = is_active
    try:
        with transaction.atomic():
            product.save(update_fields=["name", "sku", "brand", "category", "is_active"])
    except IntegrityError:
        # Another request took the SKU between the check and the write.
        raise ApplicationError(_("A product with this SKU already exists."), field="sku") from None
    return product
