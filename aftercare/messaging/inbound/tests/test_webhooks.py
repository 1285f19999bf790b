"""Provider webhooks, posted as the providers post them: Postmark's inbound JSON (checked with
the organization's own webhook secret through django-anymail, stored raw before anything else,
the organization chosen by the recipient), and SMS gateways' delivery reports that mark a sent
notice delivered or failed. Nothing is stored or changed on a refusal."""

import base64
import json

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from aftercare.lib.testing_smtp import SmtpServer
from aftercare.messaging.inbound import webhooks
from aftercare.messaging.inbound.models import InboundEmail
from aftercare.messaging.inbound.services import mailbox_create
from aftercare.messaging.inbound.tests.conftest import mail
from aftercare.messaging.outbound.services import email_setting_create
from aftercare.messaging.outbound.tests.fakes import (
    SMTP_PASSWORD,
    SMTP_USER,
    AuthSmtpServer,
    FakeApi,
    kavenegar,
    kavenegar_gateway,
)
from aftercare.notifications.models import Notice
from aftercare.notifications.services import notice_queue, notice_send
from aftercare.tickets.models import Ticket

SECRET = "postmark:hook-Secret-1"
OTHER_SECRET = "postmark:other-Secret-2"
URL = "/hooks/email/postmark/"


def _auth(secret: str = SECRET) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def _receiving(org, *, secret: str, address: str):
    return email_setting_create(
        organization=org,
        transport="postmark",
        api_key="pm-token",
        from_address=address,
        from_name="",
        inbound_provider="postmark",
        webhook_secret=secret,
        is_active=True,
    )


@pytest.fixture
def receiving(org):
    return _receiving(org, secret=SECRET, address="support@demo.example")


def postmark_payload(raw: bytes | None = None, *, to="support@demo.example", **changes) -> dict:
    """Postmark's inbound webhook JSON, as its documentation shows it."""
    payload = {
        "FromName": "Maryam Ahmadi",
        "MessageStream": "inbound",
        "From": "maryam@example.com",
        "FromFull": {"Email": "maryam@example.com", "Name": "Maryam Ahmadi", "MailboxHash": ""},
        "To": f"Support <{to}>",
        "ToFull": [{"Email": to, "Name": "Support", "MailboxHash": ""}],
        "Cc": "",
        "CcFull": [],
        "Bcc": "",
        "BccFull": [],
        "OriginalRecipient": to,
        "Subject": "The fridge is noisy",
        "MessageID": "73e6d360-66eb-11e1-8e72-a8904824019b",
        "ReplyTo": "",
        "MailboxHash": "",
        "Date": "Sun, 6 Dec 2026 10:45:32 +0330",
        "TextBody": "It hums all night since Tuesday.",
        "HtmlBody": "<p>It hums all night since Tuesday.</p>",
        "StrippedTextReply": "",
        "Tag": "",
        "Headers": [
            {"Name": "Return-Path", "Value": "<maryam@example.com>"},
            {"Name": "Message-ID", "Value": "<noisy-fridge@example.com>"},
            {"Name": "X-Spam-Status", "Value": "No"},
        ],
        "Attachments": [],
    }
    if raw is not None:
        payload["RawEmail"] = raw.decode()
    payload.update(changes)
    return payload


def _post(client, payload, **headers):
    body = payload if isinstance(payload, bytes | str) else json.dumps(payload)
    return client.post(URL, body, content_type="application/json", **headers)


def test_a_message_with_its_raw_mime_is_stored_as_it_arrived_then_becomes_a_request(
    org, client, receiving, django_capture_on_commit_callbacks
):
    raw = mail(to="Support <support@demo.example>")

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, postmark_payload(raw), **_auth())

    assert response.status_code == 200
    row = InboundEmail.objects.get()
    assert response.json() == {"stored": row.pk}
    assert (row.organization_id, row.source) == (org.pk, "webhook")
    assert bytes(row.raw) == raw
    assert (row.envelope_sender, row.envelope_recipient) == (
        "maryam@example.com",
        "support@demo.example",
    )
    assert (row.state, row.outcome) == ("done", "new_request")
    ticket = Ticket.objects.get(organization=org)
    assert ticket.subject == "The fridge is noisy" and ticket.channel == "email"


