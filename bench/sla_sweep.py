"""The in-process SLA scenarios: the real `sla_sweep` over the SLA organization, timed: the
backlog run, the same run again, and the run after a ten-minute outage."""

import datetime
import time

from bench.common import RESULT_KEYS, Settings, say
from bench.database import _analyze, _timed_call

INPROCESS_SCENARIOS = ("sla_sweep", "sla_sweep_repeat", "sla_sweep_10min_outage")


# In-process rows carry these besides RESULT_KEYS (their duration is also in p50_ms).
SLA_EXTRA_KEYS = ("seconds", "due_tickets", "warnings", "breaches")


SLA_SWEEP_LIMIT_SECONDS = 2.0


SLA_OUTAGE = datetime.timedelta(minutes=10)


def _run_sla_scenarios(settings: Settings) -> tuple[list[dict], list[str], dict]:
    """Seed the SLA organization, then time the real sweep: the backlog run, the same run
    again, and the run after a ten-minute outage. Returns rows, problems and run facts."""
    from django.utils import timezone

    from aftercare.tickets.models import Ticket
    from bench.seed_sla import bench_seed_sla

    now = settings.sla_now or timezone.now()
    seed_started = time.monotonic()
    data = bench_seed_sla(tickets=settings.sla_tickets, now=now, progress=say)
    seed_seconds = time.monotonic() - seed_started
    say(
        f"seeded {data.tickets} open SLA tickets, {data.messages} messages and {data.events} "
        f"events in {seed_seconds:.1f} s"
    )
    _analyze()
    # The scheduler that runs the sweep has loaded the URLs (the live notices link each request)
    # since its first run; this process, which never served a page, has not: importing every
    # app's views and compiling the routes took 0.3 s of the first sweep's time.
    from django.urls import reverse

    reverse("tickets:detail", args=[1])
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
    from aftercare.tickets.escalation.models import SlaMark
    from aftercare.tickets.escalation.sweep import sla_sweep

    marks = SlaMark.objects.filter(organization=organization)
    marks_before = marks.count()
    result, seconds, statements = _timed_call(lambda: sla_sweep(now=at))
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
