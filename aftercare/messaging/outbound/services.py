"""Every write of an organization's sending settings, and their test messages. Secrets are
sealed here and never handed back; an empty secret keeps the one stored."""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.lib.errors import ApplicationError
from aftercare.lib.sealing import seal
from aftercare.messaging.outbound.email import PROVIDER_BACKENDS, send_with_setting
from aftercare.messaging.outbound.models import EmailSetting, SmsGateway
from aftercare.messaging.outbound.network import host_is_public
from aftercare.messaging.outbound.payload import OutboundMessage, SendError, Sent
from aftercare.messaging.outbound.sms import parse_parameters
from aftercare.messaging.outbound.sms import send_batch as sms_send_batch

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NAME = re.compile(r"^[^\s\x00-\x1f\x7f=&?#]{1,64}$")
_PATH = re.compile(r"^[^\s\x00-\x1f\x7f]{1,200}$")


def _text(values: dict, field: str, *, limit: int, required: bool = False) -> str:
    value = str(values.get(field) or "").strip()
    if required and not value:
        raise ApplicationError(_("This field is required."), field=field)
    if len(value) > limit or _CONTROL.search(value):
        raise ApplicationError(
            _("Enter at most %(limit)s characters, on one line.") % {"limit": limit}, field=field
        )
    return value


def _port(values: dict, field: str) -> int:
    port = values.get(field)
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise ApplicationError(_("Enter a port from 1 to 65535."), field=field)
    return port


def _choice(values: dict, field: str, choices, default: str | None = None) -> str:
    value = values.get(field, default)
    if value not in choices.values:
        raise ApplicationError(_("Choose one of the options."), field=field)
    return value


def _email_values(values: dict) -> dict:
    """Checked email settings; an error names the field."""
    transport = _choice(values, "transport", EmailSetting.Transport)
    address = _text(values, "from_address", limit=254, required=True).lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ApplicationError(_("Enter a valid email address."), field="from_address") from None
    cleaned = {
        "transport": transport,
        "from_address": address,
        "from_name": _text(values, "from_name", limit=100),
        "inbound_provider": _choice(
            values, "inbound_provider", EmailSetting.InboundProvider, default=""
        ),
        "is_active": bool(values.get("is_active", True)),
        "smtp_host": "",
        "smtp_port": 587,
        "smtp_security": EmailSetting.Security.STARTTLS,
        "smtp_username": "",
    }
    if transport == EmailSetting.Transport.SMTP:
        host = _text(values, "smtp_host", limit=255, required=True)
        if any(character.isspace() for character in host) or "/" in host:
            raise ApplicationError(_("Enter the SMTP server's host name."), field="smtp_host")
        if not host_is_public(host):
            raise ApplicationError(
                _("This server is on a private network; enter a public one."), field="smtp_host"
            )
        cleaned.update(
            smtp_host=host,
            smtp_port=_port(values, "smtp_port"),
            smtp_security=_choice(values, "smtp_security", EmailSetting.Security),
            smtp_username=_text(values, "smtp_username", limit=255),
        )
    return cleaned


def _webhook_secret(provider: str, secret: str) -> None:
    if provider == EmailSetting.InboundProvider.POSTMARK and (
        ":" not in secret or any(character.isspace() for character in secret)
    ):
        raise ApplicationError(
            _("Enter the user name and password of the webhook's address as user:password."),
            field="webhook_secret",
        )


def _apply_email_secrets(
    setting: EmailSetting, *, smtp_password: str, api_key: str, webhook_secret: str
) -> None:
    """Seal the secrets given, keep the ones left empty, and drop what the setting no longer
    uses; refuse a setting that lacks one it needs."""
    if setting.transport == EmailSetting.Transport.SMTP:
        setting.api_key_sealed = ""
        if not setting.smtp_username:
            setting.smtp_password_sealed = ""
        elif smtp_password:
            setting.smtp_password_sealed = seal(smtp_password)
        elif not setting.smtp_password_sealed:
            raise ApplicationError(_("Enter the password."), field="smtp_password")
    else:
        if setting.transport not in PROVIDER_BACKENDS:
            raise ApplicationError(_("Choose one of the options."), field="transport")
        setting.smtp_password_sealed = ""
        if api_key:
            if _CONTROL.search(api_key) or len(api_key) > 500:
                raise ApplicationError(_("Enter the provider's key."), field="api_key")
            setting.api_key_sealed = seal(api_key)
        elif not setting.api_key_sealed:
            raise ApplicationError(_("Enter the provider's key."), field="api_key")
    if not setting.inbound_provider:
        setting.webhook_secret_sealed = ""
    elif webhook_secret:
        _webhook_secret(setting.inbound_provider, webhook_secret)
        setting.webhook_secret_sealed = seal(webhook_secret)
    elif not setting.webhook_secret_sealed:
        raise ApplicationError(_("Enter the webhook's secret."), field="webhook_secret")


