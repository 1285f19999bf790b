"""Load the demo organizations, people, catalog and ~300 requests through the services.

Every row is written by a service, so the demo shows exactly what the product would have
recorded (events included). `aftercare.demo.plans` decides how each request stands as of now and
when its steps happened (in the organization's business calendar, against its SLA policies);
`aftercare.demo.history` plays each request's timeline and moves its timestamps into the past, so
the history spans ~90 days and the open requests are where a working team would have them.
"""

import datetime
import itertools
import os
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from django.db import transaction
from django.utils import timezone

from aftercare.accounts.models import Organization, User
from aftercare.accounts.services import (
    membership_create,
    organization_create,
    team_create,
    user_create,
)
from aftercare.catalog.models import ProductModel
from aftercare.catalog.services import product_model_create
from aftercare.customers.models import Tier
from aftercare.customers.services import customer_create
from aftercare.demo import content as demo
from aftercare.demo import repairs as workshop
from aftercare.demo.history import Party, SeededOrg, run_plans
from aftercare.demo.knowledge import seed_knowledge
from aftercare.demo.plans import (
    OpenBudget,
    plan_portal_customer_requests,
    plan_requests,
    plans_schedule,
)
from aftercare.demo.productivity import seed_productivity
from aftercare.lib.vocabulary import Channel
from aftercare.notifications.services import notices_withheld
from aftercare.sla.services import (
    calendar_create_from_preset,
    escalation_rule_create,
    sla_policy_create,
)
from aftercare.tickets.agents.services import agent_profile_update
from aftercare.tickets.models import Category, Ticket
from aftercare.tickets.routing.services import routing_rule_create
from aftercare.tickets.services import (
    category_create,
)
from aftercare.tickets.services.sla import sla_rebuild

DEMO_TICKETS = 300
OTHER_TICKETS = 12
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")

# What seeding tells whoever waits for it: what it is doing (a short English phrase), and how far
# it is when it counts (done, total; 0, 0 when it does not).
Report = Callable[[str, int, int], None]


def _silent(what: str, done: int, total: int) -> None:
    """A report nobody reads."""


@dataclass
class DemoResult:
    """What seed_demo created."""

    organizations: list[str]
    logins: list[demo.Login]
    customers: int
    tickets: int


def demo_loaded() -> bool:
    """Whether the demo organization exists already."""
    return Organization.objects.filter(slug=demo.DEMO_ORGANIZATION["slug"]).exists()


@dataclass
class DemoLoad:
    """What demo_load did: the demo's data, and whether it made up the staff's password (kept in
    VAR_DIR/demo-password) rather than take DEMO_PASSWORD."""

    result: DemoResult
    password_generated: bool


def demo_load(*, report: Report = _silent) -> DemoLoad:
    """Seed the demo with DEMO_PASSWORD as the staff's password, or a generated one that is
    kept once the demo is in."""
    password = os.environ.get(demo.PASSWORD_ENV, "")
    generated = not password
    if generated:
        password = secrets.token_urlsafe(12)
    result = demo_seed(password=password, report=report)
    if generated:
        demo.demo_password_store(password)
    return DemoLoad(result=result, password_generated=generated)


