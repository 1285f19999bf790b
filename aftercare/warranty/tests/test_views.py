"""Console pages for units: list, unit page, register, edit, transfer, import, customer page."""

import datetime
import io

import jdatetime
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftercare.catalog.services import warranty_policy_create
from aftercare.customers.tests.factories import make_customer
from aftercare.lib.testing import field_error, row_ids, text_of
from aftercare.lib.text import persian_digits
from aftercare.warranty.coverage import last_day
from aftercare.warranty.models import Unit, UnitTransfer
from aftercare.warranty.services.contracts import contract_goodwill
from aftercare.warranty.services.units import unit_transfer
from aftercare.warranty.tests.unit_factories import make_product_model, make_unit

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def washer(org):
    policy = warranty_policy_create(organization=org, name="Two years", months=24)
    return make_product_model(organization=org, sku="WM-1", name="Washer", warranty_policy=policy)


def _date(value: datetime.date) -> str:
    return value.isoformat()


# --- The list ---


def test_units_link_is_in_the_top_bar(agent_client):
    html = text_of(agent_client.get(reverse("warranty:list")))
    assert 'data-testid="nav-units"' in html


def test_list_searches_serials_typed_any_way(org, agent_client, customer, washer):
    mine = make_unit(organization=org, product_model=washer, customer=customer, serial="AB-100")
    make_unit(organization=org, serial="XY-100")
    response = agent_client.get(reverse("warranty:list"), {"q": "ab۱۰"})
    assert response.status_code == 200
    assert row_ids(response, "unit") == [str(mine.pk)]
    by_customer = agent_client.get(reverse("warranty:list"), {"customer": customer.pk})
    assert row_ids(by_customer, "unit") == [str(mine.pk)]
    by_model = agent_client.get(reverse("warranty:list"), {"product_model_id": washer.pk})
    assert row_ids(by_model, "unit") == [str(mine.pk)]


def test_list_pages_with_a_cursor_and_a_flat_query_count(org, agent_client):
    def count(params=None):
        with CaptureQueriesContext(connection) as queries:
            response = agent_client.get(reverse("warranty:list"), params or {})
        assert response.status_code == 200
        return len(queries), response

    make_unit(organization=org)
    few, _response = count()
    units = [make_unit(organization=org) for _ in range(55)]
    many, response = count()
    assert many == few
    assert len(row_ids(response, "unit")) == 50
    html = text_of(response)
    cursor = html.split('data-testid="next-page"')[0].rsplit("cursor=", 1)[1].split('"')[0]
    second = agent_client.get(reverse("warranty:list") + "?cursor=" + cursor)
    assert row_ids(second, "unit")[-1] == str(Unit.objects.order_by("created_at", "id")[0].pk)
    assert len(row_ids(second, "unit")) == 6
    assert str(units[-1].pk) not in row_ids(second, "unit")


def test_list_bad_cursor_is_422(agent_client):
    response = agent_client.get(reverse("warranty:list"), {"cursor": "junk"})
    assert response.status_code == 422


def test_list_hides_other_organizations(org, other_org, agent_client, outsider_client):
    theirs = make_unit(organization=other_org, serial="THEIRS-1")
    assert row_ids(agent_client.get(reverse("warranty:list")), "unit") == []
    assert row_ids(outsider_client.get(reverse("warranty:list")), "unit") == [str(theirs.pk)]


# --- A unit's page ---


def test_unit_page_shows_coverage_contracts_transfers(org, agent_client, customer, washer):
    unit = make_unit(
        organization=org,
        product_model=washer,
        customer=customer,
        serial="AB-1",
        purchase_date=datetime.date(2025, 3, 1),
        proof_of_purchase=SimpleUploadedFile("invoice.pdf", PDF),
    )
    buyer = make_customer(organization=org, name="Second Owner")
    unit_transfer(unit=unit, to_customer=buyer, on=TODAY, note="Sold to a friend")
    response = agent_client.get(reverse("warranty:detail", args=[unit.pk]))
    html = text_of(response)
    assert response.status_code == 200
    until = datetime.date(2027, 2, 28)
    if until >= TODAY:
        assert "In warranty until" in html
    assert 'data-testid="proof-link"' in html
    assert "Second Owner" in html and "Sold to a friend" in html
    assert 'data-testid="unit-owner"' in html


