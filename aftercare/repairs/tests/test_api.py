import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.accounts.services import api_token_create
from aftercare.api.tests.client import ApiClient
from aftercare.inventory.models import StockLevel
from aftercare.repairs.models import PartLine, Quote, RepairSettings, Visit, WorkOrder
from aftercare.repairs.services import part_add, visit_schedule, work_order_open
from aftercare.tickets.models import TicketEvent
from aftercare.tickets.tests.factories import make_ticket
from aftercare.warranty.models import WarrantyClaim

Stage = WorkOrder.Stage


def _api(org, user) -> ApiClient:
    _token, key = api_token_create(user=user, organization=org, name="test")
    return ApiClient(key)


@pytest.fixture
def technician_api(org, tina_technician) -> ApiClient:
    return _api(org, tina_technician)


@pytest.fixture
def work_order(ticket, bob_agent, warehouse) -> WorkOrder:
    return work_order_open(
        ticket=ticket, kind=WorkOrder.Kind.SERVICE_CENTRE, actor=bob_agent, stock_location=warehouse
    )


@pytest.fixture
def paid(old_ticket, bob_agent, warehouse, rates) -> WorkOrder:
    return work_order_open(
        ticket=old_ticket, kind=WorkOrder.Kind.ON_SITE, actor=bob_agent, stock_location=warehouse
    )


def _put(api: ApiClient, path: str, body: dict):
    return api.send("PUT", path, body)


def test_open_a_work_order_and_read_it(agent_api, ticket, unit, pump_fault, warehouse, org):
    answer = agent_api.post(
        "/work-orders/",
        {
            "ticket_id": ticket.pk,
            "kind": "service_centre",
            "stock_location_id": warehouse.pk,
            "reported_fault_id": pump_fault.pk,
        },
    )
    assert answer.status == 201, answer.body
    body = answer.body
    work_order = WorkOrder.objects.get()
    assert (body["id"], body["reference"], body["ticket_id"], body["unit_id"]) == (
        work_order.pk,
        "WO-000001",
        ticket.pk,
        unit.pk,
    )
    assert (body["stage"], body["billing"], body["is_open"]) == ("received", "warranty", True)
    assert body["coverage"]["covered"] is True
    assert body["claim"]["status"] == "pending"
    assert body["claim"]["covered_by"] == "standard"
    assert (body["parts"], body["labour"], body["quotes"], body["visits"]) == ([], [], [], [])
    again = agent_api.get(f"/work-orders/{work_order.pk}")
    assert again.status == 200
    assert again.body == body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "teleport"}, "kind"),
        ({"ticket_id": 10**12}, "ticket_id"),
        ({"technician_id": "bob"}, "technician_id"),
        ({"unit_id": "foreign"}, "unit_id"),
        ({"stock_location_id": 10**12}, "stock_location_id"),
        ({"reported_fault_id": 10**12}, "reported_fault_id"),
    ],
)
def test_opening_refuses_bad_input(
    org, other_org, agent_api, ticket, bob_agent, other_customer, body, field
):
    from aftercare.catalog.models import ProductModel
    from aftercare.warranty.services.units import unit_register

    data = {"ticket_id": ticket.pk, "kind": "service_centre"}
    data.update(body)
    if body.get("technician_id") == "bob":
        data["technician_id"] = bob_agent.pk
    if body.get("unit_id") == "foreign":
        model = ProductModel.objects.create(organization=other_org, name="X", sku="X")
        data["unit_id"] = unit_register(
            organization=other_org, product_model=model, serial_number="X1", source="console"
        ).pk
    answer = agent_api.post("/work-orders/", data)
    assert (answer.status, answer.field) == (422, field), answer.body
    assert not WorkOrder.objects.exists()


def test_a_foreign_request_is_a_field_error(agent_api, other_org):
    foreign = make_ticket(organization=other_org)
    answer = agent_api.post("/work-orders/", {"ticket_id": foreign.pk, "kind": "remote"})
    assert (answer.status, answer.field) == (422, "ticket_id")


