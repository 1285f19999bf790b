"""The batch `email_ingest` measures: raw messages in the mix a helpdesk's inbox gets, written
with the standard library's `email` package (see bench/email_ingest/__init__.py), each with what
it must become."""

import html
import random
import secrets
import struct
import zlib
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import default as default_policy
from email.utils import format_datetime, formataddr

# Shares of the batch: new requests and machine mail; the rest are replies.
NEW_SHARE = 0.6
AUTOMATIC_SHARE = 0.1

# What each message is, and so what it must become.
NEW_NEW_CUSTOMER = "new request from a new customer"
NEW_KNOWN_CUSTOMER = "new request from a known customer"
REPLY_REFERENCES = "reply by References"
REPLY_TAG = "reply by the tag of a request of the batch"
REPLY_TAG_OLDER = "reply by the tag of an older open request"
AUTO_REPLY = "auto-reply"
BOUNCE = "bounce"

NEW_KINDS = (NEW_NEW_CUSTOMER, NEW_KNOWN_CUSTOMER)
REPLY_KINDS = (REPLY_REFERENCES, REPLY_TAG, REPLY_TAG_OLDER)

# The languages of new customers' mail, and how often each.
LANGUAGE_WEIGHTS = {"fa": 45, "tr": 25, "en": 20, "kk": 10}
CONTENT_LANGUAGE = {"fa": "fa-IR", "tr": "tr-TR", "en": "en-US", "kk": "kk-KZ"}
MODELS = ("WM-8120", "RF-560X", "AC-24K Inverter", "TV-55U7", "DW-14")
DOMAINS = ("example.com", "example.net", "example.org")
MAILERS = (
    "Microsoft Outlook 16.0",
    "Mozilla Thunderbird 128.4.0",
    "Apple Mail (2.3774.600)",
    "Roundcube Webmail/1.6.9",
)
REPLY_OPENERS = {
    "fa": "سلام، در ادامه‌ی پیام قبلی:",
    "tr": "Merhaba, önceki mesajıma ek olarak:",
    "en": "Hello, following up on my previous message:",
    "kk": "Сәлеметсіз бе, алдыңғы хатыма қосымша:",
}
AUTO_REPLY_SUBJECTS = ("Automatic reply: {}", "Otomatik yanıt: {}", "پاسخ خودکار: {}")
AUTO_REPLY_TEXT = (
    "I am out of the office until Monday with limited access to email. "
    "For urgent matters please call the shop.\n\n"
    "Pazartesiye kadar ofis dışındayım.\n\n"
    "تا دوشنبه در دفتر نیستم و به ایمیل دسترسی محدودی دارم."
)


@dataclass
class Planned:
    """One message of the batch and what it must become."""

    kind: str
    raw: bytes
    sender: str
    message_id: str
    # The request it must make or land on: its number, and for a reply within the batch, the
    # index of the new message whose request that is.
    number: int | None = None
    root: int | None = None
    customer_id: int | None = None  # the known customer a new request must be for
    files: int = 0


@dataclass
class _Thread:
    """A new request of the batch, as its replies see it."""

    index: int
    sender: str
    name: str
    language: str
    subject: str
    number: int
    message_ids: list[str] = field(default_factory=list)


@dataclass
class _Known:
    """A customer the organization knows, by the email they write from."""

    customer_id: int
    email: str
    name: str
    language: str


