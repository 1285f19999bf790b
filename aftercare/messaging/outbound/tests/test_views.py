"""The console's sending settings: admins only; another organization's settings answer 404;
secrets are sealed, never shown back and kept when left empty; bad input names the field and
changes nothing; the test buttons send through the real servers and show what they answered."""

import pytest
from django.urls import reverse

from aftercare.lib.sealing import unseal
from aftercare.lib.testing import text_of
from aftercare.messaging.outbound.models import EmailSetting, SmsGateway
from aftercare.messaging.outbound.tests.fakes import (
    GATEWAY_KEY,
    SMTP_PASSWORD,
    SMTP_USER,
    Answer,
    kavenegar_gateway,
)
from aftercare.messaging.outbound.tests.test_email import smtp_setting


def _email_form(server=None, **changes) -> dict:
    data = {
        "transport": "smtp",
        "from_address": "support@demo.example",
        "from_name": "Demo Service",
        "smtp_host": "127.0.0.1",
        "smtp_port": str(server.port if server else 587),
        "smtp_security": "none",
        "smtp_username": SMTP_USER,
        "smtp_password": SMTP_PASSWORD,
        "api_key": "",
        "inbound_provider": "postmark",
        "webhook_secret": "postmark:hook-Secret-1",
        "is_active": "on",
    }
    data.update(changes)
    return data


def _gateway_form(api, **changes) -> dict:
    data = {
        "name": "Kavenegar",
        "url": f"{api.url}/v1/{{api_key}}/sms/send.json",
        "method": "POST",
        "body_format": "form",
        "number_format": "e164",
        "recipient_parameter": "receptor",
        "text_parameter": "message",
        "sender_parameter": "sender",
        "sender": "10004346",
        "api_key_parameter": "",
        "api_key_header": "",
        "api_key": GATEWAY_KEY,
        "extra_parameters": "",
        "message_id_path": "entries.0.messageid",
        "success_path": "return.status",
        "success_values": "200",
        "timeout_seconds": "5",
        "report_id_parameter": "messageid",
        "report_status_parameter": "status",
        "delivered_values": "10",
        "failed_values": "6,11",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_an_admin_sets_up_the_organizations_mail_server_and_the_secrets_stay_sealed(
    org, admin_client
):
    response = admin_client.post(reverse("outbound:email_create"), _email_form())
    assert response.status_code == 302
    setting = EmailSetting.objects.get(organization=org)
    assert (setting.smtp_host, setting.smtp_username) == ("127.0.0.1", SMTP_USER)
    assert unseal(setting.smtp_password_sealed) == SMTP_PASSWORD
    assert unseal(setting.webhook_secret_sealed) == "postmark:hook-Secret-1"

    for url in (reverse("outbound:overview"), reverse("outbound:email_edit", args=[setting.pk])):
        page = text_of(admin_client.get(url))
        for secret in (SMTP_PASSWORD, "hook-Secret-1", setting.smtp_password_sealed):
            assert secret not in page, url
    assert "Stored. Leave empty to keep it." in text_of(
        admin_client.get(reverse("outbound:email_edit", args=[setting.pk]))
    )

    response = admin_client.post(
        reverse("outbound:email_edit", args=[setting.pk]),
        _email_form(smtp_password="", webhook_secret="", from_name="Demo Desk"),
    )
    assert response.status_code == 302
    setting.refresh_from_db()
    assert setting.from_name == "Demo Desk"
    assert unseal(setting.smtp_password_sealed) == SMTP_PASSWORD
    assert unseal(setting.webhook_secret_sealed) == "postmark:hook-Secret-1"
    # A second "new" page leads to the one the organization has.
    assert admin_client.get(reverse("outbound:email_create"))["Location"] == reverse(
        "outbound:email_edit", args=[setting.pk]
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"smtp_port": "0"}, "smtp_port"),
        ({"smtp_host": "bad host"}, "smtp_host"),
        ({"smtp_host": ""}, "smtp_host"),
        ({"smtp_password": ""}, "smtp_password"),
        ({"from_address": "not an address"}, "from_address"),
        ({"from_name": "Demo\r\nBcc: everyone@example.com"}, "from_name"),
        ({"smtp_security": "ssl3"}, "smtp_security"),
        ({"transport": "postmark", "api_key": ""}, "api_key"),
        ({"transport": "mailchimp"}, "transport"),
        ({"webhook_secret": "no-colon"}, "webhook_secret"),
        ({"webhook_secret": ""}, "webhook_secret"),
    ],
)
def test_bad_email_settings_are_refused_naming_the_field(org, admin_client, changes, field):
    response = admin_client.post(reverse("outbound:email_create"), _email_form(**changes))
    assert response.status_code == 422
    assert f'data-testid="error-{field}"' in text_of(response)
    assert not EmailSetting.objects.exists()


