"""Escalations through the real services: what each rule does, once, and the notices it sends,
once, however often the sweep and the notify task run."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from aftercare.accounts.models import Membership
from aftercare.accounts.services import membership_create, team_create, user_create
from aftercare.lib.testing import PASSWORD
from aftercare.lib.vocabulary import Priority
from aftercare.notifications.models import Notice, StaffPreference
from aftercare.sla.services import escalation_rule_create
from aftercare.tickets.escalation.models import SlaMark
from aftercare.tickets.escalation.services import escalation_notify, escalation_run
from aftercare.tickets.escalation.sweep import sla_sweep
from aftercare.tickets.models import TicketEvent
from aftercare.tickets.tasks import sla_escalation_notify_task
from aftercare.tickets.tests.factories import make_ticket

TEHRAN = ZoneInfo("Asia/Tehran")


def _to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def _events(ticket, kind):
    return list(TicketEvent.objects.filter(ticket=ticket, kind=kind).order_by("id"))


def test_escalation_notifies_moves_and_raises_priority(
    org, clock, standard, sam_supervisor, bob_agent, alice_admin, django_capture_on_commit_callbacks
):
    experts = team_create(organization=org, name="Experts")
    escalation_rule_create(
        organization=org, name="Tell the supervisors", threshold="breach", notify_supervisors=True
    )
    escalation_rule_create(
        organization=org,
        name="An hour later: experts, urgent",
        threshold="breach",
        delay_minutes=60,
        level=2,
        reassign_team=experts,
        raise_priority_to=Priority.HIGH,
        metric="first_response",
    )
    ticket = make_ticket(organization=org, assignee=bob_agent)
    clock.set(datetime(2026, 5, 3, 11, 1, tzinfo=TEHRAN))
    with django_capture_on_commit_callbacks(execute=True):
        result = sla_sweep()
    assert (result.breaches, result.escalations) == (1, 1)
    (notice,) = _to(sam_supervisor)
    assert ticket.reference in notice.subject and "Escalated to you" in notice.subject
    assert "http://127.0.0.1:8000/requests/" in notice.body
    # The assignee hears of the breach itself.
    assert any("SLA breached" in message.subject for message in _to(bob_agent))
    (escalated,) = _events(ticket, TicketEvent.Kind.ESCALATED)
    assert escalated.data["actions"] == ["notify"]
    assert escalated.data["notified"] == [sam_supervisor.display_name]
    ticket.refresh_from_db()
    assert ticket.team_id is None and ticket.priority == Priority.NORMAL

    clock.set(datetime(2026, 5, 3, 12, 1, tzinfo=TEHRAN))
    with django_capture_on_commit_callbacks(execute=True):
        assert sla_sweep().escalations == 1
    ticket.refresh_from_db()
    assert (ticket.team, ticket.assignee, ticket.priority) == (experts, None, Priority.HIGH)
    second = _events(ticket, TicketEvent.Kind.ESCALATED)[-1]
    assert second.data["actions"] == ["raise_priority", "reassign_team"]
    assert second.data["level"] == 2
    assert len(_to(sam_supervisor)) == 1
    # Nothing is done twice, however often the sweep and the escalations run.
    with django_capture_on_commit_callbacks(execute=True):
        sla_sweep()
    assert escalation_run() == 0
    assert len(_events(ticket, TicketEvent.Kind.ESCALATED)) == 2
    assert not SlaMark.objects.filter(ticket=ticket, kind="escalation", done_at__isnull=True)


@pytest.fixture
def breached(org, clock, standard, sam_supervisor, django_capture_on_commit_callbacks):
    """A request that breached its first response, escalated to two supervisors by email."""
    second = user_create(email="sara@demo.example", password=PASSWORD, full_name="Sara Second")
    membership_create(organization=org, user=second, role=Membership.Role.SUPERVISOR)
    escalation_rule_create(
        organization=org, name="Tell the supervisors", threshold="breach", notify_supervisors=True
    )
    ticket = make_ticket(organization=org)
    clock.set(datetime(2026, 5, 3, 11, 1, tzinfo=TEHRAN))
    return ticket, [sam_supervisor, second]


def test_running_the_notify_task_again_sends_nothing_twice(
    breached, django_capture_on_commit_callbacks
):
    ticket, supervisors = breached
    with django_capture_on_commit_callbacks(execute=True):
        assert sla_sweep().escalations == 1
    assert [len(_to(user)) for user in supervisors] == [1, 1]
    mark = SlaMark.objects.get(ticket=ticket, kind=SlaMark.Kind.ESCALATION)
    user_ids = [user.pk for user in supervisors]

    # The task is retried, or enqueued a second time: each person still gets one email.
    with django_capture_on_commit_callbacks(execute=True):
        assert escalation_notify(mark_id=mark.pk, user_ids=user_ids) == 0
        sla_escalation_notify_task.enqueue(mark_id=mark.pk, user_ids=user_ids)
    assert [len(_to(user)) for user in supervisors] == [1, 1]
    escalated = Notice.objects.filter(ticket_id=ticket.pk, event=Notice.Event.ESCALATED)
    assert sorted(escalated.values_list("user_id", flat=True)) == sorted(user_ids)
    assert set(escalated.values_list("state", flat=True)) == {Notice.State.SENT}


def test_a_supervisor_who_turned_escalations_off_is_not_told(
    org, breached, django_capture_on_commit_callbacks
):
    ticket, supervisors = breached
    StaffPreference.objects.create(
        organization=org, user=supervisors[0], event=Notice.Event.ESCALATED, email=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert sla_sweep().escalations == 1
    assert [len(_to(user)) for user in supervisors] == [0, 1]
