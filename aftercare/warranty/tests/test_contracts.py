import datetime
from decimal import Decimal

import pytest

from aftercare.lib.errors import ApplicationError
from aftercare.warranty.coverage import coverage_check
from aftercare.warranty.models import Contract
from aftercare.warranty.services.contracts import (
    contract_extend,
    contract_goodwill,
    contract_void,
)
from aftercare.warranty.tests.coverage_factories import fixed_now, make_dated_unit, make_model

D = datetime.date


def _contracts(unit) -> list[tuple]:
    """Every contract of a unit, to show a refused change changed nothing."""
    return list(
        Contract.objects.filter(unit=unit)
        .order_by("pk")
        .values_list("kind", "starts_on", "ends_on", "price", "voided_at")
    )


@pytest.fixture
def unit(org):
    """Bought 2026-03-10 under a 12-month warranty: covered through 2027-03-09."""
    return make_dated_unit(organization=org, product_model=make_model(organization=org, months=12))


def test_an_extension_follows_the_standard_warranty(monkeypatch, org, unit, bob_agent):
    fixed_now(monkeypatch, "2026-11-20T10:00:00")
    contract = contract_extend(
        unit=unit, months=24, price=Decimal("1500000"), reference="INV-77", actor=bob_agent
    )
    contract.refresh_from_db()
    assert (
        contract.organization_id,
        contract.kind,
        contract.starts_on,
        contract.ends_on,
        contract.price,
        contract.reference,
        contract.created_by,
        contract.voided_at,
    ) == (
        org.pk,
        "extended",
        D(2027, 3, 10),
        D(2029, 3, 9),
        Decimal("1500000.00"),
        "INV-77",
        bob_agent,
        None,
    )
    assert (contract.covers_parts, contract.covers_labour, contract.covers_travel) == (
        True,
        True,
        False,
    )
    # The day after the standard warranty's last day, the extension covers.
    assert coverage_check(unit=unit, on=D(2027, 3, 9)).by == "standard"
    assert coverage_check(unit=unit, on=D(2027, 3, 10)).contract == contract


def test_a_second_extension_follows_the_first(monkeypatch, unit):
    fixed_now(monkeypatch, "2026-11-20T10:00:00")
    first = contract_extend(unit=unit, months=12, price=Decimal("100"))
    second = contract_extend(unit=unit, months=6, price=Decimal("60"))
    assert (first.starts_on, first.ends_on) == (D(2027, 3, 10), D(2028, 3, 9))
    assert (second.starts_on, second.ends_on) == (D(2028, 3, 10), D(2028, 9, 9))


def test_a_void_extension_leaves_its_place_free(monkeypatch, unit, sam_supervisor):
    fixed_now(monkeypatch, "2026-11-20T10:00:00")
    first = contract_extend(unit=unit, months=12, price=Decimal("100"))
    contract_void(contract=first, actor=sam_supervisor)
    again = contract_extend(unit=unit, months=12, price=Decimal("100"))
    assert (again.starts_on, again.ends_on) == (D(2027, 3, 10), D(2028, 3, 9))


def test_an_extension_sold_after_the_warranty_ended_starts_on_the_sale_day(monkeypatch, unit):
    # In Tehran it is already 2027-06-02 (00:30); the sale day is the organization's date.
    org = unit.organization
    org.time_zone = "Asia/Tehran"
    org.save(update_fields=["time_zone"])
    fixed_now(monkeypatch, "2027-06-01T21:00:00")
    contract = contract_extend(unit=unit, months=12, price=Decimal("100"))
    assert (contract.starts_on, contract.ends_on) == (D(2027, 6, 2), D(2028, 6, 1))


