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

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from aftercare.accounts.models import ApiToken, Membership, SignedInSession, StaffInvitation
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
from aftercare.accounts.services import (
    api_token_create,
    membership_create,
    team_create,
    user_create,
)
from aftercare.api.tests.files import png_bytes
from aftercare.api_v1 import api
from aftercare.catalog.services import (
    fault_code_create,
    product_model_create,
    spare_part_create,
    warranty_policy_create,
)
from aftercare.console.navigation import nav_links, settings_sections
from aftercare.customers.services import customer_create, customer_link_user
from aftercare.inventory.models import StockLevel
from aftercare.inventory.services import stock_location_create, stock_receive, stock_reserve
from aftercare.lib.sealing import seal
from aftercare.lib.testing import PASSWORD, bearer, client_for, free_port
from aftercare.messaging.inbound.services import inbound_email_store, mailbox_create
from aftercare.messaging.outbound.services import email_setting_create, sms_gateway_create
from aftercare.notifications.services import notice_queue
from aftercare.repairs.services import (
    part_add,
    quote_send,
    visit_schedule,
    work_order_billing_set,
    work_order_diagnose,
    work_order_open,
)
from aftercare.sla.services import (
    calendar_create_from_preset,
    date_override_set,
    escalation_rule_create,
    holiday_add,
    sla_policy_create,
)
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.routing.services import routing_rule_create
from aftercare.tickets.services import category_create, ticket_message_add
from aftercare.tickets.tests.factories import make_ticket
from aftercare.warranty.services.claims import claim_open
from aftercare.warranty.services.contracts import contract_extend
from aftercare.warranty.services.units import unit_register

ROLES = ["admin", "supervisor", "agent", "technician", "viewer"]
API_NAMESPACE = "api"

# Placeholders that are no object of an organization: fixed values, alike for everyone.
FIXED_VALUES = {
    "uidb64": "MQ",
    "token": "x" * 32,
    "provider": "postmark",
    "kind": "job-card",
    "section": "triage",
    "event": "received",
    "language": "en",
    "app_label": "accounts",
    "content_type_id": "1",
    "object_id": "1",
}


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


# --- A world with one object of every kind, in two organizations ---


@dataclass
class Identity:
    """Someone who asks: a browser and, for staff, a token of each scope."""

    name: str
    client: Client
    role: str | None = None
    tokens: dict[str, str] = field(default_factory=dict)


@dataclass
class World:
    own: dict[str, object]
    foreign: dict[str, object]
    people: dict[str, Identity]


def _member(organization, email: str, role: str, **extra):
    user = user_create(email=email, password=PASSWORD, **extra)
    membership_create(organization=organization, user=user, role=role)
    return user


