"""Requests in the search index: what a request's document holds, how a hit is shown, and every
document again for `search_reindex`.

The services that change what a request's document holds (opening it, a message, a field, its
status, a merge) call `request_index` in their transaction; a customer's new name reaches the
documents of their requests through `customers.hooks.customer_changed`.
"""

from collections.abc import Iterator, Sequence

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aftercare.accounts.models import User
from aftercare.customers.models import Customer
from aftercare.lib.errors import ApplicationError
from aftercare.lib.phone import normalize_phone
from aftercare.search.kinds import Kind, Shown, documents_in_batches
from aftercare.search.services import Document, search_documents_put
from aftercare.tickets.choices import Status
from aftercare.tickets.models import Ticket, TicketMessage

KIND = "request"
_BATCH = 500


def _phones(value: str, region: str) -> list[str]:
    """A phone as typed, and in E.164 when it reads as one in the organization's country."""
    if not value:
        return []
    try:
        return [value, normalize_phone(value, region=region)]
    except ApplicationError:
        return [value]


def request_document(ticket: Ticket, *, messages: Sequence[str], tags: Sequence[str]) -> Document:
    """The document of a request whose organization, customer, model and unit are at hand."""
    customer = ticket.customer
    region = ticket.organization.country
    identifiers = [
        ticket.reference,
        str(ticket.number),
        ticket.serial_number,
        ticket.unit.serial_number if ticket.unit_id else "",
        ticket.contact_email,
        *_phones(ticket.contact_phone, region),
    ]
    return Document(
        organization_id=ticket.organization_id,
        kind=KIND,
        object_id=ticket.pk,
        title=ticket.subject,
        body=[
            ticket.description,
            *messages,
            customer.name,
            customer.company,
            ticket.contact_email,
            ticket.contact_phone,
            ticket.serial_number,
            ticket.product_model.name if ticket.product_model_id else "",
            ticket.seller,
            ticket.resolution,
            ticket.root_cause,
            " ".join(tags),
        ],
        identifiers=[value for value in identifiers if value],
        customer_id=ticket.customer_id,
        state=ticket.status,
        language=ticket.language,
    )


def _with_relations(queryset):
    return queryset.select_related("organization", "customer", "product_model", "unit")


def _messages(ids: Sequence[int]) -> dict[int, list[str]]:
    """The bodies of these requests' messages, and of those of the duplicates merged into each
    (whose timelines it shows), oldest first: two indexed queries (an OR across the join
    would read every message there is)."""
    holders: dict[int, list[int]] = {ticket_id: [ticket_id] for ticket_id in ids}
    for duplicate_id, target_id in Ticket.objects.filter(merged_into_id__in=list(ids)).values_list(
        "pk", "merged_into_id"
    ):
        holders.setdefault(duplicate_id, []).append(target_id)
    wanted = set(ids)
    messages: dict[int, list[str]] = {}
    for ticket_id, body in (
        TicketMessage.objects.filter(ticket_id__in=list(holders))
        .order_by("created_at", "id")
        .values_list("ticket_id", "body")
    ):
        for holder in holders[ticket_id]:
            if holder in wanted:
                messages.setdefault(holder, []).append(body)
    return messages


def _documents(tickets: Sequence[Ticket]) -> list[Document]:
    ids = [ticket.pk for ticket in tickets]
    messages = _messages(ids)
    tags: dict[int, list[str]] = {}
    for ticket_id, name in Ticket.tags.through.objects.filter(ticket_id__in=ids).values_list(
        "ticket_id", "tag__name"
    ):
        tags.setdefault(ticket_id, []).append(name)
    return [
        request_document(ticket, messages=messages.get(ticket.pk, []), tags=tags.get(ticket.pk, []))
        for ticket in tickets
    ]


def request_index_new(ticket: Ticket) -> None:
    """Put a request just opened in the index: it has no messages yet, and what its document
    holds is at hand, so this costs two statements."""
    search_documents_put([request_document(ticket, messages=[], tags=ticket.tag_names)], new=True)


def request_index(ticket: Ticket) -> None:
    """Put a request's document in the index again (in the caller's transaction)."""
    requests_index([ticket.pk])


def requests_index(ticket_ids: Sequence[int]) -> None:
    """Put these requests' documents in the index again: a few statements for any number."""
    tickets = list(_with_relations(Ticket.objects.filter(pk__in=list(ticket_ids))))
    search_documents_put(_documents(tickets))


def customer_requests_index(*, customer: Customer) -> None:
    """A customer's name or company changed: their requests' documents hold it."""
    ids = list(Ticket.objects.filter(customer=customer).values_list("pk", flat=True))
    for start in range(0, len(ids), _BATCH):
        requests_index(ids[start : start + _BATCH])


def model_requests_index(*, product_model_id: int) -> int:
    """Put the documents of a model's requests again (its name changed), a batch per
    transaction; how many."""
    ids = list(
        Ticket.objects.filter(product_model_id=product_model_id).values_list("pk", flat=True)
    )
    for start in range(0, len(ids), _BATCH):
        with transaction.atomic():
            requests_index(ids[start : start + _BATCH])
    return len(ids)


def _all_documents(organization_id: int | None) -> Iterator[Sequence[Document]]:
    return documents_in_batches(
        _with_relations(Ticket.objects.all()), _documents, organization_id, size=_BATCH
    )


def _show(organization_id: int, object_ids: Sequence[int], viewer: str) -> dict[int, Shown]:
    if viewer != "staff":
        return {}
    rows = Ticket.objects.filter(organization_id=organization_id, pk__in=list(object_ids))
    messages = _messages(object_ids)
    shown = {}
    # Columns, not model instances: a page of results is fifty requests with three relations.
    for (
        pk,
        subject,
        number,
        status,
        description,
        prefix,
        customer,
        full_name,
        email,
    ) in rows.values_list(
        "pk",
        "subject",
        "number",
        "status",
        "description",
        "organization__ticket_prefix",
        "customer__name",
        "assignee__full_name",
        "assignee__email",
    ):
        assignee = [User.name_shown(full_name=full_name, email=email)] if email else []
        shown[pk] = Shown(
            title=subject,
            url=reverse("tickets:detail", args=[number]),
            facts=[
                Ticket.format_reference(prefix, number),
                str(Status(status).label),
                customer,
                *assignee,
            ],
            texts=[description, *messages.get(pk, []), customer],
        )
    return shown


SEARCH_KIND = Kind(
    name=KIND,
    label=_("Requests"),
    show=_show,
    documents=_all_documents,
    page="tickets:detail",
    position=10,
    states=tuple(Status.choices),
)
