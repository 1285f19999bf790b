"""The routing rules' settings pages."""

from django.urls import reverse

from aftercare.accounts.models import Team
from aftercare.lib.testing import text_of
from aftercare.tickets.routing.models import RoutingRule


def test_create_and_edit_a_routing_rule_and_team_assignment(supervisor_client, org, team):
    response = supervisor_client.post(
        reverse("tickets:settings_routing_create"),
        {"name": "Persian chats", "team": str(team.pk), "languages": ["fa"], "channels": ["chat"]},
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    assert (rule.languages, rule.channels, rule.team) == (["fa"], ["chat"], team)
    listing = text_of(supervisor_client.get(reverse("tickets:settings_routing")))
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
