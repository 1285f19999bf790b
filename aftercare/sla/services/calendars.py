"""Every write to business calendars: weekly hours, holidays, overrides, iCalendar imports."""

import datetime
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.lib.errors import ApplicationError
from aftercare.lib.validation import save_unless_taken
from aftercare.sla import businesstime, official
from aftercare.sla.models import (
    INTERVAL_ERROR,
    BusinessCalendar,
    DateOverride,
    Holiday,
    SlaConfiguration,
    WorkingInterval,
    holiday_problems,
    interval_is_valid,
)

type Weekly = Mapping[int, Sequence[tuple[time, time]]]


def _name_taken_error() -> ApplicationError:
    return ApplicationError(_("A calendar with this name already exists."), field="name")


def _clean_name(name: str, *, field: str = "name", max_length: int = 100) -> str:
    """A required name without NULs or outer spaces."""
    name = (name or "").replace("\x00", "").strip()
    if not name:
        raise ApplicationError(_("Enter a name."), field=field)
    if len(name) > max_length:
        raise ApplicationError(
            _("Too long: %(max)s characters at most.") % {"max": max_length}, field=field
        )
    return name


def _clean_time_zone(time_zone: str) -> str:
    """An IANA time zone name the server knows."""
    time_zone = (time_zone or "").strip()
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ApplicationError(_("Unknown time zone."), field="time_zone") from None
    return time_zone


def _clean_intervals(intervals: Iterable[Sequence[time]], *, field: str) -> list[tuple[time, time]]:
    """Whole-minute local (start, end) pairs that end after they start and do not overlap."""
    cleaned = []
    for interval in intervals:
        if not isinstance(interval, Sequence) or len(interval) != 2:
            raise ApplicationError(str(INTERVAL_ERROR), field=field)
        start, end = interval
        if not all(
            isinstance(value, time)
            and value.tzinfo is None
            and value.second == 0
            and value.microsecond == 0
            for value in (start, end)
        ):
            raise ApplicationError(str(INTERVAL_ERROR), field=field)
        if not interval_is_valid(start, end):
            raise ApplicationError(str(INTERVAL_ERROR), field=field)
        cleaned.append((start, end))
    cleaned.sort()
    for (_start, previous_end), (next_start, _end) in zip(cleaned, cleaned[1:], strict=False):
        if previous_end == businesstime.MIDNIGHT or next_start < previous_end:
            raise ApplicationError(_("Working intervals must not overlap."), field=field)
    return cleaned


def _clean_weekly(weekly: Weekly) -> dict[int, list[tuple[time, time]]]:
    """A weekly schedule keyed by weekday 0 (Monday) to 6 (Sunday), open on some day."""
    cleaned = {}
    for weekday, intervals in weekly.items():
        if not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise ApplicationError(
                _("Weekdays are numbered 0 (Monday) to 6 (Sunday)."), field="weekly"
            )
        cleaned[weekday] = _clean_intervals(intervals, field="weekly")
    if not any(cleaned.values()):
        # Nothing could ever fall due on it: every SLA target would wait for ever.
        raise ApplicationError(
            _(
                "Working hours: enter them for at least one day of the week; on a calendar "
                "without any, no request would ever fall due."
            ),
            field="weekly",
        )
    return cleaned


def _clean_country(country: str) -> str:
    """A country whose official holidays are known, or empty for none."""
    country = (country or "").strip().upper()
    if country and country not in official.COUNTRIES:
        raise ApplicationError(
            _("There are no official holidays for this country."), field="country"
        )
    return country


def _write_weekly(calendar: BusinessCalendar, weekly: dict[int, list[tuple[time, time]]]) -> None:
    """Replace the calendar's weekly rows."""
    WorkingInterval.objects.filter(calendar=calendar).delete()
    WorkingInterval.objects.bulk_create(
        WorkingInterval(
            organization_id=calendar.organization_id,
            calendar=calendar,
            weekday=weekday,
            start_time=start,
            end_time=end,
        )
        for weekday, intervals in sorted(weekly.items())
        for start, end in intervals
    )