def test_unit_page_in_persian_shows_jalali_persian_digits(org, agent_client, customer, washer):
    purchase = TODAY - 30 * DAY
    unit = make_unit(
        organization=org, product_model=washer, customer=customer, purchase_date=purchase
    )
    agent_client.cookies["aftercare_language"] = "fa"
    html = text_of(agent_client.get(reverse("warranty:detail", args=[unit.pk])))
    until = jdatetime.date.fromgregorian(date=last_day(purchase, 24)).strftime("%Y/%m/%d")
    assert persian_digits(until) in html


def test_proof_is_served_to_staff_of_the_organization_only(
    org, agent_client, outsider_client, customer
):
    unit = make_unit(
        organization=org,
        customer=customer,
        proof_of_purchase=SimpleUploadedFile("invoice.pdf", PDF),
    )
    response = agent_client.get(reverse("warranty:proof", args=[unit.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(response.streaming_content) == PDF
    assert outsider_client.get(reverse("warranty:proof", args=[unit.pk])).status_code == 404
    bare = make_unit(organization=org)
    assert agent_client.get(reverse("warranty:proof", args=[bare.pk])).status_code == 404


@pytest.mark.parametrize("name", ["detail", "edit", "transfer", "proof"])
def test_another_organizations_unit_is_404(org, other_org, outsider_client, name):
    unit = make_unit(organization=org)
    response = outsider_client.get(reverse(f"warranty:{name}", args=[unit.pk]))
    assert response.status_code == 404


def test_viewers_read_but_do_not_register_or_change(org, viewer_client):
    unit = make_unit(organization=org)
    assert viewer_client.get(reverse("warranty:detail", args=[unit.pk])).status_code == 200
    for url in (
        reverse("warranty:create"),
        reverse("warranty:edit", args=[unit.pk]),
        reverse("warranty:transfer", args=[unit.pk]),
        reverse("warranty:import"),
    ):
        assert viewer_client.get(url).status_code == 403


def test_agents_do_not_import(agent_client):
    assert agent_client.get(reverse("warranty:import")).status_code == 403


# --- Registering and editing ---


def test_register_for_a_customer_returns_to_the_request(org, agent_client, customer, washer):
    url = reverse("warranty:create") + f"?customer={customer.pk}&next=/requests/7/"
    page = agent_client.get(url)
    assert 'data-testid="chosen-customer"' in text_of(page)
    response = agent_client.post(
        url,
        {
            "customer_id": customer.pk,
            "next": "/requests/7/",
            "product_model_id": washer.pk,
            "serial_number": "sn-۷۷",
            "purchase_date": _date(TODAY - 3 * DAY),
            "seller": "Shop",
            "invoice_reference": "F-1",
            "is_sold_by_us": "on",
            "proof_of_purchase": SimpleUploadedFile("scan.pdf", PDF),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/requests/7/"
    unit = Unit.objects.get()
    assert (unit.serial_number, unit.customer, unit.source) == ("sn-77", customer, "console")
    assert unit.proof_of_purchase


def test_register_refuses_a_duplicate_serial_on_its_field(org, agent_client, customer, washer):
    owner = make_customer(organization=org)
    make_unit(organization=org, product_model=washer, customer=owner, serial="SN-1")
    response = agent_client.post(
        reverse("warranty:create") + f"?customer={customer.pk}",
        {"customer_id": customer.pk, "product_model_id": washer.pk, "serial_number": "sn 1"},
    )
    assert response.status_code == 422
    assert "already registered" in field_error(response, "serial_number")
    assert Unit.objects.count() == 1


def test_register_refuses_a_foreign_next_url(org, agent_client, washer):
    response = agent_client.post(
        reverse("warranty:create"),
        {"product_model_id": washer.pk, "serial_number": "A-1", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("warranty:detail", args=[Unit.objects.get().pk])


def test_register_with_another_organizations_customer_is_404(org, agent_client, other_customer):
    url = reverse("warranty:create") + f"?customer={other_customer.pk}"
    assert agent_client.get(url).status_code == 404


def test_register_in_persian_takes_jalali_dates(org, agent_client, customer, washer):
    agent_client.cookies["aftercare_language"] = "fa"
    response = agent_client.post(
        reverse("warranty:create") + f"?customer={customer.pk}",
        {
            "customer_id": customer.pk,
            "product_model_id": washer.pk,
            "serial_number": "J-1",
            "purchase_date": "1403/05/20",
        },
    )
    assert response.status_code == 302
    assert Unit.objects.get().purchase_date == datetime.date(2024, 8, 10)


def test_edit_changes_dates_and_removes_the_proof(org, agent_client, customer, washer):
    unit = make_unit(
        organization=org,
        product_model=washer,
        customer=customer,
        serial="E-1",
        purchase_date=TODAY - 10 * DAY,
        proof_of_purchase=SimpleUploadedFile("scan.pdf", PDF),
    )
    page = agent_client.get(reverse("warranty:edit", args=[unit.pk]))
    assert 'name="remove_proof"' in text_of(page)
    response = agent_client.post(
        reverse("warranty:edit", args=[unit.pk]),
        {
            "product_model_id": washer.pk,
            "serial_number": "E-1",
            "purchase_date": _date(TODAY - 10 * DAY),
            "installation_date": _date(TODAY - 11 * DAY),
        },
    )
    assert response.status_code == 422
    assert "before the purchase date" in field_error(response, "installation_date")
    response = agent_client.post(
        reverse("warranty:edit", args=[unit.pk]),
        {
            "product_model_id": washer.pk,
            "serial_number": "E-1",
            "purchase_date": _date(TODAY - 10 * DAY),
            "installation_date": _date(TODAY - 2 * DAY),
            "remove_proof": "on",
        },
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.installation_date == TODAY - 2 * DAY
    assert not unit.proof_of_purchase
    assert unit.is_sold_by_us is False  # the box was not ticked


# --- Transfers ---


def test_transfer_to_a_customer_found_on_the_page(org, agent_client, customer):
    unit = make_unit(organization=org, customer=customer)
    buyer = make_customer(organization=org, name="Buyer Person", email="buyer@example.com")
    search = agent_client.get(reverse("warranty:transfer", args=[unit.pk]), {"customer_q": "buyer"})
    assert 'data-testid="choose-customer"' in text_of(search)
    response = agent_client.post(
        reverse("warranty:transfer", args=[unit.pk]),
        {"customer_id": buyer.pk, "transferred_on": _date(TODAY), "note": "Sold"},
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.customer, unit.transferred_on) == (buyer, TODAY)
    assert UnitTransfer.objects.get().note == "Sold"


def test_transfer_without_a_customer_or_in_the_future_is_refused(org, agent_client, customer):
    unit = make_unit(organization=org, customer=customer)
    response = agent_client.post(
        reverse("warranty:transfer", args=[unit.pk]), {"transferred_on": _date(TODAY)}
    )
    assert response.status_code == 422
    buyer = make_customer(organization=org)
    response = agent_client.post(
        reverse("warranty:transfer", args=[unit.pk]),
        {"customer_id": buyer.pk, "transferred_on": _date(TODAY + DAY)},
    )
    assert response.status_code == 422
    assert "future" in field_error(response, "transferred_on")
    assert not UnitTransfer.objects.exists()


def test_transfer_to_another_organizations_customer_is_404(org, agent_client, other_customer):
    unit = make_unit(organization=org)
    response = agent_client.post(
        reverse("warranty:transfer", args=[unit.pk]),
        {"customer_id": other_customer.pk, "transferred_on": _date(TODAY)},
    )
    assert response.status_code == 404
    assert not UnitTransfer.objects.exists()


# --- Import ---


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("units.csv", text.encode(), content_type="text/csv")


def test_import_checks_then_imports_the_checked_file(org, supervisor_client, washer):
    content = "serial_number,product_sku,purchase_date\nA-1,WM-1,2025-01-02\nA-2,NOPE,\nA-3,WM-1,\n"
    check = supervisor_client.post(
        reverse("warranty:import"), {"action": "check", "file": _csv(content)}
    )
    assert check.status_code == 200
    html = text_of(check)
    assert 'data-line="3" data-field="product_sku"' in html
    assert 'data-testid="import-confirm"' in html
    assert not Unit.objects.exists()
    token = html.split('name="token" value="')[1].split('"')[0]
    done = supervisor_client.post(reverse("warranty:import"), {"action": "import", "token": token})
    assert done.status_code == 200
    assert sorted(Unit.objects.values_list("serial_key", flat=True)) == ["A1", "A3"]
    # The token was spent with its file.
    again = supervisor_client.post(reverse("warranty:import"), {"action": "import", "token": token})
    assert again.status_code == 422
    assert Unit.objects.count() == 2


def test_import_token_of_another_member_is_refused(org, supervisor_client, admin_client, washer):
    check = supervisor_client.post(
        reverse("warranty:import"),
        {"action": "check", "file": _csv("serial_number,product_sku\nA-1,WM-1\n")},
    )
    token = text_of(check).split('name="token" value="')[1].split('"')[0]
    response = admin_client.post(reverse("warranty:import"), {"action": "import", "token": token})
    assert response.status_code == 422
    assert not Unit.objects.exists()


def test_import_of_an_unreadable_file_is_422_on_the_file(org, supervisor_client):
    response = supervisor_client.post(
        reverse("warranty:import"),
        {"action": "import", "file": _csv("serial_number,seller\nA,B\n")},
    )
    assert response.status_code == 422
    assert "product_sku" in field_error(response, "file")


def test_import_directly_without_a_check(org, supervisor_client, washer):
    upload = SimpleUploadedFile(
        "units.csv", io.BytesIO(b"serial_number,product_sku\nQ-1,WM-1\n").read()
    )
    response = supervisor_client.post(
        reverse("warranty:import"), {"action": "import", "file": upload}
    )
    assert response.status_code == 200
    assert Unit.objects.get().source == Unit.Source.IMPORT


# --- The customer page ---


def test_customer_page_lists_units_coverage_and_contracts_in_flat_queries(
    org, agent_client, customer, washer
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = agent_client.get(reverse("customers:detail", args=[customer.pk]))
        assert response.status_code == 200
        return len(queries), text_of(response)

    first = make_unit(organization=org, product_model=washer, customer=customer)
    few, html = count()
    assert f'data-unit-id="{first.pk}"' in html
    assert "In warranty until" in html
    assert 'data-testid="register-unit-for-customer"' in html
    old = make_unit(
        organization=org, product_model=washer, customer=customer, purchase_date=TODAY - 1000 * DAY
    )
    contract_goodwill(
        unit=old, starts_on=TODAY - DAY, ends_on=TODAY + 10 * DAY, note="Flood", actor=None
    )
    for _ in range(5):
        make_unit(organization=org, product_model=washer, customer=customer)
    make_unit(organization=org, product_model=washer, customer=make_customer(organization=org))
    many, html = count()
    assert many == few
    assert html.count('data-testid="customer-unit-row"') == 7
    assert "Covered by goodwill until" in html
