"""Official moving holidays on calendars made for a country: added, topped up, corrected."""

import importlib
from datetime import UTC, date, datetime, time

import pytest
from django.utils import timezone

from aftercare.lib.errors import ApplicationError
from aftercare.sla import official
from aftercare.sla.models import BusinessCalendar, DateOverride, Holiday
from aftercare.sla.official import OfficialHoliday
from aftercare.sla.selectors import calendar_to_business
from aftercare.sla.services import (
    calendar_create,
    calendar_create_from_preset,
    calendar_official_holidays_add,
    calendar_update,
    date_override_set,
    holiday_correct,
    holiday_remove,
    official_holidays_top_up,
)
from aftercare.sla.tasks import official_holidays_top_up_task

OFFICE = {weekday: [(time(9), time(17))] for weekday in range(5)}


def _official(calendar) -> list[tuple]:
    """The calendar's official dated holidays: (key, occurrence, first, last, estimated)."""
    return [
        (row.key, row.occurrence, row.start_date, row.end_date, row.is_estimated)
        for row in Holiday.objects.filter(calendar=calendar)
        .exclude(occurrence="")
        .order_by("start_date", "key")
    ]


def _everything(calendar) -> tuple:
    calendar = BusinessCalendar.objects.get(pk=calendar.pk)
    return (
        calendar.version,
        calendar.official_holidays_through,
        list(Holiday.objects.filter(calendar=calendar).order_by("pk").values_list()),
        list(DateOverride.objects.filter(calendar=calendar).order_by("pk").values_list()),
    )


def test_an_iran_calendar_gets_the_lunar_holidays_of_its_years(org):
    calendar = calendar_create_from_preset(organization=org, country="IR", years=[2026])
    assert (calendar.country, calendar.official_holidays_through, calendar.version) == (
        "IR",
        2026,
        1,
    )
    rows = {row.key: row for row in Holiday.objects.filter(calendar=calendar, occurrence="1448")}
    tasua = rows["ir.tasua"]
    assert (tasua.name, tasua.kind, tasua.start_date, tasua.end_date) == (
        "Tasua",
        Holiday.Kind.DATE,
        date(2026, 6, 24),
        None,
    )
    assert (tasua.source, tasua.is_estimated, tasua.source_date, tasua.corrected_at) == (
        "python-holidays 0.108",
        False,
        date(2026, 6, 24),
        None,
    )
    assert rows["ir.ashura"].start_date == date(2026, 6, 25)
    # 25 lunar holidays and the week the government closed in March 2026, beside the preset's 10.
    assert len(_official(calendar)) == 25
    assert Holiday.objects.filter(calendar=calendar, occurrence="").count() == 10
    stored = calendar_to_business(calendar)
    assert stored.is_holiday(date(2026, 6, 24)) and stored.is_holiday(date(2026, 6, 25))


def test_estimates_are_marked_and_named_by_source(org):
    calendar = calendar_create_from_preset(organization=org, country="KZ", years=[2026, 2027])
    assert _official(calendar) == [
        ("kz.kurban_ait", "1447", date(2026, 5, 27), None, True),
        ("kz.kurban_ait", "1448", date(2027, 5, 16), None, True),
    ]
    assert {
        row.source for row in Holiday.objects.filter(calendar=calendar, key="kz.kurban_ait")
    } == {"python-holidays 0.108"}


def test_turkey_gets_bayrams_as_ranges_and_the_eves_as_half_days(org):
    calendar = calendar_create_from_preset(organization=org, country="TR", years=[2026])
    assert _official(calendar) == [
        ("tr.ramazan_bayrami", "1447", date(2026, 3, 20), date(2026, 3, 22), False),
        ("tr.kurban_bayrami", "1447", date(2026, 5, 27), date(2026, 5, 30), False),
    ]
    overrides = DateOverride.objects.filter(calendar=calendar).order_by("date")
    # Thursday 19 March, Tuesday 26 May and Wednesday 28 October: the morning before the lunch
    # break only (work stops at 13:00, the break starts at 12:30).
    assert [(o.date, o.intervals, o.key, o.source) for o in overrides] == [
        (date(2026, 3, 19), [["09:00", "12:30"]], "tr.ramazan_arife", "python-holidays 0.108"),
        (date(2026, 5, 26), [["09:00", "12:30"]], "tr.kurban_arife", "python-holidays 0.108"),
        (date(2026, 10, 28), [["09:00", "12:30"]], "tr.republic_eve", "python-holidays 0.108"),
    ]


def test_a_half_day_on_a_holiday_or_a_weekend_leaves_it_closed(org):
    # 2029: the eve of Kurban Bayramı is Monday 23 April, National Sovereignty Day; 2027: it is
    # Saturday 15 May.
    calendar = calendar_create_from_preset(organization=org, country="TR", years=[2027, 2029])
    days = set(DateOverride.objects.filter(calendar=calendar).values_list("date", flat=True))
    assert date(2029, 4, 23) not in days and date(2027, 5, 15) not in days
    assert date(2029, 2, 13) in days  # the eve of Ramazan Bayramı, a Tuesday
    stored = calendar_to_business(calendar)
    assert stored.local_intervals(date(2029, 4, 23)) == ()