def _lock(calendar: BusinessCalendar) -> BusinessCalendar:
    """The calendar's row, locked for the rest of the transaction."""
    return BusinessCalendar.objects.select_for_update().get(pk=calendar.pk)


def sla_configuration_bump(*, organization_id: int) -> int:
    """Record a change to the organization's SLA configuration; return the new version."""
    configuration, created = SlaConfiguration.objects.get_or_create(organization_id=organization_id)
    if not created:
        SlaConfiguration.objects.filter(pk=configuration.pk).update(
            version=F("version") + 1, stamp=secrets.token_hex(16), updated_at=timezone.now()
        )
        configuration.refresh_from_db(fields=["version"])
    return configuration.version


def _bump(calendar: BusinessCalendar) -> None:
    """Record a change to the calendar so cached copies keyed on (id, version) go stale."""
    BusinessCalendar.objects.filter(pk=calendar.pk).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    calendar.refresh_from_db(fields=["version", "updated_at"])
    sla_configuration_bump(organization_id=calendar.organization_id)


def _unset_default(organization_id: int, *, keep: BusinessCalendar | None = None) -> None:
    """Clear the organization's default calendar, bumping whichever was default."""
    previous = BusinessCalendar.objects.select_for_update().filter(
        organization_id=organization_id, is_default=True
    )
    if keep is not None:
        previous = previous.exclude(pk=keep.pk)
    for other in previous:
        other.is_default = False
        other.save(update_fields=["is_default"])
        _bump(other)


@transaction.atomic
def calendar_create(
    *,
    organization: Organization,
    name: str,
    time_zone: str,
    weekly: Weekly,
    is_default: bool = False,
    country: str = "",
) -> BusinessCalendar:
    """A business calendar with its weekly hours; becoming default takes over from the old one.

    `country` names whose official moving holidays it follows (added by
    `calendar_official_holidays_add`); empty for none.
    """
    name = _clean_name(name)
    time_zone = _clean_time_zone(time_zone)
    cleaned = _clean_weekly(weekly)
    country = _clean_country(country)
    if is_default:
        # Undone with the rest of the transaction if the name turns out to be taken.
        _unset_default(organization.pk)
    calendar = BusinessCalendar(
        organization=organization,
        name=name,
        time_zone=time_zone,
        is_default=is_default,
        country=country,
    )
    taken = BusinessCalendar.objects.filter(organization=organization, name=name)
    save_unless_taken(calendar, taken=taken, error=_name_taken_error)
    _write_weekly(calendar, cleaned)
    sla_configuration_bump(organization_id=organization.pk)
    return calendar


@transaction.atomic
def calendar_set_weekly(*, calendar: BusinessCalendar, weekly: Weekly) -> BusinessCalendar:
    """Replace the calendar's weekly hours."""
    cleaned = _clean_weekly(weekly)
    calendar = _lock(calendar)
    _write_weekly(calendar, cleaned)
    _bump(calendar)
    return calendar


@transaction.atomic
def calendar_set_default(*, calendar: BusinessCalendar) -> BusinessCalendar:
    """Make this the organization's default calendar, in place of the previous one."""
    calendar = _lock(calendar)
    if calendar.is_default:
        return calendar
    _unset_default(calendar.organization_id, keep=calendar)
    calendar.is_default = True
    calendar.save(update_fields=["is_default"])
    _bump(calendar)
    return calendar


