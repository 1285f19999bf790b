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


def test_the_fast_formats_write_what_django_and_jdatetime_write():
    # format_datetime writes short dates itself (a list page writes dozens); over four years of
    # instants every 7 h 13 min in two zones it must agree with Django's formats and jdatetime.
    import jdatetime
    from django.utils import formats

    from aftercare.lib.text import persian_digits

    start = datetime.datetime(2024, 12, 30, 23, 59, tzinfo=datetime.UTC)
    moments = [start + datetime.timedelta(minutes=433 * n) for n in range(4900)]
    for zone in (datetime.UTC, TEHRAN):
        with timezone.override(zone):
            for language in ("en", "tr", "kk"):
                with translation.override(language):
                    for moment in moments[:: 7 if zone is TEHRAN else 1]:
                        local = timezone.localtime(moment)
                        expected = formats.date_format(local, "SHORT_DATETIME_FORMAT")
                        assert format_datetime(moment) == expected
                        assert format_datetime(moment, with_time=False) == formats.date_format(
                            local, "SHORT_DATE_FORMAT"
                        )
            with translation.override("fa"):
                for moment in moments:
                    local = jdatetime.datetime.fromgregorian(datetime=timezone.localtime(moment))
                    expected = persian_digits(local.strftime("%Y/%m/%d %H:%M"))
                    assert format_datetime(moment) == expected


def test_a_format_beyond_the_fast_fields_is_left_to_django(settings):
    from django.utils import formats

    from aftercare.lib.dates import _compiled

    assert _compiled("d.m.Y H:i") == "{d:02d}.{m:02d}.{y:04d} {H:02d}:{i:02d}"
    assert _compiled("m/d/Y P") is None
    assert _compiled(r"Y \\a\\t H:i") is None
    # Without our format modules English uses Django's own "m/d/Y P", which the fast path
    # cannot write: Django writes it.
    moment = datetime.datetime(2026, 3, 21, 8, 30, tzinfo=datetime.UTC)
    settings.FORMAT_MODULE_PATH = None
    formats._format_cache.clear()
    formats._format_modules_cache.clear()
    try:
        with translation.override("en"), timezone.override(datetime.UTC):
            assert format_datetime(moment) == "03/21/2026 8:30 a.m."
    finally:
        formats._format_cache.clear()
        formats._format_modules_cache.clear()
