"""Signing a customer in to the demo portal the way they do: by the emailed one-time link."""

import re

from playwright.sync_api import Page, expect

from aftercare.e2e.tests.accessibility import assert_accessible


def portal_sign_in(page: Page, server, *, email: str) -> None:
    """Ask for a sign-in link, read it from the emailed message, open it and press its button
    (opening it alone signs nobody in)."""
    page.goto("/portal/demo/login/")
    page.fill("input[name=email]", email)
    already = server.mail_files()
    page.get_by_test_id("request-link").click()
    expect(page.get_by_test_id("link-sent")).to_be_visible()
    page.goto(server.emailed_link(to=email, since=already, path="/portal/demo/login/"))
    expect(page.get_by_test_id("link-email")).to_have_text(email)
    expect(page.get_by_test_id("portal-customer-name")).to_have_count(0)
    assert_accessible(page, "portal sign-in link")
    page.get_by_test_id("link-sign-in").click()
    expect(page).to_have_url(re.compile(r"/portal/demo/requests/$"))
    expect(page.get_by_test_id("portal-customer-name")).to_be_visible()
