"""API v1 for requests: create, list, read, change, status, assign; other organizations, roles."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aftercare.api.tests.files import png_bytes
from aftercare.lib.vocabulary import Priority, Status
from aftercare.tickets.models import Attachment, Ticket, TicketEvent, TicketMessage
from aftercare.tickets.services import category_create, ticket_status_change
from aftercare.tickets.tests.factories import make_customer, make_ticket
from aftercare.tickets.tests.helpers import api_query_count


def _create_body(customer, **extra) -> dict:
    return {
        "customer_id": customer.pk,
        "subject": "Washing machine does not drain",
        "description": "Water stays in the drum after the cycle ends.",
        **extra,
    }


def test_create_returns_every_section_of_the_form(
    org, customer, agent_api, bob_agent, tina_technician, team, category, product
):
    answer = agent_api.post(
        "/tickets/",
        _create_body(
            customer,
            kind="repair",
            priority=3,
            category_id=category.pk,
            product_model_id=product.pk,
            serial_number="SN-123",
            purchase_date="2025-03-01",
            seller="Digikala",
            contact_phone="+989123456789",
            team_id=team.pk,
            assignee_id=tina_technician.pk,
            tags=["noisy", "drain"],
        ),
    )
    assert answer.status == 201, answer.body
    ticket = Ticket.objects.get()
    body = answer.body
    assert body["id"] == ticket.pk
    assert (body["number"], body["reference"]) == (1, "AS-000001")
    assert body["subject"] == "Washing machine does not drain"
    assert (body["status"], body["kind"], body["channel"], body["language"]) == (
        "new",
        "repair",
        "api",
        "fa",
    )
    assert (body["priority"], body["priority_label"]) == (3, "High")
    assert body["customer"] == {"id": customer.pk, "name": "Maryam Ahmadi"}
    assert body["contact_email"] == "maryam@example.com"
    assert body["product_model"] == {"id": product.pk, "name": "WM-800", "sku": "WM800"}
    assert (body["serial_number"], body["purchase_date"], body["seller"]) == (
        "SN-123",
        "2025-03-01",
        "Digikala",
    )
    assert body["category"] == {"id": category.pk, "name": "Washing machines"}
    assert body["team"] == {"id": team.pk, "name": "Call centre"}
    assert body["assignee"] == {
        "id": tina_technician.pk,
        "name": "Tina Tech",
        "email": "tina@demo.example",
    }
    assert body["tags"] == ["drain", "noisy"]
    assert body["message_count"] == 0
    assert body["resolved_at"] is None
    assert "public_token" not in body
    assert ticket.public_token not in answer.response.content.decode()
    assert ticket.created_by == bob_agent
    assert list(TicketEvent.objects.values_list("kind", flat=True)) == ["created"]


def test_create_defaults(org, customer, agent_api):
    answer = agent_api.post("/tickets/", _create_body(customer))
    assert answer.status == 201
    assert (answer.body["kind"], answer.body["priority"], answer.body["channel"]) == (
        "question",
        2,
        "api",
    )
    assert answer.body["assignee"] is None and answer.body["team"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"subject": None}, "subject"),
        ({"subject": ""}, "subject"),
        ({"subject": "   "}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"description": ""}, "description"),
        ({"priority": 9}, "priority"),
        ({"kind": "teleportation"}, "kind"),
        ({"channel": "pigeon"}, "channel"),
        ({"language": "de"}, "language"),
        ({"customer_id": 0}, "customer_id"),
        ({"customer_id": 2**63}, "customer_id"),
        ({"purchase_date": "2025-02-30"}, "purchase_date"),
        ({"purchase_date": 0}, "purchase_date"),
        ({"contact_email": "not an email"}, "contact_email"),
        ({"tags": ["x" * 51]}, "tags.0"),
    ],
)
def test_create_rejects_bad_input_naming_the_field(org, customer, agent_api, change, field):
    body = _create_body(customer)
    body.update(change)
    body = {key: value for key, value in body.items() if value is not None}
    answer = agent_api.post("/tickets/", body)
    assert answer.status == 422, answer.body
    assert answer.field == field
    assert answer.body["detail"]
    assert not Ticket.objects.exists()
    org.refresh_from_db()
    assert org.ticket_sequence == 0


def test_create_rejects_future_purchase_date(org, customer, agent_api):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    answer = agent_api.post("/tickets/", _create_body(customer, purchase_date=tomorrow.isoformat()))
    assert (answer.status, answer.field) == (422, "purchase_date")
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("customer", "customer_id"),
        ("team", "team_id"),
        ("category", "category_id"),
        ("product", "product_model_id"),
        ("member", "assignee_id"),
    ],
)
def test_create_refuses_ids_of_another_organization(org, customer, agent_api, foreign, key, field):
    before = Ticket.objects.count()
    body = _create_body(customer)
    body[field] = foreign[key].pk
    answer = agent_api.post("/tickets/", body)
    assert (answer.status, answer.field) == (422, field)
    assert Ticket.objects.count() == before
    assert not Ticket.objects.filter(organization=org).exists()


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        ("{not json", "The request body is not valid JSON."),
        ("[null, null]", "The request body is not a JSON object."),
        ('"text"', "The request body is not a JSON object."),
        ("5", "The request body is not a JSON object."),
        ("", "The request is not valid."),
    ],
)
def test_body_that_is_not_a_json_object_is_422(org, customer, agent_api, data, detail):
    ticket = make_ticket(organization=org, customer=customer)
    for method, path in (("post", "/api/v1/tickets/"), ("patch", f"/api/v1/tickets/{ticket.pk}")):
        call = getattr(agent_api.client, method)
        response = call(path, data=data, content_type="application/json", **agent_api._headers())
        assert response.status_code == 422, (method, data, response.content)
        assert response.json()["errors"][0]["field"] is None
        assert response.json()["detail"] == detail
    assert Ticket.objects.count() == 1
    assert TicketEvent.objects.count() == 1


def test_list_walks_every_page_once_in_order(org, customer, agent_api):
    for index in range(23):
        make_ticket(organization=org, customer=customer, subject=f"Request {index}")
    expected = list(
        Ticket.objects.filter(organization=org)
        .order_by("-updated_at", "-id")
        .values_list("id", flat=True)
    )
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 5, **({"cursor": cursor} if cursor else {})}
        answer = agent_api.get("/tickets/", params)
        assert answer.status == 200
        pages += 1
        seen += [row["id"] for row in answer.body["items"]]
        cursor = answer.body["next_cursor"]
        if cursor is None:
            break
    assert pages == 5
    assert seen == expected
    assert len(set(seen)) == 23


def test_list_sorts_by_creation_and_priority(org, customer, agent_api):
    low = make_ticket(organization=org, customer=customer, priority=Priority.LOW)
    urgent = make_ticket(organization=org, customer=customer, priority=Priority.URGENT)
    normal = make_ticket(organization=org, customer=customer)

    def ids(sort):
        return [row["id"] for row in agent_api.get("/tickets/", {"sort": sort}).body["items"]]

    assert ids("created") == [low.pk, urgent.pk, normal.pk]
    assert ids("-created") == [normal.pk, urgent.pk, low.pk]
    assert ids("-priority") == [urgent.pk, normal.pk, low.pk]


def test_list_filters(org, customer, agent_api, bob_agent, team):
    other = make_customer(organization=org)
    mine = make_ticket(organization=org, customer=customer, assignee=bob_agent, kind="installation")
    teamed = make_ticket(organization=org, customer=other, team=team, priority=Priority.URGENT)
    resolved = make_ticket(organization=org, customer=customer, serial_number="SN-777")
    ticket_status_change(ticket=resolved, status=Status.RESOLVED, actor=bob_agent)
    pending = make_ticket(organization=org, customer=other, subject="Fridge is warm")
    ticket_status_change(ticket=pending, status=Status.PENDING_CUSTOMER, actor=bob_agent)
    Ticket.objects.filter(pk=mine.pk).update(updated_at=timezone.now() - datetime.timedelta(days=3))

    def ids(params):
        answer = agent_api.get("/tickets/", params)
        assert answer.status == 200, answer.body
        return {row["id"] for row in answer.body["items"]}

    assert ids({"status": ["resolved", "pending_customer"]}) == {resolved.pk, pending.pk}
    assert ids({"status": "new"}) == {mine.pk, teamed.pk}
    assert ids({"kind": "installation"}) == {mine.pk}
    assert ids({"team_id": team.pk}) == {teamed.pk}
    assert ids({"assignee_id": bob_agent.pk}) == {mine.pk}
    assert ids({"unassigned": "true"}) == {teamed.pk, resolved.pk, pending.pk}
    assert ids({"priority": 4}) == {teamed.pk}
    assert ids({"customer_id": other.pk}) == {teamed.pk, pending.pk}
    assert ids({"customer": other.pk}) == {teamed.pk, pending.pk}
    since = (timezone.now() - datetime.timedelta(days=1)).replace(tzinfo=None).isoformat()
    assert ids({"updated_since": since}) == {teamed.pk, resolved.pk, pending.pk}
    # An offset PostgreSQL cannot store is still the same instant once read in UTC.
    odd = (timezone.now() - datetime.timedelta(days=1)).astimezone(
        datetime.timezone(-datetime.timedelta(hours=20, minutes=6))
    )
    assert ids({"updated_since": odd.isoformat()}) == {teamed.pk, resolved.pk, pending.pk}
    assert ids({"search": "fridge"}) == {pending.pk}
    assert ids({"search": "SN-777"}) == {resolved.pk}
    assert ids({"search": pending.reference}) == {pending.pk}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "WyJ4IiwieSJd"}, "cursor"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"status": "lost"}, "status.0"),
        ({"sort": "name"}, "sort"),
        ({"priority": 7}, "priority"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"updated_since": "0.5"}, "updated_since"),
        ({"updated_since": "-4.2e-14"}, "updated_since"),
        ({"updated_since": "0001-01-01T00:00:00+05:00"}, "updated_since"),
        ({"team_id": "abc"}, "team_id"),
    ],
)
def test_list_rejects_bad_parameters_naming_them(org, agent_api, params, field):
    answer = agent_api.get("/tickets/", params)
    assert (answer.status, answer.field) == (422, field), answer.body


def test_list_query_count_is_flat_at_10_and_500_tickets(org, agent_api, bob_agent, team, product):
    customers = [make_customer(organization=org) for _ in range(5)]

    def add(count: int) -> None:
        for index in range(count):
            make_ticket(
                organization=org,
                customer=customers[index % 5],
                assignee=bob_agent,
                team=team,
                product_model=product,
                tags=["a", f"t{index % 3}"],
            )

    add(10)
    small, body = api_query_count(agent_api, "/tickets/?limit=200")
    assert len(body["items"]) == 10
    add(490)
    large, body = api_query_count(agent_api, "/tickets/?limit=200")
    assert len(body["items"]) == 200
    assert body["next_cursor"]
    assert body["items"][0]["tags"] == ["a", "t0"] or body["items"][0]["tags"][0] == "a"
    # Token lookup, membership check, the page of tickets with their relations, and their tags.
    assert small == large == 4


def test_get_one(org, customer, agent_api):
    ticket = make_ticket(organization=org, customer=customer)
    answer = agent_api.get(f"/tickets/{ticket.pk}")
    assert answer.status == 200
    assert (answer.body["id"], answer.body["reference"]) == (ticket.pk, "AS-000001")
    assert answer.body["description"] == "Water stays in the drum after the cycle ends."


def test_patch_changes_only_the_fields_sent(org, customer, agent_api, bob_agent, team, category):
    ticket = make_ticket(
        organization=org, customer=customer, seller="Shop", tags=["old"], category=category
    )
    answer = agent_api.patch(
        f"/tickets/{ticket.pk}",
        {
            "subject": "Drain pump broken",
            "priority": 4,
            "team_id": team.pk,
            "assignee_id": bob_agent.pk,
            "tags": ["pump"],
            "category_id": None,
            "resolution": "Pump replaced.",
            "root_cause": "Worn impeller",
        },
    )
    assert answer.status == 200, answer.body
    ticket.refresh_from_db()
    assert ticket.subject == "Drain pump broken"
    assert ticket.priority == Priority.URGENT
    assert (ticket.team, ticket.assignee, ticket.category) == (team, bob_agent, None)
    assert list(ticket.tags.values_list("name", flat=True)) == ["pump"]
    assert (ticket.resolution, ticket.root_cause) == ("Pump replaced.", "Worn impeller")
    assert ticket.seller == "Shop"
    assert ticket.description == "Water stays in the drum after the cycle ends."
    assert ticket.kind == "repair"
    assert answer.body["tags"] == ["pump"]
    assert answer.body["assignee"]["id"] == bob_agent.pk
    kinds = set(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert kinds == {
        "created",
        "fields_changed",
        "priority_changed",
        "team_changed",
        "assigned",
        "tags_changed",
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"subject": None}, "subject"),
        ({"subject": ""}, "subject"),
        ({"priority": 0}, "priority"),
        ({"kind": None}, "kind"),
        ({"root_cause": "x" * 201}, "root_cause"),
    ],
)
def test_patch_rejects_bad_input_and_changes_nothing(org, customer, agent_api, body, field):
    ticket = make_ticket(organization=org, customer=customer)
    answer = agent_api.patch(f"/tickets/{ticket.pk}", {"seller": "Changed", **body})
    assert (answer.status, answer.field) == (422, field), answer.body
    ticket.refresh_from_db()
    assert (ticket.subject, ticket.seller, ticket.priority) == (
        "Washing machine does not drain",
        "",
        Priority.NORMAL,
    )
    assert TicketEvent.objects.filter(ticket=ticket).count() == 1


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("team", "team_id"),
        ("category", "category_id"),
        ("product", "product_model_id"),
        ("member", "assignee_id"),
    ],
)
def test_patch_refuses_ids_of_another_organization(org, customer, agent_api, foreign, key, field):
    ticket = make_ticket(organization=org, customer=customer)
    answer = agent_api.patch(f"/tickets/{ticket.pk}", {"subject": "Other", field: foreign[key].pk})
    assert (answer.status, answer.field) == (422, field)
    ticket.refresh_from_db()
    assert ticket.subject == "Washing machine does not drain"
    assert (ticket.team_id, ticket.category_id, ticket.product_model_id, ticket.assignee_id) == (
        None,
        None,
        None,
        None,
    )


def test_status_change_and_forbidden_transition(org, customer, agent_api):
    ticket = make_ticket(organization=org, customer=customer)
    answer = agent_api.post(f"/tickets/{ticket.pk}/status", {"status": "closed", "reason": "Dup"})
    assert answer.status == 200
    assert answer.body["status"] == "closed"
    assert answer.body["closed_at"] is not None
    event = TicketEvent.objects.get(ticket=ticket, kind="status_changed")
    assert event.data == {"from": "new", "to": "closed", "reason": "Dup"}

    refused = agent_api.post(f"/tickets/{ticket.pk}/status", {"status": "open"})
    assert (refused.status, refused.field) == (422, "status")
    assert refused.body["errors"][0]["code"] == "transition"
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED

    unknown = agent_api.post(f"/tickets/{ticket.pk}/status", {"status": "lost"})
    assert (unknown.status, unknown.field) == (422, "status")


def test_assign_and_unassign(org, customer, agent_api, tina_technician, foreign):
    ticket = make_ticket(organization=org, customer=customer)
    answer = agent_api.post(f"/tickets/{ticket.pk}/assign", {"assignee_id": tina_technician.pk})
    assert answer.status == 200
    assert answer.body["assignee"]["email"] == "tina@demo.example"
    refused = agent_api.post(f"/tickets/{ticket.pk}/assign", {"assignee_id": foreign["member"].pk})
    assert (refused.status, refused.field) == (422, "assignee_id")
    ticket.refresh_from_db()
    assert ticket.assignee == tina_technician
    missing = agent_api.post(f"/tickets/{ticket.pk}/assign", {})
    assert (missing.status, missing.field) == (422, "assignee_id")
    cleared = agent_api.post(f"/tickets/{ticket.pk}/assign", {"assignee_id": None})
    assert cleared.status == 200
    assert cleared.body["assignee"] is None
    ticket.refresh_from_db()
    assert ticket.assignee is None


def _foreign_requests(ticket_id: int, attachment_id: int) -> list[tuple[str, str, dict | None]]:
    png = SimpleUploadedFile("x.png", png_bytes())
    return [
        ("GET", f"/tickets/{ticket_id}", None),
        ("PATCH", f"/tickets/{ticket_id}", {"subject": "Taken"}),
        ("POST", f"/tickets/{ticket_id}/status", {"status": "closed"}),
        ("POST", f"/tickets/{ticket_id}/assign", {"assignee_id": None}),
        ("GET", f"/tickets/{ticket_id}/messages", None),
        ("POST", f"/tickets/{ticket_id}/messages", {"kind": "note", "body": "Mine now"}),
        ("GET", f"/tickets/{ticket_id}/attachments", None),
        ("UPLOAD", f"/tickets/{ticket_id}/attachments", {"attachments": [png]}),
        ("GET", f"/attachments/{attachment_id}/download", None),
    ]


def test_another_organization_gets_404_for_every_ticket_path(
    org, customer, agent_api, outsider_api, bob_agent
):
    ticket = make_ticket(organization=org, customer=customer, actor=bob_agent)
    [attachment] = agent_api.upload(
        f"/tickets/{ticket.pk}/attachments",
        {"attachments": [SimpleUploadedFile("x.png", png_bytes())]},
    ).body
    events_before = TicketEvent.objects.count()
    for method, path, body in _foreign_requests(ticket.pk, attachment["id"]):
        if method == "GET":
            answer = outsider_api.get(path)
        elif method == "UPLOAD":
            answer = outsider_api.upload(path, body)
        else:
            answer = outsider_api.send(method, path, body)
        assert answer.status == 404, (method, path, answer.status)
        assert answer.body == {"detail": "Not found.", "errors": []}
    ticket.refresh_from_db()
    assert (ticket.subject, ticket.status, ticket.assignee_id) == (
        "Washing machine does not drain",
        Status.NEW,
        None,
    )
    assert TicketEvent.objects.count() == events_before
    assert not TicketMessage.objects.exists()
    assert Attachment.objects.count() == 1
    listed = outsider_api.get("/tickets/")
    assert listed.body == {"items": [], "next_cursor": None}


def test_viewer_reads_but_every_write_is_403(org, customer, viewer_api):
    ticket = make_ticket(organization=org, customer=customer)
    assert viewer_api.get(f"/tickets/{ticket.pk}").status == 200
    assert viewer_api.get("/tickets/").status == 200
    writes = [
        ("POST", "/tickets/", _create_body(customer)),
        ("PATCH", f"/tickets/{ticket.pk}", {"subject": "Viewer was here"}),
        ("POST", f"/tickets/{ticket.pk}/status", {"status": "closed"}),
        ("POST", f"/tickets/{ticket.pk}/assign", {"assignee_id": None}),
        ("POST", f"/tickets/{ticket.pk}/messages", {"kind": "note", "body": "Hi"}),
    ]
    for method, path, body in writes:
        answer = viewer_api.send(method, path, body)
        assert answer.status == 403, (method, path, answer.body)
        assert answer.body["errors"] == []
    upload = viewer_api.upload(
        f"/tickets/{ticket.pk}/attachments",
        {"attachments": [SimpleUploadedFile("x.png", png_bytes())]},
    )
    assert upload.status == 403
    ticket.refresh_from_db()
    assert (ticket.subject, ticket.status) == ("Washing machine does not drain", Status.NEW)
    assert Ticket.objects.count() == 1
    assert not TicketMessage.objects.exists()
    assert not Attachment.objects.exists()


def test_teams_and_categories_are_the_organizations_own(org, agent_api, team, category, foreign):
    child = category_create(organization=org, name="Pumps", parent=category)
    teams = agent_api.get("/teams/")
    assert teams.status == 200
    assert teams.body == [{"id": team.pk, "name": "Call centre", "assignment": "manual"}]
    categories = agent_api.get("/categories/")
    assert categories.body == [
        {"id": child.pk, "name": "Pumps", "parent_id": category.pk},
        {"id": category.pk, "name": "Washing machines", "parent_id": None},
    ]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_not_sent_as_json_is_refused(org, customer, agent_api, content_type):
    """Finding 9 of the outside review: a text/plain body was read as JSON."""
    body = json.dumps(_create_body(customer))
    response = agent_api.client.post(
        "/api/v1/tickets/", data=body, content_type=content_type, **agent_api._headers()
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": None,
            "message": "Send the body as JSON, with Content-Type: application/json.",
            "code": "content_type",
        }
    ]
    assert not Ticket.objects.exists()
    sent_as_json = agent_api.client.post(
        "/api/v1/tickets/",
        data=body,
        content_type="application/json; charset=utf-8",
        **agent_api._headers(),
    )
    assert sent_as_json.status_code == 201
