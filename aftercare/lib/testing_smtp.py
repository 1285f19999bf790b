"""A real SMTP server on loopback for the tests (aiosmtpd), and the mailer setting that sends
to it: what the tests read is what a mail server received, headers and all."""

import email
import email.policy
import itertools
import os
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller

from aftercare.lib.testing import free_port


@dataclass
class Received:
    """One message as the server received it."""

    sender: str
    recipients: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        """The message parsed with the standard library's modern policy."""
        return email.message_from_bytes(self.raw, policy=email.policy.default)


# How Django's file mailer ends each message in its files (what tests reading them split on).
FILE_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


@dataclass
class _Handler:
    refused: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    keep_in: Path | None = None
    _numbers: itertools.count = field(default_factory=itertools.count)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        received = Received(
            envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content)
        )
        self.received.append(received)
        if self.keep_in is not None:
            self._keep(received)
        return "250 Message accepted for delivery"

    def _keep(self, received: Received) -> None:
        """Write the message as Django's file mailer does: a file that ends with the separator
        once it is complete."""
        name = f"{os.getpid()}-{next(self._numbers):06d}.log"
        text = received.raw.replace(b"\r\n", b"\n").rstrip(b"\n") + FILE_SEPARATOR
        (self.keep_in / name).write_bytes(text)


class SmtpServer:
    """An SMTP server on 127.0.0.1:`port`, started and stopped at will (a stopped server is a
    mail server that is down: connections are refused)."""

    def __init__(self, *, keep_in: Path | None = None) -> None:
        """`keep_in`: also write each message received into this directory, one file each, as
        Django's file mailer does (for readers of such files)."""
        self.port = free_port()
        self.handler = _Handler(keep_in=keep_in)
        self.controller: Controller | None = None

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def refuse(self, address: str) -> None:
        """Answer 550 to RCPT TO for this address."""
        self.handler.refused.add(address)

    def start(self) -> "SmtpServer":
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def url(self) -> str:
        """The EMAIL_URL that sends to this server."""
        return f"smtp://127.0.0.1:{self.port}?timeout=5"

    def mailers(self) -> dict:
        """The MAILERS setting that sends to this server."""
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
            }
        }
