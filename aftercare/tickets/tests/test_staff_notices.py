"""Staff hear of their own work: a request given to them, their customer's answer, a mention in
a note, an SLA at risk or missed; each can be turned off. Customers are reminded of a request
waiting on them after the organization's business hours, once per wait, and can unsubscribe
from reminders with one click."""

import urllib.parse

import pytest
from django.core import mail
from django.test import Client

from aftercare.lib.vocabulary import Status
from aftercare.notifications.models import (
    CustomerPreference,
    Notice,
    NotificationSettings,
    StaffPreference,
)
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.escalation.sweep import sla_sweep
from aftercare.tickets.models import Ticket
from aftercare.tickets.notices import notify_waiting_reminders
from aftercare.tickets.services import ticket_assign, ticket_message_add, ticket_status_change
from aftercare.tickets.tests.factories import make_ticket


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture
def clock(clock, monkeypatch):
    """The tickets' clock, also stamping the timeline's events (their default was bound to the
    real clock when the model was defined)."""
    from aftercare.tickets.models import TicketEvent

    monkeypatch.setattr(TicketEvent._meta.get_field("created_at"), "_get_default", clock)
    return clock


def _to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def test_an_agent_hears_of_a_request_given_to_them_not_of_one_they_took(
    org, customer, bob_agent, sam_supervisor, run
):
    ticket = run(lambda: make_ticket(organization=org, customer=customer))
    run(lambda: ticket_assign(ticket=ticket, assignee=bob_agent, actor=sam_supervisor))
    [given] = _to(bob_agent)
    assert given.subject == f"[{ticket.reference}] Assigned to you: {ticket.subject}"
    assert "Sam" in given.body and f"/requests/{ticket.number}/" in given.body
    notice = Notice.objects.get(event=Notice.Event.ASSIGNED)
    assert (notice.user, notice.customer) == (bob_agent, None)

    other = run(lambda: make_ticket(organization=org, customer=customer))
    run(lambda: ticket_assign(ticket=other, assignee=bob_agent, actor=bob_agent))
    assert len(_to(bob_agent)) == 1


def test_the_assignee_hears_the_customers_answer_and_a_mention_in_a_note(
    org, customer, bob_agent, sam_supervisor, alice_admin, run
):
    ticket = run(lambda: make_ticket(organization=org, customer=customer, assignee=bob_agent))
    mail.outbox.clear()
    run(
        lambda: ticket_message_add(
            ticket=ticket, kind=MessageKind.CUSTOMER, body="It leaks again.", actor=None
        )
    )
    [answer] = _to(bob_agent)
    assert "replied" in answer.subject and "It leaks again." in answer.body

    local = sam_supervisor.email.split("@")[0]
    run(
        lambda: ticket_message_add(
            ticket=ticket,
            kind=MessageKind.NOTE,
            body=f"@{local} can you approve a new pump? cc @{alice_admin.email} @nobody",
            actor=bob_agent,
        )
    )
    [mention] = _to(sam_supervisor)
    assert "mentioned you" in mention.subject and "approve a new pump" in mention.body
    assert len(_to(alice_admin)) == 1
    # The customer hears nothing of internal notes, nor of their own answer.
    assert not [m for m in mail.outbox if m.to == [ticket.contact_email]]


def test_a_member_who_turned_an_event_off_is_not_told(
    org, customer, bob_agent, sam_supervisor, run
):
    StaffPreference.objects.create(
        organization=org, user=bob_agent, event=Notice.Event.ASSIGNED, email=False
    )
    ticket = run(lambda: make_ticket(organization=org, customer=customer))
    run(lambda: ticket_assign(ticket=ticket, assignee=bob_agent, actor=sam_supervisor))
    assert _to(bob_agent) == []
    assert not Notice.objects.filter(user=bob_agent).exists()


def test_the_assignee_hears_of_an_sla_at_risk_and_missed_once(
    org, customer, bob_agent, standard, clock, run
):
    ticket = run(lambda: make_ticket(organization=org, customer=customer, assignee=bob_agent))
    clock.advance(minutes=95)  # 75 % of the 2 business hours for the first response
    run(sla_sweep)
    clock.advance(minutes=30)
    run(sla_sweep)
    run(sla_sweep)
    subjects = [message.subject for message in _to(bob_agent)]
    assert subjects == [
        f"[{ticket.reference}] Assigned to you: {ticket.subject}",
        f"[{ticket.reference}] SLA at risk: {ticket.subject}",
        f"[{ticket.reference}] SLA breached: {ticket.subject}",
    ]
    assert "First response" in _to(bob_agent)[1].body


def _waiting(org, customer, bob_agent, run):
    ticket = run(lambda: make_ticket(organization=org, customer=customer, language="en"))
    run(lambda: ticket_status_change(ticket=ticket, status=Status.OPEN, actor=bob_agent))
    run(
        lambda: ticket_status_change(ticket=ticket, status=Status.PENDING_CUSTOMER, actor=bob_agent)
    )
    return ticket


