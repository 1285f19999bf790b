import io
import sys
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core.management import call_command


class _Stdin:
    def __init__(self, raw: bytes) -> None:
        self.buffer = io.BytesIO(raw)


@pytest.fixture
def pipe(monkeypatch, django_capture_on_commit_callbacks):
    """Deliver raw messages through `manage.py inbound_email --org SLUG`, as a mail server's
    pipe does, and run what their commits ask for (processing, notices)."""

    def deliver(org, raw: bytes, *, recipient: str = "") -> int:
        monkeypatch.setattr(sys, "stdin", _Stdin(raw))
        args = ["inbound_email", "--org", org.slug]
        if recipient:
            args += ["--recipient", recipient]
        with django_capture_on_commit_callbacks(execute=True):
            try:
                call_command(*args)
            except SystemExit as exit_:
                return exit_.code
        return 0

    return deliver


def mail(
    *,
    sender: str = "Maryam Ahmadi <maryam@example.com>",
    to: str = "support@demo.example",
    subject: str = "The fridge is noisy",
    body: str = "It hums all night since Tuesday.",
    headers: dict | None = None,
    files: list[tuple[str, str, bytes]] | None = None,
) -> bytes:
    """A message as a mail client writes it."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="example.com")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    for filename, content_type, data in files or []:
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(message)
