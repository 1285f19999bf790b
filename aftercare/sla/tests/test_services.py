from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from aftercare.lib.errors import ApplicationError
from aftercare.sla import businesstime, official, presets
from aftercare.sla.businesstime import business_add, business_elapsed
from aftercare.sla.models import (
    BusinessCalendar,
    DateOverride,
    EscalationRule,
    Holiday,
    SlaPolicy,
    WorkingInterval,
)
from aftercare.sla.selectors import (
    calendar_default,
    calendar_get,
    calendar_list,
    calendar_to_business,
    sla_configuration_stamp,
    sla_snapshot,
)
from aftercare.sla.services import (
    calendar_create,
    calendar_create_from_preset,
    calendar_import_ics,
    calendar_set_default,
    calendar_set_weekly,
    calendar_update,
    date_override_remove,
    date_override_set,
    escalation_rule_create,
    holiday_add,
    holiday_remove,
    sla_policy_create,
    sla_policy_update,
)

OFFICE = {weekday: [(time(9), time(17))] for weekday in range(5)}


def _office(organization, name="Office", **extra):
    return calendar_create(
        organization=organization, name=name, time_zone="Europe/Istanbul", weekly=OFFICE, **extra
    )


def _snapshot(calendar):
    """Everything stored about a calendar, to show a failed change left it alone."""
    calendar = BusinessCalendar.objects.get(pk=calendar.pk)
    return (
        calendar.name,
        calendar.time_zone,
        calendar.is_default,
        calendar.version,
        list(WorkingInterval.objects.filter(calendar=calendar).values_list()),
        list(Holiday.objects.filter(calendar=calendar).values_list()),
        list(DateOverride.objects.filter(calendar=calendar).values_list()),
    )


@pytest.mark.parametrize(
    ("country", "factory", "time_zone", "holiday_count"),
    [
        ("IR", presets.iran, "Asia/Tehran", 10),
        ("TR", presets.turkey, "Europe/Istanbul", 7),
        ("KZ", presets.kazakhstan, "Asia/Almaty", 14),
    ],
)
def test_preset_copy_equals_the_preset(org, country, factory, time_zone, holiday_count):
    calendar = calendar_create_from_preset(organization=org, country=country, years=[2026])
    assert calendar.time_zone == time_zone
    fixed = Holiday.objects.filter(calendar=calendar, occurrence="")
    assert fixed.count() == holiday_count
    assert set(fixed.values_list("key", flat=True)) == {
        key for key, _holiday in presets.FIXED_HOLIDAYS[country]
    }
    stored = calendar_to_business(calendar)
    preset = factory()
    assert (stored.time_zone, stored.weekly) == (preset.time_zone, preset.weekly)
    yearly = (businesstime.YearlyHoliday, businesstime.JalaliYearlyHoliday)
    assert tuple(h for h in stored.holidays if isinstance(h, yearly)) == preset.holidays
    # Beside them, the official moving holidays of the year asked for.
    dated = sorted(
        (h.day, h.day) if isinstance(h, businesstime.DateHoliday) else (h.first, h.last)
        for h in stored.holidays
        if not isinstance(h, yearly)
    )
    moving = official.official_holidays(country, [2026])
    assert dated == [(h.first, h.last) for h in moving if h.ends_at is None]


@pytest.mark.parametrize(
    ("country", "factory", "start"),
    [
        # Tuesday 18 March 2025 in Tehran, just before Nowruz (1 Farvardin 1404 = 21 March).
        ("IR", presets.iran, datetime(2025, 3, 18, 10, 0, tzinfo=UTC)),
        # Thursday 28 October 2027, the day before Republic Day.
        ("TR", presets.turkey, datetime(2027, 10, 28, 12, 0, tzinfo=UTC)),
        # Thursday 20 March 2025, the day before Nauryz.
        ("KZ", presets.kazakhstan, datetime(2025, 3, 20, 8, 0, tzinfo=UTC)),
    ],
)
def test_preset_copy_adds_business_time_like_the_preset(org, country, factory, start):
    # The moving holidays of 2026 stay out of the way of these dates.
    calendar = calendar_create_from_preset(organization=org, country=country, years=[2026])
    stored = calendar_to_business(calendar)
    preset = factory()
    for hours in (1, 8, 24, 40):
        duration = timedelta(hours=hours)
        due = business_add(stored, start=start, duration=duration)
        assert due == business_add(preset, start=start, duration=duration)
        assert business_elapsed(stored, start=start, end=due) == duration