def test_a_unit_bought_elsewhere_is_extended_from_the_sale_day(monkeypatch, org):
    fixed_now(monkeypatch, "2026-04-15T10:00:00")
    unit = make_dated_unit(organization=org, is_sold_by_us=False)
    contract = contract_extend(unit=unit, months=12, price=Decimal("900"), covers_travel=True)
    assert (contract.starts_on, contract.ends_on, contract.covers_travel) == (
        D(2026, 4, 15),
        D(2027, 4, 14),
        True,
    )
    assert coverage_check(unit=unit, on=D(2026, 5, 1)).by == "extended"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"months": 0, "price": Decimal("10")}, "months"),
        ({"months": 121, "price": Decimal("10")}, "months"),
        ({"months": True, "price": Decimal("10")}, "months"),
        ({"months": "12", "price": Decimal("10")}, "months"),
        ({"months": 12, "price": Decimal("0")}, "price"),
        ({"months": 12, "price": Decimal("-5")}, "price"),
        ({"months": 12, "price": Decimal("1.005")}, "price"),
        ({"months": 12, "price": Decimal("1e15")}, "price"),
        ({"months": 12, "price": Decimal("NaN")}, "price"),
        ({"months": 12, "price": None}, "price"),
        ({"months": 12, "price": Decimal("10"), "reference": "r" * 101}, "reference"),
        ({"months": 12, "price": Decimal("10"), "note": "n" * 501}, "note"),
    ],
)
def test_bad_extensions_are_refused_and_change_nothing(unit, arguments, field):
    with pytest.raises(ApplicationError) as refused:
        contract_extend(unit=unit, **arguments)
    assert refused.value.field == field
    assert _contracts(unit) == []


def test_goodwill_covers_the_days_granted(unit, sam_supervisor):
    contract = contract_goodwill(
        unit=unit,
        starts_on=D(2027, 4, 1),
        ends_on=D(2027, 9, 30),
        note="Compressor failed twice; the customer keeps the unit.",
        actor=sam_supervisor,
        covers_travel=True,
    )
    contract.refresh_from_db()
    assert (
        contract.kind,
        contract.starts_on,
        contract.ends_on,
        contract.price,
        contract.covers_travel,
        contract.created_by,
    ) == ("goodwill", D(2027, 4, 1), D(2027, 9, 30), None, True, sam_supervisor)
    assert coverage_check(unit=unit, on=D(2027, 3, 31)).reason == "expired"
    assert coverage_check(unit=unit, on=D(2027, 4, 1)).by == "goodwill"
    assert coverage_check(unit=unit, on=D(2027, 9, 30)).by == "goodwill"
    assert coverage_check(unit=unit, on=D(2027, 10, 1)).reason == "expired"


def test_one_day_of_goodwill(unit, sam_supervisor):
    contract = contract_goodwill(
        unit=unit, starts_on=D(2027, 5, 5), ends_on=D(2027, 5, 5), note="x", actor=sam_supervisor
    )
    assert (contract.starts_on, contract.ends_on) == (D(2027, 5, 5), D(2027, 5, 5))


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"starts_on": D(2027, 5, 5), "ends_on": D(2027, 5, 4), "note": "x"}, "ends_on"),
        ({"starts_on": D(2027, 1, 1), "ends_on": D(2037, 1, 10), "note": "x"}, "ends_on"),
        ({"starts_on": "2027-01-01", "ends_on": D(2027, 5, 4), "note": "x"}, "starts_on"),
        (
            {
                "starts_on": D(2027, 1, 1),
                "ends_on": datetime.datetime(2027, 5, 4, tzinfo=datetime.UTC),
                "note": "x",
            },
            "ends_on",
        ),
        ({"starts_on": D(2027, 1, 1), "ends_on": D(2027, 5, 4), "note": "  "}, "note"),
        ({"starts_on": D(2027, 1, 1), "ends_on": D(2027, 5, 4), "note": "n" * 501}, "note"),
    ],
)
def test_bad_goodwill_is_refused_and_changes_nothing(unit, sam_supervisor, arguments, field):
    with pytest.raises(ApplicationError) as refused:
        contract_goodwill(unit=unit, actor=sam_supervisor, **arguments)
    assert refused.value.field == field
    assert _contracts(unit) == []


def test_void_keeps_the_contract_and_stops_its_cover(monkeypatch, unit, sam_supervisor):
    moment = fixed_now(monkeypatch, "2027-05-01T06:00:00")
    contract = contract_goodwill(
        unit=unit, starts_on=D(2027, 4, 1), ends_on=D(2027, 9, 30), note="x", actor=sam_supervisor
    )
    voided = contract_void(contract=contract, actor=sam_supervisor)
    contract.refresh_from_db()
    assert voided.voided_at == contract.voided_at == moment
    assert coverage_check(unit=unit, on=D(2027, 5, 1)).reason == "expired"
    with pytest.raises(ApplicationError) as refused:
        contract_void(contract=contract, actor=sam_supervisor)
    assert refused.value.code == "already_void"
    contract.refresh_from_db()
    assert contract.voided_at == moment
