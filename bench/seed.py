"""Bulk seeding for the benchmark: one organization, its staff, customers and many requests.

Staff, teams, categories and products go through the services (a handful of rows). Customers,
tickets, messages and their events are bulk-inserted for speed, shaped like what the services
write: sequential numbers, the organization's counter, `is_open`, timestamps, message counts,
and a created / status / message event on each timeline (inserts only: events are append-only).
Customers and requests are put in the search index in the transaction that inserted them, their
documents built by the real `customer_document` and `request_document` (bench/seed_index.py).

The second organization, for the SLA sweep, is seeded by `bench.seed_sla.bench_seed_sla`.
"""

import dataclasses
import datetime
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from aftercare.accounts.models import Membership, Organization, User
from aftercare.accounts.services import (
    membership_create,
    team_create,
    user_create,
)
from aftercare.demo import content as demo
from aftercare.demo.seed import demo_catalog_create
from aftercare.lib.vocabulary import OPEN_STATUSES, Priority, Status
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import Ticket, TicketEvent, TicketMessage
from bench.seed_common import (
    CHANNEL_WEIGHTS,
    CHANNELS,
    CHUNK,
    EVENT_FIELDS,
    HISTORY_DAYS,
    MESSAGE_FIELDS,
    TICKET_FIELDS,
    _customers,
    _insert,
    _message_rows,
    _next_id,
    _organization_create,
    _reset_sequences,
)
from bench.seed_index import requests_index_rows

AGENT_EMAIL = "agent@bench.example"


@dataclass(frozen=True)
class BenchData:
    """What the benchmark needs to know about the seeded data."""

    organization: Organization
    agent: User
    tickets: int
    customers: int
    messages: int
    events: int
    ticket_ids: tuple[int, int]
    customer_ids: tuple[int, int]
    # Seconds of the seeding spent building and writing the requests' search documents.
    index_seconds: float = 0.0


def bench_seed(
    *,
    tickets: int,
    password: str,
    customers: int = 2000,
    seed: int = 7,
    progress: Callable[[str], None] | None = None,
) -> BenchData:
    """Seed one organization with `customers` customers and `tickets` requests (~2 messages)."""
    rng = random.Random(seed)
    now = timezone.now()
    say = progress or (lambda message: None)
    with transaction.atomic():
        organization = _organization_create(name="Bench Electronics", slug="bench")
        agent, agents, technicians = _staff(organization=organization, password=password)
        teams = {
            "Call centre": team_create(
                organization=organization, name="Call centre", members=agents
            ),
            "Workshop": team_create(
                organization=organization, name="Workshop", members=technicians
            ),
            "Field service": team_create(
                organization=organization, name="Field service", members=technicians
            ),
        }
        categories, products = demo_catalog_create(
            organization=organization, products=demo.PRODUCTS
        )
        customer_rows = _customers(organization=organization, count=customers, rng=rng, now=now)
    say(f"staff, catalog and {len(customer_rows)} customers ready")

    by_category: dict[str | None, list] = {}
    for product, model in products:
        by_category.setdefault(product.category, []).append((product, model.pk))
    context = _Context(
        organization=organization,
        rng=rng,
        now=now,
        total=tickets,
        customers=[(customer.pk, language, first) for customer, language, first in customer_rows],
        agents=[user.pk for user in agents],
        technicians=[user.pk for user in technicians],
        teams={name: team.pk for name, team in teams.items()},
        categories={key: category.pk for key, category in categories.items()},
        products=by_category,
        next_ticket_id=_next_id(Ticket),
        next_message_id=_next_id(TicketMessage),
        customer_objects={customer.pk: customer for customer, _language, _first in customer_rows},
        models={model.pk: model for _product, model in products},
    )
    first_ticket_id = context.next_ticket_id
    messages = events = 0
    for start in range(0, tickets, CHUNK):
        with transaction.atomic():
            counts = _ticket_chunk(context, start=start, stop=min(tickets, start + CHUNK))
        messages += counts[0]
        events += counts[1]
        say(f"{min(tickets, start + CHUNK)} / {tickets} tickets")
    with transaction.atomic():
        _reset_sequences()
        Organization.objects.filter(pk=organization.pk).update(ticket_sequence=tickets)
    organization.refresh_from_db()
    return BenchData(
        organization=organization,
        agent=agent,
        tickets=tickets,
        customers=len(customer_rows),
        messages=messages,
        events=events,
        ticket_ids=(first_ticket_id, context.next_ticket_id - 1),
        customer_ids=(customer_rows[0][0].pk, customer_rows[-1][0].pk),
        index_seconds=context.index_seconds,
    )


