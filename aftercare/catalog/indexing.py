"""Product models, spare parts and fault codes in the search index: their names (a part's in
every language), brand and category, and the SKU or code, which is also an identifier (found
whole however it is typed: any case, Persian digits, other separators). An inactive one stays
in the index with the state "inactive", so that the lists can still find it when asked to."""

from collections.abc import Callable, Iterator, Sequence

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aftercare.catalog.models import FaultCode, ProductModel, SparePart
from aftercare.search.kinds import Kind, Shown, documents_in_batches
from aftercare.search.services import Document, search_documents_put

PRODUCT_MODEL = "product_model"
SPARE_PART = "spare_part"
FAULT_CODE = "fault_code"
ACTIVE, INACTIVE = "active", "inactive"
STATES = ((ACTIVE, _("Active")), (INACTIVE, _("Inactive")))
_BATCH = 1000


def _state(row: ProductModel | SparePart | FaultCode) -> str:
    return ACTIVE if row.is_active else INACTIVE


def product_model_document(product: ProductModel) -> Document:
    """The document of a product model."""
    return Document(
        organization_id=product.organization_id,
        kind=PRODUCT_MODEL,
        object_id=product.pk,
        title=product.name,
        body=[product.brand, product.category, product.sku],
        identifiers=[product.sku],
        state=_state(product),
    )


def spare_part_document(part: SparePart) -> Document:
    """The document of a spare part: its name in every language it has one in."""
    return Document(
        organization_id=part.organization_id,
        kind=SPARE_PART,
        object_id=part.pk,
        title=part.name,
        body=[*(part.names or {}).values(), part.sku],
        identifiers=[part.sku],
        state=_state(part),
    )


def fault_code_document(fault: FaultCode) -> Document:
    """The document of a fault code."""
    return Document(
        organization_id=fault.organization_id,
        kind=FAULT_CODE,
        object_id=fault.pk,
        title=fault.name,
        body=[fault.code],
        identifiers=[fault.code],
        state=_state(fault),
    )


def product_model_index(product: ProductModel, *, new: bool = False) -> None:
    """Put a product model's document in the index again (in the caller's transaction)."""
    search_documents_put([product_model_document(product)], new=new)


def spare_part_index(part: SparePart, *, new: bool = False) -> None:
    """Put a spare part's document in the index again (in the caller's transaction)."""
    search_documents_put([spare_part_document(part)], new=new)


def fault_code_index(fault: FaultCode, *, new: bool = False) -> None:
    """Put a fault code's document in the index again (in the caller's transaction)."""
    search_documents_put([fault_code_document(fault)], new=new)


def _batches(
    queryset: QuerySet, document: Callable[..., Document], organization_id: int | None
) -> Iterator[Sequence[Document]]:
    return documents_in_batches(
        queryset, lambda rows: [document(row) for row in rows], organization_id, size=_BATCH
    )


def _rows(model: type[Model], organization_id: int, object_ids: Sequence[int]) -> QuerySet:
    return model._default_manager.filter(organization_id=organization_id, pk__in=list(object_ids))


def _inactive(row: ProductModel | SparePart | FaultCode) -> list[str]:
    return [] if row.is_active else [gettext("Inactive")]


def _show_product_models(
    organization_id: int, object_ids: Sequence[int], viewer: str
) -> dict[int, Shown]:
    if viewer != "staff":
        return {}
    return {
        product.pk: Shown(
            title=product.name,
            url=reverse("catalog:product_edit", args=[product.pk]),
            facts=[value for value in [product.brand, product.sku] if value] + _inactive(product),
            texts=[product.category],
        )
        for product in _rows(ProductModel, organization_id, object_ids)
    }


def _show_spare_parts(
    organization_id: int, object_ids: Sequence[int], viewer: str
) -> dict[int, Shown]:
    if viewer != "staff":
        return {}
    language = translation.get_language() or ""
    shown = {}
    for part in _rows(SparePart, organization_id, object_ids):
        title = part.name_in(language)
        shown[part.pk] = Shown(
            title=title,
            url=reverse("catalog:part_edit", args=[part.pk]),
            facts=[part.sku, *_inactive(part)],
            texts=[name for name in [part.name, *(part.names or {}).values()] if name != title],
        )
    return shown


def _show_fault_codes(
    organization_id: int, object_ids: Sequence[int], viewer: str
) -> dict[int, Shown]:
    if viewer != "staff":
        return {}
    return {
        fault.pk: Shown(
            title=fault.name,
            url=reverse("catalog:fault_edit", args=[fault.pk]),
            facts=[fault.code, *_inactive(fault)],
        )
        for fault in _rows(FaultCode, organization_id, object_ids)
    }


PRODUCT_MODEL_KIND = Kind(
    name=PRODUCT_MODEL,
    label=_("Product models"),
    show=_show_product_models,
    documents=lambda organization_id: _batches(
        ProductModel.objects.all(), product_model_document, organization_id
    ),
    page="catalog:product_edit",
    position=50,
    states=STATES,
)
SPARE_PART_KIND = Kind(
    name=SPARE_PART,
    label=_("Spare parts"),
    show=_show_spare_parts,
    documents=lambda organization_id: _batches(
        SparePart.objects.all(), spare_part_document, organization_id
    ),
    page="catalog:part_edit",
    position=60,
    states=STATES,
)
FAULT_CODE_KIND = Kind(
    name=FAULT_CODE,
    label=_("Fault codes"),
    show=_show_fault_codes,
    documents=lambda organization_id: _batches(
        FaultCode.objects.all(), fault_code_document, organization_id
    ),
    page="catalog:fault_edit",
    position=70,
    states=STATES,
)
SEARCH_KINDS = (PRODUCT_MODEL_KIND, SPARE_PART_KIND, FAULT_CODE_KIND)
