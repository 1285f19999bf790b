"""The console's stock pages: locations, a location's stock, a part across locations, the
ledger and what is low, read by every member of staff; locations and stock changed by admins
and supervisors through forms that name the field at fault and change nothing on a refusal."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.inventory.models import Reservation, StockLevel, StockLocation, StockMove
from aftercare.inventory.services import (
    stock_level_reorder_set,
    stock_receive,
    stock_reserve,
)
from aftercare.inventory.tests.factories import make_location, make_part
from aftercare.lib.testing import client_for, field_error, row_ids


@pytest.fixture
def part(org):
    """The shared part, with its name in Persian."""
    return make_part(org, names={"fa": "پمپ تخلیه"})


@pytest.fixture
def foreign(other_org):
    location = make_location(other_org, "Far store")
    part = make_part(other_org, sku="FAR-1", name="Far part")
    stock_receive(location=location, part=part, quantity=2, reason="Far delivery", actor=None)
    return {"location": location, "part": part}


def _state() -> tuple:
    """Everything the stock pages can write, to show a refusal changed nothing."""
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


def _level(location, part) -> tuple[int, int]:
    return StockLevel.objects.values_list("on_hand", "reserved").get(location=location, part=part)


def _write_urls(location) -> list[str]:
    return [
        reverse("inventory:location_create"),
        reverse("inventory:location_edit", args=[location.pk]),
        *(
            reverse(f"inventory:{name}", args=[location.pk])
            for name in ("receive", "adjust", "transfer", "count", "reorder")
        ),
    ]


def _read_urls(location, part) -> list[str]:
    return [
        reverse("inventory:locations"),
        reverse("inventory:location", args=[location.pk]),
        reverse("inventory:part", args=[part.pk]),
        reverse("inventory:ledger"),
        reverse("inventory:low"),
    ]


def test_pages_need_sign_in(warehouse, part):
    for url in _read_urls(warehouse, part) + _write_urls(warehouse):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("who", ["bob_agent", "tina_technician", "vic_viewer"])
def test_every_member_reads_but_only_managers_change_stock(request, org, warehouse, part, who):
    stock_receive(location=warehouse, part=part, quantity=2, reason="In", actor=None)
    client = client_for(request.getfixturevalue(who))
    for url in _read_urls(warehouse, part):
        assert client.get(url).status_code == 200, url
    before = _state()
    for url in _write_urls(warehouse):
        response = client.get(url)
        assert response.status_code == 403
        assert "Only admins and supervisors change stock." in response.content.decode()
        data = {"name": "x", "part": "PUMP-1", "quantity": "1", "counted": "0", "reason": "x"}
        assert client.post(url, data).status_code == 403
    assert _state() == before
    html = client.get(reverse("inventory:location", args=[warehouse.pk])).content.decode()
    assert 'data-testid="action-receive"' not in html


def test_the_stock_link_is_for_managers(org, admin_client, agent_client, warehouse):
    assert (
        'data-testid="nav-stock"' in admin_client.get(reverse("inventory:ledger")).content.decode()
    )
    assert (
        'data-testid="nav-stock"' not in agent_client.get(reverse("tickets:queue")).content.decode()
    )


def test_a_technician_finds_their_van(org, tina_technician, warehouse, van):
    client = client_for(tina_technician)
    html = client.get(reverse("inventory:locations")).content.decode()
    row = html[html.index(f'data-location-id="{van.pk}"') :]
    assert 'data-testid="my-van"' in row[: row.index("</tr>")]
    assert html.count('data-testid="my-van"') == 1
    html = client.get(reverse("inventory:location", args=[van.pk])).content.decode()
    assert 'data-testid="my-van"' in html


def test_locations_list_searches_and_filters(org, supervisor_client, warehouse, van):
    closed = make_location(org, "Closed store")
    StockLocation.objects.filter(pk=closed.pk).update(is_active=False)
    url = reverse("inventory:locations")
    assert row_ids(supervisor_client.get(url), "location") == [str(warehouse.pk), str(van.pk)]
    assert row_ids(supervisor_client.get(url, {"kind": "van"}), "location") == [str(van.pk)]
    assert row_ids(supervisor_client.get(url, {"q": "main"}), "location") == [str(warehouse.pk)]
    inactive = supervisor_client.get(url, {"status": "inactive"})
    assert row_ids(inactive, "location") == [str(closed.pk)]
    assert supervisor_client.get(url, {"cursor": "bad"}).status_code == 422


def test_create_a_van_and_edit_it(org, admin_client, tina_technician, sam_supervisor):
    page = admin_client.get(reverse("inventory:location_create")).content.decode()
    assert f'<option value="{tina_technician.pk}">Tina Tech</option>' in page
    response = admin_client.post(
        reverse("inventory:location_create"),
        {
            "name": " Van 7 ",
            "kind": "van",
            "holder": tina_technician.pk,
            "keeper": sam_supervisor.pk,
        },
    )
    assert response.status_code == 302
    van = StockLocation.objects.get(organization=org)
    assert response["Location"] == reverse("inventory:location", args=[van.pk])
    assert (van.name, van.kind, van.holder, van.keeper, van.is_active) == (
        "Van 7",
        "van",
        tina_technician,
        sam_supervisor,
        True,
    )
    url = reverse("inventory:location_edit", args=[van.pk])
    assert 'value="Van 7"' in admin_client.get(url).content.decode()
    response = admin_client.post(
        url, {"name": "Van 8", "kind": "van", "holder": tina_technician.pk, "keeper": ""}
    )
    assert response.status_code == 302
    van.refresh_from_db()
    assert (van.name, van.keeper, van.is_active) == ("Van 8", None, False)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "kind": "warehouse"}, "name", "This field is required."),
        ({"name": "Main warehouse", "kind": "warehouse"}, "name", "already exists"),
        ({"name": "Van", "kind": "van"}, "holder", "Choose the technician whose van it is."),
        ({"name": "Van", "kind": "van", "holder": "bob"}, "holder", "Select a valid choice"),
        ({"name": "Van", "kind": "boat"}, "kind", "Select a valid choice"),
    ],
)
def test_bad_locations_change_nothing(
    org, admin_client, warehouse, bob_agent, data, field, message
):
    if data.get("holder") == "bob":
        data = {**data, "holder": str(bob_agent.pk)}
    before = _state()
    response = admin_client.post(reverse("inventory:location_create"), data)
    assert response.status_code == 422
    assert message in field_error(response, field)
    assert _state() == before


def test_a_location_shows_its_stock_with_low_rows_marked(org, supervisor_client, warehouse, part):
    other = make_part(org, sku="BELT-2", name="Drive belt")
    stock_receive(location=warehouse, part=part, quantity=5, reason="In", actor=None)
    stock_receive(location=warehouse, part=other, quantity=1, reason="In", actor=None)
    stock_reserve(
        location=warehouse, part=part, quantity=2, work_order_id=3, reference="", actor=None
    )
    stock_level_reorder_set(location=warehouse, part=other, reorder_point=1, reorder_quantity=4)
    response = supervisor_client.get(reverse("inventory:location", args=[warehouse.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    pump = StockLevel.objects.get(part=part)
    belt = StockLevel.objects.get(part=other)
    assert row_ids(response, "level") == [str(belt.pk), str(pump.pk)]  # by SKU
    row = html[html.index(f'data-level-id="{pump.pk}"') :]
    row = row[: row.index("</tr>")]
    assert re.findall(r'data-testid="(?:on-hand|reserved|free)">(\d+)<', row) == ["5", "2", "3"]
    assert "data-low" not in row
    row = html[html.index(f'data-level-id="{belt.pk}"') :]
    row = row[: row.index("</tr>")]
    assert 'data-low="1"' in row and 'data-testid="badge-low"' in row
    assert f'href="{reverse("inventory:receive", args=[warehouse.pk])}?part={part.pk}"' in html


def test_part_names_and_numbers_in_persian(org, admin_client, warehouse, part):
    stock_receive(location=warehouse, part=part, quantity=12, reason="In", actor=None)
    admin_client.cookies["django_language"] = "fa"
    html = admin_client.get(
        reverse("inventory:location", args=[warehouse.pk]), HTTP_ACCEPT_LANGUAGE="fa"
    ).content.decode()
    assert "پمپ تخلیه" in html
    assert 'data-testid="on-hand">۱۲<' in html


def test_receive_through_the_form(org, admin_client, alice_admin, warehouse, part):
    url = reverse("inventory:receive", args=[warehouse.pk])
    page = admin_client.get(url, {"part": part.pk}).content.decode()
    assert 'value="PUMP-1"' in page
    response = admin_client.post(
        url, {"part": "pump-1", "quantity": "4", "reason": "Supplier", "reference": "PO-9"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("inventory:location", args=[warehouse.pk])
    move = StockMove.objects.get()
    assert (move.kind, move.quantity, move.balance_after, move.reason, move.reference) == (
        "receipt",
        4,
        4,
        "Supplier",
        "PO-9",
    )
    assert move.actor == alice_admin
    follow = admin_client.get(response["Location"]).content.decode()
    assert "Received 4 × PUMP-1: 4 on hand." in follow


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"part": "NOPE"}, "part", "No spare part has this SKU."),
        ({"part": "FAR-1"}, "part", "No spare part has this SKU."),
        ({"quantity": "0"}, "quantity", "greater than or equal to 1"),
        ({"quantity": "lots"}, "quantity", "Enter a whole number."),
        ({"reason": ""}, "reason", "This field is required."),
        ({"reason": "   "}, "reason", "This field is required."),
    ],
)
def test_a_bad_receipt_changes_nothing(
    org, admin_client, warehouse, part, foreign, data, field, message
):
    before = _state()
    full = {"part": "PUMP-1", "quantity": "1", "reason": "In", **data}
    response = admin_client.post(reverse("inventory:receive", args=[warehouse.pk]), full)
    assert response.status_code == 422
    assert message in field_error(response, field)
    assert _state() == before


def test_adjust_up_and_down_but_not_below_the_free_stock(org, admin_client, warehouse, part):
    stock_receive(location=warehouse, part=part, quantity=2, reason="In", actor=None)
    url = reverse("inventory:adjust", args=[warehouse.pk])
    response = admin_client.post(url, {"part": "PUMP-1", "quantity": "-1", "reason": "Broken"})
    assert response.status_code == 302
    assert _level(warehouse, part) == (1, 0)
    before = _state()
    response = admin_client.post(url, {"part": "PUMP-1", "quantity": "-2", "reason": "Lost"})
    assert response.status_code == 422
    assert "Not enough free stock at Main warehouse: 1 free." in field_error(response, "quantity")
    response = admin_client.post(url, {"part": "PUMP-1", "quantity": "-1", "reason": ""})
    assert "This field is required." in field_error(response, "reason")
    assert _state() == before


def test_transfer_to_a_van(org, supervisor_client, warehouse, van, part):
    stock_receive(location=warehouse, part=part, quantity=3, reason="In", actor=None)
    url = reverse("inventory:transfer", args=[warehouse.pk])
    page = supervisor_client.get(url).content.decode()
    assert f'<option value="{van.pk}">' in page
    assert f'<option value="{warehouse.pk}">' not in page
    response = supervisor_client.post(
        url, {"part": "PUMP-1", "destination": van.pk, "quantity": "2", "reason": "Week"}
    )
    assert response.status_code == 302
    assert (_level(warehouse, part), _level(van, part)) == ((1, 0), (2, 0))
    before = _state()
    response = supervisor_client.post(
        url, {"part": "PUMP-1", "destination": van.pk, "quantity": "2", "reason": "More"}
    )
    assert response.status_code == 422
    assert "1 free" in field_error(response, "quantity")
    assert _state() == before


def test_a_count_records_the_difference_and_not_below_reserved(org, admin_client, warehouse, part):
    stock_receive(location=warehouse, part=part, quantity=3, reason="In", actor=None)
    stock_reserve(
        location=warehouse, part=part, quantity=2, work_order_id=1, reference="", actor=None
    )
    url = reverse("inventory:count", args=[warehouse.pk])
    before = _state()
    response = admin_client.post(url, {"part": "PUMP-1", "counted": "1"})
    assert response.status_code == 422
    assert "2 of these are reserved" in field_error(response, "counted")
    assert _state() == before
    response = admin_client.post(url, {"part": "PUMP-1", "counted": "5"})
    assert response.status_code == 302
    move = StockMove.objects.get(kind="count")
    assert (move.quantity, move.balance_after, move.reason) == (2, 5, "Stock count")


def test_set_a_reorder_point(org, admin_client, warehouse, part):
    stock_receive(location=warehouse, part=part, quantity=3, reason="In", actor=None)
    stock_level_reorder_set(location=warehouse, part=part, reorder_point=1, reorder_quantity=6)
    url = reverse("inventory:reorder", args=[warehouse.pk])
    page = admin_client.get(url, {"part": part.pk}).content.decode()
    assert 'name="reorder_point" value="1"' in page and 'name="reorder_quantity" value="6"' in page
    response = admin_client.post(
        url, {"part": "PUMP-1", "reorder_point": "3", "reorder_quantity": "10"}
    )
    assert response.status_code == 302
    level = StockLevel.objects.get(location=warehouse, part=part)
    assert (level.reorder_point, level.reorder_quantity) == (3, 10)
    assert level.low_since is not None
    low = admin_client.get(reverse("inventory:low"))
    assert row_ids(low, "level") == [str(level.pk)]
    response = admin_client.post(url, {"part": "PUMP-1", "reorder_point": "-1"})
    assert response.status_code == 422
    assert "greater than or equal to 0" in field_error(response, "reorder_point")


def test_a_part_across_locations(org, agent_client, warehouse, van, part):
    stock_receive(location=warehouse, part=part, quantity=3, reason="In", actor=None)
    stock_receive(location=van, part=part, quantity=1, reason="In", actor=None)
    response = agent_client.get(reverse("inventory:part", args=[part.pk]))
    assert response.status_code == 200
    levels = StockLevel.objects.filter(part=part)
    by_name = [levels.get(location=warehouse).pk, levels.get(location=van).pk]
    assert row_ids(response, "level") == [str(pk) for pk in by_name]


def test_the_ledger_filters_and_pages(org, agent_client, warehouse, van, part, monkeypatch):
    from aftercare.inventory import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    belt = make_part(org, sku="BELT-2", name="Drive belt")
    for _ in range(3):
        stock_receive(location=warehouse, part=part, quantity=1, reason="In", actor=None)
    stock_receive(location=van, part=belt, quantity=1, reason="In", actor=None)
    url = reverse("inventory:ledger")
    seen, next_url = [], url
    while next_url:
        response = agent_client.get(next_url)
        assert response.status_code == 200
        seen += row_ids(response, "move")
        match = re.search(
            r'href="(\?[^"]*cursor=[^"]+)" data-testid="next-page"', response.content.decode()
        )
        next_url = url + match.group(1).replace("&amp;", "&") if match else None
    newest_first = StockMove.objects.order_by("-created_at", "-id").values_list("pk", flat=True)
    assert seen == [str(pk) for pk in newest_first]
    van_rows = row_ids(agent_client.get(url, {"location": van.pk}), "move")
    assert van_rows == [str(StockMove.objects.get(location=van).pk)]
    belt_rows = row_ids(agent_client.get(url, {"part": "belt-2"}), "move")
    assert belt_rows == van_rows
    assert row_ids(agent_client.get(url, {"kind": "count"}), "move") == []
    assert (
        row_ids(agent_client.get(url, {"since": "2020-01-01", "until": "2020-01-02"}), "move") == []
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "yesterday"}, "since"),
        ({"since": "2024-02-01", "until": "2024-01-01"}, "until"),
        ({"part": "NOPE"}, "part"),
        ({"kind": "theft"}, "kind"),
    ],
)
def test_bad_ledger_filters_say_so(org, agent_client, warehouse, part, params, field):
    stock_receive(location=warehouse, part=part, quantity=1, reason="In", actor=None)
    response = agent_client.get(reverse("inventory:ledger"), params)
    assert response.status_code == 422
    assert field_error(response, field)
    assert row_ids(response, "move") == []


def test_another_organizations_stock_is_404(org, admin_client, warehouse, part, foreign):
    before = _state()
    far = foreign["location"]
    for url in (
        reverse("inventory:location", args=[far.pk]),
        reverse("inventory:part", args=[foreign["part"].pk]),
        *_write_urls(far)[1:],
    ):
        assert admin_client.get(url).status_code == 404, url
        data = {"name": "Mine", "part": "FAR-1", "quantity": "1", "counted": "0", "reason": "x"}
        assert admin_client.post(url, data).status_code == 404, url
    receive = reverse("inventory:receive", args=[warehouse.pk])
    assert admin_client.get(receive, {"part": foreign["part"].pk}).status_code == 404
    response = admin_client.get(reverse("inventory:ledger"), {"location": far.pk})
    assert response.status_code == 422
    assert "Select a valid choice" in field_error(response, "location")
    for url in (
        reverse("inventory:locations"),
        reverse("inventory:ledger"),
        reverse("inventory:low"),
    ):
        html = admin_client.get(url).content.decode()
        assert "Far store" not in html and "FAR-1" not in html
    assert _state() == before


def test_ids_out_of_range_are_404(org, admin_client):
    for url in (f"/stock/locations/{'9' * 30}/", f"/stock/parts/{'9' * 30}/"):
        assert admin_client.get(url).status_code == 404


@pytest.mark.parametrize("page", ["locations", "location", "part", "ledger", "low"])
def test_query_count_does_not_grow(org, supervisor_client, tina_technician, page):
    warehouse = make_location(org, "Main", keeper=tina_technician)
    part = make_part(org, sku="S-0")

    def add(index: int) -> None:
        location = make_location(
            org, f"Van {index}", holder=tina_technician, keeper=tina_technician
        )
        other = make_part(org, sku=f"S-{index}")
        for where, what in ((location, part), (warehouse, other)):
            stock_receive(location=where, part=what, quantity=2, reason="In", actor=None)
            stock_level_reorder_set(location=where, part=what, reorder_point=2, reorder_quantity=5)

    urls = {
        "locations": reverse("inventory:locations"),
        "location": reverse("inventory:location", args=[warehouse.pk]),
        "part": reverse("inventory:part", args=[part.pk]),
        "ledger": reverse("inventory:ledger"),
        "low": reverse("inventory:low"),
    }

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = supervisor_client.get(urls[page])
        assert response.status_code == 200
        return len(queries)

    add(1)
    few = count()
    for index in range(2, 12):
        add(index)
    # Session, user, memberships, presence, the page's own (the ledger: its location choices).
    expected = {"locations": 5, "location": 6, "part": 6, "ledger": 6, "low": 5}
    assert count() == few == expected[page]