@transaction.atomic
def holiday_add(
    *,
    calendar: BusinessCalendar,
    name: str,
    kind: str,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    month: int | None = None,
    day: int | None = None,
) -> Holiday:
    """A holiday on the calendar; only the fields its kind uses are kept."""
    name = _clean_name(name)
    problems = holiday_problems(
        kind=kind, start_date=start_date, end_date=end_date, month=month, day=day
    )
    if problems:
        field, message = next(iter(problems.items()))
        raise ApplicationError(message, field=field)
    is_dated = kind in (Holiday.Kind.DATE, Holiday.Kind.RANGE)
    calendar = _lock(calendar)
    holiday = Holiday.objects.create(
        organization_id=calendar.organization_id,
        calendar=calendar,
        name=name,
        kind=kind,
        start_date=start_date if is_dated else None,
        end_date=end_date if kind == Holiday.Kind.RANGE else None,
        month=None if is_dated else month,
        day=None if is_dated else day,
    )
    _bump(calendar)
    return holiday


@transaction.atomic
def holiday_remove(*, holiday: Holiday) -> None:
    """Delete a holiday; holidays are configuration, nothing refers to them."""
    calendar = BusinessCalendar.objects.select_for_update().get(pk=holiday.calendar_id)
    Holiday.objects.filter(pk=holiday.pk).delete()
    _bump(calendar)


@transaction.atomic
def date_override_set(
    *,
    calendar: BusinessCalendar,
    date: datetime.date,
    intervals: Iterable[Sequence[time]],
    note: str = "",
) -> DateOverride:
    """Set a date's own working hours (none: closed that day), replacing any earlier override."""
    if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
        raise ApplicationError(_("Enter the date."), field="date")
    cleaned = _clean_intervals(intervals, field="intervals")
    note = (note or "").replace("\x00", "").strip()
    if len(note) > 200:
        raise ApplicationError(
            _("Too long: %(max)s characters at most.") % {"max": 200}, field="note"
        )
    calendar = _lock(calendar)
    override, _created = DateOverride.objects.update_or_create(
        calendar=calendar,
        date=date,
        defaults={
            "organization_id": calendar.organization_id,
            "intervals": [[f"{start:%H:%M}", f"{end:%H:%M}"] for start, end in cleaned],
            "note": note,
        },
    )
    _bump(calendar)
    return override


@transaction.atomic
def date_override_remove(*, override: DateOverride) -> None:
    """Delete a date override; the date follows holidays and the weekly hours again."""
    calendar = BusinessCalendar.objects.select_for_update().get(pk=override.calendar_id)
    DateOverride.objects.filter(pk=override.pk).delete()
    _bump(calendar)


@transaction.atomic
def calendar_update(
    *,
    calendar: BusinessCalendar,
    name: str | None = None,
    time_zone: str | None = None,
    country: str | None = None,
    weekly: Weekly | None = None,
) -> BusinessCalendar:
    """Rename a calendar, move it to another time zone, change whose official holidays it
    follows or replace its weekly hours: all of it, or nothing when one is refused."""
    new_name = calendar.name if name is None else _clean_name(name)
    new_zone = calendar.time_zone if time_zone is None else _clean_time_zone(time_zone)
    new_country = calendar.country if country is None else _clean_country(country)
    cleaned = None if weekly is None else _clean_weekly(weekly)
    calendar = _lock(calendar)
    if new_name != calendar.name:
        taken = (
            BusinessCalendar.objects.filter(organization_id=calendar.organization_id, name=new_name)
            .exclude(pk=calendar.pk)
            .exists()
        )
        if taken:
            raise _name_taken_error()
    changed = (new_name, new_zone, new_country) != (
        calendar.name,
        calendar.time_zone,
        calendar.country,
    )
    if changed:
        if new_country != calendar.country:
            # Another country's holidays start afresh with its own years.
            calendar.official_holidays_through = None
        calendar.name, calendar.time_zone, calendar.country = new_name, new_zone, new_country
        calendar.save(update_fields=["name", "time_zone", "country", "official_holidays_through"])
    if cleaned is not None:
        _write_weekly(calendar, cleaned)
    if changed or cleaned is not None:
        _bump(calendar)
    return calendar


ICS_MAX_BYTES = 1024 * 1024
ICS_MAX_EVENTS = 2000


