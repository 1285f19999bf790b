"""API v1 for agents: presence, capacity, skills and load."""

from aftercare.tickets.agents.models import AgentProfile
from aftercare.tickets.tests.factories import make_ticket


def test_agents_presence_capacity_and_skills(org, manager_api, agent_api, bob_agent, team):
    make_ticket(organization=org, assignee=bob_agent)
    listed = manager_api.get("/agents/")
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
    changed = manager_api.patch(
        f"/agents/{bob_agent.pk}", {"capacity": 5, "languages": ["fa", "tr"]}
    )
    assert changed.status == 200
    assert (changed.body["capacity"], changed.body["languages"]) == (5, ["fa", "tr"])
    bad = manager_api.patch(f"/agents/{bob_agent.pk}", {"languages": ["de"]})
    assert (bad.status, bad.field) == (422, "languages.0")
    profile = AgentProfile.objects.get(user=bob_agent)
    assert (profile.presence, profile.capacity, profile.languages) == ("away", 5, ["fa", "tr"])
