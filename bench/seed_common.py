"""What the seeders share: their organization, customers, the ticket, message and event columns,
the bulk insert, message rows with their events, and the ids and sequences around them."""

import datetime
import random

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max

from aftercare.accounts.models import Organization
from aftercare.accounts.services import organization_create
from aftercare.customers.models import ContactPoint, Customer
from aftercare.demo import content as demo
from aftercare.lib.languages import language_codes
from aftercare.lib.vocabulary import Channel
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import Ticket, TicketEvent, TicketMessage

HISTORY_DAYS = 365


CHUNK = 5000


CHANNELS = [Channel.PORTAL, Channel.EMAIL, Channel.PHONE, Channel.CHAT, Channel.API]


CHANNEL_WEIGHTS = [25, 30, 25, 10, 10]


PHONE_PREFIXES = {"fa": "+98912", "tr": "+90532", "kk": "+7701", "en": "+98935"}


def _customers(
    *, organization: Organization, count: int, rng: random.Random, now: datetime.datetime
) -> list[tuple[Customer, str, str]]:
    """Customers with an email and a phone each, in the search index: (customer, language,
    first name)."""
    names: dict[str, list[tuple[str, str]]] = {}
    for person in demo.CUSTOMERS:
        names.setdefault(person.language, []).append((person.name, person.email))
    languages = list(language_codes())
    rows = []
    points = []
    for index in range(count):
        language = languages[index % len(languages)]
        pool = names[language]
        first_name, first_email = rng.choice(pool)
        last_name, last_email = rng.choice(pool)
        name = f"{first_name.split()[0]} {last_name.split()[-1]}"
        email = f"{first_email.split('.')[0]}.{last_email.split('.')[-1]}{index}@example.com"
        phone = f"{PHONE_PREFIXES[language]}{index:07d}"
        customer = Customer(
            organization=organization,
            name=name,
            preferred_language=language,
            preferred_channel=rng.choice([Channel.EMAIL, Channel.PHONE, Channel.PORTAL]),
            created_at=now - datetime.timedelta(days=HISTORY_DAYS + rng.uniform(0, 365)),
        )
        rows.append((customer, language, name.split()[0], email, phone))
    Customer.objects.bulk_create([row[0] for row in rows])
    for customer, _language, _first, email, phone in rows:
        for kind, value in ((ContactPoint.Kind.EMAIL, email), (ContactPoint.Kind.PHONE, phone)):
            points.append(
                ContactPoint(
                    organization=organization,
                    customer=customer,
                    kind=kind,
                    value=value,
                    is_primary=True,
                    created_at=customer.created_at,
                )
            )
    ContactPoint.objects.bulk_create(points)
    # In the search index, as `customer_create` puts them (in the caller's transaction).
    from bench.seed_index import customers_index_rows

    customers_index_rows(
        [row[0] for row in rows],
        {customer.pk: [email, phone] for customer, _l, _f, email, phone in rows},
    )
    return [(customer, language, first) for customer, language, first, _e, _p in rows]


TICKET_FIELDS = (
    "id",
    "organization_id",
    "number",
    "public_token",
    "subject",
    "customer_id",
    "contact_email",
    "contact_phone",
    "channel",
    "language",
    "product_model_id",
    "serial_number",
    "purchase_date",
    "seller",
    "kind",
    "category_id",
    "description",
    "priority",
    "status",
    "is_open",
    "team_id",
    "assignee_id",
    "resolution",
    "root_cause",
    "customer_confirmed_at",
    "created_by_id",
    "created_at",
    "updated_at",
    "first_response_at",
    "last_customer_message_at",
    "resolved_at",
    "closed_at",
    "message_count",
    "sla_state",
)


MESSAGE_FIELDS = (
    "id",
    "organization_id",
    "ticket_id",
    "kind",
    "body",
    "author_id",
    "channel",
    "call_direction",
    "call_duration_seconds",
    "created_at",
)


EVENT_FIELDS = (
    "organization_id",
    "ticket_id",
    "kind",
    "actor_id",
    "data",
    "is_public",
    "created_at",
)


def _organization_create(*, name: str, slug: str) -> Organization:
    """A bench organization, as an Iranian workshop runs one: in Persian, on Tehran's time."""
    return organization_create(
        name=name, slug=slug, country="IR", default_language="fa", time_zone="Asia/Tehran"
    )


def _model_fields(model, fields: tuple[str, ...]) -> list:
    """The model fields of row columns named by attribute (`customer_id`) or by field (`id`)."""
    meta = model._meta
    return [meta.get_field("id" if name == "id" else name.removesuffix("_id")) for name in fields]


def _insert(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """One executemany per table: at this scale the ORM's per-object work costs 10x the SQL."""
    adapters = [
        (lambda value, f=model_field: f.get_db_prep_save(value, connection))
        if model_field.get_internal_type() in ("DateTimeField", "DateField", "JSONField")
        else None
        for model_field in _model_fields(model, fields)
    ]
    rows = [
        tuple(
            adapt(value) if adapt and value is not None else value
            for adapt, value in zip(adapters, row, strict=True)
        )
        for row in rows
    ]
    _insert_rows(model, fields, rows)


def _insert_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows whose values are already the driver's: executemany, or COPY on PostgreSQL."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model_field.column) for model_field in _model_fields(model, fields))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is several times faster than even pipelined INSERTs on PostgreSQL.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def _next_id(model) -> int:
    """The first free primary key of a table."""
    return (model.objects.aggregate(highest=Max("id"))["highest"] or 0) + 1


def _reset_sequences(models=(Ticket, TicketMessage, TicketEvent)) -> None:
    """Explicit ids leave PostgreSQL's sequences behind: move them past the inserted rows."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _message_rows(
    timeline: list[tuple],
    *,
    first_id: int,
    organization_id: int,
    ticket_id: int,
    channel: str,
    messages: list[tuple],
    events: list[tuple],
) -> int:
    """Rows for a timeline's messages and their message-added events; the next free id."""
    message_id = first_id
    for kind, body, moment, author_id in timeline:
        message_channel = channel if kind != MessageKind.NOTE else ""
        row = (message_id, organization_id, ticket_id, kind, body, author_id, message_channel)
        messages.append((*row, "", None, moment))
        data = {"message_id": message_id, "message_kind": kind}
        kind_added = TicketEvent.Kind.MESSAGE_ADDED
        events.append((organization_id, ticket_id, kind_added, author_id, data, False, moment))
        message_id += 1
    return message_id
