"""email_ingest: a batch of inbound mail in a helpdesk's mix, stored and processed through the real
pipeline, timed, and every message checked against what it should have become."""

import email
import email.policy
import random
import re
from collections import Counter

import pytest
from django.conf import settings

from aftercare.customers.models import Customer
from aftercare.messaging.inbound import services
from aftercare.messaging.inbound.models import InboundEmail
from aftercare.messaging.inbound.parse import message_parse
from aftercare.notifications.models import Notice
from aftercare.tickets import notices as ticket_notices
from aftercare.tickets.models import Attachment, Ticket, TicketMessage
from aftercare.tickets.services import ticket_create
from bench.common import RESULT_KEYS, _scenarios, _settings
from bench.email_ingest import EMAIL_INGEST_KEYS, email_ingest
from bench.email_ingest.batch import (
    AUTO_REPLY,
    BOUNCE,
    NEW_KINDS,
    NEW_KNOWN_CUSTOMER,
    REPLY_KINDS,
    REPLY_REFERENCES,
    REPLY_TAG,
    REPLY_TAG_OLDER,
    Batch,
)
from bench.report import _report
from bench.seed import bench_seed


@pytest.fixture
def bench_org(db):
    """The measured organization, small: 60 requests of 12 customers."""
    return bench_seed(tickets=60, customers=12, password="bench-pass").organization


def test_the_batch_is_the_mix_written_as_mail_clients_and_servers_write_it(bench_org):
    batch = Batch(organization=bench_org, rng=random.Random(3)).build(200)

    kinds = [item.kind for item in batch]
    assert sum(kind in NEW_KINDS for kind in kinds) == 120
    assert sum(kind in REPLY_KINDS for kind in kinds) == 60
    assert (kinds.count(AUTO_REPLY), kinds.count(BOUNCE)) == (12, 8)
    assert (kinds.count(REPLY_TAG), kinds.count(REPLY_TAG_OLDER)) == (10, 10)
    assert kinds[0] in NEW_KINDS
    # Every reply comes after the message that made its request; numbers follow the counter.
    replies = [(index, item) for index, item in enumerate(batch) if item.kind in REPLY_KINDS]
    assert all(item.root is None or item.root < index for index, item in replies)
    numbers = [item.number for item in batch if item.kind in NEW_KINDS]
    assert numbers == list(range(61, 181))
    assert len({item.message_id for item in batch}) == 200
    # No sender writes so much that the pipeline takes it for a mail loop.
    senders = Counter(item.sender for item in batch if item.kind != BOUNCE)
    assert max(senders.values()) < settings.INBOUND_FLOOD_LIMIT
    parsed = [message_parse(item.raw) for item in batch]
    assert [p.automatic for p in parsed].count("bounce") == 8
    assert [p.automatic for p in parsed].count("auto_reply") == 12
    languages = {message_parse(item.raw).text[:40] for item in batch if item.kind in NEW_KINDS}
    assert any("\u0600" <= ch <= "\u06ff" for text in languages for ch in text)  # Persian
    assert any(ch in "ğşıİ" for text in languages for ch in text)  # Turkish
    files = [f for p in parsed if not p.automatic for f in p.files]
    assert len(files) == sum(item.files for item in batch) >= 15
    assert {f.content_type for f in files} == {"application/pdf", "image/png"}
    assert all(f.data.startswith((b"%PDF-", b"\x89PNG\r\n\x1a\n")) for f in files)
    html = [
        item
        for item in batch
        if email.message_from_bytes(item.raw, policy=email.policy.default).get_body(("html",))
    ]
    assert 20 <= len(html) <= 90
    replies = [item for item in batch if item.kind == REPLY_REFERENCES]
    headers = email.message_from_bytes(replies[0].raw, policy=email.policy.default)
    assert batch[replies[0].root].message_id in headers["References"]


