"""API v1: escalation rules, routing rules, agents' presence and capacity, and the SLA summary."""

import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from aftercare.accounts.selectors import team_for_input
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
    KindName,
    LanguageCode,
    Position,
    RefOut,
    Text,
    UserRefOut,
    responses,
)
from aftercare.catalog.selectors import product_models_for_input
from aftercare.lib.vocabulary import Kind
from aftercare.sla.models import EscalationRule, Metric
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
PresenceName = Literal[tuple(AgentProfile.Presence.values)]
DelayMinutes = Annotated[int, Field(ge=0, le=30 * 24 * 60)]
Level = Annotated[int, Field(ge=1, le=9)]


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
