"""The pages of the URL configuration as concrete addresses in the demo data, and who opens each:
what the accessibility sweep (`aftercare/e2e/tests/test_accessibility_sweep.py`) visits.

Run against the demo server's database (`manage.py seed_demo`, as `make run` loads it), it
prints one JSON object: the people who sign in, and for each URL pattern the pages to open, or
why the demo data has nothing to open there. The objects are chosen by what they hold, not by
id, so that each page is seen in its richest state (a request with a quote waiting for the
customer, a unit with a contract and a claim...). Patterns that are no page at all (actions,
downloads, the API) are excluded in the test, not here.
"""

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.urls import NoReverseMatch, reverse

from aftercare.accounts.models import Membership, Organization, StaffInvitation, Team, User
from aftercare.accounts.tokens import (
    Purpose,
    email_change_token_make,
    set_password_token_make,
    staff_invitation_token_make,
)
from aftercare.catalog.models import FaultCode, ProductModel, SparePart, WarrantyPolicy
from aftercare.customers.models import ContactPoint, Customer
from aftercare.demo import content as demo
from aftercare.inventory.models import StockLocation
from aftercare.knowledge.models import Article, ArticleCategory
from aftercare.messaging.inbound.models import InboundEmail, Mailbox
from aftercare.messaging.outbound.models import EmailSetting, SmsGateway
from aftercare.notifications.consent import unsubscribe_url
from aftercare.notifications.models import Notice
from aftercare.notifications.models import Topic as NoticeTopic
from aftercare.portal.services import portal_login_link_create
from aftercare.repairs.models import Quote, WorkOrder
from aftercare.sla.models import BusinessCalendar, EscalationRule, Holiday, SlaPolicy
from aftercare.tickets.models import Category, Ticket
from aftercare.tickets.notices import NOT_SOLVED, resolution_answer_url
from aftercare.tickets.productivity.models import CannedAnswer, Macro
from aftercare.tickets.routing.models import RoutingRule
from aftercare.warranty.models import Contract, Unit, WarrantyClaim

# Where the language of the page comes from the address rather than the language switcher
# (a printed document asks for its language with ?language=), the test fills this in.
LANGUAGE = "{language}"
# How long the portal sign-in links printed here work: the whole sweep, with room to spare.
LINK_MINUTES = 120


@dataclass(frozen=True)
class Visit:
    """A page to open: who opens it and where. `language` names the only language a page has
    (the API's docs are Swagger UI's, in English); empty, it follows the language switcher.
    `status` is what it answers (an error page's own); `ready`, a selector of what its scripts
    draw after it loads, to wait for."""

    user: str
    path: str
    language: str = ""
    status: int = 200
    ready: str = ""


class Absent(str):
    """Why the demo data has nothing to open under a pattern (the page is then not checked)."""


