"""Load the demo organizations, people, catalog and ~300 requests through the services.

Every row is written by a service, so the demo shows exactly what the product would have
recorded (events included). Afterwards only timestamps on tickets and messages are moved into
the past with queryset updates, so the queue spans ~90 days; ticket events keep their real
creation time because the database refuses UPDATE on them.
"""

import datetime
import random
from dataclasses import dataclass, field

import jdatetime
import phonenumbers
from django.db import transaction
from django.utils import timezone

from aftercare.accounts.models import Organization, Team, User
from aftercare.accounts.services import (
    membership_create,
    organization_create,
    team_create,
    user_create,
)
from aftercare.catalog.models import ProductModel
from aftercare.catalog.services import product_model_create
from aftercare.customers.models import Customer, Tier
from aftercare.customers.services import customer_create
from aftercare.lib import demo
from aftercare.lib.languages import language_codes
from aftercare.lib.text import persian_digits
from aftercare.lib.vocabulary import Channel, Priority, Status
from aftercare.sla.services import (
    calendar_create_from_preset,
    escalation_rule_create,
    sla_policy_create,
)
from aftercare.tickets.agents.services import agent_profile_update
from aftercare.tickets.choices import CallDirection, MessageKind
from aftercare.tickets.models import Category, Ticket, TicketMessage
from aftercare.tickets.routing.services import routing_rule_create
from aftercare.tickets.services import (
    category_create,
    ticket_assign,
    ticket_confirm_resolution,
    ticket_create,
    ticket_message_add,
    ticket_status_change,
    ticket_update,
)
from aftercare.tickets.services.sla import sla_rebuild

DEMO_TICKETS = 300
OTHER_TICKETS = 12
HISTORY_DAYS = 90
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")

# How many requests end in each status (weights), and how old they are (days) when they do.
STATUS_WEIGHTS = {
    Status.NEW: 14,
    Status.OPEN: 25,
    Status.PENDING_CUSTOMER: 12,
    Status.ON_HOLD: 3,
    Status.AWAITING_PARTS: 5,
    Status.RESOLVED: 15,
    Status.CLOSED: 26,
}
AGE_DAYS = {
    Status.NEW: (0.02, 3),
    Status.OPEN: (0.3, 30),
    Status.PENDING_CUSTOMER: (1, 35),
    Status.ON_HOLD: (2, 40),
    Status.AWAITING_PARTS: (1, 20),
    Status.RESOLVED: (2, 50),
    Status.CLOSED: (6, HISTORY_DAYS),
}
# Hours between a step and the one before it.
GAP_HOURS = {
    "triage": (0.05, 2),
    "reply": (0.3, 8),
    "info": (0.5, 10),
    "note": (0.2, 12),
    "call": (0.5, 24),
    "customer": (3, 40),
    "progress": (4, 48),
    "hold": (0.1, 3),
    "pending": (0.01, 0.1),
    "thanks": (4, 48),
    "resolve": (1, 72),
    "relapse": (24, 120),
    "confirm": (6, 72),
    "close": (168, 200),
}
CHANNEL_WEIGHTS = {
    Channel.PORTAL: 20,
    Channel.EMAIL: 25,
    Channel.PHONE: 20,
    Channel.CHAT: 10,
    Channel.TELEGRAM: 7,
    Channel.WHATSAPP: 7,
    Channel.WALK_IN: 5,
    Channel.API: 6,
}


_STAMPS = (
    "first_response_at",
    "last_customer_message_at",
    "resolved_at",
    "closed_at",
    "customer_confirmed_at",
)


@dataclass
class DemoResult:
    """What seed_demo created."""

    organizations: list[str]
    logins: list[demo.Login]
    customers: int
    tickets: int


@dataclass
class _Party:
    """A customer of the demo and what the timeline needs to know about them."""

    customer: Customer
    person: demo.Person
    phone: str
    user: User | None = None


@dataclass
class _Org:
    """One organization being seeded and the things its requests refer to."""

    organization: Organization
    staff: dict[str, User]
    teams: dict[str, Team]
    categories: dict[tuple[str, str | None], Category]
    products: list[tuple[demo.Product, ProductModel]]
    parties: list[_Party] = field(default_factory=list)


