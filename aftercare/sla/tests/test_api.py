"""API v1 for calendars and SLA policies: real HTTP through the test client."""

from datetime import date, time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.catalog.services import product_model_create
from aftercare.sla.models import BusinessCalendar, Holiday, SlaPolicy
from aftercare.sla.services import (
    calendar_create,
    date_override_set,
    holiday_add,
    sla_policy_create,
)

DATA = Path(__file__).parent / "data"
OFFICE = {day: [(time(9), time(17))] for day in range(5)}


@pytest.fixture
def calendar(org):
    return calendar_create(organization=org, name="Office", time_zone="Asia/Tehran", weekly=OFFICE)


def test_create_from_a_preset_and_read_it_back(manager_api):
    answer = manager_api.post("/calendars/", {"preset": "IR", "is_default": True})
    assert answer.status == 201
    body = answer.body
    assert (body["name"], body["time_zone"], body["is_default"]) == ("Iran", "Asia/Tehran", True)
    saturday = [row for row in body["weekly"] if row["weekday"] == 5]
    assert saturday == [{"weekday": 5, "start": "08:00", "end": "16:00"}]
    assert not [row for row in body["weekly"] if row["weekday"] == 4]
    nowruz = [h for h in body["holidays"] if h["kind"] == "yearly_jalali" and h["month"] == 1]
    assert [h["day"] for h in nowruz] == [1, 2, 3, 4, 12, 13]
    assert manager_api.get(f"/calendars/{body['id']}").body == body


def test_create_with_split_shifts_then_edit(manager_api):
    weekly = [
        {"weekday": 0, "start": "09:00", "end": "12:30"},
        {"weekday": 0, "start": "13:30", "end": "18:00"},
        {"weekday": 5, "start": "22:00", "end": "00:00"},
    ]
    created = manager_api.post(
        "/calendars/", {"name": "Istanbul", "time_zone": "Europe/Istanbul", "weekly": weekly}
    )
    assert created.status == 201
    assert created.body["weekly"] == weekly
    calendar_id = created.body["id"]
    changed = manager_api.patch(
        f"/calendars/{calendar_id}",
        {"name": "Istanbul shop", "weekly": weekly[:1], "is_default": True},
    )
    assert changed.status == 200
    assert (changed.body["name"], changed.body["is_default"]) == ("Istanbul shop", True)
    assert changed.body["weekly"] == weekly[:1]
    assert changed.body["version"] > created.body["version"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "time_zone": "Mars/Base"}, "time_zone"),
        ({"name": "", "time_zone": "UTC"}, "name"),
        (
            {
                "name": "X",
                "time_zone": "UTC",
                "weekly": [{"weekday": 9, "start": "09:00", "end": "10:00"}],
            },
            "weekly.0.weekday",
        ),
        (
            {
                "name": "X",
                "time_zone": "UTC",
                "weekly": [{"weekday": 1, "start": "9am", "end": "10:00"}],
            },
            "weekly.0.start",
        ),
        (
            {
                "name": "X",
                "time_zone": "UTC",
                "weekly": [{"weekday": 1, "start": "12:00", "end": "10:00"}],
            },
            "weekly",
        ),
        ({"preset": "FR"}, "preset"),
    ],
)
def test_bad_calendars_name_the_field_and_create_nothing(manager_api, body, field):
    answer = manager_api.post("/calendars/", body)
    assert answer.status == 422
    assert answer.field == field
    assert not BusinessCalendar.objects.exists()


def test_holidays_and_overrides(manager_api, calendar):
    path = f"/calendars/{calendar.pk}"
    nowruz = manager_api.post(
        f"{path}/holidays", {"name": "نوروز", "kind": "yearly_jalali", "month": 1, "day": 1}
    )
    assert nowruz.status == 201
    assert nowruz.body["name"] == "نوروز"
    bad = manager_api.post(
        f"{path}/holidays", {"name": "Bad", "kind": "yearly_jalali", "month": 7, "day": 31}
    )
    assert (bad.status, bad.field) == (422, "day")
    short = manager_api.send(
        "PUT", f"{path}/overrides/2026-05-07", {"intervals": [["08:00", "12:00"]], "note": "Short"}
    )
    assert short.status == 200
    assert short.body == {
        "date": "2026-05-07",
        "intervals": [["08:00", "12:00"]],
        "note": "Short",
        "key": "",
        "source": "",
        "is_estimated": False,
    }
    assert manager_api.send("DELETE", f"{path}/overrides/2026-05-07").status == 204
    assert manager_api.send("DELETE", f"{path}/overrides/2026-05-07").status == 404
    assert manager_api.send("DELETE", f"{path}/holidays/{nowruz.body['id']}").status == 204
    detail = manager_api.get(path).body
    assert (detail["holidays"], detail["overrides"]) == ([], [])


