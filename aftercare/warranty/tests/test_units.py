"""Registering, editing and transferring units: the services and the serial rules."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aftercare.api.tests.files import png_bytes
from aftercare.customers.tests.factories import make_customer
from aftercare.lib.errors import ApplicationError
from aftercare.warranty.models import Unit, UnitTransfer
from aftercare.warranty.selectors import unit_get_by_serial, unit_page
from aftercare.warranty.serials import serial_clean, serial_key
from aftercare.warranty.services.units import (
    unit_installation_set,
    unit_register,
    unit_transfer,
    unit_update,
)
from aftercare.warranty.tests.unit_factories import make_product_model, make_unit

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_serials_typed_in_persian_or_arabic_digits_are_ascii():
    assert serial_clean("  ۱۲۳-٤٥٦ab\x00 ") == "123-456ab"
    assert serial_key("sn ۱۲-۳4.5/6_7") == "SN1234567"
    assert serial_key("ＳＮ１２") == "SN12"  # full-width letters and digits (NFKC)
    assert serial_key(None) == ""


def test_register_stores_the_serial_in_ascii(org, customer, bob_agent):
    model = make_product_model(organization=org)
    unit = unit_register(
        organization=org,
        product_model=model,
        serial_number=" AB-۱۲۳۴ ",
        customer=customer,
        source=Unit.Source.CONSOLE,
        actor=bob_agent,
        purchase_date=TODAY - 10 * DAY,
        seller=" Shop ",
    )
    unit.refresh_from_db()
    assert (unit.serial_number, unit.serial_key) == ("AB-1234", "AB1234")
    assert unit.customer == customer
    assert unit.registered_by == bob_agent
    assert unit.registered_at is not None
    assert unit.seller == "Shop"
    assert unit_get_by_serial(organization=org, serial="ab 1234") == unit


def test_a_registered_serial_is_refused_however_it_is_typed(org, customer):
    model = make_product_model(organization=org)
    make_unit(organization=org, product_model=model, customer=customer, serial="SN-100")
    other = make_customer(organization=org)
    with pytest.raises(ApplicationError) as caught:
        unit_register(
            organization=org,
            product_model=model,
            serial_number="sn۱۰۰",
            customer=other,
            source=Unit.Source.PORTAL,
        )
    assert caught.value.field == "serial_number"
    assert Unit.objects.count() == 1
    assert Unit.objects.get().customer == customer


def test_the_same_serial_in_another_organization_is_another_unit(org, other_org):
    make_unit(organization=org, serial="SN-1")
    unit = make_unit(organization=other_org, serial="SN-1")
    assert unit.organization == other_org
    assert Unit.objects.count() == 2


def test_a_customer_registering_an_imported_unit_becomes_its_owner(org, customer):
    model = make_product_model(organization=org)
    imported = unit_register(
        organization=org,
        product_model=model,
        serial_number="IMP-1",
        source=Unit.Source.IMPORT,
        purchase_date=TODAY - 20 * DAY,
        seller="Sales system",
    )
    assert imported.registered_at is None
    upload = SimpleUploadedFile("invoice.pdf", PDF)
    unit = unit_register(
        organization=org,
        product_model=model,
        serial_number="imp 1",
        customer=customer,
        source=Unit.Source.PORTAL,
        actor=customer.user,
        purchase_date=TODAY - 5 * DAY,
        seller="Typed by the customer",
        invoice_reference="INV-9",
        proof_of_purchase=upload,
    )
    assert unit.pk == imported.pk
    unit.refresh_from_db()
    assert unit.customer == customer
    assert unit.registered_at is not None
    # What sales recorded stands; what it left empty comes from the customer.
    assert unit.purchase_date == TODAY - 20 * DAY
    assert unit.seller == "Sales system"
    assert unit.invoice_reference == "INV-9"
    assert unit.proof_of_purchase.name.endswith(".pdf")
    assert Unit.objects.count() == 1


def test_an_imported_unit_is_not_claimed_as_another_model(org, customer):
    model, other_model = make_product_model(organization=org), make_product_model(organization=org)
    make_unit(organization=org, product_model=model, serial="IMP-2", source=Unit.Source.IMPORT)
    with pytest.raises(ApplicationError) as caught:
        unit_register(
            organization=org,
            product_model=other_model,
            serial_number="IMP-2",
            customer=customer,
            source=Unit.Source.PORTAL,
        )
    assert caught.value.field == "product_model_id"
    assert Unit.objects.get().customer is None


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"purchase_date": TODAY + DAY}, "purchase_date"),
        ({"delivery_date": TODAY + DAY}, "delivery_date"),
        ({"installation_date": TODAY + DAY}, "installation_date"),
        ({"purchase_date": TODAY - DAY, "delivery_date": TODAY - 2 * DAY}, "delivery_date"),
        ({"purchase_date": TODAY - DAY, "installation_date": TODAY - 2 * DAY}, "installation_date"),
        ({"delivery_date": TODAY - DAY, "installation_date": TODAY - 2 * DAY}, "installation_date"),
    ],
)
def test_dates_are_checked(org, customer, dates, field):
    model = make_product_model(organization=org)
    with pytest.raises(ApplicationError) as caught:
        unit_register(
            organization=org,
            product_model=model,
            serial_number="D-1",
            customer=customer,
            source=Unit.Source.CONSOLE,
            **{"purchase_date": None, **dates},
        )
    assert caught.value.field == field
    assert not Unit.objects.exists()


def test_dates_of_the_same_day_are_accepted(org, customer):
    unit = make_unit(
        organization=org,
        customer=customer,
        purchase_date=TODAY,
        delivery_date=TODAY,
        installation_date=TODAY,
    )
    assert unit.installation_date == TODAY


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("invoice.txt", b"hello"),
        ("invoice.pdf", b"not a pdf"),
        ("photo.png", b"\xff\xd8\xff jpeg bytes"),
        ("empty.pdf", b""),
    ],
)
def test_proof_of_purchase_must_be_a_pdf_jpeg_or_png(org, customer, name, content):
    with pytest.raises(ApplicationError) as caught:
        make_unit(
            organization=org,
            customer=customer,
            proof_of_purchase=SimpleUploadedFile(name, content),
        )
    assert caught.value.field == "proof_of_purchase"
    assert not Unit.objects.exists()


def test_proof_of_purchase_size_is_limited(org, customer, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    big = png_bytes() + b"\x00" * 2000
    with pytest.raises(ApplicationError) as caught:
        make_unit(
            organization=org,
            customer=customer,
            proof_of_purchase=SimpleUploadedFile("scan.png", big),
        )
    assert caught.value.field == "proof_of_purchase"


def test_foreign_model_or_customer_is_refused(org, other_org, customer, other_customer):
    foreign_model = make_product_model(organization=other_org)
    with pytest.raises(ApplicationError) as caught:
        make_unit(organization=org, product_model=foreign_model, customer=customer)
    assert caught.value.field == "product_model_id"
    with pytest.raises(ApplicationError) as caught:
        make_unit(organization=org, customer=other_customer)
    assert caught.value.field == "customer_id"
    assert not Unit.objects.filter(organization=org).exists()


def test_update_changes_only_what_is_given(org, customer):
    unit = make_unit(organization=org, customer=customer, serial="U-1", seller="A")
    updated = unit_update(
        unit=unit, serial_number="u-۲", delivery_date=TODAY - DAY, is_sold_by_us=False
    )
    updated.refresh_from_db()
    assert (updated.serial_number, updated.serial_key) == ("u-2", "U2")
    assert updated.delivery_date == TODAY - DAY
    assert updated.is_sold_by_us is False
    assert updated.seller == "A"


def test_update_refuses_a_serial_of_another_unit_and_bad_dates(org, customer):
    make_unit(organization=org, serial="U-1")
    unit = make_unit(organization=org, customer=customer, serial="U-2")
    with pytest.raises(ApplicationError) as caught:
        unit_update(unit=unit, serial_number="u1")
    assert caught.value.field == "serial_number"
    with pytest.raises(ApplicationError) as caught:
        unit_update(unit=unit, installation_date=unit.purchase_date - DAY)
    assert caught.value.field == "installation_date"
    unit.refresh_from_db()
    assert unit.serial_key == "U2"
    assert unit.installation_date is None


def test_update_replaces_and_removes_the_proof(org, customer):
    unit = make_unit(organization=org, customer=customer)
    unit = unit_update(unit=unit, proof_of_purchase=SimpleUploadedFile("scan.png", png_bytes()))
    assert unit.proof_of_purchase.name.endswith(".png")
    unit = unit_update(unit=unit, proof_of_purchase=None)
    unit.refresh_from_db()
    assert not unit.proof_of_purchase


def test_transfer_records_history_and_the_day(org, customer, bob_agent):
    unit = make_unit(organization=org, customer=customer)
    buyer = make_customer(organization=org, name="Second owner")
    transfer = unit_transfer(
        unit=unit, to_customer=buyer, on=TODAY - DAY, note="Sold on", actor=bob_agent
    )
    unit.refresh_from_db()
    assert unit.customer == buyer
    assert unit.transferred_on == TODAY - DAY
    row = UnitTransfer.objects.get()
    assert row == transfer
    assert (row.from_customer, row.to_customer, row.note, row.actor) == (
        customer,
        buyer,
        "Sold on",
        bob_agent,
    )


def test_first_owner_of_an_imported_unit_is_no_change_of_hands(org, customer):
    unit = make_unit(organization=org, source=Unit.Source.IMPORT)
    unit_transfer(unit=unit, to_customer=customer, on=TODAY)
    unit.refresh_from_db()
    assert unit.customer == customer
    assert unit.transferred_on is None
    assert unit.registered_at is not None
    assert UnitTransfer.objects.get().from_customer is None


@pytest.mark.parametrize(
    ("days", "field"),
    [(-1, "transferred_on"), (40, "transferred_on")],
)
def test_transfer_dates_are_checked(org, customer, days, field):
    unit = make_unit(organization=org, customer=customer, purchase_date=TODAY - 30 * DAY)
    buyer = make_customer(organization=org)
    with pytest.raises(ApplicationError) as caught:
        unit_transfer(unit=unit, to_customer=buyer, on=TODAY - days * DAY)
    assert caught.value.field == field
    assert not UnitTransfer.objects.exists()


def test_transfer_to_the_owner_or_another_organization_is_refused(org, customer, other_customer):
    unit = make_unit(organization=org, customer=customer)
    for to_customer in (customer, other_customer):
        with pytest.raises(ApplicationError) as caught:
            unit_transfer(unit=unit, to_customer=to_customer, on=TODAY)
        assert caught.value.field == "customer_id"
    unit.refresh_from_db()
    assert unit.customer == customer
    assert not UnitTransfer.objects.exists()


def test_installation_date_is_set_and_checked(org, customer):
    unit = make_unit(organization=org, customer=customer, purchase_date=TODAY - 10 * DAY)
    unit_installation_set(unit=unit, on=TODAY - 2 * DAY)
    unit.refresh_from_db()
    assert unit.installation_date == TODAY - 2 * DAY
    with pytest.raises(ApplicationError) as caught:
        unit_installation_set(unit=unit, on=TODAY - 11 * DAY)
    assert caught.value.field == "installation_date"
    unit.refresh_from_db()
    assert unit.installation_date == TODAY - 2 * DAY


def test_unit_page_searches_by_serial_start_and_filters(org, customer, django_assert_num_queries):
    model = make_product_model(organization=org)
    first = make_unit(organization=org, product_model=model, customer=customer, serial="AB-100")
    make_unit(organization=org, serial="AB-200")
    make_unit(organization=org, serial="CD-100")
    with django_assert_num_queries(1):
        page = unit_page(organization=org, search="ab۱")
    assert page.items == [first]
    assert unit_page(organization=org, customer_id=customer.pk).items == [first]
    assert unit_page(organization=org, product_model_id=model.pk).items == [first]
    assert len(unit_page(organization=org, owner="unowned").items) == 2
    paged = unit_page(organization=org, limit=2)
    assert len(paged.items) == 2
    rest = unit_page(organization=org, limit=2, cursor=paged.next_cursor)
    assert [unit.serial_key for unit in rest.items] == ["AB100"]