def test_email_ingest_stores_and_processes_the_mix_and_reports_the_rates(bench_org):
    row, problem = email_ingest(organization=bench_org, messages=60, tickets=60, warmup=10)

    assert problem is None
    assert tuple(row) == RESULT_KEYS + EMAIL_INGEST_KEYS
    assert (row["scenario"], row["tickets"], row["messages"]) == ("email_ingest", 60, 60)
    assert (row["new_requests"], row["appended"], row["ignored"]) == (36, 18, 6)
    assert row["seconds"] == pytest.approx(row["store_seconds"] + row["process_seconds"], abs=2e-3)
    assert row["per_s"] == pytest.approx(60 / row["seconds"], rel=0.01)
    assert row["store_per_s"] > row["per_s"] and row["process_per_s"] > row["per_s"]
    assert row["statements_per_message"] > 5
    assert 0 < row["cpu_seconds"] <= row["seconds"] * 1.1
    batch = InboundEmail.objects.order_by("-pk")[:60]
    assert {(r.state, r.outcome) for r in batch} == {
        ("done", "new_request"),
        ("done", "appended"),
        ("ignored", "auto_reply"),
        ("ignored", "bounce"),
    }
    new = Ticket.objects.filter(pk__in=[r.ticket_id for r in batch if r.outcome == "new_request"])
    # 60 seeded requests, 6 from the warm-up's 10 messages, then the batch's 36.
    assert sorted(new.values_list("number", flat=True)) == list(range(67, 103))
    assert {"fa", "tr"} <= set(new.values_list("language", flat=True))
    assert Attachment.objects.filter(ticket__in=new).exists()
    appended = TicketMessage.objects.filter(
        pk__in=[r.ticket_message_id for r in batch if r.outcome == "appended"]
    )
    assert appended.count() == 18
    # Notices are queued with their requests, and not sent inside the timing.
    notices = Notice.objects.filter(ticket_id__in=new.values("pk"), event=Notice.Event.RECEIVED)
    assert list(notices.values_list("state", flat=True).distinct()) == ["queued"]
    assert notices.count() == 36


def test_many_open_requests_of_one_customer_do_not_make_the_batch_a_mail_loop(db):
    # intake's in-process rounds open their requests for one customer: the batch must not
    # answer most of them from that one address (the pipeline would take it for a loop).
    bench_org = bench_seed(tickets=100, customers=300, password="bench-pass").organization
    customer = Customer.objects.filter(organization=bench_org).order_by("pk").first()
    for number in range(40):
        ticket_create(
            organization=bench_org, customer=customer, subject=f"Intake {number}", description="x"
        )
    email = customer.contact_points.get(kind="email").value

    writer = Batch(organization=bench_org, rng=random.Random(3))
    batch = writer.build(600)

    # One older request per customer with one open: the most recent.
    open_requests = Ticket.objects.filter(organization=bench_org, is_open=True)
    assert sorted(person.customer_id for _number, person, _subject in writer.older) == sorted(
        set(open_requests.values_list("customer_id", flat=True))
    )
    assert (max(open_requests.values_list("number", flat=True)), customer.pk) in {
        (number, person.customer_id) for number, person, _subject in writer.older
    }
    senders = Counter(item.sender for item in batch if item.kind != BOUNCE)
    assert senders[email] < 10
    assert max(senders.values()) < settings.INBOUND_FLOOD_LIMIT / 2


def test_a_reply_that_does_not_land_on_its_request_is_reported(bench_org, monkeypatch):
    # Threading by the subject's tag broken: those replies open requests of their own.
    monkeypatch.setattr(services, "_tagged", lambda organization, parsed: None)

    row, problem = email_ingest(organization=bench_org, messages=60, tickets=60, warmup=0)

    assert row["per_s"] > 0
    assert " of 60 messages did not become what they should (" in problem
    # Each of the 3 + 3 replies by tag opened a request of its own...
    assert re.search(rf"[ (]3 {REPLY_TAG}[,)]", problem)
    assert re.search(rf"[ (]3 {REPLY_TAG_OLDER}[,)]", problem)
    assert f"({REPLY_TAG_OLDER}) ended done/new_request" in problem
    # ... taking the numbers predicted for later new requests.
    assert "not the predicted" in problem