@dataclass
class _Plan:
    """One request to create: who, what, how it ends, and when it started."""

    party: _Party
    scenario: demo.Scenario
    language: str
    status: str
    created_at: datetime.datetime
    channel: str
    reopened: bool = False


def demo_seed(*, password: str, seed: int = 20260101) -> DemoResult:
    """Create both demo organizations with their people, catalog and requests."""
    rng = random.Random(seed)
    now = timezone.now()
    with transaction.atomic():
        demo_org = _seed_organization(
            rng=rng,
            spec=demo.DEMO_ORGANIZATION,
            password=password,
            teams={name: name for name in demo.TEAMS},
            products=demo.PRODUCTS,
            people=demo.CUSTOMERS,
        )
        portal_party = _seed_portal_customer(org=demo_org, password=password)
        plans = _plans(rng=rng, org=demo_org, count=DEMO_TICKETS - 5, now=now)
        plans += _portal_customer_plans(rng=rng, party=portal_party, now=now)
        _run_plans(rng=rng, org=demo_org, plans=plans, now=now)
        _rebuild_service_levels(org=demo_org)

        other_org = _seed_organization(
            rng=rng,
            spec=demo.OTHER_ORGANIZATION,
            password=password,
            teams=demo.OTHER_TEAMS,
            products=demo.OTHER_PRODUCTS,
            people=demo.OTHER_CUSTOMERS,
        )
        other_plans = _plans(rng=rng, org=other_org, count=OTHER_TICKETS, now=now)
        _run_plans(rng=rng, org=other_org, plans=other_plans, now=now)
        _rebuild_service_levels(org=other_org)
    return DemoResult(
        organizations=[demo_org.organization.name, other_org.organization.name],
        logins=list(demo.DEMO_LOGINS),
        customers=len(demo_org.parties) + len(other_org.parties),
        tickets=len(plans) + len(other_plans),
    )


def _seed_organization(
    *,
    rng: random.Random,
    spec: dict,
    password: str,
    teams: dict[str, str],
    products: tuple[demo.Product, ...],
    people: tuple[demo.Person, ...],
) -> _Org:
    """An organization with its staff, teams, categories, products and customers."""
    organization = organization_create(**spec)
    staff: dict[str, User] = {}
    for login in demo.DEMO_LOGINS:
        if login.organization != spec["slug"] or login.role == "customer":
            continue
        user = user_create(email=login.email, password=password, full_name=login.full_name)
        membership_create(organization=organization, user=user, role=login.role)
        staff[login.role] = user
    admin = staff["admin"]
    call_centre = list(dict.fromkeys([staff.get("agent", admin), staff.get("supervisor", admin)]))
    technicians = [staff.get("technician", admin)]
    team_members = {
        "Call centre": call_centre,
        "Workshop": technicians,
        "Field service": technicians,
    }
    created_teams = {
        key: team_create(organization=organization, name=name, members=team_members[key])
        for key, name in teams.items()
    }
    categories, catalog = demo_catalog_create(organization=organization, products=products)
    org = _Org(organization, staff, created_teams, categories, catalog)
    _seed_service_levels(org=org, which=0 if spec["slug"] == demo.DEMO_ORGANIZATION["slug"] else 1)
    used_phones: set[str] = set()
    for index, person in enumerate(people):
        phone = _phone(rng=rng, language=person.language, used=used_phones)
        email = f"{person.email}@{EMAIL_DOMAINS[index % len(EMAIL_DOMAINS)]}"
        telegram, whatsapp = [], []
        if person.language in ("fa", "kk") and rng.random() < 0.4:
            telegram = ["@" + person.email.replace(".", "_")]
        if person.language in ("tr", "en") and rng.random() < 0.3:
            whatsapp = [phone]
        customer = customer_create(
            organization=organization,
            name=person.name,
            company=person.company,
            emails=[email],
            phones=[phone],
            telegram=telegram,
            whatsapp=whatsapp,
            preferred_language=person.language,
            tier=Tier.VIP if person.company else Tier.STANDARD,
            preferred_channel=rng.choice(
                [Channel.EMAIL, Channel.PHONE, Channel.PORTAL]
                + [Channel.TELEGRAM] * len(telegram)
                + [Channel.WHATSAPP] * len(whatsapp)
            ),
        )
        org.parties.append(_Party(customer=customer, person=person, phone=phone))
    return org


