"""Console settings for business calendars and SLA policies, through the HTTP client."""

import re
from datetime import date, time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.lib.testing import field_error
from aftercare.sla.models import BusinessCalendar, DateOverride, Holiday, SlaPolicy
from aftercare.sla.services import (
    calendar_create,
    calendar_create_from_preset,
    date_override_set,
    holiday_add,
    sla_policy_create,
)

DATA = Path(__file__).parent / "data"
OFFICE = {day: [(time(9), time(17))] for day in range(5)}


@pytest.fixture
def calendar(org):
    return calendar_create(organization=org, name="Office", time_zone="Asia/Tehran", weekly=OFFICE)


def _weekly(calendar) -> list[tuple]:
    return sorted(calendar.working_intervals.values_list("weekday", "start_time", "end_time"))


def test_create_a_calendar_from_the_iran_preset(supervisor_client, org):
    response = supervisor_client.post(
        reverse("sla:settings_calendar_create"), {"preset": "IR", "is_default": "on"}
    )
    calendar = BusinessCalendar.objects.get(organization=org)
    assert response.status_code == 302
    assert response["Location"] == reverse("sla:settings_calendar", args=[calendar.pk])
    assert (calendar.name, calendar.time_zone, calendar.is_default) == ("Iran", "Asia/Tehran", True)
    page = supervisor_client.get(response["Location"]).content.decode()
    assert "Nowruz" in page
    assert 'value="08:00-16:00"' in page  # Saturday


def test_weekly_hours_are_typed_one_line_per_day(supervisor_client, calendar):
    url = reverse("sla:settings_calendar", args=[calendar.pk])
    data = {
        "name": "Tehran office",
        "time_zone": "Asia/Tehran",
        "weekday_5": "08:00-12:00, ۱۳:۰۰-۱۷:۰۰",
    }
    data |= {f"weekday_{day}": "08:00-16:00" for day in (6, 0, 1, 2)} | {"weekday_3": "08:00-13:00"}
    response = supervisor_client.post(url, data)
    assert response.status_code == 302
    calendar.refresh_from_db()
    assert calendar.name == "Tehran office"
    assert _weekly(calendar)[:3] == [
        (0, time(8), time(16)),
        (1, time(8), time(16)),
        (2, time(8), time(16)),
    ]
    assert (5, time(13), time(17)) in _weekly(calendar)
    assert not calendar.working_intervals.filter(weekday=4).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"weekday_0": "9-5"}, "weekday_0", "09:00-13:00"),
        ({"weekday_0": "17:00-09:00"}, "weekday_0", "end after it starts"),
        ({"weekday_1": "25:00-26:00"}, "weekday_1", "not a time"),
        ({"time_zone": "Mars/Base"}, "time_zone", "Unknown time zone"),
        ({"name": ""}, "name", "required"),
    ],
)
def test_bad_hours_are_shown_on_their_line_and_change_nothing(
    supervisor_client, calendar, data, field, message
):
    before = (_weekly(calendar), calendar.name, calendar.time_zone)
    form = {"name": "Office", "time_zone": "Asia/Tehran", "weekday_0": "09:00-17:00"} | data
    response = supervisor_client.post(reverse("sla:settings_calendar", args=[calendar.pk]), form)
    assert response.status_code == 422
    assert message in field_error(response, field)
    calendar.refresh_from_db()
    assert (_weekly(calendar), calendar.name, calendar.time_zone) == before


