"""The HTTP scenarios and their runner: sign in, check one request, count its SQL queries and
time it in-process, load the server with wrk and read the peak memory of the server's processes."""

import http.cookiejar
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import BENCH_DIR, LUA_DIR, RESULT_KEYS, Settings, say


@dataclass(frozen=True)
class Context:
    """What scenarios need to build their requests."""

    base_url: str
    token: str
    session_cookie: str
    ticket_ids: tuple[int, int]
    customer_ids: tuple[int, int]
    # warranty_check: the portal slug of the warranty bench's organization and the ?serial=
    # values to look up, percent-encoded; the first is the sample (bench/seed_units.py).
    warranty_slug: str = ""
    warranty_checks: tuple[str, ...] = ()
    # search: an API token of the search bench's organization and the ?q= values to ask for,
    # percent-encoded; the first is the sample (bench/seed_search.py).
    search_token: str = ""
    search_queries: tuple[str, ...] = ()


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
    # "token" (API bearer token), "session" (signed-in agent's cookie) or "none" (a public page)
    auth: str
    sample: Callable[[Context], Sample]
    script: str | None = None  # a Lua file in bench/lua/ defining request()
    script_args: Callable[[Context], list[str]] = field(default=lambda context: [])
    # The bearer token of an "token" scenario: the measured organization's unless it names
    # another organization's (search runs on the search bench's).
    token: Callable[[Context], str] = field(default=lambda context: context.token)


def _middle_ticket(context: Context) -> int:
    """A ticket id in the middle of the data set."""
    return (context.ticket_ids[0] + context.ticket_ids[1]) // 2


def _warranty_check_path(context: Context, serial: str) -> str:
    """The public warranty check of the warranty bench's organization for one ?serial= value."""
    return f"/portal/{context.warranty_slug}/warranty-check/?serial={serial}"


def _warranty_check_list(context: Context) -> list[str]:
    """wrk's argument for warranty_check: a file of the paths to request, one a line (written
    under BENCH_DIR: Lua reads it at start)."""
    path = BENCH_DIR / "warranty_check_paths.txt"
    paths = [_warranty_check_path(context, serial) for serial in context.warranty_checks]
    path.write_text("\n".join(paths) + "\n")
    return [str(path)]


def _search_path(query: str) -> str:
    """The API search of requests for one ?q= value (percent-encoded). `kind=request`: the
    requests' search box asks for that kind, and issue 12 measures one word over the requests;
    without it the same lookup also asks for customers, units and articles."""
    return f"/api/v1/search/?q={query}&kind=request"


def _search_list(context: Context) -> list[str]:
    """wrk's argument for search: a file of the paths to request, one a line (under BENCH_DIR):
    every query word once, the sample with them."""
    path = BENCH_DIR / "search_paths.txt"
    path.write_text("\n".join(_search_path(query) for query in context.search_queries) + "\n")
    return [str(path)]


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
    Scenario(
        name="warranty_check",
        auth="none",
        sample=lambda c: Sample("GET", _warranty_check_path(c, c.warranty_checks[0])),
        script="warranty_check.lua",
        script_args=_warranty_check_list,
    ),
    Scenario(
        name="search",
        auth="token",
        token=lambda c: c.search_token,
        sample=lambda c: Sample("GET", _search_path(c.search_queries[0])),
        script="search.lua",
        script_args=_search_list,
    ),
]

# The HTTP scenarios that need the warranty bench's organization (bench/seed_units.py).
WARRANTY_HTTP_SCENARIOS = ("warranty_check",)

# The HTTP scenarios that need the search bench's organization (bench/seed_search.py).
SEARCH_HTTP_SCENARIOS = ("search",)


# In-process timing: requests sent first to warm caches and connections, then the requests timed.
INPROCESS_WARMUP = 5


INPROCESS_TIMED = 20
# Timed in rounds, the scenarios taking turns: this machine has slow spells of seconds to minutes,
# and noise only ever adds time, so the lowest of the rounds' medians is the request's cost.
# `make bench` times INPROCESS_ROUNDS rounds before the server starts and one more after each
# wrk run (the server idle then), so the rounds spread over the whole run, not one spell.
INPROCESS_ROUNDS = 2


