"""Inbound email through the mail server's pipe: stored first, then made into a request or added
to one; threading by reply token, references and the subject tag with its sender, never by
subject alone; machine mail recognised and never answered; failures retried, then dead-lettered."""

import datetime
import email
import email.policy

import pytest
from django.core import mail as django_mail
from django.utils import timezone

from aftercare.customers.models import ContactPoint, Customer
from aftercare.lib.vocabulary import Channel, Status
from aftercare.messaging.inbound import services
from aftercare.messaging.inbound.models import InboundEmail
from aftercare.messaging.inbound.services import (
    inbound_email_discard,
    inbound_email_reprocess,
    inbound_process,
    inbound_process_due,
)
from aftercare.messaging.inbound.tests.conftest import mail
from aftercare.notifications.models import Notice
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import Attachment, Ticket, TicketMessage
from aftercare.tickets.notices import reply_address
from aftercare.tickets.services import ticket_status_change

PDF = b"%PDF-1.4\n" + b"0" * 2000


@pytest.fixture(autouse=True)
def _addresses(settings):
    settings.DEFAULT_FROM_EMAIL = "Demo Support <support@demo.example>"
    settings.INBOUND_EMAIL_ADDRESS = "help@demo.example"


def _only_ticket(org) -> Ticket:
    [ticket] = Ticket.objects.filter(organization=org)
    return ticket


def test_a_new_mail_opens_a_request_for_a_new_customer_who_is_told_where_to_answer(org, pipe):
    raw = mail(files=[("invoice.pdf", "application/pdf", PDF)])

    assert pipe(org, raw) == 0

    inbound = InboundEmail.objects.get()
    assert bytes(inbound.raw) == raw
    assert (inbound.state, inbound.outcome) == ("done", "new_request")
    ticket = _only_ticket(org)
    assert inbound.ticket == ticket
    assert ticket.subject == "The fridge is noisy"
    assert "It hums all night since Tuesday." in ticket.description
    assert (ticket.channel, ticket.contact_email) == (Channel.EMAIL, "maryam@example.com")
    assert ticket.customer.name == "Maryam Ahmadi"
    assert ticket.sla_policy_id is None or ticket.first_response_due_at is not None
    [attachment] = Attachment.objects.filter(ticket=ticket)
    assert (attachment.filename, attachment.size) == ("invoice.pdf", len(PDF))
    [sent] = django_mail.outbox
    assert sent.to == ["maryam@example.com"]
    assert ticket.reference in sent.subject
    assert sent.reply_to == [reply_address(ticket)]
    assert reply_address(ticket).startswith("help+r")


def test_the_same_message_delivered_twice_is_one_request(org, pipe):
    raw = mail()
    assert pipe(org, raw) == 0
    assert pipe(org, b"Received: from relay.example by mx\r\n" + raw) == 0

    inbound = InboundEmail.objects.get()
    assert inbound.deliveries == 2
    assert Ticket.objects.filter(organization=org).count() == 1
    assert len(django_mail.outbox) == 1


def test_a_reply_to_the_notice_lands_on_its_request_by_token_and_by_references(org, pipe):
    pipe(org, mail())
    ticket = _only_ticket(org)
    [notice_mail] = django_mail.outbox
    sent = email.message_from_bytes(notice_mail.message().as_bytes(), policy=email.policy.default)

    by_token = mail(subject="Re: something else", to=notice_mail.reply_to[0], body="By token.")
    assert pipe(org, by_token) == 0
    by_reference = mail(
        subject="no tag at all",
        body="By reference.",
        headers={"In-Reply-To": sent["Message-ID"], "References": sent["References"]},
    )
    assert pipe(org, by_reference) == 0

    assert Ticket.objects.filter(organization=org).count() == 1
    bodies = list(
        TicketMessage.objects.filter(ticket=ticket, kind=MessageKind.CUSTOMER).values_list(
            "body", flat=True
        )
    )
    assert bodies == ["By token.", "By reference."]
    assert set(InboundEmail.objects.values_list("outcome", flat=True)) == {
        "new_request",
        "appended",
    }


def test_a_reply_to_the_customers_own_earlier_mail_joins_its_request(org, pipe):
    first = mail()
    pipe(org, first)
    first_id = email.message_from_bytes(first)["Message-ID"]
    pipe(org, mail(sender="Colleague <ali@example.com>", headers={"References": first_id}))

    ticket = _only_ticket(org)
    message = TicketMessage.objects.get(ticket=ticket)
    assert message.body.startswith("From: Colleague <ali@example.com>")