def _seed_service_levels(*, org: _Org, which: int) -> None:
    """The country's business calendar, SLA policies, escalation levels, routing and skills."""
    organization = org.organization
    calendar_create_from_preset(
        organization=organization, country=organization.country, is_default=True
    )
    for policy in demo.SLA_POLICIES:
        sla_policy_create(
            organization=organization,
            name=policy.names[which],
            first_response_minutes=policy.first_response,
            next_response_minutes=policy.next_response,
            resolution_minutes=policy.resolution,
            priorities=policy.priorities,
            kinds=policy.kinds,
            customer_tiers=policy.customer_tiers,
        )
    for level, (names, threshold, delay, actions) in enumerate(demo.ESCALATION_RULES, start=1):
        escalation_rule_create(
            organization=organization,
            name=names[which],
            threshold=threshold,
            delay_minutes=delay,
            level=level,
            **actions,
        )
    for names, kinds, team in demo.ROUTING_RULES:
        routing_rule_create(
            organization=organization, name=names[which], kinds=kinds, team=org.teams[team]
        )
    languages = {"agent": ["fa", "en"], "technician": list(language_codes())}
    for role, user in org.staff.items():
        agent_profile_update(
            organization=organization, user=user, languages=languages.get(role, []), capacity=25
        )


def _rebuild_service_levels(*, org: _Org) -> None:
    """Count each request's SLA from its backdated history, as if it had been measured live."""
    for ticket in Ticket.objects.filter(organization=org.organization).order_by("pk"):
        sla_rebuild(ticket=ticket)


def demo_catalog_create(
    *, organization: Organization, products: tuple[demo.Product, ...]
) -> tuple[dict[tuple[str, str | None], Category], list[tuple[demo.Product, ProductModel]]]:
    """The demo's category tree, keyed (parent, child or None), and `products` as product models."""
    categories: dict[tuple[str, str | None], Category] = {}
    for parent_name, children in demo.CATEGORIES.items():
        parent = category_create(organization=organization, name=parent_name)
        categories[(parent_name, None)] = parent
        for child in children:
            categories[(parent_name, child)] = category_create(
                organization=organization, name=child, parent=parent
            )
    catalog = [
        (
            product,
            product_model_create(
                organization=organization,
                name=product.name,
                sku=product.sku,
                brand=product.brand,
                category=product.category,
            ),
        )
        for product in products
    ]
    return categories, catalog


def _seed_portal_customer(*, org: _Org, password: str) -> _Party:
    """customer@demo.example: a portal account linked to a customer record."""
    login = next(item for item in demo.DEMO_LOGINS if item.role == "customer")
    user = user_create(email=login.email, password=password, full_name=login.full_name)
    customer = customer_create(
        organization=org.organization,
        name=login.full_name,
        emails=[login.email],
        phones=[demo.DEMO_CUSTOMER_PHONE],
        preferred_language="fa",
        preferred_channel=Channel.PORTAL,
        user=user,
    )
    person = demo.Person(login.full_name, login.email.split("@")[0], "fa")
    return _Party(customer=customer, person=person, phone=demo.DEMO_CUSTOMER_PHONE, user=user)


def _phone(*, rng: random.Random, language: str, used: set[str]) -> str:
    """A valid, unused mobile number in the country of the language (any, for English)."""
    country = demo.LANGUAGE_COUNTRY.get(language) or rng.choice(["IR", "TR", "KZ"])
    code, prefixes, digits = demo.PHONE_PLANS[country]
    while True:
        number = f"{code}{rng.choice(prefixes)}{rng.randrange(10**digits):0{digits}d}"
        parsed = phonenumbers.parse(number)
        if number not in used and phonenumbers.is_valid_number(parsed):
            used.add(number)
            return number


