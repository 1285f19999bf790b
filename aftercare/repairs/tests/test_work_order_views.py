"""The console pages of a work order: who may open them, opening one from a request, and the
work order page and the changes made from it."""

import datetime
import re
from decimal import Decimal

import jdatetime
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftercare.inventory.models import StockLevel
from aftercare.lib.testing import text_of
from aftercare.repairs.models import PartLine, Quote, Visit, WorkOrder
from aftercare.repairs.services import (
    part_add,
    quote_send,
    visit_schedule,
    work_order_assign,
    work_order_open,
)
from aftercare.repairs.tests.helpers import action_url, nine_on
from aftercare.tickets.models import TicketEvent
from aftercare.tickets.tests.factories import make_ticket

Stage = WorkOrder.Stage


@pytest.fixture
def foreign(other_org, charlie_other_org) -> WorkOrder:
    return work_order_open(
        ticket=make_ticket(organization=other_org),
        kind=WorkOrder.Kind.REMOTE,
        actor=charlie_other_org,
    )


# --- Who may open the pages ---


def test_pages_need_sign_in(work_order):
    for url in (
        reverse("repairs:detail", args=[work_order.pk]),
        reverse("repairs:create") + f"?ticket={work_order.ticket_id}",
        reverse("repairs:day"),
        reverse("repairs:dispatch"),
        reverse("repairs:settings"),
    ):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_another_organizations_work_orders_answer_404(
    org, work_order, outsider_client, tina_technician, today, bob_agent, pump
):
    line = part_add(work_order=work_order, part=pump, actor=bob_agent)
    start = nine_on(today)
    visit = visit_schedule(
        work_order=work_order,
        technician=tina_technician,
        window_start=start,
        window_end=start + datetime.timedelta(hours=2),
        address="Tehran",
        actor=bob_agent,
    )
    before = (
        TicketEvent.objects.count(),
        list(WorkOrder.objects.values_list("stage", "technician_id", "diagnosis")),
    )
    assert outsider_client.get(reverse("repairs:detail", args=[work_order.pk])).status_code == 404
    create = reverse("repairs:create") + f"?ticket={work_order.ticket_id}"
    assert outsider_client.get(create).status_code == 404
    assert outsider_client.post(create, {"kind": "remote"}).status_code == 404
    for action, data in (
        ("stage", {"stage": "diagnosing"}),
        ("diagnose", {"diagnosis": "x"}),
        ("work-done", {"work_done": "x"}),
        ("assign", {"technician_id": ""}),
        ("labour", {"minutes": "5", "description": "x"}),
        ("parts", {"part_id": str(line.part_id), "quantity": "1"}),
        ("quote", {}),
        ("quote-withdraw", {}),
        ("visits", {}),
        ("billing", {"billing": "goodwill"}),
        ("claim-approve", {}),
        ("claim-reject", {"reason": "no"}),
    ):
        assert outsider_client.post(action_url(work_order, action), data).status_code == 404, action
    for action in ("use", "release", "reserve"):
        url = reverse("repairs:part_line", args=[work_order.pk, line.pk, action])
        assert outsider_client.post(url).status_code == 404
    url = reverse("repairs:visit_status", args=[work_order.pk, visit.pk])
    assert outsider_client.post(url, {"status": "done"}).status_code == 404
    after = (
        TicketEvent.objects.count(),
        list(WorkOrder.objects.values_list("stage", "technician_id", "diagnosis")),
    )
    assert after == before
    assert PartLine.objects.get(pk=line.pk).status == "reserved"
    assert Visit.objects.get(pk=visit.pk).status == "scheduled"


def test_a_line_of_another_work_order_answers_404(
    admin_client, work_order, paid_on_site, warehouse, pump, bob_agent
):
    line = part_add(work_order=paid_on_site, part=pump, actor=bob_agent)
    url = reverse("repairs:part_line", args=[work_order.pk, line.pk, "release"])
    assert admin_client.post(url).status_code == 404
    assert PartLine.objects.get(pk=line.pk).status == "reserved"


