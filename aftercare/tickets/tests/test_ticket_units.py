"""A request's section B points at a registered unit: services, API, console pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from ninja.renderers import JSONRenderer

from aftercare.catalog.services import warranty_policy_create
from aftercare.customers.tests.factories import make_customer
from aftercare.lib.errors import ApplicationError
from aftercare.lib.testing import field_error, text_of
from aftercare.tickets.api import TicketOut, TicketPageOut, ticket_out
from aftercare.tickets.models import TicketEvent
from aftercare.tickets.selectors import ticket_get, ticket_list
from aftercare.tickets.services import ticket_update
from aftercare.tickets.tests.factories import make_ticket
from aftercare.warranty.models import Unit
from aftercare.warranty.services.contracts import contract_goodwill
from aftercare.warranty.tests.unit_factories import make_product_model, make_unit

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture
def washer(org):
    policy = warranty_policy_create(organization=org, name="Two years", months=24)
    return make_product_model(organization=org, sku="WM-1", name="Washer", warranty_policy=policy)


@pytest.fixture
def unit(org, clock, customer, washer):
    """Bought on 2025-01-31 with two years' warranty: covered to 2027-01-30 (1405/11/10)."""
    return make_unit(
        organization=org,
        product_model=washer,
        customer=customer,
        serial="AW-1001",
        purchase_date=datetime.date(2025, 1, 31),
        seller="Digikala",
    )


@pytest.fixture
def old_unit(org, clock, customer, washer):
    """Bought on 2023-03-01: the warranty ended on 2025-02-28."""
    return make_unit(
        organization=org,
        product_model=washer,
        customer=customer,
        serial="AW-0001",
        purchase_date=datetime.date(2023, 3, 1),
    )


# --- Services ---


def test_a_request_on_a_unit_copies_section_b_from_it(org, customer, unit):
    other_model = make_product_model(organization=org)
    ticket = make_ticket(
        organization=org,
        customer=customer,
        unit=unit,
        product_model=other_model,
        serial_number="typed by hand",
    )
    ticket.refresh_from_db()
    assert ticket.unit == unit
    assert (ticket.product_model, ticket.serial_number) == (unit.product_model, "AW-1001")
    assert (ticket.purchase_date, ticket.seller) == (datetime.date(2025, 1, 31), "Digikala")


def test_an_unowned_unit_may_be_named(org, customer, washer, clock):
    imported = make_unit(organization=org, product_model=washer, source=Unit.Source.IMPORT)
    ticket = make_ticket(organization=org, customer=customer, unit=imported)
    assert ticket.unit == imported


def test_another_customers_or_organizations_unit_is_refused(org, other_org, customer, unit):
    someone = make_customer(organization=org)
    with pytest.raises(ApplicationError) as caught:
        make_ticket(organization=org, customer=someone, unit=unit)
    assert caught.value.field == "unit"
    foreign = make_unit(organization=other_org)
    with pytest.raises(ApplicationError) as caught:
        make_ticket(organization=org, customer=customer, unit=foreign)
    assert caught.value.field == "unit"


def test_update_links_and_unlinks_a_unit_on_the_timeline(org, customer, unit, bob_agent):
    ticket = make_ticket(organization=org, customer=customer, serial_number="X")
    ticket_update(ticket=ticket, actor=bob_agent, unit=unit)
    ticket.refresh_from_db()
    assert (ticket.unit, ticket.serial_number) == (unit, "AW-1001")
    event = TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.FIELDS_CHANGED).last()
    assert event.data["changes"]["unit"] == [None, str(unit)]
    assert event.data["changes"]["serial_number"] == ["X", "AW-1001"]
    ticket_update(ticket=ticket, actor=bob_agent, unit=None)
    ticket.refresh_from_db()
    assert ticket.unit is None
    assert ticket.serial_number == "AW-1001"  # what was copied stays
    someone = make_customer(organization=org)
    theirs = make_unit(organization=org, customer=someone)
    with pytest.raises(ApplicationError) as caught:
        ticket_update(ticket=ticket, actor=bob_agent, unit=theirs)
    assert caught.value.field == "unit"
    ticket.refresh_from_db()
    assert ticket.unit is None


