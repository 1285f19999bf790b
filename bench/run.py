"""`make bench`: seed a fresh database, serve it as `make run` does, measure it with wrk; then
measure the SLA sweep in-process on an organization of its own.

Environment: BENCH_TICKETS (100000), BENCH_CUSTOMERS (2000), BENCH_DURATION seconds per scenario
(10), BENCH_CONNECTIONS (16), BENCH_THREADS (wrk threads, 2), BENCH_SLA_TICKETS (open requests of
the SLA organization, 100000), BENCH_SLA_NOW (the instant the sweep runs at, ISO 8601 with an
offset; by default the last Saturday 11:12:30 in Tehran, the burst described below),
DATABASE_URL (a fresh SQLite file under var/bench/ by default; with a PostgreSQL URL, a fresh
database named aftercare_bench on that server). Prints a table and writes
bench/results/latest.json and machine.json.

To add a scenario, append a `Scenario` to SCENARIOS: a name, how it authenticates, one
representative request (used for the pre-flight check and the SQL query count) and, when each
request must differ, a Lua script under bench/lua/ defining `request()`.

The SLA scenarios (INPROCESS_SCENARIOS) run after the server has stopped, so they neither load
it nor grow its tables while wrk measures. `sla_sweep` is the real `sla_sweep` over requests whose
clocks were swept until a minute earlier (four missed 15 s runs), at the busiest regular moment of
the Iranian week: Saturday 11:12:30, when every request that arrived over the Thursday-afternoon
and Friday closure reaches its first-response warning at once (08:00 opening + 80 % of 4 h).
`sla_sweep_repeat` runs it again at once and must record nothing; `sla_sweep_10min_outage` runs
it ten minutes later, as after an outage. `sla_sweep` must take under 2 s.
"""

import datetime
import http.cookiejar
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
RESULTS_DIR = ROOT / "bench" / "results"
LUA_DIR = ROOT / "bench" / "lua"
PG_BENCH_DATABASE = "aftercare_bench"
PASSWORD = "bench-password-not-secret"
LOOPBACK_HOSTS = {"", "localhost", "127.0.0.1", "::1"}
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
INPROCESS_SCENARIOS = ("sla_sweep", "sla_sweep_repeat", "sla_sweep_10min_outage")
# In-process rows carry these besides RESULT_KEYS (their duration is also in p50_ms).
SLA_EXTRA_KEYS = ("seconds", "due_tickets", "warnings", "breaches")
SLA_SWEEP_LIMIT_SECONDS = 2.0
SLA_OUTAGE = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class Context:
    """What scenarios need to build their requests."""

    base_url: str
    token: str
    session_cookie: str
    ticket_ids: tuple[int, int]
    customer_ids: tuple[int, int]


@dataclass(frozen=True)
class Sample:
    """One representative request of a scenario."""

    method: str
    path: str
    body: dict | None = None


@dataclass(frozen=True)
class Scenario:
    """A load to measure: who calls, what one request looks like, and how requests vary."""

    name: str
    auth: str  # "token" (API bearer token) or "session" (signed-in agent's cookie)
    sample: Callable[[Context], Sample]
    script: str | None = None  # a Lua file in bench/lua/ defining request()
    script_args: Callable[[Context], list[str]] = field(default=lambda context: [])


def _middle_ticket(context: Context) -> int:
    """A ticket id in the middle of the data set."""
    return (context.ticket_ids[0] + context.ticket_ids[1]) // 2


SCENARIOS = [
    Scenario(
        name="intake_api",
        auth="token",
        sample=lambda c: Sample(
            "POST",
            "/api/v1/tickets/",
            {
                "customer_id": c.customer_ids[0],
                "subject": "Washing machine leaking water from underneath",
                "description": "It started leaking during the wash. Please send a technician.",
            },
        ),
        script="intake.lua",
        script_args=lambda c: [str(c.customer_ids[0]), str(c.customer_ids[1])],
    ),
    Scenario(name="queue_page", auth="session", sample=lambda c: Sample("GET", "/?queue=open")),
    Scenario(
        name="ticket_page",
        auth="session",
        sample=lambda c: Sample("GET", f"/requests/{_middle_ticket(c)}/"),
        script="ticket_page.lua",
        script_args=lambda c: [str(c.ticket_ids[0]), str(c.ticket_ids[1])],
    ),
    Scenario(
        name="api_list", auth="token", sample=lambda c: Sample("GET", "/api/v1/tickets/?limit=50")
    ),
]


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


