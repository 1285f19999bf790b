"""Email out: multipart plain text and HTML, attachments, and the headers that thread a request's
messages in the recipient's client. Each organization's mail goes through its own mail server or
email provider (its `EmailSetting`), else through the installation's mailer (`EMAIL_URL`)."""

import contextlib
import email.policy
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from email.headerregistry import HeaderRegistry
from email.utils import formataddr, make_msgid, parseaddr
from functools import cache
from typing import TYPE_CHECKING

from anymail.exceptions import AnymailAPIError, AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.module_loading import import_string

from aftercare.lib.sealing import SealError, unseal
from aftercare.messaging.outbound.payload import OutboundMessage, SendError, Sent

if TYPE_CHECKING:
    from aftercare.messaging.outbound.models import EmailSetting


class _HeaderClasses(HeaderRegistry):
    """The standard library's header registry, building each header's class once: the
    registry makes a new class for every header it parses, which was a third of the cost of
    writing a notice's email (measured: 10200 classes for 300 messages)."""

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, type] = {}

    def __getitem__(self, name: str) -> type:
        key = name.lower()
        cls = self._classes.get(key)
        if cls is None:
            cls = self._classes[key] = super().__getitem__(name)
        return cls


_HEADERS = _HeaderClasses()


@cache
def _with_cached_headers(policy: email.policy.EmailPolicy) -> email.policy.EmailPolicy:
    return policy.clone(header_factory=_HEADERS)


class _Email(EmailMultiAlternatives):
    """An email whose MIME form is built with the cached header classes, under whatever policy
    the mail backend asks for."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=_with_cached_headers(policy))


def _installation_address() -> tuple[str, str]:
    """DEFAULT_FROM_EMAIL's name and address."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)


def _message_id_domain(address: str = "") -> str:
    """The domain of Message-IDs: the sending address's, so they are unique to this site."""
    address = address or _installation_address()[1]
    return address.rpartition("@")[2] or "localhost"


def conversation_id(name: str) -> str:
    """A Message-ID-shaped name for a conversation (a request): the root every message of it
    refers to, so that mail clients thread them. `name` must be unique and hard to guess."""
    return f"<{name}@{_message_id_domain()}>"


def _mail(to: str, message: OutboundMessage, sender: "_Sender") -> tuple[_Email, str]:
    """The email of a payload from `sender`'s address, and its Message-ID."""
    message_id = make_msgid(domain=_message_id_domain(sender.address))
    headers = {"Message-ID": message_id}
    if message.thread:
        headers["References"] = " ".join(message.thread)
        headers["In-Reply-To"] = message.thread[-1]
    if message.automatic:
        headers["Auto-Submitted"] = "auto-generated"
    if message.language:
        headers["Content-Language"] = message.language
    headers.update(message.headers)
    mail = _Email(
        subject=message.subject,
        body=message.text,
        from_email=sender.from_header(message.sender_name),
        to=[to],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers=headers,
    )
    if message.html:
        mail.attach_alternative(message.html, "text/html")
    for attachment in message.attachments:
        mail.attach(attachment.name, attachment.content, attachment.content_type)
    return mail, message_id


def _redact(text: str, secrets: tuple[str, ...]) -> str:
    """`text` with every secret in it replaced: errors are shown to admins and logged."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _error(error: Exception, secrets: tuple[str, ...] = ()) -> SendError:
    """What a failure to send means (`_classify`), with no secret in what it says."""
    classified = _classify(error)
    text = _redact(str(classified), secrets)
    if text == str(classified):
        return classified
    return SendError(text, permanent=classified.permanent)


def _classify(error: Exception) -> SendError:
    """What a failure to send means: permanent when the server refused the address or the
    message, temporary when it could not be reached or asked to try later."""
    if isinstance(error, AnymailRecipientsRefused):
        return SendError(f"The email provider refused the address: {error}", permanent=True)
    if isinstance(error, AnymailAPIError):
        status = error.status_code
        text = str(error)[:2000]
        if status is None:
            return SendError(f"The email provider could not be reached: {text}")
        return SendError(text, permanent=400 <= status < 500 and status not in _TRY_AGAIN)
    if isinstance(error, AnymailError):  # an address or feature the provider cannot take
        return SendError(f"The message cannot be sent: {error}", permanent=True)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return SendError(f"The mail server refused the address: {error}", permanent=True)
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        return SendError(f"SMTP {error.smtp_code}: {text}", permanent=500 <= error.smtp_code < 600)
    if isinstance(error, ValueError):  # a header that would split (Django's BadHeaderError)
        return SendError(f"The message cannot be sent: {error}", permanent=True)
    return SendError(f"The mail server could not be reached: {error}")


# HTTP answers of a provider that say "not now" rather than "never".
_TRY_AGAIN = frozenset({408, 409, 425, 429})
# How long a connection to an organization's mail server or provider may wait.
TIMEOUT_SECONDS = 10
# Email providers' APIs, through django-anymail: its backend, and the option its key goes in.
PROVIDER_BACKENDS = {
    "postmark": ("anymail.backends.postmark.EmailBackend", "server_token"),
}


@dataclass(frozen=True)
class _Sender:
    """Where a batch of one organization's mail goes out: a connection of its own mailer (or the
    installation's), from its address."""

    address: str
    name: str
    connect: Callable[[], BaseEmailBackend]
    secrets: tuple[str, ...] = ()
    # Shown as the sender whatever name the message gives (the organization's choice).
    name_wins: bool = False

    def from_header(self, sender_name: str) -> str:
        name = self.name if self.name_wins else (sender_name or self.name)
        return formataddr((name, self.address))


