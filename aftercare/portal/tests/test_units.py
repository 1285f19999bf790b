"""The customer's products in the portal: listing, registering, a unit's page, and a request
about one of them."""

import datetime
from decimal import Decimal

import jdatetime
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftercare.catalog.services import warranty_policy_create
from aftercare.customers.tests.factories import make_customer
from aftercare.lib.text import persian_digits
from aftercare.lib.vocabulary import Kind
from aftercare.portal.tests.conftest import sign_in
from aftercare.tickets.models import Ticket
from aftercare.warranty.coverage import last_day
from aftercare.warranty.models import Unit
from aftercare.warranty.services.contracts import contract_extend, contract_goodwill
from aftercare.warranty.services.units import unit_transfer
from aftercare.warranty.tests.unit_factories import make_product_model, make_unit

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def washer(org):
    policy = warranty_policy_create(organization=org, name="Two years", months=24)
    return make_product_model(organization=org, sku="WM-1", name="Washer", warranty_policy=policy)


def _register(client, **fields):
    data = {"serial_number": "", "purchase_date": "", "seller": "", "invoice_reference": ""}
    data.update(fields)
    return client.post("/portal/demo/units/new/", data)


def test_a_customer_registers_a_product_typed_in_persian(org, customer, customer_client, washer):
    page = customer_client.get("/portal/demo/units/new/")
    assert page.status_code == 200
    assert 'data-testid="nav-my-products"' in page.content.decode()
    bought = jdatetime.date.fromgregorian(date=TODAY - 10 * DAY).strftime("%Y/%m/%d")
    customer_client.cookies["aftercare_language"] = "fa"
    response = _register(
        customer_client,
        product_model=washer.pk,
        serial_number="sn-۱۲۳۴",
        purchase_date=persian_digits(bought),
        seller="فروشگاه",
        invoice_reference="F-۹",
        proof_of_purchase=SimpleUploadedFile("factor.pdf", PDF),
    )
    unit = Unit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/portal/demo/units/{unit.pk}/"
    assert (unit.serial_number, unit.serial_key) == ("sn-1234", "SN1234")
    assert (unit.customer, unit.source, unit.registered_by) == (customer, "portal", customer.user)
    assert unit.purchase_date == TODAY - 10 * DAY
    assert unit.proof_of_purchase
    page = customer_client.get(response["Location"])
    html = page.content.decode()
    until = jdatetime.date.fromgregorian(date=last_day(TODAY - 10 * DAY, 24))
    assert persian_digits(until.strftime("%Y/%m/%d")) in html
    assert 'data-covered="yes"' in html


def test_registering_a_serial_known_from_sales_makes_it_the_customers(
    org, customer, customer_client, washer
):
    imported = make_unit(
        organization=org, product_model=washer, serial="AW-77", source=Unit.Source.IMPORT
    )
    response = _register(customer_client, product_model=washer.pk, serial_number="aw 77")
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.customer == customer
    assert Unit.objects.count() == 1


def test_a_serial_someone_else_registered_is_refused(org, customer_client, washer):
    make_unit(
        organization=org,
        product_model=washer,
        customer=make_customer(organization=org),
        serial="A1",
    )
    response = _register(customer_client, product_model=washer.pk, serial_number="a-1")
    assert response.status_code == 422
    assert 'data-testid="error-serial_number"' in response.content.decode()
    assert Unit.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"serial_number": ""}, "serial_number"),
        ({"purchase_date": "2999-01-01"}, "purchase_date"),
        ({"purchase_date": "yesterday"}, "purchase_date"),
        ({"proof_of_purchase": SimpleUploadedFile("x.exe", b"MZ")}, "proof_of_purchase"),
    ],
)
def test_bad_input_is_shown_on_its_field(org, customer_client, washer, fields, error):
    response = _register(
        customer_client, **{"product_model": washer.pk, "serial_number": "S"} | fields
    )
    assert response.status_code == 422
    assert f'data-testid="error-{error}"' in response.content.decode()
    assert not Unit.objects.exists()


def test_only_the_organizations_active_models_are_offered(org, other_org, customer_client, washer):
    make_product_model(organization=other_org, name="Elsewhere")
    retired = make_product_model(organization=org, name="Retired")
    retired.is_active = False
    retired.save()
    html = customer_client.get("/portal/demo/units/new/").content.decode()
    assert "Washer" in html and "Elsewhere" not in html and "Retired" not in html
    response = _register(customer_client, product_model=retired.pk, serial_number="R-1")
    assert response.status_code == 422
    assert not Unit.objects.exists()


