"""Business-time arithmetic: worked examples by hand, and properties over random calendars."""

import time as perf
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import jdatetime
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aftercare.sla.businesstime import (
    BusinessCalendar,
    DateHoliday,
    DateOverride,
    DateRangeHoliday,
    JalaliYearlyHoliday,
    YearlyHoliday,
    business_add,
    business_elapsed,
    weekly_schedule,
    working_intervals,
)
from aftercare.sla.presets import iran, turkey

TEHRAN = ZoneInfo("Asia/Tehran")
ISTANBUL = ZoneInfo("Europe/Istanbul")
BERLIN = ZoneInfo("Europe/Berlin")
HOUR = timedelta(hours=1)


def at(zone: ZoneInfo, *parts: int) -> datetime:
    """A local wall time in a zone (first occurrence when it repeats)."""
    return datetime(*parts, tzinfo=zone)


def jalali(year: int, month: int, day: int) -> date:
    """The Gregorian date of a Jalali one, so examples read in the calendar people use."""
    return jdatetime.date(year, month, day).togregorian()


def always_open(zone: str) -> BusinessCalendar:
    """A 24/7 calendar, so only the clock changes matter."""
    return BusinessCalendar(time_zone=zone, weekly=[[(time(0), time(0))]] * 7)


def office_hours(zone: str, **extra) -> BusinessCalendar:
    """Monday-Friday 09:00-17:00."""
    day = [(time(9), time(17))]
    return BusinessCalendar(
        time_zone=zone, weekly=weekly_schedule({weekday: day for weekday in range(5)}), **extra
    )


# Worked examples ---------------------------------------------------------------------------


def test_nowruz_week_pushes_a_thursday_morning_request_to_the_next_wednesday():
    # 1404/12/28 is Thursday 19 March 2026: open 08:00-13:00, so 11:00-13:00 counts 2 h.
    start = at(TEHRAN, 2026, 3, 19, 11)
    assert start.date() == jalali(1404, 12, 28)
    # Friday 20 March is both the weekend and 29 Esfand; 21-24 March are 1-4 Farvardin.
    # Wednesday 25 March (1405/01/05) opens at 08:00 and the remaining 6 h end at 14:00.
    due = business_add(iran(), start=start, duration=8 * HOUR)
    assert due == at(TEHRAN, 2026, 3, 25, 14)
    assert due.astimezone(TEHRAN).date() == jalali(1405, 1, 5)
    assert due.tzinfo is UTC


def test_nowruz_week_thursday_afternoon_request_counts_from_wednesday_morning():
    # After Thursday's 13:00 close nothing counts until Wednesday 08:00: a full 8 h day.
    due = business_add(iran(), start=at(TEHRAN, 2026, 3, 19, 15), duration=8 * HOUR)
    assert due == at(TEHRAN, 2026, 3, 25, 16)


def test_nowruz_week_has_no_business_time_and_the_13th_is_off_too():
    calendar = iran()
    closed = business_elapsed(
        calendar, start=at(TEHRAN, 2026, 3, 19, 13), end=at(TEHRAN, 2026, 3, 25, 8)
    )
    assert closed == timedelta(0)
    # 1405/01/12 and 01/13 (Wednesday 1 and Thursday 2 April) are holidays, Friday the weekend:
    # from Tuesday 31 March 08:00 to Saturday 4 April 10:00 is Tuesday's 8 h plus Saturday's 2 h.
    assert business_elapsed(
        calendar, start=at(TEHRAN, 2026, 3, 31, 8), end=at(TEHRAN, 2026, 4, 4, 10)
    ) == timedelta(hours=10)


def test_iran_friday_is_closed():
    calendar = iran()
    # 1405/02/25, Friday 15 May 2026: nothing counts; a request then starts Saturday 08:00.
    friday = at(TEHRAN, 2026, 5, 15, 10)
    assert business_elapsed(calendar, start=friday, end=at(TEHRAN, 2026, 5, 16, 8)) == timedelta(0)
    assert business_add(calendar, start=friday, duration=4 * HOUR) == at(TEHRAN, 2026, 5, 16, 12)
    # Thursday 12:00 + 2 h: one hour before the 13:00 close, then Saturday 08:00-09:00.
    assert business_add(calendar, start=at(TEHRAN, 2026, 5, 14, 12), duration=2 * HOUR) == at(
        TEHRAN, 2026, 5, 16, 9
    )