# --- API ---


def test_api_creates_on_a_unit_and_answers_its_coverage(org, agent_api, customer, unit):
    answer = agent_api.post(
        "/tickets/",
        {
            "customer_id": customer.pk,
            "subject": "Leaks",
            "description": "Water",
            "unit_id": unit.pk,
        },
    )
    assert answer.status == 201, answer.body
    assert answer.body["unit_id"] == unit.pk
    assert answer.body["serial_number"] == "AW-1001"
    assert answer.body["coverage"] == {
        "covered": True,
        "by": "standard",
        "contract_id": None,
        "starts_on": "2025-01-31",
        "until": "2027-01-30",
        "covers_parts": True,
        "covers_labour": True,
        "covers_travel": False,
        "reason": "",
        "reason_text": "Covered by the standard warranty.",
    }
    read = agent_api.get(f"/tickets/{answer.body['id']}")
    assert read.body["coverage"] == answer.body["coverage"]
    bare = agent_api.post(
        "/tickets/", {"customer_id": customer.pk, "subject": "Q", "description": "How?"}
    )
    assert (bare.body["unit_id"], bare.body["coverage"]) == (None, None)


def test_api_refuses_foreign_and_other_customers_units(
    org, other_org, agent_api, customer, unit, clock
):
    foreign = make_unit(organization=other_org)
    body = {"customer_id": customer.pk, "subject": "S", "description": "D"}
    answer = agent_api.post("/tickets/", {**body, "unit_id": foreign.pk})
    assert (answer.status, answer.field) == (422, "unit_id")
    someone = make_customer(organization=org)
    answer = agent_api.post("/tickets/", {**body, "customer_id": someone.pk, "unit_id": unit.pk})
    assert (answer.status, answer.field) == (422, "unit_id")
    ticket = make_ticket(organization=org, customer=someone)
    answer = agent_api.patch(f"/tickets/{ticket.pk}", {"unit_id": unit.pk})
    assert (answer.status, answer.field) == (422, "unit_id")
    ticket.refresh_from_db()
    assert ticket.unit_id is None


def test_api_update_sets_and_clears_the_unit(org, agent_api, customer, old_unit):
    ticket = make_ticket(organization=org, customer=customer)
    answer = agent_api.patch(f"/tickets/{ticket.pk}", {"unit_id": old_unit.pk})
    assert answer.status == 200, answer.body
    coverage = answer.body["coverage"]
    assert (coverage["covered"], coverage["reason"], coverage["until"]) == (
        False,
        "expired",
        "2025-02-28",
    )
    cleared = agent_api.patch(f"/tickets/{ticket.pk}", {"unit_id": None})
    assert (cleared.body["unit_id"], cleared.body["coverage"]) == (None, None)


def _bytes(data) -> str:
    return JSONRenderer().render(None, data, response_status=200)


def test_the_written_shape_with_a_unit_gives_the_schemas_bytes(
    org, customer, unit, old_unit, django_assert_num_queries
):
    contract_goodwill(
        unit=old_unit,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        note="Long-standing customer",
        actor=None,
    )
    tickets = [
        make_ticket(organization=org, customer=customer, unit=unit),
        make_ticket(organization=org, customer=customer, unit=old_unit),
        make_ticket(organization=org, customer=customer),
    ]
    for created in tickets:
        assert _bytes(ticket_out(created)) == _bytes(TicketOut.model_validate(created).model_dump())
        read = ticket_get(organization=org, ticket_id=created.pk)
        assert _bytes(ticket_out(read)) == _bytes(TicketOut.model_validate(read).model_dump())
    page = ticket_list(organization=org, limit=3, shape="api")
    with django_assert_num_queries(0):
        fast = {"items": [ticket_out(t) for t in page.items], "next_cursor": page.next_cursor}
    assert [item["coverage"] and item["coverage"]["by"] for item in fast["items"]] == [
        None,
        "goodwill",
        "standard",
    ]
    full = ticket_list(organization=org, limit=3)
    assert _bytes(fast) == _bytes(TicketPageOut.model_validate(full).model_dump())


