"""Business-time arithmetic refuses bad input, pins down edge rules, and stays fast."""

import time as perf
from datetime import UTC, date, datetime, time, timedelta

import pytest

from aftercare.sla.businesstime import (
    BusinessCalendar,
    DateOverride,
    DateRangeHoliday,
    JalaliYearlyHoliday,
    YearlyHoliday,
    business_add,
    business_elapsed,
    weekly_schedule,
)
from aftercare.sla.presets import turkey
from aftercare.sla.tests.calendars import HOUR, ISTANBUL, always_open, at

# Guards ------------------------------------------------------------------------------------


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="start must be an aware datetime"):
        business_add(turkey(), start=datetime(2026, 5, 4, 9), duration=HOUR)
    with pytest.raises(ValueError, match="end must be an aware datetime"):
        business_elapsed(turkey(), start=at(ISTANBUL, 2026, 5, 4), end=datetime(2026, 5, 5))


def test_negative_duration_is_refused():
    with pytest.raises(ValueError, match="duration must not be negative"):
        business_add(turkey(), start=at(ISTANBUL, 2026, 5, 4), duration=-HOUR)


def test_calendar_without_working_hours_is_refused_rather_than_looping():
    closed = BusinessCalendar(time_zone="UTC", weekly=[[]] * 7)
    with pytest.raises(ValueError, match="no working hours"):
        business_add(closed, start=datetime(2026, 1, 1, tzinfo=UTC), duration=HOUR)
    assert business_elapsed(
        closed, start=datetime(2026, 1, 1, tzinfo=UTC), end=datetime(2027, 1, 1, tzinfo=UTC)
    ) == timedelta(0)


def test_search_stops_at_the_horizon():
    # Open only on one date in 2020: from 2026 on there is never any business time.
    past_only = BusinessCalendar(
        time_zone="UTC",
        weekly=[[]] * 7,
        overrides=(DateOverride(date(2020, 1, 1), ((time(9), time(17)),)),),
    )
    with pytest.raises(ValueError, match="No 1:00:00 of business time within 1098 days"):
        business_add(past_only, start=datetime(2026, 1, 1, tzinfo=UTC), duration=HOUR)
    # A pause that never ends within the horizon stops the clock for good.
    start = datetime(2026, 1, 1, tzinfo=UTC)
    forever = [(start, start + timedelta(days=4000))]
    with pytest.raises(ValueError, match="closed"):
        business_add(always_open("UTC"), start=start, duration=HOUR, pauses=forever)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"time_zone": "Mars/Olympus", "weekly": [[]] * 7}, "Unknown time zone"),
        ({"time_zone": "UTC", "weekly": [[]] * 6}, "needs 7 days"),
        ({"time_zone": "UTC", "weekly": [[(time(17), time(9))]] * 7}, "must end after it starts"),
        ({"time_zone": "UTC", "weekly": [[(time(9),)]] * 7}, r"\(start, end\) pair"),
        ({"time_zone": "UTC", "weekly": [[("09:00", "17:00")]] * 7}, "datetime.time"),
        (
            {
                "time_zone": "UTC",
                "weekly": [[]] * 7,
                "overrides": (DateOverride(date(2026, 1, 1)), DateOverride(date(2026, 1, 1))),
            },
            "only one override",
        ),
    ],
)
def test_bad_calendars_are_refused_with_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        BusinessCalendar(**kwargs)


def test_bad_holidays_and_pauses_are_refused():
    with pytest.raises(ValueError, match="No Gregorian date 2/30"):
        YearlyHoliday(2, 30)
    with pytest.raises(ValueError, match="No Jalali date 7/31"):
        JalaliYearlyHoliday(7, 31)
    with pytest.raises(ValueError, match="ends before it starts"):
        DateRangeHoliday(date(2026, 1, 2), date(2026, 1, 1))
    with pytest.raises(ValueError, match="Weekdays are 0"):
        weekly_schedule({7: []})
    start = at(ISTANBUL, 2026, 5, 4, 9)
    with pytest.raises(ValueError, match="Pause .* ends before it starts"):
        business_add(turkey(), start=start, duration=HOUR, pauses=[(start, start - HOUR)])


def test_intervals_are_sorted_and_merged_and_calendars_are_values():
    calendar = BusinessCalendar(
        time_zone="UTC",
        weekly=[[(time(13), time(0)), (time(9), time(12)), (time(11), time(14))]] * 7,
    )
    assert calendar.weekly[0] == ((time(9), time(0)),)
    same = BusinessCalendar(time_zone="UTC", weekly=[[(time(9), time(0))]] * 7)
    assert calendar == same
    assert hash(calendar) == hash(same)


def test_leap_day_holidays_only_close_leap_years():
    assert YearlyHoliday(2, 29).dates_in(2028) == (date(2028, 2, 29),)
    assert YearlyHoliday(2, 29).dates_in(2026) == ()
    # 30 Esfand exists in 1403 (20 March 2025) but not in 1404.
    assert JalaliYearlyHoliday(12, 30).dates_in(2025) == (date(2025, 3, 20),)
    assert JalaliYearlyHoliday(12, 30).dates_in(2026) == ()


# Speed -------------------------------------------------------------------------------------


def test_a_year_of_elapsed_time_and_a_month_of_adding_are_fast():
    calendar = turkey()
    started = perf.perf_counter()
    elapsed = business_elapsed(
        calendar, start=datetime(2026, 1, 1, tzinfo=UTC), end=datetime(2027, 1, 1, tzinfo=UTC)
    )
    cold = perf.perf_counter() - started
    # 2026 has 261 weekdays, 6 of them Turkish fixed holidays (23 Apr, 1 May, 19 May, 15 Jul,
    # 29 Oct and 1 Jan; 30 Aug is a Sunday): 255 days of 8 hours.
    assert elapsed == timedelta(hours=255 * 8)
    assert cold < 0.05
    started = perf.perf_counter()
    due = business_add(
        calendar, start=at(ISTANBUL, 2026, 6, 1, 9), duration=timedelta(hours=40 * 52)
    )
    assert perf.perf_counter() - started < 0.05
    assert due > at(ISTANBUL, 2027, 5, 1)
