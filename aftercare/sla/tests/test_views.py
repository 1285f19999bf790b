"""Console settings for business calendars and SLA policies, through the HTTP client."""

import re
from datetime import date, time
from html.parser import HTMLParser
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


def _hours(weekly: dict[int, list[tuple[str, str]]]) -> dict[str, str]:
    """The hours inputs of a weekly schedule: {weekday: [(from, to), ...]}; others closed."""
    data = {}
    for weekday, intervals in weekly.items():
        data[f"open_{weekday}"] = "on"
        for number, (start, end) in enumerate(intervals, start=1):
            data[f"day_{weekday}_start_{number}"] = start
            data[f"day_{weekday}_end_{number}"] = end
    return data


def _calendar_form(calendar, **extra) -> dict:
    """What the calendar form posts back unchanged, with `extra` on top."""
    data = {"name": calendar.name, "time_zone": calendar.time_zone, "country": calendar.country}
    data |= _hours({weekday: [("09:00", "17:00")] for weekday in range(5)})
    return data | extra


class _Inputs(HTMLParser):
    """Every visible input, select and textarea of a page, and the ids labels point to."""

    def __init__(self):
        super().__init__()
        self.fields: list[dict] = []
        self.labelled: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "label" and attributes.get("for"):
            self.labelled.add(attributes["for"])
        if tag in ("input", "select", "textarea") and attributes.get("type") not in (
            "hidden",
            "submit",
        ):
            self.fields.append(attributes)


def _unlabelled(html: str) -> list[str]:
    parser = _Inputs()
    parser.feed(html)
    return [
        field.get("name", "?")
        for field in parser.fields
        if field.get("id") not in parser.labelled and not field.get("aria-label")
    ]


def test_create_a_calendar_from_the_iran_preset(supervisor_client, org):
    response = supervisor_client.post(
        reverse("sla:settings_calendar_create"), {"preset": "IR", "is_default": "on"}
    )
    calendar = BusinessCalendar.objects.get(organization=org)
    assert response.status_code == 302
    assert response["Location"] == reverse("sla:settings_calendar", args=[calendar.pk])
    assert (calendar.name, calendar.time_zone, calendar.is_default) == ("Iran", "Asia/Tehran", True)
    assert calendar.country == "IR"
    page = supervisor_client.get(response["Location"]).content.decode()
    assert "Nowruz" in page
    # Saturday: open, 08:00 to 16:00, no second interval; Friday closed.
    assert re.search(r'name="open_5"[^>]*checked', page)
    assert 'name="day_5_start_1" value="08:00"' in page
    assert 'name="day_5_end_1" value="16:00"' in page
    assert re.search(r'<input type="text" name="day_5_start_2"(?![^>]*value)', page)
    assert not re.search(r'name="open_4"[^>]*checked', page)
    # This year's lunar holidays are there, from python-holidays.
    assert "Source: python-holidays 0.108" in page
    assert 'data-testid="add-official-holidays"' in page
    assert _unlabelled(page) == []


def test_weekly_hours_per_day_with_a_lunch_break_in_any_digits(supervisor_client, calendar):
    url = reverse("sla:settings_calendar", args=[calendar.pk])
    hours = {weekday: [("8", "16:00")] for weekday in (6, 0, 1, 2)}
    hours[5] = [("08:00", "12:00"), ("۱۳:۰۰", "١٧:٠٠")]  # Persian, then Arabic-Indic digits
    hours[3] = [("0800", "13.00")]
    hours[1] = [("13:00", "16:00"), ("08:00", "12:00")]  # in any order
    data = {"name": "Tehran office", "time_zone": "Asia/Tehran", "country": ""} | _hours(hours)
    # Times typed on a closed day are not kept.
    data |= {"day_4_start_1": "09:00", "day_4_end_1": "10:00"}
    response = supervisor_client.post(url, data)
    assert response.status_code == 302
    calendar.refresh_from_db()
    assert calendar.name == "Tehran office"
    assert _weekly(calendar) == [
        (0, time(8), time(16)),
        (1, time(8), time(12)),
        (1, time(13), time(16)),
        (2, time(8), time(16)),
        (3, time(8), time(13)),
        (5, time(8), time(12)),
        (5, time(13), time(17)),
        (6, time(8), time(16)),
    ]
    page = supervisor_client.get(url).content.decode()
    assert 'name="day_5_start_2" value="13:00"' in page


