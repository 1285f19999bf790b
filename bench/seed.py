"""Bulk seeding for the benchmark: one organization, its staff, customers and many requests.

Staff, teams, categories and products go through the services (a handful of rows). Customers,
tickets, messages and their events are bulk-inserted for speed, shaped like what the services
write: sequential numbers, the organization's counter, `is_open`, timestamps, message counts,
and a created / status / message event on each timeline (inserts only: events are append-only).

`bench_seed_sla` seeds a second organization for the SLA sweep: open requests under one policy
on the Iran calendar, each with the clock the real clock module computes for its history.
"""

import datetime
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from aftercare.accounts.models import Membership, Organization, User
from aftercare.accounts.services import (
    membership_create,
    organization_create,
    team_create,
    user_create,
)
from aftercare.customers.models import ContactPoint, Customer
from aftercare.demo import content as demo
from aftercare.demo.seed import demo_catalog_create
from aftercare.lib.languages import language_codes
from aftercare.lib.text import normalize_text
from aftercare.lib.vocabulary import OPEN_STATUSES, Channel, Priority, Status
from aftercare.sla import clock as sla_clock
from aftercare.sla.businesstime import BusinessCalendar
from aftercare.sla.models import SlaConfiguration
from aftercare.sla.selectors import PolicyInfo, sla_snapshot
from aftercare.sla.services import calendar_create_from_preset, sla_policy_create
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import Ticket, TicketEvent, TicketMessage

AGENT_EMAIL = "agent@bench.example"
HISTORY_DAYS = 365
CHUNK = 5000
CHANNELS = [Channel.PORTAL, Channel.EMAIL, Channel.PHONE, Channel.CHAT, Channel.API]
CHANNEL_WEIGHTS = [25, 30, 25, 10, 10]
PHONE_PREFIXES = {"fa": "+98912", "tr": "+90532", "kk": "+7701", "en": "+98935"}


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
        organization = organization_create(
            name="Bench Electronics",
            slug="bench",
            country="IR",
            default_language="fa",
            time_zone="Asia/Tehran",
        )
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


def _customers(
    *, organization: Organization, count: int, rng: random.Random, now: datetime.datetime
) -> list[tuple[Customer, str, str]]:
    """Customers with an email and a phone each: (customer, language, first name)."""
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
            search_text=normalize_text(f"{name} {email} {phone}"),
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
    return [(customer, language, first) for customer, language, first, _e, _p in rows]


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


def _insert(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """One executemany per table: at this scale the ORM's per-object work costs 10x the SQL."""
    meta = model._meta
    model_fields = [
        meta.get_field("id" if name == "id" else name.removesuffix("_id")) for name in fields
    ]
    adapters = [
        (lambda value, f=model_field: f.get_db_prep_save(value, connection))
        if model_field.get_internal_type() in ("DateTimeField", "DateField", "JSONField")
        else None
        for model_field in model_fields
    ]
    rows = [
        tuple(
            adapt(value) if adapt and value is not None else value
            for adapt, value in zip(adapters, row, strict=True)
        )
        for row in rows
    ]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(model_field.column) for model_field in model_fields)
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


