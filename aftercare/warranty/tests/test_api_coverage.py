"""GET /api/v1/warranty/check: the coverage check by serial number for API clients."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.api.tests.client import ApiClient
from aftercare.catalog.services import fault_code_create
from aftercare.warranty.tests.coverage_factories import fixed_now, make_dated_unit, make_model


@pytest.fixture
def physical(org):
    return fault_code_create(organization=org, code="PHY", name="Physical damage")


@pytest.fixture
def washer(org, customer, physical):
    """Bought 2026-03-10 under a 12-month warranty excluding physical damage."""
    model = make_model(organization=org, months=12, name="EcoWash 7", excluded_faults=[physical])
    return make_dated_unit(
        organization=org, product_model=model, serial="SN-12 345", customer=customer
    )


def test_check_today(monkeypatch, agent_api, washer):
    fixed_now(monkeypatch, "2026-11-20T09:00:00")
    answer = agent_api.get("/warranty/check", {"serial": "sn۱۲۳۴۵"})
    assert answer.status == 200, answer.body
    assert answer.body == {
        "unit_id": washer.pk,
        "serial_number": "SN-12 345",
        "model": {"id": washer.product_model_id, "name": "Arya EcoWash 7"},
        "on": "2026-11-20",
        "covered": True,
        "by": "standard",
        "contract_id": None,
        "starts_on": "2026-03-10",
        "until": "2027-03-09",
        "covers_parts": True,
        "covers_labour": True,
        "covers_travel": False,
        "reason": "",
        "reason_text": "Covered by the standard warranty.",
    }


def test_check_a_day_and_a_fault(agent_api, washer, physical):
    answer = agent_api.get(
        "/warranty/check", {"serial": "SN12345", "on": "2026-06-01", "fault_code_id": physical.pk}
    )
    assert answer.status == 200
    assert (answer.body["covered"], answer.body["reason"], answer.body["until"]) == (
        False,
        "excluded_fault",
        "2027-03-09",
    )
    expired = agent_api.get("/warranty/check", {"serial": "SN12345", "on": "2027-03-10"})
    assert (expired.body["covered"], expired.body["reason"]) == (False, "expired")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "serial"),
        ({"serial": ""}, "serial"),
        ({"serial": "x" * 101}, "serial"),
        ({"serial": "SN12345", "on": "2026-13-01"}, "on"),
        ({"serial": "SN12345", "fault_code_id": 0}, "fault_code_id"),
        ({"serial": "SN12345", "fault_code_id": 99999999}, "fault_code_id"),
    ],
)
def test_bad_queries_name_the_field(agent_api, washer, params, field):
    answer = agent_api.get("/warranty/check", params)
    assert (answer.status, answer.field) == (422, field), answer.body


def test_an_unknown_serial_is_404(agent_api, washer):
    answer = agent_api.get("/warranty/check", {"serial": "NOPE"})
    assert (answer.status, answer.body) == (404, {"detail": "Not found.", "errors": []})


def test_another_organizations_serial_is_404(outsider_api, washer, other_org, physical):
    answer = outsider_api.get("/warranty/check", {"serial": "SN-12345"})
    assert answer.status == 404
    # Its own fault codes only.
    other_unit = make_dated_unit(
        organization=other_org, product_model=make_model(organization=other_org), serial="O-1"
    )
    answer = outsider_api.get("/warranty/check", {"serial": "O-1", "fault_code_id": physical.pk})
    assert (answer.status, answer.field) == (422, "fault_code_id")
    assert outsider_api.get("/warranty/check", {"serial": "O-1"}).body["unit_id"] == other_unit.pk


def test_a_token_is_needed(washer):
    assert ApiClient().get("/warranty/check", {"serial": "SN12345"}).status == 401


def test_the_check_reads_little(agent_api, washer):
    agent_api.get("/warranty/check", {"serial": "SN12345"})
    with CaptureQueriesContext(connection) as queries:
        answer = agent_api.get("/warranty/check", {"serial": "SN12345", "on": "2027-06-01"})
    assert answer.body["reason"] == "expired"
    # token, membership, the unit with its model, policy and contracts
    assert len(queries) == 3


def test_the_day_is_the_organizations(monkeypatch, org, agent_api, washer):
    org.time_zone = "Asia/Tehran"
    org.save(update_fields=["time_zone"])
    # 2027-03-09 21:00 UTC is already 2027-03-10 in Tehran: the day after the last one.
    fixed_now(monkeypatch, "2027-03-09T21:00:00")
    answer = agent_api.get("/warranty/check", {"serial": "SN12345"})
    assert (answer.body["on"], answer.body["reason"]) == ("2027-03-10", "expired")
    assert datetime.date.fromisoformat(answer.body["until"]) == datetime.date(2027, 3, 9)
