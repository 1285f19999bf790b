"""What providers and gateways post back: customers' mail from an email provider's inbound
webhook (read and checked with django-anymail), and SMS gateways' delivery reports.

Inbound mail: one address per provider for every organization (`hooks/email/postmark/`). The
message's recipients choose the organizations it may belong to (an organization's mailbox
address or sending address, a reply's plus-token set aside), and the webhook's secret, which
each organization keeps in its email settings, proves which one the provider posts for. Only
then is the raw message stored, before anything is made of it; processing follows as for every
other way in. A body too large is refused before it is read; an unknown recipient answers 404
and a wrong secret 403, and neither stores anything.

Delivery reports: each gateway has its own unguessable address (`hooks/sms/<token>/`); the
parameters naming the message and its status are the gateway's settings.
"""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from anymail.exceptions import AnymailWebhookValidationFailure
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from aftercare.lib.errors import ApplicationError
from aftercare.lib.sealing import SealError, unseal
from aftercare.messaging.inbound.models import InboundEmail, Mailbox
from aftercare.messaging.inbound.services import inbound_email_store
from aftercare.messaging.outbound.models import EmailSetting
from aftercare.messaging.outbound.selectors import email_settings_receiving, sms_gateway_for_report
from aftercare.messaging.outbound.sms import split_values
from aftercare.notifications.services import notices_delivery_report

logger = logging.getLogger(__name__)

# A delivery report is a few fields; anything longer is not one.
REPORT_MAX_BYTES = 64 * 1024


