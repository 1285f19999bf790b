"""The SLA in the console, in Persian, in Debian's chromium against the real server.

A supervisor sees a request's SLA badge and countdown in the queue (Persian digits, right to
left), its targets with Jalali due times on the request page, and adds a holiday to a new Iran
calendar by picking the date in the Jalali date picker.
"""

import datetime
import json
import re
import urllib.request
import zoneinfo

import jdatetime
import pytest
from playwright.sync_api import expect

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
TIMEOUT_MS = 15_000
LATIN_DIGIT = re.compile(r"[0-9]")


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


@pytest.mark.browser
def test_sla_badges_due_times_and_the_jalali_picker_in_persian(e2e_server, browser):
    demo = e2e_server.data["demo"]
    token = _api(
        e2e_server,
        "POST",
        "/auth/token",
        body={"email": demo["supervisor_email"], "password": e2e_server.password},
    )["token"]
    _api(
        e2e_server,
        "POST",
        "/sla-policies/",
        token=token,
        body={
            "name": "Training",
            "position": 1,
            "kinds": ["training"],
            "first_response_minutes": 600,
        },
    )
    ticket = _api(
        e2e_server,
        "POST",
        "/tickets/",
        token=token,
        body={
            "customer_id": demo["customers"]["fa"]["id"],
            "subject": "آموزش کار با پنل لباسشویی",
            "description": "لطفاً نحوه‌ی تنظیم برنامه‌ی شست‌وشو را توضیح دهید.",
            "kind": "training",
            "language": "fa",
        },
    )
    assert ticket["sla"]["state"] == "running"
    due = datetime.datetime.fromisoformat(ticket["sla"]["first_response_due_at"])

    context = browser.new_context(base_url=e2e_server.base_url, locale="fa-IR")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto("/accounts/login/")
        page.fill("input[name=email]", demo["supervisor_email"])
        page.fill("input[name=password]", e2e_server.password)
        page.locator("form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/$"))
        expect(page.locator("html")).to_have_attribute("dir", "rtl")

        page.goto("/?queue=open")
        row = page.locator(f"[data-testid=queue-row][data-ticket-id='{ticket['id']}']")
        badge = row.get_by_test_id("sla-badge")
        expect(badge).to_have_attribute("data-sla-state", "running")
        countdown = badge.locator("[data-countdown]").inner_text()
        assert countdown and not LATIN_DIGIT.search(countdown), countdown
        assert re.search(r"[۰-۹]", countdown), countdown

        row.get_by_role("link").first.click()
        card = page.get_by_test_id("sla-card")
        target = card.locator("[data-metric=first_response]")
        expect(target).to_have_attribute("data-state", "running")
        shown = target.locator("time").inner_text()
        jalali_due = jdatetime.datetime.fromgregorian(datetime=due.astimezone(TEHRAN))
        expected = jalali_due.strftime("%Y/%m/%d %H:%M").translate(
            str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
        )
        assert expected in shown, (shown, expected)

        page.goto("/settings/sla/calendars/new/")
        page.select_option("select[name=preset]", "IR")
        page.fill("input[name=name]", "تقویم تهران")
        page.get_by_test_id("save-calendar").click()
        expect(page).to_have_url(re.compile(r"/settings/sla/calendars/\d+/$"))
        expect(page.get_by_test_id("holidays")).to_contain_text(re.compile("نوروز|Nowruz"))

        form = page.get_by_test_id("holiday-form")
        form.locator("input[name=name]").fill("جابه‌جایی دفتر")
        form.locator("select[name=kind]").select_option("date")
        form.get_by_role("button", name="انتخاب تاریخ").first.click()
        picker = page.get_by_role("dialog")
        expect(picker).to_be_visible()
        today = jdatetime.date.fromgregorian(date=datetime.datetime.now(TEHRAN).date())
        picked = jdatetime.date(today.year, today.month, 10)
        picker.locator(f"[data-date='{picked.strftime('%Y/%m/%d')}']").click()
        expect(form.locator("input[name=start_date]")).to_have_value(picked.strftime("%Y/%m/%d"))
        form.get_by_test_id("add-holiday").click()
        holiday = page.get_by_test_id("holiday").filter(has_text="جابه‌جایی دفتر")
        expect(holiday).to_have_count(1)
        shown_date = picked.strftime("%Y/%m/%d").translate(
            str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
        )
        expect(holiday).to_contain_text(shown_date)
        calendar_id = int(re.search(r"/calendars/(\d+)/", page.url).group(1))
        stored = _api(e2e_server, "GET", f"/calendars/{calendar_id}", token=token)
        dates = [h["start_date"] for h in stored["holidays"] if h["name"] == "جابه‌جایی دفتر"]
        assert dates == [picked.togregorian().isoformat()]
        assert stored["is_default"] is False
        assert errors == []
    finally:
        context.close()


@pytest.mark.browser
def test_a_request_given_to_an_agent_shows_up_live_on_their_open_page(e2e_server, browser):
    demo = e2e_server.data["demo"]
    supervisor = _api(
        e2e_server,
        "POST",
        "/auth/token",
        body={"email": demo["supervisor_email"], "password": e2e_server.password},
    )["token"]
    members = _api(e2e_server, "GET", "/members/", token=supervisor)
    agent_id = next(m["id"] for m in members if m["email"] == demo["agent_email"])

    context = browser.new_context(base_url=e2e_server.base_url, locale="fa-IR")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.fill("input[name=email]", demo["agent_email"])
        page.fill("input[name=password]", e2e_server.password)
        page.locator("form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/$"))
        expect(page.locator("#live-console")).to_have_attribute("data-state", "open")

        ticket = _api(
            e2e_server,
            "POST",
            "/tickets/",
            token=supervisor,
            body={
                "customer_id": demo["customers"]["fa"]["id"],
                "subject": "کولر آب می‌دهد",
                "description": "از دیروز زیر کولر آب جمع می‌شود.",
                "assignee_id": agent_id,
            },
        )
        notice = page.get_by_test_id("live-notice").filter(has_text=ticket["reference"])
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("کولر آب می‌دهد")
        notice.get_by_role("link").click()
        expect(page).to_have_url(re.compile(rf"/requests/{ticket['number']}/$"))
    finally:
        context.close()


def test_the_live_channel_refuses_anyone_not_signed_in(e2e_server):
    from aftercare.e2e.tests.conftest import LiveListener

    anonymous = LiveListener(e2e_server, None)
    anonymous._thread.join(timeout=10)
    assert anonymous.events == []
    assert anonymous.refused_status == 403
