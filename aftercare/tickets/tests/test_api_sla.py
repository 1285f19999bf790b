"""API v1: every request carries its SLA; the at-risk filter."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftercare.sla.services import sla_policy_create
from aftercare.tickets.escalation.sweep import sla_sweep
from aftercare.tickets.tests.factories import make_customer, make_ticket


def test_requests_carry_their_sla_and_the_at_risk_filter(org, agent_api, manager_api):
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
    summary = manager_api.get("/sla/summary", {"days": 1}).body
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