def test_a_server_on_the_installations_own_network_is_refused(org, admin_client, settings):
    settings.OUTBOUND_PRIVATE_HOSTS_ALLOWED = False
    response = admin_client.post(reverse("outbound:email_create"), _email_form())
    assert response.status_code == 422
    assert 'data-testid="error-smtp_host"' in text_of(response)
    assert not EmailSetting.objects.exists()


def test_the_test_button_sends_to_the_admins_own_address(org, admin_client, smtp_auth):
    setting = smtp_setting(org, smtp_auth)

    response = admin_client.post(reverse("outbound:email_test", args=[setting.pk]), follow=True)

    assert "A test message went to alice@demo.example." in text_of(response)
    [received] = smtp_auth.received
    assert received.recipients == ["alice@demo.example"]
    assert received.message["From"] == "support@demo.example"
    assert "Test message" in received.message["Subject"]


def test_the_test_button_shows_the_servers_refusal(org, admin_client, smtp_auth):
    setting = smtp_setting(org, smtp_auth)
    smtp_auth.password = "changed-on-the-server"

    response = admin_client.post(reverse("outbound:email_test", args=[setting.pk]), follow=True)

    page = text_of(response)
    assert "The test message was not sent: SMTP 535" in page
    assert SMTP_PASSWORD not in page
    assert smtp_auth.received == []


def test_removing_the_settings_gives_the_mail_back_to_the_installation(org, admin_client):
    admin_client.post(reverse("outbound:email_create"), _email_form())
    setting = EmailSetting.objects.get(organization=org)
    response = admin_client.post(reverse("outbound:email_delete", args=[setting.pk]))
    assert response.status_code == 302
    assert not EmailSetting.objects.exists()


def test_an_admin_sets_up_an_sms_gateway_and_sends_a_test_text(org, admin_client, gateway_api):
    response = admin_client.post(reverse("outbound:sms_create"), _gateway_form(gateway_api))
    assert response.status_code == 302
    gateway = SmsGateway.objects.get(organization=org)
    assert unseal(gateway.api_key_sealed) == GATEWAY_KEY

    page = text_of(admin_client.get(reverse("outbound:overview")))
    assert f"/hooks/sms/{gateway.report_token}/" in page
    for url in (reverse("outbound:overview"), reverse("outbound:sms_edit", args=[gateway.pk])):
        assert GATEWAY_KEY not in text_of(admin_client.get(url)), url

    response = admin_client.post(
        reverse("outbound:sms_test", args=[gateway.pk]), {"phone": "0912 345 6789"}, follow=True
    )
    assert "The gateway took the test message (id: " in text_of(response)
    [request] = gateway_api.requests
    assert request.form["receptor"] == ["+989123456789"]

    response = admin_client.post(
        reverse("outbound:sms_edit", args=[gateway.pk]),
        _gateway_form(gateway_api, api_key="", sender="30001"),
    )
    assert response.status_code == 302
    gateway.refresh_from_db()
    assert (gateway.sender, unseal(gateway.api_key_sealed)) == ("30001", GATEWAY_KEY)