def _staff(*, organization: Organization, password: str) -> tuple[User, list[User], list[User]]:
    """The signed-in agent, five more agents, a supervisor, an admin and three technicians."""
    # Only the agent the benchmark signs in as gets a password: hashing costs ~0.5 s each.
    agent = user_create(email=AGENT_EMAIL, password=password, full_name="Bench Agent")
    membership_create(organization=organization, user=agent, role=Membership.Role.AGENT)
    agents = [agent]
    for index in range(2, 7):
        user = user_create(email=f"agent{index}@bench.example", full_name=f"Agent {index}")
        membership_create(organization=organization, user=user, role=Membership.Role.AGENT)
        agents.append(user)
    supervisor = user_create(email="supervisor@bench.example", full_name="Bench Supervisor")
    membership_create(organization=organization, user=supervisor, role=Membership.Role.SUPERVISOR)
    admin = user_create(email="admin@bench.example", full_name="Bench Admin")
    membership_create(organization=organization, user=admin, role=Membership.Role.ADMIN)
    technicians = []
    for index in range(1, 4):
        user = user_create(email=f"tech{index}@bench.example", full_name=f"Technician {index}")
        membership_create(organization=organization, user=user, role=Membership.Role.TECHNICIAN)
        technicians.append(user)
    return agent, agents, technicians


@dataclass
class _Context:
    """Ids the ticket rows refer to, and the next free primary keys."""

    organization: Organization
    rng: random.Random
    now: datetime.datetime
    total: int
    customers: list[tuple[int, str, str]]
    agents: list[int]
    technicians: list[int]
    teams: dict[str, int]
    categories: dict[tuple[str, str | None], int]
    products: dict[str | None, list]
    next_ticket_id: int
    next_message_id: int
    # What the requests' search documents read, by id; and the seconds spent on the index.
    customer_objects: dict = dataclasses.field(default_factory=dict)
    models: dict = dataclasses.field(default_factory=dict)
    index_seconds: float = 0.0


def _status_for(rng: random.Random, age_days: float) -> str:
    """Recent requests are mostly open; a year-old one is almost surely closed."""
    if age_days < 2:
        chance_open = 0.85
    elif age_days < 14:
        chance_open = 0.5
    elif age_days < 60:
        chance_open = 0.25
    else:
        chance_open = 0.05
    if rng.random() < chance_open:
        if age_days < 7:
            return rng.choices(
                [Status.NEW, Status.OPEN, Status.PENDING_CUSTOMER, Status.ON_HOLD], [30, 40, 20, 10]
            )[0]
        return rng.choices([Status.OPEN, Status.PENDING_CUSTOMER, Status.ON_HOLD], [55, 30, 15])[0]
    return Status.RESOLVED if age_days < 30 and rng.random() < 0.5 else Status.CLOSED


