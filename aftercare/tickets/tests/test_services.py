import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from aftercare.api.tests.files import png_bytes
from aftercare.lib.errors import ApplicationError
from aftercare.lib.vocabulary import Priority, Status
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import Attachment, Ticket, TicketEvent, TicketMessage
from aftercare.tickets.services import (
    ticket_assign,
    ticket_confirm_resolution,
    ticket_message_add,
    ticket_status_change,
    ticket_update,
)
from aftercare.tickets.tests.factories import make_ticket

PNG = png_bytes()


def test_numbers_are_per_organization_and_sequential(org, other_org):
    first = make_ticket(organization=org)
    second = make_ticket(organization=org)
    elsewhere = make_ticket(organization=other_org)
    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
    assert first.reference == "AS-000001"
    assert first.public_token != second.public_token
    assert len(first.public_token) >= 24


def test_create_records_created_event_and_fills_contact_email(org, customer, bob_agent):
    ticket = make_ticket(organization=org, customer=customer, actor=bob_agent)
    assert ticket.contact_email == "maryam@example.com"
    assert ticket.language == "fa"
    assert ticket.status == Status.NEW and ticket.is_open
    event = TicketEvent.objects.get(ticket=ticket)
    assert event.kind == TicketEvent.Kind.CREATED
    assert event.actor == bob_agent


def test_a_new_request_holds_its_transaction_only_for_its_writes(org, customer, bob_agent):
    # On SQLite a transaction holds the database's one write lock: every read a new request
    # needs (customer's email, routing rule, SLA configuration) happens before it begins.
    depth = len(connection.atomic_blocks)
    inside = []

    def watch(execute, sql, params, many, context):
        verb = sql.split(None, 1)[0].upper()
        if len(connection.atomic_blocks) > depth and verb not in ("SAVEPOINT", "RELEASE"):
            inside.append(verb)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        ticket = make_ticket(organization=org, customer=customer, actor=bob_agent)
    # The number (one statement that counts and reads), the request, its creation event, its
    # document in the search index (the entry with its words on PostgreSQL; the entry, then its
    # words in the FTS5 table on SQLite), the notice telling the customer (sent after the
    # commit).
    index = ["INSERT"] if connection.vendor == "postgresql" else ["INSERT", "INSERT"]
    assert inside == ["UPDATE", "INSERT", "INSERT", *index, "INSERT"]
    assert ticket.number == 1 and ticket.contact_email == "maryam@example.com"
    assert make_ticket(organization=org, customer=customer).number == 2


def test_create_rejects_customer_of_other_org(org, other_customer):
    with pytest.raises(ApplicationError) as error:
        make_ticket(organization=org, customer=other_customer)
    assert error.value.field == "customer_id"
    assert not Ticket.objects.exists()


def test_create_rejects_future_purchase_date_and_changes_nothing(org, customer):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ApplicationError) as error:
        make_ticket(organization=org, customer=customer, purchase_date=tomorrow)
    assert error.value.field == "purchase_date"
    assert not Ticket.objects.exists()
    org.refresh_from_db()
    assert org.ticket_sequence == 0


def test_create_requires_subject(org, customer):
    with pytest.raises(ApplicationError) as error:
        make_ticket(organization=org, customer=customer, subject="   ")
    assert error.value.field == "subject"


def test_assign_records_event(org, alice_admin, bob_agent):
    ticket = make_ticket(organization=org)
    ticket_assign(ticket=ticket, assignee=bob_agent, actor=alice_admin)
    ticket.refresh_from_db()
    assert ticket.assignee == bob_agent
    event = TicketEvent.objects.filter(ticket=ticket).latest("id")
    assert event.kind == TicketEvent.Kind.ASSIGNED
    assert event.data["to"] == bob_agent.pk


def test_assign_rejects_member_of_other_org(org, alice_admin, charlie_other_org):
    ticket = make_ticket(organization=org)
    with pytest.raises(ApplicationError):
        ticket_assign(ticket=ticket, assignee=charlie_other_org, actor=alice_admin)
    ticket.refresh_from_db()
    assert ticket.assignee is None
    assert TicketEvent.objects.filter(ticket=ticket).count() == 1


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        (Status.NEW, Status.OPEN, True),
        (Status.OPEN, Status.RESOLVED, True),
        (Status.RESOLVED, Status.OPEN, True),
        (Status.RESOLVED, Status.PENDING_CUSTOMER, False),
        (Status.RESOLVED, Status.CLOSED, True),
        (Status.ON_HOLD, Status.NEW, False),
    ],
)
def test_status_transitions_enforced(org, bob_agent, start, target, allowed):
    ticket = make_ticket(organization=org)
    Ticket.objects.filter(pk=ticket.pk).update(
        status=start, is_open=start not in ("resolved", "closed")
    )
    ticket.refresh_from_db()
    if allowed:
        ticket = ticket_status_change(ticket=ticket, status=target, actor=bob_agent)
        assert ticket.status == target
        assert ticket.is_open == (target not in (Status.RESOLVED, Status.CLOSED))
    else:
        with pytest.raises(ApplicationError) as error:
            ticket_status_change(ticket=ticket, status=target, actor=bob_agent)
        assert error.value.field == "status"
        ticket.refresh_from_db()
        assert ticket.status == start


