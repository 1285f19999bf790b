"""Fixtures of the tickets app's tests: a request, a clock the services read, the Iranian calendar
and the SLA policies measured on it."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from aftercare.accounts.services import team_create
from aftercare.catalog.services import product_model_create
from aftercare.lib.vocabulary import Priority
from aftercare.sla.services import calendar_create_from_preset, sla_policy_create
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.services import category_create, ticket_message_add
from aftercare.tickets.tests.factories import make_ticket

TEHRAN = ZoneInfo("Asia/Tehran")


class Clock:
    """The time the services see; tests move it by hand."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, value: datetime) -> None:
        self.now = value

    def advance(self, **delta) -> datetime:
        self.now = self.now + timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """Sunday 3 May 2026 09:00 Tehran, a working day in Iran."""
    fake = Clock(datetime(2026, 5, 3, 9, tzinfo=TEHRAN).astimezone(UTC))
    monkeypatch.setattr(timezone, "now", fake)
    return fake


@pytest.fixture
def iran_calendar(org):
    return calendar_create_from_preset(organization=org, country="IR", is_default=True)


@pytest.fixture
def standard(org, iran_calendar):
    """First response in 2 business hours, next response in 4, resolution in 16 (two days)."""
    return sla_policy_create(
        organization=org,
        name="Standard",
        first_response_minutes=120,
        next_response_minutes=240,
        resolution_minutes=16 * 60,
        warning_percent=75,
    )


@pytest.fixture
def urgent(org, standard):
    """Urgent requests: 30 minutes to answer, 4 hours to resolve; matched before Standard."""
    return sla_policy_create(
        organization=org,
        name="Urgent",
        priorities=[Priority.URGENT],
        first_response_minutes=30,
        resolution_minutes=240,
        position=1,
    )


@pytest.fixture
def ticket(org, customer, bob_agent):
    """A request of `customer`, opened by Bob."""
    return make_ticket(organization=org, customer=customer, actor=bob_agent)


@pytest.fixture
def category(org):
    return category_create(organization=org, name="Washing machines")


@pytest.fixture
def product(org):
    return product_model_create(
        organization=org, name="WM-800", sku="WM800", brand="Pars", category="Laundry"
    )


@pytest.fixture
def foreign(other_org, other_customer, charlie_other_org):
    """Objects of another organization, to be named in bodies and paths."""
    ticket = make_ticket(organization=other_org, customer=other_customer)
    message = ticket_message_add(
        ticket=ticket, kind=MessageKind.NOTE, body="theirs", actor=charlie_other_org
    )
    return {
        "customer": other_customer,
        "team": team_create(organization=other_org, name="Their team"),
        "category": category_create(organization=other_org, name="Their category"),
        "product": product_model_create(organization=other_org, name="Theirs", sku="T1"),
        "member": charlie_other_org,
        "ticket": ticket,
        "message": message,
    }
