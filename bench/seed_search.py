"""Bulk seeding for the `search` scenario: an organization of its own ("Search bench") with
`tickets` requests (BENCH_SEARCH_TICKETS), each with 1-3 messages, and its customers, all in
the search index, so that the other scenarios meet the same tables whether this one runs or not.

The texts come from `bench.search_text` (Persian, Turkish, Kazakh and English after-sales text
with realistic word frequencies; Persian typed with ZWNJ, solid or spaced, some with Arabic
letters). Customers (one for every 50 requests, at most 20,000, at least 20) have names in the
four languages, an email and a phone. Rows are inserted with executemany (COPY on PostgreSQL),
SEARCH_BATCH requests a transaction, and in the same transaction their documents are built by
the real `request_document` from in-memory tickets and written by the real
`search_documents_put(..., new=True)` (bench/seed_index.py): the index is the product's, built
by the seeding. No events are written: nothing the search reads looks at them.

After the load, each query word of `QUERIES` is counted (the requests of the organization it
finds, as a prefix, after the normalizer) so that the log shows the bands it stands for, and
timed once in-process through the real `staff_search`.
"""

import datetime
import secrets
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from aftercare.accounts.models import Membership, Organization, User
from aftercare.accounts.services import membership_create, user_create
from aftercare.customers.models import ContactPoint, Customer
from aftercare.demo import content as demo
from aftercare.demo.seed import demo_catalog_create
from aftercare.lib.vocabulary import OPEN_STATUSES, Channel, Priority, Status
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import Ticket, TicketMessage
from bench.search_text import QUERIES, SAMPLE_QUERY, TextWriter
from bench.seed import _status_for
from bench.seed_common import (
    CHANNEL_WEIGHTS,
    CHANNELS,
    HISTORY_DAYS,
    MESSAGE_FIELDS,
    PHONE_PREFIXES,
    TICKET_FIELDS,
    _insert_rows,
    _next_id,
    _organization_create,
    _reset_sequences,
)
from bench.seed_index import customers_index_rows, index_bytes, requests_index_rows
from bench.seed_units import _adapters, _large_page_cache

SEARCH_ORGANIZATION_SLUG = "search-bench"

# Requests a transaction: inserted, indexed and committed together.
SEARCH_BATCH = 5000

# Customers: one for every REQUESTS_PER_CUSTOMER requests, within these bounds.
REQUESTS_PER_CUSTOMER = 50
MAX_CUSTOMERS = 20_000
MIN_CUSTOMERS = 20

_MESSAGE_KINDS = {
    "reply": MessageKind.REPLY,
    "customer": MessageKind.CUSTOMER,
    "note": MessageKind.NOTE,
}


@dataclass(frozen=True)
class SearchBenchData:
    """What the search scenario needs to know about the seeded organization."""

    organization: Organization
    agent: User
    tickets: int
    messages: int
    customers: int
    # (band, as typed) of each query word, and the requests each finds.
    queries: tuple[tuple[str, str], ...]
    sample: str
    found: dict[str, int | None] = field(default_factory=dict)
    # Seconds: the whole seeding, and the part spent building and writing the index.
    seed_seconds: float = 0.0
    index_seconds: float = 0.0
    # Bytes of the search app's tables before and after (SQLite; None on PostgreSQL).
    bytes_before: dict[str, int] | None = None
    bytes_after: dict[str, int] | None = None


