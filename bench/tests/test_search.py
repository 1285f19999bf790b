"""The search scenario's data: texts with a helpdesk's word frequencies, requests seeded with
their index as the services would write it, the query list, and the scenario's request."""

import random
import shutil
import threading
import urllib.parse
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection

from aftercare.accounts.services import api_token_create
from aftercare.customers.models import Customer
from aftercare.search.models import SearchEntry
from aftercare.search.normalize import index_tokens
from aftercare.search.selectors import query_parse, search_object_ids, staff_search
from aftercare.tickets.indexing import requests_index
from aftercare.tickets.models import Ticket, TicketMessage
from aftercare.tickets.services import ticket_create
from bench import http_load, run
from bench.common import Settings
from bench.http_load import SCENARIOS, Context, InProcessMeter
from bench.search_text import QUERIES, SAMPLE_QUERY, ZWNJ, TextWriter
from bench.seed import bench_seed
from bench.seed_search import bench_seed_search, search_customer_count, search_query_values


def _written(count: int) -> list:
    writer = TextWriter(random.Random(3))
    written = []
    for _ in range(count):
        language = writer.language()
        _name, first = writer.name(language)
        product, _category = writer.product(language)
        written.append(
            (
                language,
                writer.request(
                    language=language, product=product, first_name=first, model="AC-12K"
                ),
            )
        )
    return written


def _share(written, text: str) -> float:
    """The share of requests whose words hold every word of `text` as a prefix."""
    words = query_parse(text).words
    found = 0
    for _language, request in written:
        tokens = set(
            index_tokens(" ".join((request.subject, request.description, *request.messages)))
        )
        found += all(any(token.startswith(word) for token in tokens) for word in words)
    return found / len(written)


def test_texts_have_a_helpdesks_word_frequencies():
    written = _written(4000)

    languages = Counter(language for language, _request in written)
    assert set(languages) == {"fa", "tr", "kk", "en"} and 0.4 < languages["fa"] / 4000 < 0.5
    assert Counter(len(request.messages) for _l, request in written).keys() == {1, 2, 3}
    # Common words in 5-30 % of requests, medium ones in 0.3-3 %; typed the other way (Arabic
    # letters, upper case) they find the same.
    for text in ("کولر", "the", "washing", "не"):
        assert 0.05 < _share(written, text) < 0.3, text
    for text in ("کمپرسور", "KOMPRESÖR", "компрессор", "compressor", "اصفهان"):
        assert 0.003 < _share(written, text) < 0.03, text
    assert _share(written, "كولر") == _share(written, "کولر")
    # Persian as people type it: ZWNJ, solid or spaced; some with an Arabic keyboard.
    persian = [request for language, request in written if language == "fa"]
    texts = [request.description for request in persian]
    assert sum(ZWNJ in text for text in texts) > 0.3 * len(texts)
    assert sum("میشود" in text or "میکنم" in text for text in texts) > 0.05 * len(texts)
    assert sum("می شود" in text or "می کنم" in text for text in texts) > 0.03 * len(texts)
    arabic = [request for request in persian if request.arabic_keyboard]
    assert 0.1 < len(arabic) / len(persian) < 0.2
    assert all(
        "ی" not in request.description and "ک" not in request.description for request in arabic
    )
    # The query list: three bands, words typed with Arabic letters, Persian digits, upper case.
    bands = Counter(band for band, _typed in QUERIES)
    assert set(bands) == {"common", "medium", "rare"} and min(bands.values()) >= 8
    typed = [text for _band, text in QUERIES]
    assert any("ك" in text or "ي" in text for text in typed)
    assert any("۰" <= char <= "۹" for text in typed for char in text)
    assert any(text.isupper() and ("İ" in text or "I" in text) for text in typed)
    assert any(
        text.isupper() and any("А" <= c <= "Я" or c in "ҚҢҒҮҰӨӘІҺ" for c in text) for text in typed
    )


@pytest.fixture
def search_data(db):
    """The search bench's organization, small: 600 requests, 20 customers."""
    return bench_seed_search(tickets=600)