def test_turkish_lunch_break_is_not_counted():
    calendar = turkey()
    # Monday 4 May 2026, 11:30 + 2 h: 11:30-12:30, lunch, 13:30-14:30.
    due = business_add(calendar, start=at(ISTANBUL, 2026, 5, 4, 11, 30), duration=2 * HOUR)
    assert due == at(ISTANBUL, 2026, 5, 4, 14, 30)
    assert due == datetime(2026, 5, 4, 11, 30, tzinfo=UTC)
    # 12:00-14:00 holds half an hour before lunch and half an hour after.
    assert business_elapsed(
        calendar, start=at(ISTANBUL, 2026, 5, 4, 12), end=at(ISTANBUL, 2026, 5, 4, 14)
    ) == timedelta(hours=1)
    # Exactly at 12:30 the morning is used up: the instant is the end of the morning interval.
    assert business_add(
        calendar, start=at(ISTANBUL, 2026, 5, 4, 9), duration=timedelta(hours=3, minutes=30)
    ) == at(ISTANBUL, 2026, 5, 4, 12, 30)
    assert working_intervals(
        calendar, start=at(ISTANBUL, 2026, 5, 4, 0), end=at(ISTANBUL, 2026, 5, 5, 0)
    ) == [
        (at(ISTANBUL, 2026, 5, 4, 9), at(ISTANBUL, 2026, 5, 4, 12, 30)),
        (at(ISTANBUL, 2026, 5, 4, 13, 30), at(ISTANBUL, 2026, 5, 4, 18)),
    ]


def test_turkish_friday_evening_rolls_over_the_weekend():
    # Friday 8 May 17:00 + 2 h: 17:00-18:00, then Monday 11 May 09:00-10:00.
    due = business_add(turkey(), start=at(ISTANBUL, 2026, 5, 8, 17), duration=2 * HOUR)
    assert due == at(ISTANBUL, 2026, 5, 11, 10)


def test_override_opens_an_extra_friday():
    calendar = iran()
    extra = BusinessCalendar(
        time_zone=calendar.time_zone,
        weekly=calendar.weekly,
        holidays=calendar.holidays,
        overrides=(DateOverride(date(2026, 5, 15), ((time(8), time(12)),)),),
    )
    # Thursday 14 May 12:00 + 3 h: 12:00-13:00, then the extra Friday 08:00-10:00.
    start = at(TEHRAN, 2026, 5, 14, 12)
    assert business_add(extra, start=start, duration=3 * HOUR) == at(TEHRAN, 2026, 5, 15, 10)
    # Without the override the same request waits for Saturday.
    assert business_add(calendar, start=start, duration=3 * HOUR) == at(TEHRAN, 2026, 5, 16, 10)


def test_override_makes_a_short_day_and_can_close_or_open_a_date():
    calendar = iran()
    short = BusinessCalendar(
        time_zone=calendar.time_zone,
        weekly=calendar.weekly,
        holidays=calendar.holidays,
        overrides=(
            # Wednesday 13 May closes at 10:00 instead of 16:00.
            DateOverride(date(2026, 5, 13), ((time(8), time(10)),)),
            # Sunday 10 May is closed outright.
            DateOverride(date(2026, 5, 10)),
            # 1 Farvardin 1405 (Saturday 21 March 2026) is a holiday, opened by an override.
            DateOverride(jalali(1405, 1, 1), ((time(9), time(11)),)),
        ),
    )
    # Wednesday 09:00 + 3 h: 09:00-10:00, then Thursday 14 May 08:00-10:00.
    assert business_add(short, start=at(TEHRAN, 2026, 5, 13, 9), duration=3 * HOUR) == at(
        TEHRAN, 2026, 5, 14, 10
    )
    day = (at(TEHRAN, 2026, 5, 10, 0), at(TEHRAN, 2026, 5, 11, 0))
    assert business_elapsed(short, start=day[0], end=day[1]) == timedelta(0)
    assert business_elapsed(calendar, start=day[0], end=day[1]) == 8 * HOUR
    nowruz = (at(TEHRAN, 2026, 3, 21, 0), at(TEHRAN, 2026, 3, 22, 0))
    assert business_elapsed(short, start=nowruz[0], end=nowruz[1]) == 2 * HOUR
    assert business_elapsed(calendar, start=nowruz[0], end=nowruz[1]) == timedelta(0)


