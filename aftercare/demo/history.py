"""The demo requests' histories: each request created through the services and walked through
the steps `aftercare.demo.plans` planned, by the people routing and capacity allow.

Only timestamps on tickets and messages are moved into the past afterwards, with queryset
updates; ticket events keep their real creation time because the database refuses UPDATE on them.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import jdatetime

from aftercare.accounts.models import Organization, Team, User
from aftercare.catalog.models import ProductModel
from aftercare.customers.models import Customer
from aftercare.demo import content as demo
from aftercare.demo import repairs as workshop
from aftercare.lib.text import persian_digits
from aftercare.lib.vocabulary import OPEN_STATUSES, Channel, Status
from aftercare.tickets.choices import CallDirection, MessageKind
from aftercare.tickets.models import Category, Ticket, TicketMessage
from aftercare.tickets.routing.services import open_loads
from aftercare.tickets.services import (
    ticket_confirm_resolution,
    ticket_create,
    ticket_message_add,
    ticket_status_change,
    ticket_update,
)

if TYPE_CHECKING:  # plans imports this module
    from aftercare.demo.plans import Plan

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


def _format_date(value: datetime.date, language: str) -> str:
    """A date as a customer of that language writes it (Jalali for Persian)."""
    if language == "fa":
        return persian_digits(jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d"))
    if language == "en":
        return f"{value.day} {value:%B %Y}"
    return value.strftime("%d.%m.%Y")


def run_plans(
    *,
    rng: random.Random,
    org: SeededOrg,
    plans: list["Plan"],
    report: Callable[[int], None] | None = None,
) -> None:
    """Create the requests in order (`plans_schedule` puts them oldest first, so numbers follow
    time), then backdate the messages; `report` is told how many are done as it goes."""
    backdated: list[TicketMessage] = []
    for done, plan in enumerate(plans, start=1):
        backdated += _run_plan(rng=rng, org=org, plan=plan)
        if report is not None:
            report(done)
    TicketMessage.objects.bulk_update(backdated, ["created_at"], batch_size=500)


def _product_for(*, rng: random.Random, org: SeededOrg, scenario: demo.Scenario):
    """A product of the scenario's category, or (None, None) when it needs none."""
    choices = [pair for pair in org.products if pair[0].category == scenario.product_category]
    return rng.choice(choices) if choices else (None, None)


def _has_room(*, org: SeededOrg, user: User) -> bool:
    """Whether routing would still give this member of staff a request."""
    capacity = next(
        (demo.STAFF_CAPACITY.get(role) for role, member in org.staff.items() if member == user),
        None,
    )
    if capacity is None:
        return True
    load = open_loads(organization_id=org.organization.pk, user_ids=[user.pk]).get(user.pk, 0)
    return load < capacity


def _taker(*, org: SeededOrg, plan: "Plan", team: Team, default: User) -> User | None:
    """Who takes a request by hand: its usual person, or for one that stays open whoever of its
    team still has room (nobody: it waits in the team's queue)."""
    if plan.status not in OPEN_STATUSES:
        return default
    members = [default, *team.members.exclude(pk=default.pk).order_by("pk")]
    return next((user for user in members if _has_room(org=org, user=user)), None)


