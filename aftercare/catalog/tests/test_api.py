import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.accounts.services import api_token_create
from aftercare.api.tests.client import ApiClient
from aftercare.catalog.models import ProductModel
from aftercare.catalog.services import product_model_create


def _api(org, user) -> ApiClient:
    _token, key = api_token_create(user=user, organization=org, name="test")
    return ApiClient(key)


@pytest.fixture
def product(org):
    return product_model_create(
        organization=org, name="WM-800", sku="WM800", brand="Pars", category="Laundry"
    )


def test_list_and_get(org, product, agent_token):
    api = ApiClient(agent_token)
    product_model_create(organization=org, name="Fridge F1", sku="F1", brand="Arctic")
    listed = api.get("/product-models/")
    assert listed.status == 200
    assert [row["sku"] for row in listed.body["items"]] == ["F1", "WM800"]
    assert listed.body["next_cursor"] is None
    answer = api.get(f"/product-models/{product.pk}")
    assert answer.status == 200
    assert {key: answer.body[key] for key in ("name", "sku", "brand", "category", "is_active")} == {
        "name": "WM-800",
        "sku": "WM800",
        "brand": "Pars",
        "category": "Laundry",
        "is_active": True,
    }
    assert [
        row["sku"] for row in api.get("/product-models/", {"search": "wm800"}).body["items"]
    ] == ["WM800"]
    assert [
        row["sku"] for row in api.get("/product-models/", {"search": "frid"}).body["items"]
    ] == ["F1"]


def test_list_pages_with_flat_query_count(org, agent_token):
    api = ApiClient(agent_token)
    for index in range(12):
        product_model_create(organization=org, name=f"Model {index:02d}", sku=f"S{index}")
    api.get("/product-models/")
    with CaptureQueriesContext(connection) as queries:
        first = api.get("/product-models/", {"limit": 5})
    count = len(queries)
    second = api.get("/product-models/", {"limit": 5, "cursor": first.body["next_cursor"]})
    third = api.get("/product-models/", {"limit": 5, "cursor": second.body["next_cursor"]})
    names = [row["name"] for page in (first, second, third) for row in page.body["items"]]
    assert names == [f"Model {index:02d}" for index in range(12)]
    assert third.body["next_cursor"] is None
    # Token, membership, the page.
    assert count == 3


@pytest.mark.parametrize("fixture", ["alice_admin", "sam_supervisor"])
def test_admins_and_supervisors_create(org, request, fixture):
    api = _api(org, request.getfixturevalue(fixture))
    answer = api.post(
        "/product-models/", {"name": "Oven O2", "sku": "O2", "brand": "Pars", "category": "Kitchen"}
    )
    assert answer.status == 201, answer.body
    product = ProductModel.objects.get(organization=org)
    assert (answer.body["id"], product.sku, product.brand) == (product.pk, "O2", "Pars")


@pytest.mark.parametrize("fixture", ["bob_agent", "tina_technician", "vic_viewer"])
def test_other_roles_may_not_create(org, request, fixture):
    api = _api(org, request.getfixturevalue(fixture))
    answer = api.post("/product-models/", {"name": "Oven O2", "sku": "O2"})
    assert answer.status == 403
    assert answer.body["errors"] == []
    assert not ProductModel.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sku": "X"}, "name"),
        ({"name": "Oven"}, "sku"),
        ({"name": "Oven", "sku": "  "}, "sku"),
        ({"name": "Oven", "sku": "x" * 65}, "sku"),
        ({"name": "Oven", "sku": "WM800"}, "sku"),
    ],
)
def test_create_rejects_bad_input(org, product, alice_admin, body, field):
    api = _api(org, alice_admin)
    answer = api.post("/product-models/", body)
    assert (answer.status, answer.field) == (422, field), answer.body
    assert list(ProductModel.objects.values_list("sku", flat=True)) == ["WM800"]


def test_another_organization_gets_404(org, product, outsider_token):
    api = ApiClient(outsider_token)
    answer = api.get(f"/product-models/{product.pk}")
    assert (answer.status, answer.body) == (404, {"detail": "Not found.", "errors": []})
    assert api.get("/product-models/").body == {"items": [], "next_cursor": None}
