"""`make bench`: seed a fresh database, measure each HTTP scenario in-process, serve the database
as `make run` does and measure it with wrk at each connection count; then measure the SLA sweep
in-process on an organization of its own.

Environment:
- BENCH_TICKETS (100000) and BENCH_CUSTOMERS (2000): the measured organization's size.
- BENCH_DURATION: seconds of each wrk run (10).
- BENCH_CONNECTIONS: wrk's connection counts, comma-separated ("4,16"); each HTTP scenario runs
  at each of them in turn, one row per run.
- BENCH_THREADS: wrk threads (2; never more than the connections).
- BENCH_SERVER_ARGS: more `manage.py serve` arguments, split as a shell would and appended to
  `--host 127.0.0.1 --port P --no-access-log --log-level warning`, to compare candidates, e.g.
  BENCH_SERVER_ARGS="--workers 4".
- BENCH_SCENARIOS: the scenarios to run, comma-separated (all of them by default): intake_api,
  queue_page, ticket_page, api_list, sla_sweep, sla_sweep_repeat, sla_sweep_10min_outage. The
  three SLA scenarios are one sequence: naming any of them runs all three; naming none skips
  the SLA seeding. The measured organization is seeded whatever runs.
- BENCH_SLA_TICKETS: open requests of the SLA organization (100000).
- BENCH_SLA_NOW: the instant the sweep runs at, ISO 8601 with an offset; by default the last
  Saturday 11:12:30 in Tehran, the burst described below.
- DATABASE_URL: a fresh SQLite file under var/bench/ by default; with a PostgreSQL URL, a fresh
  database named aftercare_bench on that server. Always fresh: a database that a run has used
  holds the tickets intake_api created and the marks the sweep recorded, so it cannot be reused.
Prints a table and writes bench/results/latest.json and machine.json.

Each row: requests/s and latency percentiles from wrk; `inproc_ms`, the time of one request
through Django's test client in a fresh process before the server starts (after 5 to warm up,
5 rounds of 20 with the scenarios taking turns; the lowest of the rounds' medians, since the
machine's slow spells only add time; the log shows the range), and `queries_per_request`, its
SQL statements; `peak_rss_mb`, the sum of the peak
resident memory of the server and all its descendant processes (uvicorn's workers), since the
server started. The SLA rows have neither `connections` nor `inproc_ms` (null).

To add a scenario, append a `Scenario` to SCENARIOS in bench/http_load.py: a name, how it
authenticates, one representative request (used for the pre-flight check, the SQL query count
and the in-process time) and, when each request must differ, a Lua script under bench/lua/
defining `request()`.

The SLA scenarios (INPROCESS_SCENARIOS, bench/sla_sweep.py) run after the server has stopped, so
they neither load it nor grow its tables while wrk measures. `sla_sweep` is the real `sla_sweep`
over requests whose clocks were swept until a minute earlier (four missed 15 s runs), at the
busiest regular moment of the Iranian week: Saturday 11:12:30, when every request that arrived
over the Thursday-afternoon and Friday closure reaches its first-response warning at once (08:00
opening + 80 % of 4 h). `sla_sweep_repeat` runs it again at once and must record nothing;
`sla_sweep_10min_outage` runs it ten minutes later, as after an outage. `sla_sweep` must take
under 2 s.
"""

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

# `python bench/run.py` works as well as `python -m bench.run`.
if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_DIR, ROOT, SERVER_ARGS, Settings, _settings, say
from bench.database import _analyze, _describe, _fresh_database
from bench.http_load import (
    SCENARIOS,
    Context,
    InProcess,
    Scenario,
    _free_port,
    _run_scenario,
    _sign_in,
    _stop,
    _wait_until_up,
)
from bench.report import _report, _write_results
from bench.sla_sweep import INPROCESS_SCENARIOS, _run_sla_scenarios

PASSWORD = "bench-password-not-secret"


SERVER_LOG = BENCH_DIR / "server.log"


def main() -> int:
    """Run the chosen scenarios and report; non-zero when a scenario could not be measured."""
    started = time.monotonic()
    settings = _settings()
    http_scenarios = [scenario for scenario in SCENARIOS if settings.runs(scenario.name)]
    wrk = shutil.which("wrk")
    if http_scenarios and wrk is None:
        print(
            "wrk is not installed. Install it with:\n    sudo apt-get install -y wrk",
            file=sys.stderr,
        )
        return 2
    env, database_url, pg_version = _prepare(settings)
    data, seed_seconds = _seed(settings)
    results: list[dict] = []
    problems: list[str] = []
    if http_scenarios:
        results, problems = _measure_http(wrk, http_scenarios, settings, env=env, data=data)
    sla_run = None
    if any(settings.runs(name) for name in INPROCESS_SCENARIOS):
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
    sla_seeding = f", SLA seeding {sla_run['seed_seconds']:.1f} s" if sla_run else ""
    say(
        f"done in {total_seconds:.0f} s (seeding {seed_seconds:.1f} s{sla_seeding}); "
        f"server log: {SERVER_LOG}"
    )
    return 1 if problems else 0


