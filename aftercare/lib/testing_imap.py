"""A real IMAP server on loopback for the tests (Debian's dovecot): messages are put into a
mailbox the way a mail server would hold them, and what a client did to them (moved, flagged,
deleted) is read back from the server itself, over IMAP with the standard library's imaplib.

The server runs from a private configuration in a temporary directory: plain-text logins with no
TLS, each user in a passwd-file of its own with a plain password, maildirs in the same directory.
As root it runs the way Debian's package does (login processes as dovenull, internals as dovecot)
and keeps the mail of its virtual users as nobody, because dovecot refuses to touch mail as root.
As an ordinary user everything runs as that user, with no chroot."""

import base64
import grp
import imaplib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from aftercare.lib.testing import free_port

# A username is also the name of its passwd-file and maildir.
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}")
# A passwd-file line is `username:{PLAIN}password`.
_PASSWORD_FORBIDDEN = re.compile(r"[:\x00-\x1f\x7f]")
# Services that chroot by default; a server started by an ordinary user cannot chroot.
_CHROOTED_SERVICES = ("imap-login", "imap-urlauth-login", "anvil", "ipc", "old-stats")

# LIST attributes of names that hold no messages (RFC 3501, RFC 5258).
_NOT_FOLDERS = {"\\noselect", "\\nonexistent"}


class ImapUser(NamedTuple):
    """A mailbox's login."""

    username: str
    password: str


class ImapError(Exception):
    """The test server did not do what a helper asked of it."""