class Batch:
    """Writes a batch of messages in the mix, oldest first, for the organization as it is now:
    its known customers, its open requests and the next request number."""

    def __init__(self, *, organization, rng: random.Random) -> None:
        from aftercare.accounts.models import Organization

        self.rng = rng
        self.organization = Organization.objects.get(pk=organization.pk)
        self.prefix = self.organization.ticket_prefix
        self.next_number = self.organization.ticket_sequence + 1
        # Unique to this batch, so that a second batch on the same database is new mail too.
        self.token = secrets.token_hex(4)
        self.known = _known_customers(self.organization)
        self.older = _older_open_requests(self.organization, self.known)
        self.threads: list[_Thread] = []
        self.files = _files(rng)

    def build(self, count: int) -> list[Planned]:
        """`count` messages: every reply after the message it answers."""
        kinds = _kinds(count, self.rng)
        batch = []
        for index, kind in enumerate(kinds):
            if kind in NEW_KINDS:
                item = self._new(index, known=kind == NEW_KNOWN_CUSTOMER)
            elif kind == REPLY_REFERENCES:
                item = self._reply_by_references(index)
            elif kind == REPLY_TAG:
                item = self._reply_by_tag(index)
            elif kind == REPLY_TAG_OLDER and self.older:
                item = self._reply_to_older(index)
            elif kind == REPLY_TAG_OLDER:  # no open request before the batch
                item = self._reply_by_tag(index)
            elif kind == AUTO_REPLY:
                item = self._auto_reply(index)
            else:
                item = self._bounce(index)
            batch.append(item)
        return batch

    def _message_id(self, index: int, sender: str) -> str:
        """A Message-ID as the sender's mail client makes it."""
        domain = sender.rpartition("@")[2]
        return f"<{self.token}.{index}.{self.rng.getrandbits(40):010x}@{domain}>"

    def _new(self, index: int, *, known: bool) -> Planned:
        rng = self.rng
        if known and self.known:
            person = rng.choice(self.known)
            sender, name, customer_id = person.email, person.name, person.customer_id
            language = person.language
        else:
            language = rng.choices(list(LANGUAGE_WEIGHTS), list(LANGUAGE_WEIGHTS.values()))[0]
            demo_person = rng.choice([p for p in _demo().CUSTOMERS if p.language == language])
            local = f"{demo_person.email}.{self.token}{index}".lower()
            sender, name, customer_id = f"{local}@{rng.choice(DOMAINS)}", demo_person.name, None
        scenario = rng.choice(_demo().SCENARIOS)
        subject, text = scenario.texts[language]
        text = text.format(
            model=rng.choice(MODELS),
            serial=f"SN{rng.randrange(10**9):09d}",
            purchase_date="2026-03-14",
            seller=_demo().SELLERS[language][0],
            days=rng.randint(2, 9),
        )
        message_id = self._message_id(index, sender)
        message = self._message(sender=(name, sender), subject=subject, message_id=message_id)
        if rng.random() < 0.3:
            message["Content-Language"] = CONTENT_LANGUAGE[language]
        files = self._body(message, text, language=language, attach=rng.random() < 1 / 6)
        number = self.next_number
        self.next_number += 1
        self.threads.append(_Thread(index, sender, name, language, subject, number, [message_id]))
        return Planned(
            kind=NEW_KNOWN_CUSTOMER if customer_id is not None else NEW_NEW_CUSTOMER,
            raw=bytes(message),
            sender=sender,
            message_id=message_id,
            number=number,
            root=index,
            customer_id=customer_id,
            files=files,
        )

    def _reply_by_references(self, index: int) -> Planned:
        rng = self.rng
        thread = rng.choice(self.threads)
        sender, name = thread.sender, thread.name
        if rng.random() < 0.1:  # a colleague in copy answers the thread
            sender, name = f"colleague.{self.token}{index}@{rng.choice(DOMAINS)}", "Colleague"
        message_id = self._message_id(index, sender)
        message = self._message(
            sender=(name, sender), subject=f"Re: {thread.subject}", message_id=message_id
        )
        message["In-Reply-To"] = thread.message_ids[-1]
        message["References"] = " ".join(thread.message_ids[-10:])
        thread.message_ids.append(message_id)
        files = self._reply_body(message, thread, attach=rng.random() < 0.05)
        return Planned(
            kind=REPLY_REFERENCES,
            raw=bytes(message),
            sender=sender,
            message_id=message_id,
            number=thread.number,
            root=thread.index,
            files=files,
        )

    def _reply_by_tag(self, index: int) -> Planned:
        """The customer answers the "received" notice from another client, or writes anew with
        the reference in the subject: no reference the batch knows, only the tag."""
        thread = self.rng.choice(self.threads)
        reference = f"{self.prefix}-{thread.number:06d}"
        message_id = self._message_id(index, thread.sender)
        message = self._message(
            sender=(thread.name, thread.sender),
            subject=f"Re: [{reference}] Request received: {thread.subject}",
            message_id=message_id,
        )
        files = self._reply_body(message, thread, attach=False)
        return Planned(
            kind=REPLY_TAG,
            raw=bytes(message),
            sender=thread.sender,
            message_id=message_id,
            number=thread.number,
            root=thread.index,
            files=files,
        )

    def _reply_to_older(self, index: int) -> Planned:
        """A customer writes about their open request from before, its tag in the subject."""
        number, person, subject = self.rng.choice(self.older)
        older = _Thread(-1, person.email, person.name, person.language, subject, number)
        message_id = self._message_id(index, person.email)
        message = self._message(
            sender=(person.name, person.email),
            subject=f"[{self.prefix}-{number:06d}] {subject}",
            message_id=message_id,
        )
        files = self._reply_body(message, older, attach=False)
        return Planned(
            kind=REPLY_TAG_OLDER,
            raw=bytes(message),
            sender=person.email,
            message_id=message_id,
            number=number,
            files=files,
        )

    def _auto_reply(self, index: int) -> Planned:
        """An out-of-office answer to a notice: to one of the batch's requests or an older one."""
        rng = self.rng
        if self.threads and (rng.random() < 0.5 or not self.older):
            thread = rng.choice(self.threads)
            sender, name, number, subject = (
                thread.sender,
                thread.name,
                thread.number,
                thread.subject,
            )
        else:
            number, person, subject = rng.choice(self.older)
            sender, name = person.email, person.name
        message_id = self._message_id(index, sender)
        about = f"[{self.prefix}-{number:06d}] Request received: {subject}"
        message = self._message(
            sender=(name, sender),
            subject=rng.choice(AUTO_REPLY_SUBJECTS).format(about),
            message_id=message_id,
        )
        message["Auto-Submitted"] = "auto-replied"
        message["In-Reply-To"] = f"<as-notice.{self.token}.{index}@bench.example>"
        if rng.random() < 0.5:
            message["X-Autoreply"] = "yes"
        message.set_content(AUTO_REPLY_TEXT)
        return Planned(kind=AUTO_REPLY, raw=bytes(message), sender=sender, message_id=message_id)

    def _bounce(self, index: int) -> Planned:
        """A delivery failure report (RFC 3464) for a notice sent to a mistyped address."""
        host = f"mx{index % 4 + 1}.example.net"
        sender = f"MAILER-DAEMON@{host}"
        message_id = self._message_id(index, sender)
        report = MIMEMultipart("report", report_type="delivery-status", policy=default_policy)
        report["From"] = formataddr(("Mail Delivery System", sender))
        report["To"] = self._to()
        report["Subject"] = "Undelivered Mail Returned to Sender"
        report["Date"] = format_datetime(_now())
        report["Message-ID"] = message_id
        report["Auto-Submitted"] = "auto-replied"
        gone = f"gone.{self.token}{index}@{DOMAINS[index % len(DOMAINS)]}"
        report.attach(
            MIMEText(
                f"This is the mail system at host {host}.\n\nI'm sorry to have to inform you "
                "that your message could not be delivered to one or more recipients.\n\n"
                f"<{gone}>: host {host} said: 550 5.1.1 user unknown\n",
                policy=default_policy,
            )
        )
        status = EmailMessage()
        status["Content-Type"] = "message/delivery-status"
        reporting, recipient = Message(), Message()
        reporting["Reporting-MTA"] = f"dns; {host}"
        recipient["Final-Recipient"] = f"rfc822; {gone}"
        recipient["Action"] = "failed"
        recipient["Status"] = "5.1.1"
        recipient["Diagnostic-Code"] = f"smtp; 550 5.1.1 <{gone}>: Recipient address rejected"
        status.set_payload([reporting, recipient])
        report.attach(status)
        report.attach(
            MIMEText(
                f"From: {self.organization.name} <no-reply@bench.example>\nTo: {gone}\n"
                f"Subject: [{self.prefix}-000001] Request received\n"
                f"Message-ID: <as-notice.{self.token}.{index}@bench.example>\n",
                "rfc822-headers",
                policy=default_policy,
            )
        )
        return Planned(kind=BOUNCE, raw=bytes(report), sender=sender.lower(), message_id=message_id)

    def _to(self) -> str:
        return formataddr((self.organization.name, "support@bench.example"))

    def _message(self, *, sender: tuple[str, str], subject: str, message_id: str) -> EmailMessage:
        """The headers a message has when it reaches the pipe, relays and signature included."""
        rng = self.rng
        message = EmailMessage()
        message["Return-Path"] = f"<{sender[1]}>"
        for hop in (2, 1):
            relay = f"mail{hop}.{sender[1].split('@')[1]}"
            message["Received"] = (
                f"from {relay} ({relay} [192.0.2.{rng.randint(1, 254)}]) by mx.bench.example "
                f"(Postfix) with ESMTPS id {rng.getrandbits(40):010X} for "
                f"<support@bench.example>; {format_datetime(_now())}"
            )
        message["DKIM-Signature"] = (
            f"v=1; a=rsa-sha256; c=relaxed/relaxed; d={sender[1].split('@')[1]}; s=s1; "
            f"h=from:to:subject:date:message-id; bh={secrets.token_urlsafe(32)}; "
            f"b={secrets.token_urlsafe(180)}"
        )
        message["From"] = formataddr(sender)
        message["To"] = self._to()
        message["Subject"] = subject
        message["Date"] = format_datetime(_now())
        message["Message-ID"] = message_id
        message["X-Mailer"] = rng.choice(MAILERS)
        return message

    def _body(self, message: EmailMessage, text: str, *, language: str, attach: bool) -> int:
        """The text, with an HTML alternative a third of the time and a file when `attach`;
        returns how many files."""
        message.set_content(text)
        if self.rng.random() < 1 / 3:
            direction = "rtl" if language == "fa" else "ltr"
            paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line)
            message.add_alternative(
                f'<html><body dir="{direction}"><div style="font-family: Tahoma">{paragraphs}'
                "</div></body></html>",
                subtype="html",
            )
        if not attach:
            return 0
        filename, maintype, subtype, data = self.rng.choice(self.files)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
        return 1

    def _reply_body(self, message: EmailMessage, thread: _Thread, *, attach: bool) -> int:
        """A customer's follow-up, the mail it answers quoted below."""
        language = thread.language
        nudge = "\n\n".join(self.rng.sample(_demo().CUSTOMER_NUDGES[language], 2))
        text = (
            f"{REPLY_OPENERS[language]}\n\n{nudge}\n\n"
            f"{format_datetime(_now())}, {thread.name} <{thread.sender}>:\n> {thread.subject}\n"
        )
        return self._body(message, text, language=language, attach=attach)