def test_a_new_request_filed_for_another_customer_is_reported(bench_org, monkeypatch):
    stranger = Customer.objects.create(organization=bench_org, name="Stranger")
    monkeypatch.setattr(
        services,
        "customer_get_or_create_for_email",
        lambda *, organization, email, name, language: stranger,
    )

    _row, problem = email_ingest(organization=bench_org, messages=20, tickets=60, warmup=0)

    assert f"({NEW_KNOWN_CUSTOMER}) was filed for customer {stranger.pk}" in problem


def test_new_requests_whose_notice_was_not_queued_are_reported(bench_org, monkeypatch):
    monkeypatch.setattr(ticket_notices, "notify_received", lambda ticket: None)

    _row, problem = email_ingest(organization=bench_org, messages=20, tickets=60, warmup=0)

    assert problem == "12 new requests queued 0 notices, 0 of them already sent or failed"


def test_processing_inside_the_store_timing_is_reported(bench_org, monkeypatch):
    # What a task backend that runs tasks at once does: each stored message is processed as
    # soon as its commit asks for it, inside the store's timing.
    store = services.inbound_email_store

    def store_and_process(**kwargs):
        stored = store(**kwargs)
        services.inbound_process_due()
        return stored

    monkeypatch.setattr(services, "inbound_email_store", store_and_process)

    row, problem = email_ingest(organization=bench_org, messages=20, tickets=60, warmup=0)

    assert problem.startswith(
        "20 messages were processed while the batch was being stored (a task backend that runs "
        "tasks at once?): the store time includes processing; processing took 0 messages, not "
        "the batch's 20"
    )
    assert row["messages"] == 20


def test_email_ingest_is_a_scenario_with_a_batch_from_the_environment(monkeypatch):
    monkeypatch.setenv("BENCH_SCENARIOS", "email_ingest")
    monkeypatch.setenv("BENCH_EMAIL_INGEST_BATCH", "250")

    settings = _settings()

    assert _scenarios("email_ingest,api_list") == ("email_ingest", "api_list")
    assert settings.email_ingest_batch == 250
    assert settings.runs("email_ingest") and not settings.runs("intake_api")
    monkeypatch.delenv("BENCH_EMAIL_INGEST_BATCH")
    assert _settings().email_ingest_batch == 1000


def test_the_report_prints_the_email_ingest_table_and_its_failures(capsys):
    row = dict.fromkeys(RESULT_KEYS + EMAIL_INGEST_KEYS)
    row.update(
        scenario="email_ingest",
        tickets=2000,
        messages=1000,
        seconds=12.5,
        per_s=80.0,
        store_per_s=700.0,
        process_per_s=90.3,
        new_requests=600,
        appended=300,
        ignored=100,
        statements_per_message=22.5,
        cpu_seconds=12.1,
    )

    _report([row], ["email_ingest: 1 of 1000 messages did not become what they should"])

    lines = capsys.readouterr().out.splitlines()
    cells = [re.split(r"\s{2,}", line.strip()) for line in lines]
    header = cells.index(
        ["scenario", "messages", "seconds", "per second", "stored/s", "processed/s"]
        + ["new requests", "replies added", "ignored", "SQL/message", "CPU s"]
    )
    assert cells[header + 1] == [
        "email_ingest",
        "1,000",
        "12.50",
        "80.00",
        "700.0",
        "90.30",
        "600",
        "300",
        "100",
        "22.50",
        "12.10",
    ]
    assert lines[-1] == "failed: email_ingest: 1 of 1000 messages did not become what they should"


def test_a_batch_too_small_for_the_mix_is_refused(bench_org):
    row, problem = email_ingest(organization=bench_org, messages=5, tickets=60)

    assert problem == "a batch of 5 messages cannot hold the mix; give at least 10"
    assert row["per_s"] is None
    assert not InboundEmail.objects.exists()
