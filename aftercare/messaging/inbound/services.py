"""Inbound email, one path for every way in (IMAP, the mail server's pipe, provider webhooks):
the raw message is committed first, then processed by a task into a request.

Processing takes the oldest due message first, so a reply is threaded after the message it
answers. A message is claimed (its attempt counted) in a transaction of its own before it is
processed in another: a process killed while processing leaves the message due again after
INBOUND_PROCESSING_LEASE_SECONDS, and one that keeps failing, or keeps killing its processor,
ends in the dead-letter list after INBOUND_MAX_ATTEMPTS.
"""

import datetime
import hashlib
import logging
import re

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.customers.models import ContactPoint
from aftercare.customers.services import customer_get_or_create_for_email
from aftercare.lib.debounce import AtMostEvery
from aftercare.lib.errors import ApplicationError
from aftercare.lib.languages import is_language
from aftercare.lib.vocabulary import Channel, Status
from aftercare.messaging.inbound.models import InboundEmail, Mailbox
from aftercare.messaging.inbound.parse import (
    ParsedEmail,
    message_headers,
    message_parse,
    own_address,
)
from aftercare.messaging.inbound.text import guess_language
from aftercare.messaging.outbound.models import EmailSetting
from aftercare.notifications.services import notices_bounced
from aftercare.tickets.attachments import attachment_check
from aftercare.tickets.choices import MessageKind
from aftercare.tickets.models import Ticket
from aftercare.tickets.notices import ticket_for_references, ticket_for_reply_address
from aftercare.tickets.services.conversation import ticket_message_add
from aftercare.tickets.services.requests import BODY_MAX, SUBJECT_MAX, ticket_create

logger = logging.getLogger(__name__)

_FLOOD_WINDOW = datetime.timedelta(minutes=10)
_PENDING = (InboundEmail.State.RECEIVED, InboundEmail.State.FAILED)


def _key(message_id: str, raw: bytes) -> str:
    """What recognises a second delivery: the Message-ID, else the bytes' digest."""
    if message_id:
        if len(message_id) <= 180:
            return f"mid:{message_id}"
        return "mid#" + hashlib.sha256(message_id.encode()).hexdigest()
    return "sha:" + hashlib.sha256(raw).hexdigest()


def inbound_email_store(
    *,
    organization: Organization,
    raw: bytes,
    source: str,
    mailbox: Mailbox | None = None,
    imap_uid: int | None = None,
    envelope_sender: str = "",
    envelope_recipient: str = "",
) -> tuple[InboundEmail, bool]:
    """Commit a raw message before anything is made of it; (the row, whether it is new). A
    second delivery of a stored message only counts the delivery. Processing is asked for once
    the transaction commits."""
    if source not in InboundEmail.Source.values:
        raise ApplicationError(_("Unknown source."), field="source")
    if not raw or not raw.strip():
        raise ApplicationError(_("The message is empty."), field="raw")
    if len(raw) > settings.INBOUND_EMAIL_MAX_BYTES:
        raise ApplicationError(
            _("The message is larger than %(limit)s MB.")
            % {"limit": settings.INBOUND_EMAIL_MAX_BYTES // (1024 * 1024)},
            field="raw",
        )
    try:
        message_id, sender, subject = message_headers(raw)
    except Exception:  # noqa: BLE001 - unreadable headers: stored all the same, by digest
        message_id, sender, subject = "", "", ""
    key = _key(message_id, raw)
    now = timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                existing = (
                    InboundEmail.objects.filter(organization=organization, key=key)
                    .only("pk", "deliveries")
                    .first()
                )
                if existing is not None:
                    InboundEmail.objects.filter(pk=existing.pk).update(
                        deliveries=F("deliveries") + 1
                    )
                    existing.deliveries += 1
                    _advance(mailbox, imap_uid)
                    return existing, False
                row = InboundEmail.objects.create(
                    organization=organization,
                    mailbox=mailbox,
                    source=source,
                    key=key,
                    raw=raw,
                    size=len(raw),
                    envelope_sender=envelope_sender[:254],
                    envelope_recipient=envelope_recipient[:254],
                    imap_uid=imap_uid,
                    message_id=message_id[:255],
                    from_address=sender[:254],
                    subject=subject[:300],
                    received_at=now,
                    next_attempt_at=now,
                )
                _advance(mailbox, imap_uid)
                transaction.on_commit(_process_soon)
                return row, True
        except IntegrityError:
            # The same message stored by another process a moment ago: count it as a delivery.
            continue
    raise ApplicationError(_("The message could not be stored; try again."), field="raw")


def _advance(mailbox: Mailbox | None, imap_uid: int | None) -> None:
    """Record how far a mailbox was read, in the transaction that stored the message."""
    if mailbox is not None and imap_uid is not None:
        Mailbox.objects.filter(pk=mailbox.pk, last_uid__lt=imap_uid).update(last_uid=imap_uid)


# Asked for after each commit that queues work; one run takes everything due.
_ask = AtMostEvery(lambda: settings.NOTICE_SEND_DEBOUNCE_SECONDS)


def _process_soon() -> None:
    """Ask for the due messages to be processed, at most once a second per process (one run
    processes all that is due; the periodic sweep catches what the edge missed)."""
    if not _ask.ready():
        return
    from aftercare.messaging.inbound.tasks import inbound_process_task

    inbound_process_task.enqueue()


def _backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=min(2 ** max(0, attempts - 1), 60))


