"""Email out: multipart plain text and HTML, attachments, and the headers that thread a request's
messages in the recipient's client, through the configured mailer (`EMAIL_URL`)."""

import email.policy
import smtplib
from email.headerregistry import HeaderRegistry
from email.utils import formataddr, make_msgid, parseaddr
from functools import cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers

from aftercare.messaging.outbound.payload import OutboundMessage, SendError, Sent


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


def _from_address(sender_name: str) -> str:
    """DEFAULT_FROM_EMAIL's address, shown under `sender_name` when one is given."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((sender_name or name, address))


def _message_id_domain() -> str:
    """The domain of Message-IDs: the sending address's, so they are unique to this site."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return address.rpartition("@")[2] or "localhost"


def conversation_id(name: str) -> str:
    """A Message-ID-shaped name for a conversation (a request): the root every message of it
    refers to, so that mail clients thread them. `name` must be unique and hard to guess."""
    return f"<{name}@{_message_id_domain()}>"


def _mail(to: str, message: OutboundMessage) -> tuple[_Email, str]:
    """The email of a payload, and its Message-ID."""
    message_id = make_msgid(domain=_message_id_domain())
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
        from_email=_from_address(message.sender_name),
        to=[to],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers=headers,
    )
    if message.html:
        mail.attach_alternative(message.html, "text/html")
    for attachment in message.attachments:
        mail.attach(attachment.name, attachment.content, attachment.content_type)
    return mail, message_id


def _error(error: Exception) -> SendError:
    """What a failure to send means: permanent when the server refused the address or the
    message, temporary when it could not be reached or asked to try later."""
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


def send_emails(messages: list[tuple[str, OutboundMessage]]) -> list[Sent | SendError]:
    """Send several emails over one connection to the mail server; for each, what came of it.
    A connection lost midway is opened again for the next message; when the server cannot be
    reached at all, the rest of the batch waits for the next try instead of trying each."""
    results: list[Sent | SendError] = []
    connection = mailers.default  # a new connection of the configured mailer
    try:
        for index, (to, message) in enumerate(messages):
            try:
                mail, message_id = _mail(to, message)
            except ValueError as error:
                results.append(_error(error))
                continue
            try:
                connection.open()  # once: an open connection stays open for the next message
            except (smtplib.SMTPException, OSError) as error:
                results += [_error(error)] * (len(messages) - index)
                break
            try:
                connection.send_messages([mail])
            except (smtplib.SMTPException, OSError, ValueError) as error:
                results.append(_error(error))
                if not isinstance(error, (smtplib.SMTPRecipientsRefused, ValueError)):
                    connection.close()  # the next message opens a new one
                continue
            results.append(Sent(message_id=message_id))
    finally:
        connection.close()
    return results
