"""SLA due times worked by hand over the moving holidays: Tasua and Ashura 1405 in Iran, Kurban
Bayramı 2026 in Turkey and Kurban Ait 2026 in Kazakhstan.

Each example goes through the real thing: a calendar made from the country's preset by the
service (with its official holidays from python-holidays), an SLA policy, the organization's SLA
snapshot as the request services read it, and the SLA clock's own scheduling.

Where the dates come from: python-holidays 0.108 (pinned in pyproject.toml).
- Iran: its `IranIslamicHolidays` tables, confirmed through 2026 from Iran's official calendar
  (time.ir): Tasua (9 Muharram 1448) is Wednesday 24 June 2026 = 3 Tir 1405, Ashura (10 Muharram)
  Thursday 25 June 2026 = 4 Tir 1405. Friday is Iran's weekend.
- Turkey: Diyanet's dates, confirmed through 2032: Kurban Bayramı is Wednesday 27 to Saturday
  30 May 2026, and on its eve (arife), Tuesday 26 May, work stops at 13:00.
- Kazakhstan: Kurban Ait is Wednesday 27 May 2026, marked estimated by python-holidays.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from aftercare.sla import clock as sla_clock
from aftercare.sla.businesstime import business_add, business_elapsed
from aftercare.sla.presets import iran, kazakhstan, turkey
from aftercare.sla.selectors import sla_snapshot
from aftercare.sla.services import calendar_create_from_preset, sla_policy_create
from aftercare.sla.tests.calendars import ISTANBUL, TEHRAN, at, jalali

ALMATY = ZoneInfo("Asia/Almaty")
HOUR = timedelta(hours=1)


def _due(organization, country: str, received: datetime) -> dict[str, datetime | None]:
    """The first response (2 h) and resolution (8 h) due times of a request received then."""
    calendar_create_from_preset(
        organization=organization, country=country, is_default=True, years=[2026]
    )
    sla_policy_create(
        organization=organization,
        name="Standard",
        first_response_minutes=120,
        resolution_minutes=480,
    )
    snapshot = sla_snapshot(organization_id=organization.pk)
    policy = snapshot.match(
        priority=2, kind="repair", channel="email", customer_tier="", product_model_id=None
    )
    assert policy is not None
    clock = sla_clock.Clock(checkpoint=received.astimezone(UTC))
    for metric, target in clock.targets.items():
        target.seconds = policy.targets[metric]
    clock.targets[sla_clock.FIRST_RESPONSE].begin_cycle()
    clock.targets[sla_clock.RESOLUTION].begin_cycle()
    sla_clock.schedule(clock, calendar=snapshot.calendar_for(policy))
    return {metric: target.due_at for metric, target in clock.targets.items()}


def test_iran_a_request_before_tasua_is_due_after_ashura_and_the_weekend(org):
    # Tuesday 23 June 2026 (2 Tir 1405), 14:00 Tehran: 14:00-16:00 leaves 2 h of the day.
    received = at(TEHRAN, 2026, 6, 23, 14)
    assert received.date() == jalali(1405, 4, 2)
    due = _due(org, "IR", received)
    # Resolution, 8 h: 2 h on Tuesday; Wednesday 24 (Tasua) and Thursday 25 (Ashura) are
    # holidays, Friday 26 is the weekend; Saturday 27 June (6 Tir) opens at 08:00 and the other
    # 6 h end at 14:00 Tehran, 10:30 UTC.
    assert due[sla_clock.RESOLUTION] == at(TEHRAN, 2026, 6, 27, 14)
    assert due[sla_clock.RESOLUTION] == datetime(2026, 6, 27, 10, 30, tzinfo=UTC)
    assert due[sla_clock.RESOLUTION].astimezone(TEHRAN).date() == jalali(1405, 4, 6)
    # First response, 2 h: Tuesday 14:00-16:00, due at Tuesday's close.
    assert due[sla_clock.FIRST_RESPONSE] == at(TEHRAN, 2026, 6, 23, 16)


def test_iran_an_evening_request_before_tasua_answers_on_saturday(org):
    # Tuesday 23 June 2026, 17:00 Tehran: after the 16:00 close. Nothing counts until Saturday
    # 27 June 08:00: the first response (2 h) is due at 10:00, the resolution (8 h) at 16:00.
    due = _due(org, "IR", at(TEHRAN, 2026, 6, 23, 17))
    assert due[sla_clock.FIRST_RESPONSE] == at(TEHRAN, 2026, 6, 27, 10)
    assert due[sla_clock.RESOLUTION] == at(TEHRAN, 2026, 6, 27, 16)


def test_iran_without_the_lunar_holidays_the_same_request_was_due_on_tasua():
    # The bug this fixes: the preset alone (fixed solar holidays) counted Tasua as a working
    # day, so the request fell due on Wednesday 24 June at 14:00 (2 h Tuesday, 6 h Wednesday).
    received = at(TEHRAN, 2026, 6, 23, 14)
    assert business_add(iran(), start=received, duration=8 * HOUR) == at(TEHRAN, 2026, 6, 24, 14)


def test_iran_tasua_and_ashura_hold_no_business_time(org):
    calendar_create_from_preset(organization=org, country="IR", is_default=True, years=[2026])
    sla_policy_create(organization=org, name="Standard", resolution_minutes=480)
    snapshot = sla_snapshot(organization_id=org.pk)
    calendar = snapshot.calendar_for(None)
    # From Wednesday 00:00 to Saturday 08:00 (Tasua, Ashura, Friday): nothing.
    assert business_elapsed(
        calendar, start=at(TEHRAN, 2026, 6, 24, 0), end=at(TEHRAN, 2026, 6, 27, 8)
    ) == timedelta(0)
    assert calendar.is_holiday(date(2026, 6, 24)) and calendar.is_holiday(date(2026, 6, 25))


def test_turkey_a_request_on_the_eve_of_kurban_bayrami_waits_out_the_bayram(org):
    # Tuesday 26 May 2026, 10:00 Istanbul (07:00 UTC): the eve; work stops at 13:00, and the
    # lunch break starts at 12:30, so 10:00-12:30 (2.5 h) count that day.
    due = _due(org, "TR", at(ISTANBUL, 2026, 5, 26, 10))
    # First response, 2 h: 10:00-12:00 on the eve.
    assert due[sla_clock.FIRST_RESPONSE] == at(ISTANBUL, 2026, 5, 26, 12)
    # Resolution, 8 h: 2.5 h on the eve; Wednesday 27 to Saturday 30 May are Kurban Bayramı,
    # Sunday 31 the weekend; Monday 1 June 09:00-12:30 (3.5 h, 6 h in all), then 13:30-15:30.
    # Due Monday 1 June 15:30 Istanbul, 12:30 UTC.
    assert due[sla_clock.RESOLUTION] == at(ISTANBUL, 2026, 6, 1, 15, 30)
    assert due[sla_clock.RESOLUTION] == datetime(2026, 6, 1, 12, 30, tzinfo=UTC)


def test_turkey_without_the_bayram_the_same_request_was_due_on_its_first_day():
    # Tuesday 10:00-12:30 and 13:30-18:00 is 7 h; the 8th hour was Wednesday 27 May 09:00-10:00.
    due = business_add(turkey(), start=at(ISTANBUL, 2026, 5, 26, 10), duration=8 * HOUR)
    assert due == at(ISTANBUL, 2026, 5, 27, 10)


def test_kazakhstan_a_request_before_kurban_ait_skips_it(org):
    # Tuesday 26 May 2026, 15:00 Almaty (UTC+5): 15:00-18:00 leaves 3 h of the day.
    due = _due(org, "KZ", at(ALMATY, 2026, 5, 26, 15))
    # First response, 2 h: 15:00-17:00 on Tuesday.
    assert due[sla_clock.FIRST_RESPONSE] == at(ALMATY, 2026, 5, 26, 17)
    # Resolution, 8 h: 3 h on Tuesday; Wednesday 27 May is Kurban Ait; Thursday 28 May
    # 09:00-13:00 (4 h, 7 h in all), lunch, then 14:00-15:00. Due Thursday 15:00 Almaty, 10:00 UTC.
    assert due[sla_clock.RESOLUTION] == at(ALMATY, 2026, 5, 28, 15)
    assert due[sla_clock.RESOLUTION] == datetime(2026, 5, 28, 10, tzinfo=UTC)


def test_kazakhstan_without_kurban_ait_the_same_request_was_due_a_day_earlier():
    # 3 h Tuesday, then Wednesday 09:00-13:00 and 14:00-15:00.
    due = business_add(kazakhstan(), start=at(ALMATY, 2026, 5, 26, 15), duration=8 * HOUR)
    assert due == at(ALMATY, 2026, 5, 27, 15)


@pytest.mark.parametrize("country", ["IR", "TR", "KZ"])
def test_the_due_time_is_exactly_eight_business_hours_after_receipt(org, country):
    zone = {"IR": TEHRAN, "TR": ISTANBUL, "KZ": ALMATY}[country]
    received = {
        "IR": at(TEHRAN, 2026, 6, 23, 14),
        "TR": at(ISTANBUL, 2026, 5, 26, 10),
        "KZ": at(ALMATY, 2026, 5, 26, 15),
    }[country]
    due = _due(org, country, received)[sla_clock.RESOLUTION]
    calendar = sla_snapshot(organization_id=org.pk).calendar_for(None)
    assert business_elapsed(calendar, start=received, end=due) == 8 * HOUR
    assert due.astimezone(zone).minute in (0, 30)
