"""The API of warranty contracts and claims: /api/v1/warranty-contracts/, /warranty-claims/."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.accounts.services import api_token_create
from aftercare.api.tests.client import ApiClient
from aftercare.catalog.services import fault_code_create
from aftercare.warranty.models import Contract, WarrantyClaim
from aftercare.warranty.services.claims import claim_open, claim_reject
from aftercare.warranty.services.contracts import contract_goodwill
from aftercare.warranty.tests.coverage_factories import fixed_now, make_dated_unit, make_model

D = datetime.date
NOT_FOUND = {"detail": "Not found.", "errors": []}


def _api(org, user) -> ApiClient:
    _token, key = api_token_create(user=user, organization=org, name="test")
    return ApiClient(key)


def _contracts() -> list[tuple]:
    return list(
        Contract.objects.order_by("pk").values_list(
            "unit", "kind", "starts_on", "ends_on", "voided_at"
        )
    )


def _claims() -> list[tuple]:
    return list(
        WarrantyClaim.objects.order_by("pk").values_list(
            "unit", "status", "covered_by", "rejection_reason", "decided_by"
        )
    )


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    fixed_now(monkeypatch, "2026-11-20T09:00:00")


@pytest.fixture
def physical(org):
    return fault_code_create(organization=org, code="PHY", name="Physical damage")


@pytest.fixture
def unit(org, physical):
    """Bought 2026-03-10 under a 12-month warranty (to 2027-03-09) excluding PHY."""
    model = make_model(organization=org, months=12, excluded_faults=[physical])
    return make_dated_unit(organization=org, product_model=model)


@pytest.fixture
def foreign_unit(other_org):
    return make_dated_unit(organization=other_org, product_model=make_model(organization=other_org))


@pytest.fixture
def goodwill(unit, sam_supervisor):
    return contract_goodwill(
        unit=unit, starts_on=D(2027, 4, 1), ends_on=D(2027, 6, 30), note="x", actor=sam_supervisor
    )


# Contracts.


def test_an_agent_sells_an_extension(agent_api, unit, bob_agent):
    answer = agent_api.post(
        "/warranty-contracts/extended",
        {"unit_id": unit.pk, "months": 24, "price": "1500000", "reference": "INV-1"},
    )
    assert answer.status == 201, answer.body
    contract = Contract.objects.get()
    assert {key: value for key, value in answer.body.items() if key != "created_at"} == {
        "id": contract.pk,
        "unit_id": unit.pk,
        "kind": "extended",
        "starts_on": "2027-03-10",
        "ends_on": "2029-03-09",
        "covers_parts": True,
        "covers_labour": True,
        "covers_travel": False,
        "price": "1500000.00",
        "reference": "INV-1",
        "note": "",
        "voided_at": None,
    }
    assert contract.created_by == bob_agent


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"months": 12}, "price"),
        ({"months": 0, "price": "10"}, "months"),
        ({"months": 121, "price": "10"}, "months"),
        ({"months": 12, "price": "0"}, "price"),
        ({"months": 12, "price": "-3"}, "price"),
        ({"months": 12, "price": "1.234"}, "price"),
        ({"months": 12, "price": "10", "reference": "r" * 101}, "reference"),
    ],
)
def test_a_bad_sale_names_the_field(agent_api, unit, body, field):
    answer = agent_api.post("/warranty-contracts/extended", {"unit_id": unit.pk, **body})
    assert (answer.status, answer.field) == (422, field), answer.body
    assert _contracts() == []


def test_a_foreign_unit_cannot_be_sold_a_contract(agent_api, foreign_unit):
    answer = agent_api.post(
        "/warranty-contracts/extended", {"unit_id": foreign_unit.pk, "months": 12, "price": "10"}
    )
    assert (answer.status, answer.field) == (422, "unit_id")
    answer = agent_api.get("/warranty-contracts/", {"unit_id": foreign_unit.pk})
    assert (answer.status, answer.body) == (404, NOT_FOUND)
    assert _contracts() == []


def test_only_managers_grant_goodwill(org, request, agent_api, manager_api, unit, sam_supervisor):
    body = {
        "unit_id": unit.pk,
        "starts_on": "2027-04-01",
        "ends_on": "2027-09-30",
        "note": "Second compressor failure.",
        "covers_travel": True,
    }
    assert agent_api.post("/warranty-contracts/goodwill", body).status == 403
    assert _contracts() == []
    answer = manager_api.post("/warranty-contracts/goodwill", body)
    assert answer.status == 201, answer.body
    assert (answer.body["kind"], answer.body["price"], answer.body["covers_travel"]) == (
        "goodwill",
        None,
        True,
    )
    assert Contract.objects.get().created_by == sam_supervisor


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"starts_on": "2027-04-01", "ends_on": "2027-03-01", "note": "x"}, "ends_on"),
        ({"starts_on": "2027-04-01", "ends_on": "2027-05-01", "note": ""}, "note"),
        ({"starts_on": "2027-04-01", "ends_on": "2027-05-01"}, "note"),
        ({"starts_on": 0, "ends_on": "2027-05-01", "note": "x"}, "starts_on"),
        ({"starts_on": "2027-02-30", "ends_on": "2027-05-01", "note": "x"}, "starts_on"),
    ],
)
def test_bad_goodwill_names_the_field(manager_api, unit, body, field):
    answer = manager_api.post("/warranty-contracts/goodwill", {"unit_id": unit.pk, **body})
    assert (answer.status, answer.field) == (422, field), answer.body
    assert _contracts() == []


def test_list_get_and_void(org, agent_api, manager_api, unit, goodwill):
    listed = agent_api.get("/warranty-contracts/", {"unit_id": unit.pk})
    assert listed.status == 200
    assert [row["id"] for row in listed.body] == [goodwill.pk]
    assert agent_api.get(f"/warranty-contracts/{goodwill.pk}").body == listed.body[0]
    assert agent_api.post(f"/warranty-contracts/{goodwill.pk}/void").status == 403
    assert Contract.objects.get().voided_at is None
    voided = manager_api.post(f"/warranty-contracts/{goodwill.pk}/void")
    assert voided.status == 200
    assert voided.body["voided_at"] == "2026-11-20T09:00:00Z"
    again = manager_api.post(f"/warranty-contracts/{goodwill.pk}/void")
    assert (again.status, again.body["errors"][0]["code"]) == (422, "already_void")
    # Void contracts stay listed.
    assert [
        row["voided_at"] for row in agent_api.get("/warranty-contracts/", {"unit_id": unit.pk}).body
    ] == ["2026-11-20T09:00:00Z"]


def test_contracts_of_another_organization_are_404(outsider_api, unit, goodwill):
    before = _contracts()
    assert outsider_api.get(f"/warranty-contracts/{goodwill.pk}").body == NOT_FOUND
    assert outsider_api.post(f"/warranty-contracts/{goodwill.pk}/void").body == NOT_FOUND
    assert outsider_api.get("/warranty-contracts/", {"unit_id": unit.pk}).status == 404
    assert _contracts() == before


def test_viewers_and_technicians(org, request, unit):
    viewer = _api(org, request.getfixturevalue("vic_viewer"))
    body = {"unit_id": unit.pk, "months": 12, "price": "10"}
    assert viewer.post("/warranty-contracts/extended", body).status == 403
    assert viewer.get("/warranty-contracts/", {"unit_id": unit.pk}).status == 200
    technician = _api(org, request.getfixturevalue("tina_technician"))
    assert technician.post("/warranty-contracts/extended", body).status == 201


# Claims.


def test_an_agent_opens_a_claim(agent_api, unit, physical):
    answer = agent_api.post(
        "/warranty-claims/",
        {
            "unit_id": unit.pk,
            "ticket_id": 77,
            "fault_code_id": physical.pk,
            "fault_on": "2026-11-01",
        },
    )
    assert answer.status == 201, answer.body
    claim = WarrantyClaim.objects.get()
    assert {key: value for key, value in answer.body.items() if key != "created_at"} == {
        "id": claim.pk,
        "unit_id": unit.pk,
        "ticket_id": 77,
        "fault_code_id": physical.pk,
        "fault_on": "2026-11-01",
        "covered_by": "",
        "contract_id": None,
        "status": "pending",
        "rejection_reason": "",
        "decided_at": None,
        "decided_by_id": None,
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"fault_on": "2026-11-21"}, "fault_on"),
        ({"fault_on": "yesterday"}, "fault_on"),
        ({}, "fault_on"),
        ({"fault_on": "2026-11-01", "ticket_id": 0}, "ticket_id"),
        ({"fault_on": "2026-11-01", "fault_code_id": 99999999}, "fault_code_id"),
    ],
)
def test_a_bad_claim_names_the_field(agent_api, unit, body, field):
    answer = agent_api.post("/warranty-claims/", {"unit_id": unit.pk, **body})
    assert (answer.status, answer.field) == (422, field), answer.body
    assert _claims() == []


def test_a_claim_on_a_foreign_unit_or_fault_is_refused(agent_api, unit, foreign_unit, other_org):
    answer = agent_api.post(
        "/warranty-claims/", {"unit_id": foreign_unit.pk, "fault_on": "2026-11-01"}
    )
    assert (answer.status, answer.field) == (422, "unit_id")
    theirs = fault_code_create(organization=other_org, code="Z", name="Z")
    answer = agent_api.post(
        "/warranty-claims/",
        {"unit_id": unit.pk, "fault_on": "2026-11-01", "fault_code_id": theirs.pk},
    )
    assert (answer.status, answer.field) == (422, "fault_code_id")
    assert _claims() == []


def test_only_managers_decide(agent_api, manager_api, unit, bob_agent, sam_supervisor):
    claim = claim_open(unit=unit, ticket_id=5, fault_on=D(2026, 11, 1), actor=bob_agent)
    assert agent_api.post(f"/warranty-claims/{claim.pk}/approve").status == 403
    assert agent_api.post(f"/warranty-claims/{claim.pk}/reject", {"reason": "No."}).status == 403
    assert _claims() == [(unit.pk, "pending", "standard", "", None)]
    approved = manager_api.post(f"/warranty-claims/{claim.pk}/approve")
    assert approved.status == 200, approved.body
    assert (approved.body["status"], approved.body["decided_by_id"]) == (
        "approved",
        sam_supervisor.pk,
    )
    again = manager_api.post(f"/warranty-claims/{claim.pk}/reject", {"reason": "No."})
    assert (again.status, again.body["errors"][0]["code"]) == (422, "already_decided")
    assert _claims() == [(unit.pk, "approved", "standard", "", sam_supervisor.pk)]


def test_reject_with_a_reason(manager_api, unit, physical, sam_supervisor):
    claim = claim_open(unit=unit, ticket_id=5, fault_code=physical, fault_on=D(2026, 11, 1))
    not_covered = manager_api.post(f"/warranty-claims/{claim.pk}/approve")
    assert (not_covered.status, not_covered.body["errors"][0]["code"]) == (422, "not_covered")
    empty = manager_api.post(f"/warranty-claims/{claim.pk}/reject", {"reason": ""})
    assert (empty.status, empty.field) == (422, "reason")
    rejected = manager_api.post(
        f"/warranty-claims/{claim.pk}/reject", {"reason": "The drum was dented in transport."}
    )
    assert rejected.status == 200
    assert _claims() == [
        (unit.pk, "rejected", "", "The drum was dented in transport.", sam_supervisor.pk)
    ]


def test_list_filters_and_pages_with_a_flat_query_count(agent_api, unit, sam_supervisor):
    claims = [claim_open(unit=unit, ticket_id=i + 1, fault_on=D(2026, 11, 1)) for i in range(7)]
    claim_reject(claim=claims[2], reason="No.", actor=sam_supervisor)
    agent_api.get("/warranty-claims/")
    with CaptureQueriesContext(connection) as queries:
        first = agent_api.get("/warranty-claims/", {"limit": 3})
    # token, membership, the page
    assert len(queries) == 3
    second = agent_api.get("/warranty-claims/", {"limit": 3, "cursor": first.body["next_cursor"]})
    third = agent_api.get("/warranty-claims/", {"limit": 3, "cursor": second.body["next_cursor"]})
    ids = [row["id"] for page in (first, second, third) for row in page.body["items"]]
    assert ids == [claim.pk for claim in reversed(claims)]
    assert third.body["next_cursor"] is None
    rejected = agent_api.get("/warranty-claims/", {"status": "rejected"})
    assert [row["id"] for row in rejected.body["items"]] == [claims[2].pk]
    by_ticket = agent_api.get("/warranty-claims/", {"ticket_id": 4})
    assert [row["id"] for row in by_ticket.body["items"]] == [claims[3].pk]
    by_unit = agent_api.get("/warranty-claims/", {"unit_id": unit.pk, "status": "pending"})
    assert len(by_unit.body["items"]) == 6
    bad = agent_api.get("/warranty-claims/", {"status": "lost"})
    assert (bad.status, bad.field) == (422, "status")
    bad = agent_api.get("/warranty-claims/", {"cursor": "nope"})
    assert (bad.status, bad.field) == (422, "cursor")


def test_claims_of_another_organization_are_404(outsider_api, unit):
    claim = claim_open(unit=unit, ticket_id=5, fault_on=D(2026, 11, 1))
    before = _claims()
    assert outsider_api.get(f"/warranty-claims/{claim.pk}").body == NOT_FOUND
    assert outsider_api.post(f"/warranty-claims/{claim.pk}/approve").body == NOT_FOUND
    rejected = outsider_api.post(f"/warranty-claims/{claim.pk}/reject", {"reason": "No."})
    assert rejected.body == NOT_FOUND
    assert outsider_api.get("/warranty-claims/").body == {"items": [], "next_cursor": None}
    assert _claims() == before


def test_writes_need_a_writer(org, request, unit):
    viewer = _api(org, request.getfixturevalue("vic_viewer"))
    answer = viewer.post("/warranty-claims/", {"unit_id": unit.pk, "fault_on": "2026-11-01"})
    assert answer.status == 403
    assert _claims() == []
