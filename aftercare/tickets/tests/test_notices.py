"""The customer hears of their request: received, answered, waiting, resolved, closed; not of
what they did themselves, nor of internal notes."""

import pytest
from django.core import mail

from aftercare.customers.services import customer_create
from aftercare.lib.vocabulary import Status
from aftercare.notifications.models import Notice
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.notices import thread_root
from aftercare.tickets.services import (
    ticket_confirm_resolution,
    ticket_message_add,
    ticket_status_change,
    ticket_update,
)
from aftercare.tickets.tests.factories import make_ticket


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the sending task, run at once by the test settings)."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def _events(ticket):
    return list(
        Notice.objects.filter(ticket_id=ticket.pk).order_by("id").values_list("event", flat=True)
    )


def test_a_new_request_tells_the_customer_its_number_in_their_language(org, customer, sent):
    ticket = sent(lambda: make_ticket(organization=org, customer=customer))

    notice = Notice.objects.get(ticket_id=ticket.pk)
    assert notice.event == Notice.Event.RECEIVED
    assert (notice.recipient, notice.language) == ("maryam@example.com", "fa")
    assert notice.context["reference"] == ticket.reference
    assert notice.context["url"].endswith(f"/portal/{org.slug}/requests/{ticket.number}/")
    assert notice.thread == [thread_root(ticket)]
    assert notice.state == Notice.State.SENT
    [message] = mail.outbox
    assert message.to == ["maryam@example.com"]
    assert ticket.reference in message.subject
    assert message.extra_headers["References"] == thread_root(ticket)


def test_an_agent_reply_is_sent_and_notes_and_customer_messages_are_not(
    org, customer, bob_agent, sent
):
    ticket = make_ticket(organization=org, customer=customer, language="en")

    sent(
        lambda: ticket_message_add(
            ticket=ticket, kind=MessageKind.NOTE, body="Check stock.", actor=bob_agent
        )
    )
    sent(
        lambda: ticket_message_add(
            ticket=ticket, kind=MessageKind.CUSTOMER, body="Any news?", actor=None
        )
    )
    reply = sent(
        lambda: ticket_message_add(
            ticket=ticket,
            kind=MessageKind.REPLY,
            body="A technician comes on Monday.",
            actor=bob_agent,
        )
    )

    assert _events(ticket) == ["received", "replied"]
    notice = Notice.objects.get(ticket_id=ticket.pk, event=Notice.Event.REPLIED)
    assert notice.key == f"message:{reply.pk}:reply"
    assert notice.context["body"] == "A technician comes on Monday."
    assert notice.context["agent"] == bob_agent.display_name
    # One run sends everything due: the request's "received" notice, then the reply.
    assert [message.subject for message in mail.outbox] == [
        f"[{ticket.reference}] Request received: Washing machine does not drain",
        f"[{ticket.reference}] Re: Washing machine does not drain",
    ]
    assert "A technician comes on Monday." in mail.outbox[1].body


