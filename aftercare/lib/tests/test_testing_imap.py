"""The IMAP test server (aftercare.lib.testing_imap) as a mail client sees it, through imap-tools
over a plain connection: what the fixture puts in is what a client reads, and what a client does
is what the fixture reads back."""

import random
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest
from imap_tools import MailboxLoginError, MailBoxUnencrypted, MailMessageFlags

from aftercare.lib.testing_imap import ImapError, ImapServer

PLAIN = (
    b"From: Maryam Ahmadi <maryam@example.com>\r\n"
    b"To: support@demo.example\r\n"
    b"Subject: Washing machine leaks\r\n"
    b"Message-ID: <leak-1@example.com>\r\n"
    b"\r\n"
    b"It leaks from the door since Monday.\r\n"
)
PERSIAN_TEXT = "سلام، ماشین لباسشویی من از دیروز آب را تخلیه نمی‌کند.\r\n"
PERSIAN = (
    b"From: =?utf-8?b?2YXYsduM2YUg2KfYrdmF2K/bjA==?= <maryam@example.com>\r\n"
    b"To: support@demo.example\r\n"
    b"Subject: =?utf-8?b?2YXYtNqp2YQg2YTYqNin2LPYtNmI24zbjA==?=\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n"
    b"\r\n" + PERSIAN_TEXT.encode()
)


def _message(subject: str) -> bytes:
    return (
        f"From: customer@example.com\r\nTo: support@demo.example\r\nSubject: {subject}\r\n\r\n"
        f"{subject}.\r\n"
    ).encode()


def _mailbox(server: ImapServer, user) -> MailBoxUnencrypted:
    return MailBoxUnencrypted(server.host, port=server.port, timeout=10).login(*user)


def _raw(mailbox: MailBoxUnencrypted, uid: int) -> bytes:
    """A message's bytes as the server sends them (imap-tools keeps only the parsed message)."""
    status, data = mailbox.client.uid("FETCH", str(uid), "(BODY.PEEK[])")
    assert status == "OK"
    return data[0][1]


def test_appended_message_is_read_byte_for_byte(imap_server, imap_user):
    uid = imap_server.append(imap_user.username, PLAIN)
    with _mailbox(imap_server, imap_user) as mailbox:
        [message] = mailbox.fetch(mark_seen=False)
        assert message.uid == str(uid)
        assert message.subject == "Washing machine leaks"
        assert message.from_ == "maryam@example.com"
        assert message.size_rfc822 == len(PLAIN)
        assert _raw(mailbox, uid) == PLAIN
    # Reading it with BODY.PEEK, on either side, left it unseen.
    assert imap_server.messages(imap_user.username) == [(uid, PLAIN, set())]


def test_lines_arrive_with_crlf_endings(imap_server, imap_user):
    uid = imap_server.append(imap_user.username, PLAIN.replace(b"\r\n", b"\n"))
    assert imap_server.messages(imap_user.username) == [(uid, PLAIN, set())]


def test_two_megabyte_message_arrives_whole(imap_server, imap_user):
    photo = random.Random(7).randbytes(1_600_000)
    email = EmailMessage()
    email["From"] = "customer@example.com"
    email["To"] = "support@demo.example"
    email["Subject"] = "Photo of the broken door"
    email.set_content("The photo is attached.\n")
    email.add_attachment(photo, maintype="image", subtype="jpeg", filename="door.jpg")
    raw = email.as_bytes(policy=SMTP)
    assert len(raw) > 2 * 1024 * 1024

    uid = imap_server.append(imap_user.username, raw)
    with _mailbox(imap_server, imap_user) as mailbox:
        [message] = mailbox.fetch(mark_seen=False)
        assert message.size_rfc822 == len(raw)
        assert [(part.filename, part.payload) for part in message.attachments] == [
            ("door.jpg", photo)
        ]
        assert _raw(mailbox, uid) == raw


def test_eight_bit_persian_message_arrives_intact(imap_server, imap_user):
    uid = imap_server.append(imap_user.username, PERSIAN)
    with _mailbox(imap_server, imap_user) as mailbox:
        [message] = mailbox.fetch(mark_seen=False)
        assert message.subject == "مشکل لباسشویی"
        assert message.from_values.name == "مریم احمدی"
        assert message.text == PERSIAN_TEXT
        assert _raw(mailbox, uid) == PERSIAN
    assert imap_server.messages(imap_user.username) == [(uid, PERSIAN, set())]


def test_uids_increase_and_uidvalidity_stays(imap_server, imap_user):
    username = imap_user.username
    first, second, third = (imap_server.append(username, _message(f"No. {n}")) for n in range(3))
    assert first < second < third
    validity = imap_server.uidvalidity(username)
    with _mailbox(imap_server, imap_user) as mailbox:
        assert mailbox.uids() == [str(first), str(second), str(third)]
        assert mailbox.folder.status("INBOX", ["UIDVALIDITY"]) == {"UIDVALIDITY": validity}
        mailbox.delete(str(third))

    # A UID is never given again, not even that of a deleted message.
    fourth = imap_server.append(username, _message("No. 4"))
    assert fourth > third
    with _mailbox(imap_server, imap_user) as mailbox:
        assert mailbox.uids() == [str(first), str(second), str(fourth)]
        assert mailbox.folder.status("INBOX", ["UIDVALIDITY"]) == {"UIDVALIDITY": validity}
    assert imap_server.uidvalidity(username) == validity


