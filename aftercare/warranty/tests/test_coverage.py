"""The coverage check beyond the worked examples (test_coverage_examples.py, whose table
names the policies of `world`): what each cover pays for, the standard warranty's dates, the
answer as JSON, the reasons in words, its queries, and fault codes of another organization."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from aftercare.catalog.models import FaultCode
from aftercare.catalog.services import fault_code_create
from aftercare.warranty.contract_selectors import unit_for_coverage
from aftercare.warranty.coverage import Coverage, coverage_check, standard_warranty
from aftercare.warranty.models import Contract, Unit
from aftercare.warranty.tests.coverage_factories import Example, make_example_unit

D = datetime.date


def test_what_each_cover_pays_for(world):
    installed = make_example_unit(
        world,
        Example("", "installed", D(2026, 5, 1), (), installation=D(2026, 4, 2)),
    )
    coverage = coverage_check(unit=installed, on=D(2026, 5, 1))
    assert (coverage.covers_parts, coverage.covers_labour, coverage.covers_travel) == (
        True,
        True,
        True,
    )
    delivered = make_example_unit(
        world, Example("", "delivered", D(2026, 5, 1), (), delivery=D(2026, 4, 2))
    )
    coverage = coverage_check(unit=delivered, on=D(2026, 5, 1))
    assert (coverage.covers_parts, coverage.covers_labour, coverage.covers_travel) == (
        True,
        False,
        False,
    )
    goodwill = make_example_unit(
        world,
        Example(
            "",
            "standard",
            D(2026, 3, 1),
            (),
            purchase=D(2025, 1, 15),
            contracts=(("goodwill", D(2026, 2, 1), D(2026, 7, 31), False),),
        ),
    )
    coverage = coverage_check(unit=goodwill, on=D(2026, 3, 1))
    assert coverage.contract == Contract.objects.get(unit=goodwill)
    assert (coverage.covers_parts, coverage.covers_labour, coverage.covers_travel) == (
        True,
        True,
        True,
    )
    expired = coverage_check(unit=goodwill, on=D(2026, 8, 1))
    assert (expired.contract, expired.covers_parts, expired.covers_labour) == (None, False, False)


def test_standard_warranty_dates(world):
    def dates(**kwargs):
        example = Example("", kwargs.pop("policy", "standard"), D(2026, 1, 1), (), **kwargs)
        return standard_warranty(unit=make_example_unit(world, example))

    assert dates(purchase=D(2026, 1, 31)) == (D(2026, 1, 31), D(2027, 1, 30))
    assert dates(purchase=D(2024, 2, 29)) == (D(2024, 2, 29), D(2025, 2, 27))
    assert dates(policy="installed", purchase=D(2026, 3, 10), installation=D(2026, 4, 2)) == (
        D(2026, 4, 2),
        D(2028, 4, 1),
    )
    assert dates(policy="installed", purchase=D(2026, 3, 10)) is None
    assert dates(purchase=D(2026, 3, 10), sold_by_us=False) is None
    assert dates(policy=None, purchase=D(2026, 3, 10)) is None
    # Registration and transfer rules decide whether it applies, not its dates.
    assert dates(policy="registered", purchase=D(2026, 3, 10), registered_at=None) == (
        D(2026, 3, 10),
        D(2027, 3, 9),
    )


def test_as_dict_is_json_safe(world):
    unit = make_example_unit(
        world,
        Example(
            "",
            "standard",
            D(2027, 6, 1),
            (),
            purchase=D(2026, 3, 10),
            contracts=(("extended", D(2027, 3, 10), D(2028, 3, 9), False),),
        ),
    )
    contract = Contract.objects.get(unit=unit)
    assert coverage_check(unit=unit, on=D(2027, 6, 1)).as_dict() == {
        "covered": True,
        "by": "extended",
        "contract_id": contract.pk,
        "starts_on": "2027-03-10",
        "until": "2028-03-09",
        "covers_parts": True,
        "covers_labour": True,
        "covers_travel": False,
        "reason": "",
        "reason_text": "Covered by an extended warranty.",
    }
    assert coverage_check(unit=unit, on=D(2028, 3, 10)).as_dict() == {
        "covered": False,
        "by": "",
        "contract_id": None,
        "starts_on": "2027-03-10",
        "until": "2028-03-09",
        "covers_parts": False,
        "covers_labour": False,
        "covers_travel": False,
        "reason": "expired",
        "reason_text": "The warranty has expired.",
    }


@pytest.mark.parametrize(
    ("reason", "english"),
    [
        ("no_policy", "This model has no warranty."),
        (
            "not_sold_by_us",
            "This unit was not bought from us or our dealers, so it has no standard warranty.",
        ),
        ("no_start_date", "The warranty has not started: the date it starts from is not known."),
        ("not_started", "The warranty has not started yet."),
        ("expired", "The warranty has expired."),
        ("registered_too_late", "The unit was registered too late for the warranty."),
        ("transferred", "The warranty does not pass to a new owner."),
        ("excluded_fault", "The warranty does not cover this fault."),
    ],
)
def test_every_reason_has_a_sentence(reason, english):
    coverage = Coverage(
        covered=False,
        by="",
        contract=None,
        starts_on=None,
        until=None,
        covers_parts=False,
        covers_labour=False,
        covers_travel=False,
        reason=reason,
    )
    with translation.override("en"):
        assert coverage.reason_text == english


def test_the_check_reads_at_most_two_queries(world, django_assert_num_queries):
    example = Example(
        "",
        "standard",
        D(2027, 6, 1),
        (),
        purchase=D(2026, 3, 10),
        contracts=(("extended", D(2027, 3, 10), D(2028, 3, 9), False),),
    )
    unit = make_example_unit(world, example)
    physical = world["faults"]["PHY"]
    # Inside the standard warranty with no fault: nothing to read.
    with django_assert_num_queries(0):
        assert coverage_check(unit=unit, on=D(2026, 6, 1)).by == "standard"
    # A fault: the policy's exclusions; past the standard warranty: the contracts.
    with django_assert_num_queries(2):
        assert coverage_check(unit=unit, on=D(2027, 6, 1), fault_code=physical).reason == (
            "excluded_fault"
        )
    # Both prefetched (as a list of units does): no query at all.
    loaded = (
        Unit.objects.select_related("product_model__warranty_policy", "organization")
        .prefetch_related("contracts", "product_model__warranty_policy__excluded_faults")
        .get(pk=unit.pk)
    )
    with CaptureQueriesContext(connection) as queries:
        assert coverage_check(unit=loaded, on=D(2027, 6, 1), fault_code=physical).reason == (
            "excluded_fault"
        )
        assert coverage_check(unit=loaded, on=D(2027, 6, 1)).by == "extended"
    assert len(queries) == 0


def test_fault_codes_are_of_the_units_organization(world, other_org):
    foreign = fault_code_create(organization=other_org, code="PHY", name="Physical damage")
    unit = make_example_unit(
        world, Example("", "standard", D(2026, 6, 1), (), purchase=D(2026, 3, 10))
    )
    # Another organization's code of the same name is not this policy's exclusion.
    assert coverage_check(unit=unit, on=D(2026, 6, 1), fault_code=foreign).covered is True
    assert FaultCode.objects.filter(code="PHY").count() == 2


def _fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def test_the_public_checks_read_equals_the_orms(world, django_assert_num_queries):
    """`unit_for_coverage` reads with its own SQL: every field of the unit, its model, policy
    and live contracts is what the ORM loads (dates, times and amounts converted alike)."""
    example = Example(
        "",
        "installed",
        D(2027, 6, 1),
        (),
        purchase=D(2026, 3, 10),
        installation=D(2026, 3, 20),
        registered_at="2026-03-11T21:45:30",
        transferred_on=D(2026, 9, 1),
        contracts=(
            ("goodwill", D(2028, 1, 1), D(2028, 6, 30), False),
            ("extended", D(2027, 3, 10), D(2028, 3, 9), False),
            ("extended", D(2027, 1, 1), D(2027, 12, 31), True),
        ),
    )
    orm = make_example_unit(world, example)
    with django_assert_num_queries(1):
        read = unit_for_coverage(organization=orm.organization, serial=f" {orm.serial_number} ")
        assert read.organization is orm.organization
        contracts = list(read.contracts.all())
    assert _fields(read) == _fields(orm)
    assert _fields(read.product_model) == _fields(orm.product_model)
    assert _fields(read.product_model.warranty_policy) == _fields(orm.product_model.warranty_policy)
    live = Contract.objects.filter(unit=orm, voided_at__isnull=True).order_by("starts_on", "id")
    assert [_fields(contract) for contract in contracts] == [_fields(c) for c in live]
    assert [contract.kind for contract in contracts] == ["extended", "goodwill"]
    assert contracts[0].price == Decimal("100.00") and contracts[0].unit is read
    assert read.registered_at == datetime.datetime(2026, 3, 11, 21, 45, 30, tzinfo=datetime.UTC)


def test_the_public_checks_read_without_policy_or_contracts(world):
    orm = make_example_unit(world, Example("", None, D(2026, 6, 1), (), purchase=D(2026, 3, 10)))
    read = unit_for_coverage(organization=orm.organization, serial=orm.serial_number)
    assert read.product_model.warranty_policy is None
    assert list(read.contracts.all()) == []
    assert _fields(read) == _fields(orm)


def test_the_public_checks_read_stays_in_its_organization(world, other_org):
    unit = make_example_unit(world, Example("", "standard", D(2026, 6, 1), ()))
    assert unit_for_coverage(organization=other_org, serial=unit.serial_number) is None
    assert unit_for_coverage(organization=unit.organization, serial="NO-SUCH") is None
    assert unit_for_coverage(organization=unit.organization, serial=" - ") is None
