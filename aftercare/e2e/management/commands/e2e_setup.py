"""Create the small, known data set the end-to-end tests run against."""

import json
import os

from django.core.management.base import BaseCommand, CommandError

from aftercare.accounts.models import Membership, Team, User
from aftercare.accounts.services import (
    membership_create,
    organization_create,
    team_create,
    user_create,
)
from aftercare.catalog.services import product_model_create
from aftercare.customers.services import customer_create
from aftercare.lib.errors import ApplicationError
from aftercare.tickets.agents.services import agent_profile_update
from aftercare.tickets.routing.services import routing_rule_create

DEMO_SLUG = "demo"
OTHER_SLUG = "other"
AGENT_EMAIL = "agent@demo.example"
ADMIN_EMAIL = "admin@demo.example"
SUPERVISOR_EMAIL = "supervisor@demo.example"
# Agents of the routing desk: their language and how many open requests routing may give them.
DESK_AGENTS = {"fa": ("desk.fa@demo.example", 4), "tr": ("desk.tr@demo.example", 3)}
DESK_AGENTS["kk"] = ("desk.kk@demo.example", 2)
OTHER_ADMIN_EMAIL = "admin@other.example"
PRODUCT_NAME = "Washing machine WM-800"
PRODUCT_SKU = "WM-800"
CUSTOMERS = {
    "fa": ("مریم احمدی", "maryam@customer.example"),
    "en": ("Emma Brown", "emma@customer.example"),
}


class Command(BaseCommand):
    """Organizations `demo` (Iran, Asia/Tehran) and `other`, their staff, a product, customers."""

    help = (
        "Create the end-to-end data set in an empty database: org `demo` with an admin, an "
        "agent, a product model and two portal customers, and org `other` with an admin. "
        "Passwords come "
        "from DEMO_PASSWORD. Prints the data set as JSON."
    )

    def handle(self, *args, **options):
        """Create everything through the services, or fail if it already exists."""
        password = os.environ.get("DEMO_PASSWORD", "")
        if not password:
            raise CommandError("Set DEMO_PASSWORD: the staff accounts need a known password.")
        try:
            data = self._create(password=password)
        except ApplicationError as error:
            raise CommandError(f"{error.field}: {error}") from error
        self.stdout.write(json.dumps(data, ensure_ascii=False))

    def _create(self, *, password: str) -> dict:
        """Write the data set and describe it."""
        demo = organization_create(
            name="Demo Electronics",
            slug=DEMO_SLUG,
            country="IR",
            default_language="fa",
            time_zone="Asia/Tehran",
        )
        admin = user_create(email=ADMIN_EMAIL, password=password, full_name="Ava Admin")
        membership_create(organization=demo, user=admin, role=Membership.Role.ADMIN)
        agent = user_create(email=AGENT_EMAIL, password=password, full_name="Ali Agent")
        membership_create(organization=demo, user=agent, role=Membership.Role.AGENT)
        supervisor = user_create(
            email=SUPERVISOR_EMAIL, password=password, full_name="Sima Supervisor"
        )
        membership_create(organization=demo, user=supervisor, role=Membership.Role.SUPERVISOR)
        desk = self._routing_desk(organization=demo, password=password)
        product = product_model_create(
            organization=demo,
            name=PRODUCT_NAME,
            sku=PRODUCT_SKU,
            brand="Demo",
            category="Home appliances",
        )
        customers = {}
        for language, (name, email) in CUSTOMERS.items():
            customer = customer_create(
                organization=demo, name=name, emails=[email], preferred_language=language
            )
            customers[language] = {"id": customer.pk, "name": name, "email": email}

        other = organization_create(
            name="Other Appliances",
            slug=OTHER_SLUG,
            country="TR",
            default_language="tr",
            time_zone="Europe/Istanbul",
        )
        other_admin = user_create(email=OTHER_ADMIN_EMAIL, password=password, full_name="Olga")
        membership_create(organization=other, user=other_admin, role=Membership.Role.ADMIN)
        return {
            "demo": {
                "slug": DEMO_SLUG,
                "admin_email": ADMIN_EMAIL,
                "agent_email": AGENT_EMAIL,
                "supervisor_email": SUPERVISOR_EMAIL,
                "desk": desk,
                "product": {"id": product.pk, "name": PRODUCT_NAME, "sku": PRODUCT_SKU},
                "customers": customers,
            },
            "other": {"slug": OTHER_SLUG, "admin_email": OTHER_ADMIN_EMAIL},
        }

    def _routing_desk(self, *, organization, password: str) -> dict:
        """A least-open team of three agents, one language each, that takes live chats."""
        users = {}
        for language, (email, capacity) in DESK_AGENTS.items():
            user = user_create(email=email, password=password, full_name=f"Desk {language}")
            membership_create(organization=organization, user=user, role=Membership.Role.AGENT)
            agent_profile_update(
                organization=organization, user=user, languages=[language], capacity=capacity
            )
            users[language] = {"id": user.pk, "email": email, "capacity": capacity}
        team = team_create(
            organization=organization,
            name="Chat desk",
            members=[User.objects.get(pk=row["id"]) for row in users.values()],
            assignment=Team.Assignment.LEAST_OPEN,
        )
        routing_rule_create(
            organization=organization, name="Chats to the desk", channels=["chat"], team=team
        )
        return {"team_id": team.pk, "agents": users}
