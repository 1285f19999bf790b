"""API v1: business calendars: hours, holidays, date overrides and iCalendar import."""

import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, File, Router, Schema, UploadedFile
from ninja.responses import Status as Answer
from pydantic import Strict, StringConstraints

from aftercare.api.schemas import (
    AUTH,
    CREATE,
    READ,
    WRITE,
    BodySchema,
    Id,
    IsoDate,
    Text,
    responses,
)
from aftercare.sla.models import BusinessCalendar, Holiday
from aftercare.sla.presets import PRESETS
from aftercare.sla.selectors import (
    calendar_detail,
    calendar_list_detailed,
    date_override_get,
    holiday_get,
    parse_wall_time,
)
from aftercare.sla.services import (
    calendar_create,
    calendar_create_from_preset,
    calendar_import_ics,
    calendar_set_default,
    calendar_update,
    date_override_remove,
    date_override_set,
    holiday_add,
    holiday_remove,
)

calendars_router = Router(tags=["sla"])

WallTime = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
Weekday = Annotated[int, Field(ge=0, le=6, description="0 is Monday, 6 is Sunday.")]
TimeZoneName = Text(64, min_length=1)
HolidayKind = Literal[tuple(Holiday.Kind.values)]
Country = Literal[tuple(PRESETS)]
MAX_INTERVALS = 7 * 8


class IntervalIn(BodySchema):
    """Working hours on one weekday; an end of 00:00 means midnight."""

    weekday: Weekday
    start: WallTime
    end: WallTime


class IntervalOut(Schema):
    """Working hours on one weekday."""

    weekday: int
    start: str
    end: str

    @staticmethod
    def resolve_start(obj) -> str:
        return f"{obj.start_time:%H:%M}"

    @staticmethod
    def resolve_end(obj) -> str:
        return f"{obj.end_time:%H:%M}"


class HolidayOut(Schema):
    """A closed date, range, or month and day every year (Gregorian or Jalali)."""

    id: int
    name: str
    kind: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    month: int | None
    day: int | None
    key: str = Field(description="A preset's or official holiday's stable key; empty if typed.")
    source: str = Field(description='Where its date came from, e.g. "python-holidays 0.108".')
    is_estimated: bool = Field(description="Whether the source only estimated the date.")
    source_date: datetime.date | None = Field(description="The date the source gave.")
    corrected_at: datetime.datetime | None = Field(
        description="When an admin corrected the date, if one did."
    )


class OverrideOut(Schema):
    """A date with its own hours; no intervals means closed."""

    date: datetime.date
    intervals: list[list[str]]
    note: str
    key: str = Field(description="An official half day's stable key; empty if set by hand.")
    source: str
    is_estimated: bool


class CalendarOut(Schema):
    """A business calendar: its zone, weekly hours, holidays and overrides."""

    id: int
    name: str
    time_zone: str
    is_default: bool
    country: str = Field(description="Whose official moving holidays it gets; empty: none.")
    version: int
    weekly: list[IntervalOut]
    holidays: list[HolidayOut]
    overrides: list[OverrideOut]
    updated_at: datetime.datetime

    @staticmethod
    def resolve_weekly(obj) -> list:
        return list(obj.working_intervals.all())

    @staticmethod
    def resolve_holidays(obj) -> list:
        return list(obj.holidays.all())

    @staticmethod
    def resolve_overrides(obj) -> list:
        return list(obj.date_overrides.all())


class CalendarIn(BodySchema):
    """A new calendar: from a country preset (hours and fixed holidays), or with its own hours."""

    name: Text(100) = Field("", description="Empty with a preset: the country's name.")
    preset: Country | None = Field(None, description="IR, TR or KZ: copy that country's preset.")
    time_zone: TimeZoneName | None = Field(None, description="IANA zone; required without preset.")
    weekly: list[IntervalIn] = Field([], max_length=MAX_INTERVALS)
    is_default: bool = False


class CalendarUpdateIn(BodySchema):
    """Fields to change; `weekly` replaces all weekly hours."""

    name: Text(100, min_length=1) = None
    time_zone: TimeZoneName = None
    weekly: list[IntervalIn] = Field(None, max_length=MAX_INTERVALS)
    is_default: Literal[True] = Field(None, description="true makes it the default calendar.")


class HolidayIn(BodySchema):
    """A holiday; which fields count depends on its kind."""

    name: Text(100, min_length=1)
    kind: HolidayKind
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    month: Annotated[int, Field(ge=1, le=12)] | None = None
    day: Annotated[int, Field(ge=1, le=31)] | None = None


class OverrideIn(BodySchema):
    """A date's own working hours; an empty list closes it."""

    intervals: list[Annotated[tuple[WallTime, WallTime], Strict(False)]] = Field([], max_length=8)
    note: Text(200) = ""


class ImportOut(Schema):
    """What an iCalendar import did."""

    created: int
    skipped: int
    calendar: CalendarOut


def _weekly(intervals: list[IntervalIn]) -> dict[int, list]:
    weekly: dict[int, list] = {}
    for interval in intervals:
        weekly.setdefault(interval.weekday, []).append(
            (parse_wall_time(interval.start), parse_wall_time(interval.end))
        )
    return weekly