def demo_seed(*, password: str, seed: int = 20260101, report: Report = _silent) -> DemoResult:
    """Create both demo organizations with their people, catalog and requests, as they stand now."""
    rng = random.Random(seed)
    now = timezone.now()
    # The demo's history happened in the past: nobody is told of it (its customers' addresses
    # are not real), not even by what runs once the transaction commits.
    with notices_withheld(), transaction.atomic():
        report("people, products and service levels", 0, 0)
        demo_org = _seed_organization(
            rng=rng,
            spec=demo.DEMO_ORGANIZATION,
            password=password,
            teams={name: name for name in demo.TEAMS},
            products=demo.PRODUCTS,
            people=demo.CUSTOMERS,
        )
        portal_party = _seed_portal_customer(org=demo_org)
        other_org = _seed_organization(
            rng=rng,
            spec=demo.OTHER_ORGANIZATION,
            password=password,
            teams=demo.OTHER_TEAMS,
            products=demo.OTHER_PRODUCTS,
            people=demo.OTHER_CUSTOMERS,
        )
        budget = OpenBudget(org=demo_org)
        plans = plan_portal_customer_requests(party=portal_party, budget=budget)
        plans += plan_requests(rng=rng, org=demo_org, count=DEMO_TICKETS - 5, budget=budget)
        plans_schedule(rng=rng, org=demo_org, plans=plans, now=now)
        other_plans = plan_requests(
            rng=rng, org=other_org, count=OTHER_TICKETS, budget=OpenBudget(org=other_org)
        )
        plans_schedule(rng=rng, org=other_org, plans=other_plans, now=now)
        total = len(plans) + len(other_plans)
        played = itertools.count(1)

        def one_more(_done: int) -> None:
            report("requests", next(played), total)

        run_plans(rng=rng, org=demo_org, plans=plans, report=one_more)
        run_plans(rng=rng, org=other_org, plans=other_plans, report=one_more)
        report("work orders", 0, 0)
        workshop.seed_work_orders(rng=rng, org=demo_org)
        report("help centre and canned answers", 0, 0)
        seed_knowledge(org=demo_org)
        seed_productivity(org=demo_org)
        _rebuild_service_levels(orgs=[demo_org, other_org], now=now, report=report)
    return DemoResult(
        organizations=[demo_org.organization.name, other_org.organization.name],
        logins=list(demo.DEMO_LOGINS),
        customers=len(demo_org.parties) + len(other_org.parties),
        tickets=total,
    )


def _seed_organization(
    *,
    rng: random.Random,
    spec: dict,
    password: str,
    teams: dict[str, str],
    products: tuple[demo.Product, ...],
    people: tuple[demo.Person, ...],
) -> SeededOrg:
    """An organization with its staff, teams, categories, products and customers."""
    organization = organization_create(**spec)
    staff: dict[str, User] = {}
    for login in demo.DEMO_LOGINS:
        if login.organization != spec["slug"] or login.role == "customer":
            continue
        user = user_create(email=login.email, password=password, full_name=login.full_name)
        membership_create(organization=organization, user=user, role=login.role)
        staff[login.role] = user
    admin = staff["admin"]
    call_centre = list(dict.fromkeys([staff.get("agent", admin), staff.get("supervisor", admin)]))
    technicians = [staff.get("technician", admin)]
    team_members = {
        "Call centre": call_centre,
        "Workshop": technicians,
        "Field service": technicians,
    }
    created_teams = {
        key: team_create(
            organization=organization,
            name=name,
            members=team_members[key],
            assignment=demo.TEAM_ASSIGNMENT[key],
        )
        for key, name in teams.items()
    }
    categories, catalog = demo_catalog_create(organization=organization, products=products)
    org = SeededOrg(organization, staff, created_teams, categories, catalog)
    workshop.seed_workshop(org=org)
    _seed_service_levels(org=org, which=0 if spec["slug"] == demo.DEMO_ORGANIZATION["slug"] else 1)
    used_phones: set[str] = set()
    for index, person in enumerate(people):
        phone = _phone(rng=rng, language=person.language, used=used_phones)
        email = f"{person.email}@{EMAIL_DOMAINS[index % len(EMAIL_DOMAINS)]}"
        telegram, whatsapp = [], []
        if person.language in ("fa", "kk") and rng.random() < 0.4:
            telegram = ["@" + person.email.replace(".", "_")]
        if person.language in ("tr", "en") and rng.random() < 0.3:
            whatsapp = [phone]
        customer = customer_create(
            organization=organization,
            name=person.name,
            company=person.company,
            emails=[email],
            phones=[phone],
            telegram=telegram,
            whatsapp=whatsapp,
            preferred_language=person.language,
            tier=Tier.VIP if person.company else Tier.STANDARD,
            preferred_channel=rng.choice(
                [Channel.EMAIL, Channel.PHONE, Channel.PORTAL]
                + [Channel.TELEGRAM] * len(telegram)
                + [Channel.WHATSAPP] * len(whatsapp)
            ),
        )
        org.parties.append(Party(customer=customer, person=person, phone=phone))
    return org