def test_the_outsiders_board_and_day_show_none_of_ours(
    org, work_order, outsider_client, foreign, charlie_other_org
):
    board = text_of(outsider_client.get(reverse("repairs:dispatch")))
    assert f'data-work-order-id="{work_order.pk}"' not in board
    assert f'data-work-order-id="{foreign.pk}"' in board
    day = outsider_client.get(reverse("repairs:day"))
    assert day.status_code == 200
    assert 'data-testid="day-work-order"' not in text_of(day)


def test_a_viewer_reads_the_work_order_without_forms(viewer_client, work_order):
    response = viewer_client.get(reverse("repairs:detail", args=[work_order.pk]))
    assert response.status_code == 200
    html = text_of(response)
    assert "WO-000001" in html
    assert 'data-testid="stage-form"' not in html
    assert 'data-testid="add-part-form"' not in html
    response = viewer_client.post(action_url(work_order, "stage"), {"stage": "diagnosing"})
    assert response.status_code == 403
    assert WorkOrder.objects.get(pk=work_order.pk).stage == Stage.RECEIVED


def test_only_managers_decide_claims_and_billing(agent_client, supervisor_client, work_order):
    for action, data in (
        ("claim-approve", {}),
        ("claim-reject", {"reason": "no"}),
        ("billing", {"billing": "goodwill"}),
    ):
        response = agent_client.post(action_url(work_order, action), data)
        assert response.status_code == 403
        assert "Only admins and supervisors decide billing" in text_of(response)
    assert work_order.claim.status == "pending"
    page = text_of(agent_client.get(reverse("repairs:detail", args=[work_order.pk])))
    assert 'data-testid="approve-claim"' not in page
    page = text_of(supervisor_client.get(reverse("repairs:detail", args=[work_order.pk])))
    assert 'data-testid="approve-claim"' in page
    response = supervisor_client.post(action_url(work_order, "claim-approve"))
    assert response.status_code == 302
    work_order.claim.refresh_from_db()
    assert work_order.claim.status == "approved"


# --- The request page and opening a work order ---


def test_the_request_page_lists_its_work_orders_with_one_query(
    agent_client, ticket, bob_agent, tina_technician
):
    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = agent_client.get(reverse("tickets:detail", args=[ticket.number]))
        assert response.status_code == 200
        return len(queries), text_of(response)

    empty_count, html = count()
    assert 'data-testid="work-orders-panel"' in html
    assert f'href="/repairs/new/?ticket={ticket.pk}"' in html
    for kind in (WorkOrder.Kind.SERVICE_CENTRE, WorkOrder.Kind.ON_SITE, WorkOrder.Kind.REMOTE):
        made = work_order_open(ticket=ticket, kind=kind, actor=bob_agent)
        work_order_assign(work_order=made, technician=tina_technician, actor=bob_agent)
    full_count, html = count()
    assert re.findall(r'data-testid="work-order-row" data-work-order-id="(\d+)"', html) == [
        str(pk) for pk in WorkOrder.objects.order_by("pk").values_list("pk", flat=True)
    ]
    assert html.count("Tina Tech") >= 3
    assert full_count == empty_count


def test_an_agent_opens_a_work_order_from_the_request(
    agent_client, ticket, unit, pump_fault, warehouse, tina_technician
):
    url = reverse("repairs:create") + f"?ticket={ticket.pk}"
    form = agent_client.get(url)
    assert form.status_code == 200
    html = text_of(form)
    assert f'<option value="{unit.pk}" selected>' in html
    assert "P01 Drain pump failure" in html
    response = agent_client.post(
        url,
        {
            "kind": "service_centre",
            "unit_id": str(unit.pk),
            "technician_id": str(tina_technician.pk),
            "stock_location_id": str(warehouse.pk),
            "reported_fault_id": str(pump_fault.pk),
        },
    )
    work_order = WorkOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("repairs:detail", args=[work_order.pk])
    assert (work_order.billing, work_order.technician, work_order.stock_location) == (
        "warranty",
        tina_technician,
        warehouse,
    )
    page = text_of(agent_client.get(response["Location"]))
    assert 'data-testid="coverage"' in page
    assert "In warranty until" in page