def test_adding_twice_adds_nothing_twice(org):
    calendar = calendar_create_from_preset(organization=org, country="TR", years=[2026])
    before = _everything(calendar)
    result = calendar_official_holidays_add(calendar=calendar, years=[2026])
    assert (result.created, result.updated, result.kept) == (0, 0, 5)
    assert _everything(calendar) == before


def test_a_corrected_date_is_recorded_and_kept_by_later_top_ups(org, alice_admin, monkeypatch):
    calendar = calendar_create_from_preset(organization=org, country="IR", years=[2027])
    tasua = Holiday.objects.get(calendar=calendar, key="ir.tasua")
    assert (tasua.start_date, tasua.is_estimated) == (date(2027, 6, 15), True)
    moment = datetime(2027, 6, 1, 8, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    # The government announces Tasua 1449 on Wednesday 16 June.
    holiday_correct(holiday=tasua, start_date=date(2027, 6, 16), actor=alice_admin)
    tasua.refresh_from_db()
    assert (tasua.start_date, tasua.corrected_by, tasua.corrected_at) == (
        date(2027, 6, 16),
        alice_admin,
        moment,
    )
    assert (tasua.source_date, tasua.is_estimated) == (date(2027, 6, 15), True)
    calendar.refresh_from_db()
    assert calendar.version == 2
    result = calendar_official_holidays_add(calendar=calendar, years=[2027])
    assert result.created == result.updated == 0
    tasua.refresh_from_db()
    assert tasua.start_date == date(2027, 6, 16)
    stored = calendar_to_business(calendar)
    assert stored.is_holiday(date(2027, 6, 16)) and not stored.is_holiday(date(2027, 6, 15))


def test_an_estimate_python_holidays_moves_follows_it_unless_corrected(
    org, alice_admin, monkeypatch
):
    calendar = calendar_create_from_preset(organization=org, country="KZ", years=[2027])
    corrected = calendar_create_from_preset(
        organization=org, country="KZ", name="Corrected", years=[2027]
    )
    holiday_correct(
        holiday=Holiday.objects.get(calendar=corrected, key="kz.kurban_ait"),
        start_date=date(2027, 5, 17),
        actor=alice_admin,
    )
    # A newer python-holidays confirms Kurban Ait 1448 on Saturday 15 May 2027.
    confirmed = OfficialHoliday(
        "kz.kurban_ait", "1448", date(2027, 5, 15), date(2027, 5, 15), False
    )
    monkeypatch.setattr(official, "official_holidays", lambda country, years: [confirmed])
    result = calendar_official_holidays_add(calendar=calendar, years=[2027])
    assert (result.created, result.updated) == (0, 1)
    assert _official(calendar) == [("kz.kurban_ait", "1448", date(2027, 5, 15), None, False)]
    assert calendar_official_holidays_add(calendar=corrected, years=[2027]).updated == 0
    assert _official(corrected) == [("kz.kurban_ait", "1448", date(2027, 5, 17), None, True)]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"start_date": None}, "start_date"),
        ({"start_date": "2027-06-16"}, "start_date"),
        ({"start_date": datetime(2027, 6, 16, tzinfo=UTC)}, "start_date"),
    ],
)
def test_a_bad_correction_names_the_field_and_changes_nothing(org, alice_admin, arguments, field):
    calendar = calendar_create_from_preset(organization=org, country="IR", years=[2027])
    before = _everything(calendar)
    tasua = Holiday.objects.get(calendar=calendar, key="ir.tasua")
    with pytest.raises(ApplicationError) as error:
        holiday_correct(holiday=tasua, actor=alice_admin, **arguments)
    assert error.value.field == field
    assert _everything(calendar) == before


def test_a_range_is_corrected_whole_and_must_not_end_before_it_starts(org, alice_admin):
    calendar = calendar_create_from_preset(organization=org, country="TR", years=[2027])
    bayram = Holiday.objects.get(calendar=calendar, key="tr.kurban_bayrami")
    assert (bayram.start_date, bayram.end_date) == (date(2027, 5, 16), date(2027, 5, 19))
    with pytest.raises(ApplicationError) as error:
        holiday_correct(
            holiday=bayram,
            start_date=date(2027, 5, 17),
            end_date=date(2027, 5, 16),
            actor=alice_admin,
        )
    assert error.value.field == "end_date"
    holiday_correct(
        holiday=bayram, start_date=date(2027, 5, 17), end_date=date(2027, 5, 20), actor=alice_admin
    )
    bayram.refresh_from_db()
    assert (bayram.start_date, bayram.end_date, bayram.corrected_by) == (
        date(2027, 5, 17),
        date(2027, 5, 20),
        alice_admin,
    )


