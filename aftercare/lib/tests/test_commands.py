"""seed_demo, serve and the benchmark's seeding, run for real against the test database."""

import datetime
import io
import stat
from zoneinfo import ZoneInfo

import pytest
import uvicorn
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F

from aftercare.accounts.models import Membership, Organization, User
from aftercare.accounts.services import organization_create
from aftercare.customers.models import Customer
from aftercare.lib import demo
from aftercare.lib.management.commands import serve
from aftercare.lib.vocabulary import Kind, Status
from aftercare.sla import clock as sla_clock
from aftercare.sla.businesstime import business_add
from aftercare.sla.selectors import sla_snapshot
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.escalation.models import SlaMark
from aftercare.tickets.escalation.sweep import sla_sweep
from aftercare.tickets.models import Ticket, TicketEvent, TicketMessage
from aftercare.tickets.selectors import ticket_list
from aftercare.tickets.services import sla_rebuild, ticket_create
from bench.run import INPROCESS_SCENARIOS, RESULT_KEYS, SCENARIOS, SLA_EXTRA_KEYS
from bench.seed import bench_seed, bench_seed_sla

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
    assert password in output
    for email in [*ROLES, "customer@demo.example"]:
        assert authenticate(username=email, password=password) is not None, email

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


def test_seed_demo_uses_demo_password_and_if_empty_does_nothing_the_second_time(
    var_dir, monkeypatch
):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-from-env")
    output = _seed("--if-empty")

    assert authenticate(username="agent@demo.example", password="demo-pass-from-env")
    assert authenticate(username="customer@demo.example", password="demo-pass-from-env")
    assert not (var_dir / "demo-password").exists()
    assert "demo-pass-from-env" not in output
    counts = (User.objects.count(), Ticket.objects.count(), TicketEvent.objects.count())

    output = _seed("--if-empty")

    assert "already loaded" in output
    assert (User.objects.count(), Ticket.objects.count(), TicketEvent.objects.count()) == counts
    with pytest.raises(CommandError):
        _seed()
    assert Ticket.objects.count() == counts[1]


def test_seed_demo_is_refused_when_a_demo_login_already_exists(var_dir):
    from aftercare.accounts.services import user_create

    user_create(email="agent@demo.example", password="x")

    with pytest.raises(CommandError, match="already exists"):
        _seed()
    assert not Organization.objects.exists()
    assert not (var_dir / "demo-password").exists()


def test_startup_lines_show_urls_and_no_logins_without_demo_data(var_dir):
    lines = serve.startup_lines(host="127.0.0.1", port=8123)

    text = "\n".join(lines)
    assert "http://127.0.0.1:8123/" in text
    assert "http://127.0.0.1:8123/portal/demo/" in text
    assert "http://127.0.0.1:8123/api/v1/docs" in text
    assert "admin@demo.example" not in text


def test_startup_lines_show_demo_logins_and_the_generated_password(var_dir):
    organization_create(name="Demo Electronics", slug="demo")
    (var_dir / "demo-password").write_text("generated-secret\n")

    text = "\n".join(serve.startup_lines(host="::1", port=9000))

    assert "http://[::1]:9000/portal/demo/" in text
    for login in demo.DEMO_LOGINS:
        assert login.email in text
    assert "password: generated-secret" in text


def test_startup_lines_prefer_demo_password_from_the_environment(var_dir, monkeypatch):
    organization_create(name="Demo Electronics", slug="demo")
    (var_dir / "demo-password").write_text("stale\n")
    monkeypatch.setenv("DEMO_PASSWORD", "from-env")

    text = "\n".join(serve.startup_lines(host="127.0.0.1", port=8000))

    assert "password: from-env" in text
    assert "stale" not in text


def test_serve_prints_the_banner_and_runs_uvicorn_with_the_asgi_app(var_dir, monkeypatch):
    seen = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: seen.append(self.config))
    out = io.StringIO()

    call_command("serve", "--host", "127.0.0.1", "--port", "8123", "--no-access-log", stdout=out)

    assert "Console:   http://127.0.0.1:8123/" in out.getvalue()
    (config,) = seen
    assert (config.app, config.host, config.port) == (serve.ASGI_APP, "127.0.0.1", 8123)
    assert config.workers == 1
    assert config.access_log is False


