"""Fault codes: the services, the settings pages and the API."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.catalog.models import FaultCode
from aftercare.catalog.selectors import fault_code_choices
from aftercare.catalog.services import fault_code_create, fault_code_update, product_model_create
from aftercare.lib.errors import ApplicationError
from aftercare.lib.testing import client_for, field_error, row_ids


def _faults(organization) -> list[tuple]:
    return [
        (
            fault.pk,
            fault.code,
            fault.name,
            fault.is_active,
            sorted(fault.product_models.values_list("sku", flat=True)),
        )
        for fault in FaultCode.objects.filter(organization=organization).order_by("pk")
    ]


@pytest.fixture
def washer(org):
    return product_model_create(organization=org, name="Washer", sku="W-1", brand="Pars")


@pytest.fixture
def fridge(org):
    return product_model_create(organization=org, name="Fridge", sku="F-1", brand="Pars")


@pytest.fixture
def drain(org, washer):
    return fault_code_create(
        organization=org, code="E21", name="Drain pump", product_models=[washer]
    )


@pytest.fixture
def foreign_fault(other_org):
    return fault_code_create(organization=other_org, code="Z9", name="Theirs")


def test_create_and_update(org, washer, fridge):
    fault = fault_code_create(organization=org, code=" PHY ", name=" Physical damage ")
    assert _faults(org) == [(fault.pk, "PHY", "Physical damage", True, [])]
    fault_code_update(fault_code=fault, product_models=[washer, fridge], is_active=False)
    assert _faults(org) == [(fault.pk, "PHY", "Physical damage", False, ["F-1", "W-1"])]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"code": "", "name": "N"}, "code"),
        ({"code": "c" * 33, "name": "N"}, "code"),
        ({"code": "E21", "name": "N"}, "code"),
        ({"code": "E22", "name": " "}, "name"),
    ],
)
def test_create_refuses_bad_input(org, drain, arguments, field):
    before = _faults(org)
    with pytest.raises(ApplicationError) as refused:
        fault_code_create(organization=org, **arguments)
    assert refused.value.field == field
    assert _faults(org) == before


def test_models_must_be_of_the_organization(org, drain, other_org):
    theirs = product_model_create(organization=other_org, name="X", sku="X-1")
    before = _faults(org)
    with pytest.raises(ApplicationError) as refused:
        fault_code_update(fault_code=drain, product_models=[theirs])
    assert refused.value.field == "product_model_ids"
    with pytest.raises(ApplicationError):
        fault_code_create(organization=org, code="N", name="N", product_models=[theirs])
    assert _faults(org) == before


def test_choices_for_a_model(org, washer, fridge, drain):
    anywhere = fault_code_create(organization=org, code="PHY", name="Physical damage")
    cold = fault_code_create(organization=org, code="C1", name="Cold", product_models=[fridge])
    retired = fault_code_create(organization=org, code="OLD", name="Old")
    fault_code_update(fault_code=retired, is_active=False)
    assert fault_code_choices(organization=org, product_model=washer) == [drain, anywhere]
    assert fault_code_choices(organization=org, product_model=fridge) == [cold, anywhere]
    assert fault_code_choices(organization=org, keep=[retired]) == [cold, drain, retired, anywhere]


def test_pages_need_sign_in_and_a_manager(request, org, drain):
    urls = [
        reverse("catalog:faults"),
        reverse("catalog:fault_create"),
        reverse("catalog:fault_edit", args=[drain.pk]),
    ]
    for url in urls:
        assert Client().get(url)["Location"] == f"/accounts/login/?next={url}"
    for who in ("bob_agent", "tina_technician", "vic_viewer"):
        client = client_for(request.getfixturevalue(who))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 403
            assert "Only admins and supervisors manage fault codes." in response.content.decode()


def test_list_searches_filters_and_counts_queries(org, admin_client, washer, drain):
    for index in range(12):
        fault_code_create(
            organization=org, code=f"X{index:02d}", name=f"Fault {index}", product_models=[washer]
        )
    url = reverse("catalog:faults")
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(url)
    # session, user, memberships, presence, the page, its models
    assert len(queries) == 6
    assert row_ids(response, "fault")[0] == str(drain.pk)
    assert "Pars Washer" in response.content.decode()
    assert row_ids(admin_client.get(url, {"q": "e21"}), "fault") == [str(drain.pk)]
    assert row_ids(admin_client.get(url, {"q": "drain"}), "fault") == [str(drain.pk)]
    assert row_ids(admin_client.get(url, {"status": "inactive"}), "fault") == []
    assert admin_client.get(url, {"cursor": "nope"}).status_code == 422


def test_create_and_edit_pages(org, admin_client, washer, fridge):
    response = admin_client.post(
        reverse("catalog:fault_create"),
        {"code": "E5", "name": "Heater", "product_models": [str(fridge.pk)]},
    )
    assert response.status_code == 302
    fault = FaultCode.objects.get(organization=org)
    assert _faults(org) == [(fault.pk, "E5", "Heater", True, ["F-1"])]
    url = reverse("catalog:fault_edit", args=[fault.pk])
    assert 'value="E5"' in admin_client.get(url).content.decode()
    response = admin_client.post(url, {"code": "E6", "name": "Heater element"})
    assert response.status_code == 302
    assert _faults(org) == [(fault.pk, "E6", "Heater element", False, [])]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"code": "", "name": "N"}, "code", "This field is required."),
        ({"code": "E21", "name": "N"}, "code", "A fault with this code already exists."),
        ({"code": "c" * 33, "name": "N"}, "code", "at most 32 characters"),
        ({"code": "N1", "name": "N", "product_models": ["999999"]}, "product_models", "valid"),
    ],
)
def test_create_with_bad_input_changes_nothing(org, admin_client, drain, data, field, message):
    before = _faults(org)
    response = admin_client.post(reverse("catalog:fault_create"), data)
    assert response.status_code == 422
    assert message in field_error(response, field)
    assert _faults(org) == before


def test_another_organizations_fault_is_404(other_org, admin_client, foreign_fault):
    before = _faults(other_org)
    url = reverse("catalog:fault_edit", args=[foreign_fault.pk])
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {"code": "Mine", "name": "Mine"}).status_code == 404
    assert _faults(other_org) == before
    assert "Z9" not in admin_client.get(reverse("catalog:faults")).content.decode()


def test_api(org, agent_api, manager_api, washer, drain, foreign_fault):
    listed = agent_api.get("/fault-codes/")
    assert listed.status == 200
    row = listed.body["items"][0]
    assert {key: value for key, value in row.items() if key != "created_at"} == {
        "id": drain.pk,
        "code": "E21",
        "name": "Drain pump",
        "product_model_ids": [washer.pk],
        "is_active": True,
    }
    assert agent_api.get(f"/fault-codes/{drain.pk}").body == row
    assert agent_api.post("/fault-codes/", {"code": "A", "name": "B"}).status == 403
    created = manager_api.post("/fault-codes/", {"code": "A1", "name": "Board"})
    assert created.status == 201, created.body
    assert created.body["product_model_ids"] == []
    updated = manager_api.patch(
        f"/fault-codes/{created.body['id']}", {"product_model_ids": [washer.pk], "is_active": False}
    )
    assert (updated.status, updated.body["product_model_ids"], updated.body["is_active"]) == (
        200,
        [washer.pk],
        False,
    )
    duplicate = manager_api.post("/fault-codes/", {"code": "E21", "name": "Again"})
    assert (duplicate.status, duplicate.field) == (422, "code")
    assert agent_api.get(f"/fault-codes/{foreign_fault.pk}").status == 404
    assert manager_api.patch(f"/fault-codes/{foreign_fault.pk}", {"name": "x"}).status == 404
    assert FaultCode.objects.get(pk=foreign_fault.pk).name == "Theirs"


def test_api_list_query_count(org, agent_api, washer):
    for index in range(8):
        fault_code_create(organization=org, code=f"X{index}", name="N", product_models=[washer])
    agent_api.get("/fault-codes/")
    with CaptureQueriesContext(connection) as queries:
        page = agent_api.get("/fault-codes/", {"limit": 5})
    # token, membership, the page, its models
    assert len(queries) == 4
    rest = agent_api.get("/fault-codes/", {"limit": 5, "cursor": page.body["next_cursor"]})
    codes = [row["code"] for answer in (page, rest) for row in answer.body["items"]]
    assert codes == [f"X{index}" for index in range(8)]


def test_api_models_of_another_organization_are_a_field_error(org, manager_api, other_org):
    theirs = product_model_create(organization=other_org, name="X", sku="X-1")
    answer = manager_api.post(
        "/fault-codes/", {"code": "A", "name": "B", "product_model_ids": [theirs.pk]}
    )
    assert (answer.status, answer.field) == (422, "product_model_ids")
    assert _faults(org) == []