def test_nowruz_is_closed_in_the_stored_iran_calendar(org):
    stored = calendar_to_business(calendar_create_from_preset(organization=org, country="IR"))
    # Tuesday 18 March 2025, 15:00 Tehran (11:30 UTC): one hour left that day. Wednesday
    # 19 March (29 Esfand) is Oil Nationalization Day, Thursday 20 March gives 08:00-13:00,
    # Friday 21 is the weekend and Nowruz, 22-24 March are Nowruz; the last half hour is
    # Tuesday 25 March 08:00-08:30 Tehran.
    start = datetime(2025, 3, 18, 11, 30, tzinfo=UTC)
    due = business_add(stored, start=start, duration=timedelta(hours=6, minutes=30))
    assert due == datetime(2025, 3, 25, 5, 0, tzinfo=UTC)


def test_create_stores_weekly_hours_and_names_preset(org):
    calendar = calendar_create_from_preset(organization=org, country="tr", name="Istanbul office")
    assert calendar.name == "Istanbul office"
    assert calendar.version == 1
    assert not calendar.is_default
    rows = WorkingInterval.objects.filter(calendar=calendar, weekday=0)
    assert [(row.start_time, row.end_time) for row in rows] == [
        (time(9), time(12, 30)),
        (time(13, 30), time(18)),
    ]
    assert not WorkingInterval.objects.filter(calendar=calendar, weekday__in=[5, 6]).exists()
    assert Holiday.objects.get(calendar=calendar, month=10, day=29).name == "Republic Day"
    assert {row.organization_id for row in Holiday.objects.filter(calendar=calendar)} == {org.pk}


def test_unknown_preset_country_is_a_field_error(org):
    with pytest.raises(ApplicationError) as error:
        calendar_create_from_preset(organization=org, country="FR")
    assert error.value.field == "country"
    assert not BusinessCalendar.objects.exists()


def test_every_change_bumps_the_version(org):
    calendar = _office(org)
    assert calendar.version == 1
    calendar = calendar_set_weekly(calendar=calendar, weekly={0: [(time(8), time(0))]})
    assert calendar.version == 2
    holiday = holiday_add(
        calendar=calendar, name="Founders", kind="date", start_date=date(2026, 5, 4)
    )
    calendar.refresh_from_db()
    assert calendar.version == 3
    override = date_override_set(calendar=calendar, date=date(2026, 5, 9), intervals=[])
    calendar.refresh_from_db()
    assert calendar.version == 4
    holiday_remove(holiday=holiday)
    date_override_remove(override=override)
    calendar = calendar_set_default(calendar=calendar)
    assert calendar.version == 7
    assert BusinessCalendar.objects.get(pk=calendar.pk).version == 7


def test_weekly_hours_replace_the_old_ones_and_reach_the_arithmetic(org):
    calendar = _office(org)
    calendar_set_weekly(
        calendar=calendar, weekly={2: [(time(13), time(17)), (time(8), time(12))], 6: []}
    )
    stored = calendar_to_business(calendar)
    assert stored.weekly[0] == ()
    assert stored.weekly[2] == ((time(8), time(12)), (time(13), time(17)))
    assert WorkingInterval.objects.filter(calendar=calendar).count() == 2


