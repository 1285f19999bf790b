"""Reading a raw email as it really arrives: any charset (labelled right, wrongly or not at all),
RFC 2047 and 2231 names, nested multiparts, inline images, forwarded messages, HTML-only mail,
broken MIME. Nothing here raises on bad input: what cannot be read is left out and said so.

The standard library's `email` package with its default policy does the MIME work; this module
decides what a helpdesk needs from it: who wrote, what they wrote, the files, the references
that thread it, and whether a machine sent it (auto-reply, bounce).
"""

import email
import email.policy
import html
import re
import unicodedata
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr

import nh3

# How deep forwarded messages are followed; deeper ones stay in the raw message.
_MAX_DEPTH = 5
_MSGID = re.compile(r"<[^<>\s]+>")
_LEGACY_CHARSETS = {
    "windows-1256", "cp1256", "iso-8859-6", "iso-8859-9", "windows-1254", "cp1254", "koi8-r",
    "koi8-u", "windows-1251", "cp1251", "iso-8859-1", "latin-1", "windows-1252", "cp1252",
    "iso-8859-15", "us-ascii", "ascii",
}  # fmt: skip
# Headers that say a machine wrote the message.
_AUTO_HEADERS = (
    "x-autoreply",
    "x-autorespond",
    "x-autoresponder",
    "x-ms-exchange-inbox-rules-loop",
)
_AUTO_PRECEDENCE = {"auto_reply", "bulk", "junk", "list"}
_AUTO_SUBJECTS = re.compile(
    r"^\s*(automatic reply|auto(matic)?[- ]?(reply|response)|out of (the )?office|"
    r"abwesenheitsnotiz|otomatik (yanıt|cevap)|ofis dışında|پاسخ خودکار|автоответ)",
    re.IGNORECASE,
)
_BOUNCE_SENDERS = re.compile(r"^(mailer-daemon|postmaster|mail-daemon)@", re.IGNORECASE)
_BOUNCE_SUBJECTS = re.compile(
    r"(undeliver|returned mail|delivery (status notification|has failed|failure)|"
    r"mail delivery (failed|failure|subsystem)|failure notice|non[- ]?delivery)",
    re.IGNORECASE,
)
_BLOCK_TAGS = re.compile(r"<\s*(br|/p|/div|/tr|/li|/h[1-6]|/blockquote|/table|hr)\b[^>]*>", re.I)


@dataclass
class File:
    """An attachment or inline image as it was in the message."""

    filename: str
    content_type: str
    data: bytes
    inline: bool = False


@dataclass
class ParsedEmail:
    from_name: str = ""
    from_address: str = ""
    subject: str = ""
    message_id: str = ""
    references: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    text: str = ""
    files: list[File] = field(default_factory=list)
    # Why no one should answer it: "auto_reply", "bounce" or "".
    automatic: str = ""
    # For a bounce: the Message-IDs of the messages that could not be delivered, and why.
    bounced_ids: list[str] = field(default_factory=list)
    bounce_reason: str = ""
    loop_marker: str = ""
    content_language: str = ""
    problems: list[str] = field(default_factory=list)


def _clean(text: str) -> str:
    """Text without NULs, stray CRs, surrogates (undecodable header bytes) or bidi overrides."""
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    )


def _one_line(text: str) -> str:
    return " ".join(_clean(text).split())


def _header(message: Message, name: str) -> str:
    """A header's decoded value, '' when missing or unreadable."""
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - a malformed header must not stop the message
        value = None
    if value is None:
        raw = _raw_header(message, name)
        return _decode_words(raw) if raw else ""
    return _one_line(str(value))


def _raw_header(message: Message, name: str) -> str:
    for key, value in message.raw_items() if hasattr(message, "raw_items") else message.items():
        if key.lower() == name.lower():
            return str(value)
    return ""