@dataclass(frozen=True)
class InProcess:
    """A scenario's cost without the server: SQL statements of one request, median milliseconds."""

    queries: int | None = None
    median_ms: float | None = None


def _test_client_call(scenario: Scenario, context: Context, agent) -> Callable:
    """A function that sends the scenario's sample request through Django's test client."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    headers = {}
    if scenario.auth == "session":
        client.force_login(agent)
    elif scenario.auth == "token":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {scenario.token(context)}"
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

    return call


class InProcessMeter:
    """The scenarios' cost in this process, via Django's test client: made after a warm-up and
    the count of one request's SQL statements; each `round()` then times INPROCESS_TIMED
    requests of each scenario in turn; `costs()` gives each the lowest of its rounds' medians."""

    def __init__(self, scenarios: list[Scenario], context: Context, agent) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.calls = {s.name: _test_client_call(s, context, agent) for s in scenarios}
        self.queries: dict[str, int] = {}
        self.failed: dict[str, set[int]] = {name: set() for name in self.calls}
        self.medians: dict[str, list[float]] = {name: [] for name in self.calls}
        for name, call in self.calls.items():
            for _ in range(INPROCESS_WARMUP):
                call()
            # Counted apart from the timed requests: the debug cursor that records them costs time.
            with CaptureQueriesContext(connection) as captured:
                response = call()
            # Read now: every request (request_started) empties the connection's query log.
            self.queries[name] = len(captured.captured_queries)
            if not 200 <= response.status_code < 300:
                self.failed[name].add(response.status_code)

    def round(self) -> None:
        """Time INPROCESS_TIMED requests of each scenario that has not failed, one after another."""
        for name, call in self.calls.items():
            if self.failed[name]:
                continue
            timings = []
            for _ in range(INPROCESS_TIMED):
                started = time.perf_counter()
                response = call()
                timings.append(time.perf_counter() - started)
                if not 200 <= response.status_code < 300:
                    self.failed[name].add(response.status_code)
            self.medians[name].append(statistics.median(timings) * 1000)

    def costs(self) -> dict[str, InProcess]:
        """Each scenario's statements and lowest round median; nothing for a failed one."""
        costs = {}
        for name in self.calls:
            medians = self.medians[name]
            if self.failed[name] or not medians:
                if self.failed[name]:
                    say(f"{name}: in-process requests answered {sorted(self.failed[name])}")
                costs[name] = InProcess()
                continue
            low, high = min(medians), max(medians)
            say(
                f"{name}: in-process {low:.2f} ms (medians of {len(medians)} rounds "
                f"{low:.2f}-{high:.2f} ms)"
            )
            costs[name] = InProcess(queries=self.queries[name], median_ms=round(low, 2))
        return costs


def _measure_inprocess(
    scenarios: list[Scenario], context: Context, agent, *, rounds: int = INPROCESS_ROUNDS
) -> dict[str, InProcess]:
    """The scenarios' in-process costs from `rounds` rounds timed one after another."""
    meter = InProcessMeter(scenarios, context, agent)
    for _round in range(rounds):
        meter.round()
    return meter.costs()


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
    if scenario.auth == "none":
        return {}
    return {"Authorization": f"Bearer {scenario.token(context)}"}


def _wrk_run(
    wrk: str, scenario: Scenario, context: Context, settings: Settings, *, connections: int
) -> tuple[dict | None, str | None]:
    """Load the server with wrk at `connections` connections for the duration. Returns wrk's
    measurements (None when it failed) and what went wrong, if anything."""
    command = _wrk_command(wrk, scenario, context, settings, connections=connections)
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=settings.duration + 120, check=False
    )
    line = next(
        (item for item in completed.stdout.splitlines() if item.startswith("BENCH_RESULT ")), None
    )
    if completed.returncode != 0 or line is None:
        return None, f"wrk failed: {completed.stderr.strip() or completed.stdout.strip()}"
    measured = json.loads(line.removeprefix("BENCH_RESULT "))
    say(
        f"{scenario.name}: {connections} connections, {measured['requests_per_s']:.1f} req/s, "
        f"p99 {measured['p99_ms']:.1f} ms"
    )
    return measured, _failures(scenario, measured)


