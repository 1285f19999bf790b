"""Quotes: what they add up to, who is quoted, and the customer's approval or refusal."""

import datetime
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import translation

from aftercare.customers.services import customer_create
from aftercare.inventory.models import Reservation
from aftercare.inventory.services import stock_free
from aftercare.lib.errors import ApplicationError
from aftercare.notifications.models import Notice
from aftercare.notifications.render import notice_render
from aftercare.repairs.models import PartLine, Quote, WorkOrder
from aftercare.repairs.selectors import quote_get_for_customer
from aftercare.repairs.services import (
    labour_add,
    part_add,
    part_release,
    quote_approve,
    quote_decline,
    quote_send,
    quote_withdraw,
)
from aftercare.repairs.tests.helpers import at_stage, stock_level, work_events

Stage = WorkOrder.Stage


# --- Quotes ---


def test_a_quote_adds_parts_labour_and_travel_and_taxes_them(
    org, paid, old_ticket, warehouse, pump, board, tina_technician, bob_agent, today, customer
):
    at_stage(paid, Stage.DIAGNOSING)
    part_add(work_order=paid, part=pump, actor=tina_technician)
    part_add(work_order=paid, part=board, actor=tina_technician)
    released = part_add(work_order=paid, part=pump, actor=tina_technician)
    part_release(part_line=released, actor=tina_technician)
    labour_add(work_order=paid, minutes=50, description="Diagnosis", actor=tina_technician)
    quote = quote_send(
        work_order=paid,
        actor=bob_agent,
        note="Parts come in two days.",
        include_travel=True,
        labour_minutes=25,
    )
    lines = [
        (line.kind, line.description, line.quantity, line.unit_price, line.amount)
        for line in quote.lines.all()
    ]
    # The customer reads Persian: the pump's Persian name, labour and travel in Persian.
    with translation.override("fa"):
        labour_to_do, travel = (
            translation.gettext("Labour to do"),
            translation.gettext("On-site travel"),
        )
    assert lines == [
        ("part", "PMP-1 پمپ تخلیه", Decimal("1.00"), Decimal("450000.00"), Decimal("450000.00")),
        (
            "part",
            "PCB-9 Control board",
            Decimal("1.00"),
            Decimal("1200000.50"),
            Decimal("1200000.50"),
        ),
        ("labour", "Diagnosis", Decimal("0.83"), Decimal("600000.00"), Decimal("498000.00")),
        ("labour", labour_to_do, Decimal("0.42"), Decimal("600000.00"), Decimal("252000.00")),
        ("travel", travel, Decimal("1.00"), Decimal("300000.00"), Decimal("300000.00")),
    ]
    # 2,700,000.50 at 9% is 243,000.045: rounded half up to .05 (not to the even .04).
    assert (quote.currency, quote.tax_rate) == ("IRR", Decimal("9.00"))
    assert (quote.subtotal, quote.tax, quote.total) == (
        Decimal("2700000.50"),
        Decimal("243000.05"),
        Decimal("2943000.55"),
    )
    assert quote.valid_until == today + datetime.timedelta(days=10)
    assert (quote.status, quote.note) == ("sent", "Parts come in two days.")
    paid.refresh_from_db()
    assert paid.stage == Stage.AWAITING_APPROVAL
    assert work_events(old_ticket)[-2:] == [("stage", True), ("quote_sent", True)]
    notice = Notice.objects.get(event=Notice.Event.QUOTE)
    assert (notice.recipient, notice.customer, notice.language) == (
        "maryam@example.com",
        customer,
        "fa",
    )
    assert notice.key == f"quote:{quote.pk}:sent"
    assert notice.context["url"].endswith(f"/portal/demo/requests/{old_ticket.number}/")
    # Rials are written without decimals: the stored 2,943,000.55 shows as 2,943,001.
    assert "۲٬۹۴۳٬۰۰۱ ریال" in notice.context["body"]
    rendered = notice_render(notice)
    assert rendered.subject.startswith(f"[{old_ticket.reference}] ")
    assert "> PMP-1 پمپ تخلیه: ۴۵۰٬۰۰۰ ریال" in rendered.text
    assert notice.context["url"] in rendered.text
    assert 'dir="rtl"' in rendered.html


def test_only_work_the_customer_pays_for_is_quoted(covered, bob_agent):
    at_stage(covered, Stage.DIAGNOSING)
    labour_add(work_order=covered, minutes=30, description="Look", actor=bob_agent)
    with pytest.raises(ApplicationError) as refused:
        quote_send(work_order=covered, actor=bob_agent)
    assert refused.value.field == "billing"
    assert not Quote.objects.exists()


def test_nothing_to_quote_is_refused(paid, bob_agent):
    at_stage(paid, Stage.DIAGNOSING)
    with pytest.raises(ApplicationError) as refused:
        quote_send(work_order=paid, actor=bob_agent)
    assert refused.value.field == "labour_minutes"
    with pytest.raises(ApplicationError) as refused:
        quote_send(work_order=at_stage(paid, Stage.RECEIVED), actor=bob_agent, labour_minutes=30)
    assert refused.value.field == "stage"
    assert not Quote.objects.exists()
    assert WorkOrder.objects.get(pk=paid.pk).stage == Stage.RECEIVED


