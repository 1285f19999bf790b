"""`manage.py prepare` (what `make run` runs before it serves) and the demo it loads: as a working
team would have it at the moment it is seeded."""

import io
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from aftercare.accounts.models import Organization, Team, User
from aftercare.demo import content as demo
from aftercare.lib.management.commands import serve
from aftercare.tickets.agents.selectors import agent_list
from aftercare.tickets.models import Ticket, TicketEvent
from aftercare.tickets.routing.models import RoutingRule

ON_TRACK = {"running", "paused"}


@pytest.fixture
def var_dir(db, settings, tmp_path, monkeypatch):
    """A private var/ and the staff's password from the environment."""
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-from-env")
    return tmp_path


def _prepare() -> list[str]:
    """Run prepare without the static files (they take half a minute); what it printed."""
    out = io.StringIO()
    call_command("prepare", "--no-static", stdout=out)
    return out.getvalue().splitlines(keepends=True)


def test_prepare_loads_a_demo_as_a_working_team_has_it_now(var_dir):
    lines = _prepare()

    # Not a terminal: a plain line per step, nothing rewritten in place, no counts repeated.
    assert all(line.endswith("\n") and "\r" not in line and "\x1b" not in line for line in lines)
    text = [line.rstrip("\n") for line in lines]
    assert text[0] == "Checking the database…"
    assert text[1].startswith("Database is up to date (")
    assert text[2:8] == [
        "Loading demo data: people, products and service levels…",
        "Loading demo data: requests…",
        "Loading demo data: work orders…",
        "Loading demo data: help centre and canned answers…",
        "Loading demo data: service levels…",
        text[7],
    ]
    assert text[7].startswith(
        "Demo data loaded: Demo Electronics, Other Appliances; 65 customers, 312 requests ("
    )
    assert text[8:] == ["Search index is up to date.", text[9]]
    assert text[9].startswith("Prepared in ")
    # The logins are printed once, by serve: not here.
    assert "@" not in "".join(text) and "demo-pass-from-env" not in "".join(text)
    assert authenticate(username="agent@demo.example", password="demo-pass-from-env")
    assert not (var_dir / "demo-password").exists()

    demo_org = Organization.objects.get(slug="demo")
    requests = Ticket.objects.filter(organization=demo_org)
    open_requests = requests.filter(is_open=True)

    # As of now, in the organization's calendar: most open requests on track (running, or paused
    # while the customer or a part is awaited), some at risk, a few breached.
    states = Counter(open_requests.values_list("sla_state", flat=True))
    total = sum(states.values())
    assert set(states) <= {*ON_TRACK, "warning", "breached"}, states
    assert sum(states[state] for state in ON_TRACK) > total / 2, states
    assert states["warning"] >= 1, states
    assert 1 <= states["breached"] <= round(total / 10), states
    # Finished requests mostly met their targets.
    finished = Counter(requests.filter(is_open=False).values_list("sla_state", flat=True))
    assert finished["met"] > 0.8 * sum(finished.values()), finished

    # Nobody holds more open requests than their capacity; the rest wait in their team's queue.
    for organization in Organization.objects.all():
        for row in agent_list(organization=organization):
            assert row.capacity is not None and row.open_count <= row.capacity, row
    waiting = open_requests.filter(assignee__isnull=True)
    assert waiting.exists()
    assert not waiting.filter(team__isnull=True).exists()

    # The call centre routes by itself: its rule sends requests to it, and it gives each to the
    # available agent with the fewest open requests, as its history shows.
    automatic = Team.objects.filter(organization=demo_org).exclude(
        assignment=Team.Assignment.MANUAL
    )
    assert [(team.name, team.assignment) for team in automatic] == [("Call centre", "least_open")]
    call_centre = automatic.get()
    assert RoutingRule.objects.filter(organization=demo_org, team=call_centre).exists()
    routed = TicketEvent.objects.filter(
        ticket__organization=demo_org, kind=TicketEvent.Kind.ROUTED, data__method="least_open"
    )
    assert routed.count() > 50

    # A new request from the portal's form (the real intake) goes to the call centre and to one
    # of its agents at once, within their capacity.
    sign_in_link = serve.startup_lines(host="127.0.0.1", port=8000)[-1]
    customer = Client()
    assert customer.post(sign_in_link.removeprefix("http://127.0.0.1:8000")).status_code == 302
    response = customer.post(
        "/portal/demo/requests/new/",
        {
            "product_model": "",
            "serial_number": "",
            "purchase_date": "",
            "seller": "",
            "kind": "question",
            "subject": "Can I run the dryer and the washer together?",
            "description": "Both are on one socket in the laundry room.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new = requests.get(subject="Can I run the dryer and the washer together?")
    assert new.team == call_centre
    assert new.assignee is not None and new.assignee in call_centre.members.all()
    assert TicketEvent.objects.get(ticket=new, kind=TicketEvent.Kind.ROUTED).data["method"] == (
        "least_open"
    )
    for row in agent_list(organization=demo_org):
        assert row.open_count <= row.capacity

    # Once loaded, make run's preparation and seed_demo --if-empty change nothing.
    counts = (User.objects.count(), Ticket.objects.count(), TicketEvent.objects.count())
    again = "".join(_prepare())
    assert "Demo data is loaded already." in again
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "already loaded" in out.getvalue()
    assert (User.objects.count(), Ticket.objects.count(), TicketEvent.objects.count()) == counts
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())
    assert Ticket.objects.count() == counts[1]

    # make run's whole output names each login once: prepare names none, serve each one, and
    # the portal customer apart from the staff's password.
    banner = "\n".join(serve.startup_lines(host="127.0.0.1", port=8000))
    everything = "".join(lines) + again + banner
    for login in demo.DEMO_LOGINS:
        assert everything.count(login.email) == 1, login.email
    password_line = next(line for line in banner.splitlines() if "demo-pass-from-env" in line)
    assert "customer@demo.example" not in password_line