def dovecot_path() -> str | None:
    """The dovecot binary: DOVECOT_PATH, else Debian's /usr/sbin/dovecot, else one on PATH."""
    configured = os.environ.get("DOVECOT_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    if os.access("/usr/sbin/dovecot", os.X_OK):
        return "/usr/sbin/dovecot"
    return shutil.which("dovecot")


class ImapServer:
    """Dovecot serving IMAP on `host`:`port` (127.0.0.1) while the `with` block runs.

    Users are added at any time, each in a new passwd-file: dovecot looks at a passwd-file at
    most once a second, so a user added to a shared one could be refused by a login in the same
    second. Tests that share a server should each use a user of their own, a mailbox of their own.
    """

    def __init__(self, *, binary: str | None = None, startup_timeout: float = 15) -> None:
        self.binary = binary or dovecot_path()
        self.startup_timeout = startup_timeout
        self.host = "127.0.0.1"
        self.port = 0
        self.directory: Path | None = None
        self.process: subprocess.Popen | None = None
        self._passwords: dict[str, str] = {}
        self._owners = _Owners.current()

    def __enter__(self) -> "ImapServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def log(self) -> str:
        """Everything dovecot has logged so far."""
        parts = []
        for name in ("stderr.log", "dovecot.log"):
            path = self._path(name)
            if path.exists():
                parts.append(path.read_text(errors="replace"))
        return "".join(parts)

    def start(self) -> "ImapServer":
        if self.binary is None:
            raise ImapError("dovecot is not installed (Debian package dovecot-imapd)")
        self.directory = Path(tempfile.mkdtemp(prefix="aftercare-dovecot-"))
        try:
            self._prepare()
            self._spawn()
            self._wait_for_greeting()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            # Every process of the server (its own session), not only the master: told alone,
            # the master waits a second for its log process to give up on clients that are gone.
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        directory, self.directory = self.directory, None
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)

    def add_user(self, username: str, password: str) -> ImapUser:
        """A new mailbox `username` that logs in with `password`."""
        if not _USERNAME.fullmatch(username):
            raise ValueError(f"Not a username this server takes: {username!r}")
        if not password or _PASSWORD_FORBIDDEN.search(password):
            raise ValueError("A password here is non-empty, without ':' or control characters.")
        if username in self._passwords:
            raise ValueError(f"The user {username} exists already.")
        self._write_user(username, password)
        self._passwords[username] = password
        return ImapUser(username, password)

    def append(
        self, username: str, raw: bytes, folder: str = "INBOX", flags: tuple[str, ...] = ()
    ) -> int:
        """Put message `raw` into `folder` (created if needed) with `flags`; its UID.

        imaplib sends every line ending as CRLF, the way SMTP delivers mail.
        """
        with self._session(username) as client:
            mailbox = _quoted(folder)
            if folder.upper() != "INBOX":
                status, data = client.create(mailbox)
                if status != "OK" and b"ALREADYEXISTS" not in data[0]:
                    raise ImapError(f"CREATE {folder}: {status} {data!r}")
            status, data = client.append(mailbox, " ".join(flags), None, raw)
            if status != "OK":
                raise ImapError(f"APPEND to {folder}: {status} {data!r}")
            appended = re.search(rb"\[APPENDUID \d+ (\d+)\]", data[0])
            if appended is None:
                raise ImapError(f"APPEND to {folder} gave no UID: {data!r}")
            return int(appended.group(1))

    def messages(self, username: str, folder: str = "INBOX") -> list[tuple[int, bytes, set[str]]]:
        """Every message in `folder` as (UID, raw bytes, flags), by UID; reading marks none seen.

        \\Recent is left out of the flags: it says only which session saw a message first.
        """
        with self._session(username) as client:
            status, data = client.select(_quoted(folder), readonly=True)
            if status != "OK":
                raise ImapError(f"EXAMINE {folder}: {status} {data!r}")
            if data[0] == b"0":
                return []
            status, data = client.uid("FETCH", "1:*", "(UID FLAGS BODY.PEEK[])")
            if status != "OK":
                raise ImapError(f"FETCH in {folder}: {status} {data!r}")
        return sorted(_fetched(data))

    def folders(self, username: str) -> list[str]:
        """The names of the user's folders, sorted, with "/" between levels.

        Only folders that can hold messages: "Archive/2024" alone does not list "Archive".
        """
        with self._session(username) as client:
            status, data = client.list()
            if status != "OK":
                raise ImapError(f"LIST: {status} {data!r}")
        listed = (_listed(item) for item in data if item is not None)
        return sorted(name for name, attributes in listed if not attributes & _NOT_FOLDERS)

    def uidvalidity(self, username: str, folder: str = "INBOX") -> int:
        """The folder's UIDVALIDITY: UIDs seen before still name the same messages while it
        stays the same."""
        with self._session(username) as client:
            status, data = client.status(_quoted(folder), "(UIDVALIDITY)")
            if status != "OK":
                raise ImapError(f"STATUS {folder}: {status} {data!r}")
        found = re.search(rb"UIDVALIDITY (\d+)", data[0])
        if found is None:
            raise ImapError(f"STATUS {folder} gave no UIDVALIDITY: {data!r}")
        return int(found.group(1))

    def _session(self, username: str) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self.host, self.port, timeout=10)
        try:
            client.login(username, self._passwords[username])
        except BaseException:
            client.shutdown()
            raise
        return client

    def _path(self, name: str) -> Path:
        if self.directory is None:
            raise ImapError("The IMAP server is not running.")
        return self.directory / name

    def _prepare(self) -> None:
        owners = self._owners
        # Dovecot's own users must get to their files inside; nobody can list the directory.
        self._path("").chmod(0o711)
        mail = self._path("mail")
        mail.mkdir(mode=0o700)
        os.chown(mail, owners.mail_uid, owners.mail_gid)
        # The auth process reads the passwd-files as dovecot's internal user.
        users = self._path("users")
        users.mkdir(mode=0o700)
        os.chown(users, owners.internal_uid, -1)
        self.port = free_port()
        self._path("dovecot.conf").write_text(self._configuration())

    def _configuration(self) -> str:
        owners = self._owners
        directory = self._path("")
        lines = [
            f"base_dir = {directory / 'run'}",
            f"state_dir = {directory / 'state'}",
            f"instance_name = aftercare-{self.port}",
            f"log_path = {directory / 'dovecot.log'}",
            "auth_verbose = yes",
            # A refused login answers at once, not after dovecot's usual two seconds.
            "auth_failure_delay = 0",
            "protocols = imap",
            "listen = 127.0.0.1",
            "ssl = no",
            "disable_plaintext_auth = no",
            "auth_mechanisms = plain login",
            # Usernames are taken as given, not lowercased, so a test logs in as it added.
            "auth_username_format = %u",
            f"default_login_user = {owners.login_user}",
            f"default_internal_user = {owners.internal_user}",
            f"default_internal_group = {owners.internal_group}",
            f"mail_uid = {owners.mail_uid}",
            f"mail_gid = {owners.mail_gid}",
            f"first_valid_uid = {owners.mail_uid}",
            f"last_valid_uid = {owners.mail_uid}",
            f"first_valid_gid = {owners.mail_gid}",
            f"last_valid_gid = {owners.mail_gid}",
            f"mail_location = maildir:{directory / 'mail' / '%u'}",
            "mail_fsync = never",
            "namespace inbox {",
            "  inbox = yes",
            "  separator = /",
            "}",
            "passdb {",
            "  driver = passwd-file",
            f"  args = scheme=PLAIN {directory / 'users' / '%u'}",
            "}",
            "userdb {",
            "  driver = static",
            f"  args = home={directory / 'mail' / '%u'}",
            "}",
            "service imap-login {",
            "  inet_listener imap {",
            "    address = 127.0.0.1",
            f"    port = {self.port}",
            "  }",
            "  inet_listener imaps {",
            "    port = 0",
            "  }",
            "}",
            # Nor do refused logins delay the next ones from the same IP by 2 to 15 seconds: an
            # auth process that cannot reach this socket keeps no penalties. (The documented
            # exemption of login_trusted_networks is not in 2.3's code.)
            "service anvil {",
            "  unix_listener anvil-auth-penalty {",
            "    mode = 0",
            "  }",
            "}",
        ]
        if os.geteuid() != 0:
            for service in _CHROOTED_SERVICES:
                lines += [f"service {service} {{", "  chroot =", "}"]
        return "\n".join(lines) + "\n"

    def _write_user(self, username: str, password: str) -> None:
        # Written aside and renamed, so that dovecot never reads half a file.
        pending = self._path("users") / f".{username}.new"
        pending.write_text(f"{username}:{{PLAIN}}{password}\n")
        pending.chmod(0o600)
        os.chown(pending, self._owners.internal_uid, -1)
        pending.replace(self._path("users") / username)

    def _spawn(self) -> None:
        with self._path("stderr.log").open("wb") as stderr:
            self.process = subprocess.Popen(
                [self.binary, "-F", "-c", str(self._path("dovecot.conf"))],
                stdin=subprocess.DEVNULL,
                stdout=stderr,
                stderr=stderr,
                start_new_session=True,
            )

    def _wait_for_greeting(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if self.process is not None and self.process.poll() is not None:
                self._fail(f"dovecot exited with status {self.process.returncode}")
            try:
                with socket.create_connection((self.host, self.port), timeout=1) as connection:
                    if connection.recv(256).startswith(b"* OK"):
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self._fail(f"dovecot gave no IMAP greeting in {self.startup_timeout} s")
            time.sleep(0.05)

    def _fail(self, reason: str) -> None:
        tail = "\n".join(self.log.splitlines()[-30:])
        raise ImapError(f"{reason} on {self.host}:{self.port}; its log ends:\n{tail}")


class _Owners(NamedTuple):
    login_user: str
    internal_user: str
    internal_group: str
    internal_uid: int
    mail_uid: int
    mail_gid: int

    @classmethod
    def current(cls) -> "_Owners":
        if os.geteuid() != 0:
            me = pwd.getpwuid(os.geteuid())
            group = grp.getgrgid(os.getegid()).gr_name
            return cls(me.pw_name, me.pw_name, group, me.pw_uid, me.pw_uid, os.getegid())
        nobody = pwd.getpwnam("nobody")
        login = _user_or_nobody("dovenull")
        internal = _user_or_nobody("dovecot")
        group = grp.getgrgid(internal.pw_gid).gr_name
        return cls(
            login.pw_name, internal.pw_name, group, internal.pw_uid, nobody.pw_uid, nobody.pw_gid
        )


def _user_or_nobody(name: str) -> pwd.struct_passwd:
    """Debian's package creates dovecot's users; a dovecot built elsewhere may have none."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return pwd.getpwnam("nobody")


def _quoted(folder: str) -> str:
    """A folder name as an IMAP quoted string, in modified UTF-7 (RFC 3501, 5.1.3)."""
    encoded = _utf7_encode(folder)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _utf7_encode(name: str) -> str:
    parts: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            encoded = base64.b64encode("".join(pending).encode("utf-16-be"))
            parts.append("&" + encoded.rstrip(b"=").replace(b"/", b",").decode() + "-")
            pending.clear()

    for character in name:
        if " " <= character <= "~":
            flush()
            parts.append("&-" if character == "&" else character)
        else:
            pending.append(character)
    flush()
    return "".join(parts)


def _utf7_decode(name: str) -> str:
    def decode(match: re.Match) -> str:
        encoded = match.group(1).replace(",", "/")
        if not encoded:
            return "&"
        return base64.b64decode(encoded + "=" * (-len(encoded) % 4)).decode("utf-16-be")

    return re.sub(r"&([^-]*)-", decode, name)


def _listed(item: bytes | tuple[bytes, bytes]) -> tuple[str, set[str]]:
    """A folder's name and lower-cased attributes from one line of a LIST response."""
    line, literal = item if isinstance(item, tuple) else (item, None)
    found = re.match(rb'\(([^)]*)\) (?:NIL|"(?:[^"\\]|\\.)*") ?(.*)', line)
    if found is None:
        raise ImapError(f"Not a LIST response: {item!r}")
    attributes = set(found.group(1).decode().lower().split())
    if literal is not None:  # The name came as a literal.
        return _utf7_decode(literal.decode()), attributes
    name = found.group(2).decode()
    if name.startswith('"'):
        name = re.sub(r"\\(.)", r"\1", name[1:-1])
    return _utf7_decode(name), attributes


def _fetched(data: list) -> list[tuple[int, bytes, set[str]]]:
    """(UID, raw bytes, flags) from a FETCH response of UID, FLAGS and BODY[]."""
    messages = []
    for index, item in enumerate(data):
        if not isinstance(item, tuple):
            continue
        following = data[index + 1] if index + 1 < len(data) else b""
        # Items may come before or after the literal: ") " or " FLAGS (...))" follows it.
        tail = following if isinstance(following, bytes) and not following[:1].isdigit() else b""
        items = item[0] + b" " + tail
        uid = re.search(rb"\bUID (\d+)", items)
        flags = re.search(rb"\bFLAGS \(([^)]*)\)", items)
        if uid is None or flags is None:
            raise ImapError(f"Not a FETCH response: {items!r}")
        names = set(flags.group(1).decode().split()) - {"\\Recent"}
        messages.append((int(uid.group(1)), item[1], names))
    return messages