def test_dst_days_have_23_and_25_real_hours_on_a_24_7_calendar():
    calendar = always_open("Europe/Berlin")
    # Sunday 29 March 2026 02:00 CET jumps to 03:00 CEST; Sunday 25 October 03:00 CEST
    # falls back to 02:00 CET.
    spring = business_elapsed(
        calendar, start=at(BERLIN, 2026, 3, 29, 0), end=at(BERLIN, 2026, 3, 30, 0)
    )
    autumn = business_elapsed(
        calendar, start=at(BERLIN, 2026, 10, 25, 0), end=at(BERLIN, 2026, 10, 26, 0)
    )
    assert (spring, autumn) == (timedelta(hours=23), timedelta(hours=25))
    # 24 real hours from Saturday noon CET end at Sunday 13:00 CEST (11:00 UTC).
    due = business_add(calendar, start=at(BERLIN, 2026, 3, 28, 12), duration=24 * HOUR)
    assert due == datetime(2026, 3, 29, 11, tzinfo=UTC) == at(BERLIN, 2026, 3, 29, 13)
    # Days merge into one span across midnight.
    assert working_intervals(
        calendar, start=at(BERLIN, 2026, 3, 28, 12), end=at(BERLIN, 2026, 3, 30, 12)
    ) == [(datetime(2026, 3, 28, 11, tzinfo=UTC), datetime(2026, 3, 30, 10, tzinfo=UTC))]


def test_office_hours_across_a_dst_weekend_follow_the_wall_clock():
    calendar = office_hours("Europe/Berlin")
    # Friday 27 March 16:00 CET (15:00 UTC) + 2 h: one hour Friday, then Monday 09:00-10:00
    # CEST, which is 08:00 UTC: the wall clock, not the UTC clock, sets the office hours.
    due = business_add(calendar, start=at(BERLIN, 2026, 3, 27, 16), duration=2 * HOUR)
    assert due == datetime(2026, 3, 30, 8, tzinfo=UTC)
    # Friday 23 October 16:00 CEST + 2 h ends Monday 26 October 10:00 CET = 09:00 UTC.
    due = business_add(calendar, start=at(BERLIN, 2026, 10, 23, 16), duration=2 * HOUR)
    assert due == datetime(2026, 10, 26, 9, tzinfo=UTC)


def test_intervals_in_the_skipped_and_repeated_hours_follow_the_documented_rule():
    night = [(time(2), time(4))]
    calendar = BusinessCalendar(time_zone="Europe/Berlin", weekly=[night] * 7)
    # Spring: 02:00 does not exist, so the interval starts when the gap ends (03:00 CEST,
    # 01:00 UTC) and runs to 04:00 CEST (02:00 UTC): one real hour.
    assert working_intervals(
        calendar, start=at(BERLIN, 2026, 3, 29, 0), end=at(BERLIN, 2026, 3, 30, 0)
    ) == [(datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 3, 29, 2, tzinfo=UTC))]
    # Autumn: 02:00 repeats; the first pass (CEST, 00:00 UTC) starts it, 04:00 CET (03:00 UTC)
    # ends it: three real hours.
    assert working_intervals(
        calendar, start=at(BERLIN, 2026, 10, 25, 0), end=at(BERLIN, 2026, 10, 26, 0)
    ) == [(datetime(2026, 10, 25, 0, tzinfo=UTC), datetime(2026, 10, 25, 3, tzinfo=UTC))]
    # An interval wholly inside the gap has no instants at all that day.
    gap_only = BusinessCalendar(
        time_zone="Europe/Berlin", weekly=[[(time(2, 15), time(2, 45))]] * 7
    )
    assert (
        working_intervals(
            gap_only, start=at(BERLIN, 2026, 3, 29, 0), end=at(BERLIN, 2026, 3, 30, 0)
        )
        == []
    )


def test_new_york_fall_back_day_counts_the_repeated_hour_once_per_pass():
    calendar = always_open("America/New_York")
    zone = ZoneInfo("America/New_York")
    # Sunday 1 November 2026: 01:00-02:00 happens twice, so the day lasts 25 hours.
    assert business_elapsed(
        calendar, start=at(zone, 2026, 11, 1, 0), end=at(zone, 2026, 11, 2, 0)
    ) == timedelta(hours=25)


