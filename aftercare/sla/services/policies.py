"""Every write to SLA policies and escalation rules.

The conditions speak the request's vocabulary (priority, kind, channel, status), which is read
from `aftercare.lib.vocabulary`, so this app does not depend on the requests it measures.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.accounts.models import Membership, Organization, Team, User
from aftercare.catalog.models import ProductModel
from aftercare.customers.models import Tier
from aftercare.lib.errors import ApplicationError
from aftercare.lib.unset import UNSET, Unset
from aftercare.lib.validation import (
    clean_choices,
    clean_position,
    next_position,
    save_unless_taken,
)
from aftercare.lib.vocabulary import Channel, Kind, Priority, Status
from aftercare.sla.models import (
    DEFAULT_PAUSE_STATUSES,
    BusinessCalendar,
    EscalationRule,
    Metric,
    SlaPolicy,
)
from aftercare.sla.services.calendars import _clean_name, sla_configuration_bump

# A target can be at most a year of business time.
TARGET_MAX_MINUTES = 366 * 24 * 60
DELAY_MAX_MINUTES = 30 * 24 * 60
# Statuses a policy may pause on: the request waits on someone other than the agent.
PAUSABLE_STATUSES = (Status.PENDING_CUSTOMER, Status.ON_HOLD, Status.AWAITING_PARTS)


def _clean_minutes(value: int | None, *, field: str, maximum: int = TARGET_MAX_MINUTES):
    """A whole number of minutes from 1 up to a limit, or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise ApplicationError(
            _("Enter a whole number of minutes from 1 to %(max)s.") % {"max": maximum},
            field=field,
        )
    return value


def _check_calendar(calendar: BusinessCalendar | None, organization_id: int) -> None:
    if calendar is not None and calendar.organization_id != organization_id:
        raise ApplicationError(_("No such calendar."), field="calendar_id")


def _check_products(products: Iterable[ProductModel], organization_id: int) -> list[ProductModel]:
    products = list(products or [])
    if any(product.organization_id != organization_id for product in products):
        raise ApplicationError(_("No such product."), field="product_model_ids")
    return products


def _policy_fields(
    *,
    organization_id: int,
    name,
    first_response_minutes,
    next_response_minutes,
    resolution_minutes,
    calendar,
    priorities,
    kinds,
    channels,
    customer_tiers,
    pause_statuses,
    warning_percent,
) -> dict:
    """The validated policy fields that were given (others are UNSET and left out)."""
    fields: dict = {}
    if name is not UNSET:
        fields["name"] = _clean_name(name)
    for field, value in (
        ("first_response_minutes", first_response_minutes),
        ("next_response_minutes", next_response_minutes),
        ("resolution_minutes", resolution_minutes),
    ):
        if value is not UNSET:
            fields[field] = _clean_minutes(value, field=field)
    if calendar is not UNSET:
        _check_calendar(calendar, organization_id)
        fields["calendar"] = calendar
    for field, value, allowed in (
        ("priorities", priorities, Priority.values),
        ("kinds", kinds, Kind.values),
        ("channels", channels, Channel.values),
        ("customer_tiers", customer_tiers, Tier.values),
        ("pause_statuses", pause_statuses, PAUSABLE_STATUSES),
    ):
        if value is not UNSET:
            fields[field] = clean_choices(value, allowed=allowed, field=field)
    if warning_percent is not UNSET:
        valid = isinstance(warning_percent, int) and not isinstance(warning_percent, bool)
        if not valid or not 0 <= warning_percent <= 99:
            raise ApplicationError(
                _("Enter a share from 0 (no warning) to 99 percent."), field="warning_percent"
            )
        fields["warning_percent"] = warning_percent
    return fields


def _require_a_target(policy: SlaPolicy) -> None:
    if all(policy.target_minutes(metric) is None for metric in Metric.values):
        raise ApplicationError(
            _("Set at least one target: first response, next response or resolution."),
            field="first_response_minutes",
        )


def _name_taken() -> ApplicationError:
    return ApplicationError(_("A policy with this name already exists."), field="name")


@transaction.atomic
def sla_policy_create(
    *,
    organization: Organization,
    name: str,
    first_response_minutes: int | None = None,
    next_response_minutes: int | None = None,
    resolution_minutes: int | None = None,
    calendar: BusinessCalendar | None = None,
    priorities: Iterable[int] = (),
    kinds: Iterable[str] = (),
    channels: Iterable[str] = (),
    customer_tiers: Iterable[str] = (),
    product_models: Iterable[ProductModel] = (),
    pause_statuses: Iterable[str] | None = None,
    warning_percent: int = 80,
    position: int | None = None,
    is_active: bool = True,
) -> SlaPolicy:
    """An SLA policy, last in order unless a position is given."""
    fields = _policy_fields(
        organization_id=organization.pk,
        name=name,
        first_response_minutes=first_response_minutes,
        next_response_minutes=next_response_minutes,
        resolution_minutes=resolution_minutes,
        calendar=calendar,
        priorities=priorities,
        kinds=kinds,
        channels=channels,
        customer_tiers=customer_tiers,
        pause_statuses=DEFAULT_PAUSE_STATUSES if pause_statuses is None else pause_statuses,
        warning_percent=warning_percent,
    )
    products = _check_products(product_models, organization.pk)
    policy = SlaPolicy(organization=organization, is_active=bool(is_active), **fields)
    _require_a_target(policy)
    mine = SlaPolicy.objects.filter(organization=organization)
    policy.position = clean_position(next_position(mine) if position is None else position)
    save_unless_taken(policy, taken=mine.filter(name=fields["name"]), error=_name_taken)
    policy.product_models.set(products)
    sla_configuration_bump(organization_id=organization.pk)
    return policy


