"""Ready-made business calendars for Iran, Turkey and Kazakhstan, with their fixed-date holidays.

Only holidays that fall on the same date every year are here: Iran's solar (Jalali) ones and the
Gregorian ones of Turkey and Kazakhstan. Holidays that move from year to year (the lunar Islamic
ones, Ramazan and Kurban Bayramı and their eves, Kurban Ait, closures a government announces)
come from python-holidays, year by year (`official.py`), and are stored on a calendar made for
the country by `services.holidays`.

Working hours are the common office pattern, kept simple: an organization edits its own copy.

Every holiday of a preset, and every moving one, has a stable key (`ir.nowruz`, `tr.kurban_bayrami`)
stored with it; `HOLIDAY_NAMES` gives the key's name, marked for translation, so the console shows
it in the reader's language. The arithmetic's holidays keep the English name as a plain record,
and a holiday an admin typed has no key and keeps the name as typed.
"""

from datetime import time

from django.utils.translation import gettext, gettext_noop

from aftercare.sla.businesstime import (
    BusinessCalendar,
    Holiday,
    JalaliYearlyHoliday,
    YearlyHoliday,
    weekly_schedule,
)

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)

# Key → name, marked for translation and shown translated (`holiday_display_name`). The English
# text is also what is stored as the holiday's name, a record that does not change with languages.
HOLIDAY_NAMES = {
    # Iran, fixed (solar) dates.
    "ir.nowruz": gettext_noop("Nowruz"),
    "ir.islamic_republic_day": gettext_noop("Islamic Republic Day"),
    "ir.nature_day": gettext_noop("Nature Day"),
    "ir.khomeini_death": gettext_noop("Death of Imam Khomeini"),
    "ir.khordad_uprising": gettext_noop("15 Khordad uprising"),
    "ir.revolution_victory": gettext_noop("Victory of the Islamic Revolution"),
    "ir.oil_nationalization": gettext_noop("Oil Nationalization Day"),
    # Iran, lunar (Hijri) dates.
    "ir.tasua": gettext_noop("Tasua"),
    "ir.ashura": gettext_noop("Ashura"),
    "ir.arbaeen": gettext_noop("Arbaeen"),
    "ir.prophet_death": gettext_noop("Death of the Prophet Muhammad and martyrdom of Imam Hasan"),
    "ir.reza_martyrdom": gettext_noop("Martyrdom of Imam Reza"),
    "ir.askari_martyrdom": gettext_noop("Martyrdom of Imam Hasan Askari"),
    "ir.prophet_birthday": gettext_noop("Birthday of the Prophet Muhammad and Imam Jafar Sadiq"),
    "ir.fatima_martyrdom": gettext_noop("Martyrdom of Fatima"),
    "ir.ali_birthday": gettext_noop("Birthday of Imam Ali"),
    "ir.mabath": gettext_noop("Mab'ath"),
    "ir.mahdi_birthday": gettext_noop("Birthday of Imam Mahdi"),
    "ir.ali_martyrdom": gettext_noop("Martyrdom of Imam Ali"),
    "ir.eid_al_fitr": gettext_noop("Eid al-Fitr"),
    "ir.eid_al_fitr_holiday": gettext_noop("Eid al-Fitr holiday"),
    "ir.sadiq_martyrdom": gettext_noop("Martyrdom of Imam Jafar Sadiq"),
    "ir.eid_al_adha": gettext_noop("Eid al-Adha"),
    "ir.eid_al_ghadir": gettext_noop("Eid al-Ghadir"),
    "ir.public_holiday": gettext_noop("Public holiday announced by the government"),
    # Turkey, fixed dates.
    "tr.new_year": gettext_noop("New Year's Day"),
    "tr.sovereignty_children": gettext_noop("National Sovereignty and Children's Day"),
    "tr.labour_day": gettext_noop("Labour and Solidarity Day"),
    "tr.ataturk_youth_sports": gettext_noop("Commemoration of Atatürk, Youth and Sports Day"),
    "tr.democracy_unity": gettext_noop("Democracy and National Unity Day"),
    "tr.victory_day": gettext_noop("Victory Day"),
    "tr.republic_day": gettext_noop("Republic Day"),
    # Turkey, lunar dates, and the half days (work stops at 13:00).
    "tr.ramazan_bayrami": gettext_noop("Ramazan Bayramı"),
    "tr.kurban_bayrami": gettext_noop("Kurban Bayramı"),
    "tr.ramazan_arife": gettext_noop("Eve of Ramazan Bayramı (afternoon off)"),
    "tr.kurban_arife": gettext_noop("Eve of Kurban Bayramı (afternoon off)"),
    "tr.republic_eve": gettext_noop("Eve of Republic Day (afternoon off)"),
    # Kazakhstan, fixed dates.
    "kz.new_year": gettext_noop("New Year"),
    "kz.orthodox_christmas": gettext_noop("Orthodox Christmas"),
    "kz.womens_day": gettext_noop("International Women's Day"),
    "kz.nauryz": gettext_noop("Nauryz"),
    "kz.unity_day": gettext_noop("Unity Day of the People of Kazakhstan"),
    "kz.defender_day": gettext_noop("Defender of the Fatherland Day"),
    "kz.victory_day": gettext_noop("Victory Day"),
    "kz.capital_day": gettext_noop("Capital City Day"),
    "kz.constitution_day": gettext_noop("Constitution Day"),
    "kz.republic_day": gettext_noop("Republic Day"),
    "kz.independence_day": gettext_noop("Independence Day"),
    # Kazakhstan, lunar date.
    "kz.kurban_ait": gettext_noop("Kurban Ait"),
}


