"""Timeline and audit rows for a request; written inside the same transaction as the change."""

import time

from django.urls import reverse

from aftercare.accounts.models import User
from aftercare.lib.realtime import (
    organization_group,
    publish_collected_on_commit,
    publish_on_commit,
    user_group,
)
from aftercare.tickets import notices
from aftercare.tickets.models import Ticket, TicketEvent, TicketMessage


def _event(
    *, ticket: Ticket, kind: str, actor: User | None, data: dict, is_public: bool = False
) -> TicketEvent:
    if kind != TicketEvent.Kind.WORK:
        ticket_change_announce(ticket=ticket)
    return TicketEvent.objects.create(
        organization_id=ticket.organization_id,
        ticket=ticket,
        kind=kind,
        actor=actor,
        data=data,
        is_public=is_public,
    )


def ticket_change_announce(*, ticket: Ticket) -> None:
    """Tell the organization's open queue pages, once the transaction commits, that the request
    is new or changed: one event per transaction for all the requests it changed, with what a
    queue filters on (as the request is at the commit). Every member of staff of the
    organization may see every one of its requests; nobody else hears of it. No query."""

    def describe() -> dict:
        return {
            "id": ticket.pk,
            "status": ticket.status,
            "open": ticket.is_open,
            "assignee": ticket.assignee_id,
            "team": ticket.team_id,
            "priority": ticket.priority,
            "kind": ticket.kind,
            "sla": ticket.sla_state,
        }

    publish_collected_on_commit(
        organization_group(ticket.organization_id), "queue", ticket.pk, describe
    )


def ticket_created_event(*, ticket: Ticket, actor: User | None) -> TicketEvent:
    """The request was opened."""
    return _event(
        ticket=ticket,
        kind=TicketEvent.Kind.CREATED,
        actor=actor,
        data={"channel": ticket.channel, "number": ticket.number},
        is_public=True,
    )


def ticket_status_changed_event(
    *, ticket: Ticket, actor: User | None, previous: str, reason: str = ""
) -> TicketEvent:
    """The status moved; the customer sees it."""
    return _event(
        ticket=ticket,
        kind=TicketEvent.Kind.STATUS_CHANGED,
        actor=actor,
        data={"from": previous, "to": ticket.status, "reason": reason},
        is_public=True,
    )


def ticket_reopened_event(*, ticket: Ticket, actor: User | None, previous: str) -> TicketEvent:
    """A customer reply reopened a resolved request."""
    return _event(
        ticket=ticket,
        kind=TicketEvent.Kind.REOPENED,
        actor=actor,
        data={"from": previous, "to": ticket.status},
        is_public=True,
    )


def ticket_assignment_announce(*, ticket: Ticket, actor: User | None) -> None:
    """Tell the new assignee's console pages, once committed, unless they did it themselves."""
    if ticket.assignee_id is None or (actor is not None and actor.pk == ticket.assignee_id):
        return
    key = f"ticket:{ticket.pk}:assigned:{ticket.assignee_id}:{time.time_ns()}"
    notices.notify_assigned(ticket, actor, key=key)
    publish_on_commit(
        user_group(ticket.organization_id, ticket.assignee_id),
        {
            "type": "assigned",
            "id": ticket.pk,
            "reference": ticket.reference,
            "subject": ticket.subject,
            "url": reverse("tickets:detail", args=[ticket.number]),
        },
    )


def ticket_assigned_event(
    *, ticket: Ticket, actor: User | None, previous: User | None
) -> TicketEvent:
    """The assignee changed."""
    ticket_assignment_announce(ticket=ticket, actor=actor)
    return _event(
        ticket=ticket,
        kind=TicketEvent.Kind.ASSIGNED,
        actor=actor,
        data={
            "from": previous.pk if previous else None,
            "from_name": previous.display_name if previous else "",
            "to": ticket.assignee_id,
            "to_name": ticket.assignee.display_name if ticket.assignee else "",
        },
    )


def ticket_team_changed_event(
    *, ticket: Ticket, actor: User | None, previous_id: int | None, previous_name: str
) -> TicketEvent:
    """The team changed."""
    return _event(
        ticket=ticket,
        kind=TicketEvent.Kind.TEAM_CHANGED,
        actor=actor,
        data={
            "from": previous_id,
            "from_name": previous_name,
            "to": ticket.team_id,
            "to_name": ticket.team.name if ticket.team else "",
        },
    )


def ticket_priority_changed_event(
    *, ticket: Ticket, actor: User | None, previous: int
) -> TicketEvent:
    """The priority changed."""
    return _event(
        ticket=ticket,
        kind=TicketEvent.Kind.PRIORITY_CHANGED,
        actor=actor,
        data={"from": previous, "to": ticket.priority},
    )


def ticket_fields_changed_event(
    *, ticket: Ticket, actor: User | None, changes: dict[str, list]
) -> TicketEvent:
    """Form fields changed: {field: [old, new]}."""
    return _event(
        ticket=ticket, kind=TicketEvent.Kind.FIELDS_CHANGED, actor=actor, data={"changes": changes}
    )