def _prepare(settings: Settings) -> tuple[dict[str, str], str, str | None]:
    """A fresh database, migrated, and the environment the server will run in (this process
    takes it too). Returns the environment, the database URL and PostgreSQL's version."""
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
    return env, database_url, pg_version


def _seed(settings: Settings):
    """Seed the measured organization (whichever scenarios run, so that the SLA sweep always
    meets tables of the same size); returns its data and the seconds it took."""
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
    return data, seed_seconds


def _server_command(settings: Settings, port: int) -> list[str]:
    """`manage.py serve` as `make run` starts it, on loopback at `port`, not logging requests,
    with BENCH_SERVER_ARGS appended."""
    return [
        sys.executable,
        "manage.py",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *SERVER_ARGS,
        *settings.server_args,
    ]


def _measure_http(
    wrk: str, scenarios: list[Scenario], settings: Settings, *, env: dict[str, str], data
) -> tuple[list[dict], list[str]]:
    """Measure each scenario in-process, then serve the database and load it with wrk.
    Returns the result rows and the problems."""
    from django.db import connections

    from aftercare.accounts.services import api_token_create

    _token, key = api_token_create(user=data.agent, organization=data.organization, name="bench")
    context = Context(
        base_url="",
        token=key,
        session_cookie="",
        ticket_ids=data.ticket_ids,
        customer_ids=data.customer_ids,
    )
    connections.close_all()
    # Before the server starts, so that it does not compete for the CPU.
    inprocess = _measure_inprocess_fresh(scenarios, context, data.agent.email, env)
    port = _free_port()
    with SERVER_LOG.open("w") as log:
        server = subprocess.Popen(
            _server_command(settings, port),
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            _wait_until_up(server, base_url, SERVER_LOG)
            cookie = _sign_in(base_url, data.agent.email, PASSWORD)
            context = dataclasses.replace(context, base_url=base_url, session_cookie=cookie)
            return _load(wrk, scenarios, context, settings, server.pid, inprocess)
        finally:
            _stop(server)


def _measure_inprocess_fresh(
    scenarios: list[Scenario], context: Context, agent_email: str, env: dict[str, str]
) -> dict[str, InProcess]:
    """Each scenario's in-process cost, measured by bench/inproc.py in a fresh process."""
    request = {
        "agent_email": agent_email,
        "token": context.token,
        "ticket_ids": list(context.ticket_ids),
        "customer_ids": list(context.customer_ids),
        "scenarios": [scenario.name for scenario in scenarios],
    }
    result = subprocess.run(
        [sys.executable, "-m", "bench.inproc", json.dumps(request)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    line = next(
        (row for row in result.stdout.splitlines() if row.startswith("BENCH_INPROC ")), None
    )
    for row in result.stderr.splitlines():
        if row.startswith("[bench "):
            print(row, file=sys.stderr, flush=True)  # the child's progress: each round range
    if result.returncode != 0 or line is None:
        say(f"in-process measurement failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        return {scenario.name: InProcess() for scenario in scenarios}
    costs = json.loads(line.removeprefix("BENCH_INPROC "))
    return {name: InProcess(**cost) for name, cost in costs.items()}


def _load(
    wrk: str,
    scenarios: list[Scenario],
    context: Context,
    settings: Settings,
    server_pid: int,
    inprocess: dict[str, InProcess],
) -> tuple[list[dict], list[str]]:
    """Load the server with each scenario at each of BENCH_CONNECTIONS in turn (a scenario's
    runs one after the other). Returns the result rows and the problems."""
    results: list[dict] = []
    problems: list[str] = []
    for scenario in scenarios:
        for connections in settings.connections:
            row, problem = _run_scenario(
                wrk,
                scenario,
                context,
                settings,
                connections=connections,
                server_pid=server_pid,
                inprocess=inprocess[scenario.name],
            )
            results.append(row)
            if problem:
                problems.append(f"{scenario.name} at {connections} connections: {problem}")
                say(f"{scenario.name} at {connections} connections: NOT MEASURED ({problem})")
    return results, problems


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        say("interrupted")
        sys.exit(130)