def main() -> int:
    """Run every scenario and report; non-zero when a scenario could not be measured."""
    started = time.monotonic()
    # `python bench/run.py` works as well as `python -m bench.run`.
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    wrk = shutil.which("wrk")
    if wrk is None:
        print(
            "wrk is not installed. Install it with:\n    sudo apt-get install -y wrk",
            file=sys.stderr,
        )
        return 2
    settings = _settings()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    database_url, pg_version = _fresh_database(settings.database_url)
    var_dir = BENCH_DIR / "var"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "AFTERCARE_VAR_DIR": str(var_dir),
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "aftercare.settings",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    say(f"database: {_describe(database_url)}")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)

    from bench.seed import bench_seed

    seed_started = time.monotonic()
    data = bench_seed(
        tickets=settings.tickets, customers=settings.customers, password=PASSWORD, progress=say
    )
    seed_seconds = time.monotonic() - seed_started
    say(
        f"seeded {data.tickets} tickets, {data.messages} messages, {data.events} events and "
        f"{data.customers} customers in {seed_seconds:.1f} s"
    )
    _analyze()

    from aftercare.accounts.services import api_token_create

    _token, key = api_token_create(user=data.agent, organization=data.organization, name="bench")
    context = Context(
        base_url="",
        token=key,
        session_cookie="",
        ticket_ids=data.ticket_ids,
        customer_ids=data.customer_ids,
    )
    queries = {
        scenario.name: _count_queries(scenario, context, data.agent) for scenario in SCENARIOS
    }
    from django.db import connections

    connections.close_all()

    port = _free_port()
    log_path = BENCH_DIR / "server.log"
    results: list[dict] = []
    problems: list[str] = []
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            _wait_until_up(server, base_url, log_path)
            cookie = _sign_in(base_url, data.agent.email, PASSWORD)
            context = Context(
                base_url=base_url,
                token=key,
                session_cookie=cookie,
                ticket_ids=data.ticket_ids,
                customer_ids=data.customer_ids,
            )
            for scenario in SCENARIOS:
                row, problem = _run_scenario(
                    wrk, scenario, context, settings, server.pid, queries[scenario.name]
                )
                results.append(row)
                if problem:
                    problems.append(f"{scenario.name}: {problem}")
                    say(f"{scenario.name}: NOT MEASURED ({problem})")
        finally:
            _stop(server)
    sla_rows, sla_problems, sla_run = _run_sla_scenarios(settings)
    results += sla_rows
    problems += sla_problems
    total_seconds = time.monotonic() - started
    _report(results, problems)
    _write_results(
        results,
        settings=settings,
        database_url=database_url,
        pg_version=pg_version,
        seed_seconds=seed_seconds,
        total_seconds=total_seconds,
        data=data,
        sla_run=sla_run,
    )
    say(
        f"done in {total_seconds:.0f} s (seeding {seed_seconds:.1f} s, SLA seeding "
        f"{sla_run['seed_seconds']:.1f} s); server log: {log_path}"
    )
    return 1 if problems else 0


