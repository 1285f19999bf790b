"""Every page of the URL configuration that someone can open with the demo data, checked with
axe (WCAG 2.x A and AA) in English and in Persian (right to left), on a desktop and on a phone.

The pages come from Django's resolver: each pattern is either a page that
`manage.py accessibility_pages` turns into addresses in the demo data (and says who opens them),
or excluded below with its reason; a pattern that is neither fails
`test_every_url_pattern_is_swept_or_excluded`, so that no new page escapes the check. Each page
must answer 200, in the language asked for (the footer's language switcher, as people choose
it), at its own address; then a serious or critical axe violation fails the run, and lesser
ones are written to the report (its path is given as a warning), with everything checked and
how long it took.
"""

import json
import queue
import time
import warnings
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from aftercare.e2e.management.commands.accessibility_pages import LANGUAGE, PAGES
from aftercare.e2e.tests.accessibility import (
    AXE,
    FAILING_IMPACTS,
    SWEEP_VIEWPORTS,
    axe_findings,
)
from aftercare.e2e.tests.conftest import CHROMIUM_ARGS, _chromium_path, manage

TIMEOUT_MS = 30_000
LANGUAGES = {"en": "en-US", "fa": "fa-IR"}
# Per page and rule, how many nodes the report names (then how many more there were).
NODES_NAMED = 4
# Browsers checking pages at once: the machine CI runs on has two cores.
BROWSERS = 2

# Whole namespaces that hold no page of ours.
EXCLUDED_NAMESPACES = {
    "admin": "Django's own admin site, for superusers only: no demo login is one",
}
# The API's operations (JSON, checked by the API tests and schemathesis) are excluded as such,
# by their names; every other pattern that is no page is named here, with why.
EXCLUDED = {
    "set_language": "POST only: the language switcher's form (every check goes through it)",
    "api:openapi-json": "JSON: the API's OpenAPI schema",
    "api:api-root": "no page: the API's base address answers a JSON 404",
    "console:login_verify": (
        "the code step of signing in, for accounts with an authenticator app: no demo account has"
        " one"
    ),
    "console:logout": "POST only",
    "console:organization_switch": "POST only",
    "console:settings_organization_security": "POST only: the form is on console:settings_security",
    "console:email_change_link": (
        "redirect only: the emailed link moves its token into the session and opens "
        "console:email_change_confirm, checked through it"
    ),
    "console:staff_invitation_answer": (
        "redirect only: the emailed link opens console:staff_invitation_answer_page"
    ),
    "console:settings_account_password": "POST only: the form is on console:settings_account",
    "console:settings_member_resend": "POST only",
    "console:settings_offer_resend": "POST only",
    "console:settings_offer_withdraw": "POST only",
    "console:settings_audit_export": "CSV download",
    "console:settings_authenticator_disable": "POST only",
    "console:settings_recovery_codes": "POST only",
    "console:settings_session_end": "POST only",
    "console:settings_sessions_end_others": "POST only",
    "console:settings_token_create": "POST only: the form is on console:settings_tokens",
    "console:settings_token_revoke": "POST only",
    "tickets:by_id": "redirect only: a request's id to its address by number",
    "tickets:message": "POST only",
    "tickets:assign": "POST only",
    "tickets:status": "POST only",
    "tickets:update": "POST only",
    "tickets:macro_apply": "POST only",
    "tickets:bulk": "POST only",
    "tickets:saved_view_create": "POST only",
    "tickets:saved_view_delete": "POST only",
    "tickets:canned_answer_delete": "POST only",
    "tickets:macro_delete": "POST only",
    "tickets:presence": "POST only",
    "tickets:attachment": "file download",
    "warranty:proof": "file download: a unit's proof of purchase",
    "warranty:claim_approve": "POST only",
    "warranty:claim_reject": "POST only",
    "repairs:document_pdf": "PDF download (its print view is repairs:document)",
    "repairs:certificate_pdf": "PDF download (its print view is repairs:certificate)",
    "repairs:part_line": "POST only",
    "repairs:visit_status": "POST only",
    "repairs:action": "POST only",
    "knowledge:image_upload": "POST only",
    "knowledge:translation_publish": "POST only",
    "knowledge:translation_unpublish": "POST only",
    "knowledge:version_restore": "POST only",
    "knowledge_images:image": "image file",
    "sla:settings_calendar_default": "POST only",
    "sla:settings_holiday_add": "POST only",
    "sla:settings_holiday_remove": "POST only",
    "sla:settings_override_set": "POST only",
    "sla:settings_override_remove": "POST only",
    "sla:settings_calendar_import": "POST only",
    "sla:settings_calendar_official_holidays": "POST only",
    "notices:bell": "HTML fragment: the menu the top bar's bell loads when opened",
    "notices:read": "POST only",
    "notices:read_one": "POST only",
    "inbound:raw": "download: the message as it arrived",
    "inbound:reprocess": "POST only",
    "inbound:discard": "POST only",
    "inbound:mailbox_test": "POST only",
    "inbound:mailbox_poll": "POST only",
    "notifications:template_restore": "POST only",
    "outbound:email_test": "POST only",
    "outbound:email_delete": "POST only",
    "outbound:sms_test": "POST only",
    "outbound:sms_delete": "POST only",
    "hooks:email": "webhook for mail providers: POST, no page",
    "hooks:sms_report": "webhook for SMS gateways' delivery reports, no page",
    "portal:logout": "POST only",
    "portal:request_reply": "POST only",
    "portal:request_confirm": "POST only",
    "portal:repair_quote_approve": "POST only",
    "portal:repair_quote_decline": "POST only",
    "portal:repair_document": "PDF download",
    "portal:unit_certificate": "PDF download",
    "portal:attachment_download": "file download",
    "portal:help_suggest": "HTML fragment that portal:request_create loads while typing",
    "portal:help_vote": "POST only",
    "portal:help_solved": "POST only",
}

