"""Sending: one function, `send_many`, that delivers payloads to contact points on a channel. It
knows addresses and payloads, nothing of requests or notices. SMS and messengers add a sender
here with the same signature."""

from collections.abc import Callable

from aftercare.messaging.outbound.email import conversation_id, send_emails
from aftercare.messaging.outbound.payload import Attachment, OutboundMessage, SendError, Sent

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
# the SendError that stopped it: a batch shares what it can (email: one SMTP connection).
SENDERS: dict[str, Callable[[list[tuple[str, OutboundMessage]]], list[Sent | SendError]]] = {
    "email": send_emails
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
