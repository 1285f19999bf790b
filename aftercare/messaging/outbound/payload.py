"""The payload every channel's sender takes, and what sending answers."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message."""

    name: str
    content: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class OutboundMessage:
    """What to say, on any channel: a channel uses what it can carry (SMS: the text only).

    `thread` names the conversation the message belongs to: email puts it in `References` (and
    `In-Reply-To`) so that the recipient's client shows every message of one request together.
    """

    subject: str
    text: str
    html: str = ""
    language: str = ""
    sender_name: str = ""
    reply_to: str = ""
    thread: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    # Transactional notices ask auto-responders not to answer (RFC 3834).
    automatic: bool = True
    headers: dict[str, str] = field(default_factory=dict)
    # Whose message it is: a channel may send each organization's through its own settings.
    organization_id: int | None = None


@dataclass(frozen=True)
class Sent:
    """A message handed to the channel: the id it travels under (email: the Message-ID)."""

    message_id: str


class SendError(Exception):
    """Sending failed. `permanent` when trying again cannot help (the address is refused)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
