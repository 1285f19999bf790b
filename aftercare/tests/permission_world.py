"""The world the permission matrix's test asks in (aftercare/tests/test_permission_matrix.py): one
object of every kind in two organizations, and everyone who asks for them (every role, a
customer, a superuser, another organization's admin, anonymous), with a token of every scope."""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from aftercare.accounts.models import (
    ApiToken,
    Membership,
    Organization,
    SignedInSession,
    StaffInvitation,
)
from aftercare.accounts.services import (
    api_token_create,
    membership_create,
    team_create,
    user_create,
)
from aftercare.api.tests.files import png_bytes
from aftercare.catalog.services import (
    fault_code_create,
    product_model_create,
    spare_part_create,
    warranty_policy_create,
)
from aftercare.customers.services import customer_create, customer_link_user
from aftercare.inventory.models import StockLevel
from aftercare.inventory.services import stock_location_create, stock_receive, stock_reserve
from aftercare.knowledge.services import (
    article_category_create,
    article_create,
    article_image_add,
    article_translation_publish,
    article_translation_save,
)
from aftercare.lib.sealing import seal
from aftercare.lib.testing import PASSWORD, client_for, free_port
from aftercare.messaging.inbound.services import inbound_email_store, mailbox_create
from aftercare.messaging.outbound.services import email_setting_create, sms_gateway_create
from aftercare.notifications.services import console_notice_record, notice_queue
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
from aftercare.tickets.productivity.services import (
    canned_answer_create,
    macro_create,
    saved_view_create,
)
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
    # A notice in the admin's bell: every other member's id for it answers 404.
    bell_notice = console_notice_record(
        organization=organization,
        user=admin,
        event="assigned",
        key=f"matrix-bell-{slug}",
        context={"reference": "AS-000001", "subject": "Hi", "url": "/"},
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
    article_category = article_category_create(organization=organization, name="Washing")
    article = article_create(
        organization=organization, actor=admin, category=article_category, product_models=[product]
    )
    image = article_image_add(
        article=article, upload=SimpleUploadedFile("step.png", png_bytes()), actor=admin
    )
    translation = article_translation_save(
        article=article,
        language="en",
        title="The drum does not turn",
        body=f'<p>Check the belt.</p><img src="/help-images/{image.pk}/" alt="">',
        actor=admin,
    )
    article_translation_publish(translation=translation, actor=admin)
    api_token, _key = api_token_create(user=admin, organization=organization, name="console")
    session = SignedInSession.objects.create(
        user=admin,
        session_key_sealed=seal(f"matrix-{slug}"),
        session_key_hash=hashlib.sha256(f"matrix-{slug}".encode()).hexdigest(),
    )
    manager = Membership.objects.get(organization=organization, user=admin)
    canned = canned_answer_create(
        membership=manager, name="Hello", body="Hello {{ customer_name }}", scope="organization"
    )
    macro = macro_create(membership=manager, name="Urgent", scope="organization", priority=4)
    saved_view = saved_view_create(
        membership=manager, name="Open", filters={"queue": "open"}, is_shared=True
    )
    return {
        "canned_answer_id": canned.pk,
        "macro_id": macro.pk,
        "saved_view_id": saved_view.pk,
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
        "console_notice_id": bell_notice.pk,
        "setting_id": email_setting.pk,
        "gateway_id": gateway.pk,
        "invitation_id": offer.pk,
        "membership_id": Membership.objects.get(organization=organization, user=agent).pk,
        "agent_id": agent.pk,
        # A member of staff none of the askers is, for the pages about someone else.
        "colleague_id": _member(organization, f"dan@{slug}.example", "agent").pk,
        "token_id": api_token.pk,
        "article_id": article.pk,
        "article_category_id": article_category.pk,
        "version_id": translation.versions.order_by("number").first().pk,
        "image_id": image.pk,
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


def build_world(
    *,
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
    """One object of every kind in `org` and in `other_org`, and everyone who asks for them."""
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
    # The console knows a request by its number, which each organization counts on its own:
    # the other organization's numbers start past ours, so that a 404 means "not yours", not
    # "yours under another number".
    Organization.objects.filter(pk=other_org.pk).update(ticket_sequence=1000)
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


def placeholder_value(ids: dict, name: str, kwarg: str):
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


def names_an_object(kwargs) -> bool:
    return any(kwarg.endswith("_id") or kwarg == "number" for kwarg in kwargs)
