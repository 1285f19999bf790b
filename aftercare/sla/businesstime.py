"""Business-time arithmetic on a calendar: working intervals, adding and measuring business time.

Pure Python, no models: a `BusinessCalendar` is a frozen description (time zone, weekly schedule,
holidays, per-date overrides) that the calendar models build, and the functions here answer
"when is this due" and "how much business time has passed" in UTC.

Rules, in one place:

- A date's working hours come from its override if it has one (an empty override closes the
  day), else nothing if it is a holiday, else the weekly schedule for its weekday.
- An interval is a pair of local wall times on that date, start inclusive, end exclusive.
  An end of `time(0, 0)` means midnight at the end of the day (24:00); an interval never
  crosses midnight, so a night shift is two intervals on two days.
- Wall times become instants in the calendar's zone deterministically: an ambiguous wall time
  (the repeated hour when clocks fall back) means its first occurrence (`fold=0`), and a wall
  time that does not exist (the hour skipped when clocks spring forward) means the first instant
  after the gap. An interval then runs between those two instants. So a 00:00-24:00 day lasts
  23 real hours on a spring-forward day and 25 on a fall-back day, an interval starting inside
  the gap starts when the gap ends, and one ending inside the repeated hour ends at the first
  pass through its end time.
- Pauses are UTC spans during which the clock is stopped whatever the calendar says.
- Adding a zero duration returns `start` unchanged; adding a positive duration returns the
  earliest instant at which that much business time has elapsed, which may be the end of a
  working interval. This makes adding additive and the exact inverse of measuring.
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jdatetime

type Interval = tuple[time, time]
type Span = tuple[datetime.datetime, datetime.datetime]

MIDNIGHT = time(0, 0)
SEARCH_HORIZON_DAYS = 3 * 366
_ONE_DAY = timedelta(days=1)
_FULL_DAY = timedelta(hours=24)
# One calendar object may be reused by a long-running sweep; bound what it remembers.
_CACHE_LIMIT = 50_000


def _since_midnight(value: time, *, is_end: bool = False) -> timedelta:
    """The offset of a wall time from the start of its day, with an end of 00:00 as 24:00."""
    if is_end and value == MIDNIGHT:
        return _FULL_DAY
    return timedelta(
        hours=value.hour, minutes=value.minute, seconds=value.second, microseconds=value.microsecond
    )


def _normalize_intervals(
    intervals: Iterable[Sequence[time]], *, where: str
) -> tuple[Interval, ...]:
    """Validate local intervals and return them sorted, with overlapping ones merged."""
    spans: list[tuple[timedelta, timedelta]] = []
    for interval in intervals:
        if len(interval) != 2:
            raise ValueError(f"{where}: an interval is a (start, end) pair, got {interval!r}.")
        start, end = interval
        if not isinstance(start, time) or not isinstance(end, time):
            raise ValueError(f"{where}: interval bounds must be datetime.time, got {interval!r}.")
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError(f"{where}: interval times are local wall times, without tzinfo.")
        low, high = _since_midnight(start), _since_midnight(end, is_end=True)
        if low >= high:
            raise ValueError(f"{where}: interval {start}-{end} must end after it starts.")
        spans.append((low, high))
    spans.sort()
    merged: list[list[timedelta]] = []
    for low, high in spans:
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return tuple((_wall_time(low), _wall_time(high)) for low, high in merged)


def _wall_time(offset: timedelta) -> time:
    """The wall time at an offset from midnight, with 24:00 written as 00:00."""
    if offset >= _FULL_DAY:
        return MIDNIGHT
    return (datetime.datetime.min + offset).time()


@dataclass(frozen=True)
class DateHoliday:
    """A single closed date."""

    day: date
    name: str = ""

    def dates_in(self, year: int) -> tuple[date, ...]:
        """The Gregorian dates this holiday closes in a Gregorian year."""
        return (self.day,) if self.day.year == year else ()


@dataclass(frozen=True)
class DateRangeHoliday:
    """A closed run of dates, both ends included."""

    first: date
    last: date
    name: str = ""

    def __post_init__(self) -> None:
        """Refuse a range that ends before it starts."""
        if self.last < self.first:
            raise ValueError(f"Holiday range {self.first}..{self.last} ends before it starts.")

    def dates_in(self, year: int) -> tuple[date, ...]:
        """The Gregorian dates this holiday closes in a Gregorian year."""
        low = max(self.first, date(year, 1, 1))
        high = min(self.last, date(year, 12, 31))
        return tuple(low + timedelta(days=n) for n in range((high - low).days + 1))


@dataclass(frozen=True)
class YearlyHoliday:
    """A Gregorian month and day closed every year (29 February only in leap years)."""

    month: int
    day: int
    name: str = ""

    def __post_init__(self) -> None:
        """Refuse a month and day that no year has."""
        try:
            date(2000, self.month, self.day)
        except ValueError:
            raise ValueError(f"No Gregorian date {self.month}/{self.day}.") from None

    def dates_in(self, year: int) -> tuple[date, ...]:
        """The Gregorian dates this holiday closes in a Gregorian year."""
        try:
            return (date(year, self.month, self.day),)
        except ValueError:
            return ()


@dataclass(frozen=True)
class JalaliYearlyHoliday:
    """A Jalali (Solar Hijri) month and day closed every year, e.g. 1 Farvardin."""

    month: int
    day: int
    name: str = ""

    def __post_init__(self) -> None:
        """Refuse a month and day that no Jalali year has."""
        longest = 31 if self.month <= 6 else 30
        if not (1 <= self.month <= 12 and 1 <= self.day <= longest):
            raise ValueError(f"No Jalali date {self.month}/{self.day}.")

    def dates_in(self, year: int) -> tuple[date, ...]:
        """The Gregorian dates this holiday closes in a Gregorian year."""
        found = []
        # A Gregorian year overlaps two Jalali years; 30 Esfand exists only in leap years.
        for jalali_year in (year - 622, year - 621):
            try:
                gregorian = jdatetime.date(jalali_year, self.month, self.day).togregorian()
            except ValueError:
                continue
            if gregorian.year == year:
                found.append(gregorian)
        return tuple(found)


type Holiday = DateHoliday | DateRangeHoliday | YearlyHoliday | JalaliYearlyHoliday


@dataclass(frozen=True)
class DateOverride:
    """A date with its own working intervals; no intervals means closed that day."""

    day: date
    intervals: tuple[Interval, ...] = ()

    def __post_init__(self) -> None:
        """Validate and normalize the intervals."""
        normalized = _normalize_intervals(self.intervals, where=f"override {self.day}")
        object.__setattr__(self, "intervals", normalized)


def weekly_schedule(days: dict[int, Sequence[Interval]]) -> tuple[tuple[Interval, ...], ...]:
    """A weekly schedule from {weekday (0=Monday): intervals}; missing weekdays are closed."""
    unknown = set(days) - set(range(7))
    if unknown:
        raise ValueError(f"Weekdays are 0 (Monday) to 6 (Sunday), got {sorted(unknown)}.")
    return tuple(tuple(days.get(weekday, ())) for weekday in range(7))


@dataclass(frozen=True)
class BusinessCalendar:
    """A time zone, a weekly schedule (0=Monday), holidays and per-date overrides."""

    time_zone: str
    weekly: tuple[tuple[Interval, ...], ...]
    holidays: tuple[Holiday, ...] = ()
    overrides: tuple[DateOverride, ...] = ()
    # Per-instance memo of holidays per year and UTC segments per date; not part of identity.
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Validate the zone, schedule and overrides, and store everything as tuples."""
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise ValueError(f"Unknown time zone {self.time_zone!r}.") from None
        if len(self.weekly) != 7:
            raise ValueError(f"The weekly schedule needs 7 days, got {len(self.weekly)}.")
        weekly = tuple(
            _normalize_intervals(day, where=f"weekday {weekday}")
            for weekday, day in enumerate(self.weekly)
        )
        overrides = tuple(self.overrides)
        days = [override.day for override in overrides]
        if len(days) != len(set(days)):
            raise ValueError("Each date may have only one override.")
        object.__setattr__(self, "weekly", weekly)
        object.__setattr__(self, "holidays", tuple(self.holidays))
        object.__setattr__(self, "overrides", overrides)

    @cached_property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone."""
        return ZoneInfo(self.time_zone)

    @cached_property
    def has_working_time(self) -> bool:
        """Whether any weekday or override has working hours at all."""
        return any(self.weekly) or any(override.intervals for override in self.overrides)

    @cached_property
    def _override_by_day(self) -> dict[date, tuple[Interval, ...]]:
        """Overrides keyed by date."""
        return {override.day: override.intervals for override in self.overrides}

    def is_holiday(self, day: date) -> bool:
        """Whether a holiday falls on this date (an override may still open it)."""
        key = ("holidays", day.year)
        closed = self._cache.get(key)
        if closed is None:
            closed = frozenset(d for holiday in self.holidays for d in holiday.dates_in(day.year))
            self._remember(key, closed)
        return day in closed

    def local_intervals(self, day: date) -> tuple[Interval, ...]:
        """A date's local working intervals: its override, else none on a holiday, else weekly."""
        override = self._override_by_day.get(day)
        if override is not None:
            return override
        if self.is_holiday(day):
            return ()
        return self.weekly[day.weekday()]

    def utc_segments(self, day: date) -> tuple[Span, ...]:
        """The working intervals of a local date as sorted, disjoint UTC spans."""
        key = ("segments", day)
        segments = self._cache.get(key)
        if segments is None:
            segments = self._build_segments(day)
            self._remember(key, segments)
        return segments

    def _build_segments(self, day: date) -> tuple[Span, ...]:
        """Map a date's wall-time intervals to UTC by the module's gap and fold rules."""
        built: list[list[datetime.datetime]] = []
        start_of_day = datetime.datetime.combine(day, MIDNIGHT)
        for start, end in self.local_intervals(day):
            low = _wall_to_utc(start_of_day + _since_midnight(start), self.zone)
            high = _wall_to_utc(start_of_day + _since_midnight(end, is_end=True), self.zone)
            if low >= high:
                # The whole interval lies in a spring-forward gap: no such instants exist.
                continue
            if built and low <= built[-1][1]:
                built[-1][1] = max(built[-1][1], high)
            else:
                built.append([low, high])
        return tuple((low, high) for low, high in built)

    def _remember(self, key: tuple, value: object) -> None:
        """Memoize a value, forgetting everything once the memo grows past its limit."""
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = value