def _reset_sequences() -> None:
    """Explicit ids leave PostgreSQL's sequences behind: move them past the inserted rows."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Ticket, TicketMessage, TicketEvent])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


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
    return len(messages), len(events)


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


# --- A second organization for the SLA sweep ---

SLA_ORGANIZATION_SLUG = "sla-bench"
SLA_HISTORY_DAYS = 7
# The sweep runs every 15 s: a minute of backlog is four missed runs.
SLA_BACKLOG = datetime.timedelta(seconds=60)
SLA_TICKET_FIELDS = (
    *TICKET_FIELDS,
    "sla_policy_id",
    "sla_clock",
    "sla_due_at",
    "first_response_due_at",
    "next_response_due_at",
    "resolution_due_at",
    "sla_next_check_at",
)


@dataclass(frozen=True)
class SlaBenchData:
    """What the SLA sweep scenario needs to know about its organization."""

    organization: Organization
    policy_id: int
    tickets: int
    customers: int
    messages: int
    events: int
    ticket_ids: tuple[int, int]
    now: datetime.datetime
    backlog: datetime.timedelta


def bench_seed_sla(
    *,
    tickets: int = 100_000,
    now: datetime.datetime,
    backlog: datetime.timedelta = SLA_BACKLOG,
    customers: int = 300,
    seed: int = 11,
    progress: Callable[[str], None] | None = None,
) -> SlaBenchData:
    """Seed "SLA bench": `tickets` open requests opened over the last week under one policy on
    the Iran calendar, with the clocks a sweep running until `now - backlog` would have left.

    Each clock is computed by `aftercare.sla.clock` on the organization's real calendar, in the
    order `sla_rebuild` follows: opened, first answered (about half), written to again by the
    customer (some of those), then counted up to `now - backlog` with every threshold that fell
    due by then recorded. The SlaMark rows and sla_warning / sla_breached events of those
    earlier crossings are not inserted: the sweep reads neither, and the clock alone decides
    what it records (the unique mark key is only a backstop).
    """
    rng = random.Random(seed)
    say = progress or (lambda message: None)
    cutoff = now - backlog
    with transaction.atomic():
        organization = organization_create(
            name="SLA bench",
            slug=SLA_ORGANIZATION_SLUG,
            country="IR",
            default_language="fa",
            time_zone="Asia/Tehran",
        )
        agent = user_create(email="sla-agent@bench.example", full_name="SLA Bench Agent")
        membership_create(organization=organization, user=agent, role=Membership.Role.AGENT)
        calendar = calendar_create_from_preset(
            organization=organization, country="IR", is_default=True
        )
        policy = sla_policy_create(
            organization=organization,
            name="Standard",
            first_response_minutes=240,
            next_response_minutes=480,
            resolution_minutes=2400,
            calendar=calendar,
            warning_percent=80,
        )
        customer_rows = _customers(organization=organization, count=customers, rng=rng, now=now)
    snapshot = sla_snapshot(organization_id=organization.pk)
    info = snapshot.policy(policy.pk)
    assert info is not None
    business = snapshot.calendar_for(info)
    say(f"SLA bench: policy, Iran calendar and {len(customer_rows)} customers ready")

    context = _SlaContext(
        organization_id=organization.pk,
        agent_id=agent.pk,
        policy=info,
        calendar=business,
        rng=rng,
        now=now,
        cutoff=cutoff,
        total=tickets,
        customers=[(customer.pk, first) for customer, _language, first in customer_rows],
        next_ticket_id=_next_id(Ticket),
        next_message_id=_next_id(TicketMessage),
    )
    first_ticket_id = context.next_ticket_id
    messages = events = 0
    for start in range(0, tickets, CHUNK):
        with transaction.atomic():
            counts = _sla_ticket_chunk(context, start=start, stop=min(tickets, start + CHUNK))
        messages += counts[0]
        events += counts[1]
        say(f"SLA bench: {min(tickets, start + CHUNK)} / {tickets} tickets")
    with transaction.atomic():
        _reset_sequences()
        Organization.objects.filter(pk=organization.pk).update(ticket_sequence=tickets)
        # The clocks were computed on the current configuration: nothing to bring up to it.
        SlaConfiguration.objects.filter(organization=organization).update(
            applied_version=F("version")
        )
    organization.refresh_from_db()
    return SlaBenchData(
        organization=organization,
        policy_id=policy.pk,
        tickets=tickets,
        customers=len(customer_rows),
        messages=messages,
        events=events,
        ticket_ids=(first_ticket_id, context.next_ticket_id - 1),
        now=now,
        backlog=backlog,
    )


@dataclass
class _SlaContext:
    """What the SLA bench's ticket rows refer to, and the next free primary keys."""

    organization_id: int
    agent_id: int
    policy: PolicyInfo
    calendar: BusinessCalendar
    rng: random.Random
    now: datetime.datetime
    cutoff: datetime.datetime
    total: int
    customers: list[tuple[int, str]]
    next_ticket_id: int
    next_message_id: int