def test_holidays_in_the_jalali_calendar_for_persian_users(supervisor_client, calendar):
    supervisor_client.cookies["aftercare_language"] = "fa"
    url = reverse("sla:settings_holiday_add", args=[calendar.pk])
    page = supervisor_client.get(
        reverse("sla:settings_calendar", args=[calendar.pk])
    ).content.decode()
    assert "data-jalali-picker" in page
    response = supervisor_client.post(
        url, {"name": "تعطیلی", "kind": "date", "start_date": "۱۴۰۵/۰۲/۱۴"}
    )
    assert response.status_code == 302
    holiday = Holiday.objects.get(calendar=calendar)
    assert holiday.start_date == date(2026, 5, 4)
    page = supervisor_client.get(
        reverse("sla:settings_calendar", args=[calendar.pk])
    ).content.decode()
    assert "۱۴۰۵/۰۲/۱۴" in page
    bad = supervisor_client.post(
        url, {"name": "X", "kind": "yearly_jalali", "month": "7", "day": "31"}
    )
    assert bad.status_code == 422
    assert "این ماه چنین روزی ندارد" in field_error(bad, "day")
    remove = reverse("sla:settings_holiday_remove", args=[calendar.pk, holiday.pk])
    assert supervisor_client.post(remove).status_code == 302
    assert not Holiday.objects.exists()


def test_a_short_day_and_a_closed_day(supervisor_client, calendar):
    url = reverse("sla:settings_override_set", args=[calendar.pk])
    assert (
        supervisor_client.post(url, {"date": "2026-05-07", "hours": "08:00-12:00"}).status_code
        == 302
    )
    assert (
        supervisor_client.post(
            url, {"date": "2026-05-08", "hours": "", "note": "Stocktake"}
        ).status_code
        == 302
    )
    assert {(o.date, tuple(map(tuple, o.intervals))) for o in DateOverride.objects.all()} == {
        (date(2026, 5, 7), (("08:00", "12:00"),)),
        (date(2026, 5, 8), ()),
    }
    bad = supervisor_client.post(url, {"date": "not a date", "hours": "08:00-12:00"})
    assert bad.status_code == 422
    override = DateOverride.objects.get(date=date(2026, 5, 7))
    remove = reverse("sla:settings_override_remove", args=[calendar.pk, override.pk])
    assert supervisor_client.post(remove).status_code == 302
    assert DateOverride.objects.count() == 1


def test_import_holidays_from_a_file(supervisor_client, calendar):
    url = reverse("sla:settings_calendar_import", args=[calendar.pk])
    upload = SimpleUploadedFile("tr.ics", (DATA / "tr-holidays-2026.ics").read_bytes())
    response = supervisor_client.post(url, {"file": upload})
    assert response.status_code == 302
    assert Holiday.objects.filter(calendar=calendar).count() == 5
    junk = supervisor_client.post(url, {"file": SimpleUploadedFile("x.ics", b"junk")})
    assert junk.status_code == 422
    assert "not an iCalendar" in field_error(junk, "file")


def test_make_default(supervisor_client, org, calendar):
    other = calendar_create_from_preset(organization=org, country="TR", is_default=True)
    response = supervisor_client.post(reverse("sla:settings_calendar_default", args=[calendar.pk]))
    assert response.status_code == 302
    calendar.refresh_from_db()
    other.refresh_from_db()
    assert (calendar.is_default, other.is_default) == (True, False)


