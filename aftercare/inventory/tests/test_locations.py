"""Stock locations (warehouses and technicians' vans) and reorder points: the keeper is told
once per fall to the point, on commit; refusals name the field and change nothing."""

import pytest
from django.db import transaction

from aftercare.inventory.models import StockLevel, StockLocation
from aftercare.inventory.services import (
    stock_adjust,
    stock_consume,
    stock_level_reorder_set,
    stock_location_create,
    stock_location_update,
    stock_receive,
    stock_reserve,
)
from aftercare.inventory.tests.factories import make_part
from aftercare.lib.errors import ApplicationError


def _level(location, part) -> tuple[int, int] | None:
    row = StockLevel.objects.filter(location=location, part=part).values_list("on_hand", "reserved")
    return row.first()


def test_falling_to_the_reorder_point_tells_the_keeper_once(
    org, warehouse, part, told, django_capture_on_commit_callbacks
):
    stock_receive(location=warehouse, part=part, quantity=5, reason="In", actor=None)
    level = stock_level_reorder_set(
        location=warehouse, part=part, reorder_point=2, reorder_quantity=10
    )
    assert (level.reorder_point, level.reorder_quantity, level.low_since) == (2, 10, None)

    def consume(quantity: int) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            stock_consume(
                location=warehouse,
                part=part,
                quantity=quantity,
                work_order_id=None,
                reference="",
                actor=None,
                reason="Used",
            )

    consume(2)  # 3 free: above the point
    assert told == []
    consume(1)  # 2 free: at the point
    assert told == [{"level_id": level.pk}]
    low_since = StockLevel.objects.get(pk=level.pk).low_since
    assert low_since is not None
    consume(1)  # still low: told once per fall
    assert told == [{"level_id": level.pk}]
    assert StockLevel.objects.get(pk=level.pk).low_since == low_since
    with django_capture_on_commit_callbacks(execute=True):
        stock_receive(location=warehouse, part=part, quantity=5, reason="In", actor=None)
    assert StockLevel.objects.get(pk=level.pk).low_since is None
    with django_capture_on_commit_callbacks(execute=True):
        stock_reserve(
            location=warehouse, part=part, quantity=4, work_order_id=3, reference="", actor=None
        )
    assert told == [{"level_id": level.pk}, {"level_id": level.pk}]


def test_a_reorder_point_above_the_free_stock_tells_at_once(
    org, warehouse, part, told, django_capture_on_commit_callbacks
):
    stock_receive(location=warehouse, part=part, quantity=3, reason="In", actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        level = stock_level_reorder_set(
            location=warehouse, part=part, reorder_point=3, reorder_quantity=None
        )
    assert told == [{"level_id": level.pk}]
    assert level.low_since is not None
    with django_capture_on_commit_callbacks(execute=True):
        level = stock_level_reorder_set(
            location=warehouse, part=part, reorder_point=None, reorder_quantity=None
        )
    assert level.low_since is None
    assert told == [{"level_id": level.pk}]


def test_nobody_is_told_when_the_move_rolls_back(
    org, warehouse, part, told, django_capture_on_commit_callbacks
):
    stock_receive(location=warehouse, part=part, quantity=3, reason="In", actor=None)
    stock_level_reorder_set(location=warehouse, part=part, reorder_point=1, reorder_quantity=5)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        stock_adjust(location=warehouse, part=part, quantity=-3, reason="Lost", actor=None)
        raise RuntimeError("the caller fails after the move")
    assert told == []
    assert StockLevel.objects.get(location=warehouse, part=part).low_since is None
    assert _level(warehouse, part) == (3, 0)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reorder_point": -1}, "reorder_point"),
        ({"reorder_point": "2"}, "reorder_point"),
        ({"reorder_quantity": 0}, "reorder_quantity"),
        ({"reorder_quantity": 10**9 + 1}, "reorder_quantity"),
    ],
)
def test_bad_reorder_points_are_refused(org, warehouse, part, changes, field):
    with pytest.raises(ApplicationError) as refused:
        stock_level_reorder_set(
            location=warehouse,
            part=part,
            **{"reorder_point": 1, "reorder_quantity": 5, **changes},
        )
    assert refused.value.field == field
    assert not StockLevel.objects.exists()


def test_a_reorder_point_for_a_foreign_part_is_refused(org, other_org, warehouse):
    foreign = make_part(other_org, sku="FAR-1")
    with pytest.raises(ApplicationError) as refused:
        stock_level_reorder_set(
            location=warehouse, part=foreign, reorder_point=1, reorder_quantity=1
        )
    assert refused.value.field == "part"
    assert not StockLevel.objects.exists()


def test_locations_warehouses_and_vans(org, tina_technician, alice_admin):
    store = stock_location_create(organization=org, name=" Tehran store ", keeper=alice_admin)
    assert (store.name, store.kind, store.holder, store.keeper, store.is_active) == (
        "Tehran store",
        "warehouse",
        None,
        alice_admin,
        True,
    )
    van = stock_location_create(organization=org, name="Van 1", kind="van", holder=tina_technician)
    assert (van.kind, van.holder) == ("van", tina_technician)
    saved = stock_location_update(
        location=van,
        name="Van 2",
        kind="van",
        holder=tina_technician,
        keeper=alice_admin,
        is_active=False,
    )
    van.refresh_from_db()
    assert (saved.name, van.name, van.keeper, van.is_active) == (
        "Van 2",
        "Van 2",
        alice_admin,
        False,
    )


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "n" * 201}, "name"),
        ({"name": "Main warehouse"}, "name"),
        ({"kind": "garage"}, "kind"),
        ({"kind": "van"}, "holder"),
        ({"kind": "van", "holder": "bob_agent"}, "holder"),
        ({"kind": "van", "holder": "charlie_other_org"}, "holder"),
        ({"kind": "warehouse", "holder": "tina_technician"}, "holder"),
        ({"keeper": "charlie_other_org"}, "keeper"),
    ],
)
def test_bad_locations_are_refused(request, org, warehouse, arguments, field):
    arguments = {"name": "New place", **arguments}
    for key in ("holder", "keeper"):
        if key in arguments:
            arguments[key] = request.getfixturevalue(arguments[key])
    with pytest.raises(ApplicationError) as refused:
        stock_location_create(organization=org, **arguments)
    assert refused.value.field == field
    assert list(StockLocation.objects.values_list("name", flat=True)) == ["Main warehouse"]


def test_a_location_with_reserved_parts_stays_active(org, warehouse, part):
    stock_receive(location=warehouse, part=part, quantity=1, reason="In", actor=None)
    stock_reserve(
        location=warehouse, part=part, quantity=1, work_order_id=1, reference="", actor=None
    )
    with pytest.raises(ApplicationError) as refused:
        stock_location_update(
            location=warehouse,
            name="Renamed",
            kind="warehouse",
            holder=None,
            keeper=None,
            is_active=False,
        )
    assert refused.value.field == "is_active"
    warehouse.refresh_from_db()
    assert (warehouse.name, warehouse.is_active) == ("Main warehouse", True)