def sla_history_clock(
    *,
    policy: PolicyInfo,
    calendar: BusinessCalendar,
    created_at: datetime.datetime,
    answered_at: datetime.datetime | None,
    customer_at: datetime.datetime | None,
    until: datetime.datetime,
) -> tuple[sla_clock.Clock, dict[str, datetime.datetime | None]]:
    """The clock of an open, running request after its history, swept up to `until`, and the
    due times it had when it was opened (for its sla_applied event).

    The steps of `sla_rebuild`: before each change, schedule, record what fell due, count up
    to it; then schedule, record up to `until`, count up to it and schedule once more.
    """
    clock = sla_clock.Clock(checkpoint=created_at)
    for metric, target in clock.targets.items():
        target.seconds = policy.targets.get(metric)
    clock.warning_percent = policy.warning_percent
    first = clock.targets[sla_clock.FIRST_RESPONSE]
    following = clock.targets[sla_clock.NEXT_RESPONSE]
    first.begin_cycle()
    clock.targets[sla_clock.RESOLUTION].begin_cycle()
    sla_clock.schedule(clock, calendar=calendar)
    opened_due = {metric: target.due_at for metric, target in clock.targets.items()}
    for moment, is_reply in ((answered_at, True), (customer_at, False)):
        if moment is None:
            continue
        sla_clock.schedule(clock, calendar=calendar)
        sla_clock.crossings(clock, now=moment, policy_id=policy.id)
        sla_clock.settle(clock, now=moment, calendar=calendar)
        if is_reply:
            for target in (first, following):
                if target.active:
                    target.active, target.met_at = False, moment
        else:
            following.begin_cycle()
    sla_clock.schedule(clock, calendar=calendar)
    sla_clock.crossings(clock, now=until, policy_id=policy.id)
    sla_clock.settle(clock, now=until, calendar=calendar)
    sla_clock.schedule(clock, calendar=calendar)
    return clock, opened_due


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _sla_ticket_chunk(context: _SlaContext, *, start: int, stop: int) -> tuple[int, int]:
    """Insert SLA bench tickets start..stop-1 with messages and events; returns the row counts."""
    rng, cutoff, organization_id = context.rng, context.cutoff, context.organization_id
    oldest = context.now - datetime.timedelta(days=SLA_HISTORY_DAYS)
    span = (cutoff - oldest).total_seconds()
    scenario_texts = [(scenario, scenario.texts["fa"]) for scenario in demo.SCENARIOS]
    policy = context.policy
    tickets: list[tuple] = []
    messages: list[tuple] = []
    events: list[tuple] = []
    for index in range(start, stop):
        ticket_id = context.next_ticket_id
        context.next_ticket_id += 1
        number = index + 1
        customer_id, first_name = context.customers[rng.randrange(len(context.customers))]
        created_at = oldest + datetime.timedelta(
            seconds=span * (index + rng.random()) / context.total
        )
        answered_at = customer_at = None
        if rng.random() < 0.5:
            moment = created_at + datetime.timedelta(hours=min(rng.expovariate(1 / 6), 72))
            if moment <= cutoff:
                answered_at = moment
        if answered_at is not None and rng.random() < 0.4:
            moment = answered_at + datetime.timedelta(hours=rng.uniform(0.5, 48))
            if moment <= cutoff:
                customer_at = moment
        clock, opened_due = sla_history_clock(
            policy=policy,
            calendar=context.calendar,
            created_at=created_at,
            answered_at=answered_at,
            customer_at=customer_at,
            until=cutoff,
        )
        targets = clock.targets
        if answered_at is not None:
            status = Status.OPEN
        else:
            status = Status.NEW if rng.random() < 0.6 else Status.OPEN
        assignee_id = context.agent_id if status == Status.OPEN else None
        scenario, (subject, description) = rng.choice(scenario_texts)
        description = description.format(
            model="",
            serial="-",
            purchase_date=(created_at.date() - datetime.timedelta(days=200)).isoformat(),
            seller=demo.SELLERS["fa"][0],
            days=4,
        )
        timeline = []
        if answered_at is not None:
            reply = rng.choice(demo.FIRST_REPLIES["fa"]).format(
                name=first_name, ref=f"AS-{number:06d}"
            )
            timeline.append((MessageKind.REPLY, reply, answered_at, context.agent_id))
        if customer_at is not None:
            nudge = rng.choice(demo.CUSTOMER_NUDGES["fa"])
            timeline.append((MessageKind.CUSTOMER, nudge, customer_at, None))
        channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
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
                "fa",
                None,
                "",
                None,
                "",
                scenario.kind,
                None,
                description,
                rng.choices(list(Priority.values), scenario.priority_weights)[0],
                status,
                True,
                None,
                assignee_id,
                "",
                "",
                None,
                None,
                created_at,
                timeline[-1][2] if timeline else created_at,
                answered_at,
                customer_at or created_at,
                None,
                None,
                len(timeline),
                # The columns `aftercare.tickets.services.sla._store` writes.
                sla_clock.state(clock),
                policy.id,
                clock.to_json(),
                sla_clock.earliest_due(clock),
                targets[sla_clock.FIRST_RESPONSE].due_at,
                targets[sla_clock.NEXT_RESPONSE].due_at,
                targets[sla_clock.RESOLUTION].due_at,
                sla_clock.next_check(clock, policy_id=policy.id),
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
        events.append(
            (
                organization_id,
                ticket_id,
                TicketEvent.Kind.SLA_APPLIED,
                None,
                {
                    "policy_id": policy.id,
                    "policy": policy.name,
                    "from": "",
                    "first_response_due_at": _iso(opened_due[sla_clock.FIRST_RESPONSE]),
                    "next_response_due_at": _iso(opened_due[sla_clock.NEXT_RESPONSE]),
                    "resolution_due_at": _iso(opened_due[sla_clock.RESOLUTION]),
                },
                False,
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
    _insert(Ticket, SLA_TICKET_FIELDS, tickets)
    _insert(TicketMessage, MESSAGE_FIELDS, messages)
    _insert(TicketEvent, EVENT_FIELDS, events)
    return len(messages), len(events)
