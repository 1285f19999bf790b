"""The results: the table on stdout, and bench/results/latest.json and machine.json."""

import json
import os
import platform
import re
import shlex
import sqlite3
import subprocess
import time
from pathlib import Path

from bench.common import RESULTS_DIR, SERVER_ARGS, Settings
from bench.email_ingest import EMAIL_INGEST_SCENARIO
from bench.notices import NOTIFY_KEYS, NOTIFY_SCENARIO
from bench.sla_sweep import INPROCESS_SCENARIOS, SLA_EXTRA_KEYS
from bench.unit_import import UNIT_IMPORT_KEYS, UNIT_IMPORT_SCENARIO

# The results table: a header over each key of RESULT_KEYS.
TABLE_COLUMNS = (
    ("scenario", "scenario"),
    ("tickets", "tickets"),
    ("connections", "conns"),
    ("requests_per_s", "req/s"),
    ("p50_ms", "p50 ms"),
    ("p95_ms", "p95 ms"),
    ("p99_ms", "p99 ms"),
    ("inproc_ms", "in-proc ms"),
    ("queries_per_request", "queries/req"),
    ("peak_rss_mb", "peak RSS MB"),
)


def _cell(value) -> str:
    """A table cell: thousands separated, two decimals under 100, '-' when unmeasured."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}" if value >= 100 else f"{value:.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _table(headers: list[str], rows: list[list[str]]) -> None:
    """Print rows under headers, the first column left-aligned and the others right-aligned."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    for cells in [headers, *rows]:
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
        )


def _scenario_table(
    results: list[dict], scenario: str, keys: tuple[str, ...], headers: list[str]
) -> None:
    """The rows of one scenario, after a blank line: its name, then `keys` under `headers` ('-'
    for a key the row lacks)."""
    rows = [row for row in results if row["scenario"] == scenario]
    if rows:
        print()
        _table(
            ["scenario", *headers],
            [[row["scenario"], *(_cell(row.get(key)) for key in keys)] for row in rows],
        )


def _report(results: list[dict], problems: list[str]) -> None:
    """Print the results table, the SLA sweep's details, and what failed or was not measured."""
    if results:
        _table(
            [header for _key, header in TABLE_COLUMNS],
            [[_cell(row[key]) for key, _header in TABLE_COLUMNS] for row in results],
        )
    inprocess = [row for row in results if row["scenario"] in INPROCESS_SCENARIOS]
    if inprocess:
        # In-process rows: p50 ms is the run's duration and queries/req its statements.
        print()
        keys = ("scenario", "tickets", *SLA_EXTRA_KEYS, "queries_per_request")
        headers = ["scenario", "tickets", "seconds", "due tickets", "warnings", "breaches"]
        headers.append("queries")
        cells = [
            [f"{row[key]:.3f}" if key == "seconds" else _cell(row[key]) for key in keys]
            for row in inprocess
        ]
        _table(headers, cells)
    _scenario_table(results, NOTIFY_SCENARIO, NOTIFY_KEYS, ["notices", "seconds", "per second"])
    _scenario_table(
        results,
        EMAIL_INGEST_SCENARIO,
        (
            "messages",
            "seconds",
            "per_s",
            "store_per_s",
            "process_per_s",
            "new_requests",
            "appended",
            "ignored",
            "statements_per_message",
            "cpu_seconds",
        ),
        ["messages", "seconds", "per second", "stored/s", "processed/s"]
        + ["new requests", "replies added", "ignored", "SQL/message", "CPU s"],
    )
    _scenario_table(
        results,
        UNIT_IMPORT_SCENARIO,
        UNIT_IMPORT_KEYS,
        ["units before", "rows", "bad rows", "dry run s", "real run s"]
        + ["imported", "per second", "new customers", "SQL dry run", "SQL real run"],
    )
    for problem in problems:
        in_process = (*INPROCESS_SCENARIOS, EMAIL_INGEST_SCENARIO, UNIT_IMPORT_SCENARIO)
        # Measured but over its limit (warranty_check's p95), or an in-process run that failed.
        measured = problem.split(":", 1)[0] in in_process or "the limit is" in problem
        print(f"{'failed' if measured else 'not measured'}: {problem}")


def _machine(*, pg_version: str | None) -> dict:
    """The machine the numbers come from."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        match = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.MULTILINE)
        ram_gb = round(int(match.group(1)) / 1024 / 1024, 1) if match else None
    except OSError:
        pass
    import django
    import uvicorn

    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    return {
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "uvicorn": uvicorn.__version__,
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg_version,
        "wrk": (wrk_version.stdout or wrk_version.stderr).splitlines()[0].strip()
        if (wrk_version.stdout or wrk_version.stderr)
        else None,
    }


def _write_results(
    results: list[dict],
    *,
    settings: Settings,
    database_url: str,
    pg_version: str | None,
    seed_seconds: float,
    total_seconds: float,
    data,
    sla_run: dict | None,
    units_run: dict | None = None,
    search_run: dict | None = None,
) -> None:
    """Write latest.json (one object per row: an HTTP scenario at one connection count, or an
    in-process scenario) and machine.json."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    machine = _machine(pg_version=pg_version)
    machine["run"] = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "database": "postgresql" if pg_version else "sqlite",
        "tickets": data.tickets,
        "messages": data.messages,
        "events": data.events,
        "customers": data.customers,
        "duration_s": settings.duration,
        "rounds": settings.rounds,
        "warmup_s": settings.warmup,
        "connections": list(settings.connections),
        "wrk_threads": [min(settings.threads, count) for count in settings.connections],
        "server": shlex.join(["manage.py", "serve", *SERVER_ARGS, *settings.server_args])
        + " (DEBUG off)",
        "scenarios": list(dict.fromkeys(row["scenario"] for row in results)),
        "seed_seconds": round(seed_seconds, 1),
        "total_seconds": round(total_seconds, 1),
        "sla": sla_run,
        "units": units_run,
        "search": search_run,
    }
    (RESULTS_DIR / "machine.json").write_text(json.dumps(machine, indent=2) + "\n")
