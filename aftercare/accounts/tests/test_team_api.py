"""API v1 for teams: list, create, change members and how they assign; roles; others' ids."""

from aftercare.accounts.models import Team


def test_teams_over_http(org, manager_api, team, bob_agent, alice_admin):
    auto = manager_api.patch(
        f"/teams/{team.pk}",
        {"assignment": "least_open", "member_ids": [bob_agent.pk, alice_admin.pk]},
    )
    assert auto.status == 200
    assert auto.body == {"id": team.pk, "name": "Call centre", "assignment": "least_open"}
    assert set(Team.objects.get().members.values_list("pk", flat=True)) == {
        bob_agent.pk,
        alice_admin.pk,
    }
    new = manager_api.post("/teams/", {"name": "Workshop", "assignment": "round_robin"})
    assert (new.status, new.body["assignment"]) == (201, "round_robin")
    bad_team = manager_api.post("/teams/", {"name": "X", "assignment": "random"})
    assert (bad_team.status, bad_team.field) == (422, "assignment")


def test_only_managers_change_teams_and_other_organizations_teams_are_404(
    org, agent_api, viewer_api, outsider_api, team
):
    listed = agent_api.get("/teams/")
    assert listed.body == [{"id": team.pk, "name": "Call centre", "assignment": "manual"}]
    for api in (agent_api, viewer_api):
        assert api.post("/teams/", {"name": "Mine"}).status == 403
        assert api.patch(f"/teams/{team.pk}", {"assignment": "least_open"}).status == 403
    assert outsider_api.patch(f"/teams/{team.pk}", {"name": "Stolen"}).status == 404
    assert outsider_api.get("/teams/").body == []
    assert list(Team.objects.values_list("name", "assignment")) == [("Call centre", "manual")]
