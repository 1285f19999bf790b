"""Issue 10, done-when 1 and 2: a repair from the customer's unit to the receipt, and a quote
out of warranty, in Debian's chromium against the session's real server.

1. In Persian and in English: a customer signs in to the portal with an emailed link,
   registers a unit (the serial typed in Persian digits in the Persian run, stored in ASCII)
   and asks for a repair of it; an agent sees "In warranty until …" on the request; the
   technician opens a work order, diagnoses it with a fault code, reserves and fits a part (the
   location's stock goes down by one and the ledger shows the consumption) and moves it to ready
   and delivered; the customer sees each stage on the request page, and downloads the receipt.
2. A unit whose warranty expired years ago: the work order is billed to the customer, the
   technician reserves a part, logs labour and sends a quote; the customer approves it (the
   repair goes on) or, in the other run, declines it (the work order is cancelled and the part
   is free again).

Every page these pass through that issue 10 added or changed is checked with axe in the
language of its run (the agent works in English), and the technician's day view also on a
phone.
"""

import datetime
import re
import zoneinfo
from dataclasses import dataclass

import jdatetime
import pytest
from playwright.sync_api import Page, expect

from aftercare.e2e.tests.accessibility import VIEWPORTS, assert_accessible
from aftercare.e2e.tests.portal import portal_sign_in

ORG_TIME_ZONE = zoneinfo.ZoneInfo("Asia/Tehran")
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
LATIN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
LOCALES = {"fa": "fa-IR", "en": "en-US"}
DIRECTIONS = {"fa": "rtl", "en": "ltr"}
TIMEOUT_MS = 15_000
# Errors thrown by the pages' scripts, by page.
PAGE_ERRORS: dict = {}


@dataclass(frozen=True)
class Run:
    """What one language's run of the warranty repair types."""

    language: str
    serial_typed: str
    serial_stored: str
    seller: str
    subject: str
    description: str
    diagnosis: str
    work_done: str


RUNS = {
    "fa": Run(
        language="fa",
        serial_typed="DW5-۴۸۲۷۱۹",
        serial_stored="DW5-482719",
        seller="فروشگاه مرکزی",
        subject="ماشین ظرفشویی آب را تخلیه نمی‌کند",
        description="بعد از پایان برنامه آب در کف دستگاه می‌ماند و خطای E21 نشان می‌دهد.",
        diagnosis="پمپ تخلیه گرفته و سوخته است.",
        work_done="پمپ تخلیه تعویض و دستگاه آزمایش شد.",
    ),
    "en": Run(
        language="en",
        serial_typed="DW5-591034",
        serial_stored="DW5-591034",
        seller="Central store",
        subject="The dishwasher does not drain",
        description="Water stays at the bottom after the programme ends and it shows E21.",
        diagnosis="The drain pump is blocked and burnt out.",
        work_done="Replaced the drain pump and ran a test programme.",
    ),
}


# --- Helpers ---


def _today() -> datetime.date:
    """Today where the organization is."""
    return datetime.datetime.now(ORG_TIME_ZONE).date()


def _latin(text: str) -> str:
    return text.translate(LATIN_DIGITS)


def _shown_date(day: datetime.date, language: str) -> str:
    """A date as the pages write it (and the customer types it): Jalali in Persian digits, or
    ISO."""
    if language == "fa":
        return jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d").translate(PERSIAN_DIGITS)
    return day.isoformat()


