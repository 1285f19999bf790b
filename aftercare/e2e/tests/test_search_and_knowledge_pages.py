"""Issue 12's console pages in a real browser: the search page (its results highlighted, in
Persian typed with Arabic letters) and the knowledge base's pages, each passing axe in English
and Persian, on a desktop and a phone."""

import re

import pytest
from playwright.sync_api import Page, expect

from aftercare.e2e.tests.accessibility import VIEWPORTS, assert_accessible

TIMEOUT_MS = 15_000


def _sign_in(browser, server, email: str, locale: str, viewport: str) -> Page:
    context = browser.new_context(base_url=server.base_url, locale=locale, **VIEWPORTS[viewport])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", server.password)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))
    return page


@pytest.mark.browser
def test_the_top_bar_search_finds_an_article_typed_with_arabic_letters(e2e_server, browser):
    demo = e2e_server.data["demo"]
    cooler = demo["articles"]["cooler"]
    page = _sign_in(browser, e2e_server, demo["agent_email"], "en-US", "desktop")
    try:
        page.get_by_test_id("top-search-q").fill("كولر")
        page.get_by_test_id("top-search-q").press("Enter")
        expect(page).to_have_url(re.compile(r"/search/\?q="))
        result = page.locator("[data-testid=search-result][data-kind=article][data-id]").filter(
            has_text=cooler["title"]
        )
        expect(result).to_have_count(1)
        expect(result.locator("mark").first).to_have_text("کولر")
        result.get_by_role("link", name=cooler["title"]).click()
        expect(page).to_have_url(re.compile(rf"/knowledge/articles/{cooler['id']}/$"))
    finally:
        page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", ["en", "fa"])
def test_search_and_knowledge_pages_pass_axe(e2e_server, browser, language, viewport):
    demo = e2e_server.data["demo"]
    article = demo["articles"]["cooler"]["id"]
    locale = "fa-IR" if language == "fa" else "en-US"
    page = _sign_in(browser, e2e_server, demo["supervisor_email"], locale, viewport)
    label = f"{language} {viewport}"
    try:
        for path, name in [
            ("/search/", "search page"),
            ("/search/?q=%D9%83%D9%88%D9%84%D8%B1", "search results"),
            ("/search/?q=x&kind=request&state=open", "search results, narrowed"),
            ("/knowledge/", "article list"),
            ("/knowledge/articles/new/", "new article"),
            (f"/knowledge/articles/{article}/", "article"),
            (f"/knowledge/articles/{article}/edit/", "article settings"),
            (f"/knowledge/articles/{article}/fa/", "translation"),
            (f"/knowledge/articles/{article}/fa/history/", "history"),
            ("/knowledge/categories/", "categories"),
            ("/knowledge/categories/new/", "new category"),
        ]:
            page.goto(path)
            expect(page.locator("html")).to_have_attribute("lang", re.compile(rf"^{language}"))
            assert_accessible(page, f"{name} ({label})")
    finally:
        page.context.close()
