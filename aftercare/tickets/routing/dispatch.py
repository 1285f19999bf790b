"""Dispatch: give requests waiting in auto-assigning teams to members who can take them now."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from aftercare.accounts.models import Team
from aftercare.tickets import events
from aftercare.tickets.models import Ticket
from aftercare.tickets.routing.services import pick_agent
from aftercare.tickets.services.requests import ticket_assign


def routing_dispatch(*, organization_id: int, team_id: int | None = None, limit: int = 200) -> int:
    """Give waiting requests of auto-assigning teams to members who can take them now.

    The requests closest to their SLA due time go first, then the oldest. Returns how many were
    assigned.
    """
    teams = Team.objects.filter(organization_id=organization_id, is_active=True).exclude(
        assignment=Team.Assignment.MANUAL
    )
    if team_id is not None:
        teams = teams.filter(pk=team_id)
    assigned = 0
    for team in list(teams):
        waiting = list(
            Ticket.objects.filter(
                organization_id=organization_id, team=team, is_open=True, assignee__isnull=True
            )
            .order_by(F("sla_due_at").asc(nulls_last=True), "created_at", "id")
            .values_list("pk", flat=True)[:limit]
        )
        for ticket_id in waiting:
            outcome = _dispatch_one(ticket_id=ticket_id, team_id=team.pk)
            if outcome is None:
                break
            assigned += outcome
    return assigned


@transaction.atomic
def _dispatch_one(*, ticket_id: int, team_id: int) -> int | None:
    """Assign one waiting request if someone can take it: 1, 0 (not this one), None (the team
    has nobody free: stop)."""
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("team", "organization")
        .get(pk=ticket_id)
    )
    if not ticket.is_open or ticket.assignee_id is not None or ticket.team_id != team_id:
        return 0
    pick = pick_agent(ticket=ticket, team=ticket.team, now=timezone.now())
    if pick.profile is None:
        # Nobody fits this one; a later request may need other skills, so go on if anyone is free.
        return 0 if pick.anyone_free else None
    ticket = ticket_assign(ticket=ticket, assignee=pick.profile.user, actor=None)
    events.ticket_routed_event(
        ticket=ticket,
        rule_name="",
        team_name=ticket.team.name,
        assignee_name=pick.profile.user.display_name,
        method=ticket.team.assignment,
    )
    return 1