@transaction.atomic
def email_setting_create(
    *,
    organization: Organization,
    smtp_password: str = "",
    api_key: str = "",
    webhook_secret: str = "",
    **values,
) -> EmailSetting:
    """The organization's own way to send mail (one per organization)."""
    cleaned = _email_values(values)
    if EmailSetting.objects.select_for_update().filter(organization=organization).exists():
        raise ApplicationError(_("This organization already has email settings."))
    setting = EmailSetting(organization=organization, **cleaned)
    _apply_email_secrets(
        setting, smtp_password=smtp_password, api_key=api_key, webhook_secret=webhook_secret
    )
    setting.save()
    return setting


@transaction.atomic
def email_setting_update(
    *,
    setting: EmailSetting,
    smtp_password: str = "",
    api_key: str = "",
    webhook_secret: str = "",
    **values,
) -> EmailSetting:
    """Change an organization's email settings; a secret left empty keeps the stored one."""
    cleaned = _email_values(values)
    setting = EmailSetting.objects.select_for_update().get(pk=setting.pk)
    for field, value in cleaned.items():
        setattr(setting, field, value)
    _apply_email_secrets(
        setting, smtp_password=smtp_password, api_key=api_key, webhook_secret=webhook_secret
    )
    setting.save()
    return setting


@transaction.atomic
def email_setting_delete(*, setting: EmailSetting) -> None:
    """Forget an organization's email settings: its mail goes through the installation's
    mailer again."""
    EmailSetting.objects.filter(pk=setting.pk).delete()


def email_setting_test(*, setting: EmailSetting, to: str) -> Sent | SendError:
    """Send a test message to `to` through these settings (active or not); what came of it."""
    message = OutboundMessage(
        subject=_("Test message from aftercare"),
        text=_(
            "This message was sent to check the email settings of %(organization)s. "
            "It arrived: they work."
        )
        % {"organization": setting.organization.name},
        automatic=True,
        organization_id=setting.organization_id,
    )
    [result] = send_with_setting(setting, [(to, message)])
    return result


def _url(values: dict) -> str:
    url = _text(values, "url", limit=500, required=True)
    probe = url.replace("{api_key}", "key")
    try:
        URLValidator(schemes=["http", "https"])(probe)
    except ValidationError:
        raise ApplicationError(_("Enter a web address (http or https)."), field="url") from None
    if not host_is_public(urlsplit(probe).hostname or ""):
        raise ApplicationError(
            _("This address is on a private network; enter a public one."), field="url"
        )
    return url


def _parameter(values: dict, field: str, *, required: bool = False) -> str:
    value = str(values.get(field) or "").strip()
    if not value and not required:
        return ""
    if not _NAME.match(value):
        raise ApplicationError(
            _("Enter a parameter name: up to 64 letters, digits or signs, no spaces."),
            field=field,
        )
    return value


def _path(values: dict, field: str) -> str:
    value = str(values.get(field) or "").strip()
    if value and not _PATH.match(value):
        raise ApplicationError(
            _("Enter a dotted path such as entries.0.messageid, with no spaces."), field=field
        )
    return value