def test_pauses_stop_the_clock():
    calendar = turkey()
    start = at(ISTANBUL, 2026, 5, 4, 9)
    # Waiting on the customer 10:00-11:00 and again 15:00-Tuesday 10:00 (overlapping pieces).
    pauses = [
        (at(ISTANBUL, 2026, 5, 4, 10), at(ISTANBUL, 2026, 5, 4, 11)),
        (at(ISTANBUL, 2026, 5, 4, 15), at(ISTANBUL, 2026, 5, 5, 9, 30)),
        (at(ISTANBUL, 2026, 5, 5, 9), at(ISTANBUL, 2026, 5, 5, 10)),
    ]
    # Monday counts 09-10, 11-12:30, 13:30-15 = 4 h; 8 h lands on Tuesday 10:00 + 4 h, which is
    # 10:00-12:30 (2.5 h) and 13:30-15:00 (1.5 h).
    due = business_add(calendar, start=start, duration=8 * HOUR, pauses=pauses)
    assert due == at(ISTANBUL, 2026, 5, 5, 15)
    assert business_elapsed(calendar, start=start, end=due, pauses=pauses) == 8 * HOUR
    assert business_elapsed(calendar, start=start, end=due) == timedelta(hours=13)


def test_zero_duration_returns_start_even_in_closed_time():
    friday = at(TEHRAN, 2026, 5, 15, 10)
    assert business_add(iran(), start=friday, duration=timedelta(0)) == friday


def test_elapsed_over_a_reversed_span_is_zero():
    start = at(ISTANBUL, 2026, 5, 4, 12)
    assert business_elapsed(turkey(), start=start, end=start - HOUR) == timedelta(0)


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


# Properties over random calendars ----------------------------------------------------------

ZONES = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Tehran",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
]
# Clock changes in those zones (Tehran still had DST in 2022, switching at midnight; Lord Howe
# moves by half an hour), so the gap and fold rules get exercised often.
CLOCK_CHANGES = [
    ("Europe/Berlin", date(2025, 3, 30)),
    ("Europe/Berlin", date(2025, 10, 26)),
    ("America/New_York", date(2025, 3, 9)),
    ("America/New_York", date(2025, 11, 2)),
    ("Asia/Tehran", date(2022, 3, 22)),
    ("Asia/Tehran", date(2022, 9, 21)),
    ("Australia/Lord_Howe", date(2025, 4, 6)),
    ("Australia/Lord_Howe", date(2025, 10, 5)),
]
PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# Interval bounds in minutes of the day, biased towards the hours where clocks change.
minute_of_day = st.one_of(
    st.integers(0, 24 * 60),
    st.sampled_from([0, 30, 60, 120, 150, 180, 210, 240, 23 * 60, 24 * 60]),
)


def wall(minutes: int) -> time:
    """A wall time from minutes after midnight, with 24:00 written as 00:00."""
    return time(0) if minutes == 24 * 60 else time(minutes // 60, minutes % 60)


@st.composite
def day_intervals(draw, max_size: int = 3) -> list[tuple[time, time]]:
    """0 to max_size possibly overlapping local intervals."""
    intervals = []
    for _ in range(draw(st.integers(0, max_size))):
        low, high = sorted((draw(minute_of_day), draw(minute_of_day)))
        if low < high:
            intervals.append((wall(low), wall(high)))
    return intervals


@st.composite
def scenarios(draw) -> dict:
    """A random calendar, a start instant near it, and a few pauses."""
    zone, anchor = draw(
        st.one_of(
            st.tuples(
                st.sampled_from(ZONES),
                st.dates(min_value=date(2021, 1, 1), max_value=date(2026, 12, 31)),
            ),
            st.sampled_from(CLOCK_CHANGES),
        )
    )
    start = datetime.combine(anchor, time(0), tzinfo=UTC) + draw(
        st.timedeltas(min_value=timedelta(days=-3), max_value=timedelta(days=1))
    )
    weekly = [draw(day_intervals()) for _ in range(7)]
    if not any(weekly):
        weekly[draw(st.integers(0, 6))] = [(time(9), time(17))]
    near = st.builds(
        lambda offset: anchor + timedelta(days=offset), st.integers(min_value=-5, max_value=20)
    )
    holidays = draw(st.lists(near.map(DateHoliday), max_size=4))
    if draw(st.booleans()):
        first = draw(near)
        holidays.append(DateRangeHoliday(first, first + timedelta(days=draw(st.integers(0, 9)))))
    for day in draw(st.lists(near, max_size=2)):
        holidays.append(YearlyHoliday(day.month, day.day))
    for day in draw(st.lists(near, max_size=2)):
        jalali_day = jdatetime.date.fromgregorian(date=day)
        holidays.append(JalaliYearlyHoliday(jalali_day.month, jalali_day.day))
    override_days = draw(st.lists(near, max_size=3, unique=True))
    overrides = tuple(DateOverride(day, tuple(draw(day_intervals(2)))) for day in override_days)
    calendar = BusinessCalendar(
        time_zone=zone, weekly=weekly, holidays=tuple(holidays), overrides=overrides
    )
    pauses = []
    for _ in range(draw(st.integers(0, 3))):
        offset = draw(st.timedeltas(min_value=timedelta(days=-2), max_value=timedelta(days=10)))
        length = draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=2)))
        pauses.append((start + offset, start + offset + length))
    return {"calendar": calendar, "start": start, "pauses": pauses}


