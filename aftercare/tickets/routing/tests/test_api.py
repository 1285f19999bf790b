"""API v1 for routing rules."""

from aftercare.tickets.routing.models import RoutingRule


def test_routing_rules_over_http(org, manager_api, team):
    created = manager_api.post(
        "/routing-rules/",
        {"name": "Turkish", "team_id": team.pk, "languages": ["tr"], "channels": ["email"]},
    )
    assert created.status == 201
    assert created.body["team"] == {"id": team.pk, "name": "Call centre"}
    bad = manager_api.post("/routing-rules/", {"name": "X", "team_id": 999999})
    assert (bad.status, bad.field) == (422, "team_id")
    moved = manager_api.patch(
        f"/routing-rules/{created.body['id']}", {"position": 1, "languages": []}
    )
    assert (moved.status, moved.body["position"], moved.body["languages"]) == (200, 1, [])
    assert RoutingRule.objects.count() == 1
