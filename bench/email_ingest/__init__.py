"""`email_ingest`: inbound messages parsed, threaded and stored per second, through the real
pipeline (aftercare/messaging/inbound), in this process once the server has stopped.

A batch of EMAIL_INGEST_BATCH messages (BENCH_EMAIL_INGEST_BATCH) is written with the standard
library's `email` package before anything is timed, in the mix a helpdesk's inbox gets:
- 60 % new requests, half from customers the organization knows, half from new addresses;
  Persian, Turkish, English and Kazakh text from the demo's scenarios (the customer's own
  language for a known one); a third multipart/alternative with an HTML part, some with a
  Content-Language header, one in six with a small PDF (`%PDF-`) or PNG (its real header);
- 30 % replies: two thirds threaded by In-Reply-To/References to the earlier mail of their
  thread in the batch (a tenth of those from a colleague's address), one sixth by the tag
  (`[AS-000123]`) of a request the batch opened, from its customer, one sixth by the tag of an
  open request from before the batch (the most recent of each customer), from its customer;
- 10 % machine mail: auto-replies (Auto-Submitted, out-of-office subjects in the three
  languages) and bounces (multipart/report with a delivery-status part).
The tags of the batch's own requests are the numbers they will get: the organization's counter
when the batch is written, plus the order in which its new requests are processed (oldest first).
That is a prediction, and it is checked: a wrong one shows as a reply that did not land.

Two phases are timed, as the pipeline runs them: storing all N (`inbound_email_store`, each
message committed on its own, as the mail server's pipe and the IMAP poller do), then processing
them (`inbound_process_due`: parse, find or create the customer, thread, then open a request
with routing, SLA and the customer's "received" notice, or add to one). `per_s` is N over the two
together; `store_per_s` and `process_per_s` are each phase alone; `cpu_seconds` is this
process's CPU time over both, which holds when other work slows the machine down.

Tasks. Each stored message asks, on commit, for processing (`_process_soon` enqueues
`inbound_process_task`, at most once a second per process), and each new request asks for its
notice to be sent. The bench process uses the settings' task backend, the database one
(django_tasks_db), and no worker runs once the server has stopped (or when none was started):
enqueueing writes a task row, which the store phase pays for as the IMAP poller does (a pipe, a
process per message, pays one row for every message, and its own start-up, neither measured
here), and nothing processes a message behind the bench's back. Processing is then run
explicitly, so its time is its own. A backend that runs tasks at once would process inside the
store phase: the run checks that every message was still waiting when storing ended, and reports
a problem otherwise. The notices are queued (their row is written in the request's
transaction, as in intake) and not sent: sending is what `notify_send` measures.

Before the timed batch, WARMUP_MESSAGES of the same mix go through both phases unrecorded, as in
a worker that has run before: the URLs, the translation catalogues and the parser's classes are
loaded then, not in the timed run.

After the run every message is checked: new requests made with the predicted numbers, for the
expected customer; replies added to the request of their thread; machine mail ignored with the
right outcome; the files kept; one queued notice for each new request and none sent. What does
not match is reported as a problem (make bench then exits non-zero), as notify_send reports
notices it could not send.
"""

import contextlib
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from bench.common import RESULT_KEYS, say
from bench.email_ingest.batch import (
    AUTO_REPLY,
    NEW_KINDS,
    REPLY_KINDS,
    Batch,
    Planned,
)

EMAIL_INGEST_SCENARIO = "email_ingest"

EMAIL_INGEST_BATCH = 1000

# email_ingest rows carry these besides RESULT_KEYS.
EMAIL_INGEST_KEYS = (
    "messages",
    "seconds",
    "per_s",
    "store_seconds",
    "store_per_s",
    "process_seconds",
    "process_per_s",
    "new_requests",
    "appended",
    "ignored",
    "statements_per_message",
    # This process's CPU time over both phases: what the pipeline cost, whatever else the
    # machine was running (SQLite works in this process; the time waited on the disk is not in).
    "cpu_seconds",
)

WARMUP_MESSAGES = 20


