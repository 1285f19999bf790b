"""Console pages for SLAs, presence, escalation, routing and agents, through the HTTP client."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftercare.accounts.models import Team
from aftercare.accounts.services import team_create
from aftercare.lib.testing import field_error
from aftercare.sla.models import EscalationRule
from aftercare.sla.services import escalation_rule_create, sla_policy_create
from aftercare.tickets.agents.models import AgentProfile
from aftercare.tickets.agents.services import agent_profile_update
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.escalation.sweep import sla_sweep
from aftercare.tickets.routing.models import RoutingRule
from aftercare.tickets.routing.services import routing_rule_create
from aftercare.tickets.services import ticket_message_add
from aftercare.tickets.tests.factories import make_ticket


@pytest.fixture
def team(org, bob_agent):
    return team_create(organization=org, name="Call centre", members=[bob_agent])


@pytest.fixture
def fast(org):
    return sla_policy_create(
        organization=org, name="Fast", first_response_minutes=60, resolution_minutes=600
    )


def _html(response) -> str:
    return response.content.decode()


def test_queue_shows_sla_badges_countdowns_and_the_at_risk_tab(agent_client, org, fast):
    late = make_ticket(organization=org, subject="Late one")
    fine = make_ticket(organization=org, subject="Fine one")
    sla_sweep(now=timezone.now() + timedelta(minutes=50))  # the warning of both
    ticket_message_add(ticket=fine, kind=MessageKind.REPLY, body="On it", actor=None)
    html = _html(agent_client.get(reverse("tickets:queue") + "?queue=open"))
    late_row = html[html.index(f'data-ticket-id="{late.pk}"') :]
    late_row = late_row[: late_row.index("</tr>")]
    assert 'data-sla-state="warning"' in late_row
    assert "left" in late_row and "data-countdown=" in late_row
    at_risk = _html(agent_client.get(reverse("tickets:queue") + "?queue=at_risk"))
    assert re.findall(r'data-testid="queue-row" data-ticket-id="(\d+)"', at_risk) == [str(late.pk)]
    filtered = _html(agent_client.get(reverse("tickets:queue") + "?queue=open&sla=running"))
    assert re.findall(r'data-testid="queue-row" data-ticket-id="(\d+)"', filtered) == [str(fine.pk)]
    by_due = agent_client.get(reverse("tickets:queue") + "?queue=open&sort=sla_due")
    assert by_due.status_code == 200


def test_ticket_page_shows_each_target(agent_client, org, fast, bob_agent):
    ticket = make_ticket(organization=org)
    ticket_message_add(ticket=ticket, kind=MessageKind.REPLY, body="Looking", actor=bob_agent)
    html = _html(agent_client.get(reverse("tickets:detail", args=[ticket.pk])))
    card = html[html.index('data-testid="sla-card"') :]
    assert "Policy: Fast" in card
    states = dict(re.findall(r'data-metric="(\w+)" data-state="(\w+)"', card))
    assert states == {"first_response": "met", "resolution": "running"}
    assert "SLA policy Fast now applies" in html


def test_ticket_page_in_persian_shows_jalali_due_times(client_for_fa, org, fast):
    ticket = make_ticket(organization=org)
    html = _html(client_for_fa.get(reverse("tickets:detail", args=[ticket.pk])))
    card = html[html.index('data-testid="sla-card"') :]
    assert "۱۴۰۵/" in card  # a Jalali year in Persian digits
    assert "مانده" in card  # "%(time)s left"


@pytest.fixture
def client_for_fa(bob_agent):
    from aftercare.lib.testing import client_for

    client = client_for(bob_agent)
    client.cookies["aftercare_language"] = "fa"
    return client


def test_presence_switch_goes_away_and_back(agent_client, org, bob_agent):
    page = _html(agent_client.get(reverse("tickets:queue")))
    assert 'data-presence="available"' in page
    response = agent_client.post(
        reverse("tickets:presence"), {"presence": "away", "next": "/?queue=mine"}
    )
    assert (response.status_code, response["Location"]) == (302, "/?queue=mine")
    assert AgentProfile.objects.get(user=bob_agent).presence == "away"
    assert 'data-presence="away"' in _html(agent_client.get(reverse("tickets:queue")))
    elsewhere = agent_client.post(
        reverse("tickets:presence"), {"presence": "available", "next": "https://evil.example/"}
    )
    assert elsewhere["Location"] == reverse("tickets:queue")
    assert AgentProfile.objects.get(user=bob_agent).presence == "available"
    bad = agent_client.post(reverse("tickets:presence"), {"presence": "asleep"})
    assert bad.status_code == 302
    assert AgentProfile.objects.get(user=bob_agent).presence == "available"


def test_viewers_have_no_presence(viewer_client):
    assert 'data-testid="presence-form"' not in _html(viewer_client.get(reverse("tickets:queue")))
    assert viewer_client.post(reverse("tickets:presence"), {"presence": "away"}).status_code == 403


def test_sla_dashboard_counts_by_team(supervisor_client, org, fast, team):
    breached = make_ticket(organization=org, team=team)
    make_ticket(organization=org, team=team)
    sla_sweep(now=timezone.now() + timedelta(minutes=61))
    make_ticket(organization=org)
    html = _html(supervisor_client.get(reverse("tickets:sla")))
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
        _html(supervisor_client.get(reverse("tickets:sla") + "?days=30")).count("sla-team-row") == 2
    )


def test_only_managers_see_the_sla_dashboard_and_settings(agent_client, viewer_client, team):
    for client in (agent_client, viewer_client):
        for name in (
            "tickets:sla",
            "sla:settings_escalation",
            "tickets:settings_routing",
            "tickets:settings_agents",
        ):
            assert client.get(reverse(name)).status_code == 403
    assert 'data-testid="nav-sla"' not in _html(agent_client.get(reverse("tickets:queue")))


def test_create_and_edit_an_escalation_rule(supervisor_client, org, fast, team, sam_supervisor):
    response = supervisor_client.post(
        reverse("sla:settings_escalation_create"),
        {
            "name": "Breach: call centre",
            "level": "2",
            "threshold": "breach",
            "metric": "resolution",
            "delay_minutes": "30",
            "policies": [str(fast.pk)],
            "notify_supervisors": "on",
            "notify_user": str(sam_supervisor.pk),
            "reassign_team": str(team.pk),
            "raise_priority_to": "4",
        },
    )
    assert response.status_code == 302
    rule = EscalationRule.objects.get()
    assert (rule.level, rule.metric, rule.delay_minutes, rule.reassign_team) == (
        2,
        "resolution",
        30,
        team,
    )
    assert list(rule.policies.all()) == [fast]
    listing = _html(supervisor_client.get(reverse("sla:settings_escalation")))
    assert f'data-rule-id="{rule.pk}"' in listing and "30 min later" in listing
    edit = reverse("sla:settings_escalation_edit", args=[rule.pk])
    response = supervisor_client.post(
        edit,
        {
            "name": "Breach: call centre",
            "level": "2",
            "threshold": "warning",
            "delay_minutes": "0",
            "notify_assignee": "on",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.threshold, rule.reassign_team, rule.notify_supervisors, rule.is_active) == (
        "warning",
        None,
        False,
        False,
    )


def test_an_escalation_rule_without_action_is_refused(supervisor_client):
    response = supervisor_client.post(
        reverse("sla:settings_escalation_create"),
        {"name": "Nothing", "level": "1", "threshold": "breach", "delay_minutes": "0"},
    )
    assert response.status_code == 422
    assert "at least one action" in field_error(response, "notify_supervisors")
    assert not EscalationRule.objects.exists()


def test_create_and_edit_a_routing_rule_and_team_assignment(supervisor_client, org, team):
    response = supervisor_client.post(
        reverse("tickets:settings_routing_create"),
        {"name": "Persian chats", "team": str(team.pk), "languages": ["fa"], "channels": ["chat"]},
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    assert (rule.languages, rule.channels, rule.team) == (["fa"], ["chat"], team)
    listing = _html(supervisor_client.get(reverse("tickets:settings_routing")))
    conditions = listing[listing.index('data-testid="routing-conditions"') :]
    assert "Persian" in conditions[:400] and "Live chat" in conditions[:400]
    bad = supervisor_client.post(reverse("tickets:settings_routing_create"), {"name": "No team"})
    assert bad.status_code == 422
    assert RoutingRule.objects.count() == 1
    team_edit = reverse("console:settings_team_edit", args=[team.pk])
    response = supervisor_client.post(
        team_edit,
        {
            "name": team.name,
            "members": [str(team.members.get().pk)],
            "is_active": "on",
            "assignment": "least_open",
        },
    )
    assert response.status_code == 302
    assert Team.objects.get(pk=team.pk).assignment == "least_open"


def test_edit_an_agents_capacity_and_skills(supervisor_client, org, bob_agent, team):
    url = reverse("tickets:settings_agent_edit", args=[bob_agent.pk])
    response = supervisor_client.post(
        url, {"presence": "away", "capacity": "6", "languages": ["fa", "kk"]}
    )
    assert response.status_code == 302
    profile = AgentProfile.objects.get(user=bob_agent)
    assert (profile.presence, profile.capacity, profile.languages) == ("away", 6, ["fa", "kk"])
    listing = _html(supervisor_client.get(reverse("tickets:settings_agents")))
    row = listing[listing.index(f'data-user-id="{bob_agent.pk}"') :]
    assert "Away" in row[: row.index("</tr>")]
    bad = supervisor_client.post(url, {"presence": "away", "capacity": "-3"})
    assert bad.status_code == 422
    assert AgentProfile.objects.get(user=bob_agent).capacity == 6


def test_another_organizations_rules_and_agents_answer_404(outsider_client, org, team, bob_agent):
    escalation = escalation_rule_create(
        organization=org, name="E", threshold="breach", notify_assignee=True
    )
    routing = routing_rule_create(organization=org, name="R", team=team)
    urls = [
        reverse("sla:settings_escalation_edit", args=[escalation.pk]),
        reverse("tickets:settings_routing_edit", args=[routing.pk]),
        reverse("tickets:settings_agent_edit", args=[bob_agent.pk]),
    ]
    for url in urls:
        assert outsider_client.get(url).status_code == 404, url
        assert outsider_client.post(url, {"name": "Stolen", "presence": "away"}).status_code == 404
    assert not AgentProfile.objects.filter(user=bob_agent, presence="away").exists()
    assert EscalationRule.objects.get().name == "E"
    assert "Bob Agent" not in _html(outsider_client.get(reverse("tickets:settings_agents")))
    assert "Call centre" not in _html(outsider_client.get(reverse("tickets:sla")))


def test_sla_and_routing_pages_keep_flat_query_counts(
    supervisor_client, org, fast, team, bob_agent
):
    def counts() -> tuple:
        result = []
        for name in (
            "tickets:sla",
            "sla:settings_escalation",
            "tickets:settings_routing",
            "tickets:settings_agents",
        ):
            with CaptureQueriesContext(connection) as queries:
                assert supervisor_client.get(reverse(name)).status_code == 200
            result.append(len(queries))
        return tuple(result)

    agent_profile_update(organization=org, user=bob_agent, languages=["fa"])
    escalation_rule_create(organization=org, name="E0", threshold="breach", notify_user=bob_agent)
    routing_rule_create(organization=org, name="R0", team=team, kinds=["repair"])
    make_ticket(organization=org, team=team, assignee=bob_agent)
    few = counts()
    for index in range(1, 6):
        other = team_create(organization=org, name=f"T{index}", members=[bob_agent])
        escalation_rule_create(
            organization=org, name=f"E{index}", threshold="warning", reassign_team=other
        )
        routing_rule_create(organization=org, name=f"R{index}", team=other, languages=["tr"])
        make_ticket(organization=org, team=other, assignee=bob_agent)
    assert counts() == few
