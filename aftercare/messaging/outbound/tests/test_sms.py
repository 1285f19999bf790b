"""SMS through an organization's HTTP gateway, against a fake gateway that is a real HTTP server
on loopback speaking Kavenegar's shape (and a generic JSON gateway): what the gateway receives,
the message id it answers, errors that can or cannot be tried again, a gateway that does not
answer, and the API key that never shows in an error or a log."""

import logging

import pytest

from aftercare.messaging.outbound import OutboundMessage, SendError, Sent, send_many
from aftercare.messaging.outbound.models import SmsGateway
from aftercare.messaging.outbound.services import sms_gateway_create
from aftercare.messaging.outbound.tests.fakes import GATEWAY_KEY, Answer, kavenegar_gateway


def _text(org, text="Your request AS-000042 is ready for pick-up.") -> OutboundMessage:
    return OutboundMessage(
        subject="ignored", text=text, html="<b>ignored</b>", organization_id=org.pk
    )


def test_a_text_goes_through_the_organizations_gateway_and_its_id_comes_back(org, gateway_api):
    kavenegar_gateway(org, gateway_api)

    [result] = send_many(channel="sms", messages=[("0912 345 6789", _text(org))])

    assert result == Sent(message_id=str(8792343 + len("+989123456789")))
    [request] = gateway_api.requests
    assert request.method == "POST"
    assert request.path == f"/v1/{GATEWAY_KEY}/sms/send.json"
    assert request.form == {
        "receptor": ["+989123456789"],  # read in the organization's country (IR), as E.164
        "message": ["Your request AS-000042 is ready for pick-up."],
        "sender": ["10004346"],
    }


def test_a_json_gateway_with_the_key_in_a_header_and_numbers_without_plus(org, gateway_api):
    gateway_api.answer = lambda request: Answer(200, {"data": {"id": "abc-1"}, "ok": True})
    kavenegar_gateway(
        org,
        gateway_api,
        url=f"{gateway_api.url}/api/send",
        body_format="json",
        number_format="digits",
        recipient_parameter="to",
        text_parameter="text",
        sender_parameter="from",
        api_key_header="X-API-KEY",
        extra_parameters="type=sms\nencoding = utf8",
        message_id_path="data.id",
        success_path="ok",
        success_values="true",
    )

    [result] = send_many(channel="sms", messages=[("+90 532 123 45 67", _text(org, "Merhaba"))])

    assert result == Sent(message_id="abc-1")
    [request] = gateway_api.requests
    assert request.headers["x-api-key"] == GATEWAY_KEY
    assert request.json == {
        "type": "sms",
        "encoding": "utf8",
        "to": "905321234567",
        "text": "Merhaba",
        "from": "10004346",
    }


def test_a_get_gateway_carries_everything_in_the_query_string(org, gateway_api):
    gateway_api.answer = lambda request: Answer(200, "OK 123")
    kavenegar_gateway(
        org,
        gateway_api,
        url=f"{gateway_api.url}/sys/send.php",
        method="GET",
        recipient_parameter="phones",
        text_parameter="mes",
        sender_parameter="",
        sender="",
        api_key_parameter="psw",
        message_id_path="",
        success_path="",
        success_values="",
    )

    [result] = send_many(channel="sms", messages=[("+7 701 234 5678", _text(org, "Сәлем"))])

    assert result == Sent(message_id="")  # any 2xx is success; this gateway names no id
    [request] = gateway_api.requests
    assert request.method == "GET"
    assert request.query == {"phones": ["+77012345678"], "mes": ["Сәлем"], "psw": [GATEWAY_KEY]}


def test_a_batch_of_two_organizations_goes_through_each_ones_gateway(org, other_org, gateway_api):
    kavenegar_gateway(org, gateway_api, sender="1000")
    kavenegar_gateway(other_org, gateway_api, sender="2000")
    messages = [
        ("+989121111111", _text(org)),
        ("+905321234567", _text(other_org)),
        ("+989122222222", _text(org)),
    ]

    results = send_many(channel="sms", messages=messages)

    assert all(isinstance(result, Sent) for result in results)
    senders = [(r.form["receptor"][0], r.form["sender"][0]) for r in gateway_api.requests]
    assert senders == [
        ("+989121111111", "1000"),
        ("+989122222222", "1000"),
        ("+905321234567", "2000"),
    ]


