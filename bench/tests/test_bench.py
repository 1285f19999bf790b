"""The benchmark's seeders and its published scenario and result keys."""

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import authenticate
from django.db import transaction

from aftercare.customers.models import Customer
from aftercare.lib.vocabulary import Status
from aftercare.sla import clock as sla_clock
from aftercare.sla.businesstime import business_add
from aftercare.sla.selectors import sla_snapshot
from aftercare.tickets.escalation.models import SlaMark
from aftercare.tickets.escalation.sweep import sla_sweep
from aftercare.tickets.models import Ticket, TicketEvent, TicketMessage
from aftercare.tickets.selectors import ticket_list
from aftercare.tickets.services import sla_rebuild, ticket_create
from bench.common import RESULT_KEYS
from bench.http_load import SCENARIOS
from bench.seed import bench_seed
from bench.seed_sla import bench_seed_sla
from bench.sla_sweep import INPROCESS_SCENARIOS, SLA_EXTRA_KEYS


def test_bench_seed_numbers_tickets_that_the_selectors_read(db):
    data = bench_seed(tickets=200, customers=40, password="bench-pass")

    organization = data.organization
    tickets = Ticket.objects.filter(organization=organization)
    assert organization.ticket_sequence == 200
    assert sorted(tickets.values_list("number", flat=True)) == list(range(1, 201))
    assert data.ticket_ids[1] - data.ticket_ids[0] == 199
    assert tickets.filter(pk__range=data.ticket_ids).count() == 200
    assert set(tickets.values_list("language", flat=True)) == {"fa", "tr", "kk", "en"}
    assert authenticate(username=data.agent.email, password="bench-pass") == data.agent

    first_page = ticket_list(organization=organization, queue="all", limit=50)
    assert len(first_page.items) == 50 and first_page.next_cursor
    updated = [t.updated_at for t in first_page.items]
    assert updated == sorted(updated, reverse=True)
    second_page = ticket_list(
        organization=organization, queue="all", limit=50, cursor=first_page.next_cursor
    )
    assert not {t.pk for t in first_page.items} & {t.pk for t in second_page.items}
    open_page = ticket_list(organization=organization, queue="open", limit=200)
    assert open_page.items and all(t.is_open for t in open_page.items)
    assert {t.pk for t in open_page.items} == set(
        tickets.filter(is_open=True).values_list("pk", flat=True)
    )

    messages = TicketMessage.objects.filter(ticket__organization=organization).count()
    assert messages == data.messages and 1.2 <= messages / 200 <= 3
    for ticket in tickets.prefetch_related("messages"):
        assert ticket.message_count == len(ticket.messages.all())
    events = TicketEvent.objects.filter(ticket__organization=organization)
    assert events.count() == data.events
    assert events.filter(kind=TicketEvent.Kind.CREATED).count() == 200
    assert events.filter(kind=TicketEvent.Kind.MESSAGE_ADDED).count() == messages

    # The services carry on after the bulk load: the next request is number 201.
    customer = Customer.objects.get(pk=data.customer_ids[0])
    new = ticket_create(
        organization=organization, customer=customer, subject="After the load", description="x"
    )
    assert new.number == 201 and new.pk > data.ticket_ids[1]


def test_bench_scenarios_and_result_keys_are_the_published_ones():
    assert [scenario.name for scenario in SCENARIOS] == [
        "intake_api",
        "queue_page",
        "ticket_page",
        "api_list",
        "warranty_check",
        "search",
    ]
    assert RESULT_KEYS == (
        "scenario",
        "tickets",
        "requests_per_s",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "queries_per_request",
        "peak_rss_mb",
        "connections",
        "inproc_ms",
        "requests_per_s_runs",
    )
    assert INPROCESS_SCENARIOS == ("sla_sweep", "sla_sweep_repeat", "sla_sweep_10min_outage")
    assert SLA_EXTRA_KEYS == ("seconds", "due_tickets", "warnings", "breaches")


# A Wednesday, 11:12:30 in Tehran: requests that came in overnight started counting at 08:00, so
# their first response warnings (80% of 240 business minutes) fall due at 11:12:00, in the window.
SLA_NOW = datetime.datetime(2026, 11, 25, 11, 12, 30, tzinfo=ZoneInfo("Asia/Tehran"))
SLA_COLUMNS = (
    "sla_policy_id",
    "sla_clock",
    "sla_state",
    "sla_due_at",
    "first_response_due_at",
    "next_response_due_at",
    "resolution_due_at",
    "sla_next_check_at",
)


