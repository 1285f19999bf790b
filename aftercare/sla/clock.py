"""The SLA clock of one request: business time consumed per target, pauses, due instants.

Pure Python over a `businesstime.BusinessCalendar`; the request's services store the clock as
JSON on the request and call these functions on every change that affects it:

- `settle(now)` counts the business time since the last checkpoint into every running target;
- the caller then changes what runs (a reply meets the first response, a pausing status stops
  the clock, a new policy sets other targets);
- `schedule()` computes each running target's warning and due instants from what is left.

The periodic sweep needs no calendar at all: it compares the stored instants with the time
(`crossings`) and records each warning, breach and escalation once per target and cycle. The
next response target restarts (a new cycle) with every customer message that waits for a reply.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, timedelta

from aftercare.sla.businesstime import BusinessCalendar, business_add, business_elapsed

FIRST_RESPONSE = "first_response"
NEXT_RESPONSE = "next_response"
RESOLUTION = "resolution"
METRICS = (FIRST_RESPONSE, NEXT_RESPONSE, RESOLUTION)

WARNING = "warning"
BREACH = "breach"
ESCALATION = "escalation"

# What the request's SLA looks like at a glance, worst first.
STATE_BREACHED = "breached"
STATE_WARNING = "warning"
STATE_PAUSED = "paused"
STATE_RUNNING = "running"
STATE_MET = "met"
STATE_MISSED = "missed"
STATE_NONE = ""


def _iso(value: datetime.datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def _parse(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


@dataclass(slots=True)
class Target:
    """One metric's measurement in the current cycle."""

    seconds: int | None = None  # the target in business seconds; None: the policy sets none
    consumed: float = 0.0  # business seconds counted up to the clock's checkpoint
    active: bool = False  # being measured (started and not yet met)
    cycle: int = 0
    warn_at: datetime.datetime | None = None
    due_at: datetime.datetime | None = None
    warned_at: datetime.datetime | None = None
    breached_at: datetime.datetime | None = None
    met_at: datetime.datetime | None = None
    escalated: list[int] = field(default_factory=list)  # escalation rules fired this cycle

    def to_json(self) -> dict:
        """A JSON-ready dict."""
        return {
            "seconds": self.seconds,
            "consumed": round(self.consumed, 6),
            "active": self.active,
            "cycle": self.cycle,
            "warn_at": _iso(self.warn_at),
            "due_at": _iso(self.due_at),
            "warned_at": _iso(self.warned_at),
            "breached_at": _iso(self.breached_at),
            "met_at": _iso(self.met_at),
            "escalated": list(self.escalated),
        }

    @classmethod
    def from_json(cls, data: dict) -> "Target":
        """The target a `to_json` dict describes."""
        return cls(
            seconds=data.get("seconds"),
            consumed=float(data.get("consumed") or 0),
            active=bool(data.get("active")),
            cycle=int(data.get("cycle") or 0),
            warn_at=_parse(data.get("warn_at")),
            due_at=_parse(data.get("due_at")),
            warned_at=_parse(data.get("warned_at")),
            breached_at=_parse(data.get("breached_at")),
            met_at=_parse(data.get("met_at")),
            escalated=[int(rule) for rule in data.get("escalated") or []],
        )

    @property
    def has_target(self) -> bool:
        """Whether the policy sets this target at all."""
        return self.seconds is not None

    def begin_cycle(self) -> None:
        """Start measuring afresh (a new customer message waiting for the next response)."""
        self.cycle += 1
        self.consumed = 0.0
        self.active = True
        self.warn_at = self.due_at = self.warned_at = self.breached_at = self.met_at = None
        self.escalated = []


