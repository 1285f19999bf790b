"""API v1 for escalation rules."""

import pytest

from aftercare.sla.models import EscalationRule
from aftercare.sla.services import sla_policy_create


def test_escalation_rules_over_http(org, manager_api, team, sam_supervisor):
    policy = sla_policy_create(organization=org, name="Standard", first_response_minutes=60)
    created = manager_api.post(
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
    changed = manager_api.patch(
        f"/escalation-rules/{body['id']}",
        {"reassign_team_id": None, "notify_supervisors": True, "is_active": False},
    )
    assert changed.status == 200
    assert (changed.body["reassign_team"], changed.body["is_active"]) == (None, False)
    assert [row["id"] for row in manager_api.get("/escalation-rules/").body] == [body["id"]]


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
def test_bad_escalation_rules_name_the_field(manager_api, body, field):
    answer = manager_api.post("/escalation-rules/", body)
    assert (answer.status, answer.field) == (422, field)
    assert not EscalationRule.objects.exists()