def test_one_default_per_organization(org, other_org):
    first = _office(org, name="First", is_default=True)
    other = _office(other_org, name="First", is_default=True)
    second = _office(org, name="Second", is_default=True)
    first.refresh_from_db()
    assert not first.is_default
    assert first.version == 2
    assert calendar_default(organization=org) == second
    calendar_set_default(calendar=first)
    assert calendar_default(organization=org) == first
    assert list(BusinessCalendar.objects.filter(is_default=True).order_by("pk")) == [first, other]
    assert calendar_default(organization=other_org) == other


def test_setting_the_default_again_changes_nothing(org):
    calendar = _office(org, is_default=True)
    assert calendar_set_default(calendar=calendar).version == 1


def test_no_default_until_one_is_chosen(org):
    _office(org)
    assert calendar_default(organization=org) is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "Office"}, "name"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"time_zone": ""}, "time_zone"),
        ({"weekly": {7: [(time(9), time(17))]}}, "weekly"),
        ({"weekly": {0: [(time(17), time(9))]}}, "weekly"),
        ({"weekly": {0: [(time(9), time(9))]}}, "weekly"),
        ({"weekly": {0: [(time(9), time(13)), (time(12), time(17))]}}, "weekly"),
        ({"weekly": {0: [(time(9),)]}}, "weekly"),
        ({"weekly": {0: [("09:00", "17:00")]}}, "weekly"),
        ({"weekly": {0: [(time(9, 0, 30), time(17))]}}, "weekly"),
    ],
)
def test_create_validation_names_the_field_and_creates_nothing(org, changes, field):
    existing = _office(org, is_default=True)
    before = _snapshot(existing)
    arguments = {"name": "New", "time_zone": "Asia/Tehran", "weekly": OFFICE, "is_default": True}
    with pytest.raises(ApplicationError) as error:
        calendar_create(organization=org, **(arguments | changes))
    assert error.value.field == field
    assert list(BusinessCalendar.objects.all()) == [existing]
    assert _snapshot(existing) == before


def test_set_weekly_validation_changes_nothing(org):
    calendar = _office(org)
    before = _snapshot(calendar)
    with pytest.raises(ApplicationError) as error:
        calendar_set_weekly(calendar=calendar, weekly={0: [(time(18), time(8))]})
    assert error.value.field == "weekly"
    assert _snapshot(calendar) == before


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"kind": "weekly"}, "kind"),
        ({"kind": "date"}, "start_date"),
        ({"kind": "range", "start_date": date(2026, 1, 5)}, "end_date"),
        (
            {"kind": "range", "start_date": date(2026, 1, 5), "end_date": date(2026, 1, 4)},
            "end_date",
        ),
        ({"kind": "yearly_gregorian", "day": 1}, "month"),
        ({"kind": "yearly_gregorian", "month": 13, "day": 1}, "month"),
        ({"kind": "yearly_gregorian", "month": 2, "day": 30}, "day"),
        ({"kind": "yearly_jalali", "month": 7, "day": 31}, "day"),
        ({"kind": "yearly_jalali", "month": 1}, "day"),
        ({"kind": "date", "start_date": date(2026, 1, 5), "name": ""}, "name"),
    ],
)
def test_holiday_validation_names_the_field_and_changes_nothing(org, arguments, field):
    calendar = _office(org)
    before = _snapshot(calendar)
    with pytest.raises(ApplicationError) as error:
        holiday_add(calendar=calendar, **({"name": "Holiday"} | arguments))
    assert error.value.field == field
    assert _snapshot(calendar) == before


def test_holidays_of_every_kind_close_their_dates(org):
    calendar = _office(org)
    holiday_add(calendar=calendar, name="Bridge", kind="date", start_date=date(2026, 1, 5))
    holiday_add(
        calendar=calendar,
        name="Ramazan Bayramı",
        kind="range",
        start_date=date(2026, 3, 19),
        end_date=date(2026, 3, 20),
        month=3,
    )
    holiday_add(calendar=calendar, name="Leap", kind="yearly_gregorian", month=2, day=29)
    holiday_add(calendar=calendar, name="Nowruz", kind="yearly_jalali", month=1, day=1)
    assert Holiday.objects.get(name="Ramazan Bayramı").month is None
    stored = calendar_to_business(calendar)
    closed = [
        date(2026, 1, 5),
        date(2026, 3, 19),
        date(2026, 3, 20),
        date(2028, 2, 29),
        date(2026, 3, 21),
    ]
    assert all(stored.is_holiday(day) for day in closed)
    assert not stored.is_holiday(date(2026, 1, 6))
    assert not stored.is_holiday(date(2026, 3, 18))