def holiday_display_name(*, key: str, name: str) -> str:
    """The name to show in the active language: the key's translation, else the stored name."""
    known = HOLIDAY_NAMES.get(key) if key else None
    return gettext(known) if known is not None else name


def _jalali(month: int, day: int, key: str) -> tuple[str, Holiday]:
    return key, JalaliYearlyHoliday(month, day, HOLIDAY_NAMES[key])


def _yearly(month: int, day: int, key: str) -> tuple[str, Holiday]:
    return key, YearlyHoliday(month, day, HOLIDAY_NAMES[key])


# Each country's fixed-date holidays with their keys.
FIXED_HOLIDAYS: dict[str, tuple[tuple[str, Holiday], ...]] = {
    "IR": (
        _jalali(1, 1, "ir.nowruz"),
        _jalali(1, 2, "ir.nowruz"),
        _jalali(1, 3, "ir.nowruz"),
        _jalali(1, 4, "ir.nowruz"),
        _jalali(1, 12, "ir.islamic_republic_day"),
        _jalali(1, 13, "ir.nature_day"),
        _jalali(3, 14, "ir.khomeini_death"),
        _jalali(3, 15, "ir.khordad_uprising"),
        _jalali(11, 22, "ir.revolution_victory"),
        _jalali(12, 29, "ir.oil_nationalization"),
    ),
    "TR": (
        _yearly(1, 1, "tr.new_year"),
        _yearly(4, 23, "tr.sovereignty_children"),
        _yearly(5, 1, "tr.labour_day"),
        _yearly(5, 19, "tr.ataturk_youth_sports"),
        _yearly(7, 15, "tr.democracy_unity"),
        _yearly(8, 30, "tr.victory_day"),
        _yearly(10, 29, "tr.republic_day"),
    ),
    "KZ": (
        _yearly(1, 1, "kz.new_year"),
        _yearly(1, 2, "kz.new_year"),
        _yearly(1, 7, "kz.orthodox_christmas"),
        _yearly(3, 8, "kz.womens_day"),
        _yearly(3, 21, "kz.nauryz"),
        _yearly(3, 22, "kz.nauryz"),
        _yearly(3, 23, "kz.nauryz"),
        _yearly(5, 1, "kz.unity_day"),
        _yearly(5, 7, "kz.defender_day"),
        _yearly(5, 9, "kz.victory_day"),
        _yearly(7, 6, "kz.capital_day"),
        _yearly(8, 30, "kz.constitution_day"),
        _yearly(10, 25, "kz.republic_day"),
        _yearly(12, 16, "kz.independence_day"),
    ),
}


def _holidays(country: str) -> tuple[Holiday, ...]:
    return tuple(holiday for _key, holiday in FIXED_HOLIDAYS[country])


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
    return BusinessCalendar(time_zone="Asia/Tehran", weekly=schedule, holidays=_holidays("IR"))


def turkey() -> BusinessCalendar:
    """Turkey: Monday-Friday 09:00-18:00 with a 12:30-13:30 lunch break; national holidays."""
    workday = [(time(9), time(12, 30)), (time(13, 30), time(18))]
    schedule = weekly_schedule({weekday: workday for weekday in range(MONDAY, SATURDAY)})
    return BusinessCalendar(time_zone="Europe/Istanbul", weekly=schedule, holidays=_holidays("TR"))


def kazakhstan() -> BusinessCalendar:
    """Kazakhstan: Monday-Friday 09:00-18:00 with a 13:00-14:00 lunch break; national holidays."""
    workday = [(time(9), time(13)), (time(14), time(18))]
    schedule = weekly_schedule({weekday: workday for weekday in range(MONDAY, SATURDAY)})
    return BusinessCalendar(time_zone="Asia/Almaty", weekly=schedule, holidays=_holidays("KZ"))


PRESETS = {"IR": iran, "TR": turkey, "KZ": kazakhstan}


def preset_for_country(country: str) -> BusinessCalendar | None:
    """The preset calendar for an ISO 3166 country code, or None when there is none."""
    factory = PRESETS.get(country.upper())
    return factory() if factory else None
