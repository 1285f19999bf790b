"""API v1 for escalation and routing rules, agents and teams together: roles, other
organizations' ids, and flat query counts."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.accounts.models import Team
from aftercare.sla.services import escalation_rule_create
from aftercare.tickets.routing.services import routing_rule_create


def test_agent_and_routing_lists_have_flat_query_counts(org, manager_api, team):
    from aftercare.accounts.models import Membership
    from aftercare.accounts.services import membership_create, user_create

    # One of each first: Django skips a prefetch query when there are no rows to prefetch for.
    from aftercare.tickets.agents.services import agent_profile_update

    agent_profile_update(organization=org, user=team.members.get(), languages=["fa"])
    routing_rule_create(organization=org, name="First", team=team)
    escalation_rule_create(organization=org, name="First", threshold="breach", notify_assignee=True)
    manager_api.get("/agents/")
    with CaptureQueriesContext(connection) as few:
        manager_api.get("/agents/")
        manager_api.get("/routing-rules/")
        manager_api.get("/escalation-rules/")
    for index in range(6):
        user = user_create(email=f"a{index}@demo.example", password="x" * 12)
        membership_create(organization=org, user=user, role=Membership.Role.AGENT)
        agent_profile_update(organization=org, user=user, languages=["tr"])
        routing_rule_create(organization=org, name=f"R{index}", team=team, kinds=["repair"])
        escalation_rule_create(
            organization=org, name=f"E{index}", threshold="breach", notify_assignee=True
        )
    with CaptureQueriesContext(connection) as many:
        manager_api.get("/agents/")
        manager_api.get("/routing-rules/")
        manager_api.get("/escalation-rules/")
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
