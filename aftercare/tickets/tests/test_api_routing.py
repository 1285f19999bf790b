"""API v1 for escalation and routing rules, agents, teams, the SLA summary and SLA on requests."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftercare.accounts.models import Team
from aftercare.accounts.services import api_token_create, team_create
from aftercare.api.tests.client import ApiClient
from aftercare.sla.models import EscalationRule
from aftercare.sla.services import escalation_rule_create, sla_policy_create
from aftercare.tickets.agents.models import AgentProfile
from aftercare.tickets.escalation.sweep import sla_sweep
from aftercare.tickets.routing.models import RoutingRule
from aftercare.tickets.routing.services import routing_rule_create
from aftercare.tickets.tests.factories import make_customer, make_ticket


def _api(org, user) -> ApiClient:
    _token, key = api_token_create(user=user, organization=org, name="test")
    return ApiClient(key)


@pytest.fixture
def manager(org, sam_supervisor):
    return _api(org, sam_supervisor)


@pytest.fixture
def team(org, bob_agent):
    return team_create(organization=org, name="Call centre", members=[bob_agent])


def test_escalation_rules_over_http(org, manager, team, sam_supervisor):
    policy = sla_policy_create(organization=org, name="Standard", first_response_minutes=60)
    created = manager.post(
        "/escalation-rules/",
        {
            "name": "Breach + 1 h",
            "threshold": "breach",
            "delay_minutes": 60,
            "level": 2,
            "metric": "first_response",
            "policy_ids": [policy.pk],
            "notify_user_id": sam_supervisor.pk,
            "reassign_team_id": team.pk,
            "raise_priority_to": 4,
        },
    )
    assert created.status == 201
    body = created.body
    assert body["notify_user"]["id"] == sam_supervisor.pk
    assert body["reassign_team"] == {"id": team.pk, "name": "Call centre"}
    assert (body["policy_ids"], body["level"], body["delay_minutes"]) == ([policy.pk], 2, 60)
    changed = manager.patch(
        f"/escalation-rules/{body['id']}",
        {"reassign_team_id": None, "notify_supervisors": True, "is_active": False},
    )
    assert changed.status == 200
    assert (changed.body["reassign_team"], changed.body["is_active"]) == (None, False)
    assert [row["id"] for row in manager.get("/escalation-rules/").body] == [body["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "R", "threshold": "breach"}, "notify_supervisors"),
        ({"name": "R", "threshold": "soon", "notify_assignee": True}, "threshold"),
        ({"name": "R", "threshold": "breach", "notify_user_id": 999999}, "notify_user_id"),
        ({"name": "R", "threshold": "breach", "reassign_team_id": 999999}, "reassign_team_id"),
        (
            {"name": "R", "threshold": "breach", "policy_ids": [999999], "notify_assignee": True},
            "policy_ids",
        ),
        ({"name": "R", "threshold": "breach", "raise_priority_to": 9}, "raise_priority_to"),
    ],
)
def test_bad_escalation_rules_name_the_field(manager, body, field):
    answer = manager.post("/escalation-rules/", body)
    assert (answer.status, answer.field) == (422, field)
    assert not EscalationRule.objects.exists()


def test_routing_rules_and_teams_over_http(org, manager, team, bob_agent, alice_admin):
    created = manager.post(
        "/routing-rules/",
        {"name": "Turkish", "team_id": team.pk, "languages": ["tr"], "channels": ["email"]},
    )
    assert created.status == 201
    assert created.body["team"] == {"id": team.pk, "name": "Call centre"}
    bad = manager.post("/routing-rules/", {"name": "X", "team_id": 999999})
    assert (bad.status, bad.field) == (422, "team_id")
    moved = manager.patch(f"/routing-rules/{created.body['id']}", {"position": 1, "languages": []})
    assert (moved.status, moved.body["position"], moved.body["languages"]) == (200, 1, [])
    assert RoutingRule.objects.count() == 1

    auto = manager.patch(
        f"/teams/{team.pk}",
        {"assignment": "least_open", "member_ids": [bob_agent.pk, alice_admin.pk]},
    )
    assert auto.status == 200
    assert auto.body == {"id": team.pk, "name": "Call centre", "assignment": "least_open"}
    assert set(Team.objects.get().members.values_list("pk", flat=True)) == {
        bob_agent.pk,
        alice_admin.pk,
    }
    new = manager.post("/teams/", {"name": "Workshop", "assignment": "round_robin"})
    assert (new.status, new.body["assignment"]) == (201, "round_robin")
    bad_team = manager.post("/teams/", {"name": "X", "assignment": "random"})
    assert (bad_team.status, bad_team.field) == (422, "assignment")


def test_agents_presence_capacity_and_skills(org, manager, agent_api, bob_agent, team):
    make_ticket(organization=org, assignee=bob_agent)
    listed = manager.get("/agents/")
    bob = next(row for row in listed.body if row["user"]["id"] == bob_agent.pk)
    assert (bob["presence"], bob["capacity"], bob["open_count"], bob["team_names"]) == (
        "available",
        None,
        1,
        ["Call centre"],
    )
    # Bob may go away himself; only a manager changes his capacity and skills.
    assert (
        agent_api.patch(f"/agents/{bob_agent.pk}", {"presence": "away"}).body["presence"] == "away"
    )
    assert agent_api.patch(f"/agents/{bob_agent.pk}", {"capacity": 99}).status == 403
    changed = manager.patch(f"/agents/{bob_agent.pk}", {"capacity": 5, "languages": ["fa", "tr"]})
    assert changed.status == 200
    assert (changed.body["capacity"], changed.body["languages"]) == (5, ["fa", "tr"])
    bad = manager.patch(f"/agents/{bob_agent.pk}", {"languages": ["de"]})
    assert (bad.status, bad.field) == (422, "languages.0")
    profile = AgentProfile.objects.get(user=bob_agent)
    assert (profile.presence, profile.capacity, profile.languages) == ("away", 5, ["fa", "tr"])


def test_requests_carry_their_sla_and_the_at_risk_filter(org, agent_api, manager):
    sla_policy_create(organization=org, name="Fast", first_response_minutes=10)
    created = agent_api.post(
        "/tickets/",
        {
            "customer_id": make_customer(organization=org).pk,
            "subject": "S",
            "description": "D",
        },
    )
    assert created.status == 201
    sla = created.body["sla"]
    assert sla["policy"]["name"] == "Fast"
    assert sla["state"] == "running"
    assert sla["first_response_due_at"] == sla["due_at"]
    assert agent_api.get("/tickets/", {"at_risk": "true"}).body["items"] == []
    sla_sweep(now=timezone.now() + timedelta(minutes=11))
    at_risk = agent_api.get("/tickets/", {"at_risk": "true"}).body["items"]
    assert [row["id"] for row in at_risk] == [created.body["id"]]
    assert at_risk[0]["sla"]["state"] == "breached"
    states = agent_api.get("/tickets/", {"sla_state": ["breached"]}).body["items"]
    assert [row["id"] for row in states] == [created.body["id"]]
    summary = manager.get("/sla/summary", {"days": 1}).body
    assert (summary["breached"], summary["breaches_in_period"]) == (1, 1)
    assert summary["teams"] == [
        {
            "team_id": None,
            "team_name": "",
            "open_count": 1,
            "at_risk": 0,
            "breached": 1,
            "breaches_in_period": 1,
        }
    ]


def test_ticket_list_query_count_is_flat_with_sla(org, agent_api):
    sla_policy_create(organization=org, name="Fast", first_response_minutes=10)
    make_ticket(organization=org)
    agent_api.get("/tickets/")
    with CaptureQueriesContext(connection) as one:
        agent_api.get("/tickets/")
    for _ in range(10):
        make_ticket(organization=org)
    with CaptureQueriesContext(connection) as eleven:
        assert len(agent_api.get("/tickets/").body["items"]) == 11
    assert len(eleven) == len(one)


def test_agent_and_routing_lists_have_flat_query_counts(org, manager, team):
    from aftercare.accounts.models import Membership
    from aftercare.accounts.services import membership_create, user_create

    # One of each first: Django skips a prefetch query when there are no rows to prefetch for.
    from aftercare.tickets.agents.services import agent_profile_update

    agent_profile_update(organization=org, user=team.members.get(), languages=["fa"])
    routing_rule_create(organization=org, name="First", team=team)
    escalation_rule_create(organization=org, name="First", threshold="breach", notify_assignee=True)
    manager.get("/agents/")
    with CaptureQueriesContext(connection) as few:
        manager.get("/agents/")
        manager.get("/routing-rules/")
        manager.get("/escalation-rules/")
    for index in range(6):
        user = user_create(email=f"a{index}@demo.example", password="x" * 12)
        membership_create(organization=org, user=user, role=Membership.Role.AGENT)
        agent_profile_update(organization=org, user=user, languages=["tr"])
        routing_rule_create(organization=org, name=f"R{index}", team=team, kinds=["repair"])
        escalation_rule_create(
            organization=org, name=f"E{index}", threshold="breach", notify_assignee=True
        )
    with CaptureQueriesContext(connection) as many:
        manager.get("/agents/")
        manager.get("/routing-rules/")
        manager.get("/escalation-rules/")
    assert len(many) == len(few)


def test_agents_and_viewers_cannot_configure(org, agent_api, viewer_api, team):
    for api in (agent_api, viewer_api):
        assert api.post("/routing-rules/", {"name": "R", "team_id": team.pk}).status == 403
        assert (
            api.post(
                "/escalation-rules/", {"name": "R", "threshold": "breach", "notify_assignee": True}
            ).status
            == 403
        )
        assert api.patch(f"/teams/{team.pk}", {"assignment": "least_open"}).status == 403
    assert viewer_api.get("/sla/summary").status == 200
    assert Team.objects.get().assignment == "manual"


def test_another_organizations_rules_agents_and_teams_answer_404(
    org, outsider_api, team, bob_agent
):
    rule = routing_rule_create(organization=org, name="R", team=team)
    escalation = escalation_rule_create(
        organization=org, name="E", threshold="breach", notify_assignee=True
    )
    assert outsider_api.get(f"/routing-rules/{rule.pk}").status == 404
    assert outsider_api.patch(f"/routing-rules/{rule.pk}", {"name": "X"}).status == 404
    assert outsider_api.get(f"/escalation-rules/{escalation.pk}").status == 404
    assert outsider_api.patch(f"/escalation-rules/{escalation.pk}", {"name": "X"}).status == 404
    assert outsider_api.get(f"/agents/{bob_agent.pk}").status == 404
    assert outsider_api.patch(f"/agents/{bob_agent.pk}", {"presence": "away"}).status == 404
    assert outsider_api.patch(f"/teams/{team.pk}", {"name": "X"}).status == 404
    assert outsider_api.get("/routing-rules/").body == []
    assert all(row["user"]["id"] != bob_agent.pk for row in outsider_api.get("/agents/").body)
    foreign_team = outsider_api.post("/routing-rules/", {"name": "R", "team_id": team.pk})
    assert (foreign_team.status, foreign_team.field) == (422, "team_id")
    assert outsider_api.get("/sla/summary").body["open_count"] == 0