def _claim(inbound_id: int, now: datetime.datetime) -> bool:
    """Take a due message for processing, counting the attempt, in a transaction of its own."""
    lease = datetime.timedelta(seconds=settings.INBOUND_PROCESSING_LEASE_SECONDS)
    return bool(
        InboundEmail.objects.filter(
            pk=inbound_id, state__in=_PENDING, next_attempt_at__lte=now
        ).update(attempts=F("attempts") + 1, next_attempt_at=now + lease)
    )


def inbound_process_due(*, limit: int | None = None) -> int:
    """Process every message that is due, oldest first; returns how many were processed."""
    done = 0
    last_id = 0
    while limit is None or done < limit:
        now = timezone.now()
        ids = list(
            InboundEmail.objects.filter(
                next_attempt_at__lte=now, state__in=_PENDING, pk__gt=last_id
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:50]
        )
        if not ids:
            return done
        for inbound_id in ids:
            last_id = inbound_id
            if inbound_process(inbound_id):
                done += 1
    return done


def inbound_process(inbound_id: int, *, now: datetime.datetime | None = None) -> bool:
    """Process one stored message if it is due and no one else holds it; False otherwise."""
    now = now or timezone.now()
    if not _claim(inbound_id, now):
        return False
    try:
        with transaction.atomic():
            row = InboundEmail.objects.select_for_update().get(pk=inbound_id)
            if row.state not in _PENDING:
                return False
            _process(row)
            row.processed_at = timezone.now()
            row.next_attempt_at = None
            row.last_error = ""
            row.save()
    except ApplicationError as error:
        # What the message says cannot be made into a request however often it is tried.
        _failed(inbound_id, f"{error.field}: {error.message}", permanent=True)
    except Exception as error:  # noqa: BLE001 - anything else is retried, then dead-lettered
        logger.exception("Inbound email %s could not be processed.", inbound_id)
        _failed(inbound_id, f"{type(error).__name__}: {error}", permanent=False)
    return True


def _failed(inbound_id: int, error: str, *, permanent: bool) -> None:
    with transaction.atomic():
        row = InboundEmail.objects.select_for_update().only("pk", "attempts").get(pk=inbound_id)
        final = permanent or row.attempts >= settings.INBOUND_MAX_ATTEMPTS
        InboundEmail.objects.filter(pk=inbound_id).update(
            state=InboundEmail.State.DEAD if final else InboundEmail.State.FAILED,
            outcome=InboundEmail.Outcome.ERROR,
            last_error=error[:4000],
            next_attempt_at=None if final else timezone.now() + _backoff(row.attempts),
        )


