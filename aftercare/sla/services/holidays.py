"""Calendars made for a country: the preset's copy, its official moving holidays added year by
year from python-holidays, and a holiday's date corrected once the government announces it."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization, User
from aftercare.lib.errors import ApplicationError
from aftercare.sla import businesstime, official, presets
from aftercare.sla.models import BusinessCalendar, DateOverride, Holiday, holiday_problems
from aftercare.sla.selectors import calendar_to_business
from aftercare.sla.services.calendars import _bump, _lock, calendar_create

# Official holidays are kept this many years ahead: this year's and the next one's.
YEARS_AHEAD = 1
# A year python-holidays is asked about must be one a person could mean.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _preset_names() -> dict[str, str]:
    return {"IR": _("Iran"), "TR": _("Turkey"), "KZ": _("Kazakhstan")}


def _holiday_row(calendar: BusinessCalendar, key: str, holiday: businesstime.Holiday) -> Holiday:
    """A stored holiday for one of a preset's holidays."""
    row = Holiday(
        organization_id=calendar.organization_id, calendar=calendar, name=holiday.name, key=key
    )
    match holiday:
        case businesstime.DateHoliday():
            row.kind, row.start_date = Holiday.Kind.DATE, holiday.day
        case businesstime.DateRangeHoliday():
            row.kind, row.start_date, row.end_date = Holiday.Kind.RANGE, holiday.first, holiday.last
        case businesstime.YearlyHoliday():
            row.kind, row.month, row.day = Holiday.Kind.YEARLY_GREGORIAN, holiday.month, holiday.day
        case businesstime.JalaliYearlyHoliday():
            row.kind, row.month, row.day = Holiday.Kind.YEARLY_JALALI, holiday.month, holiday.day
    return row


def official_holidays_years(
    *, calendar: BusinessCalendar, today: datetime.date | None = None
) -> list[int]:
    """This year and the next, in the calendar's time zone: the years kept filled."""
    if today is None:
        today = timezone.now().astimezone(ZoneInfo(calendar.time_zone)).date()
    return [today.year + ahead for ahead in range(YEARS_AHEAD + 1)]


@transaction.atomic
def calendar_create_from_preset(
    *,
    organization: Organization,
    country: str,
    name: str | None = None,
    is_default: bool = False,
    years: Iterable[int] | None = None,
) -> BusinessCalendar:
    """A copy of a country's preset the organization can edit: its hours, its fixed-date holidays
    and its official moving holidays of this year and the next (or of `years`)."""
    country = (country or "").strip().upper()
    preset = presets.preset_for_country(country)
    if preset is None:
        raise ApplicationError(_("There is no preset calendar for this country."), field="country")
    calendar = calendar_create(
        organization=organization,
        name=_preset_names()[country] if name is None else name,
        time_zone=preset.time_zone,
        weekly={weekday: list(intervals) for weekday, intervals in enumerate(preset.weekly)},
        is_default=is_default,
        country=country,
    )
    Holiday.objects.bulk_create(
        _holiday_row(calendar, key, holiday) for key, holiday in presets.FIXED_HOLIDAYS[country]
    )
    wanted = _clean_years(official_holidays_years(calendar=calendar) if years is None else years)
    # Part of making the calendar: its version stays 1.
    _official_write(calendar, official.official_holidays(country, wanted), wanted)
    return calendar


@dataclass(frozen=True)
class OfficialHolidaysAdded:
    """What adding a country's official holidays to a calendar did."""

    created: int  # holidays and half days added
    updated: int  # dates python-holidays now gives otherwise, not corrected by hand: followed
    kept: int  # already there as python-holidays gives them, or corrected by hand
    years: tuple[int, ...]