def test_the_sms_test_button_shows_the_gateways_refusal_without_the_key(
    org, admin_client, gateway_api
):
    gateway = kavenegar_gateway(org, gateway_api)
    gateway_api.answer = lambda request: Answer(
        403, {"return": {"status": 403, "message": f"key {GATEWAY_KEY} is not valid"}}
    )

    response = admin_client.post(
        reverse("outbound:sms_test", args=[gateway.pk]), {"phone": "+989123456789"}, follow=True
    )

    page = text_of(response)
    assert "The test message was not sent: The SMS gateway answered 403" in page
    assert GATEWAY_KEY not in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"url": "ftp://sms.example/send"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"recipient_parameter": "to me"}, "recipient_parameter"),
        ({"timeout_seconds": "0"}, "timeout_seconds"),
        ({"extra_parameters": "type=sms\nno equals sign"}, "extra_parameters"),
        ({"success_values": ""}, "success_values"),
        ({"message_id_path": "entries 0"}, "message_id_path"),
        ({"api_key": ""}, "api_key"),
        ({"url": "https://sms.example/send"}, "api_key_parameter"),  # a key with no place
        ({"method": "PUT"}, "method"),
        ({"sender": ""}, "sender"),
    ],
)
def test_a_bad_sms_gateway_is_refused_naming_the_field(
    org, admin_client, gateway_api, changes, field
):
    response = admin_client.post(
        reverse("outbound:sms_create"), _gateway_form(gateway_api, **changes)
    )
    assert response.status_code == 422
    assert f'data-testid="error-{field}"' in text_of(response)
    assert not SmsGateway.objects.exists()


@pytest.mark.parametrize("role_client", ["agent_client", "supervisor_client", "viewer_client"])
def test_only_admins_see_and_change_the_sending_settings(
    request, role_client, org, smtp_auth, gateway_api
):
    setting = smtp_setting(org, smtp_auth)
    gateway = kavenegar_gateway(org, gateway_api)
    client = request.getfixturevalue(role_client)
    for url in (
        reverse("outbound:overview"),
        reverse("outbound:email_create"),
        reverse("outbound:email_edit", args=[setting.pk]),
        reverse("outbound:sms_create"),
        reverse("outbound:sms_edit", args=[gateway.pk]),
    ):
        assert client.get(url).status_code == 403, url
    for url in (
        reverse("outbound:email_edit", args=[setting.pk]),
        reverse("outbound:email_test", args=[setting.pk]),
        reverse("outbound:email_delete", args=[setting.pk]),
        reverse("outbound:sms_test", args=[gateway.pk]),
        reverse("outbound:sms_delete", args=[gateway.pk]),
    ):
        assert client.post(url, {"phone": "+989123456789"}).status_code == 403, url
    assert EmailSetting.objects.filter(pk=setting.pk).exists()
    assert SmsGateway.objects.filter(pk=gateway.pk).exists()
    assert smtp_auth.received == [] and gateway_api.requests == []


def test_another_organizations_settings_answer_404(org, outsider_client, smtp_auth, gateway_api):
    setting = smtp_setting(org, smtp_auth)
    gateway = kavenegar_gateway(org, gateway_api)
    for method, url in (
        ("get", reverse("outbound:email_edit", args=[setting.pk])),
        ("post", reverse("outbound:email_edit", args=[setting.pk])),
        ("post", reverse("outbound:email_test", args=[setting.pk])),
        ("post", reverse("outbound:email_delete", args=[setting.pk])),
        ("get", reverse("outbound:sms_edit", args=[gateway.pk])),
        ("post", reverse("outbound:sms_edit", args=[gateway.pk])),
        ("post", reverse("outbound:sms_test", args=[gateway.pk])),
        ("post", reverse("outbound:sms_delete", args=[gateway.pk])),
    ):
        assert getattr(outsider_client, method)(url).status_code == 404, url
    overview = text_of(outsider_client.get(reverse("outbound:overview")))
    assert "support@demo.example" not in overview and gateway.report_token not in overview
    setting.refresh_from_db()
    gateway.refresh_from_db()
    assert setting.smtp_host == "127.0.0.1" and gateway.name == "Kavenegar"
    assert smtp_auth.received == [] and gateway_api.requests == []


def test_the_sending_section_is_in_the_settings_menu_for_admins_only(admin_client, agent_client):
    assert 'data-testid="settings-nav-sending"' in text_of(
        admin_client.get(reverse("console:settings"))
    )
    assert 'data-testid="settings-nav-sending"' not in text_of(
        agent_client.get(reverse("console:settings"))
    )
