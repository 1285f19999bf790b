"""API v1: warranty policies."""

import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Answer

from aftercare.api.schemas import CREATE, LIST, READ, WRITE, BodySchema, Id, Text, responses
from aftercare.catalog.api.common import CatalogListQuery
from aftercare.catalog.models import WarrantyPolicy
from aftercare.catalog.selectors import (
    fault_codes_for_input,
    warranty_policy_get,
    warranty_policy_page,
)
from aftercare.catalog.services import warranty_policy_create, warranty_policy_update
from aftercare.catalog.services.policies import MONTHS_MAX, REGISTRATION_DAYS_MAX

warranty_policies_router = Router(tags=["catalog"])

StartName = Literal[tuple(WarrantyPolicy.Start.values)]
Months = Annotated[int, Field(ge=1, le=MONTHS_MAX)]
RegistrationDays = Annotated[int, Field(ge=0, le=REGISTRATION_DAYS_MAX)]


class WarrantyPolicyOut(Schema):
    """A warranty policy: how long, from when, what it covers and excludes, and its rules."""

    id: int
    name: str
    months: int
    starts_from: str
    covers_parts: bool
    covers_labour: bool
    covers_travel: bool
    excluded_fault_ids: list[int]
    registration_days: int | None
    is_transferable: bool
    is_active: bool
    created_at: datetime.datetime

    @staticmethod
    def resolve_excluded_fault_ids(obj) -> list[int]:
        return [fault.pk for fault in obj.excluded_faults.all()]


class WarrantyPolicyPageOut(Schema):
    """One page of warranty policies."""

    items: list[WarrantyPolicyOut]
    next_cursor: str | None


class WarrantyPolicyIn(BodySchema):
    """A new warranty policy; the name is unique inside the organization."""

    name: Text(200, min_length=1)
    months: Months = Field(
        description="Length: the last day covered is the day before the start "
        "date plus this many calendar months."
    )
    starts_from: StartName = "purchase"
    covers_parts: bool = True
    covers_labour: bool = True
    covers_travel: bool = False
    excluded_fault_ids: list[Id] = Field([], max_length=500)
    registration_days: RegistrationDays | None = Field(
        None,
        description="The unit must be registered within this many days of the start; "
        "null: no registration needed.",
    )
    is_transferable: bool = True


class WarrantyPolicyUpdateIn(BodySchema):
    """Fields to change; `registration_days: null` drops the registration rule."""

    name: Text(200, min_length=1) = None
    months: Months = None
    starts_from: StartName = None
    covers_parts: bool = None
    covers_labour: bool = None
    covers_travel: bool = None
    excluded_fault_ids: list[Id] = Field(None, max_length=500)
    registration_days: RegistrationDays | None = None
    is_transferable: bool = None
    is_active: bool = None


def _arguments(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """The body's ids turned into this organization's fault codes."""
    arguments = dict(data)
    if "excluded_fault_ids" in arguments:
        arguments["excluded_faults"] = fault_codes_for_input(
            organization=request.organization,
            fault_code_ids=arguments.pop("excluded_fault_ids") or [],
        )
    return arguments


@warranty_policies_router.get(
    "/", response=responses({200: WarrantyPolicyPageOut}, LIST), summary="List warranty policies"
)
def warranty_policy_list_api(request: HttpRequest, filters: Query[CatalogListQuery]):
    """Warranty policies by name; search part of the name."""
    return warranty_policy_page(
        organization=request.organization,
        search=filters.search,
        status=filters.status,
        cursor=filters.cursor,
        limit=filters.limit,
    )


@warranty_policies_router.post(
    "/", response=responses({201: WarrantyPolicyOut}, CREATE), summary="Create a warranty policy"
)
def warranty_policy_create_api(request: HttpRequest, payload: WarrantyPolicyIn):
    """Add a warranty policy (admins and supervisors only)."""
    policy = warranty_policy_create(
        organization=request.organization, **_arguments(request, payload.model_dump())
    )
    return Answer(
        201,
        warranty_policy_get(organization=request.organization, warranty_policy_id=policy.pk),
    )


@warranty_policies_router.get(
    "/{warranty_policy_id}",
    response=responses({200: WarrantyPolicyOut}, READ),
    summary="Get a warranty policy",
)
def warranty_policy_get_api(request: HttpRequest, warranty_policy_id: Id):
    """One warranty policy."""
    return warranty_policy_get(
        organization=request.organization, warranty_policy_id=warranty_policy_id
    )


@warranty_policies_router.patch(
    "/{warranty_policy_id}",
    response=responses({200: WarrantyPolicyOut}, WRITE),
    summary="Update a warranty policy",
)
def warranty_policy_update_api(
    request: HttpRequest, warranty_policy_id: Id, payload: WarrantyPolicyUpdateIn
):
    """Change the fields sent; `is_active: false` stops offering the policy for models (it
    keeps covering the units of models that name it). Admins and supervisors only."""
    policy = warranty_policy_get(
        organization=request.organization, warranty_policy_id=warranty_policy_id
    )
    warranty_policy_update(
        policy=policy, **_arguments(request, payload.model_dump(exclude_unset=True))
    )
    return warranty_policy_get(
        organization=request.organization, warranty_policy_id=warranty_policy_id
    )