def test_removing_a_holiday_opens_the_date_again(org):
    calendar = _office(org)
    holiday = holiday_add(
        calendar=calendar, name="Bridge", kind="date", start_date=date(2026, 1, 5)
    )
    holiday_remove(holiday=holiday)
    assert not Holiday.objects.exists()
    assert not calendar_to_business(calendar).is_holiday(date(2026, 1, 5))


def test_date_override_opens_a_saturday_and_replaces_itself(org):
    calendar = _office(org)
    saturday = date(2026, 5, 9)
    date_override_set(
        calendar=calendar, date=saturday, intervals=[(time(10), time(14))], note="Campaign"
    )
    override = date_override_set(
        calendar=calendar, date=saturday, intervals=[(time(20), time(0)), (time(10), time(12))]
    )
    assert DateOverride.objects.get() == override
    assert override.intervals == [["10:00", "12:00"], ["20:00", "00:00"]]
    assert override.note == ""
    stored = calendar_to_business(calendar)
    assert stored.local_intervals(saturday) == ((time(10), time(12)), (time(20), time(0)))
    # Saturday 10:00 Istanbul (07:00 UTC) plus three hours: 10-12, then 20-21.
    start = datetime(2026, 5, 9, 7, 0, tzinfo=UTC)
    assert business_add(stored, start=start, duration=timedelta(hours=3)) == datetime(
        2026, 5, 9, 18, 0, tzinfo=UTC
    )


def test_empty_override_closes_a_working_day(org):
    calendar = _office(org)
    date_override_set(calendar=calendar, date=date(2026, 5, 4), intervals=[], note="Stocktake")
    assert calendar_to_business(calendar).local_intervals(date(2026, 5, 4)) == ()


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"intervals": [(time(14), time(10))]}, "intervals"),
        ({"intervals": [(time(9), time(0)), (time(10), time(11))]}, "intervals"),
        ({"intervals": [["10:00", "12:00"]]}, "intervals"),
        ({"intervals": [], "date": datetime(2026, 5, 9, tzinfo=UTC)}, "date"),
        ({"intervals": [], "note": "x" * 201}, "note"),
    ],
)
def test_date_override_validation_changes_nothing(org, arguments, field):
    calendar = _office(org)
    before = _snapshot(calendar)
    with pytest.raises(ApplicationError) as error:
        date_override_set(calendar=calendar, **({"date": date(2026, 5, 9)} | arguments))
    assert error.value.field == field
    assert _snapshot(calendar) == before


def test_calendars_of_another_organization_are_not_found(org, other_org):
    mine = _office(org)
    theirs = _office(other_org, name="Theirs")
    assert calendar_get(organization=org, calendar_id=mine.pk) == mine
    with pytest.raises(Http404):
        calendar_get(organization=org, calendar_id=theirs.pk)
    assert calendar_list(organization=org) == [mine]
    assert calendar_default(organization=org) is None


def test_same_name_is_fine_in_another_organization(org, other_org):
    _office(org)
    assert _office(other_org).organization == other_org


def test_calendar_to_business_query_count_is_constant(org):
    calendar = _office(org)
    date_override_set(calendar=calendar, date=date(2026, 5, 9), intervals=[(time(10), time(14))])
    holiday_add(calendar=calendar, name="Day 0", kind="yearly_gregorian", month=1, day=1)
    with CaptureQueriesContext(connection) as one:
        calendar_to_business(calendar)
    for number in range(1, 30):
        holiday_add(
            calendar=calendar,
            name=f"Day {number}",
            kind="date",
            start_date=date(2026, 1, 1) + timedelta(days=number),
        )
        date_override_set(
            calendar=calendar, date=date(2026, 6, 1) + timedelta(days=number), intervals=[]
        )
    with CaptureQueriesContext(connection) as thirty:
        stored = calendar_to_business(calendar)
    assert len(stored.holidays) == 30
    assert len(one) == len(thirty) == 3


