"""Issue 12, done-when 4: an agent works the queue from the keyboard.

In Debian's chromium, against the session's real server: the agent saves the queue's filters as a
view, opens the next request with `j` and `o`, inserts a canned answer with `i` (its placeholders
filled in the customer's language: Persian, the due date in the Jalali calendar with Persian
digits), sends it with Ctrl+Enter, goes back to the view with `u` and assigns five requests to
themself in one bulk action. Then axe checks the pages this work changed, in English and Persian,
on a desktop and a phone.
"""

import datetime
import json
import re
import urllib.request
import zoneinfo

import jdatetime
import pytest
from playwright.sync_api import Page, expect

from aftercare.e2e.tests.accessibility import VIEWPORTS, assert_accessible
from aftercare.e2e.tests.conftest import mail_text

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
TIMEOUT_MS = 15_000
KIND = "installation"
CANNED_NAME = "Installation booked"
CANNED_BODY = (
    "سلام {{ customer_name }}، درخواست {{ request_number }} ثبت شد "
    "و تا {{ due_date }} نصب انجام می‌شود."
)
VIEW_NAME = "Installations waiting"


def _api(server, method: str, path: str, *, token: str | None = None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        server.base_url + "/api/v1" + path, data=data, headers=headers, method=method
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.loads(response.read() or b"null")


def _token(server, email: str) -> str:
    return _api(server, "POST", "/auth/token", body={"email": email, "password": server.password})[
        "token"
    ]


def _sign_in(browser, server, email: str, locale: str, viewport: dict | None = None) -> Page:
    context = browser.new_context(base_url=server.base_url, locale=locale, **(viewport or {}))
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", server.password)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))
    return page


@pytest.fixture(scope="module")
def installations(e2e_server):
    """Six new installation requests of the Persian-speaking customer, under an SLA."""
    demo = e2e_server.data["demo"]
    token = _token(e2e_server, demo["supervisor_email"])
    _api(
        e2e_server,
        "POST",
        "/sla-policies/",
        token=token,
        body={
            "name": "Installations",
            "position": 2,
            "kinds": [KIND],
            "first_response_minutes": 3 * 24 * 60,
        },
    )
    tickets = [
        _api(
            e2e_server,
            "POST",
            "/tickets/",
            token=token,
            body={
                "customer_id": demo["customers"]["fa"]["id"],
                "subject": f"نصب کولر گازی شماره {index}",
                "description": "لطفاً برای نصب کولر در هفته‌ی آینده وقت بدهید.",
                "kind": KIND,
                "language": "fa",
            },
        )
        for index in range(1, 7)
    ]
    return {"token": token, "tickets": tickets}


def _expected_reply(ticket: dict, customer_name: str) -> str:
    due = datetime.datetime.fromisoformat(ticket["sla"]["due_at"]).astimezone(TEHRAN)
    jalali = jdatetime.date.fromgregorian(date=due.date()).strftime("%Y/%m/%d")
    return (
        f"سلام {customer_name}، درخواست {ticket['number_display']} ثبت شد "
        f"و تا {jalali.translate(PERSIAN_DIGITS)} نصب انجام می‌شود."
    )


@pytest.mark.browser
def test_keyboard_only_reply_with_a_canned_answer_then_bulk_assign_from_a_saved_view(
    e2e_server, browser, installations
):
    demo = e2e_server.data["demo"]
    customer = demo["customers"]["fa"]
    tickets = installations["tickets"]
    for ticket in tickets:
        assert ticket["sla"]["due_at"], ticket["sla"]
    page = _sign_in(browser, e2e_server, demo["agent_email"], "en-US")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        # Setting up (by mouse): a personal canned answer in Persian, and a saved view.
        page.goto("/canned-answers/")
        form = page.get_by_test_id("canned-answer-form")
        form.locator("input[name=name]").fill(CANNED_NAME)
        form.locator("select[name=language]").select_option("fa")
        form.locator("textarea[name=body]").fill(CANNED_BODY)
        form.get_by_test_id("save-canned-answer").click()
        expect(page.get_by_test_id("canned-answer-row").filter(has_text=CANNED_NAME)).to_have_count(
            1
        )

        page.goto(f"/?queue=unassigned&kind={KIND}&sort=created")
        expect(page.get_by_test_id("queue-row")).to_have_count(6)
        page.get_by_test_id("save-view").locator("summary").click()
        page.fill("input[name=view-name]", VIEW_NAME)
        page.get_by_test_id("save-view-submit").click()
        expect(page).to_have_url(re.compile(r"/\?view=\d+$"))
        view = page.get_by_test_id("saved-view").filter(has_text=VIEW_NAME)
        expect(view.get_by_test_id("saved-view-count")).to_have_text("6")
        view_url = page.url

        # The keyboard only, from here: the next request, a canned answer, send.
        page.locator("body").press("j")
        page.keyboard.press("o")
        first = tickets[0]
        expect(page).to_have_url(re.compile(rf"/requests/{first['number']}/$"))
        page.keyboard.press("?")
        expect(page.get_by_test_id("shortcuts-help")).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.get_by_test_id("shortcuts-help")).to_be_hidden()
        page.keyboard.press("i")
        expect(page.get_by_test_id("canned-filter")).to_be_focused()
        page.keyboard.type("install")
        page.keyboard.press("Enter")
        reply = page.get_by_test_id("reply-body")
        expect(reply).to_be_focused()
        first_full = _api(
            e2e_server, "GET", f"/tickets/{first['id']}", token=installations["token"]
        )
        first_full["number_display"] = first_full["reference"]
        expected = _expected_reply(first_full, customer["name"])
        expect(reply).to_have_value(expected)
        assert not re.search(r"[0-9]", expected.split("تا ")[1]), expected
        mail_before = e2e_server.mail_files()
        page.keyboard.press("Control+Enter")
        sent = page.get_by_test_id("timeline-reply").filter(has_text=expected)
        expect(sent).to_have_count(1)
        expect(page.get_by_test_id("timeline-notice").last).to_be_visible()

        messages = _api(
            e2e_server, "GET", f"/tickets/{first['id']}/messages", token=installations["token"]
        )
        replies = [item for item in messages["items"] if item["kind"] == "reply"]
        assert [item["body"] for item in replies] == [expected]
        mail = e2e_server.wait_for_mail(to=customer["email"], since=mail_before)
        assert expected in mail_text(mail), mail_text(mail)

        # Back to the view (u) and five requests assigned in one action.
        page.keyboard.press("Escape")
        page.keyboard.press("u")
        expect(page).to_have_url(view_url)
        rows = page.get_by_test_id("queue-row")
        expect(rows).to_have_count(6)
        chosen = [int(rows.nth(index).get_attribute("data-ticket-id")) for index in range(5)]
        for ticket_id in chosen:
            page.locator(f"[data-testid=queue-row][data-ticket-id='{ticket_id}'] input").check()
        bulk = page.get_by_test_id("bulk-form")
        bulk.locator("select[name=bulk-action]").select_option("assign")
        agent_id = next(
            option.get_attribute("value")
            for option in bulk.locator("select[name=bulk-assignee_id] option").all()
            if option.inner_text().strip() == "Ali Agent"
        )
        bulk.locator("select[name=bulk-assignee_id]").select_option(agent_id)
        bulk.get_by_test_id("bulk-apply").click()
        expect(page.get_by_role("alert").filter(has_text="5 requests changed")).to_have_count(1)
        expect(page.get_by_test_id("queue-row")).to_have_count(1)
        for ticket_id in chosen:
            stored = _api(e2e_server, "GET", f"/tickets/{ticket_id}", token=installations["token"])
            assert stored["assignee"]["id"] == int(agent_id), stored["assignee"]
        assert errors == []
    finally:
        page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_pages_agents_work_fast_on_are_accessible(
    e2e_server, browser, installations, language, viewport
):
    demo = e2e_server.data["demo"]
    locale = "fa-IR" if language == "fa" else "en-US"
    page = _sign_in(browser, e2e_server, demo["agent_email"], locale, VIEWPORTS[viewport])
    try:
        expect(page.locator("html")).to_have_attribute("lang", re.compile(rf"^{language}"))
        label = f"{language} {viewport}"
        page.goto(f"/?queue=unassigned&kind={KIND}")
        skip = page.get_by_test_id("skip-link")
        page.keyboard.press("Tab")
        expect(skip).to_be_focused()
        assert_accessible(page, f"queue {label}")
        page.goto(f"/requests/{installations['tickets'][-1]['number']}/")
        expect(page.get_by_role("tablist")).to_be_visible()
        assert_accessible(page, f"request page {label}")
        page.get_by_test_id("tab-note").click()
        expect(page.get_by_test_id("note-body")).to_be_visible()
        assert_accessible(page, f"request page, note tab {label}")
        page.locator("body").press("?")
        expect(page.get_by_test_id("shortcuts-help")).to_be_visible()
        assert_accessible(page, f"shortcuts {label}")
        page.keyboard.press("Escape")
        page.goto("/canned-answers/")
        assert_accessible(page, f"canned answers {label}")
        page.goto("/macros/")
        assert_accessible(page, f"macros {label}")
    finally:
        page.context.close()