def test_a_reply_is_mailed_with_its_public_files_as_they_are_when_it_is_sent(
    org, customer, bob_agent, django_capture_on_commit_callbacks, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aftercare.tickets.models import Attachment

    ticket = make_ticket(organization=org, customer=customer, language="en")
    pdf = b"%PDF-1.4 manual"
    settings.NOTICE_SEND_DEBOUNCE_SECONDS = 3600  # sent below, by hand
    with django_capture_on_commit_callbacks(execute=False):
        ticket_message_add(
            ticket=ticket,
            kind=MessageKind.REPLY,
            body="The manual and the photo.",
            actor=bob_agent,
            attachments=[
                SimpleUploadedFile("manual.pdf", pdf, content_type="application/pdf"),
                SimpleUploadedFile("photo.pdf", b"%PDF-1.4 photo", content_type="application/pdf"),
            ],
        )
    # An agent makes one file internal before the reply goes out: it stays home.
    Attachment.objects.filter(filename="photo.pdf").update(is_public=False)
    from aftercare.notifications.services import notices_send_due

    notices_send_due()

    reply = mail.outbox[-1]
    assert "The manual and the photo." in reply.body
    assert [(name, content) for name, content, _type in reply.attachments] == [("manual.pdf", pdf)]


def test_status_changes_are_told_as_waiting_resolved_with_the_resolution_and_closed(
    org, customer, bob_agent, sent
):
    ticket = make_ticket(organization=org, customer=customer)

    sent(lambda: ticket_status_change(ticket=ticket, status=Status.OPEN, actor=bob_agent))
    sent(
        lambda: ticket_status_change(ticket=ticket, status=Status.PENDING_CUSTOMER, actor=bob_agent)
    )
    ticket_update(ticket=ticket, actor=bob_agent, resolution="Replaced the drain pump.")
    sent(lambda: ticket_status_change(ticket=ticket, status=Status.RESOLVED, actor=bob_agent))
    sent(lambda: ticket_status_change(ticket=ticket, status=Status.CLOSED, actor=bob_agent))

    assert _events(ticket) == ["received", "status_changed", "waiting", "resolved", "closed"]
    resolved = Notice.objects.get(ticket_id=ticket.pk, event=Notice.Event.RESOLVED)
    assert resolved.context["body"] == "Replaced the drain pump."
    assert Notice.objects.filter(ticket_id=ticket.pk, state=Notice.State.SENT).count() == 5


def test_what_the_customer_did_themselves_is_not_told_back(org, customer, bob_agent, sent):
    ticket = make_ticket(organization=org, customer=customer)
    ticket_status_change(ticket=ticket, status=Status.RESOLVED, actor=bob_agent)
    portal_user = customer_portal_user(customer)

    sent(lambda: ticket_confirm_resolution(ticket=ticket, actor=portal_user))

    assert _events(ticket) == ["received", "resolved"]


def test_a_customer_without_an_email_address_gets_no_mail(org, sent):
    phone_only = customer_create(organization=org, name="Ali", phones=["+98 912 000 0000"])

    ticket = sent(lambda: make_ticket(organization=org, customer=phone_only))

    assert _events(ticket) == []
    assert mail.outbox == []


def customer_portal_user(customer):
    """The customer's own sign-in, as the portal creates it."""
    from aftercare.accounts.models import User

    user = User.objects.create_user(email="maryam@example.com")
    customer.user = user
    customer.save(update_fields=["user"])
    return user


def test_the_customer_page_lists_what_the_customer_was_sent_and_only_that(
    org, customer, agent_client, sent
):
    from django.urls import reverse

    ticket = sent(lambda: make_ticket(organization=org, customer=customer, language="en"))
    other = customer_create(organization=org, name="Other", emails=["other@example.com"])
    sent(lambda: make_ticket(organization=org, customer=other))

    response = agent_client.get(reverse("customers:detail", args=[customer.pk]))

    html = response.content.decode()
    assert html.count('data-testid="customer-notice-row"') == 1
    assert 'data-state="sent"' in html
    assert (
        f'href="{reverse("tickets:detail", args=[ticket.number])}" dir="ltr">'
        f"{ticket.reference}" in html
    )
    assert "maryam@example.com" in html and "other@example.com" not in html
    assert "Request received" in html


def test_the_customer_page_says_when_nothing_was_sent(org, agent_client):
    from django.urls import reverse

    quiet = customer_create(organization=org, name="Quiet", phones=["+98 912 000 0001"])

    response = agent_client.get(reverse("customers:detail", args=[quiet.pk]))

    assert "No notices sent yet." in response.content.decode()


def test_the_customer_page_reads_its_notices_in_one_query_however_many(org, agent_client, sent):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    few = customer_create(organization=org, name="Few", emails=["few@example.com"])
    many = customer_create(organization=org, name="Many", emails=["many@example.com"])
    sent(lambda: make_ticket(organization=org, customer=few))
    for _ in range(8):
        sent(lambda: make_ticket(organization=org, customer=many))

    def count(customer):
        with CaptureQueriesContext(connection) as queries:
            response = agent_client.get(reverse("customers:detail", args=[customer.pk]))
        assert response.status_code == 200
        return len(queries), response.content.decode().count('data-testid="customer-notice-row"')

    assert count(few)[1] == 1 and count(many)[1] == 8
    assert count(few)[0] == count(many)[0]


def test_a_customer_who_prefers_the_phone_is_texted_through_the_organizations_gateway(
    org, settings, django_capture_on_commit_callbacks
):
    from aftercare.customers.services import customer_create
    from aftercare.lib.vocabulary import Channel
    from aftercare.messaging.outbound.tests.fakes import FakeApi, kavenegar, kavenegar_gateway

    settings.OUTBOUND_PRIVATE_HOSTS_ALLOWED = True  # the fake gateway is on loopback
    api = FakeApi(kavenegar).start()
    try:
        kavenegar_gateway(org, api)
        caller = customer_create(
            organization=org,
            name="Reza",
            emails=["reza@example.ir"],
            phones=["0912 345 6789"],
            preferred_channel=Channel.PHONE,
        )
        with django_capture_on_commit_callbacks(execute=True):
            ticket = make_ticket(organization=org, customer=caller, language="fa")
    finally:
        api.stop()
    notice = Notice.objects.get(ticket_id=ticket.pk)
    assert (notice.channel, notice.recipient, notice.state) == ("sms", "+989123456789", "sent")
    [request] = api.requests
    text = request.form["message"][0]
    assert ticket.reference in text and f"/requests/{ticket.number}/" in text
    assert len(text) < 200
    assert mail.outbox == []