def _kinds(count: int, rng: random.Random) -> list[str]:
    """The kind of each message, in the mix, shuffled, a new request first."""
    new = round(count * NEW_SHARE)
    automatic = round(count * AUTOMATIC_SHARE)
    replies = count - new - automatic
    by_tag = replies // 6
    older = replies // 6
    auto_replies = automatic - automatic * 2 // 5
    kinds = (
        [NEW_NEW_CUSTOMER] * (new // 2)
        + [NEW_KNOWN_CUSTOMER] * (new - new // 2)
        + [REPLY_REFERENCES] * (replies - by_tag - older)
        + [REPLY_TAG] * by_tag
        + [REPLY_TAG_OLDER] * older
        + [AUTO_REPLY] * auto_replies
        + [BOUNCE] * (automatic - auto_replies)
    )
    rng.shuffle(kinds)
    first_new = next(i for i, kind in enumerate(kinds) if kind in NEW_KINDS)
    kinds[0], kinds[first_new] = kinds[first_new], kinds[0]
    return kinds


def _known_customers(organization) -> list[_Known]:
    """The organization's customers with an email (their first 5000)."""
    from aftercare.customers.models import ContactPoint

    points = (
        ContactPoint.objects.filter(organization=organization, kind=ContactPoint.Kind.EMAIL)
        .order_by("pk")
        .values_list("customer_id", "value", "customer__name", "customer__preferred_language")
    )
    known, seen = [], set()
    for customer_id, email, name, language in points[:5000]:
        if customer_id not in seen:
            seen.add(customer_id)
            language = language if language in LANGUAGE_WEIGHTS else "en"
            known.append(_Known(customer_id, email, name, language))
    return known


def _older_open_requests(organization, known: list[_Known]) -> list[tuple[int, _Known, str]]:
    """Open requests from before the batch whose customer writes from a known address: their
    number, that customer and the subject; the most recent of each customer, 500 customers at
    most. One per customer: intake's in-process rounds open their requests for one customer,
    and replies from one address to all of them would be a mail loop (INBOUND_FLOOD_LIMIT)."""
    from aftercare.lib.vocabulary import Status
    from aftercare.tickets.models import Ticket

    by_customer = {person.customer_id: person for person in known}
    requests = (
        Ticket.objects.filter(organization=organization, is_open=True)
        .exclude(status=Status.CLOSED)
        .order_by("-number")
        .values_list("number", "customer_id", "subject")
    )
    older: dict[int, tuple[int, _Known, str]] = {}
    for number, customer_id, subject in requests[:20000].iterator():
        if customer_id in by_customer and customer_id not in older:
            older[customer_id] = (number, by_customer[customer_id], subject)
            if len(older) == 500:
                break
    return list(older.values())


def _files(rng: random.Random) -> list[tuple[str, str, str, bytes]]:
    """The files customers attach: small PDFs and PNG photos, real enough for the checks that
    read their first bytes."""
    return [
        ("invoice.pdf", "application", "pdf", _pdf(rng, lines=120)),
        ("فاکتور خرید.pdf", "application", "pdf", _pdf(rng, lines=60)),
        ("photo.png", "image", "png", _png(rng, size=48)),
        ("etiket_seri_no.png", "image", "png", _png(rng, size=32)),
    ]


def _pdf(rng: random.Random, *, lines: int) -> bytes:
    """A one-page PDF with `lines` lines of an invoice."""
    text = "\n".join(
        f"BT /F1 9 Tf 40 {800 - (i % 90) * 8} Td (Item {i}: spare part {rng.randrange(10**6)}, "
        f"{rng.randint(1, 90)}.00) Tj ET"
        for i in range(lines)
    ).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def _png(rng: random.Random, *, size: int) -> bytes:
    """A `size` x `size` RGB photo of noise (which does not compress, as photos hardly do)."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    rows = b"".join(b"\x00" + rng.randbytes(size * 3) for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _demo():
    from aftercare.demo import content

    return content


def _now():
    from django.utils import timezone

    return timezone.now()
