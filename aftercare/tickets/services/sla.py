"""The SLA of each request: its clock on every change, rebuilt from history, and brought up to a
changed configuration.

Every request service that changes something the SLA depends on (creation, a reply, a customer
message, the status, priority, kind or product) calls `sla_apply` on the locked request before
saving it, so due times are always current. What falls due is recorded by `sweep.sla_sweep`;
escalations are carried out by `escalation.escalation_run`.
"""

import datetime
import time

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from aftercare.accounts.models import User
from aftercare.lib.vocabulary import OPEN_STATUSES, Status
from aftercare.sla import clock as sla_clock
from aftercare.sla.models import DEFAULT_PAUSE_STATUSES, SlaConfiguration
from aftercare.sla.selectors import PolicyInfo, SlaSnapshot, sla_snapshot
from aftercare.tickets import events
from aftercare.tickets.escalation.models import SlaMark
from aftercare.tickets.models import Ticket, TicketEvent

CREATED = "created"
REPLY = "reply"
CUSTOMER_MESSAGE = "customer_message"
STATUS = "status"
REMATCH = "rematch"

SLA_FIELDS = [
    "sla_policy",
    "sla_clock",
    "sla_state",
    "sla_due_at",
    "first_response_due_at",
    "next_response_due_at",
    "resolution_due_at",
    "sla_next_check_at",
]
_DONE_STATUSES = {Status.RESOLVED, Status.CLOSED}


def _history_clock(
    ticket: Ticket,
    *,
    policy: PolicyInfo | None,
    snapshot: SlaSnapshot,
    now: datetime.datetime,
    record: bool,
) -> tuple[sla_clock.Clock, list[sla_clock.Crossing]]:
    """A clock for a request that has none, counted from its own timestamps up to `now`:
    opened, first answered, last written to by the customer, resolved. Pauses before now are
    not known. With `record`, the thresholds crossed on the way are returned (and marked)."""
    calendar = snapshot.calendar_for(policy)
    clock = sla_clock.Clock(checkpoint=min(ticket.created_at, now), running=True)
    _set_targets(clock, policy)
    first = clock.targets[sla_clock.FIRST_RESPONSE]
    following = clock.targets[sla_clock.NEXT_RESPONSE]
    resolution = clock.targets[sla_clock.RESOLUTION]
    first.begin_cycle()
    resolution.begin_cycle()
    points: list[tuple[datetime.datetime, str]] = []
    answered = ticket.first_response_at
    if answered is not None:
        points.append((answered, REPLY))
        waiting_since = ticket.last_customer_message_at
        if ticket.status in OPEN_STATUSES and waiting_since and waiting_since > answered:
            points.append((waiting_since, CUSTOMER_MESSAGE))
    if ticket.status in _DONE_STATUSES:
        points.append((ticket.resolved_at or ticket.closed_at or ticket.updated_at, STATUS))
    found: list[sla_clock.Crossing] = []
    for moment, what in sorted(point for point in points if point[0] <= now):
        sla_clock.schedule(clock, calendar=calendar)
        if record:
            found += sla_clock.crossings(
                clock, now=moment, rules=snapshot.timings, policy_id=policy.id if policy else None
            )
        sla_clock.settle(clock, now=moment, calendar=calendar)
        if what == REPLY:
            _meet(first, moment)
            _meet(following, moment)
        elif what == CUSTOMER_MESSAGE:
            following.begin_cycle()
        else:
            for target in clock.targets.values():
                _meet(target, moment)
    sla_clock.schedule(clock, calendar=calendar)
    if record:
        found += sla_clock.crossings(
            clock, now=now, rules=snapshot.timings, policy_id=policy.id if policy else None
        )
    sla_clock.settle(clock, now=now, calendar=calendar)
    return clock, found


def _set_targets(clock: sla_clock.Clock, policy: PolicyInfo | None) -> None:
    """The policy's targets and warning share (no targets without a policy)."""
    for metric, target in clock.targets.items():
        target.seconds = policy.targets.get(metric) if policy is not None else None
    clock.warning_percent = policy.warning_percent if policy is not None else 0


def _meet(target: sla_clock.Target, now: datetime.datetime) -> None:
    if target.active:
        target.active = False
        target.met_at = now