def _plans(*, rng: random.Random, org: _Org, count: int, now: datetime.datetime) -> list[_Plan]:
    """`count` requests spread over the customers, scenarios, channels and statuses."""
    scenarios = [
        scenario
        for scenario in demo.SCENARIOS
        if scenario.product_category is None
        or any(product.category == scenario.product_category for product, _ in org.products)
    ]
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    plans = []
    for index in range(count):
        party = org.parties[index % len(org.parties)]
        status = rng.choices(statuses, weights)[0]
        low, high = AGE_DAYS[status]
        created_at = now - datetime.timedelta(days=rng.uniform(low, high))
        channel = rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0]
        plans.append(
            _Plan(
                party=party,
                scenario=rng.choice(scenarios),
                language=party.person.language,
                status=status,
                created_at=created_at,
                channel=channel,
                reopened=status == Status.OPEN and rng.random() < 0.12,
            )
        )
    return plans


def _portal_customer_plans(
    *, rng: random.Random, party: _Party, now: datetime.datetime
) -> list[_Plan]:
    """The portal customer's own requests, one in each stage, so the portal shows them."""
    by_key = {scenario.key: scenario for scenario in demo.SCENARIOS}
    wanted = [
        ("ac_install", "en", Status.CLOSED, 60),
        ("tv_warranty", "fa", Status.RESOLVED, 21),
        ("fridge_noise", "fa", Status.PENDING_CUSTOMER, 9),
        ("washer_leak", "fa", Status.OPEN, 4),
        ("washer_question", "en", Status.NEW, 0.2),
    ]
    return [
        _Plan(
            party=party,
            scenario=by_key[key],
            language=language,
            status=status,
            created_at=now - datetime.timedelta(days=days, hours=rng.uniform(0, 3)),
            channel=Channel.PORTAL,
        )
        for key, language, status, days in wanted
    ]


def _steps(*, rng: random.Random, plan: _Plan) -> list[str]:
    """The timeline a request goes through to reach its planned status."""
    status = plan.status
    if status == Status.NEW:
        return ["customer"] if rng.random() < 0.3 else []
    steps = ["triage", "reply"]
    if rng.random() < 0.4:
        steps.append("note")
    if rng.random() < 0.4:
        steps.append("call")
    if status == Status.OPEN and not plan.reopened:
        if rng.random() < 0.5:
            steps.append("customer")
        if rng.random() < 0.4:
            steps.append("progress")
        return steps
    if status == Status.PENDING_CUSTOMER:
        return [*steps, "info", "pending"]
    if status in (Status.ON_HOLD, Status.AWAITING_PARTS):
        return [*steps, "hold_note", "hold"]
    steps += ["customer", "progress"]
    if rng.random() < 0.5:
        steps.append("thanks")
    steps.append("resolve")
    if plan.reopened:
        return [*steps, "relapse"]
    if status == Status.CLOSED:
        steps.append("confirm" if rng.random() < 0.5 else "close")
    return steps


def _step_times(
    *, rng: random.Random, start: datetime.datetime, steps: list[str], now: datetime.datetime
) -> list[datetime.datetime]:
    """When each step happens: realistic gaps, squeezed to end before now."""
    gaps = [rng.uniform(*GAP_HOURS[step.removesuffix("_note")]) for step in steps]
    total = sum(gaps)
    room = (now - datetime.timedelta(minutes=5) - start).total_seconds() / 3600
    scale = min(1.0, room / total) if total else 1.0
    times, moment = [], start
    for gap in gaps:
        moment += datetime.timedelta(hours=gap * scale)
        times.append(moment)
    return times


