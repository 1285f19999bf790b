"""The SLA sweep: record every warning, breach and escalation that fell due, each once.

It needs no business arithmetic: each request's clock stores the instants it crosses and an
indexed column says when the next one falls due, so a sweep reads only what is due now.
"""

import datetime
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from aftercare.lib.realtime import organization_group, publish_on_commit
from aftercare.sla import clock as sla_clock
from aftercare.sla.selectors import SlaSnapshot, sla_snapshot
from aftercare.tickets import events
from aftercare.tickets.escalation.models import SlaMark
from aftercare.tickets.models import Ticket, TicketEvent

# What the sweep reads of each request falling due: no model instances, no calendar.
_SWEEP_COLUMNS = (
    "id",
    "number",
    "organization__ticket_prefix",
    "organization_id",
    "sla_policy_id",
    "team_id",
    "assignee_id",
    "sla_clock",
    "sla_state",
)
_EVENT_FIELDS = ("organization", "ticket", "kind", "actor", "data", "is_public", "created_at")
_MARK_FIELDS = (
    "organization",
    "ticket",
    "key",
    "metric",
    "cycle",
    "kind",
    "rule",
    "policy",
    "team",
    "assignee",
    "due_at",
    "recorded_at",
)


@dataclass
class SweepResult:
    """What one sweep recorded."""

    tickets: int = 0
    warnings: int = 0
    breaches: int = 0
    escalations: int = 0
    escalation_mark_ids: list[int] = field(default_factory=list)
    # (ticket id, kind, metric, due ISO, key) of crossings the assignee (or team) is told of.
    to_tell: list[tuple] = field(default_factory=list)


# Crossings per notice task.
NOTICE_CHUNK = 500


def sla_sweep(*, now: datetime.datetime | None = None, batch_size: int = 1000) -> SweepResult:
    """Record every warning, breach and escalation due by `now`, each once, in batches.

    Safe to run twice or concurrently: each request is locked (skipping those another sweep
    holds) and its clock says what was already recorded; the unique mark key backs that up.
    A burst (every request of a weekend warning when the office opens) is written with one
    statement per table and batch: the ORM's per-object work would cost more than the SQL.
    """
    now = now or timezone.now()
    result = SweepResult()
    snapshots: dict[int, SlaSnapshot] = {}
    while True:
        with transaction.atomic():
            rows = list(
                Ticket.objects.filter(sla_next_check_at__lte=now)
                .order_by("sla_next_check_at", "id")
                .select_for_update(skip_locked=True)
                .values_list(*_SWEEP_COLUMNS)[:batch_size]
            )
            if not rows:
                break
            _sweep_batch(rows, now=now, snapshots=snapshots, result=result)
        if len(rows) < batch_size:
            break
    if result.escalation_mark_ids:
        from aftercare.tickets.tasks import sla_escalations_run_task

        ids = list(result.escalation_mark_ids)
        transaction.on_commit(partial(sla_escalations_run_task.enqueue, mark_ids=ids))
    if result.to_tell:
        # Telling assignees is the task worker's work: the sweep only records (a burst of
        # thousands of warnings would otherwise hold it up writing their notices).
        from aftercare.tickets.tasks import sla_crossings_notify_task

        for start in range(0, len(result.to_tell), NOTICE_CHUNK):
            chunk = [list(row) for row in result.to_tell[start : start + NOTICE_CHUNK]]
            transaction.on_commit(partial(sla_crossings_notify_task.enqueue, crossings=chunk))
    return result


