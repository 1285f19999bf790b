"""Warranty policies: the services, the settings pages and the API."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.api.tests.client import ApiClient
from aftercare.catalog.models import ProductModel, WarrantyPolicy
from aftercare.catalog.services import (
    fault_code_create,
    product_model_create,
    warranty_policy_create,
    warranty_policy_update,
)
from aftercare.catalog.views import common
from aftercare.lib.errors import ApplicationError
from aftercare.lib.testing import client_for, field_error, row_ids


def _policies(organization) -> list[tuple]:
    """Every policy's state, exclusions included, to show a refused change changed nothing."""
    return [
        (
            policy.pk,
            policy.name,
            policy.months,
            policy.starts_from,
            policy.covers_parts,
            policy.covers_labour,
            policy.covers_travel,
            policy.registration_days,
            policy.is_transferable,
            policy.is_active,
            sorted(policy.excluded_faults.values_list("code", flat=True)),
        )
        for policy in WarrantyPolicy.objects.filter(organization=organization).order_by("pk")
    ]


@pytest.fixture
def physical(org):
    return fault_code_create(organization=org, code="PHY", name="Physical damage")


@pytest.fixture
def standard(org, physical):
    return warranty_policy_create(
        organization=org, name="Standard 12", months=12, excluded_faults=[physical]
    )


@pytest.fixture
def foreign_policy(other_org):
    return warranty_policy_create(organization=other_org, name="Far", months=6)


# Services.


def test_create_with_defaults(org):
    policy = warranty_policy_create(organization=org, name="  Basic  ", months=24)
    policy.refresh_from_db()
    assert (
        policy.name,
        policy.months,
        policy.starts_from,
        policy.covers_parts,
        policy.covers_labour,
        policy.covers_travel,
        policy.registration_days,
        policy.is_transferable,
        policy.is_active,
        list(policy.excluded_faults.all()),
    ) == ("Basic", 24, "purchase", True, True, False, None, True, True, [])


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"name": " ", "months": 12}, "name"),
        ({"name": "x" * 201, "months": 12}, "name"),
        ({"name": "Standard 12", "months": 12}, "name"),
        ({"name": "New", "months": 0}, "months"),
        ({"name": "New", "months": 601}, "months"),
        ({"name": "New", "months": True}, "months"),
        ({"name": "New", "months": 12, "starts_from": "birthday"}, "starts_from"),
        ({"name": "New", "months": 12, "registration_days": -1}, "registration_days"),
        ({"name": "New", "months": 12, "registration_days": 3651}, "registration_days"),
    ],
)
def test_create_refuses_bad_input(org, standard, arguments, field):
    before = _policies(org)
    with pytest.raises(ApplicationError) as refused:
        warranty_policy_create(organization=org, **arguments)
    assert refused.value.field == field
    assert _policies(org) == before


def test_exclusions_must_be_of_the_organization(org, other_org):
    foreign = fault_code_create(organization=other_org, code="X", name="Theirs")
    with pytest.raises(ApplicationError) as refused:
        warranty_policy_create(organization=org, name="New", months=12, excluded_faults=[foreign])
    assert refused.value.field == "excluded_fault_ids"
    assert _policies(org) == []
    standard = warranty_policy_create(organization=org, name="Mine", months=12)
    with pytest.raises(ApplicationError):
        warranty_policy_update(policy=standard, excluded_faults=[foreign])
    assert list(standard.excluded_faults.all()) == []


def test_update_changes_only_what_is_given(org, standard, physical):
    warranty_policy_update(
        policy=standard, months=18, registration_days=30, excluded_faults=[], is_active=False
    )
    assert _policies(org) == [
        (standard.pk, "Standard 12", 18, "purchase", True, True, False, 30, True, False, [])
    ]
    warranty_policy_update(policy=standard, registration_days=None, covers_travel=True)
    assert _policies(org)[0][6:8] == (True, None)


def test_update_refuses_a_taken_name(org, standard):
    other = warranty_policy_create(organization=org, name="Other", months=6)
    before = _policies(org)
    with pytest.raises(ApplicationError) as refused:
        warranty_policy_update(policy=other, name="Standard 12", months=7)
    assert refused.value.field == "name"
    assert _policies(org) == before


def test_a_product_model_names_its_policy(org, standard, foreign_policy):
    product = product_model_create(
        organization=org, name="Washer", sku="W-1", warranty_policy=standard
    )
    assert ProductModel.objects.get(pk=product.pk).warranty_policy == standard
    with pytest.raises(ApplicationError) as refused:
        product_model_create(
            organization=org, name="Dryer", sku="D-1", warranty_policy=foreign_policy
        )
    assert refused.value.field == "warranty_policy_id"
    assert ProductModel.objects.filter(organization=org).count() == 1