def _installation_sender() -> _Sender:
    name, address = _installation_address()
    return _Sender(address=address, name=name, connect=lambda: mailers.default)


def mailer_for(setting: "EmailSetting") -> BaseEmailBackend:
    """A new, unopened connection of an organization's own mailer. Raises SealError when its
    secret was sealed under another SECRET_KEY."""
    from django.core.mail.backends.smtp import EmailBackend

    from aftercare.messaging.outbound.models import EmailSetting

    alias = f"organization-{setting.organization_id}"
    if setting.transport == EmailSetting.Transport.SMTP:
        return EmailBackend(
            alias=alias,
            host=setting.smtp_host,
            port=setting.smtp_port,
            username=setting.smtp_username,
            password=unseal(setting.smtp_password_sealed),
            use_tls=setting.smtp_security == EmailSetting.Security.STARTTLS,
            use_ssl=setting.smtp_security == EmailSetting.Security.TLS,
            timeout=TIMEOUT_SECONDS,
        )
    path, option = PROVIDER_BACKENDS[setting.transport]
    backend = import_string(path)
    return backend(alias=alias, timeout=TIMEOUT_SECONDS, **{option: unseal(setting.api_key_sealed)})


def _sender_for(setting: "EmailSetting") -> _Sender:
    secrets: tuple[str, ...] = ()
    with contextlib.suppress(SealError):  # mailer_for raises it again when the batch connects
        secrets = (unseal(setting.smtp_password_sealed), unseal(setting.api_key_sealed))
    return _Sender(
        address=setting.from_address,
        name=setting.from_name,
        connect=lambda: mailer_for(setting),
        secrets=tuple(secret for secret in secrets if secret),
        name_wins=bool(setting.from_name),
    )


def send_emails(messages: list[tuple[str, OutboundMessage]]) -> list[Sent | SendError]:
    """Send emails, each organization's through its own mailer when it has an active email
    setting (else the installation's), one connection per organization; for each, what came of
    it, in order."""
    from aftercare.messaging.outbound.models import EmailSetting

    groups: dict[int | None, list[int]] = {}
    for index, (_to, message) in enumerate(messages):
        groups.setdefault(message.organization_id, []).append(index)
    own = {
        setting.organization_id: setting
        for setting in EmailSetting.objects.filter(
            organization_id__in=[key for key in groups if key is not None], is_active=True
        )
    }
    results: list[Sent | SendError | None] = [None] * len(messages)
    for organization_id, indexes in groups.items():
        setting = own.get(organization_id)
        sender = _sender_for(setting) if setting is not None else _installation_sender()
        sent = send_batch([messages[index] for index in indexes], sender=sender)
        for index, result in zip(indexes, sent, strict=True):
            results[index] = result
    return results  # type: ignore[return-value]


def send_with_setting(
    setting: "EmailSetting", messages: list[tuple[str, OutboundMessage]]
) -> list[Sent | SendError]:
    """Send through this email setting whether or not it is active (its test message)."""
    return send_batch(messages, sender=_sender_for(setting))


def send_batch(messages: list[tuple[str, OutboundMessage]], *, sender: _Sender) -> list:
    """Send several emails over one connection of `sender`'s mailer; for each, what came of it.
    A connection lost midway is opened again for the next message; when the server cannot be
    reached at all, the rest of the batch waits for the next try instead of trying each."""
    results: list[Sent | SendError] = []
    try:
        connection = sender.connect()  # a new connection of the mailer
    except SealError as error:
        return [SendError(str(error))] * len(messages)
    try:
        for index, (to, message) in enumerate(messages):
            try:
                mail, message_id = _mail(to, message, sender)
            except ValueError as error:
                results.append(_error(error))
                continue
            try:
                connection.open()  # once: an open connection stays open for the next message
            except (smtplib.SMTPException, OSError, AnymailError) as error:
                results += [_error(error, sender.secrets)] * (len(messages) - index)
                break
            try:
                connection.send_messages([mail])
            except (smtplib.SMTPException, OSError, ValueError, AnymailError) as error:
                results.append(_error(error, sender.secrets))
                if not isinstance(error, (smtplib.SMTPRecipientsRefused, ValueError)):
                    connection.close()  # the next message opens a new one
                continue
            results.append(Sent(message_id=message_id))
    finally:
        connection.close()
    return results
