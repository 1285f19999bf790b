"""`manage.py seed_demo` and what `manage.py serve` prints about the demo."""

import io
import stat
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.utils import timezone

from aftercare.accounts.models import Membership, Organization, User
from aftercare.accounts.services import organization_create
from aftercare.customers.models import Customer
from aftercare.customers.services import customer_create
from aftercare.demo import content as demo
from aftercare.inventory.models import StockLocation, StockMove
from aftercare.lib.management.commands import serve
from aftercare.lib.vocabulary import Kind, Status
from aftercare.repairs.models import Quote, WorkOrder
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import Ticket, TicketEvent, TicketMessage
from aftercare.tickets.productivity.models import CannedAnswer, Macro, SavedView
from aftercare.tickets.productivity.placeholders import render_for_ticket
from aftercare.warranty.coverage import coverage_check
from aftercare.warranty.models import Contract, Unit, WarrantyClaim

ROLES = {
    "admin@demo.example": ("demo", "admin"),
    "supervisor@demo.example": ("demo", "supervisor"),
    "agent@demo.example": ("demo", "agent"),
    "tech@demo.example": ("demo", "technician"),
    "admin@other.example": ("other", "admin"),
}


@pytest.fixture
def var_dir(db, settings, tmp_path, monkeypatch):
    """A private var/ and no DEMO_PASSWORD, so each test decides where the password comes from."""
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    return tmp_path


def _seed(*args) -> str:
    """Run seed_demo and return what it printed."""
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_creates_organizations_logins_and_300_requests(var_dir):
    output = _seed()

    demo_org = Organization.objects.get(slug="demo")
    other_org = Organization.objects.get(slug="other")
    assert (demo_org.name, demo_org.country, demo_org.time_zone, demo_org.default_language) == (
        "Demo Electronics",
        "IR",
        "Asia/Tehran",
        "fa",
    )
    assert (other_org.name, other_org.country, other_org.time_zone) == (
        "Other Appliances",
        "TR",
        "Europe/Istanbul",
    )
    memberships = {
        m.user.email: (m.organization.slug, m.role)
        for m in Membership.objects.select_related("user", "organization")
    }
    assert memberships == ROLES
    assert all(
        User.objects.get(email=email).full_name for email in [*ROLES, "customer@demo.example"]
    )

    portal_user = User.objects.get(email="customer@demo.example")
    assert not Membership.objects.filter(user=portal_user).exists()
    portal_customer = Customer.objects.get(user=portal_user)
    assert portal_customer.organization == demo_org
    assert portal_customer.contact_points.filter(value="customer@demo.example").exists()
    assert Ticket.objects.filter(customer=portal_customer).count() == 5

    password_file = var_dir / "demo-password"
    password = password_file.read_text().strip()
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert len(password) >= 16
    # The logins and the password are printed once, by `serve`, not here as well.
    assert password not in output
    assert "admin@demo.example" not in output
    assert str(password_file) in output
    for email in ROLES:
        assert authenticate(username=email, password=password) is not None, email
    # Customers sign in to the portal by emailed links: the demo customer has no password.
    assert not portal_user.has_usable_password()

    tickets = Ticket.objects.filter(organization__slug="demo")
    assert tickets.count() == 300
    assert set(tickets.values_list("language", flat=True)) == {"fa", "tr", "kk", "en"}
    assert set(tickets.values_list("status", flat=True)) == set(Status.values)
    assert set(tickets.values_list("kind", flat=True)) == set(Kind.values)
    assert len(set(tickets.values_list("channel", flat=True))) >= 7
    assert tickets.filter(assignee__isnull=True, is_open=True).exists()
    assert tickets.filter(subject="نشت آب از زیر ماشین لباسشویی").exists()
    assert tickets.filter(subject="Klima soğutmuyor, sıcak hava üflüyor").exists()
    assert tickets.filter(subject="Кондиционер суытпайды, жылы ауа шығарады").exists()
    assert set(
        TicketMessage.objects.filter(ticket__organization__slug="demo").values_list(
            "kind", flat=True
        )
    ) == set(MessageKind.values)
    assert Ticket.objects.filter(organization__slug="other").count() == 12
    # Every request belongs to a customer of its own organization.
    assert not Ticket.objects.exclude(customer__organization=F("organization")).exists()

    # Spread over ~90 days, nothing in the future, numbers in creation order.
    created = list(tickets.order_by("number").values_list("created_at", flat=True))
    assert created == sorted(created)
    assert (created[-1] - created[0]).days >= 80
    for ticket in tickets.prefetch_related("messages"):
        times = [m.created_at for m in ticket.messages.all()]
        assert all(ticket.created_at <= moment <= ticket.updated_at for moment in times)
        assert ticket.message_count == len(times)
        if ticket.status in (Status.RESOLVED, Status.CLOSED):
            assert ticket.resolved_at is not None and ticket.resolution
    # The timeline's audit rows were written by the services, one "created" per request.
    assert TicketEvent.objects.filter(kind=TicketEvent.Kind.CREATED).count() == 312

    # The workshop: work orders in every stage, stock in a warehouse and a van, units with
    # their coverage computed (most covered, some not), extended contracts, decided claims.
    work_orders = WorkOrder.objects.filter(organization=demo_org)
    assert set(work_orders.values_list("stage", flat=True)) == set(WorkOrder.Stage.values)
    assert {"warranty", "customer"} <= set(work_orders.values_list("billing", flat=True))
    assert Quote.objects.filter(work_order__organization=demo_org, status="sent").exists()
    assert set(
        StockLocation.objects.filter(organization=demo_org).values_list("kind", flat=True)
    ) == {"warehouse", "van"}
    assert StockMove.objects.filter(organization=demo_org, kind="consumption").exists()
    units = Unit.objects.filter(organization=demo_org).select_related(
        "product_model__warranty_policy"
    )
    reasons = Counter(coverage_check(unit=u, on=timezone.localdate()).reason for u in units)
    assert reasons[""] > len(units) / 2 and reasons["expired"] > 0, reasons
    assert tickets.filter(unit__isnull=False).count() > 100
    assert Contract.objects.filter(unit__organization=demo_org, kind="extended").exists()
    assert WarrantyClaim.objects.filter(organization=demo_org, status="approved").exists()

    # The agents' shortcuts: canned answers in English and Persian for everyone, for the call
    # centre and for the agent alone, filled in without a placeholder left; a shared macro and
    # a shared saved view.
    answers = CannedAnswer.objects.filter(organization=demo_org)
    assert {(answer.language, answer.scope) for answer in answers} == {
        ("en", "organization"),
        ("fa", "organization"),
        ("fa", "team"),
        ("en", "personal"),
    }
    request = tickets.filter(is_open=True).select_related("customer", "organization").first()
    for answer in answers:
        assert "{{" not in render_for_ticket(answer.body, ticket=request, agent=None)
    assert Macro.objects.filter(organization=demo_org, scope="organization").count() == 1
    assert SavedView.objects.filter(organization=demo_org, is_shared=True).count() == 1


