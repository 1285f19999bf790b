"""Issue 13, done-when 3: the console on a phone, with one thumb.

In Debian's chromium at a phone's size (390×844, touch), against the session's real server: an
agent finds the next request in the queue (the filters folded behind one button), opens it, takes
it, changes its status and replies, and the page never scrolls sideways. The request is reached
by its number, and the customer's phone is a link that calls it. Then in Persian, right to left.
"""

import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from aftercare.e2e.tests.accessibility import VIEWPORTS, assert_accessible
from aftercare.e2e.tests.staff import api, staff_page, token

PHONE = VIEWPORTS["phone"]


def _assert_no_sideways_scroll(page: Page, where: str) -> None:
    """Nothing on the page is wider than the phone's screen."""
    widths = page.evaluate(
        """() => ({
            page: document.documentElement.scrollWidth,
            body: document.body.scrollWidth,
            screen: window.innerWidth,
            widest: [...document.querySelectorAll("main *")]
                .filter((node) => node.getBoundingClientRect().right > window.innerWidth + 1
                    || node.getBoundingClientRect().left < -1)
                .slice(0, 5)
                .map((node) => node.tagName.toLowerCase() + "." + node.className),
        })"""
    )
    assert widths["page"] <= widths["screen"], f"{where} scrolls sideways: {widths}"
    assert widths["body"] <= widths["screen"], f"{where} scrolls sideways: {widths}"
    assert not widths["widest"], f"{where}: elements past the screen's edge: {widths}"


def _on_screen(page: Page, row, selector: str) -> None:
    """The cell is shown, inside the screen's width."""
    box = row.locator(selector).bounding_box()
    width = page.evaluate("() => window.innerWidth")
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (
        selector,
        box,
    )


@pytest.fixture
def phone_request(e2e_server):
    """A new request of the Persian-speaking customer, with a phone number, unassigned."""
    demo = e2e_server.data["demo"]
    supervisor = token(e2e_server, demo["supervisor_email"])
    marker = secrets.token_hex(3)
    ticket = api(
        e2e_server,
        "POST",
        "/tickets/",
        token=supervisor,
        body={
            "customer_id": demo["customers"]["fa"]["id"],
            "subject": f"ماشین لباسشویی آب را تخلیه نمی‌کند {marker}",
            "description": (
                "از دیروز آب در دستگاه می‌ماند و کد خطای E21 نشان می‌دهد. "
                "لطفاً برای بازدید تماس بگیرید: شماره‌ی سریال WM800-" + marker.upper()
            ),
            "kind": "repair",
            "language": "fa",
            "contact_phone": "+989121234567",
        },
    )
    return {"ticket": ticket, "marker": marker}


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en-US", "fa-IR"])
def test_an_agent_works_a_request_on_a_phone_without_scrolling_sideways(
    e2e_server, browser, phone_request, language
):
    demo = e2e_server.data["demo"]
    ticket, marker = phone_request["ticket"], phone_request["marker"]
    page = staff_page(browser, e2e_server, demo["agent_email"], language, **PHONE)
    expected_lang = language[:2]
    if language.startswith("fa"):
        page.context.add_cookies(
            [{"name": "aftercare_language", "value": "fa", "url": e2e_server.base_url}]
        )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        # The queue: one link in the top bar, cards instead of a wide table, filters folded.
        page.goto("/?queue=unassigned")
        expect(page.locator("html")).to_have_attribute("lang", expected_lang)
        _assert_no_sideways_scroll(page, "the queue")
        filters = page.get_by_test_id("queue-filters")
        expect(filters).to_be_hidden()
        page.get_by_test_id("queue-filters-panel").locator("summary").tap()
        expect(filters).to_be_visible()
        filters.locator("input[name=q]").fill(marker)
        filters.locator("button[type=submit]").tap()
        row = page.get_by_test_id("queue-row")
        expect(row).to_have_count(1)
        _assert_no_sideways_scroll(page, "the filtered queue")
        for cell in (".q-ref", ".q-sla", ".q-priority", ".q-status", ".q-subject"):
            _on_screen(page, row, cell)

        # The next request: its number is its address.
        row.locator(".q-subject a").tap()
        expect(page).to_have_url(re.compile(rf"/requests/{ticket['number']}/$"))
        _assert_no_sideways_scroll(page, "the request page")
        expect(page.get_by_test_id("ticket-subject")).to_contain_text(marker)
        call = page.get_by_test_id("tel-link").first
        expect(call).to_have_attribute("href", "tel:+989121234567")

        # What a thumb needs first: the status, the SLA and the assignee come before the
        # conversation, within the first screens, not 3000 px down.
        status_form = page.get_by_test_id("status-form")
        top = status_form.evaluate("(node) => node.getBoundingClientRect().top + window.scrollY")
        assert top < 2 * 844, f"the status control is {top} px down the page"
        page.get_by_test_id("assign-to-me").tap()
        expect(page.get_by_test_id("assign-to-me")).to_have_count(0)

        # The status control names the current status, then offers the next ones.
        select = page.get_by_test_id("status-select")
        expect(select.locator("option:checked")).to_have_attribute("data-testid", "status-current")
        select.select_option("pending_customer")
        page.get_by_test_id("change-status").tap()
        badge = page.get_by_test_id("ticket-body").get_by_test_id("status").first
        expect(badge).to_have_class(re.compile(r"\bstatus-pending_customer\b"))
        _assert_no_sideways_scroll(page, "the request page after the status change")

        # The reply: one tap to the composer, type, send.
        page.get_by_test_id("jump-reply").tap()
        reply = f"سلام، تکنسین فردا تماس می‌گیرد ({marker})."
        page.get_by_test_id("reply-body").fill(reply)
        page.get_by_test_id("send-reply").tap()
        entry = page.get_by_test_id("timeline-reply").filter(has_text=marker)
        expect(entry).to_have_count(1)
        _assert_no_sideways_scroll(page, "the request page after the reply")
        assert_accessible(page, f"the request page on a phone ({language})")
        assert not errors, errors
    finally:
        page.context.close()

    # The same request, read back through the API: what the thumb did really happened.
    agent = token(e2e_server, demo["agent_email"])
    stored = api(e2e_server, "GET", f"/tickets/{ticket['id']}", token=agent)
    assert stored["assignee"] is not None
    assert stored["status"] == "pending_customer"
