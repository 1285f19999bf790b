"""What python-holidays gives for the moving holidays of Iran, Turkey and Kazakhstan, 2026-2030."""

from datetime import date, time

import pytest

from aftercare.sla import official
from aftercare.sla.official import OfficialHoliday, hijri_year
from aftercare.sla.presets import HOLIDAY_NAMES

YEARS = range(2026, 2031)


def _by_key(country: str, years) -> dict[str, list[OfficialHoliday]]:
    found: dict[str, list[OfficialHoliday]] = {}
    for holiday in official.official_holidays(country, years):
        found.setdefault(holiday.key, []).append(holiday)
    return found


def test_the_pinned_python_holidays_is_the_source():
    from holidays.constants import HALF_DAY, PUBLIC

    assert official.SOURCE == "python-holidays 0.108"
    assert (official.PUBLIC, official.HALF_DAY) == (PUBLIC, HALF_DAY)


@pytest.mark.parametrize("country", official.COUNTRIES)
def test_every_name_python_holidays_gives_is_taken_or_a_fixed_one(country):
    # A newer python-holidays with a holiday of a new name fails here rather than dropping it.
    names = official.library_names(country, YEARS)
    known = set(official.MOVING[country]) | official.FIXED[country]
    assert names - known == set()
    assert set(official.MOVING[country]) <= names


def test_every_key_has_a_name_to_translate():
    keys = {moving.key for table in official.MOVING.values() for moving in table.values()}
    assert keys <= set(HOLIDAY_NAMES)


def test_tasua_and_ashura_1405_as_iran_has_them():
    # python-holidays' Iran data (IranIslamicHolidays, confirmed through 2026 from time.ir):
    # 9 and 10 Muharram 1448 are Wednesday 24 and Thursday 25 June 2026, 3 and 4 Tir 1405.
    found = _by_key("IR", [2026])
    assert [(h.first, h.last, h.occurrence, h.is_estimated) for h in found["ir.tasua"]] == [
        (date(2026, 6, 24), date(2026, 6, 24), "1448", False)
    ]
    assert [(h.first, h.occurrence, h.is_estimated) for h in found["ir.ashura"]] == [
        (date(2026, 6, 25), "1448", False)
    ]


def test_iran_lunar_holidays_after_2026_are_estimates():
    found = _by_key("IR", [2027])
    assert [(h.first, h.is_estimated) for h in found["ir.tasua"]] == [(date(2027, 6, 15), True)]
    assert [(h.first, h.is_estimated) for h in found["ir.eid_al_fitr"]] == [
        (date(2027, 3, 10), True)
    ]
    assert all(h.is_estimated for holidays in found.values() for h in holidays)


def test_iran_has_every_official_lunar_holiday_each_year():
    for year in YEARS:
        found = _by_key("IR", [year])
        lunar = {key for key in found if key != "ir.public_holiday"}
        # Imam Ali's birthday and Mab'ath can fall twice in one Gregorian year (2026: 3 January
        # and 23 December); every other of the seventeen is there at least once.
        assert len(lunar) == 17, (year, sorted(lunar))


def test_a_holiday_twice_in_one_gregorian_year_is_two_occurrences():
    birthdays = _by_key("IR", [2026])["ir.ali_birthday"]
    assert [(h.first, h.occurrence) for h in birthdays] == [
        (date(2026, 1, 3), "1447"),
        (date(2026, 12, 23), "1448"),
    ]


def test_turkey_bayrams_are_runs_of_days_with_a_half_day_before_each():
    found = _by_key("TR", [2026])
    # Diyanet's dates: Ramazan Bayramı 20-22 March, Kurban Bayramı 27-30 May 2026; the day
    # before each (arife) and 28 October work stops at 13:00.
    assert [(h.first, h.last, h.ends_at) for h in found["tr.ramazan_bayrami"]] == [
        (date(2026, 3, 20), date(2026, 3, 22), None)
    ]
    assert [(h.first, h.last, h.ends_at) for h in found["tr.kurban_bayrami"]] == [
        (date(2026, 5, 27), date(2026, 5, 30), None)
    ]
    assert [(h.first, h.ends_at) for h in found["tr.ramazan_arife"]] == [
        (date(2026, 3, 19), time(13))
    ]
    assert [(h.first, h.ends_at) for h in found["tr.kurban_arife"]] == [
        (date(2026, 5, 26), time(13))
    ]
    assert [(h.first, h.occurrence) for h in found["tr.republic_eve"]] == [
        (date(2026, 10, 28), "2026")
    ]
    # Diyanet publishes its dates years ahead: none of them is an estimate.
    assert not any(h.is_estimated for holidays in found.values() for h in holidays)


def test_kazakhstan_kurban_ait_2026_is_an_estimate():
    assert [
        (h.first, h.last, h.occurrence, h.is_estimated)
        for h in official.official_holidays("KZ", [2026])
    ] == [(date(2026, 5, 27), date(2026, 5, 27), "1447", True)]


def test_a_country_without_moving_holidays_has_none():
    assert official.official_holidays("DE", [2026]) == []
    assert official.official_holidays("IR", []) == []


def test_hijri_years_of_known_dates():
    # 1 Muharram 1448 fell on 16 or 17 June 2026 (depending on the moon sighting).
    assert hijri_year(date(2026, 6, 15)) == 1447
    assert hijri_year(date(2026, 6, 24)) == 1448
    assert hijri_year(date(2027, 6, 16)) == 1449
    assert hijri_year(date(622, 7, 20)) == 1


def test_half_day_cuts_the_working_intervals_at_the_hour():
    turkish = [(time(9), time(12, 30)), (time(13, 30), time(18))]
    assert official.half_day_intervals(turkish, ends_at=time(13)) == [(time(9), time(12, 30))]
    assert official.half_day_intervals([(time(8), time(16))], ends_at=time(13)) == [
        (time(8), time(13))
    ]
    assert official.half_day_intervals([(time(14), time(0))], ends_at=time(13)) == []
    assert official.half_day_intervals([(time(9), time(0))], ends_at=time(13)) == [
        (time(9), time(13))
    ]