@pytest.mark.parametrize(
    ("status", "body", "permanent"),
    [
        (403, {"return": {"status": 403, "message": "API-Key معتبر نمی‌باشد"}}, True),
        (411, {"return": {"status": 411, "message": "receptor invalid"}}, True),
        (429, {"return": {"status": 429, "message": "slow down"}}, False),
        (500, "Internal Server Error", False),
        (503, {"return": {"status": 503}}, False),
    ],
)
def test_gateway_errors_are_permanent_for_4xx_and_temporary_for_5xx(
    org, gateway_api, status, body, permanent
):
    gateway_api.answer = lambda request: Answer(status, body)
    kavenegar_gateway(org, gateway_api)

    [result] = send_many(channel="sms", messages=[("+989123456789", _text(org))])

    assert isinstance(result, SendError)
    assert result.permanent is permanent
    assert f"answered {status}" in str(result)


def test_a_refusal_in_the_answer_body_is_permanent(org, gateway_api):
    gateway_api.answer = lambda request: Answer(
        200, {"return": {"status": 418, "message": "اعتبار کافی نیست"}, "entries": None}
    )
    kavenegar_gateway(org, gateway_api)

    [result] = send_many(channel="sms", messages=[("+989123456789", _text(org))])

    assert isinstance(result, SendError) and result.permanent
    assert "refused the message" in str(result) and "اعتبار کافی نیست" in str(result)


def test_a_gateway_that_does_not_answer_in_time_holds_back_the_rest_of_the_batch(org, gateway_api):
    gateway_api.answer = lambda request: Answer(200, {}, delay=3)
    kavenegar_gateway(org, gateway_api, timeout_seconds=1)

    results = send_many(
        channel="sms",
        messages=[("+989121111111", _text(org)), ("+989122222222", _text(org))],
    )

    assert [type(result).__name__ for result in results] == ["GatewayDown", "GatewayDown"]
    assert all(not result.permanent for result in results)
    assert "did not answer within 1 s" in str(results[0])
    assert len(gateway_api.requests) == 1  # the second was not tried


def test_a_gateway_that_cannot_be_reached_is_a_temporary_error(org, gateway_api):
    kavenegar_gateway(org, gateway_api)
    gateway_api.stop()

    [result] = send_many(channel="sms", messages=[("+989123456789", _text(org))])

    assert isinstance(result, SendError) and not result.permanent
    assert "could not be reached" in str(result)


def test_a_bad_number_an_empty_text_and_no_gateway_are_permanent_errors(
    org, other_org, gateway_api
):
    kavenegar_gateway(org, gateway_api)

    results = send_many(
        channel="sms",
        messages=[
            ("12", _text(org)),
            ("+989123456789", _text(org, "   ")),
            ("+905321234567", _text(other_org)),
        ],
    )

    assert all(isinstance(result, SendError) and result.permanent for result in results)
    assert "valid phone number" in str(results[0])
    assert "no text" in str(results[1])
    assert "No SMS gateway" in str(results[2])
    assert gateway_api.requests == []


def test_an_inactive_gateway_sends_nothing(org, gateway_api):
    gateway = kavenegar_gateway(org, gateway_api)
    SmsGateway.objects.filter(pk=gateway.pk).update(is_active=False)

    [result] = send_many(channel="sms", messages=[("+989123456789", _text(org))])

    assert isinstance(result, SendError) and result.permanent
    assert gateway_api.requests == []


def test_the_api_key_never_shows_in_an_error_or_a_log(org, gateway_api, caplog):
    gateway_api.answer = lambda request: Answer(
        403, {"echo": f"bad key {GATEWAY_KEY} for {request.path}"}
    )
    kavenegar_gateway(org, gateway_api, method="GET", api_key_parameter="apikey")
    caplog.set_level(logging.DEBUG)

    [refused] = send_many(channel="sms", messages=[("+989123456789", _text(org))])
    gateway_api.stop()
    [unreachable] = send_many(channel="sms", messages=[("+989123456789", _text(org))])

    assert "bad key *** for" in str(refused)
    for text in (str(refused), str(unreachable), caplog.text):
        assert GATEWAY_KEY not in text
    assert "/sms/send.json" in caplog.text  # urllib3 logged the requests, without the key


def test_the_api_key_is_sealed_at_rest(org):
    gateway = sms_gateway_create(
        organization=org,
        api_key=GATEWAY_KEY,
        name="Generic",
        url="https://sms.example/send",
        method="POST",
        recipient_parameter="to",
        text_parameter="text",
        api_key_header="Authorization",
        report_id_parameter="id",
        report_status_parameter="status",
    )
    assert GATEWAY_KEY not in gateway.api_key_sealed
    assert len(gateway.report_token) >= 32
