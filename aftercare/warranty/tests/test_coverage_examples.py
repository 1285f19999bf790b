"""The coverage check on worked examples, each computed by hand and written out with its dates.

The policies every example uses (all from the same organization, in Tehran's time zone):

| policy       | months | starts from  | covers               | other rules                       |
| ------------ | ------ | ------------ | -------------------- | --------------------------------- |
| standard     | 12     | purchase     | parts, labour        | excludes PHY (physical damage)    |
| one-month    | 1      | purchase     | parts, labour        |                                   |
| installed    | 24     | installation | parts, labour, travel|                                   |
| delivered    | 6      | delivery     | parts only           |                                   |
| registered   | 12     | purchase     | parts, labour        | register within 30 days           |
| personal     | 12     | purchase     | parts, labour        | does not pass to a new owner      |

The last day covered is the start plus the policy's months, less one day: bought 2026-03-10 with
12 months, covered through 2027-03-09.
"""

import datetime

import pytest

from aftercare.warranty.contract_selectors import unit_for_coverage
from aftercare.warranty.coverage import coverage_check
from aftercare.warranty.tests.coverage_factories import Example, make_example_unit

D = datetime.date


EXAMPLES = [
    # Boundary days of a 12-month warranty from purchase: 2026-03-10 .. 2027-03-09.
    Example(
        "first day is covered",
        "standard",
        D(2026, 3, 10),
        (True, "standard", D(2026, 3, 10), D(2027, 3, 9), ""),
        purchase=D(2026, 3, 10),
    ),
    Example(
        "the day before the start is not",
        "standard",
        D(2026, 3, 9),
        (False, "", D(2026, 3, 10), D(2027, 3, 9), "not_started"),
        purchase=D(2026, 3, 10),
    ),
    Example(
        "last day is covered",
        "standard",
        D(2027, 3, 9),
        (True, "standard", D(2026, 3, 10), D(2027, 3, 9), ""),
        purchase=D(2026, 3, 10),
    ),
    Example(
        "the day after the last day is not",
        "standard",
        D(2027, 3, 10),
        (False, "", D(2026, 3, 10), D(2027, 3, 9), "expired"),
        purchase=D(2026, 3, 10),
    ),
    # A start on the 31st: 2026-01-31 + 12 months = 2027-01-31, less a day.
    Example(
        "bought on the 31st: covered through the 30th a year on",
        "standard",
        D(2027, 1, 30),
        (True, "standard", D(2026, 1, 31), D(2027, 1, 30), ""),
        purchase=D(2026, 1, 31),
    ),
    Example(
        "bought on the 31st: the 31st a year on is not covered",
        "standard",
        D(2027, 1, 31),
        (False, "", D(2026, 1, 31), D(2027, 1, 30), "expired"),
        purchase=D(2026, 1, 31),
    ),
    # 2026-01-31 + 1 month is clamped to 2026-02-28; less a day: 2026-02-27.
    Example(
        "one month from the 31st of January ends on 27 February",
        "one-month",
        D(2026, 2, 27),
        (True, "standard", D(2026, 1, 31), D(2026, 2, 27), ""),
        purchase=D(2026, 1, 31),
    ),
    Example(
        "one month from the 31st of January: 28 February is not covered",
        "one-month",
        D(2026, 2, 28),
        (False, "", D(2026, 1, 31), D(2026, 2, 27), "expired"),
        purchase=D(2026, 1, 31),
    ),
    # Leap day start: 2024-02-29 + 12 months = 2025-02-28, less a day: 2025-02-27.
    Example(
        "bought on a leap day: covered through 27 February",
        "standard",
        D(2025, 2, 27),
        (True, "standard", D(2024, 2, 29), D(2025, 2, 27), ""),
        purchase=D(2024, 2, 29),
        registered_at="2024-02-29T08:00:00",
    ),
    Example(
        "bought on a leap day: 28 February is not covered",
        "standard",
        D(2025, 2, 28),
        (False, "", D(2024, 2, 29), D(2025, 2, 27), "expired"),
        purchase=D(2024, 2, 29),
        registered_at="2024-02-29T08:00:00",
    ),
    # Installed 2026-03-01 with 24 months: 2028-03-01 less a day is the leap day 2028-02-29.
    Example(
        "a warranty whose last day is a leap day covers it",
        "installed",
        D(2028, 2, 29),
        (True, "standard", D(2026, 3, 1), D(2028, 2, 29), ""),
        purchase=D(2026, 2, 20),
        installation=D(2026, 3, 1),
    ),
    Example(
        "and the day after the leap day is not",
        "installed",
        D(2028, 3, 1),
        (False, "", D(2026, 3, 1), D(2028, 2, 29), "expired"),
        purchase=D(2026, 2, 20),
        installation=D(2026, 3, 1),
    ),
    # Exclusions.
    Example(
        "an excluded fault is not covered inside the warranty",
        "standard",
        D(2026, 6, 1),
        (False, "", D(2026, 3, 10), D(2027, 3, 9), "excluded_fault"),
        purchase=D(2026, 3, 10),
        fault="PHY",
    ),
    Example(
        "a fault the policy does not exclude is covered",
        "standard",
        D(2026, 6, 1),
        (True, "standard", D(2026, 3, 10), D(2027, 3, 9), ""),
        purchase=D(2026, 3, 10),
        fault="E21",
    ),
    # Registration within 30 days of 2026-03-10: by 2026-04-09 (Tehran's date).
    Example(
        "registered on day 30 (2026-04-09 in Tehran): just in time",
        "registered",
        D(2026, 5, 1),
        (True, "standard", D(2026, 3, 10), D(2027, 3, 9), ""),
        purchase=D(2026, 3, 10),
        registered_at="2026-04-09T20:00:00",  # 23:30 in Tehran
    ),
    Example(
        "registered on day 31 (2026-04-10 in Tehran, still the 9th in UTC): too late",
        "registered",
        D(2026, 5, 1),
        (False, "", D(2026, 3, 10), D(2027, 3, 9), "registered_too_late"),
        purchase=D(2026, 3, 10),
        registered_at="2026-04-09T21:00:00",  # 00:30 on the 10th in Tehran
    ),
    Example(
        "not registered yet, inside the 30 days: covered while there is time",
        "registered",
        D(2026, 3, 20),
        (True, "standard", D(2026, 3, 10), D(2027, 3, 9), ""),
        purchase=D(2026, 3, 10),
        registered_at=None,
    ),
    Example(
        "never registered, past the 30 days: too late",
        "registered",
        D(2026, 4, 10),
        (False, "", D(2026, 3, 10), D(2027, 3, 9), "registered_too_late"),
        purchase=D(2026, 3, 10),
        registered_at=None,
    ),
    # An extended contract following the standard warranty (ends 2027-03-09).
    Example(
        "the standard warranty's last day is still the standard's",
        "standard",
        D(2027, 3, 9),
        (True, "standard", D(2026, 3, 10), D(2027, 3, 9), ""),
        purchase=D(2026, 3, 10),
        contracts=(("extended", D(2027, 3, 10), D(2028, 3, 9), False),),
    ),
    Example(
        "the day after the standard ends, the extended contract covers",
        "standard",
        D(2027, 3, 10),
        (True, "extended", D(2027, 3, 10), D(2028, 3, 9), ""),
        purchase=D(2026, 3, 10),
        contracts=(("extended", D(2027, 3, 10), D(2028, 3, 9), False),),
    ),
    Example(
        "the extended contract inherits the policy's exclusions",
        "standard",
        D(2027, 6, 1),
        (False, "", D(2027, 3, 10), D(2028, 3, 9), "excluded_fault"),
        purchase=D(2026, 3, 10),
        fault="PHY",
        contracts=(("extended", D(2027, 3, 10), D(2028, 3, 9), False),),
    ),
    Example(
        "after the extended contract: expired, with the extended contract's dates",
        "standard",
        D(2028, 3, 10),
        (False, "", D(2027, 3, 10), D(2028, 3, 9), "expired"),
        purchase=D(2026, 3, 10),
        contracts=(("extended", D(2027, 3, 10), D(2028, 3, 9), False),),
    ),
    # A warranty starting at installation (2026-04-02), later than the purchase (2026-03-10).
    Example(
        "bought but not installed yet: the warranty has not started",
        "installed",
        D(2026, 3, 20),
        (False, "", D(2026, 4, 2), D(2028, 4, 1), "not_started"),
        purchase=D(2026, 3, 10),
        installation=D(2026, 4, 2),
    ),
    Example(
        "covered from the installation day, travel included",
        "installed",
        D(2026, 4, 2),
        (True, "standard", D(2026, 4, 2), D(2028, 4, 1), ""),
        purchase=D(2026, 3, 10),
        installation=D(2026, 4, 2),
    ),
    Example(
        "installation date unknown: no start date, whatever the purchase date",
        "installed",
        D(2026, 6, 1),
        (False, "", None, None, "no_start_date"),
        purchase=D(2026, 3, 10),
    ),
    # From delivery (2026-03-15) for 6 months: through 2026-09-14.
    Example(
        "from delivery: the last day",
        "delivered",
        D(2026, 9, 14),
        (True, "standard", D(2026, 3, 15), D(2026, 9, 14), ""),
        purchase=D(2026, 3, 10),
        delivery=D(2026, 3, 15),
    ),
    Example(
        "from delivery: no delivery date yet",
        "delivered",
        D(2026, 4, 1),
        (False, "", None, None, "no_start_date"),
        purchase=D(2026, 3, 10),
    ),
    # A transfer (2026-09-01) where the warranty does not pass to a new owner, and where it does.
    Example(
        "not transferable: covered the day before the transfer",
        "personal",
        D(2026, 8, 31),
        (True, "standard", D(2026, 3, 10), D(2027, 3, 9), ""),
        purchase=D(2026, 3, 10),
        transferred_on=D(2026, 9, 1),
    ),
    Example(
        "not transferable: not covered from the day of the transfer",
        "personal",
        D(2026, 9, 1),
        (False, "", D(2026, 3, 10), D(2027, 3, 9), "transferred"),
        purchase=D(2026, 3, 10),
        transferred_on=D(2026, 9, 1),
    ),
    Example(
        "not transferable, and expired anyway: expired",
        "personal",
        D(2027, 3, 10),
        (False, "", D(2026, 3, 10), D(2027, 3, 9), "expired"),
        purchase=D(2026, 3, 10),
        transferred_on=D(2026, 9, 1),
    ),
    Example(
        "transferable: still covered after the transfer",
        "standard",
        D(2026, 9, 1),
        (True, "standard", D(2026, 3, 10), D(2027, 3, 9), ""),
        purchase=D(2026, 3, 10),
        transferred_on=D(2026, 9, 1),
    ),
    # Goodwill after expiry (standard 2025-01-15 .. 2026-01-14), with no exclusions.
    Example(
        "goodwill after the warranty expired covers",
        "standard",
        D(2026, 3, 1),
        (True, "goodwill", D(2026, 2, 1), D(2026, 7, 31), ""),
        purchase=D(2025, 1, 15),
        registered_at="2025-01-15T08:00:00",
        contracts=(("goodwill", D(2026, 2, 1), D(2026, 7, 31), False),),
    ),
    Example(
        "goodwill covers even a fault the policy excludes",
        "standard",
        D(2026, 3, 1),
        (True, "goodwill", D(2026, 2, 1), D(2026, 7, 31), ""),
        purchase=D(2025, 1, 15),
        registered_at="2025-01-15T08:00:00",
        fault="PHY",
        contracts=(("goodwill", D(2026, 2, 1), D(2026, 7, 31), False),),
    ),
    Example(
        "void goodwill is ignored: expired",
        "standard",
        D(2026, 3, 1),
        (False, "", D(2025, 1, 15), D(2026, 1, 14), "expired"),
        purchase=D(2025, 1, 15),
        registered_at="2025-01-15T08:00:00",
        contracts=(("goodwill", D(2026, 2, 1), D(2026, 7, 31), True),),
    ),
    Example(
        "a void extended contract is ignored too: expired with the standard's dates",
        "standard",
        D(2027, 6, 1),
        (False, "", D(2026, 3, 10), D(2027, 3, 9), "expired"),
        purchase=D(2026, 3, 10),
        contracts=(("extended", D(2027, 3, 10), D(2028, 3, 9), True),),
    ),
    # Precedence: standard, then extended, then goodwill.
    Example(
        "standard and goodwill both cover: the standard warranty",
        "standard",
        D(2026, 6, 1),
        (True, "standard", D(2026, 3, 10), D(2027, 3, 9), ""),
        purchase=D(2026, 3, 10),
        contracts=(("goodwill", D(2026, 5, 1), D(2026, 12, 31), False),),
    ),
    Example(
        "extended and goodwill both cover: the extended contract",
        "standard",
        D(2027, 6, 1),
        (True, "extended", D(2027, 3, 10), D(2028, 3, 9), ""),
        purchase=D(2026, 3, 10),
        contracts=(
            ("goodwill", D(2027, 5, 1), D(2027, 12, 31), False),
            ("extended", D(2027, 3, 10), D(2028, 3, 9), False),
        ),
    ),
    # A unit bought elsewhere has no standard warranty; a contract can still cover it.
    Example(
        "bought elsewhere: no standard warranty",
        "standard",
        D(2026, 6, 1),
        (False, "", None, None, "not_sold_by_us"),
        purchase=D(2026, 3, 10),
        sold_by_us=False,
    ),
    Example(
        "bought elsewhere, with an extended contract sold for paid service",
        "standard",
        D(2026, 6, 1),
        (True, "extended", D(2026, 5, 1), D(2027, 4, 30), ""),
        purchase=D(2026, 3, 10),
        sold_by_us=False,
        contracts=(("extended", D(2026, 5, 1), D(2027, 4, 30), False),),
    ),
    Example(
        "a model without a policy",
        None,
        D(2026, 6, 1),
        (False, "", None, None, "no_policy"),
        purchase=D(2026, 3, 10),
    ),
]


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.name for example in EXAMPLES])
def test_worked_example(world, example):
    unit = make_example_unit(world, example)
    fault = world["faults"][example.fault] if example.fault else None
    coverage = coverage_check(unit=unit, on=example.on, fault_code=fault)
    answer = (coverage.covered, coverage.by, coverage.starts_on, coverage.until, coverage.reason)
    assert answer == example.expected
    # The public check's one hand-written read of the unit gives the same answer.
    read = unit_for_coverage(organization=unit.organization, serial=unit.serial_number)
    coverage = coverage_check(unit=read, on=example.on, fault_code=fault)
    answer = (coverage.covered, coverage.by, coverage.starts_on, coverage.until, coverage.reason)
    assert answer == example.expected


def test_there_are_enough_worked_examples():
    assert len(EXAMPLES) >= 25
    assert len({example.name for example in EXAMPLES}) == len(EXAMPLES)
