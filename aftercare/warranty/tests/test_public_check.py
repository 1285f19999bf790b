"""The public warranty check by serial number on an organization's portal."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.catalog.services import fault_code_create
from aftercare.warranty.models import Contract
from aftercare.warranty.tests.coverage_factories import fixed_now, make_dated_unit, make_model

D = datetime.date


@pytest.fixture
def _today(monkeypatch):
    # 2026-11-20 in UTC and in Tehran.
    fixed_now(monkeypatch, "2026-11-20T09:00:00")


@pytest.fixture
def washer(org, customer):
    """Maryam's washer, bought 2026-03-10 under a 12-month warranty: covered to 2027-03-09."""
    model = make_model(organization=org, months=12, name="EcoWash 7")
    return make_dated_unit(
        organization=org,
        product_model=model,
        serial="SN-12 345",
        customer=customer,
        seller="Tehran Appliance Centre",
        invoice_reference="INV-9981",
    )


@pytest.fixture
def foreign_unit(other_org, other_customer):
    model = make_model(organization=other_org, months=24, name="Far Fridge")
    return make_dated_unit(
        organization=other_org, product_model=model, serial="SN12345", customer=other_customer
    )


def _url(org) -> str:
    return reverse("warranty_public:check", args=[org.slug])


def test_the_page_is_public_and_a_get_form(org):
    response = Client().get(_url(org))
    assert response.status_code == 200
    html = response.content.decode()
    form = html[html.index('data-testid="check-form"') :]
    form = form[: form.index("</form>")]
    assert 'name="serial"' in form and "csrfmiddlewaretoken" not in form
    assert '<form method="get" action="/portal/demo/warranty-check/"' in html
    assert "Demo Electronics" in html  # the portal's frame
    assert Client().post(_url(org), {"serial": "x"}).status_code == 405


def test_an_unknown_organization_is_404(db):
    assert Client().get("/portal/nobody/warranty-check/", {"serial": "SN"}).status_code == 404


def test_a_covered_unit_in_english(_today, org, washer):
    response = Client().get(_url(org), {"serial": "sn12345"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Arya EcoWash 7" in html
    assert 'data-testid="check-covered"' in html
    assert "In warranty until 2027-03-09." in html
    assert 'data-testid="check-serial">SN-12 345</span>' in html
    assert "Parts" in html and "Labour" in html and "On-site travel" not in html
    assert "Checked for 2026-11-20." in html


def test_a_covered_unit_in_persian_with_persian_digits(_today, org, washer):
    client = Client()
    client.cookies["aftercare_language"] = "fa"
    # Typed with Persian digits and without the dash.
    response = client.get(_url(org), {"serial": "sn ۱۲۳۴۵"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert "Arya EcoWash 7" in html
    assert 'data-testid="check-covered"' in html
    # 2027-03-09 is 18 Esfand 1405; 2026-11-20 is 29 Aban 1405.
    assert "۱۴۰۵/۱۲/۱۸" in html
    assert "۱۴۰۵/۰۸/۲۹" in html
    assert "2027-03-09" not in html


def test_an_expired_unit_says_when(monkeypatch, org, washer):
    fixed_now(monkeypatch, "2027-03-10T09:00:00")
    html = Client().get(_url(org), {"serial": "SN-12345"}).content.decode()
    assert 'data-testid="check-not-covered"' in html
    assert "The warranty has expired." in html
    assert "It ended on 2027-03-09." in html


def test_an_extended_contract_shows(_today, org, washer):
    Contract.objects.create(
        organization=org,
        unit=washer,
        kind="extended",
        starts_on=D(2026, 11, 1),
        ends_on=D(2027, 10, 31),
        covers_travel=True,
    )
    # The standard warranty comes first; the extension's own end shows once it covers.
    html = Client().get(_url(org), {"serial": "SN-12345"}).content.decode()
    assert "In warranty until 2027-03-09." in html


def test_the_public_check_asks_about_no_fault(_today, org):
    physical = fault_code_create(organization=org, code="PHY", name="Physical damage")
    model = make_model(organization=org, months=12, excluded_faults=[physical])
    make_dated_unit(organization=org, product_model=model, serial="AB-1")
    assert (
        "In warranty until 2027-03-09."
        in Client().get(_url(org), {"serial": "ab1"}).content.decode()
    )


def test_never_the_owner_or_the_purchase(_today, org, washer, customer):
    html = Client().get(_url(org), {"serial": "SN-12345"}).content.decode()
    for private in (
        "Maryam",
        "maryam@example.com",
        "912",
        "Tehran Appliance Centre",
        "INV-9981",
        "2026-03-10",
        customer.name,
    ):
        assert private not in html


def test_an_unknown_serial_says_so_and_nothing_else(_today, org, washer):
    response = Client().get(_url(org), {"serial": "NOPE-1"})
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-testid="check-not-found"' in html
    assert "We could not find a unit with this serial number." in html
    assert 'data-testid="check-result"' not in html
    assert "EcoWash" not in html


def test_another_organizations_serial_is_not_found(_today, org, other_org, foreign_unit):
    # The same serial exists, but in the other organization only.
    response = Client().get(_url(org), {"serial": "SN12345"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "Far Fridge" not in html and "Mehmet" not in html
    assert 'data-testid="check-not-found"' in html
    # On its own portal it is found.
    assert "Far Fridge" in Client().get(_url(other_org), {"serial": "SN12345"}).content.decode()


@pytest.mark.parametrize("serial", ["", "   ", "x" * 101])
def test_a_bad_serial_is_a_field_error(org, serial):
    response = Client().get(_url(org), {"serial": serial})
    assert response.status_code == 422
    assert 'data-testid="error-serial"' in response.content.decode()


@pytest.mark.parametrize("store", ["cache", "files"])
def test_the_check_is_rate_limited_per_address(_today, org, washer, settings, tmp_path, store):
    settings.WARRANTY_CHECK_MAX_PER_IP = 3
    if store == "files":
        settings.RATE_LIMIT_DIRECTORY = tmp_path
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        assert client.get(_url(org), {"serial": "SN-12345"}).status_code == 200
    refused = client.get(_url(org), {"serial": "SN-12345"})
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Too many checks from your connection." in html
    assert 'data-testid="check-result"' not in html and "EcoWash" not in html
    # Unknown serials count too, and another address is not held back.
    assert client.get(_url(org), {"serial": "NOPE"}).status_code == 429
    other = Client(REMOTE_ADDR="198.51.100.4")
    assert other.get(_url(org), {"serial": "SN-12345"}).status_code == 200


def test_the_query_count_is_flat_and_small(_today, org, washer):
    for index in range(30):
        make_dated_unit(organization=org, product_model=washer.product_model, serial=f"Z-{index}")
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(_url(org), {"serial": "SN-12345"})
    assert response.status_code == 200
    # The organization, then the unit with its model, policy and live contracts.
    assert len(queries) == 2
    # Past the standard warranty its contracts decide, and they came with the unit.
    make_dated_unit(
        organization=org,
        product_model=washer.product_model,
        serial="OLD-1",
        purchase_date=D(2024, 1, 1),
    )
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(_url(org), {"serial": "OLD-1"})
    assert "The warranty has expired." in response.content.decode()
    assert len(queries) == 2
