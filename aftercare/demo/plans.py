"""What happens to each demo request and when: its customer, scenario, channel and priority, how
it stands now (its status and, against its SLA, on track, at risk or breached; met or missed once
finished), and the times of its steps, planned as of the moment the demo is seeded.

Open requests are as many as the teams can hold: routing gives nobody more than their capacity,
so the plan keeps each team's open requests to a share of its people's capacity (the rest of
its new requests wait in its queue) and ends the others, as a real team would have.
"""

import datetime
import random
from dataclasses import dataclass, field

from aftercare.accounts.models import Team
from aftercare.demo import content as demo
from aftercare.demo import timeline
from aftercare.demo.history import Party, SeededOrg
from aftercare.lib.vocabulary import OPEN_STATUSES, Channel, Priority, Status
from aftercare.sla.selectors import sla_snapshot

HISTORY_DAYS = 90

# How requests end up (weights): about one in five is still open.
STATUS_WEIGHTS = {
    Status.NEW: 5,
    Status.OPEN: 8,
    Status.PENDING_CUSTOMER: 4,
    Status.ON_HOLD: 2,
    Status.AWAITING_PARTS: 3,
    Status.RESOLVED: 12,
    Status.CLOSED: 66,
}
DONE_WEIGHTS = {Status.RESOLVED: 12, Status.CLOSED: 66}
# When finished requests were resolved (days before now): a resolved one waits at most a week
# for the customer's confirmation; closed ones span the history.
RESOLVED_DAYS = {Status.RESOLVED: (0.1, 6.5), Status.CLOSED: (0.2, HISTORY_DAYS - 8)}
CHANNEL_WEIGHTS = {
    Channel.PORTAL: 20,
    Channel.EMAIL: 25,
    Channel.PHONE: 20,
    Channel.CHAT: 10,
    Channel.TELEGRAM: 7,
    Channel.WHATSAPP: 7,
    Channel.WALK_IN: 5,
    Channel.API: 6,
}
# Of the open requests: a few breached, some at risk (only a running clock warns: a paused one
# shows paused), the rest on track. Of the finished ones, some missed a target.
BREACHED_SHARE = 0.06
AT_RISK_SHARE = 0.14
MISSED_SHARE = 0.1
# The share of a team's capacity its open requests fill, so that new ones find someone free;
# and how many new requests a team that assigns by hand keeps waiting in its queue.
LOAD_SHARE = 0.7
QUEUE_WAITING = 6
RUNNING_STATUSES = (Status.NEW, Status.OPEN, Status.ON_HOLD)


@dataclass
class Plan:
    """One request to create: who, what, how it stands now, and when each step happened."""

    party: Party
    scenario: demo.Scenario
    language: str
    status: str
    channel: str
    priority: int
    reopened: bool = False
    outcome: str = ""
    resolved_days: float | None = None  # a finished request's fixed age, else drawn
    steps: list[str] = field(default_factory=list)
    created_at: datetime.datetime | None = None
    times: list[datetime.datetime] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        """Whether the request is still open at the end of its history."""
        return self.status in OPEN_STATUSES


class OpenBudget:
    """How many open requests each team can still be planned: a share of the capacity of its
    members (teams with the same members share it), and a few new ones waiting in the queue of a
    team that assigns by hand."""

    def __init__(self, *, org: SeededOrg) -> None:
        capacity = {user.pk: demo.STAFF_CAPACITY.get(role, 0) for role, user in org.staff.items()}
        self._pool: dict[str, frozenset[int]] = {}
        self._manual: dict[str, bool] = {}
        self._room: dict[frozenset[int], int] = {}
        self._waiting: dict[frozenset[int], int] = {}
        for key, team in org.teams.items():
            members = frozenset(team.members.values_list("pk", flat=True))
            self._pool[key] = members
            self._manual[key] = team.assignment == Team.Assignment.MANUAL
            self._room[members] = int(LOAD_SHARE * sum(capacity.get(pk, 0) for pk in members))
            self._waiting[members] = QUEUE_WAITING

    def take(self, *, team: str, status: str) -> bool:
        """Count one open request for a team; False when it has no room for it."""
        pool = self._pool[team]
        counter = self._waiting if status == Status.NEW and self._manual[team] else self._room
        if counter[pool] <= 0:
            return False
        counter[pool] -= 1
        return True


def plan_requests(
    *, rng: random.Random, org: SeededOrg, count: int, budget: OpenBudget
) -> list[Plan]:
    """`count` requests spread over the customers, scenarios, channels and statuses."""
    scenarios = [
        scenario
        for scenario in demo.SCENARIOS
        if scenario.product_category is None
        or any(product.category == scenario.product_category for product, _ in org.products)
    ]
    plans = []
    for index in range(count):
        party = org.parties[index % len(org.parties)]
        scenario = rng.choice(scenarios)
        status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
        if status in OPEN_STATUSES and not budget.take(team=scenario.team, status=status):
            status = rng.choices(list(DONE_WEIGHTS), list(DONE_WEIGHTS.values()))[0]
        plans.append(
            Plan(
                party=party,
                scenario=scenario,
                language=party.person.language,
                status=status,
                channel=rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0],
                priority=rng.choices(list(Priority.values), scenario.priority_weights)[0],
                reopened=status == Status.OPEN and rng.random() < 0.12,
            )
        )
    return plans


