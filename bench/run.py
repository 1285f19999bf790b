"""`make bench`: seed a fresh database, serve it as `make run` does, measure it with wrk; then
measure the SLA sweep in-process on an organization of its own.

Environment: BENCH_TICKETS (100000), BENCH_CUSTOMERS (2000), BENCH_DURATION seconds per scenario
(10), BENCH_CONNECTIONS (16), BENCH_THREADS (wrk threads, 2), BENCH_SLA_TICKETS (open requests of
the SLA organization, 100000), BENCH_SLA_NOW (the instant the sweep runs at, ISO 8601 with an
offset; by default the last Saturday 11:12:30 in Tehran, the burst described below),
DATABASE_URL (a fresh SQLite file under var/bench/ by default; with a PostgreSQL URL, a fresh
database named aftercare_bench on that server). Prints a table and writes
bench/results/latest.json and machine.json.

To add a scenario, append a `Scenario` to SCENARIOS in bench/http_load.py: a name, how it
authenticates, one representative request (used for the pre-flight check and the SQL query count)
and, when each request must differ, a Lua script under bench/lua/ defining `request()`.

The SLA scenarios (INPROCESS_SCENARIOS, bench/sla_sweep.py) run after the server has stopped, so
they neither load it nor grow its tables while wrk measures. `sla_sweep` is the real `sla_sweep`
over requests whose clocks were swept until a minute earlier (four missed 15 s runs), at the
busiest regular moment of the Iranian week: Saturday 11:12:30, when every request that arrived
over the Thursday-afternoon and Friday closure reaches its first-response warning at once (08:00
opening + 80 % of 4 h). `sla_sweep_repeat` runs it again at once and must record nothing;
`sla_sweep_10min_outage` runs it ten minutes later, as after an outage. `sla_sweep` must take
under 2 s.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

# `python bench/run.py` works as well as `python -m bench.run`.
if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_DIR, ROOT, _settings, say
from bench.database import _analyze, _describe, _fresh_database
from bench.http_load import (
    SCENARIOS,
    Context,
    _count_queries,
    _free_port,
    _run_scenario,
    _sign_in,
    _stop,
    _wait_until_up,
)
from bench.report import _report, _write_results
from bench.sla_sweep import _run_sla_scenarios

PASSWORD = "bench-password-not-secret"


def main() -> int:
    """Run every scenario and report; non-zero when a scenario could not be measured."""
    started = time.monotonic()
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


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        say("interrupted")
        sys.exit(130)