def _follow_changes(
    clock: sla_clock.Clock,
    *,
    ticket: Ticket,
    changes: set[str],
    previous_status: str | None,
    now: datetime.datetime,
) -> None:
    """Start, meet or resume targets for what just happened to the request."""
    first = clock.targets[sla_clock.FIRST_RESPONSE]
    following = clock.targets[sla_clock.NEXT_RESPONSE]
    resolution = clock.targets[sla_clock.RESOLUTION]
    if CREATED in changes:
        first.begin_cycle()
        resolution.begin_cycle()
    if STATUS in changes and previous_status in _DONE_STATUSES and ticket.status in OPEN_STATUSES:
        # Reopened: resolution counts on from where it stopped; so does an unanswered first reply.
        resolution.active, resolution.met_at = True, None
        if ticket.first_response_at is None:
            first.active, first.met_at = True, None
    if REPLY in changes:
        _meet(first, now)
        _meet(following, now)
    if (
        CUSTOMER_MESSAGE in changes
        and ticket.status in OPEN_STATUSES
        and ticket.first_response_at is not None
        and not following.active
    ):
        following.begin_cycle()
    if ticket.status in _DONE_STATUSES:
        for target in clock.targets.values():
            _meet(target, now)


def sla_apply(
    *,
    ticket: Ticket,
    changes: set[str],
    actor: User | None,
    now: datetime.datetime | None = None,
    previous_status: str | None = None,
    snapshot: SlaSnapshot | None = None,
) -> None:
    """Bring a locked request's SLA up to changes made to it in memory; the caller saves it.

    `changes` names what happened: CREATED, REPLY, CUSTOMER_MESSAGE, STATUS (with the previous
    status), or REMATCH when a field the policies match on may have changed. Records on the
    timeline when another policy comes to apply.
    """
    now = now or timezone.now()
    snapshot = snapshot or sla_snapshot(organization_id=ticket.organization_id)
    old_policy = snapshot.policy(ticket.sla_policy_id)
    policy = old_policy
    if changes & {CREATED, REMATCH} or not ticket.sla_clock:
        policy = _match(ticket, snapshot)
    if ticket.sla_clock:
        clock = sla_clock.Clock.from_json(ticket.sla_clock)
        sla_clock.settle(clock, now=now, calendar=snapshot.calendar_for(old_policy))
    else:
        # New, or from before SLAs: counted from its timestamps; the sweep records what fell due.
        clock, _found = _history_clock(
            ticket, policy=policy, snapshot=snapshot, now=now, record=False
        )
        changes = changes - {CREATED}
    _set_targets(clock, policy)
    _follow_changes(clock, ticket=ticket, changes=changes, previous_status=previous_status, now=now)
    pausing = policy.pause_statuses if policy is not None else frozenset(DEFAULT_PAUSE_STATUSES)
    clock.running = ticket.status in OPEN_STATUSES and ticket.status not in pausing
    sla_clock.schedule(clock, calendar=snapshot.calendar_for(policy))
    _store(ticket, clock, policy=policy, snapshot=snapshot)
    policy_changed = (old_policy.id if old_policy else None) != (policy.id if policy else None)
    if policy_changed:
        change = (old_policy.name if old_policy else "", policy.name if policy else "")
        if ticket.pk is None:
            # A request being created: its creation event comes first, then this one.
            ticket._sla_policy_change = change
        else:
            events.ticket_sla_applied_event(
                ticket=ticket, actor=actor, policy_name=change[1], previous_name=change[0]
            )


def _match(ticket: Ticket, snapshot: SlaSnapshot) -> PolicyInfo | None:
    """The policy that applies to the request as it is now."""
    return snapshot.match(
        priority=ticket.priority,
        kind=ticket.kind,
        channel=ticket.channel,
        customer_tier=ticket.customer.tier,
        product_model_id=ticket.product_model_id,
    )


def sla_applied_record(*, ticket: Ticket, actor: User | None) -> None:
    """Record, once the new request is saved, which policy `sla_apply` found for it."""
    change = getattr(ticket, "_sla_policy_change", None)
    if change is not None:
        del ticket._sla_policy_change
        events.ticket_sla_applied_event(
            ticket=ticket, actor=actor, policy_name=change[1], previous_name=change[0]
        )


def _store(
    ticket: Ticket,
    clock: sla_clock.Clock,
    *,
    policy: PolicyInfo | None,
    snapshot: SlaSnapshot,
) -> None:
    """Write the clock and the columns read from it onto the request (not saved)."""
    targets = clock.targets
    ticket.sla_policy_id = policy.id if policy is not None else None
    ticket.sla_clock = clock.to_json()
    ticket.sla_state = sla_clock.state(clock)
    ticket.sla_due_at = sla_clock.earliest_due(clock)
    ticket.first_response_due_at = targets[sla_clock.FIRST_RESPONSE].due_at
    ticket.next_response_due_at = targets[sla_clock.NEXT_RESPONSE].due_at
    ticket.resolution_due_at = targets[sla_clock.RESOLUTION].due_at
    ticket.sla_next_check_at = sla_clock.next_check(
        clock, rules=snapshot.timings, policy_id=ticket.sla_policy_id
    )