def test_without_the_raw_mime_anymail_builds_the_message_from_postmarks_fields(
    org, client, receiving, django_capture_on_commit_callbacks
):
    attachment = base64.b64encode(b"%PDF-1.4 label").decode()
    payload = postmark_payload(
        Attachments=[
            {
                "Name": "label.pdf",
                "Content": attachment,
                "ContentType": "application/pdf",
                "ContentLength": 14,
            }
        ]
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, payload, **_auth())

    assert response.status_code == 200
    row = InboundEmail.objects.get()
    raw = bytes(row.raw)
    assert b"Subject: The fridge is noisy" in raw and b"label.pdf" in raw
    assert row.message_id == "<noisy-fridge@example.com>"
    ticket = Ticket.objects.get(organization=org)
    assert "It hums all night since Tuesday." in ticket.description
    assert [file.filename for file in ticket.attachments.all()] == ["label.pdf"]


def test_the_recipient_chooses_the_organization_by_its_mailbox_with_a_reply_token_set_aside(
    org, other_org, client, receiving
):
    _receiving(other_org, secret=OTHER_SECRET, address="noreply@other.example")
    mailbox_create(
        organization=other_org,
        password="x",
        name="Help",
        address="help@other.example",
        host="imap.other.example",
        port=993,
        security="ssl",
        username="help",
        folder="INBOX",
    )
    payload = postmark_payload(
        mail(to="help+r1a-0123456789ab@other.example"), to="HELP+r1a-0123456789ab@Other.Example"
    )

    response = _post(client, payload, **_auth(OTHER_SECRET))

    assert response.status_code == 200
    assert InboundEmail.objects.get().organization_id == other_org.pk


def test_two_organizations_with_one_address_are_told_apart_by_their_secret(
    org, other_org, client, receiving
):
    _receiving(other_org, secret=OTHER_SECRET, address="support@demo.example")

    assert _post(client, postmark_payload(mail()), **_auth(OTHER_SECRET)).status_code == 200
    assert InboundEmail.objects.get().organization_id == other_org.pk


@pytest.mark.parametrize(
    "headers",
    [
        {},
        _auth("postmark:wrong"),
        _auth(OTHER_SECRET),  # another organization's secret
        {"HTTP_AUTHORIZATION": "Basic not-base64!"},
        {"HTTP_AUTHORIZATION": "Bearer " + SECRET},
    ],
)
def test_a_missing_or_wrong_secret_is_refused_and_nothing_is_stored(
    other_org, client, receiving, headers
):
    _receiving(other_org, secret=OTHER_SECRET, address="support@other.example")

    response = _post(client, postmark_payload(mail()), **headers)

    assert response.status_code == 403
    assert not InboundEmail.objects.exists()


def test_mail_for_nobody_here_answers_404_and_nothing_is_stored(client, receiving):
    payload = postmark_payload(mail(to="sales@elsewhere.example"), to="sales@elsewhere.example")
    assert _post(client, payload, **_auth()).status_code == 404
    assert not InboundEmail.objects.exists()


def test_an_organization_that_does_not_receive_through_postmark_is_nobody_here(org, client):
    email_setting_create(
        organization=org,
        transport="postmark",
        api_key="pm-token",
        from_address="support@demo.example",
        from_name="",
        inbound_provider="",
        is_active=True,
    )
    assert _post(client, postmark_payload(mail()), **_auth()).status_code == 404
    assert not InboundEmail.objects.exists()


