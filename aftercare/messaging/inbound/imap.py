"""Polling an organization's IMAP mailbox (imap-tools): every message after the last UID seen
under the folder's UIDVALIDITY is stored, its UID recorded in the same transaction, and only
then moved to the processed folder or marked read on the server. A poll that dies part-way
resumes after the last stored UID; anything stored twice is recognised by its key."""

import imaplib
import logging
import socket
import ssl

from django.utils import timezone
from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import MailboxLoginError, UnexpectedCommandStatusError

from aftercare.lib.errors import ApplicationError
from aftercare.lib.sealing import SealError, unseal
from aftercare.messaging.inbound.models import InboundEmail, Mailbox
from aftercare.messaging.inbound.services import inbound_email_store

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 30
_ERRORS = (
    OSError,
    socket.timeout,
    ssl.SSLError,
    imaplib.IMAP4.error,
    MailboxLoginError,
    UnexpectedCommandStatusError,
    SealError,
)


def _client(mailbox: Mailbox):
    if mailbox.security == Mailbox.Security.SSL:
        return MailBox(mailbox.host, port=mailbox.port, timeout=TIMEOUT_SECONDS)
    if mailbox.security == Mailbox.Security.STARTTLS:
        return MailBoxStartTls(mailbox.host, port=mailbox.port, timeout=TIMEOUT_SECONDS)
    return MailBoxUnencrypted(mailbox.host, port=mailbox.port, timeout=TIMEOUT_SECONDS)


def _connect(mailbox: Mailbox):
    client = _client(mailbox)
    client.login(mailbox.username, unseal(mailbox.password_sealed), initial_folder=mailbox.folder)
    return client


def _fetch_raw(client, uid: int) -> bytes | None:
    status, data = client.client.uid("FETCH", str(uid), "(BODY.PEEK[])")
    if status != "OK":
        return None
    for item in data or []:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    return None


def _uid_set(uids: list[int]) -> str:
    return ",".join(str(uid) for uid in uids)


def _tidy(client, mailbox: Mailbox, up_to: int) -> None:
    """Move (or mark read) what is stored and still in the folder: UIDs up to `up_to`."""
    if up_to <= 0:
        return
    criteria = f"UID 1:{up_to}" if mailbox.processed_folder else f"UID 1:{up_to} UNSEEN"
    uids = [uid for uid in client.uids(criteria) if int(uid) <= up_to]
    if not uids:
        return
    if mailbox.processed_folder:
        if not client.folder.exists(mailbox.processed_folder):
            client.folder.create(mailbox.processed_folder)
        client.move(uids, mailbox.processed_folder)
    else:
        client.flag(uids, ("\\Seen",), True)


def mailbox_poll(*, mailbox: Mailbox, limit: int = 500) -> int:
    """Store the mailbox's new messages (at most `limit`); returns how many were new. A server
    error is recorded on the mailbox (and shown in the console), not raised."""
    stored = 0
    try:
        with _connect(mailbox) as client:
            status = client.folder.status(mailbox.folder, ["UIDVALIDITY"])
            uidvalidity = status["UIDVALIDITY"]
            if mailbox.uidvalidity != uidvalidity:
                # A new folder (or one rebuilt by the server): its UIDs start again. Everything
                # is read again; what was stored before is recognised by its key.
                Mailbox.objects.filter(pk=mailbox.pk).update(uidvalidity=uidvalidity, last_uid=0)
                mailbox.uidvalidity, mailbox.last_uid = uidvalidity, 0
            last_uid = mailbox.last_uid
            _tidy(client, mailbox, last_uid)
            uids = sorted(int(uid) for uid in client.uids(f"UID {last_uid + 1}:*"))
            uids = [uid for uid in uids if uid > last_uid][:limit]
            for uid in uids:
                raw = _fetch_raw(client, uid)
                if raw is None:
                    continue
                try:
                    _row, new = inbound_email_store(
                        organization=mailbox.organization,
                        raw=raw,
                        source=InboundEmail.Source.IMAP,
                        mailbox=mailbox,
                        imap_uid=uid,
                    )
                except ApplicationError as error:
                    # Too large or empty: it stays on the server; polling goes on past it.
                    logger.warning("Mailbox %s, UID %s: %s", mailbox.pk, uid, error.message)
                    Mailbox.objects.filter(pk=mailbox.pk, last_uid__lt=uid).update(
                        last_uid=uid, last_error=f"UID {uid}: {error.message}"
                    )
                    continue
                stored += new
                mailbox.last_uid = uid
            _tidy(client, mailbox, mailbox.last_uid)
        Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=timezone.now(), last_error="")
    except _ERRORS as error:
        logger.warning("Mailbox %s could not be polled: %s", mailbox.pk, error)
        Mailbox.objects.filter(pk=mailbox.pk).update(
            last_polled_at=timezone.now(), last_error=f"{type(error).__name__}: {error}"[:2000]
        )
    return stored


def mailbox_check(*, mailbox: Mailbox) -> str:
    """Sign in and read the folder's status, for the console's "test connection": '' when it
    works, else what went wrong."""
    try:
        with _connect(mailbox) as client:
            client.folder.status(mailbox.folder, ["MESSAGES"])
    except _ERRORS as error:
        return f"{type(error).__name__}: {error}"
    return ""


def mailboxes_poll() -> int:
    """Poll every active mailbox of every organization; returns how many messages were new."""
    stored = 0
    for mailbox in Mailbox.objects.filter(is_active=True).select_related("organization"):
        stored += mailbox_poll(mailbox=mailbox)
    return stored
