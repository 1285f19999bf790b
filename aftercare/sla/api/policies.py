"""API v1: SLA policies: when each applies, and what it promises."""

import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status as Answer

from aftercare.api.schemas import (
    AUTH,
    CREATE,
    READ,
    WRITE,
    BodySchema,
    ChannelName,
    Id,
    KindName,
    Position,
    PriorityValue,
    RefOut,
    Text,
    responses,
)
from aftercare.catalog.selectors import product_models_for_input
from aftercare.customers.models import Tier
from aftercare.lib.vocabulary import Kind
from aftercare.sla.models import DEFAULT_PAUSE_STATUSES
from aftercare.sla.selectors import (
    calendar_for_input,
    sla_policy_get,
    sla_policy_list,
)
from aftercare.sla.services import (
    PAUSABLE_STATUSES,
    sla_policy_create,
    sla_policy_update,
)

policies_router = Router(tags=["sla"])

TierName = Literal[tuple(Tier.values)]
PauseStatus = Literal[tuple(str(status) for status in PAUSABLE_STATUSES)]
Minutes = Annotated[int, Field(ge=1, le=366 * 24 * 60)]


class SlaPolicyOut(Schema):
    """An SLA policy: when it applies and what it promises."""

    id: int
    name: str
    position: int
    is_active: bool
    priorities: list[int]
    kinds: list[str]
    channels: list[str]
    customer_tiers: list[str]
    product_model_ids: list[int]
    calendar: RefOut | None
    first_response_minutes: int | None
    next_response_minutes: int | None
    resolution_minutes: int | None
    pause_statuses: list[str]
    warning_percent: int
    version: int
    updated_at: datetime.datetime

    @staticmethod
    def resolve_product_model_ids(obj) -> list[int]:
        return [product.pk for product in obj.product_models.all()]


class SlaPolicyIn(BodySchema):
    """A new SLA policy; empty conditions match anything. Set at least one target."""

    name: Text(100, min_length=1)
    position: Position | None = Field(
        None, description="Lower is matched first; empty puts it last."
    )
    is_active: bool = True
    priorities: list[PriorityValue] = Field([], max_length=4)
    kinds: list[KindName] = Field([], max_length=len(Kind.values))
    channels: list[ChannelName] = Field([], max_length=20)
    customer_tiers: list[TierName] = Field([], max_length=len(Tier.values))
    product_model_ids: list[Id] = Field([], max_length=200)
    calendar_id: Id | None = Field(None, description="Empty: the default calendar.")
    first_response_minutes: Minutes | None = None
    next_response_minutes: Minutes | None = None
    resolution_minutes: Minutes | None = None
    pause_statuses: list[PauseStatus] = Field(
        DEFAULT_PAUSE_STATUSES, max_length=len(PAUSABLE_STATUSES)
    )
    warning_percent: Annotated[int, Field(ge=0, le=99)] = 80


class SlaPolicyUpdateIn(BodySchema):
    """Fields to change; null clears a target or the calendar."""

    name: Text(100, min_length=1) = None
    position: Position = None
    is_active: bool = None
    priorities: list[PriorityValue] = Field(None, max_length=4)
    kinds: list[KindName] = Field(None, max_length=len(Kind.values))
    channels: list[ChannelName] = Field(None, max_length=20)
    customer_tiers: list[TierName] = Field(None, max_length=len(Tier.values))
    product_model_ids: list[Id] = Field(None, max_length=200)
    calendar_id: Id | None = None
    first_response_minutes: Minutes | None = None
    next_response_minutes: Minutes | None = None
    resolution_minutes: Minutes | None = None
    pause_statuses: list[PauseStatus] = Field(None, max_length=len(PAUSABLE_STATUSES))
    warning_percent: Annotated[int, Field(ge=0, le=99)] = None


def _policy_arguments(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Ids in a policy body turned into objects of this organization."""
    arguments = dict(data)
    if "calendar_id" in arguments:
        calendar_id = arguments.pop("calendar_id")
        arguments["calendar"] = (
            None
            if calendar_id is None
            else calendar_for_input(organization=request.organization, calendar_id=calendar_id)
        )
    if "product_model_ids" in arguments:
        arguments["product_models"] = product_models_for_input(
            organization=request.organization, product_model_ids=arguments.pop("product_model_ids")
        )
    return arguments


@policies_router.get(
    "/", response=responses({200: list[SlaPolicyOut]}, AUTH), summary="List SLA policies"
)
def sla_policy_list_api(request: HttpRequest):
    """Every SLA policy in the order they are matched; the first that matches applies."""
    return sla_policy_list(organization=request.organization)


@policies_router.post(
    "/", response=responses({201: SlaPolicyOut}, CREATE), summary="Create an SLA policy"
)
def sla_policy_create_api(request: HttpRequest, payload: SlaPolicyIn):
    """A policy (managers only); open requests it matches are brought under it within seconds."""
    policy = sla_policy_create(
        organization=request.organization, **_policy_arguments(request, payload.model_dump())
    )
    return Answer(201, sla_policy_get(organization=request.organization, policy_id=policy.pk))


@policies_router.get(
    "/{policy_id}", response=responses({200: SlaPolicyOut}, READ), summary="Get an SLA policy"
)
def sla_policy_get_api(request: HttpRequest, policy_id: Id):
    """One SLA policy."""
    return sla_policy_get(organization=request.organization, policy_id=policy_id)


@policies_router.patch(
    "/{policy_id}", response=responses({200: SlaPolicyOut}, WRITE), summary="Update an SLA policy"
)
def sla_policy_update_api(request: HttpRequest, policy_id: Id, payload: SlaPolicyUpdateIn):
    """Change the fields sent; `is_active: false` retires a policy (policies are never deleted)."""
    policy = sla_policy_get(organization=request.organization, policy_id=policy_id)
    sla_policy_update(
        policy=policy,
        **_policy_arguments(request, payload.model_dump(exclude_unset=True)),
    )
    return sla_policy_get(organization=request.organization, policy_id=policy_id)
