"""The HTTP runner's measurements: a process tree's peak memory and a request's in-process cost."""

import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from aftercare.accounts.services import api_token_create
from aftercare.tickets.models import Ticket
from bench.http_load import (
    INPROCESS_ROUNDS,
    INPROCESS_TIMED,
    INPROCESS_WARMUP,
    SCENARIOS,
    Context,
    InProcess,
    Sample,
    Scenario,
    _measure_inprocess,
    _peak_rss_mb,
    _process_tree,
)
from bench.seed import bench_seed

# A process that holds BALLAST_MB of its own, starts two copies of itself at depth - 1 (one from
# its main thread, one from another thread, as a supervisor may), prints its tree's process ids
# once they are all up, and waits until its standard input closes.
TREE_SCRIPT = """
import os, subprocess, sys, threading
depth = int(sys.argv[1])
ballast = b"x" * ({ballast} << 20)
children = []

def spawn():
    children.append(
        subprocess.Popen(
            [sys.executable, __file__, str(depth - 1)], stdout=subprocess.PIPE, text=True
        )
    )

if depth:
    spawn()
    thread = threading.Thread(target=spawn)
    thread.start()
    thread.join()
pids = [str(os.getpid())]
for child in children:
    pids += child.stdout.readline().split()
print(" ".join(pids), flush=True)
sys.stdin.read()
for child in children:
    child.wait()
"""


BALLAST_MB = 20


def _own_peak_mb(pid: int) -> float:
    """One process's own peak resident memory, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmHWM for {pid}")


def test_peak_rss_sums_the_server_and_all_its_descendants(tmp_path):
    script = tmp_path / "tree.py"
    script.write_text(TREE_SCRIPT.format(ballast=BALLAST_MB))
    root = subprocess.Popen(
        [sys.executable, str(script), "2"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        pids = {int(pid) for pid in root.stdout.readline().split()}

        tree = _process_tree(root.pid)
        peaks = {pid: _own_peak_mb(pid) for pid in pids}
        total = _peak_rss_mb(root.pid)

        assert len(pids) == 7 and root.pid in pids
        assert sorted(tree) == sorted(pids)
        assert all(peak >= BALLAST_MB for peak in peaks.values())
        assert abs(total - sum(peaks.values())) < 1
        assert total > 6 * peaks[root.pid]
    finally:
        root.stdin.close()
        try:
            root.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(root.pid, signal.SIGKILL)
            root.wait()


def _context(data) -> Context:
    """What the scenarios need, with an API token of the seeded agent."""
    _token, key = api_token_create(user=data.agent, organization=data.organization, name="bench")
    return Context(
        base_url="",
        token=key,
        session_cookie="",
        ticket_ids=data.ticket_ids,
        customer_ids=data.customer_ids,
    )


def test_inprocess_measure_counts_statements_and_times_every_request(db):
    data = bench_seed(tickets=60, customers=10, password="bench-pass")
    context = _context(data)
    scenarios = {scenario.name: scenario for scenario in SCENARIOS}
    tickets_before = Ticket.objects.count()

    costs = _measure_inprocess(
        [scenarios["intake_api"], scenarios["queue_page"]], context, data.agent, rounds=3
    )

    # Every request went through: the warm-up, the counted one and the timed ones of each round.
    created = Ticket.objects.count() - tickets_before
    assert created == INPROCESS_WARMUP + 1 + INPROCESS_TIMED * 3
    assert set(costs) == {"intake_api", "queue_page"}
    for measured in costs.values():
        assert isinstance(measured.queries, int) and measured.queries > 0
        assert isinstance(measured.median_ms, float) and measured.median_ms > 0


def test_inprocess_measure_gives_nothing_when_the_request_fails(db):
    data = bench_seed(tickets=10, customers=5, password="bench-pass")
    missing = Scenario(
        name="missing_ticket",
        auth="token",
        sample=lambda context: Sample("GET", f"/api/v1/tickets/{context.ticket_ids[1] + 999}"),
    )

    costs = _measure_inprocess([missing], _context(data), data.agent)
    assert costs == {"missing_ticket": InProcess()}


def test_the_fresh_process_measure_prints_each_scenario_it_was_asked_for(db, capsys):
    from bench import inproc

    data = bench_seed(tickets=20, customers=5, password="bench-pass")
    context = _context(data)
    request = {
        "agent_email": data.agent.email,
        "token": context.token,
        "ticket_ids": list(context.ticket_ids),
        "customer_ids": list(context.customer_ids),
        "scenarios": ["queue_page", "api_list"],
    }

    tickets_before = Ticket.objects.count()

    assert inproc.main([json.dumps(request)], io.StringIO("round\nround\n")) == 0

    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-4:-1] == ["BENCH_INPROC_READY", "BENCH_INPROC_ROUND", "BENCH_INPROC_ROUND"]
    costs = json.loads(lines[-1].removeprefix("BENCH_INPROC "))
    assert sorted(costs) == ["api_list", "queue_page"]
    assert all(cost["queries"] > 0 and cost["median_ms"] > 0 for cost in costs.values())
    assert Ticket.objects.count() == tickets_before  # neither scenario writes


def test_the_fresh_process_measures_its_rounds_when_asked(db, capsys):
    from bench import inproc

    data = bench_seed(tickets=10, customers=5, password="bench-pass")
    context = _context(data)
    request = {
        "agent_email": data.agent.email,
        "token": context.token,
        "ticket_ids": list(context.ticket_ids),
        "customer_ids": list(context.customer_ids),
        "scenarios": ["intake_api"],
    }
    tickets_before = Ticket.objects.count()

    assert inproc.main([json.dumps(request)], io.StringIO("round\n")) == 0

    # The warm-up, the counted request, the rounds at start and the one asked for.
    created = Ticket.objects.count() - tickets_before
    assert created == INPROCESS_WARMUP + 1 + INPROCESS_TIMED * (INPROCESS_ROUNDS + 1)
