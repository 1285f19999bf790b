"""Every write to spare parts."""

from collections.abc import Iterable, Mapping
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.catalog.indexing import spare_part_index
from aftercare.catalog.models import ProductModel, SparePart
from aftercare.catalog.selectors.parts import part_name_languages
from aftercare.catalog.services.faults import check_products
from aftercare.lib.errors import ApplicationError
from aftercare.lib.unset import UNSET, Unset
from aftercare.lib.validation import clean_text, save_unless_taken

# What a price column (14 digits, 2 after the point) can hold.
PRICE_MAX = Decimal("999999999999.99")
CENT = Decimal("0.01")
# What the spare part's search document holds.
_INDEXED = {"sku", "name", "names", "is_active"}


def clean_price(value, *, field: str = "price", positive: bool = False) -> Decimal:
    """An amount of money with at most two decimals, not negative (or, if `positive`, above
    zero), that a price column can hold."""
    if isinstance(value, bool) or value is None:
        raise ApplicationError(_("Enter an amount, e.g. 1250.50."), field=field)
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("Enter an amount, e.g. 1250.50."), field=field) from None
    if not amount.is_finite():
        raise ApplicationError(_("Enter an amount, e.g. 1250.50."), field=field)
    if positive and amount <= 0:
        raise ApplicationError(_("Enter an amount above zero."), field=field)
    if amount < 0:
        raise ApplicationError(_("The amount cannot be negative."), field=field)
    if amount > PRICE_MAX:
        raise ApplicationError(_("The amount is too large."), field=field)
    if amount != amount.quantize(CENT, rounding=ROUND_DOWN):
        raise ApplicationError(_("Enter an amount with at most two decimals."), field=field)
    return amount.quantize(CENT)


def _clean_names(names: Mapping[str, str] | None) -> dict[str, str]:
    """The name in each other language, empty ones left out."""
    allowed = part_name_languages()
    cleaned = {}
    for language, value in (names or {}).items():
        if language not in allowed:
            raise ApplicationError(
                _("Unknown language: %(value)s.") % {"value": language}, field="names"
            )
        text = clean_text(value, field=f"names.{language}", required=False, max_length=200)
        if text:
            cleaned[language] = text
    return cleaned


def _sku_taken() -> ApplicationError:
    return ApplicationError(_("A spare part with this SKU already exists."), field="sku")


@transaction.atomic
def spare_part_create(
    *,
    organization: Organization,
    sku: str,
    name: str,
    names: Mapping[str, str] | None = None,
    price=Decimal(0),
    compatible_models: Iterable[ProductModel] = (),
    is_serialised: bool = False,
) -> SparePart:
    """A spare part; SKUs are unique inside an organization (and apart from product SKUs)."""
    part = SparePart(
        organization=organization,
        sku=clean_text(sku, field="sku", required=True, max_length=64),
        name=clean_text(name, field="name", required=True, max_length=200),
        names=_clean_names(names),
        price=clean_price(price),
        is_serialised=bool(is_serialised),
    )
    products = check_products(compatible_models, organization.pk, field="compatible_model_ids")
    taken = SparePart.objects.filter(organization=organization, sku=part.sku)
    save_unless_taken(part, taken=taken, error=_sku_taken)
    part.compatible_models.set(products)
    spare_part_index(part, new=True)
    return part


@transaction.atomic
def spare_part_update(
    *,
    spare_part: SparePart,
    sku: str | Unset = UNSET,
    name: str | Unset = UNSET,
    names: Mapping[str, str] | None | Unset = UNSET,
    price=UNSET,
    compatible_models: Iterable[ProductModel] | Unset = UNSET,
    is_serialised: bool | Unset = UNSET,
    is_active: bool | Unset = UNSET,
) -> SparePart:
    """Change what is given; `names` replaces every other-language name at once. An inactive
    part is no longer offered for new repairs, and stays on the records that name it."""
    fields: dict = {}
    if sku is not UNSET:
        fields["sku"] = clean_text(sku, field="sku", required=True, max_length=64)
    if name is not UNSET:
        fields["name"] = clean_text(name, field="name", required=True, max_length=200)
    if names is not UNSET:
        fields["names"] = _clean_names(names)
    if price is not UNSET:
        fields["price"] = clean_price(price)
    if is_serialised is not UNSET:
        fields["is_serialised"] = bool(is_serialised)
    if is_active is not UNSET:
        fields["is_active"] = bool(is_active)
    products = None
    if compatible_models is not UNSET:
        products = check_products(
            compatible_models, spare_part.organization_id, field="compatible_model_ids"
        )
    part = SparePart.objects.select_for_update().get(pk=spare_part.pk)
    if "sku" in fields:
        taken = (
            SparePart.objects.filter(organization_id=part.organization_id, sku=fields["sku"])
            .exclude(pk=part.pk)
            .exists()
        )
        if taken:
            raise _sku_taken()
    for field, value in fields.items():
        setattr(part, field, value)
    if fields:
        try:
            with transaction.atomic():
                part.save(update_fields=list(fields))
        except IntegrityError:
            # Another request took the SKU between the check and the write.
            raise _sku_taken() from None
        if fields.keys() & _INDEXED:
            spare_part_index(part)
    if products is not None:
        part.compatible_models.set(products)
    return part