def test_the_subject_tag_threads_only_mail_from_the_requests_customer(org, pipe):
    pipe(org, mail())
    ticket = _only_ticket(org)
    tag = f"[{ticket.reference}]"

    pipe(org, mail(subject=f"Update {tag}", body="Same customer."))
    pipe(org, mail(sender="Stranger <eve@example.net>", subject=f"Re: {tag}", body="Not mine."))
    pipe(org, mail(subject="The fridge is noisy", body="Same subject, no tag."))

    assert TicketMessage.objects.get(ticket=ticket).body == "Same customer."
    assert Ticket.objects.filter(organization=org).count() == 3
    stranger = Ticket.objects.get(contact_email="eve@example.net")
    assert stranger.description == "Not mine."


def test_a_token_of_another_organizations_request_threads_nothing(org, other_org, pipe):
    pipe(other_org, mail())
    foreign = Ticket.objects.get(organization=other_org)

    pipe(org, mail(to=reply_address(foreign), body="Wrong door."))

    assert not TicketMessage.objects.filter(ticket=foreign).exists()
    assert _only_ticket(org).description == "Wrong door."


def test_a_forged_token_threads_nothing(org, pipe):
    pipe(org, mail())
    ticket = _only_ticket(org)
    forged = reply_address(ticket).split("-")[0] + "-000000000000@demo.example"

    pipe(org, mail(to=forged, body="Forged."))

    assert Ticket.objects.filter(organization=org).count() == 2
    assert not TicketMessage.objects.filter(ticket=ticket).exists()


def test_mail_to_a_closed_request_opens_a_new_one(org, pipe, alice_admin):
    pipe(org, mail())
    ticket = _only_ticket(org)
    ticket_status_change(ticket=ticket, status=Status.RESOLVED, actor=alice_admin)
    ticket_status_change(ticket=ticket, status=Status.CLOSED, actor=alice_admin)

    pipe(org, mail(to=reply_address(ticket), body="It broke again."))

    assert Ticket.objects.filter(organization=org).count() == 2
    assert Ticket.objects.exclude(pk=ticket.pk).get().description == "It broke again."


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"X-Autoreply": "yes"},
        {"Precedence": "bulk"},
        {"Auto-Submitted": "auto-generated"},
    ],
)
def test_automatic_replies_are_stored_and_never_answered(org, pipe, headers):
    assert pipe(org, mail(subject="Out of office", headers=headers)) == 0

    inbound = InboundEmail.objects.get()
    assert (inbound.state, inbound.outcome) == ("ignored", "auto_reply")
    assert not Ticket.objects.exists()
    assert django_mail.outbox == []


def test_our_own_mail_coming_back_is_a_loop(org, pipe):
    from aftercare.messaging.inbound.services import mailbox_create

    mailbox_create(
        organization=org,
        password="x",
        name="Sales",
        address="sales@demo.example",
        host="imap.demo.example",
        port=993,
        security="ssl",
        username="sales",
        folder="INBOX",
    )
    pipe(org, mail(sender="Demo Support <support@demo.example>"))
    pipe(org, mail(headers={"X-Loop": "aftercare"}))
    pipe(org, mail(sender="Sales <sales+r1-abc@demo.example>", subject="loop 3"))

    assert list(InboundEmail.objects.values_list("outcome", flat=True)) == ["loop"] * 3
    assert not Ticket.objects.exists()


