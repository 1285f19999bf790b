"""Reads about business calendars, SLA policies and escalation rules, scoped to one organization."""

import threading
from dataclasses import dataclass, field
from datetime import time, timedelta

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from aftercare.accounts.models import Organization
from aftercare.catalog.models import ProductModel
from aftercare.lib.errors import ApplicationError
from aftercare.lib.queries import unique_or_none
from aftercare.lib.validation import objects_for_input
from aftercare.sla import businesstime, clock
from aftercare.sla.models import (
    BusinessCalendar,
    DateOverride,
    EscalationRule,
    Holiday,
    SlaConfiguration,
    SlaPolicy,
    WorkingInterval,
)


def calendar_list(*, organization: Organization) -> list[BusinessCalendar]:
    """The organization's business calendars, by name."""
    return list(BusinessCalendar.objects.filter(organization=organization))


def calendar_get(*, organization: Organization, calendar_id: int) -> BusinessCalendar:
    """A business calendar of this organization, or 404."""
    calendar = BusinessCalendar.objects.filter(organization=organization, pk=calendar_id).first()
    if calendar is None:
        raise Http404
    return calendar


def calendar_default(*, organization: Organization) -> BusinessCalendar | None:
    """The organization's default business calendar, or None when it has not chosen one."""
    return BusinessCalendar.objects.filter(organization=organization, is_default=True).first()


def parse_wall_time(value: str) -> time:
    """A stored "HH:MM" wall time."""
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _holiday_to_business(holiday: Holiday) -> businesstime.Holiday:
    """The arithmetic's holiday for a stored one."""
    match holiday.kind:
        case Holiday.Kind.DATE:
            assert holiday.start_date is not None
            return businesstime.DateHoliday(holiday.start_date, holiday.name)
        case Holiday.Kind.RANGE:
            assert holiday.start_date is not None and holiday.end_date is not None
            return businesstime.DateRangeHoliday(holiday.start_date, holiday.end_date, holiday.name)
        case Holiday.Kind.YEARLY_GREGORIAN:
            assert holiday.month is not None and holiday.day is not None
            return businesstime.YearlyHoliday(holiday.month, holiday.day, holiday.name)
        case Holiday.Kind.YEARLY_JALALI:
            assert holiday.month is not None and holiday.day is not None
            return businesstime.JalaliYearlyHoliday(holiday.month, holiday.day, holiday.name)
    raise ValueError(f"Unknown holiday kind {holiday.kind!r}.")


def _override_to_business(override: DateOverride) -> businesstime.DateOverride:
    """The arithmetic's override for a stored one."""
    return businesstime.DateOverride(
        override.date,
        tuple((parse_wall_time(start), parse_wall_time(end)) for start, end in override.intervals),
    )


def calendar_to_business(calendar: BusinessCalendar) -> businesstime.BusinessCalendar:
    """The frozen calendar the arithmetic runs on, read fresh in three queries."""
    return _to_business([calendar], {"calendar_id": calendar.pk})[calendar.pk]


def _to_business(calendars, rows: dict) -> dict[int, businesstime.BusinessCalendar]:
    """Frozen calendars for stored ones, their rows read with the filter `rows` (3 queries)."""
    weekly: dict[int, dict[int, list[businesstime.Interval]]] = {}
    for interval in WorkingInterval.objects.filter(**rows):
        days = weekly.setdefault(interval.calendar_id, {})
        days.setdefault(interval.weekday, []).append((interval.start_time, interval.end_time))
    holidays: dict[int, list[businesstime.Holiday]] = {}
    for holiday in Holiday.objects.filter(**rows):
        holidays.setdefault(holiday.calendar_id, []).append(_holiday_to_business(holiday))
    overrides: dict[int, list[businesstime.DateOverride]] = {}
    for override in DateOverride.objects.filter(**rows):
        overrides.setdefault(override.calendar_id, []).append(_override_to_business(override))
    return {
        calendar.pk: businesstime.BusinessCalendar(
            time_zone=calendar.time_zone,
            weekly=businesstime.weekly_schedule(weekly.get(calendar.pk, {})),
            holidays=tuple(holidays.get(calendar.pk, ())),
            overrides=tuple(overrides.get(calendar.pk, ())),
        )
        for calendar in calendars
    }


# --- What the request services need at every change: one query when nothing changed. ---

AROUND_THE_CLOCK = businesstime.BusinessCalendar(
    time_zone="UTC",
    weekly=businesstime.weekly_schedule({day: [(time(0), time(0))] for day in range(7)}),
)