def _wall_to_utc(wall: datetime.datetime, zone: ZoneInfo) -> datetime.datetime:
    """The UTC instant of a naive wall time: its first occurrence, or the end of its gap."""
    earlier = wall.replace(tzinfo=zone, fold=0).utcoffset()
    later = wall.replace(tzinfo=zone, fold=1).utcoffset()
    assert earlier is not None and later is not None
    if earlier >= later:
        # Equal offsets: an ordinary wall time. Earlier larger: a repeated one; fold=0 is first.
        return (wall - earlier).replace(tzinfo=UTC)
    # PEP 495: inside a gap fold=0 reads the offset before the transition and fold=1 the one
    # after, so the transition lies between the two readings; find it to the second (zoneinfo
    # transitions are whole seconds).
    low = int((wall - later).replace(tzinfo=UTC).timestamp()) - 1
    high = int((wall - earlier).replace(tzinfo=UTC).timestamp()) + 1
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.datetime.fromtimestamp(middle, zone).utcoffset() == later:
            high = middle
        else:
            low = middle
    return datetime.datetime.fromtimestamp(high, UTC)


def _aware_utc(value: datetime.datetime, *, name: str) -> datetime.datetime:
    """An aware datetime converted to UTC; a naive one is refused."""
    if not isinstance(value, datetime.datetime):
        raise ValueError(f"{name} must be a datetime, got {type(value).__name__}.")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got naive {value.isoformat()}.")
    return value.astimezone(UTC)


