"""Create the small, known data set the end-to-end tests run against."""

import datetime
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
from aftercare.accounts.services.second_factor import organization_second_factor_require
from aftercare.catalog.services import (
    fault_code_create,
    product_model_create,
    spare_part_create,
    warranty_policy_create,
)
from aftercare.customers.services import customer_create
from aftercare.inventory.services import stock_location_create, stock_receive
from aftercare.knowledge.services import (
    article_create,
    article_translation_publish,
    article_translation_save,
)
from aftercare.lib.errors import ApplicationError
from aftercare.repairs.services.settings import repair_settings_update
from aftercare.tickets.agents.services import agent_profile_update
from aftercare.tickets.routing.services import routing_rule_create
from aftercare.warranty.models import Unit
from aftercare.warranty.services.units import unit_register

DEMO_SLUG = "demo"
OTHER_SLUG = "other"
AGENT_EMAIL = "agent@demo.example"
ADMIN_EMAIL = "admin@demo.example"
SUPERVISOR_EMAIL = "supervisor@demo.example"
# Agents of the routing desk: their language and how many open requests routing may give them.
DESK_AGENTS = {"fa": ("desk.fa@demo.example", 4), "tr": ("desk.tr@demo.example", 3)}
DESK_AGENTS["kk"] = ("desk.kk@demo.example", 2)
OTHER_ADMIN_EMAIL = "admin@other.example"
# An organization that requires a second factor of its admins and supervisors, whose admin has
# none yet (the shared demo admin keeps signing in by password alone).
SECURE_SLUG = "secure"
SECURE_ADMIN_EMAIL = "admin@secure.example"
PRODUCT_NAME = "Washing machine WM-800"
PRODUCT_SKU = "WM-800"
# Help articles: (title, body) per language.
ARTICLES = {
    "cooler": {
        "fa": (
            "کولر آبی خنک نمی‌کند",
            "<p>پوشال‌ها را خیس کنید و پمپ آب را بررسی کنید.</p><h2>اگر باز هم خنک نشد</h2>"
            "<p>شناور آب را تنظیم کنید.</p>",
        ),
        "en": (
            "The evaporative cooler does not cool",
            "<p>Soak the pads and check the water pump.</p>",
        ),
    },
    "fridge": {
        "fa": ("یخچال صدا می‌دهد", "<p>پایه‌ها را تراز کنید.</p>"),
        "en": ("The refrigerator is noisy", "<p>Level the feet.</p>"),
    },
}
CUSTOMERS = {
    "fa": ("مریم احمدی", "maryam@customer.example"),
    "en": ("Emma Brown", "emma@customer.example"),
}
# Repairs: a technician, a model under a 24-month warranty from purchase, its fault codes, a
# spare part for it in a warehouse, and customers of their own (so the other tests' customers
# keep no units): one per language who registers a unit in the portal, and one per language
# whose unit's warranty ran out years ago.
TECHNICIAN_EMAIL = "tech@demo.example"
REPAIR_PRODUCT = ("Dishwasher DW-500", "DW-500")
POLICY = ("Standard 24 months", 24)
FAULT_CODES = [("E21", "Drain pump blocked"), ("E15", "Leak under the tub")]
PART = {"sku": "DW-PUMP-01", "name": "Drain pump", "names": {"fa": "پمپ تخلیه"}, "price": 1_200_000}
WAREHOUSE = ("Central warehouse", 12)
REPAIR_SETTINGS = {"currency": "IRR", "tax_rate": 10, "labour_rate": 900_000, "travel_fee": 0}
REPAIR_CUSTOMERS = {
    "fa": ("سارا کریمی", "sara@customer.example"),
    "en": ("Olivia Green", "olivia@customer.example"),
}
EXPIRED_CUSTOMERS = {
    "fa": ("رضا محمدی", "reza@customer.example", "DW5-OLD-FA-0001"),
    "en": ("Henry Wood", "henry@customer.example", "DW5-OLD-EN-0001"),
}
# The expired units were bought on the 10th of this month, this many years ago.
EXPIRED_AGE_YEARS = 4


