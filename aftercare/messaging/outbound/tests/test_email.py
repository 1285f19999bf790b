"""Each organization's mail through its own SMTP server (a real aiosmtpd server that wants a
password) or its email provider (Postmark's API, faked by a real HTTP server on loopback), the
rest through the installation's mailer; one connection per organization per batch; secrets
never in an error."""

import pytest

from aftercare.lib.testing_smtp import SmtpServer
from aftercare.messaging.outbound import OutboundMessage, SendError, Sent, send_many
from aftercare.messaging.outbound.models import EmailSetting
from aftercare.messaging.outbound.services import email_setting_create
from aftercare.messaging.outbound.tests.fakes import SMTP_PASSWORD, SMTP_USER, Answer, FakeApi

POSTMARK_TOKEN = "pm-server-token-0f-demo"


@pytest.fixture
def installation_smtp(settings):
    server = SmtpServer().start()
    settings.MAILERS = server.mailers()
    settings.DEFAULT_FROM_EMAIL = "aftercare <no-reply@aftercare.example>"
    yield server
    server.stop()


def smtp_setting(org, server, **changes) -> EmailSetting:
    values = {
        "transport": "smtp",
        "from_address": "Support@Demo.Example",
        "from_name": "",
        "smtp_host": "127.0.0.1",
        "smtp_port": server.port,
        "smtp_security": "none",
        "smtp_username": SMTP_USER,
        "inbound_provider": "",
        "is_active": True,
    }
    values.update(changes)
    return email_setting_create(organization=org, smtp_password=SMTP_PASSWORD, **values)


def _message(org, subject="Your request is received", **changes) -> OutboundMessage:
    return OutboundMessage(
        subject=subject,
        text="We have it.",
        sender_name="Demo Electronics",
        organization_id=org.pk if org else None,
        **changes,
    )


def test_an_organizations_mail_goes_through_its_own_server_signed_in_from_its_address(
    org, other_org, smtp_auth, installation_smtp
):
    smtp_setting(org, smtp_auth)

    results = send_many(
        channel="email",
        messages=[
            ("maryam@example.com", _message(org, "first")),
            ("mehmet@example.com", _message(other_org, "elsewhere")),
            ("ali@example.com", _message(org, "second")),
            ("system@example.com", _message(None, "no organization")),
        ],
    )

    assert all(isinstance(result, Sent) for result in results)
    own = [received.message for received in smtp_auth.received]
    assert [message["Subject"] for message in own] == ["first", "second"]
    assert own[0]["From"] == "Demo Electronics <support@demo.example>"
    assert own[0]["Message-ID"] == results[0].message_id
    assert results[0].message_id.endswith("@demo.example>")
    assert smtp_auth.logins == 1  # one connection for the organization's batch
    installation = [received.message for received in installation_smtp.received]
    assert [message["Subject"] for message in installation] == ["elsewhere", "no organization"]
    assert installation[0]["From"] == "Demo Electronics <no-reply@aftercare.example>"
    assert results[1].message_id.endswith("@aftercare.example>")


def test_the_organizations_from_name_wins_over_the_messages(org, smtp_auth):
    smtp_setting(org, smtp_auth, from_name="Demo Service Desk")

    send_many(channel="email", messages=[("maryam@example.com", _message(org))])

    assert smtp_auth.received[0].message["From"] == "Demo Service Desk <support@demo.example>"


def test_an_inactive_setting_leaves_the_mail_to_the_installation(org, smtp_auth, installation_smtp):
    setting = smtp_setting(org, smtp_auth)
    EmailSetting.objects.filter(pk=setting.pk).update(is_active=False)

    [result] = send_many(channel="email", messages=[("maryam@example.com", _message(org))])

    assert isinstance(result, Sent)
    assert smtp_auth.received == [] and len(installation_smtp.received) == 1


