"""Every write to fault codes."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.catalog.indexing import fault_code_index
from aftercare.catalog.models import FaultCode, ProductModel
from aftercare.lib.errors import ApplicationError
from aftercare.lib.unset import UNSET, Unset
from aftercare.lib.validation import clean_text, save_unless_taken


def _code_taken() -> ApplicationError:
    return ApplicationError(_("A fault with this code already exists."), field="code")


def check_products(
    products: Iterable[ProductModel], organization_id: int, *, field: str
) -> list[ProductModel]:
    """Product models named in input; one of another organization is an error on `field`."""
    products = list(products or [])
    if any(product.organization_id != organization_id for product in products):
        raise ApplicationError(_("No such product model."), field=field)
    return products


@transaction.atomic
def fault_code_create(
    *,
    organization: Organization,
    code: str,
    name: str,
    product_models: Iterable[ProductModel] = (),
) -> FaultCode:
    """A fault code for the listed models (none: every model); codes are unique inside an
    organization."""
    fault = FaultCode(
        organization=organization,
        code=clean_text(code, field="code", required=True, max_length=32),
        name=clean_text(name, field="name", required=True, max_length=200),
    )
    products = check_products(product_models, organization.pk, field="product_model_ids")
    taken = FaultCode.objects.filter(organization=organization, code=fault.code)
    save_unless_taken(fault, taken=taken, error=_code_taken)
    fault.product_models.set(products)
    fault_code_index(fault, new=True)
    return fault


@transaction.atomic
def fault_code_update(
    *,
    fault_code: FaultCode,
    code: str | Unset = UNSET,
    name: str | Unset = UNSET,
    product_models: Iterable[ProductModel] | Unset = UNSET,
    is_active: bool | Unset = UNSET,
) -> FaultCode:
    """Change what is given; an inactive code is no longer offered, and stays on the records
    and the policy exclusions that name it."""
    fields: dict = {}
    if code is not UNSET:
        fields["code"] = clean_text(code, field="code", required=True, max_length=32)
    if name is not UNSET:
        fields["name"] = clean_text(name, field="name", required=True, max_length=200)
    if is_active is not UNSET:
        fields["is_active"] = bool(is_active)
    products = None
    if product_models is not UNSET:
        products = check_products(
            product_models, fault_code.organization_id, field="product_model_ids"
        )
    fault = FaultCode.objects.select_for_update().get(pk=fault_code.pk)
    if "code" in fields:
        taken = (
            FaultCode.objects.filter(organization_id=fault.organization_id, code=fields["code"])
            .exclude(pk=fault.pk)
            .exists()
        )
        if taken:
            raise _code_taken()
    for field, value in fields.items():
        setattr(fault, field, value)
    if fields:
        try:
            with transaction.atomic():
                fault.save(update_fields=list(fields))
        except IntegrityError:
            # Another request took the code between the check and the write.
            raise _code_taken() from None
        fault_code_index(fault)
    if products is not None:
        fault.product_models.set(products)
    return fault