def _objects(organization, *, admin, agent, technician, customer, closed_port: int) -> dict:
    """One object of every kind a URL can name, in `organization`, by the name of its
    placeholder."""
    slug = organization.slug
    policy = warranty_policy_create(organization=organization, name="Standard", months=24)
    product = product_model_create(
        organization=organization, name="WM-800", sku="WM800", warranty_policy=policy
    )
    fault = fault_code_create(organization=organization, code="E01", name="Pump")
    part = spare_part_create(organization=organization, sku="PMP-1", name="Pump", price=10)
    team = team_create(organization=organization, name="Repairs", members=[agent])
    calendar = calendar_create_from_preset(organization=organization, country="IR", is_default=True)
    holiday = holiday_add(
        calendar=calendar, name="Day", kind="date", start_date=datetime.date(2026, 1, 1)
    )
    override = date_override_set(calendar=calendar, date=datetime.date(2026, 2, 2), intervals=[])
    sla_policy = sla_policy_create(
        organization=organization, name="Standard", first_response_minutes=60
    )
    escalation = escalation_rule_create(
        organization=organization, name="Tell", threshold="breach", notify_assignee=True
    )
    routing = routing_rule_create(organization=organization, name="All", team=team)
    category = category_create(organization=organization, name="Washing machines")
    ticket = make_ticket(
        organization=organization, customer=customer, product_model=product, team=team
    )
    ticket_message_add(
        ticket=ticket,
        kind=MessageKind.REPLY,
        body="Please send a photo.",
        actor=agent,
        attachments=[SimpleUploadedFile("photo.png", png_bytes())],
    )
    unit = unit_register(
        organization=organization,
        product_model=product,
        serial_number=f"AW-{slug}-1",
        customer=customer,
        source="console",
        purchase_date=organization.today() - datetime.timedelta(days=30),
        proof_of_purchase=SimpleUploadedFile("proof.png", png_bytes(), content_type="image/png"),
    )
    contract = contract_extend(unit=unit, months=12, price=Decimal("10"), actor=admin)
    claim = claim_open(unit=unit, ticket_id=ticket.pk, fault_on=organization.today(), actor=agent)
    work_order = work_order_open(
        ticket=ticket, kind="on_site", actor=agent, unit=unit, technician=technician
    )
    van = stock_location_create(
        organization=organization, name="Van", kind="van", holder=technician
    )
    received = stock_receive(location=van, part=part, quantity=5, reason="Loaded", actor=agent)
    part_line = part_add(work_order=work_order, part=part, actor=agent)
    visit = visit_schedule(
        work_order=work_order,
        technician=technician,
        window_start=datetime.datetime(2026, 5, 3, 9, tzinfo=datetime.UTC),
        window_end=datetime.datetime(2026, 5, 3, 12, tzinfo=datetime.UTC),
        address="Tehran",
        actor=agent,
    )
    work_order_billing_set(work_order=work_order, billing="customer", actor=admin)
    work_order_diagnose(work_order=work_order, diagnosis="The pump is worn.", actor=technician)
    quote = quote_send(work_order=work_order, actor=agent, labour_minutes=30)
    reservation = stock_reserve(
        location=van, part=part, quantity=1, work_order_id=None, reference="", actor=None
    )
    raw = (
        f"From: someone@example.com\r\nTo: help@{slug}.example\r\nSubject: Hi\r\n"
        f"Message-ID: <1@{slug}.example>\r\n\r\nHello\r\n"
    ).encode()
    inbound, _new = inbound_email_store(organization=organization, raw=raw, source="pipe")
    mailbox = mailbox_create(
        organization=organization,
        password=PASSWORD,
        name="Support",
        address=f"support@{slug}.example",
        host="127.0.0.1",
        port=closed_port,
        security="none",
        username="support",
        folder="INBOX",
        processed_folder="",
    )
    notice = notice_queue(
        organization=organization,
        event="received",
        recipient="maryam@example.com",
        language="en",
        key=f"matrix-{slug}",
        context={"reference": "AS-000001", "subject": "Hi", "name": "M", "organization": slug},
        customer=customer,
        ticket_id=ticket.pk,
    )
    email_setting = email_setting_create(
        organization=organization,
        smtp_password=PASSWORD,
        transport="smtp",
        from_address=f"support@{slug}.example",
        from_name="",
        smtp_host="127.0.0.1",
        smtp_port=closed_port,
        smtp_security="none",
        smtp_username="support",
        inbound_provider="",
        is_active=True,
    )
    gateway = sms_gateway_create(
        organization=organization,
        api_key="key",
        name="Gateway",
        url=f"http://127.0.0.1:{closed_port}/send",
        method="POST",
        body_format="form",
        number_format="e164",
        recipient_parameter="to",
        text_parameter="text",
        sender_parameter="",
        sender="",
        api_key_parameter="",
        api_key_header="Authorization",
        extra_parameters="",
        message_id_path="id",
        success_path="status",
        success_values="ok",
        timeout_seconds=2,
        report_id_parameter="id",
        report_status_parameter="status",
        delivered_values="delivered",
        failed_values="failed",
        is_active=True,
    )
    invitee = user_create(email=f"invitee@{slug}.example", password=PASSWORD)
    offer = StaffInvitation.objects.create(
        organization=organization, user=invitee, role="agent", invited_by=admin
    )
    api_token, _key = api_token_create(user=admin, organization=organization, name="console")
    session = SignedInSession.objects.create(
        user=admin,
        session_key_sealed=seal(f"matrix-{slug}"),
        session_key_hash=hashlib.sha256(f"matrix-{slug}".encode()).hexdigest(),
    )
    return {
        "customer_id": customer.pk,
        "product_model_id": product.pk,
        "warranty_policy_id": policy.pk,
        "fault_code_id": fault.pk,
        "spare_part_id": part.pk,
        "part_id": part.pk,
        "team_id": team.pk,
        "calendar_id": calendar.pk,
        "holiday_id": holiday.pk,
        "override_id": override.pk,
        "day": "2026-02-02",
        "policy_id": sla_policy.pk,
        "escalation_rule_id": escalation.pk,
        "routing_rule_id": routing.pk,
        "category_id": category.pk,
        "ticket_id": ticket.pk,
        "number": ticket.number,
        "attachment_id": ticket.attachments.get().pk,
        "unit_id": unit.pk,
        "contract_id": contract.pk,
        "claim_id": claim.pk,
        "work_order_id": work_order.pk,
        "part_line_id": part_line.pk,
        "visit_id": visit.pk,
        "quote_id": quote.pk,
        "location_id": van.pk,
        "level_id": StockLevel.objects.get(location=van, part=part).pk,
        "move_id": received.pk,
        "reservation_id": reservation.pk,
        "inbound_id": inbound.pk,
        "mailbox_id": mailbox.pk,
        "notice_id": notice.pk,
        "setting_id": email_setting.pk,
        "gateway_id": gateway.pk,
        "invitation_id": offer.pk,
        "membership_id": Membership.objects.get(organization=organization, user=agent).pk,
        "agent_id": agent.pk,
        # A member of staff none of the askers is, for the pages about someone else.
        "colleague_id": _member(organization, f"dan@{slug}.example", "agent").pk,
        "token_id": api_token.pk,
        "session_id": session.pk,
        "org_slug": slug,
    }


