"""Every write to product models."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.catalog import hooks
from aftercare.catalog.indexing import product_model_index
from aftercare.catalog.models import ProductModel, WarrantyPolicy
from aftercare.lib.errors import ApplicationError
from aftercare.lib.unset import UNSET, Unset

# What the product model's search document holds.
_INDEXED = {"name", "sku", "brand", "category", "is_active"}


def _check_policy(policy: WarrantyPolicy | None, organization_id: int) -> None:
    if policy is not None and policy.organization_id != organization_id:
        raise ApplicationError(_("No such warranty policy."), field="warranty_policy_id")


@transaction.atomic
def product_model_create(
    *,
    organization: Organization,
    name: str,
    sku: str,
    brand: str = "",
    category: str = "",
    warranty_policy: WarrantyPolicy | None = None,
) -> ProductModel:
    """A product model; SKUs are unique inside an organization."""
    name, sku = name.strip(), sku.strip()
    if not name:
        raise ApplicationError(_("Enter the product's name."), field="name")
    if not sku:
        raise ApplicationError(_("Enter the SKU."), field="sku")
    _check_policy(warranty_policy, organization.pk)
    if ProductModel.objects.filter(organization=organization, sku=sku).exists():
        raise ApplicationError(_("A product with this SKU already exists."), field="sku")
    try:
        with transaction.atomic():
            product = ProductModel.objects.create(
                organization=organization,
                name=name,
                sku=sku,
                brand=brand.strip(),
                category=category,
                warranty_policy=warranty_policy,
            )
    except IntegrityError:
        # Another request took the SKU between the check and the insert.
        raise ApplicationError(_("A product with this SKU already exists."), field="sku") from None
    product_model_index(product, new=True)
    return product


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
    name: str | Unset = UNSET,
    sku: str | Unset = UNSET,
    brand: str | Unset = UNSET,
    category: str | Unset = UNSET,
    is_active: bool | Unset = UNSET,
    warranty_policy: WarrantyPolicy | None | Unset = UNSET,
) -> ProductModel:
    """Edit a product model, (de)activate it or change its warranty policy; SKUs stay unique
    inside the organization."""
    fields: dict = {}
    if name is not UNSET:
        fields["name"] = _product_text(
            name, field="name", max_length=200, message=_("Enter the product's name.")
        )
    if sku is not UNSET:
        fields["sku"] = _product_text(sku, field="sku", max_length=64, message=_("Enter the SKU."))
    if brand is not UNSET:
        fields["brand"] = _product_text(brand, field="brand", max_length=100)
    if category is not UNSET:
        fields["category"] = _product_text(category, field="category", max_length=100)
    if is_active is not UNSET:
        fields["is_active"] = bool(is_active)
    if warranty_policy is not UNSET:
        _check_policy(warranty_policy, product_model.organization_id)
        fields["warranty_policy"] = warranty_policy
    product = ProductModel.objects.select_for_update().get(pk=product_model.pk)
    if "sku" in fields:
        taken = (
            ProductModel.objects.filter(organization_id=product.organization_id, sku=fields["sku"])
            .exclude(pk=product.pk)
            .exists()
        )
        if taken:
            raise ApplicationError(_("A product with this SKU already exists."), field="sku")
    for field, value in fields.items():
        setattr(product, field, value)
    if not fields:
        return product
    try:
        with transaction.atomic():
            product.save(update_fields=list(fields))
    except IntegrityError:
        # Another request took the SKU between the check and the write.
        raise ApplicationError(_("A product with this SKU already exists."), field="sku") from None
    if fields.keys() & _INDEXED:
        product_model_index(product)
    if fields.keys() & {"name", "brand", "sku"}:
        hooks.product_model_renamed.fire(product_model=product)
    return product