def test_a_night_shift_ends_at_24_00(supervisor_client, calendar):
    url = reverse("sla:settings_calendar", args=[calendar.pk])
    data = _calendar_form(calendar) | _hours({6: [("22:00", "24:00")]})
    assert supervisor_client.post(url, data).status_code == 302
    assert (6, time(22), time(0)) in _weekly(calendar)
    page = supervisor_client.get(url).content.decode()
    assert 'name="day_6_end_1" value="24:00"' in page


@pytest.mark.parametrize(
    ("hours", "field", "message"),
    [
        ({0: [("9am", "17:00")]}, "day_0_start_1", "Monday: from: “9am” is not a time of day"),
        ({1: [("25:00", "26:00")]}, "day_1_start_1", "Tuesday: from: “25:00” is not"),
        (
            {2: [("17:00", "09:00")]},
            "day_2_end_1",
            "Wednesday: to must be later than Wednesday: from",
        ),
        ({3: [("09:00", "")]}, "day_3_end_1", "Thursday: to: enter a time"),
        (
            {5: [("09:00", "13:00"), ("12:00", "17:00")]},
            "day_5_start_2",
            "Saturday: from, interval 2 must not be earlier than Saturday: to",
        ),
        ({6: []}, "day_6_start_1", "Sunday is marked open: enter its hours"),
    ],
)
def test_a_wrong_time_is_shown_on_its_input_named_and_changes_nothing(
    supervisor_client, calendar, hours, field, message
):
    before = (_weekly(calendar), calendar.name, calendar.version)
    data = _calendar_form(calendar, name="Renamed") | _hours(hours)
    response = supervisor_client.post(reverse("sla:settings_calendar", args=[calendar.pk]), data)
    assert response.status_code == 422
    assert message in field_error(response, field)
    page = response.content.decode()
    # The input is marked invalid and points at its error.
    assert re.search(rf'name="{field}"[^>]*aria-invalid="true"', page)
    assert f'aria-describedby="id_{field}-error"' in page
    assert f'id="id_{field}-error"' in page
    calendar.refresh_from_db()
    assert (_weekly(calendar), calendar.name, calendar.version) == before


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"time_zone": "Mars/Base"}, "time_zone", "Unknown time zone"),
        ({"name": ""}, "name", "required"),
    ],
)
def test_bad_calendar_fields_are_shown_on_their_field(
    supervisor_client, calendar, data, field, message
):
    before = (_weekly(calendar), calendar.name, calendar.time_zone)
    form = _calendar_form(calendar) | data
    response = supervisor_client.post(reverse("sla:settings_calendar", args=[calendar.pk]), form)
    assert response.status_code == 422
    assert message in field_error(response, field)
    calendar.refresh_from_db()
    assert (_weekly(calendar), calendar.name, calendar.time_zone) == before


def test_a_calendar_with_no_working_hours_is_refused(supervisor_client, calendar):
    before = (_weekly(calendar), calendar.name, calendar.version)
    data = {"name": "Never open", "time_zone": "Asia/Tehran", "country": ""}
    response = supervisor_client.post(reverse("sla:settings_calendar", args=[calendar.pk]), data)
    assert response.status_code == 422
    page = response.content.decode()
    error = page[page.index('data-testid="form-error"') :]
    assert "Working hours: enter them for at least one day of the week" in error[:400]
    calendar.refresh_from_db()
    assert (_weekly(calendar), calendar.name, calendar.version) == before


def test_a_new_calendar_without_a_preset_needs_hours(supervisor_client, org):
    url = reverse("sla:settings_calendar_create")
    page = supervisor_client.get(url).content.decode()
    assert 'name="day_0_start_1" value="09:00"' in page
    assert _unlabelled(page) == []
    empty = supervisor_client.post(url, {"name": "Shop", "time_zone": "Europe/Istanbul"})
    assert empty.status_code == 422
    assert "at least one day of the week" in empty.content.decode()
    assert not BusinessCalendar.objects.exists()
    data = {"name": "Shop", "time_zone": "Europe/Istanbul"} | _hours(
        {day: [("10:00", "14:00"), ("15:00", "20:00")] for day in range(6)}
    )
    assert supervisor_client.post(url, data).status_code == 302
    calendar = BusinessCalendar.objects.get()
    assert (calendar.country, len(_weekly(calendar))) == ("", 12)