def test_the_list_filters_and_pages_with_a_flat_query_count(
    org, agent_api, ticket, old_ticket, bob_agent, tina_technician
):
    made = []
    for index in range(7):
        made.append(
            work_order_open(
                ticket=ticket if index % 2 else old_ticket,
                kind=WorkOrder.Kind.REMOTE,
                actor=bob_agent,
                technician=tina_technician if index < 3 else None,
            )
        )
    agent_api.get("/work-orders/")
    with CaptureQueriesContext(connection) as queries:
        first = agent_api.get("/work-orders/", {"limit": 3})
    assert len(queries) == 3  # token, membership, the page
    second = agent_api.get("/work-orders/", {"limit": 3, "cursor": first.body["next_cursor"]})
    third = agent_api.get("/work-orders/", {"limit": 3, "cursor": second.body["next_cursor"]})
    ids = [row["id"] for page in (first, second, third) for row in page.body["items"]]
    assert ids == [work_order.pk for work_order in reversed(made)]
    assert third.body["next_cursor"] is None
    by_ticket = agent_api.get("/work-orders/", {"ticket_id": ticket.pk}).body["items"]
    assert [row["id"] for row in by_ticket] == [made[5].pk, made[3].pk, made[1].pk]
    mine = agent_api.get("/work-orders/", {"technician_id": tina_technician.pk}).body["items"]
    assert [row["id"] for row in mine] == [made[2].pk, made[1].pk, made[0].pk]
    assert agent_api.get("/work-orders/", {"stage": "ready"}).body["items"] == []
    assert len(agent_api.get("/work-orders/", {"is_open": "true"}).body["items"]) == 7
    bad = agent_api.get("/work-orders/", {"stage": "lost"})
    assert (bad.status, bad.field) == (422, "stage")
    bad = agent_api.get("/work-orders/", {"cursor": "nonsense"})
    assert (bad.status, bad.field) == (422, "cursor")


