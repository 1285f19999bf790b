"""Staff accounts by mail, end to end, in Debian's chromium against the session's real server,
whose mail goes over SMTP to a server in this process.

Done-when: an admin invites a staff member in the console, the invitation arrives over SMTP, the
new member opens its link, chooses a password and signs in to the console. Then a member changes
their email from "My account", confirmed from the link sent to the new address. Every page added
for this passes axe's WCAG A/AA rules in English and Persian, on a desktop and a phone screen.
"""

import re
import secrets
import time

import pytest
from playwright.sync_api import Page, expect

from aftercare.e2e.tests.accessibility import VIEWPORTS, assert_accessible
from aftercare.e2e.tests.conftest import MAIL_WAIT_SECONDS, mail_text

TIMEOUT_MS = 15_000
NEW_PASSWORD = "stony river 8 lanterns"


def _page(browser, server, *, locale: str, screen: str = "desktop") -> Page:
    """A page in a fresh browser context (its own cookies) speaking to the server."""
    context = browser.new_context(base_url=server.base_url, locale=locale, **VIEWPORTS[screen])
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def _sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.locator("form[method=post] button[type=submit]").first.click()
    _expect_console_home(page)


def _expect_console_home(page: Page) -> None:
    """The page is the console's home, the queue."""
    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))
    expect(page.get_by_test_id("sign-out")).to_have_count(1)


def _mail_to(server, email: str, *, since: int):
    """The first message the SMTP server received for `email` after the first `since`."""
    deadline = time.monotonic() + MAIL_WAIT_SECONDS
    while time.monotonic() < deadline:
        for received in server.smtp.received[since:]:
            if email in received.recipients:
                return received
        time.sleep(0.2)
    raise AssertionError(f"No mail to {email} over SMTP within {MAIL_WAIT_SECONDS}s.")


def _link(server, received, path: str) -> str:
    """The one link under `path` in a received message."""
    text = mail_text(received.message)
    links = re.findall(re.escape(server.url(path)) + r"[^\s\"'<>]*", text)
    assert len(links) == 1, f"expected one link to {path} in:\n{text}"
    return links[0]


def _html_part(received) -> str:
    return received.message.get_body(preferencelist=("html",)).get_content()


def _invite(admin: Page, server, *, email: str, name: str) -> str:
    """The admin invites `email` as an agent from the member list; the emailed link."""
    admin.goto("/accounts/settings/members/")
    admin.get_by_test_id("invite-member").click()
    admin.fill("input[name=email]", email)
    admin.fill("input[name=full_name]", name)
    admin.select_option("select[name=role]", "agent")
    since = len(server.smtp.received)
    admin.get_by_test_id("save-invite").click()
    expect(admin).to_have_url(re.compile(r"/accounts/settings/members/$"))
    return _link(server, _mail_to(server, email, since=since), "/accounts/invitation/")


def test_admin_invites_a_member_who_chooses_a_password_and_signs_in(browser, e2e_server):
    server = e2e_server
    email = f"nima.{secrets.token_hex(4)}@demo.example"
    admin = _page(browser, server, locale="en-US")
    member = _page(browser, server, locale="fa-IR")
    try:
        _sign_in(admin, server.data["demo"]["admin_email"], server.password)
        admin.goto("/accounts/settings/members/")
        admin.get_by_test_id("invite-member").click()
        admin.fill("input[name=email]", email)
        admin.fill("input[name=full_name]", "Nima Navid")
        admin.select_option("select[name=role]", "agent")
        since = len(server.smtp.received)
        admin.get_by_test_id("save-invite").click()

        expect(admin).to_have_url(re.compile(r"/accounts/settings/members/$"))
        expect(admin.get_by_role("alert")).to_contain_text(
            f"{email} is now a member, as Agent. We emailed them an invitation to choose a "
            "password."
        )
        row = admin.get_by_test_id("member-row").filter(has_text=email)
        expect(row.get_by_test_id("badge-invitation-pending")).to_be_visible()

        # The invitation arrived over SMTP, in the organization's language (Persian, RTL).
        received = _mail_to(server, email, since=since)
        assert received.recipients == [email]
        assert received.message["To"] == email
        assert received.message["Subject"] == "Ava Admin شما را به Demo Electronics دعوت کرد"
        assert received.message["Content-Language"] == "fa"
        assert '<html lang="fa" dir="rtl">' in _html_part(received)
        link = _link(server, received, "/accounts/invitation/")

        # The new member opens the link, chooses a password and lands in the console.
        member.goto(link)
        expect(member).to_have_url(re.compile(r"/accounts/invitation/[^/]+/set/$"))
        expect(member.locator("html")).to_have_attribute("dir", "rtl")
        assert link.rstrip("/").rsplit("/", 1)[1] not in member.content()
        member.fill("input[name=password]", NEW_PASSWORD)
        member.fill("input[name=password_confirmation]", NEW_PASSWORD)
        member.get_by_test_id("save-password").click()
        _expect_console_home(member)
        expect(member.get_by_test_id("my-account")).to_contain_text("Nima Navid")

        # Signed out, they sign in with the password they chose; the link no longer works.
        member.get_by_test_id("sign-out").click()
        expect(member).to_have_url(re.compile(r"/accounts/login/$"))
        _sign_in(member, email, NEW_PASSWORD)
        expect(member.get_by_test_id("my-account")).to_contain_text("Nima Navid")
        expect(member.get_by_test_id("organization-name")).to_have_text("Demo Electronics")
        member.goto(link)
        expect(member.get_by_test_id("link-invalid")).to_be_visible()

        admin.reload()
        row = admin.get_by_test_id("member-row").filter(has_text=email)
        expect(row.get_by_test_id("badge-active")).to_be_visible()
        expect(row.get_by_test_id("resend-invitation")).to_have_count(0)
    finally:
        admin.context.close()
        member.context.close()


