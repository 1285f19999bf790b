"""The corpus (tests/corpus/, described in its README): real-world shapes of mail (charsets,
Outlook, Gmail and Apple Mail replies, forwards, auto-replies, bounces, broken MIME, a 20 MB
attachment, second deliveries) ingested in order through the pipe command. No message crashes
anything, and each gives the request, customer and text its manifest expects."""

import json
from pathlib import Path

import pytest

from aftercare.customers.models import Customer
from aftercare.messaging.inbound.models import InboundEmail
from aftercare.tickets.models import Ticket, TicketMessage

CORPUS = Path(__file__).parent / "corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
_STATES = {
    "new": ("done", "new_request"),
    "append": ("done", "appended"),
    "dead": ("dead", None),
}


@pytest.fixture
def ingested(org, pipe, settings):
    """Every corpus message through `manage.py inbound_email`, in order: what each made."""
    settings.DEFAULT_FROM_EMAIL = "aftercare <no-reply@localhost>"
    made = {}
    for case in MANIFEST:
        raw = (CORPUS / case["file"]).read_bytes()
        before = InboundEmail.objects.order_by("-id").values_list("id", flat=True).first() or 0
        assert pipe(org, raw) == 0, case["file"]
        row = InboundEmail.objects.filter(pk__gt=before).first()
        made[case["file"]] = row
    return made


def _text_of(row: InboundEmail) -> str:
    if row.outcome == "new_request":
        return row.ticket.description
    return row.ticket_message.body


def test_the_corpus_is_large_and_varied():
    assert len(MANIFEST) >= 60
    assert len(list(CORPUS.glob("*.eml"))) == len(MANIFEST)
    outcomes = {case["outcome"] for case in MANIFEST}
    assert outcomes == {"new", "append", "ignored", "duplicate", "dead"}
    assert {case.get("reason") for case in MANIFEST} >= {"auto_reply", "bounce", "loop"}
    assert max((CORPUS / case["file"]).stat().st_size for case in MANIFEST) > 20 * 1024 * 1024


def test_every_corpus_message_gives_what_it_should(org, ingested):
    problems = []
    requests = {}
    for case in MANIFEST:
        name, outcome = case["file"], case["outcome"]
        row = ingested[name]
        if outcome == "duplicate":
            if row is not None:
                problems.append(f"{name}: stored again as #{row.pk}, not as a second delivery")
            continue
        if row is None:
            problems.append(f"{name}: not stored")
            continue
        if outcome == "ignored":
            if (row.state, row.outcome) != ("ignored", case["reason"]):
                problems.append(f"{name}: {row.state}/{row.outcome}, expected {case['reason']}")
            continue
        state, expected_outcome = _STATES[outcome]
        if row.state != state or (expected_outcome and row.outcome != expected_outcome):
            problems.append(f"{name}: {row.state}/{row.outcome} ({row.last_error or row.detail})")
            continue
        if outcome == "dead":
            if row.outcome != case["reason"]:
                problems.append(f"{name}: dead as {row.outcome}, expected {case['reason']}")
            continue
        requests[name] = row.ticket_id
        if outcome == "append" and row.ticket_id != requests.get(case["same_request_as"]):
            problems.append(f"{name}: on request {row.ticket_id}, not {case['same_request_as']}'s")
        customer = row.ticket.customer
        if outcome == "new":
            if row.ticket.contact_email != case["customer_email"]:
                problems.append(f"{name}: contact {row.ticket.contact_email}")
            if "subject" in case and row.ticket.subject != case["subject"]:
                problems.append(f"{name}: subject {row.ticket.subject!r}")
            if "language" in case and row.ticket.language != case["language"]:
                problems.append(f"{name}: language {row.ticket.language!r}")
        if not customer.contact_points.filter(value=case["customer_email"]).exists() and (
            outcome == "new"
        ):
            problems.append(f"{name}: customer {customer.pk} lacks {case['customer_email']}")
        text = _text_of(row)
        for part in case.get("text", []):
            if part not in text:
                problems.append(f"{name}: text lacks {part!r}")
        for part in case.get("not_text", []):
            if part in text:
                problems.append(f"{name}: text has {part!r}")
        files = row.ticket.attachments.filter(
            message=row.ticket_message if outcome == "append" else None
        )
        kept = sorted(files.values_list("filename", flat=True))
        if kept != sorted(case.get("attachments", [])):
            problems.append(f"{name}: files {kept}, expected {case.get('attachments', [])}")
    assert problems == []


def test_customers_are_found_by_address_and_named_from_their_first_mail(org, ingested):
    first_names = {}
    for case in MANIFEST:
        if case["outcome"] in ("new", "append") and case.get("customer_name"):
            first_names.setdefault(case["customer_email"], case["customer_name"])
    # A colleague answering on a customer's request is named on the message, not made a customer.
    senders = {c["customer_email"] for c in MANIFEST if c["outcome"] == "new"}
    customers = Customer.objects.filter(organization=org)
    assert customers.count() == len(senders)
    for email, name in first_names.items():
        assert customers.get(contact_points__value=email).name == name, email


def test_nothing_the_corpus_holds_was_answered_except_new_requests(org, ingested):
    from aftercare.notifications.models import Notice

    told = set(Notice.objects.filter(organization=org).values_list("ticket_id", flat=True))
    new = {row.ticket_id for row in ingested.values() if row and row.outcome == "new_request"}
    assert told == new
    assert Ticket.objects.filter(organization=org).count() == len(new)
    appended = sum(1 for row in ingested.values() if row and row.outcome == "appended")
    assert TicketMessage.objects.filter(organization_id=org.pk).count() == appended
