"""Official holidays that move from year to year, read from python-holidays.

The presets hold the holidays that fall on the same date every year. The others move: the lunar
(Hijri) holidays of Iran, Turkey's Ramazan and Kurban Bayramı with the half day before each
(work stops at 13:00), Kazakhstan's Kurban Ait, and the closures a government announces. Their
dates come from python-holidays (pinned in pyproject.toml), which follows each country's
official calendar (Iran's time.ir, Turkey's Diyanet) and marks the dates it only computed in
advance as estimated; that mark is kept here, and on the stored holiday, so an admin knows which
dates to check when the government announces them.

Pure Python, no models: `services.holidays` stores what `official_holidays` answers.
Each holiday is known by a stable key (`presets.HOLIDAY_NAMES` names it) and an occurrence that
tells one year's from the next: the Hijri year for a lunar holiday, so that a date corrected by
hand, or moved by a newer python-holidays, is still the same holiday.
"""

import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from importlib.metadata import version

logger = logging.getLogger(__name__)

SOURCE = f"python-holidays {version('holidays')}"
# python-holidays' categories (holidays.constants), named here so that the package, which takes a
# tenth of a second to import, is imported only when holidays are read.
PUBLIC, HALF_DAY = "public", "half_day"
# When a half day's work stops: python-holidays names Turkey's "(from 1pm)".
HALF_DAY_ENDS = time(13)

# How one occurrence of a holiday is told apart from the next.
LUNAR = "lunar"  # by its Hijri year
GREGORIAN = "gregorian"  # by its Gregorian year
ONE_DAY = "day"  # by its date: a closure announced once


@dataclass(frozen=True)
class Moving:
    """A moving holiday of python-holidays as stored here."""

    key: str
    occurrence_by: str = LUNAR
    is_half_day: bool = False


# python-holidays' English names (its en_US translation) of the moving holidays taken, per country.
MOVING: dict[str, dict[str, Moving]] = {
    "IR": {
        "Tasua": Moving("ir.tasua"),
        "Ashura": Moving("ir.ashura"),
        "Arbaeen": Moving("ir.arbaeen"),
        "Death of Prophet Muhammad and Martyrdom of Hasan ibn Ali": Moving("ir.prophet_death"),
        "Martyrdom of Ali al-Rida": Moving("ir.reza_martyrdom"),
        "Martyrdom of Hasan al-Askari": Moving("ir.askari_martyrdom"),
        "Birthday of Muhammad and Imam Ja'far al-Sadiq": Moving("ir.prophet_birthday"),
        "Martyrdom of Fatima": Moving("ir.fatima_martyrdom"),
        "Birthday of Imam Ali": Moving("ir.ali_birthday"),
        "Isra' and Mi'raj": Moving("ir.mabath"),
        "Birthday of Mahdi": Moving("ir.mahdi_birthday"),
        "Martyrdom of Imam Ali": Moving("ir.ali_martyrdom"),
        "Eid al-Fitr": Moving("ir.eid_al_fitr"),
        "Eid al-Fitr Holiday": Moving("ir.eid_al_fitr_holiday"),
        "Martyrdom of Imam Ja'far al-Sadiq": Moving("ir.sadiq_martyrdom"),
        "Eid al-Adha": Moving("ir.eid_al_adha"),
        "Eid al-Ghadir": Moving("ir.eid_al_ghadir"),
        "Public Holiday": Moving("ir.public_holiday", ONE_DAY),
    },
    "TR": {
        "Eid al-Fitr": Moving("tr.ramazan_bayrami"),
        "Eid al-Adha": Moving("tr.kurban_bayrami"),
        "Eid al-Fitr (from 1pm)": Moving("tr.ramazan_arife", is_half_day=True),
        "Eid al-Adha (from 1pm)": Moving("tr.kurban_arife", is_half_day=True),
        "Republic Day (from 1pm)": Moving("tr.republic_eve", GREGORIAN, is_half_day=True),
    },
    "KZ": {
        "Eid al-Adha": Moving("kz.kurban_ait"),
    },
}

# python-holidays' names of the holidays the presets already hold on their fixed dates, and of
# those left out on purpose: Iran's "Last Day of Year" (30 Esfand of a leap year), which the
# preset does not count as a holiday either.
FIXED: dict[str, frozenset[str]] = {
    "IR": frozenset(
        {
            "Islamic Revolution Day",
            "Iranian Oil Industry Nationalization Day",
            "Last Day of Year",
            "Nowruz",
            "Nowruz Holiday",
            "Islamic Republic Day",
            "Nature's Day",
            "Death of Imam Khomeini",
            "15 Khordad Uprising",
        }
    ),
    "TR": frozenset(
        {
            "New Year's Day",
            "National Sovereignty and Children's Day",
            "Labor and Solidarity Day",
            "Commemoration of Atatürk, Youth and Sports Day",
            "Democracy and National Unity Day",
            "Victory Day",
            "Republic Day",
        }
    ),
    "KZ": frozenset(
        {
            "New Year's Day",
            "Orthodox Christmas",
            "International Women's Day",
            "Nowruz Holiday",
            "Kazakhstan's People Solidarity Holiday",
            "Defender of the Fatherland Day",
            "Victory Day",
            "Capital Day",
            "Constitution Day",
            "Republic Day",
            "Independence Day",
        }
    ),
}