def test_serve_starts_and_stops_companions_around_the_web_server(var_dir, monkeypatch):
    calls = []

    class Recorder:
        """A companion that records when it is started and stopped."""

        name = "recorder"

        def start(self):
            """Record the start."""
            calls.append("start")

        def stop(self):
            """Record the stop."""
            calls.append("stop")

    monkeypatch.setattr(serve, "companions", lambda options: [Recorder()])
    monkeypatch.setattr(serve, "_serve_web", lambda options: calls.append(("web", options.port)))

    call_command("serve", "--port", "8124", stdout=io.StringIO())

    assert calls == ["start", ("web", 8124), "stop"]


def test_bench_seed_numbers_tickets_that_the_selectors_read(db):
    data = bench_seed(tickets=200, customers=40, password="bench-pass")

    organization = data.organization
    tickets = Ticket.objects.filter(organization=organization)
    assert organization.ticket_sequence == 200
    assert sorted(tickets.values_list("number", flat=True)) == list(range(1, 201))
    assert data.ticket_ids[1] - data.ticket_ids[0] == 199
    assert tickets.filter(pk__range=data.ticket_ids).count() == 200
    assert set(tickets.values_list("language", flat=True)) == {"fa", "tr", "kk", "en"}
    assert authenticate(username=data.agent.email, password="bench-pass") == data.agent

    first_page = ticket_list(organization=organization, queue="all", limit=50)
    assert len(first_page.items) == 50 and first_page.next_cursor
    updated = [t.updated_at for t in first_page.items]
    assert updated == sorted(updated, reverse=True)
    second_page = ticket_list(
        organization=organization, queue="all", limit=50, cursor=first_page.next_cursor
    )
    assert not {t.pk for t in first_page.items} & {t.pk for t in second_page.items}
    open_page = ticket_list(organization=organization, queue="open", limit=200)
    assert open_page.items and all(t.is_open for t in open_page.items)
    assert {t.pk for t in open_page.items} == set(
        tickets.filter(is_open=True).values_list("pk", flat=True)
    )

    messages = TicketMessage.objects.filter(ticket__organization=organization).count()
    assert messages == data.messages and 1.2 <= messages / 200 <= 3
    for ticket in tickets.prefetch_related("messages"):
        assert ticket.message_count == len(ticket.messages.all())
    events = TicketEvent.objects.filter(ticket__organization=organization)
    assert events.count() == data.events
    assert events.filter(kind=TicketEvent.Kind.CREATED).count() == 200
    assert events.filter(kind=TicketEvent.Kind.MESSAGE_ADDED).count() == messages

    # The services carry on after the bulk load: the next request is number 201.
    customer = Customer.objects.get(pk=data.customer_ids[0])
    new = ticket_create(
        organization=organization, customer=customer, subject="After the load", description="x"
    )
    assert new.number == 201 and new.pk > data.ticket_ids[1]


def test_bench_scenarios_and_result_keys_are_the_published_ones():
    assert [scenario.name for scenario in SCENARIOS] == [
        "intake_api",
        "queue_page",
        "ticket_page",
        "api_list",
    ]
    assert RESULT_KEYS == (
        "scenario",
        "tickets",
        "requests_per_s",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "queries_per_request",
        "peak_rss_mb",
    )
    assert INPROCESS_SCENARIOS == ("sla_sweep", "sla_sweep_repeat", "sla_sweep_10min_outage")
    assert SLA_EXTRA_KEYS == ("seconds", "due_tickets", "warnings", "breaches")


# A Wednesday, 11:12:30 in Tehran: requests that came in overnight started counting at 08:00, so
# their first response warnings (80% of 240 business minutes) fall due at 11:12:00, in the window.
SLA_NOW = datetime.datetime(2026, 11, 25, 11, 12, 30, tzinfo=ZoneInfo("Asia/Tehran"))
SLA_COLUMNS = (
    "sla_policy_id",
    "sla_clock",
    "sla_state",
    "sla_due_at",
    "first_response_due_at",
    "next_response_due_at",
    "resolution_due_at",
    "sla_next_check_at",
)


