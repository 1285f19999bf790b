"""Where the benchmark's files live, the keys of a result row, the run's settings (BENCH_* and
DATABASE_URL) and progress output."""

import datetime
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


BENCH_DIR = ROOT / "var" / "bench"


RESULTS_DIR = ROOT / "bench" / "results"


LUA_DIR = ROOT / "bench" / "lua"


RESULT_KEYS = (
    "scenario",
    "tickets",
    "requests_per_s",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "queries_per_request",
    "peak_rss_mb",
    # wrk's connections (None on in-process rows) and the median in-process time of one request
    # through Django's test client, without the server (None where not measured).
    "connections",
    "inproc_ms",
    # Each wrk run's requests/s, in the order run; the row's figures are the runs' medians.
    "requests_per_s_runs",
)


DEFAULT_CONNECTIONS = (4, 16)


# How the benchmark runs `manage.py serve`, besides where it listens and BENCH_SERVER_ARGS.
SERVER_ARGS = ("--no-access-log", "--log-level", "warning")


@dataclass(frozen=True)
class Settings:
    """The run's parameters, from the environment."""

    tickets: int
    customers: int
    duration: int
    connections: tuple[int, ...]
    threads: int
    database_url: str
    sla_tickets: int = 100_000
    sla_now: datetime.datetime | None = None
    server_args: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = ()  # the names to run; every scenario when empty
    rounds: int = 1  # wrk runs of each scenario at each connection count, alternated
    warmup: int = 0  # seconds of an unrecorded wrk run before a scenario's rounds
    email_ingest_batch: int = 1000  # inbound messages email_ingest stores and processes
    units: int = 1_000_000  # registered units of the warranty bench's organization
    unit_import_rows: int = 10_000  # rows of unit_import's file (50 of them bad)
    search_tickets: int = 1_000_000  # requests of the search bench's organization

    def runs(self, name: str) -> bool:
        """Whether the scenario called `name` is to be measured."""
        return not self.scenarios or name in self.scenarios


def _settings() -> Settings:
    """Read BENCH_* and DATABASE_URL."""
    from aftercare.lib.env import env_int, env_str
    from bench.email_ingest import EMAIL_INGEST_BATCH
    from bench.unit_import import UNIT_IMPORT_ROWS

    return Settings(
        tickets=env_int("BENCH_TICKETS", 100_000),
        customers=env_int("BENCH_CUSTOMERS", 2000),
        duration=env_int("BENCH_DURATION", 6),
        connections=_connections(env_str("BENCH_CONNECTIONS", "")),
        threads=env_int("BENCH_THREADS", 2),
        database_url=env_str("DATABASE_URL", ""),
        sla_tickets=env_int("BENCH_SLA_TICKETS", 100_000),
        sla_now=_sla_now(env_str("BENCH_SLA_NOW", "")),
        server_args=_server_args(env_str("BENCH_SERVER_ARGS", "")),
        scenarios=_scenarios(env_str("BENCH_SCENARIOS", "")),
        rounds=max(1, env_int("BENCH_ROUNDS", 3)),
        warmup=max(0, env_int("BENCH_WARMUP", 2)),
        email_ingest_batch=env_int("BENCH_EMAIL_INGEST_BATCH", EMAIL_INGEST_BATCH),
        units=env_int("BENCH_UNITS", 1_000_000),
        unit_import_rows=env_int("BENCH_UNIT_IMPORT_ROWS", UNIT_IMPORT_ROWS),
        search_tickets=env_int("BENCH_SEARCH_TICKETS", 1_000_000),
    )


def _connections(value: str) -> tuple[int, ...]:
    """BENCH_CONNECTIONS: wrk's connection counts, comma-separated ("4,16" when empty)."""
    if not value.strip():
        return DEFAULT_CONNECTIONS
    counts = []
    for item in value.split(","):
        try:
            count = int(item.strip())
        except ValueError:
            raise SystemExit(
                f"BENCH_CONNECTIONS must list integers, e.g. 4,16; not {value!r}."
            ) from None
        if count < 1:
            raise SystemExit(f"BENCH_CONNECTIONS must be positive, not {count}.")
        counts.append(count)
    return tuple(counts)


def _server_args(value: str) -> tuple[str, ...]:
    """BENCH_SERVER_ARGS: more `manage.py serve` arguments, split as a shell would."""
    try:
        return tuple(shlex.split(value))
    except ValueError as error:
        raise SystemExit(f"BENCH_SERVER_ARGS cannot be split: {error}.") from None


def _scenarios(value: str) -> tuple[str, ...]:
    """BENCH_SCENARIOS: the scenario names to run, comma-separated; every one when empty."""
    from bench.email_ingest import EMAIL_INGEST_SCENARIO
    from bench.http_load import SCENARIOS
    from bench.sla_sweep import INPROCESS_SCENARIOS
    from bench.unit_import import UNIT_IMPORT_SCENARIO

    names = tuple(item.strip() for item in value.split(",") if item.strip())
    known = [scenario.name for scenario in SCENARIOS]
    known += [EMAIL_INGEST_SCENARIO, UNIT_IMPORT_SCENARIO, *INPROCESS_SCENARIOS]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise SystemExit(
            f"BENCH_SCENARIOS names unknown scenarios {', '.join(unknown)}; "
            f"choose among {', '.join(known)}."
        )
    return names


def _sla_now(value: str) -> datetime.datetime:
    """BENCH_SLA_NOW (ISO 8601 with an offset), or the last Saturday burst when empty."""
    if not value.strip():
        return _last_saturday_burst()
    try:
        sla_now = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        raise SystemExit("BENCH_SLA_NOW must be an ISO 8601 date and time.") from None
    if sla_now.utcoffset() is None:
        raise SystemExit("BENCH_SLA_NOW needs a UTC offset, e.g. 2026-11-28T11:12:30+03:30.")
    return sla_now


def _last_saturday_burst() -> datetime.datetime:
    """The most recent Saturday 11:12:30 in Tehran: the weekend's backlog warns all at once."""
    import zoneinfo

    tehran = zoneinfo.ZoneInfo("Asia/Tehran")
    now = datetime.datetime.now(tehran)
    saturday = now.date() - datetime.timedelta(days=(now.weekday() - 5) % 7)
    burst = datetime.datetime.combine(saturday, datetime.time(11, 12, 30), tzinfo=tehran)
    if burst > now:
        burst -= datetime.timedelta(days=7)
    return burst


def say(message: str) -> None:
    """Progress on stderr, so stdout carries only the table."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
