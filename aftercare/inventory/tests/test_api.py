"""The stock API: locations, levels and reorder points, the ledger and its moves, reservations.
Every member reads; admins and supervisors write; another organization's ids answer 404 in a
path and name the field in a body; a refusal changes nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.accounts.services import api_token_create
from aftercare.api.tests.client import ApiClient
from aftercare.inventory.models import Reservation, StockLevel, StockLocation, StockMove
from aftercare.inventory.services import (
    stock_level_reorder_set,
    stock_receive,
    stock_reserve,
)
from aftercare.inventory.tests.factories import make_location, make_part


def _api(org, user) -> ApiClient:
    _token, key = api_token_create(user=user, organization=org, name="test")
    return ApiClient(key)


@pytest.fixture
def foreign(other_org, charlie_other_org):
    """Another organization's location, part, level, move and reservation."""
    location = make_location(other_org, "Far store")
    part = make_part(other_org, sku="FAR-1")
    move = stock_receive(location=location, part=part, quantity=3, reason="In", actor=None)
    reservation = stock_reserve(
        location=location, part=part, quantity=1, work_order_id=1, reference="", actor=None
    )
    level = StockLevel.objects.get(location=location, part=part)
    return {
        "location": location,
        "part": part,
        "level": level,
        "move": move,
        "reservation": reservation,
    }


def _state() -> tuple:
    """Everything the stock API can write, to show a refusal changed nothing."""
    return (
        sorted(
            StockLocation.objects.values_list(
                "pk", "name", "kind", "holder_id", "keeper_id", "is_active"
            )
        ),
        sorted(
            StockLevel.objects.values_list(
                "pk", "on_hand", "reserved", "reorder_point", "reorder_quantity", "low_since"
            )
        ),
        StockMove.objects.count(),
        Reservation.objects.count(),
    )


def test_locations_list_get_create_and_update(
    org, manager_api, warehouse, van, tina_technician, alice_admin
):
    listed = manager_api.get("/stock-locations/")
    assert listed.status == 200
    assert [row["name"] for row in listed.body["items"]] == ["Main warehouse", "Tina's van"]
    van_row = listed.body["items"][1]
    assert (van_row["kind"], van_row["holder"]["id"], van_row["keeper"]) == (
        "van",
        tina_technician.pk,
        None,
    )
    assert manager_api.get("/stock-locations/", {"kind": "van"}).body["items"][0]["id"] == van.pk
    assert [
        row["id"] for row in manager_api.get("/stock-locations/", {"search": "ware"}).body["items"]
    ] == [warehouse.pk]

    created = manager_api.post(
        "/stock-locations/", {"name": "Tabriz store", "keeper_id": alice_admin.pk}
    )
    assert created.status == 201, created.body
    location = StockLocation.objects.get(pk=created.body["id"])
    assert (location.name, location.kind, location.keeper, location.organization) == (
        "Tabriz store",
        "warehouse",
        alice_admin,
        org,
    )
    answer = manager_api.get(f"/stock-locations/{location.pk}")
    assert (answer.status, answer.body["keeper"]["email"]) == (200, "alice@demo.example")

    changed = manager_api.patch(
        f"/stock-locations/{location.pk}", {"name": "Tabriz depot", "is_active": False}
    )
    assert changed.status == 200, changed.body
    location.refresh_from_db()
    assert (location.name, location.keeper, location.is_active) == (
        "Tabriz depot",
        alice_admin,
        False,
    )
    assert manager_api.patch(f"/stock-locations/{location.pk}", {"keeper_id": None}).status == 200
    location.refresh_from_db()
    assert location.keeper is None
    inactive = manager_api.get("/stock-locations/", {"status": "inactive"}).body["items"]
    assert [row["id"] for row in inactive] == [location.pk]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": "  "}, "name"),
        ({"name": "Main warehouse"}, "name"),
        ({"name": "Van", "kind": "garage"}, "kind"),
        ({"name": "Van", "kind": "van"}, "holder_id"),
        ({"name": "Van", "kind": "van", "holder_id": "bob"}, "holder_id"),
        ({"name": "Store", "keeper_id": 0}, "keeper_id"),
    ],
)
def test_creating_a_location_with_bad_input_names_the_field(
    org, manager_api, warehouse, bob_agent, body, field
):
    if body.get("holder_id") == "bob":
        body = {**body, "holder_id": bob_agent.pk}
    before = _state()
    answer = manager_api.post("/stock-locations/", body)
    assert (answer.status, answer.field) == (422, field), answer.body
    assert _state() == before


