"""SMS out: the text of a payload to a phone number, through the organization's gateway.

A gateway kind is an `SmsAdapter`: made for one organization's batch, it sends one text at a
time over what it keeps open (an HTTP session) and is closed after the batch. Today there is one
kind, `HttpGatewayAdapter`, configured per organization (`SmsGateway`) in the shape Iranian,
Turkish and Kazakh gateways share: a URL (the API key may sit in it as `{api_key}`), GET or POST
with form or JSON fields named by the organization, and a JSON answer whose fields say whether
the message was taken and under which id. Messengers will add adapters of their own channel.

The API key is sealed at rest and never written anywhere: not in errors (which the console and
the outbound log show), not in logs (urllib3 logs request lines at DEBUG; a filter takes it out).
"""

import json
import logging
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote, urlsplit

import requests

from aftercare.lib.errors import ApplicationError
from aftercare.lib.phone import normalize_phone
from aftercare.lib.sealing import SealError, unseal
from aftercare.messaging.outbound.network import host_is_public
from aftercare.messaging.outbound.payload import OutboundMessage, SendError, Sent

if TYPE_CHECKING:
    from aftercare.messaging.outbound.models import SmsGateway

# HTTP answers that say "not now" rather than "never".
_TRY_AGAIN = frozenset({408, 409, 425, 429})
# How much of a gateway's answer an error quotes.
_EXCERPT = 300
_NOT_JSON = object()

_keys_in_use: Counter[str] = Counter()
_keys_lock = threading.Lock()


@contextmanager
def _hidden(key: str) -> Iterator[None]:
    """While a gateway's key is in use, the log filter takes it out of urllib3's records."""
    if not key:
        yield
        return
    with _keys_lock:
        _keys_in_use[key] += 1
    try:
        yield
    finally:
        with _keys_lock:
            _keys_in_use[key] -= 1
            if _keys_in_use[key] <= 0:
                del _keys_in_use[key]


def _redact(text: str, keys) -> str:
    for key in keys:
        if key:
            text = text.replace(key, "***").replace(quote(key, safe=""), "***")
    return text


class _HideKeys(logging.Filter):
    """Rewrites a log record that names a gateway key in use (urllib3 logs each request's line,
    query string and all, at DEBUG)."""

    def filter(self, record: logging.LogRecord) -> bool:
        keys = list(_keys_in_use)
        if keys:
            text = record.getMessage()
            hidden = _redact(text, keys)
            if hidden != text:
                record.msg, record.args = hidden, None
        return True


for _name in ("urllib3.connectionpool", "urllib3.util.retry"):
    logging.getLogger(_name).addFilter(_HideKeys())


class SmsAdapter(Protocol):
    """A way to send text messages for one organization, kept open for a batch."""

    def send(self, phone: str, text: str) -> Sent | SendError:
        """Send `text` to `phone` (E.164); what came of it."""

    def close(self) -> None:
        """Let go of what the batch kept open."""


class GatewayDown(SendError):
    """The gateway cannot be reached or did not answer: the rest of the batch waits too."""


def parse_parameters(text: str) -> list[tuple[str, str]]:
    """`name=value` lines (blank lines skipped); a line without '=' is a ValueError."""
    pairs = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        name, equals, value = line.partition("=")
        if not equals or not name.strip():
            raise ValueError(line)
        pairs.append((name.strip(), value.strip()))
    return pairs


def split_values(text: str) -> set[str]:
    """A comma-separated list of values, compared without case."""
    return {value.strip().lower() for value in (text or "").split(",") if value.strip()}


def dig(data: Any, path: str) -> Any:
    """The value at a dotted path of a JSON answer (`entries.0.messageid`); KeyError if none."""
    for part in path.split("."):
        if isinstance(data, list) and part.lstrip("-").isdigit():
            try:
                data = data[int(part)]
            except IndexError:
                raise KeyError(path) from None
        elif isinstance(data, dict) and part in data:
            data = data[part]
        else:
            raise KeyError(path)
    return data


