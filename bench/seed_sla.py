"""Bulk seeding of a second organization for the SLA sweep: open requests under one policy on
the Iran calendar, each with the clock the real clock module computes for its history."""

import datetime
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from aftercare.accounts.models import Membership, Organization
from aftercare.accounts.services import membership_create, user_create
from aftercare.demo import content as demo
from aftercare.lib.vocabulary import Priority, Status
from aftercare.sla import clock as sla_clock
from aftercare.sla.businesstime import BusinessCalendar
from aftercare.sla.models import SlaConfiguration
from aftercare.sla.selectors import PolicyInfo, sla_snapshot
from aftercare.sla.services import calendar_create_from_preset, sla_policy_create
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import Ticket, TicketEvent, TicketMessage
from bench.seed_common import (
    CHANNEL_WEIGHTS,
    CHANNELS,
    CHUNK,
    EVENT_FIELDS,
    MESSAGE_FIELDS,
    TICKET_FIELDS,
    _customers,
    _insert,
    _message_rows,
    _next_id,
    _organization_create,
    _reset_sequences,
)

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
        organization = _organization_create(name="SLA bench", slug=SLA_ORGANIZATION_SLUG)
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