# Pages the demo data may have nothing to open under (`manage.py accessibility_pages` says why):
# any other page with nothing to open fails the sweep, so that none drops out of it unseen.
MAY_HAVE_NOTHING_TO_OPEN = {
    "console:staff_invitation_answer_page",
    "inbound:detail",
    "inbound:mailbox_edit",
    "notifications:log_detail",
    "outbound:email_edit",
    "outbound:sms_edit",
}


# --- Which patterns there are ---


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    """Each pattern under `resolver`: its namespace, name and whole route."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield namespace, entry.name, prefix + str(entry.pattern)


def _api_operation_names() -> set[str]:
    """The URL names of the API's operations (JSON in, JSON or a file out)."""
    from aftercare.api_v1 import api

    assert api.urls  # binds the routers, as the URL configuration does
    names = set()
    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                name = getattr(operation, "url_name", "") or api.get_operation_url_name(
                    operation, router=router.template
                )
                names.add(f"{api.urls_namespace}:{name}")
    return names


def url_patterns() -> dict[str, str]:
    """Every pattern of the URL configuration by its name with namespaces (by its route if it
    has no name), but those of the excluded namespaces and the API's operations."""
    operations = _api_operation_names()
    found = {}
    for namespace, name, route in _walk(get_resolver()):
        if namespace.split(":")[0] in EXCLUDED_NAMESPACES:
            continue
        key = f"{namespace}:{name}" if namespace and name else name or f"route {route}"
        if key not in operations:
            found[key] = route
    return found


def test_every_url_pattern_is_swept_or_excluded():
    patterns = url_patterns()
    neither = sorted(set(patterns) - set(PAGES) - set(EXCLUDED))
    both = sorted(set(PAGES) & set(EXCLUDED))
    stale = sorted((set(PAGES) | set(EXCLUDED) | MAY_HAVE_NOTHING_TO_OPEN) - set(patterns))
    assert not neither, (
        "These URL patterns are neither checked by the accessibility sweep nor excluded: give "
        "each its pages in PAGES (aftercare/e2e/management/commands/accessibility_pages.py), or, "
        "if it is no page (POST only, a download, JSON...), a reason in EXCLUDED "
        f"({Path(__file__).name}):\n"
        + "\n".join(f"  {name}  ({patterns[name]})" for name in neither)
    )
    assert not both, f"Both swept and excluded: {both}"
    assert not stale, f"Named in the sweep but not in the URL configuration: {stale}"


# --- The sweep ---


@dataclass
class Combination:
    """What one language at one size found."""

    language: str
    size: str
    pages: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    findings: list[tuple[dict, dict]] = field(default_factory=list)  # (visit, finding)

    @property
    def label(self) -> str:
        return f"{self.language} {self.size}"

    def failing(self) -> list[tuple[dict, dict]]:
        return [
            (visit, found) for visit, found in self.findings if found["impact"] in FAILING_IMPACTS
        ]

    def lesser(self) -> list[tuple[dict, dict]]:
        return [
            (visit, found)
            for visit, found in self.findings
            if found["impact"] not in FAILING_IMPACTS
        ]


def describe(findings: list[tuple[dict, dict]], label: str) -> list[str]:
    """One line per page and rule: which page, language and size, who, the rule and where."""
    grouped: dict[tuple, list[dict]] = defaultdict(list)
    for visit, found in findings:
        grouped[
            (visit["name"], visit["path"], visit["user"], found["rule"], found["impact"])
        ].append(found)
    lines = []
    for (name, path, user, rule, impact), nodes in grouped.items():
        lines.append(f"{name} {path} [{label}, as {user}] {rule} ({impact}): {nodes[0]['help']}")
        for node in nodes[:NODES_NAMED]:
            colours = f" — {node['colours']}" if node["colours"] else ""
            lines.append(f"    at {node['target']}: {node['html']}{colours}")
        if len(nodes) > NODES_NAMED:
            lines.append(f"    and {len(nodes) - NODES_NAMED} more")
    return lines