# Settings pages.


def test_pages_need_sign_in_and_a_manager(request, org, standard):
    urls = [
        reverse("catalog:policies"),
        reverse("catalog:policy_create"),
        reverse("catalog:policy_edit", args=[standard.pk]),
    ]
    for url in urls:
        response = Client().get(url)
        assert (response.status_code, response["Location"]) == (
            302,
            f"/accounts/login/?next={url}",
        )
    before = _policies(org)
    for who in ("bob_agent", "tina_technician", "vic_viewer"):
        client = client_for(request.getfixturevalue(who))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 403
            assert "Only admins and supervisors manage warranty policies." in (
                response.content.decode()
            )
        assert client.post(urls[1], {"name": "Sneaky", "months": "12"}).status_code == 403
    assert _policies(org) == before


def test_list_searches_and_filters(org, admin_client, standard):
    retired = warranty_policy_create(organization=org, name="Old 6", months=6)
    warranty_policy_update(policy=retired, is_active=False)
    url = reverse("catalog:policies")
    response = admin_client.get(url)
    assert response.status_code == 200
    assert row_ids(response, "policy") == [str(retired.pk), str(standard.pk)]
    html = response.content.decode()
    assert "12 months" in html and "Excludes" in html and "PHY" in html
    assert row_ids(admin_client.get(url, {"q": "standard"}), "policy") == [str(standard.pk)]
    assert row_ids(admin_client.get(url, {"status": "inactive"}), "policy") == [str(retired.pk)]
    empty = admin_client.get(url, {"q": "nothing"})
    assert "No warranty policy matches this search." in empty.content.decode()
    assert admin_client.get(url, {"status": "gone"}).status_code == 422


def test_list_pages_with_a_flat_query_count(org, admin_client, monkeypatch, physical):
    monkeypatch.setattr(common, "PAGE_SIZE", 3)
    made = [
        warranty_policy_create(
            organization=org, name=f"Policy {i}", months=12, excluded_faults=[physical]
        )
        for i in range(7)
    ]
    seen, url = [], reverse("catalog:policies")
    for _ in range(4):
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(url)
        # session, user, memberships, presence, the page, its exclusions
        assert len(queries) == 6
        seen += row_ids(response, "policy")
        match = re.search(
            r'href="(\?[^"]*cursor=[^"]+)" data-testid="next-page"', response.content.decode()
        )
        if match is None:
            break
        url = reverse("catalog:policies") + match.group(1).replace("&amp;", "&")
    assert seen == [str(policy.pk) for policy in made]


def test_create_a_policy(org, supervisor_client, physical):
    page = supervisor_client.get(reverse("catalog:policy_create"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="covers_parts" class="form-check-input" id="id_covers_parts" checked' in html
    assert f'value="{physical.pk}"' in html
    response = supervisor_client.post(
        reverse("catalog:policy_create"),
        {
            "name": "Installed 24",
            "months": "24",
            "starts_from": "installation",
            "covers_parts": "on",
            "covers_travel": "on",
            "excluded_faults": [str(physical.pk)],
            "registration_days": "15",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:policies")
    policy = WarrantyPolicy.objects.get(organization=org)
    assert _policies(org) == [
        (policy.pk, "Installed 24", 24, "installation", True, False, True, 15, False, True, ["PHY"])
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "months": "12"}, "name", "This field is required."),
        ({"name": "N", "months": "0"}, "months", "greater than or equal to 1"),
        ({"name": "N", "months": "abc"}, "months", "Enter a whole number."),
        ({"name": "Standard 12", "months": "12"}, "name", "already exists"),
        ({"name": "N", "months": "12", "starts_from": "x"}, "starts_from", "Select a valid"),
        ({"name": "N", "months": "12", "registration_days": "-1"}, "registration_days", "0"),
        ({"name": "N", "months": "12", "excluded_faults": ["999999"]}, "excluded_faults", "valid"),
    ],
)
def test_create_with_bad_input_changes_nothing(org, admin_client, standard, data, field, message):
    before = _policies(org)
    response = admin_client.post(
        reverse("catalog:policy_create"), {"starts_from": "purchase", **data}
    )
    assert response.status_code == 422
    assert message in field_error(response, field)
    assert _policies(org) == before


def test_edit_and_deactivate_a_policy(org, admin_client, standard, physical):
    url = reverse("catalog:policy_edit", args=[standard.pk])
    page = admin_client.get(url).content.decode()
    assert 'value="Standard 12"' in page
    assert re.search(rf'value="{physical.pk}"[^>]*checked', page)
    response = admin_client.post(
        url,
        {"name": "Standard 12", "months": "12", "starts_from": "delivery", "covers_labour": "on"},
    )
    assert response.status_code == 302
    assert _policies(org) == [
        (standard.pk, "Standard 12", 12, "delivery", False, True, False, None, False, False, [])
    ]


def test_an_inactive_code_already_excluded_stays_offered(org, admin_client, standard, physical):
    physical.is_active = False
    physical.save(update_fields=["is_active"])
    fault_code_create(organization=org, code="E1", name="Board")
    page = admin_client.get(reverse("catalog:policy_edit", args=[standard.pk])).content.decode()
    assert f'value="{physical.pk}"' in page
    fresh = admin_client.get(reverse("catalog:policy_create")).content.decode()
    assert f'value="{physical.pk}"' not in fresh and "E1 Board" in fresh


def test_another_organizations_policy_is_404(other_org, admin_client, foreign_policy):
    before = _policies(other_org)
    url = reverse("catalog:policy_edit", args=[foreign_policy.pk])
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {"name": "Mine", "months": "3"}).status_code == 404
    assert _policies(other_org) == before
    assert "Far" not in admin_client.get(reverse("catalog:policies")).content.decode()