def test_a_sender_flooding_the_mailbox_is_stopped(org, pipe, settings):
    settings.INBOUND_FLOOD_LIMIT = 3
    for number in range(5):
        pipe(org, mail(subject=f"Message {number}"))

    outcomes = list(InboundEmail.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["new_request"] * 3 + ["loop"] * 2
    assert Ticket.objects.count() == 3


def test_a_bounce_marks_the_notice_bounced_and_is_not_answered(org, pipe):
    pipe(org, mail())
    notice = Notice.objects.get()
    assert notice.state == Notice.State.SENT
    bounce = (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
        "To: support@demo.example\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <bounce-1@mx.example.com>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you...\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.com\r\n\r\n"
        "Final-Recipient: rfc822; maryam@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <maryam@example.com>: Recipient address rejected:\r\n"
        "    User unknown in virtual mailbox table\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {notice.message_id}\r\nSubject: {notice.subject}\r\n"
        "--B--\r\n"
    ).encode()

    pipe(org, bounce)

    notice.refresh_from_db()
    assert notice.state == Notice.State.BOUNCED
    assert "Recipient address rejected: User unknown in virtual mailbox table" in notice.last_error
    inbound = InboundEmail.objects.latest("id")
    assert (inbound.state, inbound.outcome) == ("ignored", "bounce")
    assert Ticket.objects.count() == 1
    assert len(django_mail.outbox) == 1


def test_a_message_without_a_sender_goes_to_the_dead_letters_and_can_be_discarded(org, pipe):
    raw = b"To: support@demo.example\r\nSubject: who am I\r\n\r\nNo From header.\r\n"
    assert pipe(org, raw) == 0

    inbound = InboundEmail.objects.get()
    assert (inbound.state, inbound.outcome) == ("dead", "no_sender")
    inbound_email_discard(inbound=inbound)
    inbound.refresh_from_db()
    assert inbound.state == "discarded"
    assert bytes(inbound.raw) == raw


def test_a_failing_message_is_retried_then_dead_and_an_admin_reprocesses_it(
    org, pipe, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.INBOUND_MAX_ATTEMPTS = 2
    real_open = services._open

    def broken(row, parsed):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(services, "_open", broken)
    pipe(org, mail())
    inbound = InboundEmail.objects.get()
    assert (inbound.state, inbound.attempts) == ("failed", 1)
    assert "database hiccup" in inbound.last_error
    assert inbound.next_attempt_at > timezone.now()

    later = inbound.next_attempt_at + datetime.timedelta(seconds=1)
    assert inbound_process(inbound.pk, now=later)
    inbound.refresh_from_db()
    assert (inbound.state, inbound.attempts, inbound.next_attempt_at) == ("dead", 2, None)
    assert not Ticket.objects.exists()

    monkeypatch.setattr(services, "_open", real_open)
    with django_capture_on_commit_callbacks(execute=True):
        inbound_email_reprocess(inbound=inbound)
    inbound.refresh_from_db()
    assert (inbound.state, inbound.outcome) == ("done", "new_request")
    assert Ticket.objects.count() == 1


def test_a_message_whose_processor_died_is_due_again_after_the_lease(org, settings):
    settings.INBOUND_PROCESSING_LEASE_SECONDS = 60
    row, _new = services.inbound_email_store(
        organization=org, raw=mail(), source=InboundEmail.Source.PIPE
    )
    now = timezone.now()
    assert services._claim(row.pk, now)  # the processor takes it, then dies
    assert inbound_process_due() == 0
    assert not inbound_process(row.pk, now=now + datetime.timedelta(seconds=30))

    assert inbound_process(row.pk, now=now + datetime.timedelta(seconds=61))
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("done", 2)
    assert Ticket.objects.count() == 1


def test_files_that_cannot_be_kept_are_named_on_the_request(org, pipe):
    raw = mail(
        files=[
            ("setup.exe", "application/octet-stream", b"MZ" + b"0" * 100),
            ("fake.pdf", "application/pdf", b"not a pdf at all"),
            ("photo.pdf", "application/pdf", PDF),
        ]
    )
    pipe(org, raw)

    ticket = _only_ticket(org)
    assert list(ticket.attachments.values_list("filename", flat=True)) == ["photo.pdf"]
    assert "setup.exe" in ticket.description
    assert "fake.pdf" in ticket.description


def test_the_pipe_refuses_what_it_cannot_store_with_the_exit_codes_mail_servers_read(
    org, pipe, settings
):
    settings.INBOUND_EMAIL_MAX_BYTES = 2000
    assert pipe(org, b"   \r\n") == 65
    assert pipe(org, mail(body="x" * 5000)) == 65
    assert not InboundEmail.objects.exists()

    class Nobody:
        slug = "no-such-org"

    assert pipe(Nobody, mail()) == 67


def test_persian_mail_makes_a_persian_customer_and_request(org, pipe):
    pipe(
        org,
        mail(
            sender="مریم احمدی <maryam@example.ir>",
            subject="یخچال صدا می‌دهد",
            body="سلام، یخچال از دیشب صدای بلندی می‌دهد.",
        ),
    )
    ticket = _only_ticket(org)
    assert ticket.language == "fa"
    assert ticket.customer.name == "مریم احمدی"
    assert ticket.customer.preferred_language == "fa"
    assert ContactPoint.objects.get(customer=ticket.customer).value == "maryam@example.ir"
    assert Customer.objects.count() == 1
