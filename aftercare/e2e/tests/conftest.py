"""One real server per test session, on its own fresh database, for end-to-end tests.

Ticket events are append-only (the database refuses DELETE), so pytest-django's live server and
its flushing transactional tests cannot be used: the server runs in a subprocess exactly as
`make run` starts it, on a database made for this session, and tests see it only through HTTP.
"""

import email
import email.policy
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from aftercare.lib.testing import free_port
from aftercare.lib.testing_smtp import SmtpServer

REPO = Path(__file__).resolve().parents[3]
SERVER_START_SECONDS = 60
MAIL_WAIT_SECONDS = 20
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@dataclass
class E2EServer:
    """A running server and what tests need to reach it."""

    base_url: str
    mail_dir: Path
    password: str
    data: dict
    log_path: Path
    env: dict
    # The session server's mail goes over SMTP to this server, in the tests' process, which
    # also writes each message into `mail_dir` (as the file mailer would).
    smtp: SmtpServer | None = None

    def url(self, path: str) -> str:
        """An absolute URL on this server."""
        return self.base_url + path

    def log_tail(self, lines: int = 60) -> str:
        """The end of the server's output, for failure messages."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def mail_files(self) -> set[Path]:
        """The mail files written so far."""
        return set(self.mail_dir.glob("*")) if self.mail_dir.exists() else set()

    def wait_for_mail(self, *, to: str, since: set[Path]) -> email.message.EmailMessage:
        """The first message to this address in a mail file written after `since`."""
        deadline = time.monotonic() + MAIL_WAIT_SECONDS
        while time.monotonic() < deadline:
            for path in sorted(self.mail_files() - since):
                for message in _read_mail_file(path):
                    if to.lower() in str(message.get("To", "")).lower():
                        return message
            time.sleep(0.2)
        raise AssertionError(
            f"No email to {to} within {MAIL_WAIT_SECONDS}s in {self.mail_dir}.\n"
            f"Server log:\n{self.log_tail()}"
        )

    def emailed_link(self, *, to: str, since: set[Path], path: str) -> str:
        """The one link under `path` in the message sent to this address after `since`."""
        text = mail_text(self.wait_for_mail(to=to, since=since))
        links = re.findall(re.escape(self.url(path)) + r"[^\s\"'<>]*", text)
        assert len(links) == 1, f"expected one link to {path} in the email to {to}:\n{text}"
        return links[0]


def _read_mail_file(path: Path) -> list[email.message.EmailMessage]:
    """The messages in one file of Django's file-based mailer (each ends with a dashed line)."""
    separator = b"\n" + b"-" * 79 + b"\n"
    raw = path.read_bytes()
    if not raw.endswith(separator):
        # Still being written: read it again on the next poll.
        return []
    chunks = raw.split(separator)
    return [
        email.message_from_bytes(chunk.strip(b"\n"), policy=email.policy.default)
        for chunk in chunks
        if chunk.strip()
    ]


def mail_text(message: email.message.EmailMessage) -> str:
    """The readable text of a message: its plain part, else its HTML part."""
    body = message.get_body(preferencelist=("plain", "html"))
    return body.get_content() if body is not None else ""


def _is_postgres(url: str) -> bool:
    """Whether a DATABASE_URL points at PostgreSQL."""
    return urllib.parse.urlsplit(url).scheme in ("postgres", "postgresql", "pgsql", "postgis")


def _with_database(url: str, name: str) -> str:
    """The same server and credentials, another database."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def _pg_admin(url: str, statement: str) -> None:
    """Run one statement in autocommit (CREATE/DROP DATABASE cannot run in a transaction)."""
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=10) as connection:
        connection.execute(statement)


def _run(args: list[str], env: dict, log_path: Path) -> str:
    """Run a manage.py step; its output goes to the log, and a failure fails the session."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    with log_path.open("a") as log:
        log.write(f"$ manage.py {' '.join(args)}\n{result.stdout}{result.stderr}\n")
    if result.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args)} exited with {result.returncode}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}",
            pytrace=False,
        )
    return result.stdout


def _server_command(port: int, *extra: str) -> list[str]:
    """How `make run` starts the server (extra options for scaled-out variants)."""
    return [
        sys.executable,
        "manage.py",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *extra,
    ]


def _wait_until_up(process: subprocess.Popen, base_url: str, log_path: Path) -> None:
    """Poll the server until it answers any HTTP response; fail if it dies or never does."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"The server exited with {process.returncode} while starting:\n"
                f"{log_path.read_text(errors='replace')[-4000:]}",
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(base_url + "/accounts/login/", timeout=2):  # noqa: S310
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(
        f"The server did not answer within {SERVER_START_SECONDS}s:\n"
        f"{log_path.read_text(errors='replace')[-4000:]}",
        pytrace=False,
    )


def _stop(process: subprocess.Popen) -> None:
    """Stop the server and anything it started (its own process group)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@pytest.fixture(scope="session")