def test_a_new_quote_withdraws_the_one_waiting(paid, bob_agent):
    at_stage(paid, Stage.DIAGNOSING)
    first = quote_send(work_order=paid, actor=bob_agent, labour_minutes=60)
    second = quote_send(work_order=paid, actor=bob_agent, labour_minutes=90)
    assert Quote.objects.get(pk=first.pk).status == Quote.Status.WITHDRAWN
    assert Quote.objects.get(pk=second.pk).status == Quote.Status.SENT
    assert [action for action, _public in work_events(paid.ticket)][-3:] == [
        "quote_sent",
        "quote_withdrawn",
        "quote_sent",
    ]
    withdrawn = quote_withdraw(work_order=paid, actor=bob_agent)
    assert withdrawn.pk == second.pk
    assert WorkOrder.objects.get(pk=paid.pk).stage == Stage.DIAGNOSING


def test_the_customer_approves_the_quote_and_the_repair_goes_on(paid, customer, pump, bob_agent):
    at_stage(paid, Stage.DIAGNOSING)
    part_add(work_order=paid, part=pump, actor=bob_agent)
    quote = quote_send(work_order=paid, actor=bob_agent)
    approved = quote_approve(quote=quote, customer=customer)
    assert approved.status == Quote.Status.APPROVED
    assert approved.decided_at is not None
    paid.refresh_from_db()
    assert paid.stage == Stage.IN_REPAIR
    assert work_events(paid.ticket)[-2:] == [("quote_approved", True), ("stage", True)]


def test_an_approved_quote_with_a_part_short_waits_for_parts(paid, customer, pump, bob_agent):
    at_stage(paid, Stage.DIAGNOSING)
    part_add(work_order=paid, part=pump, quantity=5, actor=bob_agent)
    quote = quote_send(work_order=paid, actor=bob_agent)
    quote_approve(quote=quote, customer=customer)
    assert WorkOrder.objects.get(pk=paid.pk).stage == Stage.AWAITING_PARTS


def test_declining_the_quote_stops_the_work_order_and_frees_its_parts(
    paid, customer, warehouse, pump, board, bob_agent
):
    at_stage(paid, Stage.DIAGNOSING)
    part_add(work_order=paid, part=pump, quantity=2, actor=bob_agent)
    part_add(work_order=paid, part=board, actor=bob_agent)
    assert (
        stock_free(location=warehouse, part=pump),
        stock_free(location=warehouse, part=board),
    ) == (
        0,
        0,
    )
    quote = quote_send(work_order=paid, actor=bob_agent)
    declined = quote_decline(quote=quote, customer=customer, reason="Too expensive")
    assert (declined.status, declined.decline_reason) == ("declined", "Too expensive")
    paid.refresh_from_db()
    assert (paid.stage, paid.is_open) == (Stage.CANCELLED, False)
    assert stock_level(warehouse, pump) == (2, 0)
    assert stock_level(warehouse, board) == (1, 0)
    assert set(PartLine.objects.values_list("status", flat=True)) == {"released"}
    assert set(Reservation.objects.values_list("status", flat=True)) == {"released"}
    assert work_events(paid.ticket)[-5:] == [
        ("quote_sent", True),
        ("quote_declined", True),
        ("stage", True),
        ("part_released", False),
        ("part_released", False),
    ]


def test_a_quote_is_decided_once_by_its_customer_before_it_expires(
    org, paid, customer, bob_agent, today
):
    at_stage(paid, Stage.DIAGNOSING)
    quote = quote_send(work_order=paid, actor=bob_agent, labour_minutes=30)
    stranger = customer_create(organization=org, name="Someone else", emails=["x@example.com"])
    with pytest.raises(ApplicationError) as refused:
        quote_approve(quote=quote, customer=stranger)
    assert refused.value.field == "quote"
    Quote.objects.filter(pk=quote.pk).update(valid_until=today - datetime.timedelta(1))
    with pytest.raises(ApplicationError) as refused:
        quote_decline(quote=quote, customer=customer)
    assert refused.value.field == "quote"
    assert Quote.objects.get(pk=quote.pk).status == "sent"
    Quote.objects.filter(pk=quote.pk).update(valid_until=today)
    quote_approve(quote=quote, customer=customer)
    for decide in (quote_approve, quote_decline):
        with pytest.raises(ApplicationError) as refused:
            decide(quote=quote, customer=customer)
        assert refused.value.field == "quote"
    assert Quote.objects.get(pk=quote.pk).status == "approved"
    assert WorkOrder.objects.get(pk=paid.pk).stage == Stage.IN_REPAIR


def test_a_customer_reads_only_their_own_quote(org, paid, customer, bob_agent):
    at_stage(paid, Stage.DIAGNOSING)
    quote = quote_send(work_order=paid, actor=bob_agent, labour_minutes=30)
    assert quote_get_for_customer(customer=customer, quote_id=quote.pk) == quote
    stranger = customer_create(organization=org, name="Someone else", emails=["x@example.com"])
    with pytest.raises(Http404):
        quote_get_for_customer(customer=stranger, quote_id=quote.pk)