class HttpGatewayAdapter:
    """An organization's configurable HTTP gateway (`SmsGateway`)."""

    def __init__(self, gateway: "SmsGateway") -> None:
        self.gateway = gateway
        self.key = unseal(gateway.api_key_sealed)  # SealError: the batch waits for a new key
        self.extra = parse_parameters(gateway.extra_parameters)
        host = urlsplit(gateway.url.replace("{api_key}", "key")).hostname or ""
        self.private = not host_is_public(host)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "aftercare"

    def close(self) -> None:
        self.session.close()

    def number(self, phone: str) -> str:
        """The phone number as the gateway wants it; ApplicationError when it is none."""
        e164 = normalize_phone(phone, region=self.gateway.organization.country, field="phone")
        if self.gateway.number_format == "digits":
            return e164.lstrip("+")
        return e164

    def request(self, number: str, text: str) -> dict:
        """The arguments of the HTTP request that sends `text` to `number`."""
        gateway = self.gateway
        fields: dict[str, str] = dict(self.extra)
        fields[gateway.recipient_parameter] = number
        fields[gateway.text_parameter] = text
        if gateway.sender_parameter and gateway.sender:
            fields[gateway.sender_parameter] = gateway.sender
        if gateway.api_key_parameter:
            fields[gateway.api_key_parameter] = self.key
        headers = {"Accept": "application/json"}
        if gateway.api_key_header:
            headers[gateway.api_key_header] = self.key
        arguments: dict[str, Any] = {
            "method": gateway.method,
            "url": gateway.url.replace("{api_key}", quote(self.key, safe="")),
            "headers": headers,
            "timeout": gateway.timeout_seconds,
            "allow_redirects": False,
        }
        if gateway.method == "GET":
            arguments["params"] = fields
        elif gateway.body_format == "json":
            arguments["json"] = fields
        else:
            arguments["data"] = fields
        return arguments

    def send(self, phone: str, text: str) -> Sent | SendError:
        if self.private:
            return SendError("The SMS gateway's address is on a private network.", permanent=True)
        if not text.strip():
            return SendError("The message has no text to send.", permanent=True)
        try:
            number = self.number(phone)
        except ApplicationError as error:
            return SendError(f"{phone}: {error.message}", permanent=True)
        with _hidden(self.key):
            try:
                response = self.session.request(**self.request(number, text))
            except requests.Timeout:
                return GatewayDown(
                    f"The SMS gateway did not answer within {self.gateway.timeout_seconds} s."
                )
            except requests.RequestException as error:
                # The exception's text names the URL, which may carry the key: only its kind.
                return GatewayDown(
                    f"The SMS gateway could not be reached ({type(error).__name__})."
                )
            return self.outcome(response)

    def outcome(self, response: requests.Response) -> Sent | SendError:
        """What the gateway's answer says of the message."""
        gateway = self.gateway
        try:
            answer = response.json()
            shown = json.dumps(answer, ensure_ascii=False)
        except ValueError:
            answer, shown = _NOT_JSON, response.text
        excerpt = _redact(shown, [self.key])[:_EXCERPT].strip()
        status = response.status_code
        if status >= 300:
            return SendError(
                f"The SMS gateway answered {status}: {excerpt}",
                permanent=400 <= status < 500 and status not in _TRY_AGAIN,
            )
        if answer is _NOT_JSON and (gateway.success_path or gateway.message_id_path):
            return SendError(f"The SMS gateway's answer is not JSON: {excerpt}", permanent=True)
        if gateway.success_path:
            try:
                value = dig(answer, gateway.success_path)
            except KeyError:
                value = None
            if value is None or str(value).strip().lower() not in split_values(
                gateway.success_values
            ):
                return SendError(f"The SMS gateway refused the message: {excerpt}", permanent=True)
        message_id = ""
        if gateway.message_id_path:
            try:
                message_id = str(dig(answer, gateway.message_id_path))[:255]
            except KeyError:
                message_id = ""
        return Sent(message_id=message_id)


def adapter_for(gateway: "SmsGateway") -> SmsAdapter:
    """The adapter that sends through `gateway` (today every gateway is an HTTP gateway)."""
    return HttpGatewayAdapter(gateway)


def send_batch(
    gateway: "SmsGateway", messages: list[tuple[str, OutboundMessage]]
) -> list[Sent | SendError]:
    """Send one organization's texts through its gateway over one HTTP session. When the
    gateway cannot be reached, the rest of the batch waits for the next try."""
    try:
        adapter = adapter_for(gateway)
    except SealError as error:
        return [SendError(str(error))] * len(messages)
    except ValueError:
        error = SendError("The gateway's other parameters cannot be read.", permanent=True)
        return [error] * len(messages)
    results: list[Sent | SendError] = []
    try:
        for index, (phone, message) in enumerate(messages):
            result = adapter.send(phone, message.text)
            results.append(result)
            if isinstance(result, GatewayDown):
                results += [result] * (len(messages) - index - 1)
                break
    finally:
        adapter.close()
    return results


def send_sms(messages: list[tuple[str, OutboundMessage]]) -> list[Sent | SendError]:
    """Send texts, each organization's through its active gateway; for each, what came of it,
    in order. An organization without one cannot send SMS."""
    from aftercare.messaging.outbound.models import SmsGateway

    groups: dict[int | None, list[int]] = {}
    for index, (_phone, message) in enumerate(messages):
        groups.setdefault(message.organization_id, []).append(index)
    gateways = {
        gateway.organization_id: gateway
        for gateway in SmsGateway.objects.filter(
            organization_id__in=[key for key in groups if key is not None], is_active=True
        ).select_related("organization")
    }
    results: list[Sent | SendError | None] = [None] * len(messages)
    for organization_id, indexes in groups.items():
        gateway = gateways.get(organization_id)
        if gateway is None:
            missing = SendError("No SMS gateway is set up for this organization.", permanent=True)
            sent: list[Sent | SendError] = [missing] * len(indexes)
        else:
            sent = send_batch(gateway, [messages[index] for index in indexes])
        for index, result in zip(indexes, sent, strict=True):
            results[index] = result
    return results  # type: ignore[return-value]