def test_persian_users_see_and_type_the_hours_in_persian_digits(supervisor_client, calendar):
    supervisor_client.cookies["aftercare_language"] = "fa"
    url = reverse("sla:settings_calendar", args=[calendar.pk])
    page = supervisor_client.get(url).content.decode()
    assert re.search(r'<html[^>]*dir="rtl"', page)
    assert 'name="day_0_start_1" value="۰۹:۰۰"' in page
    assert re.search(r'name="day_0_start_1"[^>]*dir="ltr"|dir="ltr"[^>]*name="day_0_start_1"', page)
    assert _unlabelled(page) == []
    data = _calendar_form(calendar) | _hours({5: [("۰۸:۳۰", "۱۲:۰۰"), ("۱۳:۰۰", "۱۷:۳۰")]})
    assert supervisor_client.post(url, data).status_code == 302
    assert [(w, s, e) for w, s, e in _weekly(calendar) if w == 5] == [
        (5, time(8, 30), time(12)),
        (5, time(13), time(17, 30)),
    ]
    bad = supervisor_client.post(url, _calendar_form(calendar) | _hours({5: [("۸:۷۵", "۱۲:۰۰")]}))
    assert bad.status_code == 422
    assert "day_5_start_1" in bad.content.decode()
    assert "۸:۷۵" in field_error(bad, "day_5_start_1")


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
    short = {"date": "2026-05-07", "start_1": "08:00", "end_1": "۱۲:۰۰"}
    assert supervisor_client.post(url, short).status_code == 302
    assert (
        supervisor_client.post(url, {"date": "2026-05-08", "note": "Stocktake"}).status_code == 302
    )
    assert {(o.date, tuple(map(tuple, o.intervals))) for o in DateOverride.objects.all()} == {
        (date(2026, 5, 7), (("08:00", "12:00"),)),
        (date(2026, 5, 8), ()),
    }
    bad = supervisor_client.post(url, {"date": "not a date", "start_1": "08:00", "end_1": "12:00"})
    assert bad.status_code == 422
    late = supervisor_client.post(url, {"date": "2026-05-09", "start_1": "14:00", "end_1": "10:00"})
    assert late.status_code == 422
    assert "That date: to must be later than That date: from" in field_error(late, "end_1")
    assert DateOverride.objects.count() == 2
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


def test_official_holidays_are_added_once_from_the_button(supervisor_client, org):
    calendar = calendar_create(
        organization=org, name="Almaty", time_zone="Asia/Almaty", weekly=OFFICE
    )
    url = reverse("sla:settings_calendar", args=[calendar.pk])
    page = supervisor_client.get(url).content.decode()
    assert 'data-testid="add-official-holidays"' not in page  # made for no country yet
    button = reverse("sla:settings_calendar_official_holidays", args=[calendar.pk])
    refused = supervisor_client.post(button, follow=True)
    assert "Choose the country whose official holidays" in refused.content.decode()
    assert not Holiday.objects.exists()
    assert supervisor_client.post(url, _calendar_form(calendar, country="KZ")).status_code == 302
    page = supervisor_client.get(url).content.decode()
    assert "Add this year's and next year's official holidays (Kazakhstan)" in page
    added = supervisor_client.post(button, follow=True).content.decode()
    assert "2 official holidays added." in added
    rows = Holiday.objects.filter(calendar=calendar, key="kz.kurban_ait")
    assert rows.count() == 2
    assert 'data-testid="estimated">Estimated</span>' in added
    again = supervisor_client.post(button, follow=True).content.decode()
    assert "0 official holidays added." in again
    assert "2 official holidays were already there." in again
    assert rows.count() == 2


def test_an_admin_corrects_an_estimated_date_and_the_page_says_who_and_when(
    admin_client, alice_admin, org
):
    calendar = calendar_create_from_preset(organization=org, country="IR", years=[2027])
    tasua = Holiday.objects.get(calendar=calendar, key="ir.tasua")
    url = reverse("sla:settings_holiday_edit", args=[calendar.pk, tasua.pk])
    page = admin_client.get(url).content.decode()
    assert "This date is an estimate of the source" in page
    assert 'name="start_date" value="2027-06-15"' in page
    assert "end_date" not in page
    assert _unlabelled(page) == []
    bad = admin_client.post(url, {"start_date": "16 June"})
    assert bad.status_code == 422
    assert "Enter the date as YYYY-MM-DD" in field_error(bad, "start_date")
    tasua.refresh_from_db()
    assert (tasua.start_date, tasua.corrected_at) == (date(2027, 6, 15), None)
    response = admin_client.post(url, {"start_date": "2027-06-16"})
    assert response.status_code == 302
    tasua.refresh_from_db()
    assert (tasua.start_date, tasua.corrected_by, tasua.source_date) == (
        date(2027, 6, 16),
        alice_admin,
        date(2027, 6, 15),
    )
    page = admin_client.get(response["Location"]).content.decode()
    assert "Tasua now falls on 2027-06-16." in page
    correction = page[page.index(f'data-holiday-id="{tasua.pk}"') :]
    correction = correction[: correction.index("</li>")]
    assert f"Date corrected by {alice_admin.display_name} on " in correction
    assert "its source gave 2027-06-15." in correction
    assert 'data-testid="estimated"' not in correction
    # A holiday of every year has no date page.
    nowruz = Holiday.objects.filter(calendar=calendar, key="ir.nowruz").first()
    edit = reverse("sla:settings_holiday_edit", args=[calendar.pk, nowruz.pk])
    assert admin_client.get(edit).status_code == 404