@transaction.atomic
def sla_policy_update(
    *,
    policy: SlaPolicy,
    name: str | Unset = UNSET,
    first_response_minutes: int | None | Unset = UNSET,
    next_response_minutes: int | None | Unset = UNSET,
    resolution_minutes: int | None | Unset = UNSET,
    calendar: BusinessCalendar | None | Unset = UNSET,
    priorities: Iterable[int] | Unset = UNSET,
    kinds: Iterable[str] | Unset = UNSET,
    channels: Iterable[str] | Unset = UNSET,
    customer_tiers: Iterable[str] | Unset = UNSET,
    product_models: Iterable[ProductModel] | Unset = UNSET,
    pause_statuses: Iterable[str] | None | Unset = UNSET,
    warning_percent: int | Unset = UNSET,
    position: int | None | Unset = UNSET,
    is_active: bool | Unset = UNSET,
) -> SlaPolicy:
    """Change what is given; requests under the policy are brought up to it by the sweep."""
    fields = _policy_fields(
        organization_id=policy.organization_id,
        name=name,
        first_response_minutes=first_response_minutes,
        next_response_minutes=next_response_minutes,
        resolution_minutes=resolution_minutes,
        calendar=calendar,
        priorities=priorities,
        kinds=kinds,
        channels=channels,
        customer_tiers=customer_tiers,
        pause_statuses=pause_statuses,
        warning_percent=warning_percent,
    )
    if position is not UNSET:
        fields["position"] = clean_position(position)
    if is_active is not UNSET:
        fields["is_active"] = bool(is_active)
    products = None
    if product_models is not UNSET:
        products = _check_products(product_models, policy.organization_id)
    policy = SlaPolicy.objects.select_for_update().get(pk=policy.pk)
    for field, value in fields.items():
        setattr(policy, field, value)
    _require_a_target(policy)
    if "name" in fields:
        taken = (
            SlaPolicy.objects.filter(organization_id=policy.organization_id, name=fields["name"])
            .exclude(pk=policy.pk)
            .exists()
        )
        if taken:
            raise _name_taken()
    policy.updated_at = timezone.now()
    policy.version = F("version") + 1
    policy.save()
    policy.refresh_from_db(fields=["version"])
    if products is not None:
        policy.product_models.set(products)
    sla_configuration_bump(organization_id=policy.organization_id)
    return policy


# --- Escalation rules ---


def _check_staff(user: User | None, organization_id: int, *, field: str) -> None:
    if user is None:
        return
    is_staff = Membership.objects.filter(
        organization_id=organization_id, user=user, is_active=True
    ).exists()
    if not is_staff:
        raise ApplicationError(_("No such member in this organization."), field=field)


def _rule_fields(
    *,
    organization_id: int,
    name,
    threshold,
    metric,
    delay_minutes,
    level,
    notify_supervisors,
    notify_assignee,
    notify_user,
    reassign_team,
    raise_priority_to,
) -> dict:
    """The validated rule fields that were given."""
    fields: dict = {}
    if name is not UNSET:
        fields["name"] = _clean_name(name)
    if threshold is not UNSET:
        if threshold not in EscalationRule.Threshold.values:
            raise ApplicationError(_("Choose warning or breach."), field="threshold")
        fields["threshold"] = threshold
    if metric is not UNSET:
        if metric and metric not in Metric.values:
            raise ApplicationError(_("Unknown target."), field="metric")
        fields["metric"] = metric or ""
    if delay_minutes is not UNSET:
        valid = isinstance(delay_minutes, int) and not isinstance(delay_minutes, bool)
        if not valid or not 0 <= delay_minutes <= DELAY_MAX_MINUTES:
            raise ApplicationError(
                _("Enter a whole number of minutes from 0 to %(max)s.")
                % {"max": DELAY_MAX_MINUTES},
                field="delay_minutes",
            )
        fields["delay_minutes"] = delay_minutes
    if level is not UNSET:
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 9:
            raise ApplicationError(_("Enter a level from 1 to 9."), field="level")
        fields["level"] = level
    for field, value in (
        ("notify_supervisors", notify_supervisors),
        ("notify_assignee", notify_assignee),
    ):
        if value is not UNSET:
            fields[field] = bool(value)
    if notify_user is not UNSET:
        _check_staff(notify_user, organization_id, field="notify_user_id")
        fields["notify_user"] = notify_user
    if reassign_team is not UNSET:
        if reassign_team is not None and (
            reassign_team.organization_id != organization_id or not reassign_team.is_active
        ):
            raise ApplicationError(_("No such team."), field="reassign_team_id")
        fields["reassign_team"] = reassign_team
    if raise_priority_to is not UNSET:
        if raise_priority_to is not None and raise_priority_to not in Priority.values:
            raise ApplicationError(_("Unknown priority."), field="raise_priority_to")
        fields["raise_priority_to"] = raise_priority_to
    return fields