def test_a_member_changes_their_email_from_the_link_sent_to_the_new_address(browser, e2e_server):
    server = e2e_server
    old = f"sara.{secrets.token_hex(4)}@demo.example"
    new = f"sara.new.{secrets.token_hex(4)}@demo.example"
    admin = _page(browser, server, locale="en-US")
    member = _page(browser, server, locale="en-US")
    try:
        _sign_in(admin, server.data["demo"]["admin_email"], server.password)
        member.goto(_invite(admin, server, email=old, name="Sara"))
        member.fill("input[name=password]", NEW_PASSWORD)
        member.fill("input[name=password_confirmation]", NEW_PASSWORD)
        member.get_by_test_id("save-password").click()
        _expect_console_home(member)

        member.get_by_test_id("my-account").click()
        expect(member.get_by_test_id("account-email")).to_have_text(old)
        member.fill("input[name=new_email]", new)
        member.locator("[data-testid=email-form] input[name=password]").fill(NEW_PASSWORD)
        since = len(server.smtp.received)
        member.get_by_test_id("request-email-change").click()
        expect(member.get_by_role("alert")).to_contain_text(f"confirmation link to {new}")

        notice = _mail_to(server, old, since=since)
        assert new in mail_text(notice.message)
        confirmation = _mail_to(server, new, since=since)
        link = _link(server, confirmation, "/accounts/email/confirm/")
        expect(member.get_by_test_id("account-email")).to_have_text(old)

        member.goto(link)
        member.get_by_test_id("confirm-email-change").click()
        expect(member).to_have_url(re.compile(r"/accounts/settings/account/$"))
        expect(member.get_by_test_id("account-email")).to_have_text(new)
    finally:
        admin.context.close()
        member.context.close()


@pytest.fixture(scope="module")
def emailed_links(browser, e2e_server) -> dict:
    """A working invitation link and a working email-change link, opened by no one yet."""
    server = e2e_server
    admin = _page(browser, server, locale="en-US")
    try:
        _sign_in(admin, server.data["demo"]["admin_email"], server.password)
        invitation = _invite(
            admin, server, email=f"axe.{secrets.token_hex(4)}@demo.example", name="Axe"
        )
        admin.goto("/accounts/settings/account/")
        new = f"admin.{secrets.token_hex(4)}@demo.example"
        admin.fill("input[name=new_email]", new)
        admin.locator("[data-testid=email-form] input[name=password]").fill(server.password)
        since = len(server.smtp.received)
        admin.get_by_test_id("request-email-change").click()
        email_change = _link(server, _mail_to(server, new, since=since), "/accounts/email/confirm/")
    finally:
        admin.context.close()
    return {"invitation": invitation, "email_change": email_change}


@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.parametrize(("locale", "direction"), [("en-US", "ltr"), ("fa-IR", "rtl")])
def test_the_new_pages_pass_axe(browser, e2e_server, emailed_links, locale, direction, screen):
    server = e2e_server
    page = _page(browser, server, locale=locale, screen=screen)
    case = f"{locale}, {screen}"
    try:

        def check(label: str) -> None:
            expect(page.locator("html")).to_have_attribute("dir", direction)
            assert_accessible(page, f"{label} ({case})")

        page.goto("/accounts/login/")
        check("sign-in page with its reset link")
        page.get_by_test_id("forgot-password").click()
        check("forgot-password page")
        page.fill("input[name=email]", "not an address")
        page.get_by_test_id("request-reset").click()
        expect(page.locator("[data-testid=error-email]")).to_be_visible()
        check("forgot-password page with an error")
        page.fill("input[name=email]", f"nobody.{secrets.token_hex(4)}@demo.example")
        page.get_by_test_id("request-reset").click()
        expect(page.get_by_test_id("reset-sent")).to_be_visible()
        check("reset link sent page")

        page.goto(emailed_links["invitation"])
        expect(page.get_by_test_id("password-set-form")).to_be_visible()
        check("set-password page")
        page.fill("input[name=password]", "short")
        page.fill("input[name=password_confirmation]", "other")
        page.get_by_test_id("save-password").click()
        expect(page.locator("[data-testid=error-password_confirmation]")).to_be_visible()
        check("set-password page with errors")
        page.goto("/accounts/password/reset/MQ/1-2/")
        expect(page.get_by_test_id("link-invalid")).to_be_visible()
        check("link no longer works page")
        page.goto(emailed_links["email_change"])
        expect(page.get_by_test_id("email-change-form")).to_be_visible()
        check("email change confirmation page")

        _sign_in(page, server.data["demo"]["admin_email"], server.password)
        page.goto("/accounts/settings/members/")
        expect(page.get_by_test_id("resend-invitation").first).to_be_visible()
        check("member list with invitations")
        page.goto("/accounts/settings/members/invite/")
        check("invite page")
        page.goto("/accounts/settings/account/")
        check("my account page")
        # Errors the form finds itself: a wrong password would count as a sign-in attempt.
        page.fill("input[name=new_email]", "not an address")
        page.get_by_test_id("request-email-change").click()
        expect(page.locator("[data-testid=error-new_email]")).to_be_visible()
        check("my account page with errors")
    finally:
        page.context.close()
