"""Dates shown in the active language's calendar: Jalali with Persian digits for Persian."""

import datetime
import re
from functools import cache, lru_cache

import jdatetime
from django.utils import formats, timezone, translation

from aftercare.lib.text import persian_digits

_JALALI_LANGUAGES = {"fa"}


def uses_jalali(language: str | None = None) -> bool:
    """Whether dates are shown in the Jalali calendar for this language."""
    language = language or translation.get_language() or "en"
    return language.split("-")[0] in _JALALI_LANGUAGES


# Format characters a short date or date-time format may use, as `str.format` fields. A list page
# writes dozens of dates; Django's `date_format` parses its format string for each of them.
_FIELDS = {"Y": "{y:04d}", "m": "{m:02d}", "d": "{d:02d}", "H": "{H:02d}", "i": "{i:02d}"}
_JALALI_FORMATS = {
    True: "{y:04d}/{m:02d}/{d:02d} {H:02d}:{i:02d}",
    False: "{y:04d}/{m:02d}/{d:02d}",
}


@cache
def _compiled(django_format: str) -> str | None:
    """A Django date format as a `str.format` pattern, or None if it uses anything beyond year,
    month, day, hour and minute (then Django formats it)."""
    parts = []
    for char in django_format:
        if char in _FIELDS:
            parts.append(_FIELDS[char])
        elif re.match(r"[A-Za-z\\]", char):
            return None
        else:
            parts.append(char.replace("{", "{{").replace("}", "}}"))
    return "".join(parts)


@lru_cache(maxsize=4096)
def _jalali(day: datetime.date) -> tuple[int, int, int]:
    jday = jdatetime.date.fromgregorian(date=day)
    return jday.year, jday.month, jday.day


def format_datetime(value: datetime.datetime | None, *, with_time: bool = True) -> str:
    """A date-time in the current time zone and the language's calendar and digits."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    if uses_jalali():
        year, month, day = _jalali(value.date())
        text = _JALALI_FORMATS[with_time].format(
            y=year, m=month, d=day, H=value.hour, i=value.minute
        )
        return persian_digits(text)
    name = "SHORT_DATETIME_FORMAT" if with_time else "SHORT_DATE_FORMAT"
    pattern = _compiled(formats.get_format(name))
    if pattern is None:
        return formats.date_format(value, name)
    return pattern.format(y=value.year, m=value.month, d=value.day, H=value.hour, i=value.minute)


def format_date(value: datetime.date | None) -> str:
    """A calendar date in the language's calendar and digits."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return format_datetime(value, with_time=False)
    if uses_jalali():
        return persian_digits(jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d"))
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def format_date_long(value: datetime.date | None) -> str:
    """A date with the month written out, in the language's calendar."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if uses_jalali():
        jvalue = jdatetime.date.fromgregorian(date=value, locale="fa_IR")
        return persian_digits(jvalue.strftime("%d %B %Y"))
    return formats.date_format(value, "DATE_FORMAT")


def parse_user_date(value: str, *, language: str | None = None) -> datetime.date:
    """A date typed by a user: YYYY-MM-DD, or YYYY/MM/DD in Jalali for Persian users."""
    from aftercare.lib.text import normalize_digits

    text = normalize_digits(value.strip()).replace("/", "-")
    year, month, day = (int(part) for part in text.split("-"))
    if uses_jalali(language) and year < 1700:
        return jdatetime.date(year, month, day).togregorian()
    return datetime.date(year, month, day)


def format_span(seconds: float, *, with_days: bool = True) -> str:
    """A length of time as people say it at a glance: 3 d 4 h, 2 h 15 min, 5 min. Business
    time (`days=False`) stays in hours, since a working day is not 24 hours long."""
    from django.utils.translation import gettext as _

    minutes = max(0, int(seconds // 60))
    days, rest = divmod(minutes, 24 * 60) if with_days else (0, minutes)
    hours, minutes = divmod(rest, 60)
    if days:
        text = _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    elif hours:
        text = _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    else:
        text = _("%(minutes)s min") % {"minutes": minutes}
    return persian_digits(text) if uses_jalali() else text


def format_countdown(due: datetime.datetime | None, *, now: datetime.datetime | None = None) -> str:
    """How long until a due time, or how long past it: "2 h 15 min left", "5 min overdue"."""
    from django.utils.translation import gettext as _

    if due is None:
        return ""
    seconds = (due - (now or timezone.now())).total_seconds()
    if seconds >= 0:
        return _("%(time)s left") % {"time": format_span(seconds)}
    return _("%(time)s overdue") % {"time": format_span(-seconds)}


def format_month_day(*, month: int, day: int, jalali: bool) -> str:
    """A day of the year without its year ("29 October", "1 Farvardin"), in the reader's
    language and digits; Jalali month names in Persian for Persian readers."""
    if jalali:
        names = jdatetime.date.j_months_fa if uses_jalali() else jdatetime.date.j_months_en
        text = f"{day} {names[month - 1]}"
    else:
        text = formats.date_format(datetime.date(2000, month, day), "MONTH_DAY_FORMAT")
    return persian_digits(text) if uses_jalali() else text