@pytest.mark.parametrize(
    "day", ["0", "20260507", "1e3", "2026-05-07T00:00:00", "2026-05-07T00:00Z"]
)
def test_an_override_date_in_the_path_is_a_date_or_refused(manager_api, calendar, day):
    # pydantic read "0" as 1970-01-01 and took a midnight date-time for its date (schemathesis).
    path = f"/calendars/{calendar.pk}/overrides/{day}"
    answer = manager_api.send("PUT", path, {"intervals": [], "note": "Closed"})
    assert (answer.status, answer.field) == (422, "day"), answer.body
    assert not calendar.date_overrides.exists()
    for kept in (date(1970, 1, 1), date(2026, 5, 7)):
        date_override_set(calendar=calendar, date=kept, intervals=[], note="Kept")
    answer = manager_api.send("DELETE", path)
    assert (answer.status, answer.field) == (422, "day"), answer.body
    assert calendar.date_overrides.count() == 2


def test_ics_import_over_http(manager_api, calendar):
    upload = SimpleUploadedFile(
        "tr.ics", (DATA / "tr-holidays-2026.ics").read_bytes(), content_type="text/calendar"
    )
    answer = manager_api.upload(f"/calendars/{calendar.pk}/import", {"file": upload})
    assert answer.status == 200
    assert (answer.body["created"], answer.body["skipped"]) == (5, 0)
    assert len(answer.body["calendar"]["holidays"]) == 5
    junk = SimpleUploadedFile("junk.ics", b"hello", content_type="text/calendar")
    refused = manager_api.upload(f"/calendars/{calendar.pk}/import", {"file": junk})
    assert (refused.status, refused.field) == (422, "file")
    assert Holiday.objects.filter(calendar=calendar).count() == 5


def test_policies_over_http(org, manager_api, calendar):
    product = product_model_create(organization=org, name="WM-800", sku="WM-800")
    created = manager_api.post(
        "/sla-policies/",
        {
            "name": "Washer repairs",
            "kinds": ["repair"],
            "priorities": [3, 4],
            "customer_tiers": ["vip"],
            "product_model_ids": [product.pk],
            "calendar_id": calendar.pk,
            "first_response_minutes": 60,
            "resolution_minutes": 960,
            "pause_statuses": ["pending_customer"],
        },
    )
    assert created.status == 201
    body = created.body
    assert body["calendar"] == {"id": calendar.pk, "name": "Office"}
    assert (body["product_model_ids"], body["warning_percent"], body["position"]) == (
        [product.pk],
        80,
        10,
    )
    changed = manager_api.patch(
        f"/sla-policies/{body['id']}", {"calendar_id": None, "first_response_minutes": None}
    )
    assert changed.status == 200
    assert (changed.body["calendar"], changed.body["first_response_minutes"]) == (None, None)
    assert changed.body["version"] == 2
    listed = manager_api.get("/sla-policies/")
    assert [row["name"] for row in listed.body] == ["Washer repairs"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "P"}, "first_response_minutes"),
        ({"name": "P", "first_response_minutes": 0}, "first_response_minutes"),
        ({"name": "P", "first_response_minutes": 5, "kinds": ["magic"]}, "kinds.0"),
        (
            {"name": "P", "first_response_minutes": 5, "pause_statuses": ["open"]},
            "pause_statuses.0",
        ),
        ({"name": "P", "first_response_minutes": 5, "calendar_id": 999999}, "calendar_id"),
        (
            {"name": "P", "first_response_minutes": 5, "product_model_ids": [999999]},
            "product_model_ids",
        ),
        ({"name": "P", "first_response_minutes": 5, "warning_percent": 100}, "warning_percent"),
    ],
)
def test_bad_policies_name_the_field_and_create_nothing(manager_api, body, field):
    answer = manager_api.post("/sla-policies/", body)
    assert answer.status == 422
    assert answer.field == field
    assert not SlaPolicy.objects.exists()