@pytest.mark.parametrize(
    "body", [b"{not json", b"[1, 2]", b'{"ToFull": "x"}', "\udcff".encode("utf-8", "surrogatepass")]
)
def test_a_body_that_is_not_postmarks_answers_400(client, receiving, body):
    assert _post(client, body, **_auth()).status_code == 400
    assert not InboundEmail.objects.exists()


def test_a_second_delivery_of_the_same_message_is_counted_not_stored_again(client, receiving):
    payload = postmark_payload(mail())
    assert _post(client, payload, **_auth()).status_code == 200
    assert _post(client, payload, **_auth()).status_code == 200
    row = InboundEmail.objects.get()
    assert row.deliveries == 2


class _Unreadable:
    """A request body that must not be read."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_body_declared_too_large_is_refused_before_it_is_read(settings, receiving):
    settings.INBOUND_WEBHOOK_MAX_BYTES = 1000
    request = RequestFactory().generic(
        "POST",
        URL,
        b"",
        content_type="application/json",
        CONTENT_LENGTH="1001",
        **{"wsgi.input": _Unreadable()},
        **_auth(),
    )

    response = webhooks.email_webhook(request, provider="postmark")

    assert response.status_code == 413
    assert not InboundEmail.objects.exists()


def test_a_message_larger_than_inbound_mail_may_be_is_refused(settings, client, receiving):
    settings.INBOUND_EMAIL_MAX_BYTES = 2000
    raw = mail(body="x" * 3000)

    response = _post(client, postmark_payload(raw), **_auth())

    assert response.status_code == 413
    assert not InboundEmail.objects.exists()


def test_only_post_and_head_and_only_known_providers(client, receiving):
    assert client.get(URL).status_code == 405
    assert client.head(URL).status_code == 200
    assert (
        client.post("/hooks/email/sendgrid/", "{}", content_type="application/json").status_code
        == 404
    )
    assert reverse("hooks:email", args=["postmark"]) == URL


@pytest.fixture
def gateway_api(settings):
    settings.OUTBOUND_PRIVATE_HOSTS_ALLOWED = True
    api = FakeApi(kavenegar).start()
    yield api
    api.stop()


@pytest.fixture
def sent_sms(org, customer, gateway_api):
    """A notice sent by SMS through the organization's (fake Kavenegar) gateway."""
    gateway = kavenegar_gateway(org, gateway_api)
    notice = notice_queue(
        organization=org,
        event=Notice.Event.RECEIVED,
        recipient="+989123456789",
        language="en",
        key="sms-1",
        channel="sms",
        urgent=True,
        context={
            "reference": "AS-000042",
            "subject": "Fridge is noisy",
            "name": "Maryam Ahmadi",
            "organization": "Demo Electronics",
            "time_zone": "Asia/Tehran",
            "url": "http://127.0.0.1:8000/portal/demo/requests/42/",
            "status": "open",
        },
        customer=customer,
        ticket_id=42,
    )
    assert notice_send(notice.pk) is True
    notice.refresh_from_db()
    assert notice.state == Notice.State.SENT and notice.message_id == str(8792343 + 13)
    return gateway, notice


def _report_url(gateway) -> str:
    return reverse("hooks:sms_report", args=[gateway.report_token])


def test_a_delivery_report_marks_the_sms_notice_delivered(client, sent_sms):
    gateway, notice = sent_sms

    response = client.post(_report_url(gateway), {"messageid": notice.message_id, "status": "10"})

    assert response.status_code == 200
    notice.refresh_from_db()
    assert notice.state == Notice.State.DELIVERED


def test_a_failure_report_by_get_marks_it_failed_with_the_status(client, sent_sms):
    gateway, notice = sent_sms

    response = client.get(_report_url(gateway), {"messageid": notice.message_id, "status": "11"})

    assert response.status_code == 200
    notice.refresh_from_db()
    assert notice.state == Notice.State.FAILED
    assert notice.last_error == "The SMS gateway reported status 11."


