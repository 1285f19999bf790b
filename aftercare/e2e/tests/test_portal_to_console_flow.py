"""Issue 2, done-when 2: a customer's request goes from the portal to an agent and back.

In Debian's chromium, against the session's real server: the customer signs in with the link
emailed to them, picks the language in the footer, submits a request, an agent finds it in the
console's queue and replies, and the customer sees that reply on their request page. Run in
Persian (right-to-left, Jalali dates with Persian digits) and in English.
"""

import datetime
import re
import zoneinfo
from dataclasses import dataclass

import jdatetime
import pytest
from playwright.sync_api import Page, expect

from aftercare.e2e.tests.portal import portal_sign_in

ORG_TIME_ZONE = zoneinfo.ZoneInfo("Asia/Tehran")
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class Run:
    """What one language's run types and expects."""

    language: str
    start_locale: str
    start_language: str
    direction: str
    subject: str
    description: str
    purchase_date_typed: str
    purchase_date_shown: str
    reply: str


# Each run starts the browser in the other language, so the switcher really has to work.
RUNS = {
    "fa": Run(
        language="fa",
        start_locale="en-US",
        start_language="en",
        direction="rtl",
        subject="لباسشویی هنگام آبگیری صدای زیادی می‌دهد",
        description="از هفته‌ی گذشته موقع آبگیری صدای تق‌تق می‌آید و درِ دستگاه قفل می‌ماند.",
        purchase_date_typed="۱۴۰۴/۰۱/۱۵",
        purchase_date_shown="۱۴۰۴/۰۱/۱۵",
        reply="سلام، لطفاً فیلتر پمپ را تمیز کنید؛ اگر صدا ماند، تکنسین می‌فرستیم.",
    ),
    "en": Run(
        language="en",
        start_locale="fa-IR",
        start_language="fa",
        direction="ltr",
        subject="Washing machine is loud when it drains",
        description="Since last week it knocks while draining and the door stays locked.",
        purchase_date_typed="2025-04-04",
        purchase_date_shown="2025-04-04",
        reply="Hello, please clean the pump filter; if the noise stays we will send a technician.",
    ),
}


def _today_in_org() -> datetime.date:
    """Today's date where the organization is."""
    return datetime.datetime.now(ORG_TIME_ZONE).date()


def _expected_day(language: str) -> str:
    """Today as the request page should write it: Jalali in Persian digits, or ISO."""
    today = _today_in_org()
    if language == "fa":
        jalali = jdatetime.date.fromgregorian(date=today).strftime("%Y/%m/%d")
        return jalali.translate(PERSIAN_DIGITS)
    return today.isoformat()


def _new_page(browser, server, locale: str) -> Page:
    """A page in a fresh browser context (its own cookies) speaking to the server."""
    context = browser.new_context(base_url=server.base_url, locale=locale)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def _assert_language(page: Page, language: str, direction: str) -> None:
    """The page is rendered in this language and direction."""
    html = page.locator("html")
    expect(html).to_have_attribute("lang", re.compile(rf"^{language}\b"))
    expect(html).to_have_attribute("dir", direction)


def _switch_language(page: Page, language: str) -> None:
    """Choose a language in the footer's switcher; the page reloads in it."""
    with page.expect_navigation():
        page.select_option("select#language-select", language)


def _submit_request(page: Page, run: Run, *, product_id: int, serial: str) -> str:
    """Fill in the portal's request form and send it; the request's reference."""
    page.goto("/portal/demo/requests/new/")
    page.select_option("select[name=product_model]", str(product_id))
    page.fill("input[name=serial_number]", serial)
    page.fill("input[name=purchase_date]", run.purchase_date_typed)
    page.fill("input[name=seller]", "Digikala" if run.language == "en" else "دیجی‌کالا")
    page.select_option("select[name=kind]", "repair")
    page.fill("input[name=subject]", run.subject)
    page.fill("textarea[name=description]", run.description)
    page.get_by_test_id("submit-request").click()
    expect(page).to_have_url(re.compile(r"/portal/demo/requests/\d+/$"))
    reference = page.get_by_test_id("ticket-reference").inner_text().strip()
    assert re.fullmatch(r"[A-Z]+-\d{6,}", reference), reference
    return reference