def _gateway_values(values: dict) -> dict:
    """Checked gateway settings; an error names the field."""
    cleaned = {
        "name": _text(values, "name", limit=100, required=True),
        "url": _url(values),
        "method": _choice(values, "method", SmsGateway.Method),
        "body_format": _choice(values, "body_format", SmsGateway.BodyFormat, default="form"),
        "number_format": _choice(values, "number_format", SmsGateway.NumberFormat, "e164"),
        "recipient_parameter": _parameter(values, "recipient_parameter", required=True),
        "text_parameter": _parameter(values, "text_parameter", required=True),
        "sender_parameter": _parameter(values, "sender_parameter"),
        "sender": _text(values, "sender", limit=64),
        "api_key_parameter": _parameter(values, "api_key_parameter"),
        "api_key_header": _parameter(values, "api_key_header"),
        "message_id_path": _path(values, "message_id_path"),
        "success_path": _path(values, "success_path"),
        "success_values": _text(values, "success_values", limit=200),
        "report_id_parameter": _parameter(values, "report_id_parameter", required=True),
        "report_status_parameter": _parameter(values, "report_status_parameter", required=True),
        "delivered_values": _text(values, "delivered_values", limit=200),
        "failed_values": _text(values, "failed_values", limit=200),
        "is_active": bool(values.get("is_active", True)),
    }
    extra = str(values.get("extra_parameters") or "").strip()
    try:
        parse_parameters(extra)
    except ValueError as error:
        raise ApplicationError(
            _("Write one name=value a line; this line is not: %(line)s") % {"line": error},
            field="extra_parameters",
        ) from None
    if len(extra) > 2000:
        raise ApplicationError(
            _("Enter at most %(limit)s characters.") % {"limit": 2000}, field="extra_parameters"
        )
    cleaned["extra_parameters"] = extra
    if cleaned["success_path"] and not cleaned["success_values"]:
        raise ApplicationError(
            _("Say which values of the success field mean the message was taken."),
            field="success_values",
        )
    if cleaned["sender_parameter"] and not cleaned["sender"]:
        raise ApplicationError(_("Enter the sender number or name."), field="sender")
    timeout = values.get("timeout_seconds", 10)
    if isinstance(timeout, bool) or not isinstance(timeout, int) or not 1 <= timeout <= 60:
        raise ApplicationError(_("Enter from 1 to 60 seconds."), field="timeout_seconds")
    cleaned["timeout_seconds"] = timeout
    return cleaned


def _apply_gateway_key(gateway: SmsGateway, api_key: str) -> None:
    uses_key = bool(
        gateway.api_key_parameter or gateway.api_key_header or "{api_key}" in gateway.url
    )
    if api_key:
        if _CONTROL.search(api_key) or len(api_key) > 500:
            raise ApplicationError(_("Enter the gateway's API key."), field="api_key")
        if not uses_key:
            raise ApplicationError(
                _("Say where the key goes: a parameter, a header, or {api_key} in the address."),
                field="api_key_parameter",
            )
        gateway.api_key_sealed = seal(api_key)
    elif not uses_key:
        gateway.api_key_sealed = ""
    elif not gateway.api_key_sealed:
        raise ApplicationError(_("Enter the gateway's API key."), field="api_key")


@transaction.atomic
def sms_gateway_create(*, organization: Organization, api_key: str = "", **values) -> SmsGateway:
    """The organization's SMS gateway (one per organization)."""
    cleaned = _gateway_values(values)
    if SmsGateway.objects.select_for_update().filter(organization=organization).exists():
        raise ApplicationError(_("This organization already has an SMS gateway."))
    gateway = SmsGateway(organization=organization, **cleaned)
    _apply_gateway_key(gateway, api_key)
    gateway.save()
    return gateway


@transaction.atomic
def sms_gateway_update(*, gateway: SmsGateway, api_key: str = "", **values) -> SmsGateway:
    """Change an organization's SMS gateway; an empty key keeps the stored one."""
    cleaned = _gateway_values(values)
    gateway = SmsGateway.objects.select_for_update().get(pk=gateway.pk)
    for field, value in cleaned.items():
        setattr(gateway, field, value)
    _apply_gateway_key(gateway, api_key)
    gateway.save()
    return gateway


@transaction.atomic
def sms_gateway_delete(*, gateway: SmsGateway) -> None:
    """Forget an organization's SMS gateway: it cannot send SMS until it has another."""
    SmsGateway.objects.filter(pk=gateway.pk).delete()


def sms_gateway_test(*, gateway: SmsGateway, phone: str) -> Sent | SendError:
    """Send a test text to `phone` through this gateway (active or not); what came of it."""
    message = OutboundMessage(
        subject="",
        text=_("Test message from aftercare: the SMS gateway of %(organization)s works.")
        % {"organization": gateway.organization.name},
        organization_id=gateway.organization_id,
    )
    [result] = sms_send_batch(gateway, [(phone, message)])
    return result