# Kazakhstan's transfers ("Day off (substituted from 01/05/2025)") are left out: each moves a
# working day to a Saturday, which python-holidays does not give, so the day off alone would lose
# a working day from the week.
LEFT_OUT_PREFIXES = ("Day off (substituted from",)

COUNTRIES = tuple(MOVING)
# The half days are a category of their own in python-holidays.
CATEGORIES = {"TR": (PUBLIC, HALF_DAY)}


@dataclass(frozen=True)
class OfficialHoliday:
    """One occurrence of a moving holiday: closed from `first` to `last`, or a half day."""

    key: str
    occurrence: str
    first: date
    last: date
    is_estimated: bool
    # A half day: the date's work stops at this time instead of closing.
    ends_at: time | None = None
    source: str = SOURCE


def hijri_year(day: date) -> int:
    """The year of the tabular Islamic calendar a Gregorian date falls in.

    Official calendars may differ from the tabular one by a day or two; no holiday taken here
    lies within a week of a Hijri new year (the nearest are Eid al-Ghadir, 18 Dhu al-Hijjah, and
    Tasua, 9 Muharram), so the year is the official one.
    """
    julian_day = day.toordinal() + 1721425
    return (30 * (julian_day - 1948440) + 10646) // 10631


def _library(country: str, years: Iterable[int]):
    """python-holidays' holidays of a country, English names, estimates marked, no transfers."""
    import holidays as python_holidays

    return python_holidays.country_holidays(
        country,
        years=list(years),
        language="en_US",
        categories=CATEGORIES.get(country, (PUBLIC,)),
        observed=False,
    )


def _names(found, day: date) -> list[tuple[str, bool]]:
    """The names on a date without python-holidays' estimate mark, and whether each had it."""
    prefix, _, suffix = found.tr(found.estimated_label).partition("%s")
    names = []
    for name in found.get_list(day):
        estimated = name.startswith(prefix) and name.endswith(suffix) and bool(prefix or suffix)
        if estimated:
            name = name[len(prefix) : len(name) - len(suffix)]
        names.append((name, estimated))
    return names


def _occurrence(moving: Moving, day: date) -> str:
    if moving.occurrence_by == LUNAR:
        return str(hijri_year(day))
    if moving.occurrence_by == GREGORIAN:
        return str(day.year)
    return day.isoformat()


def official_holidays(country: str, years: Iterable[int]) -> list[OfficialHoliday]:
    """The moving official holidays of a country that touch any of the Gregorian years, by date.

    Days of one holiday in a row (a four-day bayram) are one occurrence; a holiday running over
    New Year's Eve is read whole from the years on both sides.
    """
    country = country.upper()
    wanted = tuple(sorted(set(years)))
    if country not in MOVING or not wanted:
        return []
    return list(_official_holidays(country, wanted))


@functools.lru_cache(maxsize=32)
def _official_holidays(country: str, wanted: tuple[int, ...]) -> tuple[OfficialHoliday, ...]:
    """`official_holidays`, read once per process for the same country and years."""
    found = _library(country, range(wanted[0] - 1, wanted[-1] + 2))
    days: dict[tuple[str, str], list[tuple[date, bool]]] = {}
    moving_of: dict[str, Moving] = {}
    for day in sorted(found):
        for name, estimated in _names(found, day):
            moving = MOVING[country].get(name)
            if moving is None:
                if name not in FIXED[country] and not name.startswith(LEFT_OUT_PREFIXES):
                    logger.warning("python-holidays has %r in %s, not taken.", name, country)
                continue
            moving_of[moving.key] = moving
            days.setdefault((moving.key, _occurrence(moving, day)), []).append((day, estimated))
    result = []
    for (key, occurrence), dated in days.items():
        first, last = dated[0][0], dated[-1][0]
        if (last - first).days + 1 != len(dated):
            # Not one run of days: python-holidays changed its shape; keep each day apart.
            runs = [(day, day, estimated) for day, estimated in dated]
        else:
            runs = [(first, last, any(estimated for _day, estimated in dated))]
        for index, (low, high, estimated) in enumerate(runs):
            if not any(low.year <= year <= high.year for year in wanted):
                continue
            result.append(
                OfficialHoliday(
                    key=key,
                    occurrence=occurrence if len(runs) == 1 else f"{occurrence}.{index + 1}",
                    first=low,
                    last=high,
                    is_estimated=estimated,
                    ends_at=HALF_DAY_ENDS if moving_of[key].is_half_day else None,
                )
            )
    return tuple(sorted(result, key=lambda holiday: (holiday.first, holiday.key)))


def library_names(country: str, years: Iterable[int]) -> set[str]:
    """Every name python-holidays gives a country's holidays in these years (for the tests)."""
    found = _library(country, years)
    return {name for day in found for name, _estimated in _names(found, day)}


def half_day_intervals(weekly: Iterable[tuple[time, time]], *, ends_at: time) -> list:
    """A day's working intervals cut off at `ends_at` (an end of 00:00 is midnight)."""
    cut = timedelta(hours=ends_at.hour, minutes=ends_at.minute)
    kept = []
    for start, end in weekly:
        low = timedelta(hours=start.hour, minutes=start.minute)
        high = (
            timedelta(days=1) if end == time(0) else timedelta(hours=end.hour, minutes=end.minute)
        )
        if low >= cut:
            continue
        kept.append((start, end if high <= cut else ends_at))
    return kept