@dataclass(frozen=True)
class PolicyInfo:
    """An active SLA policy as the matching and the clock use it."""

    id: int
    name: str
    is_active: bool
    priorities: frozenset[int]
    kinds: frozenset[str]
    channels: frozenset[str]
    customer_tiers: frozenset[str]
    product_model_ids: frozenset[int]
    calendar_id: int | None
    targets: dict[str, int | None]  # seconds per metric
    pause_statuses: frozenset[str]
    warning_percent: int

    def matches(
        self,
        *,
        priority: int,
        kind: str,
        channel: str,
        customer_tier: str,
        product_model_id: int | None,
    ) -> bool:
        """Whether every condition the policy sets holds for a request."""
        return (
            (not self.priorities or priority in self.priorities)
            and (not self.kinds or kind in self.kinds)
            and (not self.channels or channel in self.channels)
            and (not self.customer_tiers or customer_tier in self.customer_tiers)
            and (not self.product_model_ids or product_model_id in self.product_model_ids)
        )


@dataclass(frozen=True)
class SlaSnapshot:
    """An organization's SLA configuration at one version, shared by every request."""

    stamp: str
    policies: tuple[PolicyInfo, ...]
    # When each active escalation rule fires; what it does is read from the rule when it does.
    timings: tuple[clock.RuleTiming, ...]
    default_calendar_id: int | None
    calendars: dict[int, businesstime.BusinessCalendar] = field(default_factory=dict)

    def match(
        self,
        *,
        priority: int,
        kind: str,
        channel: str,
        customer_tier: str,
        product_model_id: int | None,
    ) -> PolicyInfo | None:
        """The first active policy, by position, whose conditions all hold."""
        for policy in self.policies:
            if policy.is_active and policy.matches(
                priority=priority,
                kind=kind,
                channel=channel,
                customer_tier=customer_tier,
                product_model_id=product_model_id,
            ):
                return policy
        return None

    def policy(self, policy_id: int | None) -> PolicyInfo | None:
        """A policy by id, active or not (a request keeps a deactivated one until re-matched)."""
        return next((policy for policy in self.policies if policy.id == policy_id), None)

    def calendar_for(self, policy: PolicyInfo | None) -> businesstime.BusinessCalendar:
        """The policy's calendar, else the organization's default, else around the clock."""
        calendar_id = policy.calendar_id if policy is not None else None
        if calendar_id is None:
            calendar_id = self.default_calendar_id
        if calendar_id is None:
            return AROUND_THE_CLOCK
        return self.calendars.get(calendar_id, AROUND_THE_CLOCK)


_SNAPSHOTS: dict[int, SlaSnapshot] = {}
_SNAPSHOTS_LOCK = threading.Lock()


def sla_configuration_stamp(*, organization_id: int) -> tuple[int, str]:
    """The organization's SLA configuration (version, stamp); (0, "") before any was made."""
    row = unique_or_none(
        SlaConfiguration.objects.filter(organization_id=organization_id).values_list(
            "version", "stamp"
        )
    )
    return row or (0, "")


def sla_snapshot(*, organization_id: int) -> SlaSnapshot:
    """The organization's current SLA configuration, read once per change and process."""
    _version, stamp = sla_configuration_stamp(organization_id=organization_id)
    cached = _SNAPSHOTS.get(organization_id)
    if cached is not None and cached.stamp == stamp:
        return cached
    snapshot = _load_snapshot(organization_id=organization_id, stamp=stamp)
    with _SNAPSHOTS_LOCK:
        _SNAPSHOTS[organization_id] = snapshot
    return snapshot


def _seconds(minutes: int | None) -> int | None:
    return minutes * 60 if minutes is not None else None


