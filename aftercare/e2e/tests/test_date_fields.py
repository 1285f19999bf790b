"""Issue 13: date fields are the same in the console and the portal, in every language.

The date picker's Gregorian calendar (static/aftercare/jalali-calendar.js, jalali-picker.js) in
chromium on a standalone page: ISO YYYY-MM-DD, left to right, weeks from the day the input says,
month and weekday names in the page's language, the server's labels, Persian and Arabic-Indic
digits read. Then against the session's real server, in English, Turkish and Persian: the audit
log's date filter has the picker in the language's calendar with today as its placeholder, the
picked day is what the server reads, and a date typed the browser's way (12/01/2026) gets an
error on its field that shows the shape with today's date.
"""

import calendar
import datetime
import re
import urllib.parse
import zoneinfo
from pathlib import Path

import jdatetime
import pytest
from playwright.sync_api import Locator, Page, expect

from aftercare.e2e.tests.accessibility import assert_accessible

pytestmark = pytest.mark.browser

PAGE_URL = Path(__file__).with_name("date_picker_page.html").as_uri()
TIMEOUT_MS = 15_000
TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
TURKISH_MONTHS = [
    "Ocak",
    "Şubat",
    "Mart",
    "Nisan",
    "Mayıs",
    "Haziran",
    "Temmuz",
    "Ağustos",
    "Eylül",
    "Ekim",
    "Kasım",
    "Aralık",
]
JALALI_MONTHS = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
]
ENGLISH_WEEK = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


# The Gregorian calendar on a page of its own


def _open(browser) -> tuple[Page, list[str]]:
    """The test page, its console errors collected and its inputs' events recorded."""
    page = browser.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(PAGE_URL)
    page.wait_for_function("window.JalaliPicker !== undefined")
    page.evaluate(
        """() => {
            window.recorded = [];
            for (const input of document.querySelectorAll("input")) {
                for (const type of ["input", "change"]) {
                    input.addEventListener(type, (event) => {
                        window.recorded.push([event.target.name, event.type, event.target.value]);
                    });
                }
            }
        }"""
    )
    return page, errors


def _toggle(page: Page, input_id: str) -> Locator:
    return page.locator(f"#{input_id} + button")


def _popup(page: Page) -> Locator:
    return page.get_by_role("dialog")


def _title(page: Page) -> Locator:
    return _popup(page).locator(".jalali-picker-title")


def _days(page: Page) -> list[str]:
    return _popup(page).get_by_role("gridcell").all_inner_texts()


def _english_title(day: datetime.date) -> str:
    return f"{calendar.month_name[day.month]} {day.year}"


def test_the_gregorian_calendar_in_english_from_monday(browser):
    page, errors = _open(browser)
    today = datetime.date.today()
    toggle = _toggle(page, "since")
    expect(toggle).to_have_attribute("aria-label", "Choose a date")
    toggle.click()
    popup = _popup(page)
    expect(popup).to_be_visible()
    expect(popup).to_have_attribute("dir", "ltr")
    expect(popup).to_have_attribute("lang", "en")
    expect(_title(page)).to_have_text(_english_title(today))
    assert popup.get_by_role("columnheader").all_inner_texts() == ENGLISH_WEEK
    weekend = popup.locator("th.jalali-picker-holiday").all_inner_texts()
    assert weekend == ["Sat", "Sun"]
    length = calendar.monthrange(today.year, today.month)[1]
    assert _days(page) == [str(day) for day in range(1, length + 1)]
    first = today.replace(day=1)
    cell_index = popup.get_by_role("gridcell").first.evaluate("cell => cell.cellIndex")
    assert cell_index == first.weekday()  # Monday is 0, as the grid's first column
    current = popup.locator("[role=gridcell][aria-current=date]")
    expect(current).to_have_text(str(today.day))
    expect(current).to_have_attribute(
        "aria-label", f"{calendar.month_name[today.month]} {today.day}, {today.year}"
    )
    for label in ("Previous month", "Next month", "Today"):
        expect(popup.get_by_role("button", name=label, exact=True)).to_be_visible()
    # Left to right: the previous month is on the left.
    previous = popup.get_by_role("button", name="Previous month").bounding_box()
    following = popup.get_by_role("button", name="Next month").bounding_box()
    assert previous["x"] < following["x"]

    popup.get_by_role("button", name="Today").click()
    expect(popup).to_have_count(0)
    expect(page.locator("#since")).to_have_value(today.isoformat())
    assert page.evaluate("window.recorded") == [
        ["since", "input", today.isoformat()],
        ["since", "change", today.isoformat()],
    ]
    assert errors == []