def _page(browser, server, *, language: str, screen: str = "desktop") -> Page:
    """A page in a fresh browser context (its own cookies) in this language."""
    context = browser.new_context(
        base_url=server.base_url, locale=LOCALES[language], **VIEWPORTS[screen]
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("pageerror", lambda error: PAGE_ERRORS.setdefault(page, []).append(str(error)))
    return page


def _close(*pages: Page) -> None:
    """Close the pages' contexts; fail if a script on any of them threw."""
    errors = [error for page in pages for error in PAGE_ERRORS.pop(page, [])]
    for page in pages:
        page.context.close()
    assert errors == [], errors


def _check(page: Page, label: str, language: str, screen: str = "desktop") -> None:
    """The page is in the language and passes axe."""
    expect(page.locator("html")).to_have_attribute("lang", re.compile(rf"^{language}\b"))
    expect(page.locator("html")).to_have_attribute("dir", DIRECTIONS[language])
    assert_accessible(page, f"{label} ({language}, {screen})")


def _staff_sign_in(page: Page, server, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", server.password)
    page.locator("form button[type=submit]").click()
    expect(page.get_by_test_id("sign-out")).to_have_count(1)


def _request_for_unit(page: Page, *, unit_id: int, subject: str, description: str) -> str:
    """From the unit's page, ask for service: the request form names the unit. The new
    request's reference."""
    page.get_by_test_id("request-for-unit").click()
    expect(page).to_have_url(re.compile(rf"/portal/demo/requests/new/\?unit={unit_id}$"))
    expect(page.locator("select[name=unit]")).to_have_value(str(unit_id))
    page.select_option("select[name=kind]", "repair")
    page.fill("input[name=subject]", subject)
    page.fill("textarea[name=description]", description)
    page.get_by_test_id("submit-request").click()
    expect(page).to_have_url(re.compile(r"/portal/demo/requests/\d+/$"))
    return page.get_by_test_id("ticket-reference").inner_text().strip()


def _open_from_queue(page: Page, reference: str) -> int:
    """Find the request in the console's unassigned queue and open it; its id."""
    page.goto("/?queue=unassigned")
    row = page.get_by_test_id("queue-row").filter(has_text=reference)
    expect(row).to_have_count(1)
    ticket_id = int(row.get_attribute("data-ticket-id"))
    row.get_by_role("link").first.click()
    # The console's address is the request's number, the end of its reference.
    expect(page).to_have_url(re.compile(rf"/requests/{int(reference.rsplit('-', 1)[1])}/$"))
    return ticket_id


def _stock(page: Page, *, location_id: int, sku: str) -> tuple[int, int]:
    """On hand and reserved of a part on its location's stock page."""
    page.goto(f"/stock/locations/{location_id}/")
    row = page.get_by_test_id("level-row").filter(has_text=sku)
    expect(row).to_have_count(1)
    on_hand = int(_latin(row.get_by_test_id("on-hand").inner_text().strip()))
    reserved = int(_latin(row.get_by_test_id("reserved").inner_text().strip()))
    free = int(_latin(row.get_by_test_id("free").inner_text().strip()))
    assert free == on_hand - reserved, (on_hand, reserved, free)
    return on_hand, reserved


def _open_work_order(
    page: Page, server, *, ticket_id: int, unit_id: int, fault_id: int | None
) -> tuple[int, str]:
    """On the request's console page, open a work order on its unit, given to the technician,
    with parts from the warehouse; its id and reference."""
    repairs = server.data["demo"]["repairs"]
    page.goto(f"/requests/by-id/{ticket_id}/")
    page.get_by_test_id("work-orders-panel").get_by_test_id("open-work-order").click()
    expect(page).to_have_url(re.compile(rf"/repairs/new/\?ticket={ticket_id}$"))
    form = page.get_by_test_id("work-order-form")
    expect(form.locator("select[name=unit_id]")).to_have_value(str(unit_id))
    form.locator("select[name=kind]").select_option("service_centre")
    if fault_id is not None:
        form.locator("select[name=reported_fault_id]").select_option(str(fault_id))
    form.locator("select[name=technician_id]").select_option(str(repairs["technician"]["id"]))
    form.locator("select[name=stock_location_id]").select_option(str(repairs["location"]["id"]))
    page.get_by_test_id("save-work-order").click()
    expect(page).to_have_url(re.compile(r"/repairs/\d+/$"))
    work_order_id = int(re.search(r"/repairs/(\d+)/$", page.url).group(1))
    reference = page.get_by_test_id("work-order-reference").inner_text().strip()
    assert re.fullmatch(r"WO-\d{6}", reference), reference
    return work_order_id, reference


def _diagnose(page: Page, *, text: str, fault: dict) -> None:
    section = page.get_by_test_id("diagnosis")
    section.locator("summary").click()
    form = section.get_by_test_id("diagnose-form")
    form.locator("textarea[name=diagnosis]").fill(text)
    form.locator("select[name=root_cause_id]").select_option(str(fault["id"]))
    form.locator("button[type=submit]").click()
    expect(section.get_by_test_id("root-cause")).to_contain_text(fault["code"])
    expect(section.get_by_test_id("diagnosis-text")).to_have_text(text)


def _add_part(page: Page, part: dict) -> None:
    """Ask for one of the part from the work order's stock: it is reserved there."""
    form = page.get_by_test_id("add-part-form")
    form.locator("select[name=part_id]").select_option(str(part["id"]))
    form.locator("input[name=quantity]").fill("1")
    form.get_by_test_id("add-part").click()
    row = page.get_by_test_id("part-row").filter(has_text=part["sku"])
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-status", "reserved")


def _move(page: Page, stage: str) -> None:
    """Move the work order on, with the stage card's button."""
    page.get_by_test_id("stage-form").get_by_test_id(f"stage-{stage}").click()
    expect(page.get_by_test_id("stage-card").get_by_test_id("stage-badge")).to_have_attribute(
        "data-value", stage
    )


def _stage_times_in_language(card, language: str) -> None:
    """The times on the progress line are today's, in the language's calendar and digits."""
    times = card.locator("[data-testid=repair-step] time").all_inner_texts()
    assert times, "the progress line shows no times"
    today = _shown_date(_today(), language)
    for text in times:
        assert text.startswith(today), (text, today)
        if language == "fa":
            assert not re.search(r"[0-9]", text), f"Latin digits in a Persian date: {text!r}"


def _customer_sees_stage(page: Page, reference: str, stage: str, language: str) -> None:
    """The customer reloads the request page: the work order is at this stage."""
    page.reload()
    card = page.get_by_test_id("work-order").filter(has_text=reference)
    expect(card).to_have_attribute("data-stage", stage)
    current = card.locator("[data-testid=repair-step][data-state=current]")
    expect(current).to_have_count(1)
    expect(current).to_have_attribute("data-stage", stage)
    _stage_times_in_language(card, language)


# --- Done-when 1 ---


@pytest.mark.browser
@pytest.mark.parametrize("language", list(RUNS))
def test_a_repair_in_warranty_from_the_portal_to_the_receipt(e2e_server, browser, language):
    server = e2e_server
    run = RUNS[language]
    demo = server.data["demo"]
    repairs = demo["repairs"]
    customer = repairs["customers"][language]
    product, part, fault = repairs["product"], repairs["part"], repairs["fault_codes"][0]
    location_id = repairs["location"]["id"]
    # Bought on the 15th, seven months ago: 24 months of warranty end on the 14th two years on.
    today = _today()
    months = today.year * 12 + today.month - 1 - 7
    bought = datetime.date(months // 12, months % 12 + 1, 15)
    until = datetime.date(bought.year + 2, bought.month, 14)
    assert repairs["policy"]["months"] == 24

    customer_page = _page(browser, server, language=language)
    agent_page = _page(browser, server, language="en")
    technician_page = _page(browser, server, language=language)
    phone_page = _page(browser, server, language=language, screen="phone")
    try:
        # The customer registers the unit.
        page = customer_page
        portal_sign_in(page, server, email=customer["email"])
        page.get_by_test_id("nav-my-products").click()
        expect(page.get_by_test_id("no-units")).to_be_visible()
        _check(page, "the portal's products, none yet", language)
        page.get_by_test_id("register-product").first.click()
        expect(page).to_have_url(re.compile(r"/portal/demo/units/new/$"))
        _check(page, "the portal's product registration", language)
        form = page.get_by_test_id("unit-form")
        form.locator("select[name=product_model]").select_option(str(product["id"]))
        form.locator("input[name=serial_number]").fill(run.serial_typed)
        form.locator("input[name=purchase_date]").fill(_shown_date(bought, language))
        form.locator("input[name=seller]").fill(run.seller)
        form.locator("input[name=invoice_reference]").fill(f"INV-{language.upper()}-7781")
        page.get_by_test_id("submit-unit").click()
        expect(page).to_have_url(re.compile(r"/portal/demo/units/\d+/$"))
        unit_id = int(re.search(r"/units/(\d+)/$", page.url).group(1))
        expect(page.get_by_test_id("unit-serial")).to_have_text(run.serial_stored)
        coverage = page.get_by_test_id("coverage")
        expect(coverage).to_have_attribute("data-covered", "yes")
        if language == "fa":
            expect(coverage).to_contain_text(_shown_date(until, "fa"))
            expect(page.locator("body")).to_contain_text(_shown_date(bought, "fa"))
        else:
            expect(coverage).to_have_text(f"In warranty until {until.isoformat()}")
        _check(page, "the portal's product page", language)
        page.get_by_test_id("nav-my-products").click()
        row = page.get_by_test_id("unit-row")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(run.serial_stored)
        expect(row.get_by_test_id("coverage")).to_have_attribute("data-covered", "yes")
        _check(page, "the portal's products", language)
        row.click()

        # ...and asks for its repair.
        page.get_by_test_id("request-for-unit").click()
        _check(page, "the portal's request form with a unit", language)
        page.go_back()
        reference = _request_for_unit(
            page, unit_id=unit_id, subject=run.subject, description=run.description
        )
        product_section = page.get_by_test_id("product-section")
        expect(product_section).to_contain_text(run.serial_stored)
        expect(product_section.locator(f"time[datetime='{bought.isoformat()}']")).to_have_text(
            _shown_date(bought, language)
        )

        # The agent (in English) sees the request is in warranty, and until when.
        page = agent_page
        _staff_sign_in(page, server, demo["agent_email"])
        ticket_id = _open_from_queue(page, reference)
        expect(page.get_by_test_id("unit-coverage")).to_have_text(
            f"In warranty until {until.isoformat()}"
        )
        expect(page.get_by_test_id("serial-number")).to_have_text(run.serial_stored)
        _check(page, "a request with a registered unit", "en")
        page.get_by_test_id("ticket-unit").get_by_role("link").click()
        expect(page).to_have_url(re.compile(rf"/units/{unit_id}/$"))
        expect(page.locator("body")).to_contain_text(run.serial_stored)
        _check(page, "a unit", "en")

        # The technician opens a work order on it: the warranty pays.
        page = technician_page
        _staff_sign_in(page, server, repairs["technician"]["email"])
        page.goto(f"/requests/by-id/{ticket_id}/")
        expect(page.get_by_test_id("unit-coverage")).to_contain_text(_shown_date(until, language))
        _check(page, "a request with a registered unit", language)
        page.get_by_test_id("ticket-unit").get_by_role("link").click()
        expect(page).to_have_url(re.compile(rf"/units/{unit_id}/$"))
        _check(page, "a unit", language)
        on_hand, reserved = _stock(page, location_id=location_id, sku=part["sku"])
        _check(page, "a stock location", language)

        page.goto(f"/requests/by-id/{ticket_id}/")
        page.get_by_test_id("work-orders-panel").get_by_test_id("open-work-order").click()
        _check(page, "the work order form", language)
        work_order_id, work_order = _open_work_order(
            page, server, ticket_id=ticket_id, unit_id=unit_id, fault_id=fault["id"]
        )
        expect(page.get_by_test_id("billing-badge").first).to_have_attribute(
            "data-value", "warranty"
        )
        expect(page.get_by_test_id("coverage-card").get_by_test_id("coverage")).to_contain_text(
            _shown_date(until, language)
        )
        expect(page.get_by_test_id("claim-status")).to_be_visible()
        _check(page, "a work order", language)
        _customer_sees_stage(customer_page, work_order, "received", language)
        _check(customer_page, "the portal's request with a work order", language)

        _diagnose(page, text=run.diagnosis, fault=fault)
        expect(page.get_by_test_id("stage-card").get_by_test_id("stage-badge")).to_have_attribute(
            "data-value", "diagnosing"
        )
        _customer_sees_stage(customer_page, work_order, "diagnosing", language)

        _add_part(page, part)
        row = page.get_by_test_id("part-row").filter(has_text=part["sku"])
        row.get_by_test_id("use-part").click()
        expect(row).to_have_attribute("data-status", "used")
        page.get_by_test_id("work-done-form").locator("textarea[name=work_done]").fill(
            run.work_done
        )
        page.get_by_test_id("work-done-form").locator("button[type=submit]").click()
        expect(page.get_by_test_id("work-done-form").locator("textarea")).to_have_value(
            run.work_done
        )
        _check(page, "a work order with a part fitted", language)

        # The ledger: one fewer on hand, and the consumption with the work order's reference.
        assert _stock(page, location_id=location_id, sku=part["sku"]) == (on_hand - 1, reserved)
        page.get_by_test_id("location-ledger").click()
        expect(page).to_have_url(re.compile(rf"/stock/ledger/\?location={location_id}$"))
        used = page.locator("[data-testid=move-row][data-kind=consumption]").filter(
            has_text=work_order
        )
        expect(used).to_have_count(1)
        expect(used).to_contain_text(part["sku"])
        assert _latin(used.get_by_test_id("quantity").inner_text().strip()) == "-1"
        assert int(_latin(used.get_by_test_id("balance").inner_text())) == on_hand - 1
        _check(page, "the stock ledger", language)

        # My day: the work order is the technician's, on a desktop and a phone.
        page.goto("/repairs/my-day/")
        expect(page.get_by_test_id("day-work-order").filter(has_text=work_order)).to_have_count(1)
        _check(page, "the technician's day", language)
        _staff_sign_in(phone_page, server, repairs["technician"]["email"])
        phone_page.goto("/repairs/my-day/")
        day_row = phone_page.get_by_test_id("day-work-order").filter(has_text=work_order)
        expect(day_row).to_have_count(1)
        _check(phone_page, "the technician's day", language, "phone")

        page.goto(f"/repairs/{work_order_id}/")
        for stage in ("in_repair", "ready", "delivered"):
            _move(page, stage)
            _customer_sees_stage(customer_page, work_order, stage, language)

        # The customer downloads the receipt.
        page = customer_page
        card = page.get_by_test_id("work-order").filter(has_text=work_order)
        expect(card.get_by_test_id("work-order-coverage")).to_have_attribute("data-covered", "true")
        _check(page, "the portal's request with a delivered repair", language)
        receipt = card.get_by_test_id("document-receipt")
        with page.expect_download() as download_info:
            receipt.click()
        download = download_info.value
        assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
        with open(download.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
        response = page.request.get(receipt.get_attribute("href"))
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF-")
    finally:
        _close(customer_page, agent_page, technician_page, phone_page)


# --- Done-when 2 ---


@pytest.mark.browser
@pytest.mark.parametrize(
    ("decision", "language"),
    [("approve", "en"), ("decline", "fa")],
    ids=["approve-en", "decline-fa"],
)
def test_out_of_warranty_the_customer_decides_the_quote(e2e_server, browser, decision, language):
    server = e2e_server
    repairs = server.data["demo"]["repairs"]
    customer = repairs["expired_customers"][language]
    unit = customer["unit"]
    part, fault = repairs["part"], repairs["fault_codes"][1]
    location_id = repairs["location"]["id"]
    bought = datetime.date.fromisoformat(unit["purchase_date"])
    # Bought on a 10th four years ago: 24 months of warranty ended on the 9th two years on.
    assert bought.day == 10
    expired_on = datetime.date(bought.year + 2, bought.month, 9)
    subject = {"en": "The dishwasher leaks", "fa": "ماشین ظرفشویی نشتی دارد"}[language]

    customer_page = _page(browser, server, language=language)
    technician_page = _page(browser, server, language=language)
    try:
        # The customer sees the warranty is over, and asks for a repair anyway.
        page = customer_page
        portal_sign_in(page, server, email=customer["email"])
        page.goto(f"/portal/demo/units/{unit['id']}/")
        coverage = page.get_by_test_id("coverage")
        expect(coverage).to_have_attribute("data-covered", "no")
        expect(coverage).to_have_attribute("data-reason", "expired")
        expect(coverage).to_contain_text(_shown_date(expired_on, language))
        reference = _request_for_unit(
            page, unit_id=unit["id"], subject=subject, description=f"{subject}: E15."
        )

        # The technician: billed to the customer; a part reserved, labour, a quote.
        page = technician_page
        _staff_sign_in(page, server, repairs["technician"]["email"])
        ticket_id = _open_from_queue(page, reference)
        on_hand, reserved = _stock(page, location_id=location_id, sku=part["sku"])
        work_order_id, work_order = _open_work_order(
            page, server, ticket_id=ticket_id, unit_id=unit["id"], fault_id=None
        )
        expect(page.get_by_test_id("billing-badge").first).to_have_attribute(
            "data-value", "customer"
        )
        expect(page.get_by_test_id("coverage-card").get_by_test_id("coverage")).to_contain_text(
            _shown_date(expired_on, language)
        )
        _diagnose(page, text="Door seal torn; water leaks under the door.", fault=fault)
        _add_part(page, part)
        assert _stock(page, location_id=location_id, sku=part["sku"]) == (on_hand, reserved + 1)

        page.goto(f"/repairs/{work_order_id}/")
        labour = page.get_by_test_id("labour-form")
        labour.locator("input[name=minutes]").fill("45")
        labour.locator("input[name=description]").fill("Diagnosis and taking the door apart")
        labour.locator("button[type=submit]").click()
        expect(page.get_by_test_id("labour-row")).to_have_count(1)
        quote_form = page.get_by_test_id("quote-form")
        quote_form.locator("textarea[name=note]").fill("Pump and door seal, about an hour.")
        quote_form.get_by_test_id("send-quote").click()
        sent = page.locator("[data-testid=quote-row][data-status=sent]")
        expect(sent).to_have_count(1)
        expect(page.get_by_test_id("stage-card").get_by_test_id("stage-badge")).to_have_attribute(
            "data-value", "awaiting_approval"
        )
        _check(page, "a work order with a quote sent", language)

        # The customer reads the quote on the request page and decides.
        page = customer_page
        _customer_sees_stage(page, work_order, "awaiting_approval", language)
        card = page.get_by_test_id("work-order").filter(has_text=work_order)
        expect(card.get_by_test_id("work-order-billing")).to_be_visible()
        open_quote = card.get_by_test_id("open-quote")
        expect(open_quote.get_by_test_id("quote-line")).to_have_count(2)
        _check(page, "the portal's request with a quote", language)
        quote_id = int(open_quote.get_attribute("data-quote"))
        number = int(re.search(r"/requests/(\d+)/$", page.url).group(1))

        if decision == "approve":
            page.goto(f"/portal/demo/requests/{number}/quotes/{quote_id}/")
            expect(page.get_by_test_id("quote-status")).to_have_attribute("data-status", "sent")
            _check(page, "the portal's quote", language)
            page.get_by_test_id("quote-approve").click()
            expect(page.get_by_test_id("quote-status")).to_have_attribute("data-status", "approved")
            expect(page.get_by_test_id("quote-confirmation")).to_be_visible()
            _check(page, "the portal's approved quote", language)
            page.goto(f"/portal/demo/requests/{number}/")
            _customer_sees_stage(page, work_order, "in_repair", language)

            technician_page.goto(f"/repairs/{work_order_id}/")
            expect(
                technician_page.get_by_test_id("stage-card").get_by_test_id("stage-badge")
            ).to_have_attribute("data-value", "in_repair")
            expect(
                technician_page.locator("[data-testid=quote-row][data-status=approved]")
            ).to_have_count(1)
            row = technician_page.get_by_test_id("part-row").filter(has_text=part["sku"])
            expect(row).to_have_attribute("data-status", "reserved")
            _check(technician_page, "a work order in repair after the quote", language)
            assert _stock(technician_page, location_id=location_id, sku=part["sku"]) == (
                on_hand,
                reserved + 1,
            )
        else:
            page.goto(f"/portal/demo/requests/{number}/quotes/{quote_id}/")
            expect(page.get_by_test_id("quote-status")).to_have_attribute("data-status", "sent")
            _check(page, "the portal's quote", language)
            page.go_back()
            open_quote.get_by_test_id("quote-decline-open").click()
            decline = open_quote.get_by_test_id("quote-decline-form")
            decline.locator("textarea[name=reason]").fill("گران است؛ دستگاه نو می‌خرم.")
            decline.get_by_test_id("quote-decline").click()
            expect(page).to_have_url(re.compile(rf"/quotes/{quote_id}/$"))
            expect(page.get_by_test_id("quote-status")).to_have_attribute("data-status", "declined")
            expect(page.get_by_test_id("quote-confirmation")).to_be_visible()
            _check(page, "the portal's declined quote", language)
            page.goto(f"/portal/demo/requests/{number}/")
            card = page.get_by_test_id("work-order").filter(has_text=work_order)
            expect(card).to_have_attribute("data-stage", "cancelled")
            current = card.locator("[data-testid=repair-step][data-state=current]")
            expect(current).to_have_attribute("data-stage", "cancelled")
            _stage_times_in_language(card, language)

            technician_page.goto(f"/repairs/{work_order_id}/")
            expect(
                technician_page.get_by_test_id("stage-card").get_by_test_id("stage-badge")
            ).to_have_attribute("data-value", "cancelled")
            row = technician_page.get_by_test_id("part-row").filter(has_text=part["sku"])
            expect(row).to_have_attribute("data-status", "released")
            _check(technician_page, "a cancelled work order", language)
            # The part is free again: as reserved as before the work order asked for it.
            assert _stock(technician_page, location_id=location_id, sku=part["sku"]) == (
                on_hand,
                reserved,
            )
    finally:
        _close(customer_page, technician_page)
