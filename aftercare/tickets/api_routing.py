"""API v1: escalation rules, routing rules, agents' presence and capacity, and the SLA summary."""

import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from aftercare.accounts.selectors import member_get, team_for_input
from aftercare.api.fields import api_field_names
from aftercare.api.permissions import require_manager, require_writer
from aftercare.api.schemas import (
    AUTH,
    CREATE,
    LANGUAGE_CODES,
    LIST,
    READ,
    WRITE,
    ChannelName,
    Id,
    LanguageCode,
    RefOut,
    Text,
    UserRefOut,
    responses,
)
from aftercare.catalog.selectors import product_models_for_input
from aftercare.lib.vocabulary import Kind, Priority
from aftercare.sla.models import EscalationRule, Metric
from aftercare.sla.selectors import (
    escalation_rule_get,
    escalation_rule_list,
    sla_policies_for_input,
)
from aftercare.sla.services import escalation_rule_create, escalation_rule_update
from aftercare.tickets.models import AgentProfile
from aftercare.tickets.selectors_routing import (
    agent_get,
    agent_list,
    categories_for_input,
    routing_rule_get,
    routing_rule_list,
    sla_summary,
)
from aftercare.tickets.services import (
    agent_profile_update,
    routing_rule_create,
    routing_rule_update,
)

escalation_router = Router(tags=["sla"])
routing_router = Router(tags=["routing"])
agents_router = Router(tags=["routing"])
sla_router = Router(tags=["sla"])

ThresholdName = Literal[tuple(EscalationRule.Threshold.values)]
MetricOrAny = Literal[("", *Metric.values)]
PriorityValue = Annotated[int, Field(ge=min(Priority.values), le=max(Priority.values))]
KindName = Literal[tuple(Kind.values)]
PresenceName = Literal[tuple(AgentProfile.Presence.values)]
DelayMinutes = Annotated[int, Field(ge=0, le=30 * 24 * 60)]
Level = Annotated[int, Field(ge=1, le=9)]
Position = Annotated[int, Field(ge=0, le=10**6)]


# --- Escalation rules ---


class EscalationRuleOut(Schema):
    """What happens at a warning or breach, at one level, and how long after it."""

    id: int
    name: str
    level: int
    is_active: bool
    metric: str = Field(description="'' for any target, or the one target it watches.")
    threshold: str
    delay_minutes: int
    policy_ids: list[int] = Field(description="Empty: every policy.")
    notify_supervisors: bool
    notify_assignee: bool
    notify_user: UserRefOut | None
    reassign_team: RefOut | None
    raise_priority_to: int | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_policy_ids(obj) -> list[int]:
        return [policy.pk for policy in obj.policies.all()]


class EscalationRuleIn(Schema):
    """A new escalation rule; choose at least one action."""

    name: Text(100, min_length=1)
    threshold: ThresholdName
    metric: MetricOrAny = ""
    delay_minutes: DelayMinutes = 0
    level: Level = 1
    is_active: bool = True
    policy_ids: list[Id] = Field([], max_length=100)
    notify_supervisors: bool = False
    notify_assignee: bool = False
    notify_user_id: Id | None = None
    reassign_team_id: Id | None = None
    raise_priority_to: PriorityValue | None = None


class EscalationRuleUpdateIn(Schema):
    """Fields to change; null clears an action."""

    name: Text(100, min_length=1) = None
    threshold: ThresholdName = None
    metric: MetricOrAny = None
    delay_minutes: DelayMinutes = None
    level: Level = None
    is_active: bool = None
    policy_ids: list[Id] = Field(None, max_length=100)
    notify_supervisors: bool = None
    notify_assignee: bool = None
    notify_user_id: Id | None = None
    reassign_team_id: Id | None = None
    raise_priority_to: PriorityValue | None = None


