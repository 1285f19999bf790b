"""Nothing is lost and nothing doubled when the process ingesting mail is killed outright.

1000 messages wait in a real IMAP mailbox (dovecot): 800 new requests and 200 answers to them.
`manage.py inbound_email --poll --process` runs in a process of its own on a database of its
own, and is killed with SIGKILL twice: once while it polls, once while it processes. After the
restarts every message is stored once and made into exactly what it should be.
"""

import os
import signal
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from aftercare.lib.testing_db import scalar, scratch_database_url

ROOT = Path(__file__).resolve().parents[4]
NEW, ANSWERS = 800, 200
SETUP = """
import django, sys
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from aftercare.accounts.services import organization_create
from aftercare.messaging.inbound.services import mailbox_create
org = organization_create(name="Kill Test", slug="kill", country="TR")
mailbox_create(organization=org, password=sys.argv[3], name="Support", address="help@kill.example",
    host="127.0.0.1", port=int(sys.argv[1]), security="none", username=sys.argv[2],
    folder="INBOX", processed_folder="Done")
"""


def _messages() -> list[bytes]:
    raws = []
    for number in range(NEW):
        message = EmailMessage()
        message["From"] = f"Customer {number} <customer{number}@example.com>"
        message["To"] = "help@kill.example"
        message["Subject"] = f"Problem {number}"
        message["Message-ID"] = f"<new-{number}@example.com>"
        message.set_content(f"Unit {number} does not start.")
        raws.append(bytes(message))
    for number in range(ANSWERS):
        asked = number * 4
        message = EmailMessage()
        message["From"] = f"Customer {asked} <customer{asked}@example.com>"
        message["To"] = "help@kill.example"
        message["Subject"] = f"Re: Problem {asked}"
        message["Message-ID"] = f"<answer-{number}@example.com>"
        message["In-Reply-To"] = f"<new-{asked}@example.com>"
        message["References"] = f"<new-{asked}@example.com>"
        message.set_content(f"More about unit {asked}.")
        raws.append(bytes(message))
    return raws


def _kill_when(process: subprocess.Popen, url: str, sql: str, at_least: int) -> int:
    """SIGKILL `process` once `sql` counts `at_least`; the count seen then."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The ingesting process ended before it was killed: {process.returncode}")
        try:
            seen = scalar(url, sql)
        except Exception:  # noqa: BLE001 - tables not there yet, or locked a moment
            seen = 0
        if seen >= at_least:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
            return seen
        time.sleep(0.02)
    process.kill()
    pytest.fail("The ingesting process never got that far.")


@pytest.mark.django_db(databases=[])
def test_sigkill_while_polling_and_while_processing_loses_and_doubles_nothing(
    imap_server, imap_user, tmp_path
):
    for raw in _messages():
        imap_server.append(imap_user.username, raw)
    with scratch_database_url(tmp_path) as url:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "aftercare.settings",
            "DATABASE_URL": url,
            "AFTERCARE_VAR_DIR": str(tmp_path / "var"),
            "EMAIL_URL": "locmem://",
            # A message whose processor was killed is due again at once after the restart.
            "INBOUND_PROCESSING_LEASE_SECONDS": "0",
        }
        subprocess.run(
            [sys.executable, "-c", SETUP, str(imap_server.port), *imap_user],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=300,
        )
        command = [sys.executable, "manage.py", "inbound_email", "--poll", "--process"]

        def start() -> subprocess.Popen:
            return subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )

        stored = _kill_when(start(), url, "SELECT COUNT(*) FROM inbound_inboundemail", 300)
        assert 300 <= stored < NEW + ANSWERS, "killed while polling"

        done = "SELECT COUNT(*) FROM inbound_inboundemail WHERE state = 'done'"
        processed = _kill_when(start(), url, done, 400)
        assert 400 <= processed < NEW + ANSWERS, "killed while processing"

        last = start()
        _out, errors = last.communicate(timeout=600)
        assert last.returncode == 0, errors.decode()[-3000:]

        def count(sql: str) -> int:
            return scalar(url, sql)

        assert count("SELECT COUNT(*) FROM inbound_inboundemail") == NEW + ANSWERS
        assert count("SELECT COUNT(DISTINCT message_id) FROM inbound_inboundemail") == NEW + ANSWERS
        assert count(done) == NEW + ANSWERS
        assert count("SELECT SUM(deliveries) FROM inbound_inboundemail") >= NEW + ANSWERS
        assert count("SELECT COUNT(*) FROM tickets_ticket") == NEW
        assert count("SELECT COUNT(DISTINCT customer_id) FROM tickets_ticket") == NEW
        assert count("SELECT COUNT(*) FROM tickets_ticketmessage") == ANSWERS
        # Each answer is on the request its References name: the customer who wrote it.
        assert (
            count(
                "SELECT COUNT(*) FROM inbound_inboundemail e "
                "JOIN tickets_ticket t ON t.id = e.ticket_id "
                "JOIN customers_contactpoint p ON p.customer_id = t.customer_id "
                "WHERE e.message_id LIKE '<answer-%' AND p.value = e.from_address"
            )
            == ANSWERS
        )
        assert count("SELECT COUNT(*) FROM inbound_mailbox WHERE last_error <> ''") == 0
    assert len(imap_server.messages(imap_user.username, "Done")) == NEW + ANSWERS
    assert imap_server.messages(imap_user.username, "INBOX") == []