def _run_sla_scenarios(settings: Settings) -> tuple[list[dict], list[str], dict]:
    """Seed the SLA organization, then time the real sweep: the backlog run, the same run
    again, and the run after a ten-minute outage. Returns rows, problems and run facts."""
    from django.utils import timezone

    from aftercare.tickets.models import Ticket
    from bench.seed import bench_seed_sla

    now = settings.sla_now or timezone.now()
    seed_started = time.monotonic()
    data = bench_seed_sla(tickets=settings.sla_tickets, now=now, progress=say)
    seed_seconds = time.monotonic() - seed_started
    say(
        f"seeded {data.tickets} open SLA tickets, {data.messages} messages and {data.events} "
        f"events in {seed_seconds:.1f} s"
    )
    _analyze()
    open_tickets = Ticket.objects.filter(organization=data.organization, is_open=True).count()
    rows: list[dict] = []
    problems: list[str] = []
    runs = zip(INPROCESS_SCENARIOS, (now, now, now + SLA_OUTAGE), strict=True)
    for name, at in runs:
        row = _timed_sweep(name, at=at, organization=data.organization, tickets=open_tickets)
        rows.append(row)
        say(
            f"{name}: {row['seconds']:.3f} s, {row['due_tickets']} due tickets, "
            f"{row['warnings']} warnings, {row['breaches']} breaches, "
            f"{row['queries_per_request']} queries"
        )
        if row.pop("_unrecorded"):
            problems.append(f"{name}: the marks written do not match what the sweep reported")
    backlog, repeat, _outage = rows
    if backlog["due_tickets"] == 0:
        say(
            "sla_sweep: nothing fell due in the last minute (the calendar is closed now?): the "
            "run measured an empty sweep; set BENCH_SLA_NOW to a working hour to load it"
        )
    if backlog["seconds"] >= SLA_SWEEP_LIMIT_SECONDS:
        problems.append(
            f"sla_sweep: took {backlog['seconds']:.2f} s over {open_tickets} open tickets "
            f"({backlog['due_tickets']} due); the limit is {SLA_SWEEP_LIMIT_SECONDS:.0f} s"
        )
    if repeat["due_tickets"] or repeat["warnings"] or repeat["breaches"]:
        problems.append(
            f"sla_sweep_repeat: the second run at the same instant recorded "
            f"{repeat['warnings']} warnings and {repeat['breaches']} breaches on "
            f"{repeat['due_tickets']} tickets; it must record nothing"
        )
    run = {
        "tickets": open_tickets,
        "now": now.isoformat(),
        "backlog_s": data.backlog.total_seconds(),
        "outage_s": SLA_OUTAGE.total_seconds(),
        "seed_seconds": round(seed_seconds, 1),
        "limit_s": SLA_SWEEP_LIMIT_SECONDS,
    }
    return rows, problems, run


def _timed_sweep(name: str, *, at: datetime.datetime, organization, tickets: int) -> dict:
    """One real `sla_sweep(now=at)`, timed, with its SQL statements counted."""
    from django.db import connection

    from aftercare.tickets.escalation.models import SlaMark
    from aftercare.tickets.escalation.sweep import sla_sweep

    marks = SlaMark.objects.filter(organization=organization)
    marks_before = marks.count()
    statements = 0

    def count(execute, sql, params, many, context):
        """Count each statement (an executemany is one)."""
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    # An execute wrapper, not CaptureQueriesContext: the debug cursor renders every statement
    # with its parameters (on SQLite by asking the database to quote them), which would be
    # timed along with the sweep. It counts the same statements.
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        result = sla_sweep(now=at)
        seconds = time.perf_counter() - started
    recorded = marks.count() - marks_before
    row = dict.fromkeys(RESULT_KEYS)
    row.update(
        scenario=name,
        tickets=tickets,
        p50_ms=round(seconds * 1000, 2),
        queries_per_request=statements,
        seconds=round(seconds, 4),
        due_tickets=result.tickets,
        warnings=result.warnings,
        breaches=result.breaches,
        _unrecorded=recorded != result.warnings + result.breaches + result.escalations,
    )
    return row


def _describe(database_url: str) -> str:
    """A one-line description of the database, for progress output."""
    parts = urllib.parse.urlsplit(database_url)
    if parts.scheme.startswith("sqlite"):
        return f"SQLite {sqlite3.sqlite_version} at /{parts.path.lstrip('/')}"
    return f"PostgreSQL database {parts.path.lstrip('/')} on {parts.hostname or 'local socket'}"