def test_a_product_models_edit_page_picks_a_policy(org, admin_client, standard, foreign_policy):
    product = product_model_create(organization=org, name="Washer", sku="W-1", brand="Pars")
    url = reverse("catalog:product_edit", args=[product.pk])
    page = admin_client.get(url).content.decode()
    assert f'<option value="{standard.pk}">Standard 12</option>' in page
    assert f'value="{foreign_policy.pk}"' not in page
    data = {"name": "Washer", "sku": "W-1", "brand": "Pars", "is_active": "on"}
    assert admin_client.post(url, {**data, "warranty_policy": str(standard.pk)}).status_code == 302
    product.refresh_from_db()
    assert product.warranty_policy == standard
    listing = admin_client.get(reverse("catalog:products")).content.decode()
    assert "Standard 12</a>" in listing
    refused = admin_client.post(url, {**data, "warranty_policy": str(foreign_policy.pk)})
    assert refused.status_code == 422
    assert "Select a valid choice" in field_error(refused, "warranty_policy")
    # A retired policy stays on the model that has it, and is offered to no other.
    warranty_policy_update(policy=standard, is_active=False)
    assert f'value="{standard.pk}"' in admin_client.get(url).content.decode()
    fresh = admin_client.get(reverse("catalog:product_create")).content.decode()
    assert f'value="{standard.pk}"' not in fresh
    assert admin_client.post(url, {**data, "warranty_policy": ""}).status_code == 302
    product.refresh_from_db()
    assert product.warranty_policy is None


def test_the_settings_menu_lists_the_catalog_sections(admin_client):
    html = admin_client.get(reverse("catalog:policies")).content.decode()
    for key in ("products", "warranty_policies", "fault_codes", "spare_parts"):
        assert f'data-testid="settings-nav-{key}"' in html
    assert 'aria-current="page" href="/catalog/warranty-policies/"' in html


# API.


def test_api_list_and_get(org, agent_api, standard, physical):
    listed = agent_api.get("/warranty-policies/")
    assert listed.status == 200
    assert listed.body["next_cursor"] is None
    [row] = listed.body["items"]
    assert {key: value for key, value in row.items() if key != "created_at"} == {
        "id": standard.pk,
        "name": "Standard 12",
        "months": 12,
        "starts_from": "purchase",
        "covers_parts": True,
        "covers_labour": True,
        "covers_travel": False,
        "excluded_fault_ids": [physical.pk],
        "registration_days": None,
        "is_transferable": True,
        "is_active": True,
    }
    assert agent_api.get(f"/warranty-policies/{standard.pk}").body == row
    warranty_policy_update(policy=standard, is_active=False)
    assert agent_api.get("/warranty-policies/").body["items"] == []
    assert [p["id"] for p in agent_api.get("/warranty-policies/", {"status": "all"}).body["items"]]
    assert agent_api.get("/warranty-policies/", {"search": "zzz", "status": "all"}).body == {
        "items": [],
        "next_cursor": None,
    }


def test_api_list_pages_with_a_flat_query_count(org, agent_api, physical):
    for i in range(7):
        warranty_policy_create(
            organization=org, name=f"P{i}", months=12, excluded_faults=[physical]
        )
    agent_api.get("/warranty-policies/")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as queries:
        first = agent_api.get("/warranty-policies/", {"limit": 3})
    # token, membership, the page, its exclusions
    assert len(queries) == 4
    second = agent_api.get("/warranty-policies/", {"limit": 3, "cursor": first.body["next_cursor"]})
    third = agent_api.get("/warranty-policies/", {"limit": 3, "cursor": second.body["next_cursor"]})
    names = [row["name"] for page in (first, second, third) for row in page.body["items"]]
    assert names == [f"P{i}" for i in range(7)]
    assert third.body["next_cursor"] is None


