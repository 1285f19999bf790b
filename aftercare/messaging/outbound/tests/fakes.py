"""Real servers on loopback for the sending tests: an SMTP server that wants a user name and
password (aiosmtpd), and an HTTP server (the standard library's) that answers as a third-party
API does (an SMS gateway, Postmark), recording every request it got."""

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from aftercare.lib.testing_smtp import SmtpServer, _Handler
from aftercare.messaging.outbound.services import sms_gateway_create

# The key of the fake gateway: never to be seen in an error, a page or a log.
GATEWAY_KEY = "K3y-0f-The-Gateway-5ecret"
SMTP_USER, SMTP_PASSWORD = "mailer@demo.example", "smtp-Pa55word-never-shown"


class _SignedInOnly(_Handler):
    """Mail only from a client that signed in."""

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        if not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"


class AuthSmtpServer(SmtpServer):
    """An SMTP server that takes mail only from a client signed in as `username`/`password`
    (AUTH PLAIN or LOGIN, offered without TLS: loopback only). `logins` counts the sign-ins,
    one per connection."""

    def __init__(self, *, username: str, password: str) -> None:
        super().__init__()
        self.handler = _SignedInOnly()
        self.username, self.password = username, password
        self.logins = 0
        self.refused_logins = 0

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == self.username
            and auth_data.password.decode() == self.password
        ):
            self.logins += 1
            return AuthResult(success=True)
        self.refused_logins += 1
        return AuthResult(success=False, handled=False)

    def start(self) -> "AuthSmtpServer":
        self.controller = Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=self._authenticate,
            auth_require_tls=False,
        )
        self.controller.start()
        return self


@dataclass
class HttpRequestSeen:
    """One request the fake API received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode())

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class Answer:
    """What the fake API answers: a status, a JSON (or text) body, and how long it waits."""

    status: int = 200
    body: object = field(default_factory=dict)
    delay: float = 0.0


class FakeApi:
    """An HTTP server on 127.0.0.1 in a thread. `answer(request)` says what to answer each
    request; every request is kept in `requests`."""

    def __init__(self, answer: Callable[[HttpRequestSeen], Answer]) -> None:
        self.answer = answer
        self.requests: list[HttpRequestSeen] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                seen = HttpRequestSeen(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={key.lower(): value for key, value in self.headers.items()},
                    body=body,
                )
                fake.requests.append(seen)
                answer = fake.answer(seen)
                if answer.delay:
                    time.sleep(answer.delay)
                data = (
                    answer.body.encode()
                    if isinstance(answer.body, str)
                    else json.dumps(answer.body).encode()
                )
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            do_GET = do_POST = _handle  # noqa: N815

            def log_message(self, format, *args) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "FakeApi":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def kavenegar(request) -> Answer:
    """Kavenegar's (Iran) answer to sms/send.json: the message's id in entries, the outcome in
    return.status."""
    receptor = request.form.get("receptor", [""])[0]
    return Answer(
        200,
        {
            "return": {"status": 200, "message": "تایید شد"},
            "entries": [
                {
                    "messageid": 8792343 + len(receptor),
                    "message": request.form.get("message", [""])[0],
                    "status": 1,
                    "statustext": "در صف ارسال",
                    "sender": request.form.get("sender", [""])[0],
                    "receptor": receptor,
                    "date": 1356619709,
                    "cost": 120,
                }
            ],
        },
    )


def kavenegar_gateway(org, api, **changes):
    values = {
        "name": "Kavenegar",
        "url": f"{api.url}/v1/{{api_key}}/sms/send.json",
        "method": "POST",
        "body_format": "form",
        "number_format": "e164",
        "recipient_parameter": "receptor",
        "text_parameter": "message",
        "sender_parameter": "sender",
        "sender": "10004346",
        "api_key_parameter": "",
        "api_key_header": "",
        "extra_parameters": "",
        "message_id_path": "entries.0.messageid",
        "success_path": "return.status",
        "success_values": "200",
        "timeout_seconds": 2,
        "report_id_parameter": "messageid",
        "report_status_parameter": "status",
        "delivered_values": "10",
        "failed_values": "6,11,13,14",
        "is_active": True,
    }
    values.update(changes)
    return sms_gateway_create(organization=org, api_key=GATEWAY_KEY, **values)
