"""Country presets: their hours, weekends and fixed-date holidays, checked date by date."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from aftercare.sla.businesstime import business_add, business_elapsed
from aftercare.sla.presets import iran, kazakhstan, preset_for_country, turkey

HOUR = timedelta(hours=1)


def holidays_in(calendar, year: int) -> list[date]:
    """Every date the preset's holidays close in a Gregorian year."""
    return sorted(day for holiday in calendar.holidays for day in holiday.dates_in(year))


def week_hours(calendar) -> list[float]:
    """Working hours per weekday, Monday first."""
    hours = []
    for day in calendar.weekly:
        total = timedelta(0)
        for low, high in day:
            end = datetime.combine(date.min + timedelta(days=1 if high == time(0) else 0), high)
            total += end - datetime.combine(date.min, low)
        hours.append(total / timedelta(hours=1))
    return hours


def test_iran_works_saturday_to_thursday_with_a_short_thursday():
    calendar = iran()
    assert calendar.time_zone == "Asia/Tehran"
    # Monday..Sunday: Thursday is 08:00-13:00 and Friday is the weekend.
    assert week_hours(calendar) == [8, 8, 8, 5, 0, 8, 8]
    assert calendar.weekly[5] == ((time(8), time(16)),)


def test_iran_solar_holidays_land_on_their_gregorian_dates():
    # In 2026: 22 Bahman 1404, 29 Esfand 1404, 1-4, 12, 13 Farvardin 1405, 14-15 Khordad 1405.
    # 22 Bahman 1405 is 11 February 2027 and 29 Esfand 1405 is 20 March 2027: not in 2026.
    assert holidays_in(iran(), 2026) == [
        date(2026, 2, 11),
        date(2026, 3, 20),
        date(2026, 3, 21),
        date(2026, 3, 22),
        date(2026, 3, 23),
        date(2026, 3, 24),
        date(2026, 4, 1),
        date(2026, 4, 2),
        date(2026, 6, 4),
        date(2026, 6, 5),
    ]
    # 1403 was a leap year with a 30 Esfand (20 March 2025), which is not a holiday: 29 Esfand
    # is 19 March and Nowruz 1404 begins on 21 March.
    assert [day for day in holidays_in(iran(), 2025) if day.month == 3][:3] == [
        date(2025, 3, 19),
        date(2025, 3, 21),
        date(2025, 3, 22),
    ]


def test_iran_working_day_is_eight_hours_in_the_old_dst_years_too():
    # Iran observed DST until 2022: 08:00 local was 03:30 UTC in June 2021, 04:30 UTC in 2025.
    calendar = iran()
    zone = ZoneInfo("Asia/Tehran")
    start = datetime(2021, 6, 12, 8, tzinfo=zone)
    assert start == datetime(2021, 6, 12, 3, 30, tzinfo=UTC)
    assert business_add(calendar, start=start, duration=timedelta(hours=8)) == datetime(
        2021, 6, 12, 16, tzinfo=zone
    )
    start = datetime(2025, 6, 14, 8, tzinfo=zone)
    assert start == datetime(2025, 6, 14, 4, 30, tzinfo=UTC)
    assert business_add(calendar, start=start, duration=timedelta(hours=8)) == datetime(
        2025, 6, 14, 16, tzinfo=zone
    )


def test_turkey_works_monday_to_friday_with_a_lunch_break():
    calendar = turkey()
    assert calendar.time_zone == "Europe/Istanbul"
    assert week_hours(calendar) == [8, 8, 8, 8, 8, 0, 0]
    assert calendar.weekly[0] == ((time(9), time(12, 30)), (time(13, 30), time(18)))
    assert holidays_in(calendar, 2026) == [
        date(2026, 1, 1),
        date(2026, 4, 23),
        date(2026, 5, 1),
        date(2026, 5, 19),
        date(2026, 7, 15),
        date(2026, 8, 30),
        date(2026, 10, 29),
    ]


def test_turkey_23_april_is_closed():
    zone = ZoneInfo("Europe/Istanbul")
    # Wednesday 22 April 2026 17:00 + 2 h: 17:00-18:00, Thursday 23 April off, Friday 09:00-10:00.
    due = business_add(turkey(), start=datetime(2026, 4, 22, 17, tzinfo=zone), duration=2 * HOUR)
    assert due == datetime(2026, 4, 24, 10, tzinfo=zone)


def test_kazakhstan_works_monday_to_friday_with_a_lunch_break():
    calendar = kazakhstan()
    assert calendar.time_zone == "Asia/Almaty"
    assert week_hours(calendar) == [8, 8, 8, 8, 8, 0, 0]
    assert calendar.weekly[4] == ((time(9), time(13)), (time(14), time(18)))
    assert holidays_in(calendar, 2026) == [
        date(2026, 1, 1),
        date(2026, 1, 2),
        date(2026, 1, 7),
        date(2026, 3, 8),
        date(2026, 3, 21),
        date(2026, 3, 22),
        date(2026, 3, 23),
        date(2026, 5, 1),
        date(2026, 5, 7),
        date(2026, 5, 9),
        date(2026, 7, 6),
        date(2026, 8, 30),
        date(2026, 10, 25),
        date(2026, 12, 16),
    ]


def test_kazakhstan_nauryz_monday_is_closed():
    zone = ZoneInfo("Asia/Almaty")
    # Friday 20 March 2026 17:00 + 2 h: 17:00-18:00, the weekend, Monday 23 March (Nauryz) off,
    # then Tuesday 24 March 09:00-10:00. Almaty is UTC+5 since March 2024: 05:00 UTC.
    calendar = kazakhstan()
    due = business_add(calendar, start=datetime(2026, 3, 20, 17, tzinfo=zone), duration=2 * HOUR)
    assert due == datetime(2026, 3, 24, 10, tzinfo=zone) == datetime(2026, 3, 24, 5, tzinfo=UTC)
    # 13:00-14:00 is lunch.
    monday = datetime(2026, 3, 30, 12, tzinfo=zone)
    assert business_elapsed(calendar, start=monday, end=monday + 3 * HOUR) == 2 * HOUR


@pytest.mark.parametrize(
    ("country", "time_zone"),
    [("IR", "Asia/Tehran"), ("tr", "Europe/Istanbul"), ("KZ", "Asia/Almaty")],
)
def test_preset_for_country_picks_by_iso_code(country, time_zone):
    calendar = preset_for_country(country)
    assert calendar is not None
    assert calendar.time_zone == time_zone


def test_unknown_country_has_no_preset():
    assert preset_for_country("DE") is None


def test_presets_are_equal_values_each_time():
    assert iran() == iran()
    assert hash(turkey()) == hash(turkey())
