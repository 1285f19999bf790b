import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings

from aftercare.tickets.choices import MessageKind
from aftercare.tickets.services import ticket_message_add
from aftercare.tickets.tests.factories import make_ticket


@pytest.fixture
def ticket(org, customer, bob_agent):
    ticket = make_ticket(organization=org, customer=customer, subject="Fridge is warm")
    ticket_message_add(ticket=ticket, kind=MessageKind.NOTE, body="SECRET NOTE", actor=bob_agent)
    ticket_message_add(ticket=ticket, kind=MessageKind.REPLY, body="We are on it.", actor=bob_agent)
    return ticket


def track(number: str, contact: str, client: Client | None = None, slug: str = "demo"):
    client = client or Client()
    return client.post(f"/portal/{slug}/track/", {"number": number, "contact": contact})


def assert_found(response, ticket):
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-testid="ticket-reference" dir="ltr">{ticket.reference}<' in html
    assert "Fridge is warm" in html
    assert "We are on it." in html
    assert "SECRET NOTE" not in html
    assert 'data-kind="reply"' in html
    # Read-only: no reply form, and an offer to sign in instead.
    assert 'name="body"' not in html
    assert 'data-testid="track-sign-in"' in html
    assert "/portal/demo/login/" in html


def test_track_page_renders(org):
    response = Client().get("/portal/demo/track/")
    assert response.status_code == 200
    assert b'name="number"' in response.content and b'name="contact"' in response.content


def test_track_by_reference_and_email(ticket):
    assert_found(track("AS-000001", "Maryam@Example.com"), ticket)


def test_track_by_plain_number(ticket):
    assert_found(track("1", "maryam@example.com"), ticket)


def test_track_by_phone_in_local_format(ticket):
    # The customer gave +98 912 345 6789; the Iranian national format finds it too.
    assert_found(track("AS-000001", "0912 345 6789"), ticket)
    assert_found(track("AS-000001", "+989123456789"), ticket)


def test_track_with_persian_digits(ticket):
    assert_found(track("۱", "۰۹۱۲۳۴۵۶۷۸۹"), ticket)
    assert_found(track("AS-۰۰۰۰۰۱", "maryam@example.com"), ticket)


def test_wrong_pairs_get_the_same_generic_not_found(ticket, other_customer):
    answers = [
        track("AS-000001", "someone@example.com"),
        track("AS-000001", "09120000000"),
        track("AS-000099", "maryam@example.com"),
        track("not a number", "maryam@example.com"),
        track("AS-000001", "maryam@example.com", slug="other"),
    ]
    for response in answers:
        html = response.content.decode()
        assert response.status_code == 404
        assert 'data-testid="track-not-found"' in html
        assert "Fridge is warm" not in html
        assert "We are on it." not in html


def test_track_missing_fields_name_them(org):
    response = track("", "")
    assert response.status_code == 422
    assert b'data-testid="error-number"' in response.content
    assert b'data-testid="error-contact"' in response.content


@override_settings(PORTAL_TRACK_MAX_PER_IP=3)
def test_track_is_rate_limited_per_ip(ticket):
    client = Client()
    for _ in range(3):
        assert track("AS-000001", "wrong@example.com", client).status_code == 404
    limited = track("AS-000001", "maryam@example.com", client)
    assert limited.status_code == 429
    assert b"Too many tries" in limited.content
    assert b"We are on it." not in limited.content
    other_ip = Client(REMOTE_ADDR="10.1.2.3")
    assert_found(track("AS-000001", "maryam@example.com", other_ip), ticket)


def test_track_does_not_sign_in(ticket):
    client = Client()
    track("AS-000001", "maryam@example.com", client)
    assert SESSION_KEY not in client.session
    assert client.get("/portal/demo/requests/").status_code == 302


def test_track_has_no_download_links(org, customer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    ticket = make_ticket(organization=org, customer=customer)
    ticket_message_add(
        ticket=ticket, kind=MessageKind.CUSTOMER, body="see photo", actor=None, attachments=[photo]
    )
    html = track("1", "maryam@example.com").content.decode()
    assert "photo.png" in html
    assert "/attachments/" not in html
