"""The permission matrix (issue 11): every URL pattern and every API operation has its entry in
`aftercare.accounts.permissions`, and the server answers as the entry says.

Every page is asked for by every role of the organization, anonymously, by a customer signed in
to the portal and by a member of another organization, with the ids of real objects of the own
organization; and by an admin with the ids of another organization's objects. Every API
operation likewise, with a token of every role, and with read and write tokens of an admin. A
page or an operation without an entry fails the first test, naming it: give it one.

Pages are asked for with GET, and with POST when they take only POST; API operations with
their method and an empty body. A role the matrix lets in may still be told its empty form is
not valid (422, 400): that is not a refusal. One the matrix keeps out gets 403.
"""

import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from aftercare.accounts.models import ApiToken, Membership
from aftercare.accounts.permissions import (
    API_OPERATIONS,
    NAMESPACES,
    PAGES,
    ROLE_LEVELS,
    SCOPE_LEVELS,
    Audience,
    Level,
    levels_of,
    operation_requirement,
    page_requirement,
    role_allows,
)
from aftercare.api_v1 import api
from aftercare.console.navigation import nav_links, settings_sections
from aftercare.lib.testing import bearer
from aftercare.tests.permission_world import (
    API_NAMESPACE,
    ROLES,
    Identity,
    World,
    build_world,
    names_an_object,
    placeholder_value,
)


@pytest.fixture
def world(
    org,
    other_org,
    alice_admin,
    sam_supervisor,
    bob_agent,
    tina_technician,
    vic_viewer,
    charlie_other_org,
    customer,
    other_customer,
    settings,
) -> World:
    return build_world(
        org=org,
        other_org=other_org,
        alice_admin=alice_admin,
        sam_supervisor=sam_supervisor,
        bob_agent=bob_agent,
        tina_technician=tina_technician,
        vic_viewer=vic_viewer,
        charlie_other_org=charlie_other_org,
        customer=customer,
        other_customer=other_customer,
        settings=settings,
    )


# --- The patterns and operations there are ---


@dataclass(frozen=True)
class Page:
    """A named URL pattern outside the API's operations."""

    name: str
    route: str
    kwargs: tuple[str, ...]
    callback: object


@dataclass(frozen=True)
class Operation:
    """An API operation: its id, its method and its path."""

    operation_id: str
    method: str
    path: str
    kwargs: tuple[str, ...]
    has_token: bool