def _answer(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def address_key(address: str) -> str:
    """An address as organizations are told apart by: lower case, without a plus-token."""
    local, at, domain = (address or "").strip().strip("<>").lower().rpartition("@")
    if not at:
        return ""
    return f"{local.split('+', 1)[0]}@{domain}"


@dataclass(frozen=True)
class InboundPost:
    """What a provider posted, read as far as choosing the organization needs."""

    recipients: list[str]  # the envelope recipient first, then To, Cc, Bcc
    envelope_sender: str
    envelope_recipient: str
    raw: Callable[[], bytes]  # the message as it arrived (built only once it is accepted)


def _postmark(body: bytes) -> InboundPost:
    """Postmark's inbound JSON: the raw message when the server includes it ("Include raw email
    content in JSON payload"), else anymail builds the MIME message from the parsed fields."""
    event = json.loads(body)
    if not isinstance(event, dict):
        raise ValueError("not a JSON object")

    def emails(name: str) -> list[str]:
        items = event.get(name) or []
        if not isinstance(items, list):
            raise ValueError(name)
        return [str(item.get("Email") or "") for item in items if isinstance(item, dict)]

    original = str(event.get("OriginalRecipient") or "")
    recipients = [original, *emails("ToFull"), *emails("CcFull"), *emails("BccFull")]
    headers = event.get("Headers") or []
    sender = ""
    if (
        isinstance(headers, list)
        and headers
        and isinstance(headers[0], dict)
        and str(headers[0].get("Name", "")).lower() == "return-path"
    ):
        sender = str(headers[0].get("Value") or "").strip("<>")

    def raw() -> bytes:
        text = event.get("RawEmail")
        if isinstance(text, str) and text.strip():
            return text.encode("utf-8", "surrogateescape")
        message = PostmarkInboundWebhookView(webhook_secret="-").esp_to_anymail_event(event)
        return message.message.as_bytes()

    return InboundPost(
        recipients=[address for address in recipients if address],
        envelope_sender=sender,
        envelope_recipient=original,
        raw=raw,
    )


@dataclass(frozen=True)
class Provider:
    """An email provider whose inbound webhook is read here."""

    read: Callable[[bytes], InboundPost]
    # anymail's webhook view, whose validators check the request, and the option its secret
    # goes in.
    view: type
    secret_option: str


PROVIDERS = {
    EmailSetting.InboundProvider.POSTMARK: Provider(
        read=_postmark, view=PostmarkInboundWebhookView, secret_option="webhook_secret"
    ),
}


def _read_body(request: HttpRequest, limit: int) -> bytes | None:
    """The request body, or None when it is larger than `limit` (refused from its declared
    length before a byte is read, else after reading one byte past the limit)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    data = request.read(limit + 1)
    if len(data) > limit:
        return None
    return data


def _candidates(provider: str, recipients: list[str]) -> list[EmailSetting]:
    """The email settings that receive `provider`'s webhook for one of the recipients, in the
    recipients' order: the organization whose mailbox or sending address it is."""
    keys = list(dict.fromkeys(key for key in map(address_key, recipients) if key))
    if not keys:
        return []
    by_mailbox: dict[str, set[int]] = {}
    for address, organization_id in Mailbox.objects.filter(address__in=keys).values_list(
        "address", "organization_id"
    ):
        by_mailbox.setdefault(address, set()).add(organization_id)
    found = email_settings_receiving(
        provider=provider,
        addresses=keys,
        organization_ids=sorted({pk for pks in by_mailbox.values() for pk in pks}),
    )
    ordered: list[EmailSetting] = []
    for key in keys:
        for setting in found:
            matches = setting.from_address == key or setting.organization_id in by_mailbox.get(
                key, ()
            )
            if matches and setting not in ordered:
                ordered.append(setting)
    return ordered


def _verified(request: HttpRequest, provider: Provider, setting: EmailSetting) -> bool:
    """Whether the request carries this organization's webhook secret, checked by anymail's
    own validators for the provider."""
    try:
        secret = unseal(setting.webhook_secret_sealed)
    except SealError:
        return False
    view = provider.view(**{provider.secret_option: secret})
    try:
        view.run_validators(request)
    except AnymailWebhookValidationFailure:
        return False
    return True


@csrf_exempt
@require_http_methods(["POST", "HEAD"])
def email_webhook(request: HttpRequest, provider: str) -> HttpResponse:
    """A provider posts one inbound message: store it for the organization it is for."""
    chosen = PROVIDERS.get(provider)
    if chosen is None:
        raise Http404
    if request.method == "HEAD":  # some providers check the address before they use it
        return HttpResponse()
    body = _read_body(request, settings.INBOUND_WEBHOOK_MAX_BYTES)
    if body is None:
        return _answer(413, "The message is too large.")
    try:
        post = chosen.read(body)
    except (ValueError, TypeError, AttributeError, UnicodeDecodeError):
        return _answer(400, "The body is not this provider's inbound message.")
    candidates = _candidates(provider, post.recipients)
    if not candidates:
        return _answer(404, "No organization receives mail for these recipients here.")
    setting = next((item for item in candidates if _verified(request, chosen, item)), None)
    if setting is None:
        return _answer(403, "The webhook's secret is missing or wrong.")
    try:
        raw = post.raw()
    except Exception:  # noqa: BLE001 - a message anymail cannot build is the sender's fault
        logger.warning("A %s inbound message could not be read.", provider, exc_info=True)
        return _answer(400, "The message could not be read.")
    try:
        row, _new = inbound_email_store(
            organization=setting.organization,
            raw=raw,
            source=InboundEmail.Source.WEBHOOK,
            envelope_sender=post.envelope_sender,
            envelope_recipient=post.envelope_recipient,
        )
    except ApplicationError as error:
        too_large = len(raw) > settings.INBOUND_EMAIL_MAX_BYTES
        return _answer(413 if too_large else 400, str(error.message))
    return JsonResponse({"stored": row.pk})


def _report_fields(request: HttpRequest) -> list[dict[str, str]] | None:
    """The reports a gateway sent: its query string and form fields, or a JSON object (or a
    list of them); None when the body is not one."""
    fields = {key: request.GET.get(key, "") for key in request.GET}
    if request.method != "POST":
        return [fields]
    if request.content_type == "application/json":
        body = _read_body(request, REPORT_MAX_BYTES)
        if body is None:
            return None
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return None
        items = data if isinstance(data, list) else [data]
        if not all(isinstance(item, dict) for item in items):
            return None
        return [
            {**fields, **{str(key): str(value) for key, value in item.items()}} for item in items
        ]
    return [{**fields, **{key: request.POST.get(key, "") for key in request.POST}}]


@csrf_exempt
@require_http_methods(["GET", "POST"])
def sms_report_webhook(request: HttpRequest, token: str) -> HttpResponse:
    """An SMS gateway reports what became of messages it took: delivered or not."""
    gateway = sms_gateway_for_report(token=token)
    if gateway is None:
        raise Http404
    reports = _report_fields(request)
    if reports is None:
        return _answer(400, "The body is not a delivery report.")
    delivered_values = split_values(gateway.delivered_values)
    failed_values = split_values(gateway.failed_values)
    outcomes: list[tuple[str, str, bool]] = []
    for fields in reports:  # every report is checked before any is applied
        message_id = fields.get(gateway.report_id_parameter, "").strip()[:255]
        status = fields.get(gateway.report_status_parameter, "").strip()[:100]
        if not message_id:
            return _answer(400, f"The report has no {gateway.report_id_parameter}.")
        if not status:
            return _answer(400, f"The report has no {gateway.report_status_parameter}.")
        if status.lower() in delivered_values:
            outcomes.append((message_id, status, True))
        elif status.lower() in failed_values:
            outcomes.append((message_id, status, False))
        # Any other status: on its way; a later report will say.
    for message_id, status, delivered in outcomes:
        notices_delivery_report(
            organization_id=gateway.organization_id,
            channel="sms",
            message_id=message_id,
            delivered=delivered,
            error="" if delivered else f"The SMS gateway reported status {status}.",
        )
    return HttpResponse("ok", content_type="text/plain")