def _fts_row(entry_id: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ident, title, body FROM search_fts WHERE rowid = %s", [entry_id])
        return cursor.fetchone()


def test_requests_are_seeded_with_their_index_as_the_services_write_it(search_data):
    organization = search_data.organization
    tickets = Ticket.objects.filter(organization=organization)
    assert (organization.slug, tickets.count(), search_data.tickets) == ("search-bench", 600, 600)
    assert search_data.customers == search_customer_count(600) == 20
    assert Customer.objects.filter(organization=organization).count() == 20
    assert sorted(tickets.values_list("number", flat=True)) == list(range(1, 601))
    messages = TicketMessage.objects.filter(ticket__organization=organization)
    assert messages.count() == search_data.messages
    for ticket in tickets.prefetch_related("messages"):
        assert 1 <= ticket.message_count == len(ticket.messages.all()) <= 3
    assert set(tickets.values_list("language", flat=True)) == {"fa", "tr", "kk", "en"}
    entries = SearchEntry.objects.filter(organization=organization)
    # (The catalog's twelve models are put in by the catalog's services.)
    kinds = Counter(entries.values_list("kind", flat=True))
    assert kinds == {"request": 600, "customer": 20, "product_model": 12}
    assert search_data.index_seconds > 0 and search_data.seed_seconds >= search_data.index_seconds

    # Each request's words are what the real indexing writes from the database.
    sample = list(tickets.order_by("?").values_list("pk", flat=True)[:25])
    entry_ids = dict(
        entries.filter(kind="request", object_id__in=sample).values_list("object_id", "id")
    )
    if connection.vendor == "sqlite":
        seeded = {pk: _fts_row(entry_ids[pk]) for pk in sample}
        requests_index(sample)
        assert {pk: _fts_row(entry_ids[pk]) for pk in sample} == seeded

    # What each query word finds, counted by the index, is what the search pages through.
    sample_count = search_data.found[SAMPLE_QUERY]
    if connection.vendor == "sqlite":
        assert 0.05 * 600 < sample_count < 0.3 * 600
        medium = next(text for band, text in QUERIES if band == "medium")
        ids = search_object_ids(
            organization_id=organization.pk, query=query_parse(medium), kind="request"
        )
        assert len(ids) == search_data.found[medium] > 0
    page = staff_search(
        organization=organization, role="agent", text=SAMPLE_QUERY, kinds=["request"], limit=50
    )
    assert len(page.results) == 50 and "<mark>" in str(page.results[0].snippet)

    # The services carry on after the bulk load: the next request is number 601, indexed.
    customer = Customer.objects.filter(organization=organization).first()
    new = ticket_create(
        organization=organization, customer=customer, subject="Grommet fell off", description="x"
    )
    assert new.number == 601 and new.pk > max(sample)
    found = staff_search(organization=organization, role="agent", text="grommet", kinds=["request"])
    assert new.pk in [result.object_id for result in found.results]


def test_bench_seed_puts_the_measured_organizations_requests_in_the_index(db, monkeypatch):
    def loaded(*args, **kwargs):
        raise AssertionError("an in-memory ticket read a field from the database")

    # The in-memory tickets carry every field their document reads (bench/seed_index.py).
    monkeypatch.setattr(Ticket, "refresh_from_db", loaded)

    data = bench_seed(tickets=120, customers=20, password="bench-pass")

    entries = SearchEntry.objects.filter(organization=data.organization)
    kinds = Counter(entries.values_list("kind", flat=True))
    assert kinds == {"request": 120, "customer": 20, "product_model": 12}
    assert data.index_seconds > 0
    ticket = Ticket.objects.filter(organization=data.organization).order_by("pk").last()
    found = staff_search(
        organization=data.organization, role="agent", text=ticket.reference, kinds=["request"]
    )
    assert [result.object_id for result in found.results] == [ticket.pk]


def test_the_search_sample_answers_with_results_through_the_api(search_data):
    _token, key = api_token_create(
        user=search_data.agent, organization=search_data.organization, name="bench search"
    )
    context = Context(
        base_url="",
        token="the measured organization's",
        session_cookie="",
        ticket_ids=(1, 1),
        customer_ids=(1, 1),
        search_token=key,
        search_queries=search_query_values(search_data),
    )
    scenario = next(item for item in SCENARIOS if item.name == "search")
    assert urllib.parse.unquote(context.search_queries[0]) == SAMPLE_QUERY
    assert len(context.search_queries) == len(QUERIES) + 1

    meter = InProcessMeter([scenario], context, agent=None)
    meter.round()
    cost = meter.costs()["search"]

    assert cost.median_ms > 0 and 0 < cost.queries < 10


class _Searches(BaseHTTPRequestHandler):
    """Records each ?q= asked and its Authorization header; answers 200."""

    protocol_version = "HTTP/1.1"
    asked: list[tuple[str, str, str]] = []

    def do_GET(self):
        """200, recording what was asked."""
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        self.asked.append((query["q"][0], query["kind"][0], self.headers["Authorization"]))
        body = b'{"items": []}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        """Quiet."""


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_search_asks_for_every_listed_word_with_the_search_organizations_token(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(http_load, "BENCH_DIR", tmp_path)
    monkeypatch.setattr(_Searches, "asked", [])
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Searches)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    scenario = next(item for item in http_load.SCENARIOS if item.name == "search")
    words = ("کولر", "كولر", "E۰۷", "TERMİSTÖR")
    context = Context(
        base_url=f"http://127.0.0.1:{server.server_address[1]}",
        token="measured",
        session_cookie="s",
        ticket_ids=(1, 2),
        customer_ids=(1, 2),
        search_token="search-token",
        search_queries=tuple(urllib.parse.quote(word, safe="") for word in words),
    )
    settings = Settings(
        tickets=100, customers=10, duration=1, connections=(2,), threads=2, database_url=""
    )
    try:
        command = http_load._wrk_command(
            shutil.which("wrk"), scenario, context, settings, connections=2
        )
        measured, problem = http_load._wrk_run(
            shutil.which("wrk"), scenario, context, settings, connections=2
        )
    finally:
        server.shutdown()
        server.server_close()

    assert command[command.index("-H") + 1] == "Authorization: Bearer search-token"
    assert command[-2:] == ["--", str(tmp_path / "search_paths.txt")]
    assert (measured["unexpected_status"], problem) == (0, None)
    assert {word for word, _kind, _auth in _Searches.asked} == set(words)
    assert {(kind, auth) for _word, kind, auth in _Searches.asked} == {
        ("request", "Bearer search-token")
    }


def test_search_over_100_ms_at_the_fewest_connections_is_a_problem():
    def row(scenario, connections, p95_ms):
        return {"scenario": scenario, "connections": connections, "p95_ms": p95_ms}

    rows = [row("search", 4, 100.0), row("search", 16, 400.0), row("warranty_check", 4, 9.0)]
    settings = Settings(
        tickets=100, customers=10, duration=1, connections=(4, 16), threads=2, database_url=""
    )

    assert run._latency_limits(rows, settings) == [
        "search: p95 100.0 ms at 4 connections; the limit is 100 ms"
    ]
    rows[0]["p95_ms"] = 99.9
    assert run._latency_limits(rows, settings) == []