def _process(row: InboundEmail) -> None:
    """Make what the message is into what it should become; sets the row's state."""
    parsed = message_parse(bytes(row.raw))
    organization = row.organization
    row.from_address = parsed.from_address or row.from_address
    row.subject = parsed.subject[:300]
    row.message_id = parsed.message_id[:255] or row.message_id
    if parsed.automatic == "bounce":
        count = notices_bounced(
            organization=organization, message_ids=parsed.bounced_ids, reason=parsed.bounce_reason
        )
        _ignore(row, InboundEmail.Outcome.BOUNCE, f"{parsed.bounce_reason} ({count})")
        return
    if not parsed.from_address:
        row.state, row.outcome = InboundEmail.State.DEAD, InboundEmail.Outcome.NO_SENDER
        row.detail = _("The message has no sender address.")
        return
    if _ours(organization, parsed.from_address) or "aftercare" in parsed.loop_marker.lower():
        _ignore(row, InboundEmail.Outcome.LOOP, _("The message came from this system."))
        return
    if parsed.automatic:
        _ignore(row, InboundEmail.Outcome.AUTO_REPLY, _("Sent automatically; not answered."))
        return
    if _flooding(row, parsed):
        _ignore(row, InboundEmail.Outcome.LOOP, _("Too many messages from this sender."))
        return
    ticket = _thread(row, parsed)
    if ticket is not None and ticket.status != Status.CLOSED:
        _append(row, parsed, ticket)
    else:
        _open(row, parsed)


def _ours(organization: Organization, address: str) -> bool:
    """Whether an address is one this installation or the organization sends or receives at
    (plus-addresses included): mail from it is our own coming back."""
    local, _at, domain = address.partition("@")
    bare = f"{local.split('+', 1)[0]}@{domain}"
    if own_address(address) or own_address(bare):
        return True
    addresses = set(
        Mailbox.objects.filter(organization=organization).values_list("address", flat=True)
    ) | set(
        EmailSetting.objects.filter(organization=organization).values_list(
            "from_address", flat=True
        )
    )
    return bool({address, bare} & {value.lower() for value in addresses if value})


def _ignore(row: InboundEmail, outcome: str, detail: str) -> None:
    row.state, row.outcome, row.detail = InboundEmail.State.IGNORED, outcome, detail[:2000]


def _flooding(row: InboundEmail, parsed: ParsedEmail) -> bool:
    recent = InboundEmail.objects.filter(
        organization_id=row.organization_id,
        from_address=parsed.from_address,
        received_at__gte=row.received_at - _FLOOD_WINDOW,
        pk__lt=row.pk,
    )
    return recent[: settings.INBOUND_FLOOD_LIMIT].count() >= settings.INBOUND_FLOOD_LIMIT


def _thread(row: InboundEmail, parsed: ParsedEmail) -> Ticket | None:
    """The request a message continues: the reply token in an address, then a reference to a
    mail of the request, then the subject's tag from the request's own customer. Never the
    subject alone."""
    organization = row.organization
    ticket = ticket_for_reply_address(
        organization=organization, addresses=[*parsed.recipients, row.envelope_recipient]
    )
    if ticket is None:
        ticket = ticket_for_references(organization=organization, message_ids=parsed.references)
    if ticket is None and parsed.references:
        earlier = dict(
            InboundEmail.objects.filter(
                organization=organization,
                message_id__in=parsed.references,
                ticket__isnull=False,
            ).values_list("message_id", "ticket_id")
        )
        for message_id in parsed.references:
            if message_id in earlier:
                ticket = Ticket.objects.get(pk=earlier[message_id])
                break
    if ticket is None:
        ticket = _tagged(organization, parsed)
    return ticket


def _tagged(organization: Organization, parsed: ParsedEmail) -> Ticket | None:
    prefix = re.escape(organization.ticket_prefix)
    for match in re.finditer(rf"\[\s*{prefix}-(\d{{1,18}})\s*\]", parsed.subject, re.IGNORECASE):
        ticket = (
            Ticket.objects.filter(organization=organization, number=int(match.group(1)))
            .select_related("customer")
            .first()
        )
        if ticket is None:
            continue
        sender = parsed.from_address
        if (
            ticket.contact_email.lower() == sender
            or ContactPoint.objects.filter(
                organization=organization,
                customer_id=ticket.customer_id,
                kind=ContactPoint.Kind.EMAIL,
                value=sender,
            ).exists()
        ):
            return ticket
    return None