def _decode_words(value: str) -> str:
    """RFC 2047 words decoded by hand, for headers the policy could not read."""
    from email.header import decode_header

    parts = []
    try:
        for chunk, charset in decode_header(value):
            if isinstance(chunk, bytes):
                chunk = _decode_bytes(chunk, charset)
            parts.append(chunk)
    except Exception:  # noqa: BLE001
        return _one_line(value)
    return _one_line("".join(parts))


def _decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes in the charset they claim, trusting valid UTF-8 over a legacy label (mail clients
    often label UTF-8 text windows-1256 or latin-1), and never failing."""
    label = (charset or "").strip().strip('"').lower()
    if label in ("", "us-ascii", "ascii") or label in _LEGACY_CHARSETS:
        try:
            decoded = data.decode("utf-8")
            if label in ("", "us-ascii", "ascii") or not decoded.isascii():
                return decoded
        except UnicodeDecodeError:
            pass
    if label in ("", "us-ascii", "ascii", "unknown-8bit", "x-unknown"):
        label = "windows-1252"
    try:
        return data.decode(label, errors="replace")
    except LookupError:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("windows-1252", errors="replace")


def _addresses(message: Message, *names: str) -> list[tuple[str, str]]:
    """(display name, lower-case address) of every address in these headers. The raw header is
    split first and each name decoded after: the policy's parser puts a space between encoded
    words split inside a word (CPython gh-128110), and mis-splits names that decode to commas."""
    values = [_raw_header_all(message, name) for name in names]
    found = []
    for display, address in getaddresses([value for group in values for value in group]):
        address = _clean(address).strip().strip("<>").lower()
        if "@" in address and " " not in address:
            found.append((_decode_words(display), address))
    return found


def _raw_header_all(message: Message, name: str) -> list[str]:
    items = message.raw_items() if hasattr(message, "raw_items") else message.items()
    return [_clean(str(value)) for key, value in items if key.lower() == name.lower()]


def _message_ids(value: str) -> list[str]:
    return _MSGID.findall(value or "")


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - broken transfer encoding
        data = None
    if data is None:
        raw = part.get_payload()
        data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""
    return data


def _part_text(part: Message) -> str:
    return _clean(_decode_bytes(_payload(part), part.get_content_charset()))


def html_to_text(markup: str) -> str:
    """Readable text from HTML: sanitised by nh3 first (scripts, styles and their content go),
    block ends made line breaks, entities decoded."""
    markup = _BLOCK_TAGS.sub(lambda m: m.group(0) + "\n", markup)
    text = nh3.clean(markup, tags=set(), clean_content_tags={"script", "style", "head", "title"})
    text = html.unescape(text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _filename(part: Message) -> str:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001
        name = None
    if name is None:
        try:
            name = part.get_param("name")
        except Exception:  # noqa: BLE001
            name = None
        if isinstance(name, tuple):  # RFC 2231 value the policy left encoded
            name = email.utils.collapse_rfc2231_value(name)
    return _decode_words(name) if name else ""


def _is_attachment(part: Message) -> bool:
    try:
        disposition = (part.get_content_disposition() or "").lower()
    except Exception:  # noqa: BLE001
        disposition = ""
    return disposition == "attachment" or (
        bool(_filename(part)) and part.get_content_maintype() != "text"
    )


def _extension_for(content_type: str) -> str:
    return {
        "image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp",
        "application/pdf": "pdf", "text/plain": "txt", "text/calendar": "ics",
    }.get(content_type, "bin")  # fmt: skip


class _Reader:
    """Walks a message once, collecting the text and the files."""

    def __init__(self, parsed: ParsedEmail) -> None:
        self.parsed = parsed
        self.plain: list[str] = []
        self.html: list[str] = []

    def walk(self, part: Message, depth: int = 0) -> None:
        if depth > _MAX_DEPTH:
            self.parsed.problems.append("forwarded messages nested too deep")
            return
        content_type = part.get_content_type()
        if part.get_content_maintype() == "multipart" and not part.is_multipart():
            # A multipart whose boundary is missing or never appears: its body is the text.
            self.plain.append(_part_text(part))
            return
        if part.is_multipart():
            children = part.get_payload()
            if not isinstance(children, list):
                self.plain.append(_part_text(part))
                return
            if content_type == "multipart/alternative":
                self._alternative(children, depth)
            else:
                for child in children:
                    self.walk(child, depth)
            return
        if content_type == "message/rfc822" or (
            content_type == "message/global" and not _is_attachment(part)
        ):
            self._forwarded(part, depth)
            return
        if _is_attachment(part) or (
            part.get_content_maintype() == "image" and part.get("Content-ID")
        ):
            self._file(part)
            return
        if content_type == "text/html":
            self.html.append(_part_text(part))
        elif part.get_content_maintype() == "text" or content_type == "application/octet-stream":
            if content_type in ("text/plain", "text/enriched") or not content_type.startswith(
                "text/"
            ):
                self.plain.append(_part_text(part))
            else:
                self._file(part)
        else:
            self._file(part)

    def _alternative(self, children: list, depth: int) -> None:
        plain = [c for c in children if c.get_content_type() == "text/plain"]
        if plain and _part_text(plain[0]).strip():
            self.walk(plain[0], depth)
            # Inline images travel in the HTML branch (multipart/related).
            for child in children:
                if child.is_multipart():
                    self._files_only(child)
            return
        for child in reversed(children):
            if child.get_content_type() != "text/plain":
                self.walk(child, depth)
                return
        for child in children:
            self.walk(child, depth)

    def _files_only(self, part: Message) -> None:
        for child in part.walk():
            if not child.is_multipart() and (
                _is_attachment(child)
                or (child.get_content_maintype() == "image" and child.get("Content-ID"))
            ):
                self._file(child)

    def _forwarded(self, part: Message, depth: int) -> None:
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if not isinstance(inner, Message):
            self.plain.append(_part_text(part))
            return
        lines = ["", "---------- Forwarded message ----------"]
        for name in ("From", "Date", "Subject", "To"):
            value = _header(inner, name)
            if value:
                lines.append(f"{name}: {value}")
        reader = _Reader(self.parsed)
        reader.walk(inner, depth + 1)
        lines.extend(["", reader.body()])
        self.plain.append("\n".join(lines))

    def _file(self, part: Message) -> None:
        data = _payload(part)
        name = _filename(part)
        content_type = part.get_content_type()
        if not name:
            name = f"attachment.{_extension_for(content_type)}"
        inline = (part.get_content_disposition() or "").lower() == "inline"
        self.parsed.files.append(File(name, content_type, data, inline))

    def body(self) -> str:
        text = "\n\n".join(t.strip("\n") for t in self.plain if t.strip())
        if not text.strip() and self.html:
            text = "\n\n".join(html_to_text(h) for h in self.html)
        return text.strip()


def _bounce(message: Message, parsed: ParsedEmail) -> None:
    """Whether a message reports a failed delivery; the Message-IDs it reports and why."""
    report = (
        message.get_content_type() == "multipart/report"
        and (message.get_param("report-type") or "").lower() == "delivery-status"
    )
    sender = parsed.from_address
    if not (
        report
        or (_BOUNCE_SENDERS.match(sender) and _BOUNCE_SUBJECTS.search(parsed.subject))
        or (
            message.get_content_type() == "multipart/report"
            and (message.get_param("report-type") or "").lower() != "disposition-notification"
        )
    ):
        return
    parsed.automatic = "bounce"
    reasons = []
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type in ("message/delivery-status", "message/global-delivery-status"):
            text = _part_text(part) if not part.is_multipart() else ""
            if part.is_multipart():
                text = "\n".join(str(block) for block in part.get_payload())
            # Fields may be folded over several lines (Postfix folds a long Diagnostic-Code).
            text = re.sub(r"\r?\n[ \t]+", " ", text)
            for line in text.splitlines():
                key = line.split(":", 1)[0].strip().lower()
                if key in ("status", "diagnostic-code", "final-recipient", "action"):
                    reasons.append(_one_line(line))
        elif content_type in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            if content_type == "message/rfc822":
                inner = part.get_payload()
                headers = inner[0] if isinstance(inner, list) and inner else None
                ids = _message_ids(_header(headers, "Message-ID")) if headers else []
            else:
                raw = _payload(part)
                headers = BytesHeaderParser(policy=email.policy.default).parsebytes(raw)
                ids = _message_ids(_header(headers, "Message-ID"))
            parsed.bounced_ids.extend(ids)
    if not parsed.bounced_ids:
        # Non-standard bounces quote the original headers in their text.
        for match in re.finditer(r"(?im)^\s*message-id:\s*(<[^<>\s]+>)", parsed.text):
            parsed.bounced_ids.append(match.group(1))
    parsed.bounce_reason = "; ".join(reasons)[:500] or parsed.subject[:200]


def _automatic(message: Message, parsed: ParsedEmail) -> None:
    """Auto-replies and other machine mail that must never be answered."""
    if parsed.automatic:
        return
    auto_submitted = _header(message, "Auto-Submitted").lower()
    precedence = _header(message, "Precedence").lower()
    if (
        (auto_submitted and not auto_submitted.startswith("no"))
        or any(_header(message, name) for name in _AUTO_HEADERS)
        or precedence in _AUTO_PRECEDENCE
        or _AUTO_SUBJECTS.match(parsed.subject)
        or (
            message.get_content_type() == "multipart/report"
            and (message.get_param("report-type") or "").lower() == "disposition-notification"
        )
    ):
        parsed.automatic = "auto_reply"


def message_parse(raw: bytes) -> ParsedEmail:
    """Everything the helpdesk reads from one raw message."""
    message: EmailMessage = email.message_from_bytes(raw, policy=email.policy.default)
    parsed = ParsedEmail()
    senders = _addresses(message, "From") or _addresses(message, "Sender", "Reply-To")
    if senders:
        parsed.from_name, parsed.from_address = senders[0]
    parsed.subject = _header(message, "Subject")[:500]
    ids = _message_ids(_header(message, "Message-ID"))
    parsed.message_id = ids[0] if ids else ""
    references = _message_ids(_header(message, "References")) + _message_ids(
        _header(message, "In-Reply-To")
    )
    parsed.references = list(dict.fromkeys(reversed(references)))[:50]  # nearest first
    parsed.recipients = [
        address
        for _name, address in _addresses(
            message, "To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To"
        )
    ]
    parsed.loop_marker = _header(message, "X-Loop")
    parsed.content_language = _header(message, "Content-Language")[:16]
    reader = _Reader(parsed)
    try:
        reader.walk(message)
    except Exception as error:  # noqa: BLE001 - a structure the reader did not expect
        parsed.problems.append(f"the message's structure could not be read fully ({error})")
        reader.plain.append(_part_text(message) if not message.is_multipart() else "")
    parsed.text = reader.body()
    _bounce(message, parsed)
    _automatic(message, parsed)
    for defect in getattr(message, "defects", [])[:5]:
        parsed.problems.append(type(defect).__name__)
    return parsed


def message_headers(raw: bytes) -> tuple[str, str, str]:
    """The Message-ID, sender address and subject, read from the headers only (cheap: for
    storing a message before it is parsed)."""
    head = raw.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in raw[:65536] else raw[:65536]
    head = head.split(b"\n\n", 1)[0]
    message = BytesHeaderParser(policy=email.policy.default).parsebytes(head)
    ids = _message_ids(_header(message, "Message-ID"))
    senders = _addresses(message, "From")
    return (
        ids[0] if ids else "",
        senders[0][1] if senders else "",
        _header(message, "Subject"),
    )


def own_address(address: str) -> bool:
    """Whether an address is one this installation sends from."""
    from django.conf import settings

    _name, ours = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return bool(ours) and address.lower() == ours.lower()