def test_seed_demo_is_refused_when_a_demo_login_already_exists(var_dir):
    from aftercare.accounts.services import user_create

    user_create(email="agent@demo.example", password="x")

    with pytest.raises(CommandError, match="already exists"):
        _seed()
    assert not Organization.objects.exists()
    assert not (var_dir / "demo-password").exists()


def test_startup_lines_without_demo_data_name_no_portal_and_no_logins(var_dir):
    text = "\n".join(serve.startup_lines(host="127.0.0.1", port=8123))

    assert "http://127.0.0.1:8123/" in text
    assert "http://127.0.0.1:8123/api/v1/docs" in text
    assert "/portal/" not in text
    assert "admin@demo.example" not in text


def test_startup_lines_show_demo_logins_and_the_generated_password(var_dir):
    organization_create(name="Demo Electronics", slug="demo")
    (var_dir / "demo-password").write_text("generated-secret\n")

    lines = serve.startup_lines(host="::1", port=9000)
    text = "\n".join(lines)

    assert "  Portal:    http://[::1]:9000/portal/demo/" in lines
    assert "  Demo console logins (password: generated-secret):" in lines
    staff = [login for login in demo.DEMO_LOGINS if login.role != "customer"]
    for login in staff:
        # Each login once, and the customer (who has no password) not among them.
        assert text.count(login.email) == 1, login.email
    assert "    admin@other.example        admin (other)" in lines
    assert "customer@demo.example                " not in text
    assert "generated-secret" not in text.replace("(password: generated-secret)", "", 1)


def test_startup_lines_end_with_a_working_portal_sign_in_link_on_its_own_line(var_dir):
    from django.test import Client

    demo_org = organization_create(name="Demo Electronics", slug="demo")
    customer_create(organization=demo_org, name="Shirin", emails=["customer@demo.example"])

    lines = serve.startup_lines(host="127.0.0.1", port=8000)

    assert lines[-2] == (
        "  Portal sign-in link for customer@demo.example (no password; works once, for 24 hours):"
    )
    link = lines[-1]
    prefix = "http://127.0.0.1:8000/portal/demo/login/"
    assert link.startswith(prefix) and link.endswith("/") and " " not in link
    path = link.removeprefix("http://127.0.0.1:8000")
    client = Client()
    assert client.get(path).status_code == 200  # a button that signs in
    assert client.post(path).status_code == 302
    assert client.get("/portal/demo/requests/").status_code == 200
    assert Client().get(path).status_code == 410  # it works once


def test_startup_lines_prefer_demo_password_from_the_environment(var_dir, monkeypatch):
    organization_create(name="Demo Electronics", slug="demo")
    (var_dir / "demo-password").write_text("stale\n")
    monkeypatch.setenv("DEMO_PASSWORD", "from-env")

    text = "\n".join(serve.startup_lines(host="127.0.0.1", port=8000))

    assert "password: from-env" in text
    assert "stale" not in text