def test_reports_as_a_json_list_and_a_status_on_the_way_changes_nothing(client, sent_sms):
    gateway, notice = sent_sms
    reports = [{"messageid": notice.message_id, "status": 1}, {"messageid": "999", "status": 10}]

    response = client.post(
        _report_url(gateway), json.dumps(reports), content_type="application/json"
    )

    assert response.status_code == 200
    notice.refresh_from_db()
    assert notice.state == Notice.State.SENT


@pytest.mark.parametrize(
    "data", [{"status": "10"}, {"messageid": "8792356"}, {"messageid": "", "status": "10"}]
)
def test_a_report_without_its_fields_answers_400_and_changes_nothing(client, sent_sms, data):
    gateway, notice = sent_sms
    assert client.post(_report_url(gateway), data).status_code == 400
    notice.refresh_from_db()
    assert notice.state == Notice.State.SENT


def test_a_wrong_token_answers_404_and_changes_nothing(client, sent_sms):
    _gateway, notice = sent_sms
    for token in ("not-the-token", "x" * 100):
        response = client.post(
            reverse("hooks:sms_report", args=[token]),
            {"messageid": notice.message_id, "status": "10"},
        )
        assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.state == Notice.State.SENT


def test_another_organizations_gateway_cannot_report_on_this_organizations_notice(
    client, other_org, sent_sms, gateway_api
):
    _gateway, notice = sent_sms
    other_gateway = kavenegar_gateway(other_org, gateway_api)

    response = client.post(
        _report_url(other_gateway), {"messageid": notice.message_id, "status": "10"}
    )

    assert response.status_code == 200
    notice.refresh_from_db()
    assert notice.state == Notice.State.SENT


# A notice of an organization with its own mail server goes out through it (notifications
# passes the organization with each payload); the rest of the suite covers the installation's.


@pytest.fixture
def own_smtp(settings):
    settings.OUTBOUND_PRIVATE_HOSTS_ALLOWED = True
    server = AuthSmtpServer(username=SMTP_USER, password=SMTP_PASSWORD).start()
    installation = SmtpServer().start()
    settings.MAILERS = installation.mailers()
    yield server, installation
    server.stop()
    installation.stop()


def test_a_notice_of_an_organization_with_its_own_server_goes_through_it(org, customer, own_smtp):
    smtp_auth, installation_smtp = own_smtp
    email_setting_create(
        organization=org,
        smtp_password=SMTP_PASSWORD,
        transport="smtp",
        from_address="support@demo.example",
        from_name="",
        smtp_host="127.0.0.1",
        smtp_port=smtp_auth.port,
        smtp_security="none",
        smtp_username=SMTP_USER,
        inbound_provider="",
        is_active=True,
    )
    notice = notice_queue(
        organization=org,
        event=Notice.Event.RECEIVED,
        recipient="maryam@example.com",
        language="en",
        key="k1",
        context={
            "reference": "AS-000042",
            "subject": "Fridge is noisy",
            "name": "Maryam Ahmadi",
            "organization": "Demo Electronics",
            "time_zone": "Asia/Tehran",
            "url": "http://127.0.0.1:8000/portal/demo/requests/42/",
            "status": "open",
        },
        customer=customer,
        ticket_id=42,
    )

    assert notice_send(notice.pk) is True

    [received] = smtp_auth.received
    assert received.recipients == ["maryam@example.com"]
    assert received.message["From"] == "Demo Electronics <support@demo.example>"
    notice.refresh_from_db()
    assert notice.state == Notice.State.SENT
    assert notice.message_id == received.message["Message-ID"]
    assert installation_smtp.received == []


def test_providers_post_without_a_csrf_token(receiving, sent_sms):
    client = Client(enforce_csrf_checks=True)
    gateway, notice = sent_sms
    assert _post(client, postmark_payload(mail()), **_auth()).status_code == 200
    response = client.post(_report_url(gateway), {"messageid": notice.message_id, "status": "10"})
    assert response.status_code == 200