def search_customer_count(tickets: int) -> int:
    """The customers of an organization with `tickets` requests."""
    return max(MIN_CUSTOMERS, min(MAX_CUSTOMERS, tickets // REQUESTS_PER_CUSTOMER))


def bench_seed_search(
    *,
    tickets: int,
    customers: int | None = None,
    now: datetime.datetime | None = None,
    seed: int = 17,
    progress: Callable[[str], None] | None = None,
) -> SearchBenchData:
    """Seed "Search bench" with `tickets` requests and their index (see the module docstring)."""
    import random

    started = time.monotonic()
    rng = random.Random(seed)
    writer = TextWriter(rng)
    now = now or timezone.now()
    say = progress or (lambda message: None)
    customers = customers if customers is not None else search_customer_count(tickets)
    bytes_before = index_bytes()
    index_seconds = 0.0
    with transaction.atomic():
        organization = _organization_create(name="Search bench", slug=SEARCH_ORGANIZATION_SLUG)
        agent = user_create(email="search-agent@bench.example", full_name="Search Bench Agent")
        membership_create(organization=organization, user=agent, role=Membership.Role.AGENT)
        agents = [agent.pk]
        for index in range(2, 5):
            user = user_create(
                email=f"search-agent{index}@bench.example", full_name=f"Search Agent {index}"
            )
            membership_create(organization=organization, user=user, role=Membership.Role.AGENT)
            agents.append(user.pk)
        categories, products = demo_catalog_create(
            organization=organization, products=demo.PRODUCTS
        )
        people = _customers(organization=organization, count=customers, writer=writer, now=now)
        index_started = time.monotonic()
        customers_index_rows([customer for customer, _first in people], _points(people))
        index_seconds += time.monotonic() - index_started
    say(f"search bench: catalog and {len(people)} customers ready (and in the index)")

    by_category: dict[str, list] = {}
    for product, model in products:
        by_category.setdefault(product.category, []).append((product, model))
    context = _Context(
        organization=organization,
        writer=writer,
        now=now,
        total=tickets,
        people=people,
        customers={customer.pk: customer for customer, _first in people},
        agents=agents,
        categories={key[0]: category.pk for key, category in categories.items() if key[1] is None},
        products=by_category,
        models={model.pk: model for _product, model in products},
        next_ticket_id=_next_id(Ticket),
        next_message_id=_next_id(TicketMessage),
    )
    messages = 0
    with _large_page_cache():
        for start in range(0, tickets, SEARCH_BATCH):
            stop = min(tickets, start + SEARCH_BATCH)
            with transaction.atomic():
                written, seconds = _ticket_batch(context, start=start, stop=stop)
            messages += written
            index_seconds += seconds
            if stop % (SEARCH_BATCH * 20) == 0 or stop == tickets:
                say(
                    f"search bench: {stop} / {tickets} requests "
                    f"({time.monotonic() - started:.0f} s, index {index_seconds:.0f} s)"
                )
    with transaction.atomic():
        _reset_sequences([Ticket, TicketMessage])
        Organization.objects.filter(pk=organization.pk).update(ticket_sequence=tickets)
    organization.refresh_from_db()
    seed_seconds = time.monotonic() - started
    bytes_after = index_bytes()
    return SearchBenchData(
        organization=organization,
        agent=User.objects.get(pk=agent.pk),
        tickets=tickets,
        messages=messages,
        customers=len(people),
        queries=QUERIES,
        sample=SAMPLE_QUERY,
        found=found_counts(organization, [typed for _band, typed in QUERIES]),
        seed_seconds=seed_seconds,
        index_seconds=index_seconds,
        bytes_before=bytes_before,
        bytes_after=bytes_after,
    )


def search_query_values(data: SearchBenchData) -> tuple[str, ...]:
    """The query words, percent-encoded for ?q=: the sample first, then every query word."""
    return tuple(
        urllib.parse.quote(typed, safe="")
        for typed in (data.sample, *(typed for _band, typed in data.queries))
    )


def found_counts(organization: Organization, texts: list[str]) -> dict[str, int | None]:
    """How many of the organization's requests each query finds: every word as a prefix in any
    field, after the normalizer, counted by the index itself (SQLite; None on PostgreSQL)."""
    from aftercare.search import backends
    from aftercare.search.selectors import query_parse

    counts: dict[str, int | None] = {}
    for text in texts:
        query = query_parse(text, region=organization.country)
        if connection.vendor != "sqlite" or not query.words:
            counts[text] = None
            continue
        match = backends._fts_match(backends.Match(words=query.words, keys=()), organization.pk)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM search_fts f CROSS JOIN search_searchentry e "
                "ON e.id = f.rowid "
                "WHERE search_fts MATCH %s AND e.kind = 'request'",
                [match],
            )
            counts[text] = cursor.fetchone()[0]
    return counts


def query_costs(organization: Organization, texts: list[str], *, repeat: int = 3) -> dict:
    """Milliseconds of the real `staff_search` (requests only, a page of 50) for each query,
    the lowest of `repeat` runs, in this process."""
    from aftercare.search.selectors import staff_search

    costs = {}
    for text in texts:
        best = None
        for _ in range(repeat):
            begun = time.perf_counter()
            staff_search(
                organization=organization,
                role=Membership.Role.AGENT,
                text=text,
                kinds=["request"],
                limit=50,
            )
            seconds = time.perf_counter() - begun
            best = seconds if best is None else min(best, seconds)
        costs[text] = round(best * 1000, 2)
    return costs


def _customers(
    *, organization: Organization, count: int, writer: TextWriter, now: datetime.datetime
) -> list[tuple[Customer, str]]:
    """Customers with an email and a phone, names in their language: (customer, first name)."""
    rng = writer.rng
    rows = []
    for index in range(count):
        language = writer.language()
        name, first = writer.name(language)
        email = f"customer{index}@example.com"
        phone = f"{PHONE_PREFIXES[language]}{index:07d}"
        customer = Customer(
            organization=organization,
            name=name,
            preferred_language=language,
            preferred_channel=rng.choice([Channel.EMAIL, Channel.PHONE, Channel.PORTAL]),
            created_at=now - datetime.timedelta(days=HISTORY_DAYS + rng.uniform(0, 365)),
        )
        rows.append((customer, first, email, phone))
    Customer.objects.bulk_create([row[0] for row in rows], batch_size=2000)
    points = []
    for customer, _first, email, phone in rows:
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
    ContactPoint.objects.bulk_create(points, batch_size=2000)
    # Kept for the index: each customer's contact points, as `customer_document` reads them.
    for customer, _first, email, phone in rows:
        customer.bench_points = [email, phone]
    return [(customer, first) for customer, first, _email, _phone in rows]


def _points(people: list[tuple[Customer, str]]) -> dict[int, list[str]]:
    return {customer.pk: customer.bench_points for customer, _first in people}


@dataclass
class _Context:
    organization: Organization
    writer: TextWriter
    now: datetime.datetime
    total: int
    people: list[tuple[Customer, str]]
    customers: dict[int, Customer]
    agents: list[int]
    categories: dict[str, int]
    products: dict[str, list]
    models: dict[int, object]
    next_ticket_id: int
    next_message_id: int


def _ticket_batch(context: _Context, *, start: int, stop: int) -> tuple[int, float]:
    """Insert requests start..stop-1 with their messages, and put them in the index. Returns
    the messages written and the seconds spent on the index."""
    writer, now, organization_id = context.writer, context.now, context.organization.pk
    random = writer.random
    _date_value, stamp_value = _adapters()
    span = datetime.timedelta(days=HISTORY_DAYS).total_seconds()
    oldest = now - datetime.timedelta(days=HISTORY_DAYS)
    limit = now - datetime.timedelta(minutes=5)
    tickets: list[tuple] = []
    messages: list[tuple] = []
    priorities = list(Priority.values)
    for index in range(start, stop):
        ticket_id = context.next_ticket_id
        context.next_ticket_id += 1
        customer, first_name = context.people[int(random() * len(context.people))]
        language = customer.preferred_language
        created_at = oldest + datetime.timedelta(seconds=span * (index + random()) / context.total)
        created_at = min(created_at, now - datetime.timedelta(minutes=10))
        status = _status_for(writer.rng, (now - created_at).total_seconds() / 86400)
        # The product the customer writes about, and a catalog model of its category.
        product_index, category = writer.product(language)
        choices = context.products.get(category, [])
        product = model = None
        if choices:
            product, model = choices[int(random() * len(choices))]
        written = writer.request(
            language=language,
            product=product_index,
            first_name=first_name,
            model=product.code if product else "",
        )
        serial = f"{product.serial_prefix}{int(random() * 10**9):09d}" if product else ""
        channel = CHANNELS[_weighted(random(), CHANNEL_WEIGHTS)]
        assignee_id = context.agents[int(random() * len(context.agents))]
        moment = created_at
        rows = []
        for kind, body in zip(written.kinds, written.messages, strict=True):
            moment = min(moment + datetime.timedelta(hours=0.3 + random() * 20), limit)
            author = None if kind == "customer" else assignee_id
            message_channel = "" if kind == "note" else channel
            rows.append(
                (
                    context.next_message_id,
                    organization_id,
                    ticket_id,
                    _MESSAGE_KINDS[kind],
                    body,
                    author,
                    message_channel,
                    "",
                    None,
                    stamp_value(moment),
                )
            )
            context.next_message_id += 1
        messages += rows
        resolved = status in (Status.RESOLVED, Status.CLOSED)
        resolved_at = moment + datetime.timedelta(minutes=5) if resolved else None
        closed_at = (
            min(resolved_at + datetime.timedelta(days=7), now) if status == Status.CLOSED else None
        )
        last = closed_at or resolved_at or moment
        first_reply = next(
            (row[9] for row, kind in zip(rows, written.kinds, strict=True) if kind == "reply"),
            None,
        )
        customer_times = [
            row[9] for row, kind in zip(rows, written.kinds, strict=True) if kind == "customer"
        ]
        tickets.append(
            (
                ticket_id,
                organization_id,
                index + 1,
                secrets.token_urlsafe(18),
                written.subject,
                customer.pk,
                customer.bench_points[0] if channel == Channel.EMAIL else "",
                "",
                channel,
                language,
                model.pk if model else None,
                serial,
                None,
                "",
                "repair",
                context.categories.get(category),
                written.description,
                priorities[_weighted(random(), (20, 50, 25, 5))],
                status,
                status in OPEN_STATUSES,
                None,
                assignee_id,
                written.resolution if resolved else "",
                "",
                None,
                None,
                stamp_value(created_at),
                stamp_value(last),
                first_reply,
                customer_times[-1] if customer_times else stamp_value(created_at),
                stamp_value(resolved_at) if resolved_at else None,
                stamp_value(closed_at) if closed_at else None,
                len(rows),
                "",
            )
        )
    _insert_rows(Ticket, TICKET_FIELDS, tickets)
    _insert_rows(TicketMessage, MESSAGE_FIELDS, messages)
    index_started = time.monotonic()
    requests_index_rows(
        organization=context.organization,
        tickets=tickets,
        messages=messages,
        customers=context.customers,
        models=context.models,
    )
    return len(messages), time.monotonic() - index_started


def _weighted(roll: float, weights) -> int:
    """The index `roll` (0 to 1) falls on in `weights`."""
    total = sum(weights)
    point = roll * total
    for position, weight in enumerate(weights):
        point -= weight
        if point < 0:
            return position
    return len(weights) - 1