def test_a_request_waiting_on_the_customer_reminds_them_once_after_business_hours(
    org, customer, bob_agent, iran_calendar, clock, run
):
    NotificationSettings.objects.create(organization=org, reminder_hours=8)
    ticket = _waiting(org, customer, bob_agent, run)  # Sunday 09:00 Tehran
    clock.advance(hours=7, minutes=50)
    assert run(notify_waiting_reminders) == 0
    # Sunday's working day ends at 16:00 after 7 hours; the 8th is Monday 08:00-09:00.
    clock.advance(hours=16)  # Monday 08:50
    assert run(notify_waiting_reminders) == 0
    clock.advance(minutes=20)
    assert run(notify_waiting_reminders) == 1
    assert run(notify_waiting_reminders) == 0
    reminder = mail.outbox[-1]
    assert reminder.subject.startswith(f"[{ticket.reference}] Still waiting for your answer")
    assert reminder.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # One click in the mail client turns reminders off; the next wait reminds nobody.
    url = reminder.extra_headers["List-Unsubscribe"].strip("<>")
    response = Client(enforce_csrf_checks=True).post(
        urllib.parse.urlsplit(url).path, {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert CustomerPreference.objects.get(customer=customer).allowed is False
    run(lambda: ticket_status_change(ticket=ticket, status=Status.OPEN, actor=bob_agent))
    run(
        lambda: ticket_status_change(ticket=ticket, status=Status.PENDING_CUSTOMER, actor=bob_agent)
    )
    clock.advance(days=3)
    assert run(notify_waiting_reminders) == 0
    # Updates on the request itself still reach them.
    assert mail.outbox[-1].subject.startswith(f"[{ticket.reference}] Waiting for your answer")


def test_no_reminder_when_the_organization_turned_them_off(org, customer, bob_agent, clock, run):
    NotificationSettings.objects.create(organization=org, reminder_hours=0)
    _waiting(org, customer, bob_agent, run)
    clock.advance(days=10)
    assert run(notify_waiting_reminders) == 0


def test_reminders_are_transactional_mails_apart_from_their_unsubscribe(org, customer, run):
    ticket = run(lambda: make_ticket(organization=org, customer=customer))
    assert "List-Unsubscribe" not in mail.outbox[-1].extra_headers
    assert ticket.pk


def test_an_unsubscribe_link_for_another_organization_or_forged_changes_nothing(
    org, other_org, customer, bob_agent, iran_calendar, clock, run
):
    NotificationSettings.objects.create(organization=org, reminder_hours=1)
    _waiting(org, customer, bob_agent, run)
    clock.advance(days=2)
    run(notify_waiting_reminders)
    path = urllib.parse.urlsplit(mail.outbox[-1].extra_headers["List-Unsubscribe"][1:-1]).path
    foreign = path.replace(f"/portal/{org.slug}/", f"/portal/{other_org.slug}/")
    for bad in (foreign, path[:-5] + "xxxx/"):
        assert Client().post(bad).status_code == 404
    assert not CustomerPreference.objects.exists()
    assert Client().get(path).status_code == 200  # the page asks; a visit changes nothing
    assert not CustomerPreference.objects.exists()


def test_a_template_is_previewed_on_a_real_request_of_the_organization_only(
    org, other_org, customer, other_customer, admin_client, bob_agent, run
):
    from django.urls import reverse

    from aftercare.lib.testing import text_of

    ticket = run(lambda: make_ticket(organization=org, customer=customer))
    run(
        lambda: ticket_message_add(
            ticket=ticket, kind=MessageKind.REPLY, body="Bring the receipt.", actor=bob_agent
        )
    )
    foreign = run(lambda: make_ticket(organization=other_org, customer=other_customer))
    url = reverse("notifications:template_edit", args=["replied", "en"])
    body = "{{ agent }} wrote on {{ reference }} for {{ name }}."

    shown = text_of(
        admin_client.post(url, {"action": "preview", "body": body, "number": ticket.number})
    )
    assert f"{bob_agent.display_name} wrote on {ticket.reference} for {customer.name}." in shown
    assert "Bring the receipt." in shown

    other = Ticket.objects.filter(organization=org).count() + 5
    for number in (other, foreign.number + 1000):
        refused = admin_client.post(url, {"action": "preview", "body": body, "number": number})
        assert refused.status_code == 422
        assert 'data-testid="error-number"' in text_of(refused)


def test_crossings_found_long_after_they_happened_are_recorded_not_mailed(
    org, customer, bob_agent, standard, clock, run
):
    from aftercare.tickets.models import TicketEvent

    ticket = run(lambda: make_ticket(organization=org, customer=customer, assignee=bob_agent))
    clock.advance(hours=8)  # the sweep was down: warning and breach are hours old
    run(sla_sweep)
    assert TicketEvent.objects.filter(ticket=ticket, kind="sla_breached").exists()
    assert [m.subject for m in _to(bob_agent)] == [
        f"[{ticket.reference}] Assigned to you: {ticket.subject}"
    ]