def _ticket_chunk(context: _Context, *, start: int, stop: int) -> tuple[int, int]:
    """Insert tickets start..stop-1 with their messages and events; returns the row counts."""
    rng, now, organization_id = context.rng, context.now, context.organization.pk
    span = datetime.timedelta(days=HISTORY_DAYS).total_seconds()
    oldest = now - datetime.timedelta(days=HISTORY_DAYS)
    tickets: list[tuple] = []
    messages: list[tuple] = []
    events: list[tuple] = []
    for index in range(start, stop):
        ticket_id = context.next_ticket_id
        context.next_ticket_id += 1
        number = index + 1
        customer_id, language, first_name = context.customers[rng.randrange(len(context.customers))]
        # Spread over the year in number order, so numbers grow with creation time.
        created_at = oldest + datetime.timedelta(
            seconds=span * (index + rng.random()) / context.total
        )
        created_at = min(created_at, now - datetime.timedelta(minutes=10))
        age_days = (now - created_at).total_seconds() / 86400
        status = _status_for(rng, age_days)
        scenario = rng.choice(demo.SCENARIOS)
        choices = context.products.get(scenario.product_category) or [(None, None)]
        product, model_id = rng.choice(choices)
        serial = f"{product.serial_prefix}{rng.randrange(10**9):09d}" if product else ""
        subject, description = scenario.texts[language]
        description = description.format(
            model=product.short_name if product else "",
            serial=serial or "-",
            purchase_date=(created_at.date() - datetime.timedelta(days=200)).isoformat(),
            seller=demo.SELLERS[language][0],
            days=4,
        )
        worker_pool = context.agents if scenario.team == "Call centre" else context.technicians
        assignee_id = (
            rng.choice(worker_pool) if status != Status.NEW and rng.random() < 0.9 else None
        )
        timeline = _timeline(
            rng=rng,
            status=status,
            created_at=created_at,
            now=now,
            language=language,
            first_name=first_name,
            number=number,
            assignee_id=assignee_id or context.agents[0],
        )
        last = timeline[-1][2] if timeline else created_at
        first_reply = next((item[2] for item in timeline if item[0] == MessageKind.REPLY), None)
        customer_times = [item[2] for item in timeline if item[0] == MessageKind.CUSTOMER]
        resolved_at = closed_at = None
        if status in (Status.RESOLVED, Status.CLOSED):
            resolved_at = last + datetime.timedelta(minutes=5)
            last = resolved_at
        if status == Status.CLOSED:
            closed_at = min(resolved_at + datetime.timedelta(days=7), now)
            last = closed_at
        channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        resolution, root_cause = demo.RESOLUTIONS[language][0] if resolved_at else ("", "")
        tickets.append(
            (
                ticket_id,
                organization_id,
                number,
                secrets.token_urlsafe(18),
                subject,
                customer_id,
                "",
                "",
                channel,
                language,
                model_id,
                serial,
                None,
                "",
                scenario.kind,
                context.categories[scenario.category],
                description,
                rng.choices(list(Priority.values), scenario.priority_weights)[0],
                status,
                status in OPEN_STATUSES,
                context.teams[scenario.team] if status != Status.NEW else None,
                assignee_id,
                resolution,
                root_cause,
                None,
                None,
                created_at,
                last,
                first_reply,
                customer_times[-1] if customer_times else created_at,
                resolved_at,
                closed_at,
                len(timeline),
                "",
            )
        )
        events.append(
            (
                organization_id,
                ticket_id,
                TicketEvent.Kind.CREATED,
                None,
                {"channel": channel, "number": number},
                True,
                created_at,
            )
        )
        context.next_message_id = _message_rows(
            timeline,
            first_id=context.next_message_id,
            organization_id=organization_id,
            ticket_id=ticket_id,
            channel=channel,
            messages=messages,
            events=events,
        )
        if status != Status.NEW:
            events.append(
                (
                    organization_id,
                    ticket_id,
                    TicketEvent.Kind.STATUS_CHANGED,
                    assignee_id,
                    {"from": Status.NEW, "to": status, "reason": ""},
                    True,
                    last,
                )
            )
    _insert(Ticket, TICKET_FIELDS, tickets)
    _insert(TicketMessage, MESSAGE_FIELDS, messages)
    _insert(TicketEvent, EVENT_FIELDS, events)
    # In the search index, as the services put a request they open (in the same transaction).
    index_started = time.monotonic()
    requests_index_rows(
        organization=context.organization,
        tickets=tickets,
        messages=messages,
        customers=context.customer_objects,
        models=context.models,
    )
    context.index_seconds += time.monotonic() - index_started
    return len(messages), len(events)


def _timeline(
    *,
    rng: random.Random,
    status: str,
    created_at: datetime.datetime,
    now: datetime.datetime,
    language: str,
    first_name: str,
    number: int,
    assignee_id: int,
) -> list[tuple[str, str, datetime.datetime, int | None]]:
    """About two messages: the agent's reply and the customer's answer, or a note."""
    limit = now - datetime.timedelta(minutes=5)

    def at(hours: float) -> datetime.datetime:
        """A moment `hours` after the request was opened, never later than just before now."""
        return min(created_at + datetime.timedelta(hours=hours), limit)

    if status == Status.NEW:
        if rng.random() < 0.5:
            return [(MessageKind.CUSTOMER, demo.CUSTOMER_NUDGES[language][0], at(0.5), None)]
        return []
    reply_after = rng.uniform(0.3, 8)
    reply = rng.choice(demo.FIRST_REPLIES[language]).format(name=first_name, ref=f"AS-{number:06d}")
    timeline = [(MessageKind.REPLY, reply, at(reply_after), assignee_id)]
    if rng.random() < 0.75:
        nudge = rng.choice(demo.CUSTOMER_NUDGES[language])
        timeline.append((MessageKind.CUSTOMER, nudge, at(reply_after + rng.uniform(2, 30)), None))
    if rng.random() < 0.3:
        note = rng.choice(demo.NOTES[language])
        timeline.append((MessageKind.NOTE, note, at(reply_after + 31), assignee_id))
    return timeline
