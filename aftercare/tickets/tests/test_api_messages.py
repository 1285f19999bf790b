"""API v1: a request's messages and attachments."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aftercare.api.tests.files import png_bytes
from aftercare.lib.vocabulary import Status
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import Attachment, TicketEvent, TicketMessage
from aftercare.tickets.services import ticket_message_add
from aftercare.tickets.tests.factories import make_ticket
from aftercare.tickets.tests.helpers import api_query_count


def test_messages_add_and_list(org, customer, agent_api, bob_agent):
    ticket = make_ticket(organization=org, customer=customer)
    reply = agent_api.post(
        f"/tickets/{ticket.pk}/messages", {"kind": "reply", "body": "لطفاً سریال را بفرستید."}
    )
    assert reply.status == 201, reply.body
    assert reply.body["kind"] == "reply"
    assert reply.body["author"] == {
        "id": bob_agent.pk,
        "name": "Bob Agent",
        "email": "bob@demo.example",
    }
    assert reply.body["is_public"] is True
    assert reply.body["channel"] == "portal"
    note = agent_api.post(f"/tickets/{ticket.pk}/messages", {"kind": "note", "body": "Check pump"})
    call = agent_api.post(
        f"/tickets/{ticket.pk}/messages",
        {
            "kind": "call",
            "body": "Called back",
            "channel": "phone",
            "call_direction": "outbound",
            "call_duration_seconds": 95,
        },
    )
    assert (note.status, call.status) == (201, 201)
    assert (call.body["call_direction"], call.body["call_duration_seconds"]) == ("outbound", 95)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.first_response_at is not None
    assert ticket.message_count == 3

    page = agent_api.get(f"/tickets/{ticket.pk}/messages", {"limit": 2})
    assert page.status == 200
    assert [row["kind"] for row in page.body["items"]] == ["reply", "note"]
    rest = agent_api.get(f"/tickets/{ticket.pk}/messages", {"cursor": page.body["next_cursor"]})
    assert [row["kind"] for row in rest.body["items"]] == ["call"]
    assert rest.body["next_cursor"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "call", "body": "Called"}, "call_direction"),
        ({"kind": "shout", "body": "Hi"}, "kind"),
        ({"kind": "reply", "body": ""}, "body"),
        ({"kind": "reply"}, "body"),
        (
            {"kind": "call", "body": "x", "call_direction": "inbound", "call_duration_seconds": -1},
            "call_duration_seconds",
        ),
        (
            {
                "kind": "call",
                "body": "x",
                "call_direction": "inbound",
                "call_duration_seconds": True,
            },
            "call_duration_seconds",
        ),
    ],
)
def test_message_rejects_bad_input_and_adds_nothing(org, customer, agent_api, body, field):
    ticket = make_ticket(organization=org, customer=customer)
    answer = agent_api.post(f"/tickets/{ticket.pk}/messages", body)
    assert (answer.status, answer.field) == (422, field), answer.body
    assert not TicketMessage.objects.exists()
    ticket.refresh_from_db()
    assert (ticket.message_count, ticket.status) == (0, Status.NEW)


def test_sub_lists_name_bad_parameters(org, customer, agent_api):
    ticket = make_ticket(organization=org, customer=customer)
    for path in (f"/tickets/{ticket.pk}/messages", f"/tickets/{ticket.pk}/attachments"):
        assert agent_api.get(path, {"limit": 0}).field == "limit"
        assert agent_api.get(path, {"cursor": "bogus"}).field == "cursor"
    assert agent_api.get("/tickets/abc").field == "ticket_id"
    assert agent_api.get(f"/tickets/{2**63}").field == "ticket_id"
    assert agent_api.get("/tickets/0").field == "ticket_id"


def test_message_list_query_count_is_flat(org, customer, agent_api, bob_agent):
    ticket = make_ticket(organization=org, customer=customer)
    png = png_bytes()

    def add(count):
        for index in range(count):
            ticket_message_add(
                ticket=ticket,
                kind=MessageKind.REPLY,
                body=f"Reply {index}",
                actor=bob_agent,
                attachments=[SimpleUploadedFile(f"p{index}.png", png)],
            )

    add(2)
    small, body = api_query_count(agent_api, f"/tickets/{ticket.pk}/messages?limit=200")
    add(20)
    large, body = api_query_count(agent_api, f"/tickets/{ticket.pk}/messages?limit=200")
    assert len(body["items"]) == 22
    assert body["items"][0]["attachments"][0]["filename"] == "p0.png"
    # Token, membership, the ticket and its tags, the messages with authors, their attachments.
    assert small == large == 6


def test_upload_png_and_download_it_byte_identical(org, customer, agent_api):
    ticket = make_ticket(organization=org, customer=customer)
    png = png_bytes(3, 3)
    answer = agent_api.upload(
        f"/tickets/{ticket.pk}/attachments",
        {"attachments": [SimpleUploadedFile("photo.png", png, content_type="image/png")]},
    )
    assert answer.status == 201, answer.body
    [row] = answer.body
    assert (row["filename"], row["content_type"], row["size"]) == (
        "photo.png",
        "image/png",
        len(png),
    )
    assert row["sha256"] == hashlib.sha256(png).hexdigest()
    assert row["message_id"] is None
    assert row["download_url"] == f"/api/v1/attachments/{row['id']}/download"

    download = agent_api.client.get(row["download_url"], **agent_api._headers())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == png
    assert download["Content-Type"] == "application/octet-stream"
    assert 'filename="photo.png"' in download["Content-Disposition"]

    listed = agent_api.get(f"/tickets/{ticket.pk}/attachments")
    assert [item["id"] for item in listed.body["items"]] == [row["id"]]
    assert TicketEvent.objects.filter(ticket=ticket, kind="attachment_added").count() == 1


def test_upload_to_a_message_follows_its_visibility(org, customer, agent_api, bob_agent, foreign):
    ticket = make_ticket(organization=org, customer=customer)
    note = ticket_message_add(ticket=ticket, kind=MessageKind.NOTE, body="Inside", actor=bob_agent)
    answer = agent_api.upload(
        f"/tickets/{ticket.pk}/attachments",
        {"attachments": [SimpleUploadedFile("a.png", png_bytes())], "message_id": note.pk},
    )
    assert answer.status == 201
    assert (answer.body[0]["message_id"], answer.body[0]["is_public"]) == (note.pk, False)

    refused = agent_api.upload(
        f"/tickets/{ticket.pk}/attachments",
        {
            "attachments": [SimpleUploadedFile("b.png", png_bytes())],
            "message_id": foreign["message"].pk,
        },
    )
    assert (refused.status, refused.field) == (422, "message_id")
    assert Attachment.objects.filter(ticket=ticket).count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [("setup.exe", b"MZ\x90\x00" + b"\x00" * 60), ("fake.png", b"GIF89a" + b"\x00" * 30)],
)
def test_upload_refuses_bad_files_and_stores_nothing(org, customer, agent_api, name, content):
    ticket = make_ticket(organization=org, customer=customer)
    answer = agent_api.upload(
        f"/tickets/{ticket.pk}/attachments",
        {
            "attachments": [
                SimpleUploadedFile("ok.png", png_bytes()),
                SimpleUploadedFile(name, content),
            ]
        },
    )
    assert (answer.status, answer.field) == (422, "attachments"), answer.body
    assert not Attachment.objects.exists()
    assert not TicketEvent.objects.filter(kind="attachment_added").exists()


def test_upload_without_files_names_the_field(org, customer, agent_api):
    ticket = make_ticket(organization=org, customer=customer)
    answer = agent_api.upload(f"/tickets/{ticket.pk}/attachments", {})
    assert (answer.status, answer.field) == (422, "attachments")
