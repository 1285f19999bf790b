"""Console pages for escalation rules."""

from django.urls import reverse

from aftercare.lib.testing import field_error, text_of
from aftercare.sla.models import EscalationRule


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
    listing = text_of(supervisor_client.get(reverse("sla:settings_escalation")))
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