@dataclass(frozen=True)
class IcsImport:
    """What an iCalendar import did."""

    created: int
    skipped: int


def _ics_error(message: str) -> ApplicationError:
    return ApplicationError(message, field="file")


def _event_dates(event, zone: ZoneInfo) -> tuple[datetime.date, datetime.date] | None:
    """The first and last closed dates of an event (DTEND is exclusive), or None if unreadable."""

    def as_date(value) -> datetime.date | None:
        if isinstance(value, datetime.datetime):
            return (value.astimezone(zone) if value.tzinfo else value).date()
        if isinstance(value, datetime.date):
            return value
        return None

    start_property = event.get("DTSTART")
    first = as_date(getattr(start_property, "dt", None))
    if first is None:
        return None
    end_property, duration_property = event.get("DTEND"), event.get("DURATION")
    last = first
    if end_property is not None:
        end_value = getattr(end_property, "dt", None)
        end = as_date(end_value)
        if end is None:
            return None
        # An all-day DTEND is exclusive; a timed one closes the date it falls on.
        exclusive = not isinstance(end_value, datetime.datetime)
        last = end - datetime.timedelta(days=1) if exclusive and end > first else end
    elif duration_property is not None and isinstance(
        getattr(duration_property, "dt", None), datetime.timedelta
    ):
        days = max(duration_property.dt.days, 1)
        last = first + datetime.timedelta(days=days - 1)
    if last < first:
        return None
    return first, last


@transaction.atomic
def calendar_import_ics(*, calendar: BusinessCalendar, data: bytes) -> IcsImport:
    """Holidays from an iCalendar file: each all-day event closes its dates, a yearly event its
    month and day every year. Events already on the calendar are skipped, so a re-import adds
    nothing twice."""
    import icalendar

    if not data:
        raise _ics_error(_("Choose an iCalendar (.ics) file."))
    if len(data) > ICS_MAX_BYTES:
        raise _ics_error(_("The file is too large (1 MB at most)."))
    try:
        parsed = icalendar.Calendar.from_ical(data)
    except (ValueError, KeyError, IndexError, TypeError):
        raise _ics_error(_("This is not an iCalendar file.")) from None
    events = list(parsed.walk("VEVENT"))
    if not events:
        raise _ics_error(_("The file has no events."))
    if len(events) > ICS_MAX_EVENTS:
        raise _ics_error(_("Too many events: %(max)s at most.") % {"max": ICS_MAX_EVENTS})
    calendar = _lock(calendar)
    zone = ZoneInfo(calendar.time_zone)
    existing = {
        (row.kind, row.start_date, row.end_date, row.month, row.day)
        for row in Holiday.objects.filter(calendar=calendar)
    }
    rows, skipped = [], 0
    for event in events:
        dates = _event_dates(event, zone)
        name = str(event.get("SUMMARY") or "").replace("\x00", "").strip()[:100] or _("Holiday")
        if dates is None:
            skipped += 1
            continue
        first, last = dates
        rule = event.get("RRULE")
        frequency = [str(value).upper() for value in (rule or {}).get("FREQ", [])]
        if frequency == ["YEARLY"] and first == last:
            key = (Holiday.Kind.YEARLY_GREGORIAN, None, None, first.month, first.day)
        elif first == last:
            key = (Holiday.Kind.DATE, first, None, None, None)
        else:
            key = (Holiday.Kind.RANGE, first, last, None, None)
        if key in existing:
            skipped += 1
            continue
        existing.add(key)
        kind, start_date, end_date, month, day = key
        rows.append(
            Holiday(
                organization_id=calendar.organization_id,
                calendar=calendar,
                name=name,
                kind=kind,
                start_date=start_date,
                end_date=end_date,
                month=month,
                day=day,
            )
        )
    Holiday.objects.bulk_create(rows)
    if rows:
        _bump(calendar)
    return IcsImport(created=len(rows), skipped=skipped)
