"""The Jalali date picker (static/aftercare/jalali-calendar.js, jalali-picker.js) in chromium.

No server: a standalone page loads the script and its stylesheet from the source tree by a
file:// URL. The expected calendar (months, leap years, weekdays, conversions) comes from
jdatetime, not from the script under test.
"""

import datetime
import random
from pathlib import Path

import jdatetime
import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

PAGE_URL = Path(__file__).with_name("jalali_picker_page.html").as_uri()
MONTHS = (
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
)
WEEKDAYS = ("ش", "ی", "د", "س", "چ", "پ", "ج")
OPEN_LABEL = "انتخاب تاریخ"
RANDOM_DATES = 400
FIRST_YEAR, LAST_YEAR = 1300, 1500


def fa(value: int) -> str:
    """A number in Persian digits."""
    return str(value).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def month_days(year: int, month: int) -> int:
    """Days in a Jalali month, by jdatetime."""
    first = jdatetime.date(year, month, 1)
    following = jdatetime.date(year + month // 12, month % 12 + 1, 1)
    return (following - first).days


def title(date: jdatetime.date) -> str:
    """What the picker's header shows for the month of this date."""
    return f"{MONTHS[date.month - 1]} {fa(date.year)}"


def _open(browser) -> tuple[Page, list[str]]:
    """The test page, with its console errors collected and input/change events recorded."""
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
    """The calendar button next to an input."""
    return page.locator(f"#{input_id} ~ button").and_(page.get_by_role("button", name=OPEN_LABEL))


def _popup(page: Page) -> Locator:
    return page.get_by_role("dialog")


def _title(page: Page) -> Locator:
    return _popup(page).locator(".jalali-picker-title")


def _day(page: Page, date: jdatetime.date) -> Locator:
    """A day cell, by its accessible name (day, month, year)."""
    name = f"{fa(date.day)} {MONTHS[date.month - 1]} {fa(date.year)}"
    return _popup(page).get_by_role("gridcell", name=name, exact=True)


def _day_texts(page: Page) -> list[str]:
    return _popup(page).get_by_role("gridcell").all_inner_texts()


def test_opens_on_the_current_jalali_month_in_persian(browser):
    """Empty input: today's month, Persian names and digits, weeks from Saturday, below it."""
    page, errors = _open(browser)
    today = jdatetime.date.fromgregorian(date=datetime.date.today())
    toggle = _toggle(page, "start_date")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()

    popup = _popup(page)
    expect(popup).to_be_visible()
    expect(popup).to_have_attribute("aria-modal", "false")
    expect(popup).to_have_attribute("dir", "rtl")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(_title(page)).to_have_text(title(today))
    expect(popup.get_by_role("grid")).to_have_count(1)
    assert popup.get_by_role("columnheader").all_inner_texts() == list(WEEKDAYS)
    days = month_days(today.year, today.month)
    assert _day_texts(page) == [fa(day) for day in range(1, days + 1)]
    first = jdatetime.date(today.year, today.month, 1)
    # jdatetime counts weekdays from Saturday, as the grid's columns do.
    assert popup.get_by_role("gridcell").first.evaluate("cell => cell.cellIndex") == first.weekday()
    current = popup.locator("[role=gridcell][aria-current=date]")
    expect(current).to_have_count(1)
    expect(current).to_have_text(fa(today.day))
    expect(popup.locator("[aria-selected=true]")).to_have_count(0)
    for label in ("ماه قبل", "ماه بعد", "امروز"):
        expect(popup.get_by_role("button", name=label, exact=True)).to_be_visible()

    field = page.locator("#start_date").bounding_box()
    box = popup.bounding_box()
    assert box["y"] >= field["y"] + field["height"], (box, field)

    page.locator("#outside").click()
    expect(popup).to_have_count(0)
    expect(toggle).to_have_attribute("aria-expanded", "false")

    page.locator("#start_date").click()
    expect(popup).to_be_visible()
    popup.get_by_role("button", name="امروز").click()
    expect(popup).to_have_count(0)
    expected = f"{today.year}/{today.month:02d}/{today.day:02d}"
    expect(page.locator("#start_date")).to_have_value(expected)
    assert errors == []


def test_existing_value_month_navigation_and_picking_a_day(browser):
    """1403/12/29 opens Esfand 1403 (30 days, leap) with the 29th selected; next month crosses
    into 1404; a click writes the date in Latin digits and fires input and change."""
    page, errors = _open(browser)
    end = page.locator("#end_date")
    end.click()
    popup = _popup(page)
    next_month = popup.get_by_role("button", name="ماه بعد", exact=True)
    previous_month = popup.get_by_role("button", name="ماه قبل", exact=True)

    expect(_title(page)).to_have_text("اسفند ۱۴۰۳")
    selected = popup.locator("[role=gridcell][aria-selected=true]")
    expect(selected).to_have_count(1)
    expect(selected).to_have_text(fa(29))
    assert jdatetime.date(1403, 1, 1).isleap()
    assert month_days(1403, 12) == 30
    assert _day_texts(page) == [fa(day) for day in range(1, 31)]

    next_month.click()
    expect(_title(page)).to_have_text("فروردین ۱۴۰۴")
    assert _day_texts(page) == [fa(day) for day in range(1, month_days(1404, 1) + 1)]
    expect(selected).to_have_count(0)
    previous_month.click()
    expect(_title(page)).to_have_text("اسفند ۱۴۰۳")
    expect(selected).to_have_text(fa(29))
    next_month.click()

    _day(page, jdatetime.date(1404, 1, 5)).click()
    expect(end).to_have_value("1404/01/05")
    expect(popup).to_have_count(0)
    assert page.evaluate("window.recorded") == [
        ["end_date", "input", "1404/01/05"],
        ["end_date", "change", "1404/01/05"],
    ]

    end.click()
    expect(_title(page)).to_have_text("فروردین ۱۴۰۴")
    expect(selected).to_have_text(fa(5))
    for month in range(2, 13):
        next_month.click()
        expect(_title(page)).to_have_text(f"{MONTHS[month - 1]} ۱۴۰۴")
        assert _day_texts(page) == [fa(day) for day in range(1, month_days(1404, month) + 1)]
    assert not jdatetime.date(1404, 1, 1).isleap()
    assert month_days(1404, 12) == 29 and len(_day_texts(page)) == 29
    next_month.click()
    expect(_title(page)).to_have_text("فروردین ۱۴۰۵")

    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    expect(end).to_be_focused()
    end.click()
    expect(popup).to_be_visible()
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    assert errors == []


def test_keyboard_moves_the_focused_day_and_enter_picks_it(browser):
    """Alt+ArrowDown opens on the typed date (Persian digits, dashes); arrows move a day (left
    is forward in RTL) or a week, across months and years; Enter writes the focused day."""
    page, errors = _open(browser)
    start = page.locator("#start_date")
    start.fill("۱۴۰۳-۱۲-۲۹")
    start.press("Alt+ArrowDown")
    popup = _popup(page)
    expect(popup).to_be_visible()
    # Focus left the edited input for the grid, so the browser fired its own change already.
    page.evaluate("window.recorded = []")
    focused = page.locator(":focus")
    date = jdatetime.date(1403, 12, 29)
    expect(_title(page)).to_have_text(title(date))
    expect(focused).to_have_text(fa(29))
    expect(focused).to_have_attribute("aria-selected", "true")

    steps = [
        ("ArrowLeft", 1),
        ("ArrowLeft", 1),
        ("ArrowLeft", 1),
        ("ArrowUp", -7),
        ("ArrowRight", -1),
        ("ArrowDown", 7),
        ("ArrowUp", -7),
    ]
    for key, days in steps:
        page.keyboard.press(key)
        date += datetime.timedelta(days=days)
        expect(_title(page)).to_have_text(title(date))
        expect(focused).to_have_text(fa(date.day))
        expect(focused).to_have_attribute("role", "gridcell")

    page.keyboard.press("Enter")
    expected = f"{date.year}/{date.month:02d}/{date.day:02d}"
    assert expected == "1403/12/24"
    expect(start).to_have_value(expected)
    expect(popup).to_have_count(0)
    expect(start).to_be_focused()
    assert page.evaluate("window.recorded") == [
        ["start_date", "input", expected],
        ["start_date", "change", expected],
    ]

    page.locator("#outside").click()
    start.fill("")
    start.press("Alt+ArrowDown")
    today = jdatetime.date.fromgregorian(date=datetime.date.today())
    expect(_title(page)).to_have_text(title(today))
    expect(focused).to_have_attribute("aria-current", "date")
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    expect(start).to_be_focused()
    assert errors == []


@pytest.mark.parametrize("value", ["1403/13/01", "1404/12/30", "abc", "1403/1/"])
def test_an_invalid_value_shows_the_current_month(browser, value):
    page, errors = _open(browser)
    page.locator("#end_date").fill(value)
    page.locator("#end_date").click()
    today = jdatetime.date.fromgregorian(date=datetime.date.today())
    expect(_title(page)).to_have_text(title(today))
    expect(_popup(page).locator("[aria-selected=true]")).to_have_count(0)
    assert errors == []


@pytest.mark.parametrize("value", ["2026-03-21", "۲۰۲۶/۰۳/۲۱", "\u200f1405-01-01\u200f"])
def test_a_gregorian_date_opens_on_its_jalali_day(browser, value):
    """The server reads a year from 1700 on as Gregorian in a Persian field: so does the picker."""
    page, errors = _open(browser)
    page.locator("#end_date").fill(value)
    page.locator("#end_date").click()
    expect(_title(page)).to_have_text("فروردین ۱۴۰۵")
    expect(_popup(page).locator("[aria-selected=true]")).to_have_text(fa(1))
    assert errors == []


def test_attaching_twice_and_htmx_swaps(browser):
    """One picker per input however often it is attached; inputs swapped in by htmx get one."""
    page, errors = _open(browser)
    buttons = page.get_by_role("button", name=OPEN_LABEL)
    expect(buttons).to_have_count(2)
    same = page.evaluate(
        """() => {
            const input = document.getElementById("start_date");
            const first = JalaliPicker.attach(input);
            JalaliPicker.attachAll(document);
            JalaliPicker.attachAll(input);
            return first === JalaliPicker.attach(input);
        }"""
    )
    assert same is True
    expect(buttons).to_have_count(2)

    page.evaluate(
        """() => {
            const part = document.createElement("div");
            part.id = "swapped";
            part.innerHTML = '<input type="text" id="due" name="due" data-jalali-picker dir="ltr">';
            document.body.appendChild(part);
            const detail = {target: part, elt: part};
            part.dispatchEvent(new CustomEvent("htmx:load", {bubbles: true, detail}));
            part.dispatchEvent(new CustomEvent("htmx:afterSwap", {bubbles: true, detail}));
        }"""
    )
    expect(buttons).to_have_count(3)
    _toggle(page, "due").click()
    expect(_popup(page)).to_have_count(1)
    _toggle(page, "start_date").click()
    expect(_popup(page)).to_have_count(1)
    expect(_popup(page)).to_be_visible()
    assert errors == []


def test_conversion_matches_jdatetime(browser):
    """toJalali, toGregorian and isLeapJalali agree with jdatetime over Jalali 1300-1500."""
    page, errors = _open(browser)
    assert page.evaluate("JalaliPicker.toGregorian(1404, 1, 1)") == [2025, 3, 21]
    assert page.evaluate("JalaliPicker.toJalali(2026, 3, 21)") == [1405, 1, 1]

    start = jdatetime.date(FIRST_YEAR, 1, 1).togregorian()
    end = jdatetime.date(LAST_YEAR, 12, month_days(LAST_YEAR, 12)).togregorian()
    rng = random.Random(1403)
    dates = [
        start + datetime.timedelta(days=rng.randrange((end - start).days + 1))
        for _ in range(RANDOM_DATES)
    ]
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        dates.append(jdatetime.date(year, 1, 1).togregorian())
        dates.append(jdatetime.date(year, 12, month_days(year, 12)).togregorian())
    cases = []
    for gregorian in dates:
        jalali = jdatetime.date.fromgregorian(date=gregorian)
        cases.append(
            [
                [gregorian.year, gregorian.month, gregorian.day],
                [jalali.year, jalali.month, jalali.day],
            ]
        )
    results = page.evaluate(
        """cases => cases.map(([g, j]) => [
            JalaliPicker.toJalali(g[0], g[1], g[2]),
            JalaliPicker.toGregorian(j[0], j[1], j[2]),
        ])""",
        cases,
    )
    mismatches = [
        (gregorian, jalali, result)
        for (gregorian, jalali), result in zip(cases, results, strict=True)
        if result != [jalali, gregorian]
    ]
    assert mismatches == [], mismatches[:10]

    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    leaps = page.evaluate("years => years.map(JalaliPicker.isLeapJalali)", years)
    assert leaps == [jdatetime.date(year, 1, 1).isleap() for year in years]
    assert errors == []
