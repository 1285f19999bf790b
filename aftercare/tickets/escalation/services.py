"""Escalations: carry out what the rule of each recorded escalation says, once."""

from functools import partial

from django.db import transaction
from django.utils import timezone

from aftercare.accounts.models import Membership, Team, User
from aftercare.tickets import events, notices
from aftercare.tickets.escalation.models import SlaMark
from aftercare.tickets.models import Ticket
from aftercare.tickets.services.requests import ticket_update


def escalation_run(*, mark_ids: list[int] | None = None, limit: int = 500) -> int:
    """Carry out pending escalations (those given, or the oldest); return how many were done."""
    pending = SlaMark.objects.filter(kind=SlaMark.Kind.ESCALATION, done_at__isnull=True)
    if mark_ids is not None:
        pending = pending.filter(pk__in=mark_ids)
    done = 0
    for mark_id in list(pending.order_by("recorded_at", "id").values_list("pk", flat=True)[:limit]):
        if _escalation_apply(mark_id=mark_id):
            done += 1
    return done


def _notify_recipients(*, rule, ticket: Ticket) -> list[User]:
    """Who an escalation tells: supervisors (admins if there are none), the assignee, a person."""
    recipients: dict[int, User] = {}
    if rule.notify_supervisors:
        staff = Membership.objects.filter(
            organization_id=ticket.organization_id,
            is_active=True,
            user__is_active=True,
            role__in=[Membership.Role.SUPERVISOR, Membership.Role.ADMIN],
        ).select_related("user")
        supervisors = [m.user for m in staff if m.role == Membership.Role.SUPERVISOR]
        if not supervisors:
            supervisors = [m.user for m in staff if m.role == Membership.Role.ADMIN]
        recipients.update({user.pk: user for user in supervisors})
    if rule.notify_assignee and ticket.assignee is not None:
        recipients[ticket.assignee.pk] = ticket.assignee
    if rule.notify_user_id is not None and rule.notify_user.is_active:
        recipients[rule.notify_user_id] = rule.notify_user
    return sorted(recipients.values(), key=lambda user: user.pk)


@transaction.atomic
def _escalation_apply(*, mark_id: int) -> bool:
    """Do what one escalation's rule says, record it on the timeline, and mark it done."""
    # Tasks import the services: imported here, where it runs, not when this module loads.
    from aftercare.tickets.tasks import sla_escalation_notify_task

    mark = (
        SlaMark.objects.select_for_update(of=("self",))
        .select_related("rule", "rule__notify_user", "rule__reassign_team")
        .filter(pk=mark_id, done_at__isnull=True)
        .first()
    )
    if mark is None:
        return False
    rule = mark.rule
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("organization", "assignee", "team", "customer")
        .get(pk=mark.ticket_id)
    )
    now = timezone.now()
    actions: list[str] = []
    recipients: list[User] = []
    if ticket.is_open and rule is not None and rule.is_active:
        if rule.raise_priority_to is not None and ticket.priority < rule.raise_priority_to:
            ticket = ticket_update(ticket=ticket, actor=None, priority=rule.raise_priority_to)
            actions.append("raise_priority")
        team: Team | None = rule.reassign_team
        if team is not None and team.is_active and ticket.team_id != team.pk:
            ticket = ticket_update(ticket=ticket, actor=None, team=team, assignee=None)
            actions.append("reassign_team")
        recipients = _notify_recipients(rule=rule, ticket=ticket)
        if recipients:
            actions.append("notify")
        events.ticket_escalated_event(
            ticket=ticket,
            rule_id=rule.pk,
            rule_name=rule.name,
            level=rule.level,
            metric=mark.metric,
            threshold=rule.threshold,
            actions=actions,
            notified=[user.display_name for user in recipients],
        )
    mark.done_at = now
    mark.save(update_fields=["done_at"])
    if recipients:
        transaction.on_commit(
            partial(
                sla_escalation_notify_task.enqueue,
                mark_id=mark.pk,
                user_ids=[user.pk for user in recipients],
            )
        )
    return True


def escalation_notify(*, mark_id: int, user_ids: list[int]) -> int:
    """Queue a notice for each person an escalation tells, in their language, once (however
    often the task runs: each notice's key names the escalation and the person); they are sent,
    retried and logged like every notice. Returns how many were queued now."""
    mark = SlaMark.objects.select_related("ticket__organization", "ticket__customer").filter(
        pk=mark_id
    )
    mark = mark.first()
    if mark is None:
        return 0
    users = list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))
    with transaction.atomic():
        return notices.notify_escalated(
            mark.ticket, users, mark_id=mark.pk, metric=mark.metric, due=mark.due_at
        )