def _format_date(value: datetime.date, language: str) -> str:
    """A date as a customer of that language writes it (Jalali for Persian)."""
    if language == "fa":
        return persian_digits(jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d"))
    if language == "en":
        return f"{value.day} {value:%B %Y}"
    return value.strftime("%d.%m.%Y")


def _run_plans(
    *, rng: random.Random, org: _Org, plans: list[_Plan], now: datetime.datetime
) -> None:
    """Create the requests oldest first (numbers follow time), then backdate the messages."""
    plans.sort(key=lambda plan: plan.created_at)
    backdated: list[TicketMessage] = []
    for plan in plans:
        backdated += _run_plan(rng=rng, org=org, plan=plan, now=now)
    TicketMessage.objects.bulk_update(backdated, ["created_at"], batch_size=500)


def _product_for(*, rng: random.Random, org: _Org, scenario: demo.Scenario):
    """A product of the scenario's category, or (None, None) when it needs none."""
    choices = [pair for pair in org.products if pair[0].category == scenario.product_category]
    return rng.choice(choices) if choices else (None, None)


def _run_plan(
    *, rng: random.Random, org: _Org, plan: _Plan, now: datetime.datetime
) -> list[TicketMessage]:
    """Create one request and walk it through its steps; returns its backdated messages."""
    scenario, language, party = plan.scenario, plan.language, plan.party
    staff = org.staff
    admin = staff["admin"]
    product, product_model = _product_for(rng=rng, org=org, scenario=scenario)
    created_date = plan.created_at.date()
    serial = ""
    if product is not None and (scenario.needs_serial or rng.random() < 0.5):
        year = created_date.year % 100 - rng.randint(0, 2)
        serial = f"{product.serial_prefix}{year:02d}{rng.randrange(10**7):07d}"
    purchase_date = None
    days = rng.randint(2, 6)
    if scenario.key == "tv_dead_pixels":
        purchase_date = created_date - datetime.timedelta(days=days)
    elif scenario.key == "fridge_renewal":
        purchase_date = created_date - datetime.timedelta(days=rng.randint(700, 725))
    elif scenario.key == "ac_install":
        purchase_date = created_date - datetime.timedelta(days=rng.randint(2, 15))
    elif scenario.needs_purchase or (product is not None and rng.random() < 0.3):
        purchase_date = created_date - datetime.timedelta(days=rng.randint(40, 640))
    seller = rng.choice(demo.SELLERS[language]) if purchase_date else ""
    subject, description = scenario.texts[language]
    description = description.format(
        model=product.short_name if product else "",
        serial=serial or "-",
        purchase_date=_format_date(purchase_date, language) if purchase_date else "",
        seller=seller or demo.SELLERS[language][0],
        days=days,
    )
    team = org.teams[scenario.team]
    if scenario.team == "Call centre":
        assignee = staff.get("agent", admin) if rng.random() < 0.75 else staff.get("supervisor")
    else:
        assignee = staff.get("technician", admin)
    assignee = assignee or admin
    staff_intake = plan.channel in (Channel.PHONE, Channel.WALK_IN)
    customer_actor = party.user if plan.channel == Channel.PORTAL else None
    tags = list(scenario.tags) + (["vip"] if party.person.company else [])
    priority = rng.choices(list(Priority.values), scenario.priority_weights)[0]

    ticket = ticket_create(
        organization=org.organization,
        customer=party.customer,
        subject=subject,
        description=description,
        kind=scenario.kind,
        channel=plan.channel,
        priority=priority,
        language=language,
        category=org.categories[scenario.category],
        product_model=product_model,
        serial_number=serial,
        purchase_date=purchase_date,
        seller=seller,
        contact_phone=party.phone if plan.channel in (Channel.PHONE, Channel.WHATSAPP) else "",
        team=team if staff_intake else None,
        assignee=assignee if staff_intake and plan.status != Status.NEW else None,
        tags=tags,
        actor=staff.get("agent", admin) if staff_intake else customer_actor,
    )
    steps = _steps(rng=rng, plan=plan)
    times = _step_times(rng=rng, start=plan.created_at, steps=steps, now=now)
    stamps: dict[str, datetime.datetime] = {"last_customer_message_at": plan.created_at}
    messages: list[TicketMessage] = []
    customer_user = party.user
    ref = f"{org.organization.ticket_prefix}-{ticket.number:06d}"
    first_name = party.person.name.split()[0]

    def message(kind: str, body: str, actor: User | None, at: datetime.datetime, **extra) -> None:
        """Add a timeline message through the service and remember when it should have been."""
        added = ticket_message_add(ticket=ticket, kind=kind, body=body, actor=actor, **extra)
        added.created_at = at
        messages.append(added)

    for step, moment in zip(steps, times, strict=True):
        if step == "triage":
            if staff_intake:
                if ticket.assignee_id is None:
                    ticket = ticket_assign(ticket=ticket, assignee=assignee, actor=assignee)
            elif plan.status == Status.OPEN and rng.random() < 0.15:
                ticket = ticket_update(
                    ticket=ticket, actor=staff.get("supervisor", admin), team=team
                )
            else:
                ticket = ticket_update(
                    ticket=ticket,
                    actor=staff.get("supervisor", admin),
                    team=team,
                    assignee=assignee,
                )
        elif step == "reply":
            body = rng.choice(demo.FIRST_REPLIES[language]).format(name=first_name, ref=ref)
            message(MessageKind.REPLY, body, assignee, moment)
            stamps.setdefault("first_response_at", moment)
        elif step in ("note", "hold_note"):
            notes = demo.NOTES[language]
            note = notes[2] if step == "hold_note" else rng.choice(notes)
            message(MessageKind.NOTE, note, assignee, moment)
        elif step == "call":
            calls = demo.CALLS[language]
            index = rng.randrange(len(calls))
            text, direction = calls[index]
            message(
                MessageKind.CALL,
                text,
                assignee,
                moment,
                channel=Channel.PHONE,
                call_direction=CallDirection(direction),
                # The last call of each language is the unanswered one.
                call_duration_seconds=0 if index == len(calls) - 1 else rng.randint(40, 900),
            )
        elif step == "customer":
            nudge = rng.choice(demo.CUSTOMER_NUDGES[language])
            message(MessageKind.CUSTOMER, nudge, customer_user, moment)
            stamps["last_customer_message_at"] = moment
        elif step == "progress":
            message(
                MessageKind.REPLY, rng.choice(demo.PROGRESS_REPLIES[language]), assignee, moment
            )
        elif step == "info":
            message(MessageKind.REPLY, rng.choice(demo.INFO_REQUESTS[language]), assignee, moment)
        elif step == "pending":
            ticket = ticket_status_change(
                ticket=ticket, status=Status.PENDING_CUSTOMER, actor=assignee
            )
        elif step == "hold":
            if plan.status == Status.AWAITING_PARTS:
                message(MessageKind.REPLY, demo.PART_ORDERED[language], assignee, moment)
            ticket = ticket_status_change(ticket=ticket, status=plan.status, actor=assignee)
        elif step == "thanks":
            message(MessageKind.CUSTOMER, demo.CUSTOMER_THANKS[language], customer_user, moment)
            stamps["last_customer_message_at"] = moment
        elif step == "resolve":
            resolution, root_cause = rng.choice(demo.RESOLUTIONS[language])
            ticket = ticket_update(
                ticket=ticket, actor=assignee, resolution=resolution, root_cause=root_cause
            )
            message(MessageKind.REPLY, demo.CLOSING_REPLIES[language], assignee, moment)
            ticket = ticket_status_change(ticket=ticket, status=Status.RESOLVED, actor=assignee)
            stamps["resolved_at"] = moment
        elif step == "relapse":
            message(MessageKind.CUSTOMER, demo.CUSTOMER_RELAPSE[language], customer_user, moment)
            stamps["last_customer_message_at"] = moment
            ticket = ticket_update(ticket=ticket, actor=assignee, tags=[*tags, "repeat"])
        elif step == "confirm":
            ticket = ticket_confirm_resolution(ticket=ticket, actor=customer_user)
            stamps["customer_confirmed_at"] = stamps["closed_at"] = moment
        elif step == "close":
            ticket = ticket_status_change(
                ticket=ticket, status=Status.CLOSED, actor=assignee, reason=demo.CLOSE_REASON
            )
            stamps["closed_at"] = moment
    _backdate(ticket=ticket, created_at=plan.created_at, times=times, stamps=stamps)
    return messages


def _backdate(
    *,
    ticket: Ticket,
    created_at: datetime.datetime,
    times: list[datetime.datetime],
    stamps: dict[str, datetime.datetime],
) -> None:
    """Move the ticket's own timestamps to the planned times (never its events)."""
    # A stamp the services cleared (a reopened request is no longer resolved) stays cleared.
    current = Ticket.objects.values(*_STAMPS).get(pk=ticket.pk)
    changes = {name: stamps[name] for name in _STAMPS if name in stamps and current[name]}
    Ticket.objects.filter(pk=ticket.pk).update(
        created_at=created_at, updated_at=times[-1] if times else created_at, **changes
    )
