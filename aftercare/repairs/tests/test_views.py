"""The technician's day, the dispatch board, the repair settings, and the work on the request's
timeline for staff and for the customer."""

import datetime
import re
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.accounts.services import user_create
from aftercare.customers.services import customer_link_user
from aftercare.lib.testing import text_of
from aftercare.repairs.models import RepairSettings, Visit, WorkOrder
from aftercare.repairs.services import (
    part_add,
    quote_send,
    visit_schedule,
    work_order_assign,
    work_order_open,
)
from aftercare.repairs.tests.helpers import action_url, nine_on

# --- The technician's day and the dispatch board ---


def test_the_technicians_day_shows_todays_visits_with_a_phone_to_tap(
    technician_client, paid_on_site, work_order, tina_technician, bob_agent, today, sam_supervisor
):
    start = nine_on(today)
    visit = visit_schedule(
        work_order=paid_on_site,
        technician=tina_technician,
        window_start=start,
        window_end=start + datetime.timedelta(hours=2),
        address="Tehran, Valiasr St. 12",
        actor=bob_agent,
    )
    visit_schedule(
        work_order=paid_on_site,
        technician=tina_technician,
        window_start=start + datetime.timedelta(days=2),
        window_end=start + datetime.timedelta(days=2, hours=2),
        address="Another day",
        actor=bob_agent,
    )
    work_order_assign(work_order=work_order, technician=tina_technician, actor=sam_supervisor)
    response = technician_client.get(reverse("repairs:day"))
    assert response.status_code == 200
    html = text_of(response)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert re.findall(r'data-testid="day-visit" data-visit-id="(\d+)"', html) == [str(visit.pk)]
    assert "Tehran, Valiasr St. 12" in html and "Another day" not in html
    assert 'href="tel:+989123456789"' in html
    assert "btn-lg" in html
    # One column on a phone: no multi-column grid.
    day = html[html.index('data-testid="technician-day"') :]
    assert not re.search(r'class="[^"]*\bcol-', day)
    assert html.count('data-testid="day-work-order"') == 2
    # Marking the visit from the day view returns to it.
    url = reverse("repairs:visit_status", args=[paid_on_site.pk, visit.pk])
    response = technician_client.post(url, {"status": "on_the_way", "next": "day"})
    assert (response.status_code, response["Location"]) == (302, reverse("repairs:day"))
    assert Visit.objects.get(pk=visit.pk).status == "on_the_way"


def test_the_technicians_day_reads_a_fixed_number_of_queries(
    technician_client, paid_on_site, tina_technician, bob_agent, today
):
    start = nine_on(today)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert technician_client.get(reverse("repairs:day")).status_code == 200
        return len(queries)

    visit_schedule(
        work_order=paid_on_site,
        technician=tina_technician,
        window_start=start,
        window_end=start + datetime.timedelta(hours=1),
        address="One",
        actor=bob_agent,
    )
    first = count()
    for hour in range(1, 5):
        visit_schedule(
            work_order=paid_on_site,
            technician=tina_technician,
            window_start=start + datetime.timedelta(hours=hour),
            window_end=start + datetime.timedelta(hours=hour + 1),
            address=f"Address {hour}",
            actor=bob_agent,
        )
    assert count() == first


def test_the_dispatch_board_groups_open_work_orders_by_stage(
    supervisor_client, work_order, paid_on_site, tina_technician, bob_agent
):
    response = supervisor_client.get(reverse("repairs:dispatch"))
    assert response.status_code == 200
    html = text_of(response)
    columns = re.findall(r'data-testid="board-column" data-stage="(\w+)"', html)
    assert columns == [
        "received",
        "diagnosing",
        "awaiting_approval",
        "awaiting_parts",
        "in_repair",
        "ready",
        "delivered",
    ]
    unassigned = re.findall(r'data-testid="unassigned-card" data-work-order-id="(\d+)"', html)
    assert sorted(unassigned) == sorted([str(work_order.pk), str(paid_on_site.pk)])
    # The on-site one has no visit planned.
    assert re.findall(r'data-testid="needs-visit-card" data-work-order-id="(\d+)"', html) == [
        str(paid_on_site.pk)
    ]
    response = supervisor_client.post(
        action_url(paid_on_site, "assign"),
        {"technician_id": str(tina_technician.pk), "next": "dispatch"},
    )
    assert (response.status_code, response["Location"]) == (302, reverse("repairs:dispatch"))
    filtered = text_of(
        supervisor_client.get(reverse("repairs:dispatch"), {"technician": tina_technician.pk})
    )
    cards = re.findall(r'data-testid="board-card" data-work-order-id="(\d+)"', filtered)
    assert cards == [str(paid_on_site.pk)]
    bad = supervisor_client.get(reverse("repairs:dispatch"), {"technician": "999999"})
    assert bad.status_code == 422