# iCalendar import ---------------------------------------------------------------------------

DATA = Path(__file__).parent / "data"


def test_ics_import_adds_dated_ranges_and_yearly_holidays_once(org):
    calendar = _office(org)
    data = (DATA / "tr-holidays-2026.ics").read_bytes()
    result = calendar_import_ics(calendar=calendar, data=data)
    assert (result.created, result.skipped) == (5, 0)
    rows = {
        (row.name, row.kind, row.start_date, row.end_date, row.month, row.day)
        for row in Holiday.objects.filter(calendar=calendar)
    }
    assert rows == {
        ("Ramazan Bayramı", "range", date(2026, 3, 20), date(2026, 3, 22), None, None),
        ("Kurban Bayramı", "range", date(2026, 5, 27), date(2026, 5, 30), None, None),
        ("Kurban Bayramı Arifesi", "date", date(2026, 5, 26), None, None, None),
        ("Cumhuriyet Bayramı", "yearly_gregorian", None, None, 10, 29),
        # A timed event closes the date it falls on, in the calendar's zone.
        ("Staff meeting", "date", date(2026, 6, 10), None, None, None),
    }
    stored = calendar_to_business(calendar)
    assert stored.is_holiday(date(2026, 3, 22)) and not stored.is_holiday(date(2026, 3, 23))
    assert stored.is_holiday(date(2031, 10, 29))
    again = calendar_import_ics(calendar=calendar, data=data)
    assert (again.created, again.skipped) == (0, 5)
    assert Holiday.objects.filter(calendar=calendar).count() == 5


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a calendar",
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
        b"x" * 2_000_000,
    ],
)
def test_ics_import_refuses_what_is_not_a_holiday_calendar(org, data):
    calendar = _office(org)
    before = _snapshot(calendar)
    with pytest.raises(ApplicationError) as error:
        calendar_import_ics(calendar=calendar, data=data)
    assert error.value.field == "file"
    assert _snapshot(calendar) == before


def test_calendar_rename_and_zone_change(org):
    calendar = _office(org)
    _office(org, name="Taken")
    calendar = calendar_update(calendar=calendar, name="Tehran office", time_zone="Asia/Tehran")
    assert (calendar.name, calendar.time_zone, calendar.version) == (
        "Tehran office",
        "Asia/Tehran",
        2,
    )
    for changes, field in [({"name": "Taken"}, "name"), ({"time_zone": "Nowhere"}, "time_zone")]:
        before = _snapshot(calendar)
        with pytest.raises(ApplicationError) as error:
            calendar_update(calendar=calendar, **changes)
        assert error.value.field == field
        assert _snapshot(calendar) == before


# SLA policies and escalation rules ----------------------------------------------------------


def test_every_sla_change_bumps_the_configuration(org):
    assert sla_configuration_stamp(organization_id=org.pk) == (0, "")
    calendar = _office(org)
    first = sla_configuration_stamp(organization_id=org.pk)
    policy = sla_policy_create(organization=org, name="Standard", first_response_minutes=60)
    sla_policy_update(policy=policy, resolution_minutes=600)
    escalation_rule_create(organization=org, name="Tell", threshold="breach", notify_assignee=True)
    holiday_add(calendar=calendar, name="Day", kind="date", start_date=date(2026, 1, 1))
    version, stamp = sla_configuration_stamp(organization_id=org.pk)
    assert version == first[0] + 4 and stamp != first[1]
    snapshot = sla_snapshot(organization_id=org.pk)
    assert [p.name for p in snapshot.policies] == ["Standard"]
    assert snapshot.policies[0].targets == {
        "first_response": 3600,
        "next_response": None,
        "resolution": 36000,
    }
    assert sla_snapshot(organization_id=org.pk) is snapshot