def ticket_tags_changed_event(
    *, ticket: Ticket, actor: User | None, added: list[str], removed: list[str]
) -> TicketEvent:
    """Tags were added or removed."""
    return _event(
        ticket=ticket,
        kind=TicketEvent.Kind.TAGS_CHANGED,
        actor=actor,
        data={"added": added, "removed": removed},
    )


def ticket_message_added_event(
    *, ticket: Ticket, actor: User | None, message: TicketMessage
) -> TicketEvent:
    """A message, reply, note or call was recorded (audit; the timeline shows the message)."""
    return _event(
        ticket=ticket,
        kind=TicketEvent.Kind.MESSAGE_ADDED,
        actor=actor,
        data={"message_id": message.pk, "message_kind": message.kind},
    )


def ticket_attachment_added_event(
    *, ticket: Ticket, actor: User | None, attachment_id: int, filename: str
) -> TicketEvent:
    """A file was attached."""
    return _event(
        ticket=ticket,
        kind=TicketEvent.Kind.ATTACHMENT_ADDED,
        actor=actor,
        data={"attachment_id": attachment_id, "filename": filename},
    )


def ticket_confirmed_event(*, ticket: Ticket, actor: User | None) -> TicketEvent:
    """The customer confirmed the resolution."""
    return _event(
        ticket=ticket, kind=TicketEvent.Kind.CONFIRMED, actor=actor, data={}, is_public=True
    )


def ticket_sla_applied_event(
    *, ticket: Ticket, actor: User | None, policy_name: str, previous_name: str
) -> TicketEvent:
    """Another SLA policy (or none) now applies to the request."""
    return _event(
        ticket=ticket,
        kind=TicketEvent.Kind.SLA_APPLIED,
        actor=actor,
        data={
            "policy_id": ticket.sla_policy_id,
            "policy": policy_name,
            "from": previous_name,
            "first_response_due_at": _iso(ticket.first_response_due_at),
            "next_response_due_at": _iso(ticket.next_response_due_at),
            "resolution_due_at": _iso(ticket.resolution_due_at),
        },
    )


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def sla_crossing_data(*, metric: str, at, due_at, cycle: int) -> dict:
    """What a warning or breach event records: when it happened and when the target is due."""
    return {"metric": metric, "at": _iso(at), "due_at": _iso(due_at), "cycle": cycle}


def sla_crossing_event_row(
    *, ticket: Ticket, metric: str, kind: str, at, due_at, cycle: int, now
) -> TicketEvent:
    """An unsaved warning or breach event, for writing many at once."""
    return TicketEvent(
        organization_id=ticket.organization_id,
        ticket_id=ticket.pk,
        kind=TicketEvent.Kind.SLA_WARNING if kind == "warning" else TicketEvent.Kind.SLA_BREACHED,
        actor=None,
        data=sla_crossing_data(metric=metric, at=at, due_at=due_at, cycle=cycle),
        created_at=now,
    )


def ticket_escalated_event(
    *,
    ticket: Ticket,
    rule_id: int,
    rule_name: str,
    level: int,
    metric: str,
    threshold: str,
    actions: list[str],
    notified: list[str],
) -> TicketEvent:
    """An escalation rule acted on the request."""
    return _event(
        ticket=ticket,
        kind=TicketEvent.Kind.ESCALATED,
        actor=None,
        data={
            "rule_id": rule_id,
            "rule": rule_name,
            "level": level,
            "metric": metric,
            "threshold": threshold,
            "actions": actions,
            "notified": notified,
        },
    )


def work_event(
    *, ticket: Ticket, actor: User | None, action: str, data: dict, is_public: bool
) -> TicketEvent:
    """Repair work on the request (a work order's stage, quote, parts, visit...): `action` says
    what, `data` the values its sentence is written with (described through
    `hooks.work_event_describers`)."""
    return _event(
        ticket=ticket,
        kind=TicketEvent.Kind.WORK,
        actor=actor,
        data={"action": action, **data},
        is_public=is_public,
    )


def ticket_routed_event(
    *, ticket: Ticket, rule_name: str, team_name: str, assignee_name: str, method: str
) -> TicketEvent:
    """Routing chose the request's team and, maybe, its agent."""
    return _event(
        ticket=ticket,
        kind=TicketEvent.Kind.ROUTED,
        actor=None,
        data={
            "rule": rule_name,
            "team": team_name,
            "assignee": assignee_name,
            "method": method,
        },
    )


def ticket_merged_event(
    *, ticket: Ticket, actor: User | None, into: Ticket | None = None, merged: list | None = None
) -> TicketEvent:
    """A duplicate was merged into another request (`into`), or requests were merged into this
    one (`merged`); the customer sees both."""
    if into is not None:
        data = {"into_id": into.pk, "into": into.reference}
    else:
        data = {"merged": [{"id": other.pk, "reference": other.reference} for other in merged]}
    return _event(
        ticket=ticket, kind=TicketEvent.Kind.MERGED, actor=actor, data=data, is_public=True
    )