def test_opening_a_work_order_with_bad_input_says_so(agent_client, ticket, bob_agent):
    url = reverse("repairs:create") + f"?ticket={ticket.pk}"
    response = agent_client.post(url, {"kind": "service_centre", "technician_id": bob_agent.pk})
    assert response.status_code == 422
    assert 'data-testid="error-technician_id"' in text_of(response)
    assert agent_client.get(reverse("repairs:create")).status_code == 404
    assert agent_client.get(reverse("repairs:create") + "?ticket=abc").status_code == 404
    assert not WorkOrder.objects.exists()


# --- The work order page ---


def test_the_work_order_page_in_english(agent_client, work_order, pump, bob_agent):
    part_add(work_order=work_order, part=pump, actor=bob_agent)
    response = agent_client.get(reverse("repairs:detail", args=[work_order.pk]))
    assert response.status_code == 200
    html = text_of(response)
    assert '<html lang="en" dir="ltr">' in html
    assert 'data-testid="stage-badge" data-value="received">Received<' in html
    assert 'data-testid="billing-badge" data-value="warranty">Warranty<' in html
    assert 'data-testid="stage-diagnosing"' in html
    assert 'data-testid="stage-ready"' not in html
    assert "PMP-1" in html and "Drain pump" in html
    assert 'data-testid="claim-status">Pending<' in html


def test_the_work_order_page_in_persian(agent_client, paid_on_site, pump, bob_agent, rates):
    part_add(work_order=paid_on_site, part=pump, actor=bob_agent)
    quote = quote_send(work_order=paid_on_site, actor=bob_agent)
    agent_client.cookies["aftercare_language"] = "fa"
    response = agent_client.get(reverse("repairs:detail", args=[paid_on_site.pk]))
    assert response.status_code == 200
    html = text_of(response)
    assert '<html lang="fa" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    # The part's Persian name, Persian digits in amounts and the quote's date in Jalali.
    assert "پمپ تخلیه" in html
    assert "۴۹۰٬۵۰۰ ریال" in html  # 450,000 + 9% tax
    jalali = jdatetime.date.fromgregorian(date=quote.valid_until).strftime("%Y/%m/%d")
    assert jalali.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in html


def test_moving_the_stage_from_the_page(technician_client, work_order):
    response = technician_client.post(
        action_url(work_order, "stage"), {"stage": "diagnosing", "note": "On the bench"}
    )
    assert response.status_code == 302
    assert WorkOrder.objects.get(pk=work_order.pk).stage == Stage.DIAGNOSING
    refused = technician_client.post(action_url(work_order, "stage"), {"stage": "closed"})
    assert refused.status_code == 422
    assert 'data-testid="error-stage"' in text_of(refused)
    assert WorkOrder.objects.get(pk=work_order.pk).stage == Stage.DIAGNOSING
    assert technician_client.post(action_url(work_order, "teleport")).status_code == 404


def test_diagnosis_and_labour_from_the_page(technician_client, work_order, pump_fault):
    response = technician_client.post(
        action_url(work_order, "diagnose"),
        {"diagnosis": "Pump jammed.", "root_cause_id": str(pump_fault.pk)},
    )
    assert response.status_code == 302
    response = technician_client.post(
        action_url(work_order, "labour"), {"minutes": "40", "description": "Replaced the pump"}
    )
    assert response.status_code == 302
    refused = technician_client.post(action_url(work_order, "labour"), {"minutes": "0"})
    assert refused.status_code == 422
    work_order.refresh_from_db()
    assert (work_order.diagnosis, work_order.root_cause, work_order.stage) == (
        "Pump jammed.",
        pump_fault,
        Stage.DIAGNOSING,
    )
    assert list(work_order.labour.values_list("minutes", flat=True)) == [40]


