"""Registered units in the search index: the serial (whole, however it is typed), the model,
its brand and SKU, the owner and the seller."""

from collections.abc import Iterator, Sequence

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aftercare.search.kinds import Kind, Shown, documents_in_batches
from aftercare.search.services import Document, search_documents_put
from aftercare.warranty.models import Unit

KIND = "unit"
_BATCH = 1000


def unit_document(unit: Unit) -> Document:
    """The document of a unit whose model and customer are at hand."""
    model = unit.product_model
    return Document(
        organization_id=unit.organization_id,
        kind=KIND,
        object_id=unit.pk,
        title=f"{model.name} {unit.serial_number}",
        body=[
            model.brand,
            model.sku,
            unit.customer.name if unit.customer_id else "",
            unit.seller,
            unit.invoice_reference,
        ],
        identifiers=[unit.serial_number, unit.invoice_reference],
        customer_id=unit.customer_id,
    )


def _units(queryset):
    return queryset.select_related("product_model", "customer")


def units_index(unit_ids: Sequence[int], *, new: bool = False) -> None:
    """Put these units' documents in the index again (in the caller's transaction)."""
    units = _units(Unit.objects.filter(pk__in=list(unit_ids)))
    search_documents_put([unit_document(unit) for unit in units], new=new)


def unit_index(unit: Unit) -> None:
    units_index([unit.pk])


def model_units_index(*, product_model_id: int) -> int:
    """Put the documents of a model's units again, a batch per transaction; how many."""
    ids = list(Unit.objects.filter(product_model_id=product_model_id).values_list("pk", flat=True))
    for start in range(0, len(ids), _BATCH):
        with transaction.atomic():
            units_index(ids[start : start + _BATCH])
    return len(ids)


def customer_units_index(*, customer) -> None:
    """A customer's name changed: their units' documents hold it."""
    units_index(list(Unit.objects.filter(customer=customer).values_list("pk", flat=True)))


def _all_documents(organization_id: int | None) -> Iterator[Sequence[Document]]:
    return documents_in_batches(
        _units(Unit.objects.all()),
        lambda units: [unit_document(unit) for unit in units],
        organization_id,
        size=_BATCH,
    )


def _show(organization_id: int, object_ids: Sequence[int], viewer: str) -> dict[int, Shown]:
    if viewer != "staff":
        return {}
    units = _units(Unit.objects.filter(organization_id=organization_id, pk__in=list(object_ids)))
    return {
        unit.pk: Shown(
            title=f"{unit.product_model.name} · {unit.serial_number}",
            url=reverse("warranty:detail", args=[unit.pk]),
            facts=[unit.customer.name] if unit.customer_id else [],
            texts=[unit.seller, unit.invoice_reference],
        )
        for unit in units
    }


SEARCH_KIND = Kind(
    name=KIND,
    label=_("Units"),
    show=_show,
    documents=_all_documents,
    page="warranty:detail",
    position=30,
)
