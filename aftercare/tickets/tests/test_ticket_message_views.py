"""The request page's composer: replies, notes, calls and attachments."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aftercare.lib.vocabulary import Status
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import TicketMessage
from aftercare.tickets.services import (
    ticket_status_change,
)
from aftercare.tickets.tests.helpers import png_upload, ticket_state


def test_reply_is_sent_and_shown(org, agent_client, ticket, bob_agent):
    url = reverse("tickets:message", args=[ticket.number])
    response = agent_client.post(url, {"kind": "reply", "body": "ما فردا تماس می‌گیریم."})
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[ticket.number])
    message = TicketMessage.objects.get(ticket=ticket)
    assert (message.kind, message.body, message.author) == (
        MessageKind.REPLY,
        "ما فردا تماس می‌گیریم.",
        bob_agent,
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.first_response_at == message.created_at
    page = agent_client.get(response["Location"]).content.decode()
    assert "Reply sent." in page
    assert 'dir="auto">ما فردا تماس می‌گیریم.<' in page


def test_htmx_reply_returns_the_refreshed_ticket_body(org, agent_client, ticket):
    response = agent_client.post(
        reverse("tickets:message", args=[ticket.number]),
        {"kind": "reply", "body": "On our way."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<div id="ticket-body"')
    assert "<html" not in html
    assert "On our way." in html
    assert 'data-testid="timeline-reply"' in html
    assert TicketMessage.objects.filter(ticket=ticket, kind=MessageKind.REPLY).count() == 1


def test_note_is_internal_and_keeps_the_status(org, agent_client, ticket):
    response = agent_client.post(
        reverse("tickets:message", args=[ticket.number]), {"kind": "note", "body": "VIP customer."}
    )
    assert response.status_code == 302
    note = TicketMessage.objects.get(ticket=ticket)
    assert note.kind == MessageKind.NOTE
    assert not note.is_public
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW
    html = agent_client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert 'data-testid="internal-badge"' in html


def test_call_is_logged_with_direction_and_duration(org, agent_client, ticket):
    response = agent_client.post(
        reverse("tickets:message", args=[ticket.number]),
        {
            "kind": "call",
            "body": "Customer called about the visit.",
            "call_direction": "inbound",
            "call_duration_minutes": "۵",
        },
    )
    assert response.status_code == 302
    call = TicketMessage.objects.get(ticket=ticket)
    assert (call.kind, call.call_direction, call.call_duration_seconds, call.channel) == (
        MessageKind.CALL,
        "inbound",
        300,
        "phone",
    )


def test_reply_with_attachments_stores_them_on_the_message(org, agent_client, ticket):
    response = agent_client.post(
        reverse("tickets:message", args=[ticket.number]),
        {
            "kind": "reply",
            "body": "See the photos.",
            "attachments": [png_upload("a.png"), png_upload("b.png")],
        },
    )
    assert response.status_code == 302
    message = TicketMessage.objects.get(ticket=ticket)
    names = sorted(message.attachments.values_list("filename", flat=True))
    assert names == ["a.png", "b.png"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "reply", "body": "   "}, "body", "This field is required."),
        ({"body": "Hello"}, None, "Choose whether to reply, note or log a call."),
        (
            {"kind": "call", "body": "Called", "call_direction": "sideways"},
            "call_direction",
            "Select a valid choice.",
        ),
        (
            {"kind": "call", "body": "Called", "call_duration_minutes": "-3"},
            "call_duration_minutes",
            "greater than or equal to 0",
        ),
    ],
)
def test_bad_message_input_answers_422_and_changes_nothing(
    org, agent_client, ticket, data, field, message
):
    before = ticket_state(ticket)
    response = agent_client.post(reverse("tickets:message", args=[ticket.number]), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    if field:
        assert f'data-testid="error-{field}"' in html
    assert ticket_state(ticket) == before


def test_refused_attachment_answers_422_and_changes_nothing(org, agent_client, ticket):
    before = ticket_state(ticket)
    fake = SimpleUploadedFile("virus.png", b"MZ not a png", content_type="image/png")
    response = agent_client.post(
        reverse("tickets:message", args=[ticket.number]),
        {"kind": "reply", "body": "Here.", "attachments": [fake]},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "virus.png does not contain what its extension says." in html
    assert 'data-testid="error-attachments"' in html
    assert ticket_state(ticket) == before


def test_reply_on_a_closed_request_is_refused(org, agent_client, ticket, bob_agent):
    ticket_status_change(ticket=ticket, status=Status.CLOSED, actor=bob_agent)
    before = ticket_state(ticket)
    response = agent_client.post(
        reverse("tickets:message", args=[ticket.number]), {"kind": "reply", "body": "Hello?"}
    )
    assert response.status_code == 422
    assert "This request is closed. Open a new request instead." in response.content.decode()
    assert ticket_state(ticket) == before