def test_a_work_order_reads_a_fixed_number_of_queries(
    agent_api, paid, pump, board, bob_agent, tina_technician, today
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert agent_api.get(f"/work-orders/{paid.pk}").status == 200
        return len(queries)

    part_add(work_order=paid, part=pump, actor=bob_agent)
    agent_api.post(f"/work-orders/{paid.pk}/stage", {"stage": "diagnosing"})
    agent_api.post(f"/work-orders/{paid.pk}/quotes", {"labour_minutes": 30})
    first = count()
    part_add(work_order=paid, part=board, actor=bob_agent)
    start = datetime.datetime.combine(today, datetime.time(9), tzinfo=datetime.UTC)
    for hour in range(3):
        visit_schedule(
            work_order=paid,
            technician=tina_technician,
            window_start=start + datetime.timedelta(hours=hour),
            window_end=start + datetime.timedelta(hours=hour + 1),
            address="Tehran",
            actor=bob_agent,
        )
    agent_api.post(f"/work-orders/{paid.pk}/quotes", {"labour_minutes": 60})
    assert count() == first


def test_a_repair_out_of_warranty_through_the_api(
    technician_api, agent_api, paid, warehouse, pump, board, tina_technician, customer
):
    base = f"/work-orders/{paid.pk}"
    answer = technician_api.post(
        f"{base}/diagnosis", {"diagnosis": "The pump is jammed.", "root_cause_id": None}
    )
    assert (answer.status, answer.body["stage"]) == (200, "diagnosing")
    part = technician_api.post(f"{base}/parts", {"part_id": pump.pk, "quantity": 1})
    assert part.status == 201, part.body
    assert (part.body["status"], part.body["sku"], part.body["unit_price"]) == (
        "reserved",
        "PMP-1",
        "450000.00",
    )
    serialised = technician_api.post(f"{base}/parts", {"part_id": board.pk})
    assert serialised.status == 201
    labour = technician_api.post(f"{base}/labour", {"minutes": 30, "description": "Checked"})
    assert (labour.status, labour.body["rate"], labour.body["technician"]["id"]) == (
        201,
        "600000.00",
        tina_technician.pk,
    )
    released = technician_api.post(f"{base}/parts/{serialised.body['id']}/release")
    assert (released.status, released.body["status"]) == (200, "released")
    quote = agent_api.post(f"{base}/quotes", {"include_travel": True, "note": "Two days."})
    assert quote.status == 201, quote.body
    # 450,000 + 300,000 labour + 300,000 travel = 1,050,000; 9% tax 94,500.
    assert (quote.body["subtotal"], quote.body["tax"], quote.body["total"]) == (
        "1050000.00",
        "94500.00",
        "1144500.00",
    )
    assert [line["kind"] for line in quote.body["lines"]] == ["part", "labour", "travel"]
    assert WorkOrder.objects.get(pk=paid.pk).stage == Stage.AWAITING_APPROVAL
    from aftercare.repairs.services import quote_approve

    quote_approve(quote=Quote.objects.get(pk=quote.body["id"]), customer=customer)
    used = technician_api.post(f"{base}/parts/{part.body['id']}/use", {})
    assert (used.status, used.body["status"]) == (200, "used")
    assert StockLevel.objects.get(location=warehouse, part=pump).on_hand == 1
    for stage in ("ready", "delivered", "closed"):
        moved = technician_api.post(f"{base}/stage", {"stage": stage})
        assert (moved.status, moved.body["stage"]) == (200, stage), moved.body
    assert moved.body["is_open"] is False
    refused = technician_api.post(f"{base}/stage", {"stage": "in_repair"})
    assert (refused.status, refused.field) == (422, "stage")


def test_visits_through_the_api(agent_api, technician_api, paid, tina_technician, bob_agent):
    base = f"/work-orders/{paid.pk}"
    body = {
        "technician_id": tina_technician.pk,
        "window_start": "2026-05-03T09:00:00+03:30",
        "window_end": "2026-05-03T12:00:00+03:30",
        "address": "Tehran, Valiasr St. 12",
    }
    for change, field in (
        ({"technician_id": bob_agent.pk}, "technician_id"),
        ({"window_end": "2026-05-03T08:00:00+03:30"}, "window_end"),
        ({"window_start": "2026-05-03T09:00:00"}, "window_start"),
        ({"address": ""}, "address"),
    ):
        answer = agent_api.post(f"{base}/visits", {**body, **change})
        assert (answer.status, answer.field) == (422, field), answer.body
    answer = agent_api.post(f"{base}/visits", body)
    assert answer.status == 201, answer.body
    assert answer.body["window_start"] == "2026-05-03T05:30:00Z"
    assert answer.body["technician"]["id"] == tina_technician.pk
    visit = answer.body["id"]
    done = technician_api.post(f"{base}/visits/{visit}/status", {"status": "done"})
    assert (done.status, done.body["status"]) == (200, "done")
    again = technician_api.post(f"{base}/visits/{visit}/status", {"status": "missed"})
    assert (again.status, again.field) == (422, "status")


def test_claims_and_billing_are_for_managers(agent_api, manager_api, work_order):
    base = f"/work-orders/{work_order.pk}"
    for path, body in (
        ("claim/approve", None),
        ("claim/reject", {"reason": "Dented"}),
        ("billing", {"billing": "goodwill"}),
    ):
        answer = agent_api.post(f"{base}/{path}", body)
        assert answer.status == 403, path
    assert WarrantyClaim.objects.get().status == "pending"
    answer = manager_api.post(f"{base}/claim/reject", {"reason": "The drum was dented."})
    assert answer.status == 200, answer.body
    assert (answer.body["billing"], answer.body["claim"]["status"]) == ("customer", "rejected")
    assert answer.body["claim"]["rejection_reason"] == "The drum was dented."
    again = manager_api.post(f"{base}/claim/approve")
    assert (again.status, again.field) == (422, "claim")
    goodwill = manager_api.post(f"{base}/billing", {"billing": "goodwill"})
    assert (goodwill.status, goodwill.body["billing"]) == (200, "goodwill")
    bad = manager_api.post(f"{base}/billing", {"billing": "warranty"})
    assert (bad.status, bad.field) == (422, "billing")


def test_viewers_read_but_do_not_write(viewer_api, work_order, pump):
    assert viewer_api.get(f"/work-orders/{work_order.pk}").status == 200
    assert viewer_api.get("/work-orders/").status == 200
    base = f"/work-orders/{work_order.pk}"
    for path, body in (
        ("stage", {"stage": "diagnosing"}),
        ("diagnosis", {"diagnosis": "x"}),
        ("parts", {"part_id": pump.pk}),
        ("labour", {"minutes": 5, "description": "x"}),
        ("quotes", {}),
        ("technician", {"technician_id": None}),
    ):
        answer = viewer_api.post(f"{base}/{path}", body)
        assert answer.status == 403, path
    answer = viewer_api.post("/work-orders/", {"ticket_id": work_order.ticket_id, "kind": "remote"})
    assert answer.status == 403
    assert WorkOrder.objects.count() == 1
    assert WorkOrder.objects.get().stage == "received"


def test_another_organization_gets_404_for_every_work_order_endpoint(
    outsider_api, work_order, pump, tina_technician, bob_agent, today
):
    line = part_add(work_order=work_order, part=pump, actor=bob_agent)
    start = datetime.datetime.combine(today, datetime.time(9), tzinfo=datetime.UTC)
    visit = visit_schedule(
        work_order=work_order,
        technician=tina_technician,
        window_start=start,
        window_end=start + datetime.timedelta(hours=1),
        address="Tehran",
        actor=bob_agent,
    )
    events = TicketEvent.objects.count()
    base = f"/work-orders/{work_order.pk}"
    assert outsider_api.get(base).status == 404
    for path, body in (
        ("stage", {"stage": "diagnosing"}),
        ("diagnosis", {"diagnosis": "x"}),
        ("work-done", {"work_done": "x"}),
        ("technician", {"technician_id": None}),
        ("billing", {"billing": "goodwill"}),
        ("claim/approve", None),
        ("claim/reject", {"reason": "x"}),
        ("labour", {"minutes": 5, "description": "x"}),
        ("parts", {"part_id": pump.pk}),
        (f"parts/{line.pk}/use", {}),
        (f"parts/{line.pk}/release", None),
        (f"parts/{line.pk}/reserve", None),
        ("quotes", {}),
        ("quotes/withdraw", None),
        (
            "visits",
            {
                "technician_id": tina_technician.pk,
                "window_start": "2026-05-03T09:00:00Z",
                "window_end": "2026-05-03T10:00:00Z",
                "address": "x",
            },
        ),
        (f"visits/{visit.pk}/status", {"status": "done"}),
    ):
        answer = outsider_api.post(f"{base}/{path}", body)
        assert (answer.status, answer.body) == (404, {"detail": "Not found.", "errors": []}), path
    assert outsider_api.get("/work-orders/").body == {"items": [], "next_cursor": None}
    assert TicketEvent.objects.count() == events
    assert PartLine.objects.get(pk=line.pk).status == "reserved"
    assert Visit.objects.get(pk=visit.pk).status == "scheduled"


def test_a_line_or_visit_of_another_work_order_is_404(agent_api, work_order, paid, pump, bob_agent):
    line = part_add(work_order=paid, part=pump, actor=bob_agent)
    answer = agent_api.post(f"/work-orders/{work_order.pk}/parts/{line.pk}/release")
    assert answer.status == 404
    assert PartLine.objects.get(pk=line.pk).status == "reserved"


def test_repair_settings(org, agent_api, manager_api, outsider_api):
    assert agent_api.get("/repair-settings").body == {
        "currency": "IRR",
        "tax_rate": "0.00",
        "labour_rate": "0.00",
        "travel_fee": "0.00",
        "quote_valid_days": 14,
    }
    body = {
        "currency": "TRY",
        "tax_rate": "20.00",
        "labour_rate": "850.50",
        "travel_fee": 150,
        "quote_valid_days": 7,
    }
    assert _put(agent_api, "/repair-settings", body).status == 403
    answer = _put(manager_api, "/repair-settings", body)
    assert answer.status == 200, answer.body
    assert answer.body == {
        "currency": "TRY",
        "tax_rate": "20.00",
        "labour_rate": "850.50",
        "travel_fee": "150.00",
        "quote_valid_days": 7,
    }
    for change, field in (
        ({"currency": "T1R"}, "currency"),
        ({"tax_rate": "101"}, "tax_rate"),
        ({"labour_rate": "-1"}, "labour_rate"),
        ({"quote_valid_days": 0}, "quote_valid_days"),
    ):
        refused = _put(manager_api, "/repair-settings", {**body, **change})
        assert (refused.status, refused.field) == (422, field), refused.body
    assert RepairSettings.objects.get(organization=org).currency == "TRY"
    # Another organization has its own.
    assert outsider_api.get("/repair-settings").body["currency"] == "IRR"
