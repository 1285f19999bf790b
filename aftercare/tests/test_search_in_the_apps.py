"""What the apps put in the index, through their own services, in the transaction of the write:
requests (number, subject, messages, serial, contact points, customer), customers (names,
company, contact points), units (serial, model). The problems of issue 12 as a new user met them
are the cases here."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from aftercare.catalog.services import product_model_update
from aftercare.customers.services import customer_create, customer_update
from aftercare.search import backends
from aftercare.search.models import SearchEntry
from aftercare.search.selectors import TIER_IDENTIFIER, TIER_TEXT, TIER_TITLE, staff_search
from aftercare.search.tests.pairs import TEXT_PAIRS
from aftercare.tickets.choices import MessageKind, Status
from aftercare.tickets.services import ticket_message_add, ticket_status_change, ticket_update
from aftercare.tickets.tests.factories import make_ticket
from aftercare.warranty.models import Unit
from aftercare.warranty.services.units import unit_register, unit_transfer
from aftercare.warranty.tests.unit_factories import make_product_model

pytestmark = pytest.mark.django_db


def found(org, text, **filters):
    page = staff_search(organization=org, role="admin", text=text, limit=50, **filters)
    return [(result.kind, result.object_id, result.tier) for result in page.results]


def test_a_request_is_found_by_number_subject_message_serial_and_contact(org, customer, bob_agent):
    ticket = make_ticket(
        organization=org,
        customer=customer,
        subject="كولر روشن نمی‌شود",
        description="از دیروز صدا می‌دهد",
        serial_number="۱۲۳۴۵-ARY",
        contact_phone="0912 345 6789",
        actor=bob_agent,
    )
    ticket_message_add(ticket=ticket, kind=MessageKind.NOTE, body="SIZIYOR diyor", actor=bob_agent)
    request = ("request", ticket.pk)
    for text, tier in [
        (ticket.reference, TIER_IDENTIFIER),
        (str(ticket.number), TIER_IDENTIFIER),
        ("کولر", TIER_TITLE),  # Persian letters find the Arabic-lettered subject
        ("نمیشود", TIER_TITLE),  # written solid, found written with a ZWNJ
        ("می دهد", TIER_TEXT),
        ("sızıyor", TIER_TEXT),  # Turkish ı finds the upper-case SIZIYOR of a note
        ("12345-ary", TIER_IDENTIFIER),  # the serial typed in Persian digits, found in ASCII
        ("12345ARY", TIER_IDENTIFIER),
        ("۰۹۱۲۳۴۵۶۷۸۹", TIER_IDENTIFIER),  # the phone in Persian digits
        ("+98 912 345 6789", TIER_IDENTIFIER),
        ("maryam", TIER_TEXT),  # the customer's name and email
    ]:
        assert (*request, tier) in found(org, text), text


def test_the_request_page_lists_each_request_once_with_its_customer(org, customer, bob_agent):
    ticket = make_ticket(organization=org, customer=customer, subject="یخچال", actor=bob_agent)
    hits = [hit for hit in found(org, "یخچال") if hit[0] == "request"]
    assert hits == [("request", ticket.pk, TIER_TITLE)]
    assert [hit[:2] for hit in found(org, "maryam", kinds=["customer"])] == [
        ("customer", customer.pk)
    ]


def test_changes_reach_the_index_in_the_same_transaction(org, customer, bob_agent):
    ticket = make_ticket(organization=org, customer=customer, subject="Washer", actor=bob_agent)
    ticket_update(ticket=ticket, actor=bob_agent, subject="Dishwasher")
    assert found(org, "washer") == []
    assert ("request", ticket.pk, TIER_TITLE) in found(org, "dishwasher")
    ticket_status_change(ticket=ticket, status=Status.ON_HOLD, actor=bob_agent)
    assert found(org, "dishwasher", kinds=["request"], states=[Status.ON_HOLD]) == [
        ("request", ticket.pk, TIER_TITLE)
    ]
    assert found(org, "dishwasher", kinds=["request"], states=[Status.OPEN]) == []
    # A write that rolls back takes its index update with it.
    with pytest.raises(RuntimeError), transaction.atomic():
        ticket_update(ticket=ticket, actor=bob_agent, subject="Dryer")
        assert found(org, "dryer")
        raise RuntimeError
    assert found(org, "dryer") == []
    assert found(org, "dishwasher")


def test_a_customer_renamed_is_found_by_the_new_name_in_their_requests_too(org, bob_agent):
    customer = customer_create(
        organization=org, name="Ayşe Yılmaz", emails=["ayse@example.com"], phones=["+905321234567"]
    )
    ticket = make_ticket(organization=org, customer=customer, subject="Kombi", actor=bob_agent)
    assert ("customer", customer.pk, TIER_TITLE) in found(org, "AYSE yilmaz")
    assert ("customer", customer.pk, TIER_IDENTIFIER) in found(org, "ayse@example.com")
    customer_update(customer=customer, name="Ayşe Demir")
    assert ("customer", customer.pk, TIER_TITLE) in found(org, "demir")
    assert ("request", ticket.pk, TIER_TEXT) in found(org, "demir")
    assert found(org, "yilmaz") == []


def test_a_unit_is_found_by_serial_and_model_and_follows_its_owner(org, customer, bob_agent):
    model = make_product_model(organization=org, name="Dishwasher DW5")
    unit = unit_register(
        organization=org,
        product_model=model,
        serial_number="dw5-۴۸۲۷۱۹",
        customer=customer,
        source=Unit.Source.CONSOLE,
        actor=bob_agent,
    )
    assert ("unit", unit.pk, TIER_IDENTIFIER) in found(org, "DW5 482719")
    assert ("unit", unit.pk, TIER_TITLE) in found(org, "dishwash")
    buyer = customer_create(organization=org, name="Dana Nurova")
    unit_transfer(unit=unit, to_customer=buyer, on=datetime.date(2026, 1, 5), actor=bob_agent)
    entry = SearchEntry.objects.get(kind="unit", object_id=unit.pk)
    assert entry.customer_id == buyer.pk
    assert ("unit", unit.pk, TIER_TEXT) in found(org, "nurova")


def test_another_organization_finds_none_of_it(org, other_org, customer, bob_agent):
    make_ticket(organization=org, customer=customer, subject="Boiler leak", actor=bob_agent)
    assert found(other_org, "boiler") == []
    assert found(other_org, "maryam") == []


def test_every_text_pair_through_a_real_request(org, customer, bob_agent):
    # The table's documents as the messages of real requests: what the services index is what
    # the pairs promise.
    tickets = {
        document: make_ticket(
            organization=org, customer=customer, subject="—", description=document, actor=bob_agent
        )
        for _, _, document in TEXT_PAIRS[:30]
    }
    for _, query, document in TEXT_PAIRS[:30]:
        assert ("request", tickets[document].pk, TIER_TEXT) in found(org, query), query


def test_search_reindex_puts_every_document_back(org, other_org, customer, bob_agent):
    ticket = make_ticket(organization=org, customer=customer, subject="Toaster", actor=bob_agent)
    ticket_message_add(ticket=ticket, kind=MessageKind.NOTE, body="crumb tray", actor=bob_agent)
    # As after an upgrade that brought the index: nothing in it.
    backends.entries_delete(list(SearchEntry.objects.values_list("pk", flat=True)))
    SearchEntry.objects.all().delete()
    assert found(org, "crumb") == []
    call_command("search_reindex", "--if-empty", stdout=io.StringIO())
    assert ("request", ticket.pk, TIER_TEXT) in found(org, "crumb")
    assert ("customer", customer.pk, TIER_TITLE) in found(org, "maryam")
    # Run again, or with the index full: the same documents, nothing twice.
    count = SearchEntry.objects.count()
    call_command("search_reindex", stdout=io.StringIO())
    call_command("search_reindex", "--if-empty", stdout=io.StringIO())
    assert SearchEntry.objects.count() == count
    assert found(org, "crumb") == [("request", ticket.pk, TIER_TEXT)]


def test_a_renamed_model_reaches_its_units_and_requests(
    org, customer, bob_agent, django_capture_on_commit_callbacks
):
    model = make_product_model(organization=org, name="Breeze 9000")
    unit = unit_register(
        organization=org,
        product_model=model,
        serial_number="BR-1",
        customer=customer,
        source=Unit.Source.CONSOLE,
        actor=bob_agent,
    )
    ticket = make_ticket(organization=org, customer=customer, unit=unit, actor=bob_agent)
    with django_capture_on_commit_callbacks(execute=True):
        product_model_update(product_model=model, name="Tornado 12")
    assert ("unit", unit.pk, TIER_TITLE) in found(org, "tornado")
    assert ("request", ticket.pk, TIER_TEXT) in found(org, "tornado")
    assert [hit for hit in found(org, "breeze") if hit[0] in ("unit", "request")] == []