def _uploads(row: InboundEmail, parsed: ParsedEmail) -> tuple[list[SimpleUploadedFile], list[str]]:
    """The files that can be kept on the request, and a line for each one that cannot."""
    kept, refused = [], []
    for file in parsed.files:
        upload = SimpleUploadedFile(file.filename, file.data, content_type=file.content_type)
        try:
            attachment_check(upload)
        except ApplicationError as error:
            refused.append(str(error.message))
            continue
        if len(kept) >= settings.ATTACHMENT_MAX_PER_MESSAGE:
            refused.append(
                _("%(name)s: more files than a message may carry.") % {"name": file.filename}
            )
            continue
        upload.seek(0)
        kept.append(upload)
    return kept, refused


def _body(row: InboundEmail, parsed: ParsedEmail, refused: list[str], *, sender_line: str) -> str:
    text = parsed.text.strip() or parsed.subject or _("(no text)")
    notes = []
    if sender_line:
        text = f"{sender_line}\n\n{text}"
    for line in refused:
        notes.append(_("File not kept: %(reason)s") % {"reason": line})
    if parsed.files and refused:
        notes.append(_("The original message, with every file, is kept in the inbound mail log."))
    tail = ("\n\n" + "\n".join(f"[{note}]" for note in notes)) if notes else ""
    room = BODY_MAX - len(tail)
    if len(text) > room:
        cut = _("[Shortened: the whole message is kept in the inbound mail log.]")
        text = text[: room - len(cut) - 2] + "\n\n" + cut
    return text + tail


def _language(parsed: ParsedEmail) -> str:
    declared = parsed.content_language.split(",")[0].split("-")[0].strip().lower()
    if declared and is_language(declared):
        return declared
    return guess_language(f"{parsed.subject}\n{parsed.text}")


def _append(row: InboundEmail, parsed: ParsedEmail, ticket: Ticket) -> None:
    uploads, refused = _uploads(row, parsed)
    customer_addresses = {ticket.contact_email.lower()} | set(
        ContactPoint.objects.filter(
            customer_id=ticket.customer_id, kind=ContactPoint.Kind.EMAIL
        ).values_list("value", flat=True)
    )
    sender_line = ""
    if parsed.from_address not in customer_addresses:
        name = parsed.from_name or parsed.from_address
        sender_line = _("From: %(sender)s") % {"sender": f"{name} <{parsed.from_address}>"}
    with translation.override(_org_language(row.organization)):
        body = _body(row, parsed, refused, sender_line=sender_line)
    message = ticket_message_add(
        ticket=ticket,
        kind=MessageKind.CUSTOMER,
        body=body,
        actor=None,
        channel=Channel.EMAIL,
        attachments=uploads,
    )
    row.state, row.outcome = InboundEmail.State.DONE, InboundEmail.Outcome.APPENDED
    row.ticket, row.ticket_message = ticket, message


def _org_language(organization: Organization) -> str:
    return organization.default_language or settings.LANGUAGE_CODE


def _open(row: InboundEmail, parsed: ParsedEmail) -> None:
    organization = row.organization
    language = _language(parsed)
    customer = customer_get_or_create_for_email(
        organization=organization,
        email=parsed.from_address,
        name=_name(parsed),
        language=language,
    )
    uploads, refused = _uploads(row, parsed)
    with translation.override(language or _org_language(organization)):
        body = _body(row, parsed, refused, sender_line="")
        subject = parsed.subject or parsed.text.strip().split("\n", 1)[0] or _("(no subject)")
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1] + "…"
    ticket = ticket_create(
        organization=organization,
        customer=customer,
        subject=subject,
        description=body,
        channel=Channel.EMAIL,
        language=language,
        contact_email=parsed.from_address,
        attachments=uploads,
    )
    row.state, row.outcome = InboundEmail.State.DONE, InboundEmail.Outcome.NEW_REQUEST
    row.ticket = ticket


def _name(parsed: ParsedEmail) -> str:
    name = " ".join(parsed.from_name.replace('"', " ").split())
    if "@" in name and name.lower() == parsed.from_address:
        name = ""
    return name[:200]


@transaction.atomic
def inbound_email_reprocess(*, inbound: InboundEmail) -> InboundEmail:
    """Send a dead or ignored message through processing again (after a fix, or by an admin's
    decision); its raw bytes are what they were."""
    inbound = InboundEmail.objects.select_for_update().get(pk=inbound.pk)
    if inbound.state in (InboundEmail.State.DONE,):
        raise ApplicationError(_("This message already made its request."), field="state")
    inbound.state = InboundEmail.State.RECEIVED
    inbound.outcome = ""
    inbound.attempts = 0
    inbound.next_attempt_at = timezone.now()
    inbound.save(update_fields=["state", "outcome", "attempts", "next_attempt_at"])
    transaction.on_commit(_process_soon)
    return inbound


