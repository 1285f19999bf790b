"""The presence switch and the agents' settings pages."""

from django.urls import reverse

from aftercare.lib.testing import text_of
from aftercare.tickets.agents.models import AgentProfile


def test_presence_switch_goes_away_and_back(agent_client, org, bob_agent):
    page = text_of(agent_client.get(reverse("tickets:queue")))
    assert 'data-presence="available"' in page
    response = agent_client.post(
        reverse("tickets:presence"), {"presence": "away", "next": "/?queue=mine"}
    )
    assert (response.status_code, response["Location"]) == (302, "/?queue=mine")
    assert AgentProfile.objects.get(user=bob_agent).presence == "away"
    assert 'data-presence="away"' in text_of(agent_client.get(reverse("tickets:queue")))
    elsewhere = agent_client.post(
        reverse("tickets:presence"), {"presence": "available", "next": "https://evil.example/"}
    )
    assert elsewhere["Location"] == reverse("tickets:queue")
    assert AgentProfile.objects.get(user=bob_agent).presence == "available"
    bad = agent_client.post(reverse("tickets:presence"), {"presence": "asleep"})
    assert bad.status_code == 302
    assert AgentProfile.objects.get(user=bob_agent).presence == "available"


def test_viewers_have_no_presence(viewer_client):
    assert 'data-testid="presence-form"' not in text_of(viewer_client.get(reverse("tickets:queue")))
    assert viewer_client.post(reverse("tickets:presence"), {"presence": "away"}).status_code == 403


def test_edit_an_agents_capacity_and_skills(supervisor_client, org, bob_agent, team):
    url = reverse("tickets:settings_agent_edit", args=[bob_agent.pk])
    response = supervisor_client.post(
        url, {"presence": "away", "capacity": "6", "languages": ["fa", "kk"]}
    )
    assert response.status_code == 302
    profile = AgentProfile.objects.get(user=bob_agent)
    assert (profile.presence, profile.capacity, profile.languages) == ("away", 6, ["fa", "kk"])
    listing = text_of(supervisor_client.get(reverse("tickets:settings_agents")))
    row = listing[listing.index(f'data-user-id="{bob_agent.pk}"') :]
    assert "Away" in row[: row.index("</tr>")]
    bad = supervisor_client.post(url, {"presence": "away", "capacity": "-3"})
    assert bad.status_code == 422
    assert AgentProfile.objects.get(user=bob_agent).capacity == 6