def test_api_list_query_count_is_flat_with_units(org, agent_api, customer, unit, old_unit):
    make_ticket(organization=org, customer=customer, unit=unit)

    def count() -> int:
        agent_api.get("/tickets/")
        with CaptureQueriesContext(connection) as queries:
            answer = agent_api.get("/tickets/")
        assert answer.status == 200
        return len(queries)

    few = count()
    for _ in range(5):
        make_ticket(organization=org, customer=customer, unit=old_unit)
        make_ticket(organization=org, customer=customer)
    assert count() == few


# --- Console ---


def test_ticket_page_shows_in_warranty_until_in_english_and_persian(
    org, agent_client, customer, unit
):
    ticket = make_ticket(organization=org, customer=customer, unit=unit)
    html = text_of(agent_client.get(reverse("tickets:detail", args=[ticket.number])))
    assert "In warranty until 2027-01-30" in html
    assert f'href="{reverse("warranty:detail", args=[unit.pk])}"' in html
    agent_client.cookies["aftercare_language"] = "fa"
    html = text_of(agent_client.get(reverse("tickets:detail", args=[ticket.number])))
    assert "1405/11/10".translate(PERSIAN_DIGITS) in html


def test_ticket_page_says_why_not_covered(org, agent_client, customer, old_unit):
    ticket = make_ticket(organization=org, customer=customer, unit=old_unit)
    html = text_of(agent_client.get(reverse("tickets:detail", args=[ticket.number])))
    assert 'data-covered="no" data-reason="expired"' in html
    assert "Not covered: expired on" in html


def test_ticket_page_offers_to_register_a_unit_and_come_back(org, agent_client, customer, clock):
    ticket = make_ticket(organization=org, customer=customer)
    html = text_of(agent_client.get(reverse("tickets:detail", args=[ticket.number])))
    assert f"/units/new/?customer={customer.pk}&amp;next=/requests/{ticket.number}/" in html


def test_ticket_page_with_a_unit_costs_at_most_two_more_queries(
    org, agent_client, customer, old_unit, clock
):
    def count(ticket) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = agent_client.get(reverse("tickets:detail", args=[ticket.number]))
        assert response.status_code == 200
        return len(queries)

    without = make_ticket(organization=org, customer=customer)
    with_unit = make_ticket(organization=org, customer=customer, unit=old_unit)
    count(without)
    assert count(with_unit) <= count(without) + 2


def test_section_b_picks_one_of_the_customers_units(org, agent_client, customer, unit):
    ticket = make_ticket(organization=org, customer=customer, serial_number="typed")
    page = text_of(agent_client.get(reverse("tickets:detail", args=[ticket.number])))
    assert f'<option value="{unit.pk}">' in page
    response = agent_client.post(
        reverse("tickets:update", args=[ticket.number, "product"]),
        {"unit": unit.pk, "product_model_id": "", "serial_number": "", "purchase_date": ""},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.unit, ticket.serial_number) == (unit, "AW-1001")


def test_section_b_refuses_a_unit_not_offered(org, agent_client, customer, unit, clock):
    someone = make_customer(organization=org)
    ticket = make_ticket(organization=org, customer=someone)
    response = agent_client.post(
        reverse("tickets:update", args=[ticket.number, "product"]), {"unit": unit.pk}
    )
    assert response.status_code == 422
    ticket.refresh_from_db()
    assert ticket.unit is None


def test_new_request_form_picks_a_unit_of_the_chosen_customer(org, agent_client, customer, unit):
    page = text_of(agent_client.get(reverse("tickets:create"), {"customer": customer.pk}))
    assert f'<option value="{unit.pk}">' in page
    assert 'data-testid="register-unit"' in page
    response = agent_client.post(
        reverse("tickets:create") + f"?customer={customer.pk}",
        {
            "customer_id": customer.pk,
            "channel": "phone",
            "kind": "repair",
            "priority": 2,
            "subject": "Noisy",
            "description": "Very noisy",
            "unit": unit.pk,
        },
    )
    assert response.status_code == 302, field_error(response, "unit")
    ticket = customer.tickets.get()
    assert (ticket.unit, ticket.seller) == (unit, "Digikala")