def test_a_holiday_of_every_year_has_no_date_to_correct(org, alice_admin):
    calendar = calendar_create_from_preset(organization=org, country="IR", years=[2027])
    nowruz = Holiday.objects.filter(calendar=calendar, key="ir.nowruz").first()
    with pytest.raises(ApplicationError) as error:
        holiday_correct(holiday=nowruz, start_date=date(2027, 3, 21), actor=alice_admin)
    assert error.value.field == "start_date"


def test_the_yearly_top_up_adds_next_year_once_and_leaves_removed_holidays_out(org):
    calendar = calendar_create_from_preset(organization=org, country="KZ", years=[2026])
    other = calendar_create(organization=org, name="Office", time_zone="UTC", weekly=OFFICE)
    holiday_remove(holiday=Holiday.objects.get(calendar=calendar, key="kz.kurban_ait"))
    # On 1 January 2027 it adds 2027 and 2028, not 2026 again (its Kurban Ait was removed).
    assert official_holidays_top_up(today=date(2027, 1, 1)) == 2
    assert _official(calendar) == [
        ("kz.kurban_ait", "1448", date(2027, 5, 16), None, True),
        ("kz.kurban_ait", "1449", date(2028, 5, 5), None, True),
    ]
    calendar.refresh_from_db()
    assert calendar.official_holidays_through == 2028
    before = _everything(calendar)
    assert official_holidays_top_up(today=date(2027, 2, 1)) == 0
    assert _everything(calendar) == before
    # A calendar made for no country gets nothing.
    assert not Holiday.objects.filter(calendar=other).exists()


def test_the_top_up_task_runs_the_service(org):
    calendar = calendar_create_from_preset(organization=org, country="KZ", years=[2020])
    assert official_holidays_top_up_task.call() == 2
    calendar.refresh_from_db()
    assert calendar.official_holidays_through == timezone.localdate().year + 1


def test_the_top_up_task_is_on_the_schedule(monkeypatch):
    """Read on a scheduler of its own: other tests may have started and stopped the shared one."""
    import crontask

    import aftercare.sla.tasks

    fresh = crontask.LazyBlockingScheduler()
    monkeypatch.setattr(crontask, "scheduler", fresh)
    importlib.reload(aftercare.sla.tasks)
    (job,) = [job for job in fresh.get_jobs() if job.name.endswith("official_holidays_top_up_task")]
    trigger = str(job.trigger)
    assert "month='*'" in trigger and "day='1'" in trigger and "hour='4'" in trigger


def test_a_calendar_made_for_no_country_is_refused(org):
    calendar = calendar_create(organization=org, name="Office", time_zone="UTC", weekly=OFFICE)
    with pytest.raises(ApplicationError) as error:
        calendar_official_holidays_add(calendar=calendar, years=[2026])
    assert error.value.field == "country"
    assert not Holiday.objects.exists()


@pytest.mark.parametrize("years", [[], [1850], [2026, 3000]])
def test_years_out_of_range_are_refused(org, years):
    calendar = calendar_create_from_preset(organization=org, country="KZ", years=[2026])
    before = _everything(calendar)
    with pytest.raises(ApplicationError) as error:
        calendar_official_holidays_add(calendar=calendar, years=years)
    assert error.value.field == "years"
    assert _everything(calendar) == before


def test_an_existing_calendar_follows_a_country_once_told(org):
    calendar = calendar_create(
        organization=org, name="Tehran", time_zone="Asia/Tehran", weekly=OFFICE
    )
    calendar = calendar_update(calendar=calendar, country="ir")
    assert (calendar.country, calendar.version) == ("IR", 2)
    result = calendar_official_holidays_add(calendar=calendar, years=[2026])
    assert result.created == 25
    calendar.refresh_from_db()
    assert (calendar.official_holidays_through, calendar.version) == (2026, 3)
    # Another country starts its years afresh.
    calendar = calendar_update(calendar=calendar, country="TR")
    assert calendar.official_holidays_through is None
    with pytest.raises(ApplicationError) as error:
        calendar_update(calendar=calendar, country="FR")
    assert error.value.field == "country"


def test_an_admins_own_hours_on_an_eve_stand(org):
    calendar = calendar_create_from_preset(organization=org, country="TR", years=[2025])
    date_override_set(calendar=calendar, date=date(2026, 5, 26), intervals=[], note="Inventory")
    result = calendar_official_holidays_add(calendar=calendar, years=[2026])
    override = DateOverride.objects.get(calendar=calendar, date=date(2026, 5, 26))
    assert (override.intervals, override.note, override.key) == ([], "Inventory", "")
    assert result.created == 4  # two bayrams, the eve of Ramazan Bayramı and 28 October
