"""When each demo request's steps happen, planned in the organization's business calendar against
the SLA policy that will measure it, so that as of the moment the demo is seeded most open
requests are on track, some at risk and a few breached, and most finished ones met their targets.

The SLA engine counts a seeded request from its timestamps (`sla_rebuild`): business time from
its creation to its first reply, to the customer's last message waiting for an answer, to its
resolution or to now. So the plan works backwards in business time: an open request meant to
stand at 40 % of its resolution target was created 40 % of that target before now (nights,
weekends and holidays of the calendar skipped), and a finished one was resolved that share of its
target after it was created. Steps between those points keep the old plan's proportions.
"""

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass

from aftercare.lib.vocabulary import Status
from aftercare.sla import clock
from aftercare.sla.businesstime import BusinessCalendar, business_add, working_intervals
from aftercare.sla.selectors import SlaSnapshot

# How an open request stands as of now, and how a finished one ended.
ON_TRACK = "on_track"
AT_RISK = "at_risk"
BREACHED = "breached"
MET = "met"
MISSED = "missed"

# Where the request stands against the target that binds it, as a share of that target. Policies
# warn at 80 %; the demo keeps away from that line and from 100 %, so that the state it meant holds
# a while after seeding (VIP requests' targets are short).
SHARE = {
    ON_TRACK: (0.06, 0.6),
    AT_RISK: (0.84, 0.92),
    BREACHED: (1.1, 1.6),
    MET: (0.2, 0.9),
    MISSED: (1.1, 1.6),
}
# How soon the first reply comes, as a share of the first-response target (on time, and late).
FIRST_REPLY = (0.2, 0.85)
LATE_FIRST_REPLY = (1.15, 1.8)
# How long a customer's last message has waited for an answer, as a share of the next-response
# target, when the request is not late.
WAITING = (0.05, 0.55)
# Hours between a step and the one before it: within a request's business time these are
# proportions; after the resolution (the customer confirms, staff close) they are clock hours.
GAP_HOURS = {
    "triage": (0.05, 2),
    "reply": (0.3, 8),
    "info": (0.5, 10),
    "note": (0.2, 12),
    "call": (0.5, 24),
    "customer": (3, 40),
    "progress": (4, 48),
    "hold": (0.1, 3),
    "pending": (0.01, 0.1),
    "thanks": (4, 48),
    "resolve": (1, 72),
    "relapse": (24, 120),
    "confirm": (6, 72),
    "close": (168, 200),
}
AFTER_RESOLUTION = ("confirm", "close")
# The steps that are a customer's message, which the next response is measured from.
CUSTOMER_STEPS = ("customer", "relapse", "thanks")


@dataclass(frozen=True)
class Measure:
    """The targets a request will be measured by (business seconds) and their calendar."""

    first_response: float
    next_response: float
    resolution: float
    calendar: BusinessCalendar


def measure_for(
    snapshot: SlaSnapshot, *, priority: int, kind: str, channel: str, customer_tier: str
) -> Measure:
    """The targets of the policy that will match a request (the demo's policies match on neither
    products nor anything that changes later); a standard day's targets where one sets none."""
    policy = snapshot.match(
        priority=priority,
        kind=kind,
        channel=channel,
        customer_tier=customer_tier,
        product_model_id=None,
    )
    targets = policy.targets if policy is not None else {}

    def seconds(metric: str, hours: int) -> float:
        return float(targets.get(metric) or hours * 3600)

    return Measure(
        first_response=seconds(clock.FIRST_RESPONSE, 8),
        next_response=seconds(clock.NEXT_RESPONSE, 8),
        resolution=seconds(clock.RESOLUTION, 24),
        calendar=snapshot.calendar_for(policy),
    )


def business_before(
    calendar: BusinessCalendar, *, end: datetime.datetime, seconds: float
) -> datetime.datetime:
    """The instant from which `seconds` of the calendar's business time run up to `end`."""
    if seconds <= 0:
        return end
    window = datetime.timedelta(days=14)
    while window <= datetime.timedelta(days=4 * 366):
        spans = working_intervals(calendar, start=end - window, end=end)
        remaining = datetime.timedelta(seconds=seconds)
        for low, high in reversed(spans):
            if remaining <= high - low:
                return high - remaining
            remaining -= high - low
        window *= 2
    raise ValueError(f"No {seconds} s of business time in the years before {end.isoformat()}.")


@dataclass(frozen=True)
class Schedule:
    """When a request was created and when each of its steps happened."""

    created_at: datetime.datetime
    times: list[datetime.datetime]


def _gaps(rng: random.Random, steps: Sequence[str]) -> list[float]:
    return [rng.uniform(*GAP_HOURS[step.removesuffix("_note")]) for step in steps]


