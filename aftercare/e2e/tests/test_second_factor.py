"""Issue 11, done-when 5, in Debian's chromium against the real server: an admin whose
organization requires a second factor sets up an authenticator app (TOTP) and then signs in
with its code; a portal sign-in link opened for a staff member's email does not reach the
console. The new pages pass axe in English and Persian, on a desktop and a phone."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from aftercare.e2e.tests.accessibility import VIEWPORTS, assert_accessible

pytestmark = pytest.mark.browser

TIMEOUT_MS = 15_000


def _page(browser, server, *, locale: str = "en-US", screen: str = "desktop") -> Page:
    context = browser.new_context(base_url=server.base_url, locale=locale, **VIEWPORTS[screen])
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def _password_step(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.locator("form[method=post] button[type=submit]").first.click()


def test_admin_with_a_required_second_factor_enrols_and_signs_in_with_it(browser, e2e_server):
    email = e2e_server.data["secure"]["admin_email"]
    page = _page(browser, e2e_server)
    _password_step(page, email, e2e_server.password)
    # The console opens nothing else until an authenticator app is set up.
    expect(page).to_have_url(re.compile(r"/accounts/settings/security/$"))
    expect(page.get_by_test_id("second-factor-required")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/settings/security/$"))
    assert_accessible(page, "sign-in and security, second factor required")

    page.get_by_test_id("set-up-authenticator").click()
    expect(page.get_by_test_id("totp-qr").locator("svg")).to_be_visible()
    assert_accessible(page, "authenticator set-up")
    secret = "".join(page.get_by_test_id("totp-secret").inner_text().split())
    totp = pyotp.TOTP(secret)
    page.get_by_test_id("totp-code").fill("000000")
    page.get_by_test_id("totp-confirm").click()
    expect(page.get_by_test_id("totp-error")).to_be_visible()
    page.get_by_test_id("totp-code").fill(totp.now())
    page.get_by_test_id("totp-confirm").click()
    codes = page.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(10)
    assert_accessible(page, "recovery codes")
    page.get_by_test_id("codes-done").click()
    expect(page.get_by_test_id("second-factor-state")).to_contain_text("On")
    page.goto("/")
    expect(page.get_by_test_id("sign-out")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))

    # Signed out, the password alone no longer opens the console: the app's code does.
    page.get_by_test_id("sign-out").click()
    _password_step(page, email, e2e_server.password)
    expect(page).to_have_url(re.compile(r"/accounts/login/verify/$"))
    assert_accessible(page, "sign-in code step")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    _password_step(page, email, e2e_server.password)
    # The enrolment spent the current step's code: the next step's is accepted (clock drift).
    page.get_by_test_id("verify-code").fill(totp.at(time.time() + 30))
    page.get_by_test_id("verify-submit").click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))
    expect(page.get_by_test_id("sign-out")).to_have_count(1)
    page.goto("/accounts/settings/security/")
    expect(page.get_by_test_id("session-row")).to_have_count(1)
    expect(page.get_by_test_id("this-browser")).to_have_count(1)
    page.context.close()


@pytest.mark.parametrize(("locale", "screen"), [("fa-IR", "desktop"), ("fa-IR", "phone")])
def test_the_security_pages_in_persian(browser, e2e_server, locale, screen):
    page = _page(browser, e2e_server, locale=locale, screen=screen)
    _password_step(page, e2e_server.data["demo"]["agent_email"], e2e_server.password)
    expect(page.get_by_test_id("sign-out")).to_have_count(1)
    page.goto("/accounts/settings/security/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_test_id("session-row").first).to_be_visible()
    assert_accessible(page, f"sign-in and security ({locale}, {screen})")
    page.goto("/accounts/settings/security/authenticator/")
    expect(page.get_by_test_id("totp-qr").locator("svg")).to_be_visible()
    assert_accessible(page, f"authenticator set-up ({locale}, {screen})")
    page.context.close()


def test_a_portal_link_for_a_staff_email_does_not_reach_the_console(browser, e2e_server):
    email = e2e_server.data["demo"]["agent_email"]
    page = _page(browser, e2e_server)
    page.goto("/portal/demo/login/")
    page.fill("input[name=email]", email)
    already = e2e_server.mail_files()
    page.get_by_test_id("request-link").click()
    # The answer is alike for every address: nobody learns that this one is staff.
    expect(page.get_by_test_id("link-sent")).to_be_visible()
    link = e2e_server.emailed_link(to=email, since=already, path="/portal/demo/login/")
    answer = page.goto(link)
    assert answer is not None and answer.status == 400
    expect(page.get_by_text("signs in with its password on the staff sign-in page")).to_be_visible()
    expect(page.get_by_test_id("link-sign-in")).to_have_count(0)
    expect(page.get_by_test_id("portal-customer-name")).to_have_count(0)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto("/portal/demo/requests/")
    expect(page).to_have_url(re.compile(r"/portal/demo/login/"))
    page.context.close()
