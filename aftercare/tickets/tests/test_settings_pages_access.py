"""The SLA page and the escalation, routing and agents settings together: who may open them,
other organizations' ids, and flat query counts."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.accounts.services import team_create
from aftercare.lib.testing import text_of
from aftercare.sla.models import EscalationRule
from aftercare.sla.services import escalation_rule_create
from aftercare.tickets.agents.models import AgentProfile
from aftercare.tickets.agents.services import agent_profile_update
from aftercare.tickets.routing.services import routing_rule_create
from aftercare.tickets.tests.factories import make_ticket


def test_only_managers_see_the_sla_dashboard_and_settings(agent_client, viewer_client, team):
    for client in (agent_client, viewer_client):
        for name in (
            "tickets:sla",
            "sla:settings_escalation",
            "tickets:settings_routing",
            "tickets:settings_agents",
        ):
            assert client.get(reverse(name)).status_code == 403
    assert 'data-testid="nav-sla"' not in text_of(agent_client.get(reverse("tickets:queue")))


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
    assert "Bob Agent" not in text_of(outsider_client.get(reverse("tickets:settings_agents")))
    assert "Call centre" not in text_of(outsider_client.get(reverse("tickets:sla")))


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