def test_parts_are_added_fitted_and_let_go_from_the_page(
    technician_client, work_order, warehouse, pump, board
):
    WorkOrder.objects.filter(pk=work_order.pk).update(stage=Stage.IN_REPAIR)
    for part in (pump, board):
        response = technician_client.post(
            action_url(work_order, "parts"), {"part_id": str(part.pk), "quantity": "1"}
        )
        assert response.status_code == 302
    pump_line, board_line = PartLine.objects.order_by("pk")
    use = reverse("repairs:part_line", args=[work_order.pk, pump_line.pk, "use"])
    assert technician_client.post(use).status_code == 302
    refused = technician_client.post(
        reverse("repairs:part_line", args=[work_order.pk, board_line.pk, "use"])
    )
    assert refused.status_code == 422
    assert 'data-testid="part-error">Enter the serial number of the part fitted.<' in text_of(
        refused
    )
    release = reverse("repairs:part_line", args=[work_order.pk, board_line.pk, "release"])
    assert technician_client.post(release).status_code == 302
    levels = {
        level.part_id: (level.on_hand, level.reserved)
        for level in StockLevel.objects.filter(location=warehouse)
    }
    assert levels == {pump.pk: (1, 0), board.pk: (1, 0)}
    assert list(PartLine.objects.order_by("pk").values_list("status", flat=True)) == [
        "used",
        "released",
    ]


def test_a_quote_is_sent_from_the_page(agent_client, paid_on_site, pump, bob_agent):
    page = text_of(agent_client.get(reverse("repairs:detail", args=[paid_on_site.pk])))
    assert 'data-testid="quote-form"' in page
    refused = agent_client.post(action_url(paid_on_site, "quote-withdraw"))
    assert refused.status_code == 422
    assert 'data-testid="form-error">No quote waits for the customer.<' in text_of(refused)
    response = agent_client.post(
        action_url(paid_on_site, "quote"),
        {"labour_minutes": "60", "include_travel": "on", "note": "Hi"},
    )
    assert response.status_code == 302
    quote = Quote.objects.get()
    assert (quote.subtotal, quote.total) == (Decimal("900000.00"), Decimal("981000.00"))
    assert WorkOrder.objects.get(pk=paid_on_site.pk).stage == Stage.AWAITING_APPROVAL
    page = text_of(agent_client.get(reverse("repairs:detail", args=[paid_on_site.pk])))
    assert 'data-testid="quote-total">981,000 IRR<' in page


def test_a_visit_is_scheduled_in_the_jalali_calendar(
    agent_client, paid_on_site, tina_technician, bob_agent
):
    agent_client.cookies["aftercare_language"] = "fa"
    response = agent_client.post(
        action_url(paid_on_site, "visits"),
        {
            "technician_id": str(tina_technician.pk),
            "day": "1405/02/13",
            "start": "09:00",
            "end": "12:00",
            "address": "تهران، خیابان ولیعصر ۱۲",
        },
    )
    assert response.status_code == 302, text_of(response)[:2000]
    visit = Visit.objects.get()
    # 1405/02/13 is 3 May 2026; the organization works in UTC.
    assert visit.window_start == datetime.datetime(2026, 5, 3, 9, tzinfo=datetime.UTC)
    assert visit.window_end == datetime.datetime(2026, 5, 3, 12, tzinfo=datetime.UTC)
    refused = agent_client.post(
        action_url(paid_on_site, "visits"),
        {
            "technician_id": str(tina_technician.pk),
            "day": "1405/02/13",
            "start": "12:00",
            "end": "09:00",
            "address": "x",
        },
    )
    assert refused.status_code == 422
    assert 'data-testid="error-end"' in text_of(refused)
    assert Visit.objects.count() == 1


def test_the_work_order_page_reads_a_fixed_number_of_queries(
    agent_client, paid_on_site, pump, board, bob_agent, tina_technician, today
):
    url = reverse("repairs:detail", args=[paid_on_site.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert agent_client.get(url).status_code == 200
        return len(queries)

    part_add(work_order=paid_on_site, part=pump, actor=bob_agent)
    quote_send(work_order=paid_on_site, actor=bob_agent)
    first = count()
    part_add(work_order=paid_on_site, part=board, actor=bob_agent)
    part_add(work_order=paid_on_site, part=pump, actor=bob_agent)
    start = nine_on(today)
    for hour in range(3):
        visit_schedule(
            work_order=paid_on_site,
            technician=tina_technician,
            window_start=start + datetime.timedelta(hours=hour),
            window_end=start + datetime.timedelta(hours=hour + 1),
            address="Tehran",
            actor=bob_agent,
        )
    quote_send(work_order=paid_on_site, actor=bob_agent)
    quote_send(work_order=paid_on_site, actor=bob_agent)
    assert count() == first
