"""Ready-made business calendars for Iran, Turkey and Kazakhstan, with their fixed-date holidays.

Only holidays that fall on the same date every year are here: Iran's solar (Jalali) ones and the
Gregorian ones of Turkey and Kazakhstan. Holidays that move from year to year (the lunar Islamic
ones, Orthodox Easter, Kurban/Ramazan Bayramı, the transfers each government announces) are not:
they are entered per year or imported from an iCalendar file on top of a preset.

Working hours are the common office pattern, kept simple: an organization edits its own copy.
Holiday names are plain English data, not marked for translation here: whoever stores a preset
as an organization's calendar decides how to name them in its language.
"""

from datetime import time

from aftercare.sla.businesstime import (
    BusinessCalendar,
    Holiday,
    JalaliYearlyHoliday,
    YearlyHoliday,
    weekly_schedule,
)

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)


def iran() -> BusinessCalendar:
    """Iran: Saturday-Wednesday 08:00-16:00, Thursday 08:00-13:00, Friday off; solar holidays."""
    full_day = [(time(8), time(16))]
    schedule = weekly_schedule(
        {
            SATURDAY: full_day,
            SUNDAY: full_day,
            MONDAY: full_day,
            TUESDAY: full_day,
            WEDNESDAY: full_day,
            THURSDAY: [(time(8), time(13))],
        }
    )
    nowruz = "Nowruz"
    holidays: tuple[Holiday, ...] = (
        JalaliYearlyHoliday(1, 1, nowruz),
        JalaliYearlyHoliday(1, 2, nowruz),
        JalaliYearlyHoliday(1, 3, nowruz),
        JalaliYearlyHoliday(1, 4, nowruz),
        JalaliYearlyHoliday(1, 12, "Islamic Republic Day"),
        JalaliYearlyHoliday(1, 13, "Nature Day"),
        JalaliYearlyHoliday(3, 14, "Death of Imam Khomeini"),
        JalaliYearlyHoliday(3, 15, "15 Khordad uprising"),
        JalaliYearlyHoliday(11, 22, "Victory of the Islamic Revolution"),
        JalaliYearlyHoliday(12, 29, "Oil Nationalization Day"),
    )
    return BusinessCalendar(time_zone="Asia/Tehran", weekly=schedule, holidays=holidays)


def turkey() -> BusinessCalendar:
    """Turkey: Monday-Friday 09:00-18:00 with a 12:30-13:30 lunch break; national holidays."""
    workday = [(time(9), time(12, 30)), (time(13, 30), time(18))]
    schedule = weekly_schedule({weekday: workday for weekday in range(MONDAY, SATURDAY)})
    holidays: tuple[Holiday, ...] = (
        YearlyHoliday(1, 1, "New Year's Day"),
        YearlyHoliday(4, 23, "National Sovereignty and Children's Day"),
        YearlyHoliday(5, 1, "Labour and Solidarity Day"),
        YearlyHoliday(5, 19, "Commemoration of Atatürk, Youth and Sports Day"),
        YearlyHoliday(7, 15, "Democracy and National Unity Day"),
        YearlyHoliday(8, 30, "Victory Day"),
        YearlyHoliday(10, 29, "Republic Day"),
    )
    return BusinessCalendar(time_zone="Europe/Istanbul", weekly=schedule, holidays=holidays)


def kazakhstan() -> BusinessCalendar:
    """Kazakhstan: Monday-Friday 09:00-18:00 with a 13:00-14:00 lunch break; national holidays."""
    workday = [(time(9), time(13)), (time(14), time(18))]
    schedule = weekly_schedule({weekday: workday for weekday in range(MONDAY, SATURDAY)})
    new_year = "New Year"
    nauryz = "Nauryz"
    holidays: tuple[Holiday, ...] = (
        YearlyHoliday(1, 1, new_year),
        YearlyHoliday(1, 2, new_year),
        YearlyHoliday(1, 7, "Orthodox Christmas"),
        YearlyHoliday(3, 8, "International Women's Day"),
        YearlyHoliday(3, 21, nauryz),
        YearlyHoliday(3, 22, nauryz),
        YearlyHoliday(3, 23, nauryz),
        YearlyHoliday(5, 1, "Unity Day of the People of Kazakhstan"),
        YearlyHoliday(5, 7, "Defender of the Fatherland Day"),
        YearlyHoliday(5, 9, "Victory Day"),
        YearlyHoliday(7, 6, "Capital City Day"),
        YearlyHoliday(8, 30, "Constitution Day"),
        YearlyHoliday(10, 25, "Republic Day"),
        YearlyHoliday(12, 16, "Independence Day"),
    )
    return BusinessCalendar(time_zone="Asia/Almaty", weekly=schedule, holidays=holidays)


PRESETS = {"IR": iran, "TR": turkey, "KZ": kazakhstan}


def preset_for_country(country: str) -> BusinessCalendar | None:
    """The preset calendar for an ISO 3166 country code, or None when there is none."""
    factory = PRESETS.get(country.upper())
    return factory() if factory else None
