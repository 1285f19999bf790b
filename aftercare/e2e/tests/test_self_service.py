"""Issue 12, done-when 3: self-service in the portal, in Persian.

In Debian's chromium against the real server: a customer signed in to the portal types a problem
into the request form, in Persian typed on an Arabic keyboard (ك and ي, no ZWNJ); the matching
help article is offered while they type, and only it; they open it, press "This solved my
problem", and the console counts the request they did not need to open. Then the help centre's
pages pass axe in Persian and English, on a desktop and a phone.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from aftercare.e2e.tests.accessibility import VIEWPORTS, assert_accessible
from aftercare.e2e.tests.portal import portal_sign_in

TIMEOUT_MS = 15_000
# "The cooler does not cool", as typed on an Arabic keyboard, without the ZWNJ.
TYPED_SUBJECT = "كولر خنك نميكند"
TYPED_DESCRIPTION = "از ديروز باد گرم مي‌زند"


def _new_page(browser, server, locale: str, viewport: str = "desktop") -> Page:
    context = browser.new_context(base_url=server.base_url, locale=locale, **VIEWPORTS[viewport])
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def _switch_language(page: Page, language: str) -> None:
    if page.locator("html").get_attribute("lang").startswith(language):
        return
    with page.expect_navigation():
        page.select_option("select#language-select", language)


def _deflections_in_console(browser, server, article_id: int) -> str:
    """The article's "problems solved" count, as a supervisor reads it in the console."""
    page = _new_page(browser, server, "en-US")
    try:
        page.goto("/accounts/login/")
        page.fill("input[name=email]", server.data["demo"]["supervisor_email"])
        page.fill("input[name=password]", server.password)
        page.locator("form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/$"))
        page.goto(f"/knowledge/articles/{article_id}/")
        return page.get_by_test_id("count-deflections").inner_text().strip()
    finally:
        page.context.close()


@pytest.mark.browser
def test_a_customer_typing_in_persian_is_offered_the_article_that_solves_it(e2e_server, browser):
    demo = e2e_server.data["demo"]
    cooler, fridge = demo["articles"]["cooler"], demo["articles"]["fridge"]
    before = _deflections_in_console(browser, e2e_server, cooler["id"])
    page = _new_page(browser, e2e_server, "fa-IR")
    try:
        portal_sign_in(page, e2e_server, email=demo["customers"]["fa"]["email"])
        _switch_language(page, "fa")
        page.goto("/portal/demo/requests/new/")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        # Typed key by key, as a customer does: the suggestions follow the typing.
        page.locator("input[name=subject]").press_sequentially(TYPED_SUBJECT, delay=20)
        suggestions = page.get_by_test_id("help-suggestions")
        expect(suggestions).to_be_visible()
        links = suggestions.get_by_test_id("help-article-link")
        expect(links).to_have_count(1)
        expect(links.first).to_have_attribute("data-article-id", str(cooler["id"]))
        expect(links.first).to_have_text(cooler["title"])
        page.locator("textarea[name=description]").press_sequentially(TYPED_DESCRIPTION)
        expect(suggestions.locator(f"[data-article-id='{fridge['id']}']")).to_have_count(0)
        assert_accessible(page, "request form with suggestions (fa)")

        links.first.click()
        expect(page).to_have_url(re.compile(rf"/portal/demo/help/articles/{cooler['id']}/"))
        expect(page.locator("h1")).to_have_text(cooler["title"])
        expect(page.locator("body")).to_contain_text("پمپ آب را بررسی کنید")
        assert_accessible(page, "help article (fa)")
        page.get_by_test_id("help-solved").click()
        expect(page.get_by_test_id("help-solved-done")).to_be_visible()
        assert_accessible(page, "problem solved (fa)")
    finally:
        page.context.close()
    after = _deflections_in_console(browser, e2e_server, cooler["id"])
    assert (int(before), int(after)) == (0, 1)


@pytest.mark.browser
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_help_centre_passes_axe(e2e_server, browser, language, viewport):
    demo = e2e_server.data["demo"]
    cooler = demo["articles"]["cooler"]
    page = _new_page(browser, e2e_server, "fa-IR" if language == "fa" else "en-US", viewport)
    try:
        page.goto("/portal/demo/help/")
        _switch_language(page, language)
        label = f"{language} {viewport}"
        assert_accessible(page, f"help centre ({label})")
        search = "كولر" if language == "fa" else "cooler"
        page.goto(f"/portal/demo/help/?q={search}")
        expect(page.get_by_test_id("help-article-link")).to_have_count(1)
        assert_accessible(page, f"help centre search ({label})")
        page.get_by_test_id("help-article-link").first.click()
        expect(page).to_have_url(re.compile(rf"/help/articles/{cooler['id']}/"))
        assert_accessible(page, f"help article ({label})")
    finally:
        page.context.close()
