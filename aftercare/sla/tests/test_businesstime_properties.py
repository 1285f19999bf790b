"""Business-time arithmetic obeys its laws (monotonic, additive, invertible) on random calendars."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import jdatetime
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
    working_intervals,
)

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