@pytest.fixture(scope="module")
def catalogue(demo_server) -> dict:
    """The sweep's pages in the demo data, and who opens them."""
    output = manage(demo_server, "accessibility_pages", "--settings=aftercare.e2e.settings")
    return json.loads(output.strip().splitlines()[-1])


def _context(browser, server, *, language: str, size: str, state=None):
    """A browser context on the server in a language's locale at a size, maybe signed in."""
    context = browser.new_context(
        base_url=server.base_url,
        locale=LANGUAGES[language],
        storage_state=state,
        **SWEEP_VIEWPORTS[size],
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def sign_in_everyone(browser, server, catalogue: dict) -> dict:
    """Each person signed in once, as they do (staff by password, customers by their emailed
    link): the browser state every language and size then starts from."""
    states = {}
    for user, who in catalogue["users"].items():
        if who["kind"] == "anonymous":
            continue
        context = _context(browser, server, language="en", size="desktop")
        page = context.new_page()
        try:
            if who["kind"] == "staff":
                page.goto("/accounts/login/")
                page.fill("input[name=email]", who["email"])
                page.fill("input[name=password]", server.password)
                with page.expect_navigation():
                    page.locator("form button[type=submit]").click()
                assert urlsplit(page.url).path == "/", f"{user} was not signed in: {page.url}"
            else:
                page.goto(who["links"][0])
                with page.expect_navigation():
                    page.get_by_test_id("link-sign-in").click()
                page.get_by_test_id("portal-customer-name").wait_for()
            states[user] = context.storage_state()
        finally:
            context.close()
    return states


@pytest.fixture(scope="module")
def sessions(demo_server, browser, catalogue) -> dict:
    """Who signs in, signed in: their browser state, by who they are in the catalogue."""
    return sign_in_everyone(browser, demo_server, catalogue)


def _language_choose(page, language: str, start: str) -> None:
    """Open `start` and, unless the pages already speak `language`, pick it in the footer's
    language switcher (it sends itself when changed)."""
    page.goto(start)
    if page.evaluate("document.documentElement.lang") == language:
        return
    with page.expect_navigation():
        page.locator("[data-testid=language-switcher] select").select_option(language)


def _check(page, visit: dict, language: str, combination: Combination) -> bool:
    """Open one page; note what is wrong with it: its answer, language and place, then axe.
    False if it did not load (the browser's page is then best replaced)."""
    path = visit["path"].replace(LANGUAGE, language)
    where = f"{visit['name']} {path} [{combination.label}, as {visit['user']}]"
    try:
        response = page.goto(path, wait_until="load")
    except PlaywrightError as error:
        combination.problems.append(f"{where}: did not load: {str(error).splitlines()[0]}")
        return False
    status = response.status if response is not None else None
    if status != visit["status"]:
        combination.problems.append(f"{where}: answered {status} at {page.url}")
        return True
    if visit["ready"]:
        try:
            page.locator(visit["ready"]).first.wait_for()
        except PlaywrightError:
            combination.problems.append(f"{where}: its scripts never drew {visit['ready']}")
            return True
    try:
        landed = resolve(urlsplit(page.url).path).view_name
    except Resolver404:
        landed = "handler404"
    if landed != visit["name"]:
        combination.problems.append(f"{where}: ended at {page.url} ({landed})")
        return True
    lang, direction = page.evaluate(
        "[document.documentElement.lang, document.documentElement.dir || getComputedStyle("
        "document.documentElement).direction]"
    )
    wanted = visit["language"] or language
    if lang.split("-")[0] != wanted:
        combination.problems.append(f"{where}: <html lang={lang!r}>, not {wanted}")
    elif direction != ("rtl" if wanted == "fa" else "ltr"):
        combination.problems.append(f"{where}: <html dir={direction!r}> in {wanted}")
    combination.pages += 1
    combination.findings += [(visit, found) for found in axe_findings(page)]
    return True


def _jobs(catalogue: dict, language: str) -> list[tuple[str, list[dict]]]:
    """The pages to check in `language`, by person (one browser context each), the person with
    the most first: the browsers take them in turn."""
    by_user: dict[str, list[dict]] = defaultdict(list)
    for visit in catalogue["pages"]:
        if not visit["language"] or visit["language"] == language:
            by_user[visit["user"]].append(visit)
    return sorted(by_user.items(), key=lambda job: -len(job[1]))


def _run(browser, server, catalogue, sessions, job, combination: Combination) -> None:
    """One person's pages in a browser context of its own, in the combination's language and
    size."""
    user, visits = job
    portal = f"/portal/{catalogue['organization']}/"
    kind = catalogue["users"][user]["kind"]
    context = _context(
        browser,
        server,
        language=combination.language,
        size=combination.size,
        state=sessions.get(user),
    )
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    try:
        start = {"staff": "/", "customer": portal + "requests/"}.get(kind, portal + "login/")
        _language_choose(page, combination.language, start)
        for visit in visits:
            if not _check(page, visit, combination.language, combination):
                page.close()
                page = context.new_page()
    finally:
        context.close()


def sweep(server, catalogue: dict, sessions: dict, language: str, size: str) -> Combination:
    """Every page of the catalogue in one language at one size, in BROWSERS browsers at once
    (axe's work in the page is most of a check's time: each browser keeps a core busy)."""
    started = time.monotonic()
    jobs = queue.SimpleQueue()
    for job in _jobs(catalogue, language):
        jobs.put(job)
    parts = [Combination(language, size) for _ in range(BROWSERS)]

    def work(part: Combination) -> None:
        # Playwright's sync API is bound to its thread: each thread has its own.
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=_chromium_path(), args=CHROMIUM_ARGS
            )
            try:
                while True:
                    try:
                        job = jobs.get_nowait()
                    except queue.Empty:
                        return
                    _run(browser, server, catalogue, sessions, job, part)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=BROWSERS) as pool:
        for done in [pool.submit(work, part) for part in parts]:
            done.result()
    combination = Combination(language, size, seconds=time.monotonic() - started)
    for part in parts:
        combination.pages += part.pages
        combination.problems += part.problems
        combination.findings += part.findings
    return combination