@dataclass(slots=True)
class Clock:
    """Every target of one request, the instant they are counted up to, and whether it runs."""

    checkpoint: datetime.datetime
    running: bool = True
    warning_percent: int = 80
    breaches: int = 0  # every breach recorded, in any cycle
    targets: dict[str, Target] = field(default_factory=lambda: {m: Target() for m in METRICS})

    def to_json(self) -> dict:
        """A JSON-ready dict, stored on the request."""
        return {
            "checkpoint": _iso(self.checkpoint),
            "running": self.running,
            "warning_percent": self.warning_percent,
            "breaches": self.breaches,
            "targets": {metric: target.to_json() for metric, target in self.targets.items()},
        }

    @classmethod
    def from_json(cls, data: dict) -> "Clock":
        """The clock a `to_json` dict describes."""
        targets = data.get("targets") or {}
        checkpoint = _parse(data.get("checkpoint"))
        if checkpoint is None:
            raise ValueError("An SLA clock needs its checkpoint.")
        return cls(
            checkpoint=checkpoint,
            running=bool(data.get("running", True)),
            warning_percent=int(data.get("warning_percent") or 0),
            breaches=int(data.get("breaches") or 0),
            targets={metric: Target.from_json(targets.get(metric) or {}) for metric in METRICS},
        )

    @property
    def counting(self) -> list[tuple[str, Target]]:
        """Targets the clock is counting now: active, with a target, and not paused."""
        if not self.running:
            return []
        return [(m, t) for m, t in self.targets.items() if t.active and t.has_target]


def settle(clock: Clock, *, now: datetime.datetime, calendar: BusinessCalendar) -> None:
    """Count the business time since the checkpoint into every running target; move the
    checkpoint to `now` (never backwards)."""
    if now <= clock.checkpoint:
        return
    counting = clock.counting
    if counting:
        elapsed = business_elapsed(calendar, start=clock.checkpoint, end=now).total_seconds()
        for _metric, target in counting:
            target.consumed += elapsed
    clock.checkpoint = now


def _instant(
    calendar: BusinessCalendar,
    *,
    start: datetime.datetime,
    remaining: float,
    previous: datetime.datetime | None,
) -> datetime.datetime | None:
    """When `remaining` business seconds will have passed since `start`; an instant already
    passed keeps the one it had, so a late sweep still reports the real time of a breach."""
    if remaining <= 0:
        return previous if previous is not None and previous <= start else start
    try:
        return business_add(calendar, start=start, duration=timedelta(seconds=remaining))
    except ValueError:
        # A calendar closed for years on end: nothing can fall due.
        return None


def schedule(clock: Clock, *, calendar: BusinessCalendar) -> None:
    """Each running target's warning and due instants from what it has left; none while paused."""
    counting = {metric for metric, _target in clock.counting}
    for metric, target in clock.targets.items():
        if metric not in counting:
            target.warn_at = target.due_at = None
            continue
        assert target.seconds is not None
        target.due_at = _instant(
            calendar,
            start=clock.checkpoint,
            remaining=target.seconds - target.consumed,
            previous=target.due_at,
        )
        if clock.warning_percent and target.warned_at is None:
            share = target.seconds * clock.warning_percent / 100
            target.warn_at = _instant(
                calendar,
                start=clock.checkpoint,
                remaining=share - target.consumed,
                previous=target.warn_at,
            )
        elif not clock.warning_percent:
            target.warn_at = None


@dataclass(frozen=True)
class Crossing:
    """A threshold a target has reached: a warning, a breach, or an escalation rule's turn."""

    metric: str
    kind: str  # WARNING, BREACH or ESCALATION
    cycle: int
    at: datetime.datetime  # when it fell due
    rule_id: int | None = None
    due_at: datetime.datetime | None = None  # when the target itself is (or was) due

    @property
    def key(self) -> str:
        """Unique per request: the same crossing is never recorded twice."""
        return f"{self.metric}:{self.cycle}:{self.kind}:{self.rule_id or ''}"