def test_message_moved_by_a_client_is_in_the_other_folder(imap_server, imap_user):
    username = imap_user.username
    kept = imap_server.append(username, _message("Kept"))
    moved = imap_server.append(username, _message("Moved"))
    with _mailbox(imap_server, imap_user) as mailbox:
        mailbox.folder.create("Processed")
        mailbox.move(str(moved), "Processed")

    assert imap_server.messages(username) == [(kept, _message("Kept"), set())]
    # The first message of its new folder, so UID 1 there.
    assert imap_server.messages(username, "Processed") == [(1, _message("Moved"), set())]
    assert imap_server.folders(username) == ["INBOX", "Processed"]


def test_message_flagged_seen_by_a_client_is_seen(imap_server, imap_user):
    username = imap_user.username
    read = imap_server.append(username, _message("Read"))
    unread = imap_server.append(username, _message("Unread"))
    flagged = imap_server.append(username, _message("Flagged"), flags=(MailMessageFlags.FLAGGED,))
    with _mailbox(imap_server, imap_user) as mailbox:
        # \Recent only says that this session is the first to see them.
        assert {message.uid: message.flags for message in mailbox.fetch(mark_seen=False)} == {
            str(read): (MailMessageFlags.RECENT,),
            str(unread): (MailMessageFlags.RECENT,),
            str(flagged): (MailMessageFlags.FLAGGED, MailMessageFlags.RECENT),
        }
        mailbox.flag(str(read), MailMessageFlags.SEEN, True)

    assert [(uid, flags) for uid, _raw, flags in imap_server.messages(username)] == [
        (read, {MailMessageFlags.SEEN}),
        (unread, set()),
        (flagged, {MailMessageFlags.FLAGGED}),
    ]


def test_folders_are_made_and_listed_by_name(imap_server, imap_user):
    username = imap_user.username
    uid = imap_server.append(username, PERSIAN, folder="مشتریان/تهران & کرج")
    assert imap_server.folders(username) == ["INBOX", "مشتریان/تهران & کرج"]
    with _mailbox(imap_server, imap_user) as mailbox:
        assert sorted(folder.name for folder in mailbox.folder.list()) == [
            "INBOX",
            "مشتریان",
            "مشتریان/تهران & کرج",
        ]
        mailbox.folder.set("مشتریان/تهران & کرج")
        assert mailbox.uids() == [str(uid)]
    assert imap_server.messages(username) == []


def test_wrong_password_is_refused(imap_server, imap_user):
    imap_server.append(imap_user.username, PLAIN)
    for username, password in [
        (imap_user.username, "wrong horse battery staple"),
        ("nobody-here", imap_user.password),
    ]:
        mailbox = MailBoxUnencrypted(imap_server.host, port=imap_server.port, timeout=10)
        with pytest.raises(MailboxLoginError):
            mailbox.login(username, password)
        mailbox.client.shutdown()
    with _mailbox(imap_server, imap_user) as mailbox:
        assert len(mailbox.uids()) == 1


def test_each_user_sees_only_its_own_mailbox(imap_server, imap_user):
    other = imap_server.add_user(f"other-{imap_user.username}", "another password")
    imap_server.append(imap_user.username, PLAIN)
    with _mailbox(imap_server, other) as mailbox:
        assert mailbox.uids() == []
    assert imap_server.messages(other.username) == []
    assert len(imap_server.messages(imap_user.username)) == 1


def test_stopped_server_refuses_connections_and_leaves_nothing(imap_server):
    with ImapServer(binary=imap_server.binary) as server:
        user = server.add_user("alice", "secret")
        server.append("alice", PLAIN)
        directory = server.directory
        assert directory.is_dir()
    assert not directory.exists()
    with pytest.raises(ConnectionRefusedError):
        _mailbox(server, user)


def test_server_that_cannot_start_says_why(tmp_path):
    # A "dovecot" that notes the configuration it was given (-F -c <path>), then fails.
    binary = tmp_path / "dovecot"
    binary.write_text('#!/bin/sh\necho "$3" > "$0.conf"; echo "Fatal: no luck" >&2; exit 89\n')
    binary.chmod(0o755)
    with pytest.raises(ImapError, match=r"(?s)exited with status 89 .*Fatal: no luck"):
        ImapServer(binary=str(binary)).start()
    configuration = (tmp_path / "dovecot.conf").read_text().strip()
    assert configuration.endswith("/dovecot.conf")
    assert not Path(configuration).parent.exists()
