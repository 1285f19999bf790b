"""Zones, local instants and small calendars shared by the hand-worked business-time tests."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import jdatetime

from aftercare.sla.businesstime import BusinessCalendar, weekly_schedule

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