def test_a_foreign_member_is_no_holder_or_keeper(org, manager_api, charlie_other_org):
    for body, field in [
        ({"name": "Van", "kind": "van", "holder_id": charlie_other_org.pk}, "holder_id"),
        ({"name": "Store", "keeper_id": charlie_other_org.pk}, "keeper_id"),
    ]:
        answer = manager_api.post("/stock-locations/", body)
        assert (answer.status, answer.field) == (422, field)
    assert not StockLocation.objects.exists()


@pytest.mark.parametrize("fixture", ["bob_agent", "tina_technician", "vic_viewer"])
def test_only_managers_write(org, request, fixture, warehouse, van, part):
    api = _api(org, request.getfixturevalue(fixture))
    stock_receive(location=warehouse, part=part, quantity=2, reason="In", actor=None)
    before = _state()
    level = {"location_id": warehouse.pk, "part_id": part.pk}
    for path, body in [
        ("/stock-locations/", {"name": "Mine"}),
        ("/stock-moves/receipts", {**level, "quantity": 1, "reason": "In"}),
        ("/stock-moves/adjustments", {**level, "quantity": -1, "reason": "Lost"}),
        ("/stock-moves/counts", {**level, "counted": 0}),
        (
            "/stock-moves/transfers",
            {
                "source_id": warehouse.pk,
                "destination_id": van.pk,
                "part_id": part.pk,
                "quantity": 1,
                "reason": "Van",
            },
        ),
    ]:
        answer = api.post(path, body)
        assert answer.status == 403, (path, answer.body)
        assert answer.body["detail"] == "Only an admin or a supervisor may do this."
    assert api.patch(f"/stock-locations/{warehouse.pk}", {"name": "x"}).status == 403
    assert api.send("PUT", "/stock-levels/reorder", {**level, "reorder_point": 1}).status == 403
    assert _state() == before
    # Reading is for everyone.
    assert api.get(f"/stock-locations/{van.pk}").status == 200
    assert len(api.get("/stock-levels/").body["items"]) == 1
    assert len(api.get("/stock-moves/").body["items"]) == 1


def test_another_organizations_objects_are_404(org, manager_api, foreign):
    before = _state()
    for path in (
        f"/stock-locations/{foreign['location'].pk}",
        f"/stock-levels/{foreign['level'].pk}",
        f"/stock-moves/{foreign['move'].pk}",
        f"/reservations/{foreign['reservation'].pk}",
    ):
        answer = manager_api.get(path)
        assert (answer.status, answer.body) == (404, {"detail": "Not found.", "errors": []}), path
    answer = manager_api.patch(f"/stock-locations/{foreign['location'].pk}", {"name": "Mine"})
    assert answer.status == 404
    for path, filters in [
        ("/stock-locations/", {}),
        ("/stock-levels/", {"location_id": foreign["location"].pk}),
        ("/stock-levels/", {"part_id": foreign["part"].pk}),
        ("/stock-moves/", {"part_id": foreign["part"].pk}),
        ("/reservations/", {"location_id": foreign["location"].pk}),
    ]:
        assert manager_api.get(path, filters).body == {"items": [], "next_cursor": None}, path
    assert _state() == before


