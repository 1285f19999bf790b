import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.catalog.models import ProductModel
from aftercare.catalog.services import product_model_create
from aftercare.catalog.views import common
from aftercare.lib.testing import client_for, field_error


def _rows(response) -> list[str]:
    return re.findall(
        r'data-testid="product-row" data-product-id="(\d+)"', response.content.decode()
    )


def _products(organization) -> list[tuple]:
    """Every product model's state, to show a refused change changed nothing."""
    return sorted(
        ProductModel.objects.filter(organization=organization).values_list(
            "pk", "name", "sku", "brand", "category", "is_active"
        )
    )


@pytest.fixture
def washer(org):
    return product_model_create(
        organization=org, name="EcoWash 7", sku="WM-700", brand="Pars", category="Washers"
    )


@pytest.fixture
def fridge(org):
    return product_model_create(
        organization=org, name="CoolBox", sku="RF-100", brand="Arctic", category="Fridges"
    )


@pytest.fixture
def foreign_product(other_org):
    return product_model_create(organization=other_org, name="Far", sku="FAR-1", brand="Else")


def test_pages_need_sign_in(washer):
    for url in (
        reverse("catalog:products"),
        reverse("catalog:product_create"),
        reverse("catalog:product_edit", args=[washer.pk]),
    ):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("who", ["bob_agent", "tina_technician", "vic_viewer"])
def test_only_admins_and_supervisors_manage_products(request, org, washer, who):
    client = client_for(request.getfixturevalue(who))
    before = _products(org)
    for url in (
        reverse("catalog:products"),
        reverse("catalog:product_create"),
        reverse("catalog:product_edit", args=[washer.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "Only admins and supervisors manage product models." in response.content.decode()
    data = {"name": "New", "sku": "NEW-1"}
    assert client.post(reverse("catalog:product_create"), data).status_code == 403
    url = reverse("catalog:product_edit", args=[washer.pk])
    assert client.post(url, {"name": "Renamed", "sku": "WM-700"}).status_code == 403
    assert _products(org) == before


def test_list_shows_active_and_inactive_by_brand_and_name(org, supervisor_client, washer, fridge):
    ProductModel.objects.filter(pk=fridge.pk).update(is_active=False)
    product_model_create(organization=org, name="Other", sku="X-1", brand="Zed")
    response = supervisor_client.get(reverse("catalog:products"))
    assert response.status_code == 200
    rows = _rows(response)
    assert rows[:2] == [str(fridge.pk), str(washer.pk)]
    html = response.content.decode()
    fridge_row = html[html.index(f'data-product-id="{fridge.pk}"') :]
    assert 'data-testid="badge-inactive"' in fridge_row[: fridge_row.index("</tr>")]
    assert "WM-700" in html and "Washers" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "ecowash"}, ["washer"]),
        ({"q": "arctic"}, ["fridge"]),
        ({"q": "wm-700"}, ["washer"]),
        ({"q": "WM-7"}, ["washer"]),  # the start of the SKU, as of any word
        ({"q": "WM-8"}, []),
        ({"status": "inactive"}, ["fridge"]),
        ({"status": "active"}, ["washer"]),
        ({"status": "all"}, ["fridge", "washer"]),
    ],
)
def test_list_searches_and_filters(org, admin_client, washer, fridge, params, expected):
    ProductModel.objects.filter(pk=fridge.pk).update(is_active=False)
    products = {"washer": washer, "fridge": fridge}
    response = admin_client.get(reverse("catalog:products"), params)
    assert response.status_code == 200
    assert _rows(response) == [str(products[name].pk) for name in expected]
    if not expected:
        assert "No product model matches this search." in response.content.decode()


def test_list_pages_with_a_cursor(org, admin_client, monkeypatch):
    monkeypatch.setattr(common, "PAGE_SIZE", 2)
    made = [
        product_model_create(organization=org, name=f"Model {i}", sku=f"M-{i}", brand="B")
        for i in range(5)
    ]
    seen = []
    url = reverse("catalog:products")
    for _ in range(3):
        response = admin_client.get(url)
        assert response.status_code == 200
        seen += _rows(response)
        match = re.search(
            r'href="(\?[^"]*cursor=[^"]+)" data-testid="next-page"', response.content.decode()
        )
        if match is None:
            break
        url = reverse("catalog:products") + match.group(1).replace("&amp;", "&")
    assert seen == [str(product.pk) for product in made]


@pytest.mark.parametrize("params", [{"cursor": "not-a-cursor"}, {"status": "gone"}])
def test_list_with_bad_query_says_so(org, admin_client, washer, params):
    response = admin_client.get(reverse("catalog:products"), params)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="form-error"' in html or 'data-testid="error-status"' in html
    assert _rows(response) == []


