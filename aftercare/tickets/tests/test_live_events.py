"""What the console's live channel hears of requests (issue 13): an open queue is told once per
transaction, after the commit, which requests of its organization are new or changed, with what
it filters on, at no cost in statements; staff notices about requests land in the bells of the
people they concern, the team's members too when an SLA is at risk on a request waiting in it."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from aftercare.accounts.services import membership_create, team_create, user_create
from aftercare.lib import realtime
from aftercare.lib.vocabulary import Priority, Status
from aftercare.notifications.models import ConsoleNotice, Notice, StaffPreference
from aftercare.tickets import events
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.escalation.sweep import sla_sweep
from aftercare.tickets.services import (
    ticket_assign,
    ticket_message_add,
    ticket_status_change,
    ticket_update,
)
from aftercare.tickets.tests.factories import make_ticket


@pytest.fixture
def published(monkeypatch):
    """What was published, as (group, event), in order."""
    sent = []
    monkeypatch.setattr(realtime, "publish", lambda group, event: sent.append((group, event)))
    return sent


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def _queue_events(published, organization):
    group = realtime.organization_group(organization.pk)
    return [event for to, event in published if to == group and event["type"] == "queue"]


def test_a_new_request_is_told_to_its_organizations_queues_once_after_the_commit(
    org, other_org, customer, bob_agent, team, published, run
):
    ticket = run(
        lambda: make_ticket(
            organization=org, customer=customer, team=team, assignee=bob_agent, tags=["pump"]
        )
    )
    [event] = _queue_events(published, org)
    assert event == {
        "type": "queue",
        "items": [
            {
                "id": ticket.pk,
                "status": "new",
                "open": True,
                "assignee": bob_agent.pk,
                "team": team.pk,
                "priority": Priority.NORMAL,
                "kind": "repair",
                "sla": ticket.sla_state,
            }
        ],
    }
    assert _queue_events(published, other_org) == []
    # Nothing of a request reaches another organization's group, nor any user's as a queue.
    assert {group for group, _event in published} <= {
        realtime.organization_group(org.pk),
        realtime.user_group(org.pk, bob_agent.pk),
    }


@pytest.mark.parametrize(
    "change",
    [
        lambda t, actor, other: ticket_status_change(ticket=t, status=Status.OPEN, actor=actor),
        lambda t, actor, other: ticket_assign(ticket=t, assignee=other, actor=actor),
        lambda t, actor, other: ticket_update(ticket=t, actor=actor, priority=Priority.URGENT),
        lambda t, actor, other: ticket_message_add(
            ticket=t, kind=MessageKind.CUSTOMER, body="Still broken.", actor=None
        ),
    ],
    ids=["status", "assignment", "priority", "customer message"],
)
def test_each_change_of_a_request_is_one_queue_event(
    org, customer, bob_agent, sam_supervisor, published, run, change
):
    ticket = run(lambda: make_ticket(organization=org, customer=customer))
    published.clear()
    changed = run(lambda: change(ticket, sam_supervisor, bob_agent))
    [event] = _queue_events(published, org)
    [item] = event["items"]
    assert item["id"] == ticket.pk
    ticket.refresh_from_db()
    assert (item["status"], item["assignee"], item["priority"]) == (
        ticket.status,
        ticket.assignee_id,
        ticket.priority,
    )
    assert changed is not None


def test_many_changes_in_one_transaction_are_one_event_and_a_rollback_is_none(
    org, customer, bob_agent, published, run
):
    first = run(lambda: make_ticket(organization=org, customer=customer))
    second = run(lambda: make_ticket(organization=org, customer=customer))
    published.clear()

    def both():
        with transaction.atomic():
            for ticket in (first, second):
                ticket_status_change(ticket=ticket, status=Status.OPEN, actor=bob_agent)
                ticket_assign(ticket=ticket, assignee=bob_agent, actor=bob_agent)

    run(both)
    [event] = _queue_events(published, org)
    assert [(item["id"], item["status"], item["assignee"]) for item in event["items"]] == [
        (first.pk, "open", bob_agent.pk),
        (second.pk, "open", bob_agent.pk),
    ]

    published.clear()

    def rolled_back():
        with pytest.raises(RuntimeError), transaction.atomic():
            ticket_status_change(ticket=first, status=Status.ON_HOLD, actor=bob_agent)
            raise RuntimeError("no")

    run(rolled_back)
    assert published == []


def test_telling_the_queues_costs_no_statement(org, customer, bob_agent, monkeypatch, run):
    ticket = run(lambda: make_ticket(organization=org, customer=customer))

    def statements(status: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            run(lambda: ticket_status_change(ticket=ticket, status=status, actor=bob_agent))
        return len(queries)

    with_events = statements(Status.OPEN)
    monkeypatch.setattr(events, "ticket_change_announce", lambda *, ticket: None)
    without = statements(Status.ON_HOLD)
    assert with_events == without


def test_a_request_given_to_an_agent_lands_in_their_bell_with_a_link_to_it(
    org, customer, bob_agent, sam_supervisor, published, run
):
    StaffPreference.objects.create(
        organization=org, user=bob_agent, event=Notice.Event.ASSIGNED, email=False
    )
    ticket = run(lambda: make_ticket(organization=org, customer=customer, subject="Oven"))
    run(lambda: ticket_assign(ticket=ticket, assignee=bob_agent, actor=sam_supervisor))
    bell = ConsoleNotice.objects.get(user=bob_agent)
    assert (bell.event, bell.ticket_id, bell.context["reference"]) == (
        "assigned",
        ticket.pk,
        ticket.reference,
    )
    assert bell.path.startswith("/requests/") and bell.path.endswith("/")
    assert bell.sentence == f"{ticket.reference} was given to you: Oven"
    assert not Notice.objects.filter(user=bob_agent).exists()
    [(group, event)] = [pair for pair in published if pair[1]["type"] == "notices"]
    assert group == realtime.user_group(org.pk, bob_agent.pk)
    assert [item["id"] for item in event["items"]] == [bell.pk]


def test_an_sla_at_risk_on_a_request_waiting_in_a_team_reaches_its_members_bells(
    org, customer, bob_agent, sam_supervisor, standard, clock, run
):
    gone = user_create(email="gone@demo.example", password="x" * 12)
    membership_create(organization=org, user=gone, role="agent")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    desk = team_create(organization=org, name="Desk", members=[bob_agent, sam_supervisor, gone])
    waiting = run(lambda: make_ticket(organization=org, customer=customer, team=desk))
    assert waiting.assignee_id is None
    clock.advance(minutes=95)  # 75 % of the 2 business hours for the first response
    run(sla_sweep)
    notices = ConsoleNotice.objects.filter(ticket_id=waiting.pk).order_by("user_id")
    assert [(n.user_id, n.event) for n in notices] == [
        (bob_agent.pk, "sla_warning"),
        (sam_supervisor.pk, "sla_warning"),
    ]
    assert notices[0].sentence == (
        f"{waiting.reference} is at risk of missing its SLA: {waiting.subject}"
    )
    # In the bell, not by email: a team's every member would be mailed for each.
    assert not Notice.objects.filter(event="sla_warning").exists()
    run(sla_sweep)
    assert ConsoleNotice.objects.filter(ticket_id=waiting.pk).count() == 2