def _spread(gaps: Sequence[float], *, start: float, end: float, open_end: bool) -> list[float]:
    """Positions after `start` in the proportions of `gaps`: the last one at `end`, or, with
    `open_end`, a further gap's share before it."""
    total = sum(gaps) * (1.25 if open_end else 1.0)
    positions, moment = [], 0.0
    for gap in gaps:
        moment += gap
        positions.append(start + (end - start) * moment / total)
    return positions


def _positions(
    rng: random.Random,
    steps: Sequence[str],
    *,
    first_reply: float,
    anchor: int | None,
    anchor_at: float | None,
    end: float,
) -> list[float]:
    """Business seconds from creation to each step: the first reply at `first_reply`, step
    `anchor` (if any) at `anchor_at`, and the rest in proportion between them, before `end`."""
    gaps = _gaps(rng, steps)
    positions = [0.0] * len(steps)
    reply = steps.index("reply") if "reply" in steps else None
    # Each known point, and the segments of steps between them.
    points: list[tuple[int, float]] = []
    if reply is not None:
        limit = anchor_at if anchor is not None and anchor > reply else end
        points.append((reply, min(first_reply, 0.5 * limit)))
    if anchor is not None:
        points.append((anchor, anchor_at))
    start_index, start_at = -1, 0.0
    for index, at in points:
        if index > start_index + 1:
            inner = _spread(
                gaps[start_index + 1 : index + 1], start=start_at, end=at, open_end=False
            )
            positions[start_index + 1 : index + 1] = inner
        positions[index] = at
        start_index, start_at = index, at
    if start_index < len(steps) - 1:
        rest = _spread(gaps[start_index + 1 :], start=start_at, end=end, open_end=True)
        positions[start_index + 1 :] = rest
    return positions


def schedule_open(
    rng: random.Random,
    *,
    steps: Sequence[str],
    status: str,
    outcome: str,
    measure: Measure,
    now: datetime.datetime,
) -> Schedule:
    """An open request's creation and steps, so that as of `now` it is `outcome` against the
    target that binds it: the first response while nobody answered, else the resolution, and
    the next response while the customer's message waits."""
    binding = measure.first_response if status == Status.NEW else measure.resolution
    age = rng.uniform(*SHARE[outcome]) * binding
    created = business_before(measure.calendar, end=now, seconds=age)
    # The engine knows of the first reply alone: a customer's message after it waits for an
    # answer until now, however the request went on. The last one is placed so that it is not late.
    reply = steps.index("reply") if "reply" in steps else len(steps)
    waiting = [index for index in range(reply + 1, len(steps)) if steps[index] in CUSTOMER_STEPS]
    anchor = anchor_at = None
    if waiting:
        anchor = waiting[-1]
        anchor_at = max(age - rng.uniform(*WAITING) * measure.next_response, 0.6 * age)
    positions = _positions(
        rng,
        steps,
        first_reply=rng.uniform(*FIRST_REPLY) * measure.first_response,
        anchor=anchor,
        anchor_at=anchor_at,
        end=age,
    )
    return Schedule(created, _business_times(measure.calendar, created, positions))


def schedule_done(
    rng: random.Random,
    *,
    steps: Sequence[str],
    outcome: str,
    measure: Measure,
    resolved_by: datetime.datetime,
) -> Schedule:
    """A finished request's creation and steps, resolved (by business time) no later than
    `resolved_by`, `outcome` against its targets; a missed one was late either to resolve or,
    less often, to answer first."""
    late_reply = outcome == MISSED and rng.random() < 0.3
    share = SHARE[MET] if late_reply else SHARE[outcome]
    age = rng.uniform(*share) * measure.resolution
    reply_share = LATE_FIRST_REPLY if late_reply else FIRST_REPLY
    first_reply = rng.uniform(*reply_share) * measure.first_response
    if late_reply:
        # The request went on well after its late first answer (which comes in the first half
        # of its time, before the steps that follow it).
        age = max(age, 2.2 * first_reply)
    created = business_before(measure.calendar, end=resolved_by, seconds=age)
    resolve = steps.index("resolve")
    positions = _positions(
        rng, steps[: resolve + 1], first_reply=first_reply, anchor=resolve, anchor_at=age, end=age
    )
    times = _business_times(measure.calendar, created, positions)
    moment = times[-1]
    for gap in _gaps(rng, steps[resolve + 1 :]):
        moment += datetime.timedelta(hours=gap)
        times.append(moment)
    return Schedule(created, times)


def after_resolution_hours(steps: Sequence[str]) -> float:
    """The most clock hours the steps after a resolution can take."""
    return sum(GAP_HOURS[step][1] for step in steps if step in AFTER_RESOLUTION)


def _business_times(
    calendar: BusinessCalendar, created: datetime.datetime, positions: Sequence[float]
) -> list[datetime.datetime]:
    return [
        business_add(calendar, start=created, duration=datetime.timedelta(seconds=position))
        for position in positions
    ]
