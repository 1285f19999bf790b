"""The run: how the server is started, and wrk runs in order with one row each."""

import os
import shutil
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import http_load, run
from bench.common import RESULT_KEYS, Settings
from bench.http_load import Context, InProcess, Sample, Scenario
from bench.run import _load, _server_command, _with_inprocess


def _settings(**changes) -> Settings:
    """A small run's settings."""
    values = {
        "tickets": 100,
        "customers": 10,
        "duration": 1,
        "connections": (1, 3),
        "threads": 2,
        "database_url": "",
    }
    return Settings(**{**values, **changes})


def test_server_command_appends_bench_server_args():
    command = _server_command(_settings(server_args=("--workers", "2")), 8123)

    assert command == [
        sys.executable,
        "manage.py",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        "8123",
        "--no-access-log",
        "--log-level",
        "warning",
        "--workers",
        "2",
    ]


class _Answer(BaseHTTPRequestHandler):
    """Answers every GET with 200 and a short body, keeping the connection open."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):
        """A small 200 response."""
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        """Quiet: wrk sends thousands of requests."""


@pytest.fixture
def http_server():
    """A small HTTP server on loopback, in a thread; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_each_scenario_runs_at_each_connection_count_in_alternated_rounds(
    http_server, tmp_path, monkeypatch
):
    monkeypatch.setattr(http_load, "BENCH_DIR", tmp_path)
    scenarios = [
        Scenario(name=name, auth="token", sample=lambda context: Sample("GET", "/ping"))
        for name in ("first", "second")
    ]
    context = Context(
        base_url=http_server, token="t", session_cookie="", ticket_ids=(1, 2), customer_ids=(1, 2)
    )
    commands = []
    run_wrk = http_load._wrk_command

    def recording(*args, connections, **kwargs):
        commands.append(connections)
        return run_wrk(*args, connections=connections, **kwargs)

    monkeypatch.setattr(http_load, "_wrk_command", recording)
    between = []

    rows, problems = _load(
        shutil.which("wrk"),
        scenarios,
        context,
        _settings(rounds=3, warmup=1),
        server_pid=os.getpid(),  # the server runs in this process's thread
        between_runs=lambda: between.append(len(commands)),
        after_scenario=lambda scenario, settings: (
            ({"scenario": "after_first"}, "late") if scenario.name == "first" else (None, None)
        ),
    )

    # What runs after a scenario adds its row and its problem after the scenario's rows.
    assert problems == ["after_first: late"]
    assert rows.pop(2) == {"scenario": "after_first"}
    # Each scenario: a warm-up at 3, not recorded; then 1, 3; then 3, 1; then 1, 3. Something
    # runs after every recorded wrk run.
    assert commands == [3, 1, 3, 3, 1, 1, 3] * 2
    assert between == [2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14]
    assert [(row["scenario"], row["connections"]) for row in rows] == [
        ("first", 1),
        ("first", 3),
        ("second", 1),
        ("second", 3),
    ]
    assert all(tuple(row) == RESULT_KEYS for row in rows)
    for row in rows:
        runs = row["requests_per_s_runs"]
        assert len(runs) == 3 and all(value > 0 for value in runs)
        assert row["requests_per_s"] == sorted(runs)[1]  # the median run
        assert row["p99_ms"] >= row["p50_ms"] > 0
        assert row["peak_rss_mb"] > 0
        assert (row["queries_per_request"], row["inproc_ms"]) == (None, None)

    filled = _with_inprocess(rows, {"first": InProcess(queries=3, median_ms=1.25)})

    assert [(row["queries_per_request"], row["inproc_ms"]) for row in filled] == [
        (3, 1.25),
        (3, 1.25),
        (None, None),
        (None, None),
    ]


def test_a_scenario_whose_sample_fails_is_not_loaded(tmp_path, monkeypatch):
    monkeypatch.setattr(http_load, "BENCH_DIR", tmp_path)
    monkeypatch.setattr(run, "_check_sample", lambda scenario, context: "HTTP 404")
    monkeypatch.setattr(run, "_wrk_run", lambda *a, **k: pytest.fail("wrk ran"))
    scenario = Scenario(name="gone", auth="token", sample=lambda context: Sample("GET", "/x"))
    context = Context(
        base_url="http://127.0.0.1:9",
        token="t",
        session_cookie="",
        ticket_ids=(1, 2),
        customer_ids=(1, 2),
    )

    rows, problems = _load("wrk", [scenario], context, _settings(), server_pid=os.getpid())

    assert problems == ["gone at 1 connections: HTTP 404", "gone at 3 connections: HTTP 404"]
    assert [row["requests_per_s"] for row in rows] == [None, None]