def test_closed_is_final(org, bob_agent):
    ticket = make_ticket(organization=org)
    ticket_status_change(ticket=ticket, status=Status.CLOSED, actor=bob_agent)
    with pytest.raises(ApplicationError):
        ticket_status_change(ticket=ticket, status=Status.OPEN, actor=bob_agent)
    with pytest.raises(ApplicationError):
        ticket_message_add(ticket=ticket, kind=MessageKind.CUSTOMER, body="hello?", actor=None)
    assert not TicketMessage.objects.exists()


def test_first_reply_opens_and_marks_first_response(org, bob_agent):
    ticket = make_ticket(organization=org)
    ticket_message_add(ticket=ticket, kind=MessageKind.REPLY, body="We are on it.", actor=bob_agent)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.first_response_at is not None
    assert ticket.message_count == 1


def test_customer_reply_reopens_resolved(org, customer, bob_agent):
    ticket = make_ticket(organization=org, customer=customer)
    ticket_status_change(ticket=ticket, status=Status.RESOLVED, actor=bob_agent)
    ticket_message_add(
        ticket=ticket, kind=MessageKind.CUSTOMER, body="Still leaking.", actor=customer.user
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.resolved_at is None
    kinds = list(
        TicketEvent.objects.filter(ticket=ticket).order_by("id").values_list("kind", flat=True)
    )
    assert kinds[-1] == TicketEvent.Kind.REOPENED


def test_note_does_not_change_status(org, bob_agent):
    ticket = make_ticket(organization=org)
    ticket_message_add(ticket=ticket, kind=MessageKind.NOTE, body="Checked stock.", actor=bob_agent)
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW
    assert ticket.first_response_at is None


def test_call_log_needs_direction(org, bob_agent):
    ticket = make_ticket(organization=org)
    with pytest.raises(ApplicationError) as error:
        ticket_message_add(ticket=ticket, kind=MessageKind.CALL, body="Called.", actor=bob_agent)
    assert error.value.field == "call_direction"
    message = ticket_message_add(
        ticket=ticket,
        kind=MessageKind.CALL,
        body="Explained the reset procedure.",
        actor=bob_agent,
        call_direction="outbound",
        call_duration_seconds=240,
    )
    assert message.call_duration_seconds == 240
    assert not message.is_public


def test_confirm_resolution_closes(org, customer, bob_agent):
    ticket = make_ticket(organization=org, customer=customer)
    with pytest.raises(ApplicationError):
        ticket_confirm_resolution(ticket=ticket, actor=None)
    ticket_status_change(ticket=ticket, status=Status.RESOLVED, actor=bob_agent)
    ticket = ticket_confirm_resolution(ticket=ticket, actor=None)
    assert ticket.status == Status.CLOSED
    assert ticket.customer_confirmed_at is not None


def test_update_records_each_change(org, bob_agent):
    ticket = make_ticket(organization=org)
    ticket_update(
        ticket=ticket,
        actor=bob_agent,
        priority=Priority.URGENT,
        serial_number="SN-123",
        tags=["noisy", "drain"],
    )
    ticket.refresh_from_db()
    assert ticket.priority == Priority.URGENT
    assert ticket.serial_number == "SN-123"
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["drain", "noisy"]
    kinds = set(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert {"fields_changed", "priority_changed", "tags_changed"} <= kinds


def test_update_with_bad_priority_changes_nothing(org, bob_agent):
    ticket = make_ticket(organization=org)
    with pytest.raises(ApplicationError) as error:
        ticket_update(ticket=ticket, actor=bob_agent, priority=9, serial_number="X")
    assert error.value.field == "priority"
    ticket.refresh_from_db()
    assert ticket.serial_number == ""


def test_attachment_stored_privately_with_checks(org, bob_agent, settings):
    ticket = make_ticket(organization=org)
    upload = SimpleUploadedFile("photo.png", PNG, content_type="image/png")
    message = ticket_message_add(
        ticket=ticket,
        kind=MessageKind.REPLY,
        body="See photo",
        actor=bob_agent,
        attachments=[upload],
    )
    attachment = Attachment.objects.get(message=message)
    assert attachment.filename == "photo.png"
    assert attachment.size == len(PNG)
    assert attachment.content_type == "image/png"
    assert attachment.file.read() == PNG
    assert str(settings.VAR_DIR / "private") in attachment.file.path


@pytest.mark.parametrize(
    ("name", "content"),
    [("virus.exe", b"MZ"), ("fake.png", b"not a png at all"), ("empty.pdf", b"")],
)
def test_attachment_refused_changes_nothing(org, bob_agent, name, content):
    ticket = make_ticket(organization=org)
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ApplicationError) as error:
        ticket_message_add(
            ticket=ticket, kind=MessageKind.REPLY, body="x", actor=bob_agent, attachments=[upload]
        )
    assert error.value.field == "attachments"
    assert not TicketMessage.objects.exists()
    assert not Attachment.objects.exists()


def test_attachment_size_limit(org, bob_agent, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    ticket = make_ticket(organization=org)
    upload = SimpleUploadedFile("big.txt", b"x" * 101)
    with pytest.raises(ApplicationError):
        ticket_message_add(
            ticket=ticket, kind=MessageKind.NOTE, body="x", actor=bob_agent, attachments=[upload]
        )


def test_ticket_events_refuse_update_and_delete_in_the_database(org):
    ticket = make_ticket(organization=org)
    event = TicketEvent.objects.get(ticket=ticket)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        TicketEvent.objects.filter(pk=event.pk).update(kind="tampered")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        TicketEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.kind == TicketEvent.Kind.CREATED