def test_api_create_and_update(org, manager_api, physical):
    created = manager_api.post(
        "/warranty-policies/",
        {
            "name": "Gold",
            "months": 36,
            "starts_from": "delivery",
            "covers_travel": True,
            "excluded_fault_ids": [physical.pk],
            "registration_days": 10,
            "is_transferable": False,
        },
    )
    assert created.status == 201, created.body
    policy = WarrantyPolicy.objects.get(organization=org)
    assert created.body["id"] == policy.pk
    assert _policies(org) == [
        (policy.pk, "Gold", 36, "delivery", True, True, True, 10, False, True, ["PHY"])
    ]
    updated = manager_api.patch(
        f"/warranty-policies/{policy.pk}",
        {"registration_days": None, "excluded_fault_ids": [], "is_active": False},
    )
    assert updated.status == 200, updated.body
    assert (updated.body["registration_days"], updated.body["excluded_fault_ids"]) == (None, [])
    assert _policies(org) == [
        (policy.pk, "Gold", 36, "delivery", True, True, True, None, False, False, [])
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"months": 12}, "name"),
        ({"name": "N"}, "months"),
        ({"name": "N", "months": 0}, "months"),
        ({"name": "N", "months": 12, "starts_from": "x"}, "starts_from"),
        ({"name": "N", "months": 12, "registration_days": 4000}, "registration_days"),
        ({"name": "N", "months": 12, "excluded_fault_ids": [99999999]}, "excluded_fault_ids"),
        ({"name": "Standard 12", "months": 12}, "name"),
    ],
)
def test_api_create_rejects_bad_input(org, manager_api, standard, body, field):
    before = _policies(org)
    answer = manager_api.post("/warranty-policies/", body)
    assert (answer.status, answer.field) == (422, field), answer.body
    assert _policies(org) == before


@pytest.mark.parametrize("fixture", ["bob_agent", "tina_technician", "vic_viewer"])
def test_api_only_managers_write(org, request, standard, fixture):
    from aftercare.accounts.services import api_token_create

    _token, key = api_token_create(
        user=request.getfixturevalue(fixture), organization=org, name="t"
    )
    api = ApiClient(key)
    before = _policies(org)
    assert api.post("/warranty-policies/", {"name": "N", "months": 3}).status == 403
    assert api.patch(f"/warranty-policies/{standard.pk}", {"months": 3}).status == 403
    assert _policies(org) == before


def test_api_another_organization_gets_404(org, standard, outsider_api, physical):
    before = _policies(org)
    for answer in (
        outsider_api.get(f"/warranty-policies/{standard.pk}"),
        outsider_api.patch(f"/warranty-policies/{standard.pk}", {"months": 3}),
    ):
        assert (answer.status, answer.body) == (404, {"detail": "Not found.", "errors": []})
    assert outsider_api.get("/warranty-policies/", {"status": "all"}).body["items"] == []
    # Its own policy cannot exclude this organization's fault codes.
    answer = outsider_api.post(
        "/warranty-policies/", {"name": "N", "months": 3, "excluded_fault_ids": [physical.pk]}
    )
    assert (answer.status, answer.field) == (422, "excluded_fault_ids")
    assert _policies(org) == before


def test_api_product_models_carry_their_policy(org, manager_api, standard, foreign_policy):
    created = manager_api.post(
        "/product-models/", {"name": "Oven", "sku": "O-1", "warranty_policy_id": standard.pk}
    )
    assert created.status == 201, created.body
    assert created.body["warranty_policy_id"] == standard.pk
    product_id = created.body["id"]
    assert manager_api.get(f"/product-models/{product_id}").body["warranty_policy_id"] == (
        standard.pk
    )
    refused = manager_api.post(
        "/product-models/", {"name": "Fan", "sku": "F-1", "warranty_policy_id": foreign_policy.pk}
    )
    assert (refused.status, refused.field) == (422, "warranty_policy_id")
    cleared = manager_api.patch(f"/product-models/{product_id}", {"warranty_policy_id": None})
    assert (cleared.status, cleared.body["warranty_policy_id"]) == (200, None)
    renamed = manager_api.patch(f"/product-models/{product_id}", {"name": "Oven 2"})
    assert (renamed.body["name"], renamed.body["sku"]) == ("Oven 2", "O-1")
    refused = manager_api.patch(
        f"/product-models/{product_id}", {"warranty_policy_id": foreign_policy.pk}
    )
    assert (refused.status, refused.field) == (422, "warranty_policy_id")
    assert ProductModel.objects.get(pk=product_id).warranty_policy is None