def _assert_request_page(page: Page, run: Run, *, serial: str) -> None:
    """The request page shows what was sent, with dates in the language's calendar."""
    expect(page.get_by_test_id("ticket-subject")).to_have_text(run.subject)
    expect(page.get_by_test_id("ticket-description")).to_have_text(run.description)
    product = page.get_by_test_id("product-section")
    expect(product).to_contain_text(serial)
    expect(product.locator("time[datetime='2025-04-04']")).to_have_text(run.purchase_date_shown)

    created = page.get_by_test_id("ticket-created").inner_text().strip()
    day = _expected_day(run.language)
    assert created.startswith(day), f"opened {created!r}, expected it to start with {day!r}"
    timeline_times = page.locator("[data-testid=timeline-entry] time").all_inner_texts()
    assert timeline_times, "the timeline shows no dates"
    if run.language == "fa":
        for text in [created, *timeline_times]:
            assert not re.search(r"[0-9]", text), f"Latin digits in a Persian date: {text!r}"
            assert str(_today_in_org().year) not in text
    else:
        for text in [created, *timeline_times]:
            assert not re.search(r"[۰-۹]", text), f"Persian digits in an English date: {text!r}"


def _agent_replies(browser, server, *, reference: str, run: Run) -> None:
    """An agent signs in to the console, finds the request in the queue and replies."""
    page = _new_page(browser, server, "en-US")
    try:
        page.goto("/accounts/login/")
        page.fill("input[name=email]", server.data["demo"]["agent_email"])
        page.fill("input[name=password]", server.password)
        page.locator("form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/$"))

        page.goto("/?queue=unassigned")
        row = page.get_by_test_id("queue-row").filter(has_text=reference)
        expect(row).to_have_count(1)
        expect(row).to_contain_text(run.subject)
        row.get_by_role("link").first.click()
        expect(page).to_have_url(re.compile(r"/requests/\d+/$"))
        expect(page.locator("body")).to_contain_text(run.description)

        reply_form = page.locator("form").filter(has=page.get_by_test_id("send-reply"))
        reply_form.locator("textarea[name=body]").fill(run.reply)
        reply_form.get_by_test_id("send-reply").click()
        expect(page.get_by_test_id("timeline-reply").filter(has_text=run.reply)).to_have_count(1)
    finally:
        page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", list(RUNS))
def test_portal_request_reaches_agent_and_reply_reaches_customer(e2e_server, browser, language):
    """Portal sign-in by link, language switch, request, agent reply in the console, reply seen."""
    run = RUNS[language]
    customer = e2e_server.data["demo"]["customers"][language]
    product = e2e_server.data["demo"]["product"]
    serial = f"WM8-{language.upper()}-000{len(language)}77"

    page = _new_page(browser, e2e_server, run.start_locale)
    try:
        page.goto("/portal/demo/login/")
        _assert_language(page, run.start_language, "rtl" if run.start_language == "fa" else "ltr")
        portal_sign_in(page, e2e_server, email=customer["email"])
        _switch_language(page, run.language)
        _assert_language(page, run.language, run.direction)

        reference = _submit_request(page, run, product_id=product["id"], serial=serial)
        _assert_language(page, run.language, run.direction)
        _assert_request_page(page, run, serial=serial)

        _agent_replies(browser, e2e_server, reference=reference, run=run)

        page.reload()
        _assert_language(page, run.language, run.direction)
        reply = page.get_by_test_id("timeline-entry").filter(has_text=run.reply)
        expect(reply).to_have_count(1)
        expect(reply).to_have_attribute("data-kind", "reply")
        expect(reply.locator("[dir=auto]", has_text=run.reply)).to_have_count(1)
    finally:
        page.context.close()