def plan_portal_customer_requests(*, party: Party, budget: OpenBudget) -> list[Plan]:
    """The portal customer's own requests, one in each stage, so the portal shows them."""
    by_key = {scenario.key: scenario for scenario in demo.SCENARIOS}
    wanted = [
        ("ac_install", "en", Status.CLOSED, 55),
        ("tv_warranty", "fa", Status.RESOLVED, 3),
        ("fridge_noise", "fa", Status.PENDING_CUSTOMER, None),
        ("washer_leak", "fa", Status.OPEN, None),
        ("washer_question", "en", Status.NEW, None),
    ]
    plans = []
    for key, language, status, resolved_days in wanted:
        scenario = by_key[key]
        if status in OPEN_STATUSES:
            budget.take(team=scenario.team, status=status)
        plans.append(
            Plan(
                party=party,
                scenario=scenario,
                language=language,
                status=status,
                channel=Channel.PORTAL,
                priority=Priority.NORMAL,
                outcome=timeline.ON_TRACK if status in OPEN_STATUSES else timeline.MET,
                resolved_days=resolved_days,
            )
        )
    return plans


def plans_schedule(
    *, rng: random.Random, org: SeededOrg, plans: list[Plan], now: datetime.datetime
) -> None:
    """Decide how each request stands now and when its steps happened, in the organization's
    business calendar against the policy that will measure it; order the plans by creation."""
    _outcomes(rng=rng, plans=plans)
    snapshot = sla_snapshot(organization_id=org.organization.pk)
    for plan in plans:
        plan.steps = _steps(rng=rng, plan=plan)
        measure = timeline.measure_for(
            snapshot,
            priority=plan.priority,
            kind=plan.scenario.kind,
            channel=plan.channel,
            customer_tier=plan.party.customer.tier,
        )
        if plan.is_open:
            schedule = timeline.schedule_open(
                rng,
                steps=plan.steps,
                status=plan.status,
                outcome=plan.outcome,
                measure=measure,
                now=now,
            )
        else:
            days = plan.resolved_days
            if days is None:
                days = rng.uniform(*RESOLVED_DAYS[plan.status])
            resolved_by = now - datetime.timedelta(
                days=days, hours=timeline.after_resolution_hours(plan.steps)
            )
            schedule = timeline.schedule_done(
                rng,
                steps=plan.steps,
                outcome=plan.outcome,
                measure=measure,
                resolved_by=resolved_by,
            )
        plan.created_at, plan.times = schedule.created_at, schedule.times
    plans.sort(key=lambda plan: plan.created_at)


def _outcomes(*, rng: random.Random, plans: list[Plan]) -> None:
    """Give the plans without one an outcome: exact shares, spread at random."""
    open_plans = [plan for plan in plans if plan.is_open]
    undecided = [plan for plan in open_plans if not plan.outcome]
    breached = _share(len(open_plans), BREACHED_SHARE)
    for plan in rng.sample(undecided, min(breached, len(undecided))):
        plan.outcome = timeline.BREACHED
    running = [plan for plan in undecided if not plan.outcome and plan.status in RUNNING_STATUSES]
    for plan in rng.sample(running, min(_share(len(open_plans), AT_RISK_SHARE), len(running))):
        plan.outcome = timeline.AT_RISK
    done = [plan for plan in plans if not plan.is_open and not plan.outcome]
    for plan in rng.sample(done, round(len(done) * MISSED_SHARE)):
        plan.outcome = timeline.MISSED
    for plan in plans:
        plan.outcome = plan.outcome or (timeline.ON_TRACK if plan.is_open else timeline.MET)


def _share(count: int, share: float) -> int:
    """`share` of `count` requests, at least one when there are enough to show it."""
    return max(1, round(count * share)) if count >= 10 else round(count * share)


def _steps(*, rng: random.Random, plan: Plan) -> list[str]:
    """The timeline a request goes through to reach its planned status."""
    status = plan.status
    if status == Status.NEW:
        return ["customer"] if rng.random() < 0.3 else []
    steps = ["triage", "reply"]
    # Finished requests show fewer asides: most were settled in an exchange or two.
    aside = 0.4 if plan.is_open else 0.2
    if rng.random() < aside:
        steps.append("note")
    if rng.random() < aside:
        steps.append("call")
    if status == Status.OPEN and not plan.reopened:
        if rng.random() < 0.5:
            steps.append("customer")
        if rng.random() < 0.4:
            steps.append("progress")
        return steps
    if status == Status.PENDING_CUSTOMER:
        return [*steps, "info", "pending"]
    if status in (Status.ON_HOLD, Status.AWAITING_PARTS):
        return [*steps, "hold_note", "hold"]
    if plan.reopened or rng.random() < 0.45:
        steps += ["customer", "progress"]
        if rng.random() < 0.35:
            steps.append("thanks")
    steps.append("resolve")
    if plan.reopened:
        return [*steps, "relapse"]
    if status == Status.CLOSED:
        steps.append("confirm" if rng.random() < 0.5 else "close")
    return steps
