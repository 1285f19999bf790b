"""Reads about business calendars, scoped to one organization."""

from datetime import time

from django.http import Http404

from aftercare.accounts.models import Organization
from aftercare.sla import businesstime
from aftercare.sla.models import BusinessCalendar, DateOverride, Holiday, WorkingInterval


def calendar_list(*, organization: Organization) -> list[BusinessCalendar]:
    """The organization's business calendars, by name."""
    return list(BusinessCalendar.objects.filter(organization=organization))


def calendar_get(*, organization: Organization, calendar_id: int) -> BusinessCalendar:
    """A business calendar of this organization, or 404."""
    calendar = BusinessCalendar.objects.filter(organization=organization, pk=calendar_id).first()
    if calendar is None:
        raise Http404
    return calendar


def calendar_default(*, organization: Organization) -> BusinessCalendar | None:
    """The organization's default business calendar, or None when it has not chosen one."""
    return BusinessCalendar.objects.filter(organization=organization, is_default=True).first()


def parse_wall_time(value: str) -> time:
    """A stored "HH:MM" wall time."""
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _holiday_to_business(holiday: Holiday) -> businesstime.Holiday:
    """The arithmetic's holiday for a stored one."""
    match holiday.kind:
        case Holiday.Kind.DATE:
            assert holiday.start_date is not None
            return businesstime.DateHoliday(holiday.start_date, holiday.name)
        case Holiday.Kind.RANGE:
            assert holiday.start_date is not None and holiday.end_date is not None
            return businesstime.DateRangeHoliday(holiday.start_date, holiday.end_date, holiday.name)
        case Holiday.Kind.YEARLY_GREGORIAN:
            assert holiday.month is not None and holiday.day is not None
            return businesstime.YearlyHoliday(holiday.month, holiday.day, holiday.name)
        case Holiday.Kind.YEARLY_JALALI:
            assert holiday.month is not None and holiday.day is not None
            return businesstime.JalaliYearlyHoliday(holiday.month, holiday.day, holiday.name)
    raise ValueError(f"Unknown holiday kind {holiday.kind!r}.")


def calendar_to_business(calendar: BusinessCalendar) -> businesstime.BusinessCalendar:
    """The frozen calendar the arithmetic runs on, read fresh in three queries."""
    weekly: dict[int, list[businesstime.Interval]] = {}
    for interval in WorkingInterval.objects.filter(calendar_id=calendar.pk):
        weekly.setdefault(interval.weekday, []).append((interval.start_time, interval.end_time))
    holidays = tuple(
        _holiday_to_business(holiday) for holiday in Holiday.objects.filter(calendar_id=calendar.pk)
    )
    overrides = tuple(
        businesstime.DateOverride(
            override.date,
            tuple(
                (parse_wall_time(start), parse_wall_time(end)) for start, end in override.intervals
            ),
        )
        for override in DateOverride.objects.filter(calendar_id=calendar.pk)
    )
    return businesstime.BusinessCalendar(
        time_zone=calendar.time_zone,
        weekly=businesstime.weekly_schedule(weekly),
        holidays=holidays,
        overrides=overrides,
    )