def _pending(ticket: Ticket, *, now: datetime.datetime) -> set[str]:
    """The mark keys of thresholds a ticket's stored clock has reached by `now` and not recorded."""
    clock = sla_clock.Clock.from_json(ticket.sla_clock)
    keys = set()
    for metric, target in clock.counting:
        if target.warned_at is None and target.warn_at is not None and target.warn_at <= now:
            keys.add(f"{metric}:{target.cycle}:{sla_clock.WARNING}:")
        if target.breached_at is None and target.due_at is not None and target.due_at <= now:
            keys.add(f"{metric}:{target.cycle}:{sla_clock.BREACH}:")
    return keys


def test_bench_seed_sla_stores_real_clocks_and_the_sweep_records_only_the_backlog(db):
    data = bench_seed_sla(tickets=300, now=SLA_NOW)
    cutoff = SLA_NOW - data.backlog

    organization = data.organization
    assert (organization.slug, organization.country, organization.time_zone) == (
        "sla-bench",
        "IR",
        "Asia/Tehran",
    )
    assert organization.ticket_sequence == 300
    tickets = list(Ticket.objects.filter(organization=organization).order_by("pk"))
    assert len(tickets) == 300 and data.ticket_ids[1] - data.ticket_ids[0] == 299
    assert all(t.is_open and t.status in (Status.NEW, Status.OPEN) for t in tickets)
    assert all(t.sla_clock and t.sla_policy_id == data.policy_id for t in tickets)
    assert {t.sla_state for t in tickets} <= {"running", "warning", "breached"}
    assert all(SLA_NOW - datetime.timedelta(days=7) <= t.created_at <= cutoff for t in tickets)
    answered = [t for t in tickets if t.first_response_at is not None]
    assert 0.35 <= len(answered) / 300 <= 0.6
    assert any(t.next_response_due_at is not None for t in answered)
    # A sweep ran until `cutoff`: nothing that fell due by then is left to record.
    assert not any(_pending(t, now=cutoff) for t in tickets)
    assert all(t.sla_next_check_at is None or t.sla_next_check_at > cutoff for t in tickets)

    snapshot = sla_snapshot(organization_id=organization.pk)
    calendar = snapshot.calendar_for(snapshot.policy(data.policy_id))
    unanswered = [t for t in tickets if t.first_response_at is None]
    for ticket in unanswered:
        due = business_add(calendar, start=ticket.created_at, duration=datetime.timedelta(hours=4))
        assert ticket.first_response_due_at == due
    for ticket in tickets:
        due = business_add(calendar, start=ticket.created_at, duration=datetime.timedelta(hours=40))
        assert ticket.resolution_due_at == due
    # The service that rebuilds a request's SLA from its timestamps gets the same clocks.
    sample = tickets[::10]
    with transaction.atomic():
        rebuilt = [sla_rebuild(ticket=ticket, now=cutoff) for ticket in sample]
        transaction.set_rollback(True)
    for ticket, expected in zip(sample, rebuilt, strict=True):
        assert [getattr(ticket, name) for name in SLA_COLUMNS] == [
            getattr(expected, name) for name in SLA_COLUMNS
        ]

    expected = {(t.pk, key) for t in tickets for key in _pending(t, now=SLA_NOW)}
    assert len(expected) >= 5
    result = sla_sweep(now=SLA_NOW)

    marks = SlaMark.objects.filter(organization=organization)
    assert set(marks.values_list("ticket_id", "key")) == expected
    assert all(cutoff < mark.due_at <= SLA_NOW for mark in marks)
    assert result.tickets == len({pk for pk, _key in expected})
    assert result.warnings == marks.filter(kind=SlaMark.Kind.WARNING).count()
    assert result.breaches == marks.filter(kind=SlaMark.Kind.BREACH).count()
    assert result.warnings + result.breaches == len(expected) and not result.escalations
    crossing_events = TicketEvent.objects.filter(
        organization=organization,
        kind__in=[TicketEvent.Kind.SLA_WARNING, TicketEvent.Kind.SLA_BREACHED],
    )
    assert crossing_events.count() == len(expected)
    assert not Ticket.objects.filter(organization=organization, sla_next_check_at__lte=SLA_NOW)

    again = sla_sweep(now=SLA_NOW)

    assert (again.tickets, again.warnings, again.breaches, again.escalations) == (0, 0, 0, 0)
    assert marks.count() == len(expected) and crossing_events.count() == len(expected)
