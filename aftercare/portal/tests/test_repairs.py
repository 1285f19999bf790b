import datetime
import re

import jdatetime
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftercare.customers.services import customer_create
from aftercare.inventory.models import Reservation, StockLevel
from aftercare.lib.text import persian_digits
from aftercare.portal.tests.conftest import sign_in
from aftercare.repairs.models import PartLine, Quote, WorkOrder
from aftercare.repairs.services import (
    visit_schedule,
    work_order_claim_reject,
    work_order_open,
    work_order_stage_set,
)
from aftercare.repairs.tests.document_factories import Shop
from aftercare.tickets.tests.factories import make_ticket

Stage = WorkOrder.Stage
TODAY = timezone.localdate()
IN_WARRANTY = TODAY - datetime.timedelta(days=30)
WARRANTY_UNTIL = IN_WARRANTY.replace(year=IN_WARRANTY.year + 2) - datetime.timedelta(days=1)
OUT_OF_WARRANTY = datetime.date(2022, 5, 4)


def jalali(day: datetime.date) -> str:
    return persian_digits(jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d"))


def request_page(client: Client, work_order: WorkOrder) -> str:
    response = client.get(f"/portal/demo/requests/{work_order.ticket.number}/")
    assert response.status_code == 200
    return response.content.decode()


def steps(html: str) -> list[tuple[str, str]]:
    """The progress line: (stage, state) of each step."""
    return re.findall(r'data-testid="repair-step" data-stage="(\w+)" data-state="(\w+)"', html)


@pytest.fixture
def shop(org, alice_admin):
    return Shop(org, alice_admin)


@pytest.fixture
def warranty_order(shop, customer, tina_technician):
    unit = shop.unit(customer, serial="AR-2024-0001", purchase_date=IN_WARRANTY)
    return shop.open(customer, unit, technician=tina_technician, language="en")


@pytest.fixture
def quoted_order(shop, customer, tina_technician):
    """Out of warranty, diagnosed, the pump reserved and a quote waiting for the customer."""
    unit = shop.unit(customer, serial="AR-2022-0042", purchase_date=OUT_OF_WARRANTY)
    work_order = shop.open(customer, unit, technician=tina_technician, language="en")
    shop.quote(work_order)
    work_order.refresh_from_db()
    return work_order


def quote_of(work_order: WorkOrder) -> Quote:
    return Quote.objects.get(work_order=work_order)


def pump_level(shop) -> StockLevel:
    return StockLevel.objects.get(location=shop.warehouse, part=shop.pump)


# Following the repair


def test_customer_sees_each_stage(shop, warranty_order, customer, customer_client, alice_admin):
    work_order = warranty_order
    html = request_page(customer_client, work_order)
    assert f'data-reference="{work_order.reference}" data-stage="received"' in html
    assert steps(html) == [
        ("received", "current"),
        ("diagnosing", "todo"),
        ("in_repair", "todo"),
        ("ready", "todo"),
        ("delivered", "todo"),
        ("closed", "todo"),
    ]
    assert 'data-testid="work-order-billing">Warranty<' in html
    assert f"In warranty until {WARRANTY_UNTIL:%Y-%m-%d}</dd>" in html
    assert 'data-testid="work-order-claim" data-status="pending"' in html
    assert 'data-testid="document-job-card"' in html
    assert 'data-testid="document-receipt"' not in html
    assert 'data-testid="open-quote"' not in html

    line = shop.diagnose(work_order)
    html = request_page(customer_client, work_order)
    assert steps(html)[:3] == [
        ("received", "done"),
        ("diagnosing", "current"),
        ("in_repair", "todo"),
    ]
    assert "A coin blocks the drain pump." in html

    shop.finish(work_order, line)  # in repair, then ready
    html = request_page(customer_client, work_order)
    assert steps(html) == [
        ("received", "done"),
        ("diagnosing", "done"),
        ("in_repair", "done"),
        ("ready", "current"),
        ("delivered", "todo"),
        ("closed", "todo"),
    ]
    receipt = f"/portal/demo/requests/{work_order.ticket.number}/documents/receipt.pdf"
    assert f'href="{receipt}?work_order={work_order.pk}"' in html
    # Every stage reached shows when.
    assert len(re.findall(r'<time class="d-block fw-normal', html)) == 4

    for stage in (Stage.DELIVERED, Stage.CLOSED):
        work_order_stage_set(work_order=work_order, stage=stage, actor=alice_admin)
        html = request_page(customer_client, work_order)
        assert (stage, "current") in steps(html)
    assert [state for _stage, state in steps(html)] == ["done"] * 5 + ["current"]
    # The timeline tells each stage too, in the customer's words.
    assert f"Your repair {work_order.reference}: Ready." in html


def test_request_page_in_persian(quoted_order, customer_client):
    customer_client.cookies["aftercare_language"] = "fa"
    html = request_page(customer_client, quoted_order)
    assert 'dir="rtl"' in html
    assert f"{jalali(datetime.date(2024, 5, 3))}" in html  # the warranty that ran out
    assert 'data-testid="quote-total">۴٬۶۸۷٬۰۰۰ ریال<' in html
    assert 'data-testid="quote-tax">۳۸۷٬۰۰۰ ریال<' in html
    assert '<td dir="auto">پمپ تخلیه</td>' in html
    assert jalali(quote_of(quoted_order).valid_until) in html


def test_claim_rejection_and_its_reason(warranty_order, customer_client, alice_admin):
    work_order_claim_reject(
        work_order=warranty_order, reason="The drum was damaged in transport.", actor=alice_admin
    )
    html = request_page(customer_client, warranty_order)
    assert 'data-testid="work-order-claim" data-status="rejected"' in html
    assert 'data-testid="claim-reason">The drum was damaged in transport.<' in html
    assert 'data-testid="work-order-billing">Paid by the customer<' in html


def test_visits_show_the_window_and_the_technicians_first_name(
    warranty_order, customer_client, alice_admin, tina_technician
):
    start = timezone.make_aware(datetime.datetime(2026, 12, 20, 9, 0))
    visit_schedule(
        work_order=warranty_order,
        technician=tina_technician,
        window_start=start,
        window_end=start + datetime.timedelta(hours=3),
        address="12 Valiasr St.",
        actor=alice_admin,
    )
    html = request_page(customer_client, warranty_order)
    assert 'data-testid="visit" data-status="scheduled"' in html
    assert '<time datetime="2026-12-20T09:00:00+00:00">2026-12-20 09:00</time>' in html
    assert '<time datetime="2026-12-20T12:00:00+00:00">2026-12-20 12:00</time>' in html
    assert 'data-testid="visit-technician">Tina<' in html


def test_request_page_queries_do_not_grow_with_work_orders(
    shop, warranty_order, customer, customer_client, alice_admin
):
    request_page(customer_client, warranty_order)
    with CaptureQueriesContext(connection) as one:
        request_page(customer_client, warranty_order)
    for _ in range(3):
        work_order = work_order_open(
            ticket=warranty_order.ticket,
            kind=WorkOrder.Kind.ON_SITE,
            actor=alice_admin,
            unit=warranty_order.unit,
            stock_location=shop.warehouse,
        )
        shop.diagnose(work_order)
    with CaptureQueriesContext(connection) as four:
        html = request_page(customer_client, warranty_order)
    assert html.count('data-testid="work-order"') == 4
    # The request page's own queries, then the work orders, their parts, labour, quotes, quote
    # lines, visits and stage moves, however many work orders there are.
    assert len(four) == len(one) == 14


# Deciding a quote


def test_customer_approves_a_quote(shop, quoted_order, customer_client):
    quote = quote_of(quoted_order)
    html = request_page(customer_client, quoted_order)
    assert f'data-testid="open-quote" data-quote="{quote.pk}"' in html
    assert 'data-testid="quote-subtotal">4,300,000 IRR<' in html
    assert 'data-testid="quote-tax">387,000 IRR<' in html
    assert 'data-testid="quote-total">4,687,000 IRR<' in html
    assert html.count('data-testid="quote-line"') == 2
    assert ("awaiting_approval", "current") in steps(html)
    approve = f"/portal/demo/requests/{quoted_order.ticket.number}/quotes/{quote.pk}/approve/"
    assert f'action="{approve}"' in html
    assert 'data-testid="quote-decline"' in html

    page = f"/portal/demo/requests/{quoted_order.ticket.number}/quotes/{quote.pk}/"
    detail = customer_client.get(page).content.decode()
    assert 'data-testid="quote-status" data-status="sent">Waiting for your answer<' in detail
    assert 'data-testid="quote-total">4,687,000 IRR<' in detail
    assert f'action="{approve}"' in detail

    response = customer_client.post(approve)
    assert response.status_code == 302
    assert response["Location"] == page
    quote.refresh_from_db()
    quoted_order.refresh_from_db()
    assert quote.status == Quote.Status.APPROVED
    assert quote.decided_at is not None
    assert quoted_order.stage == Stage.IN_REPAIR
    assert pump_level(shop).reserved == 1  # the pump stays reserved for the repair

    confirmation = customer_client.get(page).content.decode()
    assert (
        f"Thank you: you approved the quote for {quoted_order.reference}. We will go ahead "
        "with the repair." in confirmation
    )
    assert 'data-testid="quote-status" data-status="approved"' in confirmation
    assert 'data-testid="quote-approve"' not in confirmation
    html = request_page(customer_client, quoted_order)
    assert 'data-testid="open-quote"' not in html
    assert 'data-testid="decided-quote" data-status="approved"' in html
    assert ("in_repair", "current") in steps(html)


def test_customer_declines_a_quote_and_its_parts_are_free(shop, quoted_order, customer_client):
    quote = quote_of(quoted_order)
    assert pump_level(shop).reserved == 1
    assert pump_level(shop).on_hand == 3
    response = customer_client.post(
        f"/portal/demo/requests/{quoted_order.ticket.number}/quotes/{quote.pk}/decline/",
        {"reason": "Too expensive for an old washer."},
    )
    assert response.status_code == 302
    quote.refresh_from_db()
    quoted_order.refresh_from_db()
    assert quote.status == Quote.Status.DECLINED
    assert quote.decline_reason == "Too expensive for an old washer."
    assert quoted_order.stage == Stage.CANCELLED
    assert not quoted_order.is_open
    level = pump_level(shop)
    assert (level.on_hand, level.reserved) == (3, 0)
    assert PartLine.objects.get(work_order=quoted_order).status == PartLine.Status.RELEASED
    assert Reservation.objects.get().status == Reservation.Status.RELEASED

    confirmation = customer_client.get(response["Location"]).content.decode()
    assert f"You declined the quote for {quoted_order.reference}." in confirmation
    assert "Too expensive for an old washer." in confirmation
    html = request_page(customer_client, quoted_order)
    assert steps(html)[-1] == ("cancelled", "current")
    assert ("ready", "todo") not in steps(html)
    assert 'data-testid="work-order-stage">Cancelled<' in html


def test_decline_without_a_reason(quoted_order, customer_client):
    quote = quote_of(quoted_order)
    response = customer_client.post(
        f"/portal/demo/requests/{quoted_order.ticket.number}/quotes/{quote.pk}/decline/"
    )
    assert response.status_code == 302
    quote.refresh_from_db()
    assert (quote.status, quote.decline_reason) == (Quote.Status.DECLINED, "")


def test_a_too_long_reason_names_the_field_and_changes_nothing(quoted_order, customer_client):
    quote = quote_of(quoted_order)
    response = customer_client.post(
        f"/portal/demo/requests/{quoted_order.ticket.number}/quotes/{quote.pk}/decline/",
        {"reason": "x" * 1001},
    )
    assert response.status_code == 422
    assert 'data-testid="error-reason"' in response.content.decode()
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT


@pytest.mark.parametrize("first,second", [("approve", "decline"), ("decline", "approve")])
def test_a_decided_quote_cannot_be_decided_again(
    shop, quoted_order, customer_client, first, second
):
    quote = quote_of(quoted_order)
    base = f"/portal/demo/requests/{quoted_order.ticket.number}/quotes/{quote.pk}"
    assert customer_client.post(f"{base}/{first}/").status_code == 302
    quote.refresh_from_db()
    quoted_order.refresh_from_db()
    decided = (quote.status, quote.decided_at, quoted_order.stage)
    reserved = pump_level(shop).reserved
    for action in (first, second):
        response = customer_client.post(f"{base}/{action}/")
        assert response.status_code == 422
        assert 'data-testid="quote-error"' in response.content.decode()
        assert "This quote is no longer waiting for an answer" in response.content.decode()
    quote.refresh_from_db()
    quoted_order.refresh_from_db()
    assert (quote.status, quote.decided_at, quoted_order.stage) == decided
    assert pump_level(shop).reserved == reserved


def test_an_expired_quote_cannot_be_approved(shop, quoted_order, customer_client):
    quote = quote_of(quoted_order)
    yesterday = TODAY - datetime.timedelta(days=1)
    Quote.objects.filter(pk=quote.pk).update(valid_until=yesterday)  # two weeks went by
    response = customer_client.post(
        f"/portal/demo/requests/{quoted_order.ticket.number}/quotes/{quote.pk}/approve/"
    )
    assert response.status_code == 422
    assert (
        f"This quote expired on {yesterday:%Y-%m-%d}; ask us for a new one."
        in response.content.decode()
    )
    quote.refresh_from_db()
    quoted_order.refresh_from_db()
    assert (quote.status, quoted_order.stage) == (Quote.Status.SENT, Stage.AWAITING_APPROVAL)
    assert pump_level(shop).reserved == 1


def test_deciding_needs_post_and_csrf(quoted_order, customer):
    quote = quote_of(quoted_order)
    base = f"/portal/demo/requests/{quoted_order.ticket.number}/quotes/{quote.pk}"
    client = sign_in(customer, "maryam@example.com")
    assert client.get(f"{base}/approve/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(customer.user)
    assert strict.post(f"{base}/approve/").status_code == 403
    page = strict.get(f"{base}/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert strict.post(f"{base}/approve/", {"csrfmiddlewaretoken": token}).status_code == 302
    quote.refresh_from_db()
    assert quote.status == Quote.Status.APPROVED


def test_only_the_requests_customer_decides(org, quoted_order):
    quote = quote_of(quoted_order)
    someone = customer_create(organization=org, name="Reza", emails=["reza@example.com"])
    client = sign_in(someone)
    base = f"/portal/demo/requests/{quoted_order.ticket.number}/quotes/{quote.pk}"
    assert client.get(f"{base}/").status_code == 404
    assert client.post(f"{base}/approve/").status_code == 404
    assert client.post(f"{base}/decline/").status_code == 404
    # Reza's own request does not open Maryam's quote either.
    own = make_ticket(organization=org, customer=someone)
    assert (
        client.post(f"/portal/demo/requests/{own.number}/quotes/{quote.pk}/approve/").status_code
        == 404
    )
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT


def test_a_quote_is_reached_only_through_its_own_request(
    org, customer, quoted_order, customer_client
):
    quote = quote_of(quoted_order)
    other = make_ticket(organization=org, customer=customer)
    response = customer_client.post(
        f"/portal/demo/requests/{other.number}/quotes/{quote.pk}/approve/"
    )
    assert response.status_code == 404
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT


def test_another_organizations_portal_answers_404(
    other_org, customer, quoted_order, customer_client
):
    quote = quote_of(quoted_order)
    number = quoted_order.ticket.number
    # Maryam's account is a customer of the other organization too: still none of her repairs
    # of this one are found there.
    mirror = customer_create(organization=other_org, name="Maryam", emails=["maryam@example.com"])
    from aftercare.customers.services import customer_link_user

    customer_link_user(customer=mirror, user=customer.user)
    for url in (
        f"/portal/other/requests/{number}/quotes/{quote.pk}/",
        f"/portal/other/requests/{number}/documents/quote.pdf",
        f"/portal/other/units/{quoted_order.unit_id}/certificate.pdf",
    ):
        assert customer_client.get(url).status_code == 404, url
    response = customer_client.post(f"/portal/other/requests/{number}/quotes/{quote.pk}/approve/")
    assert response.status_code == 404
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT


# Documents


def test_customer_downloads_their_documents(shop, quoted_order, customer_client):
    number = quoted_order.ticket.number
    quote = quote_of(quoted_order)
    for path, filename in (
        ("documents/job-card.pdf", f"job-card-{quoted_order.reference}.pdf"),
        ("documents/quote.pdf", f"quote-{quoted_order.reference}-Q1.pdf"),
        (f"documents/quote.pdf?quote={quote.pk}", f"quote-{quoted_order.reference}-Q1.pdf"),
        (
            f"documents/job-card.pdf?work_order={quoted_order.pk}",
            f"job-card-{quoted_order.reference}.pdf",
        ),
    ):
        response = customer_client.get(f"/portal/demo/requests/{number}/{path}")
        assert response.status_code == 200, path
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
        assert response.content.startswith(b"%PDF-")
    # No receipt before the work is done.
    assert (
        customer_client.get(f"/portal/demo/requests/{number}/documents/receipt.pdf").status_code
        == 404
    )
    unit = customer_client.get(f"/portal/demo/units/{quoted_order.unit_id}/certificate.pdf")
    assert unit.status_code == 200
    assert unit["Content-Disposition"] == (
        'attachment; filename="warranty-certificate-AR-2022-0042.pdf"'
    )
    html = request_page(customer_client, quoted_order)
    assert (
        f'href="/portal/demo/units/{quoted_order.unit_id}/certificate.pdf" '
        'data-testid="unit-certificate"'
    ) in html


def test_receipt_download_once_ready(shop, warranty_order, customer_client):
    line = shop.diagnose(warranty_order)
    shop.finish(warranty_order, line)
    response = customer_client.get(
        f"/portal/demo/requests/{warranty_order.ticket.number}/documents/receipt.pdf"
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_downloads_are_the_customers_own(org, shop, quoted_order, tina_technician):
    number = quoted_order.ticket.number
    quote = quote_of(quoted_order)
    someone = customer_create(organization=org, name="Reza", emails=["reza@example.com"])
    own_unit = shop.unit(someone, serial="RZ-1", purchase_date=IN_WARRANTY)
    own = shop.open(someone, own_unit, technician=tina_technician)
    client = sign_in(someone)
    for url in (
        f"/portal/demo/requests/{number}/documents/job-card.pdf",
        f"/portal/demo/requests/{number}/documents/quote.pdf",
        f"/portal/demo/units/{quoted_order.unit_id}/certificate.pdf",
        # Reza's own request, naming Maryam's work order or quote.
        f"/portal/demo/requests/{own.ticket.number}/documents/job-card.pdf?work_order={quoted_order.pk}",
        f"/portal/demo/requests/{own.ticket.number}/documents/quote.pdf?quote={quote.pk}",
        f"/portal/demo/requests/{own.ticket.number}/documents/invoice.pdf",
        f"/portal/demo/requests/{own.ticket.number}/documents/certificate.pdf",
        f"/portal/demo/requests/{own.ticket.number}/documents/quote.pdf",  # no quote
        f"/portal/demo/requests/{own.ticket.number}/documents/job-card.pdf?work_order=x",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.get(f"/portal/demo/requests/{own.ticket.number}/documents/job-card.pdf").status_code
        == 200
    )
    assert Client().get(f"/portal/demo/requests/{number}/documents/job-card.pdf").status_code == 302