def email_ingest(
    *,
    organization,
    messages: int = EMAIL_INGEST_BATCH,
    tickets: int,
    warmup: int = WARMUP_MESSAGES,
    seed: int = 11,
) -> tuple[dict, str | None]:
    """Write a batch of `messages` inbound messages, time storing and processing them through
    the real pipeline, and check what each became; the email_ingest row and what went wrong,
    if anything."""
    from django.urls import reverse

    row = dict.fromkeys(RESULT_KEYS + EMAIL_INGEST_KEYS)
    row.update(scenario=EMAIL_INGEST_SCENARIO, tickets=tickets)
    if messages < 10:
        return row, f"a batch of {messages} messages cannot hold the mix; give at least 10"
    rng = random.Random(seed)
    # Loaded by the worker that processes mail since its first notice (the notice links the
    # request); not part of the first message's time.
    reverse("tickets:detail", args=[1])
    if warmup:
        _store(organization, Batch(organization=organization, rng=rng).build(warmup))
        _process()
    batch = Batch(organization=organization, rng=rng).build(messages)
    say(
        f"{EMAIL_INGEST_SCENARIO}: {messages} messages written "
        f"({sum(len(item.raw) for item in batch) / messages / 1024:.1f} KB on average), storing"
    )
    stored, store = _store(organization, batch)
    processed_early = _processed_count(stored)
    processed, process = _process()
    seconds = store.seconds + process.seconds
    wrong, counts = _check(batch, stored)
    row.update(
        messages=messages,
        seconds=round(seconds, 3),
        per_s=round(messages / seconds, 1),
        store_seconds=round(store.seconds, 3),
        store_per_s=round(messages / store.seconds, 1),
        process_seconds=round(process.seconds, 3),
        process_per_s=round(messages / process.seconds, 1),
        statements_per_message=round((store.statements + process.statements) / messages, 1),
        cpu_seconds=round(store.cpu_seconds + process.cpu_seconds, 3),
        **counts,
    )
    say(
        f"{EMAIL_INGEST_SCENARIO}: {messages} messages in {seconds:.2f} s ({row['per_s']} per "
        f"second; storing {row['store_per_s']}, processing {row['process_per_s']} per second; "
        f"{row['cpu_seconds']:.2f} s of CPU); {counts['new_requests']} new requests, "
        f"{counts['appended']} replies added, {counts['ignored']} ignored"
    )
    problems = []
    if processed_early:
        problems.append(
            f"{processed_early} messages were processed while the batch was being stored (a task "
            "backend that runs tasks at once?): the store time includes processing"
        )
    if processed != messages:
        problems.append(f"processing took {processed} messages, not the batch's {messages}")
    problems += wrong
    return row, "; ".join(problems) or None


@dataclass
class _Phase:
    """What one timed phase took."""

    seconds: float = 0.0
    cpu_seconds: float = 0.0
    statements: int = 0


@contextlib.contextmanager
def _timed() -> Iterator[_Phase]:
    """Time what runs inside, wall clock and this process's CPU, and count its SQL statements
    with an execute wrapper, not the debug cursor, which would render every statement inside
    the timing (an executemany is one statement)."""
    from django.db import connection

    phase = _Phase()

    def count(execute, sql, params, many, context):
        phase.statements += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started, cpu_started = time.perf_counter(), time.process_time()
        yield phase
        phase.seconds = time.perf_counter() - started
        phase.cpu_seconds = time.process_time() - cpu_started


def _store(organization, batch: list[Planned]) -> tuple[list[int], _Phase]:
    """Store every message as the pipe does, each committed on its own; the rows' ids and
    what it took."""
    from aftercare.messaging.inbound.models import InboundEmail
    from aftercare.messaging.inbound.services import inbound_email_store

    ids = []
    with _timed() as phase:
        for item in batch:
            inbound, _created = inbound_email_store(
                organization=organization, raw=item.raw, source=InboundEmail.Source.PIPE
            )
            ids.append(inbound.pk)
    return ids, phase


def _process() -> tuple[int, _Phase]:
    """Process every due message; how many, and what it took."""
    from aftercare.messaging.inbound.services import inbound_process_due

    with _timed() as phase:
        processed = inbound_process_due()
    return processed, phase


def _stored(ids: list[int]):
    """The rows of these stored messages: the batch's, stored one after the other by this
    process, so a range of ids (a list of them could pass SQLite's limit of parameters)."""
    from aftercare.messaging.inbound.models import InboundEmail

    return InboundEmail.objects.filter(pk__range=(min(ids), max(ids)))