class Demo:
    """The demo organization and the objects its pages are opened with, each chosen for how
    much its page shows."""

    def __init__(self, organization: Organization):
        self.organization = organization
        self.slug = organization.slug

    def _of(self, model):
        return model.objects.filter(organization=self.organization)

    def portal(self, name: str, **kwargs) -> str:
        return reverse(name, kwargs={"org_slug": self.slug, **kwargs})

    # People.

    def staff_email(self, role: str) -> str:
        """The demo login of a role (`manage.py serve` prints them), else a member of it."""
        for login in demo.DEMO_LOGINS:
            if login.organization == self.slug and login.role == role:
                return login.email
        membership = (
            self._of(Membership)
            .filter(role=role, user__is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if membership is None:
            raise CommandError(f"The demo organization has no {role}.")
        return membership.user.email

    def portal_customer(self) -> Customer:
        """The demo's own portal customer (the one `manage.py serve` prints a link for)."""
        email = next(login.email for login in demo.DEMO_LOGINS if login.role == "customer")
        return self._of(Customer).get(user__email=email)

    def quote_customer(self) -> Customer:
        """The customer of the request whose quote waits for an answer."""
        return self.quote().work_order.ticket.customer

    def customer_email(self, customer: Customer) -> str:
        """The address a customer signs in to the portal with."""
        if customer.user_id:
            return customer.user.email
        point = (
            ContactPoint.objects.filter(customer=customer, kind=ContactPoint.Kind.EMAIL)
            .order_by("-is_primary", "pk")
            .first()
        )
        if point is None:
            raise CommandError(f"Customer {customer.pk} has no email to sign in with.")
        return point.value

    def outsider(self) -> User:
        """A demo account the sweep never signs in as (signing in spends its emailed links)."""
        return User.objects.exclude(memberships__organization=self.organization).get(
            email=next(
                login.email
                for login in demo.DEMO_LOGINS
                if login.organization != self.slug and login.role == "admin"
            )
        )

    # Requests, repairs and units.

    def quote(self) -> Quote:
        quote = (
            Quote.objects.filter(
                organization=self.organization,
                status=Quote.Status.SENT,
                work_order__stage=WorkOrder.Stage.AWAITING_APPROVAL,
            )
            .annotate(
                line_count=Count("lines", distinct=True),
                visit_count=Count("work_order__visits", distinct=True),
                message_count=Count("work_order__ticket__messages", distinct=True),
            )
            .order_by("-visit_count", "-line_count", "-message_count", "pk")
            .first()
        )
        if quote is None:
            raise CommandError("The demo data has no quote waiting for the customer.")
        return quote

    def ticket(self) -> Ticket:
        """The request with the quote: a unit, a work order at the customer's approval, a
        visit, messages and a timeline."""
        return self.quote().work_order.ticket

    def work_order_in_repair(self) -> WorkOrder:
        """A work order under warranty with a claim, parts and labour, in repair."""
        return (
            self._of(WorkOrder)
            .filter(stage=WorkOrder.Stage.IN_REPAIR)
            .annotate(
                has_claim=_flag(Q(claim__isnull=False)),
                part_count=Count("parts", distinct=True),
                labour_count=Count("labour", distinct=True),
                visit_count=Count("visits", distinct=True),
            )
            .order_by("-has_claim", "-part_count", "-labour_count", "-visit_count", "pk")
            .first()
        ) or self.quote().work_order

    def work_order_delivered(self) -> WorkOrder:
        """A repair handed back: what was done, parts used, its receipt."""
        return (
            self._of(WorkOrder)
            .filter(stage__in=[WorkOrder.Stage.DELIVERED, WorkOrder.Stage.CLOSED])
            .annotate(part_count=Count("parts", distinct=True))
            .order_by("-part_count", "pk")
            .first()
        ) or self.work_order_in_repair()

    def unit(self) -> Unit:
        """The unit with the most on its page: contracts, claims, work orders, requests."""
        unit = (
            self._of(Unit)
            .filter(customer__isnull=False)
            .annotate(
                contract_count=Count("contracts", distinct=True),
                claim_count=Count("claims", distinct=True),
                work_order_count=Count("work_orders", distinct=True),
            )
            .order_by("-contract_count", "-claim_count", "-work_order_count", "pk")
            .first()
        )
        if unit is None:
            raise CommandError("The demo data has no registered unit.")
        return unit

    def contract(self) -> Contract:
        return self._of(Contract).filter(voided_at__isnull=True).order_by("pk").first()

    def claim(self) -> WarrantyClaim:
        """A claim still to decide: its page offers the decision's forms."""
        return (
            self._of(WarrantyClaim)
            .annotate(is_pending=_flag(Q(status=WarrantyClaim.Status.PENDING)))
            .order_by("-is_pending", "pk")
            .first()
        )

    def portal_ticket(self) -> Ticket:
        """The portal customer's request with the most on its page, preferring one that waits
        for their confirmation that it is solved."""
        return (
            Ticket.objects.filter(customer=self.portal_customer())
            .annotate(is_resolved=_flag(Q(status="resolved")), messages_total=Count("messages"))
            .order_by("-is_resolved", "-messages_total", "number")
            .first()
        )

    def portal_unit(self) -> Unit:
        return (
            Unit.objects.filter(customer=self.portal_customer())
            .annotate(work_order_count=Count("work_orders"))
            .order_by("-work_order_count", "pk")
            .first()
        )

    def ticket_for_work_order(self) -> Ticket:
        """An open request about a registered unit with no work order yet: where one opens."""
        return (
            self._of(Ticket)
            .filter(is_open=True, unit__isnull=False, work_orders__isnull=True)
            .order_by("number")
            .first()
        ) or self.ticket()

    def resolved_ticket(self) -> Ticket:
        return self._of(Ticket).filter(status="resolved").order_by("-number").first()

    def customer(self) -> Customer:
        """The customer with the most requests and units."""
        return (
            self._of(Customer)
            .annotate(
                request_count=Count("tickets", distinct=True),
                unit_count=Count("units", distinct=True),
            )
            .order_by("-unit_count", "-request_count", "pk")
            .first()
        )

    # Settings and the knowledge base.

    def first(self, model, **filters):
        return self._of(model).filter(**filters).order_by("pk").first()

    def article(self) -> Article:
        """The article translated into the most languages."""
        return (
            self._of(Article)
            .annotate(translation_count=Count("translations"))
            .order_by("-translation_count", "pk")
            .first()
        )

    def location(self) -> StockLocation:
        """The location holding the most parts."""
        return (
            self._of(StockLocation)
            .annotate(level_count=Count("levels"))
            .order_by("-level_count", "pk")
            .first()
        )


def _flag(condition: Q) -> ExpressionWrapper:
    """A condition as a column to order by."""
    return ExpressionWrapper(condition, output_field=BooleanField())


def _reverse(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs)


def request_path(name: str, ticket: Ticket, **kwargs) -> str:
    """A request's console address by whatever names it (its number, or before that its id)."""
    for key, value in (("number", ticket.number), ("ticket_id", ticket.pk)):
        try:
            return reverse(name, kwargs={key: value, **kwargs})
        except NoReverseMatch:
            continue
    raise CommandError(f"Cannot build {name} for request {ticket.number}.")


def _set_password_path(name: str, d: Demo, purpose: Purpose) -> str:
    """An emailed set-password link that works, for an account the sweep never signs in as
    (signing in would spend it). Opening it moves its token into the session."""
    uidb64, token = set_password_token_make(user=d.outsider(), purpose=purpose)
    return reverse(name, kwargs={"uidb64": uidb64, "token": token})


def _one(user: str, path: str, language: str = "") -> list[Visit]:
    return [Visit(user, path, language)]


def _pick(found, absent: str, build: Callable[..., list[Visit]]) -> list[Visit] | Absent:
    return build(found) if found is not None else Absent(absent)


def _first_language(article: Article) -> str:
    languages = list(article.translations.order_by("language").values_list("language", flat=True))
    return "fa" if "fa" in languages else languages[0]


# Each pattern's pages. Who opens them: the role the page is for, with the most on it (an admin
# or supervisor sees the forms of decisions, the technician their day); the portal's customer;
# "anonymous" for the pages of signing in and of emailed links.
PAGES: dict[str, Callable[[Demo], list[Visit] | Absent]] = {
    # Signing in, emailed links.
    "console:login": lambda d: _one("anonymous", _reverse("console:login")),
    "console:password_reset": lambda d: _one("anonymous", _reverse("console:password_reset")),
    "console:password_reset_sent": lambda d: _one(
        "anonymous", _reverse("console:password_reset_sent")
    ),
    "console:password_reset_confirm": lambda d: _one(
        "anonymous", _set_password_path("console:password_reset_confirm", d, Purpose.RESET)
    ),
    "console:invitation_accept": lambda d: _one(
        "anonymous", _set_password_path("console:invitation_accept", d, Purpose.INVITATION)
    ),
    # Opened through the emailed link, which moves its token into the session.
    "console:email_change_confirm": lambda d: _one(
        "anonymous",
        _reverse(
            "console:email_change_link",
            token=email_change_token_make(user=d.outsider(), new_email="new.address@example.com"),
        ),
    ),
    "console:staff_invitation_answer_page": lambda d: _pick(
        StaffInvitation.objects.filter(
            answered_at__isnull=True, withdrawn=False, organization=d.organization
        ).first(),
        "no offer of membership waits for an answer in the demo data",
        lambda offer: _one(
            "anonymous",
            _reverse("console:staff_invitation_answer", token=staff_invitation_token_make(offer)),
        ),
    ),
    # The settings area of accounts.
    "console:settings": lambda d: _one("agent", _reverse("console:settings")),
    "console:settings_account": lambda d: _one("agent", _reverse("console:settings_account")),
    "console:settings_security": lambda d: [
        Visit("agent", _reverse("console:settings_security")),
        Visit("admin", _reverse("console:settings_security")),
    ],
    "console:settings_authenticator": lambda d: _one(
        "supervisor", _reverse("console:settings_authenticator")
    ),
    "console:settings_members": lambda d: _one("admin", _reverse("console:settings_members")),
    "console:settings_member_invite": lambda d: _one(
        "admin", _reverse("console:settings_member_invite")
    ),
    "console:settings_member_edit": lambda d: _one(
        "admin",
        _reverse(
            "console:settings_member_edit",
            membership_id=d.first(Membership, role=Membership.Role.AGENT).pk,
        ),
    ),
    "console:settings_audit": lambda d: _one("admin", _reverse("console:settings_audit")),
    "console:settings_tokens": lambda d: _one("agent", _reverse("console:settings_tokens")),
    "console:settings_teams": lambda d: _one("supervisor", _reverse("console:settings_teams")),
    "console:settings_team_create": lambda d: _one(
        "supervisor", _reverse("console:settings_team_create")
    ),
    "console:settings_team_edit": lambda d: _one(
        "supervisor",
        _reverse(
            "console:settings_team_edit",
            team_id=d._of(Team)
            .annotate(member_count=Count("members"))
            .order_by("-member_count", "pk")
            .first()
            .pk,
        ),
    ),
    # Requests.
    "tickets:queue": lambda d: _one("agent", _reverse("tickets:queue")),
    "tickets:create": lambda d: _one("agent", _reverse("tickets:create")),
    "tickets:detail": lambda d: _one("agent", request_path("tickets:detail", d.ticket())),
    "tickets:canned_answers": lambda d: _one("agent", _reverse("tickets:canned_answers")),
    "tickets:canned_answer_edit": lambda d: _one(
        "supervisor",
        _reverse("tickets:canned_answer_edit", canned_answer_id=d.first(CannedAnswer).pk),
    ),
    "tickets:macros": lambda d: _one("agent", _reverse("tickets:macros")),
    "tickets:macro_edit": lambda d: _one(
        "supervisor", _reverse("tickets:macro_edit", macro_id=d.first(Macro).pk)
    ),
    "tickets:sla": lambda d: _one("supervisor", _reverse("tickets:sla")),
    "tickets:settings_routing": lambda d: _one("supervisor", _reverse("tickets:settings_routing")),
    "tickets:settings_routing_create": lambda d: _one(
        "supervisor", _reverse("tickets:settings_routing_create")
    ),
    "tickets:settings_routing_edit": lambda d: _one(
        "supervisor", _reverse("tickets:settings_routing_edit", rule_id=d.first(RoutingRule).pk)
    ),
    "tickets:settings_agents": lambda d: _one("supervisor", _reverse("tickets:settings_agents")),
    "tickets:settings_agent_edit": lambda d: _one(
        "supervisor",
        _reverse(
            "tickets:settings_agent_edit",
            user_id=d.first(Membership, role=Membership.Role.AGENT).user_id,
        ),
    ),
    "tickets:settings_categories": lambda d: _one(
        "supervisor", _reverse("tickets:settings_categories")
    ),
    "tickets:settings_category_create": lambda d: _one(
        "supervisor", _reverse("tickets:settings_category_create")
    ),
    "tickets:settings_category_edit": lambda d: _one(
        "supervisor",
        _reverse(
            "tickets:settings_category_edit",
            category_id=d.first(Category, parent__isnull=False).pk,
        ),
    ),
    "search:results": lambda d: _one(
        "agent", _reverse("search:results") + "?q=" + d.ticket().customer.name.split()[0]
    ),
    # Customers, units and warranty.
    "customers:list": lambda d: _one("agent", _reverse("customers:list")),
    "customers:create": lambda d: _one("agent", _reverse("customers:create")),
    "customers:detail": lambda d: _one(
        "agent", _reverse("customers:detail", customer_id=d.customer().pk)
    ),
    "customers:edit": lambda d: _one(
        "agent", _reverse("customers:edit", customer_id=d.customer().pk)
    ),
    "warranty:list": lambda d: _one("agent", _reverse("warranty:list")),
    "warranty:create": lambda d: _one("agent", _reverse("warranty:create")),
    "warranty:import": lambda d: _one("supervisor", _reverse("warranty:import")),
    "warranty:detail": lambda d: _one(
        "supervisor", _reverse("warranty:detail", unit_id=d.unit().pk)
    ),
    "warranty:edit": lambda d: _one("agent", _reverse("warranty:edit", unit_id=d.unit().pk)),
    "warranty:transfer": lambda d: _one(
        "agent", _reverse("warranty:transfer", unit_id=d.unit().pk)
    ),
    "warranty:contract_extend": lambda d: _one(
        "agent", _reverse("warranty:contract_extend", unit_id=d.unit().pk)
    ),
    "warranty:contract_goodwill": lambda d: _one(
        "supervisor", _reverse("warranty:contract_goodwill", unit_id=d.unit().pk)
    ),
    "warranty:contract_void": lambda d: _pick(
        d.contract(),
        "no contract in the demo data",
        lambda contract: _one(
            "supervisor",
            _reverse("warranty:contract_void", unit_id=contract.unit_id, contract_id=contract.pk),
        ),
    ),
    "warranty:claim": lambda d: _pick(
        d.claim(),
        "no warranty claim in the demo data",
        lambda claim: _one(
            "supervisor", _reverse("warranty:claim", unit_id=claim.unit_id, claim_id=claim.pk)
        ),
    ),
    # Repairs.
    "repairs:create": lambda d: _one(
        "agent", _reverse("repairs:create") + f"?ticket={d.ticket_for_work_order().pk}"
    ),
    "repairs:day": lambda d: _one("technician", _reverse("repairs:day")),
    "repairs:dispatch": lambda d: _one("supervisor", _reverse("repairs:dispatch")),
    "repairs:detail": lambda d: [
        Visit("supervisor", _reverse("repairs:detail", work_order_id=d.quote().work_order_id)),
        Visit("technician", _reverse("repairs:detail", work_order_id=d.work_order_in_repair().pk)),
    ],
    "repairs:document": lambda d: [
        Visit(
            "agent",
            _reverse("repairs:document", work_order_id=work_order.pk, kind=kind)
            + f"?language={LANGUAGE}",
        )
        for work_order, kind in (
            (d.quote().work_order, "job-card"),
            (d.quote().work_order, "quote"),
            (d.work_order_delivered(), "receipt"),
        )
    ],
    "repairs:certificate": lambda d: _one(
        "agent", _reverse("repairs:certificate", unit_id=d.unit().pk) + f"?language={LANGUAGE}"
    ),
    "repairs:settings": lambda d: _one("supervisor", _reverse("repairs:settings")),
    # Catalog and stock.
    "catalog:products": lambda d: _one("supervisor", _reverse("catalog:products")),
    "catalog:product_create": lambda d: _one("supervisor", _reverse("catalog:product_create")),
    "catalog:product_edit": lambda d: _one(
        "supervisor",
        _reverse(
            "catalog:product_edit",
            product_model_id=d._of(ProductModel)
            .filter(warranty_policy__isnull=False)
            .order_by("pk")
            .first()
            .pk,
        ),
    ),
    "catalog:policies": lambda d: _one("supervisor", _reverse("catalog:policies")),
    "catalog:policy_create": lambda d: _one("supervisor", _reverse("catalog:policy_create")),
    "catalog:policy_edit": lambda d: _one(
        "supervisor",
        _reverse("catalog:policy_edit", warranty_policy_id=d.first(WarrantyPolicy).pk),
    ),
    "catalog:faults": lambda d: _one("supervisor", _reverse("catalog:faults")),
    "catalog:fault_create": lambda d: _one("supervisor", _reverse("catalog:fault_create")),
    "catalog:fault_edit": lambda d: _one(
        "supervisor", _reverse("catalog:fault_edit", fault_code_id=d.first(FaultCode).pk)
    ),
    "catalog:parts": lambda d: _one("supervisor", _reverse("catalog:parts")),
    "catalog:part_create": lambda d: _one("supervisor", _reverse("catalog:part_create")),
    "catalog:part_edit": lambda d: _one(
        "supervisor", _reverse("catalog:part_edit", spare_part_id=d.first(SparePart).pk)
    ),
    "inventory:locations": lambda d: _one("technician", _reverse("inventory:locations")),
    "inventory:location_create": lambda d: _one(
        "supervisor", _reverse("inventory:location_create")
    ),
    "inventory:location": lambda d: _one(
        "supervisor", _reverse("inventory:location", location_id=d.location().pk)
    ),
    "inventory:location_edit": lambda d: _one(
        "supervisor", _reverse("inventory:location_edit", location_id=d.location().pk)
    ),
    "inventory:receive": lambda d: _one(
        "supervisor", _reverse("inventory:receive", location_id=d.location().pk)
    ),
    "inventory:adjust": lambda d: _one(
        "supervisor", _reverse("inventory:adjust", location_id=d.location().pk)
    ),
    "inventory:transfer": lambda d: _one(
        "supervisor", _reverse("inventory:transfer", location_id=d.location().pk)
    ),
    "inventory:count": lambda d: _one(
        "supervisor", _reverse("inventory:count", location_id=d.location().pk)
    ),
    "inventory:reorder": lambda d: _one(
        "supervisor", _reverse("inventory:reorder", location_id=d.location().pk)
    ),
    "inventory:part": lambda d: _one(
        "technician",
        _reverse(
            "inventory:part",
            part_id=d._of(SparePart)
            .annotate(level_count=Count("stock_levels"))
            .order_by("-level_count", "pk")
            .first()
            .pk,
        ),
    ),
    "inventory:ledger": lambda d: _one("supervisor", _reverse("inventory:ledger")),
    "inventory:low": lambda d: _one("supervisor", _reverse("inventory:low")),
    # The knowledge base.
    "knowledge:articles": lambda d: _one("agent", _reverse("knowledge:articles")),
    "knowledge:article_create": lambda d: _one("agent", _reverse("knowledge:article_create")),
    "knowledge:article": lambda d: _one(
        "supervisor", _reverse("knowledge:article", article_id=d.article().pk)
    ),
    "knowledge:article_edit": lambda d: _one(
        "agent", _reverse("knowledge:article_edit", article_id=d.article().pk)
    ),
    "knowledge:translation_edit": lambda d: _one(
        "supervisor",
        _reverse(
            "knowledge:translation_edit",
            article_id=d.article().pk,
            language=_first_language(d.article()),
        ),
    ),
    "knowledge:translation_history": lambda d: _one(
        "agent",
        _reverse(
            "knowledge:translation_history",
            article_id=d.article().pk,
            language=_first_language(d.article()),
        ),
    ),
    "knowledge:categories": lambda d: _one("supervisor", _reverse("knowledge:categories")),
    "knowledge:category_create": lambda d: _one(
        "supervisor", _reverse("knowledge:category_create")
    ),
    "knowledge:category_edit": lambda d: _one(
        "supervisor",
        _reverse("knowledge:category_edit", article_category_id=d.first(ArticleCategory).pk),
    ),
    # Service levels.
    "sla:settings_calendars": lambda d: _one("supervisor", _reverse("sla:settings_calendars")),
    "sla:settings_calendar_create": lambda d: _one(
        "supervisor", _reverse("sla:settings_calendar_create")
    ),
    "sla:settings_calendar": lambda d: _one(
        "supervisor",
        _reverse(
            "sla:settings_calendar",
            calendar_id=d._of(BusinessCalendar).order_by("-is_default", "pk").first().pk,
        ),
    ),
    "sla:settings_holiday_edit": lambda d: _pick(
        d._of(Holiday)
        .filter(kind__in=[Holiday.Kind.DATE, Holiday.Kind.RANGE])
        .order_by("-is_estimated", "-calendar__is_default", "pk")
        .first(),
        "no holiday on dates of one year in the demo data",
        lambda holiday: _one(
            "supervisor",
            _reverse(
                "sla:settings_holiday_edit", calendar_id=holiday.calendar_id, holiday_id=holiday.pk
            ),
        ),
    ),
    "sla:settings_policies": lambda d: _one("supervisor", _reverse("sla:settings_policies")),
    "sla:settings_policy_create": lambda d: _one(
        "supervisor", _reverse("sla:settings_policy_create")
    ),
    "sla:settings_policy_edit": lambda d: _one(
        "supervisor", _reverse("sla:settings_policy_edit", policy_id=d.first(SlaPolicy).pk)
    ),
    "sla:settings_escalation": lambda d: _one("supervisor", _reverse("sla:settings_escalation")),
    "sla:settings_escalation_create": lambda d: _one(
        "supervisor", _reverse("sla:settings_escalation_create")
    ),
    "sla:settings_escalation_edit": lambda d: _one(
        "supervisor", _reverse("sla:settings_escalation_edit", rule_id=d.first(EscalationRule).pk)
    ),
    # Mail in and out, notices.
    "inbound:list": lambda d: _one("admin", _reverse("inbound:list")),
    "inbound:detail": lambda d: _pick(
        d.first(InboundEmail),
        "no inbound email in the demo data",
        lambda found: _one("admin", _reverse("inbound:detail", inbound_id=found.pk)),
    ),
    "inbound:mailboxes": lambda d: _one("admin", _reverse("inbound:mailboxes")),
    "inbound:mailbox_create": lambda d: _one("admin", _reverse("inbound:mailbox_create")),
    "inbound:mailbox_edit": lambda d: _pick(
        d.first(Mailbox),
        "no IMAP mailbox in the demo data",
        lambda found: _one("admin", _reverse("inbound:mailbox_edit", mailbox_id=found.pk)),
    ),
    "outbound:overview": lambda d: _one("admin", _reverse("outbound:overview")),
    "outbound:email_create": lambda d: _one("admin", _reverse("outbound:email_create")),
    "outbound:email_edit": lambda d: _pick(
        d.first(EmailSetting),
        "no email server setting in the demo data",
        lambda found: _one("admin", _reverse("outbound:email_edit", setting_id=found.pk)),
    ),
    "outbound:sms_create": lambda d: _one("admin", _reverse("outbound:sms_create")),
    "outbound:sms_edit": lambda d: _pick(
        d.first(SmsGateway),
        "no SMS gateway in the demo data",
        lambda found: _one("admin", _reverse("outbound:sms_edit", gateway_id=found.pk)),
    ),
    "notifications:rules": lambda d: _one("admin", _reverse("notifications:rules")),
    "notifications:templates": lambda d: _one("admin", _reverse("notifications:templates")),
    "notifications:template_edit": lambda d: _one(
        "admin",
        _reverse(
            "notifications:template_edit",
            event=Notice.Event.RESOLVED,
            language=d.organization.default_language,
        ),
    ),
    "notifications:log": lambda d: _one("supervisor", _reverse("notifications:log")),
    "notifications:log_detail": lambda d: _pick(
        d.first(Notice),
        "no notice in the demo data",
        lambda found: _one("supervisor", _reverse("notifications:log_detail", notice_id=found.pk)),
    ),
    "notifications:mine": lambda d: _one("agent", _reverse("notifications:mine")),
    "notices:list": lambda d: _one("agent", _reverse("notices:list")),
    # The API's documentation: Swagger UI, in English only, drawn by its script once the schema
    # is read.
    "api:openapi-view": lambda d: [
        Visit("anonymous", _reverse("api:openapi-view"), "en", ready="#swagger-ui .opblock")
    ],
    # The portal: signing in, the help centre, and a customer's own pages.
    "portal:home": lambda d: _one("anonymous", d.portal("portal:home")),
    "portal:login": lambda d: _one("anonymous", d.portal("portal:login")),
    "portal:login_sent": lambda d: _one("anonymous", d.portal("portal:login_sent")),
    "portal:login_link": lambda d: _one(
        "anonymous",
        portal_login_link_create(
            organization=d.organization,
            email=d.customer_email(d.customer()),
            minutes=LINK_MINUTES,
        )[1],
    ),
    "portal:track": lambda d: _one("anonymous", d.portal("portal:track")),
    "portal:resolution_answer": lambda d: _one(
        "anonymous",
        resolution_answer_url(d.resolved_ticket(), NOT_SOLVED).removeprefix(settings.SITE_URL),
    ),
    "portal:unsubscribe": lambda d: _one(
        "anonymous",
        unsubscribe_url(
            organization=d.organization, customer_id=d.customer().pk, topic=NoticeTopic.REMINDERS
        ).removeprefix(settings.SITE_URL),
    ),
    "warranty_public:check": lambda d: [
        Visit("anonymous", d.portal("warranty_public:check")),
        Visit("customer", d.portal("warranty_public:check") + f"?serial={d.unit().serial_number}"),
    ],
    "portal:help_home": lambda d: [
        Visit("anonymous", d.portal("portal:help_home")),
        Visit("customer", d.portal("portal:help_home")),
    ],
    "portal:help_category": lambda d: _one(
        "customer",
        d.portal("portal:help_category", article_category_id=d.article().category_id),
    ),
    "portal:help_article": lambda d: _one(
        "customer", d.portal("portal:help_article", article_id=d.article().pk)
    ),
    "portal:request_list": lambda d: _one("customer", d.portal("portal:request_list")),
    "portal:request_create": lambda d: _one("customer", d.portal("portal:request_create")),
    "portal:request_detail": lambda d: [
        Visit("customer", d.portal("portal:request_detail", number=d.portal_ticket().number)),
        Visit("quote_customer", d.portal("portal:request_detail", number=d.ticket().number)),
    ],
    "portal:unit_list": lambda d: _one("customer", d.portal("portal:unit_list")),
    "portal:unit_register": lambda d: _one("customer", d.portal("portal:unit_register")),
    "portal:unit_detail": lambda d: _one(
        "customer", d.portal("portal:unit_detail", unit_id=d.portal_unit().pk)
    ),
    "portal:repair_quote": lambda d: _one(
        "quote_customer",
        d.portal("portal:repair_quote", number=d.ticket().number, quote_id=d.quote().pk),
    ),
}


# Not patterns but pages all the same: what an address that leads nowhere answers, in the
# console and in a portal (`handler404`), checked when the URL configuration has its own.
ERROR_PAGES: dict[str, Callable[[Demo], list[Visit]]] = {
    "handler404": lambda d: [
        Visit("agent", "/no-such-page/", status=404),
        Visit("customer", d.portal("portal:home") + "no-such-page/", status=404),
    ],
}


class Command(BaseCommand):
    """Print the accessibility sweep's pages in the demo data, as JSON."""

    help = (
        "For the accessibility sweep: the demo organization's pages as concrete addresses and "
        "who opens each (roles, the portal's customers with a sign-in link each, anonymous), "
        "printed as JSON. Run on the demo data (manage.py seed_demo)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--links",
            type=int,
            default=1,
            help="How many portal sign-in links to make for each portal customer.",
        )

    def handle(self, *args, links: int = 1, **options):
        slug = demo.DEMO_ORGANIZATION["slug"]
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise CommandError(f"No organization '{slug}': load the demo data (seed_demo).")
        found = Demo(organization)
        pages, absent = [], {}
        for name, build in PAGES.items():
            visits = build(found)
            if isinstance(visits, Absent):
                absent[name] = str(visits)
                continue
            pages += [{"name": name, **asdict(visit)} for visit in visits]
        urls = import_module(settings.ROOT_URLCONF)
        for name, build in ERROR_PAGES.items():
            if getattr(urls, name, None):
                pages += [{"name": name, **asdict(visit)} for visit in build(found)]
        users = {
            role: {"kind": "staff", "email": found.staff_email(role)}
            for role in ("admin", "supervisor", "agent", "technician")
        }
        users["anonymous"] = {"kind": "anonymous"}
        for role, customer in (
            ("customer", found.portal_customer()),
            ("quote_customer", found.quote_customer()),
        ):
            email = found.customer_email(customer)
            users[role] = {
                "kind": "customer",
                "email": email,
                "links": [
                    portal_login_link_create(
                        organization=organization, email=email, minutes=LINK_MINUTES
                    )[1]
                    for _ in range(links)
                ],
            }
        data = {"organization": slug, "users": users, "pages": pages, "absent": absent}
        self.stdout.write(json.dumps(data, ensure_ascii=False))
