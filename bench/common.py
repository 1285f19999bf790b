"""Where the benchmark's files live, the keys of a result row, the run's settings (BENCH_* and
DATABASE_URL) and progress output."""

import datetime
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
)


@dataclass(frozen=True)
class Settings:
    """The run's parameters, from the environment."""

    tickets: int
    customers: int
    duration: int
    connections: int
    threads: int
    database_url: str
    sla_tickets: int = 100_000
    sla_now: datetime.datetime | None = None


def _settings() -> Settings:
    """Read BENCH_* and DATABASE_URL."""
    from aftercare.lib.env import env_int, env_str

    sla_now = None
    if env_str("BENCH_SLA_NOW", "").strip():
        try:
            sla_now = datetime.datetime.fromisoformat(env_str("BENCH_SLA_NOW").strip())
        except ValueError:
            raise SystemExit("BENCH_SLA_NOW must be an ISO 8601 date and time.") from None
        if sla_now.utcoffset() is None:
            raise SystemExit("BENCH_SLA_NOW needs a UTC offset, e.g. 2026-11-28T11:12:30+03:30.")
    if sla_now is None:
        sla_now = _last_saturday_burst()
    return Settings(
        tickets=env_int("BENCH_TICKETS", 100_000),
        customers=env_int("BENCH_CUSTOMERS", 2000),
        duration=env_int("BENCH_DURATION", 10),
        connections=env_int("BENCH_CONNECTIONS", 16),
        threads=env_int("BENCH_THREADS", 2),
        database_url=env_str("DATABASE_URL", ""),
        sla_tickets=env_int("BENCH_SLA_TICKETS", 100_000),
        sla_now=sla_now,
    )


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