def test_the_dispatch_board_is_for_managers_and_reads_a_fixed_number_of_queries(
    supervisor_client, agent_client, old_ticket, bob_agent
):
    assert agent_client.get(reverse("repairs:dispatch")).status_code == 403

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert supervisor_client.get(reverse("repairs:dispatch")).status_code == 200
        return len(queries)

    work_order_open(ticket=old_ticket, kind=WorkOrder.Kind.ON_SITE, actor=bob_agent)
    first = count()
    for kind in (WorkOrder.Kind.REMOTE, WorkOrder.Kind.INSTALLATION, WorkOrder.Kind.ON_SITE):
        work_order_open(ticket=old_ticket, kind=kind, actor=bob_agent)
    assert count() == first


# --- Repair settings ---


def test_managers_set_the_repair_settings(org, admin_client, agent_client):
    url = reverse("repairs:settings")
    assert agent_client.get(url).status_code == 403
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'data-testid="settings-nav-repairs"' in text_of(page)
    data = {
        "currency": "try",
        "tax_rate": "20",
        "labour_rate": "850.50",
        "travel_fee": "150",
        "quote_valid_days": "7",
    }
    assert admin_client.post(url, data).status_code == 302
    rules = RepairSettings.objects.get(organization=org)
    assert (rules.currency, rules.tax_rate, rules.labour_rate, rules.quote_valid_days) == (
        "TRY",
        Decimal("20.00"),
        Decimal("850.50"),
        7,
    )
    refused = admin_client.post(url, {**data, "currency": "T1"})
    assert refused.status_code == 422
    assert 'data-testid="error-currency"' in text_of(refused)
    assert RepairSettings.objects.get(organization=org).currency == "TRY"


# --- The timeline, for staff and for the customer ---


def test_the_request_timeline_tells_the_work_to_staff_and_to_the_customer(
    agent_client, customer, paid_on_site, pump, bob_agent, org
):
    part_add(work_order=paid_on_site, part=pump, actor=bob_agent)
    quote_send(work_order=paid_on_site, actor=bob_agent)
    staff = text_of(agent_client.get(reverse("tickets:detail", args=[paid_on_site.ticket.number])))
    assert "Bob Agent opened the work order WO-000001 (On site)." in staff
    assert "Bob Agent moved WO-000001 from Received to Diagnosing." in staff
    assert "Bob Agent reserved 1 × PMP-1 Drain pump at Main warehouse for WO-000001." in staff
    assert "Bob Agent sent the customer a quote for WO-000001: 490,500 IRR." in staff
    user = user_create(email="maryam@example.com")
    customer_link_user(customer=customer, user=user)
    client = Client()
    client.force_login(user)
    client.cookies["aftercare_language"] = "en"
    portal = client.get(
        reverse(
            "portal:request_detail",
            kwargs={"org_slug": org.slug, "number": paid_on_site.ticket.number},
        )
    )
    assert portal.status_code == 200
    html = text_of(portal)
    assert "We opened the work order WO-000001 for your request (On site)." in html
    assert "Your repair WO-000001: Diagnosing." in html
    assert "A quote for your repair WO-000001 waits for your approval: 490,500 IRR" in html
    # Internal work stays inside the team.
    assert "PMP-1" not in html
    assert "Bob Agent" not in html
