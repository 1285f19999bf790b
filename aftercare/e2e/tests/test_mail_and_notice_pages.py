"""Inbound mail and notices in the console, end to end in Debian's chromium against the session's
real server: mail handed over by the mail server's pipe (`manage.py inbound_email`) becomes a
request, a message without a sender waits among the dead letters, where an admin reads it and
discards it (kept). Every page of the email, sending and notification settings, and the portal's
answer and unsubscribe pages, passes axe's WCAG A/AA rules in English and Persian, on a desktop
and a phone screen."""

import re
import secrets
import subprocess
import sys
from email.message import EmailMessage

import pytest
from playwright.sync_api import Page, expect

from aftercare.e2e.tests.accessibility import VIEWPORTS, assert_accessible
from aftercare.e2e.tests.conftest import REPO

TIMEOUT_MS = 15_000
NO_SENDER = b"To: support@demo.example\r\nSubject: who am I\r\n\r\nA message with no From.\r\n"


def _pipe(server, raw: bytes) -> None:
    """Hand a message over as Postfix's pipe transport does."""
    result = subprocess.run(
        [sys.executable, "manage.py", "inbound_email", "--org", server.data["demo"]["slug"]],
        input=raw,
        cwd=REPO,
        env=server.env,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]


def _page(browser, server, *, locale: str, screen: str = "desktop") -> Page:
    context = browser.new_context(base_url=server.base_url, locale=locale, **VIEWPORTS[screen])
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def _sign_in(page: Page, server) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=email]", server.data["demo"]["admin_email"])
    page.fill("input[name=password]", server.password)
    page.locator("form[method=post] button[type=submit]").first.click()
    expect(page.get_by_test_id("sign-out")).to_have_count(1)


@pytest.fixture(scope="module")
def mail_in(e2e_server) -> dict:
    """One customer's mail that opened a request, and one dead letter."""
    subject = f"Dishwasher leaks {secrets.token_hex(3)}"
    message = EmailMessage()
    message["From"] = "Leyla Karimi <leyla@example.ir>"
    message["To"] = "support@demo.example"
    message["Subject"] = subject
    message["Message-ID"] = f"<{secrets.token_hex(8)}@example.ir>"
    message.set_content("ظرفشویی از زیر آب می‌دهد.")
    _pipe(e2e_server, bytes(message))
    _pipe(e2e_server, NO_SENDER + secrets.token_hex(4).encode())
    return {"subject": subject}


def test_an_admin_reads_a_dead_letter_and_discards_it(browser, e2e_server, mail_in):
    page = _page(browser, e2e_server, locale="en-US")
    try:
        _sign_in(page, e2e_server)
        page.goto("/settings/email/?show=")
        expect(
            page.get_by_test_id("inbound-row").filter(has_text=mail_in["subject"])
        ).to_have_attribute("data-state", "done")
        page.goto("/settings/email/")
        dead = page.get_by_test_id("inbound-row").filter(has_text="who am I").first
        expect(dead).to_have_attribute("data-state", "dead")
        dead.get_by_role("link").click()
        expect(page.get_by_test_id("inbound-raw")).to_contain_text("A message with no From.")
        expect(page.get_by_test_id("inbound-state")).to_contain_text("No sender address")
        page.get_by_test_id("inbound-discard").click()
        expect(page.get_by_test_id("inbound-state")).to_contain_text("Discarded")
        page.goto("/settings/email/?show=discarded")
        expect(page.get_by_test_id("inbound-row").filter(has_text="who am I").first).to_be_visible()
    finally:
        page.context.close()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.parametrize(("locale", "direction"), [("en-US", "ltr"), ("fa-IR", "rtl")])
def test_the_mail_and_notice_pages_pass_axe(
    browser, e2e_server, mail_in, locale, direction, screen
):
    server = e2e_server
    page = _page(browser, server, locale=locale, screen=screen)
    case = f"{locale}, {screen}"
    try:

        def check(path: str, label: str) -> None:
            page.goto(path)
            expect(page.locator("html")).to_have_attribute("dir", direction)
            assert_accessible(page, f"{label} ({case})")

        _sign_in(page, server)
        check("/settings/email/?show=", "inbound mail")
        page.get_by_test_id("inbound-row").first.get_by_role("link").first.click()
        expect(page.get_by_test_id("inbound-raw")).to_be_visible()
        assert_accessible(page, f"an inbound message ({case})")
        check("/settings/email/mailboxes/", "mailboxes")
        check("/settings/email/mailboxes/new/", "new mailbox")
        check("/settings/sending/", "sending")
        check("/settings/sending/email/new/", "new email setting")
        check("/settings/sending/sms/new/", "new SMS gateway")
        check("/settings/notifications/", "notification rules")
        check("/settings/notifications/templates/", "notice templates")
        check("/settings/notifications/templates/replied/fa/", "a template")
        page.get_by_test_id("preview-template").click()
        expect(page.get_by_test_id("template-preview")).to_be_visible()
        assert_accessible(page, f"a template's preview ({case})")
        check("/settings/notifications/log/", "notices sent")
        page.get_by_test_id("notice-row").first.get_by_role("link").first.click()
        expect(page.get_by_test_id("notice-facts")).to_be_visible()
        assert_accessible(page, f"a notice ({case})")
        check("/settings/notifications/mine/", "my notifications")
        slug = server.data["demo"]["slug"]
        check(f"/portal/{slug}/answer/not-a-token/", "the portal's answer page")
        check(f"/portal/{slug}/unsubscribe/not-a-token/", "the portal's unsubscribe page")
        assert re.search(r"/unsubscribe/", page.url)
    finally:
        page.context.close()
