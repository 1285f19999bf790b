"""Issue 13 against the real server: live queues and the bell.

- Real websockets: a request created or changed in the organization is told to its staff's open
  pages as one "queue" event, and to nobody else's (another organization's admin, a customer
  signed in to the portal); a request given to an agent lands in their bell, live, and nobody
  else's.
- In Debian's chromium: an agent with the queue open sees "1 new or changed request" when a
  request comes in through the API, refreshes, and sees its row; when it is given to them, a
  notice comes in the flow of the page (over no row of the queue), and the bell counts it and
  lists it; marking all read empties the count. axe passes on the bell open and on the notices
  page, in English and Persian, on a desktop and a phone.
"""

import json
import re
import secrets

import pytest
from playwright.sync_api import expect

from aftercare.e2e.tests.accessibility import VIEWPORTS, assert_accessible
from aftercare.e2e.tests.conftest import LiveListener, console_session_cookie
from aftercare.e2e.tests.portal import portal_sign_in
from aftercare.e2e.tests.staff import TIMEOUT_MS, api, staff_page, token

LIVE_SECONDS = 10
# The requests of this module: a kind the others do not open, so that its queue is its own.
KIND = "contract_renewal"


def _member_id(server, token: str, email: str) -> int:
    return next(
        m["id"] for m in api(server, "GET", "/members/", token=token) if m["email"] == email
    )


def _new_request(server, token: str, subject: str) -> dict:
    demo = server.data["demo"]
    return api(
        server,
        "POST",
        "/tickets/",
        token=token,
        body={
            "customer_id": demo["customers"]["en"]["id"],
            "subject": subject,
            "description": "The service contract ends next month; please renew it.",
            "kind": KIND,
            "language": "en",
            "channel": "email",
        },
    )


def _mentions(event: dict, ticket_id: int) -> bool:
    """Whether an event says anything of the request."""
    return str(ticket_id) in json.dumps(event) and event["type"] != "hello"


def _boxes_overlap(first: dict, second: dict) -> bool:
    return not (
        first["x"] + first["width"] <= second["x"]
        or second["x"] + second["width"] <= first["x"]
        or first["y"] + first["height"] <= second["y"]
        or second["y"] + second["height"] <= first["y"]
    )


