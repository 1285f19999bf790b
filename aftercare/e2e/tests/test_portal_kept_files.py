"""Issue 13: a portal request form that comes back to be fixed keeps its files.

In Debian's chromium, against the session's real server: a customer attaches a photo and a
receipt, sends the form with the description left empty, sees both files kept ("Attached: name
(size) — remove"), removes the receipt, fixes the description and sends the form twice at once;
one request opens, with the photo alone, and an agent finds it in the console with that photo,
byte for byte.
"""

import datetime
import re
import zoneinfo

import pytest
from playwright.sync_api import Page, expect

from aftercare.e2e.tests.accessibility import assert_accessible
from aftercare.e2e.tests.portal import portal_sign_in

TIMEOUT_MS = 15_000
EMAIL = "kept.files@customer.example"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 48 + b"kept-files-e2e"
PDF = b"%PDF-1.4\n" + b"0" * 300


def _today() -> datetime.date:
    """Today where the organization is (the picker's today is the browser's: the same here)."""
    return datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Tehran")).date()


def _fifteenth_of_last_month() -> datetime.date:
    first = datetime.date.today().replace(day=1)
    return (first - datetime.timedelta(days=1)).replace(day=15)


def _page(browser, server, *, locale: str = "en-US") -> Page:
    context = browser.new_context(base_url=server.base_url, locale=locale)
    context.add_cookies(
        [{"name": "aftercare_language", "value": "en", "url": server.base_url + "/"}]
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def _agent_finds_the_file(browser, server, *, reference: str) -> None:
    """An agent searches the console for the request and finds the photo on it."""
    page = _page(browser, server)
    try:
        page.goto("/accounts/login/")
        page.fill("input[name=email]", server.data["demo"]["agent_email"])
        page.fill("input[name=password]", server.password)
        page.locator("form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/$"))
        page.goto(f"/search/?q={reference}")
        hit = page.locator("[data-testid=search-result][data-kind=request][data-id]")
        expect(hit).to_have_count(1)
        page.goto(f"/requests/{hit.get_attribute('data-id')}/")
        expect(page.locator("body")).to_contain_text(reference)
        links = page.get_by_test_id("attachment-link")
        expect(links).to_have_text(["photo.png"])
        download = page.request.get(links.first.get_attribute("href"))
        assert download.status == 200
        assert download.body() == PNG
    finally:
        page.context.close()


@pytest.mark.browser
def test_a_form_sent_back_keeps_its_files_to_the_request_in_the_console(e2e_server, browser):
    page = _page(browser, e2e_server)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        portal_sign_in(page, e2e_server, email=EMAIL)
        page.goto("/portal/demo/requests/new/")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        form = page.get_by_test_id("request-form")
        form.locator("input[name=subject]").fill("The drum stopped")
        form.locator("input[name=serial_number]").fill("WM8-KEPT-0001")
        # The purchase date from the date picker: the 15th of last month, written ISO.
        bought = _fifteenth_of_last_month()
        purchase_date = form.locator("input[name=purchase_date]")
        expect(purchase_date).to_have_attribute("placeholder", _today().isoformat())
        form.get_by_role("button", name="Choose a date").click()
        picker = page.get_by_role("dialog")
        expect(picker).to_have_attribute("dir", "ltr")
        picker.get_by_role("button", name="Previous month").click()
        picker.locator(f"[data-date='{bought.isoformat()}']").click()
        expect(purchase_date).to_have_value(bought.isoformat())
        form.locator("input[name=attachments]").set_input_files(
            [
                {"name": "photo.png", "mimeType": "image/png", "buffer": PNG},
                {"name": "receipt.pdf", "mimeType": "application/pdf", "buffer": PDF},
            ]
        )
        page.get_by_test_id("submit-request").click()

        # Back with an error, the files kept and what was typed still there.
        expect(page.get_by_test_id("error-description")).to_be_visible()
        kept = page.get_by_test_id("kept-file")
        expect(kept).to_have_count(2)
        expect(kept.nth(0)).to_have_text(re.compile(rf"Attached: photo\.png \({len(PNG)}\sbytes\)"))
        expect(kept.nth(1)).to_contain_text("Attached: receipt.pdf")
        expect(form.locator("input[name=subject]")).to_have_value("The drum stopped")
        expect(purchase_date).to_have_value(bought.isoformat())
        assert form.locator("input[name=attachments]").evaluate("input => input.files.length") == 0
        assert_accessible(page, "the portal's request form with kept files")

        # Remove the receipt: the form comes back again, without it.
        kept.filter(has_text="receipt.pdf").get_by_role("button", name="Remove receipt.pdf").click()
        expect(kept).to_have_count(1)
        expect(kept).to_contain_text("photo.png")
        expect(form.locator("input[name=subject]")).to_have_value("The drum stopped")

        # Enter in a field sends the form (the description is still empty): no file is removed.
        form.locator("input[name=subject]").press("Enter")
        expect(page.get_by_test_id("error-description")).to_be_visible()
        expect(kept).to_have_count(1)

        # Fixed, and sent twice at once (a double click, a flaky connection): one request.
        form.locator("textarea[name=description]").fill("It stopped mid-wash and shows E21.")
        landed = page.evaluate(
            """async () => {
                const form = document.querySelector("[data-testid=request-form]");
                const send = () => fetch(form.action || location.href, {
                    method: "POST", body: new FormData(form), credentials: "same-origin",
                });
                const answers = await Promise.all([send(), send()]);
                return answers.map((answer) => [answer.status, new URL(answer.url).pathname]);
            }"""
        )
        assert landed[0] == landed[1], landed
        status, path = landed[0]
        assert status == 200 and re.fullmatch(r"/portal/demo/requests/\d+/", path), landed
        page.goto(path)
        reference = page.get_by_test_id("ticket-reference").inner_text().strip()
        expect(page.locator("body")).to_contain_text("photo.png")
        expect(page.locator("body")).not_to_contain_text("receipt.pdf")
        page.get_by_test_id("nav-my-requests").click()
        expect(page.get_by_test_id("request-row")).to_have_count(1)
        assert errors == []
    finally:
        page.context.close()

    _agent_finds_the_file(browser, e2e_server, reference=reference)
