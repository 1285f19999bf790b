"""The results table and bench/results/latest.json and machine.json."""

import json
import re
from types import SimpleNamespace

from bench import report
from bench.common import RESULT_KEYS, Settings
from bench.report import _report, _write_results


def _http_row(connections: int, requests_per_s: float) -> dict:
    """A measured HTTP row as the runner makes it."""
    row = dict.fromkeys(RESULT_KEYS)
    row.update(
        scenario="queue_page",
        tickets=2000,
        connections=connections,
        requests_per_s=requests_per_s,
        p50_ms=7.1,
        p95_ms=12.5,
        p99_ms=130.25,
        queries_per_request=9,
        inproc_ms=3.21,
        peak_rss_mb=104.3,
    )
    return row


def _sla_row() -> dict:
    """An in-process SLA row as bench.sla_sweep makes it."""
    row = dict.fromkeys(RESULT_KEYS)
    row.update(
        scenario="sla_sweep",
        tickets=2000,
        p50_ms=41.5,
        queries_per_request=12,
        seconds=0.0415,
        due_tickets=3,
        warnings=3,
        breaches=0,
    )
    return row


def _cells(line: str) -> list[str]:
    """A printed table line's cells (columns are two or more spaces apart)."""
    return re.split(r"\s{2,}", line.strip())


def test_table_has_a_conns_and_an_in_process_column(capsys):
    _report([_http_row(4, 512.34), _http_row(16, 498.0), _sla_row()], [])

    lines = capsys.readouterr().out.splitlines()
    assert _cells(lines[0]) == [
        "scenario",
        "tickets",
        "conns",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "in-proc ms",
        "queries/req",
        "peak RSS MB",
    ]
    assert _cells(lines[1]) == [
        "queue_page",
        "2,000",
        "4",
        "512.3",
        "7.10",
        "12.50",
        "130.2",
        "3.21",
        "9",
        "104.3",
    ]
    assert _cells(lines[2])[2:4] == ["16", "498.0"]
    assert _cells(lines[3]) == ["sla_sweep", "2,000", "-", "-", "41.50", "-", "-", "-", "12", "-"]


def test_latest_json_rows_carry_connections_and_inproc_ms(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "RESULTS_DIR", tmp_path)
    monkeypatch.setattr(report, "_machine", lambda *, pg_version: {})
    settings = Settings(
        tickets=2000,
        customers=200,
        duration=3,
        connections=(4, 16),
        threads=2,
        database_url="",
        server_args=("--workers", "2"),
    )
    data = SimpleNamespace(tickets=2000, messages=4000, events=6000, customers=200)

    _write_results(
        [_http_row(4, 512.3), _http_row(16, 498.0), _sla_row()],
        settings=settings,
        database_url="sqlite:///bench.sqlite3",
        pg_version=None,
        seed_seconds=1.0,
        total_seconds=20.0,
        data=data,
        sla_run=None,
        units_run={"units": 1_000_000, "seed_seconds": 41.5},
    )

    rows = json.loads((tmp_path / "latest.json").read_text())
    assert [set(RESULT_KEYS) <= set(row) for row in rows] == [True, True, True]
    assert [row["connections"] for row in rows] == [4, 16, None]
    assert [row["inproc_ms"] for row in rows] == [3.21, 3.21, None]
    run = json.loads((tmp_path / "machine.json").read_text())["run"]
    assert run["connections"] == [4, 16]
    assert run["wrk_threads"] == [2, 2]
    assert run["server"] == (
        "manage.py serve --no-access-log --log-level warning --workers 2 (DEBUG off)"
    )
    assert run["scenarios"] == ["queue_page", "sla_sweep"]
    assert run["units"] == {"units": 1_000_000, "seed_seconds": 41.5}


def test_a_scenario_over_its_limit_failed_one_that_could_not_run_was_not_measured(capsys):
    _report(
        [],
        [
            "warranty_check: p95 28.2 ms at 4 connections; the limit is 20 ms",
            "queue_page at 4 connections: GET /?queue=open answered HTTP 500",
            "unit_import: the real run added 9949 units, not 9950",
        ],
    )

    assert capsys.readouterr().out.splitlines() == [
        "failed: warranty_check: p95 28.2 ms at 4 connections; the limit is 20 ms",
        "not measured: queue_page at 4 connections: GET /?queue=open answered HTTP 500",
        "failed: unit_import: the real run added 9949 units, not 9950",
    ]