def _load_snapshot(*, organization_id: int, stamp: str) -> SlaSnapshot:
    """Read policies, rules and every calendar of the organization."""
    if not stamp:
        # Nothing was ever configured: no policy, no rule, no calendar.
        return SlaSnapshot(stamp, (), (), None)
    policies = tuple(
        PolicyInfo(
            id=policy.pk,
            name=policy.name,
            is_active=policy.is_active,
            priorities=frozenset(policy.priorities or []),
            kinds=frozenset(policy.kinds or []),
            channels=frozenset(policy.channels or []),
            customer_tiers=frozenset(policy.customer_tiers or []),
            product_model_ids=frozenset(p.pk for p in policy.product_models.all()),
            calendar_id=policy.calendar_id,
            targets={metric: _seconds(policy.target_minutes(metric)) for metric in clock.METRICS},
            pause_statuses=frozenset(policy.pause_statuses or []),
            warning_percent=policy.warning_percent,
        )
        for policy in SlaPolicy.objects.filter(organization_id=organization_id)
        .order_by("position", "id")
        .prefetch_related(Prefetch("product_models", queryset=ProductModel.objects.only("id")))
    )
    timings = tuple(
        clock.RuleTiming(
            rule_id=rule.pk,
            threshold=rule.threshold,
            delay=timedelta(minutes=rule.delay_minutes),
            metric=rule.metric,
            policy_ids=frozenset(p.pk for p in rule.policies.all()),
        )
        for rule in EscalationRule.objects.filter(organization_id=organization_id, is_active=True)
        .order_by("level", "delay_minutes", "id")
        .prefetch_related(Prefetch("policies", queryset=SlaPolicy.objects.only("id")))
    )
    stored = list(BusinessCalendar.objects.filter(organization_id=organization_id))
    calendars = _to_business(stored, {"organization_id": organization_id})
    default_id = next((calendar.pk for calendar in stored if calendar.is_default), None)
    return SlaSnapshot(stamp, policies, timings, default_id, calendars)


# --- Reads for the settings pages and the API ---


def calendar_detail(*, organization: Organization, calendar_id: int) -> BusinessCalendar:
    """A calendar of this organization with its hours, holidays and overrides, or 404."""
    calendar = (
        BusinessCalendar.objects.filter(organization=organization, pk=calendar_id)
        .prefetch_related(
            "working_intervals",
            Prefetch("holidays", queryset=Holiday.objects.select_related("corrected_by")),
            "date_overrides",
        )
        .first()
    )
    if calendar is None:
        raise Http404
    return calendar


def calendar_list_detailed(*, organization: Organization) -> list[BusinessCalendar]:
    """Every calendar with its hours, holidays and overrides, in four queries."""
    return list(
        BusinessCalendar.objects.filter(organization=organization).prefetch_related(
            "working_intervals", "holidays", "date_overrides"
        )
    )


def calendar_for_input(
    *, organization: Organization, calendar_id: int, field: str = "calendar_id"
) -> BusinessCalendar:
    """A calendar named in input; another organization's is a field error."""
    calendar = BusinessCalendar.objects.filter(organization=organization, pk=calendar_id).first()
    if calendar is None:
        raise ApplicationError(_("No such calendar."), field=field)
    return calendar


def holiday_get(*, calendar: BusinessCalendar, holiday_id: int) -> Holiday:
    """A holiday of this calendar, or 404."""
    holiday = Holiday.objects.filter(calendar=calendar, pk=holiday_id).first()
    if holiday is None:
        raise Http404
    return holiday


def date_override_get(*, calendar: BusinessCalendar, day) -> DateOverride:
    """The override of a date on this calendar, or 404."""
    override = DateOverride.objects.filter(calendar=calendar, date=day).first()
    if override is None:
        raise Http404
    return override


def _policies(organization: Organization):
    return (
        SlaPolicy.objects.filter(organization=organization)
        .select_related("calendar")
        .prefetch_related(Prefetch("product_models", queryset=ProductModel.objects.order_by("pk")))
    )


def sla_policy_list(*, organization: Organization) -> list[SlaPolicy]:
    """Every SLA policy, active or not, in the order they are matched."""
    return list(_policies(organization).order_by("position", "id"))


def sla_policy_get(*, organization: Organization, policy_id: int) -> SlaPolicy:
    """An SLA policy of this organization, or 404."""
    policy = _policies(organization).filter(pk=policy_id).first()
    if policy is None:
        raise Http404
    return policy


def sla_policies_for_input(
    *, organization: Organization, policy_ids: list[int], field: str = "policy_ids"
) -> list[SlaPolicy]:
    """The policies named in input; any id not of this organization is a field error."""
    queryset = SlaPolicy.objects.filter(organization=organization)
    return objects_for_input(queryset, policy_ids, field=field, message=_("No such SLA policy."))


def _rules(organization: Organization):
    return (
        EscalationRule.objects.filter(organization=organization)
        .select_related("notify_user", "reassign_team")
        .prefetch_related(Prefetch("policies", queryset=SlaPolicy.objects.order_by("pk")))
    )


def escalation_rule_list(*, organization: Organization) -> list[EscalationRule]:
    """Every escalation rule, active or not, by level."""
    return list(_rules(organization))


def escalation_rule_get(*, organization: Organization, rule_id: int) -> EscalationRule:
    """An escalation rule of this organization, or 404."""
    rule = _rules(organization).filter(pk=rule_id).first()
    if rule is None:
        raise Http404
    return rule