def test_another_organizations_ids_in_a_body_name_the_field(
    org, manager_api, warehouse, part, foreign
):
    stock_receive(location=warehouse, part=part, quantity=2, reason="In", actor=None)
    before = _state()
    mine = {"location_id": warehouse.pk, "part_id": part.pk}
    cases = [
        ("/stock-moves/receipts", {**mine, "part_id": foreign["part"].pk}, "part_id"),
        ("/stock-moves/receipts", {**mine, "location_id": foreign["location"].pk}, "location_id"),
        ("/stock-moves/adjustments", {**mine, "part_id": foreign["part"].pk}, "part_id"),
        ("/stock-moves/counts", {**mine, "location_id": foreign["location"].pk}, "location_id"),
        (
            "/stock-moves/transfers",
            {"source_id": warehouse.pk, "destination_id": foreign["location"].pk},
            "destination_id",
        ),
        (
            "/stock-moves/transfers",
            {"source_id": foreign["location"].pk, "destination_id": warehouse.pk},
            "source_id",
        ),
    ]
    for path, body, field in cases:
        body = {"part_id": part.pk, "quantity": 1, "counted": 1, "reason": "x", **body}
        answer = manager_api.post(path, body)
        assert (answer.status, answer.field) == (422, field), (path, answer.body)
    answer = manager_api.send(
        "PUT", "/stock-levels/reorder", {**mine, "part_id": foreign["part"].pk, "reorder_point": 1}
    )
    assert (answer.status, answer.field) == (422, "part_id")
    assert _state() == before


def test_receive_adjust_count_and_transfer(org, manager_api, sam_supervisor, warehouse, van, part):
    level = {"location_id": warehouse.pk, "part_id": part.pk}
    received = manager_api.post(
        "/stock-moves/receipts", {**level, "quantity": 5, "reason": "Delivery", "reference": "PO-1"}
    )
    assert received.status == 201, received.body
    assert {
        key: received.body[key]
        for key in ("kind", "quantity", "balance_after", "reason", "reference")
    } == {
        "kind": "receipt",
        "quantity": 5,
        "balance_after": 5,
        "reason": "Delivery",
        "reference": "PO-1",
    }
    assert received.body["actor"]["id"] == sam_supervisor.pk
    assert received.body["part"] == {"id": part.pk, "sku": "PUMP-1", "name": "Drain pump"}
    assert received.body["location"] == {"id": warehouse.pk, "name": "Main warehouse"}

    adjusted = manager_api.post(
        "/stock-moves/adjustments", {**level, "quantity": -1, "reason": "Damaged"}
    )
    assert (adjusted.status, adjusted.body["balance_after"]) == (201, 4)

    counted = manager_api.post("/stock-moves/counts", {**level, "counted": 4})
    assert (counted.status, counted.body) == (200, {"move": None, "on_hand": 4})
    counted = manager_api.post("/stock-moves/counts", {**level, "counted": 6, "reason": "Yearly"})
    assert counted.status == 200
    assert (counted.body["move"]["quantity"], counted.body["on_hand"]) == (2, 6)

    moved = manager_api.post(
        "/stock-moves/transfers",
        {
            "source_id": warehouse.pk,
            "destination_id": van.pk,
            "part_id": part.pk,
            "quantity": 2,
            "reason": "For the week",
        },
    )
    assert moved.status == 201, moved.body
    assert (moved.body["out_move"]["quantity"], moved.body["out_move"]["balance_after"]) == (-2, 4)
    assert (moved.body["in_move"]["quantity"], moved.body["in_move"]["location"]["id"]) == (
        2,
        van.pk,
    )
    assert [
        (row["kind"], row["quantity"]) for row in manager_api.get("/stock-moves/").body["items"]
    ] == [
        ("transfer_in", 2),
        ("transfer_out", -2),
        ("count", 2),
        ("adjustment", -1),
        ("receipt", 5),
    ]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/stock-moves/receipts", {"quantity": 0}, "quantity"),
        ("/stock-moves/receipts", {"quantity": 1_000_001}, "quantity"),
        ("/stock-moves/receipts", {"quantity": "many"}, "quantity"),
        ("/stock-moves/receipts", {"reason": ""}, "reason"),
        ("/stock-moves/receipts", {"reason": "   "}, "reason"),
        ("/stock-moves/receipts", {"reference": "r" * 101}, "reference"),
        ("/stock-moves/receipts", {"part_id": 0}, "part_id"),
        ("/stock-moves/receipts", {"part_id": 2**63}, "part_id"),
        ("/stock-moves/adjustments", {"quantity": 0}, "quantity"),
        ("/stock-moves/adjustments", {"quantity": -3}, "quantity"),
        ("/stock-moves/counts", {"counted": -1}, "counted"),
        ("/stock-moves/counts", {"counted": 0}, "counted"),
    ],
)
def test_bad_moves_name_the_field_and_change_nothing(
    org, manager_api, warehouse, part, path, body, field
):
    stock_receive(location=warehouse, part=part, quantity=2, reason="In", actor=None)
    stock_reserve(
        location=warehouse, part=part, quantity=1, work_order_id=1, reference="", actor=None
    )
    before = _state()
    full = {
        "location_id": warehouse.pk,
        "part_id": part.pk,
        "quantity": 1,
        "counted": 1,
        "reason": "Why",
        **body,
    }
    answer = manager_api.post(path, full)
    assert (answer.status, answer.field) == (422, field), answer.body
    assert _state() == before