def test_agents_and_viewers_read_but_do_not_configure(org, agent_api, viewer_api, calendar):
    assert agent_api.get("/calendars/").status == 200
    for api in (agent_api, viewer_api):
        assert api.post("/calendars/", {"preset": "TR"}).status == 403
        assert api.post("/sla-policies/", {"name": "P", "first_response_minutes": 5}).status == 403
        assert api.patch(f"/calendars/{calendar.pk}", {"name": "Mine"}).status == 403
    assert BusinessCalendar.objects.get().name == "Office"


def test_another_organizations_calendars_and_policies_answer_404(
    org, other_org, outsider_api, calendar
):
    policy = sla_policy_create(organization=org, name="P", first_response_minutes=5)
    holiday = holiday_add(calendar=calendar, name="Day", kind="date", start_date=date(2026, 1, 1))
    path = f"/calendars/{calendar.pk}"
    assert outsider_api.get(path).status == 404
    assert outsider_api.patch(path, {"name": "Stolen"}).status == 404
    assert (
        outsider_api.post(
            f"{path}/holidays", {"name": "X", "kind": "date", "start_date": "2026-02-02"}
        ).status
        == 404
    )
    assert outsider_api.send("DELETE", f"{path}/holidays/{holiday.pk}").status == 404
    assert outsider_api.send("PUT", f"{path}/overrides/2026-05-07", {"intervals": []}).status == 404
    assert outsider_api.get(f"/sla-policies/{policy.pk}").status == 404
    assert outsider_api.patch(f"/sla-policies/{policy.pk}", {"name": "Stolen"}).status == 404
    assert outsider_api.get("/calendars/").body == []
    assert outsider_api.get("/sla-policies/").body == []
    # And ids of another organization in a body are field errors, not links.
    mine = outsider_api.post(
        "/sla-policies/", {"name": "P", "first_response_minutes": 5, "calendar_id": calendar.pk}
    )
    assert (mine.status, mine.field) == (422, "calendar_id")
    assert Holiday.objects.get().name == "Day"


def test_calendar_list_query_count_is_flat(org, manager_api):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert manager_api.get("/calendars/").status == 200
        return len(queries)

    calendar_create(organization=org, name="One", time_zone="UTC", weekly=OFFICE)
    count()  # the token's first use is recorded once
    one = count()
    for index in range(5):
        calendar = calendar_create(
            organization=org, name=f"C{index}", time_zone="UTC", weekly=OFFICE
        )
        holiday_add(calendar=calendar, name="Day", kind="date", start_date=date(2026, 1, 1))
    assert count() == one


@pytest.mark.parametrize(
    "body",
    [
        {"name": "Never open", "time_zone": "Asia/Tehran"},
        {"name": "Never open", "time_zone": "Asia/Tehran", "weekly": []},
    ],
)
def test_a_calendar_without_working_hours_is_refused(manager_api, body):
    answer = manager_api.post("/calendars/", body)
    assert (answer.status, answer.field) == (422, "weekly")
    assert "at least one day of the week" in answer.body["detail"]
    assert not BusinessCalendar.objects.exists()


def test_emptying_the_weekly_hours_is_refused_and_changes_nothing(manager_api, calendar):
    before = (
        calendar.version,
        sorted(calendar.working_intervals.values_list("weekday", flat=True)),
    )
    answer = manager_api.patch(f"/calendars/{calendar.pk}", {"name": "Closed", "weekly": []})
    assert (answer.status, answer.field) == (422, "weekly")
    calendar.refresh_from_db()
    assert calendar.name == "Office"
    after = (calendar.version, sorted(calendar.working_intervals.values_list("weekday", flat=True)))
    assert after == before


def test_official_holidays_carry_their_source_and_estimate(org, manager_api):
    from aftercare.sla.services import calendar_create_from_preset

    calendar = calendar_create_from_preset(organization=org, country="KZ", years=[2026])
    body = manager_api.get(f"/calendars/{calendar.pk}").body
    assert body["country"] == "KZ"
    (kurban,) = [h for h in body["holidays"] if h["key"] == "kz.kurban_ait"]
    assert kurban == {
        "id": kurban["id"],
        "name": "Kurban Ait",
        "kind": "date",
        "start_date": "2026-05-27",
        "end_date": None,
        "month": None,
        "day": None,
        "key": "kz.kurban_ait",
        "source": "python-holidays 0.108",
        "is_estimated": True,
        "source_date": "2026-05-27",
        "corrected_at": None,
    }
    nauryz = [h for h in body["holidays"] if h["key"] == "kz.nauryz"]
    assert [(h["month"], h["day"], h["source"]) for h in nauryz] == [
        (3, 21, ""),
        (3, 22, ""),
        (3, 23, ""),
    ]