@dataclass(frozen=True)
class RuleTiming:
    """What the clock needs to know of an escalation rule: when it fires, for which targets."""

    rule_id: int
    threshold: str  # WARNING or BREACH
    delay: timedelta
    metric: str = ""  # "" for any target
    policy_ids: frozenset[int] = frozenset()  # empty for every policy

    def applies(self, *, metric: str, policy_id: int | None) -> bool:
        """Whether the rule watches this target under this policy."""
        if self.metric and self.metric != metric:
            return False
        return not self.policy_ids or policy_id in self.policy_ids


def _escalation_times(
    metric: str, target: Target, rules: Iterable[RuleTiming], policy_id: int | None
) -> list[tuple[RuleTiming, datetime.datetime]]:
    """Each rule still to fire on a target, with when it fires (once its threshold is known)."""
    times = []
    for rule in rules:
        if rule.rule_id in target.escalated or not rule.applies(metric=metric, policy_id=policy_id):
            continue
        base = target.warn_at if rule.threshold == WARNING else target.due_at
        reached = target.warned_at if rule.threshold == WARNING else target.breached_at
        start = reached or base
        if start is not None:
            times.append((rule, start + rule.delay))
    return times


def crossings(
    clock: Clock,
    *,
    now: datetime.datetime,
    rules: Iterable[RuleTiming] = (),
    policy_id: int | None = None,
) -> list[Crossing]:
    """Every threshold reached by `now` and not yet recorded, and mark them recorded.

    Only counting targets cross anything: a paused request neither warns nor escalates until it
    runs again. A warning not recorded before its breach is still recorded, before the breach.
    """
    rules = list(rules)
    found: list[Crossing] = []
    for metric, target in clock.counting:
        if target.warn_at is not None and target.warned_at is None and target.warn_at <= now:
            target.warned_at = target.warn_at
            found.append(
                Crossing(metric, WARNING, target.cycle, target.warn_at, due_at=target.due_at)
            )
        if target.due_at is not None and target.breached_at is None and target.due_at <= now:
            target.breached_at = target.due_at
            clock.breaches += 1
            found.append(
                Crossing(metric, BREACH, target.cycle, target.due_at, due_at=target.due_at)
            )
        for rule, fires_at in _escalation_times(metric, target, rules, policy_id):
            reached = target.warned_at if rule.threshold == WARNING else target.breached_at
            if reached is not None and fires_at <= now:
                target.escalated.append(rule.rule_id)
                found.append(
                    Crossing(
                        metric, ESCALATION, target.cycle, fires_at, rule.rule_id, target.due_at
                    )
                )
    return found


def next_check(
    clock: Clock, *, rules: Iterable[RuleTiming] = (), policy_id: int | None = None
) -> datetime.datetime | None:
    """The earliest instant a threshold falls due, for the sweep's index; None when none will."""
    rules = list(rules)
    instants: list[datetime.datetime] = []
    for metric, target in clock.counting:
        if target.warn_at is not None and target.warned_at is None:
            instants.append(target.warn_at)
        if target.due_at is not None and target.breached_at is None:
            instants.append(target.due_at)
        instants += [when for _rule, when in _escalation_times(metric, target, rules, policy_id)]
    return min(instants) if instants else None


def earliest_due(clock: Clock) -> datetime.datetime | None:
    """The soonest due instant of a counting target, which queues sort by."""
    dues = [target.due_at for _metric, target in clock.counting if target.due_at is not None]
    return min(dues) if dues else None


def state(clock: Clock) -> str:
    """The request's SLA at a glance: breached, warning, paused or running while measured;
    afterwards met, or missed when anything breached; none without targets."""
    active = [t for t in clock.targets.values() if t.active and t.has_target]
    if not active:
        if clock.breaches:
            return STATE_MISSED
        measured = any(t.has_target and t.cycle for t in clock.targets.values())
        return STATE_MET if measured else STATE_NONE
    if any(t.breached_at is not None for t in active):
        return STATE_BREACHED
    if not clock.running:
        return STATE_PAUSED
    if any(t.warned_at is not None for t in active):
        return STATE_WARNING
    return STATE_RUNNING
