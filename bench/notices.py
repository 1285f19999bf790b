"""Notices in the benchmark. Every new request queues a notice to its customer, which the
server's task worker sends to an SMTP server the bench runs on loopback (bench/smtp_sink.py, a
process of its own that accepts and discards). After intake's runs the bench waits until nothing
is left to send, so that the next scenario does not share the machine with that work.
`notify_send` then measures sending alone, in this process once the server has stopped:
NOTIFY_BATCH of intake's notices are queued again (written anew, as on a first try) and sent by
the real `notices_send_due`, through the same SMTP server."""

import socket
import subprocess
import sys
import time

from bench.common import RESULT_KEYS, ROOT, say
from bench.http_load import _free_port

# Rows of notify_send carry these besides RESULT_KEYS.
NOTIFY_KEYS = ("notices", "seconds", "per_s")

NOTIFY_SCENARIO = "notify_send"

NOTIFY_BATCH = 2000

# The longest the bench waits for the server's worker to send what intake queued.
DRAIN_TIMEOUT_SECONDS = 600


class MailSink:
    """The benchmark's SMTP server (bench/smtp_sink.py) on loopback, in a process of its own:
    it accepts every message and keeps none."""

    def __init__(self) -> None:
        self.port = 0
        self.process: subprocess.Popen | None = None

    def start(self) -> "MailSink":
        self.port = _free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.smtp_sink", str(self.port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise SystemExit("The benchmark's SMTP server did not start.")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _waiting() -> int:
    from aftercare.notifications.models import Notice

    return Notice.objects.filter(state__in=[Notice.State.QUEUED, Notice.State.SENDING]).count()


def notices_drain() -> str | None:
    """Wait until the server's worker has sent every waiting notice; what went wrong, if
    anything."""
    waiting = first = _waiting()
    started = time.monotonic()
    while waiting and time.monotonic() - started < DRAIN_TIMEOUT_SECONDS:
        time.sleep(0.2)
        waiting = _waiting()
    say(f"{first} notices were still waiting; sent in {time.monotonic() - started:.1f} s")
    if waiting:
        return f"{waiting} notices still waiting after {DRAIN_TIMEOUT_SECONDS} s"
    return None


def notify_send(*, tickets: int) -> tuple[dict, str | None]:
    """Queue NOTIFY_BATCH sent notices again and time sending them all; the notify_send row
    and what went wrong, if anything."""
    from django.utils import timezone

    from aftercare.notifications.models import Notice
    from aftercare.notifications.services import notices_send_due

    row = dict.fromkeys(RESULT_KEYS)
    row.update(scenario=NOTIFY_SCENARIO, tickets=tickets)
    # Whatever the server left due (a notice its scheduler queued as it stopped: a routed
    # request's assignee, a reminder) goes first, untimed: the timed run sends the batch alone.
    notices_send_due()
    ids = list(
        Notice.objects.filter(state=Notice.State.SENT)
        .order_by("-id")
        .values_list("pk", flat=True)[:NOTIFY_BATCH]
    )
    if not ids:
        return row, "intake queued no notices"
    Notice.objects.filter(pk__in=ids).update(
        state=Notice.State.QUEUED, subject="", text="", html="", next_attempt_at=timezone.now()
    )
    started = time.perf_counter()
    sent = notices_send_due()
    seconds = time.perf_counter() - started
    row.update(notices=sent, seconds=round(seconds, 3), per_s=round(sent / seconds, 1))
    say(f"{NOTIFY_SCENARIO}: {sent} notices in {seconds:.2f} s ({row['per_s']} per second)")
    if sent != len(ids):
        return row, f"{len(ids) - sent} of {len(ids)} notices were not sent"
    return row, None
