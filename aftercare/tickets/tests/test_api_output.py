"""The API's requests are written by `ticket_out`, not by validating TicketOut field by field:
the two must give the same bytes for every shape a request can have."""

import datetime

import pytest
from ninja.renderers import JSONRenderer

from aftercare.lib.vocabulary import Kind, Priority, Status
from aftercare.tickets.api import TicketOut, TicketPageOut, ticket_out
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.selectors import ticket_get, ticket_list
from aftercare.tickets.services import ticket_message_add, ticket_status_change
from aftercare.tickets.tests.factories import make_ticket


def _schema_bytes(schema, obj) -> str:
    data = schema.model_validate(obj).model_dump()
    return JSONRenderer().render(None, data, response_status=200)


def _fast_bytes(data) -> str:
    return JSONRenderer().render(None, data, response_status=200)


@pytest.fixture
def shapes(org, customer, bob_agent, tina_technician, team, category, product, standard):
    """Requests with every optional part present or absent, and one far along its life."""
    full = make_ticket(
        organization=org,
        customer=customer,
        actor=bob_agent,
        kind=Kind.REPAIR,
        priority=Priority.HIGH,
        category=category,
        product_model=product,
        serial_number="۱۲۳-SN",
        purchase_date=datetime.date(2025, 3, 1),
        seller="دیجی‌کالا",
        contact_phone="+989123456789",
        team=team,
        assignee=tina_technician,
        tags=["noisy", "drain"],
    )
    bare = make_ticket(organization=org, customer=customer, subject='Quote " and <tag>')
    bob_agent.full_name = ""  # a member shown by email
    bob_agent.save(update_fields=["full_name"])
    worked = make_ticket(organization=org, customer=customer, assignee=bob_agent)
    ticket_message_add(ticket=worked, kind=MessageKind.REPLY, body="On it.", actor=bob_agent)
    ticket_status_change(ticket=worked, status=Status.RESOLVED, actor=bob_agent)
    return [full, bare, worked]


def test_a_request_as_written_read_and_listed_gives_the_schemas_bytes(
    org, shapes, django_assert_num_queries
):
    for created in shapes:
        # As ticket_create leaves it (the create answer) and as read back.
        assert _fast_bytes(ticket_out(created)) == _schema_bytes(TicketOut, created)
        read = ticket_get(organization=org, ticket_id=created.pk)
        assert _fast_bytes(ticket_out(read)) == _schema_bytes(TicketOut, read)
    for limit in (2, 3):
        # The API's page loads only what `ticket_out` writes: writing it asks nothing more.
        page = ticket_list(organization=org, limit=limit, shape="api")
        with django_assert_num_queries(0):
            fast = {"items": [ticket_out(t) for t in page.items], "next_cursor": page.next_cursor}
        full = ticket_list(organization=org, limit=limit)
        assert _fast_bytes(fast) == _schema_bytes(TicketPageOut, full)


def test_the_written_shape_holds_the_parts_it_should(org, shapes):
    full, bare, worked = (ticket_get(organization=org, ticket_id=t.pk) for t in shapes)
    out = ticket_out(full)
    assert out["product_model"]["sku"] == "WM800"
    assert out["assignee"]["name"] == "Tina Tech"
    assert out["tags"] == ["drain", "noisy"]
    assert out["sla"]["policy"]["name"] == "Standard"
    assert ticket_out(bare)["product_model"] is None and ticket_out(bare)["team"] is None
    worked_out = ticket_out(worked)
    assert worked_out["status"] == "resolved" and worked_out["resolved_at"] is not None
    bob = {"id": worked.assignee_id, "name": "bob", "email": "bob@demo.example"}
    assert worked_out["assignee"] == bob