def test_changes_reach_the_organizations_staff_and_nobody_else_over_real_websockets(
    e2e_server, browser
):
    demo = e2e_server.data["demo"]
    supervisor = token(e2e_server, demo["supervisor_email"])
    agent_id = _member_id(e2e_server, supervisor, demo["agent_email"])
    listeners = {
        "agent": LiveListener(e2e_server, console_session_cookie(e2e_server, demo["agent_email"])),
        "supervisor": LiveListener(
            e2e_server, console_session_cookie(e2e_server, demo["supervisor_email"])
        ),
        "outsider": LiveListener(
            e2e_server, console_session_cookie(e2e_server, e2e_server.data["other"]["admin_email"])
        ),
    }
    # A customer signed in to the portal, in a real browser: the console's channel refuses them.
    context = browser.new_context(base_url=e2e_server.base_url, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        for name, listener in listeners.items():
            hello = listener.wait_for(lambda e: e["type"] == "hello", seconds=LIVE_SECONDS)
            assert hello is not None, name
            assert isinstance(hello["notices_unread"], int)
        portal_sign_in(page, e2e_server, email=demo["customers"]["en"]["email"])
        customer_socket = page.evaluate(
            """() => new Promise((done) => {
                const events = [];
                const socket = new WebSocket(`ws://${location.host}/ws/console/`);
                socket.onmessage = (message) => events.push(message.data);
                socket.onclose = (closed) => done({code: closed.code, events});
                setTimeout(() => done({code: null, events}), 8000);
            })"""
        )
        assert customer_socket["events"] == []
        assert customer_socket["code"] in (4403, 1006), customer_socket

        ticket = _new_request(e2e_server, supervisor, f"Renewal {secrets.token_hex(3)}")

        def queue_event(event: dict) -> bool:
            return event["type"] == "queue" and any(
                item["id"] == ticket["id"] for item in event["items"]
            )

        for name in ("agent", "supervisor"):
            event = listeners[name].wait_for(queue_event, seconds=LIVE_SECONDS)
            assert event is not None, (name, listeners[name].events)
            [item] = [item for item in event["items"] if item["id"] == ticket["id"]]
            assert (item["kind"], item["open"], item["assignee"]) == (KIND, True, None)

        api(
            e2e_server,
            "POST",
            f"/tickets/{ticket['id']}/assign",
            token=supervisor,
            body={"assignee_id": agent_id},
        )

        def bell_event(event: dict) -> bool:
            return event["type"] == "notices" and any(
                item["reference"] == ticket["reference"] for item in event["items"]
            )

        notice = listeners["agent"].wait_for(bell_event, seconds=LIVE_SECONDS)
        assert notice is not None, listeners["agent"].events
        [item] = notice["items"]
        assert (item["event"], item["subject"]) == ("assigned", ticket["subject"])
        assert item["url"].startswith("/requests/")
        changed = listeners["supervisor"].wait_for(
            lambda e: queue_event(e) and any(i["assignee"] == agent_id for i in e["items"]),
            seconds=LIVE_SECONDS,
        )
        assert changed is not None, listeners["supervisor"].events
        # The supervisor gave it: it is in nobody's bell but the agent's.
        assert not [e for e in listeners["supervisor"].events if e["type"] == "notices"]
        assert not [e for e in listeners["outsider"].events if _mentions(e, ticket["id"])]
    finally:
        context.close()
        for listener in listeners.values():
            listener.close()


@pytest.mark.browser
def test_an_agent_sees_a_new_request_come_in_refreshes_and_hears_it_was_given_to_them(
    e2e_server, browser
):
    demo = e2e_server.data["demo"]
    supervisor = token(e2e_server, demo["supervisor_email"])
    agent_id = _member_id(e2e_server, supervisor, demo["agent_email"])
    page = staff_page(browser, e2e_server, demo["agent_email"], "en-US", **VIEWPORTS["desktop"])
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"/?queue=open&kind={KIND}")
        expect(page.locator("#live-console")).to_have_attribute("data-state", "open")
        banner = page.get_by_test_id("queue-live")
        expect(banner).to_be_hidden()

        # A request of another kind changes nothing this queue shows.
        other = api(
            e2e_server,
            "POST",
            "/tickets/",
            token=supervisor,
            body={
                "customer_id": demo["customers"]["en"]["id"],
                "subject": "How do I descale the kettle?",
                "description": "Which descaler is safe?",
                "kind": "question",
                "language": "en",
            },
        )
        ticket = _new_request(e2e_server, supervisor, f"Renew the contract {secrets.token_hex(3)}")
        expect(banner).to_be_visible()
        expect(page.get_by_test_id("queue-live-count")).to_have_text("1 new or changed request")
        expect(page.get_by_test_id("queue-row").filter(has_text=ticket["reference"])).to_have_count(
            0
        )

        page.get_by_test_id("queue-refresh").click()
        expect(page).to_have_url(re.compile(rf"[?&]kind={KIND}"))
        row = page.get_by_test_id("queue-row").filter(has_text=ticket["reference"])
        expect(row).to_have_count(1)
        expect(row).to_contain_text(ticket["subject"])
        expect(page.get_by_test_id("queue-row").filter(has_text=other["reference"])).to_have_count(
            0
        )
        expect(page.get_by_test_id("queue-live")).to_be_hidden()
        expect(page.locator("#live-console")).to_have_attribute("data-state", "open")

        api(
            e2e_server,
            "POST",
            f"/tickets/{ticket['id']}/assign",
            token=supervisor,
            body={"assignee_id": agent_id},
        )
        toast = page.get_by_test_id("live-notice").filter(has_text=ticket["reference"])
        expect(toast).to_be_visible()
        expect(toast).to_contain_text(f"{ticket['reference']} was given to you")
        count = page.get_by_test_id("notice-count")
        expect(count).to_be_visible()
        unread = int(count.inner_text())
        assert unread >= 1
        # The notice is in the flow of the page: over no row of the queue.
        table = page.get_by_test_id("queue-table").bounding_box()
        assert not _boxes_overlap(toast.bounding_box(), table)
        # The queue heard of its row's change: counted, the row marked.
        expect(page.get_by_test_id("queue-live-count")).to_have_text("1 new or changed request")
        expect(row).to_have_class(re.compile(r"\bis-stale\b"))

        page.get_by_test_id("notice-bell").click()
        item = page.get_by_test_id("bell-notice").filter(has_text=ticket["reference"])
        expect(item).to_be_visible()
        expect(item).to_contain_text(ticket["subject"])
        assert_accessible(page, "the bell, open (en desktop)")
        page.keyboard.press("Escape")

        toast.get_by_test_id("live-notice-dismiss").click()
        expect(toast).to_have_count(0)

        page.goto("/notices/")
        listed = page.get_by_test_id("notice-item").filter(has_text=ticket["reference"])
        expect(listed).to_have_count(1)
        expect(page).to_have_title(re.compile(rf"^\({unread}\) "))
        page.get_by_test_id("notices-read-all").click()
        expect(page.get_by_test_id("notice-count")).to_be_hidden()
        expect(page.get_by_test_id("notices-read-all")).to_have_count(0)

        # Its link leads to the request.
        page.get_by_test_id("notice-item").filter(has_text=ticket["reference"]).get_by_role(
            "link"
        ).click()
        expect(page.get_by_text(ticket["subject"]).first).to_be_visible()
        assert errors == []
    finally:
        page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_bell_and_the_notices_page_are_accessible(e2e_server, browser, language, viewport):
    demo = e2e_server.data["demo"]
    supervisor = token(e2e_server, demo["supervisor_email"])
    agent_id = _member_id(e2e_server, supervisor, demo["agent_email"])
    locale = "fa-IR" if language == "fa" else "en-US"
    page = staff_page(browser, e2e_server, demo["agent_email"], locale, **VIEWPORTS[viewport])
    label = f"{language} {viewport}"
    try:
        expect(page.locator("html")).to_have_attribute("lang", re.compile(rf"^{language}"))
        page.goto(f"/?queue=all&kind={KIND}")
        expect(page.locator("#live-console")).to_have_attribute("data-state", "open")
        ticket = _new_request(e2e_server, supervisor, f"Contract {language} {viewport}")
        api(
            e2e_server,
            "POST",
            f"/tickets/{ticket['id']}/assign",
            token=supervisor,
            body={"assignee_id": agent_id},
        )
        toast = page.get_by_test_id("live-notice").filter(has_text=ticket["reference"])
        expect(toast).to_be_visible()
        expect(page.get_by_test_id("queue-live")).to_be_visible()
        table = page.get_by_test_id("queue-table").bounding_box()
        assert not _boxes_overlap(toast.bounding_box(), table), label
        assert_accessible(page, f"queue with a live notice ({label})")

        # On a phone too the bell is on the bar, not folded into the menu.
        bell = page.get_by_test_id("notice-bell")
        expect(bell).to_be_visible()
        expect(page.get_by_test_id("notice-count")).to_be_visible()
        bell.click()
        expect(
            page.get_by_test_id("bell-notice").filter(has_text=ticket["reference"])
        ).to_be_visible()
        assert_accessible(page, f"the bell, open ({label})")

        page.goto("/notices/")
        expect(page.get_by_test_id("notice-item").first).to_be_visible()
        assert_accessible(page, f"notices page ({label})")
    finally:
        page.context.close()