def test_a_short_transfer_and_a_retired_part_are_refused(org, manager_api, warehouse, van, part):
    stock_receive(location=warehouse, part=part, quantity=1, reason="In", actor=None)
    before = _state()
    transfer = {
        "source_id": warehouse.pk,
        "destination_id": van.pk,
        "part_id": part.pk,
        "quantity": 2,
        "reason": "Van",
    }
    answer = manager_api.post("/stock-moves/transfers", transfer)
    assert (answer.status, answer.field) == (422, "quantity")
    assert "1 free" in answer.body["detail"]
    answer = manager_api.post(
        "/stock-moves/transfers", {**transfer, "destination_id": warehouse.pk}
    )
    assert (answer.status, answer.field) == (422, "destination_id")
    part.is_active = False
    part.save()
    answer = manager_api.post("/stock-moves/transfers", {**transfer, "quantity": 1})
    assert (answer.status, answer.field) == (422, "part_id")
    assert _state() == before


def test_reorder_points_and_low_levels(org, manager_api, warehouse, part):
    stock_receive(location=warehouse, part=part, quantity=3, reason="In", actor=None)
    answer = manager_api.send(
        "PUT",
        "/stock-levels/reorder",
        {
            "location_id": warehouse.pk,
            "part_id": part.pk,
            "reorder_point": 3,
            "reorder_quantity": 10,
        },
    )
    assert answer.status == 200, answer.body
    assert (answer.body["reorder_point"], answer.body["reorder_quantity"], answer.body["free"]) == (
        3,
        10,
        3,
    )
    assert answer.body["low_since"] is not None
    low = manager_api.get("/stock-levels/", {"low": True}).body["items"]
    assert [row["id"] for row in low] == [answer.body["id"]]
    answer = manager_api.send(
        "PUT",
        "/stock-levels/reorder",
        {"location_id": warehouse.pk, "part_id": part.pk, "reorder_quantity": 0},
    )
    assert (answer.status, answer.field) == (422, "reorder_quantity")
    level = manager_api.get(f"/stock-levels/{low[0]['id']}").body
    assert (level["on_hand"], level["reserved"], level["reorder_point"]) == (3, 0, 3)


