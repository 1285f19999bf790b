"""What browser tests do as staff: call the API with a token, and sign in to the console."""

import json
import re
import urllib.error
import urllib.request

from playwright.sync_api import Page, expect

TIMEOUT_MS = 15_000


def api(server, method: str, path: str, *, token: str | None = None, body=None):
    """One API call, its JSON answer; a refusal fails with its status and body."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        server.base_url + "/api/v1" + path, data=data, headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raise AssertionError(f"{method} {path}: {error.code} {error.read()[:500]!r}") from None


def token(server, email: str) -> str:
    """An API token for a member of staff, by their password."""
    body = {"email": email, "password": server.password}
    return api(server, "POST", "/auth/token", body=body)["token"]


def staff_page(browser, server, email: str, locale: str, **context_options) -> Page:
    """A new browser context (`context_options`: viewport, touch...) signed in to the console."""
    context = browser.new_context(base_url=server.base_url, locale=locale, **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", server.password)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))
    return page
