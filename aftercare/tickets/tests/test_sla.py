"""A request's SLA through the real services: due times on every change, the sweep, escalation."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.customers.models import Tier
from aftercare.customers.services import customer_update
from aftercare.lib.vocabulary import Kind, Priority, Status
from aftercare.sla.services import (
    calendar_create,
    escalation_rule_create,
    holiday_add,
    sla_policy_create,
    sla_policy_update,
)
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.escalation.models import SlaMark
from aftercare.tickets.escalation.sweep import sla_sweep
from aftercare.tickets.models import Ticket, TicketEvent
from aftercare.tickets.services import (
    sla_configuration_apply,
    ticket_message_add,
    ticket_status_change,
    ticket_update,
)
from aftercare.tickets.services.sla import sla_rebuild
from aftercare.tickets.tests.factories import make_customer, make_ticket

TEHRAN = ZoneInfo("Asia/Tehran")
ISTANBUL = ZoneInfo("Europe/Istanbul")


def _events(ticket, kind):
    return list(TicketEvent.objects.filter(ticket=ticket, kind=kind).order_by("id"))


def test_a_new_request_gets_due_times_on_the_iranian_calendar(org, clock, standard):
    ticket = make_ticket(organization=org)
    assert ticket.sla_policy == standard
    assert ticket.sla_state == "running"
    assert ticket.first_response_due_at == datetime(2026, 5, 3, 11, tzinfo=TEHRAN)
    # 16 business hours: Sunday 09-16 (7), Monday 08-16 (8), Tuesday 08-09 (1).
    assert ticket.resolution_due_at == datetime(2026, 5, 5, 9, tzinfo=TEHRAN)
    assert ticket.next_response_due_at is None
    assert ticket.sla_due_at == ticket.first_response_due_at
    # 75 % of two hours: the first warning is due at 10:30.
    assert ticket.sla_next_check_at == datetime(2026, 5, 3, 10, 30, tzinfo=TEHRAN)
    (applied,) = _events(ticket, TicketEvent.Kind.SLA_APPLIED)
    assert applied.data["policy"] == "Standard"
    assert applied.data["first_response_due_at"] == ticket.first_response_due_at.isoformat()


def test_a_thursday_afternoon_request_waits_over_the_iranian_weekend(org, clock, standard):
    # Thursday 7 May 2026 12:00: an hour left that day (08-13), Friday off, Saturday 08:00.
    clock.set(datetime(2026, 5, 7, 12, tzinfo=TEHRAN))
    ticket = make_ticket(organization=org)
    assert ticket.first_response_due_at == datetime(2026, 5, 9, 9, tzinfo=TEHRAN)


def test_changing_priority_recomputes_the_due_times_at_once(
    org, clock, standard, urgent, alice_admin
):
    ticket = make_ticket(organization=org)
    clock.advance(minutes=20)
    ticket = ticket_update(ticket=ticket, actor=alice_admin, priority=Priority.URGENT)
    assert ticket.sla_policy == urgent
    # 20 minutes of business time already counted: 10 of the 30 are left.
    assert ticket.first_response_due_at == datetime(2026, 5, 3, 9, 30, tzinfo=TEHRAN)
    assert ticket.resolution_due_at == datetime(2026, 5, 3, 13, tzinfo=TEHRAN)
    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.first_response_due_at == ticket.first_response_due_at
    applied = _events(ticket, TicketEvent.Kind.SLA_APPLIED)
    assert [(e.data["from"], e.data["policy"]) for e in applied] == [
        ("", "Standard"),
        ("Standard", "Urgent"),
    ]
    # And back: Standard again, still counting from the request's creation.
    ticket = ticket_update(ticket=ticket, actor=alice_admin, priority=Priority.NORMAL)
    assert ticket.sla_policy == standard
    assert ticket.first_response_due_at == datetime(2026, 5, 3, 11, tzinfo=TEHRAN)


def test_waiting_on_the_customer_pauses_the_clock_and_moves_due_times(
    org, clock, standard, bob_agent
):
    ticket = make_ticket(organization=org)
    clock.advance(hours=1)
    ticket_message_add(ticket=ticket, kind=MessageKind.REPLY, body="Which model?", actor=bob_agent)
    ticket = ticket_status_change(ticket=ticket, status=Status.PENDING_CUSTOMER, actor=bob_agent)
    assert ticket.sla_state == "paused"
    assert ticket.resolution_due_at is None and ticket.sla_next_check_at is None
    # The customer answers the next morning at 10:00: 1 h was counted, 15 h are left.
    clock.set(datetime(2026, 5, 4, 10, tzinfo=TEHRAN))
    customer = ticket.customer
    ticket_message_add(ticket=ticket, kind=MessageKind.CUSTOMER, body="WM-800", actor=None)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.sla_state == "running"
    # Monday 10-16 (6), Tuesday 08-16 (8), Wednesday 08-09 (1).
    assert ticket.resolution_due_at == datetime(2026, 5, 6, 9, tzinfo=TEHRAN)
    # The customer's message starts the next-response target: 4 h, due 14:00.
    assert ticket.next_response_due_at == datetime(2026, 5, 4, 14, tzinfo=TEHRAN)
    assert customer.pk == ticket.customer_id


def test_awaiting_parts_pauses_by_default_and_on_hold_does_not(org, clock, standard, bob_agent):
    ticket = make_ticket(organization=org)
    ticket = ticket_status_change(ticket=ticket, status=Status.AWAITING_PARTS, actor=bob_agent)
    assert ticket.sla_state == "paused"
    ticket = ticket_status_change(ticket=ticket, status=Status.ON_HOLD, actor=bob_agent)
    assert ticket.sla_state == "running"
    sla_policy_update(policy=standard, pause_statuses=["on_hold"])
    sla_configuration_apply()
    ticket.refresh_from_db()
    assert ticket.sla_state == "paused"


def test_a_reply_meets_the_first_response_and_resolving_stops_everything(
    org, clock, standard, bob_agent
):
    ticket = make_ticket(organization=org)
    clock.advance(minutes=45)
    ticket_message_add(ticket=ticket, kind=MessageKind.REPLY, body="On it.", actor=bob_agent)
    ticket.refresh_from_db()
    assert ticket.first_response_due_at is None
    assert ticket.sla_clock["targets"]["first_response"]["met_at"] == clock.now.isoformat()
    assert ticket.sla_due_at == ticket.resolution_due_at
    ticket = ticket_status_change(ticket=ticket, status=Status.RESOLVED, actor=bob_agent)
    assert ticket.sla_state == "met"
    assert ticket.sla_due_at is None and ticket.sla_next_check_at is None
    # Reopened the next day: resolution counts on from the 45 minutes it had used.
    clock.set(datetime(2026, 5, 4, 8, tzinfo=TEHRAN))
    ticket_message_add(ticket=ticket, kind=MessageKind.CUSTOMER, body="Broken again", actor=None)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.sla_clock["targets"]["resolution"]["consumed"] == 45 * 60
    assert ticket.resolution_due_at == datetime(2026, 5, 5, 15, 15, tzinfo=TEHRAN)


def test_no_policy_means_no_sla(org, clock):
    ticket = make_ticket(organization=org)
    assert ticket.sla_policy is None
    assert ticket.sla_state == ""
    assert ticket.sla_due_at is None and ticket.sla_next_check_at is None
    assert not _events(ticket, TicketEvent.Kind.SLA_APPLIED)


def test_policies_match_on_kind_channel_tier_and_product(org, clock, iran_calendar):
    from aftercare.catalog.services import product_model_create

    washer = product_model_create(organization=org, name="WM-800", sku="WM-800")
    vip = sla_policy_create(
        organization=org, name="VIP", customer_tiers=[Tier.VIP], first_response_minutes=15
    )
    washers = sla_policy_create(
        organization=org,
        name="Washer repairs by phone",
        kinds=[Kind.REPAIR],
        channels=["phone"],
        product_models=[washer],
        first_response_minutes=60,
    )
    customer = make_customer(organization=org)
    by_phone = make_ticket(
        organization=org, customer=customer, channel="phone", product_model=washer
    )
    assert by_phone.sla_policy == washers
    by_portal = make_ticket(organization=org, customer=customer, product_model=washer)
    assert by_portal.sla_policy is None
    customer = customer_update(customer=customer, tier=Tier.VIP)
    assert make_ticket(organization=org, customer=customer, channel="phone").sla_policy == vip


def test_the_sweep_records_each_warning_and_breach_once(org, clock, standard):
    ticket = make_ticket(organization=org)
    clock.set(datetime(2026, 5, 3, 10, 31, tzinfo=TEHRAN))
    first = sla_sweep()
    assert (first.warnings, first.breaches) == (1, 0)
    assert sla_sweep().warnings == 0
    ticket.refresh_from_db()
    assert ticket.sla_state == "warning"
    assert ticket.sla_next_check_at == datetime(2026, 5, 3, 11, tzinfo=TEHRAN)
    clock.set(datetime(2026, 5, 3, 11, 0, 5, tzinfo=TEHRAN))
    assert sla_sweep().breaches == 1
    assert sla_sweep().breaches == 0
    ticket.refresh_from_db()
    assert ticket.sla_state == "breached"
    (warning,) = _events(ticket, TicketEvent.Kind.SLA_WARNING)
    (breach,) = _events(ticket, TicketEvent.Kind.SLA_BREACHED)
    assert warning.data == {
        "metric": "first_response",
        "at": datetime(2026, 5, 3, 10, 30, tzinfo=TEHRAN).astimezone(UTC).isoformat(),
        "due_at": datetime(2026, 5, 3, 11, tzinfo=TEHRAN).astimezone(UTC).isoformat(),
        "cycle": 1,
    }
    assert breach.data["due_at"] == ticket.first_response_due_at.isoformat()
    marks = SlaMark.objects.filter(ticket=ticket).order_by("id")
    assert [(m.kind, m.metric, m.key) for m in marks] == [
        ("warning", "first_response", "first_response:1:warning:"),
        ("breach", "first_response", "first_response:1:breach:"),
    ]


def test_a_late_sweep_records_the_warning_before_the_breach(org, clock, standard):
    ticket = make_ticket(organization=org)
    clock.set(datetime(2026, 5, 3, 15, tzinfo=TEHRAN))
    result = sla_sweep()
    assert (result.warnings, result.breaches) == (1, 1)
    kinds = list(
        TicketEvent.objects.filter(ticket=ticket, kind__startswith="sla_")
        .order_by("id")
        .values_list("kind", flat=True)
    )
    assert kinds == ["sla_applied", "sla_warning", "sla_breached"]


def test_a_paused_request_is_not_breached_by_the_sweep(org, clock, standard, bob_agent):
    ticket = make_ticket(organization=org)
    ticket_status_change(ticket=ticket, status=Status.PENDING_CUSTOMER, actor=bob_agent)
    clock.advance(days=10)
    result = sla_sweep()
    assert (result.tickets, result.breaches) == (0, 0)


def test_sweep_queries_do_not_grow_with_the_number_of_due_requests(org, clock, standard):
    for _ in range(3):
        make_ticket(organization=org)
    clock.advance(hours=1, minutes=31)
    with CaptureQueriesContext(connection) as few:
        assert sla_sweep().warnings == 3
    for _ in range(30):
        make_ticket(organization=org)
    clock.advance(hours=1, minutes=31)
    with CaptureQueriesContext(connection) as many:
        result = sla_sweep()
    assert result.tickets == 33
    assert len(many.captured_queries) <= len(few.captured_queries) + 2


def test_a_holiday_added_later_moves_open_due_times(org, clock, standard, iran_calendar):
    ticket = make_ticket(organization=org)
    assert ticket.resolution_due_at == datetime(2026, 5, 5, 9, tzinfo=TEHRAN)
    holiday_add(
        calendar=iran_calendar, name="Office move", kind="date", start_date=date(2026, 5, 4)
    )
    assert sla_configuration_apply() == 1
    ticket.refresh_from_db()
    # Monday is closed now: Sunday 09-16 (7), Tuesday 08-16 (8), Wednesday 08-09 (1).
    assert ticket.resolution_due_at == datetime(2026, 5, 6, 9, tzinfo=TEHRAN)
    assert sla_configuration_apply() == 0


def test_a_policy_on_its_own_calendar_with_a_split_shift(org, clock):
    shop = calendar_create(
        organization=org,
        name="Istanbul shop",
        time_zone="Europe/Istanbul",
        weekly={day: [(time(9), time(12)), (time(14), time(18))] for day in range(6)},
    )
    sla_policy_create(organization=org, name="Shop", calendar=shop, first_response_minutes=240)
    # Sunday 3 May 09:00 Tehran is 08:30 Istanbul, and the shop is closed on Sundays.
    ticket = make_ticket(organization=org)
    # Monday 09-12 (3 h), then 14:00-15:00.
    assert ticket.first_response_due_at == datetime(2026, 5, 4, 15, tzinfo=ISTANBUL)


def test_rebuild_counts_history_and_records_past_breaches_without_escalating(
    org, clock, standard, bob_agent
):
    escalation_rule_create(
        organization=org, name="Tell someone", threshold="breach", notify_assignee=True
    )
    ticket = make_ticket(organization=org, assignee=bob_agent)
    Ticket.objects.filter(pk=ticket.pk).update(
        created_at=datetime(2026, 4, 28, 9, tzinfo=TEHRAN), sla_clock=None
    )
    ticket = sla_rebuild(ticket=ticket)
    assert ticket.sla_state == "breached"
    breaches = {e.data["metric"]: e.created_at for e in _events(ticket, "sla_breached")}
    # Tuesday 28 April 09:00 + 2 h; 16 h of resolution end Thursday 30 April 09:00 (08-13 there).
    assert breaches == {
        "first_response": datetime(2026, 4, 28, 11, tzinfo=TEHRAN),
        "resolution": datetime(2026, 4, 30, 9, tzinfo=TEHRAN),
    }
    escalations = SlaMark.objects.filter(ticket=ticket, kind="escalation")
    assert escalations.count() == 2
    assert all(mark.done_at is not None for mark in escalations)
    assert not _events(ticket, TicketEvent.Kind.ESCALATED)
    assert sla_sweep().tickets == 0