def test_reservations_are_listed_and_read(org, agent_api, warehouse, part):
    stock_receive(location=warehouse, part=part, quantity=3, reason="In", actor=None)
    first = stock_reserve(
        location=warehouse, part=part, quantity=1, work_order_id=7, reference="WO-7", actor=None
    )
    second = stock_reserve(
        location=warehouse, part=part, quantity=2, work_order_id=8, reference="WO-8", actor=None
    )
    listed = agent_api.get("/reservations/")
    assert [row["id"] for row in listed.body["items"]] == [second.pk, first.pk]
    by_order = agent_api.get("/reservations/", {"work_order_id": 7}).body["items"]
    assert [(row["id"], row["quantity"], row["status"]) for row in by_order] == [
        (first.pk, 1, "active")
    ]
    answer = agent_api.get(f"/reservations/{first.pk}")
    assert (answer.status, answer.body["reference"], answer.body["part"]["sku"]) == (
        200,
        "WO-7",
        "PUMP-1",
    )
    answer = agent_api.get("/reservations/", {"status": "gone"})
    assert (answer.status, answer.field) == (422, "status")


def test_the_ledger_filters_and_pages_with_a_flat_query_count(org, agent_api, warehouse, van):
    parts = [make_part(org, sku=f"P-{index}") for index in range(3)]
    for part in parts:
        for _ in range(4):
            stock_receive(location=warehouse, part=part, quantity=1, reason="In", actor=None)
    stock_receive(location=van, part=parts[0], quantity=1, reason="In", actor=None)
    agent_api.get("/stock-moves/")
    with CaptureQueriesContext(connection) as queries:
        first = agent_api.get("/stock-moves/", {"limit": 5})
    # Token, membership, the page (with location, part and actor).
    assert len(queries) == 3
    seen = [row["id"] for row in first.body["items"]]
    cursor = first.body["next_cursor"]
    while cursor:
        page = agent_api.get("/stock-moves/", {"limit": 5, "cursor": cursor})
        seen += [row["id"] for row in page.body["items"]]
        cursor = page.body["next_cursor"]
    assert seen == list(
        StockMove.objects.order_by("-created_at", "-id").values_list("id", flat=True)
    )
    assert len(seen) == 13
    van_moves = agent_api.get("/stock-moves/", {"location_id": van.pk}).body["items"]
    assert [row["location"]["id"] for row in van_moves] == [van.pk]
    part_moves = agent_api.get("/stock-moves/", {"part_id": parts[1].pk}).body["items"]
    assert len(part_moves) == 4
    assert agent_api.get("/stock-moves/", {"kind": "count"}).body["items"] == []
    assert len(agent_api.get("/stock-moves/", {"kind": "receipt"}).body["items"]) == 13
    answer = agent_api.get("/stock-moves/", {"since": "2020-01-01", "until": "2020-01-31"})
    assert answer.body["items"] == []
    answer = agent_api.get("/stock-moves/", {"since": "2020-02-01", "until": "2020-01-01"})
    assert (answer.status, answer.field) == (422, "until")
    answer = agent_api.get("/stock-moves/", {"cursor": "nonsense"})
    assert (answer.status, answer.field) == (422, "cursor")


@pytest.mark.parametrize(
    ("path", "filters"),
    [
        ("/stock-locations/", {}),
        ("/stock-levels/", {}),
        ("/stock-levels/", {"low": True}),
        ("/reservations/", {}),
    ],
)
def test_lists_query_count_does_not_grow(org, agent_api, tina_technician, path, filters):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            answer = agent_api.get(path, filters)
        assert answer.status == 200
        return len(queries)

    def add(index: int) -> None:
        location = make_location(
            org, f"Van {index}", holder=tina_technician, keeper=tina_technician
        )
        part = make_part(org, sku=f"S-{index}")
        stock_receive(location=location, part=part, quantity=2, reason="In", actor=None)
        stock_level_reorder_set(location=location, part=part, reorder_point=1, reorder_quantity=2)
        stock_reserve(
            location=location,
            part=part,
            quantity=1,
            work_order_id=index + 1,
            reference="",
            actor=None,
        )

    add(0)
    agent_api.get(path, filters)  # the first use records the token as used (once a minute)
    few = count()
    for index in range(1, 8):
        add(index)
    assert count() == few == 3
