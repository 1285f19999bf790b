import datetime

import jdatetime
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftercare.catalog.models import ProductModel
from aftercare.customers.services import customer_create
from aftercare.lib.text import persian_digits
from aftercare.lib.vocabulary import Kind, Status
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import Attachment, Ticket, TicketEvent, TicketMessage
from aftercare.tickets.services import (
    ticket_message_add,
    ticket_status_change,
)
from aftercare.tickets.tests.factories import make_customer, make_ticket

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 48


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def washer(org):
    return ProductModel.objects.create(
        organization=org, name="WM-900", sku="WM900", brand="Demo", category="Washers"
    )


def form_data(**overrides) -> dict:
    data = {
        "product_model": "",
        "serial_number": "SN-12345",
        "purchase_date": "2024-05-04",
        "seller": "Shop on Valiasr St.",
        "kind": Kind.REPAIR,
        "subject": "Drum does not spin",
        "description": "It hums but the drum stays still.",
    }
    data.update(overrides)
    return data


# Submitting a request


def test_new_request_form_lists_the_organizations_products(org, other_org, washer, customer_client):
    ProductModel.objects.create(organization=other_org, name="Elsewhere", sku="X1")
    response = customer_client.get("/portal/demo/requests/new/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{washer.pk}">Demo WM-900</option>' in html
    assert "Elsewhere" not in html
    for name in ("product_model", "serial_number", "purchase_date", "seller", "kind", "subject",
                 "description", "attachments"):  # fmt: skip
        assert f'name="{name}"' in html
    assert 'data-testid="submit-request"' in html


def test_submit_request_with_png(org, customer, washer, customer_client):
    response = customer_client.post(
        "/portal/demo/requests/new/",
        form_data(product_model=str(washer.pk), attachments=[png(), png("second.png")]),
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/portal/demo/requests/{ticket.number}/"
    assert ticket.channel == "portal"
    assert ticket.customer == customer
    assert ticket.created_by == customer.user
    assert ticket.product_model == washer
    assert ticket.serial_number == "SN-12345"
    assert ticket.purchase_date == datetime.date(2024, 5, 4)
    assert ticket.seller == "Shop on Valiasr St."
    assert ticket.kind == Kind.REPAIR
    assert ticket.subject == "Drum does not spin"
    assert ticket.contact_email == "maryam@example.com"
    assert ticket.language == "en"
    attachments = list(ticket.attachments.order_by("id"))
    assert [(a.filename, a.content_type, a.size) for a in attachments] == [
        ("photo.png", "image/png", len(PNG)),
        ("second.png", "image/png", len(PNG)),
    ]
    with attachments[0].file.open("rb") as handle:
        assert handle.read() == PNG
    page = customer_client.get(response["Location"])
    assert page.status_code == 200
    assert b'data-testid="ticket-reference" dir="ltr">AS-000001<' in page.content
    assert b"We received your request AS-000001." in page.content


def test_submit_request_without_product_is_other(org, customer_client):
    customer_client.post("/portal/demo/requests/new/", form_data(purchase_date=""))
    ticket = Ticket.objects.get()
    assert ticket.product_model is None
    assert ticket.purchase_date is None


def test_missing_description_names_the_field_and_creates_nothing(org, customer_client):
    response = customer_client.post(
        "/portal/demo/requests/new/", form_data(description="  ", attachments=[png()])
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="error-description"' in html
    assert 'name="subject"' in html and 'value="Drum does not spin"' in html
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()
    org.refresh_from_db()
    assert org.ticket_sequence == 0


def test_refused_attachment_names_the_field_and_creates_nothing(org, customer_client):
    fake = SimpleUploadedFile("photo.png", b"MZ not a png", content_type="image/png")
    response = customer_client.post("/portal/demo/requests/new/", form_data(attachments=[fake]))
    assert response.status_code == 422
    assert b'data-testid="error-attachments"' in response.content
    assert b"does not contain what its extension says" in response.content
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()


def test_bad_and_future_purchase_dates_name_the_field(org, customer_client):
    for value in ("yesterday", "2024-13-40", "1403/02/15"):
        response = customer_client.post(
            "/portal/demo/requests/new/", form_data(purchase_date=value)
        )
        assert response.status_code == 422, value
        assert b'data-testid="error-purchase_date"' in response.content
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = customer_client.post(
        "/portal/demo/requests/new/", form_data(purchase_date=tomorrow.isoformat())
    )
    assert response.status_code == 422
    assert b"The purchase date is in the future." in response.content
    assert not Ticket.objects.exists()


def test_product_of_another_org_is_refused(org, other_org, customer_client):
    foreign = ProductModel.objects.create(organization=other_org, name="Elsewhere", sku="X1")
    response = customer_client.post(
        "/portal/demo/requests/new/", form_data(product_model=str(foreign.pk))
    )
    assert response.status_code == 422
    assert b'data-testid="error-product_model"' in response.content
    assert not Ticket.objects.exists()


def test_persian_user_types_a_jalali_date_in_persian_digits(org, customer_client):
    customer_client.cookies["aftercare_language"] = "fa"
    response = customer_client.post(
        "/portal/demo/requests/new/", form_data(purchase_date="۱۴۰۳/۰۲/۱۵")
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.purchase_date == datetime.date(2024, 5, 4)
    assert ticket.language == "fa"


def test_new_request_requires_a_customer(org):
    response = Client().get("/portal/demo/requests/new/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/demo/login/"
    response = Client().post("/portal/demo/requests/new/", form_data())
    assert response.status_code == 302
    assert not Ticket.objects.exists()


# My requests


def test_my_requests_lists_only_mine_newest_first(org, customer, customer_client):
    older = make_ticket(organization=org, customer=customer, subject="Older one")
    newer = make_ticket(organization=org, customer=customer, subject="درخواست جدید")
    make_ticket(organization=org, subject="Someone else's")
    response = customer_client.get("/portal/demo/requests/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(newer.reference) < html.index(older.reference)
    # The subject's cell takes the direction of its text (a Persian subject right-aligned).
    assert '<td dir="auto"><a href="/portal/demo/requests/2/" class="link-body-emphasis">' in html
    assert "درخواست جدید" in html
    assert "Someone else&#x27;s" not in html and "Someone else's" not in html
    assert html.count('data-testid="request-row"') == 2
    assert 'data-status="new"' in html


def test_my_requests_query_count_does_not_grow(org, customer, customer_client):
    make_ticket(organization=org, customer=customer)
    customer_client.get("/portal/demo/requests/")
    with CaptureQueriesContext(connection) as few:
        customer_client.get("/portal/demo/requests/")
    for _ in range(6):
        make_ticket(organization=org, customer=customer)
    with CaptureQueriesContext(connection) as many:
        response = customer_client.get("/portal/demo/requests/")
    assert response.content.decode().count('data-testid="request-row"') == 7
    assert len(many) == len(few)


# The request page and its timeline


def test_request_page_shows_public_timeline_only(org, customer, bob_agent, customer_client):
    ticket = make_ticket(organization=org, customer=customer, actor=customer.user)
    ticket_message_add(ticket=ticket, kind=MessageKind.NOTE, body="SECRET NOTE", actor=bob_agent)
    ticket_message_add(
        ticket=ticket,
        kind=MessageKind.CALL,
        body="SECRET CALL",
        actor=bob_agent,
        call_direction="outbound",
    )
    ticket_message_add(
        ticket=ticket, kind=MessageKind.REPLY, body="Please send a photo.", actor=bob_agent
    )
    response = customer_client.get(f"/portal/demo/requests/{ticket.number}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "SECRET NOTE" not in html
    assert "SECRET CALL" not in html
    assert "Please send a photo." in html
    assert 'data-testid="reply-author">Bob Agent<' in html
    assert 'data-kind="reply"' in html
    assert 'data-kind="note"' not in html and 'data-kind="call"' not in html
    assert html.count('data-testid="timeline-entry"') == 3
    assert "Request opened via Web portal." in html
    assert "Status changed from New to Open." in html
    assert "<time datetime=" in html
    assert 'data-testid="send-reply"' in html
    assert 'name="body"' in html


def test_request_page_query_count_does_not_grow(org, customer, bob_agent, customer_client):
    ticket = make_ticket(organization=org, customer=customer, attachments=[png()])
    ticket_message_add(ticket=ticket, kind=MessageKind.REPLY, body="one", actor=bob_agent)
    path = f"/portal/demo/requests/{ticket.number}/"
    customer_client.get(path)
    with CaptureQueriesContext(connection) as few:
        customer_client.get(path)
    for n in range(5):
        ticket_message_add(
            ticket=ticket,
            kind=MessageKind.REPLY,
            body=f"r{n}",
            actor=bob_agent,
            attachments=[png()],
        )
        ticket_message_add(ticket=ticket, kind=MessageKind.CUSTOMER, body=f"c{n}", actor=None)
    with CaptureQueriesContext(connection) as many:
        response = customer_client.get(path)
    assert response.content.decode().count('data-testid="timeline-entry"') == 13
    assert len(many) == len(few)
    # Session, user, organization, customer, the request; every public file of the request in
    # one query (its own and its messages'), the messages, the events; its work orders.
    assert len(many) == 9


def test_reply_appears_on_timeline(org, customer, customer_client):
    ticket = make_ticket(organization=org, customer=customer)
    response = customer_client.post(
        f"/portal/demo/requests/{ticket.number}/reply/",
        {"body": "سلام، عکس را فرستادم.", "attachments": [png()]},
    )
    assert response.status_code == 302
    message = TicketMessage.objects.get(ticket=ticket)
    assert message.kind == MessageKind.CUSTOMER
    assert message.author == customer.user
    assert message.channel == "portal"
    assert message.attachments.get().filename == "photo.png"
    page = customer_client.get(response["Location"]).content.decode()
    assert 'data-kind="customer"' in page
    assert '<div class="customer-text" dir="auto">سلام، عکس را فرستادم.</div>' in page
    attachment = message.attachments.get()
    assert f"/portal/demo/attachments/{attachment.pk}/" in page


def test_empty_reply_names_the_field_and_changes_nothing(org, customer, customer_client):
    ticket = make_ticket(organization=org, customer=customer)
    events_before = TicketEvent.objects.count()
    response = customer_client.post(f"/portal/demo/requests/{ticket.number}/reply/", {"body": ""})
    assert response.status_code == 422
    assert b'data-testid="error-body"' in response.content
    assert not TicketMessage.objects.exists()
    assert TicketEvent.objects.count() == events_before


def test_reply_on_resolved_request_reopens_it(org, customer, bob_agent, customer_client):
    ticket = make_ticket(organization=org, customer=customer)
    ticket_status_change(ticket=ticket, status=Status.RESOLVED, actor=bob_agent)
    page = customer_client.get(f"/portal/demo/requests/{ticket.number}/")
    assert b'data-testid="confirm-resolution"' in page.content
    customer_client.post(f"/portal/demo/requests/{ticket.number}/reply/", {"body": "Still broken"})
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    page = customer_client.get(f"/portal/demo/requests/{ticket.number}/").content.decode()
    assert "The request was reopened by a new message." in page


def test_closed_request_has_no_reply_form_and_refuses_replies(
    org, customer, bob_agent, customer_client
):
    ticket = make_ticket(organization=org, customer=customer)
    ticket_status_change(ticket=ticket, status=Status.CLOSED, actor=bob_agent)
    page = customer_client.get(f"/portal/demo/requests/{ticket.number}/")
    assert b'data-testid="send-reply"' not in page.content
    assert b'data-testid="closed-notice"' in page.content
    response = customer_client.post(
        f"/portal/demo/requests/{ticket.number}/reply/", {"body": "Hello?"}
    )
    assert response.status_code == 422
    assert not TicketMessage.objects.exists()


def test_confirm_resolution_closes(org, customer, bob_agent, customer_client):
    ticket = make_ticket(organization=org, customer=customer)
    ticket_status_change(ticket=ticket, status=Status.RESOLVED, actor=bob_agent)
    response = customer_client.post(f"/portal/demo/requests/{ticket.number}/confirm/")
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    assert ticket.customer_confirmed_at is not None
    page = customer_client.get(f"/portal/demo/requests/{ticket.number}/").content.decode()
    assert "The customer confirmed that the problem is solved." in page
    assert 'data-testid="confirm-resolution"' not in page


def test_confirm_on_open_request_is_refused_and_changes_nothing(org, customer, customer_client):
    ticket = make_ticket(organization=org, customer=customer)
    response = customer_client.post(f"/portal/demo/requests/{ticket.number}/confirm/")
    assert response.status_code == 422
    assert b'data-testid="confirm-error"' in response.content
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW
    assert ticket.customer_confirmed_at is None


def test_attachment_download(org, customer, customer_client):
    ticket = make_ticket(organization=org, customer=customer, attachments=[png()])
    attachment = ticket.attachments.get()
    response = customer_client.get(f"/portal/demo/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_non_inline_attachment_downloads_as_attachment(org, customer, customer_client):
    text = SimpleUploadedFile("log.txt", b"error 42\n", content_type="text/plain")
    ticket = make_ticket(organization=org, customer=customer, attachments=[text])
    response = customer_client.get(f"/portal/demo/attachments/{ticket.attachments.get().pk}/")
    assert response["Content-Disposition"] == 'attachment; filename="log.txt"'


def test_attachment_of_internal_note_is_404(org, customer, bob_agent, customer_client):
    ticket = make_ticket(organization=org, customer=customer)
    ticket_message_add(
        ticket=ticket, kind=MessageKind.NOTE, body="x", actor=bob_agent, attachments=[png()]
    )
    attachment = Attachment.objects.get()
    assert customer_client.get(f"/portal/demo/attachments/{attachment.pk}/").status_code == 404


# Tenancy: another customer, another organization


@pytest.fixture
def strangers_ticket(org):
    stranger = make_customer(organization=org, email="stranger@example.com")
    return make_ticket(organization=org, customer=stranger, attachments=[png()])


def test_another_customers_request_is_404_everywhere(
    org, customer, bob_agent, strangers_ticket, customer_client
):
    ticket_status_change(ticket=strangers_ticket, status=Status.RESOLVED, actor=bob_agent)
    number = strangers_ticket.number
    attachment = strangers_ticket.attachments.get()
    assert customer_client.get(f"/portal/demo/requests/{number}/").status_code == 404
    reply = customer_client.post(f"/portal/demo/requests/{number}/reply/", {"body": "hi"})
    assert reply.status_code == 404
    assert customer_client.post(f"/portal/demo/requests/{number}/confirm/").status_code == 404
    assert customer_client.get(f"/portal/demo/attachments/{attachment.pk}/").status_code == 404
    strangers_ticket.refresh_from_db()
    assert strangers_ticket.status == Status.RESOLVED
    assert not TicketMessage.objects.exists()


def test_customer_of_one_org_has_no_access_in_another(org, other_org, customer, customer_client):
    ticket = make_ticket(organization=org, customer=customer, attachments=[png()])
    attachment = ticket.attachments.get()
    for path in (
        "/portal/other/requests/",
        f"/portal/other/requests/{ticket.number}/",
        f"/portal/other/attachments/{attachment.pk}/",
    ):
        response = customer_client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/portal/other/login/"
    response = customer_client.post(f"/portal/other/requests/{ticket.number}/reply/", {"body": "x"})
    assert response.status_code == 302
    assert not TicketMessage.objects.exists()


def test_same_account_customer_of_two_orgs_sees_each_orgs_own(
    org, other_org, customer, customer_client
):
    mine = make_ticket(organization=org, customer=customer, attachments=[png()])
    elsewhere = customer_create(
        organization=other_org, name="Maryam", emails=["maryam@example.com"], user=customer.user
    )
    other_ticket = make_ticket(organization=other_org, customer=elsewhere, subject="Other org")
    assert mine.number == other_ticket.number == 1
    page = customer_client.get("/portal/other/requests/1/").content.decode()
    assert "Other org" in page
    assert "Washing machine does not drain" not in page
    attachment = mine.attachments.get()
    assert customer_client.get(f"/portal/other/attachments/{attachment.pk}/").status_code == 404
    assert customer_client.get("/portal/other/requests/2/").status_code == 404


def test_unknown_org_is_404(db):
    assert Client().get("/portal/nope/").status_code == 404
    assert Client().get("/portal/nope/requests/").status_code == 404
    assert Client().get("/portal/nope/track/").status_code == 404


# Languages


def test_persian_request_page_is_rtl_with_jalali_dates(org, customer, customer_client):
    ticket = make_ticket(organization=org, customer=customer)
    customer_client.cookies["aftercare_language"] = "fa"
    response = customer_client.get(f"/portal/demo/requests/{ticket.number}/")
    html = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    created = jdatetime.datetime.fromgregorian(datetime=ticket.created_at)
    expected = persian_digits(created.strftime("%Y/%m/%d %H:%M"))
    assert expected.startswith("۱۴")
    assert f'data-testid="ticket-created">{expected}</time>' in html


def test_english_request_page_is_ltr(org, customer, customer_client):
    ticket = make_ticket(organization=org, customer=customer)
    html = customer_client.get(f"/portal/demo/requests/{ticket.number}/").content.decode()
    assert '<html lang="en" dir="ltr">' in html


def test_home_sends_customer_to_requests_and_others_to_landing(org, customer, customer_client):
    assert customer_client.get("/portal/demo/")["Location"] == "/portal/demo/requests/"
    landing = Client().get("/portal/demo/")
    assert landing.status_code == 200
    assert b"/portal/demo/login/" in landing.content
    assert b"/portal/demo/track/" in landing.content


def test_signed_in_customer_skips_login_page(org, customer, customer_client):
    assert customer_client.get("/portal/demo/login/")["Location"] == "/portal/demo/requests/"