@pytest.fixture(scope="module")
def sweep_clock() -> float:
    """When the sweep began, before its server was set up."""
    return time.monotonic()


@pytest.fixture(scope="module")
def sweep_report(sweep_clock, catalogue, tmp_path_factory):
    """Collects each combination's results; at the end writes the report and says where."""
    combinations: list[Combination] = []
    yield combinations
    path = tmp_path_factory.mktemp("accessibility") / "sweep.txt"
    patterns = url_patterns()
    lines = [
        f"Accessibility sweep: {len(patterns)} URL patterns (besides the API's operations and "
        f"{', '.join(EXCLUDED_NAMESPACES)}), {len({v['name'] for v in catalogue['pages']})} "
        f"swept as {len(catalogue['pages'])} pages, {len(EXCLUDED)} excluded, "
        f"{len(catalogue['absent'])} with nothing to open in the demo data.",
        f"Run time {time.monotonic() - sweep_clock:.0f} s, the demo server's setup included; "
        f"the pages {sum(combination.seconds for combination in combinations):.0f} s.",
        "",
    ]
    for combination in combinations:
        lines.append(
            f"{combination.label}: {combination.pages} pages in {combination.seconds:.0f} s, "
            f"{len(combination.problems)} pages wrong, "
            f"{len(combination.failing())} serious or critical nodes, "
            f"{len(combination.lesser())} lesser"
        )
    for combination in combinations:
        if combination.problems or combination.findings:
            lines += ["", f"== {combination.label}", *combination.problems]
            lines += describe(combination.failing(), combination.label)
            lines += describe(combination.lesser(), combination.label)
    lines += ["", "== Nothing to open in the demo data"]
    lines += [f"{name}: {reason}" for name, reason in sorted(catalogue["absent"].items())]
    lines += ["", "== Pages"]
    lines += [
        f"{visit['name']} {visit['path']} as {visit['user']}"
        + (f" (in {visit['language']} only)" if visit["language"] else "")
        for visit in catalogue["pages"]
    ]
    path.write_text("\n".join(lines) + "\n")
    warnings.warn(f"accessibility sweep report: {path}", stacklevel=1)


@pytest.mark.browser
@pytest.mark.parametrize("size", list(SWEEP_VIEWPORTS))
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_page_passes_axe(
    browser, sweep_clock, sweep_report, demo_server, catalogue, sessions, language, size
):
    combination = sweep(demo_server, catalogue, sessions, language, size)
    sweep_report.append(combination)
    failing = combination.failing()
    dropped = sorted(set(catalogue["absent"]) - MAY_HAVE_NOTHING_TO_OPEN)
    assert not dropped, "The demo data has nothing to open under " + "; ".join(
        f"{name} ({catalogue['absent'][name]})" for name in dropped
    )
    assert combination.pages and not (combination.problems or failing), (
        f"{combination.label}: {combination.pages} pages checked in {combination.seconds:.0f} s; "
        f"{len(combination.problems)} wrong, {len(failing)} serious or critical axe findings:\n"
        + "\n".join(combination.problems + describe(failing, combination.label))
        + f"\n\nServer log (last lines):\n{demo_server.log_tail(20)}"
    )
