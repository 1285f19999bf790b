"""Business-time arithmetic worked by hand: Nowruz, Friday weekends, lunch, overrides, DST."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from aftercare.sla.businesstime import (
    BusinessCalendar,
    DateOverride,
    business_add,
    business_elapsed,
    working_intervals,
)
from aftercare.sla.presets import iran, turkey
from aftercare.sla.tests.calendars import (
    BERLIN,
    HOUR,
    ISTANBUL,
    TEHRAN,
    always_open,
    at,
    jalali,
    office_hours,
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