def _run_plan(*, rng: random.Random, org: SeededOrg, plan: "Plan") -> list[TicketMessage]:
    """Create one request and walk it through its steps; returns its backdated messages."""
    scenario, language, party = plan.scenario, plan.language, plan.party
    assert plan.created_at is not None
    staff = org.staff
    admin = staff["admin"]
    product, product_model = _product_for(rng=rng, org=org, scenario=scenario)
    created_date = plan.created_at.date()
    serial = ""
    # An open repair is about a product the customer registered, most often.
    likely = plan.status in OPEN_STATUSES and scenario.team != "Call centre"
    if product is not None and (scenario.needs_serial or rng.random() < (0.8 if likely else 0.5)):
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
        default = staff.get("agent", admin) if rng.random() < 0.75 else staff.get("supervisor")
    else:
        default = staff.get("technician", admin)
    default = default or admin
    staff_intake = plan.channel in (Channel.PHONE, Channel.WALK_IN)
    customer_actor = party.user if plan.channel == Channel.PORTAL else None
    tags = list(scenario.tags) + (["vip"] if party.person.company else [])
    # Staff who take a call or a visit give it its team and, unless it is new, its person (who
    # has room for it). Otherwise routing decides: the rules give the team, and a team that
    # assigns automatically the agent.
    intake_assignee = None
    if staff_intake and plan.status != Status.NEW:
        intake_assignee = _taker(org=org, plan=plan, team=team, default=default)

    ticket = ticket_create(
        organization=org.organization,
        customer=party.customer,
        subject=subject,
        description=description,
        kind=scenario.kind,
        channel=plan.channel,
        priority=plan.priority,
        language=language,
        category=org.categories[scenario.category],
        product_model=product_model,
        serial_number=serial,
        purchase_date=purchase_date,
        seller=seller,
        unit=unit,
        contact_phone=party.phone if plan.channel in (Channel.PHONE, Channel.WHATSAPP) else "",
        team=team if staff_intake else None,
        assignee=intake_assignee,
        tags=tags,
        actor=staff.get("agent", admin) if staff_intake else customer_actor,
    )
    steps, times = plan.steps, plan.times
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

    worker = ticket.assignee or default
    for step, moment in zip(steps, times, strict=True):
        if step == "triage":
            changes: dict = {}
            if ticket.team_id != team.pk:
                changes["team"] = team
            if ticket.assignee_id is None:
                taker = _taker(org=org, plan=plan, team=team, default=default)
                if taker is not None:
                    changes["assignee"] = taker
            if changes:
                ticket = ticket_update(
                    ticket=ticket, actor=staff.get("supervisor", admin), **changes
                )
            worker = ticket.assignee or default
        elif step == "reply":
            body = rng.choice(demo.FIRST_REPLIES[language]).format(name=first_name, ref=ref)
            message(MessageKind.REPLY, body, worker, moment)
            stamps.setdefault("first_response_at", moment)
        elif step in ("note", "hold_note"):
            notes = demo.NOTES[language]
            note = notes[2] if step == "hold_note" else rng.choice(notes)
            message(MessageKind.NOTE, note, worker, moment)
        elif step == "call":
            calls = demo.CALLS[language]
            index = rng.randrange(len(calls))
            text, direction = calls[index]
            message(
                MessageKind.CALL,
                text,
                worker,
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
            message(MessageKind.REPLY, rng.choice(demo.PROGRESS_REPLIES[language]), worker, moment)
        elif step == "info":
            message(MessageKind.REPLY, rng.choice(demo.INFO_REQUESTS[language]), worker, moment)
        elif step == "pending":
            ticket = ticket_status_change(
                ticket=ticket, status=Status.PENDING_CUSTOMER, actor=worker
            )
        elif step == "hold":
            if plan.status == Status.AWAITING_PARTS:
                message(MessageKind.REPLY, demo.PART_ORDERED[language], worker, moment)
            ticket = ticket_status_change(ticket=ticket, status=plan.status, actor=worker)
        elif step == "thanks":
            message(MessageKind.CUSTOMER, demo.CUSTOMER_THANKS[language], customer_user, moment)
            stamps["last_customer_message_at"] = moment
        elif step == "resolve":
            resolution, root_cause = rng.choice(demo.RESOLUTIONS[language])
            ticket = ticket_update(
                ticket=ticket, actor=worker, resolution=resolution, root_cause=root_cause
            )
            message(MessageKind.REPLY, demo.CLOSING_REPLIES[language], worker, moment)
            ticket = ticket_status_change(ticket=ticket, status=Status.RESOLVED, actor=worker)
            stamps["resolved_at"] = moment
        elif step == "relapse":
            message(MessageKind.CUSTOMER, demo.CUSTOMER_RELAPSE[language], customer_user, moment)
            stamps["last_customer_message_at"] = moment
            ticket = ticket_update(ticket=ticket, actor=worker, tags=[*tags, "repeat"])
        elif step == "confirm":
            ticket = ticket_confirm_resolution(ticket=ticket, actor=customer_user)
            stamps["customer_confirmed_at"] = stamps["closed_at"] = moment
        elif step == "close":
            ticket = ticket_status_change(
                ticket=ticket, status=Status.CLOSED, actor=worker, reason=demo.CLOSE_REASON
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