class Command(BaseCommand):
    """Organizations `demo` (Iran, Asia/Tehran) and `other`, their staff, a product, customers,
    and what repairs need."""

    help = (
        "Create the end-to-end data set in an empty database: org `demo` with an admin, an "
        "agent, a product model and two portal customers, what repairs need (a technician, a "
        "model under warranty, fault codes, a stocked spare part, repair settings, customers, "
        "two units out of warranty), and org `other` with an admin. "
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
        repairs = self._repairs(organization=demo, admin=admin, password=password)
        articles = self._articles(organization=demo, author=supervisor)

        other = organization_create(
            name="Other Appliances",
            slug=OTHER_SLUG,
            country="TR",
            default_language="tr",
            time_zone="Europe/Istanbul",
        )
        other_admin = user_create(email=OTHER_ADMIN_EMAIL, password=password, full_name="Olga")
        membership_create(organization=other, user=other_admin, role=Membership.Role.ADMIN)
        secure = organization_create(
            name="Secure Appliances", slug=SECURE_SLUG, country="KZ", default_language="kk"
        )
        organization_second_factor_require(organization=secure, required=True)
        secure_admin = user_create(email=SECURE_ADMIN_EMAIL, password=password, full_name="Saule")
        membership_create(organization=secure, user=secure_admin, role=Membership.Role.ADMIN)
        return {
            "demo": {
                "slug": DEMO_SLUG,
                "admin_email": ADMIN_EMAIL,
                "agent_email": AGENT_EMAIL,
                "supervisor_email": SUPERVISOR_EMAIL,
                "desk": desk,
                "product": {"id": product.pk, "name": PRODUCT_NAME, "sku": PRODUCT_SKU},
                "customers": customers,
                "repairs": repairs,
                "articles": articles,
            },
            "other": {"slug": OTHER_SLUG, "admin_email": OTHER_ADMIN_EMAIL},
            "secure": {"slug": SECURE_SLUG, "admin_email": SECURE_ADMIN_EMAIL},
        }

    def _articles(self, *, organization, author) -> dict:
        """Two published help articles, Persian with an English translation: what a customer
        typing a request is offered (the self-service test)."""
        found = {}
        for key, texts in ARTICLES.items():
            article = article_create(organization=organization, actor=author)
            for language, (title, body) in texts.items():
                translation = article_translation_save(
                    article=article, language=language, title=title, body=body, actor=author
                )
                article_translation_publish(translation=translation, actor=author)
            found[key] = {"id": article.pk, "title": texts["fa"][0]}
        return found

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

    def _repairs(self, *, organization, admin, password: str) -> dict:
        """What the repair tests need: a technician, a model with a warranty policy, fault
        codes, a spare part stocked in a warehouse, repair money, and customers (two with a
        unit whose warranty expired)."""
        technician = user_create(
            email=TECHNICIAN_EMAIL, password=password, full_name="Tara Technician"
        )
        membership_create(
            organization=organization, user=technician, role=Membership.Role.TECHNICIAN
        )
        policy_name, months = POLICY
        policy = warranty_policy_create(organization=organization, name=policy_name, months=months)
        product_name, product_sku = REPAIR_PRODUCT
        product = product_model_create(
            organization=organization,
            name=product_name,
            sku=product_sku,
            brand="Demo",
            category="Home appliances",
            warranty_policy=policy,
        )
        faults = [
            fault_code_create(
                organization=organization, code=code, name=name, product_models=[product]
            )
            for code, name in FAULT_CODES
        ]
        part = spare_part_create(organization=organization, compatible_models=[product], **PART)
        location_name, quantity = WAREHOUSE
        warehouse = stock_location_create(organization=organization, name=location_name)
        stock_receive(
            location=warehouse,
            part=part,
            quantity=quantity,
            reason="Opening stock",
            actor=admin,
        )
        repair_settings_update(organization=organization, quote_valid_days=14, **REPAIR_SETTINGS)
        customers = {}
        for language, (name, email) in REPAIR_CUSTOMERS.items():
            customer = customer_create(
                organization=organization, name=name, emails=[email], preferred_language=language
            )
            customers[language] = {"id": customer.pk, "name": name, "email": email}
        today = organization.today()
        bought = datetime.date(today.year - EXPIRED_AGE_YEARS, today.month, 10)
        expired = {}
        for language, (name, email, serial) in EXPIRED_CUSTOMERS.items():
            customer = customer_create(
                organization=organization, name=name, emails=[email], preferred_language=language
            )
            unit = unit_register(
                organization=organization,
                product_model=product,
                serial_number=serial,
                customer=customer,
                source=Unit.Source.CONSOLE,
                actor=admin,
                purchase_date=bought,
                seller="Demo Electronics",
            )
            expired[language] = {
                "id": customer.pk,
                "name": name,
                "email": email,
                "unit": {"id": unit.pk, "serial": serial, "purchase_date": bought.isoformat()},
            }
        return {
            "technician": {
                "id": technician.pk,
                "email": TECHNICIAN_EMAIL,
                "name": technician.display_name,
            },
            "product": {"id": product.pk, "name": product_name, "sku": product_sku},
            "policy": {"id": policy.pk, "name": policy_name, "months": months},
            "fault_codes": [
                {"id": fault.pk, "code": fault.code, "name": fault.name} for fault in faults
            ],
            "part": {"id": part.pk, "sku": part.sku, "name": part.name, "names": part.names},
            "location": {"id": warehouse.pk, "name": location_name, "stocked": quantity},
            "settings": REPAIR_SETTINGS,
            "customers": customers,
            "expired_customers": expired,
        }