def _clean_years(years: Iterable[int]) -> tuple[int, ...]:
    """Distinct years in order, each one python-holidays can be asked about."""
    cleaned = tuple(sorted(set(years)))
    if not cleaned or not all(
        isinstance(year, int) and FIRST_YEAR <= year <= LAST_YEAR for year in cleaned
    ):
        raise ApplicationError(
            _("Choose years from %(first)s to %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            field="years",
        )
    return cleaned


def _wall(value: time) -> str:
    return f"{value:%H:%M}"


def _official_write(
    calendar: BusinessCalendar, found: list[official.OfficialHoliday], years: tuple[int, ...]
) -> OfficialHolidaysAdded:
    """Store what python-holidays gave for a locked calendar; the counts of what changed."""
    stored = {
        (row.key, row.occurrence): row
        for row in Holiday.objects.filter(calendar=calendar).exclude(occurrence="")
    }
    new_rows, updated, kept = [], 0, 0
    for item in (item for item in found if item.ends_at is None):
        kind = Holiday.Kind.DATE if item.first == item.last else Holiday.Kind.RANGE
        end_date = item.last if kind == Holiday.Kind.RANGE else None
        row = stored.get((item.key, item.occurrence))
        if row is None:
            new_rows.append(
                Holiday(
                    organization_id=calendar.organization_id,
                    calendar=calendar,
                    name=presets.HOLIDAY_NAMES[item.key],
                    key=item.key,
                    occurrence=item.occurrence,
                    kind=kind,
                    start_date=item.first,
                    end_date=end_date,
                    source=item.source,
                    is_estimated=item.is_estimated,
                    source_date=item.first,
                )
            )
            continue
        given = (kind, item.first, end_date, item.is_estimated, item.source)
        if row.corrected_at is not None or (
            (row.kind, row.start_date, row.end_date, row.is_estimated, row.source) == given
        ):
            # A date an admin corrected is the announced one: python-holidays never moves it.
            kept += 1
            continue
        row.kind, row.start_date, row.end_date, row.is_estimated, row.source = given
        row.source_date = item.first
        row.save(
            update_fields=[
                "kind",
                "start_date",
                "end_date",
                "is_estimated",
                "source",
                "source_date",
            ]
        )
        updated += 1
    Holiday.objects.bulk_create(new_rows)
    created = len(new_rows)
    half_days = [item for item in found if item.ends_at is not None]
    if half_days:
        # Read after the holidays are stored: a half day that falls on one stays closed.
        arithmetic = calendar_to_business(calendar)
        overrides = list(DateOverride.objects.filter(calendar=calendar))
        taken = {(row.key, row.occurrence) for row in overrides if row.occurrence}
        dated = {row.date for row in overrides}
        for item in half_days:
            assert item.ends_at is not None
            if (item.key, item.occurrence) in taken or item.first in dated:
                # Already there, or the date has hours an admin set: theirs stand.
                kept += 1
                continue
            weekly = list(arithmetic.weekly[item.first.weekday()])
            intervals = official.half_day_intervals(weekly, ends_at=item.ends_at)
            if arithmetic.is_holiday(item.first) or intervals == weekly:
                continue  # closed anyway, or no work after the hour
            DateOverride.objects.create(
                organization_id=calendar.organization_id,
                calendar=calendar,
                date=item.first,
                intervals=[[_wall(start), _wall(end)] for start, end in intervals],
                key=item.key,
                occurrence=item.occurrence,
                source=item.source,
                is_estimated=item.is_estimated,
            )
            created += 1
    through = max(calendar.official_holidays_through or 0, years[-1])
    if through != calendar.official_holidays_through:
        calendar.official_holidays_through = through
        calendar.save(update_fields=["official_holidays_through"])
    return OfficialHolidaysAdded(created=created, updated=updated, kept=kept, years=years)


def calendar_official_holidays_add(
    *, calendar: BusinessCalendar, years: Iterable[int]
) -> OfficialHolidaysAdded:
    """Add the official moving holidays of the calendar's country in these years: the lunar
    holidays, the bayrams and, as a date's own hours, the half days before them.

    Run again it adds nothing twice: a holiday already there is kept, a date an admin corrected
    is never moved back, and an estimate python-holidays now dates otherwise follows it.
    """
    if not calendar.country:
        raise ApplicationError(
            _("Choose the country whose official holidays this calendar follows."),
            field="country",
        )
    wanted = _clean_years(years)
    # python-holidays is read before the transaction, which holds SQLite's one write lock.
    found = official.official_holidays(calendar.country, wanted)
    with transaction.atomic():
        locked = _lock(calendar)
        if locked.country != calendar.country:
            raise ApplicationError(
                _("The calendar's country changed meanwhile; try again."), field="country"
            )
        result = _official_write(locked, found, wanted)
        if result.created or result.updated:
            _bump(locked)
    return result


def official_holidays_top_up(*, today: datetime.date | None = None) -> int:
    """Bring every calendar made for a country up to next year's official holidays; a year it
    already had is not filled again, so holidays an admin removed stay removed. Return how many
    holidays were added."""
    added = 0
    calendars = BusinessCalendar.objects.filter(country__in=official.COUNTRIES).order_by("pk")
    for calendar in calendars:
        through = calendar.official_holidays_through
        years = [
            year
            for year in official_holidays_years(calendar=calendar, today=today)
            if through is None or year > through
        ]
        if years:
            added += calendar_official_holidays_add(calendar=calendar, years=years).created
    return added


@transaction.atomic
def holiday_correct(
    *,
    holiday: Holiday,
    start_date: datetime.date | None,
    end_date: datetime.date | None = None,
    actor: User,
) -> Holiday:
    """Move a holiday of one date, or of a run of dates, to the dates the government announced.

    Who corrected it and when is recorded, the date its source gave is kept, and later top-ups
    from python-holidays leave the corrected date alone.
    """
    if not holiday.is_dated:
        raise ApplicationError(
            _("A holiday of every year has no date of its own to correct."), field="start_date"
        )
    for field, value in (("start_date", start_date), ("end_date", end_date)):
        if value is not None and (
            not isinstance(value, datetime.date) or isinstance(value, datetime.datetime)
        ):
            raise ApplicationError(_("Enter the date."), field=field)
    if holiday.kind == Holiday.Kind.DATE:
        end_date = None
    problems = holiday_problems(
        kind=holiday.kind, start_date=start_date, end_date=end_date, month=None, day=None
    )
    if problems:
        field, message = next(iter(problems.items()))
        raise ApplicationError(message, field=field)
    calendar = _lock(BusinessCalendar(pk=holiday.calendar_id))
    holiday = Holiday.objects.select_for_update().get(pk=holiday.pk)
    if (holiday.start_date, holiday.end_date) == (start_date, end_date):
        return holiday
    holiday.start_date, holiday.end_date = start_date, end_date
    holiday.corrected_at = timezone.now()
    holiday.corrected_by = actor
    holiday.save(update_fields=["start_date", "end_date", "corrected_at", "corrected_by"])
    _bump(calendar)
    return holiday