def test_my_products_lists_mine_with_coverage_in_flat_queries(
    org, customer, customer_client, washer
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = customer_client.get("/portal/demo/units/")
        assert response.status_code == 200
        return len(queries), response.content.decode()

    mine = make_unit(organization=org, product_model=washer, customer=customer)
    make_unit(organization=org, product_model=washer, customer=make_customer(organization=org))
    few, html = count()
    assert html.count('data-testid="unit-row"') == 1
    assert f'data-unit-id="{mine.pk}"' in html
    assert "In warranty until" in html
    old = make_unit(
        organization=org, product_model=washer, customer=customer, purchase_date=TODAY - 900 * DAY
    )
    contract_extend(unit=old, months=12, price=Decimal("90.00"))
    for _ in range(4):
        make_unit(organization=org, product_model=washer, customer=customer)
    many, html = count()
    assert many == few
    assert html.count('data-testid="unit-row"') == 6
    assert "Covered by an extended warranty until" in html


def test_a_unit_page_shows_coverage_and_contracts_not_earlier_owners(
    org, customer, customer_client, washer
):
    seller = make_customer(organization=org, name="Previous Owner")
    unit = make_unit(
        organization=org, product_model=washer, customer=seller, purchase_date=TODAY - 800 * DAY
    )
    unit_transfer(unit=unit, to_customer=customer, on=TODAY - DAY, note="Bought second hand")
    contract_goodwill(
        unit=unit, starts_on=TODAY - DAY, ends_on=TODAY + 30 * DAY, note="Sorry", actor=None
    )
    html = customer_client.get(f"/portal/demo/units/{unit.pk}/").content.decode()
    assert 'data-testid="contract-row"' in html
    assert "Covered by goodwill until" in html
    assert "Previous Owner" not in html and "second hand" not in html
    assert f"/portal/demo/requests/new/?unit={unit.pk}" in html


def test_another_customers_or_organizations_unit_is_404(
    org, other_org, customer_client, washer, other_customer
):
    theirs = make_unit(
        organization=org, product_model=washer, customer=make_customer(organization=org)
    )
    foreign = make_unit(organization=other_org, customer=other_customer)
    assert customer_client.get(f"/portal/demo/units/{theirs.pk}/").status_code == 404
    assert customer_client.get(f"/portal/demo/units/{foreign.pk}/").status_code == 404
    # The other organization's portal does not know this customer at all.
    assert customer_client.get(f"/portal/other/units/{foreign.pk}/").status_code == 302


def test_signed_out_visitors_go_to_the_sign_in_page(org, client):
    for path in ("/portal/demo/units/", "/portal/demo/units/new/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/portal/demo/login/")


# A request about a registered product


def _request(**fields) -> dict:
    data = {
        "product_model": "",
        "serial_number": "",
        "purchase_date": "",
        "seller": "",
        "kind": Kind.REPAIR,
        "subject": "Drum does not spin",
        "description": "It hums.",
    }
    data.update(fields)
    return data


def test_a_request_names_one_of_my_units(org, customer, customer_client, washer):
    unit = make_unit(
        organization=org, product_model=washer, customer=customer, serial="AW-5", seller="Shop"
    )
    page = customer_client.get(f"/portal/demo/requests/new/?unit={unit.pk}").content.decode()
    assert f'<option value="{unit.pk}" selected>' in page
    response = customer_client.post("/portal/demo/requests/new/", _request(unit=unit.pk))
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.unit, ticket.serial_number, ticket.seller) == (unit, "AW-5", "Shop")
    assert ticket.product_model == washer


def test_a_request_cannot_name_another_customers_unit(org, customer_client, washer, customer):
    make_unit(organization=org, product_model=washer, customer=customer)
    theirs = make_unit(
        organization=org, product_model=washer, customer=make_customer(organization=org)
    )
    response = customer_client.post("/portal/demo/requests/new/", _request(unit=theirs.pk))
    assert response.status_code == 422
    assert 'data-testid="error-unit"' in response.content.decode()
    assert not Ticket.objects.exists()


def test_without_units_the_request_form_offers_to_register_one(org, customer_client):
    html = customer_client.get("/portal/demo/requests/new/").content.decode()
    assert 'name="unit"' not in html
    assert "/portal/demo/units/new/" in html


def test_another_customer_signed_in_sees_only_their_products(org, customer, washer):
    someone = make_customer(organization=org, email="someone@example.com")
    make_unit(organization=org, product_model=washer, customer=customer)
    html = sign_in(someone).get("/portal/demo/units/").content.decode()
    assert 'data-testid="no-units"' in html
