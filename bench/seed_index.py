"""The search index of bulk-seeded rows, written as the services write it: each request's
document built by `aftercare.tickets.indexing.request_document` (each customer's by
`aftercare.customers.indexing.customer_document`) from in-memory objects, and put with
`search_documents_put(..., new=True)` in the transaction that inserted the rows.

Also: the space the index takes (SQLite's dbstat, per table and index of the search app).
"""

from collections.abc import Sequence

from django.db import connection
from django.db.models.base import ModelState

from aftercare.accounts.models import Organization
from aftercare.catalog.models import ProductModel
from aftercare.customers.indexing import customer_document
from aftercare.customers.models import Customer
from aftercare.search.services import search_documents_put
from aftercare.tickets.indexing import request_document
from aftercare.tickets.models import Ticket
from bench.seed_common import MESSAGE_FIELDS, TICKET_FIELDS

# The ticket columns a request's document reads, besides its organization, customer and model.
_DOCUMENT_COLUMNS = (
    "id",
    "number",
    "subject",
    "contact_email",
    "contact_phone",
    "language",
    "serial_number",
    "seller",
    "description",
    "status",
    "resolution",
    "root_cause",
)
_TICKET_INDEX = {name: TICKET_FIELDS.index(name) for name in _DOCUMENT_COLUMNS}
_CUSTOMER = TICKET_FIELDS.index("customer_id")
_MODEL = TICKET_FIELDS.index("product_model_id")
_MESSAGE_TICKET = MESSAGE_FIELDS.index("ticket_id")
_MESSAGE_BODY = MESSAGE_FIELDS.index("body")


def requests_index_rows(
    *,
    organization: Organization,
    tickets: Sequence[tuple],
    messages: Sequence[tuple],
    customers: dict[int, Customer],
    models: dict[int, ProductModel],
) -> int:
    """Put the documents of bulk-inserted requests in the index: `tickets` and `messages` are
    the rows as inserted (TICKET_FIELDS, MESSAGE_FIELDS; messages in the order written). Call it
    in the insert's transaction. Returns the documents written."""
    bodies: dict[int, list[str]] = {}
    for row in messages:
        bodies.setdefault(row[_MESSAGE_TICKET], []).append(row[_MESSAGE_BODY])
    make = _TicketMaker(organization)
    documents = []
    for row in tickets:
        values = {name: row[index] for name, index in _TICKET_INDEX.items()}
        model_id = row[_MODEL]
        ticket = make(values, customers[row[_CUSTOMER]], models[model_id] if model_id else None)
        documents.append(request_document(ticket, messages=bodies.get(values["id"], []), tags=[]))
    search_documents_put(documents, new=True)
    return len(documents)


class _TicketMaker:
    """In-memory tickets as the database would load them, made from a template: `Ticket(...)`
    costs about 170 us a ticket here (the defaults of its 40-odd fields, the related objects'
    checks), which was half of the index's share of the seeding; a copy of a template's fields
    costs 13 us. Every field is in the copy (a missing one would be read from the database one
    query a ticket), with the organization, customer and model in the relation cache as
    `select_related` leaves them."""

    def __init__(self, organization: Organization) -> None:
        template = Ticket(organization=organization)
        self.fields = {name: value for name, value in template.__dict__.items() if name != "_state"}
        self.organization = organization
        self.db = connection.alias

    def __call__(self, values: dict, customer: Customer, model: ProductModel | None) -> Ticket:
        state = ModelState()
        state.adding = False
        state.db = self.db
        state.fields_cache = {
            "organization": self.organization,
            "customer": customer,
            "product_model": model,
        }
        ticket = Ticket.__new__(Ticket)
        ticket.__dict__.update(
            self.fields,
            **values,
            customer_id=customer.pk,
            product_model_id=model.pk if model else None,
            _state=state,
        )
        return ticket


def customers_index_rows(customers: Sequence[Customer], points: dict[int, list[str]]) -> None:
    """Put bulk-created customers in the index (`points`: their contact points' values)."""
    search_documents_put(
        [customer_document(customer, points=points.get(customer.pk, [])) for customer in customers],
        new=True,
    )


def index_bytes() -> dict[str, int] | None:
    """Bytes of each table and index of the search app on SQLite (FTS5's shadow tables
    included), and of the whole database file; None on PostgreSQL."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND ("
            "name LIKE 'search\\_%' ESCAPE '\\' OR tbl_name LIKE 'search\\_%' ESCAPE '\\')"
        )
        names = sorted(name for (name,) in cursor.fetchall())
        sizes = {}
        for name in names:
            cursor.execute("SELECT pgsize FROM dbstat WHERE name = %s AND aggregate = TRUE", [name])
            row = cursor.fetchone()
            if row and row[0]:
                sizes[name] = row[0]
        cursor.execute("PRAGMA page_count")
        (pages,) = cursor.fetchone()
        cursor.execute("PRAGMA page_size")
        (page_size,) = cursor.fetchone()
    sizes["search_total"] = sum(sizes.values())
    sizes["database"] = pages * page_size
    return sizes
