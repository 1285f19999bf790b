"""Schemathesis against the in-process WSGI app: no server errors, and every answer as declared.

Each operation runs as its own test (its own database transaction), with a real token and an
organization that has a customer, a product model, a ticket with a message and a file, a team and
a category. Path ids are either generated or, for even generated ids, swapped for the real
object's id, so both the 404 answers and the real objects are exercised.
"""

import os
from datetime import UTC, date, datetime

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from aftercare.accounts.services import api_token_create, team_create
from aftercare.api.tests.files import png_bytes
from aftercare.catalog.models import SparePart
from aftercare.catalog.services import product_model_create
from aftercare.inventory.models import StockLevel
from aftercare.inventory.services import stock_location_create, stock_receive, stock_reserve
from aftercare.repairs.services import part_add, visit_schedule, work_order_open
from aftercare.sla.services import (
    calendar_create_from_preset,
    escalation_rule_create,
    holiday_add,
    sla_policy_create,
)
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.routing.services import routing_rule_create
from aftercare.tickets.services import category_create, ticket_message_add
from aftercare.tickets.tests.factories import make_ticket
from aftercare.warranty.services.units import unit_register
from aftercare.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def in_process_requests():
    """Keep the test's database connection across requests sent straight to the WSGI app.

    Django's test client does the same: left connected, these handlers would close the
    connection that holds the test's transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loading the schema reads no database, so it can happen at collection time.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def world(org, bob_agent, sam_supervisor, tina_technician, customer, in_process_requests):
    """A supervisor's token (writes of settings too) and one real object of every kind a path
    can name."""
    product = product_model_create(organization=org, name="WM-800", sku="WM800")
    team = team_create(organization=org, name="Repairs", members=[bob_agent])
    calendar = calendar_create_from_preset(organization=org, country="IR", is_default=True)
    holiday = holiday_add(calendar=calendar, name="Day", kind="date", start_date=date(2026, 1, 1))
    policy = sla_policy_create(organization=org, name="Standard", first_response_minutes=60)
    escalation = escalation_rule_create(
        organization=org, name="Tell", threshold="breach", notify_assignee=True
    )
    routing = routing_rule_create(organization=org, name="All", team=team)
    category_create(organization=org, name="Washing machines")
    ticket = make_ticket(
        organization=org, customer=customer, product_model=product, team=team, tags=["drain"]
    )
    ticket_message_add(
        ticket=ticket,
        kind=MessageKind.REPLY,
        body="Please send a photo.",
        actor=bob_agent,
        attachments=[SimpleUploadedFile("photo.png", png_bytes())],
    )
    unit = unit_register(
        organization=org,
        product_model=product,
        serial_number="AW-1001",
        customer=customer,
        source="console",
        purchase_date=date(2025, 1, 31),
    )
    work_order = work_order_open(
        ticket=ticket, kind="on_site", actor=bob_agent, unit=unit, technician=tina_technician
    )
    van = stock_location_create(organization=org, name="Van", kind="van", holder=tina_technician)
    spare = SparePart.objects.create(organization=org, sku="PMP-1", name="Pump", price=10)
    received = stock_receive(location=van, part=spare, quantity=5, reason="Loaded", actor=bob_agent)
    part_line = part_add(work_order=work_order, part=spare, actor=bob_agent)
    visit = visit_schedule(
        work_order=work_order,
        technician=tina_technician,
        window_start=datetime(2026, 5, 3, 9, tzinfo=UTC),
        window_end=datetime(2026, 5, 3, 12, tzinfo=UTC),
        address="Tehran",
        actor=bob_agent,
    )
    _token, key = api_token_create(user=sam_supervisor, organization=org, name="schemathesis")
    return {
        "token": key,
        "ids": {
            "ticket_id": ticket.pk,
            "customer_id": customer.pk,
            "product_model_id": product.pk,
            "attachment_id": ticket.attachments.get().pk,
            "calendar_id": calendar.pk,
            "holiday_id": holiday.pk,
            "policy_id": policy.pk,
            "escalation_rule_id": escalation.pk,
            "rule_id": routing.pk,
            "user_id": bob_agent.pk,
            "team_id": team.pk,
            "unit_id": unit.pk,
            "work_order_id": work_order.pk,
            "part_line_id": part_line.pk,
            "visit_id": visit.pk,
            "location_id": van.pk,
            "level_id": StockLevel.objects.get(location=van, part=spare).pk,
            "move_id": received.pk,
            "reservation_id": stock_reserve(
                location=van, part=spare, quantity=1, work_order_id=None, reference="", actor=None
            ).pk,
        },
    }


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    # CI replays the same examples every run, so a landing never hinges on a lucky draw;
    # local runs keep exploring new inputs (that is how the PostgreSQL offset bug was found).
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_to_its_schema(case, world):
    for name, value in list((case.path_parameters or {}).items()):
        if name in world["ids"] and isinstance(value, int) and value % 2 == 0:
            case.path_parameters[name] = world["ids"][name]
    response = case.call(headers={"Authorization": f"Bearer {world['token']}"})
    case.validate_response(response, checks=CHECKS)