def test_a_leap_day_sunday_weeks_and_the_keyboard(browser):
    """2024-02-29 opens February 2024 with the 29th selected, weeks from Sunday; the arrows move
    a day (right is forward) or a week; Enter writes the focused day."""
    page, errors = _open(browser)
    until = page.locator("#until")
    until.click()
    popup = _popup(page)
    expect(_title(page)).to_have_text("February 2024")
    assert popup.get_by_role("columnheader").all_inner_texts()[0] == "Sun"
    assert _days(page) == [str(day) for day in range(1, 30)]
    selected = popup.locator("[role=gridcell][aria-selected=true]")
    expect(selected).to_have_text("29")
    # 2024-02-01 was a Thursday: the fifth column when weeks start on Sunday.
    assert popup.get_by_role("gridcell").first.evaluate("cell => cell.cellIndex") == 4
    popup.get_by_role("button", name="Next month").click()
    expect(_title(page)).to_have_text("March 2024")
    page.keyboard.press("Escape")

    until.press("Alt+ArrowDown")
    focused = page.locator(":focus")
    expect(focused).to_have_text("29")
    day = datetime.date(2024, 2, 29)
    for key, step in [("ArrowRight", 1), ("ArrowRight", 1), ("ArrowUp", -7), ("ArrowLeft", -1)]:
        page.keyboard.press(key)
        day += datetime.timedelta(days=step)
        expect(_title(page)).to_have_text(_english_title(day))
        expect(focused).to_have_text(str(day.day))
    page.keyboard.press("Enter")
    assert day == datetime.date(2024, 2, 23)
    expect(until).to_have_value("2024-02-23")
    expect(until).to_be_focused()
    assert errors == []


def test_turkish_and_kazakh_names_and_labels_from_the_server(browser):
    page, errors = _open(browser)
    today = datetime.date.today()
    _toggle(page, "satis").click()
    popup = _popup(page)
    expect(popup).to_have_attribute("lang", "tr")
    expect(_title(page)).to_have_text(f"{TURKISH_MONTHS[today.month - 1]} {today.year}")
    assert popup.get_by_role("columnheader").all_inner_texts()[:2] == ["Pzt", "Sal"]
    for label in ("Önceki ay", "Sonraki ay", "Bugün"):
        expect(popup.get_by_role("button", name=label, exact=True)).to_be_visible()
    expect(_toggle(page, "satis")).to_have_attribute("aria-label", "Tarih seçin")
    popup.get_by_role("button", name="Bugün").click()
    expect(page.locator("#satis")).to_have_value(today.isoformat())

    page.locator("#kun").click()
    expect(_popup(page)).to_have_attribute("lang", "kk")
    # The server's names: this browser's Intl knows no Kazakh ("2026 M05").
    expect(_title(page)).to_have_text("Мамыр 2026")
    assert _popup(page).get_by_role("columnheader").all_inner_texts() == [
        "Дб",
        "Сб",
        "Ср",
        "Бс",
        "Жм",
        "Сн",
        "Жк",
    ]
    expect(_popup(page).locator("[aria-selected=true]")).to_have_text("4")
    assert errors == []