def _normalize_pauses(pauses: Iterable[Span]) -> list[Span]:
    """Pauses as sorted, merged UTC spans; empty ones dropped, reversed ones refused."""
    spans = []
    for pause_start, pause_end in pauses:
        low = _aware_utc(pause_start, name="pause start")
        high = _aware_utc(pause_end, name="pause end")
        if high < low:
            raise ValueError(f"Pause {low.isoformat()}..{high.isoformat()} ends before it starts.")
        if high > low:
            spans.append((low, high))
    spans.sort()
    merged: list[list[datetime.datetime]] = []
    for low, high in spans:
        if merged and low <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return [(low, high) for low, high in merged]


def _business_spans(
    calendar: BusinessCalendar,
    *,
    start: datetime.datetime,
    end: datetime.datetime | None,
    pauses: list[Span],
) -> Iterator[Span]:
    """Business time from `start` (to `end`, or up to the search horizon) as ordered UTC spans."""
    zone = calendar.zone
    # Wall-time mapping is monotonic, so dates come out in time order; one day of margin on each
    # side covers instants whose local date differs from the date of the interval they fall in.
    day = start.astimezone(zone).date() - _ONE_DAY
    if end is None:
        last_day = day + timedelta(days=SEARCH_HORIZON_DAYS)
    else:
        last_day = end.astimezone(zone).date() + _ONE_DAY
    first_pause = 0
    while day <= last_day:
        for low, high in calendar.utc_segments(day):
            if high <= start:
                continue
            if end is not None and low >= end:
                return
            low = max(low, start)
            if end is not None:
                high = min(high, end)
            while first_pause < len(pauses) and pauses[first_pause][1] <= low:
                first_pause += 1
            cursor = low
            index = first_pause
            while index < len(pauses) and pauses[index][0] < high:
                if pauses[index][0] > cursor:
                    yield cursor, pauses[index][0]
                cursor = max(cursor, pauses[index][1])
                index += 1
            if cursor < high:
                yield cursor, high
        day += _ONE_DAY