def _identity(name: str, user, organization, role: str | None) -> Identity:
    person = Identity(name=name, client=client_for(user), role=role)
    if role is not None:
        for scope in ApiToken.Scope.values:
            _token, key = api_token_create(
                user=user, organization=organization, name=f"matrix {scope}", scope=scope
            )
            person.tokens[scope] = key
    return person


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
):
    # The mail servers and gateways of the world listen on loopback (nothing answers there).
    settings.OUTBOUND_PRIVATE_HOSTS_ALLOWED = True
    closed_port = free_port()
    other_agent = _member(other_org, "ann@other.example", "agent")
    other_technician = _member(other_org, "tom@other.example", "technician")
    own = _objects(
        org,
        admin=alice_admin,
        agent=bob_agent,
        technician=tina_technician,
        customer=customer,
        closed_port=closed_port,
    )
    foreign = _objects(
        other_org,
        admin=charlie_other_org,
        agent=other_agent,
        technician=other_technician,
        customer=other_customer,
        closed_port=closed_port,
    )
    # In the portal, the foreign request is another customer's, of the same organization.
    neighbour = customer_create(organization=org, name="Neighbour", emails=["n@example.com"])
    foreign["portal_number"] = make_ticket(organization=org, customer=neighbour).number
    portal_user = user_create(email="maryam.portal@example.com")
    customer_link_user(customer=customer, user=portal_user)
    superuser = user_create(email="root@example.com", password=PASSWORD)
    superuser.is_staff = superuser.is_superuser = True
    superuser.save(update_fields=["is_staff", "is_superuser"])
    people = {
        "anonymous": Identity("anonymous", Client()),
        "customer": Identity("customer", client_for(portal_user)),
        "superuser": Identity("superuser", client_for(superuser)),
        "outsider": _identity("outsider", charlie_other_org, other_org, "admin"),
    }
    for role, user in zip(
        ROLES, [alice_admin, sam_supervisor, bob_agent, tina_technician, vic_viewer], strict=True
    ):
        people[role] = _identity(role, user, org, role)
    return World(own=own, foreign=foreign, people=people)


def _value(ids: dict, name: str, kwarg: str):
    """What stands for `kwarg` in the URL of page or operation `name`."""
    if kwarg in FIXED_VALUES:
        return FIXED_VALUES[kwarg]
    if kwarg == "rule_id":
        return ids["routing_rule_id" if "routing" in name else "escalation_rule_id"]
    if kwarg == "user_id":
        return ids["colleague_id"]
    if kwarg == "number" and name.startswith("portal:") and "portal_number" in ids:
        return ids["portal_number"]
    if kwarg == "action":
        return "use" if name == "repairs:part_line" else "stage"
    if kwarg not in ids:
        raise AssertionError(f"{name}: no value for the placeholder {kwarg!r}; add one to world")
    return ids[kwarg]


def _names_an_object(kwargs) -> bool:
    return any(kwarg.endswith("_id") or kwarg == "number" for kwarg in kwargs)


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
    url = reverse(page.name, kwargs={kwarg: _value(ids, page.name, kwarg) for kwarg in page.kwargs})
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
        if _names_an_object(page.kwargs) or page.name in QUERIES:
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
        if _names_an_object(page.kwargs):
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
        path = path.replace("{" + kwarg + "}", str(_value(ids, operation.operation_id, kwarg)))
    headers = bearer(person.tokens[scope]) if person is not None else {}
    client = Client()
    url = f"/api/v1{path}"
    if operation.method == "GET":
        return client.get(url, **headers)
    return client.generic(
        operation.method, url, data="{}", content_type="application/json", **headers
    )


# Operations whose handler asks more for the world's ids than the operation's level: an agent
# changes their own presence (WRITE), a manager anyone's profile (the world names a colleague).
ASKS_MORE_OF_OTHERS = {"agent_update_api": Level.MANAGE}


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
        if _names_an_object(operation.kwargs):
            refused = (404,) if operation.method in ("GET", "DELETE") else (404, 422)
            outsider = _call(people["outsider"], operation, world.own)
            expect(f"{label} outsider", outsider, outsider.status_code in refused, "404")
            foreign = _call(people["admin"], operation, world.foreign)
            expect(f"{label} foreign ids", foreign, foreign.status_code in refused, "404")
    assert not failures, f"{len(failures)} API answers differ from the matrix:\n" + "\n".join(
        failures
    )
