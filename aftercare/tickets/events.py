"""Timeline and audit rows for a request; written inside the same transaction as the change."""

from aftercare.accounts.models import User
from aftercare.tickets.models import Ticket, TicketEvent, TicketMessage


def _event(
    *, ticket: Ticket, kind: str, actor: User | None, data: dict, is_public: bool = False
) -> TicketEvent:
    return TicketEvent.objects.create(
        organization_id=ticket.organization_id,
        ticket=ticket,
        kind=kind,
        actor=actor,
        data=data,
        is_public=is_public,
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


def ticket_assigned_event(
    *, ticket: Ticket, actor: User | None, previous: User | None
) -> TicketEvent:
    """The assignee changed."""
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