class _Checks(BaseHTTPRequestHandler):
    """Answers as the warranty check does: 200 for a known serial, 404 for an unknown one, and
    429 for the serials `refused` lists; records each ?serial= asked."""

    protocol_version = "HTTP/1.1"
    asked: list[str] = []
    refused: tuple[str, ...] = ()

    def do_GET(self):
        """200, 404 or 429 by the serial asked."""
        serial = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["serial"][0]
        self.asked.append(serial)
        status = 429 if serial in self.refused else 404 if serial.startswith("X") else 200
        body = b"checked"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        """Quiet."""


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
@pytest.mark.parametrize("refused", [(), ("AW71-2407",)])
def test_warranty_check_requests_every_listed_serial_and_takes_a_404_as_an_answer(
    tmp_path, monkeypatch, refused
):
    monkeypatch.setattr(http_load, "BENCH_DIR", tmp_path)
    monkeypatch.setattr(_Checks, "asked", [])
    monkeypatch.setattr(_Checks, "refused", refused)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Checks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    scenario = next(item for item in http_load.SCENARIOS if item.name == "warranty_check")
    persian = urllib.parse.quote("AW۷۱۲۴۰۷۰۰۱۲۳۴", safe="")
    context = Context(
        base_url=f"http://127.0.0.1:{server.server_address[1]}",
        token="t",
        session_cookie="s",
        ticket_ids=(1, 2),
        customer_ids=(1, 2),
        warranty_slug="warranty-bench",
        warranty_checks=(persian, "AW71-2407", "XX00000000"),
    )
    try:
        command = http_load._wrk_command(
            shutil.which("wrk"), scenario, context, _settings(), connections=2
        )
        measured, problem = http_load._wrk_run(
            shutil.which("wrk"), scenario, context, _settings(), connections=2
        )
    finally:
        server.shutdown()
        server.server_close()

    # A public page: no cookie, no token; the paths are read from a file the scenario writes.
    assert "-H" not in command
    assert command[-3:] == [
        f"{context.base_url}/portal/warranty-bench/warranty-check/?serial={persian}",
        "--",
        str(tmp_path / "warranty_check_paths.txt"),
    ]
    assert (tmp_path / "warranty_check_paths.txt").read_text().splitlines() == [
        f"/portal/warranty-bench/warranty-check/?serial={serial}"
        for serial in context.warranty_checks
    ]
    assert set(_Checks.asked) == {"AW۷۱۲۴۰۷۰۰۱۲۳۴", "AW71-2407", "XX00000000"}
    # wrk does not count the requests still in flight when it stops.
    assert 0 < measured["requests"] <= len(_Checks.asked)
    refusals = _Checks.asked.count("AW71-2407")
    if refused:
        assert 0 < measured["unexpected_status"] <= refusals
        assert problem == (
            f"{measured['unexpected_status']} of {measured['requests']} requests failed"
        )
    else:
        assert (measured["unexpected_status"], problem) == (0, None)
    assert 0.1 < refusals / len(_Checks.asked) < 0.6


def test_the_warranty_check_over_20_ms_at_the_fewest_connections_is_a_problem():
    def row(scenario, connections, p95_ms):
        return {"scenario": scenario, "connections": connections, "p95_ms": p95_ms}

    rows = [
        row("warranty_check", 4, 20.0),
        row("warranty_check", 16, 95.0),
        row("queue_page", 4, 30.0),
    ]

    assert run._latency_limits(rows, _settings(connections=(4, 16))) == [
        "warranty_check: p95 20.0 ms at 4 connections; the limit is 20 ms"
    ]
    rows[0]["p95_ms"] = 19.9
    assert run._latency_limits(rows, _settings(connections=(16, 4))) == []
    rows[0]["p95_ms"] = None  # not measured: reported as such elsewhere
    assert run._latency_limits(rows, _settings(connections=(4, 16))) == []
