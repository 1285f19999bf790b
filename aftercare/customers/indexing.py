"""Customers in the search index: their names, company and every contact point, the contact
points also as identifiers (a phone typed in any format, an email whole)."""

from collections.abc import Iterator, Sequence

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aftercare.customers.models import ContactPoint, Customer
from aftercare.search.kinds import Kind, Shown, documents_in_batches
from aftercare.search.services import Document, search_documents_put

KIND = "customer"
_BATCH = 1000


def customer_document(customer: Customer, *, points: Sequence[str]) -> Document:
    return Document(
        organization_id=customer.organization_id,
        kind=KIND,
        object_id=customer.pk,
        title=customer.name,
        body=[customer.company, *points],
        identifiers=list(points),
        customer_id=customer.pk,
        language=customer.preferred_language,
    )


def _documents(customers: Sequence[Customer]) -> list[Document]:
    points: dict[int, list[str]] = {}
    for customer_id, value in (
        ContactPoint.objects.filter(customer_id__in=[c.pk for c in customers])
        .order_by("customer_id", "id")
        .values_list("customer_id", "value")
    ):
        points.setdefault(customer_id, []).append(value)
    return [customer_document(c, points=points.get(c.pk, [])) for c in customers]


def customer_index(customer: Customer, *, new: bool = False) -> None:
    """Put a customer's document in the index again (in the caller's transaction)."""
    search_documents_put(_documents([customer]), new=new)


def _all_documents(organization_id: int | None) -> Iterator[Sequence[Document]]:
    return documents_in_batches(Customer.objects.all(), _documents, organization_id, size=_BATCH)


def _show(organization_id: int, object_ids: Sequence[int], viewer: str) -> dict[int, Shown]:
    if viewer != "staff":
        return {}
    customers = Customer.objects.filter(
        organization_id=organization_id, pk__in=list(object_ids)
    ).prefetch_related("contact_points")
    return {
        customer.pk: Shown(
            title=customer.name,
            url=reverse("customers:detail", args=[customer.pk]),
            facts=[value for value in [customer.company] if value],
            texts=[point.value for point in customer.contact_points.all()],
        )
        for customer in customers
    }


SEARCH_KIND = Kind(
    name=KIND,
    label=_("Customers"),
    show=_show,
    documents=_all_documents,
    page="customers:detail",
    position=20,
)