def test_create_and_edit_a_policy(supervisor_client, org, calendar):
    response = supervisor_client.post(
        reverse("sla:settings_policy_create"),
        {
            "name": "VIP",
            "customer_tiers": ["vip"],
            "priorities": ["3", "4"],
            "calendar": str(calendar.pk),
            "first_response_minutes": "30",
            "resolution_minutes": "480",
            "pause_statuses": ["pending_customer"],
            "warning_percent": "75",
        },
    )
    assert response.status_code == 302
    policy = SlaPolicy.objects.get()
    assert (policy.customer_tiers, policy.priorities, policy.calendar) == (
        ["vip"],
        [3, 4],
        calendar,
    )
    assert (policy.first_response_minutes, policy.resolution_minutes, policy.warning_percent) == (
        30,
        480,
        75,
    )
    listing = supervisor_client.get(reverse("sla:settings_policies")).content.decode()
    assert re.findall(r'data-testid="policy-row" data-policy-id="(\d+)"', listing) == [
        str(policy.pk)
    ]
    edit = reverse("sla:settings_policy_edit", args=[policy.pk])
    page = supervisor_client.get(edit).content.decode()
    assert 'value="vip" class="form-check-input" id="id_customer_tiers_2" checked' in page
    response = supervisor_client.post(
        edit,
        {"name": "VIP", "first_response_minutes": "15", "warning_percent": "80", "is_active": ""},
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (
        policy.first_response_minutes,
        policy.is_active,
        policy.customer_tiers,
        policy.version,
    ) == (
        15,
        False,
        [],
        2,
    )


def test_a_policy_without_targets_is_refused_and_nothing_is_saved(supervisor_client):
    response = supervisor_client.post(
        reverse("sla:settings_policy_create"), {"name": "Empty", "warning_percent": "80"}
    )
    assert response.status_code == 422
    assert "at least one target" in field_error(response, "first_response_minutes")
    assert not SlaPolicy.objects.exists()


@pytest.mark.parametrize("client_name", ["agent_client", "viewer_client"])
def test_only_managers_open_these_settings(request, client_name, calendar, org):
    client = request.getfixturevalue(client_name)
    policy = sla_policy_create(organization=org, name="P", first_response_minutes=5)
    for url in (
        reverse("sla:settings_calendars"),
        reverse("sla:settings_calendar", args=[calendar.pk]),
        reverse("sla:settings_policies"),
        reverse("sla:settings_policy_edit", args=[policy.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("sla:settings_calendar_create"), {"preset": "TR"}).status_code == 403
    assert BusinessCalendar.objects.count() == 1


def test_another_organizations_calendars_and_policies_answer_404(outsider_client, org, calendar):
    policy = sla_policy_create(organization=org, name="P", first_response_minutes=5)
    holiday = holiday_add(calendar=calendar, name="Day", kind="date", start_date=date(2026, 1, 1))
    override = date_override_set(calendar=calendar, date=date(2026, 1, 2), intervals=[])
    gets = [
        reverse("sla:settings_calendar", args=[calendar.pk]),
        reverse("sla:settings_policy_edit", args=[policy.pk]),
    ]
    posts = [
        reverse("sla:settings_calendar", args=[calendar.pk]),
        reverse("sla:settings_calendar_default", args=[calendar.pk]),
        reverse("sla:settings_holiday_add", args=[calendar.pk]),
        reverse("sla:settings_holiday_remove", args=[calendar.pk, holiday.pk]),
        reverse("sla:settings_override_set", args=[calendar.pk]),
        reverse("sla:settings_override_remove", args=[calendar.pk, override.pk]),
        reverse("sla:settings_calendar_import", args=[calendar.pk]),
        reverse("sla:settings_policy_edit", args=[policy.pk]),
    ]
    for url in gets:
        assert outsider_client.get(url).status_code == 404, url
    for url in posts:
        assert outsider_client.post(url, {"name": "Stolen"}).status_code == 404, url
    assert "Office" not in outsider_client.get(reverse("sla:settings_calendars")).content.decode()
    assert (Holiday.objects.count(), DateOverride.objects.count()) == (1, 1)
    assert BusinessCalendar.objects.get(pk=calendar.pk).name == "Office"


def test_calendar_and_policy_lists_keep_flat_query_counts(supervisor_client, org):
    def count(name: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert supervisor_client.get(reverse(name)).status_code == 200
        return len(queries)

    calendar = calendar_create(organization=org, name="C0", time_zone="UTC", weekly=OFFICE)
    holiday_add(calendar=calendar, name="Day", kind="date", start_date=date(2026, 1, 1))
    date_override_set(calendar=calendar, date=date(2026, 1, 2), intervals=[])
    sla_policy_create(organization=org, name="P0", first_response_minutes=5, calendar=calendar)
    few = (count("sla:settings_calendars"), count("sla:settings_policies"))
    for index in range(1, 8):
        other = calendar_create(organization=org, name=f"C{index}", time_zone="UTC", weekly=OFFICE)
        holiday_add(calendar=other, name="Day", kind="date", start_date=date(2026, 1, 1))
        sla_policy_create(
            organization=org, name=f"P{index}", first_response_minutes=5, calendar=other
        )
    assert (count("sla:settings_calendars"), count("sla:settings_policies")) == few
