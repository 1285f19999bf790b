"""Sending: one function, `send_many`, that delivers payloads to contact points on a channel. It
knows addresses and payloads, nothing of requests or notices. Each organization may send through
its own mail server or email provider and its own SMS gateway (this app's models, set up on the
console's "Sending" settings). Messengers add a sender here with the same signature."""

from collections.abc import Callable

from aftercare.messaging.outbound.email import conversation_id, send_emails
from aftercare.messaging.outbound.payload import Attachment, OutboundMessage, SendError, Sent
from aftercare.messaging.outbound.sms import send_sms

__all__ = [
    "CHANNELS",
    "Attachment",
    "OutboundMessage",
    "SendError",
    "Sent",
    "conversation_id",
    "send_many",
]

# Each channel's sender takes (contact point, payload) pairs and answers, for each, Sent or
# the SendError that stopped it: a batch shares what it can (email: one SMTP connection; SMS:
# one HTTP session), per organization.
SENDERS: dict[str, Callable[[list[tuple[str, OutboundMessage]]], list[Sent | SendError]]] = {
    "email": send_emails,
    "sms": send_sms,
}

# The channels something can be sent on.
CHANNELS = tuple(SENDERS)


def send_many(
    *, channel: str, messages: list[tuple[str, OutboundMessage]]
) -> list[Sent | SendError]:
    """Send each (contact point, payload) on `channel`; for each, Sent or the SendError."""
    sender = SENDERS.get(channel)
    if sender is None:
        error = SendError(f"Nothing sends on the channel {channel!r}.", permanent=True)
        return [error for _message in messages]
    return sender(messages)
