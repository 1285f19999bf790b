"""A request's SLA targets as the ticket page shows them, read from its stored clock."""

import datetime
from dataclasses import dataclass

from aftercare.sla import clock as sla_clock
from aftercare.sla.models import Metric
from aftercare.tickets.models import Ticket


@dataclass(frozen=True)
class TargetRow:
    """One target of the request's policy: how long it allows and where it stands."""

    metric: str
    label: str
    seconds: int
    state: str  # running, warning, breached, paused, met, missed, waiting
    due_at: datetime.datetime | None
    warned_at: datetime.datetime | None
    breached_at: datetime.datetime | None
    met_at: datetime.datetime | None
    cycle: int


def sla_targets(ticket: Ticket) -> list[TargetRow]:
    """The targets the request's policy sets, in the order they usually come due."""
    if not ticket.sla_clock or ticket.sla_policy_id is None:
        return []
    clock = sla_clock.Clock.from_json(ticket.sla_clock)
    rows = []
    for metric in sla_clock.METRICS:
        target = clock.targets[metric]
        if target.seconds is None:
            continue
        if not target.cycle:
            state = "waiting"
        elif not target.active:
            state = "missed" if target.breached_at else "met"
        elif target.breached_at:
            state = "breached"
        elif not clock.running:
            state = "paused"
        elif target.warned_at:
            state = "warning"
        else:
            state = "running"
        rows.append(
            TargetRow(
                metric=metric,
                label=str(Metric(metric).label),
                seconds=target.seconds,
                state=state,
                due_at=target.due_at,
                warned_at=target.warned_at,
                breached_at=target.breached_at,
                met_at=target.met_at,
                cycle=target.cycle,
            )
        )
    return rows