def test_policies_are_ordered_and_positions_can_move(org):
    first = sla_policy_create(organization=org, name="A", first_response_minutes=60)
    second = sla_policy_create(organization=org, name="B", first_response_minutes=60)
    assert (first.position, second.position) == (10, 20)
    sla_policy_update(policy=second, position=5)
    assert list(SlaPolicy.objects.filter(organization=org)) == [second, first]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "Taken"}, "name"),
        ({"first_response_minutes": None}, "first_response_minutes"),
        ({"first_response_minutes": 0}, "first_response_minutes"),
        ({"resolution_minutes": 10**7}, "resolution_minutes"),
        ({"priorities": [9]}, "priorities"),
        ({"kinds": ["teleport"]}, "kinds"),
        ({"channels": ["pigeon"]}, "channels"),
        ({"customer_tiers": ["gold"]}, "customer_tiers"),
        ({"pause_statuses": ["open"]}, "pause_statuses"),
        ({"warning_percent": 100}, "warning_percent"),
        ({"position": -1}, "position"),
    ],
)
def test_policy_validation_names_the_field_and_creates_nothing(org, changes, field):
    sla_policy_create(organization=org, name="Taken", first_response_minutes=60)
    version = sla_configuration_stamp(organization_id=org.pk)
    arguments = {"name": "New", "first_response_minutes": 60} | changes
    with pytest.raises(ApplicationError) as error:
        sla_policy_create(organization=org, **arguments)
    assert error.value.field == field
    assert list(SlaPolicy.objects.values_list("name", flat=True)) == ["Taken"]
    assert sla_configuration_stamp(organization_id=org.pk) == version


def test_policy_refuses_another_organizations_calendar_and_products(org, other_org):
    from aftercare.catalog.services import product_model_create

    theirs = _office(other_org, name="Theirs")
    product = product_model_create(organization=other_org, name="X", sku="X")
    for changes, field in [
        ({"calendar": theirs}, "calendar_id"),
        ({"product_models": [product]}, "product_model_ids"),
    ]:
        with pytest.raises(ApplicationError) as error:
            sla_policy_create(organization=org, name="P", first_response_minutes=5, **changes)
        assert error.value.field == field
    assert not SlaPolicy.objects.exists()


def test_policy_update_validation_changes_nothing(org):
    policy = sla_policy_create(organization=org, name="P", first_response_minutes=60)
    with pytest.raises(ApplicationError) as error:
        sla_policy_update(policy=policy, first_response_minutes=None)
    assert error.value.field == "first_response_minutes"
    policy.refresh_from_db()
    assert (policy.first_response_minutes, policy.version) == (60, 1)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"threshold": "later"}, "threshold"),
        ({"metric": "speed"}, "metric"),
        ({"delay_minutes": -5}, "delay_minutes"),
        ({"level": 0}, "level"),
        ({"raise_priority_to": 7}, "raise_priority_to"),
        ({"notify_supervisors": False}, "notify_supervisors"),
    ],
)
def test_escalation_rule_validation_names_the_field(org, changes, field):
    arguments = {"name": "Rule", "threshold": "breach", "notify_supervisors": True} | changes
    with pytest.raises(ApplicationError) as error:
        escalation_rule_create(organization=org, **arguments)
    assert error.value.field == field
    assert not EscalationRule.objects.exists()


def test_escalation_rule_refuses_outsiders(org, other_org, charlie_other_org):
    from aftercare.accounts.services import team_create

    team = team_create(organization=other_org, name="Theirs")
    for changes, field in [
        ({"notify_user": charlie_other_org}, "notify_user_id"),
        ({"reassign_team": team}, "reassign_team_id"),
    ]:
        with pytest.raises(ApplicationError) as error:
            escalation_rule_create(organization=org, name="R", threshold="breach", **changes)
        assert error.value.field == field
    assert not EscalationRule.objects.exists()