def _detail(request: HttpRequest, calendar: BusinessCalendar) -> BusinessCalendar:
    return calendar_detail(organization=request.organization, calendar_id=calendar.pk)


@calendars_router.get(
    "/", response=responses({200: list[CalendarOut]}, AUTH), summary="List calendars"
)
def calendar_list_api(request: HttpRequest):
    """Every business calendar of the organization."""
    return calendar_list_detailed(organization=request.organization)


@calendars_router.post(
    "/", response=responses({201: CalendarOut}, CREATE), summary="Create a calendar"
)
def calendar_create_api(request: HttpRequest, payload: CalendarIn):
    """A calendar from a country preset or with its own zone and hours (managers only)."""
    if payload.preset:
        calendar = calendar_create_from_preset(
            organization=request.organization,
            country=payload.preset,
            name=payload.name or None,
            is_default=payload.is_default,
        )
    else:
        calendar = calendar_create(
            organization=request.organization,
            name=payload.name,
            time_zone=payload.time_zone or "",
            weekly=_weekly(payload.weekly),
            is_default=payload.is_default,
        )
    return Answer(201, _detail(request, calendar))


@calendars_router.get(
    "/{calendar_id}", response=responses({200: CalendarOut}, READ), summary="Get a calendar"
)
def calendar_get_api(request: HttpRequest, calendar_id: Id):
    """One calendar with its hours, holidays and overrides."""
    return calendar_detail(organization=request.organization, calendar_id=calendar_id)


@calendars_router.patch(
    "/{calendar_id}", response=responses({200: CalendarOut}, WRITE), summary="Update a calendar"
)
def calendar_update_api(request: HttpRequest, calendar_id: Id, payload: CalendarUpdateIn):
    """Rename, change the zone, replace the weekly hours, or make it the default."""
    calendar = calendar_detail(organization=request.organization, calendar_id=calendar_id)
    data = payload.model_dump(exclude_unset=True)
    calendar = calendar_update(
        calendar=calendar,
        name=data.get("name"),
        time_zone=data.get("time_zone"),
        weekly=None if payload.weekly is None else _weekly(payload.weekly),
    )
    if payload.is_default:
        calendar_set_default(calendar=calendar)
    return _detail(request, calendar)


@calendars_router.post(
    "/{calendar_id}/holidays",
    response=responses({201: HolidayOut}, WRITE),
    summary="Add a holiday",
)
def holiday_add_api(request: HttpRequest, calendar_id: Id, payload: HolidayIn):
    """A holiday: a date, a range, or a Gregorian or Jalali month and day every year."""
    calendar = calendar_detail(organization=request.organization, calendar_id=calendar_id)
    holiday = holiday_add(calendar=calendar, **payload.model_dump())
    return Answer(201, holiday)


@calendars_router.delete(
    "/{calendar_id}/holidays/{holiday_id}",
    response=responses({204: None}, WRITE),
    summary="Remove a holiday",
)
def holiday_remove_api(request: HttpRequest, calendar_id: Id, holiday_id: Id):
    """Remove a holiday; its dates follow the weekly hours again."""
    calendar = calendar_detail(organization=request.organization, calendar_id=calendar_id)
    holiday = holiday_get(calendar=calendar, holiday_id=holiday_id)
    holiday_remove(holiday=holiday)
    return Answer(204, None)


@calendars_router.put(
    "/{calendar_id}/overrides/{day}",
    response=responses({200: OverrideOut}, WRITE),
    summary="Set a date's hours",
)
def override_set_api(request: HttpRequest, calendar_id: Id, day: IsoDate, payload: OverrideIn):
    """Give a date its own hours (a short day, an extra working day), or close it."""
    calendar = calendar_detail(organization=request.organization, calendar_id=calendar_id)
    intervals = [(parse_wall_time(start), parse_wall_time(end)) for start, end in payload.intervals]
    return date_override_set(calendar=calendar, date=day, intervals=intervals, note=payload.note)


@calendars_router.delete(
    "/{calendar_id}/overrides/{day}",
    response=responses({204: None}, WRITE),
    summary="Remove a date's override",
)
def override_remove_api(request: HttpRequest, calendar_id: Id, day: IsoDate):
    """The date follows its holidays and weekly hours again."""
    calendar = calendar_detail(organization=request.organization, calendar_id=calendar_id)
    override = date_override_get(calendar=calendar, day=day)
    date_override_remove(override=override)
    return Answer(204, None)


@calendars_router.post(
    "/{calendar_id}/import",
    response=responses({200: ImportOut}, WRITE),
    summary="Import holidays from iCalendar",
)
def calendar_import_api(request: HttpRequest, calendar_id: Id, file: File[UploadedFile]):
    """Add the holidays of an .ics file (multipart field `file`); ones already there are skipped."""
    calendar = calendar_detail(organization=request.organization, calendar_id=calendar_id)
    result = calendar_import_ics(calendar=calendar, data=file.read(1024 * 1024 + 1))
    return {
        "created": result.created,
        "skipped": result.skipped,
        "calendar": _detail(request, calendar),
    }