def _fresh_database(url: str) -> tuple[str, str | None]:
    """A database nobody else uses, emptied: a SQLite file, or aftercare_bench on PostgreSQL."""
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        path = BENCH_DIR / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}", None
    import dj_database_url
    import psycopg

    parsed = dj_database_url.parse(url)
    if (parsed.get("HOST") or "") not in LOOPBACK_HOSTS and not str(parsed["HOST"]).startswith("/"):
        raise SystemExit(
            f"The benchmark only talks to loopback; DATABASE_URL host is {parsed['HOST']}."
        )
    if parsed["NAME"] == PG_BENCH_DATABASE:
        raise SystemExit(
            f"DATABASE_URL already names {PG_BENCH_DATABASE}: point it at your usual database; "
            "the benchmark creates its own next to it."
        )
    connect = {
        "dbname": "postgres",
        "user": parsed.get("USER") or None,
        "password": parsed.get("PASSWORD") or None,
        "host": parsed.get("HOST") or None,
        "port": parsed.get("PORT") or None,
    }
    with psycopg.connect(**{k: v for k, v in connect.items() if v}, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_BENCH_DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_BENCH_DATABASE}"')
        version = conn.execute("SHOW server_version").fetchone()[0]
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{PG_BENCH_DATABASE}")), version


def _analyze() -> None:
    """PostgreSQL plans from statistics: gather them after the bulk load, as autovacuum would."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _count_queries(scenario: Scenario, context: Context, agent) -> int | None:
    """SQL queries of one representative request, after a warm-up, via Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    headers = {}
    if scenario.auth == "session":
        client.force_login(agent)
    else:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {context.token}"
    sample = scenario.sample(context)

    def call():
        """Send the sample request through the test client."""
        if sample.method == "GET":
            return client.get(sample.path, **headers)
        return client.generic(
            sample.method,
            sample.path,
            json.dumps(sample.body or {}),
            content_type="application/json",
            **headers,
        )

    call()
    with CaptureQueriesContext(connection) as captured:
        response = call()
    if not 200 <= response.status_code < 300:
        say(f"{scenario.name}: in-process request answered {response.status_code}")
        return None
    return len(captured.captured_queries)


def _free_port() -> int:
    """A port nobody listens on, on loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """An opener that reports redirects instead of following them."""

    def redirect_request(self, *args, **kwargs):
        """Do not follow: the caller wants the 3xx itself."""
        return None


def _http(url: str, *, method: str = "GET", headers: dict | None = None, body: bytes | None = None):
    """(status, body) of one request, redirects not followed."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _wait_until_up(server: subprocess.Popen, base_url: str, log_path: Path) -> None:
    """Return when the server answers HTTP; fail if it exits or takes too long."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server exited early:\n{log_path.read_text()[-3000:]}")
        try:
            _http(f"{base_url}/accounts/login/")
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The server did not answer within 90 s:\n{log_path.read_text()[-3000:]}")


def _sign_in(base_url: str, email: str, password: str) -> str:
    """A real sign-in through the login form; returns the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    login_url = f"{base_url}/accounts/login/"
    with opener.open(login_url, timeout=30) as response:
        page = response.read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if match is None:
        raise SystemExit("The login page has no CSRF token.")
    form = urllib.parse.urlencode(
        {"email": email, "password": password, "csrfmiddlewaretoken": match.group(1), "next": "/"}
    ).encode()
    request = urllib.request.Request(login_url, data=form, headers={"Referer": login_url})
    try:
        opener.open(request, timeout=30).close()
    except urllib.error.HTTPError as error:
        if error.code not in (301, 302, 303):
            raise SystemExit(f"Signing in failed with HTTP {error.code}.") from None
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit("Signing in did not give a session cookie.")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def _auth_headers(scenario: Scenario, context: Context) -> dict[str, str]:
    """The headers that authenticate a scenario's requests."""
    if scenario.auth == "session":
        return {"Cookie": context.session_cookie}
    return {"Authorization": f"Bearer {context.token}"}