def _pending(ticket: Ticket, *, now: datetime.datetime) -> set[str]:
    """The mark keys of thresholds a ticket's stored clock has reached by `now` and not recorded."""
    clock = sla_clock.Clock.from_json(ticket.sla_clock)
    keys = set()
    for metric, target in clock.counting:
        if target.warned_at is None and target.warn_at is not None and target.warn_at <= now:
            keys.add(f"{metric}:{target.cycle}:{sla_clock.WARNING}:")
        if target.breached_at is None and target.due_at is not None and target.due_at <= now:
            keys.add(f"{metric}:{target.cycle}:{sla_clock.BREACH}:")
    return keys


def test_bench_seed_sla_stores_real_clocks_and_the_sweep_records_only_the_backlog(db):
    data = bench_seed_sla(tickets=300, now=SLA_NOW)
    cutoff = SLA_NOW - data.backlog

    organization = data.organization
    assert (organization.slug, organization.country, organization.time_zone) == (
        "sla-bench",
        "IR",
        "Asia/Tehran",
    )
    assert organization.ticket_sequence == 300
    tickets = list(Ticket.objects.filter(organization=organization).order_by("pk"))
    assert len(tickets) == 300 and data.ticket_ids[1] - data.ticket_ids[0] == 299
    assert all(t.is_open and t.status in (Status.NEW, Status.OPEN) for t in tickets)
    assert all(t.sla_clock and t.sla_policy_id == data.policy_id for t in tickets)
    assert {t.sla_state for t in tickets} <= {"running", "warning", "breached"}
    assert all(SLA_NOW - datetime.timedelta(days=7) <= t.created_at <= cutoff for t in tickets)
    answered = [t for t in tickets if t.first_response_at is not None]
    assert 0.35 <= len(answered) / 300 <= 0.6
    assert any(t.next_response_due_at is not None for t in answered)
    # A sweep ran until `cutoff`: nothing that fell due by then is left to record.
    assert not any(_pending(t, now=cutoff) for t in tickets)
    assert all(t.sla_next_check_at is None or t.sla_next_check_at > cutoff for t in tickets)

    snapshot = sla_snapshot(organization_id=organization.pk)
    calendar = snapshot.calendar_for(snapshot.policy(data.policy_id))
    unanswered = [t for t in tickets if t.first_response_at is None]
    for ticket in unanswered:
        due = business_add(calendar, start=ticket.created_at, duration=datetime.timedelta(hours=4))
        assert ticket.first_response_due_at == due
    for ticket in tickets:
        due = business_add(calendar, start=ticket.created_at, duration=datetime.timedelta(hours=40))
        assert ticket.resolution_due_at == due
    # The service that rebuilds a request's SLA from its timestamps gets the same clocks.
    sample = tickets[::10]
    with transaction.atomic():
        rebuilt = [sla_rebuild(ticket=ticket, now=cutoff) for ticket in sample]
        transaction.set_rollback(True)
    for ticket, expected in zip(sample, rebuilt, strict=True):
        assert [getattr(ticket, name) for name in SLA_COLUMNS] == [
            getattr(expected, name) for name in SLA_COLUMNS
        ]

    expected = {(t.pk, key) for t in tickets for key in _pending(t, now=SLA_NOW)}
    assert len(expected) >= 5
    result = sla_sweep(now=SLA_NOW)

    marks = SlaMark.objects.filter(organization=organization)
    assert set(marks.values_list("ticket_id", "key")) == expected
    assert all(cutoff < mark.due_at <= SLA_NOW for mark in marks)
    assert result.tickets == len({pk for pk, _key in expected})
    assert result.warnings == marks.filter(kind=SlaMark.Kind.WARNING).count()
    assert result.breaches == marks.filter(kind=SlaMark.Kind.BREACH).count()
    assert result.warnings + result.breaches == len(expected) and not result.escalations
    crossing_events = TicketEvent.objects.filter(
        organization=organization,
        kind__in=[TicketEvent.Kind.SLA_WARNING, TicketEvent.Kind.SLA_BREACHED],
    )
    assert crossing_events.count() == len(expected)
    assert not Ticket.objects.filter(organization=organization, sla_next_check_at__lte=SLA_NOW)

    again = sla_sweep(now=SLA_NOW)

    assert (again.tickets, again.warnings, again.breaches, again.escalations) == (0, 0, 0, 0)
    assert marks.count() == len(expected) and crossing_events.count() == len(expected)