def weekly_capacity(calendar: BusinessCalendar) -> timedelta:
    """Wall-clock working time in an ordinary week."""
    minutes = 0
    for day in calendar.weekly:
        for low, high in day:
            end = 24 * 60 if high == time(0) else high.hour * 60 + high.minute
            minutes += end - (low.hour * 60 + low.minute)
    return timedelta(minutes=minutes)


def durations(scenario: dict) -> st.SearchStrategy[timedelta]:
    """Durations that fit well inside the search horizon for this calendar."""
    ceiling = min(timedelta(hours=72), 30 * weekly_capacity(scenario["calendar"]))
    return st.timedeltas(min_value=timedelta(0), max_value=ceiling)


def merged(spans: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Spans sorted and merged, for comparing against the implementation independently."""
    result: list[list[datetime]] = []
    for low, high in sorted(spans):
        if high <= low:
            continue
        if result and low <= result[-1][1]:
            result[-1][1] = max(result[-1][1], high)
        else:
            result.append([low, high])
    return [(low, high) for low, high in result]


def holiday_by_hand(calendar: BusinessCalendar, day: date) -> bool:
    """An independent oracle for holidays: compare each rule with the date directly."""
    jalali_day = jdatetime.date.fromgregorian(date=day)
    for holiday in calendar.holidays:
        match holiday:
            case DateHoliday():
                closed = holiday.day == day
            case DateRangeHoliday():
                closed = holiday.first <= day <= holiday.last
            case YearlyHoliday():
                closed = (holiday.month, holiday.day) == (day.month, day.day)
            case JalaliYearlyHoliday():
                closed = (holiday.month, holiday.day) == (jalali_day.month, jalali_day.day)
        if closed:
            return True
    return False


def is_business_by_wall_clock(calendar: BusinessCalendar, instant: datetime) -> bool:
    """An independent oracle: read the wall clock at an instant and check that date's rules."""
    local = instant.astimezone(calendar.zone)
    day = local.date()
    overrides = {override.day: override.intervals for override in calendar.overrides}
    if day in overrides:
        intervals = overrides[day]
    elif holiday_by_hand(calendar, day):
        return False
    else:
        intervals = calendar.weekly[day.weekday()]
    reading = local.time().replace(tzinfo=None)
    return any(low <= reading and (high == time(0) or reading < high) for low, high in intervals)


def reading_is_unambiguous(zone: ZoneInfo, instant: datetime) -> bool:
    """Whether the wall reading at an instant occurs once (not in a repeated hour)."""
    local = instant.astimezone(zone).replace(tzinfo=None)
    return (
        local.replace(tzinfo=zone, fold=0).utcoffset()
        == local.replace(tzinfo=zone, fold=1).utcoffset()
    )


@PROPERTY_SETTINGS
@given(data=st.data(), scenario=scenarios())
def test_add_is_monotonic_in_duration(data, scenario):
    first, second = sorted((data.draw(durations(scenario)), data.draw(durations(scenario))))
    common = {"start": scenario["start"], "pauses": scenario["pauses"]}
    earlier = business_add(scenario["calendar"], duration=first, **common)
    later = business_add(scenario["calendar"], duration=second, **common)
    assert earlier <= later


@PROPERTY_SETTINGS
@given(data=st.data(), scenario=scenarios())
def test_elapsed_is_non_decreasing_in_end(data, scenario):
    span = st.timedeltas(min_value=timedelta(days=-1), max_value=timedelta(days=20))
    first, second = sorted((data.draw(span), data.draw(span)))
    start = scenario["start"]
    common = {"start": start, "pauses": scenario["pauses"]}
    assert business_elapsed(scenario["calendar"], end=start + first, **common) <= business_elapsed(
        scenario["calendar"], end=start + second, **common
    )


@PROPERTY_SETTINGS
@given(data=st.data(), scenario=scenarios())
def test_add_is_additive(data, scenario):
    first = data.draw(durations(scenario))
    second = data.draw(durations(scenario))
    calendar, pauses = scenario["calendar"], scenario["pauses"]
    midway = business_add(calendar, start=scenario["start"], duration=first, pauses=pauses)
    assert business_add(
        calendar, start=scenario["start"], duration=first + second, pauses=pauses
    ) == business_add(calendar, start=midway, duration=second, pauses=pauses)


@PROPERTY_SETTINGS
@given(data=st.data(), scenario=scenarios())
def test_elapsed_inverts_add(data, scenario):
    duration = data.draw(durations(scenario))
    calendar, start, pauses = scenario["calendar"], scenario["start"], scenario["pauses"]
    due = business_add(calendar, start=start, duration=duration, pauses=pauses)
    assert business_elapsed(calendar, start=start, end=due, pauses=pauses) == duration


@PROPERTY_SETTINGS
@given(data=st.data(), scenario=scenarios())
def test_elapsed_splits_at_any_instant(data, scenario):
    calendar, start, pauses = scenario["calendar"], scenario["start"], scenario["pauses"]
    middle = start + data.draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=9)))
    end = middle + data.draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=9)))
    whole = business_elapsed(calendar, start=start, end=end, pauses=pauses)
    parts = business_elapsed(calendar, start=start, end=middle, pauses=pauses)
    parts += business_elapsed(calendar, start=middle, end=end, pauses=pauses)
    assert whole == parts