def test_list_query_count_does_not_grow(org, admin_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(reverse("catalog:products"))
        assert response.status_code == 200
        return len(queries)

    for i in range(3):
        product_model_create(organization=org, name=f"Model {i}", sku=f"M-{i}")
    few = count()
    for i in range(3, 30):
        product_model_create(organization=org, name=f"Model {i}", sku=f"M-{i}")
    # session, user, memberships (the switcher's too), presence, products
    assert count() == few == 5


def test_create_a_product_model(org, supervisor_client):
    assert supervisor_client.get(reverse("catalog:product_create")).status_code == 200
    response = supervisor_client.post(
        reverse("catalog:product_create"),
        {"name": " یخچال ساید ", "sku": "SBS-9", "brand": "Pars", "category": "Fridges"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:products")
    product = ProductModel.objects.get(organization=org)
    assert (product.name, product.sku, product.brand, product.category, product.is_active) == (
        "یخچال ساید",
        "SBS-9",
        "Pars",
        "Fridges",
        True,
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "sku": "N-1"}, "name", "This field is required."),
        ({"name": "N", "sku": ""}, "sku", "This field is required."),
        ({"name": "N", "sku": "WM-700"}, "sku", "A product with this SKU already exists."),
        ({"name": "N", "sku": "x" * 65}, "sku", "at most 64 characters"),
        ({"name": "N", "sku": "N-1", "brand": "b" * 101}, "brand", "at most 100 characters"),
    ],
)
def test_create_with_bad_input_changes_nothing(org, admin_client, washer, data, field, message):
    before = _products(org)
    response = admin_client.post(reverse("catalog:product_create"), data)
    assert response.status_code == 422
    assert message in field_error(response, field)
    assert _products(org) == before


def test_sku_of_another_organization_is_free_here(org, admin_client, foreign_product):
    response = admin_client.post(
        reverse("catalog:product_create"), {"name": "Near", "sku": foreign_product.sku}
    )
    assert response.status_code == 302
    assert ProductModel.objects.get(organization=org).sku == "FAR-1"


def test_edit_a_product_model(org, admin_client, washer):
    url = reverse("catalog:product_edit", args=[washer.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'value="WM-700"' in page.content.decode()
    response = admin_client.post(
        url,
        {
            "name": "EcoWash 8",
            "sku": "WM-800",
            "brand": "Pars",
            "category": "Washing machines",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    washer.refresh_from_db()
    assert (washer.name, washer.sku, washer.category, washer.is_active) == (
        "EcoWash 8",
        "WM-800",
        "Washing machines",
        True,
    )


def test_deactivate_and_reactivate_a_product_model(org, admin_client, washer):
    url = reverse("catalog:product_edit", args=[washer.pk])
    data = {"name": washer.name, "sku": washer.sku, "brand": washer.brand}
    assert admin_client.post(url, data).status_code == 302
    washer.refresh_from_db()
    assert washer.is_active is False
    new_request = admin_client.get(reverse("tickets:create")).content.decode()
    assert f'<option value="{washer.pk}">Pars EcoWash 7</option>' not in new_request
    assert admin_client.post(url, {**data, "is_active": "on"}).status_code == 302
    washer.refresh_from_db()
    assert washer.is_active is True
    new_request = admin_client.get(reverse("tickets:create")).content.decode()
    assert f'<option value="{washer.pk}">Pars EcoWash 7</option>' in new_request


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "X", "sku": "RF-100"}, "sku", "A product with this SKU already exists."),
        ({"name": "", "sku": "WM-700"}, "name", "This field is required."),
        ({"name": "X", "sku": "WM-700", "category": "c" * 101}, "category", "at most 100"),
    ],
)
def test_edit_with_bad_input_changes_nothing(
    org, admin_client, washer, fridge, data, field, message
):
    before = _products(org)
    response = admin_client.post(
        reverse("catalog:product_edit", args=[washer.pk]), {**data, "is_active": "on"}
    )
    assert response.status_code == 422
    assert message in field_error(response, field)
    assert _products(org) == before


def test_another_organizations_product_model_is_404(other_org, admin_client, foreign_product):
    before = _products(other_org)
    url = reverse("catalog:product_edit", args=[foreign_product.pk])
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {"name": "Mine", "sku": "FAR-1"}).status_code == 404
    assert _products(other_org) == before
    html = admin_client.get(reverse("catalog:products")).content.decode()
    assert "FAR-1" not in html


def test_ids_out_of_range_are_404(org, admin_client):
    url = f"/catalog/products/{'9' * 30}/"
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {"name": "x", "sku": "y"}).status_code == 404