def _walk(resolver: URLResolver, prefix: str = "", namespace: str | None = None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield namespace, name, prefix + str(entry.pattern), entry


def _route_kwargs(route: str) -> tuple[str, ...]:
    converters = re.findall(r"<(?:\w+:)?(\w+)>", route)
    groups = re.findall(r"\(\?P<(\w+)>", route)
    return tuple(converters + groups)


def all_operations() -> list[Operation]:
    """Every operation of the API, from its routers as mounted."""
    assert api.urls  # binds the routers, as the URL configuration does
    operations = []
    for router in api._get_bound_routers():
        for path, path_view in router.path_operations.items():
            full = "/" + "/".join(part for part in (router.prefix, path) if part).strip("/")
            full = re.sub("/+", "/", full)
            for operation in path_view.operations:
                for method in operation.methods:
                    operations.append(
                        Operation(
                            operation_id=api.get_openapi_operation_id(operation),
                            method=method,
                            path=full + ("/" if path.endswith("/") else ""),
                            kwargs=tuple(re.findall(r"{(\w+)}", full)),
                            has_token=bool(operation.auth_callbacks),
                        )
                    )
    return operations


def _operation_url_names() -> set[str]:
    """The URL names the API's operations are routed by (their ids, or a `url_name`)."""
    names = set()
    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                url_name = getattr(operation, "url_name", "")
                if not url_name:
                    url_name = api.get_operation_url_name(operation, router=router.template)
                names.add(url_name)
    return names


def all_pages() -> tuple[list[Page], list[str]]:
    """Every named URL pattern but the API's operations; and the patterns that have no name
    (outside a namespace the matrix covers as a whole)."""
    operation_names = {f"{API_NAMESPACE}:{name}" for name in _operation_url_names()}
    pages, unnamed = [], []
    for namespace, name, route, entry in _walk(get_resolver()):
        if name in operation_names:
            continue
        if not name or not entry.name:
            if (namespace or "").split(":")[0] not in NAMESPACES:
                unnamed.append(route)
            continue
        pages.append(Page(name, route, _route_kwargs(route), entry.callback))
    return pages, unnamed


# --- Every pattern has an entry ---


def test_every_page_and_api_operation_has_an_entry_in_the_matrix():
    pages, unnamed = all_pages()
    operations = all_operations()
    problems = [
        f"URL pattern {route!r} has no name: name it, then give it an entry" for route in unnamed
    ]
    for page in pages:
        if page.name not in PAGES and page.name.split(":")[0] not in NAMESPACES:
            problems.append(f"page {page.name!r} ({page.route}) has no entry in PAGES")
    for operation in operations:
        if operation.operation_id not in API_OPERATIONS:
            problems.append(
                f"API operation {operation.operation_id!r} ({operation.method} "
                f"{operation.path}) has no entry in API_OPERATIONS"
            )
    names = {page.name for page in pages}
    problems += [
        f"PAGES names {name!r}, which no URL pattern has" for name in PAGES if name not in names
    ]
    ids = {operation.operation_id for operation in operations}
    problems += [
        f"API_OPERATIONS names {name!r}, which no operation has"
        for name in API_OPERATIONS
        if name not in ids
    ]
    assert not problems, "The permission matrix (aftercare/accounts/permissions.py):\n" + "\n".join(
        problems
    )


def test_console_pages_are_the_pages_of_a_level_and_api_operations_take_a_token_but_public_ones():
    pages, _unnamed = all_pages()
    problems = []
    for page in pages:
        if page.name not in PAGES:
            continue  # the Django admin's, or missing (the test above names it)
        is_console_page = getattr(page.callback, "console_page", False)
        is_level = isinstance(page_requirement(page.name), Level)
        if is_console_page != is_level:
            problems.append(
                f"{page.name}: {page_requirement(page.name)} in the matrix, but "
                f"{'a' if is_console_page else 'not a'} console_view page"
            )
    for operation in all_operations():
        if operation.operation_id not in API_OPERATIONS:
            continue
        public = operation_requirement(operation.operation_id) is Audience.PUBLIC
        if public == operation.has_token:
            problems.append(f"{operation.operation_id}: public in the matrix or without a token")
    assert not problems, "\n".join(problems)


def test_every_operation_the_matrix_can_refuse_declares_403(db):
    schema = Client().get("/api/v1/openapi.json").json()
    undeclared = [
        operation["operationId"]
        for operations in schema["paths"].values()
        for operation in operations.values()
        if operation["operationId"] in API_OPERATIONS
        and operation_requirement(operation["operationId"]) not in (Level.READ, Audience.PUBLIC)
        and "403" not in operation["responses"]
    ]
    assert undeclared == []


def test_the_matrix_speaks_of_the_roles_and_scopes_there_are():
    assert set(ROLE_LEVELS) == set(Membership.Role.values) == set(ROLES)
    assert set(SCOPE_LEVELS) == set(ApiToken.Scope.values)
    for role in ROLES:
        membership = Membership(role=role)
        assert membership.can_write == role_allows(role, Level.WRITE)
        assert membership.can_manage == role_allows(role, Level.MANAGE)
        assert membership.is_admin == role_allows(role, Level.ADMIN)
        assert role_allows(role, Level.READ) and role_allows(role, Level.PERSONAL)
    assert levels_of(role="admin", scope="read") == {Level.READ}
    assert levels_of(role="viewer", scope="admin") == {Level.READ, Level.PERSONAL}
    assert levels_of(role="supervisor", scope="write") == {Level.READ, Level.PERSONAL, Level.WRITE}


def test_navigation_offers_only_pages_the_matrix_lets_open():
    request = RequestFactory().get("/")
    request.resolver_match = None
    for role in ROLES:
        membership = Membership(role=role)
        offered = [link.url_name for link, _current in nav_links(request, membership, "")]
        offered += [section.url_name for section in settings_sections(membership)]
        refused = [name for name in offered if not role_allows(role, page_requirement(name))]
        assert offered and not refused, (role, refused)


# --- Pages ---


def _ask_page(person: Identity, url: str, method: str):
    """GET the page, or POST nothing to a page that takes only POST."""
    response = person.client.post(url, {}) if method == "POST" else person.client.get(url)
    response.method = method
    return response


def _redirects_to(response, url: str) -> bool:
    return response.status_code == 302 and response["Location"].startswith(url)


def _let_in(response, sign_in: str) -> bool:
    """Answered as someone the page lets in: not refused, not sent to sign in; a GET shows the
    page (or sends on), a POST of nothing may be told its form is not valid."""
    if response.status_code in (401, 403) or response.status_code >= 500:
        return False
    if _redirects_to(response, sign_in):
        return False
    return response.method == "POST" or response.status_code < 400


def _page_url(page: Page, ids: dict) -> str:
    url = reverse(
        page.name, kwargs={kwarg: placeholder_value(ids, page.name, kwarg) for kwarg in page.kwargs}
    )
    return url + (QUERIES[page.name](ids) if page.name in QUERIES else "")


def _page_expectations(page: Page, world: World):
    """(who, url, what they should get, a check): every identity that matters for `page`; the
    first is anonymous."""
    requirement = page_requirement(page.name)
    console_login = resolve_url(settings.LOGIN_URL)
    own_url = _page_url(page, world.own)
    if isinstance(requirement, Level):
        yield "anonymous", own_url, "sign-in", lambda r: _redirects_to(r, console_login)
        yield "customer", own_url, "403", lambda r: r.status_code == 403
        for role in ROLES:
            if role_allows(role, requirement):
                yield role, own_url, "let in", lambda r: _let_in(r, console_login)
            else:
                yield role, own_url, "403", lambda r: r.status_code == 403
        if names_an_object(page.kwargs) or page.name in QUERIES:
            yield "outsider", own_url, "404", lambda r: r.status_code == 404
            yield "admin", _page_url(page, world.foreign), "404", lambda r: r.status_code == 404
        else:
            yield "outsider", own_url, "let in", lambda r: _let_in(r, console_login)
    elif requirement is Audience.PUBLIC:
        # Anyone gets an answer of the page's own: a form, a link refused, a redirect (signing
        # out sends to the sign-in page), a provider's signature refused.
        yield "anonymous", own_url, "public", lambda r: r.status_code not in (401, 403, 500)
    elif requirement is Audience.SIGNED_IN:
        yield "anonymous", own_url, "sign-in", lambda r: _redirects_to(r, console_login)
        for role in ROLES:
            yield role, own_url, "let in", lambda r: _let_in(r, console_login)
    elif requirement is Audience.CUSTOMER:
        portal_login = reverse("portal:login", kwargs={"org_slug": world.own["org_slug"]})
        yield "anonymous", own_url, "portal sign-in", lambda r: _redirects_to(r, portal_login)
        yield "agent", own_url, "portal sign-in", lambda r: _redirects_to(r, portal_login)
        yield "customer", own_url, "let in", lambda r: _let_in(r, portal_login)
        if names_an_object(page.kwargs):
            foreign = {**world.foreign, "org_slug": world.own["org_slug"]}
            yield "customer", _page_url(page, foreign), "404", lambda r: r.status_code == 404
    elif requirement is Audience.SUPERUSER:
        admin_login = reverse("admin:login")
        for who in ("anonymous", "admin"):
            yield who, own_url, "admin sign-in", lambda r: _redirects_to(r, admin_login)
        # The admin site may still refuse what a model does not allow (adding task results).
        yield (
            "superuser",
            own_url,
            "let in",
            lambda r: _let_in(r, admin_login) or r.status_code in (403, 404),
        )


# Pages that do not answer 404 to an id they cannot use, and why.
FOREIGN_REFUSED_OTHERWISE: set[str] = set()
# Pages that need a query to show anything (else 404).
QUERIES = {"repairs:create": lambda ids: f"?ticket={ids['ticket_id']}"}
SIGNING_OUT = ("console:logout", "portal:logout")


def _page_order(page: Page) -> tuple[int, str]:
    # Pages that end the session go last.
    return (1 if page.name in SIGNING_OUT else 0, page.name)


def test_every_page_answers_as_the_matrix_says(world):
    pages, _unnamed = all_pages()
    pages = [
        page
        for page in sorted(pages, key=_page_order)
        # A page without an entry is named by the first test.
        if page.name in PAGES or page.name.split(":")[0] in NAMESPACES
    ]
    failures = []
    # Every GET first, then the pages that take only POST (they may change or delete the
    # world's objects), each as everyone.
    expectations = {page.name: list(_page_expectations(page, world)) for page in pages}
    methods = {
        page.name: (
            "POST"
            if world.people["anonymous"].client.get(expectations[page.name][0][1]).status_code
            == 405
            else "GET"
        )
        for page in pages
    }
    for method in ("GET", "POST"):
        for page in pages:
            if methods[page.name] != method:
                continue
            for who, url, expected, check in expectations[page.name]:
                if expected == "404" and page.name in FOREIGN_REFUSED_OTHERWISE:
                    continue
                response = _ask_page(world.people[who], url, method)
                if not check(response):
                    failures.append(
                        f"{page.name} [{page_requirement(page.name)}] {method} {url} as {who}: "
                        f"expected {expected}, got {response.status_code} "
                        f"{response.get('Location', '')}"
                    )
    assert not failures, f"{len(failures)} pages answer otherwise than the matrix says:\n" + (
        "\n".join(failures)
    )


# --- API operations ---


def _call(person: Identity | None, operation: Operation, ids: dict, *, scope: str = "admin"):
    path = operation.path
    for kwarg in operation.kwargs:
        path = path.replace(
            "{" + kwarg + "}", str(placeholder_value(ids, operation.operation_id, kwarg))
        )
    headers = bearer(person.tokens[scope]) if person is not None else {}
    client = Client()
    url = f"/api/v1{path}"
    if operation.method == "GET":
        return client.get(url, **headers)
    return client.generic(
        operation.method, url, data="{}", content_type="application/json", **headers
    )


# Operations whose handler asks more for the world's ids than the operation's level: an agent
# changes their own presence (WRITE), a manager anyone's profile (the world names a colleague);
# a member their own canned answers, macros and views, a manager shared ones (the world's are
# shared). Their deletions are not here: the admin, asked first, deletes the world's object, and
# the others are then answered 404 (refusing them is tested in tickets/productivity).
ASKS_MORE_OF_OTHERS = {
    "agent_update_api": Level.MANAGE,
    "canned_answer_update_api": Level.MANAGE,
    "macro_update_api": Level.MANAGE,
    "saved_view_update_api": Level.MANAGE,
}


def _api_let_in(response, operation: Operation) -> bool:
    if response.status_code in (401, 403) or response.status_code >= 500:
        return False
    if operation.method == "GET":
        # With real ids a read answers; 422 only when it needs a query (the warranty check).
        return response.status_code in (200, 422)
    return True


def _api_order(operation: Operation) -> tuple[int, str]:
    # Reads first, then writes, deletions last and the token's own revocation at the very end.
    if operation.operation_id == "token_revoke_api":
        return (3, "")
    return ({"GET": 0, "DELETE": 2}.get(operation.method, 1), operation.operation_id)


def test_every_api_operation_answers_as_the_matrix_says(world):
    failures = []
    people = world.people

    def expect(label, response, ok, expected):
        if not ok:
            failures.append(
                f"{label}: expected {expected}, got {response.status_code} "
                f"{response.content[:160]!r}"
            )

    for operation in sorted(all_operations(), key=_api_order):
        if operation.operation_id not in API_OPERATIONS:
            continue  # no entry: the first test names it
        requirement = operation_requirement(operation.operation_id)
        requirement = ASKS_MORE_OF_OTHERS.get(operation.operation_id, requirement)
        label = f"{operation.operation_id} [{requirement}] {operation.method} {operation.path}"
        anonymous = _call(None, operation, world.own)
        if requirement is Audience.PUBLIC:
            expect(f"{label} anonymous", anonymous, anonymous.status_code not in (401, 403), "in")
            continue
        expect(f"{label} anonymous", anonymous, anonymous.status_code == 401, "401")
        for role in ROLES:
            response = _call(people[role], operation, world.own)
            if role_allows(role, requirement):
                expect(f"{label} {role}", response, _api_let_in(response, operation), "let in")
            else:
                expect(f"{label} {role}", response, response.status_code == 403, "403")
        for scope in ("read", "write"):
            response = _call(people["admin"], operation, world.own, scope=scope)
            if requirement in SCOPE_LEVELS[scope]:
                ok = _api_let_in(response, operation)
                expect(f"{label} admin's {scope} token", response, ok, "let in")
            else:
                ok = response.status_code == 403
                expect(f"{label} admin's {scope} token", response, ok, "403")
        if names_an_object(operation.kwargs):
            refused = (404,) if operation.method in ("GET", "DELETE") else (404, 422)
            outsider = _call(people["outsider"], operation, world.own)
            expect(f"{label} outsider", outsider, outsider.status_code in refused, "404")
            foreign = _call(people["admin"], operation, world.foreign)
            expect(f"{label} foreign ids", foreign, foreign.status_code in refused, "404")
    assert not failures, f"{len(failures)} API answers differ from the matrix:\n" + "\n".join(
        failures
    )