def _seed_service_levels(*, org: SeededOrg, which: int) -> None:
    """The country's business calendar, SLA policies, escalation levels, routing and skills."""
    organization = org.organization
    calendar_create_from_preset(
        organization=organization, country=organization.country, is_default=True
    )
    for policy in demo.SLA_POLICIES:
        sla_policy_create(
            organization=organization,
            name=policy.names[which],
            first_response_minutes=policy.first_response,
            next_response_minutes=policy.next_response,
            resolution_minutes=policy.resolution,
            priorities=policy.priorities,
            kinds=policy.kinds,
            customer_tiers=policy.customer_tiers,
        )
    for level, (names, threshold, delay, actions) in enumerate(demo.ESCALATION_RULES, start=1):
        escalation_rule_create(
            organization=organization,
            name=names[which],
            threshold=threshold,
            delay_minutes=delay,
            level=level,
            **actions,
        )
    for names, kinds, product_categories, team in demo.ROUTING_RULES:
        routing_rule_create(
            organization=organization,
            name=names[which],
            kinds=kinds,
            categories=[
                category
                for (parent, _child), category in org.categories.items()
                if parent in product_categories
            ],
            team=org.teams[team],
        )
    for role, user in org.staff.items():
        agent_profile_update(
            organization=organization,
            user=user,
            languages=list(demo.STAFF_LANGUAGES.get(role, ())),
            capacity=demo.STAFF_CAPACITY[role],
        )


def _rebuild_service_levels(
    *, orgs: list[SeededOrg], now: datetime.datetime, report: Report
) -> None:
    """Count each request's SLA from its backdated history up to `now`, the moment the demo's
    plans were made as of, as if it had been measured live."""
    ids = list(
        Ticket.objects.filter(organization__in=[org.organization for org in orgs])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for done, ticket_id in enumerate(ids, start=1):
        sla_rebuild(ticket=Ticket(pk=ticket_id), now=now)
        report("service levels", done, len(ids))


def demo_catalog_create(
    *, organization: Organization, products: tuple[demo.Product, ...]
) -> tuple[dict[tuple[str, str | None], Category], list[tuple[demo.Product, ProductModel]]]:
    """The demo's category tree, keyed (parent, child or None), and `products` as product models."""
    categories: dict[tuple[str, str | None], Category] = {}
    for parent_name, children in demo.CATEGORIES.items():
        parent = category_create(organization=organization, name=parent_name)
        categories[(parent_name, None)] = parent
        for child in children:
            categories[(parent_name, child)] = category_create(
                organization=organization, name=child, parent=parent
            )
    catalog = [
        (
            product,
            product_model_create(
                organization=organization,
                name=product.name,
                sku=product.sku,
                brand=product.brand,
                category=product.category,
            ),
        )
        for product in products
    ]
    return categories, catalog


def _seed_portal_customer(*, org: SeededOrg) -> Party:
    """customer@demo.example: a portal account linked to a customer record. It has no password:
    customers sign in to the portal by emailed links."""
    login = next(item for item in demo.DEMO_LOGINS if item.role == "customer")
    user = user_create(email=login.email, full_name=login.full_name)
    customer = customer_create(
        organization=org.organization,
        name=login.full_name,
        emails=[login.email],
        phones=[demo.DEMO_CUSTOMER_PHONE],
        preferred_language="fa",
        preferred_channel=Channel.PORTAL,
        user=user,
    )
    person = demo.Person(login.full_name, login.email.split("@")[0], "fa")
    return Party(customer=customer, person=person, phone=demo.DEMO_CUSTOMER_PHONE, user=user)


def _phone(*, rng: random.Random, language: str, used: set[str]) -> str:
    """A valid, unused mobile number in the country of the language (any, for English)."""
    country = demo.LANGUAGE_COUNTRY.get(language) or rng.choice(["IR", "TR", "KZ"])
    code, prefixes, digits = demo.PHONE_PLANS[country]
    while True:
        number = f"{code}{rng.choice(prefixes)}{rng.randrange(10**digits):0{digits}d}"
        parsed = phonenumbers.parse(number)
        if number not in used and phonenumbers.is_valid_number(parsed):
            used.add(number)
            return number