@pytest.mark.parametrize(
    ("typed", "title", "selected"),
    [
        ("۲۰۲۴-۱۱-۰۵", "November 2024", "5"),
        ("٢٠٢٤/١١/٠٥", "November 2024", "5"),
        ("\u200f2024-11-05\u200f", "November 2024", "5"),
    ],
)
def test_persian_and_arabic_indic_digits_are_read(browser, typed, title, selected):
    page, errors = _open(browser)
    page.locator("#since").fill(typed)
    page.locator("#since").click()
    expect(_title(page)).to_have_text(title)
    expect(_popup(page).locator("[aria-selected=true]")).to_have_text(selected)
    assert errors == []


@pytest.mark.parametrize("typed", ["2026-02-30", "1403/05/20", "05.11.2024", "11/05/2024"])
def test_what_the_server_would_refuse_opens_the_current_month(browser, typed):
    page, errors = _open(browser)
    page.locator("#since").fill(typed)
    page.locator("#since").click()
    expect(_title(page)).to_have_text(_english_title(datetime.date.today()))
    expect(_popup(page).locator("[aria-selected=true]")).to_have_count(0)
    assert errors == []


# The console's date fields against the real server


def _today_in_org() -> datetime.date:
    return datetime.datetime.now(TEHRAN).date()


def _written(day: datetime.date, language: str) -> str:
    """A day as the date field writes it."""
    if language == "fa":
        return jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d")
    return day.isoformat()


def _month_title(day: datetime.date, language: str) -> str:
    if language == "fa":
        jalali = jdatetime.date.fromgregorian(date=day)
        return f"{JALALI_MONTHS[jalali.month - 1]} {str(jalali.year).translate(PERSIAN_DIGITS)}"
    if language == "tr":
        return f"{TURKISH_MONTHS[day.month - 1]} {day.year}"
    return _english_title(day)


@pytest.mark.parametrize("language", ["en", "tr", "fa"])
def test_the_audit_logs_date_filter_in_each_language(e2e_server, browser, language):
    context = browser.new_context(base_url=e2e_server.base_url, locale="en-US")
    context.add_cookies(
        [{"name": "aftercare_language", "value": language, "url": e2e_server.base_url + "/"}]
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto("/accounts/login/")
        page.fill("input[name=email]", e2e_server.data["demo"]["admin_email"])
        page.fill("input[name=password]", e2e_server.password)
        page.locator("form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/$"))
        page.goto("/accounts/settings/audit/")
        expect(page.locator("html")).to_have_attribute("lang", language)

        today = _today_in_org()
        since = page.locator("input[name=since]")
        expect(since).to_have_attribute("type", "text")
        expect(since).to_have_attribute("placeholder", _written(today, language))
        page.locator("input[name=since] + button").click()
        picker = page.get_by_role("dialog")
        expect(picker).to_have_attribute("dir", "rtl" if language == "fa" else "ltr")
        expect(picker.locator(".jalali-picker-title")).to_have_text(_month_title(today, language))
        if language == "fa":
            jalali = jdatetime.date.fromgregorian(date=today)
            picked = jdatetime.date(jalali.year, jalali.month, 1).togregorian()
        else:
            picked = today.replace(day=1)
        picker.locator(f"[data-date='{_written(picked, language)}']").click()
        expect(since).to_have_value(_written(picked, language))
        assert_accessible(page, f"the audit log with its date filter ({language})")

        page.get_by_test_id("audit-filters").locator("button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"since="))
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
        assert query["since"] == [_written(picked, language)]
        expect(page.get_by_test_id("error-since")).to_have_count(0)
        expect(since).to_have_value(_written(picked, language))

        # The browser's own order, as a date input showed it in en-US: refused, on the field.
        since.fill("12/01/2026")
        page.get_by_test_id("audit-filters").locator("button[type=submit]").click()
        error = page.get_by_test_id("error-since")
        expect(error).to_be_visible()
        expect(error).to_contain_text(_written(today, language))
        expect(since).to_have_attribute("aria-invalid", "true")

        if language == "fa":
            # Persian digits typed by hand are read too.
            since.fill(_written(picked, language).translate(PERSIAN_DIGITS))
            page.get_by_test_id("audit-filters").locator("button[type=submit]").click()
            expect(page.get_by_test_id("error-since")).to_have_count(0)
        assert errors == []
    finally:
        context.close()
