"""SLA badges and countdowns in the queue and on the request page, and the SLA page."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from aftercare.lib.testing import text_of
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.escalation.sweep import sla_sweep
from aftercare.tickets.services import ticket_message_add
from aftercare.tickets.tests.factories import make_ticket


def test_queue_shows_sla_badges_countdowns_and_the_at_risk_tab(agent_client, org, fast):
    late = make_ticket(organization=org, subject="Late one")
    fine = make_ticket(organization=org, subject="Fine one")
    sla_sweep(now=timezone.now() + timedelta(minutes=50))  # the warning of both
    ticket_message_add(ticket=fine, kind=MessageKind.REPLY, body="On it", actor=None)
    html = text_of(agent_client.get(reverse("tickets:queue") + "?queue=open"))
    late_row = html[html.index(f'data-ticket-id="{late.pk}"') :]
    late_row = late_row[: late_row.index("</tr>")]
    assert 'data-sla-state="warning"' in late_row
    assert "left" in late_row and "data-countdown=" in late_row
    at_risk = text_of(agent_client.get(reverse("tickets:queue") + "?queue=at_risk"))
    assert re.findall(r'data-testid="queue-row" data-ticket-id="(\d+)"', at_risk) == [str(late.pk)]
    filtered = text_of(agent_client.get(reverse("tickets:queue") + "?queue=open&sla=running"))
    assert re.findall(r'data-testid="queue-row" data-ticket-id="(\d+)"', filtered) == [str(fine.pk)]
    by_due = agent_client.get(reverse("tickets:queue") + "?queue=open&sort=sla_due")
    assert by_due.status_code == 200


def test_ticket_page_shows_each_target(agent_client, org, fast, bob_agent):
    ticket = make_ticket(organization=org)
    ticket_message_add(ticket=ticket, kind=MessageKind.REPLY, body="Looking", actor=bob_agent)
    html = text_of(agent_client.get(reverse("tickets:detail", args=[ticket.number])))
    card = html[html.index('data-testid="sla-card"') :]
    assert "Policy: Fast" in card
    states = dict(re.findall(r'data-metric="(\w+)" data-state="(\w+)"', card))
    assert states == {"first_response": "met", "resolution": "running"}
    assert "SLA policy Fast now applies" in html


def test_ticket_page_in_persian_shows_jalali_due_times(client_for_fa, org, fast):
    ticket = make_ticket(organization=org)
    html = text_of(client_for_fa.get(reverse("tickets:detail", args=[ticket.number])))
    card = html[html.index('data-testid="sla-card"') :]
    assert "۱۴۰۵/" in card  # a Jalali year in Persian digits
    assert "مانده" in card  # "%(time)s left"


@pytest.fixture
def client_for_fa(bob_agent):
    from aftercare.lib.testing import client_for

    client = client_for(bob_agent)
    client.cookies["aftercare_language"] = "fa"
    return client


def test_sla_dashboard_counts_by_team(supervisor_client, org, fast, team):
    breached = make_ticket(organization=org, team=team)
    make_ticket(organization=org, team=team)
    sla_sweep(now=timezone.now() + timedelta(minutes=61))
    make_ticket(organization=org)
    html = text_of(supervisor_client.get(reverse("tickets:sla")))
    assert re.search(r'data-testid="sla-open">\s*3<', html)
    assert re.search(r'data-testid="sla-breached">\s*2<', html)
    row = html[html.index(f'data-team-id="{team.pk}"') :]
    row = row[: row.index("</tr>")]
    assert [cell.strip() for cell in re.findall(r'class="text-end[^"]*">([^<]*)<', row)] == [
        "2",
        "0",
        "2",
        "2",
    ]
    assert breached.team == team
    assert (
        text_of(supervisor_client.get(reverse("tickets:sla") + "?days=30")).count("sla-team-row")
        == 2
    )
