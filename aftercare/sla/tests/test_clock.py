"""The SLA clock: incremental counting agrees with the arithmetic, thresholds cross once."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from aftercare.sla import clock as sla_clock
from aftercare.sla.businesstime import BusinessCalendar, business_add, weekly_schedule
from aftercare.sla.presets import iran

TEHRAN = ZoneInfo("Asia/Tehran")
HOUR = timedelta(hours=1)
OFFICE = BusinessCalendar(
    time_zone="Europe/Istanbul",
    weekly=weekly_schedule({day: [(time(9), time(12)), (time(13), time(18))] for day in range(5)}),
)


def _started(*, at: datetime, seconds: dict[str, int], warning_percent: int = 80):
    clock = sla_clock.Clock(checkpoint=at, warning_percent=warning_percent)
    for metric, target_seconds in seconds.items():
        target = clock.targets[metric]
        target.seconds = target_seconds
        target.begin_cycle()
    return clock


def test_due_and_warning_instants_follow_the_calendar():
    # Thursday 19 March 2026 11:00 Tehran, the day before Nowruz: 2 h today, then Wednesday.
    start = datetime(2026, 3, 19, 11, tzinfo=TEHRAN)
    clock = _started(at=start, seconds={sla_clock.RESOLUTION: 8 * 3600}, warning_percent=75)
    sla_clock.schedule(clock, calendar=iran())
    target = clock.targets[sla_clock.RESOLUTION]
    assert target.due_at == datetime(2026, 3, 25, 14, tzinfo=TEHRAN)
    # 75 % of 8 h is 6 h: 2 h on Thursday and 4 h on Wednesday, 08:00-12:00.
    assert target.warn_at == datetime(2026, 3, 25, 12, tzinfo=TEHRAN)
    assert sla_clock.earliest_due(clock) == target.due_at
    assert sla_clock.state(clock) == sla_clock.STATE_RUNNING


def test_a_pause_moves_the_due_time_by_the_business_time_it_lasted():
    # Monday 09:00 Istanbul with an 8 h target: due Monday 18:00 (lunch is closed).
    monday = datetime(2026, 5, 4, 9, tzinfo=ZoneInfo("Europe/Istanbul"))
    clock = _started(at=monday, seconds={sla_clock.RESOLUTION: 8 * 3600})
    sla_clock.schedule(clock, calendar=OFFICE)
    assert clock.targets[sla_clock.RESOLUTION].due_at == monday.replace(hour=18)
    # Paused from 10:00 to 14:00 (3 business hours: 10-12, 13-14) ...
    sla_clock.settle(clock, now=monday.replace(hour=10), calendar=OFFICE)
    clock.running = False
    sla_clock.schedule(clock, calendar=OFFICE)
    assert clock.targets[sla_clock.RESOLUTION].due_at is None
    assert sla_clock.state(clock) == sla_clock.STATE_PAUSED
    sla_clock.settle(clock, now=monday.replace(hour=14), calendar=OFFICE)
    clock.running = True
    sla_clock.schedule(clock, calendar=OFFICE)
    # ... so 7 h are left at 14:00: 4 h on Monday and 3 h on Tuesday, 09:00-12:00.
    assert clock.targets[sla_clock.RESOLUTION].consumed == 3600
    assert clock.targets[sla_clock.RESOLUTION].due_at == monday.replace(day=5, hour=12)


def test_each_threshold_crosses_once_and_a_late_sweep_reports_the_real_instants():
    start = datetime(2026, 5, 4, 6, tzinfo=UTC)
    clock = _started(at=start, seconds={sla_clock.FIRST_RESPONSE: 3600})
    sla_clock.schedule(clock, calendar=OFFICE)
    target = clock.targets[sla_clock.FIRST_RESPONSE]
    late = target.due_at + timedelta(hours=3)
    found = sla_clock.crossings(clock, now=late)
    assert [(c.kind, c.at) for c in found] == [
        (sla_clock.WARNING, target.warn_at),
        (sla_clock.BREACH, target.due_at),
    ]
    assert sla_clock.crossings(clock, now=late + HOUR) == []
    assert clock.breaches == 1
    assert sla_clock.next_check(clock) is None
    assert sla_clock.state(clock) == sla_clock.STATE_BREACHED


def test_escalation_levels_fire_at_their_delays_after_the_breach():
    start = datetime(2026, 5, 4, 6, tzinfo=UTC)
    clock = _started(at=start, seconds={sla_clock.RESOLUTION: 3600}, warning_percent=0)
    sla_clock.schedule(clock, calendar=OFFICE)
    due = clock.targets[sla_clock.RESOLUTION].due_at
    rules = [
        sla_clock.RuleTiming(rule_id=1, threshold=sla_clock.BREACH, delay=timedelta(0)),
        sla_clock.RuleTiming(rule_id=2, threshold=sla_clock.BREACH, delay=timedelta(minutes=30)),
        sla_clock.RuleTiming(
            rule_id=3,
            threshold=sla_clock.BREACH,
            delay=timedelta(0),
            metric=sla_clock.FIRST_RESPONSE,
        ),
        sla_clock.RuleTiming(
            rule_id=4, threshold=sla_clock.BREACH, delay=timedelta(0), policy_ids=frozenset({99})
        ),
    ]
    assert sla_clock.next_check(clock, rules=rules, policy_id=7) == due
    first = sla_clock.crossings(clock, now=due, rules=rules, policy_id=7)
    assert [(c.kind, c.rule_id) for c in first] == [
        (sla_clock.BREACH, None),
        (sla_clock.ESCALATION, 1),
    ]
    assert sla_clock.next_check(clock, rules=rules, policy_id=7) == due + timedelta(minutes=30)
    assert sla_clock.crossings(clock, now=due + timedelta(minutes=29), rules=rules) == []
    later = sla_clock.crossings(clock, now=due + timedelta(minutes=30), rules=rules, policy_id=7)
    assert [(c.kind, c.rule_id, c.at) for c in later] == [
        (sla_clock.ESCALATION, 2, due + timedelta(minutes=30))
    ]
    assert sla_clock.next_check(clock, rules=rules, policy_id=7) is None


def test_a_paused_clock_neither_warns_nor_breaches():
    start = datetime(2026, 5, 4, 6, tzinfo=UTC)
    clock = _started(at=start, seconds={sla_clock.RESOLUTION: 3600})
    sla_clock.schedule(clock, calendar=OFFICE)
    clock.running = False
    sla_clock.schedule(clock, calendar=OFFICE)
    assert sla_clock.crossings(clock, now=start + timedelta(days=30)) == []
    assert sla_clock.next_check(clock) is None


def test_a_new_cycle_measures_afresh_and_the_clock_survives_json():
    start = datetime(2026, 5, 4, 6, tzinfo=UTC)
    clock = _started(at=start, seconds={sla_clock.NEXT_RESPONSE: 3600})
    sla_clock.schedule(clock, calendar=OFFICE)
    sla_clock.crossings(clock, now=start + timedelta(days=2))
    target = clock.targets[sla_clock.NEXT_RESPONSE]
    assert (target.cycle, target.breached_at is not None) == (1, True)
    restored = sla_clock.Clock.from_json(clock.to_json())
    assert restored == clock
    target = restored.targets[sla_clock.NEXT_RESPONSE]
    target.begin_cycle()
    assert (target.cycle, target.consumed, target.breached_at) == (2, 0.0, None)
    assert restored.breaches == 1


def test_met_or_missed_once_nothing_is_measured():
    start = datetime(2026, 5, 4, 6, tzinfo=UTC)
    clock = _started(at=start, seconds={sla_clock.FIRST_RESPONSE: 3600})
    clock.targets[sla_clock.FIRST_RESPONSE].active = False
    assert sla_clock.state(clock) == sla_clock.STATE_MET
    clock.breaches = 1
    assert sla_clock.state(clock) == sla_clock.STATE_MISSED
    assert sla_clock.state(sla_clock.Clock(checkpoint=start)) == sla_clock.STATE_NONE


# Properties ------------------------------------------------------------------------------

BASE = datetime(2026, 3, 16, 0, tzinfo=UTC)
steps = st.lists(
    st.tuples(st.integers(min_value=1, max_value=60 * 60 * 30), st.booleans()),
    min_size=1,
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(
    target_hours=st.integers(min_value=1, max_value=60),
    changes=steps,
    calendar=st.sampled_from([OFFICE, iran()]),
)
def test_counting_in_steps_agrees_with_adding_once_with_the_same_pauses(
    target_hours, changes, calendar
):
    """However a clock is paused and resumed, its due time is business_add over the pauses."""
    target_seconds = target_hours * 3600
    clock = _started(at=BASE, seconds={sla_clock.RESOLUTION: target_seconds})
    sla_clock.schedule(clock, calendar=calendar)
    now, pauses, paused_since, consumed = BASE, [], None, 0.0
    for seconds, running in changes:
        now = now + timedelta(seconds=seconds)
        sla_clock.settle(clock, now=now, calendar=calendar)
        target = clock.targets[sla_clock.RESOLUTION]
        assert target.consumed >= consumed  # counting never goes backwards
        consumed = target.consumed
        if running and paused_since is not None:
            pauses.append((paused_since, now))
            paused_since = None
        elif not running and paused_since is None:
            paused_since = now
        clock.running = running
        sla_clock.schedule(clock, calendar=calendar)
    target = clock.targets[sla_clock.RESOLUTION]
    if not clock.running:
        assert target.due_at is None
        return
    expected = business_add(
        calendar, start=BASE, duration=timedelta(seconds=target_seconds), pauses=pauses
    )
    if target.consumed >= target_seconds:
        # Already past due when last scheduled: the due time is no later than that moment.
        assert target.due_at <= clock.checkpoint
        assert expected <= clock.checkpoint
    else:
        assert abs((target.due_at - expected).total_seconds()) < 1e-3
