"""Email end to end against real servers on loopback: Debian's dovecot holds the support
mailbox, aiosmtpd receives what the product sends. A customer's mail polled from the mailbox
opens a request; the agent's reply leaves through SMTP with threading headers and the request's
reply address; the customer's answer to it lands on the same request; a stranger's mail with the
same subject tag does not."""

import email
import email.policy
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from aftercare.lib.testing_smtp import SmtpServer
from aftercare.messaging.inbound.imap import mailbox_check, mailbox_poll
from aftercare.messaging.inbound.models import InboundEmail, Mailbox
from aftercare.messaging.inbound.services import mailbox_create
from aftercare.messaging.inbound.tests.conftest import mail
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import Ticket, TicketMessage
from aftercare.tickets.notices import thread_root
from aftercare.tickets.services import ticket_message_add


@pytest.fixture
def smtp(settings):
    server = SmtpServer().start()
    settings.MAILERS = server.mailers()
    settings.DEFAULT_FROM_EMAIL = "Demo Support <support@demo.example>"
    settings.INBOUND_EMAIL_ADDRESS = "support@demo.example"
    yield server
    server.stop()


@pytest.fixture
def support_box(org, imap_server, imap_user):
    return mailbox_create(
        organization=org,
        password=imap_user.password,
        name="Support",
        address="support@demo.example",
        host=imap_server.host,
        port=imap_server.port,
        security=Mailbox.Security.NONE,
        username=imap_user.username,
        folder="INBOX",
        processed_folder="Processed",
    )


@pytest.fixture
def poll(django_capture_on_commit_callbacks):
    """Poll a mailbox as the periodic task does, and run what the commits ask for."""

    def run(mailbox: Mailbox) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            stored = mailbox_poll(mailbox=mailbox)
        mailbox.refresh_from_db()
        assert mailbox.last_error == ""
        return stored

    return run


def _parsed(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def test_a_conversation_by_email_stays_on_one_request(
    org,
    imap_server,
    imap_user,
    support_box,
    smtp,
    poll,
    bob_agent,
    django_capture_on_commit_callbacks,
):
    imap_server.append(imap_user.username, mail(body="My washing machine leaks."))
    assert poll(support_box) == 1

    ticket = Ticket.objects.get(organization=org)
    assert ticket.description == "My washing machine leaks."
    assert ticket.contact_email == "maryam@example.com"
    # The mail was moved out of the polled folder once stored.
    assert imap_server.messages(imap_user.username, "INBOX") == []
    assert len(imap_server.messages(imap_user.username, "Processed")) == 1
    [received_notice] = smtp.received
    assert ticket.reference in _parsed(received_notice.raw)["Subject"]

    with django_capture_on_commit_callbacks(execute=True):
        ticket_message_add(
            ticket=ticket,
            kind=MessageKind.REPLY,
            body="Close the tap; we come Monday.",
            actor=bob_agent,
        )
    reply = _parsed(smtp.received[-1].raw)
    assert smtp.received[-1].recipients == ["maryam@example.com"]
    assert "Close the tap; we come Monday." in reply.get_body(("plain",)).get_content()
    assert reply["In-Reply-To"] == thread_root(ticket)
    assert thread_root(ticket) in reply["References"]
    reply_to = reply["Reply-To"].addresses[0].addr_spec
    assert reply_to.startswith("support+r") and reply_to.endswith("@demo.example")

    # The customer answers from their mail client: to the reply address, quoting the reply.
    answer = EmailMessage()
    answer["From"] = "Maryam Ahmadi <maryam@example.com>"
    answer["To"] = reply["Reply-To"]
    answer["Subject"] = "Re: " + reply["Subject"]
    answer["Message-ID"] = make_msgid(domain="example.com")
    answer["In-Reply-To"] = reply["Message-ID"]
    answer["References"] = f"{reply['References']} {reply['Message-ID']}"
    answer.set_content("Monday is fine.\n\n> Close the tap; we come Monday.\n")
    imap_server.append(imap_user.username, bytes(answer))

    # A stranger copies the subject, tag included.
    stranger = mail(
        sender="Eve <eve@example.net>", subject="Re: " + reply["Subject"], body="I am not Maryam."
    )
    imap_server.append(imap_user.username, stranger)
    assert poll(support_box) == 2

    messages = list(
        TicketMessage.objects.filter(ticket=ticket).order_by("id").values_list("kind", "body")
    )
    assert messages[0] == (MessageKind.REPLY, "Close the tap; we come Monday.")
    assert messages[1][0] == MessageKind.CUSTOMER
    assert messages[1][1].startswith("Monday is fine.")
    assert len(messages) == 2
    other = Ticket.objects.exclude(pk=ticket.pk).get(organization=org)
    assert (other.contact_email, other.description) == ("eve@example.net", "I am not Maryam.")
    assert len(imap_server.messages(imap_user.username, "Processed")) == 3


def test_polling_again_reads_nothing_twice_and_a_new_uidvalidity_is_recognised(
    org, imap_server, imap_user, support_box, poll, settings
):
    settings.INBOUND_EMAIL_ADDRESS = "support@demo.example"
    Mailbox.objects.filter(pk=support_box.pk).update(processed_folder="")
    support_box.refresh_from_db()
    first = mail(body="First.")
    imap_server.append(imap_user.username, first)
    assert poll(support_box) == 1
    assert poll(support_box) == 0
    [(uid, raw, flags)] = imap_server.messages(imap_user.username)
    assert raw.replace(b"\r\n", b"\n") == first.replace(b"\r\n", b"\n")
    assert "\\Seen" in flags
    assert support_box.last_uid == uid

    # The folder is rebuilt on the server (new UIDVALIDITY): everything is read again, and what
    # was stored before is recognised, not made into a second request.
    Mailbox.objects.filter(pk=support_box.pk).update(uidvalidity=1)
    support_box.refresh_from_db()
    assert poll(support_box) == 0
    assert InboundEmail.objects.get().deliveries == 2
    assert Ticket.objects.filter(organization=org).count() == 1


def test_a_wrong_password_is_recorded_on_the_mailbox_and_stores_nothing(org, support_box):
    from aftercare.lib.sealing import seal

    Mailbox.objects.filter(pk=support_box.pk).update(password_sealed=seal("wrong"))
    support_box.refresh_from_db()
    assert mailbox_check(mailbox=support_box) != ""
    assert mailbox_poll(mailbox=support_box) == 0
    support_box.refresh_from_db()
    assert support_box.last_error
    assert not InboundEmail.objects.exists()