def e2e_server(tmp_path_factory) -> Iterator[E2EServer]:
    """A fresh database, migrated and set up, served by a real server on a free loopback port,
    that mails over SMTP to a server in this process."""
    root = tmp_path_factory.mktemp("e2e")
    var_dir, mail_dir = root / "var", root / "mail"
    var_dir.mkdir()
    mail_dir.mkdir()
    smtp = SmtpServer(keep_in=mail_dir).start()
    log_path = root / "server.log"
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    password = "e2e-" + secrets.token_urlsafe(12)

    outer_url = os.environ.get("DATABASE_URL", "")
    pg_database = ""
    if _is_postgres(outer_url):
        pg_database = f"aftercare_e2e_{secrets.token_hex(6)}"
        _pg_admin(outer_url, f'CREATE DATABASE "{pg_database}"')
        database_url = _with_database(outer_url, pg_database)
    else:
        database_url = f"sqlite:///{var_dir / 'e2e.sqlite3'}"

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "DJANGO_SETTINGS_MODULE", "ALLOWED_HOSTS", "SITE_URL")
    }
    env.update(
        DATABASE_URL=database_url,
        AFTERCARE_VAR_DIR=str(var_dir),
        SECRET_KEY=secrets.token_urlsafe(40),
        DEMO_PASSWORD=password,
        EMAIL_URL=smtp.url,
        SITE_URL=base_url,
        # Every test signs in from 127.0.0.1, many as the same admin: the limits per address
        # and per account would soon refuse them all.
        SIGN_IN_MAX_PER_IP="1000",
        SIGN_IN_MAX_PER_EMAIL="1000",
        DJANGO_SETTINGS_MODULE="aftercare.settings",
        PYTHONUNBUFFERED="1",
        # Where uploads wait while a request is read, so that a test can watch what reaches it.
        FILE_UPLOAD_TEMP_DIR=str(root / "uploads"),
    )
    (root / "uploads").mkdir()
    process = None
    try:
        _run(["migrate", "--noinput", "-v", "0"], env, log_path)
        _run(["collectstatic", "--noinput", "-v", "0"], env, log_path)
        data = json.loads(
            _run(["e2e_setup", "--settings=aftercare.e2e.settings"], env, log_path)
            .strip()
            .splitlines()[-1]
        )
        with log_path.open("a") as log:
            process = subprocess.Popen(
                _server_command(port),
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_until_up(process, base_url, log_path)
        yield E2EServer(
            base_url=base_url,
            mail_dir=mail_dir,
            password=password,
            data=data,
            log_path=log_path,
            env=env,
            smtp=smtp,
        )
    finally:
        if process is not None:
            _stop(process)
        smtp.stop()
        if pg_database:
            _pg_admin(outer_url, f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)')


def _chromium_path() -> str:
    """Debian's chromium, or the one CHROMIUM_PATH names."""
    return os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium under Playwright, one per module.

    Module scope, not session: Playwright's sync API leaves its event loop marked as running in
    this thread, and Django then refuses ORM calls in the tests that follow.
    """
    path = _chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        message = f"chromium not found at {path} (Debian package chromium, or set CHROMIUM_PATH)"
        if os.environ.get("AFTERCARE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"AFTERCARE_REQUIRE_BROWSER=1 but {message}", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the end of the server's log to a failed end-to-end test's report."""
    report = yield
    server = item.funcargs.get("e2e_server") if hasattr(item, "funcargs") else None
    if report.failed and isinstance(server, E2EServer):
        report.sections.append(("server log (last lines)", server.log_tail()))
    return report


@pytest.fixture(scope="session")
def curl() -> str:
    """The curl binary; the API tests speak to the server through it alone."""
    path = shutil.which("curl")
    if path is None:
        pytest.fail("curl is not installed (Debian package curl).", pytrace=False)
    return path


@pytest.fixture(scope="module")
def web_pool(e2e_server, tmp_path_factory) -> Iterator[str]:
    """Three more web processes on the same database, without worker or scheduler: the
    scaled-out shape, where requests really run at the same time. Yields their base URL."""
    log_path = tmp_path_factory.mktemp("pool") / "pool.log"
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with log_path.open("a") as log:
        process = subprocess.Popen(
            _server_command(port, "--workers", "3", "--no-worker", "--no-scheduler"),
            cwd=REPO,
            env=e2e_server.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_up(process, base_url, log_path)
        yield base_url
    finally:
        _stop(process)


def console_session_cookie(server: E2EServer, email: str) -> str:
    """Sign in through the console's login form; the Cookie header of the new session."""
    import http.cookiejar

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_url = server.url("/accounts/login/")
    with opener.open(login_url, timeout=30) as response:  # noqa: S310
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())
    assert token, "the login page has no CSRF token"
    form = urllib.parse.urlencode(
        {"email": email, "password": server.password, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    opener.open(urllib.request.Request(login_url, data=form), timeout=30).close()  # noqa: S310
    cookies = {cookie.name: cookie.value for cookie in jar}
    assert "sessionid" in cookies, f"signing in as {email} gave no session"
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


class LiveListener:
    """A real websocket on the console's live channel, collecting events in a thread."""

    def __init__(self, server: E2EServer, cookie: str | None):
        import threading

        self.url = server.base_url.replace("http://", "ws://") + "/ws/console/"
        self.headers = {"Origin": server.base_url, **({"Cookie": cookie} if cookie else {})}
        self.socket = None
        self.events: list[dict] = []
        self.closed_code: int | None = None
        self.refused_status: int | None = None
        self._open = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        assert self._open.wait(15), f"could not open {self.url}"

    def _read(self) -> None:
        from websockets.exceptions import ConnectionClosed, InvalidStatus
        from websockets.sync.client import connect

        try:
            with connect(self.url, additional_headers=self.headers, open_timeout=10) as socket:
                self.socket = socket
                self._open.set()
                for message in socket:
                    self.events.append(json.loads(message))
        except ConnectionClosed as closed:
            self.closed_code = closed.rcvd.code if closed.rcvd else None
        except InvalidStatus as refused:
            # Refused before the handshake completed: the server answered with an HTTP status.
            self.refused_status = refused.response.status_code
        finally:
            self._open.set()

    def wait_for(self, predicate, *, seconds: float) -> dict | None:
        """The first event the predicate accepts, waiting up to `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for event in list(self.events):
                if predicate(event):
                    return event
            time.sleep(0.2)
        return None

    def close(self) -> None:
        if self.socket is not None:
            self.socket.close()
        self._thread.join(timeout=5)


def manage(server: E2EServer, *args: str) -> str:
    """Run a manage.py command in a server's environment (its database and secrets); its
    output. A failure fails the test."""
    return _run(list(args), server.env, server.log_path)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory) -> Iterator[E2EServer]:
    """A server on the demo data, loaded as `make run` loads it (`seed_demo`, then the search
    index), on a fresh database made the way `e2e_server` makes one (a SQLite file, or a new
    database on the PostgreSQL server DATABASE_URL names), dropped afterwards. The demo logins'
    password (DEMO_PASSWORD) is the server's `password`; its mail goes over SMTP to a server in
    this process."""
    root = tmp_path_factory.mktemp("demo")
    var_dir, mail_dir = root / "var", root / "mail"
    var_dir.mkdir()
    mail_dir.mkdir()
    smtp = SmtpServer(keep_in=mail_dir).start()
    log_path = root / "server.log"
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    password = "demo-" + secrets.token_urlsafe(12)

    outer_url = os.environ.get("DATABASE_URL", "")
    pg_database = ""
    if _is_postgres(outer_url):
        pg_database = f"aftercare_demo_{secrets.token_hex(6)}"
        _pg_admin(outer_url, f'CREATE DATABASE "{pg_database}"')
        database_url = _with_database(outer_url, pg_database)
    else:
        database_url = f"sqlite:///{var_dir / 'demo.sqlite3'}"

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "DJANGO_SETTINGS_MODULE", "ALLOWED_HOSTS", "SITE_URL")
    }
    env.update(
        DATABASE_URL=database_url,
        AFTERCARE_VAR_DIR=str(var_dir),
        SECRET_KEY=secrets.token_urlsafe(40),
        DEMO_PASSWORD=password,
        EMAIL_URL=smtp.url,
        SITE_URL=base_url,
        # Tests sign in from 127.0.0.1, some as the same people: keep the limits out of the way.
        SIGN_IN_MAX_PER_IP="1000",
        SIGN_IN_MAX_PER_EMAIL="1000",
        DJANGO_SETTINGS_MODULE="aftercare.settings",
        PYTHONUNBUFFERED="1",
    )
    process = None
    # Collecting (and compressing) the static files needs no database: it runs beside the
    # loading of the demo data, each on a core of its own.
    static_log = root / "collectstatic.log"
    with static_log.open("w") as log:
        collecting = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _run(["migrate", "--noinput", "-v", "0"], env, log_path)
        _run(["seed_demo"], env, log_path)
        _run(["search_reindex", "--if-empty"], env, log_path)
        if collecting.wait(timeout=300) != 0:
            pytest.fail(
                f"collectstatic exited with {collecting.returncode}:\n"
                f"{static_log.read_text(errors='replace')[-3000:]}",
                pytrace=False,
            )
        with log_path.open("a") as log:
            process = subprocess.Popen(
                _server_command(port),
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_until_up(process, base_url, log_path)
        yield E2EServer(
            base_url=base_url,
            mail_dir=mail_dir,
            password=password,
            data={},
            log_path=log_path,
            env=env,
            smtp=smtp,
        )
    finally:
        if collecting.poll() is None:
            collecting.kill()
            collecting.wait(timeout=5)
        if process is not None:
            _stop(process)
        smtp.stop()
        if pg_database:
            _pg_admin(outer_url, f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)')