def _rule_arguments(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Ids in an escalation rule body turned into objects of this organization."""
    organization = request.organization
    arguments = dict(data)
    if "policy_ids" in arguments:
        arguments["policies"] = sla_policies_for_input(
            organization=organization, policy_ids=arguments.pop("policy_ids")
        )
    if "notify_user_id" in arguments:
        user_id = arguments.pop("notify_user_id")
        arguments["notify_user"] = (
            None
            if user_id is None
            else member_get(organization=organization, user_id=user_id, field="notify_user_id")
        )
    if "reassign_team_id" in arguments:
        team_id = arguments.pop("reassign_team_id")
        arguments["reassign_team"] = None
        if team_id is not None:
            with api_field_names({"team_id": "reassign_team_id"}):
                arguments["reassign_team"] = team_for_input(
                    organization=organization, team_id=team_id
                )
    return arguments


@escalation_router.get(
    "/", response=responses({200: list[EscalationRuleOut]}, AUTH), summary="List rules"
)
def escalation_rule_list_api(request: HttpRequest):
    """Every escalation rule by level."""
    return escalation_rule_list(organization=request.organization)


@escalation_router.post(
    "/", response=responses({201: EscalationRuleOut}, CREATE), summary="Create a rule"
)
def escalation_rule_create_api(request: HttpRequest, payload: EscalationRuleIn):
    """An escalation rule (managers only)."""
    require_manager(request)
    rule = escalation_rule_create(
        organization=request.organization, **_rule_arguments(request, payload.model_dump())
    )
    return Answer(201, escalation_rule_get(organization=request.organization, rule_id=rule.pk))


@escalation_router.get(
    "/{escalation_rule_id}",
    response=responses({200: EscalationRuleOut}, READ),
    summary="Get a rule",
)
def escalation_rule_get_api(request: HttpRequest, escalation_rule_id: Id):
    """One escalation rule."""
    return escalation_rule_get(organization=request.organization, rule_id=escalation_rule_id)


@escalation_router.patch(
    "/{escalation_rule_id}",
    response=responses({200: EscalationRuleOut}, WRITE),
    summary="Update a rule",
)
def escalation_rule_update_api(
    request: HttpRequest, escalation_rule_id: Id, payload: EscalationRuleUpdateIn
):
    """Change the fields sent; `is_active: false` retires a rule."""
    rule = escalation_rule_get(organization=request.organization, rule_id=escalation_rule_id)
    require_manager(request)
    escalation_rule_update(
        rule=rule, **_rule_arguments(request, payload.model_dump(exclude_unset=True))
    )
    return escalation_rule_get(organization=request.organization, rule_id=escalation_rule_id)


# --- Routing rules ---


class RoutingRuleOut(Schema):
    """Sends new requests that match every condition to a team; the first match wins."""

    id: int
    name: str
    position: int
    is_active: bool
    kinds: list[str]
    channels: list[str]
    languages: list[str]
    category_ids: list[int]
    product_model_ids: list[int]
    team: RefOut
    updated_at: datetime.datetime

    @staticmethod
    def resolve_category_ids(obj) -> list[int]:
        return [category.pk for category in obj.categories.all()]

    @staticmethod
    def resolve_product_model_ids(obj) -> list[int]:
        return [product.pk for product in obj.product_models.all()]


class RoutingRuleIn(Schema):
    """A new routing rule; empty conditions match anything."""

    name: Text(100, min_length=1)
    team_id: Id
    position: Position | None = Field(None, description="Lower is matched first.")
    is_active: bool = True
    kinds: list[KindName] = Field([], max_length=len(Kind.values))
    channels: list[ChannelName] = Field([], max_length=20)
    languages: list[LanguageCode] = Field([], max_length=len(LANGUAGE_CODES))
    category_ids: list[Id] = Field([], max_length=200)
    product_model_ids: list[Id] = Field([], max_length=200)


class RoutingRuleUpdateIn(Schema):
    """Fields to change."""

    name: Text(100, min_length=1) = None
    team_id: Id = None
    position: Position = None
    is_active: bool = None
    kinds: list[KindName] = Field(None, max_length=len(Kind.values))
    channels: list[ChannelName] = Field(None, max_length=20)
    languages: list[LanguageCode] = Field(None, max_length=len(LANGUAGE_CODES))
    category_ids: list[Id] = Field(None, max_length=200)
    product_model_ids: list[Id] = Field(None, max_length=200)


def _routing_arguments(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    organization = request.organization
    arguments = dict(data)
    if "team_id" in arguments:
        arguments["team"] = team_for_input(
            organization=organization, team_id=arguments.pop("team_id")
        )
    if "category_ids" in arguments:
        arguments["categories"] = categories_for_input(
            organization=organization, category_ids=arguments.pop("category_ids")
        )
    if "product_model_ids" in arguments:
        arguments["product_models"] = product_models_for_input(
            organization=organization, product_model_ids=arguments.pop("product_model_ids")
        )
    return arguments


@routing_router.get(
    "/", response=responses({200: list[RoutingRuleOut]}, AUTH), summary="List routing rules"
)
def routing_rule_list_api(request: HttpRequest):
    """Every routing rule in the order they are matched."""
    return routing_rule_list(organization=request.organization)


@routing_router.post(
    "/", response=responses({201: RoutingRuleOut}, CREATE), summary="Create a routing rule"
)
def routing_rule_create_api(request: HttpRequest, payload: RoutingRuleIn):
    """A routing rule (managers only); it applies to requests created from now on."""
    require_manager(request)
    rule = routing_rule_create(
        organization=request.organization, **_routing_arguments(request, payload.model_dump())
    )
    return Answer(201, routing_rule_get(organization=request.organization, rule_id=rule.pk))


@routing_router.get(
    "/{rule_id}", response=responses({200: RoutingRuleOut}, READ), summary="Get a routing rule"
)
def routing_rule_get_api(request: HttpRequest, rule_id: Id):
    """One routing rule."""
    return routing_rule_get(organization=request.organization, rule_id=rule_id)


@routing_router.patch(
    "/{rule_id}", response=responses({200: RoutingRuleOut}, WRITE), summary="Update a routing rule"
)
def routing_rule_update_api(request: HttpRequest, rule_id: Id, payload: RoutingRuleUpdateIn):
    """Change the fields sent; `is_active: false` retires a rule."""
    rule = routing_rule_get(organization=request.organization, rule_id=rule_id)
    require_manager(request)
    routing_rule_update(
        rule=rule, **_routing_arguments(request, payload.model_dump(exclude_unset=True))
    )
    return routing_rule_get(organization=request.organization, rule_id=rule_id)


# --- Agents ---


class AgentOut(Schema):
    """A member of staff as routing sees them."""

    user: UserRefOut
    role: str
    presence: str
    capacity: int | None = Field(description="Most open requests routing gives; null: no limit.")
    languages: list[str] = Field(description="Empty: any language.")
    product_model_ids: list[int] = Field(description="Empty: any product.")
    open_count: int
    team_names: list[str]


class AgentUpdateIn(Schema):
    """Presence, capacity and skills to change."""

    presence: PresenceName = None
    capacity: Annotated[int, Field(ge=0, le=10_000)] | None = None
    languages: list[LanguageCode] = Field(None, max_length=len(LANGUAGE_CODES))
    product_model_ids: list[Id] = Field(None, max_length=200)


@agents_router.get("/", response=responses({200: list[AgentOut]}, AUTH), summary="List agents")
def agent_list_api(request: HttpRequest):
    """Staff who work requests, with presence, capacity, skills and open requests."""
    return agent_list(organization=request.organization)


@agents_router.get("/{user_id}", response=responses({200: AgentOut}, READ), summary="Get an agent")
def agent_get_api(request: HttpRequest, user_id: Id):
    """One member of staff as routing sees them."""
    return agent_get(organization=request.organization, user_id=user_id)


@agents_router.patch(
    "/{user_id}", response=responses({200: AgentOut}, WRITE), summary="Update an agent"
)
def agent_update_api(request: HttpRequest, user_id: Id, payload: AgentUpdateIn):
    """Anyone may set their own presence; managers set anyone's presence, capacity and skills."""
    agent = agent_get(organization=request.organization, user_id=user_id)
    data = payload.model_dump(exclude_unset=True)
    if user_id == request.auth.pk and set(data) <= {"presence"}:
        require_writer(request)
    else:
        require_manager(request)
    if "product_model_ids" in data:
        data["product_models"] = product_models_for_input(
            organization=request.organization, product_model_ids=data.pop("product_model_ids")
        )
    agent_profile_update(organization=request.organization, user=agent.user, **data)
    return agent_get(organization=request.organization, user_id=user_id)


# --- The SLA at a glance ---


class TeamSlaOut(Schema):
    """One team's open requests at risk or breached, and breaches in the period."""

    team_id: int | None
    team_name: str
    open_count: int
    at_risk: int
    breached: int
    breaches_in_period: int


class SlaSummaryOut(Schema):
    """The organization's SLA now, and breaches recorded since `since`, by team."""

    since: datetime.datetime
    open_count: int
    at_risk: int
    breached: int
    paused: int
    breaches_in_period: int
    warnings_in_period: int
    teams: list[TeamSlaOut]


class SlaSummaryQuery(Schema):
    """The period breaches are counted over."""

    days: Annotated[int, Field(ge=1, le=366)] = 7


@sla_router.get("/summary", response=responses({200: SlaSummaryOut}, LIST), summary="SLA summary")
def sla_summary_api(request: HttpRequest, filters: Query[SlaSummaryQuery]):
    """Open requests by SLA state and breaches in the last `days`, overall and by team."""
    since = timezone.now() - datetime.timedelta(days=filters.days)
    return sla_summary(organization=request.organization, since=since)
