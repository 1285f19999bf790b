"""The in-process cost of each scenario, measured in a fresh Python process as a web process
would be (`python -m bench.inproc '<json>'`, run by bench/run.py with the server's environment).

It times INPROCESS_ROUNDS rounds at once and prints BENCH_INPROC_READY; then one more round for
each line `round` on its standard input (answered by BENCH_INPROC_ROUND), and at the end of its
input, the costs as one line BENCH_INPROC {json}.

Measured in the process that seeded 100000 tickets, the same request took about 20 % longer than
in a fresh one: the seeding's leftovers are not what a web process carries.
"""

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str], rounds_asked: TextIO | None = None) -> int:
    """Print one JSON object: scenario name -> {queries, median_ms}; more rounds are asked for
    on `rounds_asked` (standard input by default)."""
    request = json.loads(argv[0])
    import django

    django.setup()
    from aftercare.lib.serving import freeze_startup_objects

    freeze_startup_objects()  # as each web process does once started (aftercare/asgi.py)
    from aftercare.accounts.models import User
    from bench.http_load import INPROCESS_ROUNDS, SCENARIOS, Context, InProcessMeter

    agent = User.objects.get(email=request["agent_email"])
    context = Context(
        base_url="",
        token=request["token"],
        session_cookie="",
        ticket_ids=tuple(request["ticket_ids"]),
        customer_ids=tuple(request["customer_ids"]),
        warranty_slug=request.get("warranty_slug", ""),
        warranty_checks=tuple(request.get("warranty_checks", ())),
        search_token=request.get("search_token", ""),
        search_queries=tuple(request.get("search_queries", ())),
    )
    wanted = set(request["scenarios"])
    meter = InProcessMeter(
        [scenario for scenario in SCENARIOS if scenario.name in wanted], context, agent
    )
    for _round in range(INPROCESS_ROUNDS):
        meter.round()
    print("BENCH_INPROC_READY", flush=True)
    for line in rounds_asked if rounds_asked is not None else sys.stdin:
        if line.strip() == "round":
            meter.round()
            print("BENCH_INPROC_ROUND", flush=True)
    costs = {name: asdict(cost) for name, cost in meter.costs().items()}
    print("BENCH_INPROC " + json.dumps(costs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