def working_intervals(
    calendar: BusinessCalendar, *, start: datetime.datetime, end: datetime.datetime
) -> list[Span]:
    """The calendar's working time within [start, end) as merged, sorted UTC spans."""
    start = _aware_utc(start, name="start")
    end = _aware_utc(end, name="end")
    merged: list[list[datetime.datetime]] = []
    if end <= start:
        return []
    for low, high in _business_spans(calendar, start=start, end=end, pauses=[]):
        if merged and low <= merged[-1][1]:
            merged[-1][1] = high
        else:
            merged.append([low, high])
    return [(low, high) for low, high in merged]


def business_add(
    calendar: BusinessCalendar,
    *,
    start: datetime.datetime,
    duration: timedelta,
    pauses: Iterable[Span] = (),
) -> datetime.datetime:
    """The UTC instant at which `duration` of business time, less pauses, has passed since start."""
    start = _aware_utc(start, name="start")
    if duration < timedelta(0):
        raise ValueError(f"duration must not be negative, got {duration}.")
    spans = _normalize_pauses(pauses)
    if not duration:
        return start
    if not calendar.has_working_time:
        raise ValueError("The calendar has no working hours on any weekday or override.")
    remaining = duration
    for low, high in _business_spans(calendar, start=start, end=None, pauses=spans):
        length = high - low
        if remaining <= length:
            return low + remaining
        remaining -= length
    raise ValueError(
        f"No {duration} of business time within {SEARCH_HORIZON_DAYS} days after "
        f"{start.isoformat()}: the calendar is closed (holidays, overrides, pauses) for too long."
    )


def business_elapsed(
    calendar: BusinessCalendar,
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    pauses: Iterable[Span] = (),
) -> timedelta:
    """Business time between two instants, less pauses; zero when end is not after start."""
    start = _aware_utc(start, name="start")
    end = _aware_utc(end, name="end")
    spans = _normalize_pauses(pauses)
    total = timedelta(0)
    if end <= start:
        return total
    for low, high in _business_spans(calendar, start=start, end=end, pauses=spans):
        total += high - low
    return total
