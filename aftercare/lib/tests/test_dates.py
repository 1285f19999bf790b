import datetime
import zoneinfo

from django.utils import timezone, translation

from aftercare.lib.dates import format_date, format_datetime, parse_user_date

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")


def test_persian_dates_are_jalali_with_persian_digits():
    moment = datetime.datetime(2026, 3, 21, 8, 30, tzinfo=datetime.UTC)
    with translation.override("fa"), timezone.override(TEHRAN):
        assert format_datetime(moment) == "۱۴۰۵/۰۱/۰۱ ۱۲:۰۰"
        assert format_date(datetime.date(2026, 11, 23)) == "۱۴۰۵/۰۹/۰۲"


def test_other_languages_stay_gregorian():
    moment = datetime.datetime(2026, 3, 21, 8, 30, tzinfo=datetime.UTC)
    with translation.override("en"), timezone.override(datetime.UTC):
        assert format_datetime(moment) == "2026-03-21 08:30"
    with translation.override("tr"), timezone.override(datetime.UTC):
        assert format_datetime(moment) == "21.03.2026 08:30"
    with translation.override("kk"), timezone.override(datetime.UTC):
        assert format_date(datetime.date(2026, 3, 21)) == "21.03.2026"


def test_parse_user_date_reads_jalali_for_persian():
    assert parse_user_date("۱۴۰۵/۰۱/۰۱", language="fa") == datetime.date(2026, 3, 21)
    assert parse_user_date("2026-03-21", language="fa") == datetime.date(2026, 3, 21)
    assert parse_user_date("2026-03-21", language="en") == datetime.date(2026, 3, 21)