def _run_scenario(
    wrk: str,
    scenario: Scenario,
    context: Context,
    settings: Settings,
    server_pid: int,
    queries: int | None,
) -> tuple[dict, str | None]:
    """Check one request answers 2xx, then load the server with wrk for the duration."""
    row = dict.fromkeys(RESULT_KEYS)
    row.update(scenario=scenario.name, tickets=settings.tickets, queries_per_request=queries)
    sample = scenario.sample(context)
    headers = _auth_headers(scenario, context)
    body = None
    if sample.body is not None:
        body = json.dumps(sample.body).encode()
        headers = {**headers, "Content-Type": "application/json"}
    status, _content = _http(
        context.base_url + sample.path, method=sample.method, headers=headers, body=body
    )
    if not 200 <= status < 300:
        return row, f"{sample.method} {sample.path} answered HTTP {status}"

    script = BENCH_DIR / f"{scenario.name}.lua"
    parts = [(LUA_DIR / "report.lua").read_text()]
    if scenario.script:
        parts.append((LUA_DIR / scenario.script).read_text())
    script.write_text("\n".join(parts))
    command = [
        wrk,
        f"-t{min(settings.threads, settings.connections)}",
        f"-c{settings.connections}",
        f"-d{settings.duration}s",
        "--timeout",
        "30s",
        "-s",
        str(script),
    ]
    for name, value in _auth_headers(scenario, context).items():
        command += ["-H", f"{name}: {value}"]
    command.append(context.base_url + sample.path)
    args = scenario.script_args(context)
    if args:
        command += ["--", *args]
    say(f"{scenario.name}: wrk {settings.connections} connections for {settings.duration} s")
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=settings.duration + 120, check=False
    )
    line = next(
        (item for item in completed.stdout.splitlines() if item.startswith("BENCH_RESULT ")), None
    )
    if completed.returncode != 0 or line is None:
        return row, f"wrk failed: {completed.stderr.strip() or completed.stdout.strip()}"
    measured = json.loads(line.removeprefix("BENCH_RESULT "))
    row.update(
        requests_per_s=round(measured["requests_per_s"], 1),
        p50_ms=round(measured["p50_ms"], 2),
        p95_ms=round(measured["p95_ms"], 2),
        p99_ms=round(measured["p99_ms"], 2),
        peak_rss_mb=_peak_rss_mb(server_pid),
    )
    errors = measured["unexpected_status"] + sum(
        measured[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts")
    )
    if errors:
        share = errors / max(1, measured["requests"])
        say(f"{scenario.name}: {errors} of {measured['requests']} requests failed ({share:.1%})")
        if share > 0.01:
            return row, f"{errors} of {measured['requests']} requests failed"
    return row, None


def _process_tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        for child in children.read_text().split():
            pids += _process_tree(int(child))
    return pids


def _peak_rss_mb(pid: int) -> float | None:
    """Peak resident memory (VmHWM) of the server and its worker processes, in MB."""
    total_kb = 0
    for member in _process_tree(pid):
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        if match:
            total_kb += int(match.group(1))
    return round(total_kb / 1024, 1) if total_kb else None


def _stop(server: subprocess.Popen) -> None:
    """Stop the server and anything it started (its own process group)."""
    if server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)
    except ProcessLookupError:
        pass


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


def _report(results: list[dict], problems: list[str]) -> None:
    """Print the results table, the SLA sweep's details, and what failed or was not measured."""
    headers = ["scenario", "tickets", "req/s", "p50 ms", "p95 ms", "p99 ms", "queries/req"]
    headers.append("peak RSS MB")
    if results:
        _table(headers, [[_cell(row[key]) for key in RESULT_KEYS] for row in results])
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
    for problem in problems:
        measured = problem.split(":", 1)[0] in INPROCESS_SCENARIOS
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
    sla_run: dict,
) -> None:
    """Write latest.json (one object per scenario) and machine.json."""
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
        "connections": settings.connections,
        "wrk_threads": min(settings.threads, settings.connections),
        "server": "manage.py serve, 1 uvicorn worker, DEBUG off, access log off",
        "seed_seconds": round(seed_seconds, 1),
        "total_seconds": round(total_seconds, 1),
        "sla": sla_run,
    }
    (RESULTS_DIR / "machine.json").write_text(json.dumps(machine, indent=2) + "\n")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        say("interrupted")
        sys.exit(130)
