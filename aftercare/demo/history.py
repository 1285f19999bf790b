"""The demo requests' histories: what happens to each request, step by step, and when.

Only timestamps on tickets and messages are moved into the past afterwards, with queryset
updates; ticket events keep their real creation time because the database refuses UPDATE on them.
"""

import datetime
import random
from dataclasses import dataclass, field

import jdatetime

from aftercare.accounts.models import Organization, Team, User
from aftercare.catalog.models import ProductModel
from aftercare.customers.models import Customer
from aftercare.demo import content as demo
from aftercare.demo import repairs as workshop
from aftercare.lib.text import persian_digits
from aftercare.lib.vocabulary import Channel, Priority, Status
from aftercare.tickets.choices import CallDirection, MessageKind
from aftercare.tickets.models import Category, Ticket, TicketMessage
from aftercare.tickets.services import (
    ticket_assign,
    ticket_confirm_resolution,
    ticket_create,
    ticket_message_add,
    ticket_status_change,
    ticket_update,
)

HISTORY_DAYS = 90

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
class Party:
    """A customer of the demo and what the timeline needs to know about them."""

    customer: Customer
    person: demo.Person
    phone: str
    user: User | None = None


@dataclass
class SeededOrg:
    """One organization being seeded and the things its requests refer to."""

    organization: Organization
    staff: dict[str, User]
    teams: dict[str, Team]
    categories: dict[tuple[str, str | None], Category]
    products: list[tuple[demo.Product, ProductModel]]
    parties: list[Party] = field(default_factory=list)


@dataclass
class Plan:
    """One request to create: who, what, how it ends, and when it started."""

    party: Party
    scenario: demo.Scenario
    language: str
    status: str
    created_at: datetime.datetime
    channel: str
    reopened: bool = False


def plan_requests(
    *, rng: random.Random, org: SeededOrg, count: int, now: datetime.datetime
) -> list[Plan]:
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
            Plan(
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


def plan_portal_customer_requests(
    *, rng: random.Random, party: Party, now: datetime.datetime
) -> list[Plan]:
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
        Plan(
            party=party,
            scenario=by_key[key],
            language=language,
            status=status,
            created_at=now - datetime.timedelta(days=days, hours=rng.uniform(0, 3)),
            channel=Channel.PORTAL,
        )
        for key, language, status, days in wanted
    ]


def _steps(*, rng: random.Random, plan: Plan) -> list[str]:
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


def run_plans(
    *, rng: random.Random, org: SeededOrg, plans: list[Plan], now: datetime.datetime
) -> None:
    """Create the requests oldest first (numbers follow time), then backdate the messages."""
    plans.sort(key=lambda plan: plan.created_at)
    backdated: list[TicketMessage] = []
    for plan in plans:
        backdated += _run_plan(rng=rng, org=org, plan=plan, now=now)
    TicketMessage.objects.bulk_update(backdated, ["created_at"], batch_size=500)


def _product_for(*, rng: random.Random, org: SeededOrg, scenario: demo.Scenario):
    """A product of the scenario's category, or (None, None) when it needs none."""
    choices = [pair for pair in org.products if pair[0].category == scenario.product_category]
    return rng.choice(choices) if choices else (None, None)


def _run_plan(
    *, rng: random.Random, org: SeededOrg, plan: Plan, now: datetime.datetime
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
    unit = None
    if serial and product_model is not None:
        unit = workshop.unit_for_request(
            rng=rng,
            org=org,
            party=party,
            product_model=product_model,
            serial=serial,
            purchase_date=purchase_date,
            seller=seller,
            installed=scenario.key != "ac_install",
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
        unit=unit,
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
