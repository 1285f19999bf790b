"""API v1: routing rules."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status as Answer

from aftercare.accounts.selectors import team_for_input
from aftercare.api.schemas import (
    AUTH,
    CREATE,
    LANGUAGE_CODES,
    READ,
    WRITE,
    BodySchema,
    ChannelName,
    Id,
    KindName,
    LanguageCode,
    Position,
    RefOut,
    Text,
    responses,
)
from aftercare.catalog.selectors import product_models_for_input
from aftercare.lib.vocabulary import Kind
from aftercare.tickets.routing.selectors import routing_rule_get, routing_rule_list
from aftercare.tickets.routing.services import routing_rule_create, routing_rule_update
from aftercare.tickets.selectors import categories_for_input

routing_router = Router(tags=["routing"])


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


class RoutingRuleIn(BodySchema):
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


class RoutingRuleUpdateIn(BodySchema):
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
    routing_rule_update(
        rule=rule, **_routing_arguments(request, payload.model_dump(exclude_unset=True))
    )
    return routing_rule_get(organization=request.organization, rule_id=rule_id)