def _processed_count(ids: list[int]) -> int:
    """How many of these stored messages are no longer waiting."""
    from aftercare.messaging.inbound.models import InboundEmail

    return _stored(ids).exclude(state=InboundEmail.State.RECEIVED).count()


def _check(batch: list[Planned], ids: list[int]) -> tuple[list[str], dict]:
    """What each message became against what it should have; the problems and the counts."""
    from django.db.models import Q

    from aftercare.messaging.inbound.models import InboundEmail
    from aftercare.notifications.models import Notice
    from aftercare.tickets.models import Attachment

    Outcome = InboundEmail.Outcome
    stored = _stored(ids)
    rows = {
        values["pk"]: values
        for values in stored.values(
            "pk",
            "state",
            "outcome",
            "last_error",
            "ticket_id",
            "ticket_message_id",
            "ticket__number",
            "ticket__customer_id",
            "ticket__contact_email",
        )
    }
    got = [rows.get(pk) for pk in ids]
    counts = {
        "new_requests": sum(1 for r in got if r and r["outcome"] == Outcome.NEW_REQUEST),
        "appended": sum(1 for r in got if r and r["outcome"] == Outcome.APPENDED),
        "ignored": sum(1 for r in got if r and r["state"] == InboundEmail.State.IGNORED),
    }
    wrong: list[str] = []
    wrong_kinds: Counter[str] = Counter()
    for index, (item, result) in enumerate(zip(batch, got, strict=True)):
        problem = _wrong(item, result, root=got[item.root] if item.root is not None else None)
        if problem:
            wrong.append(f"message {index + 1} ({item.kind}) {problem}")
            wrong_kinds[item.kind] += 1
    problems = []
    if wrong:
        kinds = ", ".join(f"{count} {kind}" for kind, count in wrong_kinds.most_common())
        problems.append(
            f"{len(wrong)} of {len(batch)} messages did not become what they should ({kinds}): "
            + "; ".join(wrong[:3])
        )
    new_tickets = stored.filter(outcome=Outcome.NEW_REQUEST).values("ticket_id")
    added = stored.filter(outcome=Outcome.APPENDED).values("ticket_message_id")
    expected_files = sum(item.files for item in batch)
    kept = Attachment.objects.filter(
        Q(ticket_id__in=new_tickets, message__isnull=True) | Q(message_id__in=added)
    ).count()
    if kept != expected_files:
        problems.append(f"{kept} files kept of the {expected_files} the messages carried")
    notices = Notice.objects.filter(ticket_id__in=new_tickets, event=Notice.Event.RECEIVED)
    queued = notices.filter(state=Notice.State.QUEUED).count()
    if queued != counts["new_requests"] or notices.count() != queued:
        problems.append(
            f"{counts['new_requests']} new requests queued {queued} notices, "
            f"{notices.count() - queued} of them already sent or failed"
        )
    return problems, counts


def _wrong(item: Planned, result: dict | None, *, root: dict | None) -> str:
    """What is wrong with what a message became, '' when nothing."""
    if result is None:
        return "was not stored"
    became = f"ended {result['state']}/{result['outcome'] or '-'}"
    if result["last_error"]:
        became += f" ({result['last_error'][:120]})"
    number = result["ticket__number"]
    if item.kind in NEW_KINDS:
        if (result["state"], result["outcome"]) != ("done", "new_request"):
            return became
        if number != item.number:
            return f"made request {number}, not the predicted {item.number}"
        if item.customer_id is not None and result["ticket__customer_id"] != item.customer_id:
            return f"was filed for customer {result['ticket__customer_id']}, not {item.customer_id}"
        if result["ticket__contact_email"] != item.sender:
            return f"has contact {result['ticket__contact_email']!r}, not {item.sender!r}"
        return ""
    if item.kind in REPLY_KINDS:
        if (result["state"], result["outcome"]) != ("done", "appended"):
            return became
        if result["ticket_message_id"] is None:
            return "was added to no message"
        if number != item.number:
            return f"landed on request {number}, not {item.number}"
        if root is not None and result["ticket_id"] != root["ticket_id"]:
            return f"landed on request {number}, not its thread's {root['ticket__number']}"
        return ""
    outcome = "auto_reply" if item.kind == AUTO_REPLY else "bounce"
    if (result["state"], result["outcome"]) != ("ignored", outcome):
        return became
    return ""