def _row(
    scenario: Scenario, settings: Settings, *, connections: int, runs: list[dict], server_pid: int
) -> dict:
    """The result row of a scenario at one connection count: the median of its runs'
    requests/s and of each latency percentile, every run's requests/s, and the server's peak
    memory so far (the runs' values None when none was measured)."""
    row = dict.fromkeys(RESULT_KEYS)
    row.update(scenario=scenario.name, tickets=settings.tickets, connections=connections)
    if not runs:
        return row
    row.update(
        requests_per_s=round(statistics.median(run["requests_per_s"] for run in runs), 1),
        p50_ms=round(statistics.median(run["p50_ms"] for run in runs), 2),
        p95_ms=round(statistics.median(run["p95_ms"] for run in runs), 2),
        p99_ms=round(statistics.median(run["p99_ms"] for run in runs), 2),
        peak_rss_mb=_peak_rss_mb(server_pid),
        requests_per_s_runs=[round(run["requests_per_s"], 1) for run in runs],
    )
    return row


def _check_sample(scenario: Scenario, context: Context) -> str | None:
    """Send the scenario's sample request to the server; what is wrong when it is not 2xx."""
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
        return f"{sample.method} {sample.path} answered HTTP {status}"
    return None


def _wrk_command(
    wrk: str, scenario: Scenario, context: Context, settings: Settings, *, connections: int
) -> list[str]:
    """The wrk command line of one run, its Lua script written under BENCH_DIR."""
    script = BENCH_DIR / f"{scenario.name}.lua"
    parts = [(LUA_DIR / "report.lua").read_text()]
    if scenario.script:
        parts.append((LUA_DIR / scenario.script).read_text())
    script.write_text("\n".join(parts))
    command = [
        wrk,
        f"-t{min(settings.threads, connections)}",
        f"-c{connections}",
        f"-d{settings.duration}s",
        "--timeout",
        "30s",
        "-s",
        str(script),
    ]
    for name, value in _auth_headers(scenario, context).items():
        command += ["-H", f"{name}: {value}"]
    command.append(context.base_url + scenario.sample(context).path)
    args = scenario.script_args(context)
    if args:
        command += ["--", *args]
    return command


def _failures(scenario: Scenario, measured: dict) -> str | None:
    """What is wrong with a wrk run: more than 1 % of its requests failed or answered non-2xx."""
    errors = measured["unexpected_status"] + sum(
        measured[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts")
    )
    if not errors:
        return None
    share = errors / max(1, measured["requests"])
    say(f"{scenario.name}: {errors} of {measured['requests']} requests failed ({share:.1%})")
    if share > 0.01:
        return f"{errors} of {measured['requests']} requests failed"
    return None


def _parents() -> dict[int, int]:
    """The parent of every process in /proc, by process id."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # it exited meanwhile
        # The command name, in parentheses, may hold spaces and parentheses itself: the state
        # and the parent's id are the first two fields after the last ")".
        fields = text.rpartition(")")[2].split()
        parents[int(stat.parent.name)] = int(fields[1])
    return parents


def _process_tree(pid: int) -> list[int]:
    """A process and all its descendants (a supervisor's uvicorn workers and what they start).

    Found from every process's parent in /proc/<pid>/stat: /proc/<pid>/task/<tid>/children
    exists only on kernels built with CONFIG_PROC_CHILDREN."""
    children: dict[int, list[int]] = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    tree = [pid]
    waiting = [pid]
    while waiting:
        found = children.get(waiting.pop(), [])
        tree += found
        waiting += found
    return tree


def _peak_rss_mb(pid: int) -> float | None:
    """Peak resident memory of the server and all its descendants, in MB: the sum of each
    process's own peak since it started (VmHWM), which is never below the peak of their total
    (the processes need not peak at once, and pages they share count once per process)."""
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