@transaction.atomic
def inbound_email_discard(*, inbound: InboundEmail) -> InboundEmail:
    """Take a message off the dead-letter list without making anything of it; it is kept."""
    inbound = InboundEmail.objects.select_for_update().get(pk=inbound.pk)
    if inbound.state not in (InboundEmail.State.DEAD, InboundEmail.State.FAILED):
        raise ApplicationError(_("Only a failed message can be discarded."), field="state")
    inbound.state = InboundEmail.State.DISCARDED
    inbound.next_attempt_at = None
    inbound.save(update_fields=["state", "next_attempt_at"])
    return inbound


def _mailbox_values(*, organization: Organization, mailbox: Mailbox | None, values: dict) -> dict:
    """Checked mailbox settings; an error names the field."""
    name = (values.get("name") or "").strip()
    if not name or len(name) > 100:
        raise ApplicationError(_("Enter a name of at most 100 characters."), field="name")
    taken = Mailbox.objects.filter(organization=organization, name=name)
    if mailbox is not None:
        taken = taken.exclude(pk=mailbox.pk)
    if taken.exists():
        raise ApplicationError(_("Another mailbox has this name."), field="name")
    host = (values.get("host") or "").strip()
    if not host or len(host) > 255 or any(ch.isspace() for ch in host):
        raise ApplicationError(_("Enter the IMAP server's host name."), field="host")
    port = values.get("port")
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise ApplicationError(_("Enter a port from 1 to 65535."), field="port")
    if values.get("security") not in Mailbox.Security.values:
        raise ApplicationError(_("Unknown connection security."), field="security")
    username = (values.get("username") or "").strip()
    if not username or len(username) > 255:
        raise ApplicationError(_("Enter the user name."), field="username")
    folder = (values.get("folder") or "INBOX").strip()
    processed = (values.get("processed_folder") or "").strip()
    for field, value in (("folder", folder), ("processed_folder", processed)):
        if len(value) > 200 or any(ch in value for ch in "\r\n\x00"):
            raise ApplicationError(_("Enter a folder name."), field=field)
    if processed and processed == folder:
        raise ApplicationError(
            _("Processed mail must go to another folder than the one polled."),
            field="processed_folder",
        )
    address = (values.get("address") or "").strip().lower()
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    try:
        validate_email(address)
    except ValidationError:
        raise ApplicationError(_("Enter a valid email address."), field="address") from None
    return {
        "name": name,
        "address": address,
        "host": host,
        "port": port,
        "security": values["security"],
        "username": username,
        "folder": folder,
        "processed_folder": processed,
        "is_active": bool(values.get("is_active", True)),
    }


@transaction.atomic
def mailbox_create(*, organization: Organization, password: str, **values) -> Mailbox:
    """A mailbox to poll; its password is sealed and never shown back."""
    from aftercare.lib.sealing import seal

    if not password:
        raise ApplicationError(_("Enter the password."), field="password")
    cleaned = _mailbox_values(organization=organization, mailbox=None, values=values)
    return Mailbox.objects.create(
        organization=organization, password_sealed=seal(password), **cleaned
    )


@transaction.atomic
def mailbox_update(*, mailbox: Mailbox, password: str = "", **values) -> Mailbox:
    """Change a mailbox's settings; an empty password keeps the one stored. Another folder or
    server starts reading it from its beginning (stored messages are recognised)."""
    from aftercare.lib.sealing import seal

    mailbox = Mailbox.objects.select_for_update().get(pk=mailbox.pk)
    cleaned = _mailbox_values(organization=mailbox.organization, mailbox=mailbox, values=values)
    if (cleaned["host"], cleaned["username"], cleaned["folder"]) != (
        mailbox.host,
        mailbox.username,
        mailbox.folder,
    ):
        mailbox.uidvalidity, mailbox.last_uid = None, 0
    for field, value in cleaned.items():
        setattr(mailbox, field, value)
    if password:
        mailbox.password_sealed = seal(password)
    mailbox.save()
    return mailbox