def test_a_bayram_is_corrected_as_a_range(supervisor_client, org):
    calendar = calendar_create_from_preset(organization=org, country="TR", years=[2027])
    bayram = Holiday.objects.get(calendar=calendar, key="tr.kurban_bayrami")
    url = reverse("sla:settings_holiday_edit", args=[calendar.pk, bayram.pk])
    late = supervisor_client.post(url, {"start_date": "2027-05-17", "end_date": "2027-05-16"})
    assert late.status_code == 422
    assert "must not end before it starts" in field_error(late, "end_date")
    ok = supervisor_client.post(url, {"start_date": "2027-05-17", "end_date": "2027-05-20"})
    assert ok.status_code == 302
    bayram.refresh_from_db()
    assert (bayram.start_date, bayram.end_date) == (date(2027, 5, 17), date(2027, 5, 20))


def test_preset_holidays_are_shown_in_the_readers_language(supervisor_client, org, monkeypatch):
    from django.utils.translation import trans_real

    # The Persian catalogue as the translators will fill it: the key's name is looked up.
    catalog = trans_real.translation("fa")._catalog._catalogs[0]
    monkeypatch.setitem(catalog, "Nowruz", "نوروز")
    monkeypatch.setitem(catalog, "Tasua", "تاسوعا")
    calendar = calendar_create_from_preset(organization=org, country="IR", years=[2026])
    typed = holiday_add(calendar=calendar, name="Nowruz", kind="date", start_date=date(2026, 9, 1))
    url = reverse("sla:settings_calendar", args=[calendar.pk])
    english = supervisor_client.get(url).content.decode()
    supervisor_client.cookies["aftercare_language"] = "fa"
    persian = supervisor_client.get(url).content.decode()

    def names(page: str, **attributes) -> list[str]:
        found = []
        for item in re.findall(
            r'<li class="list-group-item px-0" data-testid="holiday"(.*?)</li>', page, re.S
        ):
            if all(f'data-{key}="{value}"' in item for key, value in attributes.items()):
                found += re.findall(r'data-testid="holiday-name">([^<]*)<', item)
        return found

    assert names(english, key="ir.nowruz") == ["Nowruz"] * 4
    assert names(persian, key="ir.nowruz") == ["نوروز"] * 4
    assert names(persian, key="ir.tasua") == ["تاسوعا"]
    # Typed by an admin: kept as typed, in every language.
    assert names(persian, **{"holiday-id": typed.pk}) == ["Nowruz"]
    assert Holiday.objects.filter(key="ir.nowruz").first().name == "Nowruz"


def test_the_new_pages_are_for_managers_of_the_organization_only(
    agent_client, outsider_client, org
):
    calendar = calendar_create_from_preset(organization=org, country="IR", years=[2027])
    tasua = Holiday.objects.get(calendar=calendar, key="ir.tasua")
    edit = reverse("sla:settings_holiday_edit", args=[calendar.pk, tasua.pk])
    button = reverse("sla:settings_calendar_official_holidays", args=[calendar.pk])
    before = list(Holiday.objects.order_by("pk").values_list())
    assert agent_client.get(edit).status_code == 403
    assert agent_client.post(edit, {"start_date": "2027-06-16"}).status_code == 403
    assert agent_client.post(button).status_code == 403
    assert outsider_client.get(edit).status_code == 404
    assert outsider_client.post(edit, {"start_date": "2027-06-16"}).status_code == 404
    assert outsider_client.post(button).status_code == 404
    assert list(Holiday.objects.order_by("pk").values_list()) == before