def test_a_wrong_password_is_the_servers_refusal_without_the_password(org, smtp_auth):
    setting = smtp_setting(org, smtp_auth)
    smtp_auth.password = "changed-on-the-server"

    results = send_many(
        channel="email",
        messages=[("maryam@example.com", _message(org)), ("ali@example.com", _message(org))],
    )

    assert all(isinstance(result, SendError) for result in results)
    assert "535" in str(results[0]) and "Authentication" in str(results[0])
    assert (
        SMTP_PASSWORD not in str(results[0]) and SMTP_PASSWORD not in setting.smtp_password_sealed
    )
    # smtplib tried each way of signing in the server offers, on the one connection.
    assert smtp_auth.refused_logins >= 1 and smtp_auth.logins == 0
    assert smtp_auth.received == []


def test_a_server_that_is_down_leaves_the_organizations_mail_for_later(org, smtp_auth):
    smtp_setting(org, smtp_auth)
    smtp_auth.stop()

    [result] = send_many(channel="email", messages=[("maryam@example.com", _message(org))])

    assert isinstance(result, SendError) and not result.permanent
    assert "could not be reached" in str(result)


def postmark(request) -> Answer:
    """Postmark's /email: the token in X-Postmark-Server-Token; errors as ErrorCode."""
    if request.headers.get("x-postmark-server-token") != POSTMARK_TOKEN:
        return Answer(401, {"ErrorCode": 10, "Message": "Bad or missing Server API token."})
    to = request.json["To"]
    if "invalid" in to:
        return Answer(422, {"ErrorCode": 300, "Message": f"Invalid 'To' address: '{to}'."})
    if "down" in to:
        return Answer(503, "Service Unavailable")
    return Answer(
        200,
        {
            "To": to,
            "SubmittedAt": "2026-12-06T10:30:00.0000000-05:00",
            "MessageID": "b7bc2f4a-e38e-4336-af7d-e6c392c2f817",
            "ErrorCode": 0,
            "Message": "OK",
        },
    )


@pytest.fixture
def postmark_api(settings):
    api = FakeApi(postmark).start()
    settings.ANYMAIL = {"POSTMARK_API_URL": f"{api.url}/"}
    yield api
    api.stop()


def postmark_setting(org, token=POSTMARK_TOKEN) -> EmailSetting:
    return email_setting_create(
        organization=org,
        api_key=token,
        transport="postmark",
        from_address="support@demo.example",
        from_name="",
        inbound_provider="",
        is_active=True,
    )


def test_an_organizations_mail_goes_through_postmarks_api(org, postmark_api):
    postmark_setting(org)

    [result] = send_many(
        channel="email",
        messages=[
            (
                "maryam@example.com",
                _message(org, thread=("<as-000042.abc@shop.example>",), reply_to="r@demo.example"),
            )
        ],
    )

    assert isinstance(result, Sent)
    [request] = postmark_api.requests
    assert request.path == "/email"
    sent = request.json
    assert sent["From"] == "Demo Electronics <support@demo.example>"
    assert sent["To"] == "maryam@example.com"
    assert sent["Subject"] == "Your request is received"
    assert sent["TextBody"] == "We have it."
    assert sent["ReplyTo"] == "r@demo.example"
    headers = {header["Name"]: header["Value"] for header in sent["Headers"]}
    assert headers["Message-ID"] == result.message_id
    assert headers["References"] == "<as-000042.abc@shop.example>"
    assert headers["Auto-Submitted"] == "auto-generated"


@pytest.mark.parametrize(
    ("to", "token", "permanent", "says"),
    [
        ("invalid@example.com", POSTMARK_TOKEN, True, "refused the address"),
        ("down@example.com", POSTMARK_TOKEN, False, "503"),
        ("maryam@example.com", "wrong-token-value", True, "Bad or missing Server API token"),
    ],
)
def test_postmarks_refusals_and_outages(org, postmark_api, to, token, permanent, says):
    postmark_setting(org, token=token)

    [result] = send_many(channel="email", messages=[(to, _message(org))])

    assert isinstance(result, SendError)
    assert result.permanent is permanent
    assert says in str(result)
    assert token not in str(result)


def test_postmark_that_cannot_be_reached_is_a_temporary_error(org, postmark_api):
    postmark_setting(org)
    postmark_api.stop()

    [result] = send_many(channel="email", messages=[("maryam@example.com", _message(org))])

    assert isinstance(result, SendError) and not result.permanent
    assert POSTMARK_TOKEN not in str(result)