def sla_rebuild(*, ticket: Ticket, now: datetime.datetime | None = None) -> Ticket:
    """Rebuild a request's SLA from its timestamps (after an import, or for seeded history).

    Warnings and breaches that fell due in the past are recorded at the time they fell due, and
    escalations that would have fired are marked done without acting: history is not re-run.
    """
    now = now or timezone.now()
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("customer")
            .get(pk=ticket.pk)
        )
        snapshot = sla_snapshot(organization_id=ticket.organization_id)
        previous = snapshot.policy(ticket.sla_policy_id)
        policy = _match(ticket, snapshot)
        clock, found = _history_clock(
            ticket, policy=policy, snapshot=snapshot, now=now, record=True
        )
        pausing = policy.pause_statuses if policy is not None else DEFAULT_PAUSE_STATUSES
        clock.running = ticket.status in OPEN_STATUSES and ticket.status not in pausing
        sla_clock.schedule(clock, calendar=snapshot.calendar_for(policy))
        _store(ticket, clock, policy=policy, snapshot=snapshot)
        if (previous.id if previous else None) != (policy.id if policy else None):
            events.ticket_sla_applied_event(
                ticket=ticket,
                actor=None,
                policy_name=policy.name if policy else "",
                previous_name=previous.name if previous else "",
            )
        ticket.save(update_fields=SLA_FIELDS)
        rows = [_mark_row(ticket, crossing, now=crossing.at) for crossing in found]
        for row in rows:
            if row.kind == SlaMark.Kind.ESCALATION:
                row.done_at = now
        SlaMark.objects.bulk_create(rows)
        TicketEvent.objects.bulk_create(
            events.sla_crossing_event_row(
                ticket=ticket,
                metric=crossing.metric,
                kind=crossing.kind,
                at=crossing.at,
                due_at=crossing.due_at or crossing.at,
                cycle=crossing.cycle,
                now=crossing.at,
            )
            for crossing in found
            if crossing.kind != sla_clock.ESCALATION
        )
    return ticket


def _mark_row(ticket: Ticket, crossing: sla_clock.Crossing, *, now: datetime.datetime) -> SlaMark:
    """An unsaved mark of one crossing, with who had the request then."""
    return SlaMark(
        organization_id=ticket.organization_id,
        ticket_id=ticket.pk,
        key=crossing.key,
        metric=crossing.metric,
        cycle=crossing.cycle,
        kind=crossing.kind,
        rule_id=crossing.rule_id,
        policy_id=ticket.sla_policy_id,
        team_id=ticket.team_id,
        assignee_id=ticket.assignee_id,
        due_at=crossing.at,
        recorded_at=now,
    )


# --- Bringing open requests up to a changed configuration ---


def sla_configuration_apply(*, seconds: float = 5.0, batch_size: int = 200) -> int:
    """Re-match and reschedule the open requests of organizations whose SLA configuration
    changed, for at most about `seconds`; progress is kept, so the next run carries on."""
    deadline = time.monotonic() + seconds
    refreshed = 0
    pending = SlaConfiguration.objects.filter(applied_version__lt=F("version")).values_list(
        "pk", flat=True
    )
    for configuration_id in list(pending):
        while time.monotonic() < deadline:
            count, finished = _configuration_apply_batch(
                configuration_id=configuration_id, batch_size=batch_size
            )
            refreshed += count
            if finished:
                break
    return refreshed


@transaction.atomic
def _configuration_apply_batch(*, configuration_id: int, batch_size: int) -> tuple[int, bool]:
    """Bring the next batch of one organization's open requests up to its configuration."""
    configuration = SlaConfiguration.objects.select_for_update().get(pk=configuration_id)
    if configuration.applied_version >= configuration.version:
        return 0, True
    if configuration.applying_version != configuration.version:
        configuration.applying_version = configuration.version
        configuration.applied_through_id = 0
    snapshot = sla_snapshot(organization_id=configuration.organization_id)
    tickets = list(
        Ticket.objects.select_for_update(of=("self",))
        .select_related("customer")
        .filter(
            organization_id=configuration.organization_id,
            is_open=True,
            pk__gt=configuration.applied_through_id,
        )
        .order_by("pk")[:batch_size]
    )
    now = timezone.now()
    for ticket in tickets:
        sla_apply(ticket=ticket, changes={REMATCH}, actor=None, now=now, snapshot=snapshot)
        ticket.save(update_fields=SLA_FIELDS)
    finished = len(tickets) < batch_size
    if tickets:
        configuration.applied_through_id = tickets[-1].pk
    if finished:
        configuration.applied_version = configuration.applying_version
    configuration.save(update_fields=["applied_version", "applying_version", "applied_through_id"])
    return len(tickets), finished