@PROPERTY_SETTINGS
@given(data=st.data(), scenario=scenarios())
def test_due_time_ends_counted_business_time_outside_pauses(data, scenario):
    duration = data.draw(durations(scenario))
    assume(duration > timedelta(0))
    calendar, start, pauses = scenario["calendar"], scenario["start"], scenario["pauses"]
    due = business_add(calendar, start=start, duration=duration, pauses=pauses)
    # The moment just before the due time was counted, so it lies in a working interval...
    intervals = working_intervals(calendar, start=start, end=due + timedelta(days=1))
    assert any(low < due <= high for low, high in intervals)
    # ...and in no pause.
    assert not any(
        pause_start < due <= pause_end for pause_start, pause_end in merged(list(pauses))
    )


@PROPERTY_SETTINGS
@given(scenario=scenarios())
def test_holidays_and_closed_days_count_nothing(scenario):
    calendar = scenario["calendar"]
    zone = calendar.zone
    overridden = {override.day for override in calendar.overrides}
    first_day = scenario["start"].astimezone(zone).date()
    for offset in range(14):
        day = first_day + timedelta(days=offset)
        if day in overridden:
            continue
        closed_weekday = not calendar.weekly[day.weekday()]
        if not (closed_weekday or holiday_by_hand(calendar, day)):
            continue
        start = datetime.combine(day, time(0), tzinfo=zone)
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
        assert business_elapsed(calendar, start=start, end=end) == timedelta(0)


@PROPERTY_SETTINGS
@given(data=st.data(), scenario=scenarios())
def test_working_intervals_agree_with_the_wall_clock(data, scenario):
    calendar, start = scenario["calendar"], scenario["start"]
    end = start + timedelta(days=10)
    intervals = working_intervals(calendar, start=start, end=end)
    assert intervals == merged(intervals)
    assert all(start <= low < high <= end for low, high in intervals)
    # Instants on interval edges and at random, judged by reading the wall clock; readings in a
    # repeated hour are left out because the documented rule, not the clock, decides them.
    edges = [moment for span in intervals for moment in span]
    edges += [moment - timedelta(microseconds=1) for moment in edges]
    offsets = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10))
    randoms = [start + data.draw(offsets) for _ in range(20)]
    for instant in edges + randoms:
        if not (start <= instant < end) or not reading_is_unambiguous(calendar.zone, instant):
            continue
        inside = any(low <= instant < high for low, high in intervals)
        assert inside == is_business_by_wall_clock(calendar, instant), instant


@PROPERTY_SETTINGS
@given(data=st.data(), scenario=scenarios())
def test_pauses_remove_exactly_the_business_time_inside_them(data, scenario):
    calendar, start, pauses = scenario["calendar"], scenario["start"], scenario["pauses"]
    end = start + data.draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=14)))
    without = business_elapsed(calendar, start=start, end=end)
    inside = timedelta(0)
    for pause_start, pause_end in merged(list(pauses)):
        inside += business_elapsed(calendar, start=max(pause_start, start), end=min(pause_end, end))
    assert business_elapsed(calendar, start=start, end=end, pauses=pauses) == without - inside