def _require_an_action(rule: EscalationRule) -> None:
    has_action = (
        rule.notify_supervisors
        or rule.notify_assignee
        or rule.notify_user_id is not None
        or rule.reassign_team_id is not None
        or rule.raise_priority_to is not None
    )
    if not has_action:
        raise ApplicationError(
            _("Choose at least one action: notify someone, move to a team or raise priority."),
            field="notify_supervisors",
        )


def _check_policies(policies: Iterable[SlaPolicy], organization_id: int) -> list[SlaPolicy]:
    policies = list(policies or [])
    if any(policy.organization_id != organization_id for policy in policies):
        raise ApplicationError(_("No such SLA policy."), field="policy_ids")
    return policies


def _rule_name_taken() -> ApplicationError:
    return ApplicationError(_("A rule with this name already exists."), field="name")


@transaction.atomic
def escalation_rule_create(
    *,
    organization: Organization,
    name: str,
    threshold: str,
    metric: str = "",
    delay_minutes: int = 0,
    level: int = 1,
    policies: Iterable[SlaPolicy] = (),
    notify_supervisors: bool = False,
    notify_assignee: bool = False,
    notify_user: User | None = None,
    reassign_team: Team | None = None,
    raise_priority_to: int | None = None,
    is_active: bool = True,
) -> EscalationRule:
    """An escalation rule with at least one action."""
    fields = _rule_fields(
        organization_id=organization.pk,
        name=name,
        threshold=threshold,
        metric=metric,
        delay_minutes=delay_minutes,
        level=level,
        notify_supervisors=notify_supervisors,
        notify_assignee=notify_assignee,
        notify_user=notify_user,
        reassign_team=reassign_team,
        raise_priority_to=raise_priority_to,
    )
    chosen = _check_policies(policies, organization.pk)
    rule = EscalationRule(organization=organization, is_active=bool(is_active), **fields)
    _require_an_action(rule)
    taken = EscalationRule.objects.filter(organization=organization, name=fields["name"])
    save_unless_taken(rule, taken=taken, error=_rule_name_taken)
    rule.policies.set(chosen)
    sla_configuration_bump(organization_id=organization.pk)
    return rule


@transaction.atomic
def escalation_rule_update(
    *,
    rule: EscalationRule,
    name: str | Unset = UNSET,
    threshold: str | Unset = UNSET,
    metric: str | Unset = UNSET,
    delay_minutes: int | Unset = UNSET,
    level: int | Unset = UNSET,
    policies: Iterable[SlaPolicy] | Unset = UNSET,
    notify_supervisors: bool | Unset = UNSET,
    notify_assignee: bool | Unset = UNSET,
    notify_user: User | None | Unset = UNSET,
    reassign_team: Team | None | Unset = UNSET,
    raise_priority_to: int | None | Unset = UNSET,
    is_active: bool | Unset = UNSET,
) -> EscalationRule:
    """Change what is given of an escalation rule."""
    fields = _rule_fields(
        organization_id=rule.organization_id,
        name=name,
        threshold=threshold,
        metric=metric,
        delay_minutes=delay_minutes,
        level=level,
        notify_supervisors=notify_supervisors,
        notify_assignee=notify_assignee,
        notify_user=notify_user,
        reassign_team=reassign_team,
        raise_priority_to=raise_priority_to,
    )
    if is_active is not UNSET:
        fields["is_active"] = bool(is_active)
    chosen = None if policies is UNSET else _check_policies(policies, rule.organization_id)
    rule = EscalationRule.objects.select_for_update().get(pk=rule.pk)
    for field, value in fields.items():
        setattr(rule, field, value)
    _require_an_action(rule)
    if "name" in fields:
        taken = (
            EscalationRule.objects.filter(organization_id=rule.organization_id, name=fields["name"])
            .exclude(pk=rule.pk)
            .exists()
        )
        if taken:
            raise _rule_name_taken()
    rule.updated_at = timezone.now()
    rule.save()
    if chosen is not None:
        rule.policies.set(chosen)
    sla_configuration_bump(organization_id=rule.organization_id)
    return rule