def _insert_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows (values already adapted for the database) with one executemany."""
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Only identifiers from the model's own metadata are formatted in; values are parameters.
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _sweep_batch(
    rows: list[tuple],
    *,
    now: datetime.datetime,
    snapshots: dict[int, SlaSnapshot],
    result: SweepResult,
) -> None:
    """Cross the thresholds of one locked batch and write events, marks and clocks at once."""
    # The backend's own adapters, called directly: the fields' get_db_prep_save adds checks
    # that cost more than the statement itself at thousands of rows.
    adapt_instant = connection.ops.adapt_datetimefield_value
    adapt_json = connection.ops.adapt_json_value

    def instant(value):
        return adapt_instant(value) if value is not None else None

    def as_json(value):
        return adapt_json(value, None)

    recorded_at = instant(now)
    notice_window = datetime.timedelta(minutes=settings.SLA_NOTICE_MAX_AGE_MINUTES)
    event_rows: list[tuple] = []
    mark_rows: list[tuple] = []
    escalations: list[SlaMark] = []
    updates: list[tuple] = []
    crossed: list[tuple] = []
    to_tell = result.to_tell
    for pk, number, prefix, organization_id, policy_id, team_id, assignee_id, stored, state in rows:
        snapshot = snapshots.get(organization_id)
        if snapshot is None:
            snapshot = snapshots[organization_id] = sla_snapshot(organization_id=organization_id)
        if not stored:
            updates.append((None, state, None, pk))
            continue
        clock = sla_clock.Clock.from_json(stored)
        found = sla_clock.crossings(clock, now=now, rules=snapshot.timings, policy_id=policy_id)
        next_at = sla_clock.next_check(clock, rules=snapshot.timings, policy_id=policy_id)
        new_state = sla_clock.state(clock)
        updates.append(
            (
                as_json(clock.to_json()),
                new_state,
                instant(next_at),
                pk,
            )
        )
        result.tickets += 1
        for crossing in found:
            if crossing.kind == sla_clock.ESCALATION:
                result.escalations += 1
                escalations.append(
                    SlaMark(
                        organization_id=organization_id,
                        ticket_id=pk,
                        key=crossing.key,
                        metric=crossing.metric,
                        cycle=crossing.cycle,
                        kind=crossing.kind,
                        rule_id=crossing.rule_id,
                        policy_id=policy_id,
                        team_id=team_id,
                        assignee_id=assignee_id,
                        due_at=crossing.at,
                        recorded_at=now,
                    )
                )
                continue
            if crossing.kind == sla_clock.WARNING:
                result.warnings += 1
                kind = TicketEvent.Kind.SLA_WARNING
            else:
                result.breaches += 1
                kind = TicketEvent.Kind.SLA_BREACHED
            mark_rows.append(
                (
                    organization_id,
                    pk,
                    crossing.key,
                    crossing.metric,
                    crossing.cycle,
                    crossing.kind,
                    None,
                    policy_id,
                    team_id,
                    assignee_id,
                    instant(crossing.at),
                    recorded_at,
                )
            )
            data = events.sla_crossing_data(
                metric=crossing.metric,
                at=crossing.at,
                due_at=crossing.due_at or crossing.at,
                cycle=crossing.cycle,
            )
            event_rows.append(
                (
                    organization_id,
                    pk,
                    kind,
                    None,
                    as_json(data),
                    False,
                    recorded_at,
                )
            )
            crossed.append(
                (
                    organization_id,
                    pk,
                    Ticket.format_reference(prefix, number),
                    new_state,
                    crossing.kind,
                )
            )
            # The assignee (or, with none, the team) hears of a crossing as it happens; one
            # found late (a backlog after downtime, a first sweep) is recorded and shown, not
            # mailed by the thousand.
            waits_on = assignee_id is not None or team_id is not None
            if waits_on and now - crossing.at <= notice_window:
                due = crossing.due_at or crossing.at
                to_tell.append((pk, crossing.kind, crossing.metric, due.isoformat(), crossing.key))
    _insert_rows(TicketEvent, _EVENT_FIELDS, event_rows)
    _insert_rows(SlaMark, _MARK_FIELDS, mark_rows)
    # Escalation marks are few, and their ids go to the task that acts on them.
    created = SlaMark.objects.bulk_create(escalations)
    result.escalation_mark_ids += [mark.pk for mark in created if mark.pk]
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(Ticket._meta.db_table)} SET {quote('sla_clock')} = %s, "  # noqa: S608
        f"{quote('sla_state')} = %s, {quote('sla_next_check_at')} = %s WHERE {quote('id')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, updates)
    _announce(crossed)


LIVE_TICKETS_MAX = 200


def _announce(crossed: list[tuple]) -> None:
    """Tell each organization's console pages, once this batch commits, what crossed."""
    if not crossed:
        return
    # One reverse() for the batch: the request id is the only part of the path that changes.
    placeholder = 2**62
    url = reverse("tickets:by_id", args=[placeholder]).replace(str(placeholder), "{}")
    per_organization: dict[int, dict[int, dict]] = {}
    for organization_id, pk, reference, state, kind in crossed:
        rows = per_organization.setdefault(organization_id, {})
        if pk in rows:
            # A breach is the news when a late sweep records the warning too.
            rows[pk]["crossing"] = (
                sla_clock.BREACH if kind == sla_clock.BREACH else rows[pk]["crossing"]
            )
            continue
        if len(rows) >= LIVE_TICKETS_MAX:
            continue
        rows[pk] = {
            "id": pk,
            "reference": reference,
            "state": state,
            "crossing": kind,
            "url": url.format(pk),
        }
    for organization_id, rows in per_organization.items():
        publish_on_commit(
            organization_group(organization_id), {"type": "sla", "tickets": list(rows.values())}
        )
